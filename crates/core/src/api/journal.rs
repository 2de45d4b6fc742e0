//! The activity journal's shapes: what one entry records (also its on-disk form, see
//! `crate::journal`), the Activity page's filter and page, the integrity verdict, exports.
//! Nothing here ever holds a token: only names, ids, parameters and outcomes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ErrorCode, SignInMethod, TenantKind};

/// What was done. A closed set: a new privileged action gets a new variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JournalAction {
    SignIn,
    SignOut,
    /// A PIM role activation was requested (its stages end in `result`).
    RoleActivate,
    RoleDeactivate,
    RoleExtend,
    /// A pending PIM request was cancelled.
    RequestCancel,
    /// An approver approved or denied a PIM request.
    ApprovalDecided,
    /// System Administrator in one Power Platform environment ("Add me").
    SelfElevate,
    /// An inventory of System Administrator assignments (dry run or before a cleanup).
    InventoryRun,
    /// One standing assignment removed during a cleanup.
    AssignmentRemove,
    /// One removed assignment put back from the rollback list.
    AssignmentRestore,
}

impl JournalAction {
    pub const ALL: [JournalAction; 11] = [
        Self::SignIn,
        Self::SignOut,
        Self::RoleActivate,
        Self::RoleDeactivate,
        Self::RoleExtend,
        Self::RequestCancel,
        Self::ApprovalDecided,
        Self::SelfElevate,
        Self::InventoryRun,
        Self::AssignmentRemove,
        Self::AssignmentRestore,
    ];

    /// The words the Activity page shows (the search box finds entries by them too).
    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "Sign in",
            Self::SignOut => "Sign out",
            Self::RoleActivate => "Activate role",
            Self::RoleDeactivate => "Deactivate role",
            Self::RoleExtend => "Extend role",
            Self::RequestCancel => "Cancel request",
            Self::ApprovalDecided => "Approval decision",
            Self::SelfElevate => "Self-elevate",
            Self::InventoryRun => "Inventory",
            Self::AssignmentRemove => "Remove assignment",
            Self::AssignmentRestore => "Restore assignment",
        }
    }

    /// The camelCase name used on disk, in exports and in the UI's filter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "signIn",
            Self::SignOut => "signOut",
            Self::RoleActivate => "roleActivate",
            Self::RoleDeactivate => "roleDeactivate",
            Self::RoleExtend => "roleExtend",
            Self::RequestCancel => "requestCancel",
            Self::ApprovalDecided => "approvalDecided",
            Self::SelfElevate => "selfElevate",
            Self::InventoryRun => "inventoryRun",
            Self::AssignmentRemove => "assignmentRemove",
            Self::AssignmentRestore => "assignmentRestore",
        }
    }
}

/// Which tenant the action was in; demo and organization activity share one journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalTenant {
    pub kind: TenantKind,
    /// The directory (tenant) id as Entra reports it, or as configured when no sign-in happened.
    pub id: String,
}

/// Who acted. Absent when nobody could be identified (e.g. a sign-in that failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalAccount {
    pub name: String,
    pub upn: String,
    /// Entra object id of the user.
    pub oid: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JournalTargetKind {
    Tenant,
    /// An Entra ID directory role (PIM).
    DirectoryRole,
    /// A Power Platform environment.
    Environment,
    /// One role assignment of one user (inventory/cleanup rows).
    RoleAssignment,
    /// A PIM request (cancel, approval).
    Request,
}

/// What the action was done to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalTarget {
    pub kind: JournalTargetKind,
    pub id: String,
    pub name: String,
}

/// A named thing referred to by id and display name (an environment, a user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalRef {
    pub id: String,
    pub name: String,
}

/// What the admin asked for. Every field is optional; the action decides which apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct JournalParams {
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_number: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_system: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The role involved when the target is not the role itself (e.g. System Administrator
    /// when the target is an environment).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// The environment involved when the target is not the environment itself.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<JournalRef>,
    /// The user an assignment belongs to (cleanup rows); the actor is `account`.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<JournalRef>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_method: Option<SignInMethod>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JournalOutcome {
    Succeeded,
    Failed,
    /// Accepted but not finished (e.g. a PIM request waiting for approval).
    Pending,
    /// Nothing to do: it was already so (e.g. already System Administrator).
    AlreadyDone,
}

