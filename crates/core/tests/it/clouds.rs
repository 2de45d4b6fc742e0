//! Sovereign clouds, device-code policy and browser sign-out, end to end against the
//! emulator: Elevate as the shell uses it, the demo tenant standing in for the cloud.

use std::sync::Arc;

use elevate_core::api::{ErrorCode, SignInMethod, TenantKind};
use elevate_core::auth::{AuthError, Browser};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::{Elevate, Paths};
use elevate_tenant::Emulator;
use elevate_testkit::*;
use url::Url;

/// Signs in like `HeadlessBrowser`, and loads sign-out pages like a browser would.
struct Browsing {
    signs_in: Arc<HeadlessBrowser>,
    opened: std::sync::Mutex<Vec<Url>>,
}

impl Browser for Browsing {
    fn open(&self, url: &Url) -> Result<(), AuthError> {
        self.opened.lock().unwrap().push(url.clone());
        if url.path().ends_with("/oauth2/v2.0/logout") {
            let url = url.clone();
            tokio::spawn(async move { reqwest::get(url).await.expect("sign-out page") });
            Ok(())
        } else {
            self.signs_in.open(url)
        }
    }
}

fn elevate(e: &Emulator, dir: &std::path::Path, managed: Option<&str>) -> (Elevate, Arc<Browsing>) {
    let managed_config = managed.map(|json| {
        let p = dir.join("managed.json");
        std::fs::write(&p, json).unwrap();
        p
    });
    let browser = Arc::new(Browsing {
        signs_in: HeadlessBrowser::as_user("gloria"),
        opened: Default::default(),
    });
    let app = Elevate::new(
        Paths {
            data_dir: dir.join("data"),
            config_dir: dir.join("config"),
            managed_config,
        },
        Arc::new(MemoryKeyStore::default()),
        Arc::new(MemoryKeyStore::default()),
        browser.clone(),
        Arc::new(DemoOf(endpoints(e), e.base_url())),
    );
    (app, browser)
}

async fn token_request_scopes(e: &Emulator) -> Vec<String> {
    let log: serde_json::Value = reqwest::get(format!("{}/_emulator/token-requests", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["scope"].as_str().map(str::to_string))
        .collect()
}

fn audiences(e: &Emulator) -> Vec<String> {
    e.issued_tokens().iter().filter_map(|t| aud(t)).collect()
}

fn aud(jwt: &str) -> Option<String> {
    use base64::Engine;
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v["aud"].as_str().map(str::to_string)
}

#[tokio::test]
async fn a_gcc_high_tenant_is_used_with_gcc_high_resource_ids() {
    let e = emulator().await;
    settings(&e, serde_json::json!({"cloud": "usGovHigh"})).await;
    let dir = tempfile::tempdir().unwrap();
    let (app, browser) = elevate(&e, dir.path(), None);
    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .expect("sign-in to a GCC High tenant");
    // The sign-in asks for Graph on the authorize page; later tokens on the token endpoint.
    let sign_in_page = browser.opened.lock().unwrap()[0].clone();
    let asked: String = sign_in_page
        .query_pairs()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    assert!(
        asked.contains("https://graph.microsoft.us/.default"),
        "{asked}"
    );
    assert!(!asked.contains(".com/"), "{asked}");
    let home = app.home().await.expect("Graph in GCC High");
    assert!(home
        .active_roles
        .iter()
        .any(|r| r.name == "Global Administrator"));
    app.environments()
        .await
        .expect("Power Platform API in GCC High");

    let scopes = token_request_scopes(&e).await.join(" ");
    assert!(
        scopes.contains("https://api.high.powerplatform.microsoft.us/.default"),
        "{scopes}"
    );
    assert!(!scopes.contains(".com/"), "no public-cloud scope: {scopes}");
    let auds = audiences(&e);
    assert!(
        auds.iter().any(|a| a == "https://graph.microsoft.us"),
        "{auds:?}"
    );
    assert!(
        auds.iter()
            .any(|a| a == "https://api.high.powerplatform.microsoft.us"),
        "{auds:?}"
    );
    assert!(
        !auds
            .iter()
            .any(|a| a.contains("microsoft.com") || a.contains("powerplatform.com")),
        "{auds:?}"
    );
    e.shutdown().await;
}

#[tokio::test]
async fn device_code_is_refused_unless_the_managed_configuration_allows_it() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = elevate(&e, dir.path(), None);
    assert!(!app.session().await.unwrap().device_code_allowed);
    let err = app
        .sign_in(TenantKind::Demo, SignInMethod::DeviceCode, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Config);
    assert!(err.message.contains("device code"), "{}", err.message);
    assert!(app.session().await.unwrap().account.is_none());
    let log: serde_json::Value = reqwest::get(format!("{}/_emulator/token-requests", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["value"], serde_json::json!([]), "nothing was sent");

    let dir = tempfile::tempdir().unwrap();
    let (app, _) = elevate(&e, dir.path(), Some(r#"{"allowDeviceCode": true}"#));
    assert!(app.session().await.unwrap().device_code_allowed);
    assert!(app.settings().allow_device_code);
    let s = app
        .sign_in(
            TenantKind::Demo,
            SignInMethod::DeviceCode,
            device_login_as("adele"),
        )
        .await
        .expect("allowed device-code sign-in");
    assert!(s.account.unwrap().upn.starts_with("adele@"));
    e.shutdown().await;
}

#[tokio::test]
async fn sign_out_can_end_the_browser_session_too() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (app, browser) = elevate(&e, dir.path(), None);
    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    // Elevate alone: the browser is not asked to do anything.
    app.sign_out().await.unwrap();
    assert_eq!(
        browser.opened.lock().unwrap().len(),
        1,
        "only the sign-in page"
    );
    assert!(e.sign_outs().is_empty());

    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    let oid = app.broker().account().unwrap().oid;
    let s = app.sign_out_with(true).await.unwrap();
    assert!(s.account.is_none());
    assert!(!dir.path().join("data/session.bin").exists());
    let opened = browser.opened.lock().unwrap().last().cloned().unwrap();
    let ep = endpoints(&e);
    assert!(
        opened.as_str().starts_with(&format!(
            "{}/{}/oauth2/v2.0/logout?logout_hint=",
            ep.authority, ep.tenant_id
        )),
        "{opened}"
    );
    for _ in 0..100 {
        if !e.sign_outs().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let outs = e.sign_outs();
    assert_eq!(outs.len(), 1);
    assert_eq!(
        outs[0].user_id.as_deref(),
        Some(oid.as_str()),
        "the hint named the account"
    );
    e.shutdown().await;
}
