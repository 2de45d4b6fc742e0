//! IPC commands: each turns arguments into one `Elevate` call and returns its DTO.

use std::path::PathBuf;

use elevate_core::api::{
    ApiError, AppInfo, ConnectivityReport, ErrorCode, ExportFormat, HomeSummary, JournalExport,
    JournalFilter, JournalHealth, JournalPage, SessionState, Settings, SettingsInput, SignInMethod,
    TenantKind,
};
use elevate_core::auth::Browser;
use elevate_core::Elevate;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub fn app_info(app: AppHandle, elevate: State<'_, Elevate>) -> AppInfo {
    AppInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        os: std::env::consts::OS.into(),
        updates: crate::updates::status(&elevate),
    }
}

#[tauri::command]
pub async fn session(elevate: State<'_, Elevate>) -> Result<SessionState> {
    elevate.session().await
}

#[tauri::command]
pub async fn sign_in(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    kind: TenantKind,
    method: SignInMethod,
) -> Result<SessionState> {
    elevate
        .sign_in(kind, method, move |p| {
            let _ = app.emit("sign-in-progress", p);
        })
        .await
}

#[tauri::command]
pub fn cancel_sign_in(elevate: State<'_, Elevate>) {
    elevate.cancel_sign_in();
}

/// `end_browser_session`: also open the cloud's sign-out page in the system browser.
#[tauri::command]
pub async fn sign_out(
    elevate: State<'_, Elevate>,
    end_browser_session: Option<bool>,
) -> Result<SessionState> {
    elevate
        .sign_out_with(end_browser_session.unwrap_or(false))
        .await
}

#[tauri::command]
pub fn get_settings(elevate: State<'_, Elevate>) -> Settings {
    elevate.settings()
}

#[tauri::command]
pub fn save_settings(elevate: State<'_, Elevate>, input: SettingsInput) -> Result<Settings> {
    elevate.save_settings(input)
}

/// Settings → Check connection.
#[tauri::command]
pub async fn check_connectivity(elevate: State<'_, Elevate>) -> Result<ConnectivityReport> {
    Ok(elevate.check_connectivity().await)
}

#[tauri::command]
pub async fn home(elevate: State<'_, Elevate>) -> Result<HomeSummary> {
    elevate.home().await
}

#[tauri::command]
pub async fn journal_entries(
    elevate: State<'_, Elevate>,
    filter: JournalFilter,
) -> Result<JournalPage> {
    Ok(elevate.journal_entries(filter).await)
}

#[tauri::command]
pub async fn journal_verify(elevate: State<'_, Elevate>) -> Result<JournalHealth> {
    Ok(elevate.journal_verify().await)
}

/// Asks where to save, then exports; `None` when the user cancels the dialog.
#[tauri::command]
pub async fn journal_export(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    format: ExportFormat,
    filter: JournalFilter,
) -> Result<Option<JournalExport>> {
    let name = elevate_core::journal::export_file_name(format);
    let Some(path) = ask_export_path(app, format, "Export activity", name).await else {
        return Ok(None);
    };
    elevate.journal_export(format, filter, path).await.map(Some)
}

/// The native save dialog, from Rust: the webview has no dialog or file-system permission
/// and never names a path itself.
pub(crate) async fn ask_export_path(
    app: AppHandle,
    format: ExportFormat,
    title: &'static str,
    name: String,
) -> Option<PathBuf> {
    // End-to-end tests cannot click in a native dialog: debug builds take the folder from
    // the environment instead (release builds always ask).
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os("ELEVATE_TEST_SAVE_DIR") {
        return Some(PathBuf::from(dir).join(name));
    }
    let (label, ext) = match format {
        ExportFormat::Csv => ("CSV (opens in Excel)", "csv"),
        ExportFormat::Json => ("JSON", "json"),
    };
    let chosen = tokio::task::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_title(title)
            .add_filter(label, &[ext])
            .set_file_name(name)
            .blocking_save_file()
    })
    .await
    .ok()??;
    chosen.into_path().ok()
}

/// Opens a fixed Microsoft Learn page; the webview names a topic, never a URL.
#[tauri::command]
pub fn open_help(topic: String) -> Result<()> {
    let url = match topic.as_str() {
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
    let url = url::Url::parse(url).expect("fixed URL");
    elevate_core::auth::SystemBrowser
        .open(&url)
        .map_err(ApiError::from)
}
