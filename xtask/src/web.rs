//! `cargo xtask web [webhost flags]`: the UI in a browser on the real core. Builds and starts
//! the dev-only web host (crates/webhost) on 127.0.0.1, then the Vite dev server, which
//! proxies /api to it. Flags after `web` go to the web host, e.g.
//! `--emulator-settings '{"activationDelaySeconds": 30}'` or
//! `--emulator-faults '{"rules": [...]}'` (the demo tenant's own switches and faults).

use std::process::Command;

use crate::{cargo, exec, npm, root, Result};

/// The web host's port; ui/vite.config.ts proxies /api here.
const PORT: &str = "5174";

pub fn run(args: &[String]) -> Result {
    crate::setup::all(false)?;
    exec(
        Command::new(cargo())
            .args(["build", "-p", "elevate-webhost"])
            .current_dir(root()),
    )?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let exe = target
        .join("debug")
        .join(format!("elevate-webhost{}", std::env::consts::EXE_SUFFIX));
    let mut host = Command::new(exe)
        .args(["--port", PORT])
        .args(args)
        .current_dir(root())
        .spawn()
        .map_err(|e| format!("could not start the web host: {e}"))?;
    println!(
        "\n  Elevate in a browser: http://localhost:5173/  (the real core, the demo tenant)\n"
    );
    let vite = exec(
        Command::new(npm())
            .args(["run", "dev"])
            .env("ELEVATE_WEBHOST_PORT", PORT)
            .current_dir(root().join("ui")),
    );
    let _ = host.kill();
    let _ = host.wait();
    vite
}
