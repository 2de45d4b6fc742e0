//! Clean-up runs nothing can steer: sealed plan and progress (a changed file is refused and
//! nothing is sent), requests whose answer is lost (recorded unknown, checked before acting
//! again), sign-out during a run (it stops, and every request sent is journaled as the account
//! that started it), one run at a time, and what a run says when its logs cannot be written.

use elevate_core::api::{
    CleanupInput, ErrorCode, HolderRef, Inventory, JournalAction, JournalFilter, PimStatus,
    RemovalResult,
};
use elevate_testkit::*;
use serde_json::{json, Value};

const MEGAN: &str = "meganb@contoso.onmicrosoft.com";

fn refs(inv: &Inventory, keep: impl Fn(&elevate_core::api::Holder) -> bool) -> Vec<HolderRef> {
    inv.holders
        .iter()
        .filter(|h| keep(h))
        .map(|h| HolderRef {
            environment_id: h.environment_id.clone(),
            system_user_id: h.system_user_id.clone(),
            role_id: h.role_id.clone(),
        })
        .collect()
}

async fn plan_for(s: &Signed, holders: Vec<HolderRef>) -> elevate_core::api::CleanupPlan {
    s.app
        .plan_cleanup(CleanupInput {
            holders,
            upns: vec![],
            include_self: false,
        })
        .await
        .unwrap()
}

/// The emulator's audit entries with `action`, and those of them that changed something.
async fn audit(e: &elevate_tenant::Emulator, action: &str) -> (usize, usize) {
    let v = admin_get(e, "audit").await;
    let all: Vec<&Value> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == action)
        .collect();
    let changed = all
        .iter()
        .filter(|a| {
            !a["detail"]
                .as_str()
                .unwrap_or("")
                .contains("nothing changed")
        })
        .count();
    (all.len(), changed)
}

async fn megan_admin_count(e: &elevate_tenant::Emulator) -> usize {
    let v = admin_get(e, "environments").await;
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|env| {
            env["systemAdministrators"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|a| {
            a["domainname"]
                .as_str()
                .unwrap_or("")
                .eq_ignore_ascii_case(MEGAN)
        })
        .count()
}

#[tokio::test]
async fn a_changed_plan_or_progress_file_is_refused_and_nothing_is_sent() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let plan = plan_for(&gloria, refs(&inv, |h| h.upn.eq_ignore_ascii_case(MEGAN))).await;
    let n = plan.removals.len();
    assert!(n >= 2, "{n}");
    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, n as u32, &|_| {})
        .await
        .unwrap();
    assert_eq!(run.removed as usize, n);
    let folder = std::path::PathBuf::from(&run.logs_folder);
    assert!(
        !folder.join("rollback.json").exists(),
        "plan.json is the one way back"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700, "the run folder");
        assert_eq!(mode(folder.parent().unwrap()), 0o700, "the clean-up folder");
        for f in ["plan.json", "progress.jsonl", "log.txt", "report.csv"] {
            assert_eq!(mode(&folder.join(f)), 0o600, "{f}");
        }
    }
    let plan_text = std::fs::read_to_string(folder.join("plan.json")).unwrap();
    let progress_text = std::fs::read_to_string(folder.join("progress.jsonl")).unwrap();
    let before = (
        megan_admin_count(&e).await,
        audit(&e, "roleAssociated").await,
    );

    // Another user's role in the plan (a valid GUID, so only the seal can tell).
    let other = inv
        .holders
        .iter()
        .find(|h| {
            !h.upn.eq_ignore_ascii_case(MEGAN)
                && h.environment_id == plan.removals[0].environment_id
        })
        .unwrap();
    let tampered_plan = plan_text.replace(&plan.removals[0].system_user_id, &other.system_user_id);
    assert_ne!(tampered_plan, plan_text);
    // A line claiming a row was removed, copied from another and changed.
    let first_line = progress_text.lines().next().unwrap();
    let forged = first_line.replace("removing", "removed");
    let tampered_progress = format!("{progress_text}{forged}\n");
    let unsealed = format!(
        "{progress_text}{}\n",
        json!({"run": run.run_id, "key": "x", "step": "removed", "at": "2026-01-01T00:00:00Z"})
    );
    for (file, text) in [
        ("plan.json", tampered_plan.as_str()),
        (
            "plan.json",
            "{\"format\":\"elevate-cleanup-plan/1\",\"rows\":[]}",
        ),
        ("progress.jsonl", tampered_progress.as_str()),
        ("progress.jsonl", unsealed.as_str()),
    ] {
        std::fs::write(folder.join(file), text).unwrap();
        for what in ["rollback", "resume"] {
            let err = if what == "rollback" {
                gloria.app.rollback_cleanup(&run.run_id, &|_| {}).await
            } else {
                gloria.app.resume_cleanup(&run.run_id, &|_| {}).await
            }
            .unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{file} {what}: {err:?}");
            assert!(err.message.contains("Nothing was sent"), "{}", err.message);
        }
        let listed = gloria.app.cleanup_runs();
        assert!(listed[0].problem.is_some(), "{file}: the list says why");
        assert!(listed[0].rollback_rows.is_empty());
        assert_eq!(
            (
                megan_admin_count(&e).await,
                audit(&e, "roleAssociated").await
            ),
            before,
            "{file}: nothing changed"
        );
        std::fs::write(folder.join("plan.json"), &plan_text).unwrap();
        std::fs::write(folder.join("progress.jsonl"), &progress_text).unwrap();
    }

    // Untouched again: the rollback's confirmation lists exactly the removed rows, and it runs.
    let listed = gloria.app.cleanup_runs();
    assert!(listed[0].problem.is_none());
    assert_eq!(listed[0].rollback_rows.len(), n);
    assert!(
        listed[0].started_by.starts_with("gloria@"),
        "{}",
        listed[0].started_by
    );
    let back = gloria
        .app
        .rollback_cleanup(&run.run_id, &|_| {})
        .await
        .unwrap();
    assert!(back
        .outcomes
        .iter()
        .all(|o| o.result == RemovalResult::Restored));
    assert_eq!(megan_admin_count(&e).await, before.0 + n);
}

