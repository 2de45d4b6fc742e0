//! Environments commands: the list, Membership, the preflight, Add me (with an
//! `elevation-progress` event after each environment), and opening an environment's URL.

use elevate_core::api::{AddMeInput, ApiError, Elevation, EnvironmentList, Membership, Preflight};
use elevate_core::auth::Browser;
use elevate_core::Elevate;
use tauri::{AppHandle, Emitter, State};

type Result<T> = std::result::Result<T, ApiError>;

#[tauri::command]
pub async fn environments(elevate: State<'_, Elevate>) -> Result<EnvironmentList> {
    elevate.environments().await
}

#[tauri::command]
pub async fn environment_membership(
    elevate: State<'_, Elevate>,
    environment_id: String,
) -> Result<Membership> {
    elevate.membership(&environment_id).await
}

#[tauri::command]
pub async fn preflight(
    elevate: State<'_, Elevate>,
    environment_ids: Vec<String>,
) -> Result<Vec<Preflight>> {
    elevate.preflight(&environment_ids).await
}

#[tauri::command]
pub async fn add_me(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    input: AddMeInput,
) -> Result<Vec<Elevation>> {
    elevate
        .add_me(input, &move |p| {
            let _ = app.emit("elevation-progress", p);
        })
        .await
}

#[tauri::command]
pub async fn open_environment(elevate: State<'_, Elevate>, environment_id: String) -> Result<()> {
    let url = elevate.environment_url(&environment_id).await?;
    elevate_core::auth::SystemBrowser
        .open(&url)
        .map_err(ApiError::from)
}
