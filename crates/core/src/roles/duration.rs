//! ISO 8601 durations as PIM uses them (`PT8H`, `PT30M`, `P1D`, `PT1H30M`), in whole minutes.

/// Minutes in `s`, or None when it is not a day/time duration PIM would send. Seconds are
/// rounded down; years and months are refused (their length is not fixed).
pub fn parse_minutes(s: &str) -> Option<u32> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    if date.is_empty() && time.is_none_or(str::is_empty) {
        return None;
    }
    let mut seconds: u64 = 0;
    seconds += fields(date, &[('W', 7 * 86_400), ('D', 86_400)])?;
    if let Some(t) = time {
        if t.is_empty() {
            return None;
        }
        seconds += fields(t, &[('H', 3600), ('M', 60), ('S', 1)])?;
    }
    u32::try_from(seconds / 60).ok()
}

/// `n` followed by a unit, units in the given order, each at most once.
fn fields(mut s: &str, units: &[(char, u64)]) -> Option<u64> {
    let mut total = 0u64;
    let mut next_unit = 0;
    while !s.is_empty() {
        let end = s.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let (num, tail) = s.split_at(end);
        let unit = tail.chars().next()?;
        let idx = units.iter().skip(next_unit).position(|(u, _)| *u == unit)? + next_unit;
        let value: f64 = num
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
        total = total.checked_add((value * units[idx].1 as f64) as u64)?;
        next_unit = idx + 1;
        s = &tail[unit.len_utf8()..];
    }
    Some(total)
}

/// `PT1H30M` for 90, `PT8H` for 480, `PT45M` for 45.
pub fn format_minutes(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, mm) => format!("PT{mm}M"),
        (h, 0) => format!("PT{h}H"),
        (h, mm) => format!("PT{h}H{mm}M"),
    }
}

/// "30 minutes", "1 hour", "1.5 hours", "8 hours", "1 hour 20 minutes".
pub fn words(m: u32) -> String {
    let plural = |n: u32, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (m / 60, m % 60) {
        (0, mm) => plural(mm, "minute", "minutes"),
        (h, 0) => plural(h, "hour", "hours"),
        (h, 30) => format!("{h}.5 hours"),
        (h, mm) => format!(
            "{} {}",
            plural(h, "hour", "hours"),
            plural(mm, "minute", "minutes")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_pim_sends() {
        for (s, m) in [
            ("PT8H", 480),
            ("PT30M", 30),
            ("P1D", 1440),
            ("PT1H30M", 90),
            ("PT300M", 300),
            ("PT0.5H", 30),
            ("PT90S", 1),
            ("P1DT2H", 1560),
        ] {
            assert_eq!(parse_minutes(s), Some(m), "{s}");
        }
        for s in [
            "", "P", "PT", "8H", "PT8X", "P1M", "PT1M1H", "PT1H1H", "PT-1H", "P1Y",
        ] {
            assert_eq!(parse_minutes(s), None, "{s}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for m in [1, 30, 45, 60, 90, 480, 1440] {
            assert_eq!(parse_minutes(&format_minutes(m)), Some(m));
        }
        assert_eq!(format_minutes(90), "PT1H30M");
        assert_eq!(words(30), "30 minutes");
        assert_eq!(words(60), "1 hour");
        assert_eq!(words(90), "1.5 hours");
        assert_eq!(words(80), "1 hour 20 minutes");
    }
}
