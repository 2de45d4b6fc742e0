//! Verification: reads every segment, checks each seal and each chain link, and says where
//! the journal was changed, cut, torn by a crash, or is not ours. Never modifies a file.

use std::collections::BTreeSet;
use std::path::Path;

use crate::api::{JournalEntry, JournalIssue, JournalRow};

use super::chain::{unseal, ChainKey, KeyMode, Kind, FORMAT};
use super::format::{
    read_head, segment_file_name, segment_number, Head, Header, Position, HEAD_FORMAT,
};

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
    let Some(first) = lines.first().copied() else {
        return foreign(
            s,
            number,
            "It is empty or does not start with an Elevate journal header.",
        );
    };
    let Ok(first) = std::str::from_utf8(first) else {
        return foreign(s, number, "It is not an Elevate activity journal.");
    };
    let format = unseal(first)
        .and_then(|(body, _)| serde_json::from_str::<serde_json::Value>(&body).ok())
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(String::from));
    match format.as_deref() {
        Some(FORMAT) => {}
        Some(f) if f.starts_with("elevate-journal/") => {
            return foreign(s, number, "It was written by a newer version of Elevate.")
        }
        _ => return foreign(s, number, "It is not an Elevate activity journal."),
    }
    let (body, _) = unseal(first).expect("checked above");
    let Ok(header) = serde_json::from_str::<Header>(&body) else {
        return foreign(
            s,
            number,
            "Its header cannot be read by this version of Elevate.",
        );
    };
    let key = match header.key_mode {
        KeyMode::CredentialStore => match store {
            Some(k) if k.install_id == header.install_id => Some(k.clone()),
            Some(_) => None,
            None => {
                unverified_rows(number, &lines, &mut s.rows);
                return foreign(s, number, "Its key is in your system's credential store, which Elevate cannot open right now. It is checked again when the credential store is back.");
            }
        },
        KeyMode::File => header
            .key
            .as_deref()
            .and_then(ChainKey::from_header)
            .filter(|k| k.install_id == header.install_id),
    };
    let Some(key) = key else {
        unverified_rows(number, &lines, &mut s.rows);
        return foreign(s, number, "It was written by another installation of Elevate (another computer or user account), or before Elevate's key in the credential store was replaced.");
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
    let header_ok = match key.open(Kind::Header, first) {
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
    };
    let mut broken = !header_ok;
    let mut expected = header.first_seq;
    for (i, raw) in lines.iter().enumerate().skip(1) {
        let line_no = i as u32 + 1;
        let parsed = read_entry(raw);
        if !broken {
            if let Some(reason) = check_entry(&key, raw, parsed.as_ref(), expected, &st.last_mac) {
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

/// Missing segment files, and earlier segments that no longer reach where a later segment's
/// header says the journal had got.
fn check_links(s: &mut Scan, numbers: &BTreeSet<u32>) {
    // Up to the last segment that is ours: a stray `journal-4294967295.jsonl` proves no
    // deletion, and counting up to its number would never end.
    let Some(max) = s
        .segments
        .iter()
        .filter(|g| g.header.is_some())
        .map(|g| g.number)
        .max()
    else {
        return;
    };
    for n in 1..max {
        if !numbers.contains(&n) {
            let entry = s
                .segments
                .iter()
                .filter(|g| g.number < n && g.trusted())
                .map(|g| g.last_seq.saturating_add(1))
                .max()
                .unwrap_or(1);
            s.changed(
                n,
                entry,
                0,
                format!(
                    "The file {} is missing: the entries in it were deleted.",
                    segment_file_name(n)
                ),
            );
        }
    }
    let links: Vec<(u32, Position)> = s
        .segments
        .iter()
        .filter_map(|g| {
            g.header
                .as_ref()
                .and_then(|h| h.previous.clone())
                .map(|p| (g.number, p))
        })
        .collect();
    for (_, p) in links {
        cut_check(s, &p);
    }
}

/// Reports a cut when segment `p.segment` verifies to its end but ends before `p.seq`.
fn cut_check(s: &mut Scan, p: &Position) {
    let Some(g) = s.segment(p.segment) else {
        return;
    };
    if !g.trusted() || !g.intact {
        return;
    }
    let (number, last, line, last_mac) = (g.number, g.last_seq, g.last_line, g.last_mac.clone());
    if last < p.seq {
        let what = if last + 1 == p.seq {
            format!("Entry {} was", p.seq)
        } else {
            format!("Entries {}–{} were", last + 1, p.seq)
        };
        s.changed(
            number,
            last + 1,
            line + 1,
            format!("{what} removed from the end of segment {number}."),
        );
    } else if last == p.seq && p.mac.as_ref().is_some_and(|m| *m != last_mac) {
        s.changed(
            number,
            last,
            line,
            format!("Entry {last} at the end of segment {number} was replaced."),
        );
    }
}

fn check_head(dir: &Path, s: &mut Scan) {
    let last_trusted = s
        .segments
        .iter()
        .rev()
        .find(|g| g.trusted())
        .map(|g| (g.number, g.last_seq, g.last_line));
    let line = match read_head(dir) {
        Ok(Some(line)) => line,
        Ok(None) => {
            if let (true, Some((n, last, line))) = (s.rows.iter().any(|r| r.verified), last_trusted)
            {
                s.changed(n, last + 1, line + 1, format!("The journal's bookmark (head.json) was deleted, so Elevate cannot tell whether entries after entry {last} were deleted too."));
            }
            return;
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the journal bookmark");
            return;
        }
    };
    let head = unseal(&line)
        .and_then(|(body, _)| serde_json::from_str::<Head>(&body).ok())
        .filter(|h| h.format == HEAD_FORMAT);
    let bookmark_changed = |s: &mut Scan| {
        if let Some((n, last, line)) = last_trusted {
            s.changed(n, last + 1, line + 1, "The journal's bookmark (head.json) was changed, so Elevate cannot tell whether entries were deleted from the end.".into());
        }
    };
    let Some(head) = head else {
        return bookmark_changed(s);
    };
    let Some(g) = s.segment(head.segment) else {
        if s.segments.last().is_none_or(|g| g.number < head.segment) {
            let entry = last_trusted.map_or(1, |(_, last, _)| last + 1);
            s.changed(
                head.segment,
                entry,
                0,
                format!(
                    "The file {} is missing: it held the entries up to entry {}.",
                    segment_file_name(head.segment),
                    head.seq
                ),
            );
        }
        return;
    };
    let Some(key) = g.key.clone() else { return };
    if head.install_id != key.install_id || key.open(Kind::Head, &line).is_err() {
        return bookmark_changed(s);
    }
    s.high_seq = s.high_seq.max(head.seq);
    s.head = Some((head.segment, head.seq));
    cut_check(
        s,
        &Position {
            segment: head.segment,
            seq: head.seq,
            mac: None,
        },
    );
}

/// The furthest point of the journal: the last trusted segment's last entry, or further
/// when the bookmark says so (a cut must stay visible after the next segment starts).
fn reached(s: &Scan) -> Option<Position> {
    let g = s.segments.iter().rev().find(|g| g.trusted())?;
    let seq = match s.head {
        Some((segment, seq)) if segment == g.number => seq.max(g.last_seq),
        _ => g.last_seq,
    };
    let clean = g.intact && !g.torn && seq == g.last_seq;
    Some(Position {
        segment: g.number,
        seq,
        mac: clean.then(|| g.last_mac.clone()),
    })
}
