//! Tampering, tearing, foreign files and concurrency, each checked against what the
//! verifier says and where.

use std::fs;
use std::sync::Arc;

use super::*;
use crate::api::{
    JournalAccount, JournalAction, JournalOutcome, JournalRef, JournalResult, JournalTarget,
    JournalTargetKind, JournalTenant, TenantKind,
};
use crate::cache::MemoryKeyStore;

fn record(i: u32) -> Record {
    let mut r = Record::new(
        if i % 2 == 0 {
            JournalAction::SelfElevate
        } else {
            JournalAction::RoleActivate
        },
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
    r.params.justification = Some(format!("ticket work {i}"));
    r.params.ticket_number = Some(format!("INC{i:04}"));
    if i % 2 == 0 {
        r.target = Some(JournalTarget {
            kind: JournalTargetKind::Environment,
            id: format!("env-{i}"),
            name: format!("Sales {i}"),
        });
        r.params.role_name = Some("System Administrator".into());
    } else {
        r.target = Some(JournalTarget {
            kind: JournalTargetKind::DirectoryRole,
            id: "11648597".into(),
            name: "Power Platform Administrator".into(),
        });
        r.params.duration_minutes = Some(60);
    }
    r
}

struct Fixture {
    dir: tempfile::TempDir,
    keys: Arc<MemoryKeyStore>,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            keys: Arc::new(MemoryKeyStore::default()),
        }
    }
    fn journal(&self) -> Journal {
        Journal::open(self.dir.path(), self.keys.clone())
    }
    fn with(&self, n: u32) -> Journal {
        let j = self.journal();
        for i in 1..=n {
            assert_eq!(j.append(record(i)).unwrap().entry.seq, i);
        }
        j
    }
    fn path(&self, segment: u32) -> PathBuf {
        self.dir.path().join(segment_file_name(segment))
    }
    fn lines(&self, segment: u32) -> Vec<String> {
        fs::read_to_string(self.path(segment))
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }
    fn write_lines(&self, segment: u32, lines: &[String]) {
        fs::write(
            self.path(segment),
            lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
        )
        .unwrap();
    }
    fn verify(&self) -> JournalHealth {
        self.journal().verify()
    }
}

fn changed_at(h: &JournalHealth) -> (u32, u32, u32, String) {
    match h.issues.first() {
        Some(JournalIssue::Changed {
            segment,
            entry,
            line,
            reason,
        }) => (*segment, *entry, *line, reason.clone()),
        other => panic!("expected a change, got {other:?} ({h:?})"),
    }
}

#[test]
fn appends_form_a_chain_that_verifies() {
    let f = Fixture::new();
    let j = f.with(5);
    let h = j.verify();
    assert_eq!(
        (h.status, h.entries, h.segments),
        (JournalStatus::Intact, 5, 1),
        "{h:?}"
    );
    assert_eq!(h.protection, JournalProtection::CredentialStore);
    let lines = f.lines(1);
    assert_eq!(lines.len(), 6, "a header and five entries");
    assert!(
        lines[0].contains("\"format\":\"elevate-journal/1\"") && !lines[0].contains("\"key\":"),
        "no key in the file: {}",
        lines[0]
    );
    let rows = j.page(&JournalFilter::default()).rows;
    assert_eq!(
        rows.iter().map(|r| r.entry.seq).collect::<Vec<_>>(),
        [5, 4, 3, 2, 1],
        "newest first"
    );
    assert!(rows.iter().all(|r| r.verified));
    assert_eq!(rows[4].entry.prev.len(), 64);
    assert_eq!(
        rows[3].entry.prev, rows[4].mac,
        "each entry links to the one before"
    );
    // A new process continues the same segment and chain.
    let again = f.journal();
    assert_eq!(again.append(record(6)).unwrap().segment, 1);
    assert_eq!(f.verify().entries, 6);
}

#[test]
fn an_edited_entry_is_named() {
    let f = Fixture::new();
    f.with(5);
    let mut lines = f.lines(1);
    lines[3] = lines[3].replace("ticket work 3", "ticket work 4");
    f.write_lines(1, &lines);
    let h = f.verify();
    assert_eq!(h.status, JournalStatus::Changed);
    let (segment, entry, line, reason) = changed_at(&h);
    assert_eq!((segment, entry, line), (1, 3, 4));
    assert!(reason.contains("Entry 3 was changed"), "{reason}");
    assert_eq!(h.entries, 2, "entries before the change still verify");
    let rows = f.journal().page(&JournalFilter::default()).rows;
    assert_eq!(
        rows.iter()
            .map(|r| (r.entry.seq, r.verified))
            .collect::<Vec<_>>(),
        [(5, false), (4, false), (3, false), (2, true), (1, true)]
    );
}

