//! Activate and extend: check the input against each role's policy, send the request (with a
//! step-up sign-in and one retry when PIM asks for MFA or an authentication context), follow
//! it until the role is held, then refresh the sign-in until the role is in the token.

use tokio_util::sync::CancellationToken;

use super::refusal::{self, Refusal};
use super::validate::{self, Checked};
use super::view::{phase, PIM};
use crate::api::{
    ActivationInput, ActivationOutcome, ActivationProgress, ActivationStage, ApiError, ErrorCode,
    ExtendInput, JournalParams, RequestPhase, RolePolicy,
};
use crate::auth::AuthError;
use crate::clients::graph::pim::{NewRequest, ScheduleRequest};
use crate::cloud::GRAPH_RESOURCE;
use crate::roles::Roles;

mod follow;

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

// One per request sent, never stored: boxing the request would only add an allocation.
#[allow(clippy::large_enum_variant)]
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

impl Roles {
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
            .ctx
            .broker
            .fresh_token_for(GRAPH_RESOURCE, Some(claims))
            .await
        {
            Ok(_) => return Ok(()),
            Err(AuthError::InteractionRequired { .. }) | Err(AuthError::Server(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let target = self.ctx.broker.target().ok_or(AuthError::NotSignedIn)?;
        let hint = self.ctx.broker.account().map(|a| a.upn);
        let cancel = CancellationToken::new();
        self.sign_in_cancel.replace(Some(cancel.clone()));
        let grant = self
            .ctx
            .broker
            .authenticator()
            .sign_in_browser(&target, Some(claims), hint.as_deref(), &|_| {}, cancel)
            .await;
        self.sign_in_cancel.replace(None);
        self.ctx.broker.step_up(grant?).await?;
        Ok(())
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
