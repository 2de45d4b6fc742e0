//! The WebKitGTK settings the benchmarks compare. As shipped, Elevate turns the compositing
//! mode off (src-tauri `webview_settings.rs`); a user's `WEBKIT_DISABLE_COMPOSITING_MODE=0`
//! turns it back on, which is WebKit's default (GL compositing; software GL under Xvfb).

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
