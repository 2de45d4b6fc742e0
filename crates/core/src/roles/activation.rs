//! Activate and extend: check the input against each role's policy, send the request (with a
//! step-up sign-in and one retry when PIM asks for MFA or an authentication context), follow
//! it until the role is held, then refresh the sign-in until the role is in the token.

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::confirm::not_in_sign_in;
use super::refusal::{self, Refusal};
use super::validate::{self, Checked};
use super::view::{phase, PIM};
use crate::api::{
    ActivationInput, ActivationOutcome, ActivationProgress, ActivationResult, ActivationStage,
    ApiError, ErrorCode, ExtendInput, JournalAction, JournalOutcome, JournalParams, JournalResult,
    RequestPhase, RolePolicy,
};
use crate::auth::AuthError;
use crate::clients::graph::pim::{NewRequest, ScheduleRequest};
use crate::cloud::GRAPH_RESOURCE;
use crate::journal::Entry;
use crate::Elevate;

/// At most this many step-up sign-ins for one request (MFA, then an authentication context).
const MAX_STEP_UPS: u32 = 2;

pub(crate) type Progress<'a> = &'a (dyn Fn(ActivationProgress) + Send + Sync);

/// What was asked of PIM, for sending (again after a step-up) and for the journal.
pub(crate) struct Ask<'a> {
    pub action: &'static str,
    pub role_id: &'a str,
    /// The eligibility's (or the activation's) own scope: PIM refuses any other.
    pub scope: &'a str,
    pub role_name: &'a str,
    pub checked: Option<&'a Checked>,
}

pub(crate) enum Sent {
    Request(ScheduleRequest, Option<String>),
    AlreadyActive,
    AlreadyPending,
    NotActive,
}

pub(super) struct Role {
    pub id: String,
    pub name: String,
    pub policy: Option<RolePolicy>,
    pub scope: String,
    /// "Sales (administrative unit)"; for stage texts.
    pub scope_text: String,
    /// A token's `wids` can carry it (tenant-wide and built in).
    pub in_wids: bool,
    pub custom: bool,
}

impl Elevate {
    /// Activates each role of `input` (one justification and ticket for all); every role ends
    /// with an outcome, and one role's refusal does not stop the others.
    pub async fn activate_roles(
        &self,
        input: ActivationInput,
        progress: Progress<'_>,
    ) -> Result<Vec<ActivationOutcome>, ApiError> {
        let roles = self
            .eligible_for(&input.role_ids, input.scope_ids.as_ref())
            .await?;
        let policies: Vec<(&str, Option<&RolePolicy>)> = roles
            .iter()
            .map(|r| (r.name.as_str(), r.policy.as_ref()))
            .collect();
        let checked = validate::check(
            &policies,
            input.duration_minutes,
            &input.justification,
            &input.ticket_number,
            &input.ticket_system,
        )?;
        for r in &roles {
            stage(progress, r, ActivationStage::Validating, None);
        }
        self.prefs.remember(&checked);
        let mut outcomes = Vec::new();
        let mut granted = Vec::new();
        for r in &roles {
            stage(progress, r, ActivationStage::Submitting, None);
            let ask = Ask {
                action: "selfActivate",
                role_id: &r.id,
                scope: &r.scope,
                role_name: &r.name,
                checked: Some(&checked),
            };
            match self.send(&ask, progress).await {
                Ok(Sent::Request(req, cid))
                    if phase(&req.status) == RequestPhase::WaitingForApproval =>
                {
                    outcomes.push(self.pending(r, &ask, req.id, cid, progress).await);
                }
                Ok(Sent::Request(req, cid)) => granted.push((r, req, cid)),
                Ok(Sent::AlreadyPending) => {
                    let mut o = self.pending(r, &ask, String::new(), None, progress).await;
                    o.request_id = None;
                    outcomes.push(o);
                }
                Ok(Sent::AlreadyActive) => {
                    outcomes.push(self.already_active(r, &ask, progress).await)
                }
                Ok(Sent::NotActive) => outcomes.push(
                    self.failed(
                        r,
                        &ask,
                        ApiError::new(
                            ErrorCode::Service,
                            "PIM answered as if the role were not active.",
                        ),
                        progress,
                    )
                    .await,
                ),
                Err(e) => outcomes.push(self.failed(r, &ask, e, progress).await),
            }
        }
        let checked = &checked;
        let waits = granted.into_iter().map(|(r, req, cid)| async move {
            let ask = Ask {
                action: "selfActivate",
                role_id: &r.id,
                scope: &r.scope,
                role_name: &r.name,
                checked: Some(checked),
            };
            self.follow(r, &ask, req, cid, progress).await
        });
        outcomes.extend(futures::future::join_all(waits).await);
        // Keep the dialog's order (the order roles were chosen in).
        outcomes.sort_by_key(|o| roles.iter().position(|r| r.id == o.role_id));
        Ok(outcomes)
    }

