//! The roles' background watch: OS notifications before an activation ends
//! and when an approval is decided, and the tray's countdown.

use std::time::Duration;

use elevate_core::api::{events, RoleNotice};
use elevate_core::Elevate;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::host::TauriHost;

/// How often the watch looks, unless a command wakes it sooner.
const TICK: Duration = Duration::from_secs(15);

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
    let nudge = app.state::<TauriHost>().nudge.clone();
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
                events::roles_changed(&*app.state::<TauriHost>(), &report.notices.first().cloned());
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
