//! The scenario's `pim` section: role definitions, who is eligible for what, and the policy
//! (Entra "role settings") of each role. Policies are per role, as in real PIM: two people
//! eligible for the same role share its policy.

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::scenario::{Scenario, User};
use crate::state::MemberType;

use super::{duration, stable_guid};

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PimScenario {
    #[serde(default)]
    pub role_definitions: Vec<RoleDefinition>,
    #[serde(default)]
    pub eligibilities: Vec<Eligibility>,
    /// Roles without an entry get `Policy::default_for` (Entra's out-of-the-box role settings).
    #[serde(default)]
    pub policies: Vec<Policy>,
    /// Administrative units an eligibility may be scoped to (`/administrativeUnits/{id}`).
    #[serde(default)]
    pub administrative_units: Vec<AdministrativeUnit>,
}

/// Graph `administrativeUnit`: a part of the directory a role can be limited to.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdministrativeUnit {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
}

/// The tenant-wide directory scope.
pub const TENANT_SCOPE: &str = "/";
const AU_SCOPE_PREFIX: &str = "/administrativeUnits/";

/// Graph `unifiedRoleDefinition`. For built-in roles `id` is the role template id.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleDefinition {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub is_built_in: bool,
    #[serde(default = "yes")]
    pub is_enabled: bool,
    /// Defaults to `id`.
    #[serde(default)]
    pub template_id: Option<String>,
    #[serde(default = "version_one")]
    pub version: String,
    #[serde(default = "tenant_scope")]
    pub resource_scopes: Vec<String>,
    #[serde(default)]
    pub role_permissions: Vec<RolePermission>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RolePermission {
    pub allowed_resource_actions: Vec<String>,
    #[serde(default)]
    pub condition: Option<String>,
}

/// One eligible role assignment (a PIM eligibility schedule).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Eligibility {
    /// The schedule id; derived from principal and role when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// A user (mailNickname, UPN or object id) or the id of a role-assignable group. Members of
    /// that group are eligible with `memberType: Group`.
    pub principal: String,
    pub role_definition_id: String,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    /// `None` = permanently eligible.
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
    /// `/` (the default: the whole tenant) or `/administrativeUnits/{id}`. PIM activates an
    /// eligibility only at its own scope.
    #[serde(default)]
    pub directory_scope_id: Option<String>,
}

impl Eligibility {
    pub fn scope(&self) -> &str {
        self.directory_scope_id.as_deref().unwrap_or(TENANT_SCOPE)
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnabledRule {
    MultiFactorAuthentication,
    Justification,
    Ticketing,
}

/// What a role demands of an end user activating it (Graph's EndUser/Assignment rules).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    pub role_definition_id: String,
    /// ISO 8601; Expiration_EndUser_Assignment.maximumDuration.
    #[serde(default = "eight_hours")]
    pub max_duration: String,
    #[serde(default)]
    pub enabled_rules: Vec<EnabledRule>,
    #[serde(default)]
    pub approval_required: bool,
    #[serde(default)]
    pub approval_required_for_extension: bool,
    /// Users (mailNickname) or groups (object id) who may approve; empty = any Global or
    /// Privileged Role Administrator.
    #[serde(default)]
    pub approvers: Vec<String>,
    /// A Conditional Access authentication context id (`c1`…`c99`) the activation needs.
    #[serde(default)]
    pub authentication_context: Option<String>,
}

impl Policy {
    /// Entra's default role settings: 8 hours, MFA and justification, no approval.
    pub fn default_for(role_id: &str) -> Policy {
        Policy {
            role_definition_id: role_id.to_string(),
            max_duration: eight_hours(),
            enabled_rules: vec![
                EnabledRule::MultiFactorAuthentication,
                EnabledRule::Justification,
            ],
            approval_required: false,
            approval_required_for_extension: false,
            approvers: Vec::new(),
            authentication_context: None,
        }
    }

    pub fn max(&self) -> Duration {
        duration::parse(&self.max_duration).unwrap_or_else(|| Duration::hours(8))
    }

