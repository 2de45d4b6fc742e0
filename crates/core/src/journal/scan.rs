//! Verification: reads every segment, checks each seal and each chain link, and says where
//! the journal was changed, cut, torn by a crash, or is not ours. Never modifies a file.

use std::collections::BTreeSet;
use std::path::Path;

use crate::api::{JournalEntry, JournalIssue, JournalRow};

use super::chain::{unseal, ChainKey, KeyMode, Kind, FORMAT};
use super::format::{segment_file_name, segment_number, Header, Position};
use links::{check_head, check_links, reached};

mod links;

/// What verification learnt about one segment file.
pub(crate) struct SegmentState {
    pub number: u32,
    /// Set when the segment is ours and its key is at hand (store key, or its header's).
    pub key: Option<ChainKey>,
    /// Set when the header is sealed, ours, and names this file.
    pub header: Option<Header>,
    /// The chain holds from the header through the last complete line.
    pub intact: bool,
    /// The last line has no `\n`: the writer stopped while writing it.
    pub torn: bool,
    /// The last verified entry (`first_seq - 1` and the header's MAC when there is none).
    pub last_seq: u32,
    pub last_mac: String,
    pub last_line: u32,
}

impl SegmentState {
    fn trusted(&self) -> bool {
        self.key.is_some() && self.header.is_some()
    }
}

#[derive(Default)]
pub(crate) struct Scan {
    pub segments: Vec<SegmentState>,
    /// Every readable entry, in journal order.
    pub rows: Vec<JournalRow>,
    pub issues: Vec<JournalIssue>,
    /// The highest seq used, bookmarked or being written: the next segment starts above it.
    pub high_seq: u32,
    /// How far the journal verifiably got (for the next segment's `previous`).
    pub reached: Option<Position>,
    /// The bookmark, when it is sealed by its segment's key: (segment, seq).
    head: Option<(u32, u32)>,
}

impl Scan {
    pub fn segment(&self, number: u32) -> Option<&SegmentState> {
        self.segments.iter().find(|s| s.number == number)
    }

    pub fn verified_entries(&self) -> u32 {
        self.rows.iter().filter(|r| r.verified).count() as u32
    }

    fn push(&mut self, issue: JournalIssue) {
        if !self.issues.contains(&issue) {
            self.issues.push(issue);
        }
    }

    fn changed(&mut self, segment: u32, entry: u32, line: u32, reason: String) {
        let already = self.issues.iter().any(|i| matches!(i, JournalIssue::Changed { segment: s, entry: e, .. } if *s == segment && *e == entry));
        if !already {
            self.push(JournalIssue::Changed {
                segment,
                entry,
                line,
                reason,
            });
        }
    }
}

pub(crate) fn issue_segment(i: &JournalIssue) -> u32 {
    match i {
        JournalIssue::Changed { segment, .. }
        | JournalIssue::TornTail { segment, .. }
        | JournalIssue::Foreign { segment, .. } => *segment,
    }
}

/// Reads and checks the whole journal in `dir`. `store` is this installation's key.
pub(crate) fn scan(dir: &Path, store: Option<&ChainKey>) -> Scan {
    let mut s = Scan::default();
    let mut numbers = BTreeSet::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => numbers.extend(
            entries
                .flatten()
                .filter_map(|e| segment_number(&e.file_name().to_string_lossy())),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => tracing::warn!(error = %e, "cannot list the journal folder"),
    }
    for &n in &numbers {
        let state = match std::fs::read(dir.join(segment_file_name(n))) {
            Ok(bytes) => scan_segment(n, &bytes, store, &mut s),
            Err(e) => {
                s.push(JournalIssue::Foreign {
                    segment: n,
                    reason: format!("The file cannot be read ({e})."),
                });
                untrusted(n)
            }
        };
        s.high_seq = s.high_seq.max(state.last_seq);
        if let Some(h) = &state.header {
            s.high_seq = s
                .high_seq
                .max(h.first_seq.saturating_sub(1))
                .max(h.previous.as_ref().map_or(0, |p| p.seq));
        }
        s.segments.push(state);
    }
    check_links(&mut s, &numbers);
    check_head(dir, &mut s);
    s.reached = reached(&s);
    s.issues.sort_by_key(|i| match i {
        JournalIssue::Changed { segment, entry, .. } => (0, *segment, *entry),
        JournalIssue::Foreign { segment, .. } => (1, *segment, 0),
        JournalIssue::TornTail { segment, entry } => (2, *segment, *entry),
    });
    s
}

