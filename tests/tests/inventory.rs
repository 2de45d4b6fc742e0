//! System Administrators, end to end in the real app against the demo tenant: inventory of
//! every environment (adding yourself where Dataverse will not show its members) → export →
//! users file → dry run → removal → rollback. Screenshots land in target/e2e-screenshots.

use anyhow::{ensure, Result};
use elevate_e2e::demo::{admin_list, launch_signed_in, sandbox, tenant};
use elevate_tenant::Emulator;

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");
const MEGAN: &str = "meganb@contoso.onmicrosoft.com";

/// Environments where the emulator lists Megan Bowen as System Administrator now.
async fn megan_is_admin_in(e: &Emulator) -> Result<Vec<String>> {
    Ok(admin_list(e, "environments")
        .await?
        .into_iter()
        .filter(|env| env["deleted"] == false)
        .filter(|env| {
            env["systemAdministrators"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|a| {
                    a["domainname"]
                        .as_str()
                        .unwrap_or("")
                        .eq_ignore_ascii_case(MEGAN)
                })
        })
        .map(|env| env["displayName"].as_str().unwrap_or("").to_string())
        .collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn inventory_export_dry_run_removal_and_rollback() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = tenant().await?;
    let files = tempfile::tempdir()?;
    let users = files.path().join("names.csv");
    std::fs::write(
        &users,
        "\u{FEFF}MeganB@contoso.onmicrosoft.com\n\nnot a upn\n",
    )?;
    let mut sandbox = sandbox(&tenant, BROWSER, "gloria");
    // Native dialogs cannot be clicked by WebDriver: debug builds take these instead.
    sandbox.set("ELEVATE_TEST_SAVE_DIR", &files.path().display().to_string());
    sandbox.set("ELEVATE_TEST_OPEN_FILE", &users.display().to_string());
    let mut app = launch_signed_in(&sandbox, "inventory", "inventory").await?;

    app.click("[data-testid=inv-run]").await?;
    app.wait_secs("[data-testid=inv-env-row][data-status=failed]", 60)
        .await?;
    app.wait_secs("[data-testid=inv-addme-failed]", 60).await?;
    app.screenshot("first-run").await?;

    // Dataverse hides its members from non-users: Add me there, then the retry reads them.
    app.click("[data-testid=inv-addme-failed]").await?;
    app.wait_secs(
        "[data-testid=inv-holder-row][data-upn='MeganB@contoso.onmicrosoft.com'][data-env-id]",
        90,
    )
    .await?;
    app.wait_secs("[data-testid=inv-summary]", 30).await?;
    let summary = app.text("[data-testid=inv-summary]").await?;
    ensure!(summary.contains("holders"), "summary: {summary}");
    app.screenshot("inventory").await?;

    app.click("[data-testid=inv-export-csv]").await?;
    app.wait_for("[data-testid=inv-export-done]").await?;
    let csv = std::fs::read_dir(files.path())?
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".csv") && e.path() != users)
        .map(|e| e.path());
    let csv = csv.ok_or_else(|| anyhow::anyhow!("no CSV was written"))?;
    let text = std::fs::read_to_string(&csv)?;
    ensure!(text.contains("userPrincipalName") && text.to_ascii_lowercase().contains(MEGAN));

    let before = megan_is_admin_in(&tenant).await?;
    ensure!(!before.is_empty());
    app.click("[data-testid=inv-import]").await?;
    app.wait_for("[data-testid=inv-import-problem]").await?;
    app.click("[data-testid=inv-dry-run]").await?;
    app.wait_for("[data-testid=cleanup-plan] [data-testid=cleanup-removal]")
        .await?;
    app.screenshot("dry-run").await?;
    ensure!(
        megan_is_admin_in(&tenant).await? == before,
        "a dry run changes nothing"
    );

    app.click("[data-testid=cleanup-remove]").await?;
    app.wait_for("[data-testid=cleanup-confirm]").await?;
    app.screenshot("confirm").await?;
    app.click("[data-testid=cleanup-confirm]").await?;
    app.wait_secs(
        "[data-testid=cleanup-results] [data-testid=cleanup-outcome][data-result=removed]",
        60,
    )
    .await?;
    app.wait_for("[data-testid=cleanup-logs-folder]").await?;
    app.screenshot("removed").await?;
    let after = megan_is_admin_in(&tenant).await?;
    ensure!(
        after.len() < before.len(),
        "Megan removed where she was planned: before {before:?}, after {after:?}"
    );

    app.click("[data-testid=cleanup-rollback]").await?;
    app.wait_for("[data-testid=cleanup-rollback-confirm]")
        .await?;
    app.click("[data-testid=cleanup-rollback-go]").await?;
    app.wait_secs("[data-testid=cleanup-outcome][data-result=restored]", 60)
        .await?;
    app.screenshot("rolled-back").await?;
    let mut restored = megan_is_admin_in(&tenant).await?;
    let mut was = before.clone();
    restored.sort();
    was.sort();
    ensure!(
        restored == was,
        "rollback put Megan back: {restored:?} vs {was:?}"
    );
    app.quit().await
}
