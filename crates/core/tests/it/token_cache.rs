//! The saved sign-in under pressure: an older `session.bin` put back, a file another program
//! holds, Entra down during the restore, and a refresh-token rotation racing a sign-out.

use std::sync::Arc;

use elevate_core::api::{ErrorCode, SignInMethod, TenantKind};
use elevate_core::cache::{KeyStore, Loaded, MemoryKeyStore, TokenCache};
use elevate_core::cloud::GRAPH_RESOURCE;
use elevate_core::Elevate;
use elevate_testkit::*;
use serde_json::json;

fn app(
    dir: &std::path::Path,
    e: &elevate_tenant::Emulator,
    keys: Arc<MemoryKeyStore>,
    user: &str,
) -> Elevate {
    app_in(e, dir, keys, HeadlessBrowser::as_user(user))
}

async fn sign_in(a: &Elevate) {
    a.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .expect("signed in");
}

fn saved_refresh_token(dir: &std::path::Path, keys: Arc<MemoryKeyStore>) -> String {
    match TokenCache::new(dir.join("data"), keys).load() {
        Loaded::Account(_, rt) => rt.expose().to_string(),
        _ => panic!("expected a saved sign-in"),
    }
}

#[tokio::test]
async fn an_older_session_file_put_back_is_refused() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let first = app(dir.path(), &e, keys.clone(), "gloria");
    sign_in(&first).await;
    let file = dir.path().join("data/session.bin");
    let gloria = std::fs::read(&file).unwrap();
    drop(first);
    // Someone else signs in on this computer, without signing Gloria out first.
    let second = app(dir.path(), &e, keys.clone(), "adele");
    sign_in(&second).await;
    drop(second);
    std::fs::write(&file, gloria).unwrap();
    let third = app(dir.path(), &e, keys, "adele");
    let s = third.session().await.unwrap();
    assert!(
        s.account.is_none(),
        "Gloria's older session must not come back"
    );
    assert!(s.notice.unwrap().contains("older copy"));
    e.shutdown().await;
}

#[tokio::test]
async fn a_saved_sign_in_that_cannot_be_read_is_kept() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let first = app(dir.path(), &e, keys.clone(), "adele");
    sign_in(&first).await;
    drop(first);
    // An antivirus holding the file: reading fails with something other than "not found".
    let file = dir.path().join("data/session.bin");
    let saved = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let second = app(dir.path(), &e, keys.clone(), "adele");
    let s = second.session().await.unwrap();
    assert!(s.account.is_none());
    assert!(s.notice.unwrap().contains("It was kept"));
    assert!(keys.get().unwrap().is_some(), "the key is kept");
    assert!(file.exists(), "the file is kept");
    // Once the file can be read again, the sign-in is restored.
    std::fs::remove_dir(&file).unwrap();
    std::fs::write(&file, saved).unwrap();
    let third = app(dir.path(), &e, keys, "adele");
    assert!(third.session().await.unwrap().account.is_some());
    e.shutdown().await;
}

#[tokio::test]
async fn entra_unavailable_during_restore_keeps_the_session() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let first = app(dir.path(), &e, keys.clone(), "adele");
    sign_in(&first).await;
    drop(first);
    for status in [503, 500] {
        admin(
            &e,
            "faults",
            json!({"rules": [{
                "name": "down", "method": "POST", "path": "/login/*/oauth2/v2.0/token",
                "maxHits": 1, "fault": {"kind": "error", "status": status}
            }]}),
        )
        .await;
        let second = app(dir.path(), &e, keys.clone(), "adele");
        let err = second.session().await.unwrap_err();
        assert_eq!(err.code, ErrorCode::Network, "{status}");
        assert!(err.message.contains("not answering"), "{}", err.message);
        assert!(dir.path().join("data/session.bin").exists(), "{status}");
        assert!(keys.get().unwrap().is_some(), "{status}");
        // Entra is back: the next look at the session restores it.
        let s = second.session().await.unwrap();
        assert!(s.account.is_some(), "{status}");
    }
    e.shutdown().await;
}

#[tokio::test]
async fn a_rotation_racing_sign_out_does_not_bring_the_session_back() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let a = Arc::new(app(dir.path(), &e, keys.clone(), "adele"));
    for then_sign_in_again in [false, true] {
        sign_in(&a).await;
        // The next token request (the refresh below) takes 3 s to be answered.
        admin(
            &e,
            "faults",
            json!({"rules": [{
                "name": "slow", "method": "POST", "path": "/login/*/oauth2/v2.0/token",
                "maxHits": 1, "fault": {"kind": "latency", "ms": 3000}
            }]}),
        )
        .await;
        let racing = {
            let a = a.clone();
            tokio::spawn(async move {
                a.broker()
                    .fresh_token_for(GRAPH_RESOURCE, None)
                    .await
                    .map(|_| ())
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        a.sign_out().await.unwrap();
        let after = if then_sign_in_again {
            sign_in(&a).await;
            Some(saved_refresh_token(dir.path(), keys.clone()))
        } else {
            None
        };
        assert!(
            racing.await.unwrap().is_err(),
            "the old session's refresh is dropped"
        );
        match after {
            None => {
                assert!(a.broker().account().is_none());
                assert!(!dir.path().join("data/session.bin").exists());
                assert!(keys.get().unwrap().is_none());
            }
            Some(rt) => {
                assert_eq!(
                    saved_refresh_token(dir.path(), keys.clone()),
                    rt,
                    "the new sign-in's refresh token is not replaced by the signed-out one's"
                );
                a.sign_out().await.unwrap();
            }
        }
    }
    e.shutdown().await;
}
