//! Scenario types for Power Platform environments and their Dataverse organisations.
//!
//! Names follow what an admin sees in the admin center and in the Dataverse tables
//! (`systemuser`, `businessunit`, `role`), so a scenario file reads like the real tenant.

use serde::{Deserialize, Serialize};

/// The template every business unit's copy of "System Administrator" shares.
pub const SYSTEM_ADMINISTRATOR_TEMPLATE: &str = "627090ff-40a3-4053-8790-584edc5be201";
pub const SYSTEM_ADMINISTRATOR: &str = "System Administrator";

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Environment {
    /// A GUID, or `Default-{tenantId}` for the tenant's default environment.
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    /// The SKU (`environmentSku` in BAP, `type` in the Power Platform API).
    #[serde(rename = "type")]
    pub sku: Sku,
    /// BAP `location`, e.g. `unitedstates`, `europe`.
    pub geo: String,
    pub azure_region: String,
    #[serde(default)]
    pub state: EnvState,
    /// Soft-deleted: gone from every listing, 404 by id.
    #[serde(default)]
    pub deleted: bool,
    /// RFC 3339.
    pub created_time: String,
    #[serde(default)]
    pub created_by: Option<Principal>,
    /// A scenario group (Security) whose members may use the environment.
    #[serde(default)]
    pub security_group_id: Option<String>,
    /// Teams environments only: the team's Microsoft 365 group.
    #[serde(default)]
    pub connected_group_id: Option<String>,
    #[serde(default)]
    pub dataverse: Option<Dataverse>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sku {
    Default,
    Production,
    Sandbox,
    Developer,
    Trial,
    Teams,
    SubscriptionBasedTrial,
}

impl Sku {
    pub fn as_str(self) -> &'static str {
        match self {
            Sku::Default => "Default",
            Sku::Production => "Production",
            Sku::Sandbox => "Sandbox",
            Sku::Developer => "Developer",
            Sku::Trial => "Trial",
            Sku::Teams => "Teams",
            Sku::SubscriptionBasedTrial => "SubscriptionBasedTrial",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvState {
    /// `states.management.id`: `Ready`, `Running` (an operation in progress), …
    #[serde(default = "ready")]
    pub management: String,
    /// `states.runtime.id`.
    #[serde(default)]
    pub runtime: RuntimeState,
}

impl Default for EnvState {
    fn default() -> Self {
        EnvState {
            management: ready(),
            runtime: RuntimeState::Enabled,
        }
    }
}

fn ready() -> String {
    "Ready".into()
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RuntimeState {
    #[default]
    Enabled,
    Disabled,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Principal {
    pub id: String,
    pub display_name: String,
    /// `User`, `ServicePrincipal`, `Application`.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Dataverse {
    /// The instance URL is `{emulator}/dataverse/{domainName}/` (the port is only known at run time).
    pub domain_name: String,
    pub unique_name: String,
    /// The organisation's friendly name (BAP `friendlyName`).
    pub org_name: String,
    pub organization_id: String,
    #[serde(default = "default_version")]
    pub version: String,
    /// The root business unit first (no `parentBusinessUnitId`), then its children.
    #[serde(default)]
    pub business_units: Vec<BusinessUnit>,
    #[serde(default)]
    pub system_users: Vec<SystemUser>,
    /// Instead of listing everything: generate a root BU and this many standing System
    /// Administrators on first access (the `large` scenario keeps 1,000 orgs compact this way).
    #[serde(default)]
    pub synthetic: Option<Synthetic>,
}

fn default_version() -> String {
    "9.2.25021.00214".into()
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Synthetic {
    pub system_administrators: usize,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BusinessUnit {
    pub business_unit_id: String,
    pub name: String,
    #[serde(default)]
    pub parent_business_unit_id: Option<String>,
    /// This BU's copy of each security role: role name → roleid. Every BU has its own copy of
    /// "System Administrator" (template `627090ff-…`); other names are custom roles.
    pub roles: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SystemUser {
    pub system_user_id: String,
    /// A scenario user's mailNickname: fills fullName, domainName, email and the object id.
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    /// The UPN ("User Name").
    #[serde(default)]
    pub domain_name: Option<String>,
    #[serde(default)]
    pub internal_email_address: Option<String>,
    /// An Entra object id; someone not in this scenario's directory is fine (a leaver, a guest).
    #[serde(default)]
    pub azure_active_directory_object_id: Option<String>,
    #[serde(default)]
    pub is_disabled: bool,
    #[serde(default = "yes")]
    pub is_licensed: bool,
    /// 0 Read-Write, 1 Administrative, 2 Read, 3 Support User, 4 Non-interactive, 5 Delegated Admin.
    #[serde(default)]
    pub access_mode: i64,
    /// Set for application users.
    #[serde(default)]
    pub application_id: Option<String>,
    /// A business unit id or name; the root BU when absent.
    #[serde(default)]
    pub business_unit: Option<String>,
    /// Role names, resolved to the copy in the user's business unit.
    #[serde(default)]
    pub roles: Vec<String>,
}

fn yes() -> bool {
    true
}
