//! The running Power Platform side of the tenant: Dataverse orgs (built from the scenario on
//! first access, so 1,000 orgs cost nothing until used), the elevations `applyAdminRole` made and
//! the tenant role that backs each, the audit log, faults and Dataverse service protection.
//!
//! Lock order: `AppState::runtime()` (the directory) is never taken while `inner` is held.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use crate::audit::{stamp, AuditEntry, AuditLog, AuditRole};
use crate::dataverse::protect::Protection;
use crate::faults::FaultState;
use crate::scenario::{Scenario, User};
use crate::secrets::lock;
use crate::state::{ActiveRole, AppState, MemberType};

use super::derive_guid;
use super::model::Environment;
use super::org::{Org, SysUser};

pub struct Platform {
    /// Environment id (lowercase) → index in `scenario.environments`.
    index: HashMap<String, usize>,
    /// Dataverse domain name (lowercase) → index.
    domains: HashMap<String, usize>,
    inner: Mutex<Inner>,
    pub audit: AuditLog,
    pub faults: FaultState,
    pub protection: Protection,
}

#[derive(Default)]
pub struct Inner {
    orgs: HashMap<usize, Org>,
    elevations: Vec<Elevation>,
    /// Accepted applyAdminRole calls whose role arrives later (`applyAdminRoleAssignDelaySeconds`).
    pending: Vec<Pending>,
}

#[derive(Clone, Debug)]
struct Pending {
    due: DateTime<Utc>,
    env: usize,
    user_id: String,
    backing: ActiveRole,
}

/// A System Administrator assignment made by `applyAdminRole`, and what it relied on.
#[derive(Clone, Debug)]
pub struct Elevation {
    pub env: usize,
    /// Entra object id, lowercase.
    pub user_id: String,
    pub system_user_id: String,
    pub role_id: String,
    /// The active tenant role it relied on; when that ends, the assignment goes.
    pub backing: ActiveRole,
}

pub struct Elevated {
    pub system_user_id: String,
    pub already: bool,
}

impl Platform {
    pub fn new(scenario: &Scenario) -> Platform {
        let mut index = HashMap::with_capacity(scenario.environments.len());
        let mut domains = HashMap::new();
        for (i, env) in scenario.environments.iter().enumerate() {
            index.insert(env.id.to_ascii_lowercase(), i);
            if let Some(dv) = &env.dataverse {
                domains.insert(dv.domain_name.to_ascii_lowercase(), i);
            }
        }
        Platform {
            index,
            domains,
            inner: Mutex::new(Inner::default()),
            audit: AuditLog::default(),
            faults: FaultState::new(scenario.faults.clone()),
            protection: Protection::default(),
        }
    }

    pub fn reset(&self, scenario: &Scenario) {
        *lock(&self.inner) = Inner::default();
        self.audit.clear();
        self.faults.replace(scenario.faults.clone());
        self.protection.clear();
    }

    pub fn env_index(&self, id: &str) -> Option<usize> {
        self.index.get(&id.to_ascii_lowercase()).copied()
    }

    pub fn env_by_domain(&self, domain: &str) -> Option<usize> {
        self.domains.get(&domain.to_ascii_lowercase()).copied()
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Whether the org was touched yet (an untouched synthetic org holds no scenario user).
    pub fn materialized(&self, env: usize) -> bool {
        self.lock().orgs.contains_key(&env)
    }
}

impl Inner {
    /// The env's org, built on first use; `None` when the environment has no Dataverse.
    pub fn org(&mut self, scenario: &Scenario, env: usize) -> Option<&mut Org> {
        let dv = scenario.environments.get(env)?.dataverse.as_ref()?;
        Some(
            self.orgs
                .entry(env)
                .or_insert_with(|| Org::build(scenario, dv)),
        )
    }

    /// Makes `user` System Administrator (their BU's copy), creating the systemuser if needed,
    /// and remembers which tenant role backed it. `None` if the env has no Dataverse.
    pub fn elevate(
        &mut self,
        scenario: &Scenario,
        env: usize,
        user: &User,
        backing: &ActiveRole,
    ) -> Option<Elevated> {
        let upn = scenario.upn(user);
        let org = self.org(scenario, env)?;
        let oid = user.id.to_ascii_lowercase();
        let system_user_id = match org.user_by_oid(&oid) {
            Some(u) => u.id.clone(),
            None => {
                let root = org.root_bu()?.id.clone();
                let id = derive_guid(&[&org.organization_id, "systemuser", &oid]);
                org.insert_user(SysUser {
                    id: id.clone(),
                    fullname: user.display_name.clone(),
                    domainname: upn.clone(),
                    email: upn,
                    aad_object_id: Some(oid.clone()),
                    disabled: false,
                    licensed: true,
                    access_mode: 0,
                    application_id: None,
                    business_unit: root,
                    version: 1_000_000,
                });
                id
            }
        };
        // The sync step ("User in enabled state in AD tenant") re-enables a disabled record.
        if let Some(u) = org.user_mut(&system_user_id) {
            if u.disabled {
                u.disabled = false;
                u.version += 1;
            }
        }
        let bu = org.user(&system_user_id)?.business_unit.clone();
        let role_id = org.sysadmin_role_of(&bu)?.id.clone();
        let already = org.is_sysadmin(&system_user_id);
        org.assign(&system_user_id, &role_id);
        let tracked = self
            .elevations
            .iter()
            .position(|e| e.env == env && e.user_id == oid);
        match (tracked, already) {
            // A standing System Administrator stays one: nothing to take away later.
            (None, true) => {}
            (Some(i), _) => self.elevations[i].backing = backing.clone(),
            (None, false) => self.elevations.push(Elevation {
                env,
                user_id: oid,
                system_user_id: system_user_id.clone(),
                role_id,
                backing: backing.clone(),
            }),
        }
        Some(Elevated {
            system_user_id,
            already,
        })
    }

