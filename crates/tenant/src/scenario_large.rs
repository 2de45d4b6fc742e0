//! The built-in `large` scenario: the demo directory (so every demo user signs in as usual)
//! with 10,000 environments, 1,000 of them with Dataverse and 50 standing System
//! Administrators each. Generated in code, the same on every run; the orgs are synthetic, so
//! their rows are only built when first used and loading stays cheap.

use crate::environments::derive_guid;
use crate::environments::model::{
    Dataverse, EnvState, Environment, Principal, RuntimeState, Sku, Synthetic,
};
use crate::scenario::Scenario;

pub const ENVIRONMENTS: usize = 10_000;
/// Every 10th environment has Dataverse.
pub const DATAVERSE_EVERY: usize = 10;
pub const SYSADMINS_PER_ORG: usize = 50;

const GEOS: [(&str, &str); 8] = [
    ("unitedstates", "westus"),
    ("europe", "westeurope"),
    ("unitedkingdom", "uksouth"),
    ("asia", "southeastasia"),
    ("australia", "australiaeast"),
    ("canada", "canadacentral"),
    ("japan", "japaneast"),
    ("india", "centralindia"),
];
const SKUS: [Sku; 4] = [Sku::Production, Sku::Sandbox, Sku::Developer, Sku::Trial];
const TEAMS: [&str; 8] = [
    "Sales",
    "Finance",
    "HR",
    "Operations",
    "Marketing",
    "Support",
    "Legal",
    "Research",
];

pub fn generate(demo: Scenario) -> Scenario {
    let mut s = demo;
    s.name = "large".into();
    s.description = format!(
        "The demo directory with {ENVIRONMENTS} environments, {} with Dataverse and {SYSADMINS_PER_ORG} standing System Administrators each.",
        ENVIRONMENTS / DATAVERSE_EVERY
    );
    let tenant = s.tenant.id.clone();
    let creator = s
        .users
        .iter()
        .find(|u| u.mail_nickname == "gloria")
        .map(|u| Principal {
            id: u.id.clone(),
            display_name: u.display_name.clone(),
            kind: "User".into(),
        });
    s.environments = (0..ENVIRONMENTS)
        .map(|i| environment(&tenant, creator.as_ref(), i))
        .collect();
    s
}

/// The `i`-th environment: geos, SKUs and teams in turn, every `DATAVERSE_EVERY`-th with an
/// organisation, now and then a disabled one.
fn environment(tenant: &str, creator: Option<&Principal>, i: usize) -> Environment {
    let (geo, region) = GEOS[i % GEOS.len()];
    let default = i == 0;
    let id = if default {
        format!("Default-{tenant}")
    } else {
        derive_guid(&[tenant, "env", &i.to_string()])
    };
    let team = TEAMS[(i / 7) % TEAMS.len()];
    let sku = if default {
        Sku::Default
    } else {
        SKUS[i % SKUS.len()]
    };
    let dataverse = i
        .is_multiple_of(DATAVERSE_EVERY)
        .then(|| synthetic_org(tenant, team, i));
    Environment {
        id,
        display_name: if default {
            "Contoso (default)".into()
        } else {
            format!("{team} {} {i:05}", sku.as_str())
        },
        description: String::new(),
        sku,
        geo: geo.into(),
        azure_region: region.into(),
        state: EnvState {
            management: "Ready".into(),
            runtime: if i % 97 == 5 {
                RuntimeState::Disabled
            } else {
                RuntimeState::Enabled
            },
        },
        deleted: false,
        created_time: format!(
            "2023-{:02}-{:02}T08:{:02}:00Z",
            1 + i % 12,
            1 + i % 28,
            i % 60
        ),
        created_by: creator.cloned(),
        security_group_id: None,
        connected_group_id: None,
        dataverse,
    }
}

/// A synthetic organisation of `SYSADMINS_PER_ORG` standing System Administrators.
fn synthetic_org(tenant: &str, team: &str, i: usize) -> Dataverse {
    let domain = format!("org{:05}", i);
    Dataverse {
        unique_name: format!(
            "unq{}",
            derive_guid(&[tenant, "unique", &i.to_string()]).replace('-', "")
        ),
        org_name: format!("{team} {i:05}"),
        organization_id: derive_guid(&[tenant, "org", &i.to_string()]),
        version: "9.2.25021.00214".into(),
        business_units: Vec::new(),
        system_users: Vec::new(),
        synthetic: Some(Synthetic {
            system_administrators: SYSADMINS_PER_ORG,
        }),
        domain_name: domain,
    }
}
