//! Webview settings chosen from measurements (`cargo xtask bench`, start-up and memory).
//!
//! Linux (WebKitGTK): the accelerated compositing mode draws every frame through OpenGL. On
//! a computer without a usable GPU (virtual machines, remote desktops, the CI's Xvfb) that is
//! Mesa's software rasteriser, and the first frames wait for it to compile its shaders:
//! measured there, the sign-in screen settled 1.7 s after start with it and 0.77 s without,
//! and all processes held 354 MiB PSS with it and 258 MiB without. Elevate draws forms and
//! tables, nothing that needs a GPU, so compositing is off unless the user has chosen:
//! `WEBKIT_DISABLE_COMPOSITING_MODE=0` turns it back on.
//!
//! The page cache and memory cache are for browsing many sites; this webview shows one app
//! from its own files, so it keeps the smallest caches (WebKit's "document viewer" model).
//!
//! With compositing off, WebKitGTK's first paint of the window waits (up to 0.5 s) for the
//! page's first picture, while the page waits for its files, which this app's main thread
//! serves: in about half the starts measured, the window stayed empty for that half second
//! (a futex wait with a 0.5 s timeout on the main thread, seen with strace). So on Linux the
//! window is shown once the page has loaded, and then shows the first screen at once.
//!
//! Windows (WebView2) and macOS (WKWebView) keep their defaults: nothing was measured there.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::Manager;

/// Whether the main window is shown when it is made, or once its page has loaded.
pub const VISIBLE_AT_ONCE: bool = !cfg!(target_os = "linux");
/// If the page never says it has loaded, the window is shown anyway after this long.
const SHOW_ANYWAY_AFTER: Duration = Duration::from_secs(3);

static SHOWN: AtomicBool = AtomicBool::new(VISIBLE_AT_ONCE);

const COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Before any thread starts and before GTK and WebKit read their environment.
pub fn from_measurements() {
    if let Some(value) = compositing_default(std::env::var_os(COMPOSITING).as_deref()) {
        // Edition 2021: not yet `unsafe`; called first thing in `run`, with no other thread
        // alive to read the environment at the same time.
        std::env::set_var(COMPOSITING, value);
    }
}

/// What to set `WEBKIT_DISABLE_COMPOSITING_MODE` to, given what the user set (if anything).
fn compositing_default(user: Option<&std::ffi::OsStr>) -> Option<&'static str> {
    (cfg!(target_os = "linux") && user.is_none()).then_some("1")
}

/// The page has loaded: the first time, show the window (when it was made hidden).
pub fn page_loaded(window: &tauri::WebviewWindow) {
    show_once(window);
}

fn show_once(window: &tauri::WebviewWindow) {
    if !SHOWN.swap(true, Ordering::SeqCst) {
        if let Err(e) = window.show() {
            tracing::warn!(error = %e, "could not show the window");
        }
    }
}

pub fn for_window(window: &tauri::WebviewWindow) {
    if !VISIBLE_AT_ONCE {
        let app = window.app_handle().clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SHOW_ANYWAY_AFTER).await;
            if let Some(w) = app.get_webview_window("main") {
                if !SHOWN.load(Ordering::SeqCst) {
                    tracing::warn!("the page did not load in time; showing the window anyway");
                }
                show_once(&w);
            }
        });
    }
    #[cfg(target_os = "linux")]
    {
        let done = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = done {
            tracing::warn!(error = %e, "webview settings not applied");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_is_off_on_linux_unless_the_user_chose() {
        let ours = compositing_default(None);
        assert_eq!(ours, cfg!(target_os = "linux").then_some("1"));
        // `=0` is how a user turns WebKit's compositing back on; `=1` is theirs to keep too.
        assert_eq!(compositing_default(Some("0".as_ref())), None);
        assert_eq!(compositing_default(Some("1".as_ref())), None);
    }
}
