//! `/_emulator/pim/…`: what an approver does in the portal, for tests and the demo.
//! `GET /requests`, `POST /requests/{id}/approve`, `POST /requests/{id}/deny`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::admin_json::{parse, refused, Refused};
use crate::scenario::User;
use crate::state::{AppState, Runtime};

use super::json;
use super::scenario::TENANT_SCOPE;
use super::state::{Action, Activation, Decision, ScheduleRequest, Stage};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/pim/requests", get(list))
        .route("/pim/requests/{id}/approve", post(approve))
        .route("/pim/requests/{id}/deny", post(deny))
}
/// The Graph view of a request plus who decided it, which Graph shows on the approval object.
fn view(state: &AppState, r: &ScheduleRequest, now: DateTime<Utc>) -> Value {
    let mut v = json::request(r, r.status(now));
    let decision = r.decision.as_ref().map(|d| {
        json!({
            "approver": state.find_user(&d.approver_id).map(|u| state.scenario.upn(u)),
            "approverId": d.approver_id,
            "justification": d.justification,
            "reviewedDateTime": json::time(d.at),
            "reviewResult": if d.approved { "Approve" } else { "Deny" },
        })
    });
    if let Some(map) = v.as_object_mut() {
        map.insert("approval".into(), decision.unwrap_or(Value::Null));
    }
    v
}

async fn list(State(state): State<Arc<AppState>>) -> Json<Value> {
    let now = state.clock.now();
    let rt = state.runtime();
    let value: Vec<Value> = rt
        .pim
        .requests
        .iter()
        .map(|r| view(&state, r, now))
        .collect();
    Json(json!({"value": value}))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    approver: Option<String>,
    justification: Option<String>,
}

async fn approve(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    decide(&state, &id, &body, true)
}

async fn deny(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> Response {
    decide(&state, &id, &body, false)
}

fn decide(state: &AppState, id: &str, bytes: &[u8], approved: bool) -> Response {
    match try_decide(state, id, bytes, approved) {
        Ok(answer) => Json(answer).into_response(),
        Err(refused) => refused.into_response(),
    }
}

fn try_decide(state: &AppState, id: &str, bytes: &[u8], approved: bool) -> Result<Value, Refused> {
    // An empty body is a decision with no approver named and no justification.
    let body: DecisionBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        DecisionBody::default()
    } else {
        parse(bytes, "JSON body")?
    };
    let now = state.clock.now();
    let mut rt = state.runtime();
    let request = pending_request(&rt, id, now)?;
    let approver = approver(state, &request, body.approver.as_deref())?;
    let mut updated = request;
    updated.decision = Some(Decision {
        approver_id: approver.map(|u| u.id.clone()).unwrap_or_default(),
        justification: body.justification,
        at: now,
        approved,
    });
    if approved {
        let policy = state.scenario.pim.policy(&updated.role_id);
        let duration = updated.duration.unwrap_or_else(|| policy.max());
        grant(&mut rt, &mut updated, duration, now);
    } else {
        updated.stage = Stage::Denied { at: now };
    }
    let answer = view(state, &updated, now);
    if let Some(slot) = rt.pim.requests.iter_mut().find(|r| r.id == updated.id) {
        *slot = updated;
    }
    tracing::info!(request = %id, approved, "PIM request decided");
    Ok(answer)
}

/// The request `id`, if it is waiting for an approver.
fn pending_request(rt: &Runtime, id: &str, now: DateTime<Utc>) -> Result<ScheduleRequest, Refused> {
    let Some(request) = rt.pim.request(id).cloned() else {
        return Err(refused(
            StatusCode::NOT_FOUND,
            "RequestNotFound",
            format!("No PIM request '{id}'."),
        ));
    };
    if !request.is_pending_approval() {
        let status = request.status(now);
        return Err(refused(
            StatusCode::CONFLICT,
            "RequestNotPending",
            format!("The request is '{status}', not waiting for approval."),
        ));
    }
    Ok(request)
}

/// Who decides: the user `named`, else the policy's first approver who is a user; `None`
/// when the policy names only groups and the call names nobody.
fn approver<'a>(
    state: &'a AppState,
    request: &ScheduleRequest,
    named: Option<&str>,
) -> Result<Option<&'a User>, Refused> {
    let policy = state.scenario.pim.policy(&request.role_id);
    let first_user = policy
        .approvers
        .iter()
        .find(|a| state.find_user(a).is_some())
        .map(String::as_str);
    let Some(name) = named.or(first_user) else {
        return Ok(None);
    };
    let Some(a) = state.find_user(name) else {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "UserNotFound",
            format!("No user '{name}' in this scenario."),
        ));
    };
    // A group approver means any of its members.
    let listed = policy.approvers.is_empty()
        || policy.approvers.iter().any(|p| {
            state.find_user(p).is_some_and(|u| u.id == a.id)
                || state
                    .scenario
                    .groups_of(&a.id)
                    .iter()
                    .any(|g| g.id.eq_ignore_ascii_case(p))
        });
    if !listed {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "NotAnApprover",
            format!("{} is not an approver for this role.", a.display_name),
        ));
    }
    // PIM never lets requesters approve themselves.
    if a.id.eq_ignore_ascii_case(&request.principal_id) {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "NotAnApprover",
            "A requester cannot approve or deny their own request.",
        ));
    }
    Ok(Some(a))
}

/// An approved request takes effect: the activation starts (after the provisioning delay),
/// the assignment is extended, or, for an extension whose assignment is already over, fails.
fn grant(rt: &mut Runtime, updated: &mut ScheduleRequest, duration: Duration, now: DateTime<Utc>) {
    match updated.action {
        Action::Activate => {
            let delay = Duration::seconds(rt.settings.activation_delay_seconds.clamp(0, 86_400));
            // The clock starts when the approver says yes, or at the requested start if later.
            let start = updated
                .schedule
                .as_ref()
                .and_then(|s| s.start)
                .map_or(now, |s| s.max(now));
            let effective = start.max(now + delay);
            if let Some(s) = updated.schedule.as_mut() {
                s.start = Some(start);
            }
            updated.stage = Stage::Granted { at: now, effective };
            rt.pim.activations.push(Activation {
                schedule_id: updated.id.clone(),
                user_id: updated.principal_id.clone(),
                role_id: updated.role_id.clone(),
                directory_scope_id: updated
                    .directory_scope_id
                    .clone()
                    .unwrap_or_else(|| TENANT_SCOPE.to_string()),
                member_type: updated.member_type,
                start,
                end: start + duration,
                provisioned_at: effective,
                ended_at: None,
            });
        }
        Action::Extend => {
            let target = updated.target_schedule_id.clone().unwrap_or_default();
            let live = rt
                .pim
                .activations
                .iter_mut()
                .find(|a| a.schedule_id == target && a.is_active(now));
            match live {
                Some(a) => {
                    updated.stage = Stage::Granted {
                        at: now,
                        effective: now,
                    };
                    a.end += duration;
                }
                // Too late: the assignment it would extend is already over.
                None => updated.stage = Stage::Failed { at: now },
            }
        }
        Action::Deactivate => updated.stage = Stage::Revoked { at: now },
    }
}
