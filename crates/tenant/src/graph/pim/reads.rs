//! Read-only PIM endpoints: my eligibilities (§2.2), my active assignments (§2.3), role
//! definitions, and role management policies (§2.6).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::graph::error::GraphError;
use crate::state::AppState;

use super::json::{self, METADATA};
use super::odata::{self, Query};
use super::scenario::{RoleDefinition, UserEligibility};
use super::state::assignments;
use super::{authorize, current_user_function, respond};

/// Only `roleDefinition` is expanded; other navigation properties Graph knows are ignored.
fn definition_expand(q: &Query) -> bool {
    q.expands("roleDefinition").is_some()
}

fn collection(context: &str, items: Vec<Value>) -> (StatusCode, Value) {
    (
        StatusCode::OK,
        json!({"@odata.context": format!("{METADATA}#{context}"), "value": items}),
    )
}

fn not_a_function(key: &str) -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        format!("Resource '{key}' does not exist or one of its queried reference-property objects are not present."),
    )
}

/// `roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`: what I may activate now.
pub async fn eligibility_instances(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let mine = MyEligibilities {
        type_name: "unifiedRoleEligibilityScheduleInstance",
        keep: |e, now| e.is_current(now),
        shape: json::eligibility_instance,
    };
    mine.answer(&state, &headers, &key, q.as_deref())
}

/// `roleEligibilitySchedules/filterByCurrentUser(on='principal')`: also future and expiring ones.
pub async fn eligibility_schedules(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let mine = MyEligibilities {
        type_name: "unifiedRoleEligibilitySchedule",
        keep: |e, now| e.source.end_date_time.is_none_or(|end| now < end),
        shape: json::eligibility_schedule,
    };
    mine.answer(&state, &headers, &key, q.as_deref())
}

/// The caller's eligibilities as one of Graph's two views of them (instances, schedules).
struct MyEligibilities {
    type_name: &'static str,
    keep: fn(&UserEligibility<'_>, DateTime<Utc>) -> bool,
    shape: fn(&UserEligibility<'_>, Option<Option<&RoleDefinition>>) -> Value,
}

impl MyEligibilities {
    fn answer(
        &self,
        state: &AppState,
        headers: &HeaderMap,
        key: &str,
        q: Option<&str>,
    ) -> Response {
        respond(state, headers, |ctx| {
            let caller = authorize(state, headers, &super::ELIGIBILITY_READ)?;
            current_user_function(key).ok_or_else(|| not_a_function(key))??;
            let q = odata::parse(q)?;
            let pim = &state.scenario.pim;
            let items: Vec<Value> = pim
                .eligibilities_of(&state.scenario, caller.user)
                .iter()
                .filter(|e| (self.keep)(e, ctx.now))
                .map(|e| {
                    (self.shape)(
                        e,
                        definition_expand(&q).then(|| pim.role(&e.source.role_definition_id)),
                    )
                })
                .collect();
            let items = q.apply_select(q.apply_filter(items, self.type_name)?, self.type_name)?;
            Ok(collection(
                &format!("Collection({})", self.type_name),
                items,
            ))
        })
    }
}

/// `roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`: what I hold now.
pub async fn assignment_instances(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &super::ASSIGNMENT_READ)?;
        current_user_function(&key).ok_or_else(|| not_a_function(&key))??;
        let q = odata::parse(q.as_deref())?;
        let pim = &state.scenario.pim;
        let held = assignments(&state.runtime(), &state.scenario, &caller.user.id, ctx.now);
        let items: Vec<Value> = held
            .iter()
            .map(|a| {
                json::assignment_instance(
                    a,
                    definition_expand(&q).then(|| pim.role(&a.role.role_template_id)),
                )
            })
            .collect();
        let type_name = "unifiedRoleAssignmentScheduleInstance";
        let items = q.apply_select(q.apply_filter(items, type_name)?, type_name)?;
        Ok(collection(
            "Collection(unifiedRoleAssignmentScheduleInstance)",
            items,
        ))
    })
}

