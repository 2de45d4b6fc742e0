//! Shared test setup: an in-process emulator, a browser stand-in that signs in the way a
//! person would, and an `Elevate` wired to both.
#![allow(dead_code)]

mod signed;
// Not every test binary signs in.
#[allow(unused_imports)]
pub use signed::*;

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::TenantKind;
use elevate_core::auth::{AuthError, Authenticator, Browser, TenantTarget};
use elevate_core::cloud::{CloudProfile, EmulatorEndpoints};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use url::Url;

pub async fn emulator() -> Emulator {
    Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("demo").unwrap(),
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await
    .expect("emulator starts")
}

pub fn endpoints(e: &Emulator) -> EmulatorEndpoints {
    serde_json::from_value(serde_json::to_value(e.endpoints()).unwrap()).unwrap()
}

pub fn target(e: &Emulator) -> TenantTarget {
    let ep = endpoints(e);
    TenantTarget {
        kind: TenantKind::Demo,
        tenant: ep.tenant_id.clone(),
        client_id: ep.client_id.clone(),
        profile: CloudProfile::from_emulator(&ep).unwrap(),
    }
}

/// Opens the sign-in page like a browser and picks `user` (or cancels) on it.
pub struct HeadlessBrowser {
    pub user: String,
    pub action: &'static str,
    pub opened: std::sync::atomic::AtomicUsize,
}

impl HeadlessBrowser {
    pub fn as_user(user: &str) -> Arc<Self> {
        Arc::new(Self {
            user: user.into(),
            action: "signin",
            opened: Default::default(),
        })
    }
    pub fn cancelling() -> Arc<Self> {
        Arc::new(Self {
            user: "adele".into(),
            action: "cancel",
            opened: Default::default(),
        })
    }
    pub fn count(&self) -> usize {
        self.opened.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Browser for HeadlessBrowser {
    fn open(&self, url: &Url) -> Result<(), AuthError> {
        self.opened
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (url, user, action) = (url.clone(), self.user.clone(), self.action);
        tokio::spawn(async move {
            elevate_tenant::testing::complete_sign_in(&url, &user, action)
                .await
                .expect("headless sign-in");
        });
        Ok(())
    }
}

/// A browser that never comes back (the user closed the window).
pub struct AbandonedBrowser;
impl Browser for AbandonedBrowser {
    fn open(&self, _: &Url) -> Result<(), AuthError> {
        Ok(())
    }
}

pub fn authenticator(browser: Arc<dyn Browser>) -> Authenticator {
    let mut a = Authenticator::new(browser);
    a.interactive_timeout = Duration::from_secs(20);
    a
}

pub struct DemoOf(pub EmulatorEndpoints, pub String);

#[async_trait::async_trait]
impl elevate_core::DemoTenant for DemoOf {
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

pub async fn admin(e: &Emulator, path: &str, body: serde_json::Value) -> serde_json::Value {
    let r = reqwest::Client::new()
        .post(format!("{}/_emulator/{path}", e.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap_or(serde_json::Value::Null)
}
