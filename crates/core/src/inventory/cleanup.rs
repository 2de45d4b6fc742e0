//! Clean-up of standing System Administrator assignments: a dry run from the last inventory
//! (picked holders and/or a users file), removal after a confirmation that names the count,
//! resume of an interrupted run (nothing removed twice), and rollback from the run's file.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Utc;
use futures::StreamExt;

use super::runlog::{self, PlannedRow, RunFolder};
use crate::api::{
    ApiError, CleanupInput, CleanupPlan, Holder, TeamHold, CleanupProgress, CleanupRun, CleanupRunSummary, ErrorCode,
    JournalAction, JournalParams, JournalRef, JournalResult, JournalTarget, JournalTargetKind,
    Removal, RemovalOutcome, RemovalResult,
};
use crate::clients::http::ServiceErrorKind;
use crate::environments::client::Dataverse;
use crate::Elevate;

pub type CleanupSink<'a> = &'a (dyn Fn(CleanupProgress) + Send + Sync);

/// Rows changed at the same time (across environments).
const AT_ONCE: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Remove,
    Restore,
}

fn io_error(e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "Elevate could not write the clean-up's logs folder, so nothing was changed. Check the disk space and try again.",
    )
    .with_detail(e.to_string())
}

impl Elevate {
    /// The dry run: exactly which (environment, user, role copy) a clean-up would remove.
    pub async fn plan_cleanup(&self, input: CleanupInput) -> Result<CleanupPlan, ApiError> {
        let inv = self.last_inventory().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "Run an inventory first: the dry run works from its results.",
            )
        })?;
        let me = self
            .broker()
            .account()
            .map(|a| a.oid.to_ascii_lowercase())
            .unwrap_or_default();
        let upns: HashSet<String> = input
            .upns
            .iter()
            .map(|u| u.trim().to_ascii_lowercase())
            .collect();
        let refs: HashSet<_> = input.holders.iter().collect();
        if refs.is_empty() && upns.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Pick the holders to remove, or import a users file.",
            ));
        }
        let picked: Vec<_> = inv
            .holders
            .iter()
            .filter(|h| {
                upns.contains(&h.upn.to_ascii_lowercase())
                    || refs.iter().any(|r| {
                        r.environment_id.eq_ignore_ascii_case(&h.environment_id)
                            && r.system_user_id.eq_ignore_ascii_case(&h.system_user_id)
                            && r.role_id.eq_ignore_ascii_case(&h.role_id)
                    })
            })
            .collect();
        let found: HashSet<String> = picked.iter().map(|h| h.upn.to_ascii_lowercase()).collect();
        let mut unknown_upns: Vec<String> = upns
            .iter()
            .filter(|u| !found.contains(*u))
            .cloned()
            .collect();
        unknown_upns.sort();
        // Enabled people holding the role, per environment: the last one gets a warning.
        let mut people: HashMap<&str, usize> = HashMap::new();
        for h in inv
            .holders
            .iter()
            .filter(|h| !h.is_application_user && !h.is_disabled && h.through_team.is_none())
        {
            *people.entry(h.environment_id.as_str()).or_default() += 1;
        }
        // Changing roles needs System Administrator there (prvAssignRole): where you are not
        // one, Dataverse would refuse every row.
        let admin_in: HashSet<&str> = inv
            .holders
            .iter()
            .filter(|h| {
                h.object_id
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(&me))
                    && !h.is_disabled
                    && h.through_team.is_none()
            })
            .map(|h| h.environment_id.as_str())
            .collect();
        let mut removals = Vec::new();
        let mut skipped = Vec::new();
        let mut removed_people: HashMap<String, usize> = HashMap::new();
        for h in picked {
            let is_you = h
                .object_id
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(&me));
            let r = Removal {
                environment_id: h.environment_id.clone(),
                environment_name: h.environment_name.clone(),
                system_user_id: h.system_user_id.clone(),
                role_id: h.role_id.clone(),
                business_unit: h.business_unit.clone(),
                full_name: h.full_name.clone(),
                upn: h.upn.clone(),
                is_you,
                last_admin: false,
                still_admin: None,
                skip_reason: if let Some(t) = &h.through_team {
                    Some(team_skip(t))
                } else if is_you && !input.include_self {
                    Some("Your own assignment: tick \"Also remove my own assignments\" to include it.".to_string())
                } else if !admin_in.contains(h.environment_id.as_str()) {
                    Some("You are not System Administrator in this environment, so Dataverse would refuse. Add yourself there first (Environments → Add me), then run the inventory again.".to_string())
                } else {
                    None
                },
            };
            if r.skip_reason.is_some() {
                skipped.push(r)
            } else {
                if !h.is_application_user && !h.is_disabled && h.through_team.is_none() {
                    *removed_people.entry(r.environment_id.clone()).or_default() += 1;
                }
                removals.push(r)
            }
        }
        for r in &mut removals {
            r.still_admin = still_admin(&inv.holders, r);
        }
        for r in &mut removals {
            let before = people.get(r.environment_id.as_str()).copied().unwrap_or(0);
            r.last_admin =
                before > 0 && before <= removed_people.get(&r.environment_id).copied().unwrap_or(0);
        }
        // Where each environment's Dataverse is, read again: one may have vanished since.
        let s = self.pp_session(false).await?;
        let pp = self.power_platform(&s);
        let envs: BTreeSet<String> = removals.iter().map(|r| r.environment_id.clone()).collect();
        let mut urls: HashMap<String, String> = HashMap::new();
        for id in &envs {
            match pp.environment(id).await {
                Ok(w) => {
                    if let Some(u) = w.url.filter(|u| !u.is_empty()) {
                        urls.insert(id.clone(), u);
                    }
                }
                Err(e) if e.kind == ServiceErrorKind::NotFound => {}
                Err(e) => return Err(e.to_api_error(crate::environments::POWER_PLATFORM)),
            }
        }
        let mut rows = Vec::new();
        let mut kept = Vec::new();
        for mut r in removals {
            match urls.get(&r.environment_id) {
                Some(url) => {
                    rows.push(PlannedRow {
                        removal: r.clone(),
                        url: url.clone(),
                    });
                    kept.push(r);
                }
                None => {
                    r.skip_reason =
                        Some("The environment no longer exists or has no Dataverse.".into());
                    skipped.push(r);
                }
            }
        }
        let plan_id = uuid::Uuid::new_v4().to_string();
        self.inventory
            .plans
            .lock()
            .expect("lock")
            .insert(plan_id.clone(), rows);
        Ok(CleanupPlan {
            plan_id,
            environments: kept
                .iter()
                .map(|r| &r.environment_id)
                .collect::<HashSet<_>>()
                .len() as u32,
            removals: kept,
            skipped,
            unknown_upns,
        })
    }

    /// Removes what the dry run listed. `confirm_count` is the count the admin confirmed: a
    /// different one means they confirmed something else, and nothing is sent.
    pub async fn run_cleanup(
        &self,
        plan_id: &str,
        confirm_count: u32,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let rows = self
            .inventory
            .plans
            .lock()
            .expect("lock")
            .get(plan_id)
            .cloned()
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "That dry run is no longer available. Run the dry run again.",
                )
            })?;
        if rows.len() as u32 != confirm_count || rows.is_empty() {
            return Err(ApiError::new(ErrorCode::InvalidInput, format!(
                "The confirmation ({confirm_count}) does not match the dry run ({} assignments). Nothing was removed; run the dry run again.", rows.len())));
        }
        let run_id = format!("{}-{}", Utc::now().format("%Y%m%d-%H%M%S"), &plan_id[..8]);
        let folder = RunFolder::create(&self.cleanup_dir, &run_id, &rows).map_err(io_error)?;
        self.inventory.plans.lock().expect("lock").remove(plan_id);
        self.execute(&folder, rows, HashMap::new(), Mode::Remove, progress)
            .await
    }

    /// Runs an interrupted clean-up to its end; rows it already removed are not sent again.
    pub async fn resume_cleanup(
        &self,
        run_id: &str,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let (folder, plan, last) = self.open_run(run_id)?;
        folder.log("Resumed.").map_err(io_error)?;
        self.execute(&folder, plan.rows, last, Mode::Remove, progress)
            .await
    }

    /// Puts back every assignment the run removed.
    pub async fn rollback_cleanup(
        &self,
        run_id: &str,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let (folder, plan, last) = self.open_run(run_id)?;
        // Rows that failed were never removed; a row with no record may have been (a crash
        // after the removal): linking it again is harmless.
        let rows: Vec<PlannedRow> = plan
            .rows
            .into_iter()
            .filter(|r| {
                !matches!(
                    last.get(&r.key()),
                    Some(RemovalResult::Failed) | Some(RemovalResult::Restored)
                )
            })
            .collect();
        if rows.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "This run removed nothing that is not already restored.",
            ));
        }
        folder.log("Rollback started.").map_err(io_error)?;
        self.execute(&folder, rows, HashMap::new(), Mode::Restore, progress)
            .await
    }

    pub fn cleanup_runs(&self) -> Vec<CleanupRunSummary> {
        runlog::runs(&self.cleanup_dir)
    }

    fn open_run(
        &self,
        run_id: &str,
    ) -> Result<(RunFolder, runlog::PlanFile, HashMap<String, RemovalResult>), ApiError> {
        RunFolder::open(&self.cleanup_dir, run_id).map_err(|_| {
            ApiError::new(
                ErrorCode::NotFound,
                "Elevate has no clean-up run with that id.",
            )
        })
    }

    async fn execute(
        &self,
        folder: &RunFolder,
        rows: Vec<PlannedRow>,
        last: HashMap<String, RemovalResult>,
        mode: Mode,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let total = rows.len() as u32;
        let done = std::sync::atomic::AtomicU32::new(0);
        let (done, last) = (&done, &last);
        let jobs: Vec<_> = rows
            .into_iter()
            .map(|row| async move {
                let outcome = self
                    .one_row(folder, &row, last.get(&row.key()).copied(), mode)
                    .await;
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                progress(CleanupProgress {
                    done: n,
                    total,
                    latest: outcome.clone(),
                });
                outcome
            })
            .collect();
        let outcomes: Vec<RemovalOutcome> = futures::stream::iter(jobs)
            .buffered(AT_ONCE)
            .collect()
            .await;
        folder.report(&outcomes).map_err(io_error)?;
        let count = |r: RemovalResult| outcomes.iter().filter(|o| o.result == r).count() as u32;
        let failed = count(RemovalResult::Failed);
        let changed = count(RemovalResult::Removed) + count(RemovalResult::Restored);
        folder
            .log(&format!("Finished: {changed} changed, {failed} failed."))
            .map_err(io_error)?;
        Ok(CleanupRun {
            run_id: folder.run_id.clone(),
            logs_folder: folder.dir.display().to_string(),
            removed: count(RemovalResult::Removed) + count(RemovalResult::AlreadyDone),
            failed,
            outcomes,
        })
    }

    async fn one_row(
        &self,
        folder: &RunFolder,
        row: &PlannedRow,
        last: Option<RemovalResult>,
        mode: Mode,
    ) -> RemovalOutcome {
        let mut out = RemovalOutcome {
            removal: row.removal.clone(),
            result: RemovalResult::AlreadyDone,
            error: None,
        };
        if mode == Mode::Remove && last == Some(RemovalResult::Removed) {
            return out;
        }
        let r = &row.removal;
        let sent = match self.dataverse_token(&row.url).await {
            Ok(token) => {
                let dv = Dataverse::new(&self.http, &row.url, &token);
                match mode {
                    Mode::Remove => dv.unlink(&r.system_user_id, &r.role_id).await,
                    Mode::Restore => dv.link(&r.system_user_id, &r.role_id).await,
                }
                .map_err(|e| e.to_api_error("the environment's Dataverse"))
            }
            Err(e) => Err(e),
        };
        let (result, action) = match mode {
            Mode::Remove => (RemovalResult::Removed, JournalAction::AssignmentRemove),
            Mode::Restore => (RemovalResult::Restored, JournalAction::AssignmentRestore),
        };
        let journal = match &sent {
            Ok(()) => JournalResult::succeeded(),
            Err(e) => JournalResult::failed(e),
        };
        out.result = if sent.is_ok() {
            result
        } else {
            RemovalResult::Failed
        };
        out.error = sent.err();
        // The record on disk comes first: a rerun must know what is done even if the UI never heard.
        if let Err(e) = folder.record(
            row,
            out.result,
            out.error.as_ref().map(|e| e.message.as_str()),
        ) {
            tracing::error!(error = %e, "could not write the clean-up progress");
        }
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
        self.journal_action(
            action,
            target,
            params,
            journal,
            out.error.as_ref().and_then(|e| e.correlation_id.clone()),
            None,
            None,
        )
        .await;
        out
    }
}

