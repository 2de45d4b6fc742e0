//! One inventory run: the environments in scope, each one's System Administrators read from
//! its Dataverse (paging followed, 429s waited out), and the PIM join.

use std::collections::HashMap;

use chrono::Utc;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use super::pim::PimMap;
use super::InventoryService;
use crate::api::{
    ApiError, Environment, EnvironmentScan, ErrorCode, Holder, Inventory, InventoryProgress,
    InventoryScope, InventoryScopeKind, JournalAction, JournalParams, JournalResult, JournalTarget,
    JournalTargetKind, PimStatus, ScanStatus,
};
use crate::clients::dataverse::Dataverse;
use crate::clients::http::{Http, ServiceErrorKind};
use crate::environments::holders::{SysAdmin, Units, Via};
use crate::environments::list::to_environment;
use crate::environments::SYSTEM_ADMINISTRATOR_TEMPLATE;
use crate::journal::Entry;

pub type InventorySink<'a> = &'a (dyn Fn(InventoryProgress) + Send + Sync);

/// A 429 storm is waited out longer than an interactive call would be.
const ATTEMPTS: u32 = 8;

impl InventoryService {
    /// Reads the scope's environments. A run of chosen environments (a retry) is merged into
    /// the previous run, which is what is returned, exported and cleaned up from.
    pub async fn inventory(
        &self,
        scope: InventoryScope,
        progress: InventorySink<'_>,
    ) -> Result<Inventory, ApiError> {
        let wanted = checked_scope(&scope)?;
        let started_at = Utc::now();
        let s = self.pp_session(false).await?;
        let pp = self.power_platform(&s);
        let (listed, pim) = tokio::join!(pp.environments(), self.pim_map());
        let (listed, _unreadable) =
            listed.map_err(|e| e.to_api_error(crate::environments::POWER_PLATFORM))?;
        let envs: Vec<Environment> = listed
            .iter()
            .map(|w| to_environment(w, &HashMap::new()))
            .collect();
        let jobs = in_scope(&wanted, envs);
        if jobs.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "No environment is in that scope. Check the geo, or refresh the Environments list.",
            ));
        }
        let cancel = CancellationToken::new();
        if let Some(old) = self
            .inventory
            .cancel
            .lock()
            .expect("lock")
            .replace(cancel.clone())
        {
            old.cancel();
        }
        let (pim, pim_note) = match pim {
            Ok(m) => (Some(m), None),
            Err(note) => (None, Some(note)),
        };
        let (scans, holders) = self.scan_all(jobs, pim.as_ref(), &cancel, progress).await;
        // Without an active admin role Power Platform lists only your own environments: a run
        // of "all" (or a geo) would look complete and is not.
        let sees_all = s
            .wids
            .iter()
            .any(|w| crate::directory_roles::can_self_elevate(&w.to_ascii_lowercase()));
        let partial = (!sees_all && scope.kind != InventoryScopeKind::Environments).then(|| {
            "Only some environments were read. With no Global, Power Platform or Dynamics 365 Administrator role active, Power Platform shows only the default environment and those you are a user of, so other environments' System Administrators are missing here. Activate one of those roles in My roles, then run the inventory again.".to_string()
        });
        let inv = Inventory {
            partial,
            started_at,
            finished_at: Utc::now(),
            cancelled: cancel.is_cancelled(),
            environments: scans,
            holders,
            pim_note,
        };
        let merged = self.remember(scope.kind, &inv);
        self.journal_inventory(&scope, &inv).await;
        Ok(merged)
    }

    /// A retry of some environments updates the run the admin is looking at (and will
    /// export or clean up from); any other scope starts a new one.
    fn remember(&self, kind: InventoryScopeKind, inv: &Inventory) -> Inventory {
        let mut last = self.inventory.last.lock().expect("lock");
        let merged = match (kind, last.take()) {
            (InventoryScopeKind::Environments, Some(prev)) => merge(prev, inv),
            _ => inv.clone(),
        };
        *last = Some(merged.clone());
        merged
    }

    /// Scans every environment, a few at a time, telling `progress` of each as it ends;
    /// environments and holders in name order.
    async fn scan_all(
        &self,
        jobs: Vec<Result<Environment, EnvironmentScan>>,
        pim: Option<&PimMap>,
        cancel: &CancellationToken,
        progress: InventorySink<'_>,
    ) -> (Vec<EnvironmentScan>, Vec<Holder>) {
        let mut http = self.ctx.http.clone();
        http.max_attempts = ATTEMPTS;
        let total = jobs.len() as u32;
        let http = &http;
        // Futures built eagerly (see environments::preflight on rustc's Send check).
        let futs: Vec<_> = jobs
            .into_iter()
            .map(|job| async move {
                match job {
                    Err(scan) => (scan, vec![]),
                    Ok(env) => {
                        tokio::select! {
                            r = self.scan_one(http, &env, pim) => r,
                            _ = cancel.cancelled() => (scan_of(&env, ScanStatus::Cancelled), vec![]),
                        }
                    }
                }
            })
            .collect();
        let mut stream = futures::stream::iter(futs).buffer_unordered(self.inventory_concurrency());
        let (mut scans, mut holders, mut done) = (Vec::new(), Vec::new(), 0u32);
        while let Some((scan, found)) = stream.next().await {
            done += 1;
            progress(InventoryProgress {
                done,
                total,
                scan: scan.clone(),
                holders: found.clone(),
            });
            scans.push(scan);
            holders.extend(found);
        }
        scans.sort_by(|a, b| {
            a.environment_name
                .to_lowercase()
                .cmp(&b.environment_name.to_lowercase())
        });
        holders.sort_by(|a, b| {
            (
                a.environment_name.to_lowercase(),
                a.full_name.to_lowercase(),
            )
                .cmp(&(
                    b.environment_name.to_lowercase(),
                    b.full_name.to_lowercase(),
                ))
        });
        (scans, holders)
    }

    async fn scan_one(
        &self,
        http: &Http,
        env: &Environment,
        pim: Option<&PimMap>,
    ) -> (EnvironmentScan, Vec<Holder>) {
        let mut scan = scan_of(env, ScanStatus::Done);
        let Some(url) = env.url.as_deref() else {
            scan.status = ScanStatus::Skipped;
            scan.note = Some("No Dataverse database: no System Administrator role.".into());
            return (scan, vec![]);
        };
        if !env.enabled {
            scan.status = ScanStatus::Skipped;
            scan.note = Some("Disabled: its Dataverse does not answer.".into());
            return (scan, vec![]);
        }
        let token = match self.dataverse_token(url).await {
            Ok(t) => t,
            Err(e) => return (failed(scan, e), vec![]),
        };
        let dv = Dataverse::new(http, url, &token);
        let (users, units) = tokio::join!(dv.holders(), dv.business_units());
        let users = match users {
            Ok(u) => u,
            Err(e) if e.kind == ServiceErrorKind::Forbidden => {
                let api = e.explained(ErrorCode::Forbidden, "Dataverse shows its System Administrators only to its own users with a role, and you are not one here. Add yourself (Environments → Add me), then retry this environment.");
                return (failed(scan, api), vec![]);
            }
            Err(e) => {
                return (
                    failed(scan, e.to_api_error("the environment's Dataverse")),
                    vec![],
                )
            }
        };
        let units = Units::new(units.unwrap_or_default());
        let status_of = |a: &SysAdmin| match (a.is_application_user, pim, a.object_id.as_deref()) {
            (true, _, _) | (_, None, _) => PimStatus::Unknown,
            (false, Some(m), Some(oid)) => *m
                .get(&oid.to_ascii_lowercase())
                .unwrap_or(&PimStatus::NoRole),
            (false, Some(_), None) => PimStatus::NoRole,
        };
        let direct = users.iter().flat_map(|u| {
            u.systemuserroles_association
                .iter()
                .filter(|r| {
                    r.template_id
                        .as_deref()
                        .is_some_and(|t| t.eq_ignore_ascii_case(SYSTEM_ADMINISTRATOR_TEMPLATE))
                })
                .map(|role| {
                    SysAdmin::user(u, Via::Role(Some(role.roleid.clone().unwrap_or_default())))
                })
        });
        let direct: Vec<SysAdmin> = direct.collect();
        let teams = self.team_holders(&dv).await;
        scan.note = teams.note;
        let out: Vec<Holder> = direct
            .into_iter()
            .chain(teams.holders)
            .map(|a| {
                let status = status_of(&a);
                a.into_holder(env, &units, status)
            })
            .collect();
        scan.holders = out.len() as u32;
        (scan, out)
    }

    async fn journal_inventory(&self, scope: &InventoryScope, inv: &Inventory) {
        let failed = inv
            .environments
            .iter()
            .filter(|e| e.status == ScanStatus::Failed)
            .count();
        let what = match scope.kind {
            InventoryScopeKind::All => "all environments".to_string(),
            InventoryScopeKind::Geo => format!("geo {}", scope.geo),
            InventoryScopeKind::Environments => {
                format!("{} environment(s)", scope.environment_ids.len())
            }
        };
        let mut result = JournalResult::succeeded();
        result.message = Some(format!(
            "{} holder(s) in {} environment(s); {failed} failed{}",
            inv.holders.len(),
            inv.environments.len(),
            if inv.cancelled { "; cancelled" } else { "" }
        ));
        let target = JournalTarget {
            kind: JournalTargetKind::Tenant,
            id: String::new(),
            name: what,
        };
        let params = JournalParams {
            role_name: Some("System Administrator".into()),
            dry_run: Some(true),
            ..Default::default()
        };
        self.ctx
            .journal
            .write(Entry::new(JournalAction::InventoryRun, target, result).params(params))
            .await;
    }
}

