//! Start-up and memory, measured on the real app (not a test): a fresh profile each run, the
//! release build (ELEVATE_APP_BINARY), and the times the UI marks itself. Run by
//! `cargo xtask bench` in a desktop session, like the E2E tests.
//!
//! - Start-up: from the app process's start (the kernel's start time) to the UI's
//!   `elevate:interactive` mark (set once the first screen has rendered its content), and to
//!   the first contentful paint; and what the screen showed (`elevate_e2e::screen`): when the
//!   window first showed anything, and when it first showed the screen it settled on.
//! - Memory: RSS and PSS of the app and every process it started (WebKit's web and network
//!   processes), idle at sign-in, and again after a demo sign-in with Environments open.
//!
//! The screen and the idle memory come from the app started as a user starts it; the marks and
//! the signed-in memory need WebDriver, which starts the app itself (automation adds its own
//! work before the page loads).

use std::time::Duration;

use anyhow::{bail, Context, Result};
use elevate_e2e::app::{app_binary, App, Sandbox};
use elevate_e2e::memory::{self, Footprint};
use elevate_e2e::screen::{self, Sampler};
use elevate_e2e::webkit::{bench_sandbox, MODES};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

/// Fresh starts per setting (ELEVATE_BENCH_RUNS overrides).
const RUNS: usize = 5;
const INTERACTIVE_GOAL_MS: f64 = 600.0;
const PSS_SIGN_IN_GOAL_MIB: f64 = 250.0;
const PSS_ENVIRONMENTS_GOAL_MIB: f64 = 300.0;
/// Long enough for WebKit to finish loading and the first garbage collection to pass.
const IDLE: Duration = Duration::from_secs(3);
/// How often the screen is sampled while the app starts.
const SAMPLE_EVERY: Duration = Duration::from_millis(15);

/// Epoch ms of the page load start, then of each step (`ui/src/lib/interactive.ts`; -1 when
/// the UI did not mark it), once the UI has marked itself interactive.
const MARKS: &str = r#"
const t = performance.timeOrigin;
const at = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? t + e.startTime : -1; };
return at('elevate:interactive') > 0 ? [t].concat(arguments[0].map(at)) : null;
"#;
/// The steps the page marks, in order, with what the bench calls them.
const STEPS: [(&str, &str); 5] = [
    ("elevate:scripts", "scripts run"),
    ("first-contentful-paint", "first contentful paint"),
    ("elevate:session-asked", "session asked"),
    ("elevate:session-answered", "session answered"),
    ("elevate:interactive", "the UI's interactive mark"),
];

/// The app started the way a user starts it: what the screen showed, in ms from the
/// process start, and the memory idle at the sign-in screen.
struct Direct {
    shown_ms: Option<f64>,
    settled_ms: Option<f64>,
    idle: Footprint,
}

/// The app started through WebDriver: the page's own marks (ms from the process start), and
/// the memory after a demo sign-in with Environments open.
struct Driven {
    page_ms: f64,
    /// Per [`STEPS`].
    steps_ms: Vec<Option<f64>>,
    with_environments: Footprint,
}

