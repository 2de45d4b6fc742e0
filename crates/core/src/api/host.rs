//! What a handler may ask of the program serving it: the desktop app, the browser dev host,
//! or a test. Kept narrow so the handlers stay plain functions over `Elevate`.

use std::path::PathBuf;

use super::{ApiError, AvailableUpdate, UpdateStatus};
use crate::Elevate;

/// A native "save as" question: the webview never names a path itself.
#[derive(Debug, Clone)]
pub struct SaveAsk {
    pub title: &'static str,
    pub file_name: String,
    pub filter_label: &'static str,
    pub extension: &'static str,
}

/// A native "open" question.
#[derive(Debug, Clone)]
pub struct OpenAsk {
    pub title: &'static str,
    pub filter_label: &'static str,
    pub extensions: &'static [&'static str],
}

#[async_trait::async_trait]
pub trait Host: Send + Sync {
    /// The product name and version shown in About.
    fn app_name(&self) -> String;
    fn app_version(&self) -> String;
    /// Sends an event to the UI; `name` is one of `EVENTS` (use the typed `events::*`).
    fn emit(&self, name: &'static str, payload: serde_json::Value);
    /// Opens a page in the system browser, never in the app's own window.
    fn open_url(&self, url: &url::Url) -> Result<(), ApiError>;
    /// `None` when the person cancels.
    async fn save_path(&self, ask: SaveAsk) -> Option<PathBuf>;
    async fn open_path(&self, ask: OpenAsk) -> Option<PathBuf>;
    /// Whether this build can update itself (`Automatic`) or not (`NotInThisBuild`); IT's
    /// word (`ManagedByIt`) is applied on top by the handler.
    fn updates(&self) -> UpdateStatus;
    async fn check_for_update(&self) -> Result<Option<AvailableUpdate>, ApiError>;
    async fn install_update(&self) -> Result<(), ApiError>;
    /// A command changed the roles: a host with a background watch looks again now.
    fn roles_touched(&self) {}
}

/// What every handler gets.
pub struct Context<'a> {
    pub elevate: &'a Elevate,
    pub host: &'a dyn Host,
}
