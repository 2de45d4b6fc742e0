//! Deactivate an activation (after PIM's 5-minute minimum) and cancel a pending request.

use chrono::{DateTime, Utc};

use super::activation::{Ask, Sent};
use super::view::PIM;
use super::MIN_ACTIVE;
use crate::api::{
    ActivationProgress, ApiError, ErrorCode, JournalAction, JournalOutcome, JournalParams,
    JournalResult, JournalTarget, JournalTargetKind,
};
use crate::clients::graph::pim::AssignmentInstance;
use crate::clients::http::ServiceErrorKind;
use crate::cloud::GRAPH_RESOURCE;
use crate::journal::Entry;
use crate::roles::Roles;
use crate::settings::is_guid;

impl Roles {
    /// Ends an activation now. Before PIM's 5-minute minimum nothing is sent and the answer
    /// says when it becomes possible.
    pub async fn deactivate_role(&self, role_id: &str) -> Result<(), ApiError> {
        let role_id = role_id.trim().to_ascii_lowercase();
        if !is_guid(&role_id) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "That is not a role id Elevate can use. Refresh My roles and try again.",
            ));
        }
        let s = self.graph_session(false).await?;
        let (held, server_now) = self
            .pim(&s)
            .assignments_dated()
            .await
            .map_err(|e| e.to_api_error(PIM))?;
        let a = activated(&held, &role_id)?;
        let name = super::view::display_name(&a.role_definition_id, a.role_definition.as_ref());
        too_soon(a, &name, server_now)?;
        // PIM ends the activation at the scope it was made for.
        let scope = super::view::scope_id(a.directory_scope_id.as_deref());
        let ask = Ask {
            action: "selfDeactivate",
            role_id: &role_id,
            scope: &scope,
            role_name: &name,
            checked: None,
        };
        let quiet = |_: ActivationProgress| {};
        let result = match self.send(&ask, &quiet).await {
            Ok(Sent::Request(req, cid)) => {
                self.journal_role(&ask, JournalResult::succeeded(), cid, Some(req.id), None)
                    .await;
                self.ctx.broker.forget_access_tokens();
                Ok(())
            }
            Ok(Sent::NotActive) => {
                let r = JournalResult {
                    outcome: JournalOutcome::AlreadyDone,
                    code: None,
                    message: Some("The role had already ended.".into()),
                    detail: None,
                };
                self.journal_role(&ask, r, None, None, None).await;
                Ok(())
            }
            Ok(Sent::AlreadyActive) | Ok(Sent::AlreadyPending) => Err(ApiError::new(
                ErrorCode::Service,
                "PIM did not deactivate the role. Refresh My roles and try again.",
            )),
            Err(e) => {
                self.journal_role(
                    &ask,
                    JournalResult::failed(&e),
                    e.correlation_id.clone(),
                    None,
                    None,
                )
                .await;
                Err(e)
            }
        };
        // The next token must not carry the role any more; the refresh is best effort.
        if result.is_ok() {
            let _ = self.ctx.broker.fresh_token_for(GRAPH_RESOURCE, None).await;
        }
        result
    }

    /// Cancels a request still waiting for approval (or not yet in place).
    pub async fn cancel_request(&self, request_id: &str) -> Result<(), ApiError> {
        let id = request_id.trim();
        if id.is_empty()
            || id.len() > 100
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "That is not a request id Elevate can use. Refresh My roles and try again.",
            ));
        }
        let s = self.graph_session(false).await?;
        let pim = self.pim(&s);
        let req = pim.request(id).await.map_err(|e| match e.kind {
            ServiceErrorKind::NotFound => ApiError::new(
                ErrorCode::NotFound,
                "That request does not exist any more. Refresh My roles.",
            )
            .with_correlation_id(e.correlation_id.clone()),
            _ => e.to_api_error(PIM),
        })?;
        let name = crate::directory_roles::name_of(&req.role_definition_id);
        let r = pim.cancel(id).await;
        let result = match &r {
            Ok(()) => JournalResult::succeeded(),
            Err(e) => JournalResult::failed(&cancel_error(e)),
        };
        let params = JournalParams {
            role_name: Some(name.clone()),
            justification: req.justification.clone(),
            ..Default::default()
        };
        let target = JournalTarget {
            kind: JournalTargetKind::Request,
            id: id.to_string(),
            name: format!("{name} request"),
        };
        self.ctx
            .journal
            .write(
                Entry::new(JournalAction::RequestCancel, target, result)
                    .params(params)
                    .correlation_id(r.as_ref().err().and_then(|e| e.correlation_id.clone()))
                    .request_id(Some(id.to_string())),
            )
            .await;
        self.watch_forget(id);
        r.map_err(|e| cancel_error(&e))
    }
}

fn cancel_error(e: &crate::clients::http::ServiceError) -> ApiError {
    match e.kind {
        ServiceErrorKind::Refused => e.explained(ErrorCode::InvalidInput, "This request can no longer be cancelled: it was already decided or completed. Refresh My roles."),
        _ => e.to_api_error(PIM),
    }
}

/// The activation of `role_id` among what is held; an error saying why there is none (not
/// active any more, or assigned permanently).
fn activated<'a>(
    held: &'a [AssignmentInstance],
    role_id: &str,
) -> Result<&'a AssignmentInstance, ApiError> {
    let mine: Vec<_> = held
        .iter()
        .filter(|a| a.role_definition_id.eq_ignore_ascii_case(role_id))
        .collect();
    if let Some(a) = mine.iter().find(|a| {
        a.assignment_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("Activated"))
    }) {
        return Ok(a);
    }
    let name = mine
        .first()
        .map(|a| super::view::display_name(&a.role_definition_id, a.role_definition.as_ref()))
        .unwrap_or_else(|| crate::directory_roles::name_of(role_id));
    let msg = if mine.is_empty() {
        format!("{name} is not active any more: there is nothing to deactivate.")
    } else {
        format!("{name} is assigned to you permanently, not through a PIM activation, so it cannot be deactivated here. Ask your administrator to make it eligible instead.")
    };
    Err(ApiError::new(ErrorCode::InvalidInput, msg))
}

/// PIM keeps a role active for at least 5 minutes, counted by its clock (`server_now`).
fn too_soon(
    a: &AssignmentInstance,
    name: &str,
    server_now: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    // A start at the end of what a date can hold has no "5 minutes later": PIM decides.
    let Some(from) = a
        .start_date_time
        .and_then(|s| s.checked_add_signed(MIN_ACTIVE))
    else {
        return Ok(());
    };
    let wait = from - server_now.unwrap_or_else(Utc::now);
    if wait > chrono::TimeDelta::zero() {
        let minutes = (wait.num_seconds() + 59) / 60;
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("PIM keeps a role active for at least 5 minutes after it starts. You can deactivate {name} in {minutes} {unit}."),
        ));
    }
    Ok(())
}
