//! Clean-up against the demo tenant: dry run from the inventory and a users file, the guards
//! (your own assignment, the last System Administrator, a confirmation that names the count),
//! the logs folder with its sealed plan, rollback, and a fault run resumed without removing
//! anything twice.

use std::collections::HashMap;

use elevate_core::api::{
    CleanupInput, ErrorCode, HolderRef, JournalAction, JournalFilter, PimStatus, RemovalResult,
};
use elevate_core::inventory::users_file;
use elevate_testkit::*;
use serde_json::{json, Value};

/// (environment name, UPN) of every System Administrator the emulator holds now.
async fn admins_now(e: &elevate_tenant::Emulator) -> Vec<(String, String)> {
    let v = admin_get(e, "environments").await;
    let mut out = Vec::new();
    for env in v["value"].as_array().unwrap() {
        for a in env["systemAdministrators"].as_array().into_iter().flatten() {
            out.push((
                env["displayName"].as_str().unwrap().to_string(),
                a["domainname"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase(),
            ));
        }
    }
    out
}

async fn unlinks(e: &elevate_tenant::Emulator) -> Vec<Value> {
    let v = admin_get(e, "audit").await;
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "roleDisassociated")
        .cloned()
        .collect()
}

#[tokio::test]
async fn dry_run_guards_confirmation_logs_and_rollback() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.csv");
    std::fs::write(
        &file,
        "\u{FEFF}MeganB@contoso.onmicrosoft.com\n\nnobody@contoso.com\nnot a upn\n",
    )
    .unwrap();
    let users = users_file::read(&file).unwrap();
    assert_eq!(users.upns.len(), 2);
    assert_eq!(users.problems.len(), 2, "{:?}", users.problems);

    let mine = inv
        .holders
        .iter()
        .find(|h| h.environment_name == "Contoso (default)" && h.upn.starts_with("gloria@"))
        .unwrap();
    let me = HolderRef {
        environment_id: mine.environment_id.clone(),
        system_user_id: mine.system_user_id.clone(),
        role_id: mine.role_id.clone(),
    };
    let plan = gloria
        .app
        .plan_cleanup(CleanupInput {
            holders: vec![me],
            upns: users.upns.clone(),
            include_self: false,
        })
        .await
        .unwrap();
    let megan_rows = inv
        .holders
        .iter()
        .filter(|h| h.upn.eq_ignore_ascii_case("MeganB@contoso.onmicrosoft.com"))
        .count();
    assert_eq!(
        plan.removals.len(),
        megan_rows,
        "every environment where Megan holds it"
    );
    assert_eq!(plan.skipped.len(), 1);
    assert!(plan.skipped[0].is_you && plan.skipped[0].skip_reason.is_some());
    assert_eq!(plan.unknown_upns, ["nobody@contoso.com"]);

    // A confirmation for another count changes nothing.
    let before = admins_now(&e).await;
    let err = gloria
        .app
        .run_cleanup(&plan.plan_id, 1 + plan.removals.len() as u32, &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(admins_now(&e).await, before);

    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, plan.removals.len() as u32, &|_| {})
        .await
        .unwrap();
    assert_eq!(run.removed as usize, megan_rows, "{:#?}", run.outcomes);
    assert_eq!(run.failed, 0);
    let planned: Vec<&str> = plan
        .removals
        .iter()
        .map(|r| r.environment_name.as_str())
        .collect();
    let left: Vec<_> = admins_now(&e)
        .await
        .into_iter()
        .filter(|(env, u)| u == "meganb@contoso.onmicrosoft.com" && planned.contains(&env.as_str()))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let folder = std::path::PathBuf::from(&run.logs_folder);
    for f in ["plan.json", "progress.jsonl", "log.txt", "report.csv"] {
        assert!(folder.join(f).exists(), "{f}");
    }
    assert!(!folder.join("errors.txt").exists());
    let report = std::fs::read_to_string(folder.join("report.csv")).unwrap();
    assert_eq!(report.lines().count(), megan_rows + 1, "{report}");
    // The plan cannot be carried out twice.
    assert_eq!(
        gloria
            .app
            .run_cleanup(&plan.plan_id, plan.removals.len() as u32, &|_| {})
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
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
    let mut now = admins_now(&e).await;
    let mut was = before.clone();
    now.sort();
    was.sort();
    assert_eq!(now, was, "the rollback put everything back");
    let runs = gloria.app.cleanup_runs();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (runs[0].removed, runs[0].restored),
        (0, megan_rows as u32),
        "last state per row"
    );

    let journal = gloria.app.journal_entries(JournalFilter::default()).await;
    let count = |a: JournalAction| journal.rows.iter().filter(|r| r.entry.action == a).count();
    assert_eq!(count(JournalAction::AssignmentRemove), megan_rows);
    assert_eq!(count(JournalAction::AssignmentRestore), megan_rows);
}

