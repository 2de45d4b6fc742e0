//! `roleAssignmentScheduleRequests` (contract §2.4–2.5): activate, deactivate and extend; read
//! one or mine; cancel. Every check runs under one lock and before anything changes, so a
//! refused request (or `isValidationOnly`) leaves the tenant exactly as it was.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::graph::auth::Caller;
use crate::graph::error::{GraphCtx, GraphError};
use crate::state::{AppState, Runtime};

use super::body;
use super::json::{self, METADATA};
use super::odata;
use super::plan::{forbidden, plan, refuse, Effect};
use super::state::{Action, ScheduleRequest, Stage};
use super::{
    authorize, current_user_function, is_role_admin, respond, ASSIGNMENT_READ, ASSIGNMENT_WRITE,
};

fn entity(mut v: Value) -> Value {
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "@odata.context".into(),
            json!(format!(
                "{METADATA}#roleManagement/directory/roleAssignmentScheduleRequests/$entity"
            )),
        );
    }
    v
}

pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &ASSIGNMENT_WRITE)?;
        let body = body::parse(&headers, &bytes)?;
        let mut rt = state.runtime();
        let (draft, effect) = plan(&state, &rt, &caller, &body, ctx.now)?;
        // The answer to a POST says Granted even when provisioning is instant (§2.4 example).
        let status = match draft.stage {
            Stage::Granted { .. } => "Granted",
            _ => draft.status(ctx.now),
        };
        let answer = entity(json::request(&draft, status));
        if !draft.is_validation_only {
            apply(&mut rt, effect, ctx.now);
            tracing::info!(request = %draft.id, action = %draft.action_text, status, "PIM request accepted");
            rt.pim.requests.push(draft);
        }
        Ok((StatusCode::CREATED, answer))
    })
}

fn apply(rt: &mut Runtime, effect: Effect, now: DateTime<Utc>) {
    match effect {
        Effect::Activate(a) => rt.pim.activations.push(a),
        Effect::Deactivate { schedule_id } => {
            if let Some(a) = rt
                .pim
                .activations
                .iter_mut()
                .find(|a| a.schedule_id == schedule_id)
            {
                a.ended_at = Some(now);
            }
        }
        Effect::Extend {
            schedule_id,
            new_end,
        } => {
            if let Some(a) = rt
                .pim
                .activations
                .iter_mut()
                .find(|a| a.schedule_id == schedule_id)
            {
                a.end = new_end;
            }
        }
        Effect::Nothing => {}
    }
}

fn request_list(
    state: &AppState,
    q: Option<&str>,
    requests: Vec<&ScheduleRequest>,
    now: DateTime<Utc>,
    typed: bool,
) -> Result<Vec<Value>, GraphError> {
    let q = odata::parse(q)?;
    let expand = q.expands("roleDefinition").is_some();
    let pim = &state.scenario.pim;
    let items: Vec<Value> = requests
        .into_iter()
        .map(|r| {
            let def = expand.then(|| pim.role(&r.role_id));
            let mut v = json::request_expanded(r, r.status(now), def);
            if let (true, Some(map)) = (typed, v.as_object_mut()) {
                map.insert(
                    "@odata.type".into(),
                    json!("#microsoft.graph.unifiedRoleAssignmentScheduleRequest"),
                );
            }
            v
        })
        .collect();
    let type_name = "unifiedRoleAssignmentScheduleRequest";
    q.apply_select(q.apply_filter(items, type_name)?, type_name)
}

/// `GET …/roleAssignmentScheduleRequests`: every request, for role administrators only.
pub async fn list_all(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &ASSIGNMENT_READ)?;
        let rt = state.runtime();
        if !is_role_admin(&rt, &state, &caller.user.id, ctx.now) {
            return Err(forbidden(
                "Insufficient privileges to complete the operation.",
            ));
        }
        let items = request_list(
            &state,
            q.as_deref(),
            rt.pim.requests.iter().collect(),
            ctx.now,
            false,
        )?;
        Ok((
            StatusCode::OK,
            json!({"@odata.context": format!("{METADATA}#roleManagement/directory/roleAssignmentScheduleRequests"), "value": items}),
        ))
    })
}

/// `GET …/{id}` or `GET …/filterByCurrentUser(on='principal')`.
pub async fn get_one(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    respond(&state, &headers, |ctx| {
        let caller = authorize(&state, &headers, &ASSIGNMENT_READ)?;
        let rt = state.runtime();
        if let Some(function) = current_user_function(&key) {
            function?;
            let mine = rt
                .pim
                .requests
                .iter()
                .filter(|r| r.principal_id.eq_ignore_ascii_case(&caller.user.id))
                .collect();
            let items = request_list(&state, q.as_deref(), mine, ctx.now, true)?;
            return Ok((
                StatusCode::OK,
                json!({"@odata.context": format!("{METADATA}#Collection(unifiedRoleAssignmentScheduleRequest)"), "value": items}),
            ));
        }
        let r = visible_request(&state, &rt, &caller, &key, ctx)?;
        Ok((StatusCode::OK, entity(json::request(r, r.status(ctx.now)))))
    })
}

fn visible_request<'a>(
    state: &AppState,
    rt: &'a Runtime,
    caller: &Caller<'_>,
    id: &str,
    ctx: &GraphCtx,
) -> Result<&'a ScheduleRequest, GraphError> {
    let r = rt.pim.request(id).ok_or_else(|| {
        GraphError::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
        )
    })?;
    if !r.principal_id.eq_ignore_ascii_case(&caller.user.id)
        && !is_role_admin(rt, state, &caller.user.id, ctx.now)
    {
        return Err(forbidden(
            "Insufficient privileges to complete the operation.",
        ));
    }
    Ok(r)
}

/// `POST …/{id}/cancel`: a request still waiting (approval, or a grant not yet provisioned)
/// becomes `Canceled`; anything else is 400.
pub async fn cancel(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ctx = GraphCtx::new(&state, &headers);
    let result = (|| {
        let caller = authorize(&state, &headers, &ASSIGNMENT_WRITE)?;
        let mut rt = state.runtime();
        let r = visible_request(&state, &rt, &caller, &id, &ctx)?;
        let status = r.status(ctx.now);
        let cancelable = match r.stage {
            Stage::PendingApproval => true,
            Stage::Granted { effective, .. } => r.action == Action::Activate && ctx.now < effective,
            _ => false,
        };
        if !cancelable {
            return Err(refuse(
                "BadRequest",
                format!("The request is in status '{status}' and cannot be canceled."),
            ));
        }
        let request_id = r.id.clone();
        if let Some(req) = rt.pim.requests.iter_mut().find(|x| x.id == request_id) {
            req.stage = Stage::Canceled { at: ctx.now };
        }
        // A canceled grant never becomes an assignment.
        if let Some(a) = rt
            .pim
            .activations
            .iter_mut()
            .find(|a| a.schedule_id == request_id)
        {
            a.ended_at = Some(ctx.now);
        }
        Ok(())
    })();
    match result {
        Ok(()) => ctx.respond_empty(StatusCode::NO_CONTENT),
        Err(e) => e.to_response(&ctx),
    }
}
