//! An `Elevate` wired to the emulator: a headless browser that signs in on its pages, the
//! demo tenant handed to the core, and the emulator's admin API.

mod signed;
pub use signed::*;

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::TenantKind;
use elevate_core::auth::{AuthError, Authenticator, Browser, TenantTarget};
use elevate_core::cloud::{CloudProfile, EmulatorEndpoints};
use elevate_tenant::Emulator;
use url::Url;

/// The demo tenant with the delays it ships with.
pub async fn emulator() -> Emulator {
    crate::demo().await
}

/// The emulator's endpoints as the core reads them from `/_emulator/endpoints`: the two
/// crates share the JSON, not the type (the core must not depend on the emulator).
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
            crate::pages::complete_sign_in(&url, &user, action)
                .await
                .expect("headless sign-in");
        });
        Ok(())
    }
}

/// What a person does when the app shows a device code: opens the device login page in another
/// browser, types the code and signs in as `user`. Hand it to a device-code sign-in as its
/// progress callback.
pub fn device_login_as(
    user: &str,
) -> impl Fn(elevate_core::api::SignInProgress) + Send + Sync + 'static {
    let user = user.to_string();
    move |p| {
        if let elevate_core::api::SignInProgress::WaitingForDeviceCode {
            verification_uri,
            user_code,
            ..
        } = p
        {
            let user = user.clone();
            tokio::spawn(async move {
                crate::pages::complete_device_login(&verification_uri, &user_code, &user)
                    .await
                    .expect("device login");
            });
        }
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
