//! Property tests of the journal's reader (issue #17, point 17): segment lines and
//! `head.json` changed in every way, including lines sealed again with the real key so the
//! cases reach past the MAC into the header, entry and bookmark readers. Verifying never
//! modifies a file; the next entry still gets written, or fails with a plain error. Here
//! rather than in `crate::fuzz` because sealing is private to this module.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::Value;

use super::chain::{unseal, ChainKey, Kind};
use super::format::{segment_file_name, HEAD_FILE};
use super::*;
use crate::api::{
    JournalAccount, JournalAction, JournalResult, JournalTarget, JournalTargetKind, JournalTenant,
    TenantKind,
};
use crate::cache::{KeyStore, MemoryKeyStore};
use crate::fuzz::json::{apply_all, changes, Weird};
use crate::fuzz::{bytes, check, plain, snapshot};

fn record(i: u32) -> Record {
    let mut r = Record::new(
        JournalAction::SelfElevate,
        JournalTenant {
            kind: TenantKind::Demo,
            id: "tid".into(),
        },
        JournalResult::succeeded(),
    );
    r.account = Some(JournalAccount {
        name: "Adele Vance".into(),
        upn: "adele@contoso.onmicrosoft.com".into(),
        oid: "oid-1".into(),
    });
    r.target = Some(JournalTarget {
        kind: JournalTargetKind::Environment,
        id: format!("env-{i}"),
        name: format!("Sales {i}"),
    });
    r
}

/// One change to the files of a journal of three entries.
#[derive(Debug, Clone)]
enum Change {
    /// Line `line` of segment 1 (0 is the header) or `head.json` (`line` None), its JSON
    /// changed and sealed again with the journal's own key.
    Reseal {
        line: Option<usize>,
        changes: Vec<(usize, Weird)>,
    },
    /// Segment 1 or `head.json` cut at a point.
    Cut { head: bool, at: usize },
    /// Bytes of segment 1 or `head.json` overwritten.
    Overwrite {
        head: bool,
        at: usize,
        with: Vec<u8>,
    },
    /// Another segment file with anything in it.
    Segment { number: u32, content: Vec<u8> },
    /// A line taken out of segment 1.
    DropLine(usize),
    /// `head.json` gone.
    NoHead,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (proptest::option::of(0usize..4), changes())
            .prop_map(|(line, changes)| Change::Reseal { line, changes }),
        1 => (any::<bool>(), any::<usize>()).prop_map(|(head, at)| Change::Cut { head, at }),
        1 => (any::<bool>(), any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(head, at, with)| Change::Overwrite { head, at, with }),
        1 => (prop_oneof![Just(0u32), 2..4u32, Just(9999), Just(u32::MAX)], bytes())
            .prop_map(|(number, content)| Change::Segment { number, content }),
        1 => (0usize..4).prop_map(Change::DropLine),
        1 => Just(Change::NoHead),
    ]
}

fn apply(dir: &std::path::Path, key: &ChainKey, c: &Change) {
    let seg = dir.join(segment_file_name(1));
    let head = dir.join(HEAD_FILE);
    let path = |h: bool| if h { head.clone() } else { seg.clone() };
    match c {
        Change::Reseal { line, changes } => {
            let (file, kind, n) = match line {
                None => (head.clone(), Kind::Head, 0),
                Some(0) => (seg.clone(), Kind::Header, 0),
                Some(n) => (seg.clone(), Kind::Entry, *n),
            };
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            let Some(old) = lines.get(n) else { return };
            let Some((body, _)) = unseal(old) else { return };
            let Ok(mut v) = serde_json::from_str::<Value>(&body) else {
                return;
            };
            apply_all(&mut v, changes);
            lines[n] = match &v {
                Value::Object(o) if !o.is_empty() => key.seal(kind, &v).0,
                other => other.to_string(),
            };
            std::fs::write(&file, lines.join("\n")).unwrap();
        }
        Change::Cut { head, at } => {
            let mut b = std::fs::read(path(*head)).unwrap_or_default();
            b.truncate(at % (b.len() + 1));
            std::fs::write(path(*head), b).unwrap();
        }
        Change::Overwrite { head, at, with } => {
            let mut b = std::fs::read(path(*head)).unwrap_or_default();
            if b.is_empty() {
                return;
            }
            let at = at % b.len();
            for (i, x) in with.iter().enumerate() {
                if let Some(slot) = b.get_mut(at + i) {
                    *slot = *x;
                }
            }
            std::fs::write(path(*head), b).unwrap();
        }
        Change::Segment { number, content } => {
            std::fs::write(dir.join(segment_file_name(*number)), content).unwrap();
        }
        Change::DropLine(n) => {
            let text = std::fs::read_to_string(&seg).unwrap_or_default();
            let mut lines: Vec<&str> = text.split('\n').collect();
            if *n < lines.len() {
                lines.remove(*n);
            }
            std::fs::write(&seg, lines.join("\n")).unwrap();
        }
        Change::NoHead => {
            let _ = std::fs::remove_file(&head);
        }
    }
}

