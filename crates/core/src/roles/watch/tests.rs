use std::sync::Arc;

use super::*;
use crate::auth::SystemBrowser;
use crate::cache::MemoryKeyStore;
use crate::cloud::EmulatorEndpoints;
use crate::{DemoTenant, Elevate, Paths};

struct NoDemo;

#[async_trait::async_trait]
impl DemoTenant for NoDemo {
    async fn start(&self) -> Result<EmulatorEndpoints, String> {
        Err("no demo tenant in this test".into())
    }
    fn base_url(&self) -> Option<String> {
        None
    }
    fn keeps_sessions(&self) -> bool {
        false
    }
}

fn app(dir: &std::path::Path) -> Arc<Elevate> {
    Arc::new(Elevate::new(
        Paths {
            data_dir: dir.join("data"),
            config_dir: dir.join("config"),
            managed_config: None,
        },
        Arc::new(MemoryKeyStore::default()),
        Arc::new(MemoryKeyStore::default()),
        Arc::new(SystemBrowser),
        Arc::new(NoDemo),
    ))
}

#[tokio::test]
async fn a_panic_in_a_tick_is_a_failed_tick() {
    let report = failed_on_panic(async {
        panic!("a bug in one tick");
    })
    .await;
    assert_eq!(report, WatchReport::default());
    let report = failed_on_panic(async {
        WatchReport {
            changed: true,
            ..Default::default()
        }
    })
    .await;
    assert!(report.changed, "a tick that ends is passed on as it is");
}

#[tokio::test]
async fn a_tick_that_panicked_holding_the_state_does_not_stop_the_watch() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    // A tick that panicked while it held the watch's state leaves its lock poisoned.
    let a = app.clone();
    std::thread::spawn(move || {
        let _held = a.roles.watch.lock().unwrap();
        panic!("a bug while the state is held");
    })
    .join()
    .unwrap_err();
    assert!(app.roles.watch.is_poisoned());

    assert_eq!(app.watch_tick().await, WatchReport::default());
    app.roles.watch_pending(
        "r-1",
        Waiting {
            role_id: "62e90394-69f5-4237-9190-012177145e10".into(),
            role_name: "Global Administrator".into(),
            action: "selfActivate".into(),
            params: Default::default(),
        },
    );
    assert_eq!(app.roles.watch_state().pending.len(), 1);
    app.roles.watch_forget("r-1");
    assert!(app.roles.watch_state().pending.is_empty());
    app.sign_out().await.unwrap();
}
