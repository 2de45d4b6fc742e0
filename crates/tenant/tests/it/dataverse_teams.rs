//! Teams holding System Administrator (contract part 2 §7.2): the `teams` set with its
//! `teamroles_association` / `teammembership_association`, the `any()` filter and nested
//! `$select` in `$expand`; an Entra group team lists only who opened the environment, and
//! Graph lists the group's members.

use crate::common::*;
use crate::platform::*;
use reqwest::StatusCode;
use serde_json::json;

const SYSADMIN: &str = "627090ff-40a3-4053-8790-584edc5be201";

#[tokio::test]
async fn teams_holding_system_administrator_are_served_as_documented() {
    let t = start().await;
    let (status, body) = t
        .admin_post(
            "teams",
            json!({"environment": "contoso", "name": "Sales people", "teamType": 2,
                   "group": "Sales Production Users", "members": ["adele"],
                   "roles": ["System Administrator"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = t
        .admin_post(
            "teams",
            json!({"environment": "contoso", "name": "Readers", "members": ["Lee Gu"], "roles": ["Basic User"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = t
        .admin_post(
            "teams",
            json!({"environment": "contoso", "name": "x", "teamType": 2}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a group team needs its group"
    );

    let dv = t.dv_token("gloria", "contoso").await;
    let url = format!(
        "{}/teams?$select=teamid,name,teamtype,membershiptype,azureactivedirectoryobjectid,_businessunitid_value&$filter=teamroles_association/any(r:r/_roletemplateid_value%20eq%20{SYSADMIN})&$expand=teamroles_association($select=roleid,_roletemplateid_value),teammembership_association($select=systemuserid,fullname,azureactivedirectoryobjectid)",
        t.org_api("contoso")
    );
    let r = t.get(&url, &dv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let teams = r.body["value"].as_array().unwrap();
    assert_eq!(teams.len(), 1, "only the team holding System Administrator");
    let team = &teams[0];
    assert_eq!(team["name"], "Sales people");
    assert_eq!(team["teamtype"], 2);
    assert_eq!(
        team["azureactivedirectoryobjectid"],
        "7592d90c-93a3-5834-b25c-d9086eda38fd"
    );
    let members = team["teammembership_association"].as_array().unwrap();
    assert_eq!(members.len(), 1, "only who opened the environment");
    assert_eq!(
        keys(&members[0]),
        sorted(&[
            "@odata.etag",
            "systemuserid",
            "fullname",
            "azureactivedirectoryobjectid"
        ])
    );
    assert_eq!(
        team["teamroles_association"][0]["_roletemplateid_value"],
        SYSADMIN
    );

    // The group itself has everyone.
    let graph = t
        .token_for("gloria", "https://graph.microsoft.com/.default")
        .await;
    let r = t
        .get(
            &format!(
                "{}/graph/v1.0/groups/7592d90c-93a3-5834-b25c-d9086eda38fd/transitiveMembers/microsoft.graph.user?$select=id,displayName,userPrincipalName,userType",
                t.base
            ),
            &graph,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["value"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn older_environment_answers_and_the_zero_guid_are_switches() {
    let t = start().await;
    t.http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"environmentListWithoutGroups": true, "bapZeroSecurityGroup": true}))
        .send()
        .await
        .unwrap();
    let pp = t.token_for("gloria", PP_SCOPE).await;
    let r = t
        .get(
            &format!(
                "{}/powerplatform/environmentmanagement/environments?api-version=2024-10-01",
                t.base
            ),
            &pp,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for row in r.body["value"].as_array().unwrap() {
        assert!(row.get("securityGroupId").is_none() && row.get("connectedGroupId").is_none());
    }
    let bap = t.token_for("gloria", BAP_SCOPE).await;
    let hr = env("HR Sandbox");
    let r = t
        .get(
            &format!("{}/bap/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/{hr}?api-version=2023-06-01", t.base),
            &bap,
        )
        .await;
    assert_eq!(
        r.body["properties"]["linkedEnvironmentMetadata"]["securityGroupId"],
        "00000000-0000-0000-0000-000000000000"
    );
}
