//! Activity: the journal's entries, its integrity check and its export.

use super::{export_filter, Result};
use crate::api::host::{Context, SaveAsk};
use crate::api::requests as rq;
use crate::api::{JournalExport, JournalHealth, JournalPage};

pub async fn journal_entries(
    cx: &Context<'_>,
    rq: rq::journal_entries::Request,
) -> Result<JournalPage> {
    Ok(cx.elevate.journal_entries(rq.filter).await)
}

pub async fn journal_verify(
    cx: &Context<'_>,
    _: rq::journal_verify::Request,
) -> Result<JournalHealth> {
    Ok(cx.elevate.journal_verify().await)
}

/// Asks where to save, then exports; `None` when the person cancels the dialog.
pub async fn journal_export(
    cx: &Context<'_>,
    rq: rq::journal_export::Request,
) -> Result<Option<JournalExport>> {
    let (filter_label, extension) = export_filter(rq.format);
    let ask = SaveAsk {
        title: "Export activity",
        file_name: crate::journal::export_file_name(rq.format),
        filter_label,
        extension,
    };
    let Some(path) = cx.host.save_path(ask).await else {
        return Ok(None);
    };
    cx.elevate
        .journal_export(rq.format, rq.filter, path)
        .await
        .map(Some)
}
