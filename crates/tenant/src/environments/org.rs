//! One Dataverse organisation as it is now: business units, role copies, systemusers and the
//! `systemuserroles_association` links between them. Built from the scenario on first access.
//! Ids are kept lowercase so comparisons and keyed paging are simple.

use std::collections::BTreeSet;

use crate::scenario::Scenario;

use super::derive_guid;
use super::model::{Dataverse, SystemUser, SYSTEM_ADMINISTRATOR, SYSTEM_ADMINISTRATOR_TEMPLATE};

#[derive(Clone, Debug)]
pub struct Org {
    pub organization_id: String,
    /// The root first.
    pub business_units: Vec<Bu>,
    pub roles: Vec<Role>,
    /// Sorted by id: Dataverse pages in primary-key order and so do we.
    pub users: Vec<SysUser>,
    /// (systemuserid, roleid).
    pub assignments: BTreeSet<(String, String)>,
    /// Owner, access and Entra group teams (contract part 2 §7).
    pub teams: Vec<Team>,
    /// `teammembership_association`: (teamid, systemuserid). For an Entra group team only the
    /// members who have opened the environment, as Dataverse lists them.
    pub team_members: BTreeSet<(String, String)>,
    /// `teamroles_association`: (teamid, roleid).
    pub team_roles: BTreeSet<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
    /// 0 Owner, 1 Access, 2 AAD Security Group, 3 AAD Office Group.
    pub team_type: i64,
    /// 0 Members and guests, 1 Members, 2 Owners, 3 Guests.
    pub membership_type: i64,
    /// The Entra group of a group team.
    pub aad_object_id: Option<String>,
    pub business_unit: String,
}

#[derive(Clone, Debug)]
pub struct Bu {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub business_unit: String,
    pub template: Option<String>,
    /// The root BU's copy of the same role (itself for the root copy).
    pub parent_root: String,
}

#[derive(Clone, Debug)]
pub struct SysUser {
    pub id: String,
    pub fullname: String,
    pub domainname: String,
    pub email: String,
    pub aad_object_id: Option<String>,
    pub disabled: bool,
    pub licensed: bool,
    pub access_mode: i64,
    pub application_id: Option<String>,
    pub business_unit: String,
    /// Bumped on every change; the `@odata.etag`.
    pub version: u64,
}

