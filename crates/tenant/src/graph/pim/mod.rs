//! Privileged Identity Management for Entra roles (contract §2.2–2.6): eligibilities, role
//! policies, activation requests and the activations they create, served as Graph v1.0 under
//! `/graph/v1.0/roleManagement/directory/…` and `/graph/v1.0/policies/…`.
//!
//! Everything time-related (provisioning, expiry, the 5-minute minimum before deactivation) is
//! read off the emulator clock when asked, so tests move the clock instead of sleeping.

pub mod admin;
mod body;
mod directory;
mod duration;
mod json;
mod odata;
mod plan;
mod policy;
mod reads;
mod requests;
pub mod scenario;
pub mod state;

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::graph::auth::{self, Caller};
use crate::graph::error::{GraphCtx, GraphError};
use crate::scenario::roles;
use crate::state::{AppState, Runtime};

pub use state::{assignments, wids, PimState};

/// Which wording `RoleAssignmentRequestPolicyValidationFailed` uses (contract §2.5): the
/// documented JSON list of rule names, or the newer "Rule - reason" sentences (UNCONFIRMED).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum PolicyMessageStyle {
    #[default]
    List,
    Sentences,
}

/// The code PIM's authentication-context refusal comes with. The documented one, or another
/// (`UnknownError`) wrapping the same `&claims=` message, as seen from some tenants.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AcrsRefusalCode {
    #[default]
    RoleAssignmentRequestAcrsValidationFailed,
    UnknownError,
}

impl AcrsRefusalCode {
    pub fn code(self) -> &'static str {
        match self {
            Self::RoleAssignmentRequestAcrsValidationFailed => {
                "RoleAssignmentRequestAcrsValidationFailed"
            }
            Self::UnknownError => "UnknownError",
        }
    }
}

/// Privileged Role Administrator: with Global Administrator, who may see every request.
pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";

/// Delegated permissions, least to most privileged, per the Graph API pages.
const ELIGIBILITY_READ: [&str; 5] = [
    "RoleEligibilitySchedule.Read.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
];
const ASSIGNMENT_READ: [&str; 5] = [
    "RoleAssignmentSchedule.Read.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
];
const ASSIGNMENT_WRITE: [&str; 2] = [
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
];
const POLICY_READ: [&str; 5] = [
    "RoleManagementPolicy.Read.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagementPolicy.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
];
const DEFINITION_READ: [&str; 5] = [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// The Graph routes, to be merged into the `/graph` router. Plain axum routes, so a tower
/// layer (fault injection, throttling) can wrap them like any other.
pub fn router() -> Router<Arc<AppState>> {
    const DIR: &str = "/v1.0/roleManagement/directory";
    Router::new()
        .route(
            &format!("{DIR}/roleEligibilityScheduleInstances"),
            get(directory::all_eligibility_instances),
        )
        .route(
            &format!("{DIR}/roleAssignmentScheduleInstances"),
            get(directory::all_assignment_instances),
        )
        .route(
            &format!("{DIR}/roleEligibilityScheduleInstances/{{key}}"),
            get(reads::eligibility_instances),
        )
        .route(
            &format!("{DIR}/roleEligibilitySchedules/{{key}}"),
            get(reads::eligibility_schedules),
        )
        .route(
            &format!("{DIR}/roleAssignmentScheduleInstances/{{key}}"),
            get(reads::assignment_instances),
        )
        .route(
            &format!("{DIR}/roleDefinitions"),
            get(reads::role_definitions),
        )
        .route(
            &format!("{DIR}/roleDefinitions/{{id}}"),
            get(reads::role_definition),
        )
        .route(
            &format!("{DIR}/roleAssignmentScheduleRequests"),
            post(requests::create).get(requests::list_all),
        )
        .route(
            &format!("{DIR}/roleAssignmentScheduleRequests/{{key}}"),
            get(requests::get_one),
        )
        .route(
            &format!("{DIR}/roleAssignmentScheduleRequests/{{id}}/cancel"),
            post(requests::cancel),
        )
        .route(
            "/v1.0/policies/roleManagementPolicyAssignments",
            get(reads::policy_assignments),
        )
}

/// Runs a Graph handler body and wraps its answer or error in Graph's envelope.
fn respond(
    state: &AppState,
    headers: &HeaderMap,
    f: impl FnOnce(&GraphCtx) -> Result<(StatusCode, Value), GraphError>,
) -> Response {
    let ctx = GraphCtx::new(state, headers);
    match f(&ctx) {
        Ok((status, body)) => ctx.respond(status, body),
        Err(e) => e.to_response(&ctx),
    }
}

/// The signed-in caller, if their token carries one of `scopes`.
fn authorize<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    scopes: &[&str],
) -> Result<Caller<'a>, GraphError> {
    let caller = auth::caller(state, headers)?;
    if !caller.has_any_scope(scopes) {
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ));
    }
    Ok(caller)
}

