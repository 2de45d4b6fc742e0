//! An `Elevate` signed in to the demo tenant as one of its users, with short PIM delays.

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::{SignInMethod, TenantKind};
use elevate_core::auth::Browser;
use elevate_core::cache::{KeyStore, MemoryKeyStore};
use elevate_core::roles::RoleTiming;
use elevate_core::{Elevate, Paths};
use elevate_tenant::Emulator;

use super::{emulator, endpoints, DemoOf, HeadlessBrowser};

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

/// An `Elevate` over the demo tenant `e`, its data and settings under `dir`, its sign-in kept
/// in `keys`, signing in through `browser`; not signed in yet.
pub fn app_in(
    e: &Emulator,
    dir: &std::path::Path,
    keys: Arc<dyn KeyStore>,
    browser: Arc<dyn Browser>,
) -> Elevate {
    let paths = Paths {
        data_dir: dir.join("data"),
        config_dir: dir.join("config"),
        managed_config: None,
    };
    Elevate::new(
        paths,
        keys,
        Arc::new(MemoryKeyStore::default()),
        browser,
        Arc::new(DemoOf(endpoints(e), e.base_url())),
    )
}

pub async fn signed_in(e: &Emulator, user: &str) -> Signed {
    let dir = tempfile::tempdir().unwrap();
    let browser = HeadlessBrowser::as_user(user);
    let timing = RoleTiming {
        poll_every: Duration::from_millis(200),
        provisioning_timeout: Duration::from_secs(30),
        token_every: Duration::from_millis(300),
        token_timeout: Duration::from_secs(30),
        confirm_every: Duration::from_millis(200),
        confirm_timeout: Duration::from_secs(4),
    };
    let keys = Arc::new(MemoryKeyStore::default());
    let app = app_in(e, dir.path(), keys, browser.clone()).with_role_timing(timing);
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

/// The journal's rows for `action`, newest first.
pub async fn journal_rows(
    app: &Elevate,
    action: elevate_core::api::JournalAction,
) -> Vec<elevate_core::api::JournalRow> {
    app.journal_entries(elevate_core::api::JournalFilter {
        action: Some(action),
        ..Default::default()
    })
    .await
    .rows
}

/// The outcomes the journal recorded for `action`, newest first.
pub async fn journal_outcomes(
    app: &Elevate,
    action: elevate_core::api::JournalAction,
) -> Vec<elevate_core::api::JournalOutcome> {
    journal_rows(app, action)
        .await
        .iter()
        .map(|r| r.entry.result.outcome)
        .collect()
}

/// The signed-in user adds themselves where they are not System Administrator yet (and where
/// the first scan could not read), then scans again: an inventory that sees every environment.
pub async fn full_inventory(s: &Signed) -> elevate_core::api::Inventory {
    use elevate_core::api::{InventoryScope, ScanStatus};
    let first = s
        .app
        .inventory(InventoryScope::default(), &|_| {})
        .await
        .unwrap();
    let me = format!("{}@", s.browser.user);
    let missing: Vec<String> = first
        .environments
        .iter()
        .filter(|e| match e.status {
            ScanStatus::Failed => true,
            ScanStatus::Done => !first
                .holders
                .iter()
                .any(|h| h.environment_id == e.environment_id && h.upn.starts_with(&me)),
            _ => false,
        })
        .map(|e| e.environment_id.clone())
        .collect();
    elevate(&s.app, &missing).await;
    s.app
        .inventory(InventoryScope::default(), &|_| {})
        .await
        .unwrap()
}
