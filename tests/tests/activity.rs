//! The activity journal, end to end: the real app signs in and out of the demo tenant, the
//! Activity page tells the story newest first with an "intact" badge; then, with the app
//! closed, one line of the journal file is edited by hand and the restarted app says where.
//! Run under Xvfb + a D-Bus session with gnome-keyring unlocked (`cargo xtask test` does).

use anyhow::{ensure, Result};
use elevate_e2e::app::{App, Sandbox};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use elevate_testkit::figures;
use fantoccini::Locator;

fn test_browser() -> &'static str {
    env!("CARGO_BIN_EXE_test-browser")
}

async fn emulator() -> Emulator {
    Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("demo").unwrap(),
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await
    .expect("emulator")
}

/// The text of every Activity row, top to bottom, read in one go (the grid re-renders when
/// its data refreshes, so element handles could go stale between two reads).
async fn rows(app: &App) -> Result<Vec<String>> {
    let v = app
        .client
        .execute("return [...document.querySelectorAll('[data-testid=activity-row]')].map(r => r.textContent);", vec![])
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}

/// Waits until the grid shows `n` rows (the page refetches when it opens).
async fn wait_for_rows(app: &App, n: usize) -> Result<Vec<String>> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let r = rows(app).await?;
        if r.len() == n {
            return Ok(r);
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "expected {n} rows, have {r:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn sign_in(app: &App) -> Result<()> {
    app.click("[data-testid=nav-home]").await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for_text("[data-testid=home-account-name]", "Adele Vance")
        .await?;
    Ok(())
}

async fn sign_out(app: &App) -> Result<()> {
    app.click("[data-testid=account-button]").await?;
    app.click("[data-testid=signout]").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn activity_tells_the_story_and_catches_a_hand_edited_journal() -> Result<()> {
    let tenant = emulator().await;
    let mut sandbox = Sandbox::new(test_browser());
    sandbox.set("ELEVATE_DEMO_TENANT_URL", &tenant.base_url());
    sandbox.set("ELEVATE_TEST_USER", "adele");
    let journal = sandbox.data_dir().join("journal");
    let segment1 = journal.join("journal-0001.jsonl");

    // 1. Before anyone signs in, Activity is there: nothing recorded, nothing wrong.
    let mut app = App::launch(&sandbox, "activity").await?;
    app.click("[data-testid=nav-activity]").await?;
    app.wait_for_text("[data-testid=activity-badge]", "Journal intact · 0 entries")
        .await?;
    app.wait_for("[data-testid=activity-empty]").await?;
    app.screenshot("empty").await?;

    // 2. A sign-in is on the page with who, where and the result.
    sign_in(&app).await?;
    app.click("[data-testid=nav-activity]").await?;
    let first = wait_for_rows(&app, 1).await?;
    for word in [
        "Sign in",
        "Demo tenant",
        "Adele Vance",
        "adele@contoso.onmicrosoft.com",
        "Succeeded",
    ] {
        ensure!(
            first[0].contains(word),
            "the sign-in row names {word:?}: {first:?}"
        );
    }
    app.wait_for_text("[data-testid=activity-badge]", "Journal intact · 1 entry")
        .await?;
    app.screenshot("after-sign-in").await?;

    // 3. Sign out and in again: three entries, newest first, still intact.
    sign_out(&app).await?;
    sign_in(&app).await?;
    app.click("[data-testid=nav-activity]").await?;
    let three = wait_for_rows(&app, 3).await?;
    let actions: Vec<&str> = three
        .iter()
        .map(|r| if r.contains("Sign out") { "out" } else { "in" })
        .collect();
    ensure!(actions == ["in", "out", "in"], "newest first: {three:?}");
    app.wait_for_text("[data-testid=activity-badge]", "Journal intact · 3 entries")
        .await?;
    app.screenshot("three-entries").await?;

    // Details of the newest entry: every field, and where it sits in the journal.
    app.click("[data-testid=activity-row]").await?;
    let details = app
        .wait_for_text(
            "[data-testid=activity-details]",
            "journal-0001.jsonl, line 4",
        )
        .await?;
    for word in [
        "adele@contoso.onmicrosoft.com",
        "Demo tenant",
        "Browser",
        "Verified",
    ] {
        ensure!(details.contains(word), "details show {word:?}: {details}");
    }
    app.screenshot("details").await?;

    // The search box narrows the list to what it names.
    app.wait_for("[data-testid=activity-search]")
        .await?
        .send_keys("sign out")
        .await?;
    let filtered = wait_for_rows(&app, 1).await?;
    ensure!(filtered[0].contains("Sign out"), "{filtered:?}");
    app.wait_for_text("[data-testid=activity-count]", "1 of 3 entries match")
        .await?;
    app.screenshot("search").await?;
    app.quit().await?;

    // 4. With the app closed, someone edits who signed out (line 3: the header, then entries 1, 2).
    let text = std::fs::read_to_string(&segment1)?;
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    ensure!(
        lines.len() == 4 && lines[2].contains("\"signOut\""),
        "the journal as written: {text}"
    );
    lines[2] = lines[2].replace("Adele Vance", "Nestor Wilke");
    let edited = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    std::fs::write(&segment1, &edited)?;

    // 5. Restarted, the app names the place and marks what it can no longer vouch for.
    let mut app = App::launch(&sandbox, "activity-restarted").await?;
    app.wait_for_text("[data-testid=home-account-name]", "Adele Vance")
        .await?;
    app.click("[data-testid=nav-activity]").await?;
    app.wait_for_text(
        "[data-testid=activity-badge]",
        "Changed or cut at entry 2 in segment 1",
    )
    .await?;
    let health = app.text("[data-testid=activity-health]").await?;
    ensure!(
        health.contains("Entry 2 was changed after it was written") && health.contains("line 3"),
        "{health}"
    );
    let after = wait_for_rows(&app, 3).await?;
    ensure!(
        after[1].contains("Nestor Wilke"),
        "the edited entry is still listed: {after:?}"
    );
    let unverified = app
        .client
        .find_all(Locator::Css(
            "[data-testid=activity-row] [aria-label^='Not verified']",
        ))
        .await?;
    ensure!(
        unverified.len() == 2,
        "entries 2 and 3 are marked not verified: {}",
        unverified.len()
    );
    app.screenshot("changed").await?;

    // 6. The app keeps working: the next action goes to a new segment; the edited file stays.
    sign_out(&app).await?;
    app.click("[data-testid=nav-activity]").await?;
    let four = wait_for_rows(&app, 4).await?;
    ensure!(four[0].contains("Sign out"), "{four:?}");
    app.wait_for_text(
        "[data-testid=activity-badge]",
        "Changed or cut at entry 2 in segment 1",
    )
    .await?;
    app.screenshot("changed-and-continued").await?;
    app.quit().await?;
    ensure!(
        journal.join("journal-0002.jsonl").exists(),
        "a new segment was started"
    );
    ensure!(
        std::fs::read_to_string(&segment1)? == edited,
        "the edited file was left as it was"
    );

    // No token the emulator issued is in the journal.
    let issued = tenant.issued_tokens();
    ensure!(!issued.is_empty());
    let leaked = figures::token_sweep("files", &issued, &figures::files_under(&journal));
    ensure!(leaked.is_empty(), "no token in the journal: {leaked:?}");
    tenant.shutdown().await;
    Ok(())
}
