//! The command handlers: plain async functions over `Context` (the core and its `Host`), one
//! per line of `surface.rs`, each taking its request struct and returning its response.

pub mod app;
pub mod cleanup;
pub mod environments;
pub mod inventory;
pub mod journal;
pub mod roles;
pub mod session;

use super::{ApiError, ExportFormat};

pub(crate) type Result<T> = std::result::Result<T, ApiError>;

/// The label and extension a save dialog offers for an export format.
pub(crate) fn export_filter(format: ExportFormat) -> (&'static str, &'static str) {
    match format {
        ExportFormat::Csv => ("CSV (opens in Excel)", "csv"),
        ExportFormat::Json => ("JSON", "json"),
    }
}
