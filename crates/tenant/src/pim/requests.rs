//! `roleAssignmentScheduleRequests` (contract §2.4–2.5): activate, deactivate and extend; read
//! one or mine; cancel. Every check runs under one lock and before anything changes, so a
//! refused request (or `isValidationOnly`) leaves the tenant exactly as it was.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::graph::auth::Caller;
use crate::graph::error::{GraphCtx, GraphError};
use crate::state::{AppState, Runtime};

use super::body::{self, Body, ParsedAction};
use super::json::{self, METADATA};
use super::odata;
use super::policy::{self, Asked};
use super::state::{assignments, Action, Activation, ScheduleInfo, ScheduleRequest, Stage};
use super::{
    authorize, current_user_function, is_role_admin, respond, ASSIGNMENT_READ, ASSIGNMENT_WRITE,
};

/// Deactivating sooner than this after activation is refused (`ActiveDurationTooShort`).
const MINIMUM_ACTIVE: i64 = 5 * 60;

fn refuse(code: &'static str, message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, code, message)
}

fn forbidden(message: &str) -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        message,
    )
}

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

/// What an accepted request does to the tenant.
enum Effect {
    Activate(Activation),
    Deactivate {
        schedule_id: String,
    },
    Extend {
        schedule_id: String,
        new_end: DateTime<Utc>,
    },
    /// Waits for an approver.
    Nothing,
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

fn plan(
    state: &AppState,
    rt: &Runtime,
    caller: &Caller<'_>,
    body: &Body,
    now: DateTime<Utc>,
) -> Result<(ScheduleRequest, Effect), GraphError> {
    let action = match body.action {
        ParsedAction::Supported(a) => a,
        ParsedAction::Admin if is_role_admin(rt, state, &caller.user.id, now) => {
            return Err(refuse(
                "BadRequest",
                format!("The action '{}' is not emulated; this tenant emulates self-service requests only.", body.action_text),
            ))
        }
        ParsedAction::Admin => return Err(forbidden("Insufficient privileges to complete the operation.")),
        ParsedAction::SelfRenew => {
            return Err(refuse("BadRequest", "selfRenew applies to expired role assignments, and this tenant has none to renew."))
        }
    };
    let principal = body
        .principal_id
        .as_deref()
        .ok_or_else(|| refuse("BadRequest", "The property 'principalId' is required."))?;
    if !principal.eq_ignore_ascii_case(&caller.user.id) {
        return Err(forbidden("Insufficient privileges to complete the operation. Self-service requests can only be made for the signed-in user (principalId must be your own object id)."));
    }
    let role_text = body
        .role_definition_id
        .as_deref()
        .ok_or_else(|| refuse("BadRequest", "The property 'roleDefinitionId' is required."))?;
    let pim = &state.scenario.pim;
    let role = pim.role(role_text).ok_or_else(|| {
        refuse(
            "Request_BadRequest",
            format!("The role definition '{role_text}' does not exist in this tenant."),
        )
    })?;
    // PIM matches the request against an eligibility at exactly this scope: an eligibility
    // for an administrative unit cannot be activated tenant-wide (`/`), nor the reverse.
    let scope = match (
        body.directory_scope_id.as_deref(),
        body.app_scope_id.as_deref(),
    ) {
        (None, None) => {
            return Err(refuse(
                "BadRequest",
                "Either 'directoryScopeId' or 'appScopeId' is required.",
            ))
        }
        (Some(d), _) => d.to_string(),
        (None, Some(_)) => {
            return Err(policy::refusal(
                &[policy::Failure::Eligibility],
                rt.settings.policy_message_style,
            ))
        }
    };
    let policy_ = pim.policy(&role.id);
    let settings = &rt.settings;
    let user_id = &caller.user.id;
    let id = uuid::Uuid::new_v4().to_string();
    let mut draft = ScheduleRequest {
        id: id.clone(),
        action_text: body.action_text.clone(),
        action,
        principal_id: principal.to_string(),
        role_id: role.id.clone(),
        directory_scope_id: body.directory_scope_id.clone(),
        app_scope_id: body.app_scope_id.clone(),
        justification: body.justification.clone(),
        custom_data: body.custom_data.clone(),
        schedule: body.schedule.clone(),
        ticket_number: body.ticket_number.clone(),
        ticket_system: body.ticket_system.clone(),
        is_validation_only: body.is_validation_only,
        created: now,
        // Placeholder: every action below sets the real stage.
        stage: Stage::Revoked { at: now },
        approval_id: None,
        target_schedule_id: None,
        member_type: crate::state::MemberType::Direct,
        duration: None,
        decision: None,
    };
    let expiration = body.schedule.as_ref().and_then(|s| s.expiration.as_ref());
    let checks = |start: DateTime<Utc>, eligible: bool| {
        let asked = Asked {
            start,
            expiration,
            justification: body.justification.as_deref(),
            ticket_number: body.ticket_number.as_deref(),
        };
        let failed = policy::failures(&policy_, eligible, caller, &asked);
        if failed.is_empty() {
            Ok(())
        } else {
            Err(policy::refusal(&failed, settings.policy_message_style))
        }
    };
    let acrs = || match &policy_.authentication_context {
        Some(c)
            if !policy::acrs_satisfied(
                &policy_,
                caller,
                settings.acrs_requires_client_capability,
            ) =>
        {
            Err(policy::acrs_refusal(c, settings.acrs_refusal_code))
        }
        _ => Ok(()),
    };
    let eligibility = pim
        .eligibilities_of(&state.scenario, caller.user)
        .into_iter()
        .find(|e| {
            e.source.role_definition_id.eq_ignore_ascii_case(&role.id)
                && e.source.scope().eq_ignore_ascii_case(&scope)
                && e.is_current(now)
        });
    let effect = match action {
        Action::Activate => {
            let requested_start = body.schedule.as_ref().and_then(|s| s.start);
            let start = requested_start.map_or(now, |s| s.max(now));
            checks(start, eligibility.is_some())?;
            let Some(elig) = eligibility else {
                return Err(policy::refusal(
                    &[policy::Failure::Eligibility],
                    settings.policy_message_style,
                ));
            };
            let held = assignments(rt, &state.scenario, user_id, now)
                .iter()
                .any(|a| {
                    a.role.role_template_id.eq_ignore_ascii_case(&role.id)
                        && a.role.member_type == elig.member_type
                        && a.directory_scope_id.eq_ignore_ascii_case(&scope)
                });
            if held
                || rt
                    .pim
                    .live_activation(user_id, &role.id, &scope, now)
                    .is_some()
            {
                return Err(refuse(
                    "RoleAssignmentExists",
                    "The Role assignment already exists.",
                ));
            }
            if rt
                .pim
                .pending(user_id, &role.id, &scope, Action::Activate)
                .is_some()
            {
                return Err(refuse(
                    "PendingRoleAssignmentRequest",
                    "There is already a pending request for this role assignment.",
                ));
            }
            acrs()?;
            let duration =
                policy::requested_duration(start, expiration).unwrap_or_else(|| policy_.max());
            draft.duration = Some(duration);
            draft.member_type = elig.member_type;
            draft.target_schedule_id = Some(id.clone());
            draft.schedule = Some(ScheduleInfo {
                start: Some(start),
                expiration: expiration.cloned(),
            });
            if policy_.approval_required {
                draft.stage = Stage::PendingApproval;
                draft.approval_id = Some(id.clone());
                Effect::Nothing
            } else {
                let effective = start.max(
                    now + Duration::seconds(settings.activation_delay_seconds.clamp(0, 86_400)),
                );
                draft.stage = Stage::Granted { at: now, effective };
                Effect::Activate(Activation {
                    schedule_id: id.clone(),
                    user_id: user_id.clone(),
                    role_id: role.id.clone(),
                    directory_scope_id: elig.source.scope().to_string(),
                    member_type: elig.member_type,
                    start,
                    end: start + duration,
                    provisioned_at: effective,
                    ended_at: None,
                })
            }
        }
        Action::Deactivate => {
            let Some(active) = rt.pim.live_activation(user_id, &role.id, &scope, now) else {
                return Err(refuse(
                    "RoleAssignmentDoesNotExist",
                    "The Role assignment does not exist.",
                ));
            };
            if now - active.start < Duration::seconds(MINIMUM_ACTIVE) {
                return Err(refuse(
                    "ActiveDurationTooShort",
                    "The Active duration is too short. Miniumum Required is 5 minutes.",
                ));
            }
            draft.member_type = active.member_type;
            draft.target_schedule_id = Some(active.schedule_id.clone());
            draft.stage = Stage::Revoked { at: now };
            Effect::Deactivate {
                schedule_id: active.schedule_id.clone(),
            }
        }
        Action::Extend => {
            let Some(active) = rt
                .pim
                .live_activation(user_id, &role.id, &scope, now)
                .filter(|a| a.is_active(now))
            else {
                return Err(refuse(
                    "RoleAssignmentDoesNotExist",
                    "The Role assignment does not exist.",
                ));
            };
            let window =
                Duration::seconds(settings.self_extend_window_seconds.clamp(0, 366 * 86_400));
            if active.end - now > window {
                return Err(refuse(
                    "RoleAssignmentExtensionNotAllowed",
                    format!(
                        "The role assignment can be extended only in the last {} before it ends.",
                        super::duration::format(window)
                    ),
                ));
            }
            checks(active.end, eligibility.is_some())?;
            if rt
                .pim
                .pending(user_id, &role.id, &scope, Action::Extend)
                .is_some()
            {
                return Err(refuse(
                    "PendingRoleAssignmentRequest",
                    "There is already a pending request for this role assignment.",
                ));
            }
            acrs()?;
            let added =
                policy::requested_duration(active.end, expiration).unwrap_or_else(|| policy_.max());
            draft.duration = Some(added);
            draft.member_type = active.member_type;
            draft.target_schedule_id = Some(active.schedule_id.clone());
            if policy_.approval_required_for_extension {
                draft.stage = Stage::PendingApproval;
                draft.approval_id = Some(id.clone());
                Effect::Nothing
            } else {
                draft.stage = Stage::Granted {
                    at: now,
                    effective: now,
                };
                Effect::Extend {
                    schedule_id: active.schedule_id.clone(),
                    new_end: active.end + added,
                }
            }
        }
    };
    Ok((draft, effect))
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
