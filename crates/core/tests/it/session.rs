//! The `Elevate` façade as the desktop shell uses it: sign in, restore after a restart,
//! sign out, memory-only without a credential store, damaged caches.

use std::sync::Arc;

use elevate_core::api::{ErrorCode, SignInMethod, StorageStatus, TenantKind};
use elevate_core::cache::{KeyStore, MemoryKeyStore};
use elevate_core::{Elevate, Paths};
use elevate_testkit::*;

fn paths(dir: &std::path::Path) -> Paths {
    Paths {
        data_dir: dir.join("data"),
        config_dir: dir.join("config"),
        managed_config: None,
    }
}

/// The journal's key store lives next to the token cache's and, like it, survives restarts.
fn app(
    dir: &std::path::Path,
    e: &elevate_tenant::Emulator,
    keys: Arc<dyn KeyStore>,
    user: &str,
) -> (Elevate, Arc<HeadlessBrowser>) {
    let journal_keys: Arc<dyn KeyStore> = if keys.get().is_ok() {
        JOURNAL_KEYS.with(|k| k.clone())
    } else {
        Arc::new(MemoryKeyStore::unavailable())
    };
    let browser = HeadlessBrowser::as_user(user);
    let demo = Arc::new(DemoOf(endpoints(e), e.base_url()));
    (
        Elevate::new(paths(dir), keys, journal_keys, browser.clone(), demo),
        browser,
    )
}

thread_local! {
    // Each #[tokio::test] runs on its own thread: one journal key per test.
    static JOURNAL_KEYS: Arc<MemoryKeyStore> = Arc::new(MemoryKeyStore::default());
}

#[tokio::test]
async fn sign_in_survives_a_restart_and_sign_out_forgets_everything() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (first, browser) = app(dir.path(), &e, keys.clone(), "gloria");
    assert!(first.session().await.unwrap().account.is_none());
    let s = first
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    let account = s.account.unwrap();
    assert_eq!(account.kind, TenantKind::Demo);
    assert!(account.upn.starts_with("gloria@"));
    assert_eq!(s.storage, StorageStatus::Encrypted);
    assert_eq!(browser.count(), 1);
    let home = first.home().await.unwrap();
    assert!(home
        .active_roles
        .iter()
        .any(|r| r.name == "Global Administrator" && r.can_self_elevate));
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
    let (a, _) = app(
        dir.path(),
        &e,
        Arc::new(MemoryKeyStore::unavailable()),
        "adele",
    );
    let s = a
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    assert_eq!(s.storage, StorageStatus::MemoryOnly);
    assert!(s.account.is_some());
    assert!(
        !dir.path().join("data/session.bin").exists(),
        "no sign-in is written, not even encrypted"
    );
    let written: Vec<_> = std::fs::read_dir(dir.path().join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(written, ["journal"], "only the activity journal");
    let issued = e.issued_tokens();
    assert!(!issued.is_empty());
    let files = elevate_testkit::figures::files_under(dir.path());
    let leaked = elevate_testkit::figures::token_sweep("files", &issued, &files);
    assert!(leaked.is_empty(), "no token in any file: {leaked:?}");
    let health = a.journal_verify().await;
    assert_eq!(
        health.protection,
        elevate_core::api::JournalProtection::FileOnly,
        "and it says its protection is limited"
    );
    e.shutdown().await;
}

#[tokio::test]
async fn a_damaged_cache_is_discarded_with_a_notice() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (first, _) = app(dir.path(), &e, keys.clone(), "adele");
    first
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
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
    first
        .sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    drop(first);
    admin(
        &e,
        "refresh-tokens/revoke",
        serde_json::json!({"user": "adele"}),
    )
    .await;
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
    let err = a
        .sign_in(TenantKind::Organization, SignInMethod::Browser, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Config);
    assert!(err.message.contains("Settings"));
    assert_eq!(
        browser.count(),
        0,
        "nothing opened before the settings are valid"
    );
    assert!(!a.session().await.unwrap().organization_configured);
    e.shutdown().await;
}

#[tokio::test]
async fn sign_ins_and_sign_outs_are_journaled_before_they_are_reported() {
    use elevate_core::api::{
        JournalAction, JournalFilter, JournalOutcome, JournalStatus, JournalTargetKind,
    };
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let (a, _) = app(dir.path(), &e, keys.clone(), "gloria");
    a.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    // Read straight away: the entry is on disk by the time sign_in returns.
    let page = a.journal_entries(JournalFilter::default()).await;
    let first = &page.rows[0].entry;
    assert_eq!(
        (first.action, first.result.outcome),
        (JournalAction::SignIn, JournalOutcome::Succeeded)
    );
    assert_eq!(first.tenant.kind, TenantKind::Demo);
    let account = first.account.as_ref().unwrap();
    assert!(account.upn.starts_with("gloria@") && !account.oid.is_empty());
    let target = first.target.as_ref().unwrap();
    assert_eq!(
        (target.kind, target.name.as_str()),
        (JournalTargetKind::Tenant, "Demo tenant")
    );
    assert_eq!(first.params.sign_in_method, Some(SignInMethod::Browser));
    a.sign_out().await.unwrap();
    drop(a);

    // A cancelled sign-in is journaled too, with the reason, and without an account.
    let browser = HeadlessBrowser::cancelling();
    let demo = Arc::new(DemoOf(endpoints(&e), e.base_url()));
    let b = Elevate::new(
        paths(dir.path()),
        keys,
        JOURNAL_KEYS.with(|k| k.clone()),
        browser,
        demo,
    );
    assert_eq!(
        b.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
            .await
            .unwrap_err()
            .code,
        ErrorCode::SignInCancelled
    );
    let rows = b.journal_entries(JournalFilter::default()).await.rows;
    let summary: Vec<_> = rows
        .iter()
        .map(|r| (r.entry.seq, r.entry.action, r.entry.result.outcome))
        .collect();
    assert_eq!(
        summary,
        [
            (3, JournalAction::SignIn, JournalOutcome::Failed),
            (2, JournalAction::SignOut, JournalOutcome::Succeeded),
            (1, JournalAction::SignIn, JournalOutcome::Succeeded)
        ]
    );
    assert_eq!(rows[0].entry.result.code, Some(ErrorCode::SignInCancelled));
    assert!(rows[0].entry.account.is_none());
    assert_eq!(
        rows[1].entry.account.as_ref().unwrap().upn,
        account.upn,
        "sign-out names who signed out"
    );
    let health = b.journal_verify().await;
    assert_eq!(
        (health.status, health.entries),
        (JournalStatus::Intact, 3),
        "{health:?}"
    );

    let issued = e.issued_tokens();
    let files = elevate_testkit::figures::files_under(dir.path());
    let leaked = elevate_testkit::figures::token_sweep("files", &issued, &files);
    assert!(leaked.is_empty(), "no token in any file: {leaked:?}");
    e.shutdown().await;
}
