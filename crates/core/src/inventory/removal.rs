//! Carrying out a clean-up's rows: a DELETE (removal) or POST (rollback) per row, with its
//! steps recorded in the run's sealed progress file before and after it is sent, and a
//! journal entry as the account that started the run.
//!
//! A request whose answer is lost (no connection, 5xx, timeout after it was sent) may have
//! changed the role: it is recorded `unknown`, and the next resume or rollback reads the
//! user's roles first (`Act::Check`) and acts on what is there.

use futures::StreamExt;

use super::runlog::{result_of, PlannedRow, RunFolder, Step};
use super::InventoryService;
use crate::api::{
    ApiError, CleanupProgress, CleanupRun, ErrorCode, JournalAction, JournalOutcome, JournalParams,
    JournalRef, JournalResult, JournalTarget, JournalTargetKind, RemovalOutcome, RemovalResult,
};
use crate::clients::dataverse::Dataverse;
use crate::clients::http::{ServiceError, ServiceErrorKind};
use crate::journal::Entry;
use crate::privileged::Running;

use super::cleanup::CleanupSink;

/// Rows changed at the same time (across environments).
const AT_ONCE: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    Remove,
    Restore,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Act {
    Send,
    /// The last request got no answer: read the user's roles, then act on what is there.
    Check,
    /// Done by an earlier run: nothing is sent.
    Done,
    /// Its environment is gone from Power Platform: nothing can be sent.
    Gone,
}

pub(super) struct Todo {
    pub row: PlannedRow,
    pub act: Act,
}

impl Todo {
    fn new(row: PlannedRow, act: Act) -> Self {
        // `runs::open_run` blanks the URL of an environment Power Platform no longer has.
        let act = if row.url.is_empty() && act != Act::Done {
            Act::Gone
        } else {
            act
        };
        Self { row, act }
    }

    pub fn send(row: PlannedRow) -> Self {
        Self::new(row, Act::Send)
    }

    pub fn for_resume(row: PlannedRow, step: Option<Step>) -> Self {
        let act = match step {
            Some(Step::Removed) => Act::Done,
            Some(Step::Removing) | Some(Step::Unknown) => Act::Check,
            _ => Act::Send,
        };
        Self::new(row, act)
    }

    /// Only rows recorded removed, or whose removal or restore got no answer.
    pub fn for_rollback(row: PlannedRow, step: Option<Step>) -> Option<Self> {
        let act = match step? {
            Step::Removed | Step::RestoreFailed => Act::Send,
            Step::Removing | Step::Unknown | Step::Restoring | Step::RestoreUnknown => Act::Check,
            Step::Failed | Step::Restored => return None,
        };
        Some(Self::new(row, act))
    }
}

/// No answer, or one that does not say the request was refused: it may have been carried out.
fn answer_lost(e: &ServiceError) -> bool {
    matches!(
        e.kind,
        ServiceErrorKind::Network
            | ServiceErrorKind::Server
            | ServiceErrorKind::Malformed
            | ServiceErrorKind::TooLarge
            | ServiceErrorKind::InterceptedByNetwork
            | ServiceErrorKind::TimedOut { .. }
    )
}

struct RowDone {
    outcome: RemovalOutcome,
    /// Its step could not be written to the progress file.
    unrecorded: bool,
}

