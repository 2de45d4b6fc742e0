//! Claims challenges on resource APIs (contract part 2, §5): the 401 with
//! `error="insufficient_claims"` a service answers until a token carries what it asks, the
//! `claims` parameter reflected in refreshed tokens, and the log of what each token request
//! declared (`cp1`).

use crate::common::*;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PP_SCOPE: &str = "offline_access https://api.powerplatform.com/.default";

async fn now(t: &Tenant) -> i64 {
    let (_, v) = t.get_json(&format!("{}/_emulator/clock", t.base)).await;
    chrono::DateTime::parse_from_rfc3339(v["now"].as_str().unwrap())
        .unwrap()
        .timestamp()
}

/// A CAE revocation a little ahead, so no token minted in this test without it can meet it.
async fn revocation(t: &Tenant) -> Value {
    let at = now(t).await + 120;
    json!({"access_token": {"nbf": {"essential": true, "value": at.to_string()}}})
}

async fn get(t: &Tenant, url: &str, token: &str) -> reqwest::Response {
    t.http.get(url).bearer_auth(token).send().await.unwrap()
}

async fn refresh(t: &Tenant, rt: &str, scope: &str, claims: Option<&str>) -> (StatusCode, Value) {
    let mut form = vec![
        ("client_id", t.ep.client_id.as_str()),
        ("grant_type", "refresh_token"),
        ("refresh_token", rt),
        ("scope", scope),
    ];
    if let Some(c) = claims {
        form.push(("claims", c));
    }
    t.token(&form).await
}

