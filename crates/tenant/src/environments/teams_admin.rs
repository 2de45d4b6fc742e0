//! `POST /_emulator/teams`: gives an environment's Dataverse a team at run time — an owner
//! team, or an Entra group team whose membership rows list only who has opened the
//! environment (contract part 2 §7.3) — with security roles. Tests reproduce "System
//! Administrator through a team" with it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::state::AppState;

use super::derive_guid;
use super::org::Team;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamRequest {
    /// Environment id, display name or Dataverse domain name.
    environment: String,
    name: String,
    /// 0 Owner, 1 Access, 2 AAD Security Group, 3 AAD Office Group.
    #[serde(default)]
    team_type: i64,
    #[serde(default)]
    membership_type: i64,
    /// Group teams: the Entra group (id or display name).
    #[serde(default)]
    group: Option<String>,
    /// Membership rows: systemuser ids, full names or scenario users' mailNicknames.
    #[serde(default)]
    members: Vec<String>,
    /// Role names, resolved to the team's business unit (the root) copies.
    #[serde(default)]
    roles: Vec<String>,
}

fn refuse(status: StatusCode, message: String) -> Response {
    (
        status,
        Json(json!({"error": {"code": "BadRequest", "message": message}})),
    )
        .into_response()
}

pub async fn add_team(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let req: TeamRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, format!("Invalid JSON body: {e}")),
    };
    if !(0..=3).contains(&req.team_type) || !(0..=3).contains(&req.membership_type) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "teamType and membershipType are 0 to 3.".into(),
        );
    }
    let Some(env) = state.scenario.environments.iter().position(|e| {
        e.id.eq_ignore_ascii_case(&req.environment)
            || e.display_name.eq_ignore_ascii_case(&req.environment)
            || e.dataverse
                .as_ref()
                .is_some_and(|d| d.domain_name.eq_ignore_ascii_case(&req.environment))
    }) else {
        return refuse(
            StatusCode::NOT_FOUND,
            format!("No environment '{}'.", req.environment),
        );
    };
    let group = match &req.group {
        None if req.team_type >= 2 => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "A group team needs its group.".into(),
            )
        }
        None => None,
        Some(g) => match state
            .scenario
            .groups
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(g) || x.display_name.eq_ignore_ascii_case(g))
        {
            Some(x) => Some(x.id.to_ascii_lowercase()),
            None => return refuse(StatusCode::NOT_FOUND, format!("No group '{g}'.")),
        },
    };
    let mut inner = state.platform.lock();
    let Some(org) = inner.org(&state.scenario, env) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "That environment has no Dataverse.".into(),
        );
    };
    let Some(root) = org.root_bu().map(|b| b.id.clone()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "That organisation has no business unit.".into(),
        );
    };
    let mut members = Vec::new();
    for m in &req.members {
        let nickname_oid = state.scenario.find_user(m).map(|u| u.id.clone());
        let found = org.users.iter().find(|u| {
            u.id.eq_ignore_ascii_case(m)
                || u.fullname.eq_ignore_ascii_case(m)
                || nickname_oid.as_deref().is_some_and(|o| {
                    u.aad_object_id
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(o))
                })
        });
        match found {
            Some(u) => members.push(u.id.clone()),
            None => return refuse(StatusCode::NOT_FOUND, format!("No systemuser '{m}' there.")),
        }
    }
    let mut roles = Vec::new();
    for r in &req.roles {
        match org
            .roles
            .iter()
            .find(|x| x.business_unit == root && x.name.eq_ignore_ascii_case(r))
        {
            Some(x) => roles.push(x.id.clone()),
            None => return refuse(StatusCode::NOT_FOUND, format!("No role '{r}' there.")),
        }
    }
    let id = derive_guid(&[&org.organization_id, "team", &req.name]);
    if org.team(&id).is_some() {
        return refuse(
            StatusCode::CONFLICT,
            format!("A team '{}' exists already.", req.name),
        );
    }
    org.teams.push(Team {
        id: id.clone(),
        name: req.name.clone(),
        team_type: req.team_type,
        membership_type: req.membership_type,
        aad_object_id: group,
        business_unit: root,
    });
    for u in members {
        org.team_members.insert((id.clone(), u));
    }
    for r in roles {
        org.team_roles.insert((id.clone(), r));
    }
    Json(json!({"teamid": id})).into_response()
}
