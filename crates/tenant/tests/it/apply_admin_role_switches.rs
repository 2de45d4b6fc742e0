//! applyAdminRole's scenario switches for what the real service has been seen to do: refuse
//! an api-version, answer 200 with `errors`, accept without (yet) assigning, and refuse in
//! other envelopes.

use crate::common::*;
use crate::platform::*;
use elevate_tenant::roles::POWER_PLATFORM_ADMINISTRATOR as PPA;
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

#[tokio::test]
async fn a_200_can_carry_errors_or_change_nothing_yet() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    let hr = env("HR Sandbox");
    switch(&t, json!({"applyAdminRoleOutcome": "errors"})).await;
    let r = t.apply("adele", &hr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(
        keys(&errors[0]),
        sorted(&["Code", "Description", "Subject"])
    );
    let steps: Vec<String> =
        serde_json::from_str(errors[0]["Description"].as_str().unwrap()).unwrap();
    assert!(steps.last().unwrap().contains("Failed to assign"));
    assert!(!t.is_sysadmin(&hr, ADELE).await);

    switch(&t, json!({"applyAdminRoleOutcome": "notAssigned"})).await;
    let r = t.apply("adele", &hr).await;
    assert_eq!(r.body["information"][0]["Code"], "UserExists");
    assert_eq!(r.body["errors"], json!([]));
    assert!(!t.is_sysadmin(&hr, ADELE).await);
    let audit = t.audit().await;
    assert_eq!(
        audit
            .iter()
            .map(|a| a["result"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Failed", "Accepted"]
    );

    // A slow sync: the same answer, the role a minute later.
    switch(
        &t,
        json!({"applyAdminRoleOutcome": "assigned", "applyAdminRoleAssignDelaySeconds": 60}),
    )
    .await;
    let r = t.apply("adele", &hr).await;
    assert_eq!(r.body["information"][0]["Code"], "UserExists");
    assert!(!t.is_sysadmin(&hr, ADELE).await);
    t.admin_post("clock/advance", json!({"seconds": 61})).await;
    assert!(t.is_sysadmin(&hr, ADELE).await);
}

#[tokio::test]
async fn refusals_come_in_every_envelope_clients_have_met() {
    let t = start().await;
    let hr = env("HR Sandbox");
    for (shape, check) in [
        ("wrapped", "error"),
        ("string", "string"),
        ("text", "text"),
        ("flat", "flat"),
    ] {
        switch(&t, json!({"applyAdminRoleErrorShape": shape})).await;
        let r = t.apply("nestor", &hr).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{shape}");
        let text = r.headers["content-type"].to_str().unwrap().to_string();
        match check {
            "error" => {
                assert_eq!(r.body["error"]["message"], NOT_ADMIN);
                assert_eq!(r.body["error"]["innererror"]["code"], "UserNotAdmin");
            }
            "string" => {
                assert!(text.starts_with("application/json"), "{text}");
                assert_eq!(r.body, json!(NOT_ADMIN));
            }
            "text" => {
                assert!(text.starts_with("text/plain"), "{text}");
                assert_eq!(r.body, json!(NOT_ADMIN));
            }
            _ => assert_eq!(r.body["message"], NOT_ADMIN),
        }
    }
}
