//! The System Administrator inventory against the demo tenant: every business unit's copy,
//! the PIM join, environments that cannot be read (and Add me + retry), geo scope, cancel,
//! and fault runs where every environment still ends done or failed with a reason.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use elevate_core::api::{
    AddMeInput, ErrorCode, InventoryScope, InventoryScopeKind, JournalAction, PimStatus, ScanStatus,
};
use elevate_testkit::*;
use serde_json::json;

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

fn all() -> InventoryScope {
    InventoryScope::default()
}

#[tokio::test]
async fn a_global_admin_sees_who_holds_system_administrator_and_fills_the_gaps_with_add_me() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let inv = gloria
        .app
        .inventory(all(), &move |p| s2.lock().unwrap().push((p.done, p.total)))
        .await
        .unwrap();
    assert_eq!(inv.environments.len(), 13);
    assert!(
        inv.pim_note.is_none(),
        "a Global Administrator may read everyone's PIM"
    );
    let by: HashMap<&str, _> = inv
        .environments
        .iter()
        .map(|s| (s.environment_name.as_str(), s))
        .collect();
    assert_eq!(by["Intranet (no Dataverse)"].status, ScanStatus::Skipped);
    assert_eq!(by["Retired CRM"].status, ScanStatus::Skipped);
    assert_eq!(by["Contoso (default)"].status, ScanStatus::Done);
    let sales = by["Sales Production"];
    assert_eq!(sales.status, ScanStatus::Failed, "gloria is no user there");
    assert!(sales.error.as_ref().unwrap().message.contains("Add me"));
    let progress = seen.lock().unwrap().clone();
    assert_eq!(progress.len(), 13);
    assert_eq!(progress.last().unwrap(), &(13, 13));

    let megan = inv
        .holders
        .iter()
        .find(|h| h.environment_name == "Contoso (default)" && h.full_name == "Megan Bowen")
        .unwrap();
    assert!(megan.standing && megan.pim == PimStatus::NoRole);
    let me = inv
        .holders
        .iter()
        .find(|h| h.environment_name == "Contoso (default)" && h.upn.starts_with("gloria@"))
        .unwrap();
    assert_eq!(me.pim, PimStatus::Permanent);
    assert!(inv
        .holders
        .iter()
        .any(|h| h.is_application_user && h.pim == PimStatus::Unknown));

    // The failed ones: Add me there, then retry only those.
    let failed: Vec<String> = inv
        .environments
        .iter()
        .filter(|s| s.status == ScanStatus::Failed)
        .map(|s| s.environment_id.clone())
        .collect();
    assert!(!failed.is_empty());
    gloria.app.preflight(&failed).await.unwrap();
    gloria
        .app
        .add_me(
            AddMeInput {
                environment_ids: failed.clone(),
                try_anyway: false,
            },
            &|_| {},
        )
        .await
        .unwrap();
    let retry = gloria
        .app
        .inventory(scope_of(&failed.clone()), &|_| {})
        .await
        .unwrap();
    let teams_hub_blocked = retry
        .environments
        .iter()
        .filter(|s| s.status == ScanStatus::Failed)
        .map(|s| s.environment_name.as_str())
        .collect::<Vec<_>>();
    assert_eq!(
        teams_hub_blocked,
        ["Contoso Teams Hub"],
        "only the Teams environment refuses gloria"
    );
    assert_eq!(
        retry.environments.len(),
        13,
        "the retry is merged into the run"
    );
    let isaiah = retry
        .holders
        .iter()
        .find(|h| h.environment_name == "Sales Production" && h.full_name == "Isaiah Langer")
        .unwrap();
    assert_eq!(
        isaiah.business_unit, "Inside Sales",
        "the child business unit's copy"
    );

    // Export what the retry found, CSV and JSON.
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("inventory.csv");
    let out = gloria
        .app
        .inventory_export(elevate_core::api::ExportFormat::Csv, csv_path.clone())
        .await
        .unwrap();
    assert_eq!(out.count as usize, retry.holders.len());
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        elevate_core::inventory::export::CSV_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), retry.holders.len());
    assert!(rows
        .iter()
        .any(|x| &x[3] == "Isaiah Langer" && &x[2] == "Inside Sales"));
    let json_path = dir.path().join("inventory.json");
    gloria
        .app
        .inventory_export(elevate_core::api::ExportFormat::Json, json_path.clone())
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(json_path).unwrap()).unwrap();
    assert_eq!(v["format"], "elevate-inventory-export/1");
    assert_eq!(
        v["inventory"]["holders"].as_array().unwrap().len(),
        retry.holders.len()
    );

    let runs = journal_rows(&gloria.app, JournalAction::InventoryRun).await;
    assert_eq!(runs.len(), 2);
}

