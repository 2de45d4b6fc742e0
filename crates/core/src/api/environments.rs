//! Environments, their System Administrators, the preflight before "Add me", and the
//! elevation's progress and results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ApiError;

/// An Entra group an environment is tied to (security group, or a Teams environment's
/// Microsoft 365 group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    pub id: String,
    /// None when Graph would not tell (deleted group, no permission): the id is shown.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One Power Platform environment as the admin center lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// The environment id (a GUID, or `Default-{tenant id}`).
    pub id: String,
    pub display_name: String,
    /// Production, Sandbox, Developer, Trial, Default, Teams, …
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: String,
    /// Ready, Disabled, … as the Power Platform API says.
    pub state: String,
    /// False when the environment is disabled (administration mode, suspended).
    pub enabled: bool,
    pub geo: String,
    pub azure_region: String,
    /// The Dataverse (environment) URL.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub has_dataverse: bool,
    /// The Dataverse organization id.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group: Option<GroupRef>,
    /// A Teams environment's Microsoft 365 group.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_group: Option<GroupRef>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<DateTime<Utc>>,
    /// What of this environment Power Platform sent in a form Elevate could not read (the
    /// rest is shown), in plain words.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
    /// Why Elevate cannot tell whether this environment has a security group (or, for a
    /// Teams environment, its team): None when it knows.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_unknown: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentList {
    pub environments: Vec<Environment>,
    /// No Global, Power Platform or Dynamics 365 Administrator role is active, so Power
    /// Platform lists only the default environment and those you are a user of.
    pub partial: bool,
    pub fetched_at: DateTime<Utc>,
    /// Environments Power Platform listed that could not be read at all, so are not shown.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_shown: Option<String>,
}

/// System Administrator held through a Dataverse team rather than directly. Removing a
/// person's direct role leaves this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamHold {
    pub team_id: String,
    pub team: String,
    /// An Entra group team: the group's name (its id when Graph would not say).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Found among the group's members in Microsoft Entra: Dataverse does not list them in the
    /// team yet (they have not opened the environment), but the role applies when they do.
    #[serde(default)]
    pub from_group: bool,
}

/// A holder of the System Administrator role in one environment (any business unit's copy).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SystemAdministrator {
    pub system_user_id: String,
    pub full_name: String,
    /// User name (UPN) as Dataverse has it.
    pub upn: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    pub is_disabled: bool,
    pub is_application_user: bool,
    pub business_unit: String,
    /// The signed-in user.
    pub is_you: bool,
    /// Held through this team, not directly (a person may have a row of each).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through_team: Option<TeamHold>,
}

/// The Membership → System Administrators pane.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub environment_id: String,
    pub environment_name: String,
    pub administrators: Vec<SystemAdministrator>,
    pub you_are_admin: bool,
    /// Why the list could not be read (e.g. you are not a user there yet); the list is empty.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
    /// What could not be learned about team-held System Administrators (e.g. a group's
    /// members), when something could not.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teams_note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckStatus {
    Pass,
    /// Elevation will be refused because of this line.
    Fail,
    /// May get in the way; elevation is still attempted.
    Warn,
    /// Worth knowing; changes nothing.
    Info,
}

/// The preflight's lines, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    /// The environment still exists (it may vanish between listing and elevation).
    Exists,
    /// Global, Power Platform or Dynamics 365 Administrator held or eligible.
    AdminRole,
    /// That role is active now.
    RoleActive,
    /// Assigned to you directly, not through a group.
    DirectAssignment,
    /// The role is in your current sign-in.
    InToken,
    EnvironmentEnabled,
    Dataverse,
    /// Dynamics 365 admins must be in the environment's security group.
    SecurityGroup,
    /// Teams environments: membership of the Microsoft 365 group.
    TeamsGroup,
    AlreadyAdmin,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreflightCheck {
    pub kind: CheckKind,
    pub status: CheckStatus,
    /// One line, e.g. "You hold Power Platform Administrator".
    pub title: String,
    /// Plain words: why it matters.
    pub detail: String,
    /// What to do about it, when something can be done.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// Add me will work.
    Ready,
    /// You already are System Administrator: Add me changes nothing.
    AlreadyAdmin,
    /// Only an eligible tenant role needs activating first (the guided path).
    NeedsActivation,
    /// Add me would be refused; the failing lines say why.
    Blocked,
}

/// A role the guided path can activate before elevating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleToActivate {
    pub role_id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    pub environment_id: String,
    pub environment_name: String,
    pub verdict: Verdict,
    pub checks: Vec<PreflightCheck>,
    /// With `NeedsActivation`: the role to activate.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activate: Option<RoleToActivate>,
    /// The tenant role the elevation relies on (when one is active).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relied_role: Option<String>,
    /// When System Administrator would be taken away again (the PIM activation's end);
    /// None with a permanent role.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
}

/// "Add me" for one or several environments.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AddMeInput {
    pub environment_ids: Vec<String>,
    /// The admin confirmed "Try anyway": send even where the preflight says it will fail.
    pub try_anyway: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ElevationResult {
    /// You are System Administrator now.
    Elevated,
    /// You already were; nothing changed.
    AlreadyAdmin,
    /// Power Platform refused; `error` says why.
    Refused,
    /// Microsoft accepted the request, but the role did not show in the environment while
    /// Elevate looked; `error` says what to do (it may still arrive).
    Unconfirmed,
    /// Not sent: the preflight said it would fail and "Try anyway" was not confirmed.
    Skipped,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Elevation {
    pub environment_id: String,
    pub environment_name: String,
    pub result: ElevationResult,
    /// Plain words: "You are System Administrator in Sales Production until 14:05."
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// When Microsoft takes System Administrator away again (the PIM expiry); None = no end.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// Sent as the `elevation-progress` event after each environment.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ElevationProgress {
    pub done: u32,
    pub total: u32,
    pub latest: Elevation,
}
