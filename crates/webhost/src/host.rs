//! The dev host's answers to what handlers ask: events to every open `/api/events` stream,
//! pages opened in the system browser (and printed), exports written to a named folder, no
//! users-file picker, and no updates.

use std::path::PathBuf;

use elevate_core::api::{
    ApiError, AvailableUpdate, ErrorCode, Host, OpenAsk, SaveAsk, UpdateStatus,
};
use elevate_core::auth::{AuthError, Browser, SystemBrowser};
use tokio::sync::broadcast;

/// One event as the SSE stream sends it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub name: &'static str,
    pub payload: serde_json::Value,
}

pub struct DevHost {
    pub events: broadcast::Sender<Sent>,
    pub exports: PathBuf,
    pub browser: std::sync::Arc<dyn Browser>,
}

#[async_trait::async_trait]
impl Host for DevHost {
    fn app_name(&self) -> String {
        "Elevate (browser dev mode)".into()
    }

    fn app_version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn emit(&self, name: &'static str, payload: serde_json::Value) {
        // No stream open is fine: nobody is looking.
        let _ = self.events.send(Sent { name, payload });
    }

    fn open_url(&self, url: &url::Url) -> Result<(), ApiError> {
        self.browser.open(url).map_err(ApiError::from)
    }

    async fn save_path(&self, ask: SaveAsk) -> Option<PathBuf> {
        if let Err(e) = std::fs::create_dir_all(&self.exports) {
            tracing::warn!(error = %e, "no exports folder");
            return None;
        }
        let path = self.exports.join(ask.file_name);
        println!("export: {}", path.display());
        Some(path)
    }

    async fn open_path(&self, ask: OpenAsk) -> Option<PathBuf> {
        println!(
            "{}: there is no file picker in the browser dev mode",
            ask.title
        );
        None
    }

    fn updates(&self) -> UpdateStatus {
        UpdateStatus::NotInThisBuild
    }

    async fn check_for_update(&self) -> Result<Option<AvailableUpdate>, ApiError> {
        Ok(None)
    }

    async fn install_update(&self) -> Result<(), ApiError> {
        Err(ApiError::new(
            ErrorCode::InvalidInput,
            "The browser dev mode does not update itself.",
        ))
    }
}

/// The system browser, and the address printed, for a terminal without a desktop.
pub struct PrintingBrowser;

impl Browser for PrintingBrowser {
    fn open(&self, url: &url::Url) -> Result<(), AuthError> {
        println!("open in a browser: {url}");
        if let Err(e) = SystemBrowser.open(url) {
            println!("(no system browser: {e}; open the address above yourself)");
        }
        Ok(())
    }
}
