//! `GET /v1.0/me` (contract §2.1), with `$select`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::scenario::User;
use crate::state::AppState;

use super::auth;
use super::error::{GraphCtx, GraphError};

/// The default property set Graph returns for a user, in Graph's order.
const DEFAULT_PROPERTIES: [&str; 11] = [
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

/// Any one of these delegated permissions lets a user read their own profile.
const READ_SELF: [&str; 7] = [
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

pub async fn me(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let ctx = GraphCtx::new(&state, &headers);
    match handle(&state, &headers, query.as_deref()) {
        Ok(body) => ctx.respond(StatusCode::OK, body),
        Err(e) => e.to_response(&ctx),
    }
}

fn handle(state: &AppState, headers: &HeaderMap, query: Option<&str>) -> Result<Value, GraphError> {
    let caller = auth::caller(state, headers)?;
    if !caller.has_any_scope(&READ_SELF) {
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ));
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).map_err(|_| {
            GraphError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "Invalid query string.",
            )
        })?;
    let select = pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("$select"))
        .map(|(_, v)| v.as_str());
    let full = profile(state, caller.user);
    let (context_set, fields) = match select {
        None => ("users".to_string(), DEFAULT_PROPERTIES.to_vec()),
        Some(list) => {
            let fields = selected(list)?;
            (format!("users({})", fields.join(",")), fields)
        }
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(format!(
            "https://graph.microsoft.com/v1.0/$metadata#{context_set}/$entity"
        )),
    );
    for f in fields {
        body.insert(f.to_string(), full.get(f).cloned().unwrap_or(Value::Null));
    }
    Ok(Value::Object(body))
}

/// `$select` names, canonicalised; an unknown one is Graph's 400 `Request_BadRequest`.
fn selected(list: &str) -> Result<Vec<&'static str>, GraphError> {
    let mut out = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let known =
            DEFAULT_PROPERTIES
                .iter()
                .find(|p| p.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    GraphError::new(
                StatusCode::BAD_REQUEST,
                "Request_BadRequest",
                format!("Could not find a property named '{name}' on type 'microsoft.graph.user'."),
            )
                })?;
        if !out.contains(known) {
            out.push(*known);
        }
    }
    if out.is_empty() {
        return Ok(DEFAULT_PROPERTIES.to_vec());
    }
    Ok(out)
}

fn profile(state: &AppState, user: &User) -> Map<String, Value> {
    let upn = state.scenario.upn(user);
    let value = json!({
        "businessPhones": user.business_phones,
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": user.job_title,
        "mail": upn,
        "mobilePhone": user.mobile_phone,
        "officeLocation": user.office_location,
        "preferredLanguage": user.preferred_language,
        "surname": user.surname,
        "userPrincipalName": upn,
        "id": user.id,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