#[test]
fn fuzz_journal_files() {
    // One real journal of three entries, copied for each case (writing it costs fsyncs).
    let template = tempfile::tempdir().unwrap();
    let keys: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::default());
    {
        let j = Journal::open(template.path(), keys.clone());
        for i in 1..=3 {
            j.append(record(i)).unwrap();
        }
    }
    let files = snapshot(template.path());
    check(
        "journal segments and head.json",
        proptest::collection::vec(change(), 1..4),
        move |changes| {
            let dir = tempfile::tempdir().unwrap();
            for (name, bytes) in files.iter().filter(|(n, _)| !n.is_empty()) {
                std::fs::write(dir.path().join(name), bytes).unwrap();
            }
            let key = ChainKey::from_store(keys.as_ref()).expect("the journal made its key");
            for c in &changes {
                apply(dir.path(), &key, c);
            }
            let before = snapshot(dir.path());
            let j = Journal::open(dir.path(), keys.clone());
            let health = j.verify();
            let _ = j.page(&JournalFilter::default());
            prop_assert_eq!(snapshot(dir.path()), before, "verifying changed a file");
            for issue in &health.issues {
                match issue {
                    JournalIssue::Changed { reason, .. } | JournalIssue::Foreign { reason, .. } => {
                        plain("journal issue", reason)?
                    }
                    JournalIssue::TornTail { .. } => {}
                }
            }
            // Whatever was found, the next action is still recorded (in a new segment when
            // the last one cannot be continued), or refused in words.
            match j.append(record(4)) {
                Ok(row) => {
                    let page =
                        Journal::open(dir.path(), keys.clone()).page(&JournalFilter::default());
                    prop_assert!(
                        page.rows.iter().any(|r| r.mac == row.mac && r.verified),
                        "the entry just written does not verify"
                    );
                }
                Err(e) => plain("journal write error", &ApiError::from(e).message)?,
            }
            Ok(())
        },
    );
}

// What the fuzzing found, kept as plain tests.

fn journal_of_two() -> (tempfile::TempDir, Arc<dyn KeyStore>) {
    let dir = tempfile::tempdir().unwrap();
    let keys: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::default());
    let j = Journal::open(dir.path(), keys.clone());
    j.append(record(1)).unwrap();
    j.append(record(2)).unwrap();
    (dir, keys)
}

#[test]
fn a_stray_segment_file_is_foreign_not_proof_of_deleted_segments() {
    // Verification counted up to any file's number: `journal-4294967295.jsonl` never ended.
    let (dir, keys) = journal_of_two();
    std::fs::write(dir.path().join(segment_file_name(50)), b"not ours\n").unwrap();
    let h = Journal::open(dir.path(), keys.clone()).verify();
    assert!(
        h.issues
            .iter()
            .any(|i| matches!(i, JournalIssue::Foreign { segment: 50, .. })),
        "{h:?}"
    );
    assert!(
        !h.issues.iter().any(
            |i| matches!(i, JournalIssue::Changed { reason, .. } if reason.contains("missing"))
        ),
        "{h:?}"
    );
}

#[test]
fn no_number_left_for_a_segment_or_an_entry_is_an_error_not_a_crash() {
    let (dir, keys) = journal_of_two();
    std::fs::write(dir.path().join(segment_file_name(u32::MAX)), b"x\n").unwrap();
    let j = Journal::open(dir.path(), keys.clone());
    assert_eq!(j.verify().entries, 2);
    let e = j.append(record(3)).unwrap_err();
    assert!(e.to_string().contains("journal-4294967295.jsonl"), "{e}");

    // A bookmark sealed with the journal's key (in `file` mode the key is in the header)
    // that claims the highest seq.
    let (dir, keys) = journal_of_two();
    let key = ChainKey::from_store(keys.as_ref()).unwrap();
    write_head(dir.path(), &key, 1, u32::MAX).unwrap();
    let j = Journal::open(dir.path(), keys.clone());
    assert!(!j.verify().issues.is_empty());
    let e = j.append(record(3)).unwrap_err();
    plain("journal write error", &ApiError::from(e).message).unwrap();
}
