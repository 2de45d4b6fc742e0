//! The WebKitGTK settings the benchmarks compare. As shipped, Elevate turns the compositing
//! mode off (src-tauri `webview_settings.rs`); a user's `WEBKIT_DISABLE_COMPOSITING_MODE=0`
//! turns it back on, which is WebKit's default (GL compositing; software GL under Xvfb).

use anyhow::{ensure, Result};

use crate::app::Sandbox;

pub struct Mode {
    pub label: &'static str,
    pub env: &'static [(&'static str, &'static str)],
}

pub const MODES: &[Mode] = &[
    Mode {
        label: "as shipped (compositing off)",
        env: &[],
    },
    Mode {
        label: "compositing on (WEBKIT_DISABLE_COMPOSITING_MODE=0)",
        env: &[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")],
    },
];

impl Mode {
    /// This mode's environment in `sandbox`, and nothing of the others'.
    pub fn apply(&self, sandbox: &mut Sandbox) {
        for (k, _) in MODES.iter().flat_map(|m| m.env.iter()) {
            sandbox.unset(k);
        }
        for (k, v) in self.env {
            sandbox.set(k, v);
        }
    }
}

/// The sandbox both benchmarks start the app in: the test browser next to the running binary,
/// the demo tenant at `tenant_url`, signing in as Gloria, in `mode`.
pub fn bench_sandbox(tenant_url: &str, mode: &Mode) -> Result<Sandbox> {
    let browser = std::env::current_exe()?.with_file_name("test-browser");
    ensure!(
        browser.exists(),
        "{} is missing: cargo build -p elevate-e2e --bins",
        browser.display()
    );
    let mut sandbox = Sandbox::new(&browser.display().to_string());
    sandbox.set("ELEVATE_DEMO_TENANT_URL", tenant_url);
    sandbox.set("ELEVATE_TEST_USER", "gloria");
    mode.apply(&mut sandbox);
    Ok(sandbox)
}
