//! ISO 8601 durations as Graph reads and writes them (`Edm.Duration`, i.e. xs:dayTimeDuration:
//! days, hours, minutes, seconds; no years or months, which have no fixed length).

use chrono::Duration;

/// Parses `P1DT2H30M`, `PT8H`, `PT90M`, `PT1.5S`, `-PT5M`. `None` for anything else, including
/// lower-case designators, which .NET's `XmlConvert` (what Graph uses) refuses too.
pub fn parse(text: &str) -> Option<Duration> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return None;
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    let mut millis: i64 = 0;
    let mut any = false;
    for (value, unit) in components(date, &['D'])? {
        any = true;
        millis = add(millis, value, unit_ms(unit, false)?)?;
    }
    if let Some(t) = time {
        for (value, unit) in components(t, &['H', 'M', 'S'])? {
            any = true;
            millis = add(millis, value, unit_ms(unit, true)?)?;
        }
    }
    if !any {
        return None;
    }
    Some(Duration::milliseconds(if negative {
        -millis
    } else {
        millis
    }))
}

/// The canonical text Graph echoes: `PT5H`, `P1DT2H`, `PT1H30M`, `PT0S`.
pub fn format(d: Duration) -> String {
    let mut ms = d.num_milliseconds();
    let sign = if ms < 0 { "-" } else { "" };
    ms = ms.saturating_abs();
    let days = ms / 86_400_000;
    let hours = (ms / 3_600_000) % 24;
    let minutes = (ms / 60_000) % 60;
    let seconds = (ms / 1000) % 60;
    let frac = ms % 1000;
    let mut out = format!("{sign}P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    let mut time = String::new();
    if hours > 0 {
        time.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        time.push_str(&format!("{minutes}M"));
    }
    if frac > 0 {
        let f = format!("{frac:03}");
        time.push_str(&format!("{seconds}.{}S", f.trim_end_matches('0')));
    } else if seconds > 0 {
        time.push_str(&format!("{seconds}S"));
    }
    if !time.is_empty() {
        out.push('T');
        out.push_str(&time);
    } else if days == 0 {
        out.push_str("T0S");
    }
    out
}

/// `(value in milliseconds before scaling, designator)` pairs, each designator at most once
/// and in the allowed order.
fn components(text: &str, allowed: &[char]) -> Option<Vec<(f64, char)>> {
    let mut out = Vec::new();
    let mut next_allowed = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let pos = allowed.iter().position(|a| *a == c)?;
        if pos < next_allowed || number.is_empty() || number.len() > 12 {
            return None;
        }
        // Only seconds may carry a fraction.
        if number.contains('.') && c != 'S' {
            return None;
        }
        if number.starts_with('.') || number.ends_with('.') || number.matches('.').count() > 1 {
            return None;
        }
        out.push((number.parse::<f64>().ok()?, c));
        number.clear();
        next_allowed = pos + 1;
    }
    number.is_empty().then_some(out)
}

fn unit_ms(unit: char, time: bool) -> Option<f64> {
    match (unit, time) {
        ('D', false) => Some(86_400_000.0),
        ('H', true) => Some(3_600_000.0),
        ('M', true) => Some(60_000.0),
        ('S', true) => Some(1000.0),
        _ => None,
    }
}

fn add(total: i64, value: f64, unit_ms: f64) -> Option<i64> {
    let ms = (value * unit_ms).round();
    // Ten thousand years is far beyond anything PIM accepts; refuse instead of overflowing.
    if !ms.is_finite() || ms > 3.2e14 {
        return None;
    }
    total.checked_add(ms as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_graph_accepts() {
        assert_eq!(parse("PT8H"), Some(Duration::hours(8)));
        assert_eq!(parse("PT90M"), Some(Duration::minutes(90)));
        assert_eq!(parse("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse("PT1.5S"), Some(Duration::milliseconds(1500)));
        assert_eq!(parse("-PT5M"), Some(Duration::minutes(-5)));
        assert_eq!(parse("PT0S"), Some(Duration::zero()));
    }

    #[test]
    fn refuses_everything_else_without_panicking() {
        for bad in [
            "",
            "P",
            "PT",
            "5H",
            "pt5h",
            "PT5",
            "PTH",
            "PT5X",
            "P1Y",
            "P1M",
            "P1W",
            "PT5H5H",
            "PT5M1H",
            "PT1.5H",
            "PT.5S",
            "PT5.S",
            "PT1..5S",
            "P1DT",
            "PT99999999999999H",
            "P1D2H",
            "PT5H ",
            "ＰT5H",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_canonically() {
        assert_eq!(format(Duration::hours(5)), "PT5H");
        assert_eq!(format(Duration::minutes(90)), "PT1H30M");
        assert_eq!(format(Duration::hours(26)), "P1DT2H");
        assert_eq!(format(Duration::days(2)), "P2D");
        assert_eq!(format(Duration::zero()), "PT0S");
        assert_eq!(format(Duration::milliseconds(1500)), "PT1.5S");
        assert_eq!(format(parse("PT300M").expect("valid")), "PT5H");
    }
}
