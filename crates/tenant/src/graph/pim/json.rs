//! The Graph JSON of PIM objects, field for field as in contract §2.2–2.6.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::state::MemberType;

use super::duration;
use super::scenario::{EnabledRule, Policy, RoleDefinition, UserEligibility, TENANT_SCOPE};
use super::state::{Assignment, ScheduleRequest};

pub const METADATA: &str = "https://graph.microsoft.com/v1.0/$metadata";

/// Graph's timestamps: `2022-04-14T00:00:00Z`, with a fraction only when there is one.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn opt_time(t: Option<DateTime<Utc>>) -> Value {
    t.map_or(Value::Null, |t| json!(time(t)))
}

pub fn member_type(m: MemberType) -> &'static str {
    match m {
        MemberType::Direct => "Direct",
        MemberType::Group => "Group",
    }
}

pub fn role_definition(def: &RoleDefinition) -> Value {
    let permissions: Vec<Value> = def
        .role_permissions
        .iter()
        .map(|p| json!({"allowedResourceActions": p.allowed_resource_actions, "condition": p.condition, "excludedResourceActions": []}))
        .collect();
    json!({
        "id": def.id,
        "displayName": def.display_name,
        "description": def.description,
        "isBuiltIn": def.is_built_in,
        "isEnabled": def.is_enabled,
        "templateId": def.template(),
        "version": def.version,
        "resourceScopes": def.resource_scopes,
        "rolePermissions": permissions,
    })
}

/// Adds `roleDefinition` when `$expand`ed (null if the scenario does not define the role).
fn with_definition(mut v: Value, def: Option<Option<&RoleDefinition>>) -> Value {
    if let (Some(def), Some(map)) = (def, v.as_object_mut()) {
        map.insert(
            "roleDefinition".into(),
            def.map_or(Value::Null, role_definition),
        );
    }
    v
}

pub fn eligibility_instance(
    e: &UserEligibility<'_>,
    def: Option<Option<&RoleDefinition>>,
) -> Value {
    let scope = e.source.scope();
    let id = if scope == TENANT_SCOPE {
        super::instance_id(&e.source.role_definition_id, &e.principal_id, "-1-e")
    } else {
        // Another scope is another instance: its id must differ from the tenant-wide one's.
        super::instance_id(&e.schedule_id, &e.principal_id, "-1-e")
    };
    let v = json!({
        "@odata.type": "#microsoft.graph.unifiedRoleEligibilityScheduleInstance",
        "id": id,
        "principalId": e.principal_id,
        "roleDefinitionId": e.source.role_definition_id,
        "directoryScopeId": scope,
        "appScopeId": null,
        "startDateTime": opt_time(e.source.start_date_time),
        "endDateTime": opt_time(e.source.end_date_time),
        "memberType": member_type(e.member_type),
        "roleEligibilityScheduleId": e.schedule_id,
    });
    with_definition(v, def)
}

pub fn eligibility_schedule(
    e: &UserEligibility<'_>,
    def: Option<Option<&RoleDefinition>>,
) -> Value {
    let kind = if e.source.end_date_time.is_some() {
        "afterDateTime"
    } else {
        "noExpiration"
    };
    let v = json!({
        "@odata.type": "#microsoft.graph.unifiedRoleEligibilitySchedule",
        "id": e.schedule_id,
        "principalId": e.principal_id,
        "roleDefinitionId": e.source.role_definition_id,
        "directoryScopeId": e.source.scope(),
        "appScopeId": null,
        "createdUsing": e.schedule_id,
        "createdDateTime": opt_time(e.source.start_date_time),
        "modifiedDateTime": null,
        "status": "Provisioned",
        "memberType": member_type(e.member_type),
        "scheduleInfo": {
            "startDateTime": opt_time(e.source.start_date_time),
            "recurrence": null,
            "expiration": {"type": kind, "endDateTime": opt_time(e.source.end_date_time), "duration": null},
        },
    });
    with_definition(v, def)
}

