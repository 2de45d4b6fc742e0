//! The desktop's `Host`: events through the `AppHandle`, native dialogs, the system browser,
//! and the updater.

use std::path::PathBuf;
use std::sync::Arc;

use elevate_core::api::{ApiError, AvailableUpdate, Host, OpenAsk, SaveAsk, UpdateStatus};
use elevate_core::auth::{Browser, SystemBrowser};
use tauri::{AppHandle, Emitter};
use tauri_plugin_dialog::DialogExt;
use tokio::sync::Notify;

pub struct TauriHost {
    app: AppHandle,
    /// Wakes the roles watch after a command changed the roles, so the tray follows at once.
    pub nudge: Arc<Notify>,
    pending: crate::updates::Pending,
}

impl TauriHost {
    pub fn new(app: AppHandle) -> Self {
        Self {
            app,
            nudge: Default::default(),
            pending: Default::default(),
        }
    }
}

#[async_trait::async_trait]
impl Host for TauriHost {
    fn app_name(&self) -> String {
        self.app.package_info().name.clone()
    }

    fn app_version(&self) -> String {
        self.app.package_info().version.to_string()
    }

    fn emit(&self, name: &'static str, payload: serde_json::Value) {
        let _ = self.app.emit(name, payload);
    }

    fn open_url(&self, url: &url::Url) -> Result<(), ApiError> {
        SystemBrowser.open(url).map_err(ApiError::from)
    }

    /// The native save dialog, from Rust: the webview has no dialog or file-system permission
    /// and never names a path itself.
    async fn save_path(&self, ask: SaveAsk) -> Option<PathBuf> {
        // End-to-end tests cannot click in a native dialog: debug builds take the folder from
        // the environment instead (release builds always ask).
        #[cfg(debug_assertions)]
        if let Some(dir) = std::env::var_os("ELEVATE_TEST_SAVE_DIR") {
            return Some(PathBuf::from(dir).join(ask.file_name));
        }
        let app = self.app.clone();
        let chosen = tokio::task::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_title(ask.title)
                .add_filter(ask.filter_label, &[ask.extension])
                .set_file_name(ask.file_name)
                .blocking_save_file()
        })
        .await
        .ok()??;
        chosen.into_path().ok()
    }

    async fn open_path(&self, ask: OpenAsk) -> Option<PathBuf> {
        // As for exports: end-to-end tests name the file in debug builds.
        #[cfg(debug_assertions)]
        if let Some(path) = std::env::var_os("ELEVATE_TEST_OPEN_FILE") {
            return Some(PathBuf::from(path));
        }
        let app = self.app.clone();
        let chosen = tokio::task::spawn_blocking(move || {
            app.dialog()
                .file()
                .set_title(ask.title)
                .add_filter(ask.filter_label, ask.extensions)
                .blocking_pick_file()
        })
        .await
        .ok()??;
        chosen.into_path().ok()
    }

    fn updates(&self) -> UpdateStatus {
        crate::updates::build_status()
    }

    async fn check_for_update(&self) -> Result<Option<AvailableUpdate>, ApiError> {
        crate::updates::check(&self.app, &self.pending).await
    }

    async fn install_update(&self) -> Result<(), ApiError> {
        crate::updates::install(&self.app, &self.pending).await
    }

    fn roles_touched(&self) {
        self.nudge.notify_one();
    }
}
