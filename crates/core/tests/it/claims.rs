//! Claims challenges on Graph, Power Platform and Dataverse calls (#16 point 8): answered once
//! in the HTTP layer with a token for the claims, or ended with plain words when only a new
//! sign-in can answer them; and `cp1` declared on every token request.

use elevate_core::api::ErrorCode;
use elevate_tenant::Emulator;
use elevate_testkit::*;
use serde_json::{json, Value};

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

/// A CAE revocation two minutes ahead: no token minted without these claims can meet it, so
/// the test does not depend on which second things happen in.
async fn revocation(e: &Emulator) -> Value {
    let now = admin_get(e, "clock").await["now"]
        .as_str()
        .unwrap()
        .to_string();
    let at = chrono::DateTime::parse_from_rfc3339(&now)
        .unwrap()
        .timestamp()
        + 120;
    json!({"access_token": {"nbf": {"essential": true, "value": at.to_string()}}})
}

async fn challenge(e: &Emulator, body: Value) {
    admin(e, "claims-challenges", body).await;
}

/// `(challenged, passed)` of the first challenge set.
async fn counts(e: &Emulator) -> (u64, u64) {
    let v = admin_get(e, "claims-challenges").await;
    let c = &v["value"][0];
    (
        c["challenged"].as_u64().unwrap(),
        c["passed"].as_u64().unwrap(),
    )
}

async fn token_requests(e: &Emulator) -> Vec<Value> {
    admin_get(e, "token-requests").await["value"]
        .as_array()
        .unwrap()
        .clone()
}

/// The claims of each refresh that answered a challenge (asked for more than `cp1`).
async fn challenge_refreshes(e: &Emulator) -> Vec<Value> {
    token_requests(e)
        .await
        .iter()
        .filter(|r| r["grantType"] == "refresh_token")
        .filter_map(|r| serde_json::from_str::<Value>(r["claims"].as_str()?).ok())
        .filter(|c| c["access_token"].as_object().is_some_and(|a| a.len() > 1))
        .collect()
}

#[tokio::test]
async fn every_token_request_declares_cp1() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    s.app.my_roles().await.unwrap();
    s.app.environments().await.unwrap();
    let default = env_id(&e, "Contoso (default)").await;
    s.app.membership(&default).await.unwrap();
    let log = token_requests(&e).await;
    assert!(
        log.iter().any(|r| r["grantType"] == "authorization_code"),
        "{log:?}"
    );
    assert!(
        log.iter()
            .filter(|r| r["grantType"] == "refresh_token")
            .count()
            >= 2,
        "Power Platform and Dataverse tokens come from refreshes: {log:?}"
    );
    for r in &log {
        assert_eq!(r["cp1"], true, "{r}");
    }
    e.shutdown().await;
}

#[tokio::test]
async fn a_graph_claims_challenge_is_answered_once_and_the_call_goes_on() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let claims = revocation(&e).await;
    challenge(&e, json!({"service": "graph", "claims": claims})).await;
    let roles = s.app.my_roles().await.expect("the challenge is answered");
    assert!(roles.eligible.iter().any(|r| r.role_id == PPA));
    // My roles reads four lists at once: each is challenged, and they share one renewal.
    let (challenged, passed) = counts(&e).await;
    assert!(challenged >= 1);
    assert!(
        passed >= challenged,
        "each challenged call went through after"
    );
    let sent = challenge_refreshes(&e).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(
        sent[0]["access_token"]["nbf"],
        claims["access_token"]["nbf"]
    );
    assert_eq!(
        sent[0]["access_token"]["xms_cc"],
        json!({"values": ["cp1"]})
    );
    assert_eq!(s.browser.count(), 1, "no sign-in page for it");
    elevate_testkit::figures::add("oauth.recovered", 1);
    e.shutdown().await;
}

#[tokio::test]
async fn power_platform_and_dataverse_challenges_are_answered_too() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let default = env_id(&e, "Contoso (default)").await;
    challenge(
        &e,
        json!({"service": "powerPlatform", "claims": revocation(&e).await}),
    )
    .await;
    challenge(
        &e,
        json!({"service": "dataverse", "claims": revocation(&e).await}),
    )
    .await;
    s.app.environments().await.expect("Power Platform answered");
    let m = s.app.membership(&default).await.expect("membership");
    assert!(m.unavailable.is_none(), "{:?}", m.unavailable);
    assert!(!m.administrators.is_empty());
    let v = admin_get(&e, "claims-challenges").await;
    for c in v["value"].as_array().unwrap() {
        assert!(c["challenged"].as_u64().unwrap() >= 1, "{c}");
        assert!(c["passed"].as_u64().unwrap() >= 1, "{c}");
    }
    assert_eq!(challenge_refreshes(&e).await.len(), 2, "one per service");
    elevate_testkit::figures::add("oauth.recovered", 2);
    e.shutdown().await;
}

#[tokio::test]
async fn a_challenge_only_a_sign_in_can_meet_ends_in_plain_words() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    // An authentication context her password-only sign-in did not prove: Entra answers the
    // refresh with AADSTS50076, and reading My roles has no sign-in page to offer.
    let acrs = json!({"access_token": {"acrs": {"essential": true, "value": "c1"}}});
    challenge(&e, json!({"service": "graph", "claims": acrs})).await;
    let err = s.app.my_roles().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InteractionRequired, "{err:?}");
    assert!(err.message.contains("sign in again"), "{}", err.message);
    assert!(!err.message.contains("did not accept"), "{}", err.message);
    elevate_testkit::figures::add("oauth.refused", 1);
    assert_eq!(s.browser.count(), 1);
    e.shutdown().await;
}

#[tokio::test]
async fn a_second_challenge_is_an_error_not_a_loop() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    // Entra issues a token for claims it does not know, without them: the service refuses
    // that one too.
    let odd = json!({"access_token": {"xms_unknown": {"essential": true, "value": "x"}}});
    challenge(&e, json!({"service": "powerPlatform", "claims": odd})).await;
    let err = s.app.environments().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InteractionRequired, "{err:?}");
    assert_eq!(counts(&e).await, (2, 0), "the first try and one retry");
    elevate_testkit::figures::add("oauth.refused", 1);
    e.shutdown().await;
}

#[tokio::test]
async fn a_challenged_pim_request_steps_up_in_the_browser_and_is_sent_once() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let acrs = json!({"access_token": {"acrs": {"essential": true, "value": "c1"}}});
    challenge(
        &e,
        json!({"service": "graph", "claims": acrs, "method": "POST",
               "path": "/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests"}),
    )
    .await;
    activate(&s.app, PPA).await;
    assert_eq!(s.browser.count(), 2, "one sign-in, one step-up");
    let requests = admin_get(&e, "pim/requests").await;
    assert_eq!(requests["value"].as_array().unwrap().len(), 1);
    e.shutdown().await;
}
