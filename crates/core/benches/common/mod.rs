//! What every benchmark needs: the app signed in to an emulator as a demo user.

use std::sync::Arc;

use elevate_core::api::{SignInMethod, TenantKind};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::cloud::EmulatorEndpoints;
use elevate_core::Elevate;
use elevate_tenant::Emulator;
use elevate_testkit::{app_in, endpoints, HeadlessBrowser};

pub use elevate_testkit::settings;

/// The app signed in as `user`, the emulator's endpoints, and the temp folder it lives in.
pub async fn signed_in(
    e: &Emulator,
    user: &str,
) -> (Elevate, EmulatorEndpoints, tempfile::TempDir) {
    let endpoints = endpoints(e);
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(MemoryKeyStore::default());
    let app = app_in(e, dir.path(), keys, HeadlessBrowser::as_user(user));
    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    (app, endpoints, dir)
}
