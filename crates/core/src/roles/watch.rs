//! What to tell the user while Elevate runs in the background: an activation about to end
//! (a configurable time before), one that ended, an approval decided. The shell calls
//! `Elevate::watch_tick` every few seconds and shows the notices as OS notifications.
//! Decisions also go into the journal (`decisions`): the decision, then the activation it
//! led to once PIM has put it in place.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::FutureExt;

use crate::api::{AssignmentType, MyRoles, RequestPhase, RoleNotice};
use crate::roles::Roles;

mod decisions;
pub(crate) use decisions::Waiting;
use decisions::{Decided, InPlace};

/// Without pending requests, Graph is read this often to notice activations made elsewhere.
const FULL_READ_EVERY: Duration = Duration::from_secs(5 * 60);

#[derive(Default)]
pub struct WatchState {
    /// Request id → what it asked, for requests waiting for approval.
    pending: HashMap<String, Waiting>,
    /// Approved requests whose activation PIM has not put in place yet.
    approved: HashMap<String, Waiting>,
    /// Seen by a read of My roles (the watch's or a screen's); told by the next tick.
    decided: Vec<Decided>,
    in_place: Vec<InPlace>,
    /// (role id, role name, end) of each activation held.
    activations: Vec<(String, String, DateTime<Utc>)>,
    warned: HashSet<(String, DateTime<Utc>)>,
    ended: HashSet<(String, DateTime<Utc>)>,
    last_read: Option<Instant>,
}

/// One tick's findings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WatchReport {
    pub notices: Vec<RoleNotice>,
    /// The roles changed (approval decided, activation ended): screens should re-read.
    pub changed: bool,
    /// The activation that ends first: (role name, end), for the tray's countdown.
    pub next_end: Option<(String, DateTime<Utc>)>,
}

impl Roles {
    /// The state as the last tick left it, even if that tick panicked while holding it: a
    /// poisoned lock would otherwise fail every later tick, and the UI's reads with them.
    pub(crate) fn watch_state(&self) -> MutexGuard<'_, WatchState> {
        self.watch.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn watch_saw(&self, view: &MyRoles) {
        let mut w = self.watch_state();
        decisions::saw(&mut w, view);
        w.pending = view
            .requests
            .iter()
            .filter(|r| r.phase == RequestPhase::WaitingForApproval)
            .map(|r| (r.id.clone(), Waiting::of(r)))
            .collect();
        w.activations = view
            .active
            .iter()
            .filter(|a| a.assignment_type == AssignmentType::Activated)
            .filter_map(|a| Some((a.role_id.clone(), a.name.clone(), a.end?)))
            .collect();
        w.last_read = Some(Instant::now());
    }

    pub(crate) fn watch_pending(&self, request_id: &str, waiting: Waiting) {
        self.watch_state()
            .pending
            .insert(request_id.to_string(), waiting);
    }

    pub(crate) fn watch_forget(&self, request_id: &str) {
        self.watch_state().pending.remove(request_id);
    }

    /// Reads Graph only when a request waits for a decision (or now and then); expiry
    /// warnings come from what is already known.
    pub async fn watch_tick(&self) -> WatchReport {
        failed_on_panic(self.tick()).await
    }

    async fn tick(&self) -> WatchReport {
        if self.ctx.broker.account().is_none() {
            *self.watch_state() = WatchState::default();
            return WatchReport::default();
        }
        let mut report = WatchReport::default();
        let (waiting, stale) = {
            let w = self.watch_state();
            (
                !w.pending.is_empty() || !w.approved.is_empty(),
                w.last_read.is_none_or(|t| t.elapsed() >= FULL_READ_EVERY),
            )
        };
        if waiting || stale {
            if let Err(e) = self.my_roles().await {
                tracing::debug!(error = %e, "background read of My roles failed");
            }
        }
        self.tell_decisions(&mut report).await;
        let warn_minutes = self.prefs.load().expiry_warning_minutes;
        let now = Utc::now();
        let mut w = self.watch_state();
        let activations = w.activations.clone();
        for (role_id, name, end) in activations {
            let left = end - now;
            let key = (role_id.clone(), end);
            if left <= chrono::TimeDelta::zero() {
                if w.ended.insert(key) {
                    report.changed = true;
                    report.notices.push(RoleNotice {
                        title: format!("{name} has ended"),
                        body: "Activate it again in Elevate if you still need it.".into(),
                    });
                }
            } else if warn_minutes > 0
                && left <= chrono::TimeDelta::minutes(warn_minutes.into())
                && w.warned.insert(key)
            {
                let minutes = (left.num_seconds() + 59) / 60;
                report.notices.push(RoleNotice {
                    title: format!("{name} ends in {minutes} min"),
                    body: "Extend it in Elevate's My roles if you still need it.".into(),
                });
            }
            if left > chrono::TimeDelta::zero()
                && report.next_end.as_ref().is_none_or(|(_, e)| end < *e)
            {
                report.next_end = Some((name, end));
            }
        }
        report
    }
}

/// A tick that panics is a failed tick: the watch runs for the life of the app, and one bug
/// in one tick must not silence every later notice. Unwind safety is asserted because what a
/// broken tick leaves behind is at worst a notice missed or told twice.
async fn failed_on_panic(tick: impl Future<Output = WatchReport>) -> WatchReport {
    match AssertUnwindSafe(tick).catch_unwind().await {
        Ok(report) => report,
        Err(panic) => {
            // Only a literal message: a formatted one may carry what the services answered.
            let message = panic
                .downcast_ref::<&'static str>()
                .copied()
                .unwrap_or("(not shown)");
            tracing::error!(
                panic = message,
                "a background check of My roles failed; the next one runs as usual"
            );
            WatchReport::default()
        }
    }
}

#[cfg(test)]
mod tests;
