//! The dev web host as the browser UI uses it: commands over POST /api/<command>, events over
//! SSE, on the real core and the demo tenant; sign-in done on the emulator's page over HTTP.

use std::sync::Arc;
use std::time::Duration;

use elevate_core::auth::{AuthError, Browser};
use serde_json::{json, Value};

/// Picks `adele` on the demo tenant's sign-in page, as a person would.
struct Adele;

impl Browser for Adele {
    fn open(&self, url: &url::Url) -> Result<(), AuthError> {
        let url = url.clone();
        tokio::spawn(async move {
            elevate_testkit::pages::complete_sign_in(&url, "adele", "signin")
                .await
                .expect("headless sign-in");
        });
        Ok(())
    }
}

async fn host(dir: &std::path::Path) -> elevate_webhost::Running {
    elevate_webhost::start(elevate_webhost::Options {
        port: 0,
        data_dir: dir.join("run"),
        exports_dir: dir.join("exports"),
        browser: Arc::new(Adele),
        emulator_settings: Some(json!({"activationDelaySeconds": 1})),
        emulator_faults: None,
        approve_after: None,
    })
    .await
    .expect("web host starts")
}

async fn call(addr: std::net::SocketAddr, name: &str, args: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("http://{addr}/api/{name}"))
        .json(&args)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn signs_in_lists_roles_and_streams_events() {
    let dir = tempfile::tempdir().unwrap();
    let h = host(dir.path()).await;
    assert!(h.addr.ip().is_loopback());

    let (status, s) = call(h.addr, "session", json!({})).await;
    assert_eq!(status, 200);
    assert!(s["account"].is_null());

    let mut stream = reqwest::get(format!("http://{}/api/events", h.addr))
        .await
        .unwrap();
    assert!(stream.status().is_success());

    let (status, s) = call(
        h.addr,
        "sign_in",
        json!({"kind": "demo", "method": "browser"}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert!(s["account"]["upn"].as_str().unwrap().starts_with("adele@"));

    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("event: sign-in-progress\ndata: {") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "events seen: {seen}");

    let (status, roles) = call(h.addr, "my_roles", json!({})).await;
    assert_eq!(status, 200, "{roles}");
    assert!(roles["eligible"].as_array().is_some_and(|r| !r.is_empty()));
}

#[tokio::test]
async fn refuses_unknown_commands_bad_arguments_and_other_origins() {
    let dir = tempfile::tempdir().unwrap();
    let h = host(dir.path()).await;

    let (status, e) = call(h.addr, "format_disk", json!({})).await;
    assert_eq!((status, e["code"].as_str()), (404, Some("notFound")));
    let (status, e) = call(
        h.addr,
        "environment_membership",
        json!({"environment": "x"}),
    )
    .await;
    assert_eq!((status, e["code"].as_str()), (400, Some("invalidInput")));

    let http = reqwest::Client::new();
    // A form post from another site: not JSON, refused before anything runs.
    let r = http
        .post(format!("http://{}/api/sign_out", h.addr))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    // A name that resolved to this computer from elsewhere (DNS rebinding).
    let r = http
        .post(format!("http://{}/api/session", h.addr))
        .header("host", "evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);

    let (status, about) = call(h.addr, "app_info", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(about["updates"], "notInThisBuild");
}
