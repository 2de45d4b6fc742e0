//! The walking skeleton, end to end: the real app, the real webview, real OAuth against the
//! tenant emulator, the OS keyring (Secret Service) and the encrypted cache.
//! Run under Xvfb + a D-Bus session with gnome-keyring unlocked (`cargo xtask test` does).

use std::time::Duration;

use anyhow::Result;
use elevate_e2e::app::{App, Sandbox};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use elevate_testkit::figures;

/// tauri-driver, the app and Xvfb are shared resources: one test at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

fn keyring_entry() -> keyring::Entry {
    keyring::Entry::new(elevate_core::KEYRING_SERVICE, elevate_core::KEYRING_USER)
        .expect("keyring entry")
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_restart_and_sign_out_without_leaking_a_token() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let tenant = emulator().await;
    let mut sandbox = Sandbox::new(test_browser());
    sandbox.set("ELEVATE_DEMO_TENANT_URL", &tenant.base_url());
    sandbox.set("ELEVATE_TEST_USER", "gloria");
    sandbox.set("ELEVATE_LOG", "trace");
    let mut captured: Vec<String> = Vec::new();

    // 1. First start: the sign-in screen. Choose the demo tenant; the "browser" signs in.
    let mut app = App::launch(&sandbox, "signin").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    app.record_ipc().await?;
    app.screenshot("sign-in-screen").await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for_text("[data-testid=home-account-name]", "Gloria")
        .await?;
    assert_eq!(
        sandbox.browser_opened(),
        1,
        "the system browser was used once"
    );
    assert!(app
        .text("[data-testid=home-account-upn]")
        .await?
        .contains("gloria@contoso.onmicrosoft.com"));
    app.wait_for_text("[data-testid=home-roles]", "Global Administrator")
        .await?;
    app.screenshot("home").await?;
    captured.extend(app.recorded_ipc().await?);
    for cmd in ["session", "home", "app_info", "get_settings"] {
        captured.push(app.invoke_raw(cmd, serde_json::json!({})).await?);
    }
    captured.push(app.page_source().await?);

    // The refresh token is on disk only encrypted, and its key is in the OS keyring.
    let cache = sandbox.data_dir().join("session.bin");
    assert!(cache.exists(), "the encrypted cache was written");
    assert_eq!(
        keyring_entry()
            .get_secret()
            .expect("key in the keyring")
            .len(),
        32
    );
    app.quit().await?;

    // 2. Restart: still signed in, silently, from the cache + keyring; no browser.
    let mut app = App::launch(&sandbox, "signin").await?;
    app.wait_for_text("[data-testid=home-account-name]", "Gloria")
        .await?;
    assert_eq!(
        sandbox.browser_opened(),
        1,
        "restart must not open the browser"
    );
    app.screenshot("home-after-restart").await?;
    app.record_ipc().await?;
    for cmd in ["session", "home"] {
        captured.push(app.invoke_raw(cmd, serde_json::json!({})).await?);
    }

    // 3. Sign out: back to the sign-in screen; the cache file and the keyring entry are gone.
    app.click("[data-testid=account-button]").await?;
    app.click("[data-testid=signout]").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    app.screenshot("signed-out").await?;
    captured.extend(app.recorded_ipc().await?);
    captured.push(app.page_source().await?);
    app.quit().await?;
    assert!(!cache.exists(), "sign-out removes the cache file");
    assert!(
        matches!(keyring_entry().get_secret(), Err(keyring::Error::NoEntry)),
        "sign-out removes the key"
    );

    // 4. No token, code or verifier the emulator ever issued is anywhere the app wrote or showed.
    let issued = tenant.issued_tokens();
    assert!(
        issued.len() >= 4,
        "the emulator issued tokens during the run: {}",
        issued.len()
    );
    // The logs were written at trace level (ELEVATE_LOG above): every level is searched.
    let (logs, files): (Vec<_>, Vec<_>) = figures::files_under(sandbox.home.path())
        .into_iter()
        .partition(|(path, _)| path.contains("elevate.log"));
    assert!(!logs.is_empty(), "the app wrote a log");
    let leaked = figures::token_sweep("logs", &issued, &logs);
    assert!(leaked.is_empty(), "tokens found in logs: {leaked:?}");
    let leaked = figures::token_sweep("files", &issued, &files);
    assert!(leaked.is_empty(), "tokens found in files: {leaked:?}");
    let payloads: Vec<(String, String)> = captured
        .iter()
        .enumerate()
        .map(|(i, text)| (format!("capture {i}"), text.clone()))
        .collect();
    let leaked = figures::token_sweep("ipc", &issued, &payloads);
    assert!(leaked.is_empty(), "a token reached the webview: {leaked:?}");
    assert!(
        captured
            .iter()
            .any(|c| c.contains("gloria@contoso.onmicrosoft.com")),
        "the captures are real"
    );
    tenant.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn built_in_demo_tenant_and_a_cancelled_sign_in() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let mut sandbox = Sandbox::new(test_browser());
    sandbox.unset("ELEVATE_DEMO_TENANT_URL");

    // Cancel in the browser: the app goes back to the sign-in screen and says so.
    sandbox.set("ELEVATE_TEST_ACTION", "cancel");
    let mut app = App::launch(&sandbox, "demo").await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for_text("[data-testid=error-bar]", "cancel")
        .await?;
    assert!(
        app.exists("[data-testid=signin-demo]").await,
        "the sign-in buttons are back"
    );
    assert!(
        !app.exists("[data-testid=signin-waiting]").await,
        "no spinner left behind"
    );
    app.screenshot("sign-in-cancelled").await?;
    app.quit().await?;

    // The in-process demo tenant: sign in as Adele, Home says where the demo tenant runs.
    sandbox.set("ELEVATE_TEST_ACTION", "signin");
    sandbox.set("ELEVATE_TEST_USER", "adele");
    let mut app = App::launch(&sandbox, "demo").await?;
    app.record_ipc().await?;
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for_text("[data-testid=home-account-name]", "Adele Vance")
        .await?;
    app.wait_for("[data-testid=home-no-roles]").await?;
    app.screenshot("home-no-active-role").await?;
    let source = app.page_source().await?;
    let base = source
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .map(|port| format!("http://127.0.0.1:{port}"))
        .expect("Home shows where the demo tenant runs");
    let issued: Vec<String> = reqwest::get(format!("{base}/_emulator/tokens"))
        .await?
        .json::<serde_json::Value>()
        .await?["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .filter_map(|t| t.as_str().map(String::from))
        .collect();
    assert!(!issued.is_empty());
    let mut captured = app.recorded_ipc().await?;
    captured.push(source);
    for text in &captured {
        assert!(
            !issued.iter().any(|t| text.contains(t.as_str())),
            "a token reached the webview"
        );
    }
    app.quit().await?;
    let leaked = figures::token_sweep("files", &issued, &figures::files_under(sandbox.home.path()));
    assert!(leaked.is_empty(), "no token in any file: {leaked:?}");

    // The built-in demo tenant starts empty with each app start: the saved demo sign-in cannot
    // work there, and the app says why instead of failing.
    let mut app = App::launch(&sandbox, "demo").await?;
    app.wait_for_text("[data-testid=notice-bar]", "demo tenant starts afresh")
        .await?;
    assert!(app.exists("[data-testid=signin-demo]").await);
    app.screenshot("demo-restarted-notice").await?;
    app.quit().await?;
    assert!(
        !sandbox.data_dir().join("session.bin").exists(),
        "the stale demo session was removed"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_demo_tenant_gives_a_clear_message_and_retry() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let mut sandbox = Sandbox::new(test_browser());
    let dead = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    sandbox.set(
        "ELEVATE_DEMO_TENANT_URL",
        &format!("http://127.0.0.1:{dead}"),
    );
    let mut app = App::launch(&sandbox, "offline").await?;
    app.click("[data-testid=signin-demo]").await?;
    let msg = app
        .wait_for_text("[data-testid=error-bar]", "demo tenant")
        .await?;
    assert!(
        msg.to_lowercase().contains("try again"),
        "says what to do: {msg}"
    );
    assert!(
        app.exists("[data-testid=error-retry]").await,
        "offers a retry"
    );
    assert_eq!(sandbox.browser_opened(), 0, "nothing was opened");
    app.screenshot("demo-tenant-unreachable").await?;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.quit().await?;
    Ok(())
}

/// A second start hands over to the running Elevate and ends, before it writes anything: two
/// processes on one journal would fork its chain and race the token cache.
#[tokio::test(flavor = "multi_thread")]
async fn a_second_start_hands_over_to_the_running_elevate() -> Result<()> {
    let sandbox = Sandbox::new(test_browser());
    let mut app = App::launch(&sandbox, "second-start").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    let data = sandbox.data_dir();
    let before = snapshot(&data);
    assert!(
        data.join("elevate.lock").exists(),
        "the running Elevate holds the data folder's lock"
    );

    let mut second = sandbox
        .app_command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = second.try_wait()? {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        status.is_some(),
        "a second Elevate kept running next to the first"
    );
    assert_eq!(snapshot(&data), before, "the second start wrote nothing");

    // The first one is unharmed and still answers.
    app.click("[data-testid=nav-activity]").await?;
    app.wait_for("[data-testid=activity-health]").await?;
    app.screenshot("second-start-first-still-works").await?;
    app.quit().await
}

/// Every file under `dir` but the logs, with its size and modification time.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let Ok(m) = e.metadata() else { continue };
            if m.is_dir() {
                if p.file_name().is_some_and(|n| n != "logs") {
                    stack.push(p);
                }
            } else {
                out.push((p, m.len(), m.modified().unwrap_or(std::time::UNIX_EPOCH)));
            }
        }
    }
    out.sort();
    out
}

/// The page cannot open windows of its own: `window.open` and `target=_blank` open nothing and
/// the app stays on its own page.
#[tokio::test(flavor = "multi_thread")]
async fn the_page_cannot_open_new_windows() -> Result<()> {
    let sandbox = Sandbox::new(test_browser());
    let app = App::launch(&sandbox, "new-windows").await?;
    app.wait_for("[data-testid=signin-demo]").await?;
    let start = app.client.current_url().await?;
    app.client
        .execute(
            r#"window.__opened = window.open("https://example.com/", "_blank");
               const a = document.createElement("a");
               a.href = "https://example.com/"; a.target = "_blank"; a.id = "e2e-blank";
               document.body.appendChild(a); a.click();"#,
            vec![],
        )
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let windows = app.client.windows().await?;
    assert_eq!(windows.len(), 1, "no new window: {windows:?}");
    let opened = app
        .client
        .execute("return window.__opened === null;", vec![])
        .await?;
    assert_eq!(
        opened,
        serde_json::json!(true),
        "window.open gave no window"
    );
    assert_eq!(
        app.client.current_url().await?,
        start,
        "still on the app's page"
    );
    assert!(app.exists("[data-testid=signin-demo]").await);
    app.quit().await
}