/// `filterByCurrentUser(on='principal')`: `None` when `key` is not that function at all.
fn current_user_function(key: &str) -> Option<Result<(), GraphError>> {
    const NAME: &str = "filterbycurrentuser(";
    let head = key.get(..NAME.len())?;
    if !head.eq_ignore_ascii_case(NAME) {
        return None;
    }
    let bad = |m: String| {
        Some(Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            m,
        )))
    };
    let Some(args) = key[NAME.len()..].strip_suffix(')') else {
        return bad(format!("Resource not found for the segment '{key}'."));
    };
    let value = match args.split_once('=') {
        Some((name, value)) if name.trim() == "on" => value.trim(),
        _ => return bad("The function 'filterByCurrentUser' requires the parameter 'on'.".into()),
    };
    match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some("principal") => Some(Ok(())),
        Some(other) => bad(format!("Requested value '{other}' was not found.")),
        None => bad(format!("The value '{value}' of parameter 'on' is not a valid enum literal; use on='principal'.")),
    }
}

/// Global Administrators and Privileged Role Administrators see and act on every request.
fn is_role_admin(rt: &Runtime, state: &AppState, user_id: &str, now: DateTime<Utc>) -> bool {
    rt.active_roles(&state.scenario, user_id, now)
        .iter()
        .any(|r| {
            r.role_template_id
                .eq_ignore_ascii_case(roles::GLOBAL_ADMINISTRATOR)
                || r.role_template_id
                    .eq_ignore_ascii_case(PRIVILEGED_ROLE_ADMINISTRATOR)
        })
}

/// A GUID derived from `parts`, so ids stay the same across resets and runs.
pub(crate) fn stable_guid(parts: &[&str]) -> String {
    let digest = Sha256::digest(parts.join("|").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Graph's schedule instance ids: base64url of the role and principal GUIDs (in .NET byte
/// order) plus a suffix (`-1`, `-1-e`), e.g. `lAPpYvVpN0KRkAEhdxReEJ2S…-1`.
pub(crate) fn instance_id(role_id: &str, principal_id: &str, suffix: &str) -> String {
    let bytes_of = |id: &str| {
        uuid::Uuid::parse_str(id)
            .map(|u| u.to_bytes_le().to_vec())
            .unwrap_or_else(|_| Sha256::digest(id.as_bytes())[..16].to_vec())
    };
    let mut bytes = bytes_of(role_id);
    bytes.extend(bytes_of(principal_id));
    format!("{}{suffix}", URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_ids_look_like_graphs() {
        // The documented Global Administrator instance id starts with the role's bytes.
        let id = instance_id(
            "62e90394-69f5-4237-9190-012177145e10",
            "3fbd929d-8c56-4462-851e-0eb9a7b3a2a5",
            "-1",
        );
        assert!(
            id.starts_with("lAPpYvVpN0KRkAEhdxReEJ2SvT9WjGJEhR4OuaezoqU"),
            "{id}"
        );
        assert_eq!(stable_guid(&["a", "b"]), stable_guid(&["a", "b"]));
        assert_ne!(stable_guid(&["a", "b"]), stable_guid(&["a", "c"]));
    }

    #[test]
    fn the_function_segment_is_parsed_strictly() {
        assert!(matches!(
            current_user_function("filterByCurrentUser(on='principal')"),
            Some(Ok(()))
        ));
        assert!(current_user_function("911bab8a-6912-4de2-9dc0-2648ede7dd6d").is_none());
        for bad in [
            "filterByCurrentUser(on='unknownFutureValue')",
            "filterByCurrentUser()",
            "filterByCurrentUser(on=principal)",
            "filterByCurrentUser(on='principal'",
        ] {
            assert!(matches!(current_user_function(bad), Some(Err(_))), "{bad}");
        }
    }
}
