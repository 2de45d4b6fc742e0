//! The declared command surface as every host drives it: `dispatch` by wire name and JSON
//! arguments over a real `Elevate`, with a recording `Host`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use elevate_core::api::{
    dispatch, ApiError, AvailableUpdate, Context, ErrorCode, Host, OpenAsk, SaveAsk, UpdateStatus,
};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::Elevate;
use elevate_testkit::*;
use serde_json::{json, Value};

#[derive(Default)]
struct Recorder {
    events: Mutex<Vec<(String, Value)>>,
    opened: Mutex<Vec<String>>,
    save_dir: Option<PathBuf>,
}

#[async_trait::async_trait]
impl Host for Recorder {
    fn app_name(&self) -> String {
        "Elevate".into()
    }
    fn app_version(&self) -> String {
        "9.9.9".into()
    }
    fn emit(&self, name: &'static str, payload: Value) {
        self.events.lock().unwrap().push((name.into(), payload));
    }
    fn open_url(&self, url: &url::Url) -> Result<(), ApiError> {
        self.opened.lock().unwrap().push(url.to_string());
        Ok(())
    }
    async fn save_path(&self, ask: SaveAsk) -> Option<PathBuf> {
        self.save_dir.as_ref().map(|d| d.join(ask.file_name))
    }
    async fn open_path(&self, _: OpenAsk) -> Option<PathBuf> {
        None
    }
    fn updates(&self) -> UpdateStatus {
        UpdateStatus::NotInThisBuild
    }
    async fn check_for_update(&self) -> Result<Option<AvailableUpdate>, ApiError> {
        panic!("core asks the host only when updates are automatic")
    }
    async fn install_update(&self) -> Result<(), ApiError> {
        Err(ApiError::new(ErrorCode::InvalidInput, "nothing to install"))
    }
}

fn app(dir: &std::path::Path, e: &elevate_tenant::Emulator, user: &str) -> Elevate {
    app_in(
        e,
        dir,
        Arc::new(MemoryKeyStore::default()),
        HeadlessBrowser::as_user(user),
    )
}

#[tokio::test]
async fn unknown_commands_and_unreadable_arguments_change_nothing() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let elevate = app(dir.path(), &e, "adele");
    let host = Recorder::default();
    let cx = Context {
        elevate: &elevate,
        host: &host,
    };

    let err = dispatch(&cx, "format_disk", json!({})).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("format_disk"));

    for bad in [
        json!({"kind": "nope", "method": "browser"}),
        json!({"method": "browser"}),
        json!("demo"),
    ] {
        let err = dispatch(&cx, "sign_in", bad).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("sign_in"), "{}", err.message);
    }
    let s = dispatch(&cx, "session", Value::Null).await.unwrap();
    assert!(s["account"].is_null(), "still signed out: {s}");
    assert!(host.events.lock().unwrap().is_empty());
    let err = dispatch(
        &cx,
        "run_cleanup",
        json!({"planId": "p", "confirmCount": "many"}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn commands_run_by_wire_name_with_the_ipc_argument_names() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let elevate = app(dir.path(), &e, "adele");
    let host = Recorder {
        save_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let cx = Context {
        elevate: &elevate,
        host: &host,
    };

    let about = dispatch(&cx, "app_info", json!({})).await.unwrap();
    assert_eq!(about["version"], "9.9.9");
    assert_eq!(about["updates"], "notInThisBuild");
    assert_eq!(
        dispatch(&cx, "check_for_update", json!({})).await.unwrap(),
        Value::Null
    );

    let s = dispatch(&cx, "sign_in", json!({"kind": "demo", "method": "browser"}))
        .await
        .unwrap();
    assert!(s["account"]["upn"].as_str().unwrap().starts_with("adele@"));
    assert!(host
        .events
        .lock()
        .unwrap()
        .iter()
        .any(|(name, _)| name == "sign-in-progress"));

    let roles = dispatch(&cx, "my_roles", json!({})).await.unwrap();
    assert!(roles["eligible"].as_array().is_some_and(|r| !r.is_empty()));

    dispatch(&cx, "open_help", json!({"topic": "adminConsent"}))
        .await
        .unwrap();
    assert!(host.opened.lock().unwrap()[0].starts_with("https://learn.microsoft.com/"));
    let err = dispatch(&cx, "open_help", json!({"topic": "https://evil.example"}))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let export = dispatch(
        &cx,
        "journal_export",
        json!({"format": "json", "filter": {}}),
    )
    .await
    .unwrap();
    let path = export["path"]
        .as_str()
        .expect("written where the host said");
    assert!(path.starts_with(dir.path().to_str().unwrap()), "{path}");

    let s = dispatch(&cx, "sign_out", json!({})).await.unwrap();
    assert!(s["account"].is_null());
}
