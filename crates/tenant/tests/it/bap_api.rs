//! BAP admin API contracts (§3.2 Option B): the nested `properties` shape field for field,
//! paging only on request, and how non-admins, bad tokens and api-versions are refused.

use std::collections::HashSet;

use crate::common::*;
use crate::platform::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn bap_lists_environments_in_the_nested_option_b_shape() {
    let t = start().await;
    let token = t.token_for("gloria", BAP_SCOPE).await;
    let url = format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01&$expand=properties.capacity,properties.addons", t.ep.bap);
    let r = t.get(&url, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.contains_key("x-ms-correlation-id"));
    assert_eq!(
        keys(&r.body),
        ["value"],
        "no paging unless bapPageSize is set"
    );
    let value = r.body["value"].as_array().expect("value");
    assert_eq!(value.len(), 13);
    let sales = value
        .iter()
        .find(|e| e["properties"]["displayName"] == "Sales Production")
        .expect("sales");
    let id = sales["name"].as_str().expect("name");
    assert_eq!(
        keys(sales),
        sorted(&["id", "type", "location", "name", "properties"])
    );
    assert_eq!(
        sales["id"],
        format!("/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{id}")
    );
    assert_eq!(
        sales["type"],
        "Microsoft.BusinessAppPlatform/scopes/environments"
    );
    assert_eq!(sales["location"], "unitedstates");
    let p = &sales["properties"];
    assert_eq!(
        keys(p),
        sorted(&[
            "azureRegion",
            "displayName",
            "description",
            "createdTime",
            "createdBy",
            "lastModifiedTime",
            "provisioningState",
            "creationType",
            "environmentSku",
            "isDefault",
            "clientUris",
            "runtimeEndpoints",
            "databaseType",
            "linkedEnvironmentMetadata",
            "notificationMetadata",
            "retentionPeriod",
            "states",
            "updateCadence",
            "retentionDetails",
            "protectionStatus",
            "cluster",
            "connectedGroups",
        ])
    );
    assert_eq!(p["environmentSku"], "Production");
    assert_eq!(p["databaseType"], "CommonDataService");
    assert_eq!(
        p["states"],
        json!({"management": {"id": "Ready"}, "runtime": {"id": "Enabled"}})
    );
    assert_eq!(
        keys(&p["createdBy"]),
        sorted(&["id", "displayName", "type", "tenantId"])
    );
    let lem = &p["linkedEnvironmentMetadata"];
    assert_eq!(
        keys(lem),
        sorted(&[
            "resourceId",
            "friendlyName",
            "uniqueName",
            "domainName",
            "version",
            "instanceUrl",
            "instanceApiUrl",
            "baseLanguage",
            "instanceState",
            "createdTime",
            "backgroundOperationsState",
            "scaleGroup",
            "platformSku",
            "securityGroupId",
        ])
    );
    assert_eq!(
        lem["instanceUrl"],
        format!("{}/", t.org_root("contososales"))
    );
    assert!(lem["securityGroupId"].is_string());
    let intranet = value
        .iter()
        .find(|e| e["properties"]["displayName"] == "Intranet (no Dataverse)")
        .expect("intranet");
    assert_eq!(intranet["properties"]["databaseType"], "None");
    assert!(intranet["properties"]
        .get("linkedEnvironmentMetadata")
        .is_none());
    let retired = value
        .iter()
        .find(|e| e["properties"]["displayName"] == "Retired CRM")
        .expect("retired");
    assert_eq!(retired["properties"]["states"]["runtime"]["id"], "Disabled");
    let default = value
        .iter()
        .find(|e| e["properties"]["isDefault"] == true)
        .expect("default");
    assert_eq!(default["name"], format!("Default-{}", t.ep.tenant_id));

    // One by id, in the same shape.
    let one = t.get(&format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{id}?api-version=2023-06-01", t.ep.bap), &token).await;
    assert_eq!(one.body, *sales);

    // Paging only when the scenario switch asks for it.
    let mut settings = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"bapPageSize": 5}))
        .send()
        .await
        .expect("patch");
    assert_eq!(settings.status(), StatusCode::OK);
    settings = t
        .http
        .get(format!("{}/_emulator/settings", t.base))
        .send()
        .await
        .expect("get");
    assert_eq!(
        settings.json::<Value>().await.expect("json")["bapPageSize"],
        5
    );
    let (mut next, mut ids) = (Some(url), HashSet::new());
    while let Some(u) = next {
        let r = t.get(&u, &token).await;
        assert!(r.body["value"].as_array().expect("value").len() <= 5);
        for e in r.body["value"].as_array().expect("value") {
            assert!(ids.insert(e["name"].to_string()));
        }
        next = r.body["nextLink"].as_str().map(str::to_string);
    }
    assert_eq!(ids.len(), 13);
}

#[tokio::test]
async fn bap_refuses_non_admins_bad_tokens_and_versions() {
    let t = start_with(group_ppa).await;
    let url = |v: &str| {
        format!(
            "{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments{v}",
            t.ep.bap
        )
    };
    let nestor = t.token_for("nestor", BAP_SCOPE).await;
    let r = t.get(&url("?api-version=2020-10-01"), &nestor).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(keys(&r.body), ["error"]);
    assert_eq!(keys(&r.body["error"]), sorted(&["code", "message"]));
    // A group-held admin role is fine for BAP.
    let grady = t.token_for("grady", BAP_SCOPE).await;
    assert_eq!(
        t.get(&url("?api-version=2020-10-01"), &grady).await.status,
        StatusCode::OK
    );
    let gloria = t.token_for("gloria", BAP_SCOPE).await;
    let r = t.get(&url(""), &gloria).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("MissingApiVersionParameter"))
    );
    let r = t.get(&url("?api-version=1999-01-01"), &gloria).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("InvalidApiVersionParameter"))
    );
    let pp = t.token_for("gloria", PP_SCOPE).await;
    let r = t.get(&url("?api-version=2020-10-01"), &pp).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.get(&format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{}?api-version=2020-10-01", t.ep.bap, uuid::Uuid::new_v4()), &gloria).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
