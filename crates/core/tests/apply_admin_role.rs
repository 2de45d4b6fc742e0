//! Add me against the ways Power Platform has been seen to answer applyAdminRole: a refused
//! api-version, a 200 that reports errors, a 200 that changed nothing (yet), and refusals in
//! every envelope. The emulator's scenario switches play each one.

mod common;

use common::*;
use elevate_core::api::{
    AddMeInput, ElevationResult, JournalAction, JournalFilter, JournalOutcome, JournalRow,
};
use elevate_core::Elevate;
use elevate_tenant::Emulator;
use serde_json::json;

fn input(ids: &[&str]) -> AddMeInput {
    AddMeInput {
        environment_ids: ids.iter().map(|s| s.to_string()).collect(),
        try_anyway: false,
    }
}

/// Counts applyAdminRole requests (whatever the answer) from here on.
async fn count_apply(e: &Emulator) {
    admin(&e, "faults", json!({"rules": [
        {"name": "apply", "method": "POST", "path": "/powerplatform/usermanagement/**", "probability": 0.0, "fault": {"kind": "latency", "ms": 0}}
    ]}))
    .await;
}

async fn apply_requests(e: &Emulator) -> u64 {
    admin_get(e, "faults").await["stats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "apply")
        .map(|r| r["matched"].as_u64().unwrap())
        .unwrap()
}

async fn elevations(app: &Elevate) -> Vec<JournalRow> {
    app.journal_entries(JournalFilter::default())
        .await
        .rows
        .into_iter()
        .filter(|r| r.entry.action == JournalAction::SelfElevate)
        .collect()
}

#[tokio::test]
async fn a_refused_api_version_is_retried_once_with_the_preview_and_kept_for_the_session() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let hr = env_id(&e, "HR Sandbox").await;
    let uat = env_id(&e, "Field Service UAT").await;
    settings(
        &e,
        json!({"applyAdminRoleApiVersions": ["2022-03-01-preview"]}),
    )
    .await;
    count_apply(&e).await;
    let out = elevate(&gloria.app, &[hr.clone()]).await;
    assert_eq!(
        out[0].result,
        ElevationResult::Elevated,
        "{}",
        out[0].message
    );
    assert_eq!(apply_requests(&e).await, 2, "the refusal and one retry");
    let rows = elevations(&gloria.app).await;
    let detail = rows[0].entry.result.detail.clone().unwrap_or_default();
    assert_eq!(rows[0].entry.result.outcome, JournalOutcome::Succeeded);
    assert!(
        detail.contains("2022-03-01-preview") && detail.contains("refused 2024-10-01"),
        "{detail}"
    );

    // The version that worked is sent first from now on.
    let out = elevate(&gloria.app, &[uat]).await;
    assert_eq!(
        out[0].result,
        ElevationResult::Elevated,
        "{}",
        out[0].message
    );
    assert_eq!(apply_requests(&e).await, 3);
    let rows = elevations(&gloria.app).await;
    let latest = rows.iter().max_by_key(|r| r.entry.seq).unwrap();
    assert_eq!(
        latest.entry.result.detail.as_deref(),
        Some("Sent with api-version 2022-03-01-preview.")
    );
}
