//! A clean-up run's logs folder, like the PowerShell sample's but with a way back:
//!
//! - `plan.json`: the rows the admin confirmed, written before anything is sent;
//! - `rollback.json`: the same rows in the form Elevate re-applies to add the roles back
//!   (written first too, so a crash never leaves a removal without its way back);
//! - `progress.jsonl`: one line per row done (`removed`, `failed`, `restored`), flushed to disk
//!   before the next row is reported — a rerun skips what it lists as removed;
//! - `log.txt`, `errors.txt`: what happened, in words; `report.csv`: the result per row.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{CleanupRunSummary, Removal, RemovalOutcome, RemovalResult};
use crate::journal::neutralise;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlannedRow {
    pub removal: Removal,
    /// The environment URL (Dataverse).
    pub url: String,
}

impl PlannedRow {
    pub fn key(&self) -> String {
        let r = &self.removal;
        format!("{}|{}|{}", r.environment_id, r.system_user_id, r.role_id).to_ascii_lowercase()
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanFile {
    pub format: String,
    pub run_id: String,
    pub started_at: DateTime<Utc>,
    pub rows: Vec<PlannedRow>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    key: String,
    result: RemovalResult,
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub(crate) struct RunFolder {
    pub dir: PathBuf,
    pub run_id: String,
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_data()
}

impl RunFolder {
    pub fn create(base: &Path, run_id: &str, rows: &[PlannedRow]) -> std::io::Result<Self> {
        let dir = base.join(run_id);
        std::fs::create_dir_all(&dir)?;
        let plan = PlanFile {
            format: "elevate-cleanup-plan/1".into(),
            run_id: run_id.into(),
            started_at: Utc::now(),
            rows: rows.to_vec(),
        };
        let bytes = serde_json::to_vec_pretty(&plan).map_err(std::io::Error::other)?;
        std::fs::write(dir.join("plan.json"), &bytes)?;
        std::fs::write(dir.join("rollback.json"), &bytes)?;
        let f = Self {
            dir,
            run_id: run_id.into(),
        };
        f.log(&format!(
            "Clean-up planned: {} System Administrator assignment(s).",
            rows.len()
        ))?;
        Ok(f)
    }

    /// The plan and, per row, its last recorded result.
    pub fn open(
        base: &Path,
        run_id: &str,
    ) -> std::io::Result<(Self, PlanFile, HashMap<String, RemovalResult>)> {
        if run_id.is_empty()
            || !run_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a run id",
            ));
        }
        let dir = base.join(run_id);
        let plan: PlanFile = serde_json::from_slice(&std::fs::read(dir.join("plan.json"))?)
            .map_err(std::io::Error::other)?;
        let mut last = HashMap::new();
        if let Ok(text) = std::fs::read_to_string(dir.join("progress.jsonl")) {
            // A line cut by a crash is ignored: its row is simply done again (idempotent).
            for l in text
                .lines()
                .filter_map(|l| serde_json::from_str::<Line>(l).ok())
            {
                last.insert(l.key, l.result);
            }
        }
        Ok((
            Self {
                dir,
                run_id: run_id.into(),
            },
            plan,
            last,
        ))
    }

    pub fn record(
        &self,
        row: &PlannedRow,
        result: RemovalResult,
        error: Option<&str>,
    ) -> std::io::Result<()> {
        let line = Line {
            key: row.key(),
            result,
            at: Utc::now(),
            error: error.map(str::to_string),
        };
        append(
            &self.dir.join("progress.jsonl"),
            &format!(
                "{}\n",
                serde_json::to_string(&line).map_err(std::io::Error::other)?
            ),
        )?;
        let r = &row.removal;
        let what = format!(
            "System Administrator ({}) of {} in {}",
            r.business_unit, r.upn, r.environment_name
        );
        match (result, error) {
            (RemovalResult::Failed, e) => {
                let msg = format!("Could not change {what}: {}", e.unwrap_or("unknown error"));
                self.log(&msg)?;
                append(
                    &self.dir.join("errors.txt"),
                    &format!("{} {msg}\n", Utc::now().to_rfc3339()),
                )
            }
            (RemovalResult::Restored, _) => self.log(&format!("Restored {what}.")),
            _ => self.log(&format!("Removed {what}.")),
        }
    }

    pub fn log(&self, msg: &str) -> std::io::Result<()> {
        append(
            &self.dir.join("log.txt"),
            &format!("{} {msg}\n", Utc::now().to_rfc3339()),
        )
    }

    pub fn report(&self, outcomes: &[RemovalOutcome]) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        w.write_record([
            "environmentId",
            "environmentName",
            "businessUnit",
            "fullName",
            "userPrincipalName",
            "systemUserId",
            "roleId",
            "result",
            "error",
        ])?;
        for o in outcomes {
            let r = &o.removal;
            let result = serde_json::to_value(o.result)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let error = o
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            let row = [
                &r.environment_id,
                &r.environment_name,
                &r.business_unit,
                &r.full_name,
                &r.upn,
                &r.system_user_id,
                &r.role_id,
                &result,
                &error,
            ];
            w.write_record(row.iter().map(|c| neutralise(c)))?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        std::fs::write(self.dir.join("report.csv"), bytes)
    }
}

/// Every run in `base`, newest first.
pub(crate) fn runs(base: &Path) -> Vec<CleanupRunSummary> {
    let Ok(entries) = std::fs::read_dir(base) else {
        return vec![];
    };
    let mut out: Vec<CleanupRunSummary> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let id = e.file_name().to_string_lossy().into_owned();
            let (f, plan, last) = RunFolder::open(base, &id).ok()?;
            let count = |r: RemovalResult| last.values().filter(|v| **v == r).count() as u32;
            Some(CleanupRunSummary {
                run_id: id,
                logs_folder: f.dir.display().to_string(),
                started_at: plan.started_at,
                planned: plan.rows.len() as u32,
                removed: count(RemovalResult::Removed),
                failed: count(RemovalResult::Failed),
                restored: count(RemovalResult::Restored),
                finished: plan.rows.iter().all(|r| last.contains_key(&r.key())),
            })
        })
        .collect();
    out.sort_by(|a, b| b.started_at.cmp(&a.started_at));
    out
}
