//! Fault injection over HTTP: each kind observable, deterministic with the same seed, set from
//! the scenario or at run time, never applied to `/_emulator`.

use std::time::{Duration, Instant};

use crate::common::*;
use crate::platform::*;
use elevate_tenant::faults::{Fault, FaultConfig, FaultRule};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn set_faults(t: &Tenant, config: Value) -> (StatusCode, Value) {
    t.admin_post("faults", config).await
}

fn list_url(t: &Tenant) -> String {
    format!(
        "{}/environmentmanagement/environments?api-version=2024-10-01",
        t.ep.powerplatform
    )
}

#[tokio::test]
async fn throttle_every_nth_request_with_retry_after() {
    let t = start().await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let (status, body) = set_faults(&t, json!({"rules": [{"name": "every 2nd", "method": "GET", "path": "/powerplatform/", "every": 2, "fault": {"kind": "throttle", "retryAfterSeconds": 7}}]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = t.get(&list_url(&t), &token).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(r.headers["retry-after"], "7");
            assert!(r.headers.contains_key("x-ms-correlation-id"));
            assert_eq!(r.body["code"], "TooManyRequests");
        }
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [200, 429, 200, 429]);
    let (_, snapshot) = t.get_json(&format!("{}/_emulator/faults", t.base)).await;
    assert_eq!(snapshot["stats"][0]["matched"], 4);
    assert_eq!(snapshot["stats"][0]["fired"], 2);
    // Dataverse words an injected throttle as its own limit.
    set_faults(
        &t,
        json!({"rules": [{"path": "/dataverse/**/whoami", "fault": {"kind": "throttle"}}]}),
    )
    .await;
    let dv = t.dv_token("gloria", "contoso").await;
    let r = t
        .get(&format!("{}/WhoAmI", t.org_api("contoso")), &dv)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("0x80072322"))
    );
    // DELETE clears.
    let res = t
        .http
        .delete(format!("{}/_emulator/faults", t.base))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        t.get(&format!("{}/WhoAmI", t.org_api("contoso")), &dv)
            .await
            .status,
        StatusCode::OK
    );
}

async fn sequence(t: &Tenant, token: &str, seed: u64) -> Vec<u16> {
    set_faults(t, json!({"seed": seed, "rules": [{"path": "/powerplatform/**", "probability": 0.5, "fault": {"kind": "error", "status": 503}}]})).await;
    let mut out = Vec::new();
    for _ in 0..24 {
        out.push(t.get(&list_url(t), token).await.status.as_u16());
    }
    out
}

#[tokio::test]
async fn probabilistic_errors_repeat_with_the_same_seed() {
    let t = start().await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let a = sequence(&t, &token, 7).await;
    let b = sequence(&t, &token, 7).await;
    let c = sequence(&t, &token, 8).await;
    assert_eq!(a, b);
    assert_ne!(a, c, "a different seed gives a different pattern");
    assert!(a.contains(&503) && a.contains(&200), "{a:?}");
}

#[tokio::test]
async fn latency_drop_malformed_and_slow_bodies() {
    let t = start().await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let url = list_url(&t);

    set_faults(&t, json!({"rules": [{"path": "/powerplatform/", "fault": {"kind": "latency", "ms": 300, "jitterMs": 50}}]})).await;
    let started = Instant::now();
    assert_eq!(t.get(&url, &token).await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));

    set_faults(&t, json!({"rules": [{"path": "/powerplatform/", "fault": {"kind": "drop", "afterBytes": 10}}]})).await;
    let res = t
        .http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("headers arrive");
    assert!(res.bytes().await.is_err(), "the body is cut off");

    set_faults(
        &t,
        json!({"rules": [{"path": "/powerplatform/", "fault": {"kind": "malformedJson"}}]}),
    )
    .await;
    let res = t
        .http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.expect("body");
    assert!(!bytes.is_empty() && serde_json::from_slice::<Value>(&bytes).is_err());

    set_faults(&t, json!({"rules": [{"path": "/powerplatform/", "fault": {"kind": "slowBody", "chunkBytes": 2048, "delayMs": 60}}]})).await;
    let started = Instant::now();
    let r = t.get(&url, &token).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["value"].as_array().map(Vec::len),
        Some(13),
        "slow but whole"
    );
    assert!(started.elapsed() >= Duration::from_millis(120));
}

#[tokio::test]
async fn scenario_faults_apply_from_the_start_and_come_back_on_reset() {
    let t = start_with(|s| {
        s.faults = FaultConfig {
            seed: 1,
            rules: vec![FaultRule {
                name: Some("bap down".into()),
                method: None,
                path: "/bap/**".into(),
                every: None,
                probability: None,
                seed: None,
                max_hits: Some(1),
                fault: Fault::Error {
                    status: 500,
                    message: Some("boom".into()),
                },
            }],
        };
    })
    .await;
    let token = t.token_for("gloria", BAP_SCOPE).await;
    let url = format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01", t.ep.bap);
    let r = t.get(&url, &token).await;
    assert_eq!(
        (r.status, r.body["error"]["message"].as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, Some("boom"))
    );
    assert_eq!(
        t.get(&url, &token).await.status,
        StatusCode::OK,
        "maxHits 1"
    );
    t.http
        .delete(format!("{}/_emulator/faults", t.base))
        .send()
        .await
        .expect("delete");
    t.admin_post("reset", json!({})).await;
    assert_eq!(
        t.get(&url, &token).await.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "reset restores the scenario's rules"
    );
}

#[tokio::test]
async fn the_admin_api_is_never_faulted_and_bad_rules_change_nothing() {
    let t = start().await;
    set_faults(
        &t,
        json!({"rules": [{"path": "/", "fault": {"kind": "error"}}]}),
    )
    .await;
    let (status, _) = t.get_json(&format!("{}/_emulator/health", t.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        t.http
            .get(format!(
                "{}/login/common/v2.0/.well-known/openid-configuration",
                t.base
            ))
            .send()
            .await
            .expect("r")
            .status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    let before = t.get_json(&format!("{}/_emulator/faults", t.base)).await.1;
    for bad in [
        json!({"rules": [{"path": "no-slash", "fault": {"kind": "error"}}]}),
        json!({"rules": [{"path": "/", "every": 0, "fault": {"kind": "error"}}]}),
        json!({"rules": [{"path": "/", "probability": 2.0, "fault": {"kind": "error"}}]}),
        json!({"rules": [{"path": "/", "fault": {"kind": "explode"}}]}),
        json!({"rules": [{"path": "/", "fault": {"kind": "error", "status": 42}}]}),
        json!({"rules": [{"path": "/", "fault": {"kind": "slowBody", "chunkBytes": 0}}]}),
        json!({"rulez": []}),
        json!("nope"),
    ] {
        let (status, _) = set_faults(&t, bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(
        t.get_json(&format!("{}/_emulator/faults", t.base)).await.1,
        before
    );
}
