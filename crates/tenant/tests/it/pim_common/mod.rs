//! PIM test helpers on top of `common`: Graph calls with minted tokens, activation bodies,
//! the demo's ids, and a snapshot of everything PIM state a refused request must not change.
#![allow(dead_code)]

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{start_with, Tenant};

pub const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
pub const D365: &str = "44367163-eba1-44c3-98af-f5787879f96a";
pub const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
pub const EXCHANGE: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
pub const SECURITY_ADMIN: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
pub const SECURITY_READER: &str = "5d6b6bb7-de71-4623-b4af-96380a352509";
pub const MEMBER: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";
pub const PP_GROUP: &str = "5e3d1a2b-7c41-4f0e-9a8d-2b6c9e1f4a70";

/// The members of a role definition, as Graph documents them.
pub const DEFINITION_KEYS: [&str; 9] = [
    "id",
    "displayName",
    "description",
    "isBuiltIn",
    "isEnabled",
    "templateId",
    "version",
    "resourceScopes",
    "rolePermissions",
];

pub const DIR: &str = "v1.0/roleManagement/directory";
pub const MINE: &str = "filterByCurrentUser(on='principal')";

pub fn id_of(user: &str) -> &'static str {
    match user {
        "adele" => "bc57dae3-621a-4276-9fd4-c9be4a29ef43",
        "diego" => "72b1d966-0b4c-4702-bcc3-ae13760b5187",
        "grady" => "451b5e18-bb74-4559-b87b-62a2a8c7a1aa",
        "nestor" => "452fedd5-8512-4a12-9d54-fce7d758f4c5",
        "gloria" => "1571c956-13b7-4cf0-a2e0-68043b979519",
        "alex" => "aaa6616b-aecd-4d5a-9566-5a6c311a5762",
        "casey" => "11f5214a-0ec0-4947-8a6a-8a80f2a35964",
        other => panic!("no demo user {other}"),
    }
}

/// The demo tenant with instant provisioning and `wids` propagation, as most tests want.
pub async fn start_pim() -> Tenant {
    start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        s.settings.wids_propagation_seconds = 0;
    })
    .await
}

/// A Graph token for `user` with every consented Graph scope; `extra` may set `mfa`, `acrs`,
/// `xmsCc` (see the admin API).
pub async fn token_with(t: &Tenant, user: &str, extra: Value) -> String {
    let mut body = json!({"user": user, "scope": "https://graph.microsoft.com/.default"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let (status, answer) = t.admin_post("token", body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

/// A password-only Graph token.
pub async fn token(t: &Tenant, user: &str) -> String {
    token_with(t, user, json!({})).await
}

/// A token from an MFA'd sign-in.
pub async fn mfa_token(t: &Tenant, user: &str) -> String {
    token_with(t, user, json!({"mfa": true})).await
}

pub async fn get(t: &Tenant, token: &str, path: &str) -> (StatusCode, Value) {
    let res = t
        .http
        .get(format!("{}/{path}", t.ep.graph))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn post(t: &Tenant, token: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let res = t
        .http
        .post(format!("{}/{path}", t.ep.graph))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A selfActivate body satisfying every demo rule (justification, ticket, 1 hour); `patch`
/// overrides top-level members (`null` removes one).
pub fn activation(user: &str, role: &str, patch: Value) -> Value {
    let mut body = json!({
        "action": "selfActivate",
        "principalId": id_of(user),
        "roleDefinitionId": role,
        "directoryScopeId": "/",
        "justification": "Quarterly environment cleanup",
        "scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT1H"}},
        "ticketInfo": {"ticketNumber": "CHG-1042", "ticketSystem": "ServiceNow"},
    });
    if let (Some(b), Some(p)) = (body.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            if v.is_null() {
                b.remove(k);
            } else {
                b.insert(k.clone(), v.clone());
            }
        }
    }
    body
}

pub fn simple(action: &str, user: &str, role: &str) -> Value {
    json!({"action": action, "principalId": id_of(user), "roleDefinitionId": role, "directoryScopeId": "/"})
}

pub async fn request(t: &Tenant, token: &str, body: &Value) -> (StatusCode, Value) {
    post(
        t,
        token,
        &format!("{DIR}/roleAssignmentScheduleRequests"),
        body,
    )
    .await
}

pub async fn advance(t: &Tenant, seconds: i64) {
    let (status, _) = t
        .admin_post("clock/advance", json!({"seconds": seconds}))
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// `(role, assignmentType, memberType)` of what `token`'s user holds now.
pub async fn held(t: &Tenant, token: &str) -> Vec<(String, String, String)> {
    let (status, body) = get(
        t,
        token,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["value"]
        .as_array()
        .expect("value")
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or("").to_string();
            (s("roleDefinitionId"), s("assignmentType"), s("memberType"))
        })
        .collect()
}

/// The `wids` of a token minted now for `user`.
pub async fn wids(t: &Tenant, user: &str) -> Vec<String> {
    let tok = token(t, user).await;
    serde_json::from_value(crate::common::claims(&tok)["wids"].clone()).expect("wids")
}

/// Everything a refused request must leave as it was: all requests, and every demo user's
/// active assignments and token roles.
pub async fn snapshot(t: &Tenant) -> Value {
    let (_, requests) = t
        .get_json(&format!("{}/_emulator/pim/requests", t.base))
        .await;
    let mut users = serde_json::Map::new();
    for u in [
        "adele", "diego", "grady", "nestor", "gloria", "alex", "casey",
    ] {
        let tok = token(t, u).await;
        users.insert(
            u.into(),
            json!({"held": held(t, &tok).await, "wids": wids(t, u).await}),
        );
    }
    json!({"requests": requests, "users": users})
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

pub fn error_message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or("")
}

pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

pub fn sorted(list: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}
