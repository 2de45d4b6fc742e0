//! System Administrator inventory across environments: who holds the role where (every
//! business unit's copy), joined with PIM, read with bounded concurrency and streamed to the
//! UI as each environment finishes.

mod cleanup;
pub mod export;
#[cfg(test)]
mod fuzz;
mod pim;
mod removal;
mod runlog;
mod runs;
mod scan;
pub mod users_file;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::api::{ApiError, Inventory};
use crate::context::Context;
use crate::environments::Environments;
use crate::privileged::{Privileged, Running};

/// Environments read at the same time. Each holds at most two Dataverse requests in flight,
/// so a run stays under Dataverse's 52 concurrent requests per user.
pub const ENVIRONMENTS_AT_ONCE: usize = 24;

#[derive(Default)]
pub struct InventoryState {
    cancel: Mutex<Option<CancellationToken>>,
    last: Mutex<Option<Inventory>>,
    /// Environments read at the same time; 0 = `ENVIRONMENTS_AT_ONCE`.
    at_once: std::sync::atomic::AtomicUsize,
    /// Dry runs not yet carried out, by plan id.
    plans: Mutex<std::collections::HashMap<String, PendingPlan>>,
    /// Runs being carried out, resumed or rolled back now: one at a time per run.
    busy_runs: Mutex<std::collections::HashSet<String>>,
}

/// A dry run, and the account that made it (only it may carry it out).
struct PendingPlan {
    rows: Vec<runlog::PlannedRow>,
    by: crate::cache::StoredAccount,
}

impl InventoryState {
    pub fn clear(&self) {
        *self.last.lock().expect("lock") = None;
        self.plans.lock().expect("lock").clear();
        if let Some(c) = self.cancel.lock().expect("lock").take() {
            c.cancel();
        }
    }
}

impl InventoryService {
    /// Stops the running inventory: environments not finished end as Cancelled.
    pub fn cancel_inventory(&self) {
        if let Some(c) = self.inventory.cancel.lock().expect("lock").as_ref() {
            c.cancel();
        }
    }

    /// How many environments a run reads at the same time (1 = one after another, as the
    /// PowerShell sample does; benchmarks compare both).
    pub fn set_inventory_concurrency(&self, n: usize) {
        self.inventory
            .at_once
            .store(n, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn inventory_concurrency(&self) -> usize {
        match self
            .inventory
            .at_once
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            0 => ENVIRONMENTS_AT_ONCE,
            n => n,
        }
    }

    /// The last finished inventory (for export).
    pub fn last_inventory(&self) -> Option<Inventory> {
        self.inventory.last.lock().expect("lock").clone()
    }
}

/// The inventory and clean-up service: who holds System Administrator where, the dry run,
/// the clean-up runs and their logs.
pub(crate) struct InventoryService {
    pub(crate) ctx: Context,
    pub(crate) inventory: InventoryState,
    /// Clean-up runs' logs folders live here.
    pub(crate) cleanup_dir: PathBuf,
    privileged: Arc<Privileged>,
    /// For the holders through teams, read as Membership reads them.
    environments: Arc<Environments>,
}

impl InventoryService {
    pub fn new(
        ctx: Context,
        cleanup_dir: PathBuf,
        privileged: Arc<Privileged>,
        environments: Arc<Environments>,
    ) -> Self {
        Self {
            ctx,
            inventory: InventoryState::default(),
            cleanup_dir,
            privileged,
            environments,
        }
    }

    /// Starts a clean-up (or its resume or rollback) as the signed-in account.
    pub(crate) async fn begin_privileged(&self) -> Result<Running<'_>, ApiError> {
        self.privileged.begin(&self.ctx.broker).await
    }

    pub(crate) async fn pp_session(
        &self,
        fresh: bool,
    ) -> Result<crate::environments::PpSession, ApiError> {
        self.ctx.pp_session(fresh).await
    }

    pub(crate) fn power_platform<'a>(
        &'a self,
        s: &'a crate::environments::PpSession,
    ) -> crate::clients::power_platform::PowerPlatform<'a> {
        self.ctx.power_platform(s)
    }

    pub(crate) async fn dataverse_token(
        &self,
        instance: &str,
    ) -> Result<crate::auth::BrokerToken, ApiError> {
        self.ctx.dataverse_token(instance).await
    }

    pub(crate) async fn team_holders(
        &self,
        dv: &crate::clients::dataverse::Dataverse<'_>,
    ) -> crate::environments::teams::TeamHolders {
        self.environments.team_holders(dv).await
    }
}
