//! Clean-up of standing System Administrator assignments: a dry run from the last inventory
//! (picked holders and/or a users file), removal after a confirmation that names the count,
//! resume of an interrupted run (nothing removed twice), and rollback of what the run's
//! sealed files record as removed (see `runlog`, `runs`, `removal`).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Utc;

use super::removal::{Mode, Todo};
use super::runlog::{self, PlanFile, PlannedRow, RunFolder, Step};
use super::InventoryService;
use super::PendingPlan;
use crate::api::{
    ApiError, CleanupInput, CleanupPlan, CleanupProgress, CleanupRun, ErrorCode, Holder, Removal,
    TeamHold,
};
use crate::clients::http::ServiceErrorKind;
use crate::privileged::{same_account, ACTING_AS};

pub type CleanupSink<'a> = &'a (dyn Fn(CleanupProgress) + Send + Sync);

/// Before any request was sent: nothing changed.
pub(super) fn io_error(e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "Elevate could not write the clean-up's logs folder, so nothing was changed. Check the disk space and try again.",
    )
    .with_detail(e.to_string())
}

impl InventoryService {
    /// The dry run: exactly which (environment, user, role copy) a clean-up would remove.
    pub async fn plan_cleanup(&self, input: CleanupInput) -> Result<CleanupPlan, ApiError> {
        let inv = self.last_inventory().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "Run an inventory first: the dry run works from its results.",
            )
        })?;
        let me = self
            .ctx
            .broker
            .account()
            .map(|a| a.oid.to_ascii_lowercase())
            .unwrap_or_default();
        let (picked, unknown_upns) = pick(&inv.holders, &input)?;
        let (removals, mut skipped) = draft(&inv.holders, picked, &me, input.include_self);
        let envs: BTreeSet<String> = removals.iter().map(|r| r.environment_id.clone()).collect();
        let urls = self.dataverse_urls(&envs).await?;
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
        let by = self
            .ctx
            .broker
            .account()
            .ok_or(crate::auth::AuthError::NotSignedIn)?;
        self.inventory
            .plans
            .lock()
            .expect("lock")
            .insert(plan_id.clone(), PendingPlan { rows, by });
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

    /// Where each environment's Dataverse is, read again: one may have vanished since the
    /// inventory (then it is missing from the map).
    async fn dataverse_urls(
        &self,
        envs: &BTreeSet<String>,
    ) -> Result<HashMap<String, String>, ApiError> {
        let s = self.pp_session(false).await?;
        let pp = self.power_platform(&s);
        let mut urls: HashMap<String, String> = HashMap::new();
        for id in envs {
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
        Ok(urls)
    }

    /// Removes what the dry run listed. `confirm_count` is the count the admin confirmed: a
    /// different one means they confirmed something else, and nothing is sent.
    pub async fn run_cleanup(
        &self,
        plan_id: &str,
        confirm_count: u32,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let run = self.begin_privileged().await?;
        // Taken out of the list before anything is written or sent: a second submit of the
        // same dry run finds nothing, so it runs once.
        let rows = {
            let mut plans = self.inventory.plans.lock().expect("lock");
            let Some(p) = plans.get(plan_id) else {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    "That dry run is no longer available. Run the dry run again.",
                ));
            };
            if p.rows.len() as u32 != confirm_count || p.rows.is_empty() {
                return Err(ApiError::new(ErrorCode::InvalidInput, format!(
                    "The confirmation ({confirm_count}) does not match the dry run ({} assignments). Nothing was removed; run the dry run again.", p.rows.len())));
            }
            if !same_account(&p.by, &run.account) {
                plans.remove(plan_id);
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "That dry run was made by another account. Nothing was removed; run the dry run again.",
                ));
            }
            plans.remove(plan_id).expect("checked").rows
        };
        let run_id = format!("{}-{}", Utc::now().format("%Y%m%d-%H%M%S"), &plan_id[..8]);
        let _busy = self.claim_run(&run_id)?;
        let plan = PlanFile {
            format: runlog::PLAN_FORMAT.into(),
            run_id: run_id.clone(),
            started_at: Utc::now(),
            tenant_id: run.account.tid.clone(),
            account_oid: run.account.oid.clone(),
            account_upn: run.account.upn.clone(),
            rows,
        };
        let folder = RunFolder::create(&self.cleanup_dir, self.ctx.journal.journal(), &plan)
            .map_err(io_error)?;
        let todo = plan.rows.into_iter().map(Todo::send).collect();
        ACTING_AS
            .scope(
                run.account.clone(),
                self.execute(&run, &folder, todo, Mode::Remove, progress),
            )
            .await
    }

    /// Runs an interrupted clean-up to its end; rows it already removed are not sent again,
    /// rows whose removal got no answer are checked first.
    pub async fn resume_cleanup(
        &self,
        run_id: &str,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let run = self.begin_privileged().await?;
        let _busy = self.claim_run(run_id)?;
        let (folder, plan, last) = self.open_run(&run, run_id).await?;
        if last.values().any(|s| {
            matches!(
                s,
                Step::Restoring | Step::Restored | Step::RestoreFailed | Step::RestoreUnknown
            )
        }) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "This run was rolled back, so it cannot be resumed. To remove these assignments again, run a new dry run.",
            ));
        }
        let todo = plan
            .rows
            .into_iter()
            .map(|row| {
                let step = last.get(&row.key()).copied();
                Todo::for_resume(row, step)
            })
            .collect();
        folder.log("Resumed.").map_err(io_error)?;
        ACTING_AS
            .scope(
                run.account.clone(),
                self.execute(&run, &folder, todo, Mode::Remove, progress),
            )
            .await
    }

    /// Puts back what the run removed: the rows its sealed progress records as removed, and
    /// those whose removal got no answer once a check shows the role is gone.
    pub async fn rollback_cleanup(
        &self,
        run_id: &str,
        progress: CleanupSink<'_>,
    ) -> Result<CleanupRun, ApiError> {
        let run = self.begin_privileged().await?;
        let _busy = self.claim_run(run_id)?;
        let (folder, plan, last) = self.open_run(&run, run_id).await?;
        let todo: Vec<Todo> = plan
            .rows
            .into_iter()
            .filter_map(|row| {
                let step = last.get(&row.key()).copied();
                Todo::for_rollback(row, step)
            })
            .collect();
        if todo.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "This run removed nothing that is not already restored.",
            ));
        }
        folder.log("Rollback started.").map_err(io_error)?;
        ACTING_AS
            .scope(
                run.account.clone(),
                self.execute(&run, &folder, todo, Mode::Restore, progress),
            )
            .await
    }
}

