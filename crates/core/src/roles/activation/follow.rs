//! After a request was sent: following it until the role is held (and in the token), or
//! saying it waits for approval, was already active, or failed; each journaled.

use chrono::{DateTime, Utc};

use super::{params_of, stage, Ask, Progress, Role, WithRequest};
use crate::api::{
    ActivationOutcome, ActivationResult, ActivationStage, ApiError, ErrorCode, JournalAction,
    JournalOutcome, JournalResult, RequestPhase,
};
use crate::clients::graph::pim::ScheduleRequest;
use crate::journal::Entry;
use crate::roles::confirm::not_in_sign_in;
use crate::roles::view::phase;
use crate::roles::Roles;

impl Roles {
    /// Follows a granted request until the role is held and in the token.
    pub(super) async fn follow(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        req: ScheduleRequest,
        cid: Option<String>,
        progress: Progress<'_>,
    ) -> ActivationOutcome {
        stage(progress, r, ActivationStage::Activating, None);
        if let Err(ended) = self
            .until_completed(r, ask, &req, cid.clone(), progress)
            .await
        {
            return ended;
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
        self.ctx.broker.forget_access_tokens();
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

    /// Polls the request until PIM has put the role in place; `Err` with the outcome when
    /// it ended otherwise (waiting for approval, refused, or still not done at the deadline).
    async fn until_completed(
        &self,
        r: &Role,
        ask: &Ask<'_>,
        req: &ScheduleRequest,
        cid: Option<String>,
        progress: Progress<'_>,
    ) -> Result<(), ActivationOutcome> {
        let deadline = tokio::time::Instant::now() + self.ctx.timing().provisioning_timeout;
        let mut status = req.status.clone();
        loop {
            match phase(&status) {
                RequestPhase::Completed => return Ok(()),
                RequestPhase::WaitingForApproval => {
                    return Err(self.pending(r, ask, req.id.clone(), cid, progress).await)
                }
                RequestPhase::Provisioning if tokio::time::Instant::now() < deadline => {}
                RequestPhase::Provisioning => {
                    let e = ApiError::new(ErrorCode::Service, "PIM accepted the request but has not finished activating the role yet. Check My roles in a few minutes.");
                    return Err(self.failed(r, ask, e, progress).await.with_request(&req.id));
                }
                RequestPhase::Denied | RequestPhase::Canceled | RequestPhase::Failed => {
                    let e = ApiError::new(
                        ErrorCode::Service,
                        format!(
                            "PIM did not activate {}: the request ended as {status}.",
                            r.name
                        ),
                    );
                    return Err(self.failed(r, ask, e, progress).await.with_request(&req.id));
                }
            }
            tokio::time::sleep(self.ctx.timing().poll_every).await;
            match self.graph_session(false).await {
                Ok(s) => match self.pim(&s).request(&req.id).await {
                    Ok(now) => status = now.status,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not read the request; trying again")
                    }
                },
                Err(e) => return Err(self.failed(r, ask, e, progress).await.with_request(&req.id)),
            }
        }
    }

    pub(super) async fn pending(
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
            let waiting = crate::roles::watch::Waiting {
                role_id: r.id.clone(),
                role_name: r.name.clone(),
                action: ask.action.to_string(),
                params: params_of(ask),
            };
            self.watch_pending(i, waiting);
        }
        self.outcome(r, ActivationResult::Pending, id, None, false, None)
    }

    pub(super) async fn already_active(
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

    pub(super) async fn failed(
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

    pub(super) fn outcome(
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
        self.ctx
            .journal
            .write(
                Entry::directory_role(action, ask.role_id, ask.role_name, result)
                    .params(params_of(ask))
                    .correlation_id(correlation_id)
                    .request_id(request_id)
                    .expires_at(expires_at),
            )
            .await;
    }
}
