//! Role policies as documented (contract §2.6), role definitions, and the group-membership
//! endpoints clients use to tell direct roles from group-held ones.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const RULE_IDS: [&str; 17] = [
    "Expiration_Admin_Eligibility",
    "Enablement_Admin_Eligibility",
    "Notification_Admin_Admin_Eligibility",
    "Notification_Requestor_Admin_Eligibility",
    "Notification_Approver_Admin_Eligibility",
    "Expiration_Admin_Assignment",
    "Enablement_Admin_Assignment",
    "Notification_Admin_Admin_Assignment",
    "Notification_Requestor_Admin_Assignment",
    "Notification_Approver_Admin_Assignment",
    "Expiration_EndUser_Assignment",
    "Enablement_EndUser_Assignment",
    "Approval_EndUser_Assignment",
    "AuthenticationContext_EndUser_Assignment",
    "Notification_Admin_EndUser_Assignment",
    "Notification_Requestor_EndUser_Assignment",
    "Notification_Approver_EndUser_Assignment",
];

async fn policy(t: &Tenant, tok: &str, role: &str) -> Value {
    let (status, body) = get(t, tok, &format!("v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '{role}'&$expand=policy($expand=rules)")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["value"].as_array().expect("value").len(), 1);
    body
}

fn rule<'a>(assignment: &'a Value, id: &str) -> &'a Value {
    assignment["policy"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == id)
        .expect("rule")
}

