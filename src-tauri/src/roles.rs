//! My roles commands, and the background watch: OS notifications before an activation ends
//! and when an approval is decided, and the tray's countdown.

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::{
    ActivationInput, ActivationOutcome, ApiError, ExtendInput, MyRoles, RoleNotice, RolePreferences,
};
use elevate_core::Elevate;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::Notify;

type Result<T> = std::result::Result<T, ApiError>;

/// How often the watch looks, unless a command wakes it sooner.
const TICK: Duration = Duration::from_secs(15);

/// Wakes the watch after a command changed the roles, so the tray follows at once.
#[derive(Default)]
pub struct Nudge(Arc<Notify>);

#[tauri::command]
pub async fn my_roles(elevate: State<'_, Elevate>, nudge: State<'_, Nudge>) -> Result<MyRoles> {
    let r = elevate.my_roles().await;
    nudge.0.notify_one();
    r
}

#[tauri::command]
pub async fn activate_roles(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    nudge: State<'_, Nudge>,
    input: ActivationInput,
) -> Result<Vec<ActivationOutcome>> {
    let r = elevate
        .activate_roles(input, &move |p| {
            let _ = app.emit("activation-progress", p);
        })
        .await;
    nudge.0.notify_one();
    r
}

#[tauri::command]
pub async fn extend_role(
    app: AppHandle,
    elevate: State<'_, Elevate>,
    nudge: State<'_, Nudge>,
    input: ExtendInput,
) -> Result<ActivationOutcome> {
    let r = elevate
        .extend_role(input, &move |p| {
            let _ = app.emit("activation-progress", p);
        })
        .await;
    nudge.0.notify_one();
    r
}

#[tauri::command]
pub async fn deactivate_role(
    elevate: State<'_, Elevate>,
    nudge: State<'_, Nudge>,
    role_id: String,
) -> Result<()> {
    let r = elevate.deactivate_role(&role_id).await;
    nudge.0.notify_one();
    r
}

#[tauri::command]
pub async fn cancel_request(
    elevate: State<'_, Elevate>,
    nudge: State<'_, Nudge>,
    request_id: String,
) -> Result<()> {
    let r = elevate.cancel_request(&request_id).await;
    nudge.0.notify_one();
    r
}

#[tauri::command]
pub fn role_preferences(elevate: State<'_, Elevate>) -> RolePreferences {
    elevate.role_preferences()
}

#[tauri::command]
pub fn save_role_preferences(
    elevate: State<'_, Elevate>,
    prefs: RolePreferences,
) -> Result<RolePreferences> {
    elevate.save_role_preferences(prefs)
}

/// The tray icon: "Open Elevate", "Quit", and the time left on the activation ending first.
pub fn tray(app: &AppHandle) -> tauri::Result<TrayIcon> {
    let open = MenuItem::with_id(app, "open", "Open Elevate", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Elevate", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut b = TrayIconBuilder::with_id("elevate")
        .tooltip("Elevate")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => {
                if let Some(w) = app.get_webview_window("main") {
                    let _ = w.show();
                    let _ = w.set_focus();
                }
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        b = b.icon(icon.clone());
    }
    b.build(app)
}

/// Runs for the life of the app.
pub fn spawn_watch(app: AppHandle) {
    let nudge = app.state::<Nudge>().0.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(TICK) => {}
                _ = nudge.notified() => {}
            }
            let report = app.state::<Elevate>().watch_tick().await;
            for n in &report.notices {
                notify(&app, n);
            }
            if report.changed || !report.notices.is_empty() {
                let _ = app.emit("roles-changed", report.notices.first());
            }
            if let Some(tray) = app.tray_by_id("elevate") {
                let line = report.next_end.as_ref().map(|(name, end)| {
                    let left = (*end - chrono::Utc::now()).num_minutes().max(0);
                    format!("{name}: {}", minutes_left(left))
                });
                let _ = tray.set_tooltip(Some(line.as_deref().unwrap_or("Elevate")));
                let _ = tray.set_title(line.as_deref());
            }
        }
    });
}

fn notify(app: &AppHandle, n: &RoleNotice) {
    if let Err(e) = app
        .notification()
        .builder()
        .title(&n.title)
        .body(&n.body)
        .show()
    {
        tracing::warn!(error = %e, "could not show a notification");
    }
}

fn minutes_left(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, mm) => format!("{mm} min left"),
        (h, 0) => format!("{h} h left"),
        (h, mm) => format!("{h} h {mm} min left"),
    }
}