impl InventoryService {
    pub(super) async fn execute(
        &self,
        run: &Running<'_>,
        folder: &RunFolder,
        todo: Vec<Todo>,
        mode: Mode,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let total = todo.len() as u32;
        let done = std::sync::atomic::AtomicU32::new(0);
        let done = &done;
        let jobs: Vec<_> = todo
            .into_iter()
            .map(|t| async move {
                let out = self.one_row(run, folder, &t, mode).await;
                if let Some(d) = &out {
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                    progress(CleanupProgress {
                        done: n,
                        total,
                        latest: d.outcome.clone(),
                    });
                }
                out
            })
            .collect();
        let rows: Vec<Option<RowDone>> = futures::stream::iter(jobs)
            .buffered(AT_ONCE)
            .collect()
            .await;
        let not_sent = rows.iter().filter(|r| r.is_none()).count();
        let unrecorded = rows.iter().flatten().filter(|r| r.unrecorded).count();
        let outcomes: Vec<RemovalOutcome> = rows.into_iter().flatten().map(|r| r.outcome).collect();
        let count = |r: RemovalResult| outcomes.iter().filter(|o| o.result == r).count() as u32;
        let (failed, unknown) = (count(RemovalResult::Failed), count(RemovalResult::Unknown));
        let changed = count(RemovalResult::Removed) + count(RemovalResult::Restored);
        if let Some(stop) = run.stopped(&self.ctx.broker).filter(|_| not_sent > 0) {
            let _ = folder.log(&format!(
                "Stopped ({stop:?}): {changed} changed, {failed} failed, {unknown} without an answer, {not_sent} not sent."
            ));
            return Err(stop.error(&format!(
                "{changed} assignment(s) were changed before it stopped (each is in the activity journal); {not_sent} were not sent. Sign in as {} and resume the run under Earlier runs.",
                run.account.upn
            )));
        }
        // From here on rows were sent: a file that cannot be written is said, never "nothing changed".
        let mut trouble = Vec::new();
        if unrecorded > 0 {
            trouble.push(format!("the progress of {unrecorded} row(s)"));
        }
        if let Err(e) = folder.report(&outcomes) {
            tracing::error!(error = %e, "could not write the clean-up report");
            trouble.push("the report (report.csv)".to_string());
        }
        if let Err(e) = folder.log(&format!(
            "Finished: {changed} changed, {failed} failed, {unknown} without an answer."
        )) {
            tracing::error!(error = %e, "could not write the clean-up log");
            trouble.push("the log (log.txt)".to_string());
        }
        let notice = (!trouble.is_empty()).then(|| format!(
            "The clean-up ran (the results below are what happened, and each change is in the activity journal), but Elevate could not write {} in the run's logs folder. Check the disk space.",
            trouble.join(" and ")
        ));
        Ok(CleanupRun {
            run_id: folder.run_id.clone(),
            logs_folder: folder.dir.display().to_string(),
            removed: count(RemovalResult::Removed) + count(RemovalResult::AlreadyDone),
            failed,
            unknown,
            notice,
            outcomes,
        })
    }

    /// `None` when the run was stopped before this row was sent.
    async fn one_row(
        &self,
        run: &Running<'_>,
        folder: &RunFolder,
        todo: &Todo,
        mode: Mode,
    ) -> Option<RowDone> {
        let row = &todo.row;
        let mut done = RowDone {
            outcome: RemovalOutcome {
                removal: row.removal.clone(),
                result: RemovalResult::AlreadyDone,
                error: None,
            },
            unrecorded: false,
        };
        match todo.act {
            Act::Done => return Some(done),
            Act::Gone => {
                done.outcome.result = RemovalResult::Failed;
                done.outcome.error = Some(ApiError::new(
                    ErrorCode::NotFound,
                    "This environment no longer exists in Power Platform, so nothing was sent.",
                ));
                return Some(done);
            }
            Act::Send | Act::Check => {}
        }
        if run.stopped(&self.ctx.broker).is_some() {
            return None;
        }
        let token = match self.dataverse_token(&row.url).await {
            Ok(t) => t,
            Err(e) => {
                // Nothing was sent: a fresh row is recorded failed, others keep their step.
                done.outcome.result = if todo.act == Act::Check {
                    RemovalResult::Unknown
                } else {
                    RemovalResult::Failed
                };
                if todo.act == Act::Send && mode == Mode::Remove {
                    done.unrecorded = folder
                        .record(
                            self.ctx.journal.journal(),
                            row,
                            Step::Failed,
                            Some(&e.message),
                        )
                        .is_err();
                }
                done.outcome.error = Some(e);
                return Some(done);
            }
        };
        let dv = Dataverse::new(&self.ctx.http, &row.url, &token);
        if todo.act == Act::Check && self.check_row(&dv, folder, row, mode, &mut done).await {
            return Some(done);
        }
        if run.stopped(&self.ctx.broker).is_some() {
            return None;
        }
        self.send_row(&dv, folder, row, mode, done).await
    }

    /// The last request for this row got no answer: reads what is there now. True when
    /// that settles the row (done already, or nothing can be done); false when it must be sent.
    async fn check_row(
        &self,
        dv: &Dataverse<'_>,
        folder: &RunFolder,
        row: &PlannedRow,
        mode: Mode,
        done: &mut RowDone,
    ) -> bool {
        let r = &row.removal;
        let now = dv.holds(&r.system_user_id, &r.role_id).await;
        let settled = match (mode, now) {
            (_, Err(e)) => {
                done.outcome.result = RemovalResult::Unknown;
                let mut api = e.to_api_error("the environment's Dataverse");
                api.message = format!("Elevate could not check whether this assignment is still there, so it did not act on it. {}", api.message);
                done.outcome.error = Some(api);
                return true;
            }
            // The user is gone from the environment, so is the assignment.
            (Mode::Remove, Ok(None)) | (Mode::Remove, Ok(Some(false))) => Some(Step::Removed),
            (Mode::Restore, Ok(Some(true))) => Some(Step::Restored),
            (Mode::Restore, Ok(None)) => {
                done.outcome.result = RemovalResult::Failed;
                done.outcome.error = Some(ApiError::new(
                    ErrorCode::NotFound,
                    "This user is no longer in the environment, so the role cannot be put back.",
                ));
                return true;
            }
            (Mode::Remove, Ok(Some(true))) | (Mode::Restore, Ok(Some(false))) => None,
        };
        let Some(step) = settled else {
            return false;
        };
        let note = "checked: the earlier request without an answer had already done it";
        done.unrecorded = folder
            .record(self.ctx.journal.journal(), row, step, Some(note))
            .is_err();
        true
    }

