//! A clean-up run's logs folder, like the PowerShell sample's but with a way back:
//!
//! - `plan.json`: the rows the admin confirmed, who confirmed them (tenant and account), one
//!   line sealed with the journal's key; written and flushed (file and folder) before
//!   anything is sent. It is also the rollback's source: rollback re-adds the rows that
//!   `progress.jsonl` records as removed.
//! - `progress.jsonl`: one sealed line per step of a row — `removing` before its DELETE is
//!   sent, then `removed`, `failed` (refused: nothing changed) or `unknown` (sent, no answer);
//!   the same for a rollback (`restoring`, `restored`, `restoreFailed`, `restoreUnknown`).
//!   Each line is flushed before the next step, so a crash leaves the row's last step.
//! - `log.txt`, `errors.txt`: what happened, in words (control characters escaped);
//!   `report.csv`: the result per row.
//!
//! A seal that does not open, a line for another run or row, an id that is not a GUID: the
//! run is refused whole (`open`), and nothing is sent.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{Removal, RemovalOutcome, RemovalResult};
use crate::environments::is_environment_id;
use crate::journal::{neutralise, Journal, Sealed};
use crate::settings::is_guid;

pub(crate) const PLAN_FORMAT: &str = "elevate-cleanup-plan/2";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlannedRow {
    pub removal: Removal,
    /// The environment URL (Dataverse), as Power Platform gave it when the plan was made.
    pub url: String,
}

impl PlannedRow {
    pub fn key(&self) -> String {
        let r = &self.removal;
        format!("{}|{}|{}", r.environment_id, r.system_user_id, r.role_id).to_ascii_lowercase()
    }

