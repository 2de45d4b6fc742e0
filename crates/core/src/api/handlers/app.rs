//! About, updates and help pages.

use super::Result;
use crate::api::host::Context;
use crate::api::requests as rq;
use crate::api::{ApiError, AppInfo, AvailableUpdate, ErrorCode, UpdateStatus};

pub async fn app_info(cx: &Context<'_>, _: rq::app_info::Request) -> Result<AppInfo> {
    Ok(AppInfo {
        name: cx.host.app_name(),
        version: cx.host.app_version(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        os: std::env::consts::OS.into(),
        updates: update_status(cx),
    })
}

/// IT's word first: it is true of this machine whatever the build.
pub fn update_status(cx: &Context<'_>) -> UpdateStatus {
    if !cx.elevate.settings().auto_update {
        UpdateStatus::ManagedByIt
    } else {
        cx.host.updates()
    }
}

pub async fn check_for_update(
    cx: &Context<'_>,
    _: rq::check_for_update::Request,
) -> Result<Option<AvailableUpdate>> {
    if update_status(cx) != UpdateStatus::Automatic {
        return Ok(None);
    }
    cx.host.check_for_update().await
}

pub async fn install_update(cx: &Context<'_>, _: rq::install_update::Request) -> Result<()> {
    cx.host.install_update().await
}

/// Opens a fixed Microsoft Learn page; the webview names a topic, never a URL.
pub async fn open_help(cx: &Context<'_>, rq: rq::open_help::Request) -> Result<()> {
    let url = match rq.topic.as_str() {
        "appRegistration" => {
            "https://learn.microsoft.com/entra/identity-platform/quickstart-register-app"
        }
        "adminConsent" => {
            "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent"
        }
        _ => {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Unknown help topic.",
            ))
        }
    };
    cx.host.open_url(&url::Url::parse(url).expect("fixed URL"))
}
