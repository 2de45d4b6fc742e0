//! Start-up and memory, measured on the real app (not a test): a fresh profile each run, the
//! release build (ELEVATE_APP_BINARY), and the times the UI marks itself. Run by
//! `cargo xtask bench` in a desktop session, like the E2E tests.
//!
//! - Start-up: from the app process's start (the kernel's start time) to the UI's
//!   `elevate:interactive` mark (set once the first screen has rendered its content), and to
//!   the first contentful paint.
//! - Memory: RSS and PSS of the app and every process it started (WebKit's web and network
//!   processes), idle at sign-in, and again after a demo sign-in with Environments open.

use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use elevate_e2e::app::{app_binary, App, Sandbox};
use elevate_e2e::memory::{self, Footprint};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

const RUNS: usize = 5;
const INTERACTIVE_GOAL_MS: f64 = 600.0;
const PSS_SIGN_IN_GOAL_MIB: f64 = 250.0;
const PSS_ENVIRONMENTS_GOAL_MIB: f64 = 300.0;
/// Long enough for WebKit to finish loading and the first garbage collection to pass.
const IDLE: Duration = Duration::from_secs(3);

/// `[epoch ms of the interactive mark, epoch ms of the first contentful paint or -1]`.
const MARKS: &str = r#"
const m = performance.getEntriesByName('elevate:interactive')[0];
const p = performance.getEntriesByName('first-contentful-paint')[0];
return m ? [performance.timeOrigin + m.startTime, p ? performance.timeOrigin + p.startTime : -1] : null;
"#;

struct Run {
    interactive_ms: f64,
    paint_ms: Option<f64>,
    at_sign_in: Footprint,
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
    for (label, compositing_off) in [
        ("WebKit defaults", false),
        ("WEBKIT_DISABLE_COMPOSITING_MODE=1", true),
    ] {
        let mut runs = Vec::new();
        for i in 0..RUNS {
            runs.push(
                run(&tenant, compositing_off)
                    .await
                    .with_context(|| format!("{label}, run {}", i + 1))?,
            );
        }
        report(label, &runs);
    }
    Ok(())
}

fn report(label: &str, runs: &[Run]) {
    let interactive = median(runs.iter().map(|r| r.interactive_ms));
    let paint = median(runs.iter().filter_map(|r| r.paint_ms));
    let figure = |f: fn(&Footprint) -> f64, env: bool| {
        median(runs.iter().map(|r| {
            f(if env {
                &r.with_environments
            } else {
                &r.at_sign_in
            })
        }))
    };
    println!(
        "== Start-up and memory, {label} (median of {} fresh starts)",
        runs.len()
    );
    println!(
        "start to first interactive screen   {interactive:>7.0} ms    goal <= {INTERACTIVE_GOAL_MS:.0} ms  {}",
        verdict(interactive <= INTERACTIVE_GOAL_MS)
    );
    if paint.is_finite() {
        println!("start to first contentful paint     {paint:>7.0} ms");
    }
    for (env, what, goal) in [
        (false, "idle at sign-in", PSS_SIGN_IN_GOAL_MIB),
        (
            true,
            "signed in, Environments open",
            PSS_ENVIRONMENTS_GOAL_MIB,
        ),
    ] {
        let pss = figure(|f| f.pss_mib(), env);
        println!(
            "PSS, all processes, {what:<29} {pss:>7.1} MiB  goal <= {goal:.0} MiB  {}",
            verdict(pss <= goal)
        );
        println!(
            "RSS, all processes, {what:<29} {:>7.1} MiB",
            figure(|f| f.rss_mib(), env)
        );
    }
    if let Some(last) = runs.last() {
        println!("  by process, Environments open (last run):");
        for p in &last.with_environments.processes {
            println!(
                "    {:<24} RSS {:>6.1} MiB  PSS {:>6.1} MiB",
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

async fn run(tenant: &Emulator, compositing_off: bool) -> Result<Run> {
    let browser = std::env::current_exe()?.with_file_name("test-browser");
    ensure!(
        browser.exists(),
        "{} is missing: cargo build -p elevate-e2e --bins",
        browser.display()
    );
    let mut sandbox = Sandbox::new(&browser.display().to_string());
    sandbox.set("ELEVATE_DEMO_TENANT_URL", &tenant.base_url());
    sandbox.set("ELEVATE_TEST_USER", "gloria");
    if compositing_off {
        sandbox.set("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    } else {
        sandbox.unset("WEBKIT_DISABLE_COMPOSITING_MODE");
    }
    let app = App::launch(&sandbox, "startup-bench").await?;
    let pid = memory::app_pid(&app_binary(), sandbox.home.path())?;
    let started = memory::start_epoch_ms(pid)?;
    let (interactive, paint) = marks(&app).await?;
    tokio::time::sleep(IDLE).await;
    let at_sign_in = memory::footprint(pid)?;

    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.click("[data-testid=nav-environments]").await?;
    app.wait_secs("[data-testid=env-row]", 60).await?;
    tokio::time::sleep(IDLE).await;
    let with_environments = memory::footprint(pid)?;
    app.quit().await?;
    Ok(Run {
        interactive_ms: interactive - started,
        paint_ms: (paint > 0.0).then_some(paint - started),
        at_sign_in,
        with_environments,
    })
}

async fn marks(app: &App) -> Result<(f64, f64)> {
    for _ in 0..300 {
        let v = app
            .client
            .execute(MARKS, vec![])
            .await
            .context("reading marks")?;
        if let Some(a) = v.as_array() {
            let n = |i: usize| a.get(i).and_then(|x| x.as_f64()).unwrap_or(-1.0);
            return Ok((n(0), n(1)));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("the UI never set its elevate:interactive mark")
}