pub async fn role_definitions(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |_| {
        authorize(&state, &headers, &super::DEFINITION_READ)?;
        let q = odata::parse(q.as_deref())?;
        let items: Vec<Value> = state
            .scenario
            .pim
            .role_definitions
            .iter()
            .map(json::role_definition)
            .collect();
        let type_name = "unifiedRoleDefinition";
        let items = q.apply_select(q.apply_filter(items, type_name)?, type_name)?;
        Ok(collection(
            "roleManagement/directory/roleDefinitions",
            items,
        ))
    })
}

pub async fn role_definition(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond(&state, &headers, |_| {
        authorize(&state, &headers, &super::DEFINITION_READ)?;
        let def = state
            .scenario
            .pim
            .role(&id)
            .ok_or_else(|| not_a_function(&id))?;
        let mut body = json::role_definition(def);
        if let Some(map) = body.as_object_mut() {
            map.insert(
                "@odata.context".into(),
                json!(format!(
                    "{METADATA}#roleManagement/directory/roleDefinitions/$entity"
                )),
            );
        }
        Ok((StatusCode::OK, body))
    })
}

/// `policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq
/// 'DirectoryRole' [and roleDefinitionId eq '…']&$expand=policy($expand=rules)`.
pub async fn policy_assignments(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |_| {
        authorize(&state, &headers, &super::POLICY_READ)?;
        let q = odata::parse(q.as_deref())?;
        let (Some(scope_id), Some(scope_type)) =
            (q.filter_value("scopeId"), q.filter_value("scopeType"))
        else {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "The $filter must name both scopeId and scopeType, e.g. scopeId eq '/' and scopeType eq 'DirectoryRole'.",
            ));
        };
        let scope_type = ["Directory", "DirectoryRole"]
            .into_iter()
            .find(|t| t.eq_ignore_ascii_case(scope_type));
        let (expand, context) = match q.expands("policy") {
            None => (
                false,
                "policies/roleManagementPolicyAssignments".to_string(),
            ),
            Some(nested) => {
                let with_rules = nested
                    .to_ascii_lowercase()
                    .replace(' ', "")
                    .contains("$expand=rules");
                let inner = if with_rules {
                    "policy(rules())"
                } else {
                    "policy()"
                };
                (
                    true,
                    format!("policies/roleManagementPolicyAssignments({inner})"),
                )
            }
        };
        let with_rules = context.contains("rules()");
        let mut items = Vec::new();
        // Groups (scopeType Group) are PIM for Groups, which this tenant does not emulate: empty.
        if let (Some(scope_type), "/") = (scope_type, scope_id) {
            let pim = &state.scenario.pim;
            for def in &pim.role_definitions {
                let policy = pim.policy(&def.id);
                let rules = with_rules.then(|| {
                    let described = state.runtime().settings.policy_approver_descriptions;
                    let approvers: Vec<json::Approver> = policy
                        .approvers
                        .iter()
                        .filter_map(|a| approver(&state, a, described))
                        .collect();
                    json::policy_rules(&policy, &approvers)
                });
                items.push(json::policy_assignment(
                    state.scenario.tenant_id(),
                    scope_type,
                    &def.id,
                    expand.then_some(rules),
                ));
            }
        }
        let type_name = "unifiedRoleManagementPolicyAssignment";
        let items = q.apply_select(q.apply_filter(items, type_name)?, type_name)?;
        Ok(collection(&context, items))
    })
}

/// A policy approver as Graph lists it: a user by object id, or a group.
fn approver(state: &AppState, who: &str, described: bool) -> Option<json::Approver> {
    if let Some(u) = state.find_user(who) {
        return Some(json::Approver {
            id: u.id.clone(),
            is_group: false,
            description: described.then(|| u.display_name.clone()),
        });
    }
    let g = state
        .scenario
        .groups
        .iter()
        .find(|g| g.id.eq_ignore_ascii_case(who))?;
    Some(json::Approver {
        id: g.id.clone(),
        is_group: true,
        description: described.then(|| g.display_name.clone()),
    })
}
