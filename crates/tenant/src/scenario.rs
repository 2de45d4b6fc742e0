//! The scenario: everything the emulated tenant contains when it starts (and after a reset).
//!
//! Field names follow the Microsoft objects they stand for (Graph `user`, Entra `application`),
//! so a scenario file reads like what an admin sees in the portal.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};

/// Built-in role template ids, named so code and scenario files can be cross-checked.
pub mod roles {
    pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
    pub const POWER_PLATFORM_ADMINISTRATOR: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
    pub const DYNAMICS_365_ADMINISTRATOR: &str = "44367163-eba1-44c3-98af-f5787879f96a";
    pub const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    pub const EXCHANGE_ADMINISTRATOR: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
    pub const SECURITY_ADMINISTRATOR: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
    pub const SECURITY_READER: &str = "5d6b6bb7-de71-4623-b4af-96380a352509";
    /// Every member of a tenant carries this in `wids`, as real Entra access tokens do.
    pub const MEMBER_USER: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";
}

/// Key in `consentedScopes` that stands for every Dataverse organisation this emulator serves;
/// their URLs contain the emulator's port, so a scenario file cannot name them.
pub const DATAVERSE_RESOURCE: &str = "dataverse";

/// The `pim` section's types live with the PIM service; named here, with the rest of the scenario.
pub use crate::graph::pim::scenario::{
    Eligibility, EnabledRule, PimScenario, Policy, RoleDefinition, RolePermission,
};
pub use crate::graph::pim::{AcrsRefusalCode, PolicyMessageStyle};

