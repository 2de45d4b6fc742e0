//! My roles, end to end in the real app against the demo tenant: a direct Power Platform
//! Administrator activates with ticket + justification and watches the stages; an
//! approval-required role waits, is approved through the emulator's admin API and becomes
//! active; an authentication-context role steps up in the browser; deactivation respects
//! PIM's 5-minute minimum. Screenshots of each state land in target/e2e-screenshots.

use std::time::Duration;

use anyhow::{ensure, Result};
use elevate_e2e::app::App;
use elevate_e2e::demo::{admin, admin_list, signed_in, tenant};

const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");
use elevate_tenant::Emulator;

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const SECURITY_ADMIN: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";

async fn pim_requests(e: &Emulator) -> Result<Vec<serde_json::Value>> {
    admin_list(e, "pim/requests").await
}

fn row(kind: &str, role: &str) -> String {
    format!("[data-testid={kind}][data-role-id='{role}']")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_direct_power_platform_admin_activates_sees_the_countdown_and_deactivates() -> Result<()>
{
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let (_sandbox, mut app) =
        signed_in(&tenant, BROWSER, "adele", "roles-activate", "roles").await?;
    let ppa = row("eligible-role", PPA);
    app.wait_for(&ppa).await?;
    app.wait_for_text(&format!("{ppa} [data-testid=policy-badges]"), "Ticket")
        .await?;
    app.screenshot("eligible").await?;

    app.click(&format!("{ppa} [data-testid=activate-button]"))
        .await?;
    app.wait_for("[data-testid=activate-dialog]").await?;
    let needs = app.text("[data-testid=activate-requirements]").await?;
    ensure!(
        !needs.contains("multi-factor") && !needs.contains("approval"),
        "adele's role needs neither MFA nor approval: {needs}"
    );

    // Refused before anything is sent: no justification, no ticket.
    app.click("[data-testid=activate-submit]").await?;
    app.wait_for("[data-testid=activate-dialog] [role=alert], [data-testid=activate-error]")
        .await?;
    ensure!(
        pim_requests(&tenant).await?.is_empty(),
        "nothing reached PIM"
    );
    app.screenshot("refused-empty").await?;

    app.select_value("[data-testid=activate-duration]", "60")
        .await?;
    app.type_into(
        "[data-testid=activate-justification]",
        "Add me as System Administrator in Sales Production for CHG-1001",
    )
    .await?;
    app.type_into("[data-testid=activate-ticket-number]", "CHG-1001")
        .await?;
    app.type_into("[data-testid=activate-ticket-system]", "ServiceNow")
        .await?;
    app.screenshot("filled").await?;
    app.click("[data-testid=activate-submit]").await?;

    app.wait_for("[data-testid=activation-stepper]").await?;
    app.wait_secs("[data-testid=stage][data-stage=activating][data-state=current], [data-testid=stage][data-stage=updatingSignIn][data-state=current]", 20).await?;
    app.screenshot("stages").await?;
    app.wait_for_text("[data-testid=activation-result]", "Active")
        .await?;
    ensure!(
        app.exists("[data-testid=stage][data-stage=active][data-state=done]")
            .await,
        "the last stage is done"
    );
    app.screenshot("active").await?;
    let sent = pim_requests(&tenant).await?;
    ensure!(sent.len() == 1, "one request: {sent:?}");
    ensure!(sent[0]["ticketInfo"]["ticketNumber"] == "CHG-1001");
    ensure!(sent[0]["scheduleInfo"]["expiration"]["duration"] == "PT1H");
    app.click("[data-testid=activate-done]").await?;

    app.click("[data-testid=roles-tab-active]").await?;
    let active = row("active-role", PPA);
    let countdown = app
        .wait_for_text(&format!("{active} [data-testid=countdown]"), "left")
        .await?;
    ensure!(
        countdown.contains("59 min") || countdown.contains("1 h"),
        "about an hour left: {countdown}"
    );
    ensure!(
        !app.exists(&format!("{active} [data-testid=not-in-token]"))
            .await,
        "the role is in the sign-in"
    );
    app.screenshot("active-tab").await?;

    app.click("[data-testid=nav-home]").await?;
    app.wait_for_text(
        "[data-testid=home-countdown]",
        "Power Platform Administrator",
    )
    .await?;
    app.wait_for_text("[data-testid=home-roles]", "Power Platform Administrator")
        .await?;
    app.screenshot("home-countdown").await?;

    // Deactivating within 5 minutes is explained, not sent.
    app.click("[data-testid=nav-roles]").await?;
    app.click("[data-testid=roles-tab-active]").await?;
    app.click(&format!("{active} [data-testid=deactivate-button]"))
        .await?;
    app.wait_for_text("[data-testid=deactivate-too-early]", "5 minutes")
        .await?;
    app.screenshot("deactivate-too-early").await?;
    ensure!(
        pim_requests(&tenant).await?.len() == 1,
        "no deactivation sent"
    );

    // Five minutes later by PIM's clock: confirm, and the role is gone.
    admin(
        &tenant,
        "clock/advance",
        serde_json::json!({"seconds": 301}),
    )
    .await?;
    app.click("[data-testid=roles-refresh]").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.click(&format!("{active} [data-testid=deactivate-button]"))
        .await?;
    app.wait_for("[data-testid=deactivate-confirm]").await?;
    app.screenshot("deactivate-confirm").await?;
    app.click("[data-testid=deactivate-confirm-button]").await?;
    wait_gone(&app, &active).await?;
    let sent = pim_requests(&tenant).await?;
    ensure!(
        sent.len() == 2 && sent[1]["status"] == "Revoked",
        "{sent:?}"
    );
    app.screenshot("deactivated").await?;

    // Everything is in the activity journal.
    app.click("[data-testid=nav-activity]").await?;
    app.wait_for_text("[data-testid=activity-grid]", "Deactivate role")
        .await?;
    app.wait_for_text("[data-testid=activity-grid]", "Activate role")
        .await?;
    app.quit().await?;
    tenant.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approval_role_waits_and_becomes_active_when_approved() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let (_sandbox, mut app) =
        signed_in(&tenant, BROWSER, "alex", "roles-approval", "roles").await?;
    let ua = row("eligible-role", USER_ADMIN);
    app.click(&format!("{ua} [data-testid=activate-button]"))
        .await?;
    app.wait_for_text("[data-testid=activate-requirements]", "approval")
        .await?;
    app.type_into(
        "[data-testid=activate-justification]",
        "Onboard the new hires of the week",
    )
    .await?;
    app.click("[data-testid=activate-submit]").await?;
    app.wait_for_text("[data-testid=activation-result]", "Waiting for approval")
        .await?;
    app.screenshot("pending").await?;
    app.click("[data-testid=activate-done]").await?;

    app.click("[data-testid=roles-tab-requests]").await?;
    app.wait_for_text(
        "[data-testid=role-request] [data-testid=request-status]",
        "Waiting for approval",
    )
    .await?;
    app.screenshot("requests-pending").await?;
    let id = pim_requests(&tenant).await?[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    admin(
        &tenant,
        &format!("pim/requests/{id}/approve"),
        serde_json::json!({"approver": "gloria", "justification": "ok"}),
    )
    .await?;

    // The app notices by itself (background watch / refetch while pending).
    app.wait_secs(
        &format!("[data-testid=role-request][data-request-id='{id}'] [data-testid=request-status]"),
        5,
    )
    .await?;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let s = app
            .text(&format!(
                "[data-testid=role-request][data-request-id='{id}'] [data-testid=request-status]"
            ))
            .await?;
        if !s.contains("Waiting") {
            break;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "the approval was never noticed: {s}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    app.click("[data-testid=roles-tab-active]").await?;
    app.wait_secs(&row("active-role", USER_ADMIN), 30).await?;
    app.screenshot("approved-active").await?;
    app.quit().await?;
    tenant.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_authentication_context_role_steps_up_in_the_browser() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let (sandbox, mut app) = signed_in(&tenant, BROWSER, "casey", "roles-stepup", "roles").await?;
    let sec = row("eligible-role", SECURITY_ADMIN);
    app.click(&format!("{sec} [data-testid=activate-button]"))
        .await?;
    app.wait_for_text("[data-testid=activate-requirements]", "c1")
        .await?;
    app.type_into(
        "[data-testid=activate-justification]",
        "Review the risky sign-in alerts",
    )
    .await?;
    app.click("[data-testid=activate-submit]").await?;
    app.wait_for_text("[data-testid=activation-result]", "Active")
        .await?;
    ensure!(
        sandbox.browser_opened() == 2,
        "sign-in, then one step-up: {}",
        sandbox.browser_opened()
    );
    ensure!(
        app.exists("[data-testid=stage][data-stage=signingIn]")
            .await,
        "the stepper showed the extra sign-in"
    );
    app.screenshot("stepped-up-active").await?;
    app.quit().await?;
    tenant.shutdown().await;
    Ok(())
}

async fn wait_gone(app: &App, css: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while app.exists(css).await {
        ensure!(std::time::Instant::now() < deadline, "{css} is still there");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}
