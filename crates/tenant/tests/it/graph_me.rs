//! Graph `GET /v1.0/me` and how Graph refuses bad bearer tokens.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn me(
    t: &Tenant,
    auth: Option<&str>,
    query: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = t
        .http
        .get(format!("{}/v1.0/me{query}", t.ep.graph))
        .header("client-request-id", "cr-123");
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let res = req.send().await.expect("me");
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.json().await.expect("json"))
}

async fn admin_token(t: &Tenant, user: &str, scope: &str) -> String {
    let (status, body) = t
        .admin_post("token", json!({"user": user, "scope": scope}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn me_with_a_signed_in_token() {
    let t = start().await;
    let tokens = t.tokens_for("adele", GRAPH_SCOPE).await;
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().expect("at"));
    let (status, headers, body) = me(&t, Some(&bearer), "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(headers.contains_key("request-id"));
    assert_eq!(headers["client-request-id"], "cr-123");
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#users/$entity"
    );
    assert_eq!(body["id"], "bc57dae3-621a-4276-9fd4-c9be4a29ef43");
    assert_eq!(body["displayName"], "Adele Vance");
    assert_eq!(body["givenName"], "Adele");
    assert_eq!(body["surname"], "Vance");
    assert_eq!(body["userPrincipalName"], "adele@contoso.onmicrosoft.com");
    assert_eq!(body["mail"], "adele@contoso.onmicrosoft.com");
    assert_eq!(body["preferredLanguage"], "en-US");
    assert!(body["businessPhones"].is_array());
    assert!(body["mobilePhone"].is_null());
    assert!(body["jobTitle"].is_string() && body["officeLocation"].is_string());

    let (status, _, body) = me(
        &t,
        Some(&bearer),
        "?$select=id,displayName,userPrincipalName",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<&String> = body.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 4, "{body}");
    assert_eq!(body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,userPrincipalName)/$entity");

    let (status, _, body) = me(&t, Some(&bearer), "?%24select=shoeSize").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "Request_BadRequest");
}

#[tokio::test]
async fn graph_refuses_bad_tokens_in_its_envelope() {
    let t = start().await;
    let pp = admin_token(&t, "gloria", "https://api.powerplatform.com/.default").await;
    let (status, headers, body) = me(&t, Some(&format!("Bearer {pp}")), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.contains_key("www-authenticate"));
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(
        body["error"]["message"],
        "Access token validation failure. Invalid audience."
    );
    assert_eq!(body["error"]["innerError"]["client-request-id"], "cr-123");
    assert!(body["error"]["innerError"]["request-id"].is_string());
    assert!(body["error"]["innerError"]["date"].is_string());

    for auth in [
        None,
        Some("Bearer garbage"),
        Some("Bearer a.b.c"),
        Some("Basic Zm9vOmJhcg=="),
        Some("Bearer "),
    ] {
        let (status, _, body) = me(&t, auth, "").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(
            body["error"]["code"], "InvalidAuthenticationToken",
            "{auth:?}"
        );
    }

    // A token signed by someone else (tampered claims) is refused.
    let good = admin_token(&t, "adele", "User.Read").await;
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    let mut forged = claims(&good);
    forged["oid"] = json!("1571c956-13b7-4cf0-a2e0-68043b979519");
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        forged.to_string(),
    );
    let (status, _, body) = me(&t, Some(&format!("Bearer {}", parts.join("."))), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["message"], "Access token validation failure.");

    // Expired by the emulator clock.
    t.admin_post("clock/advance", json!({"seconds": 3600}))
        .await;
    let (status, _, body) = me(&t, Some(&format!("Bearer {good}")), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("expired"));
}

#[tokio::test]
async fn a_token_from_another_emulator_is_refused() {
    let a = start().await;
    let b = start().await;
    let token = admin_token(&a, "adele", "User.Read").await;
    let (status, _, body) = me(&b, Some(&format!("Bearer {token}")), "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"]["message"],
        "Access token validation failure. Invalid issuer."
    );
}

#[tokio::test]
async fn unknown_graph_path_is_a_graph_error() {
    let t = start().await;
    let (status, body) = t
        .get_json(&format!("{}/v1.0/nothing/here", t.ep.graph))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "Resource not found for the segment 'nothing'."
    );
}