    /// Sends the row's request, with its step recorded before and after, and journals it.
    async fn send_row(
        &self,
        dv: &Dataverse<'_>,
        folder: &RunFolder,
        row: &PlannedRow,
        mode: Mode,
        mut done: RowDone,
    ) -> Option<RowDone> {
        let r = &row.removal;
        let (sending, ok, unknown, refused) = match mode {
            Mode::Remove => (Step::Removing, Step::Removed, Step::Unknown, Step::Failed),
            Mode::Restore => (
                Step::Restoring,
                Step::Restored,
                Step::RestoreUnknown,
                Step::RestoreFailed,
            ),
        };
        // The record comes first: a crash after the request leaves a row to check, not one
        // that looks untouched.
        if let Err(e) = folder.record(self.ctx.journal.journal(), row, sending, None) {
            tracing::error!(error = %e, "could not write the clean-up progress");
            done.outcome.result = RemovalResult::Failed;
            done.outcome.error = Some(ApiError::new(ErrorCode::Internal, "Elevate could not write the run's progress file, so it did not send this one. Check the disk space, then resume the run.").with_detail(e.to_string()));
            return Some(done);
        }
        let sent = match mode {
            Mode::Remove => dv.unlink(&r.system_user_id, &r.role_id).await,
            Mode::Restore => dv.link(&r.system_user_id, &r.role_id).await,
        };
        let (step, journal) = match &sent {
            Ok(()) => (ok, JournalResult::succeeded()),
            Err(e) if answer_lost(e) => {
                let mut api = e.to_api_error("the environment's Dataverse");
                api.message = "No answer came back from the environment's Dataverse, so Elevate does not know whether this changed. A resume or rollback checks it before acting on it.".into();
                let j = JournalResult {
                    outcome: JournalOutcome::Pending,
                    code: Some(api.code),
                    message: Some(api.message.clone()),
                    detail: api.detail.clone(),
                };
                done.outcome.error = Some(api);
                (unknown, j)
            }
            Err(e) => {
                let api = e.to_api_error("the environment's Dataverse");
                let j = JournalResult::failed(&api);
                done.outcome.error = Some(api);
                (refused, j)
            }
        };
        done.outcome.result = match step {
            Step::RestoreFailed => RemovalResult::Failed,
            s => result_of(s),
        };
        // The record on disk comes first: a rerun must know what is done even if the UI never heard.
        if let Err(e) = folder.record(
            self.ctx.journal.journal(),
            row,
            step,
            done.outcome.error.as_ref().map(|e| e.message.as_str()),
        ) {
            tracing::error!(error = %e, "could not write the clean-up progress");
            done.unrecorded = true;
        }
        self.journal_row(row, mode, &done, journal).await;
        Some(done)
    }

    async fn journal_row(
        &self,
        row: &PlannedRow,
        mode: Mode,
        done: &RowDone,
        result: JournalResult,
    ) {
        let r = &row.removal;
        let action = match mode {
            Mode::Remove => JournalAction::AssignmentRemove,
            Mode::Restore => JournalAction::AssignmentRestore,
        };
        let target = JournalTarget {
            kind: JournalTargetKind::RoleAssignment,
            id: row.key(),
            name: format!("System Administrator ({})", r.business_unit),
        };
        let params = JournalParams {
            role_name: Some("System Administrator".into()),
            environment: Some(JournalRef {
                id: r.environment_id.clone(),
                name: r.environment_name.clone(),
            }),
            user: Some(JournalRef {
                id: r.system_user_id.clone(),
                name: r.upn.clone(),
            }),
            ..Default::default()
        };
        let correlation_id = done
            .outcome
            .error
            .as_ref()
            .and_then(|e| e.correlation_id.clone());
        self.ctx
            .journal
            .write(
                Entry::new(action, target, result)
                    .params(params)
                    .correlation_id(correlation_id),
            )
            .await;
    }
}
