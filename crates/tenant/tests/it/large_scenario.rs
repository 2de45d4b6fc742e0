//! The built-in `large` scenario: 10,000 environments, 1,000 Dataverse orgs with 50 standing
//! System Administrators each, and the demo users.

use std::collections::HashSet;
use std::time::Instant;

use crate::common::Tenant;
use crate::platform::*;
use elevate_tenant::Scenario;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn large_loads_and_lists_ten_thousand_environments() {
    let started = Instant::now();
    let scenario = Scenario::builtin("large").expect("large");
    // Printed, not asserted: timing belongs to benchmarks.
    eprintln!(
        "large scenario generated and validated in {:?}",
        started.elapsed()
    );
    assert_eq!(scenario.environments.len(), 10_000);
    assert_eq!(
        scenario
            .environments
            .iter()
            .filter(|e| e.dataverse.is_some())
            .count(),
        1_000
    );
    assert!(scenario.find_user("gloria").is_some());
    let again = Scenario::builtin("large").expect("large");
    assert_eq!(
        again.environments[1234].id, scenario.environments[1234].id,
        "deterministic"
    );

    let emu = elevate_testkit::start(scenario).await;
    let http = reqwest::Client::new();
    let t = Tenant {
        base: emu.base_url(),
        ep: emu.endpoints(),
        emu,
        http,
    };
    let token = t.token_for("gloria", PP_SCOPE).await;
    let mut next = Some(format!(
        "{}/environmentmanagement/environments?api-version=2024-10-01&$top=2500&$select=id,url",
        t.ep.powerplatform
    ));
    let (mut ids, mut with_dataverse, mut pages) = (HashSet::new(), 0, 0);
    while let Some(url) = next {
        let r = t.get(&url, &token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for e in r.body["value"].as_array().expect("value") {
            assert!(ids.insert(e["id"].as_str().expect("id").to_string()));
            with_dataverse += usize::from(e["url"].is_string());
        }
        next = r.body["@odata.nextlink"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!((ids.len(), with_dataverse, pages), (10_000, 1_000, 4));

    // A synthetic org is built on first use: 50 System Administrators, plus Gloria once she elevates.
    let env = t.get(&format!("{}/environmentmanagement/environments?api-version=2024-10-01&$filter=domainName eq 'org00010'", t.ep.powerplatform), &token).await;
    let id = env.body["value"][0]["id"]
        .as_str()
        .expect("org00010's environment")
        .to_string();
    assert_eq!(t.apply("gloria", &id).await.status, StatusCode::OK);
    let dv = t.dv_token("gloria", "org00010").await;
    let mut next = Some(format!(
        "{}/systemusers?$select=fullname&$filter=systemuserroles_association/any(r:r/_roletemplateid_value eq {SYSADMIN_TEMPLATE})",
        t.org_api("org00010")
    ));
    let mut admins = HashSet::new();
    while let Some(url) = next {
        let r = t
            .call(
                Method::GET,
                &url,
                Some(&dv),
                &[("prefer", "odata.maxpagesize=20")],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for u in r.body["value"].as_array().expect("value") {
            assert!(admins.insert(u["systemuserid"].to_string()));
        }
        next = r.body["@odata.nextLink"].as_str().map(str::to_string);
    }
    assert_eq!(admins.len(), 51);

    // BAP answers the whole tenant at once.
    let bap = t.token_for("gloria", BAP_SCOPE).await;
    let r = t.get(&format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01", t.ep.bap), &bap).await;
    assert_eq!(r.body["value"].as_array().map(Vec::len), Some(10_000));
}
