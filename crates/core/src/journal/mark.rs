//! The high-water mark: how far this installation's journal had got (segment, seq and the
//! MAC of that entry), kept in the OS credential store beside the journal key, out of reach
//! of whoever can only change files. Deleting every segment and `head.json`, or putting an
//! older copy of the folder back, leaves a journal that verifies on its own; the mark tells
//! that it is behind where it was.

use serde::{Deserialize, Serialize};

use crate::api::JournalIssue;
use crate::cache::KeyStore;

use super::chain::{ChainKey, KeyMode, Kind};
use super::format::segment_file_name;
use super::scan::Scan;

const MARK_FORMAT: &str = "elevate-journal-mark/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Mark {
    format: String,
    install_id: String,
    pub segment: u32,
    pub seq: u32,
    pub mac: String,
}

/// The mark for this installation's key, if one was written. Only a credential-store key
/// has one (without a store there is nowhere safe to keep it).
pub(crate) fn read(keys: &dyn KeyStore, key: &ChainKey) -> Option<Mark> {
    if key.mode != KeyMode::CredentialStore {
        return None;
    }
    let bytes = match keys.get_mark() {
        Ok(b) => b?,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the journal's high-water mark");
            return None;
        }
    };
    let line = String::from_utf8(bytes).ok()?;
    let (body, _) = match key.open(Kind::Mark, &line) {
        Ok(opened) => opened,
        Err(_) => {
            // Written under an earlier key (replaced when damaged): nothing to compare with.
            tracing::warn!("the journal's high-water mark does not match the journal key");
            return None;
        }
    };
    serde_json::from_str::<Mark>(&body)
        .ok()
        .filter(|m| m.format == MARK_FORMAT && m.install_id == key.install_id)
}

/// Moves the mark to the entry just appended. A failure only leaves the mark behind, which
/// is never reported (the entry it names is still there).
pub(crate) fn write(keys: &dyn KeyStore, key: &ChainKey, segment: u32, seq: u32, mac: &str) {
    if key.mode != KeyMode::CredentialStore {
        return;
    }
    let mark = Mark {
        format: MARK_FORMAT.into(),
        install_id: key.install_id.clone(),
        segment,
        seq,
        mac: mac.to_string(),
    };
    let (line, _) = key.seal(Kind::Mark, &mark);
    if let Err(e) = keys.set_mark(line.as_bytes()) {
        tracing::warn!(error = %e, "could not move the journal's high-water mark");
    }
}

/// The issue to report when the journal no longer holds the entry the mark names.
pub(crate) fn behind(scan: &Scan, m: &Mark) -> Option<JournalIssue> {
    let there = scan
        .rows
        .iter()
        .any(|r| r.segment == m.segment && r.entry.seq == m.seq && r.mac == m.mac);
    if there {
        return None;
    }
    let now = match scan
        .rows
        .iter()
        .filter(|r| r.verified)
        .map(|r| r.entry.seq)
        .max()
    {
        None => "the journal now holds no entries".to_string(),
        Some(last) if last < m.seq => format!("the journal now ends at entry {last}"),
        Some(_) => "that entry is no longer there as it was written".to_string(),
    };
    Some(JournalIssue::Changed {
        segment: m.segment,
        entry: m.seq,
        line: 0,
        reason: format!(
            "The journal is behind its high-water mark: Elevate had recorded up to entry {} (in {}), but {now}. Journal files were deleted, or an older copy of the journal folder was put back.",
            m.seq,
            segment_file_name(m.segment)
        ),
    })
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;
    use std::sync::Arc;

    use crate::api::{
        JournalAction, JournalHealth, JournalIssue, JournalResult, JournalStatus, JournalTenant,
        TenantKind,
    };
    use crate::cache::{KeyStore, MemoryKeyStore};
    use crate::journal::{Journal, Record};

    fn record() -> Record {
        Record::new(
            JournalAction::SelfElevate,
            JournalTenant {
                kind: TenantKind::Demo,
                id: "tid".into(),
            },
            JournalResult::succeeded(),
        )
    }

    fn reasons(h: &JournalHealth) -> Vec<String> {
        h.issues
            .iter()
            .filter_map(|i| match i {
                JournalIssue::Changed { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .collect()
    }

    fn copy_dir(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }

    fn empty_dir(dir: &Path) {
        for e in fs::read_dir(dir).unwrap() {
            fs::remove_file(e.unwrap().path()).unwrap();
        }
    }

    #[test]
    fn a_journal_with_every_file_deleted_is_behind_its_mark_for_good() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeyStore::default());
        let j = Journal::open(dir.path(), keys.clone());
        for _ in 0..3 {
            j.append(record()).unwrap();
        }
        assert_eq!(j.verify().status, JournalStatus::Intact);
        empty_dir(dir.path());
        let h = j.verify();
        assert_eq!(h.status, JournalStatus::Changed);
        let r = reasons(&h);
        assert!(
            r.iter().any(|r| r.contains("behind its high-water mark")
                && r.contains("entry 3")
                && r.contains("holds no entries")),
            "{r:?}"
        );

        // The next entry starts a new segment above the mark; the deletion stays visible.
        let j = Journal::open(dir.path(), keys.clone());
        let row = j.append(record()).unwrap();
        assert_eq!((row.segment, row.entry.seq), (2, 4));
        let h = j.verify();
        assert_eq!(h.status, JournalStatus::Changed, "{h:?}");
        let header = fs::read_to_string(dir.path().join("journal-0002.jsonl")).unwrap();
        assert!(header.contains("behind its high-water mark"));
        assert!(
            reasons(&h)
                .iter()
                .any(|r| r.contains("journal-0001.jsonl is missing")),
            "{h:?}"
        );
    }

    #[test]
    fn an_older_copy_put_back_is_behind_its_mark() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeyStore::default());
        let j = Journal::open(dir.path(), keys.clone());
        j.append(record()).unwrap();
        j.append(record()).unwrap();
        let copy = tempfile::tempdir().unwrap();
        copy_dir(dir.path(), copy.path());
        j.append(record()).unwrap();
        j.append(record()).unwrap();
        drop(j);
        empty_dir(dir.path());
        copy_dir(copy.path(), dir.path());

        let j = Journal::open(dir.path(), keys.clone());
        let h = j.verify();
        assert_eq!(h.status, JournalStatus::Changed);
        assert!(
            reasons(&h)
                .iter()
                .any(|r| r.contains("behind its high-water mark")
                    && r.contains("up to entry 4")
                    && r.contains("now ends at entry 2")),
            "{h:?}"
        );
        // Writing on does not hide it: the new segment says where the journal had got.
        let row = j.append(record()).unwrap();
        assert_eq!((row.segment, row.entry.seq), (2, 5));
        let h = j.verify();
        assert!(
            reasons(&h)
                .iter()
                .any(|r| r.contains("removed from the end of segment 1")),
            "{h:?}"
        );
    }

    #[test]
    fn an_intact_journal_meets_its_mark_and_another_store_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeyStore::default());
        let j = Journal::open(dir.path(), keys.clone());
        j.append(record()).unwrap();
        assert!(keys.get_mark().unwrap().is_some());
        let j = Journal::open(dir.path(), keys.clone());
        j.append(record()).unwrap();
        assert_eq!(j.verify().status, JournalStatus::Intact);
        // A fresh install's empty journal has no mark to be behind.
        let other = tempfile::tempdir().unwrap();
        let h = Journal::open(other.path(), Arc::new(MemoryKeyStore::default())).verify();
        assert_eq!(h.status, JournalStatus::Intact);
    }
}