    /// Extends an activation near its end by the chosen duration.
    pub async fn extend_role(
        &self,
        input: ExtendInput,
        progress: Progress<'_>,
    ) -> Result<ActivationOutcome, ApiError> {
        let s = self.graph_session(false).await?;
        let held = self
            .pim(&s)
            .assignments()
            .await
            .map_err(|e| e.to_api_error(PIM))?;
        // The extension is for the activation held, at its scope.
        let activated = held.iter().find(|a| {
            a.role_definition_id
                .eq_ignore_ascii_case(input.role_id.trim())
                && a.assignment_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case("Activated"))
        });
        let scopes = activated.map(|a| {
            std::collections::BTreeMap::from([(
                input.role_id.trim().to_ascii_lowercase(),
                super::view::scope_id(a.directory_scope_id.as_deref()),
            )])
        });
        let roles = self
            .eligible_for(std::slice::from_ref(&input.role_id), scopes.as_ref())
            .await?;
        let r = &roles[0];
        if activated.is_none() {
            return Err(ApiError::new(ErrorCode::InvalidInput, format!("{} is not active through PIM, so there is nothing to extend. Activate it instead.", r.name)));
        }
        let checked = validate::check(
            &[(r.name.as_str(), r.policy.as_ref())],
            input.duration_minutes,
            &input.justification,
            &input.ticket_number,
            &input.ticket_system,
        )?;
        self.prefs.remember(&checked);
        let ask = Ask {
            action: "selfExtend",
            role_id: &r.id,
            scope: &r.scope,
            role_name: &r.name,
            checked: Some(&checked),
        };
        stage(progress, r, ActivationStage::Submitting, None);
        Ok(match self.send(&ask, progress).await {
            Ok(Sent::Request(req, cid))
                if phase(&req.status) == RequestPhase::WaitingForApproval =>
            {
                self.pending(r, &ask, req.id, cid, progress).await
            }
            Ok(Sent::Request(req, cid)) => self.follow(r, &ask, req, cid, progress).await,
            Ok(Sent::AlreadyPending) => self.pending(r, &ask, String::new(), None, progress).await,
            Ok(Sent::NotActive) => {
                self.failed(
                    r,
                    &ask,
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!(
                            "{} is no longer active, so it cannot be extended. Activate it again.",
                            r.name
                        ),
                    ),
                    progress,
                )
                .await
            }
            Ok(Sent::AlreadyActive) => self.already_active(r, &ask, progress).await,
            Err(e) => self.failed(r, &ask, e, progress).await,
        })
    }

    /// Sends the request; a step-up sign-in and the same request again when PIM asks for one.
    pub(crate) async fn send(
        &self,
        ask: &Ask<'_>,
        progress: Progress<'_>,
    ) -> Result<Sent, ApiError> {
        let mut step_ups = 0;
        loop {
            let s = self.graph_session(step_ups > 0).await?;
            let c = ask.checked;
            let req = NewRequest {
                action: ask.action,
                principal_id: &s.oid,
                role_id: ask.role_id,
                scope: ask.scope,
                duration: c.map(|c| super::duration::format_minutes(c.duration_minutes)),
                justification: c.and_then(|c| c.justification.as_deref()),
                ticket_number: c.and_then(|c| c.ticket_number.as_deref()),
                ticket_system: c.and_then(|c| c.ticket_system.as_deref()),
            };
            let e = match self.pim(&s).submit(&req).await {
                Ok(r) => return Ok(Sent::Request(r, None)),
                Err(e) => e,
            };
            match refusal::classify(&e) {
                Refusal::StepUp { claims, why } if step_ups < MAX_STEP_UPS => {
                    progress(ActivationProgress { role_id: ask.role_id.into(), role_name: ask.role_name.into(), stage: ActivationStage::SigningIn, message: Some(why.message().into()) });
                    self.step_up(&claims).await?;
                    step_ups += 1;
                    progress(ActivationProgress { role_id: ask.role_id.into(), role_name: ask.role_name.into(), stage: ActivationStage::Submitting, message: None });
                }
                Refusal::StepUp { .. } => {
                    return Err(ApiError::new(
                        ErrorCode::InteractionRequired,
                        "PIM still asks for a stronger sign-in after you confirmed one. Sign out, sign in again with multi-factor authentication, then retry.",
                    )
                    .with_correlation_id(e.correlation_id.clone()))
                }
                Refusal::AlreadyActive => return Ok(Sent::AlreadyActive),
                Refusal::AlreadyPending => return Ok(Sent::AlreadyPending),
                Refusal::NotActive => return Ok(Sent::NotActive),
                Refusal::Final(api) => return Err(api),
            }
        }
    }

    /// A sign-in that satisfies `claims`: silently when the refresh token already proves it,
    /// else in the browser with the same account (login hint).
    async fn step_up(&self, claims: &str) -> Result<(), ApiError> {
        match self
            .broker()
            .fresh_token_for(GRAPH_RESOURCE, Some(claims))
            .await
        {
            Ok(_) => return Ok(()),
            Err(AuthError::InteractionRequired { .. }) | Err(AuthError::Server(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let target = self.broker().target().ok_or(AuthError::NotSignedIn)?;
        let hint = self.broker().account().map(|a| a.upn);
        let cancel = CancellationToken::new();
        self.replace_sign_in_cancel(Some(cancel.clone()));
        let grant = self
            .broker()
            .authenticator()
            .sign_in_browser(&target, Some(claims), hint.as_deref(), &|_| {}, cancel)
            .await;
        self.replace_sign_in_cancel(None);
        self.broker().step_up(grant?).await?;
        Ok(())
    }

    /// Follows a granted request until the role is held and in the token.
    async fn follow(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        req: ScheduleRequest,
        cid: Option<String>,
        progress: Progress<'_>,
    ) -> ActivationOutcome {
        stage(progress, r, ActivationStage::Activating, None);
        let deadline = tokio::time::Instant::now() + self.ctx.timing.provisioning_timeout;
        let mut status = req.status.clone();
        loop {
            match phase(&status) {
                RequestPhase::Completed => break,
                RequestPhase::WaitingForApproval => {
                    return self.pending(r, ask, req.id.clone(), cid, progress).await
                }
                RequestPhase::Provisioning if tokio::time::Instant::now() < deadline => {}
                RequestPhase::Provisioning => {
                    let e = ApiError::new(ErrorCode::Service, "PIM accepted the request but has not finished activating the role yet. Check My roles in a few minutes.");
                    return self.failed(r, ask, e, progress).await.with_request(&req.id);
                }
                RequestPhase::Denied | RequestPhase::Canceled | RequestPhase::Failed => {
                    let e = ApiError::new(
                        ErrorCode::Service,
                        format!(
                            "PIM did not activate {}: the request ended as {status}.",
                            r.name
                        ),
                    );
                    return self.failed(r, ask, e, progress).await.with_request(&req.id);
                }
            }
            tokio::time::sleep(self.ctx.timing.poll_every).await;
            match self.graph_session(false).await {
                Ok(s) => match self.pim(&s).request(&req.id).await {
                    Ok(now) => status = now.status,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not read the request; trying again")
                    }
                },
                Err(e) => return self.failed(r, ask, e, progress).await.with_request(&req.id),
            }
        }
        let expires_at = self.activation_end(&r.id, &r.scope).await;
        let in_token = if r.in_wids {
            stage(progress, r, ActivationStage::UpdatingSignIn, None);
            self.wait_in_token(&r.id).await
        } else {
            // A sign-in never lists custom roles or unit-scoped ones: waiting for it to would
            // only run out. PIM's own list of held roles is the confirmation instead.
            stage(
                progress,
                r,
                ActivationStage::UpdatingSignIn,
                Some(not_in_sign_in(r)),
            );
            self.wait_held(&r.id, &r.scope).await
        };
        // Power Platform and Dataverse tokens minted before the role was held do not show it.
        self.broker().forget_access_tokens();
        let mut o = self.outcome(
            r,
            ActivationResult::Active,
            Some(req.id.clone()),
            expires_at,
            in_token,
            None,
        );
        o.in_token = in_token;
        self.journal_role(
            ask,
            JournalResult::succeeded(),
            cid,
            Some(req.id),
            expires_at,
        )
        .await;
        let msg = match (in_token, r.in_wids) {
            (true, _) => None,
            (false, true) => Some("The role is active, but your sign-in does not show it yet. Services may take a few minutes to see it.".to_string()),
            (false, false) => Some("PIM granted the role, but does not list it as yours yet. Check My roles in a few minutes.".to_string()),
        };
        stage(progress, r, ActivationStage::Active, msg);
        o
    }

    async fn pending(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        request_id: String,
        cid: Option<String>,
        progress: Progress<'_>,
    ) -> ActivationOutcome {
        let approvers = r
            .policy
            .as_ref()
            .map(|p| p.approvers.join(", "))
            .filter(|a| !a.is_empty());
        let msg = match approvers {
            Some(a) => {
                format!("Waiting for approval by {a}. Elevate will tell you when it is decided.")
            }
            None => "Waiting for approval. Elevate will tell you when it is decided.".to_string(),
        };
        stage(
            progress,
            r,
            ActivationStage::WaitingForApproval,
            Some(msg.clone()),
        );
        let id = (!request_id.is_empty()).then_some(request_id);
        let mut result = JournalResult {
            outcome: JournalOutcome::Pending,
            code: None,
            message: Some(msg),
            detail: None,
        };
        if id.is_none() {
            result.message = Some("A request for this role was already waiting for approval; no new request was sent.".into());
        }
        self.journal_role(ask, result, cid, id.clone(), None).await;
        if let Some(i) = &id {
            let waiting = super::watch::Waiting {
                role_id: r.id.clone(),
                role_name: r.name.clone(),
                action: ask.action.to_string(),
                params: params_of(ask),
            };
            self.watch_pending(i, waiting);
        }
        self.outcome(r, ActivationResult::Pending, id, None, false, None)
    }

    async fn already_active(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        progress: Progress<'_>,
    ) -> ActivationOutcome {
        let expires_at = self.activation_end(&r.id, &r.scope).await;
        let in_token = !r.in_wids
            || self
                .graph_session(false)
                .await
                .is_ok_and(|s| s.wids.iter().any(|w| w.eq_ignore_ascii_case(&r.id)));
        let result = JournalResult {
            outcome: JournalOutcome::AlreadyDone,
            code: None,
            message: Some("The role was already active.".into()),
            detail: None,
        };
        self.journal_role(ask, result, None, None, expires_at).await;
        stage(
            progress,
            r,
            ActivationStage::Active,
            Some("It was already active: nothing was changed.".into()),
        );
        self.outcome(
            r,
            ActivationResult::AlreadyActive,
            None,
            expires_at,
            in_token,
            None,
        )
    }

    async fn failed(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        e: ApiError,
        progress: Progress<'_>,
    ) -> ActivationOutcome {
        self.journal_role(
            ask,
            JournalResult::failed(&e),
            e.correlation_id.clone(),
            None,
            None,
        )
        .await;
        stage(
            progress,
            r,
            ActivationStage::Failed,
            Some(e.message.clone()),
        );
        self.outcome(r, ActivationResult::Failed, None, None, false, Some(e))
    }

    fn outcome(
        &self,
        r: &Role,
        result: ActivationResult,
        request_id: Option<String>,
        expires_at: Option<DateTime<Utc>>,
        in_token: bool,
        error: Option<ApiError>,
    ) -> ActivationOutcome {
        ActivationOutcome {
            role_id: r.id.clone(),
            role_name: r.name.clone(),
            result,
            request_id,
            expires_at,
            in_token,
            error,
        }
    }

    pub(crate) async fn journal_role(
        &self,
        ask: &Ask<'_>,
        result: JournalResult,
        correlation_id: Option<String>,
        request_id: Option<String>,
        expires_at: Option<DateTime<Utc>>,
    ) {
        let action = match ask.action {
            "selfActivate" => JournalAction::RoleActivate,
            "selfExtend" => JournalAction::RoleExtend,
            _ => JournalAction::RoleDeactivate,
        };
        self.journal_entry(
            Entry::directory_role(action, ask.role_id, ask.role_name, result)
                .params(params_of(ask))
                .correlation_id(correlation_id)
                .request_id(request_id)
                .expires_at(expires_at),
        )
        .await;
    }
}

trait WithRequest {
    fn with_request(self, id: &str) -> Self;
}

impl WithRequest for ActivationOutcome {
    fn with_request(mut self, id: &str) -> Self {
        self.request_id = Some(id.to_string());
        self
    }
}

fn params_of(ask: &Ask<'_>) -> JournalParams {
    let c = ask.checked;
    JournalParams {
        duration_minutes: c.map(|c| c.duration_minutes),
        ticket_number: c.and_then(|c| c.ticket_number.clone()),
        ticket_system: c.and_then(|c| c.ticket_system.clone()),
        justification: c.and_then(|c| c.justification.clone()),
        ..Default::default()
    }
}

fn stage(progress: Progress<'_>, r: &Role, stage: ActivationStage, message: Option<String>) {
    progress(ActivationProgress {
        role_id: r.id.clone(),
        role_name: r.name.clone(),
        stage,
        message,
    });
}