const DEMO_JSON: &str = include_str!("../scenarios/demo.json");

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub tenant: Tenant,
    /// App registrations. The first one is the app the emulator hands out as `clientId`.
    pub applications: Vec<Application>,
    pub users: Vec<User>,
    /// Entra groups: security groups (environment security groups, PIM-for-roles via a
    /// role-assignable group) and Microsoft 365 groups (Teams environments).
    #[serde(default)]
    pub groups: Vec<Group>,
    /// PIM for Entra roles: role definitions, eligibilities, role policies.
    #[serde(default)]
    pub pim: PimScenario,
    /// Power Platform environments and their Dataverse organisations (`environments/model.rs`).
    #[serde(default)]
    pub environments: Vec<crate::environments::Environment>,
    /// Fault injection rules (`faults/mod.rs`).
    #[serde(default)]
    pub faults: crate::faults::FaultConfig,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    pub group_type: GroupType,
    /// Role-assignable groups may hold (or be eligible for) directory roles.
    #[serde(default)]
    pub is_assignable_to_role: bool,
    /// Members by user mailNickname (UPN local part).
    #[serde(default)]
    pub members: Vec<String>,
    /// Role template ids held permanently by the group (members get them with memberType Group).
    #[serde(default)]
    pub directory_roles: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupType {
    Security,
    Microsoft365,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tenant {
    pub id: String,
    pub display_name: String,
    pub verified_domain: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Application {
    pub app_id: String,
    pub display_name: String,
    /// "Allow public client flows": no secret, device code allowed.
    pub is_public_client: bool,
    pub redirect_uris: Vec<String>,
    /// Optional claims added to ID tokens (Token configuration), e.g. `login_hint`.
    #[serde(default)]
    pub optional_claims: Vec<String>,
    /// Delegated permissions an admin already consented to, per resource identifier.
    pub consented_scopes: BTreeMap<String, Vec<String>>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    pub id: String,
    /// The UPN's local part; the UPN and mail are `{mailNickname}@{verifiedDomain}`.
    pub mail_nickname: String,
    pub display_name: String,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub surname: Option<String>,
    #[serde(default)]
    pub job_title: Option<String>,
    #[serde(default)]
    pub office_location: Option<String>,
    #[serde(default = "default_language")]
    pub preferred_language: Option<String>,
    #[serde(default)]
    pub business_phones: Vec<String>,
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// Role template ids held permanently (directly assigned, active) right now.
    #[serde(default)]
    pub directory_roles: Vec<String>,
}

fn default_language() -> Option<String> {
    Some("en-US".to_string())
}

/// Lifetimes and behaviour switches. Every field has the real service's default, so a
/// scenario only names what it changes; the admin API can change them at runtime.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Which cloud's resource ids the tenant issues and accepts tokens for (`public`,
    /// `usGov`, `usGovHigh`, `usGovDod`, `china`).
    pub cloud: crate::cloud::CloudName,
    pub access_token_lifetime_seconds: i64,
    /// Inactivity lifetime of a refresh token (Entra: 90 days).
    pub refresh_token_lifetime_seconds: i64,
    pub authorization_code_lifetime_seconds: i64,
    pub device_code_lifetime_seconds: i64,
    pub device_code_interval_seconds: i64,
    /// Answer `slow_down` when a device-code poll comes sooner than the interval. Off by
    /// default because whether Entra ever sends it is unconfirmed.
    pub device_code_slow_down: bool,
    /// Refuse a refresh token once it has been redeemed. Entra does not (the old token keeps
    /// working until revoked or expired), so this is off by default.
    pub revoke_refresh_token_on_use: bool,
    /// PIM: seconds from an activation being granted to the role being held (the request goes
    /// Granted → PendingProvisioning → Provisioned). Real PIM takes seconds to minutes.
    pub activation_delay_seconds: i64,
    /// Seconds before a newly held role shows in the `wids` of newly issued tokens (directory
    /// replication). A role that ended disappears from new tokens at once.
    pub wids_propagation_seconds: i64,
    /// Wording of `RoleAssignmentRequestPolicyValidationFailed`: `list` (documented) or
    /// `sentences` (newer, UNCONFIRMED).
    pub policy_message_style: PolicyMessageStyle,
    /// `selfExtend` is accepted only this close to the activation's end (UNCONFIRMED window).
    pub self_extend_window_seconds: i64,
    /// PIM policies name each approver in `description`. Many real tenants leave it empty,
    /// so the approver is only a `userId`/`groupId` (resolved with `directoryObjects/getByIds`).
    pub policy_approver_descriptions: bool,
    /// An authentication context (`acrs`) counts only from a client that declared the `cp1`
    /// capability (`xms_cc`), as PIM behaves live.
    pub acrs_requires_client_capability: bool,
    /// The code of the authentication-context refusal: the documented one, or `UnknownError`
    /// wrapping the same claims message.
    pub acrs_refusal_code: AcrsRefusalCode,
    /// Power Platform, BAP and Dataverse: processing time added to every request (benchmarks).
    pub latency_ms: u64,
    /// BAP environment list page size; `null` = one page with everything, as real BAP answers.
    pub bap_page_size: Option<usize>,
    /// The Power Platform API answers in its older schema: environment rows without
    /// `securityGroupId` and `connectedGroupId` (newer answers carry both, null when none).
    pub environment_list_without_groups: bool,
    /// BAP writes "no security group" as the all-zero GUID instead of leaving
    /// `securityGroupId` out (UNCONFIRMED which one BAP does; tf-pp fixtures show both).
    pub bap_zero_security_group: bool,
    /// Fields of an environment's Power Platform API row replaced as given, keyed by
    /// environment id: the shapes real tenants were seen answering with (a date in another
    /// format, an enum as a number). Empty by default.
    pub environment_field_overrides: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// Dataverse service protection, per user per org: requests per window, window, concurrency.
    pub dataverse_request_limit: u32,
    pub dataverse_request_window_seconds: i64,
    pub dataverse_concurrency_limit: u32,
    /// HTTP status of applyAdminRole's "not a Global/Power Platform/Dynamics 365 admin" refusal
    /// (UNCONFIRMED in the contract; 403 by default).
    pub apply_admin_role_denied_status: u16,
    /// api-versions applyAdminRole accepts; any other is 400 `ApiVersionInvalid`. Without
    /// `2024-10-01` it is the service that refused the REST reference's version.
    pub apply_admin_role_api_versions: Vec<String>,
    /// What an accepted applyAdminRole does: `assigned`, `errors` (200 with `errors`, nothing
    /// assigned) or `notAssigned` (the success answer, nothing assigned).
    pub apply_admin_role_outcome: crate::powerplatform::ApplyOutcome,
    /// Seconds (emulator clock) before an accepted applyAdminRole's role is really assigned.
    pub apply_admin_role_assign_delay_seconds: i64,
    /// How applyAdminRole's refusals are written: `flat`, `wrapped`, `string`, `text`.
    pub apply_admin_role_error_shape: crate::powerplatform::ErrorShape,
    /// Test switch: ID tokens come out wrong in one way (`wrongAudience`, `wrongTenant`,
    /// `wrongIssuer`, `expired`), as a misconfigured proxy or a token for another app would
    /// look. The real service never does this; clients must refuse such a token.
    pub id_token_defect: crate::entra::IdTokenDefect,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cloud: Default::default(),
            access_token_lifetime_seconds: 3599,
            refresh_token_lifetime_seconds: 90 * 24 * 3600,
            authorization_code_lifetime_seconds: 600,
            device_code_lifetime_seconds: 900,
            device_code_interval_seconds: 5,
            device_code_slow_down: false,
            revoke_refresh_token_on_use: false,
            activation_delay_seconds: 5,
            wids_propagation_seconds: 30,
            policy_message_style: PolicyMessageStyle::List,
            self_extend_window_seconds: 15 * 60,
            policy_approver_descriptions: true,
            acrs_requires_client_capability: true,
            acrs_refusal_code: AcrsRefusalCode::default(),
            latency_ms: 0,
            bap_page_size: None,
            environment_list_without_groups: false,
            bap_zero_security_group: false,
            environment_field_overrides: BTreeMap::new(),
            dataverse_request_limit: 6000,
            dataverse_request_window_seconds: 300,
            dataverse_concurrency_limit: 52,
            apply_admin_role_denied_status: 403,
            apply_admin_role_api_versions: crate::powerplatform::API_VERSIONS
                .iter()
                .map(|v| v.to_string())
                .collect(),
            apply_admin_role_outcome: Default::default(),
            apply_admin_role_assign_delay_seconds: 0,
            apply_admin_role_error_shape: Default::default(),
            id_token_defect: Default::default(),
        }
    }
}

