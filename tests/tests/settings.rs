//! Settings: a malformed tenant or client id is refused with the reason before anything is
//! saved or sent; valid ids are saved and make "Sign in to your organization" available.

use anyhow::Result;
use elevate_e2e::app::{App, Sandbox};
use fantoccini::key::Key;

#[tokio::test(flavor = "multi_thread")]
async fn settings_refuse_bad_ids_and_enable_organization_sign_in() -> Result<()> {
    let sandbox = Sandbox::new(env!("CARGO_BIN_EXE_test-browser"));
    let settings_file = sandbox
        .home
        .path()
        .join(".config/com.elevate.desktop/settings.json");
    let mut app = App::launch(&sandbox, "settings").await?;
    let org = app.wait_for("[data-testid=signin-org]").await?;
    assert!(
        org.attr("disabled").await?.is_some()
            || org.attr("aria-disabled").await?.as_deref() == Some("true"),
        "disabled until set up"
    );

    app.click("[data-testid=nav-settings]").await?;
    let tenant = app.wait_for("[data-testid=settings-tenant]").await?;
    tenant.send_keys("contoso").await?;
    let client = app.wait_for("[data-testid=settings-client]").await?;
    client.send_keys("not-a-guid").await?;
    client.send_keys(&char::from(Key::Tab).to_string()).await?;
    app.click("[data-testid=settings-save]").await?;
    let page = app.page_source().await?;
    assert!(
        page.contains("Application (client) ID is a GUID like"),
        "explains the client id rule"
    );
    assert!(
        page.contains("Enter a Directory (tenant) ID like"),
        "explains the tenant id rule"
    );
    assert!(
        !app.exists("[data-testid=settings-saved]").await,
        "nothing saved"
    );
    assert!(!settings_file.exists(), "nothing written");
    app.screenshot("settings-refused").await?;

    // Select all + Backspace, as a person would (WebDriver's clear() bypasses React's onChange).
    let select_all_and_delete = format!(
        "{}a{}{}",
        char::from(Key::Control),
        char::from(Key::Null),
        char::from(Key::Backspace)
    );
    tenant.send_keys(&select_all_and_delete).await?;
    tenant.send_keys("contoso.onmicrosoft.com").await?;
    client.send_keys(&select_all_and_delete).await?;
    client
        .send_keys("1950A258-227B-4E31-A9CF-717495945FC2")
        .await?;
    app.click("[data-testid=settings-save]").await?;
    app.wait_for("[data-testid=settings-saved]").await?;
    let consent = app
        .text("[data-testid=settings-consent-url]")
        .await?
        .to_lowercase();
    assert!(
        consent.contains(
            "/contoso.onmicrosoft.com/adminconsent?client_id=1950a258-227b-4e31-a9cf-717495945fc2"
        ),
        "{consent}"
    );
    app.screenshot("settings-saved").await?;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings_file)?)?;
    assert_eq!(saved["tenantId"], "contoso.onmicrosoft.com");
    assert_eq!(
        saved["clientId"], "1950a258-227b-4e31-a9cf-717495945fc2",
        "stored normalised"
    );

    app.click("[data-testid=nav-home]").await?;
    let org = app.wait_for("[data-testid=signin-org]").await?;
    assert!(
        org.attr("disabled").await?.is_none()
            && org.attr("aria-disabled").await?.as_deref() != Some("true"),
        "enabled once set up"
    );
    assert!(
        !app.exists("[data-testid=signin-device]").await,
        "device code is offered only when IT's managed configuration allows it"
    );
    app.screenshot("sign-in-organization-ready").await?;
    app.quit().await?;
    Ok(())
}

/// IT's managed configuration, read by the real app: a file that only turns updates off leaves
/// the person's own settings editable and says IT updates Elevate; a file that cannot be used
/// is ignored, and Settings says why instead of silently doing nothing.
#[tokio::test(flavor = "multi_thread")]
async fn managed_configuration_stops_updates_or_is_ignored_with_the_reason() -> Result<()> {
    let mut sandbox = Sandbox::new(env!("CARGO_BIN_EXE_test-browser"));
    let managed = sandbox.home.path().join("managed.json");
    std::fs::write(&managed, r#"{"autoUpdate": false}"#)?;
    sandbox.set("ELEVATE_MANAGED_CONFIG", &managed.display().to_string());

    let mut app = App::launch(&sandbox, "settings-managed").await?;
    app.wait_for("[data-testid=nav-settings]").await?;
    app.click("[data-testid=nav-settings]").await?;
    app.wait_for_text(
        "[data-testid=updates-status]",
        "Your IT department updates Elevate",
    )
    .await?;
    assert!(
        app.attr("[data-testid=settings-tenant]", "readonly")
            .await?
            .is_none(),
        "sign-in settings stay the person's own"
    );
    assert!(!app.exists("[data-testid=settings-managed-notice]").await);
    app.screenshot("settings-updates-managed").await?;
    app.quit().await?;

    std::fs::write(
        &managed,
        r#"{"tenantId": "fabrikam.com", "clientId": "not-a-guid", "autoUpdate": false}"#,
    )?;
    let mut app = App::launch(&sandbox, "settings-managed-ignored").await?;
    app.wait_for("[data-testid=nav-settings]").await?;
    app.click("[data-testid=nav-settings]").await?;
    let notice = app
        .wait_for_text("[data-testid=settings-managed-notice]", "ignored")
        .await?;
    assert!(notice.contains("managed.json"), "{notice}");
    assert!(notice.contains("not usable"), "{notice}");
    assert!(
        !app.exists("[data-testid=settings-managed]").await,
        "not shown as managed"
    );
    assert!(
        app.attr("[data-testid=settings-tenant]", "readonly")
            .await?
            .is_none(),
        "the person can set Elevate up meanwhile"
    );
    app.wait_for_text(
        "[data-testid=updates-status]",
        "Your IT department updates Elevate",
    )
    .await?;
    app.screenshot("settings-managed-ignored").await?;
    app.quit().await?;

    // IT allows device-code sign-in (it needs "Allow public client flows"): only then is it offered.
    std::fs::write(
        &managed,
        r#"{"tenantId": "contoso.onmicrosoft.com", "clientId": "1950a258-227b-4e31-a9cf-717495945fc2", "allowDeviceCode": true}"#,
    )?;
    let mut app = App::launch(&sandbox, "settings-managed-device-code").await?;
    app.wait_for("[data-testid=signin-device]").await?;
    app.screenshot("sign-in-device-code-allowed").await?;
    app.quit().await
}