#[tokio::test]
async fn a_removal_whose_answer_is_lost_is_unknown_and_checked_before_resume_and_rollback() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let one: Vec<HolderRef> = refs(&inv, |h| h.upn.eq_ignore_ascii_case(MEGAN))
        .into_iter()
        .take(1)
        .collect();
    let plan = plan_for(&gloria, one).await;
    admin(&e, "faults", json!({"rules": [
        {"name": "lost", "method": "DELETE", "path": "/dataverse/**", "fault": {"kind": "lostAnswer"}}
    ]}))
    .await;
    let admins = megan_admin_count(&e).await;
    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, 1, &|_| {})
        .await
        .unwrap();
    reqwest::Client::new()
        .delete(format!("{}/_emulator/faults", e.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        run.outcomes[0].result,
        RemovalResult::Unknown,
        "{:?}",
        run.outcomes[0]
    );
    assert_eq!((run.unknown, run.failed), (1, 0));
    assert_eq!(
        megan_admin_count(&e).await,
        admins - 1,
        "the removal did happen"
    );
    let listed = gloria.app.cleanup_runs();
    assert_eq!(listed[0].unknown, 1);
    assert!(!listed[0].finished);
    assert_eq!(
        listed[0].rollback_rows.len(),
        1,
        "rollback offers the unknown row"
    );
    assert_eq!(listed[0].rollback_rows[0].result, RemovalResult::Unknown);

    // Resume checks the live state: gone already, so nothing is sent again.
    let deletes = audit(&e, "roleDisassociated").await.0;
    let again = gloria
        .app
        .resume_cleanup(&run.run_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(again.outcomes[0].result, RemovalResult::AlreadyDone);
    assert_eq!(audit(&e, "roleDisassociated").await.0, deletes);
    assert!(gloria.app.cleanup_runs()[0].finished);

    // Rollback puts it back.
    let back = gloria
        .app
        .rollback_cleanup(&run.run_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(back.outcomes[0].result, RemovalResult::Restored);
    assert_eq!(megan_admin_count(&e).await, admins);
}

#[tokio::test]
async fn a_rollback_whose_row_got_no_answer_checks_first_and_restores_only_what_is_gone() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let two: Vec<HolderRef> = refs(&inv, |h| h.upn.eq_ignore_ascii_case(MEGAN))
        .into_iter()
        .take(2)
        .collect();
    let plan = plan_for(&gloria, two).await;
    let admins = megan_admin_count(&e).await;
    // The first DELETE is refused before it reaches the service; the other's answer is lost.
    admin(&e, "faults", json!({"rules": [
        {"method": "DELETE", "path": "/dataverse/**", "maxHits": 1, "fault": {"kind": "error", "status": 403}},
        {"method": "DELETE", "path": "/dataverse/**", "fault": {"kind": "lostAnswer"}}
    ]}))
    .await;
    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, 2, &|_| {})
        .await
        .unwrap();
    reqwest::Client::new()
        .delete(format!("{}/_emulator/faults", e.base_url()))
        .send()
        .await
        .unwrap();
    let mut results: Vec<RemovalResult> = run.outcomes.iter().map(|o| o.result).collect();
    results.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(results, [RemovalResult::Failed, RemovalResult::Unknown]);
    assert_eq!(megan_admin_count(&e).await, admins - 1);
    let listed = gloria.app.cleanup_runs();
    assert_eq!(
        listed[0].rollback_rows.len(),
        1,
        "the refused row is not rolled back"
    );
    let posts = audit(&e, "roleAssociated").await.0;
    let back = gloria
        .app
        .rollback_cleanup(&run.run_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(back.outcomes.len(), 1);
    assert_eq!(back.outcomes[0].result, RemovalResult::Restored);
    assert_eq!(audit(&e, "roleAssociated").await.0, posts + 1);
    assert_eq!(megan_admin_count(&e).await, admins);
}

#[tokio::test]
async fn sign_out_during_a_cleanup_stops_it_and_journals_every_sent_row_as_the_starting_account() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let targets = refs(&inv, |h| {
        h.pim == PimStatus::NoRole && !h.is_application_user
    });
    assert!(targets.len() > 8, "{}", targets.len());
    let plan = plan_for(&gloria, targets).await;
    let total = plan.removals.len();
    admin(
        &e,
        "faults",
        json!({"rules": [
            {"method": "DELETE", "path": "/dataverse/**", "fault": {"kind": "latency", "ms": 700}}
        ]}),
    )
    .await;
    let (run, out) = tokio::join!(
        gloria.app.run_cleanup(&plan.plan_id, total as u32, &|_| {}),
        async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            gloria.app.sign_out().await
        }
    );
    assert!(out.is_ok());
    assert!(out.unwrap().account.is_none());
    let err = run.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotSignedIn, "{err:?}");
    let (sent, removed) = audit(&e, "roleDisassociated").await;
    assert!(
        sent > 0 && sent < total,
        "stopped part-way: {sent} of {total}"
    );
    assert_eq!(sent, removed);
    let journal = gloria.app.journal_entries(JournalFilter::default()).await;
    let removes: Vec<_> = journal
        .rows
        .iter()
        .filter(|r| r.entry.action == JournalAction::AssignmentRemove)
        .collect();
    assert_eq!(removes.len(), sent, "every request sent is journaled");
    assert!(removes.iter().all(|r| r
        .entry
        .account
        .as_ref()
        .is_some_and(|a| a.upn.starts_with("gloria@"))));
    let sign_out = journal
        .rows
        .iter()
        .find(|r| r.entry.action == JournalAction::SignOut)
        .unwrap();
    assert!(
        removes.iter().all(|r| r.entry.seq < sign_out.entry.seq),
        "the run stopped before the session ended"
    );
}

