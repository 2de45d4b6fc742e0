//! `POST /usermanagement/environments/{id}/user/applyAdminRole` (contract §3.1): the caller
//! makes themselves System Administrator. The rules, in the order they are checked:
//! 1. `api-version` known; token for the Power Platform API with `UserManagement.Users.Apply`;
//! 2. well-formed id (400), known and not deleted (404);
//! 3. an ACTIVE, DIRECT Global / Power Platform / Dynamics 365 Administrator role (group-held
//!    roles do not count) — else the documented text, status `applyAdminRoleDeniedStatus` (403);
//! 4. the environment is enabled (400) and has Dataverse (400);
//! 5. a Dynamics 365 admin (without GA/PPA) must be in the environment's security group (403);
//! 6. Teams environments: the caller must be in the connected Microsoft 365 group (403).
//!
//! Success (also when already System Administrator) is 200 with `Code: "UserExists"`; the
//! `applyAdminRoleOutcome` / `applyAdminRoleAssignDelaySeconds` switches make that 200 carry
//! `errors`, or assign nothing (yet) — see `outcome`. Every attempt with a valid token is
//! audited with the role relied on.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use crate::audit::{stamp, AuditEntry, AuditRole};
use crate::correlation::CorrelationId;
use crate::environments::{
    admin_roles, direct_admin_roles, in_group, sweep, Environment, RuntimeState, Sku,
};
use crate::scenario::{roles, User};
use crate::state::{ActiveRole, AppState};

use super::envs::not_found;
use super::outcome::{self, Done};
use super::{api_version_in, caller, processing_time, well_formed_id, PpError};

pub const NOT_ADMIN: &str = "Unable to assign System Administrator security role as the user is not either a Global admin, Power Platform admin, or Dynamics 365 admin. Please review your role assignments in Entra ID and try again later. For help, please reach out to your administrator.";

const APPLY: &str = "UserManagement.Users.Apply";

pub async fn apply_admin_role(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    correlation: Option<Extension<CorrelationId>>,
) -> Response {
    let correlation = correlation.map(|Extension(c)| c.0);
    let pre = async {
        api_version_in(
            raw.as_deref().unwrap_or(""),
            &state.settings().apply_admin_role_api_versions,
        )?;
        let me = caller(&state, &headers, APPLY)?;
        sweep(&state);
        processing_time(&state).await;
        if !well_formed_id(&id) {
            return Err(PpError::new(
                StatusCode::BAD_REQUEST,
                "InvalidEnvironmentId",
                format!("'{id}' is not a valid environment id."),
            ));
        }
        Ok(me.user)
    }
    .await;
    let shape = state.settings().apply_admin_role_error_shape;
    let user = match pre {
        Ok(u) => u,
        Err(e) => return e.shaped(shape),
    };
    let env = state
        .platform
        .env_index(&id)
        .and_then(|i| state.scenario.environments.get(i).map(|e| (i, e)));
    let Some((index, env)) = env.filter(|(_, e)| !e.deleted) else {
        return not_found(&id).shaped(shape);
    };
    let outcome = decide(&state, user, index, env);
    audit(&state, user, env, &outcome, correlation);
    match outcome {
        Ok((done, _)) => done.into_response(&state, user, env),
        Err(refusal) => refusal.0.shaped(shape),
    }
}

/// One audit entry per call that got past the checks, granted, denied or failed.
fn audit(
    state: &AppState,
    user: &User,
    env: &Environment,
    outcome: &Result<(Done, ActiveRole), Refusal>,
    correlation: Option<String>,
) {
    let (status, result, detail, role) = match outcome {
        Ok((done, role)) => (
            StatusCode::OK,
            done.audit_result(),
            done.audit_detail(),
            Some(role.clone()),
        ),
        Err(refusal) => {
            let (e, role) = &**refusal;
            (
                e.status,
                if e.status == StatusCode::FORBIDDEN {
                    "Denied"
                } else {
                    "Failed"
                },
                e.message.clone(),
                role.clone(),
            )
        }
    };
    state.platform.audit.record(AuditEntry {
        time: stamp(state.clock.now()),
        action: "applyAdminRole".into(),
        result: result.into(),
        status: status.as_u16(),
        user_id: Some(user.id.clone()),
        user_principal_name: Some(state.scenario.upn(user)),
        environment_id: env.id.clone(),
        environment_name: env.display_name.clone(),
        correlation_id: correlation,
        role: role.as_ref().map(AuditRole::from_active),
        system_user_id: outcome
            .as_ref()
            .ok()
            .and_then(|(d, _)| d.system_user_id().map(str::to_string)),
        role_id: None,
        detail,
    });
}

