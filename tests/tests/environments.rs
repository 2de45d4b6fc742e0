//! Environments → Add me, end to end in the real app against the demo tenant: the guided
//! path (eligible for Power Platform Administrator → activate → Add me → listed as System
//! Administrator) and a refused case, where nothing is sent until "Try anyway" is confirmed.
//! Screenshots of each state land in target/e2e-screenshots.

use anyhow::{ensure, Result};
use elevate_e2e::demo::{admin_list, signed_in, tenant};

const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");
use elevate_tenant::Emulator;
use serde_json::Value;

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every `applyAdminRole` the emulator received.
async fn applied(e: &Emulator) -> Result<Vec<Value>> {
    Ok(admin_list(e, "audit")
        .await?
        .into_iter()
        .filter(|a| a["action"] == "applyAdminRole")
        .collect())
}

fn env_row(name: &str) -> String {
    format!("[data-testid=env-row][data-env-name=\"{name}\"]")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_eligible_admin_activates_and_adds_themselves_in_one_flow() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let (_sandbox, mut app) = signed_in(
        &tenant,
        BROWSER,
        "adele",
        "environments-guided",
        "environments",
    )
    .await?;
    let row = env_row("Contoso (default)");
    app.wait_for(&row).await?;
    app.screenshot("list").await?;

    app.click(&row).await?;
    app.click("[data-testid=env-details]").await?;
    app.wait_for_text("[data-testid=env-details-pane]", "Default")
        .await?;
    app.screenshot("details").await?;

    app.click("[data-testid=env-membership]").await?;
    app.wait_for("[data-testid=env-membership-pane] [data-testid=sysadmin-row]")
        .await?;
    ensure!(
        !app.exists("[data-testid=sysadmin-row][data-upn='adele@contoso.onmicrosoft.com']")
            .await,
        "adele is not System Administrator yet"
    );
    app.screenshot("membership").await?;

    app.click("[data-testid=membership-add-me]").await?;
    app.wait_for(
        "[data-testid=addme-dialog] [data-testid=preflight-verdict][data-verdict=needsActivation]",
    )
    .await?;
    ensure!(
        app.exists("[data-testid=preflight-check][data-kind=roleActive][data-status=fail]")
            .await,
        "the checklist says the role is not active"
    );
    ensure!(applied(&tenant).await?.is_empty(), "nothing sent yet");
    app.screenshot("preflight-needs-activation").await?;

    // The activation form is right under the checklist: type, then one button.
    app.type_into(
        "[data-testid=addme-dialog] [data-testid=activate-justification]",
        "Add me as System Administrator in Contoso (default) for CHG-2002",
    )
    .await?;
    app.type_into(
        "[data-testid=addme-dialog] [data-testid=activate-ticket-number]",
        "CHG-2002",
    )
    .await?;
    app.screenshot("activate").await?;
    app.click("[data-testid=addme-activate-continue]").await?;

    let done = app.wait_secs("[data-testid=addme-success]", 90).await?;
    let text = done.text().await?;
    ensure!(
        text.contains("System Administrator") && text.contains("Contoso (default)"),
        "success names the environment: {text}"
    );
    ensure!(
        app.exists("[data-testid=elevation-row][data-result=elevated]")
            .await
    );
    app.screenshot("elevated").await?;
    let calls = applied(&tenant).await?;
    ensure!(calls.len() == 1, "exactly one applyAdminRole: {calls:?}");
    ensure!(calls[0]["result"] == "Succeeded");
    ensure!(calls[0]["role"]["roleName"] == "Power Platform Administrator");

    // Close the dialog: the Membership pane now lists adele.
    app.click("[data-testid=addme-done]").await?;
    app.wait_secs(
        "[data-testid=env-membership-pane] [data-testid=sysadmin-row][data-upn='adele@contoso.onmicrosoft.com']",
        30,
    )
    .await?;
    app.screenshot("listed").await?;

    app.click("[data-testid=nav-activity]").await?;
    app.wait_for_text("[data-testid=activity-grid]", "Self-elevate")
        .await?;
    app.screenshot("journal").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_preflight_sends_nothing_until_try_anyway_is_confirmed() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let (_sandbox, mut app) = signed_in(
        &tenant,
        BROWSER,
        "gloria",
        "environments-refused",
        "environments",
    )
    .await?;
    let row = env_row("Contoso Teams Hub");
    app.wait_for(&row).await?;
    app.click(&row).await?;
    app.click("[data-testid=env-add-me]").await?;
    app.wait_for("[data-testid=preflight-verdict][data-verdict=blocked]")
        .await?;
    ensure!(
        app.exists("[data-testid=preflight-check][data-kind=teamsGroup][data-status=fail]")
            .await,
        "the Teams group line fails"
    );
    ensure!(
        !app.exists("[data-testid=addme-confirm]").await,
        "no plain Add me when blocked"
    );
    app.screenshot("blocked").await?;

    app.click("[data-testid=addme-try-anyway]").await?;
    app.wait_for("[data-testid=addme-try-anyway-confirm]")
        .await?;
    ensure!(
        applied(&tenant).await?.is_empty(),
        "nothing is sent before the confirmation"
    );
    app.screenshot("try-anyway-confirm").await?;
    app.click("[data-testid=addme-try-anyway-confirm]").await?;

    app.wait_for("[data-testid=elevation-row][data-result=refused]")
        .await?;
    let text = app.text("[data-testid=addme-results]").await?;
    ensure!(text.contains("team"), "the refusal says why: {text}");
    let calls = applied(&tenant).await?;
    ensure!(
        calls.len() == 1 && calls[0]["status"] == 403,
        "one refused call: {calls:?}"
    );
    app.screenshot("refused").await?;
    app.quit().await
}
