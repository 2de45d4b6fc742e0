//! `POST /_emulator/teams`: gives an environment's Dataverse a team at run time — an owner
//! team, or an Entra group team whose membership rows list only who has opened the
//! environment (contract part 2 §7.3) — with security roles. Tests reproduce "System
//! Administrator through a team" with it.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::admin_json::{self, AdminJson, Refused};
use crate::state::AppState;

use super::derive_guid;
use super::org::{Org, Team};

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

/// Every refusal here says `BadRequest`, a missing group or role included: what the tests read.
fn refuse(status: StatusCode, message: String) -> Refused {
    admin_json::refused(status, "BadRequest", message)
}

pub async fn add_team(
    State(state): State<Arc<AppState>>,
    AdminJson(req): AdminJson<TeamRequest>,
) -> Response {
    match try_add_team(&state, &req) {
        Ok(id) => Json(json!({"teamid": id})).into_response(),
        Err(refused) => refused.into_response(),
    }
}

fn try_add_team(state: &AppState, req: &TeamRequest) -> Result<String, Refused> {
    if !(0..=3).contains(&req.team_type) || !(0..=3).contains(&req.membership_type) {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "teamType and membershipType are 0 to 3.".into(),
        ));
    }
    let env = environment(state, &req.environment)?;
    let group = group(state, req)?;
    let mut inner = state.platform.lock();
    let Some(org) = inner.org(&state.scenario, env) else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "That environment has no Dataverse.".into(),
        ));
    };
    let Some(root) = org.root_bu().map(|b| b.id.clone()) else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "That organisation has no business unit.".into(),
        ));
    };
    let members = req
        .members
        .iter()
        .map(|m| system_user(state, org, m))
        .collect::<Result<Vec<_>, _>>()?;
    let roles = req
        .roles
        .iter()
        .map(|r| root_role(org, &root, r))
        .collect::<Result<Vec<_>, _>>()?;
    let id = derive_guid(&[&org.organization_id, "team", &req.name]);
    if org.team(&id).is_some() {
        return Err(refuse(
            StatusCode::CONFLICT,
            format!("A team '{}' exists already.", req.name),
        ));
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
    Ok(id)
}

/// The environment named by id, display name or Dataverse domain.
fn environment(state: &AppState, name: &str) -> Result<usize, Refused> {
    state
        .scenario
        .environments
        .iter()
        .position(|e| {
            e.id.eq_ignore_ascii_case(name)
                || e.display_name.eq_ignore_ascii_case(name)
                || e.dataverse
                    .as_ref()
                    .is_some_and(|d| d.domain_name.eq_ignore_ascii_case(name))
        })
        .ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("No environment '{name}'.")))
}

/// The Entra group a group team stands for (types 2 and 3 need one), by id or name.
fn group(state: &AppState, req: &TeamRequest) -> Result<Option<String>, Refused> {
    match &req.group {
        None if req.team_type >= 2 => Err(refuse(
            StatusCode::BAD_REQUEST,
            "A group team needs its group.".into(),
        )),
        None => Ok(None),
        Some(g) => state
            .scenario
            .groups
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(g) || x.display_name.eq_ignore_ascii_case(g))
            .map(|x| Some(x.id.to_ascii_lowercase()))
            .ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("No group '{g}'."))),
    }
}

/// A systemuser of `org` by id, full name or its Entra user's nickname.
fn system_user(state: &AppState, org: &Org, m: &str) -> Result<String, Refused> {
    let nickname_oid = state.scenario.find_user(m).map(|u| u.id.clone());
    org.users
        .iter()
        .find(|u| {
            u.id.eq_ignore_ascii_case(m)
                || u.fullname.eq_ignore_ascii_case(m)
                || nickname_oid.as_deref().is_some_and(|o| {
                    u.aad_object_id
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(o))
                })
        })
        .map(|u| u.id.clone())
        .ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("No systemuser '{m}' there.")))
}

/// A security role of the root business unit, by name.
fn root_role(org: &Org, root: &str, r: &str) -> Result<String, Refused> {
    org.roles
        .iter()
        .find(|x| x.business_unit == root && x.name.eq_ignore_ascii_case(r))
        .map(|x| x.id.clone())
        .ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("No role '{r}' there.")))
}