    pub fn requires(&self, rule: EnabledRule) -> bool {
        self.enabled_rules.contains(&rule)
    }
}

fn yes() -> bool {
    true
}
fn version_one() -> String {
    "1".into()
}
fn tenant_scope() -> Vec<String> {
    vec!["/".into()]
}
fn eight_hours() -> String {
    "PT8H".into()
}

impl RoleDefinition {
    pub fn template(&self) -> &str {
        self.template_id.as_deref().unwrap_or(&self.id)
    }
}

/// An eligibility as one user sees it: directly or through a group they are a member of.
#[derive(Clone, Debug)]
pub struct UserEligibility<'a> {
    pub source: &'a Eligibility,
    pub schedule_id: String,
    /// The user, or the group for `memberType: Group`.
    pub principal_id: String,
    pub member_type: MemberType,
}

impl UserEligibility<'_> {
    pub fn is_current(&self, now: DateTime<Utc>) -> bool {
        self.source.start_date_time.is_none_or(|s| s <= now)
            && self.source.end_date_time.is_none_or(|e| now < e)
    }
}

impl PimScenario {
    pub fn role(&self, id: &str) -> Option<&RoleDefinition> {
        self.role_definitions
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
    }

    pub fn administrative_unit(&self, id: &str) -> Option<&AdministrativeUnit> {
        self.administrative_units
            .iter()
            .find(|a| a.id.eq_ignore_ascii_case(id))
    }

    /// Whether `scope` names the tenant or one of this scenario's administrative units.
    pub fn is_known_scope(&self, scope: &str) -> bool {
        scope == TENANT_SCOPE
            || scope
                .strip_prefix(AU_SCOPE_PREFIX)
                .is_some_and(|id| self.administrative_unit(id).is_some())
    }

    /// Custom roles (`isBuiltIn: false`) are never in a token's `wids`, which carries only
    /// built-in role template ids.
    pub fn is_custom(&self, role_id: &str) -> bool {
        self.role(role_id).is_some_and(|r| !r.is_built_in)
    }

    pub fn policy(&self, role_id: &str) -> Policy {
        self.policies
            .iter()
            .find(|p| p.role_definition_id.eq_ignore_ascii_case(role_id))
            .cloned()
            .unwrap_or_else(|| Policy::default_for(role_id))
    }

