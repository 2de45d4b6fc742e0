//! Which of the three roles that may self-elevate (Global, Power Platform, Dynamics 365
//! Administrator) the user holds or may activate, how (directly or through a group), until
//! when, and whether the Power Platform token carries it yet.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::Environments;
use crate::api::{ApiError, MemberType};
use crate::clients::graph::pim::RoleDefinition;
use crate::directory_roles::{
    can_self_elevate, name_of, DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR,
    POWER_PLATFORM_ADMINISTRATOR,
};

#[derive(Debug, Clone)]
pub struct HeldRole {
    /// Template id (the value in `wids`).
    pub template: String,
    /// The role definition id PIM uses (= template for built-in roles).
    pub role_id: String,
    pub name: String,
    pub member_type: MemberType,
    /// The group it comes through, for `MemberType::Group`.
    pub group: Option<String>,
    /// None = permanent.
    pub end: Option<DateTime<Utc>>,
}

impl HeldRole {
    /// Only Global and Power Platform Administrators are exempt from security groups.
    pub fn exempt_from_security_group(&self) -> bool {
        self.template == GLOBAL_ADMINISTRATOR || self.template == POWER_PLATFORM_ADMINISTRATOR
    }
    pub fn direct(&self) -> bool {
        self.member_type == MemberType::Direct
    }
}

#[derive(Debug, Clone, Default)]
pub struct Standing {
    pub active: Vec<HeldRole>,
    /// Eligible and not active now.
    pub eligible: Vec<HeldRole>,
    /// The Power Platform token's `wids`.
    pub wids: Vec<String>,
}

impl Standing {
    /// The role an elevation relies on, as Microsoft picks it: direct, permanent first, then
    /// the one that lasts longest.
    pub fn relied(&self) -> Option<&HeldRole> {
        self.active
            .iter()
            .filter(|r| r.direct())
            .max_by_key(|r| r.end.map_or(i64::MAX, |e| e.timestamp()))
    }

    pub fn in_token(&self, r: &HeldRole) -> bool {
        self.wids
            .iter()
            .any(|w| w.eq_ignore_ascii_case(&r.template))
    }

    /// The eligible direct role the guided path should activate: the least privilege that
    /// works (`needs_exemption` when a Dynamics 365 admin would be stopped by a security group).
    pub fn to_activate(&self, needs_exemption: bool) -> Option<&HeldRole> {
        let order = [
            POWER_PLATFORM_ADMINISTRATOR,
            DYNAMICS_365_ADMINISTRATOR,
            GLOBAL_ADMINISTRATOR,
        ];
        order.iter().find_map(|t| {
            self.eligible.iter().find(|r| {
                r.direct()
                    && r.template == *t
                    && (!needs_exemption || r.exempt_from_security_group())
            })
        })
    }
}

fn template(id: &str, def: Option<&RoleDefinition>) -> String {
    def.and_then(|d| d.template_id.clone())
        .unwrap_or_else(|| id.to_string())
        .to_ascii_lowercase()
}

fn member_type(m: Option<&str>) -> MemberType {
    match m.map(str::to_ascii_lowercase).as_deref() {
        Some("group") => MemberType::Group,
        Some("inherited") => MemberType::Inherited,
        _ => MemberType::Direct,
    }
}

impl Environments {
    pub(crate) async fn standing(&self, wids: Vec<String>) -> Result<Standing, ApiError> {
        let s = self.graph_session(false).await?;
        let pim = self.pim(&s);
        let (assigned, eligible, groups) =
            tokio::join!(pim.assignments(), pim.eligibilities(), pim.my_groups());
        let what = crate::roles::view::PIM;
        let assigned = assigned.map_err(|e| e.to_api_error(what))?;
        let eligible = eligible.map_err(|e| e.to_api_error(what))?;
        let groups: HashMap<String, String> = groups
            .unwrap_or_default()
            .into_iter()
            .filter_map(|g| Some((g.id.to_ascii_lowercase(), g.display_name?)))
            .collect();
        let mut out = Standing {
            wids,
            ..Default::default()
        };
        for a in &assigned {
            let t = template(&a.role_definition_id, a.role_definition.as_ref());
            if !can_self_elevate(&t) {
                continue;
            }
            out.active.push(HeldRole {
                name: name_of(&t),
                role_id: a.role_definition_id.clone(),
                member_type: member_type(a.member_type.as_deref()),
                group: None,
                end: a.end_date_time,
                template: t,
            });
        }
        for e in &eligible {
            let t = template(&e.role_definition_id, e.role_definition.as_ref());
            let mt = member_type(e.member_type.as_deref());
            if !can_self_elevate(&t) {
                continue;
            }
            // A group-held role's assignment has no group id; the eligibility names it.
            let group = (mt == MemberType::Group).then(|| {
                groups
                    .get(&e.principal_id.to_ascii_lowercase())
                    .cloned()
                    .unwrap_or_else(|| e.principal_id.clone())
            });
            let mut is_active = false;
            for a in out
                .active
                .iter_mut()
                .filter(|a| a.template == t && a.member_type == mt)
            {
                a.group = group.clone();
                is_active = true;
            }
            if is_active {
                continue;
            }
            out.eligible.push(HeldRole {
                name: name_of(&t),
                role_id: e.role_definition_id.clone(),
                member_type: mt,
                group,
                end: None,
                template: t,
            });
        }
        Ok(out)
    }
}