fn untrusted(number: u32) -> SegmentState {
    SegmentState {
        number,
        key: None,
        header: None,
        intact: false,
        torn: false,
        last_seq: 0,
        last_mac: String::new(),
        last_line: 0,
    }
}

fn foreign(s: &mut Scan, number: u32, reason: &str) -> SegmentState {
    s.push(JournalIssue::Foreign {
        segment: number,
        reason: reason.to_string(),
    });
    untrusted(number)
}

/// An entry line's content, without checking its seal.
fn read_entry(line: &[u8]) -> Option<(JournalEntry, String)> {
    let (body, mac) = unseal(std::str::from_utf8(line).ok()?)?;
    Some((serde_json::from_str(&body).ok()?, mac.to_string()))
}

fn scan_segment(number: u32, bytes: &[u8], store: Option<&ChainKey>, s: &mut Scan) -> SegmentState {
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    // Every line Elevate writes ends with `\n`; anything after the last one was being
    // written when the process stopped.
    let torn_piece = lines.pop().filter(|p| !p.is_empty());
    let (first, header, key) = match open_segment(number, &lines, store, s) {
        Ok(opened) => opened,
        Err(state) => return *state,
    };
    let mut st = SegmentState {
        number,
        key: Some(key.clone()),
        header: None,
        intact: true,
        torn: false,
        last_seq: header.first_seq.saturating_sub(1),
        last_mac: String::new(),
        last_line: 1,
    };
    let header_ok = check_header(number, first, &header, &key, &mut st, s);
    let (broken, expected) = scan_entries(number, &lines, &key, &header, !header_ok, &mut st, s);
    if torn_piece.is_some() && !broken {
        st.torn = true;
        s.high_seq = s.high_seq.max(expected);
        s.push(JournalIssue::TornTail {
            segment: number,
            entry: expected,
        });
    }
    st.intact = !broken;
    st.header = header_ok.then_some(header);
    st
}

/// The segment's first line, its header and the key its chain is sealed with; or, when it
/// is not a segment this installation can check, its state with the reason reported.
fn open_segment<'l>(
    number: u32,
    lines: &[&'l [u8]],
    store: Option<&ChainKey>,
    s: &mut Scan,
) -> Result<(&'l str, Header, ChainKey), Box<SegmentState>> {
    let Some(first) = lines.first().copied() else {
        return Err(Box::new(foreign(
            s,
            number,
            "It is empty or does not start with an Elevate journal header.",
        )));
    };
    let Ok(first) = std::str::from_utf8(first) else {
        return Err(Box::new(foreign(
            s,
            number,
            "It is not an Elevate activity journal.",
        )));
    };
    let format = unseal(first)
        .and_then(|(body, _)| serde_json::from_str::<serde_json::Value>(&body).ok())
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(String::from));
    match format.as_deref() {
        Some(FORMAT) => {}
        Some(f) if f.starts_with("elevate-journal/") => {
            return Err(Box::new(foreign(
                s,
                number,
                "It was written by a newer version of Elevate.",
            )))
        }
        _ => {
            return Err(Box::new(foreign(
                s,
                number,
                "It is not an Elevate activity journal.",
            )))
        }
    }
    let (body, _) = unseal(first).expect("checked above");
    let Ok(header) = serde_json::from_str::<Header>(&body) else {
        return Err(Box::new(foreign(
            s,
            number,
            "Its header cannot be read by this version of Elevate.",
        )));
    };
    let key = match header.key_mode {
        KeyMode::CredentialStore => match store {
            Some(k) if k.install_id == header.install_id => Some(k.clone()),
            Some(_) => None,
            None => {
                unverified_rows(number, lines, &mut s.rows);
                return Err(Box::new(foreign(s, number, "Its key is in your system's credential store, which Elevate cannot open right now. It is checked again when the credential store is back.")));
            }
        },
        KeyMode::File => header
            .key
            .as_deref()
            .and_then(ChainKey::from_header)
            .filter(|k| k.install_id == header.install_id),
    };
    let Some(key) = key else {
        unverified_rows(number, lines, &mut s.rows);
        return Err(Box::new(foreign(s, number, "It was written by another installation of Elevate (another computer or user account), or before Elevate's key in the credential store was replaced.")));
    };
    Ok((first, header, key))
}