    /// Ids that can go into a Dataverse URL as they are.
    pub fn ids_are_valid(&self) -> bool {
        let r = &self.removal;
        is_environment_id(&r.environment_id)
            && r.environment_id.trim() == r.environment_id
            && is_guid(&r.system_user_id)
            && is_guid(&r.role_id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanFile {
    pub format: String,
    pub run_id: String,
    pub started_at: DateTime<Utc>,
    /// The directory and the account that confirmed the run: only they may carry it on.
    pub tenant_id: String,
    pub account_oid: String,
    pub account_upn: String,
    pub rows: Vec<PlannedRow>,
}

/// A row's step as `progress.jsonl` records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Step {
    Removing,
    Removed,
    Failed,
    Unknown,
    Restoring,
    Restored,
    RestoreFailed,
    RestoreUnknown,
}

#[derive(Debug, Serialize, Deserialize)]
struct Line {
    run: String,
    key: String,
    step: Step,
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Why a run's files cannot be trusted.
#[derive(Debug)]
pub(crate) enum OpenError {
    Missing,
    /// Changed, added to, or sealed by another installation; says what.
    Untrusted(String),
    Io(std::io::Error),
}

pub(crate) struct RunFolder {
    pub dir: PathBuf,
    pub run_id: String,
}

fn open_private(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut f = open_private(path, true)?;
    f.write_all(text.as_bytes())?;
    f.sync_data()
}

/// One log line per message, whatever a name or an error from a service contains: line
/// breaks and other control characters are written as `\n`, `\u{1b}`, ….
pub(crate) fn escape_controls(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    for c in msg.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn fsync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

impl RunFolder {
    /// Writes the sealed plan and makes it durable (file and folder) before returning: no
    /// request is sent for a run whose way back could still be lost.
    pub fn create(base: &Path, journal: &Journal, plan: &PlanFile) -> std::io::Result<Self> {
        crate::cache::private_dir(base)?;
        let dir = base.join(&plan.run_id);
        // A new folder each time (an existing one is never written over), the user's alone:
        // it names who held which role where.
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&dir)?;
        let line = journal.seal_line(Sealed::CleanupPlan, plan);
        {
            let mut f = open_private(&dir.join("plan.json"), false)?;
            f.write_all(format!("{line}\n").as_bytes())?;
            f.sync_all()?;
        }
        fsync_dir(&dir)?;
        fsync_dir(base)?;
        let f = Self {
            dir,
            run_id: plan.run_id.clone(),
        };
        f.log(&format!(
            "Clean-up planned by {}: {} System Administrator assignment(s).",
            plan.account_upn,
            plan.rows.len()
        ))?;
        Ok(f)
    }

    /// The plan and, per row, its last recorded step — all verified.
    pub fn open(
        base: &Path,
        journal: &Journal,
        run_id: &str,
    ) -> Result<(Self, PlanFile, HashMap<String, Step>), OpenError> {
        if run_id.is_empty()
            || run_id.len() > 64
            || !run_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(OpenError::Missing);
        }
        let dir = base.join(run_id);
        let text = match std::fs::read_to_string(dir.join("plan.json")) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(OpenError::Missing),
            Err(e) => return Err(OpenError::Io(e)),
        };
        let untrusted = |why: &str| OpenError::Untrusted(why.to_string());
        let plan: PlanFile = journal
            .open_line(Sealed::CleanupPlan, text.trim_end_matches('\n'))
            .ok_or_else(|| {
                untrusted(if journal.seals_persist() {
                    "its plan file was changed, or was not written by Elevate on this computer"
                } else {
                    "its plan file was changed, or was written before Elevate was last started (without a credential store, a run can only be carried on while Elevate stays open)"
                })
            })?;
        if plan.format != PLAN_FORMAT || plan.run_id != run_id {
            return Err(untrusted("its plan file belongs to another run"));
        }
        if let Some(r) = plan.rows.iter().find(|r| !r.ids_are_valid()) {
            return Err(OpenError::Untrusted(format!(
                "its plan lists an assignment with an id that is not valid ({})",
                escape_controls(&r.removal.upn)
            )));
        }
        let keys: std::collections::HashSet<String> = plan.rows.iter().map(|r| r.key()).collect();
        let mut last = HashMap::new();
        let progress = match std::fs::read_to_string(dir.join("progress.jsonl")) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(OpenError::Io(e)),
        };
        let complete = progress.ends_with('\n');
        let lines: Vec<&str> = progress.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let opened: Option<Line> = journal.open_line(Sealed::CleanupProgress, l);
            match opened {
                Some(line) if line.run == run_id && keys.contains(&line.key) => {
                    last.insert(line.key, line.step);
                }
                // A last line cut by a crash: its step is not known to have happened, and the
                // step before it (`removing`) already makes the row one to check.
                None if i + 1 == lines.len() && !complete => {}
                _ => {
                    return Err(OpenError::Untrusted(format!(
                        "line {} of its progress file was changed or does not belong to it",
                        i + 1
                    )))
                }
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

    /// Records a row's step (sealed, flushed) and says it in the log.
    pub fn record(
        &self,
        journal: &Journal,
        row: &PlannedRow,
        step: Step,
        error: Option<&str>,
    ) -> std::io::Result<()> {
        let line = Line {
            run: self.run_id.clone(),
            key: row.key(),
            step,
            at: Utc::now(),
            error: error.map(str::to_string),
        };
        let sealed = journal.seal_line(Sealed::CleanupProgress, &line);
        append(&self.dir.join("progress.jsonl"), &format!("{sealed}\n"))?;
        let r = &row.removal;
        let what = format!(
            "System Administrator ({}) of {} in {}",
            r.business_unit, r.upn, r.environment_name
        );
        let err = error.unwrap_or("unknown error");
        let failure = match step {
            Step::Removing | Step::Restoring => return Ok(()),
            Step::Removed => return self.log(&format!("Removed {what}.")),
            Step::Restored => return self.log(&format!("Restored {what}.")),
            Step::Failed => format!("Could not remove {what}: {err}"),
            Step::RestoreFailed => format!("Could not restore {what}: {err}"),
            Step::Unknown => format!("No answer to the removal of {what}; Elevate checks it before a resume or rollback acts on it: {err}"),
            Step::RestoreUnknown => format!("No answer to the restore of {what}; Elevate checks it before acting on it again: {err}"),
        };
        self.log(&failure)?;
        append(
            &self.dir.join("errors.txt"),
            &format!(
                "{} {}\n",
                Utc::now().to_rfc3339(),
                escape_controls(&failure)
            ),
        )
    }

    pub fn log(&self, msg: &str) -> std::io::Result<()> {
        append(
            &self.dir.join("log.txt"),
            &format!("{} {}\n", Utc::now().to_rfc3339(), escape_controls(msg)),
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
        let mut f = open_private(&self.dir.join("report.csv"), false)?;
        f.write_all(&bytes)?;
        f.sync_data()
    }
}

/// What a step means for the summary and the next run.
pub(crate) fn result_of(step: Step) -> RemovalResult {
    match step {
        Step::Removed | Step::RestoreFailed => RemovalResult::Removed,
        Step::Failed => RemovalResult::Failed,
        Step::Restored => RemovalResult::Restored,
        Step::Removing | Step::Unknown | Step::Restoring | Step::RestoreUnknown => {
            RemovalResult::Unknown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_forge_a_log_line() {
        let upn = "eve@contoso.com\n2026-01-01T00:00:00Z Restored everything.\u{1b}[2J\u{2028}";
        let line = escape_controls(upn);
        assert!(!line.contains('\n') && !line.contains('\u{1b}') && !line.contains('\u{2028}'));
        assert_eq!(
            line,
            "eve@contoso.com\\n2026-01-01T00:00:00Z Restored everything.\\u{1b}[2J\\u{2028}"
        );
        assert_eq!(escape_controls("Adèle Vance"), "Adèle Vance");
    }
}
