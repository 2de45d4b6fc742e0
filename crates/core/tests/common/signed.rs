//! An `Elevate` signed in to the demo tenant as one of its users, with short PIM delays.

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::{SignInMethod, TenantKind};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::roles::RoleTiming;
use elevate_core::{Elevate, Paths};
use elevate_tenant::Emulator;

use super::*;

pub struct Signed {
    pub app: Elevate,
    pub browser: Arc<HeadlessBrowser>,
    pub _dir: tempfile::TempDir,
}

/// The emulator with short (not zero) delays, so every stage still happens.
pub async fn tenant() -> Emulator {
    let e = emulator().await;
    settings(
        &e,
        serde_json::json!({"activationDelaySeconds": 1, "widsPropagationSeconds": 2}),
    )
    .await;
    e
}

pub async fn settings(e: &Emulator, body: serde_json::Value) {
    let r = reqwest::Client::new()
        .patch(format!("{}/_emulator/settings", e.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

pub async fn signed_in(e: &Emulator, user: &str) -> Signed {
    let dir = tempfile::tempdir().unwrap();
    let browser = HeadlessBrowser::as_user(user);
    let demo = Arc::new(DemoOf(endpoints(e), e.base_url()));
    let paths = Paths {
        data_dir: dir.path().join("data"),
        config_dir: dir.path().join("config"),
        managed_config: None,
    };
    let timing = RoleTiming {
        poll_every: Duration::from_millis(200),
        provisioning_timeout: Duration::from_secs(30),
        token_every: Duration::from_millis(300),
        token_timeout: Duration::from_secs(30),
        confirm_every: Duration::from_millis(200),
        confirm_timeout: Duration::from_secs(4),
    };
    let app = Elevate::new(
        paths,
        Arc::new(MemoryKeyStore::default()),
        Arc::new(MemoryKeyStore::default()),
        browser.clone(),
        demo,
    )
    .with_role_timing(timing);
    app.sign_in(TenantKind::Demo, SignInMethod::Browser, |_| {})
        .await
        .unwrap();
    Signed {
        app,
        browser,
        _dir: dir,
    }
}

/// Activates one role for an hour with a justification and ticket; it must become active.
pub async fn activate(app: &Elevate, role: &str) {
    let out = app
        .activate_roles(
            elevate_core::api::ActivationInput {
                role_ids: vec![role.into()],
                scope_ids: None,
                duration_minutes: 60,
                justification: "Add me as System Administrator for CHG-1".into(),
                ticket_number: "CHG-1".into(),
                ticket_system: "ServiceNow".into(),
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        elevate_core::api::ActivationResult::Active,
        "{:?}",
        out[0].error
    );
}

/// Preflight, then Add me, for `ids`.
pub async fn elevate(app: &Elevate, ids: &[String]) -> Vec<elevate_core::api::Elevation> {
    app.preflight(ids).await.unwrap();
    app.add_me(
        elevate_core::api::AddMeInput {
            environment_ids: ids.to_vec(),
            try_anyway: false,
        },
        &|_| {},
    )
    .await
    .unwrap()
}

/// The inventory scope of exactly these environments.
pub fn scope_of(ids: &[String]) -> elevate_core::api::InventoryScope {
    elevate_core::api::InventoryScope {
        kind: elevate_core::api::InventoryScopeKind::Environments,
        environment_ids: ids.to_vec(),
        geo: String::new(),
    }
}

/// `GET /_emulator/{path}`.
pub async fn admin_get(e: &Emulator, path: &str) -> serde_json::Value {
    reqwest::get(format!("{}/_emulator/{path}", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The id of the demo environment called `name`.
pub async fn env_id(e: &Emulator, name: &str) -> String {
    let v = admin_get(e, &format!("environments?environment={name}")).await;
    v["value"][0]["id"].as_str().unwrap().to_string()
}
