//! The `/_emulator/` admin API and the issued-secrets log.

use crate::common::*;
use elevate_tenant::Endpoints;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn health_endpoints_users_clock() {
    let t = start().await;
    let (status, body) = t.get_json(&format!("{}/_emulator/health", t.base)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"status": "ok"})));

    let (_, body) = t.get_json(&format!("{}/_emulator/endpoints", t.base)).await;
    let ep: Endpoints = serde_json::from_value(body.clone()).expect("Endpoints");
    assert_eq!(ep.authority, format!("{}/login", t.base));
    assert_eq!(ep.graph, format!("{}/graph", t.base));
    assert_eq!(ep.powerplatform, format!("{}/powerplatform", t.base));
    assert_eq!(ep.bap, format!("{}/bap", t.base));
    assert_eq!(ep.tenant_id, "afab2068-79cf-4806-8d19-7c4ca1ecdd95");
    assert_eq!(ep.client_id, "0dad417b-1596-48fd-bb35-d77803a3f2e9");
    assert!(body.get("tenantId").is_some() && body.get("clientId").is_some());
    assert_eq!(t.emu.endpoints().authority, ep.authority);
    assert!(!t.emu.base_url().ends_with('/'));

    let (_, users) = t.get_json(&format!("{}/_emulator/users", t.base)).await;
    let list = users["value"].as_array().expect("users");
    assert_eq!(list.len(), 7);
    let gloria = list
        .iter()
        .find(|u| u["userPrincipalName"] == "gloria@contoso.onmicrosoft.com")
        .expect("gloria");
    assert_eq!(
        gloria["directoryRoles"],
        json!(["62e90394-69f5-4237-9190-012177145e10"])
    );

    let (_, before) = t.get_json(&format!("{}/_emulator/clock", t.base)).await;
    let (status, after) = t
        .admin_post("clock/advance", json!({"seconds": 86400}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let parse = |v: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(v["now"].as_str().expect("now")).expect("rfc3339")
    };
    let moved = parse(&after) - parse(&before);
    assert!(moved >= chrono::Duration::seconds(86400) && moved < chrono::Duration::seconds(86460));

    let (status, _) = t
        .admin_post("clock/advance", json!({"seconds": "soon"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_issued_secret_is_logged_and_reset_keeps_the_log() {
    let t = start().await;
    let tokens = t.tokens_for("gloria", GRAPH_SCOPE).await;
    let (_, minted) = t
        .admin_post(
            "token",
            json!({"user": "adele", "scope": "https://graph.microsoft.com/.default"}),
        )
        .await;
    let (_, log) = t.get_json(&format!("{}/_emulator/tokens", t.base)).await;
    let log: Vec<String> = serde_json::from_value(log["tokens"].clone()).expect("tokens");
    assert_eq!(log, t.emu.issued_tokens());
    for name in ["access_token", "refresh_token", "id_token"] {
        assert!(
            log.iter()
                .any(|s| s == tokens[name].as_str().expect("secret")),
            "{name}"
        );
    }
    assert!(log
        .iter()
        .any(|s| s == minted["access_token"].as_str().expect("at")));
    assert_eq!(log.len(), 5, "code, access, refresh, id, minted access");

    let rt = tokens["refresh_token"].as_str().expect("rt").to_string();
    let (status, _) = t.admin_post("reset", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t.emu.issued_tokens().len(), 5, "reset keeps the log");
    let (_, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
        ])
        .await;
    assert_eq!(
        body["error"], "invalid_grant",
        "reset forgets issued grants"
    );
}

#[tokio::test]
async fn minted_tokens_work_and_bad_requests_are_refused() {
    let t = start().await;
    let (status, body) = t
        .admin_post(
            "token",
            json!({"user": "diego@contoso.onmicrosoft.com", "scope": "User.Read"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let at = claims(body["access_token"].as_str().expect("at"));
    assert_eq!(at["upn"], "diego@contoso.onmicrosoft.com");
    let res = t
        .http
        .get(format!("{}/v1.0/me", t.ep.graph))
        .bearer_auth(body["access_token"].as_str().expect("at"))
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), StatusCode::OK);

    let (status, _) = t
        .admin_post("token", json!({"user": "zed", "scope": "User.Read"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = t
        .admin_post(
            "token",
            json!({"user": "diego", "scope": "https://nope.example/.default"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "invalid_resource");
    let (status, _) = t.admin_post("token", json!({"scope": "User.Read"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn settings_change_at_runtime_and_refuse_typos() {
    let t = start().await;
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"accessTokenLifetimeSeconds": 600}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::OK);
    let minted = t
        .admin_post("token", json!({"user": "alex", "scope": "User.Read"}))
        .await
        .1;
    assert_eq!(minted["expires_in"], 600);
    let at = claims(minted["access_token"].as_str().expect("at"));
    assert_eq!(
        at["exp"].as_i64().unwrap_or(0) - at["iat"].as_i64().unwrap_or(0),
        600
    );

    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"accessTokenLifetimeSecs": 1}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let (_, settings) = t.get_json(&format!("{}/_emulator/settings", t.base)).await;
    assert_eq!(settings["accessTokenLifetimeSeconds"], 600);
}