/// `prev` with the environments `new` read replaced by what it found.
fn merge(mut prev: Inventory, new: &Inventory) -> Inventory {
    let redone = |id: &str| {
        new.environments
            .iter()
            .any(|s| s.environment_id.eq_ignore_ascii_case(id))
    };
    prev.environments.retain(|s| !redone(&s.environment_id));
    prev.environments.extend(new.environments.iter().cloned());
    prev.environments.sort_by(|a, b| {
        a.environment_name
            .to_lowercase()
            .cmp(&b.environment_name.to_lowercase())
    });
    prev.holders.retain(|h| !redone(&h.environment_id));
    prev.holders.extend(new.holders.iter().cloned());
    prev.holders.sort_by(|a, b| {
        (
            a.environment_name.to_lowercase(),
            a.full_name.to_lowercase(),
        )
            .cmp(&(
                b.environment_name.to_lowercase(),
                b.full_name.to_lowercase(),
            ))
    });
    prev.finished_at = new.finished_at;
    prev.cancelled = new.cancelled;
    prev.pim_note = new.pim_note.clone();
    // A retry of some environments does not change how much "all" covered.
    prev
}

enum Wanted {
    All,
    Geo(String),
    Ids(Vec<String>),
}

fn checked_scope(scope: &InventoryScope) -> Result<Wanted, ApiError> {
    Ok(match scope.kind {
        InventoryScopeKind::All => Wanted::All,
        InventoryScopeKind::Geo => {
            let g = scope.geo.trim().to_ascii_lowercase();
            if g.is_empty() || g.len() > 40 || !g.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "Choose a geo such as unitedstates, europe or asia.",
                ));
            }
            Wanted::Geo(g)
        }
        InventoryScopeKind::Environments => {
            Wanted::Ids(crate::environments::checked_ids(&scope.environment_ids)?)
        }
    })
}

