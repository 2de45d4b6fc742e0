//! applyAdminRole's scenario switches for what the real service has been seen to do: refuse
//! an api-version, answer 200 with `errors`, accept without (yet) assigning, and refuse in
//! other envelopes.

mod common;
mod platform;

use common::*;
use elevate_tenant::roles::POWER_PLATFORM_ADMINISTRATOR as PPA;
use platform::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ADELE: &str = "adele@contoso.onmicrosoft.com";

async fn switch(t: &Tenant, body: Value) {
    let r = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&body)
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), StatusCode::OK, "{body}");
}

async fn apply_with(t: &Tenant, user: &str, env: &str, version: &str) -> Reply {
    let token = t.token_for(user, PP_SCOPE).await;
    let url = format!(
        "{}/usermanagement/environments/{env}/user/applyAdminRole?api-version={version}",
        t.ep.powerplatform
    );
    t.call(Method::POST, &url, Some(&token), &[], None).await
}

#[tokio::test]
async fn unknown_versions_are_refused_and_a_switch_refuses_the_rest_references() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    let hr = env("HR Sandbox");
    let r = apply_with(&t, "adele", &hr, "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["code"], "ApiVersionInvalid");
    assert_eq!(
        apply_with(&t, "adele", &hr, "2024-10-01").await.status,
        StatusCode::OK
    );
    switch(
        &t,
        json!({"applyAdminRoleApiVersions": ["2022-03-01-preview"]}),
    )
    .await;
    let r = apply_with(&t, "adele", &hr, "2024-10-01").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["code"], "ApiVersionInvalid");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("'2022-03-01-preview'"));
    let r = apply_with(&t, "adele", &hr, "2022-03-01-preview").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The switch is applyAdminRole's own: the environment list keeps both versions.
    let token = t.token_for("adele", PP_SCOPE).await;
    let list = format!(
        "{}/environmentmanagement/environments?api-version=2024-10-01",
        t.ep.powerplatform
    );
    assert_eq!(t.get(&list, &token).await.status, StatusCode::OK);
}
