//! Inventory commands: a run streamed as `inventory-progress` events, cancel, and export
//! through the native save dialog.

use elevate_core::api::{ApiError, ExportFormat, Inventory, InventoryScope, JournalExport};
use elevate_core::Elevate;
use tauri::{AppHandle, Emitter, State};

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