#[test]
fn a_deleted_or_reordered_entry_is_named() {
    let f = Fixture::new();
    f.with(5);
    let original = f.lines(1);
    let mut lines = original.clone();
    lines.remove(3);
    f.write_lines(1, &lines);
    let (_, entry, _, reason) = changed_at(&f.verify());
    assert_eq!(entry, 3);
    assert!(
        reason.contains("Entry 3 is not where it belongs"),
        "{reason}"
    );

    let mut lines = original.clone();
    lines.swap(2, 3);
    f.write_lines(1, &lines);
    let (_, entry, _, _) = changed_at(&f.verify());
    assert_eq!(entry, 2, "entry 3 sits where entry 2 belongs");

    // A line copied from elsewhere in the journal (a replay) does not fit either.
    let mut lines = original.clone();
    lines[4] = original[2].clone();
    f.write_lines(1, &lines);
    let (_, entry, _, reason) = changed_at(&f.verify());
    assert_eq!(entry, 4, "{reason}");
}

#[test]
fn a_journal_cut_at_its_end_is_caught() {
    let f = Fixture::new();
    f.with(5);
    let mut lines = f.lines(1);
    lines.truncate(4);
    f.write_lines(1, &lines);
    let (segment, entry, _, reason) = changed_at(&f.verify());
    assert_eq!((segment, entry), (1, 4));
    assert!(
        reason.contains("Entries 4–5 were removed from the end of segment 1"),
        "{reason}"
    );

    // The next append starts a new segment whose header remembers how far the journal got,
    // so the cut stays visible although the bookmark moves on.
    let row = f.journal().append(record(6)).unwrap();
    assert_eq!((row.segment, row.entry.seq), (2, 6));
    let h = f.verify();
    assert_eq!(changed_at(&h).1, 4, "{h:?}");
    assert_eq!(
        fs::read_to_string(f.path(1)).unwrap().lines().count(),
        4,
        "the damaged file is left as it was"
    );
}

#[test]
fn deleting_the_bookmark_or_a_whole_segment_is_caught() {
    let f = Fixture::new();
    f.with(3);
    fs::remove_file(f.dir.path().join(HEAD_FILE)).unwrap();
    let (_, entry, _, reason) = changed_at(&f.verify());
    assert_eq!(entry, 4);
    assert!(reason.contains("bookmark"), "{reason}");

    let f = Fixture::new();
    f.with(3);
    fs::remove_file(f.path(1)).unwrap();
    let (segment, _, _, reason) = changed_at(&f.verify());
    assert_eq!(segment, 1);
    assert!(reason.contains("journal-0001.jsonl is missing"), "{reason}");
}