#[tokio::main]
async fn main() -> Result<()> {
    let tenant = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("demo")?,
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await?;
    println!("app: {}", app_binary().display());
    for mode in MODES {
        let label = mode.label;
        let (mut direct, mut driven) = (Vec::new(), Vec::new());
        let runs = std::env::var("ELEVATE_BENCH_RUNS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(RUNS);
        for i in 0..runs {
            let context = || format!("{label}, run {}", i + 1);
            direct.push(
                start_directly(&bench_sandbox(&tenant.base_url(), mode)?).with_context(context)?,
            );
            driven.push(
                start_driven(&bench_sandbox(&tenant.base_url(), mode)?)
                    .await
                    .with_context(context)?,
            );
        }
        report(label, &direct, &driven);
    }
    Ok(())
}

fn report(label: &str, direct: &[Direct], driven: &[Driven]) {
    let settled = median(direct.iter().filter_map(|r| r.settled_ms));
    println!(
        "== Start-up and memory, {label} (median of {} fresh starts)",
        direct.len()
    );
    println!(
        "start to first interactive screen      {settled:>7.0} ms  goal <= {INTERACTIVE_GOAL_MS:.0} ms  {}",
        verdict(settled <= INTERACTIVE_GOAL_MS)
    );
    println!(
        "  (the screen shows the sign-in page as it settles; sampled every {} ms)",
        SAMPLE_EVERY.as_millis()
    );
    let each: Vec<String> = direct
        .iter()
        .map(|r| format!("{:.0}", r.settled_ms.unwrap_or(f64::NAN)))
        .collect();
    println!("  each start, in run order (ms)        {}", each.join(", "));
    let line = |what: &str, v: f64| {
        if v.is_finite() {
            println!("  start to {what:<29} {v:>7.0} ms");
        } else {
            println!("  start to {what:<29}       -    (not marked by this build)");
        }
    };
    line(
        "window mapped",
        median(direct.iter().filter_map(|r| r.shown_ms)),
    );
    println!("  through WebDriver:");
    line("page load start", median(driven.iter().map(|r| r.page_ms)));
    for (i, (_, what)) in STEPS.iter().enumerate() {
        line(what, median(driven.iter().filter_map(|r| r.steps_ms[i])));
    }
    memory(
        "idle at sign-in",
        PSS_SIGN_IN_GOAL_MIB,
        direct.iter().map(|r| &r.idle),
    );
    memory(
        "signed in, Environments open",
        PSS_ENVIRONMENTS_GOAL_MIB,
        driven.iter().map(|r| &r.with_environments),
    );
}

fn memory<'a>(what: &str, goal: f64, footprints: impl Iterator<Item = &'a Footprint> + Clone) {
    let pss = median(footprints.clone().map(Footprint::pss_mib));
    println!(
        "PSS, all processes, {what:<29} {pss:>7.1} MiB  goal <= {goal:.0} MiB  {}",
        verdict(pss <= goal)
    );
    println!(
        "RSS, all processes, {what:<29} {:>7.1} MiB",
        median(footprints.clone().map(Footprint::rss_mib))
    );
    if let Some(last) = footprints.last() {
        for p in &last.processes {
            println!(
                "    {:<24} RSS {:>6.1} MiB  PSS {:>6.1} MiB  (last run)",
                p.name,
                p.rss_kib as f64 / 1024.0,
                p.pss_kib as f64 / 1024.0
            );
        }
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT MET"
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn start_directly(sandbox: &Sandbox) -> Result<Direct> {
    // ELEVATE_BENCH_FRAMES=<dir>: also keep each new frame, to see what was on the screen.
    let keep = std::env::var_os("ELEVATE_BENCH_FRAMES")
        .filter(|d| !d.is_empty())
        .map(|d| {
            std::path::PathBuf::from(d).join(sandbox.home.path().file_name().unwrap_or_default())
        });
    let screen = Sampler::start(SAMPLE_EVERY, keep);
    let mut child = sandbox.app_command().spawn().context("starting the app")?;
    let started = memory::start_epoch_ms(child.id());
    std::thread::sleep(IDLE);
    let frames = screen.finish();
    let idle = memory::footprint(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let (started, frames, idle) = (started?, frames?, idle?);
    Ok(Direct {
        shown_ms: screen::first_painted(&frames).map(|t| t - started),
        settled_ms: screen::settled(&frames).map(|t| t - started),
        idle,
    })
}

async fn start_driven(sandbox: &Sandbox) -> Result<Driven> {
    let app = App::launch(sandbox, "startup-bench").await?;
    let pid = memory::app_pid(&app_binary(), sandbox.home.path())?;
    let started = memory::start_epoch_ms(pid)?;
    let (page, steps) = marks(&app).await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.click("[data-testid=nav-environments]").await?;
    app.wait_secs("[data-testid=env-row]", 60).await?;
    tokio::time::sleep(IDLE).await;
    let with_environments = memory::footprint(pid)?;
    app.quit().await?;
    Ok(Driven {
        page_ms: page - started,
        steps_ms: steps
            .into_iter()
            .map(|t| (t > 0.0).then_some(t - started))
            .collect(),
        with_environments,
    })
}

async fn marks(app: &App) -> Result<(f64, Vec<f64>)> {
    let names: Vec<serde_json::Value> = STEPS.iter().map(|(n, _)| (*n).into()).collect();
    for _ in 0..300 {
        let v = app
            .client
            .execute(MARKS, vec![names.clone().into()])
            .await
            .context("reading marks")?;
        if let Some(a) = v.as_array() {
            let n: Vec<f64> = a.iter().map(|x| x.as_f64().unwrap_or(-1.0)).collect();
            return Ok((n[0], n[1..].to_vec()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("the UI never set its elevate:interactive mark")
}
