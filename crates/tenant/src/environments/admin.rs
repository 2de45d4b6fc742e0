//! `/_emulator` additions for the Power Platform side: the audit log, fault rules, what
//! environments exist with their current System Administrators, and setting a user's
//! permanent directory roles at run time (to give or take a role without PIM).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultConfig;
use crate::state::AppState;

use super::{instance_root, sweep};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/audit", get(audit))
        .route("/faults", get(faults).post(set_faults).delete(clear_faults))
        .route("/environments", get(environments))
        .route("/directory-roles", post(directory_roles))
        .route("/teams", post(super::teams_admin::add_team))
}

use crate::admin_json::{no_such_user, parse, refuse, AdminJson};

async fn audit(State(state): State<Arc<AppState>>) -> Json<Value> {
    sweep(&state);
    Json(json!({"value": state.platform.audit.all()}))
}

async fn faults(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(state.platform.faults.snapshot())
}

/// Replaces the rule set (fresh counters and RNGs); an invalid one changes nothing.
async fn set_faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let config: FaultConfig = match parse(&body, "fault rules") {
        Ok(c) => c,
        Err(refused) => return refused.into_response(),
    };
    if let Err(e) = config.validate() {
        return refuse(StatusCode::BAD_REQUEST, "BadRequest", format!("{e:#}"));
    }
    state.platform.faults.replace(config);
    Json(state.platform.faults.snapshot()).into_response()
}

async fn clear_faults(State(state): State<Arc<AppState>>) -> Json<Value> {
    state.platform.faults.replace(FaultConfig::default());
    Json(state.platform.faults.snapshot())
}

#[derive(Deserialize)]
struct EnvQuery {
    /// Only this environment (id, display name or Dataverse domain name).
    environment: Option<String>,
}

/// Every environment as the scenario defines it, plus who is System Administrator right now
/// (Dataverse orgs are built on demand, so this touches each).
async fn environments(
    State(state): State<Arc<AppState>>,
    Query(q): Query<EnvQuery>,
) -> Json<Value> {
    sweep(&state);
    let mut value = Vec::new();
    for (i, env) in state.scenario.environments.iter().enumerate() {
        let dv = env.dataverse.as_ref();
        if let Some(want) = &q.environment {
            let hit = env.id.eq_ignore_ascii_case(want)
                || env.display_name.eq_ignore_ascii_case(want)
                || dv.is_some_and(|d| d.domain_name.eq_ignore_ascii_case(want));
            if !hit {
                continue;
            }
        }
        let admins: Option<Vec<Value>> = {
            let mut inner = state.platform.lock();
            let elevated: Vec<(String, Value)> = inner
                .elevations()
                .iter()
                .filter(|e| e.env == i)
                .map(|e| (e.system_user_id.clone(), json!({"roleTemplateId": e.backing.role_template_id, "end": e.backing.end.map(crate::audit::stamp)})))
                .collect();
            inner.org(&state.scenario, i).map(|org| {
                org.users
                    .iter()
                    .filter(|u| org.is_sysadmin(&u.id) || !org.sysadmin_teams_of(&u.id).is_empty())
                    .map(|u| {
                        json!({
                            "systemuserid": u.id,
                            "fullname": u.fullname,
                            "domainname": u.domainname,
                            "azureactivedirectoryobjectid": u.aad_object_id,
                            "applicationid": u.application_id,
                            "isdisabled": u.disabled,
                            "businessunitid": u.business_unit,
                            "elevatedWith": elevated.iter().find(|(s, _)| *s == u.id).map(|(_, v)| v.clone()),
                            "throughTeams": org.sysadmin_teams_of(&u.id).iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
                        })
                    })
                    .collect()
            })
        };
        value.push(json!({
            "id": env.id,
            "displayName": env.display_name,
            "type": env.sku.as_str(),
            "geo": env.geo,
            "state": {"management": env.state.management, "runtime": format!("{:?}", env.state.runtime)},
            "deleted": env.deleted,
            "securityGroupId": env.security_group_id,
            "connectedGroupId": env.connected_group_id,
            "dataverse": dv.map(|d| json!({
                "domainName": d.domain_name,
                "url": format!("{}/", instance_root(&state.base_url, &d.domain_name)),
                "organizationId": d.organization_id,
            })),
            "systemAdministrators": admins,
        }));
    }
    Json(json!({"value": value}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesRequest {
    user: String,
    roles: Vec<String>,
}

/// Sets the user's permanent, direct directory roles (role template ids), replacing the list.
async fn directory_roles(
    State(state): State<Arc<AppState>>,
    AdminJson(req): AdminJson<RolesRequest>,
) -> Response {
    if let Some(bad) = req.roles.iter().find(|r| uuid::Uuid::parse_str(r).is_err()) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("'{bad}' is not a role template id."),
        );
    }
    let Some(user) = state.find_user(&req.user) else {
        return no_such_user(&req.user);
    };
    let roles: Vec<String> = req.roles.iter().map(|r| r.to_ascii_lowercase()).collect();
    state
        .runtime()
        .directory_roles
        .insert(user.id.to_ascii_lowercase(), roles.clone());
    Json(json!({"user": user.id, "userPrincipalName": state.scenario.upn(user), "directoryRoles": roles})).into_response()
}
