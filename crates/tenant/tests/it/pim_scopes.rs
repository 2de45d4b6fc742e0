//! What real tenants have beyond the tenant-wide built-in roles: eligibilities scoped to an
//! administrative unit (activated only at that scope), custom roles (never in `wids`),
//! approvers named only by id, and `directoryObjects/getByIds` to name them.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const SALES_AU: &str = "8a3c1f2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
const HELPDESK_ADMIN: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const CUSTOM_ROLE: &str = "c0ffee00-1234-4abc-8def-0123456789ab";

fn au_scope() -> String {
    format!("/administrativeUnits/{SALES_AU}")
}

/// Nestor: Helpdesk Administrator for the Sales unit only, and a custom role tenant-wide.
async fn start_scoped(change: impl FnOnce(&mut elevate_tenant::Scenario)) -> Tenant {
    start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        s.settings.wids_propagation_seconds = 0;
        s.pim.administrative_units.push(
            serde_json::from_value(json!({"id": SALES_AU, "displayName": "Sales", "description": "Sales department"}))
                .unwrap(),
        );
        s.pim.role_definitions.push(
            serde_json::from_value(json!({"id": HELPDESK_ADMIN, "displayName": "Helpdesk Administrator"}))
                .unwrap(),
        );
        s.pim.role_definitions.push(
            serde_json::from_value(json!({"id": CUSTOM_ROLE, "displayName": "Contoso Service Desk Operator", "isBuiltIn": false}))
                .unwrap(),
        );
        for (role, scope) in [(HELPDESK_ADMIN, Some(au_scope())), (CUSTOM_ROLE, None)] {
            s.pim.eligibilities.push(elevate_tenant::scenario::Eligibility {
                id: None,
                principal: "nestor".into(),
                role_definition_id: role.into(),
                start_date_time: None,
                end_date_time: None,
                directory_scope_id: scope,
            });
        }
        change(s);
    })
    .await
}

fn by_role<'a>(body: &'a Value, role: &str) -> &'a Value {
    body["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|i| i["roleDefinitionId"] == role)
        .unwrap_or_else(|| panic!("{role} in {body}"))
}

