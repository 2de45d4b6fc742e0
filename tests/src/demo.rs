//! The demo tenant for one test: an emulator with short PIM delays (each stage is on screen
//! for a moment), its admin API, and the app signed in as one of its users.

use anyhow::{ensure, Result};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use serde_json::Value;

use crate::app::{App, Sandbox};

pub async fn tenant() -> Result<Emulator> {
    let e = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("demo")?,
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await?;
    let r = reqwest::Client::new()
        .patch(format!("{}/_emulator/settings", e.base_url()))
        .json(&serde_json::json!({"activationDelaySeconds": 2, "widsPropagationSeconds": 3}))
        .send()
        .await?;
    ensure!(r.status().is_success());
    Ok(e)
}

/// `POST /_emulator/{path}`.
pub async fn admin(e: &Emulator, path: &str, body: Value) -> Result<Value> {
    let r = reqwest::Client::new()
        .post(format!("{}/_emulator/{path}", e.base_url()))
        .json(&body)
        .send()
        .await?;
    ensure!(r.status().is_success(), "{path}: {}", r.status());
    Ok(r.json().await.unwrap_or(Value::Null))
}

/// `GET /_emulator/{path}` → its `value` list.
pub async fn admin_list(e: &Emulator, path: &str) -> Result<Vec<Value>> {
    let v: Value = reqwest::get(format!("{}/_emulator/{path}", e.base_url()))
        .await?
        .json()
        .await?;
    Ok(v["value"].as_array().cloned().unwrap_or_default())
}

/// A sandbox whose app uses `tenant` and whose browser signs in as `user`.
pub fn sandbox(tenant: &Emulator, test_browser: &str, user: &str) -> Sandbox {
    let mut sandbox = Sandbox::new(test_browser);
    sandbox.set("ELEVATE_DEMO_TENANT_URL", &tenant.base_url());
    sandbox.set("ELEVATE_TEST_USER", user);
    sandbox
}

/// Launches the app of `sandbox`, signs in to the demo tenant and opens the page `nav`.
pub async fn launch_signed_in(sandbox: &Sandbox, name: &str, nav: &str) -> Result<App> {
    let app = App::launch(sandbox, name).await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.click(&format!("[data-testid=nav-{nav}]")).await?;
    Ok(app)
}

/// The app signed in to `tenant` as `user` (through `test_browser`), on the page `nav`.
pub async fn signed_in(
    tenant: &Emulator,
    test_browser: &str,
    user: &str,
    name: &str,
    nav: &str,
) -> Result<(Sandbox, App)> {
    let sandbox = sandbox(tenant, test_browser, user);
    let app = launch_signed_in(&sandbox, name, nav).await?;
    Ok((sandbox, app))
}
