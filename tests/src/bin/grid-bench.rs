//! Grid filtering, measured in the real webview (not a test): 10,000 environments of the
//! `large` scenario, a search typed into the box, and the time from the input event to the
//! first frame painted after the grid changed. Run by `cargo xtask bench` (needs the app
//! built with the UI embedded, tauri-driver and a desktop session, like the E2E tests).

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use elevate_e2e::app::App;
use elevate_e2e::webkit::{bench_sandbox, Mode, MODES};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

/// Each search starts from the full list (""), so the count always changes.
const QUERIES: [&str; 5] = ["sandbox", "europe", "org00", "developer", "zzz-nothing"];
const ROUNDS: usize = 4;

const MEASURE: &str = r#"
const [q, done] = arguments; // done([repaint ms, DOM ms])
let input = document.querySelector('[data-testid=env-search]');
if (input && input.tagName !== 'INPUT') input = input.querySelector('input');
const count = () => (document.querySelector('[data-testid=env-count]') || {}).textContent;
const before = count();
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
const t0 = performance.now();
setter.call(input, q);
input.dispatchEvent(new Event('input', { bubbles: true }));
const tick = () => {
  if (count() !== before) { const dom = performance.now() - t0; requestAnimationFrame(() => done([performance.now() - t0, dom])); }
  else if (performance.now() - t0 > 5000) done(-1);
  else requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
"#;

#[tokio::main]
async fn main() -> Result<()> {
    let tenant = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("large")?,
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await?;
    // Under Xvfb, WebKitGTK's compositing mode draws with software GL (llvmpipe): a frame
    // costs far more than on a desktop with a GPU. Both figures are printed.
    for mode in MODES {
        let label = mode.label;
        let (paint, dom) = measure(&tenant, mode).await?;
        println!(
            "grid filter, 10,000 environments, {label}: keystroke to repaint median {:.1} ms, worst {:.1} ms (goal: ≤ 50 ms); keystroke to updated DOM median {:.1} ms",
            median(&paint),
            paint[paint.len() - 1],
            median(&dom)
        );
    }
    Ok(())
}

fn median(v: &[f64]) -> f64 {
    v[v.len() / 2]
}

/// Sorted (repaint, DOM) times over every search.
async fn measure(tenant: &Emulator, mode: &Mode) -> Result<(Vec<f64>, Vec<f64>)> {
    let sandbox = bench_sandbox(&tenant.base_url(), mode)?;
    let app = App::launch(&sandbox, "grid-bench").await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.click("[data-testid=nav-environments]").await?;
    app.wait_secs("[data-testid=env-row]", 60).await?;
    let total = app.text("[data-testid=env-count]").await?;
    ensure!(
        total.contains("10,000") || total.contains("10000"),
        "all loaded: {total}"
    );

    let (mut paint, mut dom) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        for q in QUERIES {
            for (query, keep) in [(q, true), ("", false)] {
                let v = app
                    .client
                    .execute_async(MEASURE, vec![serde_json::json!(query)])
                    .await
                    .context("measuring")?;
                let (p, d) = (v[0].as_f64().unwrap_or(-1.0), v[1].as_f64().unwrap_or(-1.0));
                ensure!(p >= 0.0, "the grid did not change for {query:?}");
                if keep {
                    paint.push(p);
                    dom.push(d);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    app.quit().await?;
    paint.sort_by(|a, b| a.total_cmp(b));
    dom.sort_by(|a, b| a.total_cmp(b));
    Ok((paint, dom))
}
