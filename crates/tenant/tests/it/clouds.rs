//! Sovereign clouds (contract part 2 §9): the emulator stands in for one cloud at a time.
//! Its addresses stay local, but tokens are issued for that cloud's resource ids and its
//! services refuse a token for another cloud's audience.

use crate::common::*;
use elevate_tenant::cloud::CloudName;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn gcc_high() -> Tenant {
    start_with(|s| s.settings.cloud = CloudName::UsGovHigh).await
}

impl Tenant {
    async fn mint(&self, scope: &str) -> (StatusCode, Value) {
        self.admin_post("token", json!({"user": "gloria", "scope": scope}))
            .await
    }

    async fn status_with(&self, url: &str, token: &str) -> StatusCode {
        self.http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
            .status()
    }

    fn graph_me(&self) -> String {
        format!("{}/v1.0/me", self.ep.graph)
    }

    fn pp_environments(&self) -> String {
        format!(
            "{}/environmentmanagement/environments?api-version=2024-10-01",
            self.ep.powerplatform
        )
    }

    fn bap_environments(&self) -> String {
        format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01", self.ep.bap)
    }
}

#[tokio::test]
async fn a_gcc_high_tenant_issues_and_accepts_only_gcc_high_audiences() {
    let t = gcc_high().await;
    let (_, ep) = t.get_json(&format!("{}/_emulator/endpoints", t.base)).await;
    assert_eq!(ep["cloud"], "usGovHigh");
    let (_, doc) = t
        .get_json(&format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            t.ep.authority, t.ep.tenant_id
        ))
        .await;
    assert_eq!(doc["msgraph_host"], "graph.microsoft.us");
    assert_eq!(doc["cloud_instance_name"], "microsoftonline.us");

    for (scope, aud, url) in [
        (
            "https://graph.microsoft.us/.default",
            "https://graph.microsoft.us",
            t.graph_me(),
        ),
        ("User.Read", "https://graph.microsoft.us", t.graph_me()),
        (
            "https://api.high.powerplatform.microsoft.us/.default",
            "https://api.high.powerplatform.microsoft.us",
            t.pp_environments(),
        ),
        (
            "https://high.service.apps.appsplatform.us/.default",
            "https://high.service.apps.appsplatform.us/",
            t.bap_environments(),
        ),
    ] {
        let (status, body) = t.mint(scope).await;
        assert_eq!(status, StatusCode::OK, "{scope}: {body}");
        let token = body["access_token"].as_str().expect("token");
        assert_eq!(claims(token)["aud"], aud, "{scope}");
        assert_eq!(t.status_with(&url, token).await, StatusCode::OK, "{scope}");
    }

    // The public ids are not resources of a GCC High tenant (AADSTS500011).
    for scope in [
        "https://graph.microsoft.com/.default",
        "https://api.powerplatform.com/.default",
        "https://service.powerapps.com/.default",
    ] {
        let (status, body) = t.mint(scope).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{scope}: {body}");
        assert_eq!(body["error"]["code"], "invalid_resource", "{scope}");
    }
}

#[tokio::test]
async fn a_token_for_another_clouds_audience_is_refused() {
    let t = start().await;
    let (_, graph) = t.mint("https://graph.microsoft.com/.default").await;
    let (_, pp) = t.mint("https://api.powerplatform.com/.default").await;
    let (_, bap) = t.mint("https://service.powerapps.com/.default").await;
    let tok = |v: &Value| v["access_token"].as_str().expect("token").to_string();
    assert_eq!(
        t.status_with(&t.graph_me(), &tok(&graph)).await,
        StatusCode::OK
    );

    // Same tenant, same keys: only the cloud it stands for changes.
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"cloud": "usGovHigh"}))
        .send()
        .await
        .expect("settings");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        t.status_with(&t.graph_me(), &tok(&graph)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.status_with(&t.pp_environments(), &tok(&pp)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        t.status_with(&t.bap_environments(), &tok(&bap)).await,
        StatusCode::UNAUTHORIZED
    );

    // GCC keeps the worldwide Graph but has its own Power Platform API.
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"cloud": "usGov"}))
        .send()
        .await
        .expect("settings");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        t.status_with(&t.graph_me(), &tok(&graph)).await,
        StatusCode::OK
    );
    assert_eq!(
        t.status_with(&t.pp_environments(), &tok(&pp)).await,
        StatusCode::UNAUTHORIZED
    );
    let (_, gov) = t
        .mint("https://api.gov.powerplatform.microsoft.us/.default")
        .await;
    assert_eq!(
        t.status_with(&t.pp_environments(), &tok(&gov)).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unknown_cloud_setting_is_refused() {
    let t = start().await;
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"cloud": "mars"}))
        .send()
        .await
        .expect("settings");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let (_, ep) = t.get_json(&format!("{}/_emulator/endpoints", t.base)).await;
    assert_eq!(ep["cloud"], "public");
}

#[tokio::test]
async fn sign_out_requests_are_recorded_with_the_account_the_hint_names() {
    let t = start().await;
    let tokens = t
        .tokens_for("adele@contoso.onmicrosoft.com", GRAPH_SCOPE)
        .await;
    let id = claims(tokens["id_token"].as_str().expect("id_token"));
    let hint = id["login_hint"]
        .as_str()
        .expect("login_hint claim")
        .to_string();
    assert!(!hint.contains("adele"), "the hint is opaque: {hint}");

    let logout = format!("{}/{}/oauth2/v2.0/logout", t.ep.authority, t.ep.tenant_id);
    let res = t
        .http
        .get(&logout)
        .query(&[("logout_hint", hint.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("You signed out"));

    // A registered redirect URI is followed; any other is not.
    let res = t
        .http
        .get(&logout)
        .query(&[("post_logout_redirect_uri", "http://localhost:4711/")])
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "http://localhost:4711/");
    let res = t
        .http
        .get(&logout)
        .query(&[("post_logout_redirect_uri", "https://evil.example/")])
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::OK);

    let (_, log) = t.get_json(&format!("{}/_emulator/sign-outs", t.base)).await;
    let log = log["value"].as_array().expect("sign-outs").clone();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0]["userId"], id["oid"]);
    assert_eq!(log[1]["userId"], Value::Null);
    assert_eq!(log[1]["redirected"], true);
    assert_eq!(log[2]["redirected"], false);
    assert_eq!(t.emu.sign_outs().len(), 3);

    // Another tenant's sign-out endpoint is not this one.
    let res = t
        .http
        .get(format!(
            "{}/nope.example/oauth2/v2.0/logout",
            t.ep.authority
        ))
        .send()
        .await
        .expect("logout");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
