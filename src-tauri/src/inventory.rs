//! Inventory and clean-up commands: a run streamed as `inventory-progress` events, cancel,
//! export and users-file import through native dialogs, dry run, removal / resume / rollback
//! streamed as `cleanup-progress` events.

use elevate_core::api::{
    ApiError, CleanupInput, CleanupPlan, CleanupProgress, CleanupRun, CleanupRunSummary,
    ExportFormat, Inventory, InventoryScope, JournalExport, UsersFile,
};
use elevate_core::Elevate;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub async fn inventory(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    scope: InventoryScope,
) -> Result<Inventory> {
    elevate
        .inventory(scope, &move |p| {
            let _ = app.emit("inventory-progress", p);
        })
        .await
}

#[tauri::command]
pub fn cancel_inventory(elevate: State<'_, Elevate>) {
    elevate.cancel_inventory();
}

#[tauri::command]
pub async fn inventory_export(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    format: ExportFormat,
) -> Result<Option<JournalExport>> {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    let name = format!(
        "elevate-system-administrators-{}.{ext}",
        chrono::Local::now().format("%Y-%m-%d-%H%M")
    );
    let Some(path) =
        crate::commands::ask_export_path(app, format, "Export System Administrators", name).await
    else {
        return Ok(None);
    };
    elevate.inventory_export(format, path).await.map(Some)
}

/// The native open dialog, from Rust; the webview never names a path.
#[tauri::command]
pub async fn import_users_file(app: AppHandle) -> Result<Option<UsersFile>> {
    // As for exports: end-to-end tests name the file in debug builds.
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("ELEVATE_TEST_OPEN_FILE") {
        let path = std::path::PathBuf::from(path);
        return tokio::task::spawn_blocking(move || {
            elevate_core::inventory::users_file::read(&path)
        })
        .await
        .expect("users file task")
        .map(Some);
    }
    let chosen = tokio::task::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title("Import a users file")
            .add_filter("Users file (one UPN per line, or CSV)", &["txt", "csv"])
            .blocking_pick_file()
    })
    .await
    .ok()
    .flatten();
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    tokio::task::spawn_blocking(move || elevate_core::inventory::users_file::read(&path))
        .await
        .expect("users file task")
        .map(Some)
}

#[tauri::command]
pub async fn plan_cleanup(elevate: State<'_, Elevate>, input: CleanupInput) -> Result<CleanupPlan> {
    elevate.plan_cleanup(input).await
}

#[tauri::command]
pub async fn run_cleanup(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    plan_id: String,
    confirm_count: u32,
) -> Result<CleanupRun> {
    elevate
        .run_cleanup(&plan_id, confirm_count, &to_webview(app))
        .await
}

/// Removal, resume and rollback report each row as the `cleanup-progress` event.
fn to_webview(app: AppHandle) -> impl Fn(CleanupProgress) + Send + Sync {
    move |p| {
        let _ = app.emit("cleanup-progress", p);
    }
}

#[tauri::command]
pub fn cleanup_runs(elevate: State<'_, Elevate>) -> Vec<CleanupRunSummary> {
    elevate.cleanup_runs()
}

#[tauri::command]
pub async fn resume_cleanup(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    run_id: String,
) -> Result<CleanupRun> {
    elevate.resume_cleanup(&run_id, &to_webview(app)).await
}

#[tauri::command]
pub async fn rollback_cleanup(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    run_id: String,
) -> Result<CleanupRun> {
    elevate.rollback_cleanup(&run_id, &to_webview(app)).await
}