#[tokio::test]
async fn an_administrative_unit_eligibility_is_activated_only_at_its_scope() {
    let t = start_scoped(|_| {}).await;
    let nestor = mfa_token(&t, "nestor").await;
    let (_, body) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}"),
    )
    .await;
    assert_eq!(
        by_role(&body, HELPDESK_ADMIN)["directoryScopeId"],
        au_scope()
    );
    assert_eq!(by_role(&body, CUSTOM_ROLE)["directoryScopeId"], "/");
    let (_, body) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleEligibilitySchedules/{MINE}"),
    )
    .await;
    assert_eq!(
        by_role(&body, HELPDESK_ADMIN)["directoryScopeId"],
        au_scope()
    );

    // Tenant-wide, PIM finds no eligibility: refused, nothing changes.
    let before = snapshot(&t).await;
    let (status, body) = request(
        &t,
        &nestor,
        &activation("nestor", HELPDESK_ADMIN, json!({})),
    )
    .await;
    assert_eq!(
        (status, error_message(&body)),
        (
            StatusCode::BAD_REQUEST,
            r#"The following policy rules failed: ["EligibilityRule"]"#
        )
    );
    assert_eq!(snapshot(&t).await, before);

    let scoped = json!({"directoryScopeId": au_scope()});
    let (status, body) = request(
        &t,
        &nestor,
        &activation("nestor", HELPDESK_ADMIN, scoped.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["directoryScopeId"], au_scope());
    let (_, held) = get(
        &t,
        &nestor,
        &format!("{DIR}/roleAssignmentScheduleInstances/{MINE}"),
    )
    .await;
    let a = by_role(&held, HELPDESK_ADMIN);
    assert_eq!(
        (a["directoryScopeId"].clone(), a["assignmentType"].clone()),
        (json!(au_scope()), json!("Activated"))
    );
    assert!(
        !wids(&t, "nestor").await.iter().any(|w| w == HELPDESK_ADMIN),
        "wids carries tenant-wide roles only"
    );
    // Twice at the same scope is a duplicate; deactivation names the scope too.
    let (_, body) = request(&t, &nestor, &activation("nestor", HELPDESK_ADMIN, scoped)).await;
    assert_eq!(error_code(&body), "RoleAssignmentExists");
    advance(&t, 6 * 60).await;
    let nestor = mfa_token(&t, "nestor").await;
    let (_, body) = request(
        &t,
        &nestor,
        &simple("selfDeactivate", "nestor", HELPDESK_ADMIN),
    )
    .await;
    assert_eq!(
        error_code(&body),
        "RoleAssignmentDoesNotExist",
        "not at the tenant scope"
    );
    let mut off = simple("selfDeactivate", "nestor", HELPDESK_ADMIN);
    off["directoryScopeId"] = json!(au_scope());
    let (status, body) = request(&t, &nestor, &off).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_custom_role_is_held_but_never_in_wids() {
    let t = start_scoped(|_| {}).await;
    let nestor = mfa_token(&t, "nestor").await;
    let (status, body) = request(&t, &nestor, &activation("nestor", CUSTOM_ROLE, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(held(&t, &nestor)
        .await
        .iter()
        .any(|(r, a, _)| r == CUSTOM_ROLE && a == "Activated"));
    advance(&t, 60).await;
    assert!(!wids(&t, "nestor").await.iter().any(|w| w == CUSTOM_ROLE));
}

#[tokio::test]
async fn scenario_scopes_must_name_a_known_administrative_unit() {
    let mut s = elevate_tenant::Scenario::builtin("demo").unwrap();
    s.pim
        .eligibilities
        .push(elevate_tenant::scenario::Eligibility {
            id: None,
            principal: "nestor".into(),
            role_definition_id: USER_ADMIN.into(),
            start_date_time: None,
            end_date_time: None,
            directory_scope_id: Some(
                "/administrativeUnits/00000000-0000-0000-0000-000000000001".into(),
            ),
        });
    let err = s.validate().unwrap_err().to_string();
    assert!(err.contains("directoryScopeId"), "{err}");
}

#[tokio::test]
async fn get_by_ids_names_users_groups_and_units_with_directory_read_all() {
    let t = start_scoped(|_| {}).await;
    let ids = json!({"ids": [id_of("gloria"), PP_GROUP, SALES_AU, "00000000-0000-0000-0000-0000000000ff"], "types": ["user", "group", "administrativeUnit"]});
    let plain = token(&t, "nestor").await;
    let (status, body) = post(&t, &plain, "v1.0/directoryObjects/getByIds", &ids).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );

    let t = start_scoped(|s| {
        s.applications[0]
            .consented_scopes
            .get_mut("https://graph.microsoft.com")
            .unwrap()
            .push("Directory.Read.All".into());
    })
    .await;
    let reader = token(&t, "nestor").await;
    let (status, body) = post(&t, &reader, "v1.0/directoryObjects/getByIds", &ids).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let named: Vec<(String, String)> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["@odata.type"].as_str().unwrap().to_string(),
                o["displayName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            (
                "#microsoft.graph.user".to_string(),
                "Gloria Mueller".to_string()
            ),
            ("#microsoft.graph.group".into(), "PP Admins (PIM)".into()),
            ("#microsoft.graph.administrativeUnit".into(), "Sales".into()),
        ],
        "unknown ids are left out"
    );
    let (_, only_users) = post(
        &t,
        &reader,
        "v1.0/directoryObjects/getByIds",
        &json!({"ids": [SALES_AU], "types": ["user"]}),
    )
    .await;
    assert_eq!(only_users["value"], json!([]));
    for bad in [
        json!({"ids": ["nope"]}),
        json!({"ids": [SALES_AU], "types": ["planet"]}),
        json!({"types": []}),
    ] {
        let (status, body) = post(&t, &reader, "v1.0/directoryObjects/getByIds", &bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

#[tokio::test]
async fn approvers_can_be_named_by_id_only_and_requests_expand_their_role() {
    let t = start_scoped(|s| {
        s.settings.policy_approver_descriptions = false;
        let p = s
            .pim
            .policies
            .iter_mut()
            .find(|p| p.role_definition_id == USER_ADMIN)
            .unwrap();
        p.approvers.push(PP_GROUP.into());
    })
    .await;
    let alex = token(&t, "alex").await;
    let filter = format!(
        "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '{USER_ADMIN}'"
    );
    let (_, body) = get(
        &t,
        &alex,
        &format!("v1.0/policies/roleManagementPolicyAssignments?$filter={filter}&$expand=policy($expand=rules)"),
    )
    .await;
    let rules = body["value"][0]["policy"]["rules"].as_array().unwrap();
    let approval = rules
        .iter()
        .find(|r| r["id"] == "Approval_EndUser_Assignment")
        .unwrap();
    assert_eq!(
        approval["setting"]["approvalStages"][0]["primaryApprovers"],
        json!([
            {"@odata.type": "#microsoft.graph.singleUser", "userId": id_of("gloria"), "description": null},
            {"@odata.type": "#microsoft.graph.groupMembers", "groupId": PP_GROUP, "description": null},
        ])
    );

    let (status, body) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, mine) = get(
        &t,
        &alex,
        &format!("{DIR}/roleAssignmentScheduleRequests/{MINE}?$expand=roleDefinition"),
    )
    .await;
    assert_eq!(
        mine["value"][0]["roleDefinition"]["displayName"],
        "User Administrator"
    );
    let (_, plain) = get(
        &t,
        &alex,
        &format!("{DIR}/roleAssignmentScheduleRequests/{MINE}"),
    )
    .await;
    assert!(plain["value"][0].get("roleDefinition").is_none());

    // A member of an approver group may decide.
    let (status, _) = t
        .admin_post(
            &format!(
                "pim/requests/{}/approve",
                mine["value"][0]["id"].as_str().unwrap()
            ),
            json!({"approver": "grady"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}
