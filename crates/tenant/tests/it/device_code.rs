//! The device code flow: start, poll, approve or decline on the devicelogin page, expire.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn start_flow(t: &Tenant, scope: &str) -> Value {
    let res = t
        .http
        .post(format!("{}/oauth2/v2.0/devicecode", t.tenant_url()))
        .form(&[("client_id", t.ep.client_id.as_str()), ("scope", scope)])
        .send()
        .await
        .expect("devicecode");
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.expect("json")
}

async fn poll(t: &Tenant, device_code: &str) -> (StatusCode, Value) {
    t.token(&[
        ("client_id", &t.ep.client_id),
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("device_code", device_code),
    ])
    .await
}

async fn enter(t: &Tenant, user_code: &str, login: &str, action: &str) -> String {
    let res = t
        .http
        .post(format!("{}/login/devicelogin", t.base))
        .form(&[
            ("user_code", user_code),
            ("login", login),
            ("action", action),
        ])
        .send()
        .await
        .expect("devicelogin");
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.expect("html")
}

#[tokio::test]
async fn pending_then_approved_then_tokens() {
    let t = start().await;
    let flow = start_flow(&t, GRAPH_SCOPE).await;
    let user_code = flow["user_code"].as_str().expect("user_code");
    let device_code = flow["device_code"].as_str().expect("device_code");
    assert_eq!(
        flow["verification_uri"],
        format!("{}/login/devicelogin", t.base)
    );
    assert_eq!(flow["expires_in"], 900);
    assert_eq!(flow["interval"], 1);
    assert!(flow.get("verification_uri_complete").is_none());
    assert_eq!(
        flow["message"],
        format!("To sign in, use a web browser to open the page {}/login/devicelogin and enter the code {user_code} to authenticate.", t.base)
    );

    let (status, body) = poll(&t, device_code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending");
    assert_eq!(aadsts(&body), 70016);
    assert!(body["error_description"].as_str().unwrap_or("").starts_with(
        "AADSTS70016: The provided request has not yet been authorized by the user. The user must input their code."
    ));

    let page = t
        .http
        .get(format!("{}/login/devicelogin", t.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains(r#"name="user_code""#) && page.contains(r#"name="login""#));

    let bad = enter(&t, "WRONGCOD", "gloria", "signin").await;
    assert!(bad.contains("AADSTS70018"));
    let (_, still) = poll(&t, device_code).await;
    assert_eq!(still["error"], "authorization_pending");

    let done = enter(
        &t,
        &user_code.to_lowercase(),
        "gloria@contoso.onmicrosoft.com",
        "signin",
    )
    .await;
    assert!(done.contains("You have signed in"), "{done}");
    let (status, tokens) = poll(&t, device_code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(
        claims(tokens["access_token"].as_str().expect("at"))["upn"],
        "gloria@contoso.onmicrosoft.com"
    );
    assert!(tokens["refresh_token"].is_string() && tokens["id_token"].is_string());

    let (_, again) = poll(&t, device_code).await;
    assert_eq!(
        again["error"], "invalid_grant",
        "a device code is redeemed once"
    );
    let reused = enter(&t, user_code, "gloria", "signin").await;
    assert!(reused.contains("AADSTS90120"));
}

#[tokio::test]
async fn declined_expired_and_unknown() {
    let t = start().await;
    let flow = start_flow(&t, "User.Read").await;
    let declined = enter(&t, flow["user_code"].as_str().expect("code"), "", "cancel").await;
    assert!(declined.contains("declined"));
    let (_, body) = poll(&t, flow["device_code"].as_str().expect("dc")).await;
    assert_eq!(body["error"], "authorization_declined");

    let (_, body) = poll(&t, "not-a-device-code").await;
    assert_eq!(body["error"], "bad_verification_code");
    assert_eq!(aadsts(&body), 70018);

    let flow = start_flow(&t, "User.Read").await;
    t.admin_post("clock/advance", json!({"seconds": 901})).await;
    let (_, body) = poll(&t, flow["device_code"].as_str().expect("dc")).await;
    assert_eq!(body["error"], "expired_token");
    assert_eq!(aadsts(&body), 70019);
    let late = enter(
        &t,
        flow["user_code"].as_str().expect("code"),
        "adele",
        "signin",
    )
    .await;
    assert!(late.contains("AADSTS70019"));
}

#[tokio::test]
async fn slow_down_when_switched_on() {
    let t = start_with(|s| {
        s.settings.device_code_slow_down = true;
        s.settings.device_code_interval_seconds = 30;
    })
    .await;
    let flow = start_flow(&t, "User.Read").await;
    let dc = flow["device_code"].as_str().expect("dc");
    assert_eq!(poll(&t, dc).await.1["error"], "authorization_pending");
    assert_eq!(poll(&t, dc).await.1["error"], "slow_down");
    t.admin_post("clock/advance", json!({"seconds": 31})).await;
    assert_eq!(poll(&t, dc).await.1["error"], "authorization_pending");
}

#[tokio::test]
async fn devicecode_endpoint_validates_like_entra() {
    let t = start().await;
    let url = format!("{}/oauth2/v2.0/devicecode", t.tenant_url());
    let res = t
        .http
        .post(&url)
        .form(&[("client_id", t.ep.client_id.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(aadsts(&res.json().await.expect("json")), 900144);
    let res = t
        .http
        .post(&url)
        .form(&[
            ("client_id", t.ep.client_id.as_str()),
            ("scope", "User.Read"),
            ("client_secret", "x"),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(aadsts(&res.json().await.expect("json")), 700025);
}