fn scan_of(env: &Environment, status: ScanStatus) -> EnvironmentScan {
    EnvironmentScan {
        environment_id: env.id.clone(),
        environment_name: env.display_name.clone(),
        geo: env.geo.clone(),
        status,
        holders: 0,
        note: None,
        error: None,
    }
}

fn failed(mut scan: EnvironmentScan, e: ApiError) -> EnvironmentScan {
    scan.status = ScanStatus::Failed;
    scan.error = Some(e);
    scan
}

fn missing(id: &str) -> EnvironmentScan {
    EnvironmentScan {
        environment_id: id.to_string(),
        environment_name: id.to_string(),
        geo: String::new(),
        status: ScanStatus::Failed,
        holders: 0,
        note: None,
        error: Some(ApiError::new(
            ErrorCode::NotFound,
            "Power Platform does not list this environment (any more). Refresh the Environments list.",
        )),
    }
}

/// The environments a run reads: all, one geo's, or the ids asked for (an id Power Platform
/// does not list is a failed scan).
#[allow(clippy::result_large_err)] // a failed scan is the api's row, built once per id
fn in_scope(wanted: &Wanted, envs: Vec<Environment>) -> Vec<Result<Environment, EnvironmentScan>> {
    match wanted {
        Wanted::All => envs.into_iter().map(Ok).collect(),
        Wanted::Geo(g) => envs
            .into_iter()
            .filter(|e| e.geo.eq_ignore_ascii_case(g))
            .map(Ok)
            .collect(),
        Wanted::Ids(ids) => ids
            .iter()
            .map(|id| {
                envs.iter()
                    .find(|e| e.id.eq_ignore_ascii_case(id))
                    .cloned()
                    .ok_or_else(|| missing(id))
            })
            .collect(),
    }
}
