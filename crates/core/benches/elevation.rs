//! Add me, measured (not a test): with a warm token and a fresh preflight, how many HTTP
//! requests one elevation costs and how much time Elevate adds over the network round trip.
//! The `large` scenario (10,000 environments) with 20 ms emulated service latency; the
//! baseline is the same `applyAdminRole` sent with plain reqwest and the same kind of token.
//!
//!     cargo bench -p elevate-core --bench elevation

use std::time::{Duration, Instant};

mod common;

use elevate_core::api::{AddMeInput, ElevationResult};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use serde_json::{json, Value};

const SAMPLES: usize = 30;
const LATENCY_MS: u64 = 20;

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn p95(v: &mut [Duration]) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn counted(e: &Emulator) -> u64 {
    let v: Value = reqwest::get(format!("{}/_emulator/faults", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["stats"][0]["matched"].as_u64().unwrap()
}

#[tokio::main]
async fn main() {
    let e = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("large").unwrap(),
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let base = e.base_url();
    let (app, endpoints, _dir) = common::signed_in(&e, "gloria").await;
    common::settings(&e, json!({"latencyMs": LATENCY_MS})).await;
    let t = Instant::now();
    let list = app.environments().await.unwrap();
    println!(
        "list: {} environments in {} (with {LATENCY_MS} ms per Power Platform request)",
        list.environments.len(),
        ms(t.elapsed())
    );
    let targets: Vec<String> = list
        .environments
        .iter()
        .filter(|x| x.has_dataverse && x.enabled)
        .map(|x| x.id.clone())
        .take(SAMPLES * 2)
        .collect();
    let (ours, theirs) = targets.split_at(SAMPLES);

    let t = Instant::now();
    let checks = app.preflight(ours).await.unwrap();
    println!(
        "preflight: {} environments in {}",
        checks.len(),
        ms(t.elapsed())
    );

    // Count every request the emulator receives from here on.
    http.post(format!("{base}/_emulator/faults"))
        .json(&json!({"seed": 1, "rules": [{"name": "count", "path": "/**", "probability": 0.0, "fault": {"kind": "latency", "ms": 0}}]}))
        .send()
        .await
        .unwrap();
    let mut app_times = Vec::new();
    let mut requests = Vec::new();
    for id in ours {
        let before = counted(&e).await;
        let t = Instant::now();
        let out = app
            .add_me(
                AddMeInput {
                    environment_ids: vec![id.clone()],
                    try_anyway: false,
                },
                &|_| {},
            )
            .await
            .unwrap();
        app_times.push(t.elapsed());
        assert_eq!(
            out[0].result,
            ElevationResult::Elevated,
            "{}",
            out[0].message
        );
        requests.push(counted(&e).await - before);
    }

    let token: Value = http
        .post(format!("{base}/_emulator/token"))
        .json(&json!({"user": "gloria", "scope": "https://api.powerplatform.com/.default"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let mut raw_times = Vec::new();
    for id in theirs {
        let url = format!(
            "{}/usermanagement/environments/{id}/user/applyAdminRole?api-version=2024-10-01",
            endpoints.powerplatform.trim_end_matches('/')
        );
        let t = Instant::now();
        let r = http.post(&url).bearer_auth(&token).send().await.unwrap();
        let _ = r.bytes().await.unwrap();
        raw_times.push(t.elapsed());
    }

    let (app_med, raw_med) = (median(&mut app_times), median(&mut raw_times));
    println!(
        "requests per elevation: min {} max {} (goal: exactly 1)",
        requests.iter().min().unwrap(),
        requests.iter().max().unwrap()
    );
    println!(
        "Add me: median {} p95 {} | plain reqwest applyAdminRole: median {} p95 {}",
        ms(app_med),
        ms(p95(&mut app_times)),
        ms(raw_med),
        ms(p95(&mut raw_times))
    );
    println!(
        "Elevate adds {} over the network round trip at the median (goal: ≤ 10 ms)",
        ms(app_med.saturating_sub(raw_med))
    );
}
