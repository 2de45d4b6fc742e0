//! The main flows with the keyboard only: sign in on the demo tenant, activate a role, Add me
//! in an environment, run an inventory. No click anywhere: Tab, arrows, Enter, Space and
//! Escape. Every focus stop must show a visible indicator, and each result must be said by a
//! live region (what a screen reader announces). Icon-only buttons are named: axe's
//! button-name rule checks that on every screen (tests/accessibility.rs).

use anyhow::{ensure, Result};
use elevate_e2e::app::App;
use elevate_e2e::demo::{sandbox, tenant};
use fantoccini::key::Key;

const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");
const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_activate_add_me_and_inventory_with_the_keyboard_only() -> Result<()> {
    let tenant = tenant().await?;
    let sandbox = sandbox(&tenant, BROWSER, "adele");
    let mut app = App::launch(&sandbox, "keyboard").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    app.start_announcement_log().await?;

    // Sign in on the demo tenant.
    app.tab_to("[data-testid=signin-demo]").await?;
    app.press(Key::Enter).await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.screenshot("signed-in").await?;

    // My roles → Activate Power Platform Administrator.
    go_to(&app, "roles").await?;
    let ppa = format!("[data-testid=eligible-role][data-role-id='{PPA}']");
    app.wait_for(&ppa).await?;
    app.tab_to(&format!("{ppa} [data-testid=activate-button]"))
        .await?;
    app.press(Key::Enter).await?;
    app.wait_for("[data-testid=activate-dialog]").await?;
    app.tab_to("[data-testid=activate-justification]").await?;
    app.type_here("Keyboard walk for CHG-5050").await?;
    app.tab_to("[data-testid=activate-ticket-system]").await?;
    app.type_here("ServiceNow").await?;
    app.tab_to("[data-testid=activate-ticket-number]").await?;
    app.type_here("CHG-5050").await?;
    app.screenshot("activation-form").await?;
    app.tab_to("[data-testid=activate-submit]").await?;
    app.press(Key::Enter).await?;
    app.wait_secs("[data-testid=activation-result]", 60).await?;
    app.wait_announced("Active", 60).await?;
    app.tab_to("[data-testid=activate-done]").await?;
    app.press(Key::Enter).await?;

    // Environments → Contoso (default) → Add me.
    go_to(&app, "environments").await?;
    let row = "[data-testid=env-row][data-env-name=\"Contoso (default)\"]";
    app.wait_for(row).await?;
    app.tab_to("[data-testid=env-grid]").await?;
    // The selection follows the arrow keys (Space would tick a second row or untick this one).
    app.move_focus_to(Key::Down, row, 20).await?;
    app.wait_for(&format!("{row}[aria-selected=true]")).await?;
    app.wait_announced("1 selected", 10).await?;
    app.tab_to("[data-testid=env-add-me]").await?;
    app.press(Key::Enter).await?;
    app.wait_for("[data-testid=addme-dialog] [data-testid=preflight-verdict]")
        .await?;
    app.screenshot("add-me-preflight").await?;
    app.tab_to("[data-testid=addme-confirm]").await?;
    app.press(Key::Enter).await?;
    app.wait_secs("[data-testid=addme-success]", 90).await?;
    app.wait_announced("System Administrator", 30).await?;
    app.screenshot("added").await?;
    app.tab_to("[data-testid=addme-done]").await?;
    app.press(Key::Enter).await?;

    // System Administrators → Run: progress and the result are announced.
    go_to(&app, "inventory").await?;
    app.wait_for("[data-testid=inv-run]").await?;
    app.tab_to("[data-testid=inv-run]").await?;
    app.press(Key::Enter).await?;
    app.wait_announced("environments", 60).await?;
    app.wait_secs("[data-testid=inv-summary]", 90).await?;
    let summary = app.wait_announced("holder", 90).await?;
    app.screenshot("inventory").await?;
    ensure!(
        summary.contains("environment"),
        "the summary says how many environments: {summary}"
    );
    app.quit().await
}

/// The left navigation: Tab into it, then the arrow keys to the page (Fluent's Nav keeps one
/// tab stop for the whole list and remembers the last item).
async fn go_to(app: &App, page: &str) -> Result<()> {
    let target = format!("[data-testid=nav-{page}]");
    app.tab_to("[data-testid^=nav-]").await?;
    if !app.focus(&target).await?.1 && app.move_focus_to(Key::Up, &target, 8).await.is_err() {
        app.move_focus_to(Key::Down, &target, 8).await?;
    }
    app.press(Key::Enter).await
}
