//! Earlier clean-up runs: listing them, and opening one for a resume or rollback only when
//! everything checks — the sealed files (`runlog`), the account and tenant that started it,
//! and each environment's URL as Power Platform gives it now.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::runlog::{result_of, OpenError, PlanFile, RunFolder, Step};
use super::InventoryService;
use crate::api::{ApiError, CleanupRunSummary, ErrorCode, RemovalResult, RunRow};
use crate::clients::http::ServiceErrorKind;
use crate::journal::Journal;
use crate::privileged::Running;

fn untrusted(why: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidInput,
        format!("Elevate will not resume or roll back this run: {why}. Nothing was sent. Check who can write to Elevate's data folder; the run's changes are in the activity journal."),
    )
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

impl InventoryService {
    pub(super) async fn open_run(
        &self,
        run: &Running<'_>,
        run_id: &str,
    ) -> Result<(RunFolder, PlanFile, HashMap<String, Step>), ApiError> {
        let (folder, mut plan, last) = RunFolder::open(&self.cleanup_dir, self.ctx.journal.journal(), run_id)
            .map_err(|e| match e {
                OpenError::Missing => ApiError::new(
                    ErrorCode::NotFound,
                    "Elevate has no clean-up run with that id.",
                ),
                OpenError::Untrusted(why) => untrusted(&why),
                OpenError::Io(e) => ApiError::new(
                    ErrorCode::Internal,
                    "Elevate could not read the run's logs folder. Nothing was sent; check that the folder is still there, then try again.",
                )
                .with_detail(e.to_string()),
            })?;
        if !plan.tenant_id.eq_ignore_ascii_case(&run.account.tid)
            || !plan.account_oid.eq_ignore_ascii_case(&run.account.oid)
        {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("This clean-up was started by {} in another sign-in. Only that account, in the same organization, can resume or roll it back. Nothing was sent.", plan.account_upn),
            ));
        }
        // Where each environment's Dataverse is, from Power Platform now: requests go where
        // the environment really is, and a plan pointing elsewhere is refused.
        let s = self.pp_session(false).await?;
        let pp = self.power_platform(&s);
        let envs: BTreeSet<String> = plan
            .rows
            .iter()
            .map(|r| r.removal.environment_id.clone())
            .collect();
        let mut now: HashMap<String, String> = HashMap::new();
        for id in &envs {
            match pp.environment(id).await {
                Ok(w) => {
                    if let Some(u) = w.url.filter(|u| !u.is_empty()) {
                        now.insert(id.clone(), u);
                    }
                }
                Err(e) if e.kind == ServiceErrorKind::NotFound => {}
                Err(e) => return Err(e.to_api_error(crate::environments::POWER_PLATFORM)),
            }
        }
        for row in &mut plan.rows {
            match now.get(&row.removal.environment_id) {
                Some(u) if same_url(u, &row.url) => {}
                Some(_) => {
                    return Err(untrusted(&format!(
                        "the address it lists for {} is not the one Power Platform gives",
                        row.removal.environment_name
                    )))
                }
                // Gone: its rows end as failed, without a request (see `removal::Todo`).
                None => row.url.clear(),
            }
        }
        Ok((folder, plan, last))
    }

    /// Every run in the logs, newest first; one whose files do not check says why.
    pub fn cleanup_runs(&self) -> Vec<CleanupRunSummary> {
        runs(&self.cleanup_dir, self.ctx.journal.journal())
    }
}

/// `20260501-101500-1a2b3c4d` → when it started (for a run whose plan cannot be trusted).
fn started_from_id(id: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(id.get(..15)?, "%Y%m%d-%H%M%S")
        .ok()
        .map(|t| t.and_utc())
}

pub(crate) fn runs(base: &Path, journal: &Journal) -> Vec<CleanupRunSummary> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return vec![];
    };
    let mut out: Vec<CleanupRunSummary> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let id = e.file_name().to_string_lossy().into_owned();
            let logs_folder = base.join(&id).display().to_string();
            let (f, plan, last) = match RunFolder::open(base, journal, &id) {
                Ok(x) => x,
                Err(OpenError::Missing) => return None,
                Err(OpenError::Untrusted(why)) => {
                    return Some(CleanupRunSummary {
                        started_at: started_from_id(&id)?,
                        run_id: id,
                        logs_folder,
                        started_by: String::new(),
                        planned: 0,
                        removed: 0,
                        failed: 0,
                        unknown: 0,
                        restored: 0,
                        finished: true,
                        rollback_rows: vec![],
                        problem: Some(format!(
                            "Elevate will not resume or roll back this run: {why}."
                        )),
                    })
                }
                Err(OpenError::Io(_)) => return None,
            };
            let results: Vec<RemovalResult> = last.values().map(|s| result_of(*s)).collect();
            let count = |r: RemovalResult| results.iter().filter(|v| **v == r).count() as u32;
            let rollback_rows = plan
                .rows
                .iter()
                .filter_map(|r| {
                    let step = last.get(&r.key()).copied()?;
                    let result = match step {
                        Step::Removed | Step::RestoreFailed => RemovalResult::Removed,
                        Step::Failed | Step::Restored => return None,
                        _ => RemovalResult::Unknown,
                    };
                    Some(RunRow {
                        removal: r.removal.clone(),
                        result,
                    })
                })
                .collect();
            Some(CleanupRunSummary {
                run_id: id,
                logs_folder: f.dir.display().to_string(),
                started_at: plan.started_at,
                started_by: plan.account_upn.clone(),
                planned: plan.rows.len() as u32,
                removed: count(RemovalResult::Removed),
                failed: count(RemovalResult::Failed),
                unknown: count(RemovalResult::Unknown),
                restored: count(RemovalResult::Restored),
                finished: plan.rows.iter().all(|r| {
                    last.get(&r.key())
                        .is_some_and(|s| result_of(*s) != RemovalResult::Unknown)
                }),
                rollback_rows,
                problem: None,
            })
        })
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.started_at));
    out
}
