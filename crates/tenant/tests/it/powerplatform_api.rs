//! Power Platform API and BAP contracts (§3.1 success body, §3.2 Option A and B shapes),
//! paging, filtering and how bad tokens and api-versions are refused.

use std::collections::HashSet;

use crate::common::*;
use crate::platform::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const FLAT_FIELDS: [&str; 26] = [
    "id",
    "tenantId",
    "type",
    "displayName",
    "geo",
    "azureRegion",
    "url",
    "domainName",
    "dataverseId",
    "version",
    "state",
    "adminMode",
    "backgroundOperationsState",
    "protectionLevel",
    "environmentGroupId",
    "securityGroupId",
    "connectedGroupId",
    "clusterCategory",
    "scenarioName",
    "createdBy",
    "createdFor",
    "createdDateTime",
    "deletedDateTime",
    "retentionDetails",
    "enterprisePolicies",
    "finOpsMetadata",
];

fn list_url(t: &Tenant, query: &str) -> String {
    format!(
        "{}/environmentmanagement/environments?api-version=2024-10-01{query}",
        t.ep.powerplatform
    )
}

#[tokio::test]
async fn apply_admin_role_answers_the_documented_success_body() {
    let t = start().await;
    let env = env("HR Sandbox");
    let token = t.token_for("gloria", PP_SCOPE).await;
    let url = format!(
        "{}/usermanagement/environments/{env}/user/applyAdminRole?api-version=2024-10-01",
        t.ep.powerplatform
    );
    let r = t
        .call(
            Method::POST,
            &url,
            Some(&token),
            &[("x-ms-correlation-id", "corr-42")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["x-ms-correlation-id"], "corr-42");
    assert_eq!(keys(&r.body), sorted(&["errors", "information"]));
    assert_eq!(r.body["errors"], json!([]));
    let info = r.body["information"].as_array().expect("information");
    assert_eq!(info.len(), 1);
    assert_eq!(keys(&info[0]), sorted(&["Code", "Description", "Subject"]));
    assert_eq!(info[0]["Subject"], "Result");
    assert_eq!(info[0]["Code"], "UserExists");
    let steps: Vec<String> = serde_json::from_str(
        info[0]["Description"]
            .as_str()
            .expect("a JSON-encoded string"),
    )
    .expect("string array");
    assert_eq!(steps[0], "SyncMode: Default");
    assert_eq!(steps[1], format!("Instance {env} exists"));
    assert!(steps.contains(&"User found in AD tenant".to_string()));
    assert!(steps.contains(&format!(
        "Instance Url found {}/",
        t.org_root("contosohr-sbx")
    )));
    assert!(
        steps.last().is_some_and(
            |s| s.starts_with("SystemUser with Id:") && s.ends_with("exists in instance")
        )
    );

    // It really made her System Administrator: Dataverse lists her among the root BU's copy's members.
    let dv = t.dv_token("gloria", "contosohr-sbx").await;
    let api = t.org_api("contosohr-sbx");
    let root = t.get(&format!("{api}/businessunits?$select=businessunitid,name&$filter=parentbusinessunitid eq null"), &dv).await;
    let root_id = root.body["value"][0]["businessunitid"]
        .as_str()
        .expect("root BU")
        .to_string();
    let roles = t.get(&format!("{api}/roles?$select=roleid,name,_businessunitid_value&$filter=_roletemplateid_value eq {SYSADMIN_TEMPLATE} and _businessunitid_value eq {root_id}"), &dv).await;
    let role_id = roles.body["value"][0]["roleid"]
        .as_str()
        .expect("role")
        .to_string();
    let members = t
        .get(
            &format!(
                "{api}/roles({role_id})/systemuserroles_association?$select=fullname,domainname"
            ),
            &dv,
        )
        .await;
    let names: Vec<&str> = members.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|m| m["domainname"].as_str())
        .collect();
    assert!(
        names.contains(&"gloria@contoso.onmicrosoft.com"),
        "{names:?}"
    );
}

