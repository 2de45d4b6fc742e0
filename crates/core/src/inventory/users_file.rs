//! Users files for the clean-up: the PowerShell sample's format (one UPN per line, no
//! header) or a CSV with a UPN column, in UTF-8 or UTF-16, with or without a byte order
//! mark. Every unusable row is reported with its line; the good rows stay usable.

use crate::api::{RowProblem, UsersFile};

/// Entra's limit for a user principal name.
const MAX_UPN: usize = 113;
/// A file this large is not a users list.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

const UPN_HEADERS: [&str; 5] = [
    "upn",
    "userprincipalname",
    "user principal name",
    "user name",
    "username",
];

fn decode(bytes: &[u8]) -> String {
    let utf16 = |b: &[u8], le: bool| {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Why `s` is not a user principal name, or None.
pub fn upn_problem(s: &str) -> Option<&'static str> {
    if s.len() > MAX_UPN {
        return Some("Too long for a user principal name (at most 113 characters).");
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Some("Not a user principal name: it has no @ (expected name@contoso.com).");
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+'!#$%&*/=?^`{|}~".contains(c));
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    (!local_ok || !domain_ok).then_some("Not a user principal name (expected name@contoso.com).")
}

fn delimiter(line: &str) -> Option<u8> {
    [b',', b';', b'\t']
        .into_iter()
        .find(|d| line.as_bytes().contains(d))
}

pub fn parse(bytes: &[u8], file_name: Option<String>) -> UsersFile {
    let text = decode(bytes);
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let mut out = UsersFile {
        file_name,
        upns: vec![],
        problems: vec![],
    };
    let first = lines.iter().position(|l| !l.trim().is_empty());
    // A CSV: the first non-empty line is a header with a UPN column.
    let column = first.and_then(|i| {
        let d = delimiter(lines[i])?;
        let header: Vec<String> = split(lines[i], d)
            .into_iter()
            .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        Some((
            i,
            d,
            header
                .iter()
                .position(|h| UPN_HEADERS.contains(&h.as_str())),
        ))
    });
    if let Some((i, _, None)) = column {
        out.problems.push(RowProblem {
            line: i as u32 + 1,
            text: lines[i].chars().take(200).collect(),
            problem: "This looks like a CSV, but no column is named UPN or UserPrincipalName."
                .into(),
        });
        return out;
    }
    for (n, raw) in lines.iter().enumerate() {
        let line = n as u32 + 1;
        if let Some((header, _, _)) = column {
            if n <= header && raw.trim().is_empty() || n == header {
                continue;
            }
        }
        let cell = match column {
            Some((_, d, Some(col))) => split(raw, d).get(col).cloned().unwrap_or_default(),
            _ => raw.to_string(),
        };
        let value = cell.trim().trim_matches('"').trim().to_string();
        let problem = |p: &str| RowProblem {
            line,
            text: raw.chars().take(200).collect(),
            problem: p.into(),
        };
        if value.is_empty() {
            if !raw.trim().is_empty() {
                out.problems
                    .push(problem("No user principal name in this row."));
            } else if n + 1 < lines.len() {
                out.problems.push(problem("Empty line (ignored)."));
            }
            continue;
        }
        if value.contains('\u{FFFD}') {
            out.problems.push(problem(
                "Not readable text: save the file as UTF-8 or UTF-16 and import it again.",
            ));
            continue;
        }
        if let Some(p) = upn_problem(&value) {
            out.problems.push(problem(p));
            continue;
        }
        let upn = value.to_ascii_lowercase();
        if out.upns.contains(&upn) {
            out.problems
                .push(problem("Listed twice (the second one is ignored)."));
            continue;
        }
        out.upns.push(upn);
    }
    out
}

/// Reads a users file the admin picked (never more than `MAX_BYTES`).
pub fn read(path: &std::path::Path) -> Result<UsersFile, crate::api::ApiError> {
    use crate::api::{ApiError, ErrorCode};
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let meta = std::fs::metadata(path).map_err(|e| {
        ApiError::new(ErrorCode::InvalidInput, "Elevate could not open that file.")
            .with_detail(e.to_string())
    })?;
    if meta.len() as usize > MAX_BYTES {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "That file is too large for a users list (over 5 MB).",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        ApiError::new(ErrorCode::InvalidInput, "Elevate could not read that file.")
            .with_detail(e.to_string())
    })?;
    Ok(parse(&bytes, name))
}

fn split(line: &str, d: u8) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(d)
        .flexible(true)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(f: &UsersFile) -> Vec<(u32, &str)> {
        f.problems
            .iter()
            .map(|p| (p.line, p.problem.as_str()))
            .collect()
    }

    #[test]
    fn the_sample_modules_format_with_every_kind_of_bad_row() {
        let text = "\u{FEFF}MeganB@contoso.onmicrosoft.com\r\n\r\nlee@contoso.com\nnot-an-upn\nmeganb@contoso.onmicrosoft.com\n  isaiah@contoso.com  \n";
        let f = parse(text.as_bytes(), None);
        assert_eq!(
            f.upns,
            [
                "meganb@contoso.onmicrosoft.com",
                "lee@contoso.com",
                "isaiah@contoso.com"
            ]
        );
        let p = problems(&f);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0].0, 2);
        assert!(p[0].1.starts_with("Empty line"));
        assert_eq!(p[1].0, 4);
        assert!(p[1].1.contains("no @"));
        assert_eq!(p[2].0, 5);
        assert!(p[2].1.contains("twice"));
    }

    #[test]
    fn utf16_and_csv_with_a_upn_column() {
        let text = "Name;UserPrincipalName;Dept\n\"Gu, Lee\";lee@contoso.com;IT\nMiriam;;HR\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let f = parse(&bytes, Some("users.csv".into()));
        assert_eq!(f.upns, ["lee@contoso.com"]);
        assert_eq!(problems(&f), [(3, "No user principal name in this row.")]);

        let no_column = parse(b"Name,Mail\nLee,lee@contoso.com\n", None);
        assert!(no_column.upns.is_empty());
        assert!(no_column.problems[0].problem.contains("no column"));
    }

    #[test]
    fn bad_bytes_are_reported_not_guessed() {
        let f = parse(b"ok@contoso.com\nj\xF6rg@contoso.com\n", None);
        assert_eq!(f.upns, ["ok@contoso.com"]);
        assert!(f.problems[0].problem.contains("UTF-8"));
        assert!(upn_problem(&format!("{}@contoso.com", "a".repeat(120))).is_some());
        assert!(upn_problem("a b@contoso.com").is_some());
        assert!(upn_problem("ab@contoso").is_some());
        assert!(upn_problem("o'neil@contoso.com").is_none());
    }
}
