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

use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

use crate::api::Inventory;
use crate::Elevate;

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

impl Elevate {
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
