//! System Administrators: a run streamed as `inventory-progress` events, cancel, and the
//! export and users-file import through the host's native dialogs.

use super::{export_filter, Result};
use crate::api::events;
use crate::api::host::{Context, OpenAsk, SaveAsk};
use crate::api::requests as rq;
use crate::api::{Inventory, JournalExport, UsersFile};

pub async fn inventory(cx: &Context<'_>, rq: rq::inventory::Request) -> Result<Inventory> {
    let host = cx.host;
    cx.elevate
        .inventory(rq.scope, &move |p| events::inventory_progress(host, &p))
        .await
}

pub async fn cancel_inventory(cx: &Context<'_>, _: rq::cancel_inventory::Request) -> Result<()> {
    cx.elevate.cancel_inventory();
    Ok(())
}

pub async fn inventory_export(
    cx: &Context<'_>,
    rq: rq::inventory_export::Request,
) -> Result<Option<JournalExport>> {
    let (filter_label, extension) = export_filter(rq.format);
    let ask = SaveAsk {
        title: "Export System Administrators",
        file_name: format!(
            "elevate-system-administrators-{}.{extension}",
            chrono::Local::now().format("%Y-%m-%d-%H%M")
        ),
        filter_label,
        extension,
    };
    let Some(path) = cx.host.save_path(ask).await else {
        return Ok(None);
    };
    cx.elevate.inventory_export(rq.format, path).await.map(Some)
}

/// The host asks for the file; core reads it. `None` when the person cancels.
pub async fn import_users_file(
    cx: &Context<'_>,
    _: rq::import_users_file::Request,
) -> Result<Option<UsersFile>> {
    let ask = OpenAsk {
        title: "Import a users file",
        filter_label: "Users file (one UPN per line, or CSV)",
        extensions: &["txt", "csv"],
    };
    let Some(path) = cx.host.open_path(ask).await else {
        return Ok(None);
    };
    tokio::task::spawn_blocking(move || crate::inventory::users_file::read(&path))
        .await
        .expect("users file task")
        .map(Some)
}