    pub fn defer(&mut self, due: DateTime<Utc>, env: usize, user: &User, backing: &ActiveRole) {
        self.pending.push(Pending {
            due,
            env,
            user_id: user.id.clone(),
            backing: backing.clone(),
        });
    }

    /// A role link removed through Dataverse is no longer the elevation's to take away.
    pub fn forget(&mut self, env: usize, system_user_id: &str, role_id: &str) {
        self.elevations.retain(|e| {
            !(e.env == env && e.system_user_id == system_user_id && e.role_id == role_id)
        });
    }

    pub fn elevations(&self) -> &[Elevation] {
        &self.elevations
    }
}

/// Takes System Administrator away where the tenant role behind an elevation has ended (PIM
/// activation expired or deactivated, permanent role removed). Called lazily at the start of
/// every Power Platform, BAP and Dataverse request, with the emulator clock.
pub fn sweep(state: &AppState) {
    assign_due(state);
    let users: Vec<String> = {
        let inner = state.platform.lock();
        let mut u: Vec<String> = inner.elevations.iter().map(|e| e.user_id.clone()).collect();
        u.sort();
        u.dedup();
        u
    };
    if users.is_empty() {
        return;
    }
    let now = state.clock.now();
    let held: HashMap<String, Vec<ActiveRole>> = {
        let rt = state.runtime();
        users
            .into_iter()
            .map(|u| {
                let roles = rt.active_roles(&state.scenario, &u, now);
                (u, roles)
            })
            .collect()
    };
    let mut entries = Vec::new();
    {
        let mut inner = state.platform.lock();
        let mut keep = Vec::new();
        for mut e in std::mem::take(&mut inner.elevations) {
            let roles = held.get(&e.user_id).map(Vec::as_slice).unwrap_or_default();
            match still_backed(&e.backing, roles, now) {
                Some(end) => {
                    e.backing.end = end;
                    keep.push(e);
                }
                None => {
                    let removed = inner
                        .org(&state.scenario, e.env)
                        .is_some_and(|o| o.unassign(&e.system_user_id, &e.role_id));
                    if removed {
                        entries.push(removal(&state.scenario, &e, now));
                    }
                }
            }
        }
        inner.elevations = keep;
    }
    for entry in entries {
        state.platform.audit.record(entry);
    }
}

/// Deferred assignments whose time has come (emulator clock).
fn assign_due(state: &AppState) {
    let now = state.clock.now();
    let mut inner = state.platform.lock();
    let (due, later): (Vec<Pending>, Vec<Pending>) = std::mem::take(&mut inner.pending)
        .into_iter()
        .partition(|p| p.due <= now);
    inner.pending = later;
    for p in due {
        if let Some(user) = state.scenario.find_user(&p.user_id) {
            inner.elevate(&state.scenario, p.env, user, &p.backing);
        }
    }
}

/// `Some(end)` (possibly extended) while the backing role is still active; `None` once it ended.
/// An activation whose recorded end has passed counts as ended even if a new activation of the
/// same role exists now: that one did not back this elevation.
fn still_backed(
    backing: &ActiveRole,
    roles: &[ActiveRole],
    now: DateTime<Utc>,
) -> Option<Option<DateTime<Utc>>> {
    if backing.end.is_some_and(|e| e <= now) {
        return None;
    }
    let current = roles
        .iter()
        .filter(|r| {
            r.role_template_id
                .eq_ignore_ascii_case(&backing.role_template_id)
        })
        .filter(|r| r.member_type == MemberType::Direct && r.end.is_none_or(|e| e > now))
        .map(|r| r.end)
        .max_by_key(|end| end.map_or(i64::MAX, |e| e.timestamp()))?;
    Some(match (backing.end, current) {
        (Some(old), Some(new)) if new > old => Some(new),
        (Some(_), None) => None,
        (old, _) => old,
    })
}

fn removal(scenario: &Scenario, e: &Elevation, now: DateTime<Utc>) -> AuditEntry {
    let env: Option<&Environment> = scenario.environments.get(e.env);
    let user = scenario.find_user(&e.user_id);
    let role = AuditRole::from_active(&e.backing);
    let why = match &role.end {
        Some(end) if e.backing.end.is_some_and(|x| x <= now) => {
            format!("the {} activation ended at {end}", role.role_name)
        }
        _ => format!("the {} role is no longer active", role.role_name),
    };
    AuditEntry {
        time: stamp(now),
        action: "systemAdministratorRemoved".into(),
        result: "Succeeded".into(),
        status: 200,
        user_id: Some(e.user_id.clone()),
        user_principal_name: user.map(|u| scenario.upn(u)),
        environment_id: env.map(|v| v.id.clone()).unwrap_or_default(),
        environment_name: env.map(|v| v.display_name.clone()).unwrap_or_default(),
        correlation_id: None,
        role: Some(role),
        system_user_id: Some(e.system_user_id.clone()),
        role_id: Some(e.role_id.clone()),
        detail: format!("System Administrator removed: {why}."),
    }
}
