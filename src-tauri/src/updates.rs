//! Updates: a signed manifest is checked when the UI asks (once, after start-up); the update
//! is installed only when the person presses "Restart and update".
//!
//! The public key and the manifest's address are baked in by the release pipeline, so a
//! development build, or anyone's build without the key, never checks. IT turns checks off
//! with `"autoUpdate": false` in the managed configuration: machines it manages update
//! through its own tooling (a per-machine MSI cannot be replaced by a standard user anyway).

use std::sync::Mutex;

use elevate_core::api::{ApiError, AvailableUpdate, ErrorCode, UpdateStatus};
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

/// The minisign public key of the release pipeline (`ELEVATE_UPDATE_PUBKEY` at build time).
const PUBKEY: Option<&str> = option_env!("ELEVATE_UPDATE_PUBKEY");
/// Where the release pipeline publishes `latest.json` (`ELEVATE_UPDATE_ENDPOINT`).
const ENDPOINT: Option<&str> = option_env!("ELEVATE_UPDATE_ENDPOINT");

fn baked_in() -> Option<(&'static str, url::Url)> {
    let key = PUBKEY.filter(|k| !k.trim().is_empty())?;
    let endpoint = url::Url::parse(ENDPOINT?).ok()?;
    (endpoint.scheme() == "https").then_some((key, endpoint))
}

/// The updater plugin, only in builds that can verify an update.
pub fn plugin<R: Runtime>() -> Option<tauri::plugin::TauriPlugin<R, tauri_plugin_updater::Config>> {
    baked_in().map(|(key, _)| tauri_plugin_updater::Builder::new().pubkey(key).build())
}

/// What this build can do; IT's `autoUpdate: false` is applied on top by core.
pub fn build_status() -> UpdateStatus {
    if baked_in().is_none() {
        UpdateStatus::NotInThisBuild
    } else {
        UpdateStatus::Automatic
    }
}

/// The update found by the last check, kept until it is installed.
#[derive(Default)]
pub struct Pending(Mutex<Option<Update>>);

/// Core calls this only when updates are `Automatic` (this build can, and IT allows it).
pub async fn check(
    app: &AppHandle,
    pending: &Pending,
) -> Result<Option<AvailableUpdate>, ApiError> {
    let Some((_, endpoint)) = baked_in() else {
        return Ok(None);
    };
    let found = app
        .updater_builder()
        .endpoints(vec![endpoint])
        .and_then(|b| b.build())
        .map_err(|e| not_checked(&e))?
        .check()
        .await
        .map_err(|e| not_checked(&e))?;
    let Some(update) = found else {
        return Ok(None);
    };
    tracing::info!(version = %update.version, "an update is available");
    let available = AvailableUpdate {
        version: update.version.clone(),
        notes: update.body.clone(),
    };
    *pending.0.lock().expect("pending update") = Some(update);
    Ok(Some(available))
}

pub async fn install(app: &AppHandle, pending: &Pending) -> Result<(), ApiError> {
    let update = pending
        .0
        .lock()
        .expect("pending update")
        .take()
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "No update is waiting to be installed. Restart Elevate to look again.",
            )
        })?;
    // The download is verified against the built-in key before anything is installed.
    update
        .download_and_install(|_, _| {}, || {})
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "update not installed");
            ApiError::new(
                ErrorCode::Network,
                "Elevate could not install the update. Nothing was changed; try again later, or download the new version from your IT department's software portal.",
            )
            .with_detail(e.to_string())
        })?;
    tracing::info!(version = %update.version, "update installed; restarting");
    app.restart();
}

fn not_checked(e: &tauri_plugin_updater::Error) -> ApiError {
    tracing::warn!(error = %e, "update check failed");
    ApiError::new(
        ErrorCode::Network,
        "Elevate could not check for updates. It keeps working as it is; it will look again the next time it starts.",
    )
    .with_detail(e.to_string())
}
