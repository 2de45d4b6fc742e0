//! An approver's decision, seen by the next read of My roles: a notice, a journal entry for
//! the decision, and — once PIM has put the approved role in place — one for the activation
//! (or extension) itself, so the journal does not end at "Pending".

use chrono::{DateTime, Utc};

use super::{WatchReport, WatchState};
use crate::api::{
    AssignmentType, JournalAction, JournalOutcome, JournalParams, JournalResult, JournalTarget,
    JournalTargetKind, MyRoles, RequestPhase, RoleNotice, RoleRequest,
};
use crate::journal::Entry;
use crate::roles::Roles;

/// What a request waiting for approval asked, for the entries its decision leads to.
#[derive(Debug, Clone)]
pub(crate) struct Waiting {
    pub role_id: String,
    pub role_name: String,
    /// `selfActivate` or `selfExtend`, as Graph has it.
    pub action: String,
    pub params: JournalParams,
}

impl Waiting {
    pub(crate) fn of(r: &RoleRequest) -> Self {
        Self {
            role_id: r.role_id.clone(),
            role_name: r.role_name.clone(),
            action: r.action.clone(),
            params: JournalParams {
                duration_minutes: r.duration_minutes,
                ticket_number: r.ticket_number.clone(),
                justification: r.justification.clone(),
                ..Default::default()
            },
        }
    }

    fn is_extension(&self) -> bool {
        self.action.eq_ignore_ascii_case("selfExtend")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Decided {
    request_id: String,
    asked: Waiting,
    phase: RequestPhase,
}

#[derive(Debug, Clone)]
pub(crate) struct InPlace {
    request_id: String,
    asked: Waiting,
    expires_at: Option<DateTime<Utc>>,
}

/// Compares what was waiting with what a read found, and queues what changed.
pub(super) fn saw(w: &mut WatchState, view: &MyRoles) {
    let phase_of = |id: &str| view.requests.iter().find(|r| r.id == id).map(|r| r.phase);
    for (id, asked) in std::mem::take(&mut w.pending) {
        let Some(phase) = phase_of(&id) else { continue };
        if phase == RequestPhase::WaitingForApproval {
            continue;
        }
        if matches!(phase, RequestPhase::Provisioning | RequestPhase::Completed) {
            w.approved.insert(id.clone(), asked.clone());
        }
        w.decided.push(Decided {
            request_id: id,
            asked,
            phase,
        });
    }
    for (id, asked) in std::mem::take(&mut w.approved) {
        match phase_of(&id) {
            Some(RequestPhase::Completed) => {
                let expires_at = view
                    .active
                    .iter()
                    .filter(|a| {
                        a.assignment_type == AssignmentType::Activated
                            && a.role_id.eq_ignore_ascii_case(&asked.role_id)
                    })
                    .filter_map(|a| a.end)
                    .max();
                w.in_place.push(InPlace {
                    request_id: id,
                    asked,
                    expires_at,
                });
            }
            Some(RequestPhase::Provisioning) => {
                w.approved.insert(id, asked);
            }
            // Cancelled or failed before it was in place: the decision entry says enough.
            _ => {}
        }
    }
}

impl Roles {
    /// Notices and journal entries for what the last reads queued.
    pub(super) async fn tell_decisions(&self, report: &mut WatchReport) {
        let (decided, in_place) = {
            let mut w = self.watch_state();
            (
                std::mem::take(&mut w.decided),
                std::mem::take(&mut w.in_place),
            )
        };
        for d in decided {
            report.changed = true;
            let role = &d.asked.role_name;
            let (title, body, result) = match d.phase {
                RequestPhase::WaitingForApproval | RequestPhase::Canceled => continue,
                RequestPhase::Provisioning | RequestPhase::Completed => (
                    format!("{role} approved"),
                    "Your request was approved; the role is being activated.",
                    outcome(
                        JournalOutcome::Succeeded,
                        "Approved. PIM is putting the role in place.",
                    ),
                ),
                RequestPhase::Denied => (
                    format!("{role} denied"),
                    "Your request was denied. See My roles → Requests for details.",
                    outcome(
                        JournalOutcome::Failed,
                        "Denied by the approver. Ask them why, or request again with more detail.",
                    ),
                ),
                RequestPhase::Failed => (
                    format!("{role} request failed"),
                    "PIM could not complete your request. See My roles → Requests.",
                    outcome(
                        JournalOutcome::Failed,
                        "PIM could not complete the request after the decision.",
                    ),
                ),
            };
            report.notices.push(RoleNotice {
                title,
                body: body.into(),
            });
            let target = JournalTarget {
                kind: JournalTargetKind::Request,
                id: d.request_id.clone(),
                name: format!("{role} request"),
            };
            let params = JournalParams {
                role_name: Some(role.clone()),
                ..d.asked.params.clone()
            };
            self.ctx
                .journal
                .write(
                    Entry::new(JournalAction::ApprovalDecided, target, result)
                        .params(params)
                        .request_id(Some(d.request_id)),
                )
                .await;
        }
        for p in in_place {
            report.changed = true;
            let (action, words) = if p.asked.is_extension() {
                (JournalAction::RoleExtend, "Extended after approval.")
            } else {
                (JournalAction::RoleActivate, "Activated after approval.")
            };
            let done = outcome(JournalOutcome::Succeeded, words);
            self.ctx
                .journal
                .write(
                    Entry::directory_role(action, &p.asked.role_id, &p.asked.role_name, done)
                        .params(p.asked.params)
                        .request_id(Some(p.request_id))
                        .expires_at(p.expires_at),
                )
                .await;
        }
    }
}

fn outcome(outcome: JournalOutcome, message: &str) -> JournalResult {
    JournalResult {
        outcome,
        code: None,
        message: Some(message.into()),
        detail: None,
    }
}
