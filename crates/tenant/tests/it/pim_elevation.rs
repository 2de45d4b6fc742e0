//! End to end with real PIM activations (Graph `roleAssignmentScheduleRequests`): elevate on an
//! activated role, and lose System Administrator when the activation expires or is deactivated.

use crate::common::*;
use crate::platform::*;
use elevate_tenant::roles::POWER_PLATFORM_ADMINISTRATOR as PPA;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ADELE_ID: &str = "bc57dae3-621a-4276-9fd4-c9be4a29ef43";
const ADELE: &str = "adele@contoso.onmicrosoft.com";

async fn pim(t: &Tenant, action: &str, extra: Value) -> (StatusCode, Value) {
    let token = t
        .token_for("adele", "https://graph.microsoft.com/.default")
        .await;
    let mut body = json!({"action": action, "principalId": ADELE_ID, "roleDefinitionId": PPA, "directoryScopeId": "/"});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let url = format!(
        "{}/v1.0/roleManagement/directory/roleAssignmentScheduleRequests",
        t.ep.graph
    );
    let r = t
        .call(Method::POST, &url, Some(&token), &[], Some(body))
        .await;
    (r.status, r.body)
}

async fn activate(t: &Tenant) {
    let (status, body) = pim(
        t,
        "selfActivate",
        json!({
            "justification": "Quarterly environment cleanup",
            "ticketInfo": {"ticketNumber": "CHG-1042", "ticketSystem": "ServiceNow"},
            "scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT1H"}},
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn start_instant() -> Tenant {
    start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        s.settings.wids_propagation_seconds = 0;
    })
    .await
}

#[tokio::test]
async fn an_expired_activation_takes_system_administrator_away() {
    let t = start_instant().await;
    let hr = env("HR Sandbox");
    assert_eq!(
        t.apply("adele", &hr).await.body["message"],
        NOT_ADMIN,
        "eligible is not enough"
    );
    activate(&t).await;
    let r = t.apply("adele", &hr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let entry = t
        .audit()
        .await
        .into_iter()
        .rfind(|e| e["result"] == "Succeeded")
        .expect("audited");
    assert_eq!(entry["role"]["assignmentType"], "Activated");
    assert!(
        entry["role"]["end"].is_string(),
        "the activation's end is recorded"
    );
    assert!(t.is_sysadmin(&hr, ADELE).await);

    let (status, _) = t
        .admin_post("clock/advance", json!({"seconds": 3601}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = t.token_for("gloria", PP_SCOPE).await;
    assert_eq!(
        t.get(
            &format!(
                "{}/environmentmanagement/environments?api-version=2024-10-01",
                t.ep.powerplatform
            ),
            &token
        )
        .await
        .status,
        StatusCode::OK
    );
    assert!(!t.is_sysadmin(&hr, ADELE).await);
    let removed = t
        .audit()
        .await
        .into_iter()
        .find(|e| e["action"] == "systemAdministratorRemoved")
        .expect("removal audited");
    assert!(
        removed["detail"]
            .as_str()
            .unwrap_or("")
            .contains("activation ended"),
        "{removed}"
    );
    assert_eq!(
        t.apply("adele", &hr).await.status,
        StatusCode::FORBIDDEN,
        "no active role any more"
    );
}

#[tokio::test]
async fn deactivating_takes_system_administrator_away() {
    let t = start_instant().await;
    let trial = env("Marketing Trial");
    activate(&t).await;
    assert_eq!(t.apply("adele", &trial).await.status, StatusCode::OK);
    // PIM refuses to deactivate within the first five minutes (ActiveDurationTooShort).
    t.admin_post("clock/advance", json!({"seconds": 301})).await;
    assert!(
        t.is_sysadmin(&trial, ADELE).await,
        "still active after five minutes"
    );
    let (status, body) = pim(&t, "selfDeactivate", json!({})).await;
    assert!(status.is_success(), "{body}");
    assert!(!t.is_sysadmin(&trial, ADELE).await);
}
