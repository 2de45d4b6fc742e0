//! Request lifecycles by the emulator clock (contract §2.4): provisioning, approval through
//! the admin API, denial, cancel, extension, expiry, `wids` propagation, group eligibility.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn status_of(t: &Tenant, tok: &str, id: &str) -> String {
    let (status, body) = get(
        t,
        tok,
        &format!("{DIR}/roleAssignmentScheduleRequests/{id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["status"].as_str().expect("status").to_string()
}

async fn cancel(t: &Tenant, tok: &str, id: &str) -> (StatusCode, Value) {
    let res = t
        .http
        .post(format!(
            "{}/{DIR}/roleAssignmentScheduleRequests/{id}/cancel",
            t.ep.graph
        ))
        .bearer_auth(tok)
        .send()
        .await
        .expect("cancel");
    let status = res.status();
    let text = res.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn ppa_active(list: &[(String, String, String)], member_type: &str) -> bool {
    list.contains(&(
        PPA.to_string(),
        "Activated".to_string(),
        member_type.to_string(),
    ))
}

#[tokio::test]
async fn granted_then_pending_provisioning_then_provisioned() {
    let t = start_with(|s| s.settings.wids_propagation_seconds = 0).await;
    assert_eq!(t.emu.endpoints().graph, t.ep.graph);
    let adele = token(&t, "adele").await;
    let (status, r) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    assert_eq!(
        (status, r["status"].as_str()),
        (StatusCode::CREATED, Some("Granted")),
        "{r}"
    );
    let id = r["id"].as_str().expect("id");
    assert_eq!(status_of(&t, &adele, id).await, "PendingProvisioning");
    assert!(
        held(&t, &adele).await.is_empty(),
        "not held while provisioning (default 5 s)"
    );
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));
    advance(&t, 4).await;
    assert_eq!(status_of(&t, &adele, id).await, "PendingProvisioning");
    advance(&t, 1).await;
    assert_eq!(status_of(&t, &adele, id).await, "Provisioned");
    assert!(ppa_active(&held(&t, &adele).await, "Direct"));
    assert!(wids(&t, "adele").await.contains(&PPA.to_string()));
    let (_, mine) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleRequests/{MINE}?$filter=status eq 'Provisioned'"),
    )
    .await;
    assert_eq!(mine["value"][0]["id"], id);

    // A future start: granted now, held only from the start.
    let exchange_start = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let (status, r) = request(
        &t,
        &adele,
        &activation(
            "adele",
            EXCHANGE,
            json!({"scheduleInfo": {"startDateTime": exchange_start, "expiration": {"type": "AfterDuration", "duration": "PT1H"}}}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let exchange = r["id"].as_str().expect("id");
    assert_eq!(status_of(&t, &adele, exchange).await, "Granted");
    advance(&t, 2 * 3600).await;
    let adele = token(&t, "adele").await;
    assert_eq!(status_of(&t, &adele, exchange).await, "Provisioned");
    assert!(held(&t, &adele).await.iter().any(|h| h.0 == EXCHANGE));
}

#[tokio::test]
async fn approval_pending_approve_active_and_deny() {
    let t = start_pim().await;
    let alex = token(&t, "alex").await;
    let (status, r) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["status"], "PendingApproval");
    assert_eq!(r["approvalId"], r["id"]);
    assert_eq!(r["completedDateTime"], Value::Null);
    let id = r["id"].as_str().expect("id").to_string();
    assert!(held(&t, &alex).await.is_empty());
    let (_, all) = t
        .get_json(&format!("{}/_emulator/pim/requests", t.base))
        .await;
    assert_eq!(all["value"][0]["id"], id.as_str());
    assert_eq!(all["value"][0]["approval"], Value::Null);

    // Only a listed approver, never the requester; unknown ids are 404.
    let (status, body) = t
        .admin_post(
            &format!("pim/requests/{id}/approve"),
            json!({"approver": "adele"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("NotAnApprover"))
    );
    let (status, _) = t
        .admin_post(
            &format!("pim/requests/{id}/approve"),
            json!({"approver": "nobody"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = t
        .admin_post(
            "pim/requests/5b0c0a8e-0000-4000-8000-000000000000/approve",
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&t, &alex, &id).await, "PendingApproval");

    advance(&t, 600).await;
    let (status, approved) = t
        .admin_post(
            &format!("pim/requests/{id}/approve"),
            json!({"approver": "gloria", "justification": "Reviewed CHG-1042"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "Provisioned");
    assert_eq!(approved["approval"]["approverId"], id_of("gloria"));
    assert_eq!(approved["approval"]["justification"], "Reviewed CHG-1042");
    assert!(approved["completedDateTime"].is_string());
    let instances = held(&t, &alex).await;
    assert!(instances.contains(&(
        USER_ADMIN.to_string(),
        "Activated".to_string(),
        "Direct".to_string()
    )));
    // The requested hour runs from the approval, not from the request.
    let (_, body) = get(
        &t,
        &alex,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
    )
    .await;
    let time = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().expect("time")).expect("rfc3339")
    };
    let (start, end) = (
        time(&body["value"][0]["startDateTime"]),
        time(&body["value"][0]["endDateTime"]),
    );
    assert_eq!(end - start, chrono::Duration::minutes(60));
    assert!(start - time(&r["createdDateTime"]) >= chrono::Duration::seconds(600));
    assert!(wids(&t, "alex").await.contains(&USER_ADMIN.to_string()));
    let (status, body) = t
        .admin_post(&format!("pim/requests/{id}/deny"), json!({}))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("RequestNotPending"))
    );

    // Denied: terminal, nothing held.
    let t = start_pim().await;
    let alex = token(&t, "alex").await;
    let (_, r) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    let id = r["id"].as_str().expect("id");
    let res = t
        .http
        .post(format!("{}/_emulator/pim/requests/{id}/deny", t.base))
        .send()
        .await
        .expect("deny without a body");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(status_of(&t, &alex, id).await, "Denied");
    assert!(held(&t, &alex).await.is_empty());
    let (status, _) = t
        .admin_post(&format!("pim/requests/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // A new request is allowed after a denial.
    let (status, _) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn cancel_pending_only() {
    let t = start_with(|s| s.settings.wids_propagation_seconds = 0).await;
    let alex = token(&t, "alex").await;
    let (_, r) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    let pending = r["id"].as_str().expect("id").to_string();
    let diego = token(&t, "diego").await;
    let (status, _) = cancel(&t, &diego, &pending).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not diego's request");
    let (status, body) = cancel(&t, &alex, &pending).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(status_of(&t, &alex, &pending).await, "Canceled");
    let (status, body) = cancel(&t, &alex, &pending).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "BadRequest")
    );
    let (status, _) = t
        .admin_post(&format!("pim/requests/{pending}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A grant still provisioning can be canceled, and never becomes an assignment.
    let adele = token(&t, "adele").await;
    let (_, r) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    let provisioning = r["id"].as_str().expect("id").to_string();
    assert_eq!(
        status_of(&t, &adele, &provisioning).await,
        "PendingProvisioning"
    );
    let (status, _) = cancel(&t, &adele, &provisioning).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    advance(&t, 60).await;
    assert_eq!(status_of(&t, &adele, &provisioning).await, "Canceled");
    assert!(held(&t, &adele).await.is_empty());
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));

    // A provisioned one cannot.
    let (_, r) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    let done = r["id"].as_str().expect("id").to_string();
    advance(&t, 5).await;
    assert_eq!(status_of(&t, &adele, &done).await, "Provisioned");
    let (status, body) = cancel(&t, &adele, &done).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(&body).contains("Provisioned"), "{body}");
    assert!(ppa_active(&held(&t, &adele).await, "Direct"));
    let (status, _) = cancel(&t, &adele, "5b0c0a8e-0000-4000-8000-000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn self_extend_in_the_last_minutes() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let (_, r) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    let schedule = r["targetScheduleId"].clone();
    let extend = activation("adele", PPA, json!({"action": "selfExtend"}));
    let (status, body) = request(&t, &adele, &extend).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "RoleAssignmentExtensionNotAllowed"),
        "{body}"
    );
    advance(&t, 50 * 60).await;
    let (status, body) = request(
        &t,
        &adele,
        &activation(
            "adele",
            PPA,
            json!({"action": "selfExtend", "ticketInfo": null}),
        ),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (
            StatusCode::BAD_REQUEST,
            "RoleAssignmentRequestPolicyValidationFailed"
        ),
        "the policy applies to extensions too"
    );
    let (status, body) = request(&t, &adele, &extend).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "Granted");
    assert_eq!(body["targetScheduleId"], schedule);
    let (_, instances) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
    )
    .await;
    let i = &instances["value"][0];
    let start = chrono::DateTime::parse_from_rfc3339(i["startDateTime"].as_str().expect("start"))
        .expect("rfc3339");
    let end = chrono::DateTime::parse_from_rfc3339(i["endDateTime"].as_str().expect("end"))
        .expect("rfc3339");
    assert_eq!(end - start, chrono::Duration::hours(2));
    advance(&t, 30 * 60).await;
    let adele = token(&t, "adele").await;
    assert!(
        ppa_active(&held(&t, &adele).await, "Direct"),
        "still held past the original end"
    );
    let diego = mfa_token(&t, "diego").await;
    let (status, body) = request(
        &t,
        &diego,
        &activation("diego", D365, json!({"action": "selfExtend"})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "RoleAssignmentDoesNotExist")
    );
}

