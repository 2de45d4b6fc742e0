//! The Tauri commands, generated from core's one surface (`elevate_core::with_surface!`):
//! each takes its raw JSON arguments and hands them to `elevate_core::api::dispatch`, so a
//! command exists here exactly when it is declared there.

use elevate_core::api::{dispatch, ApiError, Context, ErrorCode};
use elevate_core::Elevate;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

use crate::host::TauriHost;

async fn run(
    name: &str,
    request: Request<'_>,
    elevate: &Elevate,
    host: &TauriHost,
) -> Result<serde_json::Value, ApiError> {
    let args = match request.body() {
        InvokeBody::Json(v) => v.clone(),
        InvokeBody::Raw(bytes) => serde_json::from_slice(bytes).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "The app sent arguments Elevate cannot read.",
            )
            .with_detail(e.to_string())
        })?,
    };
    dispatch(&Context { elevate, host }, name, args).await
}

macro_rules! tauri_surface {
    (
        commands { $( $module:ident :: $name:ident { $( $field:ident : $fty:ty ),* $(,)? } -> $resp:ty ; )* }
        events { $( $ev:ident = $evname:literal : $payload:ty ; )* }
    ) => {
        $(
            #[tauri::command]
            pub async fn $name(
                request: Request<'_>,
                elevate: State<'_, Elevate>,
                host: State<'_, TauriHost>,
            ) -> Result<serde_json::Value, ApiError> {
                run(stringify!($name), request, &elevate, &host).await
            }
        )*

        /// Every command of the surface, for `Builder::invoke_handler`.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![ $( $name ),* ]
        }
    };
}

elevate_core::with_surface!(tauri_surface);