impl Org {
    pub fn build(scenario: &Scenario, dv: &Dataverse) -> Org {
        if let Some(syn) = &dv.synthetic {
            return synthetic(scenario, dv, syn.system_administrators);
        }
        let bus = business_units(dv);
        let roles = role_copies(dv);
        let root_id = bus.first().map(|b| b.id.clone()).unwrap_or_default();
        let mut users = Vec::new();
        let mut assignments = BTreeSet::new();
        for u in &dv.system_users {
            let user = system_user(scenario, u, &bus, &root_id);
            for name in &u.roles {
                if let Some(r) = roles
                    .iter()
                    .find(|r| r.business_unit == user.business_unit && &r.name == name)
                {
                    assignments.insert((user.id.clone(), r.id.clone()));
                }
            }
            users.push(user);
        }
        users.sort_by(|a, b| a.id.cmp(&b.id));
        Org {
            organization_id: lower(&dv.organization_id),
            business_units: bus,
            roles,
            users,
            assignments,
            teams: Vec::new(),
            team_members: BTreeSet::new(),
            team_roles: BTreeSet::new(),
        }
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.id.eq_ignore_ascii_case(id))
    }

    pub fn members_of_team(&self, team_id: &str) -> Vec<&SysUser> {
        let tid = team_id.to_ascii_lowercase();
        self.users
            .iter()
            .filter(|u| self.team_members.contains(&(tid.clone(), u.id.clone())))
            .collect()
    }

    pub fn roles_of_team(&self, team_id: &str) -> Vec<&Role> {
        let tid = team_id.to_ascii_lowercase();
        self.team_roles
            .iter()
            .filter(|(t, _)| *t == tid)
            .filter_map(|(_, r)| self.role(r))
            .collect()
    }

    /// The teams whose System Administrator copy `user_id` holds through membership rows.
    pub fn sysadmin_teams_of(&self, user_id: &str) -> Vec<&Team> {
        let uid = user_id.to_ascii_lowercase();
        self.teams
            .iter()
            .filter(|t| self.team_members.contains(&(t.id.clone(), uid.clone())))
            .filter(|t| {
                self.roles_of_team(&t.id)
                    .iter()
                    .any(|r| r.template.as_deref() == Some(SYSTEM_ADMINISTRATOR_TEMPLATE))
            })
            .collect()
    }

    pub fn root_bu(&self) -> Option<&Bu> {
        self.business_units.iter().find(|b| b.parent.is_none())
    }

    pub fn bu(&self, id: &str) -> Option<&Bu> {
        self.business_units
            .iter()
            .find(|b| b.id.eq_ignore_ascii_case(id))
    }

    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    pub fn user(&self, id: &str) -> Option<&SysUser> {
        let id = id.to_ascii_lowercase();
        self.users
            .binary_search_by(|u| u.id.cmp(&id))
            .ok()
            .and_then(|i| self.users.get(i))
    }

    /// The interactive (non-application) user for an Entra object id.
    pub fn user_by_oid(&self, oid: &str) -> Option<&SysUser> {
        self.users.iter().find(|u| {
            u.application_id.is_none()
                && u.aad_object_id
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(oid))
        })
    }

    /// The System Administrator copy of a business unit.
    pub fn sysadmin_role_of(&self, bu: &str) -> Option<&Role> {
        self.roles.iter().find(|r| {
            r.business_unit == bu && r.template.as_deref() == Some(SYSTEM_ADMINISTRATOR_TEMPLATE)
        })
    }

    pub fn roles_of(&self, user_id: &str) -> Vec<&Role> {
        let uid = user_id.to_ascii_lowercase();
        self.assignments
            .range((uid.clone(), String::new())..)
            .take_while(|(u, _)| *u == uid)
            .filter_map(|(_, r)| self.role(r))
            .collect()
    }

    pub fn members_of(&self, role_id: &str) -> Vec<&SysUser> {
        let rid = role_id.to_ascii_lowercase();
        self.users
            .iter()
            .filter(|u| self.assignments.contains(&(u.id.clone(), rid.clone())))
            .collect()
    }

    pub fn is_sysadmin(&self, user_id: &str) -> bool {
        self.roles_of(user_id)
            .iter()
            .any(|r| r.template.as_deref() == Some(SYSTEM_ADMINISTRATOR_TEMPLATE))
    }

    /// Links a user and a role; false if it already was.
    pub fn assign(&mut self, user_id: &str, role_id: &str) -> bool {
        let added = self
            .assignments
            .insert((user_id.to_ascii_lowercase(), role_id.to_ascii_lowercase()));
        if added {
            self.touch(user_id);
        }
        added
    }

    /// Unlinks a user and a role; false if they were not linked.
    pub fn unassign(&mut self, user_id: &str, role_id: &str) -> bool {
        let removed = self
            .assignments
            .remove(&(user_id.to_ascii_lowercase(), role_id.to_ascii_lowercase()));
        if removed {
            self.touch(user_id);
        }
        removed
    }

    /// Adds a systemuser, keeping the id order.
    pub fn insert_user(&mut self, user: SysUser) {
        let at = self.users.partition_point(|u| u.id < user.id);
        self.users.insert(at, user);
    }

    pub fn user_mut(&mut self, id: &str) -> Option<&mut SysUser> {
        let id = id.to_ascii_lowercase();
        self.users.iter_mut().find(|u| u.id == id)
    }

    fn touch(&mut self, user_id: &str) {
        if let Some(u) = self.user_mut(user_id) {
            u.version += 1;
        }
    }
}

const FIRST: [&str; 10] = [
    "Avery", "Blake", "Cameron", "Dana", "Emery", "Finley", "Harper", "Jordan", "Morgan", "Riley",
];
const LAST: [&str; 10] = [
    "Adams", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Khan",
];

