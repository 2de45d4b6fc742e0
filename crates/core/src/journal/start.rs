//! The header of a new segment: where it starts, what it links to, and why it was started.

use chrono::{SubsecRound, Utc};

use super::chain::{self, ChainKey, KeyMode};
use super::format::{segment_file_name, Header, Opened, Position};
use super::scan::{issue_segment, Scan, SegmentState};
use super::{mark, next, JournalError};
use crate::api::JournalIssue;

/// The header of the segment to start after `scan`: numbered and sequenced above everything
/// there (and above the high-water mark when the journal is `behind` it), linked to where
/// the journal had got, saying why it was started.
pub(super) fn new_header(
    scan: &Scan,
    clean_last: Option<&SegmentState>,
    behind: Option<&mark::Mark>,
    key: &ChainKey,
) -> Result<Header, JournalError> {
    let last = scan.segments.last();
    let (opened, note) = match (last, clean_last) {
        _ if behind.is_some() => (Opened::AfterProblem, None),
        (None, _) => (Opened::First, None),
        (Some(_), Some(g)) => (
            Opened::Continues,
            Some(format!(
                "Continues segment {} with a key kept {}.",
                g.number,
                kept(key)
            )),
        ),
        (Some(g), None) => (Opened::AfterProblem, Some(why_new(scan, g.number))),
    };
    let mut number = match last {
        None => 1,
        Some(g) => g.number.checked_add(1).ok_or_else(|| {
            JournalError(format!(
                "no number is left for a new segment after {}: move that file out of the journal folder",
                segment_file_name(g.number)
            ))
        })?,
    };
    let mut first_seq = next(scan.high_seq)?;
    let mut previous = match opened {
        Opened::First => None,
        Opened::Continues => scan.reached.clone(),
        Opened::AfterProblem => scan.reached.clone().map(|p| Position { mac: None, ..p }),
    };
    let mut note = note;
    if let Some(m) = behind {
        // Above the mark, linked to it: the gap stays visible for good (a missing file
        // or a cut segment), even once the mark has moved on.
        number = number.max(m.segment.saturating_add(1));
        first_seq = first_seq.max(m.seq.saturating_add(1));
        previous = Some(Position {
            segment: m.segment,
            seq: m.seq,
            mac: Some(m.mac.clone()),
        });
        note = Some(format!(
            "Started because the journal was behind its high-water mark: Elevate had recorded up to entry {} in {}, which is no longer there.",
            m.seq,
            segment_file_name(m.segment)
        ));
    }
    Ok(Header {
        format: chain::FORMAT.into(),
        install_id: key.install_id.clone(),
        segment: number,
        created: Utc::now().trunc_subsecs(3),
        genesis: chain::random_hex(),
        key_mode: key.mode,
        key: key.header_value(),
        first_seq,
        opened,
        previous,
        note,
    })
}

fn kept(key: &ChainKey) -> &'static str {
    match key.mode {
        KeyMode::CredentialStore => "in the credential store",
        KeyMode::File => "in this file (no credential store)",
    }
}

/// The header note of a segment started because the previous one could not be continued.
fn why_new(scan: &Scan, last: u32) -> String {
    let issue = scan
        .issues
        .iter()
        .find(|i| issue_segment(i) == last)
        .or(scan.issues.first());
    let why = match issue {
        Some(JournalIssue::TornTail { entry, .. }) => {
            format!("Elevate was interrupted while writing entry {entry}.")
        }
        Some(JournalIssue::Changed { entry, reason, .. }) => {
            format!("Changed or cut at entry {entry}: {reason}")
        }
        Some(JournalIssue::Foreign { reason, .. }) => reason.clone(),
        None => "it was written with a different key.".into(),
    };
    format!("Started because segment {last} could not be continued. {why}")
}
