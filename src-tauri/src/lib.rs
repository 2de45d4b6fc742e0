//! The desktop shell: window, tray, notifications, and the Tauri host of core's command
//! surface (`ipc`, `host`); the commands themselves live in `elevate_core::api`.

mod demo;
mod host;
mod ipc;
mod logging;
mod roles;
mod updates;
mod webview_settings;

use std::sync::Arc;

use elevate_core::auth::SystemBrowser;
use elevate_core::cache::OsKeyStore;
use elevate_core::{Elevate, Paths};
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

pub fn run() {
    webview_settings::from_measurements();
    // First, so a second start hands over to the running Elevate before anything else runs.
    let mut builder = tauri::Builder::default().plugin(
        tauri_plugin_single_instance::Builder::new()
            .callback(|app, _args, _cwd| show_main_window(app))
            .dbus_id(single_instance_id())
            .build(),
    );
    // Used from Rust only; the capability grants the webview none of its commands.
    if let Some(updater) = updates::plugin() {
        builder = builder.plugin(updater);
    }
    builder
        // Used from Rust only (the export's save dialog): the capability grants the webview
        // no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (expiry warnings, approval decisions).
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(ipc::handler())
        .setup(|app| {
            let started = std::time::Instant::now();
            let paths = app.path();
            let data_dir = paths.app_data_dir()?;
            let log_dir = paths.app_log_dir()?;
            let config_dir = paths.app_config_dir()?;
            app.manage(logging::init(&log_dir));
            tracing::info!(version = env!("CARGO_PKG_VERSION"), "Elevate starting");
            // Without the lock no `Elevate` is built, so nothing is written.
            match elevate_core::instance::InstanceLock::acquire(&data_dir) {
                Ok(lock) => {
                    app.manage(lock);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "not starting: no instance lock");
                    refuse_to_start(app.handle(), &e.to_string());
                    return Ok(());
                }
            }

            let demo = demo::host();
            let journal_scope = data_dir.clone();
            let paths = Paths {
                data_dir,
                config_dir,
                managed_config: elevate_core::settings::SettingsStore::default_managed_path(),
            };
            // The credential-store probe is a blocking D-Bus/Keychain call: keep it off any
            // async runtime thread. It runs while the window and its web process start; no
            // command can arrive before `setup` returns, and by then the core is managed.
            let elevate = std::thread::spawn(move || {
                let keys = Arc::new(OsKeyStore::new(
                    elevate_core::KEYRING_SERVICE,
                    elevate_core::KEYRING_USER,
                ));
                let journal_keys = Arc::new(
                    OsKeyStore::new(
                        elevate_core::KEYRING_SERVICE,
                        elevate_core::KEYRING_JOURNAL_USER,
                    )
                    .with_mark_scope(&journal_scope),
                );
                Elevate::new(paths, keys, journal_keys, Arc::new(SystemBrowser), demo)
            });
            main_window(app.handle())?;
            let window_made = started.elapsed();
            app.manage(elevate.join().expect("startup thread"));
            app.manage(host::TauriHost::new(app.handle().clone()));
            roles::spawn_watch(app.handle().clone());
            tracing::info!(
                window_ms = window_made.as_millis() as u64,
                ready_ms = started.elapsed().as_millis() as u64,
                "set up"
            );
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Elevate");
}

/// One Elevate per data folder, like the instance lock. On Linux the plugin claims a D-Bus
/// name on the session bus; deriving it from where the data lives keeps two people's (or two
/// test sandboxes') Elevates on one bus from handing over to each other.
fn single_instance_id() -> String {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })
        .unwrap_or_default();
    // FNV-1a: stable across Rust versions, unlike DefaultHasher.
    let hash = data
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("com.elevate.desktop.d{hash:016x}")
}

fn show_main_window(app: &tauri::AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Says why this Elevate does not start, then ends it when the message is closed.
fn refuse_to_start(app: &tauri::AppHandle, why: &str) {
    use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
    app.dialog()
        .message(why)
        .title("Elevate")
        .kind(MessageDialogKind::Warning)
        .show(|_| std::process::exit(0));
}

fn main_window(app: &tauri::AppHandle) -> tauri::Result<()> {
    let window = WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
        .title("Elevate")
        .inner_size(1200.0, 800.0)
        .min_inner_size(880.0, 600.0)
        .visible(webview_settings::VISIBLE_AT_ONCE)
        .on_page_load(|window, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                first_page_loaded(&window);
            }
        })
        // The webview shows only the app's own pages; anything else (a link, a redirect)
        // is refused here. External pages open in the system browser, from Rust.
        .on_navigation(|url| is_app_url(url))
        // No pop-ups either (`window.open`, `target=_blank`): WebView2 would otherwise open
        // one by default, outside the navigation guard and the CSP's reach.
        .on_new_window(|url, _| {
            tracing::warn!(host = url.host_str().unwrap_or(""), "refused a new window");
            tauri::webview::NewWindowResponse::Deny
        })
        .build()?;
    webview_settings::for_window(&window);
    Ok(())
}

/// What waits for the first screen: showing the window (Linux, see `webview_settings`) and the
/// tray icon (its D-Bus and icon-file work would otherwise hold up serving the page's files).
fn first_page_loaded(window: &tauri::WebviewWindow) {
    webview_settings::page_loaded(window);
    static TRAY: std::sync::Once = std::sync::Once::new();
    TRAY.call_once(|| {
        // A desktop without a tray (no StatusNotifier host) still gets notifications.
        if let Err(e) = roles::tray(window.app_handle()) {
            tracing::warn!(error = %e, "no tray icon");
        }
    });
}

fn is_app_url(url: &url::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            matches!(url.host_str(), Some("tauri.localhost"))
                || (cfg!(debug_assertions)
                    && url.host_str() == Some("localhost")
                    && url.port() == Some(5173))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_app_url;

    #[test]
    fn navigation_stays_inside_the_app() {
        let ok = |s: &str| is_app_url(&url::Url::parse(s).unwrap());
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(!ok("https://login.microsoftonline.com/"));
        assert!(!ok("http://tauri.localhost.evil.com/"));
        assert!(!ok("file:///etc/passwd"));
    }
}