/// The refusal and the admin role the caller held (if any), for the audit log.
type Refusal = Box<(PpError, Option<ActiveRole>)>;

fn decide(
    state: &AppState,
    user: &User,
    index: usize,
    env: &Environment,
) -> Result<(Done, ActiveRole), Refusal> {
    let direct = direct_admin_roles(state, &user.id);
    let Some(backing) = strongest(&direct) else {
        let held = admin_roles(state, &user.id).into_iter().next();
        let inner = if held.is_some() {
            "The admin role is held through a group; self-elevation needs a direct assignment."
        } else {
            "The user holds no active Global, Power Platform or Dynamics 365 Administrator role."
        };
        let status = StatusCode::from_u16(state.settings().apply_admin_role_denied_status)
            .unwrap_or(StatusCode::FORBIDDEN);
        return Err(Box::new((
            PpError::new(status, "Forbidden", NOT_ADMIN).with_inner("UserNotAdmin", inner),
            held,
        )));
    };
    let refuse = |status, code, message: String| {
        Err(Box::new((
            PpError::new(status, code, message),
            Some(backing.clone()),
        )))
    };
    if env.state.runtime == RuntimeState::Disabled {
        return refuse(StatusCode::BAD_REQUEST, "EnvironmentDisabled", format!("The environment '{}' is disabled. Enable it before assigning the System Administrator role.", env.display_name));
    }
    if env.dataverse.is_none() {
        return refuse(StatusCode::BAD_REQUEST, "NoDataverse", format!("The environment '{}' has no Dataverse database, so there is no System Administrator role to assign.", env.display_name));
    }
    let d365_only = !direct.iter().any(|r| {
        r.role_template_id
            .eq_ignore_ascii_case(roles::GLOBAL_ADMINISTRATOR)
            || r.role_template_id
                .eq_ignore_ascii_case(roles::POWER_PLATFORM_ADMINISTRATOR)
    });
    if let (true, Some(group)) = (d365_only, &env.security_group_id) {
        if !in_group(&state.scenario, &user.id, group) {
            return refuse(StatusCode::FORBIDDEN, "Forbidden", format!("Unable to assign System Administrator security role: the user is a Dynamics 365 admin but not a member of the security group {group} of environment '{}'. Global admins and Power Platform admins are exempt.", env.display_name));
        }
    }
    if let (Sku::Teams, Some(group)) = (env.sku, &env.connected_group_id) {
        if !in_group(&state.scenario, &user.id, group) {
            return refuse(StatusCode::FORBIDDEN, "Forbidden", format!("Unable to assign System Administrator security role: the user is not a member of the Microsoft 365 group {group} connected to the Teams environment '{}'.", env.display_name));
        }
    }
    match outcome::assign(state, index, user, &backing) {
        Some(done) => Ok((done, backing)),
        None => refuse(
            StatusCode::BAD_REQUEST,
            "NoDataverse",
            "The environment's Dataverse organization has no root business unit.".into(),
        ),
    }
}

/// The role to rely on: the one that lasts longest (permanent first), GA before PPA before D365.
fn strongest(direct: &[ActiveRole]) -> Option<ActiveRole> {
    let rank = |r: &ActiveRole| match r.role_template_id.to_ascii_lowercase().as_str() {
        roles::GLOBAL_ADMINISTRATOR => 0,
        roles::POWER_PLATFORM_ADMINISTRATOR => 1,
        _ => 2,
    };
    direct
        .iter()
        .max_by_key(|r| (r.end.map_or(i64::MAX, |e| e.timestamp()), -rank(r)))
        .cloned()
}