/// Why a team-held row is not removed: the clean-up removes direct roles only.
fn team_skip(t: &TeamHold) -> String {
    let how = match (&t.group, t.from_group) {
        (Some(g), _) => format!("Take them out of the team \"{}\" (its members come from the group \"{g}\"), or take System Administrator away from the team", t.team),
        (None, _) => format!("Take them out of the team \"{}\", or take System Administrator away from the team", t.team),
    };
    format!("Held through the team \"{}\", not directly: removing a direct role does not remove a team's. {how} in the Power Platform admin center.", t.team)
}

/// Says so when the person keeps System Administrator through a team after this removal.
fn still_admin(holders: &[Holder], r: &Removal) -> Option<String> {
    let same_person = |h: &&Holder| {
        h.environment_id.eq_ignore_ascii_case(&r.environment_id)
            && h.through_team.is_some()
            && (h.system_user_id.eq_ignore_ascii_case(&r.system_user_id)
                || (!r.upn.is_empty() && h.upn.eq_ignore_ascii_case(&r.upn)))
    };
    let teams: BTreeSet<String> = holders
        .iter()
        .filter(same_person)
        .filter_map(|h| h.through_team.as_ref().map(|t| format!("\"{}\"", t.team)))
        .collect();
    if teams.is_empty() {
        return None;
    }
    let name = if r.full_name.is_empty() { &r.upn } else { &r.full_name };
    Some(format!(
        "{name} stays System Administrator here through the team {}: removing the direct role does not remove the team's. Take them out of the team, or take the role away from the team, in the Power Platform admin center.",
        teams.into_iter().collect::<Vec<_>>().join(" and ")
    ))
}