#[tokio::test]
async fn policy_assignments_match_section_2_6() {
    let t = start_pim().await;
    let tok = token(&t, "adele").await;
    let body = policy(&t, &tok, GA).await;
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments(policy(rules()))"
    );
    let a = &body["value"][0];
    assert_eq!(
        keys(a),
        sorted(&[
            "id",
            "policyId",
            "scopeId",
            "scopeType",
            "roleDefinitionId",
            "policy"
        ])
    );
    let policy_id = a["policyId"].as_str().expect("policyId");
    assert!(
        policy_id.starts_with(&format!("DirectoryRole_{}_", t.ep.tenant_id)),
        "{policy_id}"
    );
    assert_eq!(a["id"], format!("{policy_id}_{GA}"));
    assert_eq!(
        (
            a["scopeId"].as_str(),
            a["scopeType"].as_str(),
            a["roleDefinitionId"].as_str()
        ),
        (Some("/"), Some("DirectoryRole"), Some(GA))
    );
    let p = &a["policy"];
    assert_eq!(
        keys(p),
        sorted(&[
            "id",
            "displayName",
            "description",
            "isOrganizationDefault",
            "scopeId",
            "scopeType",
            "lastModifiedDateTime",
            "lastModifiedBy",
            "rules"
        ])
    );
    assert_eq!(p["id"], policy_id);
    assert_eq!(
        (p["displayName"].as_str(), p["description"].as_str()),
        (Some("DirectoryRole"), Some("DirectoryRole"))
    );
    assert_eq!(p["isOrganizationDefault"], false);
    assert_eq!(
        p["lastModifiedBy"],
        json!({"displayName": null, "id": null})
    );
    let ids: Vec<&str> = p["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, RULE_IDS);
    // Global Administrator keeps Entra's defaults, which are exactly the documented example.
    let target = json!({"caller": "EndUser", "operations": ["all"], "level": "Assignment", "inheritableSettings": [], "enforcedSettings": []});
    assert_eq!(
        *rule(a, "Expiration_EndUser_Assignment"),
        json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "id": "Expiration_EndUser_Assignment", "isExpirationRequired": true, "maximumDuration": "PT8H", "target": target})
    );
    assert_eq!(
        *rule(a, "Enablement_EndUser_Assignment"),
        json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "id": "Enablement_EndUser_Assignment", "enabledRules": ["MultiFactorAuthentication", "Justification"], "target": target})
    );
    assert_eq!(
        *rule(a, "Approval_EndUser_Assignment"),
        json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule", "id": "Approval_EndUser_Assignment", "target": target,
        "setting": {"isApprovalRequired": false, "isApprovalRequiredForExtension": false, "isRequestorJustificationRequired": true, "approvalMode": "SingleStage",
            "approvalStages": [{"approvalStageTimeOutInDays": 1, "isApproverJustificationRequired": true, "escalationTimeInMinutes": 0, "isEscalationEnabled": false, "primaryApprovers": [], "escalationApprovers": []}]}})
    );
    assert_eq!(
        *rule(a, "AuthenticationContext_EndUser_Assignment"),
        json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule", "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": false, "claimValue": null, "target": target})
    );
    assert_eq!(
        *rule(a, "Notification_Approver_Admin_Eligibility"),
        json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule", "id": "Notification_Approver_Admin_Eligibility", "notificationType": "Email", "recipientType": "Approver", "notificationLevel": "All", "isDefaultRecipientsEnabled": true, "notificationRecipients": [], "target": {"caller": "Admin", "operations": ["all"], "level": "Eligibility", "inheritableSettings": [], "enforcedSettings": []}})
    );
    assert_eq!(
        rule(a, "Expiration_Admin_Assignment")["maximumDuration"],
        "P180D"
    );
    assert_eq!(
        rule(a, "Enablement_Admin_Assignment")["enabledRules"],
        json!(["Justification"])
    );

    // Each demo role carries its own story.
    let ppa = policy(&t, &tok, PPA).await;
    assert_eq!(
        rule(&ppa["value"][0], "Enablement_EndUser_Assignment")["enabledRules"],
        json!(["Justification", "Ticketing"])
    );
    let ua = policy(&t, &tok, USER_ADMIN).await;
    let ua = &ua["value"][0];
    assert_eq!(
        rule(ua, "Expiration_EndUser_Assignment")["maximumDuration"],
        "PT2H"
    );
    assert_eq!(
        rule(ua, "Approval_EndUser_Assignment")["setting"]["isApprovalRequired"],
        true
    );
    assert_eq!(
        rule(ua, "Approval_EndUser_Assignment")["setting"]["approvalStages"][0]["primaryApprovers"],
        json!([{"@odata.type": "#microsoft.graph.singleUser", "userId": id_of("gloria"), "description": "Gloria Mueller"}])
    );
    let sec = policy(&t, &tok, SECURITY_ADMIN).await;
    let auth_context = rule(&sec["value"][0], "AuthenticationContext_EndUser_Assignment");
    assert_eq!(
        (
            auth_context["isEnabled"].clone(),
            auth_context["claimValue"].clone()
        ),
        (json!(true), json!("c1"))
    );
    let d365 = policy(&t, &tok, D365).await;
    assert_eq!(
        rule(&d365["value"][0], "Expiration_EndUser_Assignment")["maximumDuration"],
        "PT4H"
    );

    // Without $expand: bare assignments; scopeType Directory names them so; scope filter required.
    let (_, all) = get(&t, &tok, "v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'Directory'").await;
    assert_eq!(
        all["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#policies/roleManagementPolicyAssignments"
    );
    assert_eq!(all["value"].as_array().expect("value").len(), 8);
    assert!(all["value"][0].get("policy").is_none());
    assert!(all["value"][0]["id"]
        .as_str()
        .expect("id")
        .starts_with("Directory_"));
    for q in [
        "",
        "?$filter=scopeId eq '/'",
        "?$filter=scopeType eq 'DirectoryRole'",
        "?$filter=scopeId eq '/' and",
        "?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'",
    ] {
        let (status, body) = get(
            &t,
            &tok,
            &format!("v1.0/policies/roleManagementPolicyAssignments{q}"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
        assert!(body["error"]["innerError"]["date"].is_string());
    }
}

#[tokio::test]
async fn role_definitions_list_filter_and_get() {
    let t = start_with(|s| {
        if let Some(graph) = s.applications[0]
            .consented_scopes
            .get_mut("https://graph.microsoft.com")
        {
            graph.push("RoleManagement.Read.Directory".into());
        }
    })
    .await;
    let tok = token(&t, "adele").await;
    let (status, body) = get(&t, &tok, &format!("{DIR}/roleDefinitions")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleDefinitions"
    );
    let list = body["value"].as_array().expect("value");
    assert_eq!(list.len(), 8);
    for def in list {
        assert_eq!(keys(def), sorted(&DEFINITION_KEYS));
        assert_eq!(def["id"], def["templateId"]);
    }
    for role in [
        GA,
        PPA,
        D365,
        USER_ADMIN,
        EXCHANGE,
        SECURITY_READER,
        SECURITY_ADMIN,
    ] {
        let (status, body) = get(
            &t,
            &tok,
            &format!("{DIR}/roleDefinitions?$filter=templateId eq '{role}'"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["value"].as_array().expect("value").len(), 1, "{role}");
        let (status, one) = get(&t, &tok, &format!("{DIR}/roleDefinitions/{role}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(one["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleDefinitions/$entity");
        assert_eq!(one["id"], role);
    }
    let (_, named) = get(
        &t,
        &tok,
        &format!("{DIR}/roleDefinitions?$filter=displayName eq 'Security Reader'"),
    )
    .await;
    assert_eq!(named["value"][0]["id"], SECURITY_READER);
    let (status, body) = get(
        &t,
        &tok,
        &format!("{DIR}/roleDefinitions/00000000-0000-0000-0000-000000000000"),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
    let (status, body) = get(
        &t,
        &tok,
        &format!("{DIR}/roleDefinitions?$filter=shoeSize eq '9'"),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, "BadRequest")
    );

    // The demo app has no RoleManagement.Read.Directory consent: Graph says 403.
    let demo = start_pim().await;
    let tok = token(&demo, "adele").await;
    let (status, _) = get(&demo, &tok, &format!("{DIR}/roleDefinitions")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn group_membership_endpoints() {
    let t = start_pim().await;
    let grady = token(&t, "grady").await;
    let (status, body) = get(&t, &grady, "v1.0/me/transitiveMemberOf").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#directoryObjects"
    );
    let g = &body["value"][0];
    assert_eq!(g["@odata.type"], "#microsoft.graph.group");
    assert_eq!(g["id"], PP_GROUP);
    assert_eq!(g["displayName"], "PP Admins (PIM)");
    assert_eq!(g["groupTypes"], json!([]));
    assert_eq!(
        (
            g["securityEnabled"].clone(),
            g["mailEnabled"].clone(),
            g["isAssignableToRole"].clone()
        ),
        (json!(true), json!(false), json!(true))
    );
    let adele = token(&t, "adele").await;
    let (_, body) = get(&t, &adele, "v1.0/me/transitiveMemberOf").await;
    let groups = body["value"].as_array().expect("value");
    assert!(!groups.iter().any(|g| g["id"] == PP_GROUP));
    // Microsoft 365 groups (Teams environments) look different from security groups.
    let unified = groups
        .iter()
        .find(|g| g["groupTypes"] == json!(["Unified"]))
        .expect("adele is in a Microsoft 365 group");
    assert_eq!(
        (
            unified["mailEnabled"].clone(),
            unified["securityEnabled"].clone()
        ),
        (json!(true), json!(false))
    );
    assert!(unified["mail"]
        .as_str()
        .expect("mail")
        .ends_with("@contoso.onmicrosoft.com"));
    assert!(groups
        .iter()
        .any(|g| g["groupTypes"] == json!([]) && g["securityEnabled"] == true));

    let other = "0f5c2f0e-1b1b-4c4c-9d9d-7e7e7e7e7e7e";
    let (status, body) = post(
        &t,
        &grady,
        "v1.0/me/checkMemberGroups",
        &json!({"groupIds": [PP_GROUP, other]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["value"], json!([PP_GROUP]));
    let (_, body) = post(
        &t,
        &adele,
        "v1.0/me/checkMemberGroups",
        &json!({"groupIds": [PP_GROUP]}),
    )
    .await;
    assert_eq!(body["value"], json!([]));
    let many: Vec<String> = (0..21)
        .map(|i| format!("00000000-0000-0000-0000-{i:012}"))
        .collect();
    for bad in [
        json!({"groupIds": ["not-a-guid"]}),
        json!({"groupIds": many}),
        json!({"ids": []}),
        json!([1]),
    ] {
        let (status, body) = post(&t, &grady, "v1.0/me/checkMemberGroups", &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let res = t
        .http
        .post(format!("{}/v1.0/me/checkMemberGroups", t.ep.graph))
        .bearer_auth(&grady)
        .body("groupIds")
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
