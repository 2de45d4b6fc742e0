//! System Administrator inventory: the scope, each environment's scan, the holders found
//! (joined with PIM), and the run's progress.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum InventoryScopeKind {
    /// The environments in `environmentIds` (one, or the failed ones again).
    Environments,
    #[default]
    All,
    /// Every environment of one geo (`unitedstates`, `europe`, …).
    Geo,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct InventoryScope {
    pub kind: InventoryScopeKind,
    pub environment_ids: Vec<String>,
    pub geo: String,
}

/// How a holder relates to the tenant's admin roles in PIM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PimStatus {
    /// Holds Global, Power Platform or Dynamics 365 Administrator through an active PIM
    /// activation now: Microsoft removes a self-elevation when it ends.
    JustInTime,
    /// Eligible for such a role in PIM, not active now.
    Eligible,
    /// Holds such a role permanently.
    Permanent,
    /// No tenant admin role, eligible or held (or not a person of this directory).
    NoRole,
    /// PIM could not be read for everyone (see `Inventory.pimNote`), or an application user.
    Unknown,
}

/// One holder of one copy of the System Administrator role in one environment.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    pub environment_id: String,
    pub environment_name: String,
    /// The systemuser; for someone known only as a member of a group team's Entra group (not
    /// a user of the environment yet), their Entra object id.
    pub system_user_id: String,
    /// The role copy (its business unit's) the user holds; for a team-held row, the team's id.
    pub role_id: String,
    pub business_unit: String,
    pub full_name: String,
    pub upn: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    pub is_disabled: bool,
    pub is_application_user: bool,
    pub pim: PimStatus,
    /// Nothing in PIM will ever take this assignment away: the person holds a tenant admin
    /// role permanently, or none at all (not JustInTime, not Eligible). The clean-up's targets.
    pub standing: bool,
    /// Held through a team, not directly: the clean-up cannot take it away.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through_team: Option<super::TeamHold>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ScanStatus {
    Queued,
    Running,
    Done,
    /// No Dataverse, or disabled: nothing to read.
    Skipped,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentScan {
    pub environment_id: String,
    pub environment_name: String,
    pub geo: String,
    pub status: ScanStatus,
    pub holders: u32,
    /// Why it was skipped.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// Sent as the `inventory-progress` event each time an environment finishes.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InventoryProgress {
    pub done: u32,
    pub total: u32,
    pub scan: EnvironmentScan,
    /// The holders that environment added.
    pub holders: Vec<Holder>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub environments: Vec<EnvironmentScan>,
    pub holders: Vec<Holder>,
    /// Why the PIM column says Unknown, when it does.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pim_note: Option<String>,
    pub cancelled: bool,
    /// Set when the run covered only the environments Power Platform shows you without an
    /// active admin role (the default one and those you are a user of): says so and what to do.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<String>,
}

/// One (environment, user, role copy) of an inventory, as the UI picks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HolderRef {
    pub environment_id: String,
    pub system_user_id: String,
    pub role_id: String,
}

/// A users file's rows that could not be used, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RowProblem {
    /// 1-based line in the file.
    pub line: u32,
    pub text: String,
    pub problem: String,
}

/// A users file as read: the sample module's format (one UPN per line) or a CSV with a UPN
/// column; UTF-8 or UTF-16, with or without a byte order mark.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersFile {
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Lower-cased, without duplicates, in file order.
    pub upns: Vec<String>,
    pub problems: Vec<RowProblem>,
}

/// What to remove: picked holders and/or everyone of an imported users file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct CleanupInput {
    pub holders: Vec<HolderRef>,
    pub upns: Vec<String>,
    /// Your own assignments are left alone unless this is ticked.
    pub include_self: bool,
}

/// One removal the dry run found, or one it will not do (with `skipReason`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub environment_id: String,
    pub environment_name: String,
    pub system_user_id: String,
    pub role_id: String,
    pub business_unit: String,
    pub full_name: String,
    pub upn: String,
    pub is_you: bool,
    /// Removing it leaves the environment without an enabled person as System Administrator.
    pub last_admin: bool,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Set when this person stays System Administrator here through a team after the direct
    /// role is removed (the clean-up does not touch a team's role): says so in plain words.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub still_admin: Option<String>,
}

/// The dry run: exactly what a clean-up would remove, nothing sent yet.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CleanupPlan {
    pub plan_id: String,
    pub removals: Vec<Removal>,
    pub skipped: Vec<Removal>,
    /// UPNs of the users file that hold System Administrator nowhere in the inventory.
    pub unknown_upns: Vec<String>,
    pub environments: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RemovalResult {
    Removed,
    /// An earlier (interrupted) run of the same plan removed it already: not sent again.
    AlreadyDone,
    Failed,
    /// Rollback: put back.
    Restored,
    /// Sent, but no answer came back (every retry failed): it may or may not have changed.
    /// A resume or rollback checks the user's roles before acting on it.
    Unknown,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemovalOutcome {
    pub removal: Removal,
    pub result: RemovalResult,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// Sent as `cleanup-progress` after each row.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CleanupProgress {
    pub done: u32,
    pub total: u32,
    pub latest: RemovalOutcome,
}

/// A clean-up run: its logs folder (log, errors log, report CSV, rollback file) and results.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CleanupRun {
    pub run_id: String,
    pub logs_folder: String,
    pub outcomes: Vec<RemovalOutcome>,
    pub removed: u32,
    pub failed: u32,
    /// Rows sent without an answer (`RemovalResult::Unknown`).
    pub unknown: u32,
    /// Rows were sent, but a file of the logs folder could not be written: says which.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// A row of an earlier run that its rollback acts on: recorded `removed`, or `unknown`
/// (checked before anything is sent).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunRow {
    pub removal: Removal,
    pub result: RemovalResult,
}

/// A run found in the logs: finished, or interrupted (resumable).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CleanupRunSummary {
    pub run_id: String,
    pub logs_folder: String,
    pub started_at: DateTime<Utc>,
    /// The account that started it: only it may resume or roll it back.
    pub started_by: String,
    pub planned: u32,
    pub removed: u32,
    pub failed: u32,
    pub unknown: u32,
    pub restored: u32,
    pub finished: bool,
    /// What a rollback would act on, listed in its confirmation.
    pub rollback_rows: Vec<RunRow>,
    /// Why the run's files cannot be trusted (changed, or from another installation):
    /// it can be neither resumed nor rolled back.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}
