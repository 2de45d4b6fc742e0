//! Logs go to a daily file in the app's log folder (and stderr in debug builds).
//! Nothing logged here or in core ever includes a token: secrets are `Secret`s, whose
//! Debug output is `[redacted]`, and no request or response body is logged.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{fmt, EnvFilter};

/// Keep the guard alive for the whole run, or buffered lines are lost.
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

pub fn init(dir: &Path) -> LogGuard {
    let _ = std::fs::create_dir_all(dir);
    let appender = tracing_appender::rolling::daily(dir, "elevate.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("ELEVATE_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,reqwest=warn,tao=warn,wry=warn"));
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_ansi(false).with_writer(writer));
    let result = if cfg!(debug_assertions) {
        registry
            .with(fmt::layer().with_writer(std::io::stderr))
            .try_init()
    } else {
        registry.try_init()
    };
    let _ = result;
    LogGuard(guard)
}
