//! What a self-service request would do, decided before anything changes: whose request it
//! is and for which role at which scope, the role's policy rules, then the action's own
//! checks. A refusal here leaves the tenant exactly as it was.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};

use crate::graph::auth::Caller;
use crate::graph::error::GraphError;
use crate::state::{AppState, Runtime};

use super::body::{Body, ParsedAction};
use super::is_role_admin;
use super::policy::{self, Asked};
use super::scenario::{Policy, UserEligibility};
use super::state::{
    assignments, Action, Activation, Expiration, ScheduleInfo, ScheduleRequest, Stage,
};

/// Deactivating sooner than this after activation is refused (`ActiveDurationTooShort`).
const MINIMUM_ACTIVE: i64 = 5 * 60;

pub(super) fn refuse(code: &'static str, message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, code, message)
}

pub(super) fn forbidden(message: &str) -> GraphError {
    GraphError::new(
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        message,
    )
}

/// What an accepted request does to the tenant.
pub(super) enum Effect {
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

/// One request being decided: who asks, for which role at which scope, under which rules.
struct Ask<'a> {
    state: &'a AppState,
    rt: &'a Runtime,
    caller: &'a Caller<'a>,
    body: &'a Body,
    now: DateTime<Utc>,
    role_id: String,
    scope: String,
    policy: Policy,
    eligibility: Option<UserEligibility<'a>>,
    draft: ScheduleRequest,
}

/// The request as it would be recorded, and what it would change.
pub(super) fn plan<'a>(
    state: &'a AppState,
    rt: &'a Runtime,
    caller: &'a Caller<'a>,
    body: &'a Body,
    now: DateTime<Utc>,
) -> Result<(ScheduleRequest, Effect), GraphError> {
    let action = self_service_action(state, rt, caller, body, now)?;
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
    let scope = requested_scope(rt, body)?;
    let eligibility = pim
        .eligibilities_of(&state.scenario, caller.user)
        .into_iter()
        .find(|e| {
            e.source.role_definition_id.eq_ignore_ascii_case(&role.id)
                && e.source.scope().eq_ignore_ascii_case(&scope)
                && e.is_current(now)
        });
    let mut ask = Ask {
        state,
        rt,
        caller,
        body,
        now,
        role_id: role.id.clone(),
        scope,
        policy: pim.policy(&role.id),
        eligibility,
        draft: draft(body, action, principal, &role.id, now),
    };
    let effect = match action {
        Action::Activate => ask.activate()?,
        Action::Deactivate => ask.deactivate()?,
        Action::Extend => ask.extend()?,
    };
    Ok((ask.draft, effect))
}

/// The action, when it is one a person may ask for themselves.
fn self_service_action(
    state: &AppState,
    rt: &Runtime,
    caller: &Caller<'_>,
    body: &Body,
    now: DateTime<Utc>,
) -> Result<Action, GraphError> {
    match body.action {
        ParsedAction::Supported(a) => Ok(a),
        ParsedAction::Admin if is_role_admin(rt, state, &caller.user.id, now) => Err(refuse(
            "BadRequest",
            format!(
                "The action '{}' is not emulated; this tenant emulates self-service requests only.",
                body.action_text
            ),
        )),
        ParsedAction::Admin => Err(forbidden(
            "Insufficient privileges to complete the operation.",
        )),
        ParsedAction::SelfRenew => Err(refuse(
            "BadRequest",
            "selfRenew applies to expired role assignments, and this tenant has none to renew.",
        )),
    }
}

/// PIM matches the request against an eligibility at exactly this scope: an eligibility for
/// an administrative unit cannot be activated tenant-wide (`/`), nor the reverse.
fn requested_scope(rt: &Runtime, body: &Body) -> Result<String, GraphError> {
    match (
        body.directory_scope_id.as_deref(),
        body.app_scope_id.as_deref(),
    ) {
        (None, None) => Err(refuse(
            "BadRequest",
            "Either 'directoryScopeId' or 'appScopeId' is required.",
        )),
        (Some(d), _) => Ok(d.to_string()),
        (None, Some(_)) => Err(policy::refusal(
            &[policy::Failure::Eligibility],
            rt.settings.policy_message_style,
        )),
    }
}