/// A root BU, its System Administrator copy and `count` standing System Administrators, all
/// with ids derived from the organisation id so every run sees the same data.
fn synthetic(scenario: &Scenario, dv: &Dataverse, count: usize) -> Org {
    let org = dv.organization_id.to_ascii_lowercase();
    let bu = derive_guid(&[&org, "bu"]);
    let role = derive_guid(&[&org, "sysadmin"]);
    let mut users: Vec<SysUser> = (0..count)
        .map(|i| {
            let (first, last) = (FIRST[i % 10], LAST[(i / 10) % 10]);
            let upn = format!(
                "{}.{}{}@{}",
                first.to_lowercase(),
                last.to_lowercase(),
                i,
                scenario.tenant.verified_domain
            );
            SysUser {
                id: derive_guid(&[&org, "user", &i.to_string()]),
                fullname: format!("{first} {last} {i}"),
                email: upn.clone(),
                domainname: upn,
                aad_object_id: Some(derive_guid(&[&org, "oid", &i.to_string()])),
                disabled: false,
                licensed: true,
                access_mode: 0,
                application_id: None,
                business_unit: bu.clone(),
                version: 1_000_000,
            }
        })
        .collect();
    users.sort_by(|a, b| a.id.cmp(&b.id));
    let assignments = users.iter().map(|u| (u.id.clone(), role.clone())).collect();
    Org {
        organization_id: org,
        business_units: vec![Bu {
            id: bu.clone(),
            name: dv.unique_name.clone(),
            parent: None,
        }],
        roles: vec![Role {
            id: role.clone(),
            name: SYSTEM_ADMINISTRATOR.into(),
            business_unit: bu,
            template: Some(SYSTEM_ADMINISTRATOR_TEMPLATE.into()),
            parent_root: role,
        }],
        users,
        assignments,
        teams: Vec::new(),
        team_members: BTreeSet::new(),
        team_roles: BTreeSet::new(),
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// The scenario's business units, the root first.
fn business_units(dv: &Dataverse) -> Vec<Bu> {
    let mut bus: Vec<Bu> = dv
        .business_units
        .iter()
        .map(|b| Bu {
            id: lower(&b.business_unit_id),
            name: b.name.clone(),
            parent: b.parent_business_unit_id.as_deref().map(lower),
        })
        .collect();
    bus.sort_by_key(|b| b.parent.is_some());
    bus
}

/// Every business unit's copy of each role, linked to the root's copy of the same name.
fn role_copies(dv: &Dataverse) -> Vec<Role> {
    let root = dv
        .business_units
        .iter()
        .find(|b| b.parent_business_unit_id.is_none());
    let mut roles = Vec::new();
    for b in &dv.business_units {
        for (name, id) in &b.roles {
            let parent_root = root
                .and_then(|r| r.roles.get(name))
                .map_or_else(|| lower(id), |r| lower(r));
            roles.push(Role {
                id: lower(id),
                name: name.clone(),
                business_unit: lower(&b.business_unit_id),
                template: (name == SYSTEM_ADMINISTRATOR)
                    .then(|| SYSTEM_ADMINISTRATOR_TEMPLATE.to_string()),
                parent_root,
            });
        }
    }
    roles
}

/// A systemuser as the scenario describes it, its blanks filled from its Entra user.
fn system_user(scenario: &Scenario, u: &SystemUser, bus: &[Bu], root_id: &str) -> SysUser {
    let entra = u.user.as_deref().and_then(|n| scenario.find_user(n));
    let upn = entra.map(|e| scenario.upn(e));
    let domainname = u.domain_name.clone().or(upn).unwrap_or_default();
    let bu = u
        .business_unit
        .as_deref()
        .and_then(|b| {
            bus.iter()
                .find(|x| x.id.eq_ignore_ascii_case(b) || x.name.eq_ignore_ascii_case(b))
        })
        .map_or(root_id.to_string(), |b| b.id.clone());
    SysUser {
        id: lower(&u.system_user_id),
        fullname: u
            .full_name
            .clone()
            .or(entra.map(|e| e.display_name.clone()))
            .unwrap_or_default(),
        email: u
            .internal_email_address
            .clone()
            .unwrap_or_else(|| domainname.clone()),
        domainname,
        aad_object_id: u
            .azure_active_directory_object_id
            .clone()
            .or(entra.map(|e| e.id.clone()))
            .map(|s| lower(&s)),
        disabled: u.is_disabled,
        licensed: u.is_licensed,
        access_mode: u.access_mode,
        application_id: u.application_id.as_deref().map(lower),
        business_unit: bu,
        version: 1_000_000,
    }
}