#[tokio::test]
async fn environment_list_has_the_flat_option_a_shape_and_pages() {
    let t = start().await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let r = t.get(&list_url(&t, ""), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.contains_key("x-ms-correlation-id"));
    assert_eq!(keys(&r.body), sorted(&["value", "@odata.nextlink"]));
    assert!(r.body["@odata.nextlink"].is_null());
    let value = r.body["value"].as_array().expect("value");
    assert_eq!(value.len(), 13, "the deleted environment is not listed");
    for env in value {
        assert_eq!(keys(env), sorted(&FLAT_FIELDS), "{env}");
    }
    let find = |name: &str| {
        value
            .iter()
            .find(|e| e["displayName"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    let sales = find("Sales Production");
    assert_eq!(sales["type"], "Production");
    assert_eq!(sales["geo"], "unitedstates");
    assert_eq!(sales["state"], "Ready");
    assert_eq!(sales["tenantId"], t.ep.tenant_id.as_str());
    assert_eq!(sales["url"], format!("{}/", t.org_root("contososales")));
    assert_eq!(sales["domainName"], "contososales");
    assert!(
        sales["dataverseId"].is_string()
            && sales["version"].is_string()
            && sales["securityGroupId"].is_string()
    );
    assert_eq!(keys(&sales["createdBy"]), sorted(&["id", "type"]));
    let intranet = find("Intranet (no Dataverse)");
    assert!(intranet["url"].is_null() && intranet["dataverseId"].is_null());
    assert_eq!(
        find("Contoso (default)")["id"],
        format!("Default-{}", t.ep.tenant_id)
    );
    assert_eq!(find("Contoso Teams Hub")["type"], "Teams");
    assert!(find("Contoso Teams Hub")["connectedGroupId"].is_string());
    assert_eq!(find("Retired CRM")["state"], "Disabled");

    // $top pages through everything via @odata.nextlink, no duplicates.
    let mut seen = HashSet::new();
    let mut next = Some(list_url(&t, "&$top=4"));
    let mut pages = 0;
    while let Some(url) = next {
        let r = t.get(&url, &token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for e in r.body["value"].as_array().expect("value") {
            assert!(
                seen.insert(e["id"].as_str().expect("id").to_string()),
                "duplicate {e}"
            );
        }
        next = r.body["@odata.nextlink"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!((seen.len(), pages), (13, 4));

    // By id: the same object.
    let one = t
        .get(
            &format!(
                "{}/environmentmanagement/environments/{}?api-version=2022-03-01-preview",
                t.ep.powerplatform,
                sales["id"].as_str().unwrap_or("")
            ),
            &token,
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body, sales);
}

#[tokio::test]
async fn environment_list_filters_on_type_geo_and_state() {
    let t = start().await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let names = |body: &Value| -> Vec<String> {
        let mut v: Vec<String> = body["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|e| e["displayName"].as_str().unwrap_or("").to_string())
            .collect();
        v.sort();
        v
    };
    let r = t
        .get(&list_url(&t, "&$filter=type eq 'Sandbox'"), &token)
        .await;
    assert_eq!(
        names(&r.body),
        [
            "Data Lake Sandbox",
            "Field Service UAT",
            "HR Sandbox",
            "Research Australia"
        ]
    );
    let r = t
        .get(
            &list_url(&t, "&$filter=geo eq 'europe' and type eq 'Production'"),
            &token,
        )
        .await;
    assert_eq!(names(&r.body), ["Finance Production"]);
    let r = t
        .get(
            &list_url(&t, "&$filter=state eq 'Disabled'&$select=displayName"),
            &token,
        )
        .await;
    assert_eq!(names(&r.body), ["Retired CRM"]);
    assert_eq!(keys(&r.body["value"][0]), sorted(&["displayName", "id"]));
    for bad in [
        "&$filter=shoeSize eq 1",
        "&$filter=type eq",
        "&$select=nope",
        "&$top=0",
        "&$skiptoken=%%%",
    ] {
        let r = t.get(&list_url(&t, bad), &token).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.body);
        assert!(r.body["code"].is_string() && r.body["message"].is_string());
    }
}

#[tokio::test]
async fn a_non_admin_sees_only_environments_they_belong_to() {
    let t = start().await;
    let token = t.token_for("nestor", PP_SCOPE).await;
    let r = t.get(&list_url(&t, ""), &token).await;
    let mut names: Vec<&str> = r.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|e| e["displayName"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Contoso (default)",
            "Contoso Teams Hub",
            "Customer Service Canada"
        ]
    );
    let sales = env("Sales Production");
    let one = t
        .get(
            &format!(
                "{}/environmentmanagement/environments/{sales}?api-version=2024-10-01",
                t.ep.powerplatform
            ),
            &token,
        )
        .await;
    assert_eq!(one.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn power_platform_refuses_wrong_audience_missing_scope_and_bad_versions() {
    let t = start().await;
    let env = env("HR Sandbox");
    let apply = |v: &str| {
        format!(
            "{}/usermanagement/environments/{env}/user/applyAdminRole{v}",
            t.ep.powerplatform
        )
    };
    let graph = t.token_for("gloria", "User.Read").await;
    let bap = t.token_for("gloria", BAP_SCOPE).await;
    for token in [
        Some(graph.as_str()),
        Some(bap.as_str()),
        Some("garbage"),
        None,
    ] {
        let r = t
            .call(
                Method::POST,
                &apply("?api-version=2022-03-01-preview"),
                token,
                &[],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(r.body["code"].is_string() && r.body["message"].is_string());
        assert!(r.headers.contains_key("x-ms-correlation-id"));
        let r = t
            .call(Method::GET, &list_url(&t, ""), token, &[], None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // A token with only the read permission may list but not elevate.
    let read_only = t
        .token_for(
            "gloria",
            "https://api.powerplatform.com/EnvironmentManagement.Environments.Read",
        )
        .await;
    let r = t
        .call(
            Method::POST,
            &apply("?api-version=2022-03-01-preview"),
            Some(&read_only),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.body["innererror"]["code"],
        "InsufficientDelegatedPermissions"
    );
    let token = t.token_for("gloria", PP_SCOPE).await;
    for v in ["", "?api-version=2019-01-01", "?api-version="] {
        let r = t
            .call(Method::POST, &apply(v), Some(&token), &[], None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(r.body["code"], "ApiVersionInvalid");
    }
    assert!(
        t.audit().await.is_empty(),
        "refused before the rules: nothing to audit"
    );
}
