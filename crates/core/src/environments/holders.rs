//! The one internal picture of "someone holding System Administrator in an environment":
//! directly (a role copy in a business unit) or through a team. Membership, the preflight's
//! "already System Administrator", the inventory and the clean-up all read it; the api's
//! `SystemAdministrator` and `Holder` are made from it at the boundary.

use std::collections::HashMap;

use crate::api::{Environment, Holder, PimStatus, SystemAdministrator, TeamHold};
use crate::clients::dataverse::{WireBusinessUnit, WireSystemUser};
use crate::clients::graph::GraphUser;

/// How the role is held.
#[derive(Debug, Clone)]
pub(crate) enum Via {
    /// Directly: this role copy (`None` where the role copies were not read).
    Role(Option<String>),
    Team(TeamHold),
}

/// One person, or application user, holding System Administrator in one environment.
#[derive(Debug, Clone)]
pub(crate) struct SysAdmin {
    /// The systemuser, or the Entra object id of a group member Dataverse does not list yet.
    pub system_user_id: String,
    pub full_name: String,
    pub upn: String,
    pub object_id: Option<String>,
    pub is_disabled: bool,
    pub is_application_user: bool,
    pub business_unit_id: String,
    pub via: Via,
}

impl SysAdmin {
    /// A systemuser as Dataverse lists it, holding the role `via`.
    pub fn user(u: &WireSystemUser, via: Via) -> Self {
        Self {
            system_user_id: u.systemuserid.clone(),
            full_name: u.fullname.clone().unwrap_or_default(),
            upn: u.domainname.clone().unwrap_or_default(),
            object_id: u.azureactivedirectoryobjectid.clone(),
            is_disabled: u.isdisabled.unwrap_or(false),
            is_application_user: u.applicationid.as_deref().is_some_and(|a| !a.is_empty()),
            business_unit_id: u.business_unit_id.clone().unwrap_or_default(),
            via,
        }
    }

    /// A member of a group team's Entra group whom Dataverse does not list (yet).
    pub fn group_member(m: &GraphUser, hold: TeamHold) -> Self {
        Self {
            system_user_id: m.id.to_ascii_lowercase(),
            full_name: m.display_name.clone().unwrap_or_default(),
            upn: m.user_principal_name.clone().unwrap_or_default(),
            object_id: Some(m.id.to_ascii_lowercase()),
            is_disabled: false,
            is_application_user: false,
            business_unit_id: String::new(),
            via: Via::Team(hold),
        }
    }

    /// Whether this is the account with Entra object id `oid`.
    pub fn is(&self, oid: &str) -> bool {
        self.object_id
            .as_deref()
            .is_some_and(|o| o.eq_ignore_ascii_case(oid))
    }

    fn team(&self) -> Option<TeamHold> {
        match &self.via {
            Via::Team(t) => Some(t.clone()),
            Via::Role(_) => None,
        }
    }

    /// A row of the Membership pane; `me` is the signed-in user's object id.
    pub fn into_system_administrator(self, units: &Units, me: &str) -> SystemAdministrator {
        SystemAdministrator {
            is_you: self.is(me),
            through_team: self.team(),
            business_unit: units.name(&self.business_unit_id),
            system_user_id: self.system_user_id,
            full_name: self.full_name,
            upn: self.upn,
            object_id: self.object_id,
            is_disabled: self.is_disabled,
            is_application_user: self.is_application_user,
        }
    }

    /// A row of the inventory, with its PIM status.
    pub fn into_holder(self, env: &Environment, units: &Units, pim: PimStatus) -> Holder {
        let through_team = self.team();
        // A team-held row carries the team, not its role copy: the row stays distinct from
        // the same person's direct one, and picking it names the team.
        let role_id = match self.via {
            Via::Role(r) => r.unwrap_or_default(),
            Via::Team(t) => t.team_id,
        };
        Holder {
            environment_id: env.id.clone(),
            environment_name: env.display_name.clone(),
            system_user_id: self.system_user_id,
            role_id,
            business_unit: units.name(&self.business_unit_id),
            full_name: self.full_name,
            upn: self.upn,
            object_id: self.object_id,
            is_disabled: self.is_disabled,
            is_application_user: self.is_application_user,
            standing: !matches!(pim, PimStatus::JustInTime | PimStatus::Eligible),
            pim,
            through_team,
        }
    }
}

/// Business unit names by id (lower case); an unknown unit is shown by its id.
pub(crate) struct Units(HashMap<String, String>);

impl Units {
    pub fn new(units: Vec<WireBusinessUnit>) -> Self {
        Self(
            units
                .into_iter()
                .filter_map(|u| Some((u.businessunitid.to_ascii_lowercase(), u.name?)))
                .collect(),
        )
    }

    pub fn name(&self, id: &str) -> String {
        self.0
            .get(&id.to_ascii_lowercase())
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }
}
