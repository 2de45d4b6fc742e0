//! What every benchmark needs: the app signed in to an emulator as a demo user.

use std::sync::Arc;

use elevate_core::api::{SignInMethod, TenantKind};
use elevate_core::auth::{AuthError, Browser};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::cloud::EmulatorEndpoints;
use elevate_core::{DemoTenant, Elevate, Paths};
use elevate_tenant::Emulator;

struct Headless(String);
impl Browser for Headless {
    fn open(&self, url: &url::Url) -> Result<(), AuthError> {
        let (url, user) = (url.clone(), self.0.clone());
        tokio::spawn(async move {
            elevate_tenant::testing::complete_sign_in(&url, &user, "signin")
                .await
                .expect("sign-in");
        });
        Ok(())
    }
}

struct Demo(EmulatorEndpoints, String);
#[async_trait::async_trait]
impl DemoTenant for Demo {
    async fn start(&self) -> Result<EmulatorEndpoints, String> {
        Ok(self.0.clone())
    }
    fn base_url(&self) -> Option<String> {
        Some(self.1.clone())
    }
    fn keeps_sessions(&self) -> bool {
        true
    }
}

pub async fn settings(e: &Emulator, body: serde_json::Value) {
    reqwest::Client::new()
        .patch(format!("{}/_emulator/settings", e.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
}

/// The app signed in as `user`, the emulator's endpoints, and the temp folder it lives in.
pub async fn signed_in(
    e: &Emulator,
    user: &str,
) -> (Elevate, EmulatorEndpoints, tempfile::TempDir) {
    let base = e.base_url();
    let endpoints: EmulatorEndpoints = reqwest::get(format!("{base}/_emulator/endpoints"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = Elevate::new(
        Paths {
            data_dir: dir.path().join("data"),
            config_dir: dir.path().join("config"),
            managed_config: None,
        },
        Arc::new(MemoryKeyStore::default()),
        Arc::new(MemoryKeyStore::default()),
        Arc::new(Headless(user.into())),
        Arc::new(Demo(endpoints.clone(), base)),
    );
    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    (app, endpoints, dir)
}