#[test]
fn a_torn_last_line_is_reported_at_every_cut_and_never_rewritten() {
    let f = Fixture::new();
    let j = f.with(2);
    let head_after_two = fs::read(f.dir.path().join(HEAD_FILE)).unwrap();
    j.append(record(3)).unwrap();
    drop(j);
    let full = fs::read(f.path(1)).unwrap();
    let last_line_start = full[..full.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    for cut in last_line_start..full.len() {
        // As if the process died while writing entry 3: it was never reported done.
        let g = Fixture::new();
        fs::write(g.path(1), &full[..cut]).unwrap();
        fs::write(g.dir.path().join(HEAD_FILE), &head_after_two).unwrap();
        let keys = f.keys.get().unwrap().unwrap();
        g.keys.set(&keys).unwrap();
        let h = g.verify();
        if cut == last_line_start {
            assert_eq!(
                (h.status, h.entries),
                (JournalStatus::Intact, 2),
                "cut at a line boundary: {h:?}"
            );
            continue;
        }
        assert_eq!(h.status, JournalStatus::TornTail, "cut at {cut}: {h:?}");
        assert_eq!(
            h.issues,
            vec![JournalIssue::TornTail {
                segment: 1,
                entry: 3
            }]
        );
        assert_eq!(h.entries, 2);
        let row = g.journal().append(record(4)).unwrap();
        assert_eq!(
            (row.segment, row.entry.seq),
            (2, 4),
            "a new segment; entry 3's number is not reused"
        );
        assert_eq!(
            fs::read(g.path(1)).unwrap(),
            &full[..cut],
            "the torn file is untouched"
        );
        let h = g.verify();
        assert_eq!((h.entries, h.issues.len()), (3, 1), "{h:?}");
    }
}

#[test]
fn foreign_files_are_reported_and_left_alone() {
    let f = Fixture::new();
    fs::write(f.path(1), "Name,Role\nAdele,Admin\n").unwrap();
    let h = f.verify();
    assert!(
        matches!(&h.issues[..], [JournalIssue::Foreign { segment: 1, reason }] if reason.contains("not an Elevate activity journal")),
        "{h:?}"
    );
    assert_eq!(h.status, JournalStatus::Foreign);
    let row = f.journal().append(record(1)).unwrap();
    assert_eq!(row.segment, 2, "the app keeps working in a new segment");
    assert_eq!(
        fs::read_to_string(f.path(1)).unwrap(),
        "Name,Role\nAdele,Admin\n"
    );

    // A journal from another installation (another key in the credential store).
    let other = Fixture::new();
    other.with(2);
    let mine = Fixture::new();
    fs::copy(other.path(1), mine.path(1)).unwrap();
    let h = mine.verify();
    assert!(
        matches!(&h.issues[..], [JournalIssue::Foreign { segment: 1, reason }] if reason.contains("another installation")),
        "{h:?}"
    );
    let rows = mine.journal().page(&JournalFilter::default()).rows;
    assert_eq!(rows.len(), 2, "its entries are still listed");
    assert!(rows.iter().all(|r| !r.verified), "but not as verified");
    assert_eq!(mine.journal().append(record(3)).unwrap().segment, 2);

    // A segment from a newer Elevate.
    let newer = Fixture::new();
    let k = ChainKey::new_file_key();
    let (line, _) = k.seal(
        Kind::Header,
        &serde_json::json!({"format": "elevate-journal/2"}),
    );
    fs::write(newer.path(1), format!("{line}\n")).unwrap();
    assert!(
        matches!(&newer.verify().issues[..], [JournalIssue::Foreign { reason, .. }] if reason.contains("newer version"))
    );
}

#[test]
fn a_renamed_or_edited_header_is_caught() {
    let f = Fixture::new();
    f.with(2);
    f.journal().append(record(3)).unwrap();
    fs::rename(f.path(1), f.path(2)).unwrap();
    let h = f.verify();
    assert!(h.issues.iter().any(|i| matches!(i, JournalIssue::Changed { segment: 2, reason, .. } if reason.contains("renamed"))), "{h:?}");

    let f = Fixture::new();
    f.with(2);
    let mut lines = f.lines(1);
    lines[0] = lines[0].replace("\"opened\":\"first\"", "\"opened\":\"continues\"");
    f.write_lines(1, &lines);
    let (_, entry, line, reason) = changed_at(&f.verify());
    assert_eq!((entry, line), (1, 1));
    assert!(reason.contains("header"), "{reason}");
}

#[test]
fn without_a_credential_store_the_key_is_in_the_header_and_protection_is_limited() {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(dir.path(), Arc::new(MemoryKeyStore::unavailable()));
    j.append(record(1)).unwrap();
    j.append(record(2)).unwrap();
    let h = j.verify();
    assert_eq!(
        (h.status, h.entries, h.protection),
        (JournalStatus::Intact, 2, JournalProtection::FileOnly)
    );
    let header = fs::read_to_string(dir.path().join(segment_file_name(1))).unwrap();
    assert!(header
        .lines()
        .next()
        .unwrap()
        .contains("\"keyMode\":\"file\",\"key\":\""));
    // Another run without a store continues the segment with the key from its header.
    assert_eq!(
        Journal::open(dir.path(), Arc::new(MemoryKeyStore::unavailable()))
            .append(record(3))
            .unwrap()
            .segment,
        1
    );

    // Once a credential store is there, a new segment continues the chain under its key.
    let store = Arc::new(MemoryKeyStore::default());
    let row = Journal::open(dir.path(), store.clone())
        .append(record(4))
        .unwrap();
    assert_eq!((row.segment, row.entry.seq), (2, 4));
    let h = Journal::open(dir.path(), store).verify();
    assert_eq!(
        (h.status, h.entries, h.protection),
        (JournalStatus::Intact, 4, JournalProtection::FileOnly),
        "{h:?}"
    );
    assert!(fs::read_to_string(dir.path().join(segment_file_name(2)))
        .unwrap()
        .contains("\"opened\":\"continues\""));
}

#[test]
fn a_credential_store_that_goes_away_does_not_stop_the_journal() {
    let f = Fixture::new();
    f.with(2);
    let away = Journal::open(f.dir.path(), Arc::new(MemoryKeyStore::unavailable()));
    let h = away.verify();
    assert!(
        matches!(&h.issues[..], [JournalIssue::Foreign { segment: 1, reason }] if reason.contains("cannot open right now")),
        "{h:?}"
    );
    assert_eq!(away.append(record(3)).unwrap().segment, 2);
    // When it is back, everything verifies again.
    let h = f.verify();
    assert_eq!((h.status, h.entries), (JournalStatus::Intact, 3), "{h:?}");
}

#[test]
fn concurrent_appends_keep_the_chain() {
    let f = Fixture::new();
    let j = Arc::new(f.journal());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let j = j.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| j.append(record(t * 100 + i)).unwrap().entry.seq)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut seqs: Vec<u32> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    seqs.sort();
    assert_eq!(
        seqs,
        (1..=200).collect::<Vec<_>>(),
        "every append got its own seq"
    );
    let h = j.verify();
    assert_eq!((h.status, h.entries), (JournalStatus::Intact, 200), "{h:?}");
}

mod filters;
