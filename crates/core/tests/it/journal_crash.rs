//! Crash safety, for real: a writer process appends entries and prints `done <seq>` after
//! each append returns; the test kills it with SIGKILL at varied moments, many times over the
//! same journal, and checks that every entry reported done is there and the chain verifies.
//! (A line being written at the moment of the kill may be torn: that must be reported as a
//! torn tail at an entry that was never reported done, and the next run goes on in a new
//! segment.) The writer is this same test binary, switched by an environment variable.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use elevate_core::api::{
    JournalAction, JournalFilter, JournalIssue, JournalResult, JournalStatus, JournalTenant,
    TenantKind,
};
use elevate_core::cache::{Key, KeyStore, KeyStoreError};
use elevate_core::journal::{Journal, Record};
use zeroize::Zeroizing;

const WRITER: &str = "ELEVATE_JOURNAL_CRASH_WRITER";
const ROUNDS: u32 = 30;

enum Event {
    /// The writer is about to append its i-th entry.
    Start(u32),
    /// `append` returned: the entry with this seq is durable.
    Done(u32),
}

/// Stands in for the OS credential store: the same key in the writer and the checker.
struct FixedKey;
impl KeyStore for FixedKey {
    fn get(&self) -> Result<Option<Key>, KeyStoreError> {
        Ok(Some(Zeroizing::new([7u8; 32])))
    }
    fn set(&self, _: &Key) -> Result<(), KeyStoreError> {
        Ok(())
    }
    fn delete(&self) -> Result<(), KeyStoreError> {
        Ok(())
    }
    // No mark: the writer and the checker are separate processes with no shared store.
    fn get_mark(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        Ok(None)
    }
    fn set_mark(&self, _: &[u8]) -> Result<(), KeyStoreError> {
        Ok(())
    }
}

fn entry(i: u32) -> Record {
    let mut r = Record::new(
        JournalAction::SelfElevate,
        JournalTenant {
            kind: TenantKind::Demo,
            id: "tid".into(),
        },
        JournalResult::succeeded(),
    );
    // Some lines span many pages: the kernel can stop such a write part-way for a SIGKILL,
    // which is how a torn line happens without a power cut.
    let len = if i % 3 == 2 {
        1_000_000 + (i as usize * 7919) % 1_000_000
    } else {
        (i as usize * 37) % 900
    };
    r.params.justification = Some(format!("crash test {i} {}", "x".repeat(len)));
    r
}

fn latest_number(dir: &Path) -> u32 {
    let name = latest_segment(dir)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    name.trim_start_matches("journal-")
        .trim_end_matches(".jsonl")
        .parse()
        .unwrap()
}

fn latest_segment(dir: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    names.sort();
    names.pop().expect("a segment")
}

/// The writer side: only runs when spawned by `sigkill_while_appending_never_loses_a_reported_entry`.
#[test]
fn crash_writer_child() {
    let Some(dir) = std::env::var_os(WRITER) else {
        return;
    };
    let journal = Journal::open(Path::new(&dir), std::sync::Arc::new(FixedKey));
    let mut out = std::io::stdout().lock();
    for i in 0..5000 {
        writeln!(out, "start {i}").unwrap();
        out.flush().unwrap();
        let row = journal.append(entry(i)).expect("append");
        writeln!(out, "done {}", row.entry.seq).unwrap();
        out.flush().unwrap();
    }
}

/// The writer's name as the test harness lists it (`journal_crash::crash_writer_child`): the
/// module path without the binary's name, since all the core's tests share one binary.
fn writer_test_name() -> String {
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    format!("{module}::crash_writer_child")
}

#[test]
fn sigkill_while_appending_never_loses_a_reported_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut all_done = BTreeSet::new();
    let mut issues = Vec::new();
    let mut torn = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                &writer_test_name(),
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let event = match line.split_once(' ') {
                    Some(("done", n)) => n.parse().ok().map(Event::Done),
                    Some(("start", n)) => n.parse().ok().map(Event::Start),
                    _ => None,
                };
                if let Some(e) = event {
                    let _ = tx.send(e);
                }
            }
        });
        // Kill once the writer has reported a different number of entries each round and has
        // started on a long one: in odd rounds the moment its line starts reaching the file
        // (so the write is cut part-way, as a crash or power cut would), in even rounds after
        // a varied delay (landing while it serialises, syncs or moves the bookmark).
        let wait_for = 1 + round % 5;
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut done = BTreeSet::new();
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(Event::Done(seq)) => {
                    done.insert(seq);
                }
                Ok(Event::Start(i)) if done.len() as u32 >= wait_for && i % 3 == 2 => break,
                Ok(Event::Start(_)) => {}
                Err(e) => panic!("round {round}: the writer went quiet: {e}"),
            }
            assert!(
                Instant::now() < deadline,
                "round {round}: the writer is too slow"
            );
        }
        if round % 2 == 1 {
            let segment = latest_segment(dir.path());
            let before = std::fs::metadata(&segment).unwrap().len();
            let until = Instant::now() + Duration::from_secs(20);
            while std::fs::metadata(&segment).unwrap().len() == before && Instant::now() < until {
                std::hint::spin_loop();
            }
        } else {
            std::thread::sleep(Duration::from_micros(u64::from(round) * 1_500 % 45_000));
        }
        child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, nothing runs
        child.wait().unwrap();
        reader.join().unwrap();
        done.extend(rx.try_iter().filter_map(|e| match e {
            Event::Done(seq) => Some(seq),
            Event::Start(_) => None,
        }));
        all_done.extend(done);

        let journal = Journal::open(dir.path(), std::sync::Arc::new(FixedKey));
        let health = journal.verify();
        for issue in health.issues.iter().filter(|i| !issues.contains(*i)) {
            // The only new problem a kill may leave: the entry after the last one reported
            // done, torn, in the segment being written.
            let expected = JournalIssue::TornTail {
                segment: latest_number(dir.path()),
                entry: all_done.last().unwrap() + 1,
            };
            assert_eq!(issue, &expected, "round {round}: {health:?}");
            torn += 1;
        }
        issues = health.issues.clone();
        assert!(matches!(
            health.status,
            JournalStatus::Intact | JournalStatus::TornTail
        ));
        let verified: BTreeSet<u32> = journal
            .page(&JournalFilter {
                limit: Some(5000),
                ..Default::default()
            })
            .rows
            .iter()
            .filter(|r| r.verified)
            .map(|r| r.entry.seq)
            .collect();
        let lost: Vec<_> = all_done.difference(&verified).collect();
        assert!(
            lost.is_empty(),
            "round {round}: entries reported done are missing: {lost:?}"
        );
    }
    assert!(
        all_done.len() as u32 >= ROUNDS,
        "the writers got somewhere: {}",
        all_done.len()
    );
    eprintln!(
        "{} entries reported done; {torn} kills tore the line being written",
        all_done.len()
    );
    assert!(
        torn > 0,
        "no kill landed inside a write: the torn-line path was not exercised"
    );
}