pub fn assignment_instance(a: &Assignment, def: Option<Option<&RoleDefinition>>) -> Value {
    let assignment_type = match a.role.assignment_type {
        crate::state::AssignmentType::Assigned => "Assigned",
        crate::state::AssignmentType::Activated => "Activated",
    };
    let v = json!({
        "@odata.type": "#microsoft.graph.unifiedRoleAssignmentScheduleInstance",
        "id": a.instance_id,
        "principalId": a.principal_id,
        "roleDefinitionId": a.role.role_template_id,
        "directoryScopeId": a.directory_scope_id,
        "appScopeId": null,
        "startDateTime": opt_time(a.start),
        "endDateTime": opt_time(a.role.end),
        "assignmentType": assignment_type,
        "memberType": member_type(a.role.member_type),
        "roleAssignmentOriginId": a.schedule_id,
        "roleAssignmentScheduleId": a.schedule_id,
    });
    with_definition(v, def)
}

/// A request with `roleDefinition` when `$expand`ed (null if the scenario lacks the role).
pub fn request_expanded(
    r: &ScheduleRequest,
    status: &str,
    def: Option<Option<&RoleDefinition>>,
) -> Value {
    with_definition(request(r, status), def)
}

/// A `unifiedRoleAssignmentScheduleRequest`; `status` is passed in because the POST answer
/// says `Granted` where a later GET says `PendingProvisioning` or `Provisioned`.
pub fn request(r: &ScheduleRequest, status: &str) -> Value {
    let schedule = r.schedule.as_ref();
    let expiration = schedule.and_then(|s| s.expiration.as_ref());
    json!({
        "id": r.id,
        "status": status,
        "createdDateTime": time(r.created),
        "completedDateTime": opt_time(r.completed()),
        "approvalId": r.approval_id,
        "customData": r.custom_data,
        "action": r.action_text,
        "principalId": r.principal_id,
        "roleDefinitionId": r.role_id,
        "directoryScopeId": r.directory_scope_id,
        "appScopeId": r.app_scope_id,
        "isValidationOnly": r.is_validation_only,
        "targetScheduleId": r.target_schedule_id,
        "justification": r.justification,
        "createdBy": {"application": null, "device": null, "user": {"displayName": null, "id": r.principal_id}},
        "scheduleInfo": {
            "startDateTime": opt_time(schedule.and_then(|s| s.start)),
            "recurrence": null,
            "expiration": {
                "type": expiration.map_or("notSpecified", |e| e.kind.wire()),
                "endDateTime": opt_time(expiration.and_then(|e| e.end)),
                "duration": expiration.and_then(|e| e.duration).map(duration::format),
            },
        },
        "ticketInfo": {"ticketNumber": r.ticket_number, "ticketSystem": r.ticket_system},
    })
}

fn target(caller: &str, level: &str) -> Value {
    json!({"caller": caller, "operations": ["all"], "level": level, "inheritableSettings": [], "enforcedSettings": []})
}

fn expiration_rule(id: &str, caller: &str, level: &str, required: bool, max: &str) -> Value {
    json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "id": id,
           "isExpirationRequired": required, "maximumDuration": max, "target": target(caller, level)})
}

fn enablement_rule(id: &str, caller: &str, level: &str, rules: Vec<&str>) -> Value {
    json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "id": id,
           "enabledRules": rules, "target": target(caller, level)})
}

fn notification_rules(caller: &str, level: &str) -> Vec<Value> {
    ["Admin", "Requestor", "Approver"]
        .iter()
        .map(|recipient| {
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyNotificationRule",
                   "id": format!("Notification_{recipient}_{caller}_{level}"),
                   "notificationType": "Email", "recipientType": recipient, "notificationLevel": "All",
                   "isDefaultRecipientsEnabled": true, "notificationRecipients": [], "target": target(caller, level)})
        })
        .collect()
}

/// A policy's approver: a user (`singleUser`) or the members of a group (`groupMembers`).
pub struct Approver {
    pub id: String,
    pub is_group: bool,
    /// `description`; many real policies leave it empty, naming the approver only by id.
    pub description: Option<String>,
}