/// Holds a run id while it is carried out, resumed or rolled back.
pub(super) struct BusyRun<'a> {
    app: &'a InventoryService,
    run_id: String,
}

impl Drop for BusyRun<'_> {
    fn drop(&mut self) {
        self.app
            .inventory
            .busy_runs
            .lock()
            .expect("lock")
            .remove(&self.run_id);
    }
}

impl InventoryService {
    fn claim_run(&self, run_id: &str) -> Result<BusyRun<'_>, ApiError> {
        if !self
            .inventory
            .busy_runs
            .lock()
            .expect("lock")
            .insert(run_id.to_string())
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "This clean-up run is already being carried out, resumed or rolled back. Wait until it finishes.",
            ));
        }
        Ok(BusyRun {
            app: self,
            run_id: run_id.to_string(),
        })
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
    let name = if r.full_name.is_empty() {
        &r.upn
    } else {
        &r.full_name
    };
    Some(format!(
        "{name} stays System Administrator here through the team {}: removing the direct role does not remove the team's. Take them out of the team, or take the role away from the team, in the Power Platform admin center.",
        teams.into_iter().collect::<Vec<_>>().join(" and ")
    ))
}

/// The inventory's holders the admin picked (by row or by UPN in a users file), and the
/// file's UPNs that hold nothing.
fn pick<'a>(
    holders: &'a [Holder],
    input: &CleanupInput,
) -> Result<(Vec<&'a Holder>, Vec<String>), ApiError> {
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
    let picked: Vec<_> = holders
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
    Ok((picked, unknown_upns))
}

/// An enabled person holding the role directly (not an application, not through a team).
fn is_person(h: &Holder) -> bool {
    !h.is_application_user && !h.is_disabled && h.through_team.is_none()
}

/// The picked holders as removals (with the last-admin and still-admin warnings) and the
/// ones skipped, with why. `me` is the caller's object id (lower case).
fn draft(
    holders: &[Holder],
    picked: Vec<&Holder>,
    me: &str,
    include_self: bool,
) -> (Vec<Removal>, Vec<Removal>) {
    // Enabled people holding the role, per environment: the last one gets a warning.
    let mut people: HashMap<&str, usize> = HashMap::new();
    for h in holders.iter().filter(|h| is_person(h)) {
        *people.entry(h.environment_id.as_str()).or_default() += 1;
    }
    // Changing roles needs System Administrator there (prvAssignRole): where you are not
    // one, Dataverse would refuse every row.
    let admin_in: HashSet<&str> = holders
        .iter()
        .filter(|h| is_holder(h, me) && !h.is_disabled && h.through_team.is_none())
        .map(|h| h.environment_id.as_str())
        .collect();
    let mut removals = Vec::new();
    let mut skipped = Vec::new();
    let mut removed_people: HashMap<String, usize> = HashMap::new();
    for h in picked {
        let is_you = is_holder(h, me);
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
            skip_reason: skip_reason(h, is_you, include_self, &admin_in),
        };
        if r.skip_reason.is_some() {
            skipped.push(r)
        } else {
            if is_person(h) {
                *removed_people.entry(r.environment_id.clone()).or_default() += 1;
            }
            removals.push(r)
        }
    }
    for r in &mut removals {
        r.still_admin = still_admin(holders, r);
        let before = people.get(r.environment_id.as_str()).copied().unwrap_or(0);
        r.last_admin =
            before > 0 && before <= removed_people.get(&r.environment_id).copied().unwrap_or(0);
    }
    (removals, skipped)
}

fn is_holder(h: &Holder, oid: &str) -> bool {
    h.object_id
        .as_deref()
        .is_some_and(|o| o.eq_ignore_ascii_case(oid))
}

/// Why a picked holder is not removed, if it is not.
fn skip_reason(
    h: &Holder,
    is_you: bool,
    include_self: bool,
    admin_in: &HashSet<&str>,
) -> Option<String> {
    if let Some(t) = &h.through_team {
        Some(team_skip(t))
    } else if !(crate::settings::is_guid(&h.role_id)
        && crate::settings::is_guid(&h.system_user_id)
        && crate::environments::is_environment_id(&h.environment_id))
    {
        Some("Elevate cannot remove this one: Dataverse did not give it a valid role or user id. Remove it in the Power Platform admin center.".to_string())
    } else if is_you && !include_self {
        Some(
            "Your own assignment: tick \"Also remove my own assignments\" to include it."
                .to_string(),
        )
    } else if !admin_in.contains(h.environment_id.as_str()) {
        Some("You are not System Administrator in this environment, so Dataverse would refuse. Add yourself there first (Environments → Add me), then run the inventory again.".to_string())
    } else {
        None
    }
}
