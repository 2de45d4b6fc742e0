//! Inventory speed, measured (not a test): the System Administrators of the `large`
//! scenario's 1,000 Dataverse environments with 100 ms emulated latency per request, read
//! by Elevate (bounded concurrency) and one environment after another (as the PowerShell
//! sample does), in the same run; and what Dataverse's 52-concurrent-requests limit allows.
//!
//!     cargo bench -p elevate-core --bench inventory

mod common;

use std::time::Instant;

use elevate_core::api::{AddMeInput, InventoryScope, ScanStatus};
use elevate_core::inventory::ENVIRONMENTS_AT_ONCE;
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use serde_json::json;

const LATENCY_MS: f64 = 100.0;
/// Dataverse's service protection: concurrent requests per user.
const LIMIT: f64 = 52.0;
/// Requests per environment: the holders (one page here) and the business units' names.
const PER_ENV: f64 = 2.0;

#[tokio::main]
async fn main() {
    let e = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("large").unwrap(),
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await
    .unwrap();
    let (app, _, _dir) = common::signed_in(&e, "gloria").await;
    // Reading an environment's members needs a role there: gloria adds herself first
    // (setup, not measured, no latency).
    let ids: Vec<String> = app
        .environments()
        .await
        .unwrap()
        .environments
        .into_iter()
        .filter(|x| x.has_dataverse && x.enabled)
        .map(|x| x.id)
        .collect();
    for chunk in ids.chunks(250) {
        app.preflight(chunk).await.unwrap();
        app.add_me(
            AddMeInput {
                environment_ids: chunk.to_vec(),
                try_anyway: false,
            },
            &|_| {},
        )
        .await
        .unwrap();
    }
    common::settings(&e, json!({"latencyMs": LATENCY_MS as u64})).await;
    let scope = InventoryScope::default();

    let t = Instant::now();
    let fast = app.inventory(scope.clone(), &|_| {}).await.unwrap();
    let ours = t.elapsed().as_secs_f64();
    let read = fast
        .environments
        .iter()
        .filter(|s| s.status == ScanStatus::Done)
        .count();
    let failed = fast
        .environments
        .iter()
        .filter(|s| s.status == ScanStatus::Failed)
        .count();

    app.set_inventory_concurrency(1);
    let t = Instant::now();
    let slow = app.inventory(scope, &|_| {}).await.unwrap();
    let sequential = t.elapsed().as_secs_f64();
    assert_eq!(
        slow.holders.len(),
        fast.holders.len(),
        "both runs read the same"
    );

    let ideal = (read as f64 * PER_ENV / LIMIT).ceil() * LATENCY_MS / 1000.0;
    println!(
        "inventory: {read} Dataverse environments ({failed} failed), {} holders, {LATENCY_MS} ms per request",
        fast.holders.len()
    );
    println!("  Elevate ({ENVIRONMENTS_AT_ONCE} environments at once): {ours:.1} s");
    println!("  one environment after another:          {sequential:.1} s");
    println!(
        "  speed-up {:.1}× (goal ≥ 10×); {:.2}× what 52 concurrent requests allow ({ideal:.1} s; goal ≤ 1.5×)",
        sequential / ours,
        ours / ideal
    );
}
