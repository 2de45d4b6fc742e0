//! Tenant-wide PIM reads: `roleEligibilityScheduleInstances` and
//! `roleAssignmentScheduleInstances` without `filterByCurrentUser` — every principal's, for
//! callers whose directory role may read them (Global Reader and up, as Graph documents:
//! Global Reader, Security Reader/Operator/Administrator, Privileged Role Administrator,
//! Global Administrator). `$filter` (e.g. `roleDefinitionId eq '…'`) and `$select` as usual.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::graph::error::GraphError;
use crate::state::AppState;

use super::json::{self, METADATA};
use super::odata;
use super::state::assignments;
use super::{authorize, respond};

const READERS: [&str; 6] = [
    "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
    "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451", // Global Reader
    "5d6b6bb7-de71-4623-b4af-96380a352509", // Security Reader
    "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
    "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", // Security Operator
];

fn may_read(state: &AppState, user_id: &str, now: chrono::DateTime<chrono::Utc>) -> bool {
    assignments(&state.runtime(), &state.scenario, user_id, now)
        .iter()
        .any(|a| {
            READERS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&a.role.role_template_id))
        })
}

fn denied() -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

pub async fn all_eligibility_instances(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &super::ELIGIBILITY_READ)?;
        if !may_read(&state, &caller.user.id, ctx.now) {
            return Err(denied());
        }
        let q = odata::parse(q.as_deref())?;
        let pim = &state.scenario.pim;
        let expand = q.expands("roleDefinition").is_some();
        let items: Vec<Value> = state
            .scenario
            .users
            .iter()
            .flat_map(|u| pim.eligibilities_of(&state.scenario, u))
            .filter(|e| e.is_current(ctx.now))
            .map(|e| {
                json::eligibility_instance(
                    &e,
                    expand.then(|| pim.role(&e.source.role_definition_id)),
                )
            })
            .collect();
        // A group's eligibility reaches each member: list it once, as Graph does.
        let mut seen = std::collections::HashSet::new();
        let items: Vec<Value> = items
            .into_iter()
            .filter(|i| seen.insert(i["id"].to_string()))
            .collect();
        let t = "unifiedRoleEligibilityScheduleInstance";
        let items = q.apply_select(q.apply_filter(items, t)?, t)?;
        Ok((
            StatusCode::OK,
            json!({"@odata.context": format!("{METADATA}#roleManagement/directory/roleEligibilityScheduleInstances"), "value": items}),
        ))
    })
}

pub async fn all_assignment_instances(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &super::ASSIGNMENT_READ)?;
        if !may_read(&state, &caller.user.id, ctx.now) {
            return Err(denied());
        }
        let q = odata::parse(q.as_deref())?;
        let pim = &state.scenario.pim;
        let expand = q.expands("roleDefinition").is_some();
        let rt = state.runtime();
        let items: Vec<Value> = state
            .scenario
            .users
            .iter()
            .flat_map(|u| assignments(&rt, &state.scenario, &u.id, ctx.now))
            .map(|a| {
                json::assignment_instance(&a, expand.then(|| pim.role(&a.role.role_template_id)))
            })
            .collect();
        let t = "unifiedRoleAssignmentScheduleInstance";
        let items = q.apply_select(q.apply_filter(items, t)?, t)?;
        Ok((
            StatusCode::OK,
            json!({"@odata.context": format!("{METADATA}#roleManagement/directory/roleAssignmentScheduleInstances"), "value": items}),
        ))
    })
}