impl JournalOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Pending => "pending",
            Self::AlreadyDone => "alreadyDone",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalResult {
    pub outcome: JournalOutcome,
    /// For failures: the error code the UI was given.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl JournalResult {
    pub fn succeeded() -> Self {
        Self {
            outcome: JournalOutcome::Succeeded,
            code: None,
            message: None,
            detail: None,
        }
    }
    pub fn failed(e: &super::ApiError) -> Self {
        Self {
            outcome: JournalOutcome::Failed,
            code: Some(e.code),
            message: Some(e.message.clone()),
            detail: e.detail.clone(),
        }
    }
}

/// One recorded action, exactly as stored (the line's `mac` is kept beside it, in `JournalRow`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    /// 1, 2, 3… across the whole journal, in the order the actions finished.
    pub seq: u32,
    /// When the entry was written (UTC).
    pub time: DateTime<Utc>,
    pub tenant: JournalTenant,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<JournalAccount>,
    pub action: JournalAction,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<JournalTarget>,
    #[serde(default)]
    pub params: JournalParams,
    pub result: JournalResult,
    /// The service's correlation id, to quote to Microsoft support.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// The service's request id (a PIM request, an operation).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// When the granted right ends, when known (the PIM expiry).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// The `mac` of the entry before (or of the segment header): the chain link.
    pub prev: String,
}

/// An entry as the Activity page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalRow {
    /// Which file (`journal-0001.jsonl` is segment 1) and line the entry is on.
    pub segment: u32,
    pub line: u32,
    /// False when the entry comes after a break in the chain: it may have been changed.
    pub verified: bool,
    pub mac: String,
    pub entry: JournalEntry,
}

/// The Activity page's filter; every field narrows, none set = everything.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct JournalFilter {
    #[ts(optional)]
    pub action: Option<JournalAction>,
    #[ts(optional)]
    pub outcome: Option<JournalOutcome>,
    /// Environment name or id (the target's, or the one in the parameters).
    #[ts(optional)]
    pub environment: Option<String>,
    /// Role name (the target's, or the one in the parameters).
    #[ts(optional)]
    pub role: Option<String>,
    /// Free text, case-insensitive: account, target, ticket, justification, ids, message.
    #[ts(optional)]
    pub text: Option<String>,
    /// Entries at or after this instant.
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Entries before this instant.
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    /// At most this many rows (newest first); the page says "showing N of M".
    #[ts(optional)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalPage {
    /// Newest first.
    pub rows: Vec<JournalRow>,
    /// How many entries match the filter (rows may be fewer: the limit).
    pub matching: u32,
    /// How many entries the journal holds.
    pub total: u32,
    /// Values for the environment and role filters, from all entries.
    pub environments: Vec<String>,
    pub roles: Vec<String>,
}

/// One problem verification found. `segment` is the file number (`journal-0003.jsonl` = 3);
/// `entry` is the seq of the entry that should be at that place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum JournalIssue {
    /// Changed, removed, reordered or cut at this entry; the chain does not hold from here on.
    Changed {
        segment: u32,
        entry: u32,
        line: u32,
        reason: String,
    },
    /// Elevate stopped (crash, power loss) while writing this entry; it was never reported
    /// done. Entries before it are intact; later entries are in a new segment.
    TornTail { segment: u32, entry: u32 },
    /// Not a journal of this installation: another program's file, another computer's
    /// journal, or its key is not available now.
    Foreign { segment: u32, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JournalStatus {
    Intact,
    Changed,
    TornTail,
    Foreign,
}

/// How well the chain's key is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JournalProtection {
    /// The key is in the OS credential store: whoever edits the file cannot recompute the chain.
    CredentialStore,
    /// Some segment keeps its key in the file itself (no credential store when it was written):
    /// accidental damage is caught, a deliberate edit may not be.
    FileOnly,
}

/// The verdict shown as the Activity page's badge.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalHealth {
    /// `intact`, or the kind of the most serious issue (the first in `issues`).
    pub status: JournalStatus,
    /// Most serious first, then in journal order.
    pub issues: Vec<JournalIssue>,
    /// Entries whose chain verified.
    pub entries: u32,
    pub segments: u32,
    pub protection: JournalProtection,
    /// Set when the last attempt to write an entry failed (disk full, permissions).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub write_error: Option<String>,
    pub checked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Where an export was written and how many entries it holds.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalExport {
    pub path: String,
    pub count: u32,
}
