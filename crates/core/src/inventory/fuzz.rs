//! Property tests of the files the clean-up reads (issue #17, point 17): the users file an
//! admin picks (CSV or one UPN a line, UTF-8 or UTF-16 either way round, with or without a
//! byte order mark) and the run folders of earlier clean-ups. Here rather than in
//! `crate::fuzz` because the run folders' reader is private to this module.

use proptest::prelude::*;
use serde_json::json;

use std::sync::Arc;

use super::runlog::{PlanFile, RunFolder, PLAN_FORMAT};
use super::runs::runs;
use super::users_file;
use crate::cache::{KeyStore, MemoryKeyStore};
use crate::fuzz::{bytes, check, json::mutated, plain, snapshot, text};
use crate::journal::{Journal, Sealed};

/// A users file as admins save them: UPNs, CSV headers and cells, blank lines, quotes, in
/// any of the encodings Excel and Notepad write, cut anywhere.
fn users_file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        "[a-z]{1,8}@contoso\\.(com|onmicrosoft\\.com)",
        "\"[A-Za-z]{1,8}@Contoso\\.com\"",
        Just("UserPrincipalName".to_string()),
        Just("UPN".to_string()),
        Just(String::new()),
        text(),
    ];
    let line = proptest::collection::vec(cell, 1..4).prop_flat_map(|cells| {
        prop::sample::select(vec![",", ";", "\t"]).prop_map(move |d| cells.join(d))
    });
    let lines = proptest::collection::vec(line, 0..8);
    let encoding = 0u8..6;
    let newline = prop::sample::select(vec!["\n", "\r\n"]);
    let text_file = (
        lines,
        newline,
        encoding,
        proptest::option::of(any::<usize>()),
    )
        .prop_map(|(lines, nl, enc, cut)| {
            let text = lines.join(nl);
            let utf16 = |le: bool| -> Vec<u8> {
                text.encode_utf16()
                    .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                    .collect()
            };
            let mut b = match enc {
                0 => text.clone().into_bytes(),
                1 => [b"\xEF\xBB\xBF".to_vec(), text.clone().into_bytes()].concat(),
                2 => [b"\xFF\xFE".to_vec(), utf16(true)].concat(),
                3 => [b"\xFE\xFF".to_vec(), utf16(false)].concat(),
                4 => utf16(true),
                _ => text.chars().map(|c| c as u32 as u8).collect(),
            };
            if let Some(c) = cut {
                b.truncate(c % (b.len() + 1));
            }
            b
        });
    prop_oneof![4 => text_file, 1 => bytes()]
}

#[test]
fn fuzz_users_files() {
    check("users files", users_file_bytes(), |content| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.csv");
        std::fs::write(&path, &content).unwrap();
        let before = snapshot(dir.path());
        let file = match users_file::read(&path) {
            Ok(f) => f,
            Err(e) => return plain("users file error", &e.message),
        };
        prop_assert_eq!(snapshot(dir.path()), before, "reading changed the folder");
        for p in &file.problems {
            plain("row problem", &p.problem)?;
            prop_assert!(p.line >= 1);
            prop_assert!(p.text.chars().count() <= 200);
        }
        for (i, upn) in file.upns.iter().enumerate() {
            prop_assert_eq!(users_file::upn_problem(upn), None, "{}", upn);
            prop_assert_eq!(upn, &upn.to_ascii_lowercase());
            prop_assert!(!file.upns[..i].contains(upn), "{} twice", upn);
        }
        Ok(())
    });
}

fn plan() -> serde_json::Value {
    json!({
        "format": PLAN_FORMAT,
        "runId": "run-1",
        "startedAt": "2024-01-01T00:00:00Z",
        "tenantId": "7f6c1a9e-1111-4222-8333-944455556666",
        "accountOid": "8f6c1a9e-1111-4222-8333-944455556666",
        "accountUpn": "adele@contoso.com",
        "rows": [{
            "removal": {"environmentId": "0f6c1a9e-1111-4222-8333-944455556666", "environmentName": "Sales", "systemUserId": "1f6c1a9e-1111-4222-8333-944455556666", "roleId": "2f6c1a9e-1111-4222-8333-944455556666", "businessUnit": "bu", "fullName": "Adele", "upn": "adele@contoso.com", "isYou": false, "lastAdmin": false},
            "url": "https://sales.crm.dynamics.com/"
        }]
    })
}

fn progress_line() -> serde_json::Value {
    json!({"key": "env-1|s1|r1", "result": "removed", "at": "2024-01-01T00:00:01Z", "error": "x"})
}

/// Plan and progress files are sealed with the journal key: fuzzed bytes as they are, and
/// mutated JSON sealed with the real key, so cases get past the seal to the checks behind it.
#[test]
fn fuzz_run_folders() {
    let folder = prop_oneof![
        3 => Just("run-1".to_string()),
        1 => "[A-Za-z0-9._ -]{1,12}",
    ];
    let progress = proptest::collection::vec(
        (
            prop_oneof![3 => mutated(vec![progress_line()]), 1 => bytes()],
            any::<bool>(),
        ),
        0..4,
    );
    let plan = (
        prop_oneof![6 => mutated(vec![plan()]), 1 => bytes()],
        any::<bool>(),
    );
    check(
        "clean-up run folders",
        (folder, plan, progress, any::<bool>()),
        |(name, (plan, seal_plan), progress, torn)| {
            let keys: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::default());
            let journal_dir = tempfile::tempdir().unwrap();
            let journal = Journal::open(journal_dir.path(), keys);
            let sealed = |what: Sealed, bytes: &[u8], seal: bool| -> Vec<u8> {
                match serde_json::from_slice::<serde_json::Value>(bytes) {
                    Ok(v) if seal && v.as_object().is_some_and(|o| !o.is_empty()) => {
                        journal.seal_line(what, &v).into_bytes()
                    }
                    _ => bytes.to_vec(),
                }
            };
            let base = tempfile::tempdir().unwrap();
            // A real run first: the reader meets fuzzed files next to well-formed ones.
            let real = PlanFile {
                format: PLAN_FORMAT.into(),
                run_id: "run-0".into(),
                started_at: chrono::Utc::now(),
                tenant_id: "7f6c1a9e-1111-4222-8333-944455556666".into(),
                account_oid: "8f6c1a9e-1111-4222-8333-944455556666".into(),
                account_upn: "adele@contoso.com".into(),
                rows: vec![],
            };
            RunFolder::create(base.path(), &journal, &real).unwrap();
            let dir = base.path().join(&name);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("plan.json"),
                sealed(Sealed::CleanupPlan, &plan, seal_plan),
            )
            .unwrap();
            let lines: Vec<Vec<u8>> = progress
                .iter()
                .map(|(l, seal)| sealed(Sealed::CleanupProgress, l, *seal))
                .collect();
            let mut lines = lines.join(&b'\n');
            if !torn {
                lines.push(b'\n');
            }
            std::fs::write(dir.join("progress.jsonl"), &lines).unwrap();
            let before = snapshot(base.path());
            let listed = runs(base.path(), &journal);
            let _ = RunFolder::open(base.path(), &journal, &name);
            prop_assert_eq!(snapshot(base.path()), before, "reading changed the folders");
            prop_assert!(listed.iter().any(|r| r.run_id == "run-0"));
            prop_assert!(
                listed
                    .windows(2)
                    .all(|w| w[0].started_at >= w[1].started_at),
                "runs are listed newest first"
            );
            Ok(())
        },
    );
}
