//! The `$filter` tokenizer: punctuation, `'strings'` (`''` escapes a quote), numbers, words,
//! and GUIDs written without quotes (which would otherwise read as a number or a word).

use super::filter::MAX_TOKENS;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Open,
    Close,
    Comma,
    Colon,
    Slash,
    Str(String),
    Num(f64),
    Word(String),
}

pub(super) fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if out.len() > MAX_TOKENS {
            return Err("The $filter is too long.".into());
        }
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'(' | b')' | b',' | b':' | b'/' => {
                out.push(match c {
                    b'(' => Tok::Open,
                    b')' => Tok::Close,
                    b',' => Tok::Comma,
                    b':' => Tok::Colon,
                    _ => Tok::Slash,
                });
                i += 1;
            }
            b'\'' => {
                let mut v = String::new();
                i += 1;
                loop {
                    let Some(&ch) = b.get(i) else {
                        return Err("Unterminated string literal.".into());
                    };
                    if ch == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            v.push('\'');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    let len = utf8_len(ch);
                    v.push_str(
                        s.get(i..i + len)
                            .ok_or("Invalid character in string literal.")?,
                    );
                    i += len;
                }
                out.push(Tok::Str(v));
            }
            _ if is_guid_at(b, i) => {
                out.push(Tok::Str(s[i..i + 36].to_ascii_lowercase()));
                i += 36;
            }
            b'0'..=b'9' | b'-' => {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                let n = s[start..i]
                    .parse::<f64>()
                    .map_err(|_| format!("Invalid number '{}'.", &s[start..i]))?;
                out.push(Tok::Num(n));
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c == b'@' => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'.'
                        || b[i] == b'@')
                {
                    i += 1;
                }
                out.push(Tok::Word(s[start..i].to_string()));
            }
            _ => {
                return Err(format!(
                    "Unexpected character '{}' in $filter.",
                    s[i..].chars().next().unwrap_or('?')
                ))
            }
        }
    }
    Ok(out)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

fn is_guid_at(b: &[u8], i: usize) -> bool {
    let Some(w) = b.get(i..i + 36) else {
        return false;
    };
    let shape = w.iter().enumerate().all(|(k, c)| {
        if [8, 13, 18, 23].contains(&k) {
            *c == b'-'
        } else {
            c.is_ascii_hexdigit()
        }
    });
    let ends = b
        .get(i + 36)
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
    shape && ends
}
