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

use crate::state::AppState;

use super::json;
use super::scenario::TENANT_SCOPE;
use super::state::{Action, Activation, Decision, ScheduleRequest, Stage};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/pim/requests", get(list))
        .route("/pim/requests/{id}/approve", post(approve))
        .route("/pim/requests/{id}/deny", post(deny))
}

fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message.into()}})),
    )
        .into_response()
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
    let body: DecisionBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        DecisionBody::default()
    } else {
        match serde_json::from_slice(bytes) {
            Ok(b) => b,
            Err(e) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    format!("Invalid JSON body: {e}"),
                )
            }
        }
    };
    let now = state.clock.now();
    let mut rt = state.runtime();
    let Some(request) = rt.pim.request(id).cloned() else {
        return refuse(
            StatusCode::NOT_FOUND,
            "RequestNotFound",
            format!("No PIM request '{id}'."),
        );
    };
    if !request.is_pending_approval() {
        let status = request.status(now);
        return refuse(
            StatusCode::CONFLICT,
            "RequestNotPending",
            format!("The request is '{status}', not waiting for approval."),
        );
    }
    let policy = state.scenario.pim.policy(&request.role_id);
    let first_user = policy
        .approvers
        .iter()
        .find(|a| state.find_user(a).is_some())
        .map(String::as_str);
    let approver = match body.approver.as_deref().or(first_user) {
        None => None,
        Some(name) => match state.find_user(name) {
            Some(u) => Some(u),
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "UserNotFound",
                    format!("No user '{name}' in this scenario."),
                )
            }
        },
    };
    if let Some(a) = approver {
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
            return refuse(
                StatusCode::FORBIDDEN,
                "NotAnApprover",
                format!("{} is not an approver for this role.", a.display_name),
            );
        }
        // PIM never lets requesters approve themselves.
        if a.id.eq_ignore_ascii_case(&request.principal_id) {
            return refuse(
                StatusCode::FORBIDDEN,
                "NotAnApprover",
                "A requester cannot approve or deny their own request.",
            );
        }
    }
    let delay = Duration::seconds(rt.settings.activation_delay_seconds.clamp(0, 86_400));
    let mut updated = request.clone();
    updated.decision = Some(Decision {
        approver_id: approver.map(|u| u.id.clone()).unwrap_or_default(),
        justification: body.justification,
        at: now,
        approved,
    });
    let mut new_activation = None;
    let mut extend_to = None;
    if !approved {
        updated.stage = Stage::Denied { at: now };
    } else {
        let duration = updated.duration.unwrap_or_else(|| policy.max());
        match updated.action {
            Action::Activate => {
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
                new_activation = Some(Activation {
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
                match rt
                    .pim
                    .activations
                    .iter()
                    .find(|a| a.schedule_id == target && a.is_active(now))
                {
                    Some(a) => {
                        updated.stage = Stage::Granted {
                            at: now,
                            effective: now,
                        };
                        extend_to = Some((target, a.end + duration));
                    }
                    // Too late: the assignment it would extend is already over.
                    None => updated.stage = Stage::Failed { at: now },
                }
            }
            Action::Deactivate => updated.stage = Stage::Revoked { at: now },
        }
    }
    if let Some(a) = new_activation {
        rt.pim.activations.push(a);
    }
    if let Some((target, end)) = extend_to {
        if let Some(a) = rt
            .pim
            .activations
            .iter_mut()
            .find(|a| a.schedule_id == target)
        {
            a.end = end;
        }
    }
    let answer = view(state, &updated, now);
    if let Some(slot) = rt.pim.requests.iter_mut().find(|r| r.id == updated.id) {
        *slot = updated;
    }
    tracing::info!(request = %id, approved, "PIM request decided");
    Json(answer).into_response()
}
