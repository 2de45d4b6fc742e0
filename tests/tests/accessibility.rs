//! axe-core over every main screen and dialog of the real app, in each main state: signed
//! out, Home, My roles, the activation form, Environments with Details and Membership, the Add
//! me preflight, System Administrators with a dry run, Activity and Settings. Zero violations,
//! or the rule is in `elevate_e2e::axe::ACCEPTED` with the reason.

use anyhow::Result;
use elevate_e2e::app::App;
use elevate_e2e::demo::{sandbox, tenant};

const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");
const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_and_dialog_passes_axe() -> Result<()> {
    let tenant = tenant().await?;
    let files = tempfile::tempdir()?;
    let users = files.path().join("names.csv");
    std::fs::write(&users, "MeganB@contoso.onmicrosoft.com\n")?;
    let mut sandbox = sandbox(&tenant, BROWSER, "adele");
    sandbox.set("ELEVATE_TEST_OPEN_FILE", &users.display().to_string());
    let mut app = App::launch(&sandbox, "a11y").await?;

    app.wait_for("[data-testid=signin-demo]").await?;
    app.axe("the sign-in screen").await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    app.axe("Home").await?;

    // My roles and the activation form; the activation is needed for what follows.
    app.click("[data-testid=nav-roles]").await?;
    let ppa = format!("[data-testid=eligible-role][data-role-id='{PPA}']");
    app.wait_for(&ppa).await?;
    app.axe("My roles").await?;
    app.click(&format!("{ppa} [data-testid=activate-button]"))
        .await?;
    app.wait_for("[data-testid=activate-dialog]").await?;
    app.axe("the activation form").await?;
    app.click("[data-testid=activate-submit]").await?;
    app.wait_for("[data-testid=activate-dialog] [role=alert], [data-testid=activate-error]")
        .await?;
    app.axe("the activation form with its errors").await?;
    app.type_into(
        "[data-testid=activate-justification]",
        "Accessibility walk for CHG-4040",
    )
    .await?;
    app.type_into("[data-testid=activate-ticket-number]", "CHG-4040")
        .await?;
    app.type_into("[data-testid=activate-ticket-system]", "ServiceNow")
        .await?;
    app.click("[data-testid=activate-submit]").await?;
    app.wait_for("[data-testid=activation-stepper]").await?;
    app.axe("the activation stages").await?;
    app.wait_secs("[data-testid=activation-result]", 60).await?;
    app.wait_for_text("[data-testid=activation-result]", "Active")
        .await?;
    app.click("[data-testid=activate-done]").await?;

    // Environments → Details → Membership → Add me.
    app.click("[data-testid=nav-environments]").await?;
    let row = "[data-testid=env-row][data-env-name=\"Contoso (default)\"]";
    app.wait_for(row).await?;
    app.axe("Environments").await?;
    app.click(row).await?;
    app.click("[data-testid=env-details]").await?;
    app.wait_for("[data-testid=env-details-pane]").await?;
    app.axe("Environments with Details").await?;
    app.click("[data-testid=env-membership]").await?;
    app.wait_for("[data-testid=env-membership-pane] [data-testid=sysadmin-row]")
        .await?;
    app.axe("Environments with Membership").await?;
    app.click("[data-testid=membership-add-me]").await?;
    app.wait_for("[data-testid=addme-dialog] [data-testid=preflight-verdict]")
        .await?;
    app.axe("the Add me preflight").await?;
    app.click("[data-testid=addme-dialog] [data-testid=addme-cancel]")
        .await?;

    // System Administrators: an inventory, then a dry run of a clean-up.
    app.click("[data-testid=nav-inventory]").await?;
    app.wait_for("[data-testid=inv-run]").await?;
    app.axe("System Administrators").await?;
    app.click("[data-testid=inv-run]").await?;
    // Dataverse hides its members from non-users: Add me where it failed, then it reads them.
    app.wait_secs("[data-testid=inv-addme-failed]", 90).await?;
    app.axe("System Administrators with failed environments")
        .await?;
    app.click("[data-testid=inv-addme-failed]").await?;
    app.wait_secs(
        "[data-testid=inv-holder-row][data-upn='MeganB@contoso.onmicrosoft.com'][data-env-id]",
        90,
    )
    .await?;
    app.wait_secs("[data-testid=inv-summary]", 30).await?;
    app.axe("System Administrators with results").await?;
    app.click("[data-testid=inv-import]").await?;
    app.click("[data-testid=inv-dry-run]").await?;
    app.wait_for("[data-testid=cleanup-plan]").await?;
    app.axe("the clean-up dry run").await?;

    app.click("[data-testid=nav-activity]").await?;
    app.wait_for_text("[data-testid=activity-grid]", "Activate")
        .await?;
    app.axe("Activity").await?;

    app.click("[data-testid=nav-settings]").await?;
    app.wait_for("[data-testid=settings-save]").await?;
    app.axe("Settings").await?;
    app.screenshot("settings").await?;
    app.quit().await
}
