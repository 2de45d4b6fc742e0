//! `elevate-tenant --scenario demo --listen 127.0.0.1:0`: runs the emulator until killed.
//! Prints exactly one line on stdout, `listening on http://127.0.0.1:PORT`; logs go to stderr.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use clap::Parser;
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

#[derive(Parser, Debug)]
#[command(
    name = "elevate-tenant",
    about = "Local emulator of the Microsoft services Elevate uses"
)]
struct Args {
    /// A built-in scenario name (`demo`, `large`) or the path of a scenario .json file.
    #[arg(long, default_value = "demo")]
    scenario: String,
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let scenario = load(&args.scenario)?;
    let emulator = Emulator::start(EmulatorOptions {
        scenario,
        listen: args.listen,
    })
    .await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", emulator.base_url())?;
        out.flush()?;
    }
    stopped().await;
    tracing::info!("stopping");
    emulator.shutdown().await;
    Ok(())
}

fn load(name: &str) -> anyhow::Result<Scenario> {
    // A built-in name never touches the disk, so a stray file called `demo` cannot shadow it.
    let looks_like_path = name.ends_with(".json") || name.contains('/') || name.contains('\\');
    if looks_like_path {
        Scenario::from_file(Path::new(name))
    } else {
        Scenario::builtin(name).context("use a built-in name or a path to a .json file")
    }
}

/// Ctrl-C anywhere, SIGTERM on Unix.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
