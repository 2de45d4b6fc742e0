//! Load-time checks of the `environments` section: a broken scenario fails at start, never
//! mid-request.

use std::collections::HashSet;

use anyhow::{bail, Context};

use crate::scenario::{GroupType, Scenario};

use super::model::{Dataverse, Sku, SystemUser, SYSTEM_ADMINISTRATOR};

pub fn validate(s: &Scenario) -> anyhow::Result<()> {
    let mut ids = HashSet::new();
    let mut domains = HashSet::new();
    let default_id = format!("Default-{}", s.tenant.id).to_ascii_lowercase();
    for env in &s.environments {
        let what = format!("environment '{}'", env.display_name);
        let lower = env.id.to_ascii_lowercase();
        if env.sku == Sku::Default {
            if lower != default_id {
                bail!(
                    "{what}: the default environment's id must be Default-{}",
                    s.tenant.id
                );
            }
        } else {
            guid(&what, &env.id)?;
        }
        if !ids.insert(lower) {
            bail!("{what}: id {} appears twice", env.id);
        }
        if env.geo.trim().is_empty() || env.azure_region.trim().is_empty() {
            bail!("{what}: geo and azureRegion must not be empty");
        }
        chrono::DateTime::parse_from_rfc3339(&env.created_time)
            .with_context(|| format!("{what}: createdTime '{}'", env.created_time))?;
        if let Some(g) = &env.security_group_id {
            group(s, &what, g, GroupType::Security)?;
        }
        match (&env.connected_group_id, env.sku) {
            (Some(g), Sku::Teams) => group(s, &what, g, GroupType::Microsoft365)?,
            (None, Sku::Teams) => bail!("{what}: a Teams environment needs connectedGroupId"),
            (Some(_), _) => bail!("{what}: only Teams environments have a connectedGroupId"),
            (None, _) => {}
        }
        if let Some(dv) = &env.dataverse {
            let domain = dv.domain_name.to_ascii_lowercase();
            let ok = !domain.is_empty()
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                bail!(
                    "{what}: domainName '{}' must be letters, digits and '-'",
                    dv.domain_name
                );
            }
            if !domains.insert(domain) {
                bail!("{what}: domainName '{}' appears twice", dv.domain_name);
            }
            dataverse(s, &what, dv)?;
        }
    }
    Ok(())
}

fn dataverse(s: &Scenario, what: &str, dv: &Dataverse) -> anyhow::Result<()> {
    guid(what, &dv.organization_id)?;
    if dv.synthetic.is_some() {
        if !dv.business_units.is_empty() || !dv.system_users.is_empty() {
            bail!("{what}: a synthetic organisation lists no business units or users");
        }
        return Ok(());
    }
    let roots = dv
        .business_units
        .iter()
        .filter(|b| b.parent_business_unit_id.is_none())
        .count();
    if roots != 1 {
        bail!("{what}: exactly one root business unit (no parentBusinessUnitId) is needed, found {roots}");
    }
    let mut ids = HashSet::new();
    for bu in &dv.business_units {
        guid(what, &bu.business_unit_id)?;
        ids.insert(bu.business_unit_id.to_ascii_lowercase());
        if !bu.roles.contains_key(SYSTEM_ADMINISTRATOR) {
            bail!(
                "{what}: business unit '{}' has no System Administrator copy",
                bu.name
            );
        }
        for id in bu.roles.values() {
            guid(what, id)?;
            if !ids.insert(id.to_ascii_lowercase()) {
                bail!("{what}: id {id} appears twice");
            }
        }
    }
    for bu in &dv.business_units {
        if let Some(p) = &bu.parent_business_unit_id {
            if !dv
                .business_units
                .iter()
                .any(|b| b.business_unit_id.eq_ignore_ascii_case(p))
            {
                bail!(
                    "{what}: business unit '{}' has an unknown parent {p}",
                    bu.name
                );
            }
        }
    }
    for u in &dv.system_users {
        system_user(s, what, dv, u, &mut ids)?;
    }
    Ok(())
}

/// A systemuser: a unique GUID, a scenario user or a name of its own, and roles its
/// business unit has.
fn system_user(
    s: &Scenario,
    what: &str,
    dv: &Dataverse,
    u: &SystemUser,
    ids: &mut HashSet<String>,
) -> anyhow::Result<()> {
    let who = format!("{what}: systemuser {}", u.system_user_id);
    guid(&who, &u.system_user_id)?;
    if !ids.insert(u.system_user_id.to_ascii_lowercase()) {
        bail!("{who}: id appears twice");
    }
    match &u.user {
        Some(nick) if s.find_user(nick).is_none() => {
            bail!("{who}: '{nick}' is not a user of this scenario")
        }
        Some(_) => {}
        None if u.full_name.is_none() || u.domain_name.is_none() => {
            bail!("{who}: needs either `user` or fullName and domainName")
        }
        None => {}
    }
    for id in [&u.azure_active_directory_object_id, &u.application_id]
        .into_iter()
        .flatten()
    {
        guid(&who, id)?;
    }
    let bu = match &u.business_unit {
        None => dv
            .business_units
            .iter()
            .find(|b| b.parent_business_unit_id.is_none()),
        Some(b) => dv
            .business_units
            .iter()
            .find(|x| x.business_unit_id.eq_ignore_ascii_case(b) || x.name.eq_ignore_ascii_case(b)),
    };
    let Some(bu) = bu else {
        bail!("{who}: unknown business unit")
    };
    for role in &u.roles {
        if !bu.roles.contains_key(role) {
            bail!("{who}: business unit '{}' has no role '{role}'", bu.name);
        }
    }
    Ok(())
}

fn group(s: &Scenario, what: &str, id: &str, kind: GroupType) -> anyhow::Result<()> {
    match s.groups.iter().find(|g| g.id.eq_ignore_ascii_case(id)) {
        Some(g) if g.group_type == kind => Ok(()),
        Some(g) => bail!("{what}: group '{}' is not a {kind:?} group", g.display_name),
        None => bail!("{what}: group {id} is not in the scenario's groups"),
    }
}

fn guid(what: &str, value: &str) -> anyhow::Result<()> {
    uuid::Uuid::parse_str(value)
        .map(|_| ())
        .with_context(|| format!("{what}: '{value}' is not a GUID"))
}
