//! `cargo xtask web` starts this: the dev host on 127.0.0.1, over the demo tenant.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;

/// Serves Elevate's commands to the UI in a browser, on the real core and the demo tenant.
#[derive(Parser)]
struct Args {
    /// Port on 127.0.0.1 (the Vite dev server proxies /api here).
    #[arg(long, default_value_t = 5174)]
    port: u16,
    /// Emptied at every start.
    #[arg(long, default_value = "target/webhost/run")]
    data_dir: PathBuf,
    /// Where exports land (the desktop asks with a save dialog).
    #[arg(long, default_value = "target/webhost/exports")]
    exports_dir: PathBuf,
    /// JSON for the demo tenant's `PATCH /_emulator/settings`, e.g.
    /// '{"activationDelaySeconds": 20}' for a slow activation.
    #[arg(long)]
    emulator_settings: Option<String>,
    /// JSON for the demo tenant's `POST /_emulator/faults`: failures to inject.
    #[arg(long)]
    emulator_faults: Option<String>,
    /// Approve each request waiting for approval after this many seconds (otherwise they
    /// wait for `POST /_emulator/pim/requests/{id}/approve`).
    #[arg(long)]
    approve_after: Option<u64>,
}

fn json(flag: &str, v: Option<String>) -> anyhow::Result<Option<serde_json::Value>> {
    v.map(|s| serde_json::from_str(&s).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
        .transpose()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,elevate_tenant::correlation=warn".into()),
        )
        .init();
    let args = Args::parse();
    let running = elevate_webhost::start(elevate_webhost::Options {
        port: args.port,
        data_dir: args.data_dir,
        exports_dir: args.exports_dir.clone(),
        browser: Arc::new(elevate_webhost::PrintingBrowser),
        emulator_settings: json("emulator-settings", args.emulator_settings)?,
        emulator_faults: json("emulator-faults", args.emulator_faults)?,
        approve_after: args.approve_after.map(std::time::Duration::from_secs),
    })
    .await?;
    println!(
        "Elevate dev host: http://{}/api (demo tenant at {})",
        running.addr,
        running.emulator.base_url()
    );
    println!("exports go to {}", args.exports_dir.display());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
