//! The documented PIM examples of contract §2.2 (eligibilities), §2.3 (active assignments) and
//! §2.4 (an activation request) produced field for field. §2.6 is in `pim_directory.rs`.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn find<'a>(list: &'a Value, role: &str) -> &'a Value {
    list["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|i| i["roleDefinitionId"] == role)
        .expect("role listed")
}

#[tokio::test]
async fn eligibility_instances_match_section_2_2() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let (status, body) = get(
        &t,
        &adele,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}?$expand=roleDefinition"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#Collection(unifiedRoleEligibilityScheduleInstance)");
    assert_eq!(body["value"].as_array().expect("value").len(), 2);
    let ppa = find(&body, PPA);
    assert_eq!(
        keys(ppa),
        sorted(&[
            "@odata.type",
            "id",
            "principalId",
            "roleDefinitionId",
            "directoryScopeId",
            "appScopeId",
            "startDateTime",
            "endDateTime",
            "memberType",
            "roleEligibilityScheduleId",
            "roleDefinition"
        ])
    );
    assert_eq!(
        ppa["@odata.type"],
        "#microsoft.graph.unifiedRoleEligibilityScheduleInstance"
    );
    assert_eq!(ppa["principalId"], id_of("adele"));
    assert_eq!(ppa["directoryScopeId"], "/");
    assert_eq!(ppa["appScopeId"], Value::Null);
    assert_eq!(ppa["startDateTime"], "2025-01-06T09:00:00Z");
    assert_eq!(ppa["endDateTime"], Value::Null);
    assert_eq!(ppa["memberType"], "Direct");
    assert!(ppa["id"].as_str().expect("id").ends_with("-1-e"));
    assert!(uuid::Uuid::parse_str(
        ppa["roleEligibilityScheduleId"]
            .as_str()
            .expect("schedule id")
    )
    .is_ok());
    let def = &ppa["roleDefinition"];
    assert_eq!(keys(def), sorted(&DEFINITION_KEYS));
    assert_eq!(def["id"], PPA);
    assert_eq!(def["templateId"], PPA);
    assert_eq!(def["displayName"], "Power Platform Administrator");
    assert_eq!(def["description"], "Can create and manage all aspects of Microsoft Dynamics 365, Power Apps and Power Automate.");
    assert_eq!(
        (def["isBuiltIn"].clone(), def["isEnabled"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(def["version"], "1");
    assert_eq!(def["resourceScopes"], json!(["/"]));
    assert!(def["rolePermissions"][0]["allowedResourceActions"].is_array());
    assert_eq!(find(&body, EXCHANGE)["endDateTime"], "2030-12-31T00:00:00Z");

    // Without $expand there is no roleDefinition; $filter and $select work on the same items.
    let (_, plain) = get(
        &t,
        &adele,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert!(find(&plain, PPA).get("roleDefinition").is_none());
    let (_, one) = get(
        &t,
        &adele,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}?$filter=roleDefinitionId eq '{EXCHANGE}'&$select=id,roleDefinitionId"),
    )
    .await;
    assert_eq!(one["value"].as_array().expect("value").len(), 1);
    assert_eq!(
        keys(&one["value"][0]),
        sorted(&["@odata.type", "id", "roleDefinitionId"])
    );

    // Grady is eligible only through his role-assignable group.
    let grady = token(&t, "grady").await;
    let (_, body) = get(
        &t,
        &grady,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    let via_group = find(&body, PPA);
    assert_eq!(via_group["memberType"], "Group");
    assert_eq!(via_group["principalId"], PP_GROUP);
    let nestor = token(&t, "nestor").await;
    let (_, body) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(body["value"], json!([]));
}

#[tokio::test]
async fn eligibility_schedules_and_function_and_scope_errors() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let (status, body) = get(
        &t,
        &adele,
        &format!("{DIR}/roleEligibilitySchedules/{MINE}?$expand=roleDefinition"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#Collection(unifiedRoleEligibilitySchedule)"
    );
    let exchange = find(&body, EXCHANGE);
    assert_eq!(
        exchange["@odata.type"],
        "#microsoft.graph.unifiedRoleEligibilitySchedule"
    );
    assert_eq!(exchange["status"], "Provisioned");
    assert_eq!(
        exchange["scheduleInfo"]["expiration"],
        json!({"type": "afterDateTime", "endDateTime": "2030-12-31T00:00:00Z", "duration": null})
    );
    assert_eq!(
        exchange["roleDefinition"]["displayName"],
        "Exchange Administrator"
    );
    assert_eq!(
        find(&body, PPA)["scheduleInfo"]["expiration"]["type"],
        "noExpiration"
    );

    for path in [
        "roleEligibilityScheduleInstances",
        "roleEligibilitySchedules",
        "roleAssignmentScheduleInstances",
        "roleAssignmentScheduleRequests",
    ] {
        let (status, body) = get(
            &t,
            &adele,
            &format!("{DIR}/{path}/filterByCurrentUser(on='unknownFutureValue')"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(error_code(&body), "BadRequest");
        assert!(body["error"]["innerError"]["request-id"].is_string());
        let (status, _) = get(&t, &adele, &format!("{DIR}/{path}/filterByCurrentUser()")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
    }
    // A token without a PIM permission is refused in Graph's envelope.
    let (_, minted) = t
        .admin_post("token", json!({"user": "adele", "scope": "User.Read"}))
        .await;
    let user_read = minted["access_token"].as_str().expect("token");
    for path in [
        format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
        format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
        "v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'".to_string(),
    ] {
        let (status, body) = get(&t, user_read, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_code(&body), "Authorization_RequestDenied");
    }
    let (status, body) = post(
        &t,
        user_read,
        &format!("{DIR}/roleAssignmentScheduleRequests"),
        &activation("adele", PPA, json!({})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
    let (status, body) = get(
        &t,
        "garbage",
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken")
    );
}

#[tokio::test]
async fn eligibility_windows_follow_the_clock() {
    let now = chrono::Utc::now();
    let t = start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        for (role, start, end) in [
            (
                SECURITY_READER,
                now - chrono::Duration::days(30),
                Some(now - chrono::Duration::days(1)),
            ),
            (EXCHANGE, now + chrono::Duration::days(1), None),
            (
                PPA,
                now - chrono::Duration::days(1),
                Some(now + chrono::Duration::hours(1)),
            ),
        ] {
            s.pim
                .eligibilities
                .push(elevate_tenant::scenario::Eligibility {
                    id: None,
                    principal: "nestor".into(),
                    role_definition_id: role.into(),
                    start_date_time: Some(start),
                    end_date_time: end,
                    directory_scope_id: None,
                });
        }
    })
    .await;
    let nestor = token(&t, "nestor").await;
    let roles = |body: &Value| -> Vec<String> {
        body["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|i| i["roleDefinitionId"].as_str().expect("role").to_string())
            .collect()
    };
    let (_, instances) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(
        roles(&instances),
        vec![PPA.to_string()],
        "only the current one can be activated"
    );
    let (_, schedules) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilitySchedules/{MINE}"),
    )
    .await;
    assert_eq!(
        roles(&schedules),
        vec![EXCHANGE.to_string(), PPA.to_string()],
        "schedules include future ones"
    );
    let (status, body) = request(&t, &nestor, &activation("nestor", EXCHANGE, json!({}))).await;
    assert_eq!(
        (status, error_message(&body)),
        (
            StatusCode::BAD_REQUEST,
            r#"The following policy rules failed: ["EligibilityRule"]"#
        )
    );
    advance(&t, 2 * 3600).await;
    let nestor = token(&t, "nestor").await;
    let (_, instances) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(
        roles(&instances),
        Vec::<String>::new(),
        "PPA eligibility ended, Exchange not yet begun"
    );
    advance(&t, 86_400).await;
    let nestor = token(&t, "nestor").await;
    let (_, instances) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(roles(&instances), vec![EXCHANGE.to_string()]);
    let (status, body) = request(&t, &nestor, &activation("nestor", EXCHANGE, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn assignment_instances_match_section_2_3() {
    let t = start_pim().await;
    let gloria = token(&t, "gloria").await;
    let (status, body) = get(
        &t,
        &gloria,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#Collection(unifiedRoleAssignmentScheduleInstance)");
    let ga = find(&body, GA);
    let documented = [
        "@odata.type",
        "id",
        "principalId",
        "roleDefinitionId",
        "directoryScopeId",
        "appScopeId",
        "startDateTime",
        "endDateTime",
        "assignmentType",
        "memberType",
        "roleAssignmentOriginId",
        "roleAssignmentScheduleId",
    ];
    assert_eq!(keys(ga), sorted(&documented));
    assert_eq!(
        ga["@odata.type"],
        "#microsoft.graph.unifiedRoleAssignmentScheduleInstance"
    );
    assert_eq!(ga["principalId"], id_of("gloria"));
    assert_eq!(
        (ga["startDateTime"].clone(), ga["endDateTime"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(
        (ga["assignmentType"].as_str(), ga["memberType"].as_str()),
        (Some("Assigned"), Some("Direct"))
    );
    assert_eq!(ga["directoryScopeId"], "/");
    assert_eq!(ga["appScopeId"], Value::Null);
    let id = ga["id"].as_str().expect("id");
    // The documented id is the role's and principal's GUID bytes, base64url, plus "-1".
    assert!(
        id.starts_with("lAPpYvVpN0KRkAEhdxReE") && id.ends_with("-1"),
        "{id}"
    );
    assert_eq!(ga["roleAssignmentOriginId"], id);
    assert_eq!(ga["roleAssignmentScheduleId"], id);

    // An activation shows as Activated with both ends.
    let adele = token(&t, "adele").await;
    let (status, created) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, body) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}?$expand=roleDefinition"),
    )
    .await;
    let act = find(&body, PPA);
    assert_eq!(keys(act).len(), documented.len() + 1);
    assert_eq!(
        (act["assignmentType"].as_str(), act["memberType"].as_str()),
        (Some("Activated"), Some("Direct"))
    );
    assert_eq!(act["roleAssignmentScheduleId"], created["targetScheduleId"]);
    let start = chrono::DateTime::parse_from_rfc3339(act["startDateTime"].as_str().expect("start"))
        .expect("rfc3339");
    let end = chrono::DateTime::parse_from_rfc3339(act["endDateTime"].as_str().expect("end"))
        .expect("rfc3339");
    assert_eq!(end - start, chrono::Duration::hours(1));
    assert_eq!(
        act["roleDefinition"]["displayName"],
        "Power Platform Administrator"
    );
}

#[tokio::test]
async fn activation_response_matches_section_2_4() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let start = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%dT00:00:00.000Z")
        .to_string();
    let body = json!({
        "action": "selfActivate",
        "principalId": id_of("adele"),
        "roleDefinitionId": PPA,
        "directoryScopeId": "/",
        "justification": "I need access to the Power Platform Administrator role to clean up environments",
        "scheduleInfo": {"startDateTime": start, "expiration": {"type": "AfterDuration", "duration": "PT5H"}},
        "ticketInfo": {"ticketNumber": "CONTOSO:Normal-67890", "ticketSystem": "MS Project"},
    });
    let (status, r) = request(&t, &adele, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(
        keys(&r),
        sorted(&[
            "@odata.context",
            "id",
            "status",
            "createdDateTime",
            "completedDateTime",
            "approvalId",
            "customData",
            "action",
            "principalId",
            "roleDefinitionId",
            "directoryScopeId",
            "appScopeId",
            "isValidationOnly",
            "targetScheduleId",
            "justification",
            "createdBy",
            "scheduleInfo",
            "ticketInfo"
        ])
    );
    assert_eq!(
        r["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignmentScheduleRequests/$entity"
    );
    assert_eq!(r["status"], "Granted");
    let echoed_start = start.replace(".000Z", "Z");
    assert_eq!(r["completedDateTime"], echoed_start.as_str());
    assert!(
        chrono::DateTime::parse_from_rfc3339(r["createdDateTime"].as_str().expect("created"))
            .is_ok()
    );
    for k in ["approvalId", "customData", "appScopeId"] {
        assert_eq!(r[k], Value::Null, "{k}");
    }
    assert_eq!(r["action"], "selfActivate");
    assert_eq!(r["principalId"], id_of("adele"));
    assert_eq!(r["roleDefinitionId"], PPA);
    assert_eq!(r["directoryScopeId"], "/");
    assert_eq!(r["isValidationOnly"], false);
    assert_eq!(r["targetScheduleId"], r["id"]);
    assert_eq!(r["justification"], body["justification"]);
    assert_eq!(
        r["createdBy"],
        json!({"application": null, "device": null, "user": {"displayName": null, "id": id_of("adele")}})
    );
    assert_eq!(
        r["scheduleInfo"],
        json!({"startDateTime": echoed_start, "recurrence": null, "expiration": {"type": "afterDuration", "endDateTime": null, "duration": "PT5H"}})
    );
    assert_eq!(
        r["ticketInfo"],
        json!({"ticketNumber": "CONTOSO:Normal-67890", "ticketSystem": "MS Project"})
    );

    // GET by id and the caller's history return the same entity; the tutorial's casing echoes.
    let id = r["id"].as_str().expect("id");
    let (status, one) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleRequests/{id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(keys(&one), keys(&r));
    assert_eq!(
        one["status"], "Granted",
        "a future start is still only granted"
    );
    let (_, mine) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleRequests/{MINE}"),
    )
    .await;
    assert_eq!(mine["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#Collection(unifiedRoleAssignmentScheduleRequest)");
    assert_eq!(
        mine["value"][0]["@odata.type"],
        "#microsoft.graph.unifiedRoleAssignmentScheduleRequest"
    );
    assert_eq!(mine["value"][0]["id"], id);
    let (status, r) = request(
        &t,
        &adele,
        &activation("adele", EXCHANGE, json!({"action": "SelfActivate"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    assert_eq!(r["action"], "SelfActivate");
    let (status, body) = get(
        &t,
        &adele,
        &format!("{DIR}/roleAssignmentScheduleRequests/6f1b1b1b-0000-4000-8000-000000000000"),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
    let diego = token(&t, "diego").await;
    let (status, _) = get(
        &t,
        &diego,
        &format!("{DIR}/roleAssignmentScheduleRequests/{id}"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "someone else's request");
}