#[tokio::test]
async fn expiry_removes_the_instance_and_the_wids() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let (_, r) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    let id = r["id"].as_str().expect("id").to_string();
    assert!(wids(&t, "adele").await.contains(&PPA.to_string()));
    advance(&t, 3599).await;
    assert!(ppa_active(
        &held(&t, &token(&t, "adele").await).await,
        "Direct"
    ));
    advance(&t, 1).await;
    let fresh = token(&t, "adele").await;
    assert!(held(&t, &fresh).await.is_empty(), "gone at the end");
    assert_eq!(wids(&t, "adele").await, vec![MEMBER.to_string()]);
    assert_eq!(
        status_of(&t, &fresh, &id).await,
        "Provisioned",
        "the request keeps its status"
    );
    let (status, body) = request(&t, &fresh, &activation("adele", PPA, json!({}))).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "activating again after expiry: {body}"
    );
}

#[tokio::test]
async fn wids_follow_after_the_propagation_delay() {
    let t = start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        s.settings.wids_propagation_seconds = 30;
    })
    .await;
    let adele = token(&t, "adele").await;
    let (status, _) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        ppa_active(&held(&t, &adele).await, "Direct"),
        "Graph shows the assignment at once"
    );
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));
    advance(&t, 29).await;
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));
    advance(&t, 1).await;
    assert!(wids(&t, "adele").await.contains(&PPA.to_string()));
    // A permanent role is always there; a deactivated one leaves new tokens at once.
    assert!(wids(&t, "gloria").await.contains(&GA.to_string()));
    advance(&t, 300).await;
    let (status, _) = request(&t, &adele, &simple("selfDeactivate", "adele", PPA)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));
}

#[tokio::test]
async fn group_eligibility_activates_as_group_member_type() {
    let t = start_pim().await;
    let grady = token(&t, "grady").await;
    let (status, r) = request(&t, &grady, &activation("grady", PPA, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let held_now = held(&t, &grady).await;
    assert!(ppa_active(&held_now, "Group"), "{held_now:?}");
    assert!(!ppa_active(&held_now, "Direct"));
    assert!(wids(&t, "grady").await.contains(&PPA.to_string()));
    let (status, body) = request(&t, &grady, &activation("grady", PPA, json!({}))).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "RoleAssignmentExists")
    );

    // Reset brings PIM back to the scenario's start.
    let (status, _) = t.admin_post("reset", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let grady = token(&t, "grady").await;
    assert!(held(&t, &grady).await.is_empty());
    let (_, all) = t
        .get_json(&format!("{}/_emulator/pim/requests", t.base))
        .await;
    assert_eq!(all["value"], json!([]));
}