#[tokio::test]
async fn removing_every_person_warns_about_the_last_system_administrator() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    let env = "Field Service UAT";
    let people: Vec<HolderRef> = inv
        .holders
        .iter()
        .filter(|h| h.environment_name == env && !h.is_application_user && !h.is_disabled)
        .map(|h| HolderRef {
            environment_id: h.environment_id.clone(),
            system_user_id: h.system_user_id.clone(),
            role_id: h.role_id.clone(),
        })
        .collect();
    let plan = gloria
        .app
        .plan_cleanup(CleanupInput {
            holders: people.clone(),
            upns: vec![],
            include_self: true,
        })
        .await
        .unwrap();
    assert_eq!(plan.removals.len(), people.len());
    assert!(
        plan.removals.iter().all(|r| r.last_admin),
        "{:?}",
        plan.removals
    );
    let some = gloria
        .app
        .plan_cleanup(CleanupInput {
            holders: people[..1].to_vec(),
            upns: vec![],
            include_self: true,
        })
        .await
        .unwrap();
    assert!(people.len() > 1 && !some.removals[0].last_admin);
    let standing: Vec<_> = inv
        .holders
        .iter()
        .filter(|h| h.standing && h.pim == PimStatus::NoRole)
        .collect();
    assert!(!standing.is_empty());
}

#[tokio::test]
async fn a_fault_run_resumes_without_removing_anything_twice() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = full_inventory(&gloria).await;
    // Every standing person outside the directory: the clean-up story's targets.
    let targets: Vec<HolderRef> = inv
        .holders
        .iter()
        .filter(|h| h.pim == PimStatus::NoRole && !h.is_application_user)
        .map(|h| HolderRef {
            environment_id: h.environment_id.clone(),
            system_user_id: h.system_user_id.clone(),
            role_id: h.role_id.clone(),
        })
        .collect();
    assert!(targets.len() >= 10, "{}", targets.len());
    let plan = gloria
        .app
        .plan_cleanup(CleanupInput {
            holders: targets.clone(),
            upns: vec![],
            include_self: false,
        })
        .await
        .unwrap();
    admin(&e, "faults", json!({"seed": 3, "rules": [
        {"name": "refused", "method": "DELETE", "path": "/dataverse/**", "probability": 0.3, "fault": {"kind": "error", "status": 400}},
        {"name": "throttled", "method": "DELETE", "path": "/dataverse/**", "probability": 0.3, "fault": {"kind": "throttle", "retryAfterSeconds": 1}},
        {"name": "dropped", "method": "DELETE", "path": "/dataverse/**", "probability": 0.2, "fault": {"kind": "drop"}}
    ]}))
    .await;
    let first = gloria
        .app
        .run_cleanup(&plan.plan_id, plan.removals.len() as u32, &|_| {})
        .await
        .unwrap();
    assert!(first.failed > 0, "some rows fail under the storm");
    assert!(first
        .outcomes
        .iter()
        .all(|o| o.result == RemovalResult::Removed
            || o.error.as_ref().is_some_and(|e| !e.message.is_empty())));
    reqwest::Client::new()
        .delete(format!("{}/_emulator/faults", e.base_url()))
        .send()
        .await
        .unwrap();

    let again = gloria
        .app
        .resume_cleanup(&first.run_id, &|_| {})
        .await
        .unwrap();
    assert_eq!(
        again.failed,
        0,
        "{:#?}",
        again
            .outcomes
            .iter()
            .filter(|o| o.error.is_some())
            .collect::<Vec<_>>()
    );
    let already = again
        .outcomes
        .iter()
        .filter(|o| o.result == RemovalResult::AlreadyDone)
        .count();
    assert_eq!(
        already as u32,
        plan.removals.len() as u32 - first.failed,
        "what was removed is not sent again"
    );
    // The emulator saw each assignment removed exactly once.
    let mut removed: HashMap<String, usize> = HashMap::new();
    for a in unlinks(&e).await.iter().filter(|a| {
        a["detail"]
            .as_str()
            .unwrap_or("")
            .starts_with("Security role removed")
    }) {
        *removed
            .entry(format!("{}|{}", a["systemUserId"], a["roleId"]))
            .or_default() += 1;
    }
    assert_eq!(removed.len(), plan.removals.len());
    assert!(removed.values().all(|n| *n == 1));
    // And the progress file lists each row removed once.
    let progress =
        std::fs::read_to_string(std::path::Path::new(&first.logs_folder).join("progress.jsonl"))
            .unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in progress.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        if v["step"] == "removed" {
            *seen
                .entry(v["key"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert_eq!(seen.len(), plan.removals.len());
    assert!(seen.values().all(|n| *n == 1));
    let runs = gloria.app.cleanup_runs();
    assert!(
        runs[0].finished && runs[0].failed == 0 && runs[0].removed == plan.removals.len() as u32
    );
}