fn draft(
    body: &Body,
    action: Action,
    principal: &str,
    role_id: &str,
    now: DateTime<Utc>,
) -> ScheduleRequest {
    ScheduleRequest {
        id: uuid::Uuid::new_v4().to_string(),
        action_text: body.action_text.clone(),
        action,
        principal_id: principal.to_string(),
        role_id: role_id.to_string(),
        directory_scope_id: body.directory_scope_id.clone(),
        app_scope_id: body.app_scope_id.clone(),
        justification: body.justification.clone(),
        custom_data: body.custom_data.clone(),
        schedule: body.schedule.clone(),
        ticket_number: body.ticket_number.clone(),
        ticket_system: body.ticket_system.clone(),
        is_validation_only: body.is_validation_only,
        created: now,
        // Placeholder: every action sets the real stage.
        stage: Stage::Revoked { at: now },
        approval_id: None,
        target_schedule_id: None,
        member_type: crate::state::MemberType::Direct,
        duration: None,
        decision: None,
    }
}

impl Ask<'_> {
    fn expiration(&self) -> Option<&Expiration> {
        self.body
            .schedule
            .as_ref()
            .and_then(|s| s.expiration.as_ref())
    }

    fn user_id(&self) -> &str {
        &self.caller.user.id
    }

    /// The role's rules (duration, justification, ticket, MFA, eligibility) for a request
    /// starting at `start`.
    fn rules(&self, start: DateTime<Utc>) -> Result<(), GraphError> {
        let asked = Asked {
            start,
            expiration: self.expiration(),
            justification: self.body.justification.as_deref(),
            ticket_number: self.body.ticket_number.as_deref(),
        };
        let eligible = self.eligibility.is_some();
        let failed = policy::failures(&self.policy, eligible, self.caller, &asked);
        if failed.is_empty() {
            Ok(())
        } else {
            Err(policy::refusal(
                &failed,
                self.rt.settings.policy_message_style,
            ))
        }
    }

    /// The authentication context the role's policy demands, if the token lacks it.
    fn acrs(&self) -> Result<(), GraphError> {
        let settings = &self.rt.settings;
        match &self.policy.authentication_context {
            Some(c)
                if !policy::acrs_satisfied(
                    &self.policy,
                    self.caller,
                    settings.acrs_requires_client_capability,
                ) =>
            {
                Err(policy::acrs_refusal(c, settings.acrs_refusal_code))
            }
            _ => Ok(()),
        }
    }

    fn no_pending(&self, action: Action) -> Result<(), GraphError> {
        let pending = self
            .rt
            .pim
            .pending(self.user_id(), &self.role_id, &self.scope, action);
        match pending {
            Some(_) => Err(refuse(
                "PendingRoleAssignmentRequest",
                "There is already a pending request for this role assignment.",
            )),
            None => Ok(()),
        }
    }

    /// Whether the user already holds the role at this scope, as the eligibility's kind.
    fn already_held(&self, elig: &UserEligibility<'_>) -> bool {
        let (rt, now) = (self.rt, self.now);
        let held = assignments(rt, &self.state.scenario, self.user_id(), now)
            .iter()
            .any(|a| {
                a.role.role_template_id.eq_ignore_ascii_case(&self.role_id)
                    && a.role.member_type == elig.member_type
                    && a.directory_scope_id.eq_ignore_ascii_case(&self.scope)
            });
        held || rt
            .pim
            .live_activation(self.user_id(), &self.role_id, &self.scope, now)
            .is_some()
    }

    fn activate(&mut self) -> Result<Effect, GraphError> {
        let now = self.now;
        let requested_start = self.body.schedule.as_ref().and_then(|s| s.start);
        let start = requested_start.map_or(now, |s| s.max(now));
        self.rules(start)?;
        let Some(elig) = self.eligibility.as_ref() else {
            return Err(policy::refusal(
                &[policy::Failure::Eligibility],
                self.rt.settings.policy_message_style,
            ));
        };
        if self.already_held(elig) {
            return Err(refuse(
                "RoleAssignmentExists",
                "The Role assignment already exists.",
            ));
        }
        self.no_pending(Action::Activate)?;
        self.acrs()?;
        let (member_type, elig_scope) = (elig.member_type, elig.source.scope().to_string());
        let expiration = self.expiration().cloned();
        let duration = policy::requested_duration(start, expiration.as_ref())
            .unwrap_or_else(|| self.policy.max());
        let id = self.draft.id.clone();
        let draft = &mut self.draft;
        draft.duration = Some(duration);
        draft.member_type = member_type;
        draft.target_schedule_id = Some(id.clone());
        draft.schedule = Some(ScheduleInfo {
            start: Some(start),
            expiration,
        });
        if self.policy.approval_required {
            draft.stage = Stage::PendingApproval;
            draft.approval_id = Some(id);
            return Ok(Effect::Nothing);
        }
        let delay = self.rt.settings.activation_delay_seconds.clamp(0, 86_400);
        let effective = start.max(now + Duration::seconds(delay));
        draft.stage = Stage::Granted { at: now, effective };
        Ok(Effect::Activate(Activation {
            schedule_id: id,
            user_id: self.caller.user.id.clone(),
            role_id: self.role_id.clone(),
            directory_scope_id: elig_scope,
            member_type,
            start,
            end: start + duration,
            provisioned_at: effective,
            ended_at: None,
        }))
    }

    fn deactivate(&mut self) -> Result<Effect, GraphError> {
        let now = self.now;
        let live = self
            .rt
            .pim
            .live_activation(self.user_id(), &self.role_id, &self.scope, now);
        let Some(active) = live else {
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
        self.draft.member_type = active.member_type;
        self.draft.target_schedule_id = Some(active.schedule_id.clone());
        self.draft.stage = Stage::Revoked { at: now };
        Ok(Effect::Deactivate {
            schedule_id: active.schedule_id.clone(),
        })
    }

    fn extend(&mut self) -> Result<Effect, GraphError> {
        let now = self.now;
        let live = self
            .rt
            .pim
            .live_activation(self.user_id(), &self.role_id, &self.scope, now)
            .filter(|a| a.is_active(now));
        let Some(active) = live else {
            return Err(refuse(
                "RoleAssignmentDoesNotExist",
                "The Role assignment does not exist.",
            ));
        };
        let window_seconds = self.rt.settings.self_extend_window_seconds;
        let window = Duration::seconds(window_seconds.clamp(0, 366 * 86_400));
        if active.end - now > window {
            return Err(refuse(
                "RoleAssignmentExtensionNotAllowed",
                format!(
                    "The role assignment can be extended only in the last {} before it ends.",
                    super::duration::format(window)
                ),
            ));
        }
        self.rules(active.end)?;
        self.no_pending(Action::Extend)?;
        self.acrs()?;
        let added = policy::requested_duration(active.end, self.expiration())
            .unwrap_or_else(|| self.policy.max());
        let draft = &mut self.draft;
        draft.duration = Some(added);
        draft.member_type = active.member_type;
        draft.target_schedule_id = Some(active.schedule_id.clone());
        if self.policy.approval_required_for_extension {
            draft.stage = Stage::PendingApproval;
            draft.approval_id = Some(draft.id.clone());
            return Ok(Effect::Nothing);
        }
        draft.stage = Stage::Granted {
            at: now,
            effective: now,
        };
        Ok(Effect::Extend {
            schedule_id: active.schedule_id.clone(),
            new_end: active.end + added,
        })
    }
}
