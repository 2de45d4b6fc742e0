//! What an accepted applyAdminRole does and answers. By default it assigns System
//! Administrator and answers the documented 200 (`Code: "UserExists"`). A 200 alone does not
//! prove the change, so two switches play what clients must not take for success:
//! - `applyAdminRoleOutcome: "errors"` — 200 with a non-empty `errors` (item shape assumed
//!   the same as `information`'s, contract §3.1 UNCONFIRMED), nothing assigned;
//! - `applyAdminRoleOutcome: "notAssigned"` — the documented 200, nothing assigned ever;
//! - `applyAdminRoleAssignDelaySeconds: n` — the documented 200, the role arrives n seconds
//!   later (emulator clock), as a slow sync would.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::environments::{instance_root, Environment};
use crate::scenario::User;
use crate::state::{ActiveRole, AppState};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ApplyOutcome {
    #[default]
    Assigned,
    Errors,
    NotAssigned,
}

pub enum Done {
    Assigned(String),
    /// Answered like success; the role comes later or never.
    Accepted,
    /// Answered 200 with `errors`.
    Errors,
}

/// Carries out an accepted request as the switches say; `None` when the org has no root BU.
pub fn assign(state: &AppState, env: usize, user: &User, backing: &ActiveRole) -> Option<Done> {
    let settings = state.settings();
    match settings.apply_admin_role_outcome {
        ApplyOutcome::Errors => Some(Done::Errors),
        ApplyOutcome::NotAssigned => Some(Done::Accepted),
        ApplyOutcome::Assigned if settings.apply_admin_role_assign_delay_seconds > 0 => {
            let due = state.clock.now()
                + chrono::Duration::seconds(settings.apply_admin_role_assign_delay_seconds);
            state.platform.lock().defer(due, env, user, backing);
            Some(Done::Accepted)
        }
        ApplyOutcome::Assigned => state
            .platform
            .lock()
            .elevate(&state.scenario, env, user, backing)
            .map(|e| Done::Assigned(e.system_user_id)),
    }
}

impl Done {
    pub fn audit_result(&self) -> &'static str {
        match self {
            Done::Assigned(_) => "Succeeded",
            Done::Accepted => "Accepted",
            Done::Errors => "Failed",
        }
    }

    pub fn audit_detail(&self) -> String {
        match self {
            Done::Assigned(_) => "System Administrator assigned (UserExists).",
            Done::Accepted => "Answered UserExists; System Administrator not assigned (yet).",
            Done::Errors => "Answered 200 with errors; nothing assigned.",
        }
        .to_string()
    }

    pub fn system_user_id(&self) -> Option<&str> {
        match self {
            Done::Assigned(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_response(self, state: &AppState, user: &User, env: &Environment) -> Response {
        let mut steps = sync_steps(state, env);
        let (errors, information) = match &self {
            Done::Errors => {
                steps.push("Failed to assign the System Administrator security role to the user. Please try again later.".into());
                (vec![item(&steps, "RoleAssignmentFailed")], vec![])
            }
            Done::Assigned(id) => {
                steps.push(format!(
                    "SystemUser with Id:{id}, objectId:{} exists in instance",
                    user.id
                ));
                (vec![], vec![item(&steps, "UserExists")])
            }
            Done::Accepted => (vec![], vec![item(&steps, "UserExists")]),
        };
        Json(json!({"errors": errors, "information": information})).into_response()
    }
}

/// `Description` is a JSON-encoded string array, as documented.
fn item(steps: &[String], code: &str) -> serde_json::Value {
    let description = serde_json::to_string(steps).unwrap_or_default();
    json!({"Subject": "Result", "Description": description, "Code": code})
}

fn sync_steps(state: &AppState, env: &Environment) -> Vec<String> {
    let dv = env.dataverse.as_ref();
    let url = dv
        .map(|d| format!("{}/", instance_root(&state.base_url, &d.domain_name)))
        .unwrap_or_default();
    let org_id = dv
        .map(|d| d.organization_id.to_ascii_lowercase())
        .unwrap_or_default();
    vec![
        "SyncMode: Default".to_string(),
        format!("Instance {} exists", env.id),
        format!("Instance {org_id} in enabled state"),
        format!("Instance Url found {url}"),
        "User found in AD tenant".to_string(),
        "User in enabled state in AD tenant".to_string(),
    ]
}
