//! Logs go to a daily file in the app's log folder (and stderr in debug builds); the last
//! `KEEP_DAYS` files are kept, older ones deleted as a new day starts.
//! Nothing logged here or in core ever includes a token: secrets are `Secret`s, whose
//! Debug output is `[redacted]`, and no request or response body is logged.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{fmt, EnvFilter};

/// Daily files kept: enough to look back over two working weeks, bounded on disk.
const KEEP_DAYS: usize = 14;

/// Keep the guard alive for the whole run, or buffered lines are lost.
pub struct LogGuard(#[allow(dead_code)] WorkerGuard);

pub fn init(dir: &Path) -> LogGuard {
    let _ = std::fs::create_dir_all(dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    // Same names as before (`elevate.log.2026-05-01`), so older files are pruned too.
    let (writer, guard) = match tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("elevate.log")
        .max_log_files(KEEP_DAYS)
        .build(dir)
    {
        Ok(appender) => tracing_appender::non_blocking(appender),
        Err(_) => {
            tracing_appender::non_blocking(tracing_appender::rolling::daily(dir, "elevate.log"))
        }
    };
    use elevate_core::settings::switches;
    // `ELEVATE_LOG=trace` only in debug builds: trace output of the HTTP stack can carry
    // request details a release build must not write to disk.
    let requested = std::env::var(switches::LOG).ok();
    let honoured = switches::log_filter(requested.clone(), switches::DEBUG_BUILD);
    let refused = requested.is_some_and(|r| !r.trim().is_empty()) && honoured.is_none();
    let filter = honoured
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info,hyper=warn,reqwest=warn,tao=warn,wry=warn"));
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
    if refused {
        // Said once the log exists, so whoever set it finds out why it had no effect.
        tracing::warn!("ELEVATE_LOG asks for trace logging, which only debug builds allow; logging at the default level");
    }
    LogGuard(guard)
}
