//! Group membership of the signed-in user: `GET /v1.0/me/transitiveMemberOf` and
//! `POST /v1.0/me/checkMemberGroups`. Clients use them to tell "role through a group" and
//! "member of the environment's security group" apart.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::scenario::{Group, GroupType};
use crate::state::AppState;

use super::auth;
use super::error::{GraphCtx, GraphError};

const READ_MEMBERSHIP: [&str; 7] = [
    "User.Read",
    "User.ReadBasic.All",
    "User.Read.All",
    "GroupMember.Read.All",
    "Group.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
const CHECK_MEMBERSHIP: [&str; 5] = [
    "GroupMember.Read.All",
    "Group.Read.All",
    "User.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
/// Graph's limit on `groupIds` per call.
const MAX_IDS: usize = 20;

fn respond(
    state: &AppState,
    headers: &HeaderMap,
    f: impl FnOnce() -> Result<Value, GraphError>,
) -> Response {
    let ctx = GraphCtx::new(state, headers);
    match f() {
        Ok(body) => ctx.respond(StatusCode::OK, body),
        Err(e) => e.to_response(&ctx),
    }
}

fn denied() -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

/// A group as Graph returns it in a `directoryObject` collection.
pub(crate) fn group_json(state: &AppState, g: &Group) -> Value {
    let unified = g.group_type == GroupType::Microsoft365;
    let nickname: String = g
        .display_name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    json!({
        "@odata.type": "#microsoft.graph.group",
        "id": g.id,
        "displayName": g.display_name,
        "description": g.description,
        "groupTypes": if unified { vec!["Unified"] } else { vec![] },
        "mail": unified.then(|| format!("{nickname}@{}", state.scenario.tenant.verified_domain)),
        "mailEnabled": unified,
        "mailNickname": nickname,
        "securityEnabled": !unified,
        "isAssignableToRole": g.is_assignable_to_role,
        "visibility": if unified { Some("Private") } else { None },
    })
}

pub async fn transitive_member_of(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Response {
    respond(&state, &headers, || {
        let caller = auth::caller(&state, &headers)?;
        if !caller.has_any_scope(&READ_MEMBERSHIP) {
            return Err(denied());
        }
        let value: Vec<Value> = state
            .scenario
            .groups_of(&caller.user.id)
            .into_iter()
            .map(|g| group_json(&state, g))
            .collect();
        Ok(
            json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", "value": value}),
        )
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckBody {
    group_ids: Vec<String>,
}

pub async fn check_member_groups(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond(&state, &headers, || {
        let caller = auth::caller(&state, &headers)?;
        if !caller.has_any_scope(&CHECK_MEMBERSHIP) {
            return Err(denied());
        }
        let bad = |m: String| GraphError::new(StatusCode::BAD_REQUEST, "Request_BadRequest", m);
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        let parsed: CheckBody = if is_json { serde_json::from_slice(&body).ok() } else { None }
            .ok_or_else(|| bad("Invalid request: the body must be JSON of the form {\"groupIds\":[\"<group id>\", …]}.".into()))?;
        if parsed.group_ids.len() > MAX_IDS {
            return Err(bad(format!(
                "Too many groupIds: at most {MAX_IDS} may be checked in one request."
            )));
        }
        if let Some(bad_id) = parsed
            .group_ids
            .iter()
            .find(|id| uuid::Uuid::parse_str(id).is_err())
        {
            return Err(bad(format!("Invalid GUID:'{bad_id}'")));
        }
        let mine = state.scenario.groups_of(&caller.user.id);
        let value: Vec<&String> = parsed
            .group_ids
            .iter()
            .filter(|id| mine.iter().any(|g| g.id.eq_ignore_ascii_case(id)))
            .collect();
        Ok(
            json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)", "value": value}),
        )
    })
}

const READ_GROUP: [&str; 4] = [
    "GroupMember.Read.All",
    "Group.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// The group `id` names, for a caller who may read groups: Graph's 403, 400 (not an object
/// id) and 404 otherwise, in that order.
fn readable_group<'s>(
    state: &'s AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<&'s Group, GraphError> {
    let caller = auth::caller(state, headers)?;
    if !caller.has_any_scope(&READ_GROUP) {
        return Err(denied());
    }
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            format!("Invalid object identifier '{id}'."),
        ));
    }
    state
        .scenario
        .groups
        .iter()
        .find(|g| g.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            GraphError::new(
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
            )
        })
}

/// `GET /v1.0/groups/{id}`: any group of the directory, member or not (clients name an
/// environment's security group with it). `$select` is accepted and the full object returned.
pub async fn group_by_id(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    respond(&state, &headers, || {
        let g = readable_group(&state, &headers, &id)?;
        let mut v = group_json(&state, g);
        v["@odata.context"] = json!("https://graph.microsoft.com/v1.0/$metadata#groups/$entity");
        Ok(v)
    })
}

/// `GET /v1.0/groups/{id}/transitiveMembers[/microsoft.graph.user]`: the group's users (the
/// emulator has no nested groups, so transitive = direct). `$select` is accepted; each user
/// comes with `id`, `displayName`, `userPrincipalName` and `userType`.
pub async fn transitive_members(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Response {
    respond(&state, &headers, || {
        let g = readable_group(&state, &headers, &id)?;
        let value: Vec<Value> = g
            .members
            .iter()
            .filter_map(|m| state.scenario.find_user(m))
            .map(|u| {
                json!({
                    "@odata.type": "#microsoft.graph.user",
                    "id": u.id,
                    "displayName": u.display_name,
                    "userPrincipalName": state.scenario.upn(u),
                    "userType": "Member",
                })
            })
            .collect();
        Ok(json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "value": value,
        }))
    })
}