#[tokio::test]
async fn just_in_time_admins_are_told_apart_and_pim_unreadable_says_why() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    activate(&adele.app, PPA).await;
    let hr = adele
        .app
        .environments()
        .await
        .unwrap()
        .environments
        .into_iter()
        .find(|x| x.display_name == "HR Sandbox")
        .unwrap();
    elevate(&adele.app, &vec![hr.id.clone()]).await;

    // adele cannot read everyone's PIM: the column says Unknown, and the run says why.
    let mine = adele
        .app
        .inventory(scope_of(&vec![hr.id.clone()]), &|_| {})
        .await
        .unwrap();
    assert!(mine.pim_note.as_deref().unwrap().contains("Global Reader"));
    assert!(mine.holders.iter().all(|h| h.pim == PimStatus::Unknown));

    let gloria = signed_in(&e, "gloria").await;
    let europe = gloria
        .app
        .inventory(
            InventoryScope {
                kind: InventoryScopeKind::Geo,
                geo: "europe".into(),
                environment_ids: vec![],
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert!(europe.environments.iter().all(|s| s.geo == "europe"));
    assert!(!europe.environments.is_empty());
    let us = gloria
        .app
        .inventory(scope_of(&vec![hr.id.clone()]), &|_| {})
        .await
        .unwrap();
    // gloria is no user in HR Sandbox: she cannot read it — adele's own view above could.
    assert_eq!(
        us.environments
            .iter()
            .find(|s| s.environment_id == hr.id)
            .unwrap()
            .status,
        ScanStatus::Failed
    );
    let adele_row = mine
        .holders
        .iter()
        .find(|h| h.upn.starts_with("adele@"))
        .unwrap();
    assert!(adele_row.is_disabled == false && !adele_row.is_application_user);

    for bad in [
        InventoryScope {
            kind: InventoryScopeKind::Geo,
            geo: " ".into(),
            environment_ids: vec![],
        },
        InventoryScope {
            kind: InventoryScopeKind::Geo,
            geo: "../x".into(),
            environment_ids: vec![],
        },
        InventoryScope {
            kind: InventoryScopeKind::Environments,
            geo: String::new(),
            environment_ids: vec!["nope".into()],
        },
        InventoryScope {
            kind: InventoryScopeKind::Environments,
            geo: String::new(),
            environment_ids: vec![],
        },
    ] {
        assert_eq!(
            gloria.app.inventory(bad, &|_| {}).await.unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}

#[tokio::test]
async fn a_pim_activation_behind_system_administrator_reads_as_just_in_time() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    activate(&adele.app, PPA).await;
    let gloria = signed_in(&e, "gloria").await;
    let dev = gloria
        .app
        .environments()
        .await
        .unwrap()
        .environments
        .into_iter()
        .find(|x| x.display_name == "Adele's Developer")
        .unwrap();
    // gloria must be a user there to read it: she adds herself.
    elevate(&gloria.app, &vec![dev.id.clone()]).await;
    let inv = gloria
        .app
        .inventory(scope_of(&vec![dev.id.clone()]), &|_| {})
        .await
        .unwrap();
    let adele_row = inv
        .holders
        .iter()
        .find(|h| h.upn.starts_with("adele@"))
        .unwrap();
    assert_eq!(adele_row.pim, PimStatus::JustInTime);
    assert!(!adele_row.standing, "PIM manages adele's admin role");
    let gloria_row = inv
        .holders
        .iter()
        .find(|h| h.upn.starts_with("gloria@"))
        .unwrap();
    assert_eq!(gloria_row.pim, PimStatus::Permanent);
    assert!(gloria_row.standing);
}

#[tokio::test]
async fn fault_storms_end_every_environment_done_or_failed_with_a_reason() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let clean = gloria.app.inventory(all(), &|_| {}).await.unwrap();
    admin(&e, "faults", json!({"seed": 7, "rules": [
        {"name": "429 storm", "path": "/dataverse/**", "probability": 0.3, "fault": {"kind": "throttle", "retryAfterSeconds": 1}},
        {"name": "5xx", "path": "/dataverse/**", "probability": 0.15, "fault": {"kind": "error", "status": 503}},
        {"name": "dropped", "path": "/dataverse/**", "probability": 0.25, "fault": {"kind": "drop"}},
        {"name": "malformed", "path": "/dataverse/**", "probability": 0.3, "fault": {"kind": "malformedJson"}}
    ]}))
    .await;
    let stormy = gloria.app.inventory(all(), &|_| {}).await.unwrap();
    let stats = admin_get(&e, "faults").await;
    for rule in stats["stats"].as_array().unwrap() {
        assert!(
            rule["fired"].as_u64().unwrap() > 0,
            "{} never fired",
            rule["name"]
        );
    }
    assert_eq!(stormy.environments.len(), clean.environments.len());
    for s in &stormy.environments {
        match s.status {
            ScanStatus::Done | ScanStatus::Skipped => {}
            ScanStatus::Failed => assert!(s.error.as_ref().is_some_and(|e| !e.message.is_empty())),
            other => panic!("{} ended {other:?}", s.environment_name),
        }
    }
    // What was read under the storm is exactly what was read without it.
    let key = |h: &elevate_core::api::Holder| {
        (
            h.environment_id.clone(),
            h.system_user_id.clone(),
            h.role_id.clone(),
        )
    };
    let done: Vec<&str> = stormy
        .environments
        .iter()
        .filter(|s| s.status == ScanStatus::Done)
        .map(|s| s.environment_id.as_str())
        .collect();
    let mut a: Vec<_> = clean
        .holders
        .iter()
        .filter(|h| done.contains(&h.environment_id.as_str()))
        .map(key)
        .collect();
    let mut b: Vec<_> = stormy.holders.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[tokio::test]
async fn cancel_stops_the_run_and_says_so() {
    let e = tenant().await;
    let gloria = Arc::new(signed_in(&e, "gloria").await);
    admin(
        &e,
        "faults",
        json!({"seed": 1, "rules": [
            {"name": "slow", "path": "/dataverse/**", "fault": {"kind": "latency", "ms": 1500}}
        ]}),
    )
    .await;
    let g2 = gloria.clone();
    let run = tokio::spawn(async move { g2.app.inventory(all(), &|_| {}).await });
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    gloria.app.cancel_inventory();
    let inv = run.await.unwrap().unwrap();
    assert!(inv.cancelled);
    assert!(inv
        .environments
        .iter()
        .any(|s| s.status == ScanStatus::Cancelled));
}

#[tokio::test]
async fn all_environments_without_an_admin_role_says_it_is_partial() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    let inv = adele.app.inventory(all(), &|_| {}).await.unwrap();
    assert_eq!(
        inv.environments.len(),
        2,
        "only her own environments are listed to her"
    );
    let why = inv.partial.expect("says the run is not the whole tenant");
    assert!(why.contains("Activate"), "{why}");
    // Retrying one environment updates that run, which still covers only part of the tenant.
    let own = inv.environments[0].environment_id.clone();
    let retried = adele
        .app
        .inventory(scope_of(&[own]), &|_| {})
        .await
        .unwrap();
    assert!(retried.partial.is_some());

    activate(&adele.app, PPA).await;
    let inv = adele.app.inventory(all(), &|_| {}).await.unwrap();
    assert_eq!(inv.environments.len(), 13);
    assert!(inv.partial.is_none());
}
