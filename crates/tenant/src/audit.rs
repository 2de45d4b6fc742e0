//! The emulator's stand-in for Microsoft Purview: every self-elevation attempt, every System
//! Administrator removal (PIM expiry) and every Dataverse role change, in order.
//! Read through `GET /_emulator/audit`; cleared by a reset.

use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::scenario::roles;
use crate::secrets::lock;
use crate::state::ActiveRole;

#[derive(Serialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub time: String,
    /// `applyAdminRole`, `systemAdministratorRemoved`, `roleAssociated`, `roleDisassociated`.
    pub action: String,
    /// `Succeeded`, `Denied` or `Failed`.
    pub result: String,
    pub status: u16,
    pub user_id: Option<String>,
    pub user_principal_name: Option<String>,
    pub environment_id: String,
    pub environment_name: String,
    /// The `x-ms-correlation-id` of the request (none for removals found by a sweep).
    pub correlation_id: Option<String>,
    /// The active tenant role the elevation relied on (or, for a removal, the one that ended).
    pub role: Option<AuditRole>,
    /// Dataverse changes: the systemuser and role touched.
    pub system_user_id: Option<String>,
    pub role_id: Option<String>,
    pub detail: String,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuditRole {
    pub role_template_id: String,
    pub role_name: String,
    pub member_type: String,
    pub assignment_type: String,
    /// RFC 3339; `None` = permanent.
    pub end: Option<String>,
}

impl AuditRole {
    pub fn from_active(role: &ActiveRole) -> AuditRole {
        AuditRole {
            role_template_id: role.role_template_id.clone(),
            role_name: role_name(&role.role_template_id).to_string(),
            member_type: format!("{:?}", role.member_type),
            assignment_type: format!("{:?}", role.assignment_type),
            end: role.end.map(stamp),
        }
    }
}

pub fn role_name(template: &str) -> &'static str {
    match template.to_ascii_lowercase().as_str() {
        roles::GLOBAL_ADMINISTRATOR => "Global Administrator",
        roles::POWER_PLATFORM_ADMINISTRATOR => "Power Platform Administrator",
        roles::DYNAMICS_365_ADMINISTRATOR => "Dynamics 365 Administrator",
        _ => "Directory role",
    }
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[derive(Default)]
pub struct AuditLog {
    entries: Mutex<Vec<AuditEntry>>,
}

impl AuditLog {
    pub fn record(&self, entry: AuditEntry) {
        tracing::info!(action = %entry.action, result = %entry.result, environment = %entry.environment_id, "audit");
        lock(&self.entries).push(entry);
    }

    pub fn all(&self) -> Vec<AuditEntry> {
        lock(&self.entries).clone()
    }

    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}