    /// Every eligibility that reaches `user` (current, past and future), direct ones first.
    pub fn eligibilities_of<'a>(
        &'a self,
        scenario: &'a Scenario,
        user: &User,
    ) -> Vec<UserEligibility<'a>> {
        let groups = scenario.groups_of(&user.id);
        let mut direct = Vec::new();
        let mut via_group = Vec::new();
        for e in &self.eligibilities {
            let schedule_id = e.id.clone().unwrap_or_else(|| {
                let principal = e.principal.to_ascii_lowercase();
                let role = e.role_definition_id.to_ascii_lowercase();
                let scope = e.scope().to_ascii_lowercase();
                // Tenant-wide ones keep the ids they had before scopes existed.
                if scope == TENANT_SCOPE {
                    stable_guid(&["eligibility", &principal, &role])
                } else {
                    stable_guid(&["eligibility", &principal, &role, &scope])
                }
            });
            if scenario
                .find_user(&e.principal)
                .is_some_and(|u| u.id == user.id)
            {
                direct.push(UserEligibility {
                    source: e,
                    schedule_id,
                    principal_id: user.id.clone(),
                    member_type: MemberType::Direct,
                });
            } else if let Some(g) = groups
                .iter()
                .find(|g| g.id.eq_ignore_ascii_case(&e.principal))
            {
                via_group.push(UserEligibility {
                    source: e,
                    schedule_id,
                    principal_id: g.id.clone(),
                    member_type: MemberType::Group,
                });
            }
        }
        direct.extend(via_group);
        direct
    }

    /// What serde cannot check: references resolve, durations parse, ids are GUIDs.
    pub fn validate(&self, scenario: &Scenario) -> anyhow::Result<()> {
        let mut ids = std::collections::HashSet::new();
        for r in &self.role_definitions {
            check_guid("pim.roleDefinitions[].id", &r.id)?;
            if !ids.insert(r.id.to_ascii_lowercase()) {
                bail!("role definition {} appears twice", r.id);
            }
            if r.is_built_in && !r.template().eq_ignore_ascii_case(&r.id) {
                bail!("built-in role {}: templateId must equal id", r.display_name);
            }
        }
        let mut units = std::collections::HashSet::new();
        for a in &self.administrative_units {
            check_guid("pim.administrativeUnits[].id", &a.id)?;
            if !units.insert(a.id.to_ascii_lowercase()) {
                bail!("administrative unit {} appears twice", a.id);
            }
        }
        for e in &self.eligibilities {
            self.validate_eligibility(e, scenario)?;
        }
        let mut policy_roles = std::collections::HashSet::new();
        for p in &self.policies {
            if self.role(&p.role_definition_id).is_none() {
                bail!(
                    "policy for role {} which is not in pim.roleDefinitions",
                    p.role_definition_id
                );
            }
            if !policy_roles.insert(p.role_definition_id.to_ascii_lowercase()) {
                bail!("role {} has two policies", p.role_definition_id);
            }
            validate_policy(p, scenario)?;
        }
        Ok(())
    }

    /// A known scope and role, a user or role-assignable group, and an end after the start.
    fn validate_eligibility(&self, e: &Eligibility, scenario: &Scenario) -> anyhow::Result<()> {
        let role = &e.role_definition_id;
        if !self.is_known_scope(e.scope()) {
            bail!(
                "eligibility of '{}': directoryScopeId '{}' is neither '/' nor /administrativeUnits/{{id}} of pim.administrativeUnits",
                e.principal,
                e.scope()
            );
        }
        if self.role(role).is_none() {
            bail!(
                "eligibility of '{}': role {role} is not in pim.roleDefinitions",
                e.principal
            );
        }
        if let Some(id) = &e.id {
            check_guid("pim.eligibilities[].id", id)?;
        }
        let is_user = scenario.find_user(&e.principal).is_some();
        let group = scenario
            .groups
            .iter()
            .find(|g| g.id.eq_ignore_ascii_case(&e.principal));
        match (is_user, group) {
            (true, _) => {}
            (false, Some(g)) if g.is_assignable_to_role => {}
            (false, Some(g)) => {
                bail!("group {} is not role-assignable (isAssignableToRole), so it cannot be eligible for a role", g.display_name)
            }
            (false, None) => bail!(
                "eligibility principal '{}' is neither a user nor a group of this scenario",
                e.principal
            ),
        }
        if let (Some(s), Some(end)) = (e.start_date_time, e.end_date_time) {
            if end <= s {
                bail!(
                    "eligibility of '{}' for {role} ends before it starts",
                    e.principal
                );
            }
        }
        Ok(())
    }
}

/// A positive ISO 8601 maximum, approvers who exist, an authentication context id like `c1`.
fn validate_policy(p: &Policy, scenario: &Scenario) -> anyhow::Result<()> {
    let max = duration::parse(&p.max_duration).with_context(|| {
        format!(
            "policy for {}: maxDuration '{}' is not an ISO 8601 duration",
            p.role_definition_id, p.max_duration
        )
    })?;
    if max <= Duration::zero() {
        bail!(
            "policy for {}: maxDuration must be positive",
            p.role_definition_id
        );
    }
    for a in &p.approvers {
        let is_group = scenario.groups.iter().any(|g| g.id.eq_ignore_ascii_case(a));
        if scenario.find_user(a).is_none() && !is_group {
            bail!(
                "policy for {}: approver '{a}' is neither a user nor a group of this scenario",
                p.role_definition_id
            );
        }
    }
    if let Some(c) = &p.authentication_context {
        if c.trim().is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            bail!(
                "policy for {}: authenticationContext '{c}' is not an id like c1",
                p.role_definition_id
            );
        }
    }
    Ok(())
}

fn check_guid(field: &str, value: &str) -> anyhow::Result<()> {
    uuid::Uuid::parse_str(value)
        .map(|_| ())
        .with_context(|| format!("{field} '{value}' is not a GUID"))
}
