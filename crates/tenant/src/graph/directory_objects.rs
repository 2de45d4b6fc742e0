//! `POST /v1.0/directoryObjects/getByIds`: names for ids other answers carry alone (a PIM
//! policy's approvers, an eligibility's administrative unit). Delegated `Directory.Read.All`
//! only, as Graph documents; ids it does not know are left out of the answer.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::state::AppState;

use super::auth;
use super::error::{GraphCtx, GraphError};

const READ_DIRECTORY: [&str; 3] = [
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
/// Graph's limit on `ids` per call.
const MAX_IDS: usize = 1000;
/// Types that derive from `directoryObject`; any other name is refused.
const TYPES: [&str; 9] = [
    "directoryObject",
    "user",
    "group",
    "administrativeUnit",
    "device",
    "servicePrincipal",
    "application",
    "orgContact",
    "directoryRole",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    ids: Vec<String>,
    #[serde(default)]
    types: Option<Vec<String>>,
}

pub async fn get_by_ids(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = GraphCtx::new(&state, &headers);
    match answer(&state, &headers, &body) {
        Ok(v) => ctx.respond(StatusCode::OK, v),
        Err(e) => e.to_response(&ctx),
    }
}

fn answer(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<Value, GraphError> {
    let caller = auth::caller(state, headers)?;
    if !caller.has_any_scope(&READ_DIRECTORY) {
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ));
    }
    let (ids, types) = request(headers, body)?;
    let wants = |kind: &str| {
        types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(kind) || t.eq_ignore_ascii_case("directoryObject"))
    };
    let value: Vec<Value> = ids
        .iter()
        .filter_map(|id| resolve(state, id, &wants))
        .collect();
    Ok(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        "value": value,
    }))
}

fn bad(message: String) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

/// The ids and the types asked for (`directoryObject`, all of them, when none are named),
/// each checked as Graph checks it.
fn request(headers: &HeaderMap, body: &[u8]) -> Result<(Vec<String>, Vec<String>), GraphError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    let parsed: Body = if is_json {
        serde_json::from_slice(body).ok()
    } else {
        None
    }
    .ok_or_else(|| {
        bad(
            "Invalid request: the body must be JSON of the form {\"ids\":[…],\"types\":[…]}."
                .into(),
        )
    })?;
    if parsed.ids.len() > MAX_IDS {
        return Err(bad(format!(
            "Too many ids: at most {MAX_IDS} may be resolved in one request."
        )));
    }
    if let Some(id) = parsed
        .ids
        .iter()
        .find(|i| uuid::Uuid::parse_str(i).is_err())
    {
        return Err(bad(format!("Invalid GUID:'{id}'")));
    }
    let types: Vec<String> = match parsed.types {
        None => vec!["directoryObject".into()],
        Some(t) if t.is_empty() => vec!["directoryObject".into()],
        Some(t) => t,
    };
    for t in &types {
        if !TYPES.iter().any(|k| k.eq_ignore_ascii_case(t)) {
            return Err(bad(format!("Invalid type '{t}' in types.")));
        }
    }
    Ok((parsed.ids, types))
}

/// The user, group or administrative unit `id` names, first match in that order, among the
/// kinds asked for.
fn resolve(state: &AppState, id: &str, wants: &dyn Fn(&str) -> bool) -> Option<Value> {
    let scenario = &state.scenario;
    if wants("user") {
        if let Some(u) = scenario
            .users
            .iter()
            .find(|u| u.id.eq_ignore_ascii_case(id))
        {
            return Some(json!({
                "@odata.type": "#microsoft.graph.user",
                "id": u.id,
                "displayName": u.display_name,
                "userPrincipalName": scenario.upn(u),
            }));
        }
    }
    if wants("group") {
        if let Some(g) = scenario
            .groups
            .iter()
            .find(|g| g.id.eq_ignore_ascii_case(id))
        {
            return Some(super::groups::group_json(state, g));
        }
    }
    if wants("administrativeUnit") {
        if let Some(a) = scenario.pim.administrative_unit(id) {
            return Some(json!({
                "@odata.type": "#microsoft.graph.administrativeUnit",
                "id": a.id,
                "displayName": a.display_name,
                "description": a.description,
                "visibility": null,
            }));
        }
    }
    None
}
