//! IPC commands: each turns arguments into one `Elevate` call and returns its DTO.

use elevate_core::api::{ApiError, AppInfo, ErrorCode, HomeSummary, SessionState, Settings, SettingsInput, SignInMethod, TenantKind};
use elevate_core::auth::Browser;
use elevate_core::Elevate;
use tauri::{AppHandle, Emitter, State};

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub fn app_info(app: AppHandle) -> AppInfo {
    AppInfo {
        name: app.package_info().name.clone(),
        version: app.package_info().version.to_string(),
        build: if cfg!(debug_assertions) { "debug" } else { "release" }.into(),
        os: std::env::consts::OS.into(),
    }
}

#[tauri::command]
pub async fn session(elevate: State<'_, Elevate>) -> Result<SessionState> {
    elevate.session().await
}

#[tauri::command]
pub async fn sign_in(app: AppHandle, elevate: State<'_, Elevate>, kind: TenantKind, method: SignInMethod) -> Result<SessionState> {
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

#[tauri::command]
pub async fn sign_out(elevate: State<'_, Elevate>) -> Result<SessionState> {
    elevate.sign_out().await
}

#[tauri::command]
pub fn get_settings(elevate: State<'_, Elevate>) -> Settings {
    elevate.settings()
}

#[tauri::command]
pub fn save_settings(elevate: State<'_, Elevate>, input: SettingsInput) -> Result<Settings> {
    elevate.save_settings(input)
}

#[tauri::command]
pub async fn home(elevate: State<'_, Elevate>) -> Result<HomeSummary> {
    elevate.home().await
}

/// Opens a fixed Microsoft Learn page; the webview names a topic, never a URL.
#[tauri::command]
pub fn open_help(topic: String) -> Result<()> {
    let url = match topic.as_str() {
        "appRegistration" => "https://learn.microsoft.com/entra/identity-platform/quickstart-register-app",
        "adminConsent" => "https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent",
        _ => return Err(ApiError::new(ErrorCode::InvalidInput, "Unknown help topic.")),
    };
    let url = url::Url::parse(url).expect("fixed URL");
    elevate_core::auth::SystemBrowser.open(&url).map_err(ApiError::from)
}