#[tokio::test]
async fn one_plan_runs_once_and_one_run_is_resumed_or_rolled_back_at_a_time() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let plan = plan_for(&gloria, refs(&inv, |h| h.upn.eq_ignore_ascii_case(MEGAN))).await;
    let n = plan.removals.len() as u32;
    let (a, b) = tokio::join!(
        gloria.app.run_cleanup(&plan.plan_id, n, &|_| {}),
        gloria.app.run_cleanup(&plan.plan_id, n, &|_| {})
    );
    let (ok, err) = match (a, b) {
        (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
        other => panic!("exactly one runs: {other:?}"),
    };
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(gloria.app.cleanup_runs().len(), 1);
    let (r1, r2) = tokio::join!(
        gloria.app.rollback_cleanup(&ok.run_id, &|_| {}),
        gloria.app.rollback_cleanup(&ok.run_id, &|_| {})
    );
    let refused = match (r1, r2) {
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => e,
        other => panic!("exactly one rollback runs: {other:?}"),
    };
    assert!(
        refused.message.contains("already being"),
        "{}",
        refused.message
    );
    assert_eq!(audit(&e, "roleAssociated").await.1, n as usize);
}

#[tokio::test]
async fn a_report_that_cannot_be_written_after_rows_were_sent_does_not_say_nothing_changed() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let plan = plan_for(&gloria, refs(&inv, |h| h.upn.eq_ignore_ascii_case(MEGAN))).await;
    let n = plan.removals.len() as u32;
    let base = gloria._dir.path().join("data").join("cleanup");
    // While the rows go out, something takes the report's name (a folder cannot be replaced by a file).
    let block = |_: elevate_core::api::CleanupProgress| {
        for d in std::fs::read_dir(&base).unwrap().flatten() {
            let _ = std::fs::create_dir(d.path().join("report.csv"));
        }
    };
    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, n, &block)
        .await
        .expect("the rows were sent: the run's results come back");
    assert_eq!(run.removed, n);
    let notice = run.notice.expect("says what could not be written");
    assert!(notice.contains("report"), "{notice}");
    assert!(
        !notice.to_lowercase().contains("nothing was changed"),
        "{notice}"
    );
}
