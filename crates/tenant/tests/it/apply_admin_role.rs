//! The self-elevation rules users trip over (DESIGN.md), each over HTTP, and the audit trail.

use crate::common::*;
use crate::platform::*;
use elevate_tenant::roles::{
    DYNAMICS_365_ADMINISTRATOR as D365, GLOBAL_ADMINISTRATOR as GA,
    POWER_PLATFORM_ADMINISTRATOR as PPA,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

const ADELE: &str = "adele@contoso.onmicrosoft.com";
const DIEGO: &str = "diego@contoso.onmicrosoft.com";

#[tokio::test]
async fn a_direct_power_platform_admin_elevates_and_a_group_held_one_does_not() {
    let t = start_with(|s| {
        direct(s, "adele", &[PPA]);
        group_ppa(s);
    })
    .await;
    let sales = env("Sales Production");
    let r = t.apply("adele", &sales).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(t.is_sysadmin(&sales, ADELE).await);

    let r = t.apply("grady", &sales).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(keys(&r.body), sorted(&["code", "message", "innererror"]));
    assert_eq!(r.body["code"], "Forbidden");
    assert_eq!(r.body["message"], NOT_ADMIN);
    assert_eq!(keys(&r.body["innererror"]), sorted(&["code", "message"]));
    assert!(r.body["innererror"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("group"));
    assert!(!t.is_sysadmin(&sales, "grady@contoso.onmicrosoft.com").await);
}

#[tokio::test]
async fn non_admins_get_the_documented_refusal_and_the_status_is_a_switch() {
    let t = start().await;
    let hr = env("HR Sandbox");
    let r = t.apply("nestor", &hr).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["message"], NOT_ADMIN);
    // adele is only eligible (PIM), nothing active: refused the same way.
    assert_eq!(t.apply("adele", &hr).await.body["message"], NOT_ADMIN);
    let patched = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"applyAdminRoleDeniedStatus": 400}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), StatusCode::OK);
    let r = t.apply("nestor", &hr).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some(NOT_ADMIN))
    );
    assert!(t
        .sysadmins(&hr)
        .await
        .iter()
        .all(|u| u["domainname"] != "nestor@contoso.onmicrosoft.com"));
}

#[tokio::test]
async fn a_dynamics_admin_needs_the_security_group_but_a_global_admin_does_not() {
    let t = start_with(|s| direct(s, "diego", &[D365])).await;
    let (sales, finance) = (env("Sales Production"), env("Finance Production"));
    let r = t.apply("diego", &sales).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("security group"),
        "{}",
        r.body
    );
    assert!(!t.is_sysadmin(&sales, DIEGO).await);
    let r = t.apply("diego", &finance).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(t.is_sysadmin(&finance, DIEGO).await);
    // Gloria (Global Administrator) is not in Sales Production's group: exempt.
    let r = t.apply("gloria", &sales).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        t.is_sysadmin(&sales, "gloria@contoso.onmicrosoft.com")
            .await
    );
}

