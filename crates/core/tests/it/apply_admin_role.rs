//! Add me against the ways Power Platform has been seen to answer applyAdminRole: a refused
//! api-version, a 200 that reports errors, a 200 that changed nothing (yet), and refusals in
//! every envelope. The emulator's scenario switches play each one.

use elevate_core::api::{
    AddMeInput, ElevationProgress, ElevationResult, JournalAction, JournalOutcome, JournalRow,
};
use elevate_core::Elevate;
use elevate_tenant::Emulator;
use elevate_testkit::*;
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
    journal_rows(app, JournalAction::SelfElevate).await
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
    let detail = latest.entry.result.detail.clone().unwrap_or_default();
    assert!(
        detail.contains("Sent with api-version 2022-03-01-preview.") && !detail.contains("refused"),
        "{detail}"
    );
}

/// Add me for one environment just preflighted, with every progress event kept.
async fn add_me_watched(
    app: &Elevate,
    id: &str,
) -> (elevate_core::api::Elevation, Vec<ElevationProgress>) {
    app.preflight(&[id.to_string()]).await.unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let mut out = app
        .add_me(input(&[id]), &|p| seen.lock().unwrap().push(p))
        .await
        .unwrap();
    (out.remove(0), seen.into_inner().unwrap())
}

#[tokio::test]
async fn a_200_with_errors_says_what_microsoft_reported_and_is_not_success() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let hr = env_id(&e, "HR Sandbox").await;
    settings(&e, json!({"applyAdminRoleOutcome": "errors"})).await;
    let (out, _) = add_me_watched(&gloria.app, &hr).await;
    assert_eq!(out.result, ElevationResult::Refused, "{}", out.message);
    assert!(
        out.message
            .contains("Failed to assign the System Administrator security role"),
        "{}",
        out.message
    );
    let err = out.error.as_ref().unwrap();
    assert!(err.correlation_id.is_some());
    assert!(err
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("RoleAssignmentFailed"));
    assert!(!gloria.app.membership(&hr).await.unwrap().you_are_admin);
    let rows = elevations(&gloria.app).await;
    assert_eq!(rows[0].entry.result.outcome, JournalOutcome::Failed);
}

#[tokio::test]
async fn an_accepted_request_that_changes_nothing_is_not_called_success() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let hr = env_id(&e, "HR Sandbox").await;
    settings(&e, json!({"applyAdminRoleOutcome": "notAssigned"})).await;
    let started = std::time::Instant::now();
    let (out, seen) = add_me_watched(&gloria.app, &hr).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "the confirmation is bounded"
    );
    assert_eq!(out.result, ElevationResult::Unconfirmed, "{}", out.message);
    assert!(
        out.message
            .starts_with("Microsoft accepted the request, but you are not System Administrator"),
        "{}",
        out.message
    );
    let corr = out
        .correlation_id
        .clone()
        .expect("a correlation id to quote");
    assert!(out.message.contains(&corr), "{}", out.message);
    assert!(seen.len() > 1, "progress while Elevate checks: {seen:?}");
    assert_eq!(seen.last().unwrap().done, 1);
    let rows = elevations(&gloria.app).await;
    assert_eq!(rows[0].entry.result.outcome, JournalOutcome::Pending);
    assert_eq!(rows[0].entry.correlation_id.as_deref(), Some(corr.as_str()));
}

#[tokio::test]
async fn a_slow_assignment_is_confirmed_before_it_is_called_success() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let hr = env_id(&e, "HR Sandbox").await;
    settings(&e, json!({"applyAdminRoleAssignDelaySeconds": 1})).await;
    let (out, seen) = add_me_watched(&gloria.app, &hr).await;
    assert_eq!(out.result, ElevationResult::Elevated, "{}", out.message);
    assert!(seen
        .iter()
        .any(|p| p.done == 0 && p.latest.environment_id == hr));
    assert!(gloria.app.membership(&hr).await.unwrap().you_are_admin);
    let rows = elevations(&gloria.app).await;
    assert_eq!(rows[0].entry.result.outcome, JournalOutcome::Succeeded);
    assert!(rows[0]
        .entry
        .result
        .detail
        .as_deref()
        .unwrap_or("")
        .contains("Confirmed"));
}

#[tokio::test]
async fn every_refusal_envelope_keeps_its_guidance() {
    let e = tenant().await;
    let nestor = signed_in(&e, "nestor").await;
    // The default environment: the one every user sees, so the preflight has it.
    let hr = env_id(&e, "Contoso (default)").await;
    for shape in ["flat", "wrapped", "string", "text"] {
        settings(&e, json!({"applyAdminRoleErrorShape": shape})).await;
        nestor.app.preflight(&[hr.clone()]).await.unwrap();
        let out = nestor
            .app
            .add_me(
                AddMeInput {
                    environment_ids: vec![hr.clone()],
                    try_anyway: true,
                },
                &|_| {},
            )
            .await
            .unwrap()
            .remove(0);
        assert_eq!(out.result, ElevationResult::Refused, "{shape}");
        let err = out.error.unwrap();
        assert_eq!(err.code, elevate_core::api::ErrorCode::Forbidden, "{shape}");
        assert!(
            err.message
                .contains("not a Global, Power Platform or Dynamics 365 Administrator"),
            "{shape}: {}",
            err.message
        );
        assert!(err.correlation_id.is_some(), "{shape}");
    }
}