impl Scenario {
    /// A scenario shipped inside the binary, by name.
    pub fn builtin(name: &str) -> anyhow::Result<Scenario> {
        match name {
            "demo" => Self::from_json(DEMO_JSON).context("built-in scenario 'demo'"),
            "large" => Ok(crate::scenario_large::generate(Self::builtin("demo")?)),
            other => {
                bail!("there is no built-in scenario named '{other}' (available: demo, large)")
            }
        }
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Scenario> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading scenario file {}", path.display()))?;
        Self::from_json(&text).with_context(|| format!("scenario file {}", path.display()))
    }

    pub fn from_json(text: &str) -> anyhow::Result<Scenario> {
        let scenario: Scenario = serde_json::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    pub fn tenant_id(&self) -> &str {
        &self.tenant.id
    }

    pub fn client_id(&self) -> &str {
        // validate() guarantees at least one application; "" only for hand-built scenarios.
        self.applications
            .first()
            .map(|a| a.app_id.as_str())
            .unwrap_or("")
    }

    pub fn application(&self, client_id: &str) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.app_id.eq_ignore_ascii_case(client_id))
    }

    pub fn upn(&self, user: &User) -> String {
        format!("{}@{}", user.mail_nickname, self.tenant.verified_domain)
    }

    /// Finds a user by object id, full UPN or bare local part (case-insensitive, as Entra is).
    pub fn find_user(&self, who: &str) -> Option<&User> {
        let who = who.trim();
        self.users.iter().find(|u| {
            u.id.eq_ignore_ascii_case(who)
                || u.mail_nickname.eq_ignore_ascii_case(who)
                || self.upn(u).eq_ignore_ascii_case(who)
        })
    }

    /// Checks what serde cannot, so a broken scenario fails at load rather than mid-test.
    pub fn validate(&self) -> anyhow::Result<()> {
        check_guid("tenant.id", &self.tenant.id)?;
        if self.tenant.verified_domain.trim().is_empty() {
            bail!("tenant.verifiedDomain must not be empty");
        }
        if self.applications.is_empty() {
            bail!("a scenario needs at least one application");
        }
        for app in &self.applications {
            check_guid("applications[].appId", &app.app_id)?;
            for uri in &app.redirect_uris {
                url::Url::parse(uri)
                    .with_context(|| format!("application {}: redirect URI '{uri}'", app.app_id))?;
            }
        }
        let mut ids = HashSet::new();
        let mut nicknames = HashSet::new();
        for user in &self.users {
            check_guid("users[].id", &user.id)?;
            if !ids.insert(user.id.to_ascii_lowercase()) {
                bail!("user id {} appears twice", user.id);
            }
            let nick = &user.mail_nickname;
            if nick.is_empty() || nick.contains('@') || nick.contains(char::is_whitespace) {
                bail!(
                    "user {}: mailNickname '{nick}' is not a UPN local part",
                    user.id
                );
            }
            if !nicknames.insert(nick.to_ascii_lowercase()) {
                bail!("mailNickname '{nick}' appears twice");
            }
            for role in &user.directory_roles {
                check_guid("users[].directoryRoles[]", role)?;
            }
        }
        let mut group_ids = HashSet::new();
        for g in &self.groups {
            check_guid("groups[].id", &g.id)?;
            if !group_ids.insert(g.id.to_ascii_lowercase()) {
                bail!("group id {} appears twice", g.id);
            }
            for m in &g.members {
                if self.find_user(m).is_none() {
                    bail!(
                        "group {}: member '{m}' is not a user of this scenario",
                        g.display_name
                    );
                }
            }
            for role in &g.directory_roles {
                check_guid("groups[].directoryRoles[]", role)?;
            }
        }
        self.pim.validate(self)?;
        crate::environments::validate(self)?;
        self.faults.validate()?;
        Ok(())
    }

    /// The groups `user_id` is a member of (transitively; the emulator has no nesting).
    pub fn groups_of(&self, user_id: &str) -> Vec<&Group> {
        let Some(user) = self
            .users
            .iter()
            .find(|u| u.id.eq_ignore_ascii_case(user_id))
        else {
            return vec![];
        };
        self.groups
            .iter()
            .filter(|g| {
                g.members
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(&user.mail_nickname))
            })
            .collect()
    }
}

fn check_guid(field: &str, value: &str) -> anyhow::Result<()> {
    uuid::Uuid::parse_str(value)
        .map(|_| ())
        .with_context(|| format!("{field} '{value}' is not a GUID"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_loads_and_finds_users_by_any_name() {
        let s = Scenario::builtin("demo").expect("demo scenario");
        assert_eq!(s.tenant.display_name, "Contoso");
        let gloria = s
            .find_user("GLORIA@contoso.onmicrosoft.com")
            .expect("gloria");
        assert_eq!(
            gloria.directory_roles,
            vec![roles::GLOBAL_ADMINISTRATOR.to_string()]
        );
        assert!(s.find_user("adele").is_some());
        assert!(s.find_user(&gloria.id).is_some());
        assert!(s.find_user("nobody").is_none());
        assert_eq!(s.users.len(), 7);
    }

    #[test]
    fn unknown_builtin_and_bad_guid_are_refused() {
        assert!(Scenario::builtin("nope").is_err());
        let mut s = Scenario::builtin("demo").expect("demo");
        s.tenant.id = "not-a-guid".into();
        assert!(s.validate().is_err());
    }
}