#[tokio::test]
async fn already_system_administrator_is_still_success_with_one_assignment() {
    let t = start().await;
    let default = env("Contoso (default)");
    for _ in 0..2 {
        let r = t.apply("gloria", &default).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["information"][0]["Code"], "UserExists");
    }
    let dv = t.dv_token("gloria", "contoso").await;
    let oid = "1571c956-13b7-4cf0-a2e0-68043b979519";
    let url = format!(
        "{}/systemusers?$filter=azureactivedirectoryobjectid eq {oid}&$expand=systemuserroles_association($select=roleid,name,_roletemplateid_value)",
        t.org_api("contoso")
    );
    let r = t.get(&url, &dv).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let users = r.body["value"].as_array().expect("value");
    assert_eq!(users.len(), 1);
    let roles = users[0]["systemuserroles_association"]
        .as_array()
        .expect("expanded");
    assert_eq!(
        roles
            .iter()
            .filter(|r| r["_roletemplateid_value"] == SYSADMIN_TEMPLATE)
            .count(),
        1
    );
    // A second elevation of someone new also leaves exactly one assignment.
    let hr = env("HR Sandbox");
    t.apply("gloria", &hr).await;
    t.apply("gloria", &hr).await;
    let count = t
        .sysadmins(&hr)
        .await
        .iter()
        .filter(|u| u["domainname"] == "gloria@contoso.onmicrosoft.com")
        .count();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn environment_state_refusals() {
    let t = start().await;
    let cases = [
        (
            env("Retired CRM"),
            StatusCode::BAD_REQUEST,
            "EnvironmentDisabled",
        ),
        (
            env("Archive 2019"),
            StatusCode::NOT_FOUND,
            "EnvironmentNotFound",
        ),
        (
            env("Intranet (no Dataverse)"),
            StatusCode::BAD_REQUEST,
            "NoDataverse",
        ),
        (
            uuid::Uuid::new_v4().to_string(),
            StatusCode::NOT_FOUND,
            "EnvironmentNotFound",
        ),
        (
            "not-a-guid".to_string(),
            StatusCode::BAD_REQUEST,
            "InvalidEnvironmentId",
        ),
        (
            "Default-nope".to_string(),
            StatusCode::BAD_REQUEST,
            "InvalidEnvironmentId",
        ),
    ];
    for (id, status, code) in cases {
        let r = t.apply("gloria", &id).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (status, Some(code)),
            "{id}: {}",
            r.body
        );
        assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(r.headers.contains_key("x-ms-correlation-id"));
    }
    assert!(
        !t.is_sysadmin(&env("Retired CRM"), "gloria@contoso.onmicrosoft.com")
            .await
    );
}

#[tokio::test]
async fn teams_environments_need_the_connected_group() {
    let t = start_with(|s| {
        direct(s, "adele", &[PPA]);
        direct(s, "grady", &[GA]);
    })
    .await;
    let teams = env("Contoso Teams Hub");
    let r = t.apply("grady", &teams).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body["message"]
        .as_str()
        .unwrap_or("")
        .contains("Microsoft 365 group"));
    let r = t.apply("adele", &teams).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(t.is_sysadmin(&teams, ADELE).await);
}

#[tokio::test]
async fn every_attempt_is_audited_with_the_role_relied_on() {
    let t = start_with(|s| direct(s, "adele", &[PPA])).await;
    let hr = env("HR Sandbox");
    let token = t.token_for("adele", PP_SCOPE).await;
    let url = format!(
        "{}/usermanagement/environments/{hr}/user/applyAdminRole?api-version=2022-03-01-preview",
        t.ep.powerplatform
    );
    let r = t
        .call(
            Method::POST,
            &url,
            Some(&token),
            &[("client-request-id", "audit-1")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    t.apply("nestor", &hr).await;
    let audit = t.audit().await;
    assert_eq!(audit.len(), 2, "{audit:?}");
    let ok = &audit[0];
    assert_eq!(ok["action"], "applyAdminRole");
    assert_eq!(ok["result"], "Succeeded");
    assert_eq!(ok["userPrincipalName"], ADELE);
    assert_eq!(ok["environmentId"], hr.as_str());
    assert_eq!(ok["environmentName"], "HR Sandbox");
    assert_eq!(ok["correlationId"], "audit-1");
    assert_eq!(ok["role"]["roleTemplateId"], PPA);
    assert_eq!(ok["role"]["memberType"], "Direct");
    assert!(ok["role"]["end"].is_null(), "a permanent role has no end");
    assert!(ok["time"].is_string());
    let denied = &audit[1];
    assert_eq!(
        (denied["result"].as_str(), denied["status"].as_u64()),
        (Some("Denied"), Some(403))
    );
    assert!(denied["role"].is_null());
    // A reset empties it.
    t.admin_post("reset", json!({})).await;
    assert!(t.audit().await.is_empty());
    assert!(
        !t.is_sysadmin(&hr, ADELE).await,
        "reset restores the scenario's Dataverse data"
    );
}