/// The decoded `claims` of an `insufficient_claims` challenge, checking the header's shape.
fn challenge_of(r: &reqwest::Response) -> Value {
    let h = r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(h.starts_with("Bearer "), "{h}");
    assert!(h.contains(r#"error="insufficient_claims""#), "{h}");
    assert!(h.contains("authorization_uri=\""), "{h}");
    let start = h.find("claims=\"").unwrap() + 8;
    let b64 = &h[start..start + h[start..].find('"').unwrap()];
    serde_json::from_slice(&STANDARD.decode(b64).unwrap()).unwrap()
}

#[tokio::test]
async fn graph_challenges_until_a_token_carries_the_claims() {
    let t = start().await;
    let me = format!("{}/v1.0/me", t.ep.graph);
    let first = t.tokens_for("adele", GRAPH_SCOPE).await;
    let at = first["access_token"].as_str().unwrap();
    assert_eq!(get(&t, &me, at).await.status(), StatusCode::OK);

    let claims = revocation(&t).await;
    let (s, _) = t
        .admin_post(
            "claims-challenges",
            json!({"service": "graph", "claims": claims}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = get(&t, &me, at).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge_of(&r), claims);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");

    // A plain refresh does not answer the challenge; one with the claims (and cp1) does.
    let rt = first["refresh_token"].as_str().unwrap();
    let (s, plain) = refresh(&t, rt, GRAPH_SCOPE, None).await;
    assert_eq!(s, StatusCode::OK);
    let plain_at = plain["access_token"].as_str().unwrap();
    assert_eq!(
        get(&t, &me, plain_at).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let mut merged = claims.clone();
    merged["access_token"]["xms_cc"] = json!({"values": ["cp1"]});
    let (s, answered) = refresh(&t, rt, GRAPH_SCOPE, Some(&merged.to_string())).await;
    assert_eq!(s, StatusCode::OK, "{answered}");
    let new_at = answered["access_token"].as_str().unwrap();
    let c = crate::common::claims(new_at);
    assert_eq!(
        c["nbf"].as_i64().unwrap().to_string(),
        claims["access_token"]["nbf"]["value"]
    );
    assert_eq!(c["xms_cc"], json!(["cp1"]));
    assert_eq!(get(&t, &me, new_at).await.status(), StatusCode::OK);

    let (_, list) = t
        .get_json(&format!("{}/_emulator/claims-challenges", t.base))
        .await;
    assert_eq!(list["value"][0]["challenged"], 2);
    assert_eq!(list["value"][0]["passed"], 1);
    // The refresh token's next plain refresh does not keep the not-before.
    let next_rt = answered["refresh_token"].as_str().unwrap();
    let (_, later) = refresh(&t, next_rt, GRAPH_SCOPE, None).await;
    let later = crate::common::claims(later["access_token"].as_str().unwrap());
    assert_eq!(later["nbf"], later["iat"]);
    t.emu.shutdown().await;
}

#[tokio::test]
async fn a_challenge_can_be_scoped_to_one_service_path_and_method() {
    let t = start().await;
    let pp = t.tokens_for("gloria", PP_SCOPE).await;
    let pp_at = pp["access_token"].as_str().unwrap();
    let graph = t.tokens_for("gloria", GRAPH_SCOPE).await;
    let list = format!(
        "{}/environmentmanagement/environments?api-version=2024-10-01",
        t.ep.powerplatform
    );
    let acrs = json!({"access_token": {"acrs": {"essential": true, "value": "c1"}}});
    let (s, _) = t
        .admin_post(
            "claims-challenges",
            json!({"service": "powerPlatform", "claims": acrs, "path": "/powerplatform/environmentmanagement/", "method": "GET"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let r = get(&t, &list, pp_at).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge_of(&r), acrs);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "InvalidAuthenticationToken", "{body}");
    // Graph is not challenged.
    let me = format!("{}/v1.0/me", t.ep.graph);
    let graph_at = graph["access_token"].as_str().unwrap();
    assert_eq!(get(&t, &me, graph_at).await.status(), StatusCode::OK);
    // An authentication context the sign-in did not prove needs a new interactive sign-in.
    let rt = pp["refresh_token"].as_str().unwrap();
    let (s, e) = refresh(&t, rt, PP_SCOPE, Some(&acrs.to_string())).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"], "invalid_grant");
    assert_eq!(aadsts(&e), 50076);
    // Cleared, the service answers again.
    let r = t
        .http
        .delete(format!("{}/_emulator/claims-challenges", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(get(&t, &list, pp_at).await.status(), StatusCode::OK);
    t.emu.shutdown().await;
}

#[tokio::test]
async fn the_default_challenge_is_a_cae_revocation_and_bad_ones_are_refused() {
    let t = start().await;
    let before = now(&t).await;
    let (s, c) = t
        .admin_post("claims-challenges", json!({"service": "dataverse"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let at: i64 = c["claims"]["access_token"]["nbf"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(at > before && at <= before + 5, "{c}");
    for bad in [
        json!({"service": "exchange"}),
        json!({"service": "graph", "claims": {"id_token": {}}}),
        json!({"service": "graph", "path": "graph/"}),
    ] {
        let (s, _) = t.admin_post("claims-challenges", bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    t.emu.shutdown().await;
}

#[tokio::test]
async fn every_token_request_is_logged_with_whether_it_declared_cp1() {
    let t = start().await;
    let first = t.tokens_for("adele", GRAPH_SCOPE).await;
    let rt = first["refresh_token"].as_str().unwrap();
    let cp1 = r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#;
    let (s, _) = refresh(&t, rt, GRAPH_SCOPE, Some(cp1)).await;
    assert_eq!(s, StatusCode::OK);
    let (_, log) = t
        .get_json(&format!("{}/_emulator/token-requests", t.base))
        .await;
    let log = log["value"].as_array().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["grantType"], "authorization_code");
    assert_eq!(log[0]["cp1"], false);
    assert_eq!(log[1]["grantType"], "refresh_token");
    assert_eq!(log[1]["cp1"], true);
    assert_eq!(log[1]["claims"], cp1);
    assert!(!log.iter().any(|r| r.to_string().contains(rt)));
    t.emu.shutdown().await;
}
