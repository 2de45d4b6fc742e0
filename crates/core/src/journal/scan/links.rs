//! The checks across segments: none missing, each reaching where the next one says the
//! journal had got, and the bookmark (`head.json`) not ahead of what is there.

use std::collections::BTreeSet;
use std::path::Path;

use super::Scan;
use crate::journal::chain::{unseal, Kind};
use crate::journal::format::{read_head, segment_file_name, Head, Position, HEAD_FORMAT};

/// Missing segment files, and earlier segments that no longer reach where a later segment's
/// header says the journal had got.
pub(super) fn check_links(s: &mut Scan, numbers: &BTreeSet<u32>) {
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

pub(super) fn check_head(dir: &Path, s: &mut Scan) {
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
pub(super) fn reached(s: &Scan) -> Option<Position> {
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
