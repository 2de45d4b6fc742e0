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
        .map(|i| {
            let (geo, region) = GEOS[i % GEOS.len()];
            let default = i == 0;
            let id = if default {
                format!("Default-{tenant}")
            } else {
                derive_guid(&[&tenant, "env", &i.to_string()])
            };
            let team = TEAMS[(i / 7) % TEAMS.len()];
            let sku = if default {
                Sku::Default
            } else {
                SKUS[i % SKUS.len()]
            };
            let dataverse = (i % DATAVERSE_EVERY == 0).then(|| {
                let domain = format!("org{:05}", i);
                Dataverse {
                    unique_name: format!(
                        "unq{}",
                        derive_guid(&[&tenant, "unique", &i.to_string()]).replace('-', "")
                    ),
                    org_name: format!("{team} {i:05}"),
                    organization_id: derive_guid(&[&tenant, "org", &i.to_string()]),
                    version: "9.2.25021.00214".into(),
                    business_units: Vec::new(),
                    system_users: Vec::new(),
                    synthetic: Some(Synthetic {
                        system_administrators: SYSADMINS_PER_ORG,
                    }),
                    domain_name: domain,
                }
            });
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
                created_by: creator.clone(),
                security_group_id: None,
                connected_group_id: None,
                dataverse,
            }
        })
        .collect();
    s
}
