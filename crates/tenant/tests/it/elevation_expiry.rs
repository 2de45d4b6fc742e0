//! When the tenant role that backed a self-elevation ends, System Administrator goes too — found
//! lazily on the next Power Platform or Dataverse read, and audited. A standing System
//! Administrator assignment is never taken away.

use crate::common::*;
use crate::platform::*;
use elevate_tenant::roles::POWER_PLATFORM_ADMINISTRATOR as PPA;
use reqwest::StatusCode;
use serde_json::json;

const ADELE: &str = "adele@contoso.onmicrosoft.com";
const GLORIA: &str = "gloria@contoso.onmicrosoft.com";

/// Who holds the root BU's System Administrator copy, read through Dataverse as `reader`.
async fn root_sysadmins(t: &Tenant, domain: &str, reader: &str) -> Vec<String> {
    let dv = t.dv_token(reader, domain).await;
    let api = t.org_api(domain);
    let root = t
        .get(
            &format!(
                "{api}/businessunits?$select=businessunitid&$filter=parentbusinessunitid eq null"
            ),
            &dv,
        )
        .await;
    let bu = root.body["value"][0]["businessunitid"]
        .as_str()
        .expect("root")
        .to_string();
    let role = t.get(&format!("{api}/roles?$select=roleid&$filter=_roletemplateid_value eq '{SYSADMIN_TEMPLATE}' and _businessunitid_value eq '{bu}'"), &dv).await;
    let role = role.body["value"][0]["roleid"]
        .as_str()
        .expect("role")
        .to_string();
    let members = t
        .get(
            &format!("{api}/roles({role})/systemuserroles_association?$select=domainname"),
            &dv,
        )
        .await;
    assert_eq!(members.status, StatusCode::OK, "{}", members.body);
    members.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|m| m["domainname"].as_str().map(str::to_lowercase))
        .collect()
}

#[tokio::test]
async fn removing_the_backing_role_removes_system_administrator_on_the_next_read() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    let (fs, default) = (env("Field Service UAT"), env("Contoso (default)"));
    assert_eq!(t.apply("adele", &fs).await.status, StatusCode::OK);
    assert_eq!(t.apply("gloria", &fs).await.status, StatusCode::OK);
    assert_eq!(
        t.apply("gloria", &default).await.status,
        StatusCode::OK,
        "gloria already was System Administrator there"
    );
    let before = root_sysadmins(&t, "contosofs-uat", "gloria").await;
    assert!(
        before.contains(&ADELE.to_string()) && before.contains(&GLORIA.to_string()),
        "{before:?}"
    );

    // Adele loses Power Platform Administrator (as when a PIM activation ends).
    let (status, body) = t
        .admin_post("directory-roles", json!({"user": "adele", "roles": []}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = root_sysadmins(&t, "contosofs-uat", "gloria").await;
    assert!(!after.contains(&ADELE.to_string()), "{after:?}");
    assert!(after.contains(&GLORIA.to_string()));
    let removal: Vec<_> = t
        .audit()
        .await
        .into_iter()
        .filter(|e| e["action"] == "systemAdministratorRemoved")
        .collect();
    assert_eq!(removal.len(), 1, "{removal:?}");
    assert_eq!(removal[0]["userPrincipalName"], ADELE);
    assert_eq!(removal[0]["environmentId"], fs.as_str());
    assert_eq!(removal[0]["role"]["roleTemplateId"], PPA);

    // Gloria loses Global Administrator: the elevated assignment goes, the standing one stays.
    t.admin_post("directory-roles", json!({"user": "gloria", "roles": []}))
        .await;
    let token = t.token_for("gloria", PP_SCOPE).await;
    let list = t
        .get(
            &format!(
                "{}/environmentmanagement/environments?api-version=2024-10-01",
                t.ep.powerplatform
            ),
            &token,
        )
        .await;
    assert_eq!(
        list.status,
        StatusCode::OK,
        "the read that notices the expiry"
    );
    assert!(!t.is_sysadmin(&fs, GLORIA).await);
    assert!(
        t.is_sysadmin(&default, GLORIA).await,
        "a standing System Administrator stays one"
    );
    let removals = t
        .audit()
        .await
        .into_iter()
        .filter(|e| e["action"] == "systemAdministratorRemoved")
        .count();
    assert_eq!(removals, 2);

    // Getting the role back does not bring System Administrator back: elevate again.
    t.admin_post("directory-roles", json!({"user": "adele", "roles": [PPA]}))
        .await;
    assert!(!t.is_sysadmin(&fs, ADELE).await);
    assert_eq!(t.apply("adele", &fs).await.status, StatusCode::OK);
    assert!(t.is_sysadmin(&fs, ADELE).await);
}

#[tokio::test]
async fn a_role_unlinked_and_relinked_through_dataverse_is_no_longer_the_elevations() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    let hr = env("HR Sandbox");
    assert_eq!(t.apply("adele", &hr).await.status, StatusCode::OK);
    assert_eq!(t.apply("gloria", &hr).await.status, StatusCode::OK);
    let admins = t.sysadmins(&hr).await;
    let adele = admins
        .iter()
        .find(|u| u["domainname"] == ADELE)
        .expect("adele");
    let sid = adele["systemuserid"].as_str().expect("id");
    let dv = t.dv_token("gloria", "contosohr-sbx").await;
    let api = t.org_api("contosohr-sbx");
    let roles = t
        .get(
            &format!("{api}/systemusers({sid})/systemuserroles_association?$select=roleid"),
            &dv,
        )
        .await;
    let role = roles.body["value"][0]["roleid"]
        .as_str()
        .expect("role")
        .to_string();
    let r = t
        .call(
            reqwest::Method::DELETE,
            &format!("{api}/systemusers({sid})/systemuserroles_association({role})/$ref"),
            Some(&dv),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // Gloria grants it back through Dataverse: now a standing assignment, not the elevation's.
    let body = json!({"@odata.id": format!("{api}/roles({role})")});
    let r = t
        .call(
            reqwest::Method::POST,
            &format!("{api}/systemusers({sid})/systemuserroles_association/$ref"),
            Some(&dv),
            &[],
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    t.admin_post("directory-roles", json!({"user": "adele", "roles": []}))
        .await;
    assert!(
        t.is_sysadmin(&hr, ADELE).await,
        "the assignment no longer belongs to the elevation"
    );
    assert_eq!(
        t.audit()
            .await
            .iter()
            .filter(|e| e["action"] == "systemAdministratorRemoved")
            .count(),
        0
    );
}

#[tokio::test]
async fn directory_roles_endpoint_refuses_garbage_and_changes_nothing() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    for body in [
        json!({"user": "adele", "roles": ["not-a-guid"]}),
        json!({"user": "nobody", "roles": []}),
        json!({"user": "adele"}),
        json!([1, 2]),
    ] {
        let (status, _) = t.admin_post("directory-roles", body.clone()).await;
        assert!(status.is_client_error(), "{body}");
    }
    let (_, users) = t.get_json(&format!("{}/_emulator/users", t.base)).await;
    let adele = users["value"]
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["mailNickname"] == "adele")
        .cloned()
        .expect("adele");
    assert_eq!(adele["directoryRoles"], json!([PPA]));
}
