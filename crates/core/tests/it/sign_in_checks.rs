//! What Elevate checks in a sign-in before it takes the account: the ID token's audience,
//! tenant, issuer and expiry (the emulator's `idTokenDefect` switch spoils each), and a
//! re-sign-in that comes back as another account is said plainly.

use std::sync::{Arc, Mutex};

use elevate_core::api::{ErrorCode, SignInMethod, TenantKind};
use elevate_core::auth::{AuthError, Browser};
use elevate_core::cache::{KeyStore, MemoryKeyStore};
use elevate_core::Elevate;
use elevate_testkit::*;
use url::Url;

/// Signs in as whoever `user` names at the moment the browser opens.
struct SwitchingBrowser {
    user: Mutex<String>,
}

impl Browser for SwitchingBrowser {
    fn open(&self, url: &Url) -> Result<(), AuthError> {
        let (url, user) = (url.clone(), self.user.lock().unwrap().clone());
        tokio::spawn(async move {
            elevate_testkit::pages::complete_sign_in(&url, &user, "signin")
                .await
                .expect("headless sign-in");
        });
        Ok(())
    }
}

fn app(
    dir: &std::path::Path,
    e: &elevate_tenant::Emulator,
    keys: Arc<dyn KeyStore>,
    browser: Arc<SwitchingBrowser>,
) -> Elevate {
    app_in(e, dir, keys, browser)
}

fn as_user(user: &str) -> Arc<SwitchingBrowser> {
    Arc::new(SwitchingBrowser {
        user: Mutex::new(user.into()),
    })
}

#[tokio::test]
async fn a_spoilt_id_token_is_refused_and_nothing_is_saved() {
    let e = emulator().await;
    for (defect, says) in [
        ("wrongAudience", "another application"),
        ("wrongTenant", "another directory"),
        ("wrongIssuer", "login.evil.example"),
        ("expired", "expired"),
    ] {
        settings(&e, serde_json::json!({ "idTokenDefect": defect })).await;
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeyStore::default());
        let a = app(dir.path(), &e, keys.clone(), as_user("adele"));
        let err = a
            .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::SignInFailed, "{defect}");
        assert!(
            err.message.contains("not meant for Elevate"),
            "{}",
            err.message
        );
        let detail = err.detail.unwrap_or_default();
        assert!(detail.contains(says), "{defect}: {detail}");
        assert!(a.session().await.unwrap().account.is_none(), "{defect}");
        assert!(!dir.path().join("data/session.bin").exists(), "{defect}");
        assert!(keys.get().unwrap().is_none(), "{defect}: no key made");
    }
    settings(&e, serde_json::json!({ "idTokenDefect": "none" })).await;
    let dir = tempfile::tempdir().unwrap();
    let a = app(
        dir.path(),
        &e,
        Arc::new(MemoryKeyStore::default()),
        as_user("adele"),
    );
    a.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .expect("a right token still signs in");
    e.shutdown().await;
}

#[tokio::test]
async fn signing_in_again_as_someone_else_is_said_plainly() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let browser = as_user("gloria");
    let a = app(
        dir.path(),
        &e,
        Arc::new(MemoryKeyStore::default()),
        browser.clone(),
    );
    let s = a
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert_eq!(s.notice, None);
    // Same account again: nothing to say.
    let s = a
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert_eq!(s.notice, None);

    *browser.user.lock().unwrap() = "adele".into();
    let s = a
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert!(s.account.unwrap().upn.starts_with("adele@"));
    let notice = s.notice.expect("the switch is said");
    assert!(notice.contains("now signed in as Adele"), "{notice}");
    assert!(notice.contains("not as Gloria"), "{notice}");

    // After a deliberate sign-out, signing in as someone else is no surprise.
    a.sign_out().await.unwrap();
    *browser.user.lock().unwrap() = "gloria".into();
    let s = a
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert_eq!(s.notice, None);
    e.shutdown().await;
}

#[tokio::test]
async fn a_saved_sign_in_that_expired_is_compared_too() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let first = app(dir.path(), &e, keys.clone(), as_user("gloria"));
    first
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    drop(first);
    admin(
        &e,
        "refresh-tokens/revoke",
        serde_json::json!({"user": "gloria"}),
    )
    .await;
    let second = app(dir.path(), &e, keys, as_user("adele"));
    assert!(second.session().await.unwrap().account.is_none());
    let s = second
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert!(s.notice.unwrap_or_default().contains("not as Gloria"));
    e.shutdown().await;
}
