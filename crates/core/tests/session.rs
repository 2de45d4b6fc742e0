//! The `Elevate` façade as the desktop shell uses it: sign in, restore after a restart,
//! sign out, memory-only without a credential store, damaged caches.

mod common;

use std::sync::Arc;

use common::*;
use elevate_core::api::{ErrorCode, SignInMethod, StorageStatus, TenantKind};
use elevate_core::cache::{KeyStore, MemoryKeyStore};
use elevate_core::{Elevate, Paths};

fn paths(dir: &std::path::Path) -> Paths {
    Paths { data_dir: dir.join("data"), config_dir: dir.join("config"), managed_config: None }
}

fn app(dir: &std::path::Path, e: &elevate_tenant::Emulator, keys: Arc<dyn KeyStore>, user: &str) -> (Elevate, Arc<HeadlessBrowser>) {
    let browser = HeadlessBrowser::as_user(user);
    let demo = Arc::new(DemoOf(endpoints(e), e.base_url()));
    (Elevate::new(paths(dir), keys, browser.clone(), demo), browser)
}

#[tokio::test]
async fn sign_in_survives_a_restart_and_sign_out_forgets_everything() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (first, browser) = app(dir.path(), &e, keys.clone(), "gloria");
    assert!(first.session().await.unwrap().account.is_none());
    let s = first.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {}).await.unwrap();
    let account = s.account.unwrap();
    assert_eq!(account.kind, TenantKind::Demo);
    assert!(account.upn.starts_with("gloria@"));
    assert_eq!(s.storage, StorageStatus::Encrypted);
    assert_eq!(browser.count(), 1);
    let home = first.home().await.unwrap();
    assert!(home.active_roles.iter().any(|r| r.name == "Global Administrator" && r.can_self_elevate));
    drop(first);

    // "Restart": a new Elevate over the same folder and key store, no browser involved.
    let (second, browser) = app(dir.path(), &e, keys.clone(), "gloria");
    let s = second.session().await.unwrap();
    assert_eq!(s.account.unwrap().upn, account.upn);
    assert_eq!(browser.count(), 0, "restored silently");

    let s = second.sign_out().await.unwrap();
    assert!(s.account.is_none());
    assert!(!dir.path().join("data/session.bin").exists());
    assert!(keys.get().unwrap().is_none());
    let err = second.home().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotSignedIn);
    e.shutdown().await;
}

#[tokio::test]
async fn without_a_credential_store_the_session_is_memory_only() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = app(dir.path(), &e, Arc::new(MemoryKeyStore::unavailable()), "adele");
    let s = a.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {}).await.unwrap();
    assert_eq!(s.storage, StorageStatus::MemoryOnly);
    assert!(s.account.is_some());
    assert!(!dir.path().join("data").exists(), "nothing is written, not even encrypted");
    e.shutdown().await;
}

#[tokio::test]
async fn a_damaged_cache_is_discarded_with_a_notice() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (first, _) = app(dir.path(), &e, keys.clone(), "adele");
    first.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {}).await.unwrap();
    drop(first);
    let file = dir.path().join("data/session.bin");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes[40] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let (second, _) = app(dir.path(), &e, keys, "adele");
    let s = second.session().await.unwrap();
    assert!(s.account.is_none());
    assert!(s.notice.unwrap().contains("sign in again"));
    assert!(!file.exists());
    e.shutdown().await;
}

#[tokio::test]
async fn a_revoked_session_returns_to_sign_in_with_a_notice() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (first, _) = app(dir.path(), &e, keys.clone(), "adele");
    first.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {}).await.unwrap();
    drop(first);
    admin(&e, "refresh-tokens/revoke", serde_json::json!({"user": "adele"})).await;
    let (second, _) = app(dir.path(), &e, keys, "adele");
    let s = second.session().await.unwrap();
    assert!(s.account.is_none());
    assert!(s.notice.unwrap().contains("expired"));
    e.shutdown().await;
}

#[tokio::test]
async fn organization_sign_in_needs_settings_first() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, browser) = app(dir.path(), &e, Arc::new(MemoryKeyStore::default()), "adele");
    let err = a.sign_in(TenantKind::Organization, SignInMethod::Browser, |_| {}).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Config);
    assert!(err.message.contains("Settings"));
    assert_eq!(browser.count(), 0, "nothing opened before the settings are valid");
    assert!(!a.session().await.unwrap().organization_configured);
    e.shutdown().await;
}