/// Whether the header is sealed with `key` and names this segment; the chain starts at its MAC.
fn check_header(
    number: u32,
    first: &str,
    header: &Header,
    key: &ChainKey,
    st: &mut SegmentState,
    s: &mut Scan,
) -> bool {
    match key.open(Kind::Header, first) {
        Ok((_, mac)) if header.segment == number => {
            st.last_mac = mac.to_string();
            true
        }
        Ok(_) => {
            s.changed(
                number,
                header.first_seq,
                1,
                format!(
                    "This file was renamed: its header says it is segment {}.",
                    header.segment
                ),
            );
            false
        }
        Err(_) => {
            s.changed(
                number,
                header.first_seq,
                1,
                "The segment's header was changed.".into(),
            );
            false
        }
    }
}

/// Every entry line after the header, as rows (verified up to the first break in the
/// chain). Returns whether the chain broke and the next seq expected.
fn scan_entries(
    number: u32,
    lines: &[&[u8]],
    key: &ChainKey,
    header: &Header,
    mut broken: bool,
    st: &mut SegmentState,
    s: &mut Scan,
) -> (bool, u32) {
    let mut expected = header.first_seq;
    for (i, raw) in lines.iter().enumerate().skip(1) {
        let line_no = i as u32 + 1;
        let parsed = read_entry(raw);
        if !broken {
            if let Some(reason) = check_entry(key, raw, parsed.as_ref(), expected, &st.last_mac) {
                broken = true;
                s.changed(number, expected, line_no, reason);
            }
        }
        if let Some((entry, mac)) = parsed {
            if !broken {
                st.last_seq = entry.seq;
                st.last_mac = mac.clone();
                st.last_line = line_no;
                expected += 1;
            }
            s.rows.push(JournalRow {
                segment: number,
                line: line_no,
                verified: !broken,
                mac,
                entry,
            });
        }
    }
    (broken, expected)
}

/// Why the entry on this line breaks the chain, or `None` when it is the expected next link.
fn check_entry(
    key: &ChainKey,
    raw: &[u8],
    parsed: Option<&(JournalEntry, String)>,
    expected: u32,
    prev: &str,
) -> Option<String> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return Some(format!(
            "Entry {expected} was changed: its line is no longer text Elevate wrote."
        ));
    };
    if unseal(text).is_none() {
        return Some(format!(
            "Entry {expected} was changed or replaced: its line is not an entry Elevate wrote."
        ));
    }
    if key.open(Kind::Entry, text).is_err() {
        return Some(format!(
            "Entry {expected} was changed after it was written."
        ));
    }
    let Some((entry, _)) = parsed else {
        return Some(format!(
            "Entry {expected} cannot be read by this version of Elevate."
        ));
    };
    if entry.seq == expected && entry.prev == prev {
        None
    } else if entry.seq > expected {
        Some(if entry.seq == expected + 1 {
            format!("Entry {expected} is not where it belongs: it was deleted or moved.")
        } else {
            format!(
                "Entries {expected}–{} are not where they belong: they were deleted or moved.",
                entry.seq - 1
            )
        })
    } else if entry.seq < expected {
        Some(format!(
            "Entries are out of order: entry {} comes after entry {}.",
            entry.seq,
            expected - 1
        ))
    } else {
        Some(format!("Entry {expected} does not follow the entry before it: entries were removed, reordered or copied in."))
    }
}

fn unverified_rows(number: u32, lines: &[&[u8]], rows: &mut Vec<JournalRow>) {
    for (i, raw) in lines.iter().enumerate().skip(1) {
        if let Some((entry, mac)) = read_entry(raw) {
            rows.push(JournalRow {
                segment: number,
                line: i as u32 + 1,
                verified: false,
                mac,
                entry,
            });
        }
    }
}
