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
    let bad = |m: String| GraphError::new(StatusCode::BAD_REQUEST, "Request_BadRequest", m);
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
    let wants = |kind: &str| {
        types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(kind) || t.eq_ignore_ascii_case("directoryObject"))
    };
    let scenario = &state.scenario;
    let mut value = Vec::new();
    for id in &parsed.ids {
        if wants("user") {
            if let Some(u) = scenario
                .users
                .iter()
                .find(|u| u.id.eq_ignore_ascii_case(id))
            {
                value.push(json!({
                    "@odata.type": "#microsoft.graph.user",
                    "id": u.id,
                    "displayName": u.display_name,
                    "userPrincipalName": scenario.upn(u),
                }));
                continue;
            }
        }
        if wants("group") {
            if let Some(g) = scenario
                .groups
                .iter()
                .find(|g| g.id.eq_ignore_ascii_case(id))
            {
                value.push(super::groups::group_json(state, g));
                continue;
            }
        }
        if wants("administrativeUnit") {
            if let Some(a) = scenario.pim.administrative_unit(id) {
                value.push(json!({
                    "@odata.type": "#microsoft.graph.administrativeUnit",
                    "id": a.id,
                    "displayName": a.display_name,
                    "description": a.description,
                    "visibility": null,
                }));
            }
        }
    }
    Ok(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        "value": value,
    }))
}