/// The full rule list of the documented example, in its order, with this role's settings in
/// the EndUser/Assignment rules.
pub fn policy_rules(policy: &Policy, approvers: &[Approver]) -> Vec<Value> {
    let mut rules = admin_rules();
    let max = duration::format(policy.max());
    rules.push(expiration_rule(
        "Expiration_EndUser_Assignment",
        "EndUser",
        "Assignment",
        true,
        &max,
    ));
    let enabled: Vec<&str> = policy
        .enabled_rules
        .iter()
        .map(|r| match r {
            EnabledRule::MultiFactorAuthentication => "MultiFactorAuthentication",
            EnabledRule::Justification => "Justification",
            EnabledRule::Ticketing => "Ticketing",
        })
        .collect();
    rules.push(enablement_rule(
        "Enablement_EndUser_Assignment",
        "EndUser",
        "Assignment",
        enabled,
    ));
    rules.push(approval_rule(policy, approvers));
    rules.push(json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule",
        "id": "AuthenticationContext_EndUser_Assignment",
        "isEnabled": policy.authentication_context.is_some(),
        "claimValue": policy.authentication_context,
        "target": target("EndUser", "Assignment"),
    }));
    rules.extend(notification_rules("EndUser", "Assignment"));
    rules
}

/// A `unifiedRoleManagementPolicyAssignment`; `policy` is expanded when `Some`, with its rules
/// when the inner option is `Some`.
pub fn policy_assignment(
    tenant_id: &str,
    scope_type: &str,
    role_id: &str,
    expand: Option<Option<Vec<Value>>>,
) -> Value {
    let policy_id = format!(
        "{scope_type}_{tenant_id}_{}",
        super::stable_guid(&["policy", &role_id.to_ascii_lowercase()])
    );
    let mut v = json!({
        "id": format!("{policy_id}_{role_id}"),
        "policyId": policy_id,
        "scopeId": "/",
        "scopeType": scope_type,
        "roleDefinitionId": role_id,
    });
    if let (Some(rules), Some(map)) = (expand, v.as_object_mut()) {
        let mut policy = json!({
            "id": policy_id,
            "displayName": "DirectoryRole",
            "description": "DirectoryRole",
            "isOrganizationDefault": false,
            "scopeId": "/",
            "scopeType": scope_type,
            "lastModifiedDateTime": null,
            "lastModifiedBy": {"displayName": null, "id": null},
        });
        if let (Some(rules), Some(p)) = (rules, policy.as_object_mut()) {
            p.insert("rules".into(), Value::Array(rules));
        }
        map.insert("policy".into(), policy);
    }
    v
}

/// The rules only an administrator's assignments follow; the same for every role.
fn admin_rules() -> Vec<Value> {
    let mut rules = vec![
        expiration_rule(
            "Expiration_Admin_Eligibility",
            "Admin",
            "Eligibility",
            false,
            "P365D",
        ),
        enablement_rule(
            "Enablement_Admin_Eligibility",
            "Admin",
            "Eligibility",
            vec![],
        ),
    ];
    rules.extend(notification_rules("Admin", "Eligibility"));
    rules.push(expiration_rule(
        "Expiration_Admin_Assignment",
        "Admin",
        "Assignment",
        false,
        "P180D",
    ));
    rules.push(enablement_rule(
        "Enablement_Admin_Assignment",
        "Admin",
        "Assignment",
        vec!["Justification"],
    ));
    rules.extend(notification_rules("Admin", "Assignment"));
    rules
}

/// Who approves an activation or extension, and whether they must.
fn approval_rule(policy: &Policy, approvers: &[Approver]) -> Value {
    let primary: Vec<Value> = approvers
        .iter()
        .map(|a| {
            if a.is_group {
                json!({"@odata.type": "#microsoft.graph.groupMembers", "groupId": a.id, "description": a.description})
            } else {
                json!({"@odata.type": "#microsoft.graph.singleUser", "userId": a.id, "description": a.description})
            }
        })
        .collect();
    json!({
        "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule",
        "id": "Approval_EndUser_Assignment",
        "target": target("EndUser", "Assignment"),
        "setting": {
            "isApprovalRequired": policy.approval_required,
            "isApprovalRequiredForExtension": policy.approval_required_for_extension,
            "isRequestorJustificationRequired": true,
            "approvalMode": "SingleStage",
            "approvalStages": [{
                "approvalStageTimeOutInDays": 1, "isApproverJustificationRequired": true,
                "escalationTimeInMinutes": 0, "isEscalationEnabled": false,
                "primaryApprovers": primary, "escalationApprovers": [],
            }],
        },
    })
}
