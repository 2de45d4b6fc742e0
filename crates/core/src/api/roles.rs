//! My roles: PIM-eligible Entra ID roles, what is active now, requests, and the activation
//! flow's input, progress and outcome.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ApiError;

/// How the user holds or is offered a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MemberType {
    Direct,
    /// Through a (role-assignable) group; Power Platform does not accept such roles for
    /// self-elevation.
    Group,
    Inherited,
}

/// What the role's PIM policy asks of an activation (`Expiration_`, `Enablement_`,
/// `Approval_` and `AuthenticationContext_EndUser_Assignment` rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RolePolicy {
    pub max_duration_minutes: u32,
    pub requires_justification: bool,
    pub requires_ticket: bool,
    pub requires_mfa: bool,
    pub requires_approval: bool,
    pub approval_for_extension: bool,
    /// An authentication context id (e.g. `c1`) the sign-in must satisfy.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_context: Option<String>,
    /// Display names of the approvers, when approval is required.
    pub approvers: Vec<String>,
}

/// A role the user may activate.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EligibleRole {
    /// The role definition id (= template id for built-in roles).
    pub role_id: String,
    pub name: String,
    pub description: String,
    /// Where the role applies, in words: "Directory" for the whole tenant, or e.g.
    /// "Sales (administrative unit)".
    pub scope: String,
    /// The scope as PIM names it (`/`, `/administrativeUnits/{id}`): activation uses it.
    pub scope_id: String,
    pub member_type: MemberType,
    /// The group the eligibility comes through (`memberType` Group).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// None = permanently eligible.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility_end: Option<DateTime<Utc>>,
    /// None when the policy could not be read (the dialog then asks for everything).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<RolePolicy>,
    /// True for Global, Power Platform and Dynamics 365 Administrator.
    pub grants_self_elevation: bool,
    /// A plain-words caveat, e.g. that a group-held role cannot self-elevate in environments.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// True when the role is active (or being activated) now.
    pub active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AssignmentType {
    /// Permanent (standing) assignment.
    Assigned,
    /// Came from a PIM activation; ends at `end`.
    Activated,
}

/// A role the user holds now.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActiveRole {
    pub role_id: String,
    pub name: String,
    /// In words, as on `EligibleRole`.
    pub scope: String,
    pub scope_id: String,
    pub member_type: MemberType,
    pub assignment_type: AssignmentType,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// None = permanent.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// The role is in the current sign-in's token (`wids`): services that read the token
    /// (Power Platform) see it. Always true for roles a token never carries (custom roles,
    /// roles limited to an administrative unit): services check those at the assignment.
    pub in_token: bool,
    pub grants_self_elevation: bool,
    /// PIM keeps an activation at least 5 minutes: deactivation is possible from then on.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deactivate_from: Option<DateTime<Utc>>,
}

/// Where a request stands, in the words the Requests tab uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RequestPhase {
    WaitingForApproval,
    /// Granted; PIM is putting the role in place.
    Provisioning,
    /// Done: the role was activated, extended or deactivated.
    Completed,
    Denied,
    Canceled,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleRequest {
    pub id: String,
    pub role_id: String,
    pub role_name: String,
    /// `selfActivate`, `selfDeactivate`, `selfExtend`, … as Graph has it.
    pub action: String,
    /// Graph's status (`PendingApproval`, `Provisioned`, `Revoked`, …).
    pub status: String,
    pub phase: RequestPhase,
    pub created: DateTime<Utc>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_number: Option<String>,
    pub can_cancel: bool,
}

/// The My roles page: one fetch of the three tabs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MyRoles {
    pub eligible: Vec<EligibleRole>,
    pub active: Vec<ActiveRole>,
    /// Newest first.
    pub requests: Vec<RoleRequest>,
    pub fetched_at: DateTime<Utc>,
}

/// What the Activate dialog sends: one or more roles with one justification and ticket.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivationInput {
    pub role_ids: Vec<String>,
    /// Role id → the eligibility's `scopeId`, for a role eligible at more than one scope.
    /// Without it Elevate uses the role's only scope (or the whole directory).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_ids: Option<std::collections::BTreeMap<String, String>>,
    pub duration_minutes: u32,
    pub justification: String,
    pub ticket_number: String,
    pub ticket_system: String,
}

/// The stepper's stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ActivationStage {
    Validating,
    /// A sign-in with MFA or an authentication context is open in the browser.
    SigningIn,
    Submitting,
    /// PIM granted the request and is putting the role in place.
    Activating,
    WaitingForApproval,
    /// The role is active; Elevate is getting a sign-in that carries it.
    UpdatingSignIn,
    Active,
    Failed,
}

/// Sent as the `activation-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivationProgress {
    pub role_id: String,
    pub role_name: String,
    pub stage: ActivationStage,
    /// A plain-words line for the stage (e.g. why a sign-in is open).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ActivationResult {
    Active,
    /// It already was active: nothing was changed.
    AlreadyActive,
    /// Waiting for an approver; Elevate tells you when it is decided.
    Pending,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActivationOutcome {
    pub role_id: String,
    pub role_name: String,
    pub result: ActivationResult,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// The role is in the current token (false when the wait for it ran out). For roles a
    /// token never carries, that PIM lists the role as held.
    pub in_token: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// Extend an activation near its end by `duration_minutes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ExtendInput {
    pub role_id: String,
    pub duration_minutes: u32,
    pub justification: String,
    pub ticket_number: String,
    pub ticket_system: String,
}

/// A named set of roles with the usual duration, ticket system and justification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    pub name: String,
    pub role_ids: Vec<String>,
    pub duration_minutes: u32,
    #[serde(default)]
    pub ticket_system: String,
    #[serde(default)]
    pub justification: String,
}

/// Presets, what was typed recently (offered again in the dialog) and when to warn before
/// an activation ends. Kept locally, per user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RolePreferences {
    pub presets: Vec<Preset>,
    /// Newest first, at most 10 each.
    pub recent_justifications: Vec<String>,
    pub recent_tickets: Vec<String>,
    pub recent_ticket_systems: Vec<String>,
    /// An OS notification this many minutes before an activation ends (0 = none).
    pub expiry_warning_minutes: u32,
}

impl Default for RolePreferences {
    fn default() -> Self {
        Self {
            presets: vec![],
            recent_justifications: vec![],
            recent_tickets: vec![],
            recent_ticket_systems: vec![],
            expiry_warning_minutes: 10,
        }
    }
}

/// An OS notification the shell should show (expiry soon, approval decided).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleNotice {
    pub title: String,
    pub body: String,
}
