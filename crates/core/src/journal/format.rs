//! The files in `journal/`: segments `journal-0001.jsonl`, … (a header line, then one entry
//! per line) and `head.json` (the bookmark: how far the journal had got).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::chain::KeyMode;

pub(crate) const HEAD_FILE: &str = "head.json";
pub(crate) const HEAD_FORMAT: &str = "elevate-journal-head/1";

pub(crate) fn segment_file_name(number: u32) -> String {
    format!("journal-{number:04}.jsonl")
}

/// `journal-0012.jsonl` → 12.
pub(crate) fn segment_number(file_name: &str) -> Option<u32> {
    let digits = file_name.strip_prefix("journal-")?.strip_suffix(".jsonl")?;
    if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Why a segment was started; sealed in its header, so it cannot be rewritten later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Opened {
    /// No journal existed.
    First,
    /// The previous segment ended cleanly (e.g. the key moved into the credential store).
    Continues,
    /// The previous segment could not be continued: torn, changed, cut, foreign.
    AfterProblem,
}

/// A place in the journal: entry `seq` of segment `segment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Position {
    pub segment: u32,
    pub seq: u32,
    /// The MAC of that entry, when the previous segment was intact to its end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// The first line of a segment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Header {
    pub format: String,
    pub install_id: String,
    pub segment: u32,
    pub created: DateTime<Utc>,
    /// A random seed: the first entry chains to the header's MAC, which covers it.
    pub genesis: String,
    pub key_mode: KeyMode,
    /// Only in `file` key mode (no credential store): the key itself, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The seq the first entry of this segment has.
    pub first_seq: u32,
    pub opened: Opened,
    /// How far the journal had got when this segment was started. Verification checks the
    /// earlier segment still reaches it, so a cut before a new segment stays visible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Position>,
    /// Plain words for whoever opens the file, e.g. why the segment was started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `head.json`: rewritten atomically after every append. Without it, deleting the last
/// lines of the journal would leave a valid, shorter chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Head {
    pub format: String,
    pub install_id: String,
    pub segment: u32,
    /// The last entry reported done (`first_seq - 1` for a segment without entries yet).
    pub seq: u32,
}

/// `Ok(None)` when there is no head file.
pub(crate) fn read_head(dir: &Path) -> std::io::Result<Option<String>> {
    match std::fs::read(dir.join(HEAD_FILE)) {
        Ok(b) => Ok(Some(
            String::from_utf8_lossy(&b)
                .trim_end_matches('\n')
                .to_string(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_names() {
        assert_eq!(segment_file_name(3), "journal-0003.jsonl");
        assert_eq!(segment_file_name(12345), "journal-12345.jsonl");
        assert_eq!(segment_number("journal-0003.jsonl"), Some(3));
        assert_eq!(segment_number("journal-12345.jsonl"), Some(12345));
        for other in [
            "journal-3.jsonl",
            "journal-0000.jsonl",
            "journal-00a1.jsonl",
            ".journal-0001.jsonl.tmp",
            "head.json",
        ] {
            assert_eq!(segment_number(other), None, "{other}");
        }
    }
}
