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
    pub system_user_id: String,
    /// The role copy (its business unit's) the user holds.
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
}
