//! Launching the real app under tauri-driver, in a sandbox of its own (HOME, XDG folders,
//! browser), and driving it with WebDriver.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};

pub fn workspace_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_dir().join("target"))
}

/// The app binary: built with the UI embedded (`cargo xtask test` does that first).
pub fn app_binary() -> PathBuf {
    std::env::var_os("ELEVATE_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug").join("elevate"))
}

pub fn screenshot_dir() -> PathBuf {
    let d = target_dir().join("e2e-screenshots");
    let _ = std::fs::create_dir_all(&d);
    d
}

/// A private HOME for one test: the app's data, config, logs and caches all land here.
pub struct Sandbox {
    pub home: tempfile::TempDir,
    pub browser_log: PathBuf,
    env: Vec<(String, String)>,
}

impl Sandbox {
    pub fn new(test_browser: &str) -> Self {
        // The tests' own HTTP clients (reqwest with rustls, no built-in provider) need one.
        elevate_tenant::install_crypto_provider();
        let home = tempfile::tempdir().expect("temp home");
        let h = home.path().to_path_buf();
        let browser_log = h.join("browser.log");
        let env = vec![
            ("HOME".into(), h.display().to_string()),
            (
                "XDG_DATA_HOME".into(),
                h.join(".local/share").display().to_string(),
            ),
            (
                "XDG_CONFIG_HOME".into(),
                h.join(".config").display().to_string(),
            ),
            (
                "XDG_CACHE_HOME".into(),
                h.join(".cache").display().to_string(),
            ),
            ("BROWSER".into(), test_browser.to_string()),
            (
                "ELEVATE_TEST_BROWSER_LOG".into(),
                browser_log.display().to_string(),
            ),
            (
                "ELEVATE_MANAGED_CONFIG".into(),
                h.join("no-managed-config.json").display().to_string(),
            ),
            // WebKit's compositing on, as WebKit ships it: with it off (Elevate's Linux
            // default, src-tauri webview_settings.rs) WebKitWebDriver's screenshot never
            // answers (WebKitGTK 2.48). The start-up bench samples the X screen instead, and
            // looks at the app as shipped.
            ("WEBKIT_DISABLE_COMPOSITING_MODE".into(), "0".into()),
        ];
        Self {
            home,
            browser_log,
            env,
        }
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
    }

    pub fn unset(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
    }

    /// The app binary, started directly (not through WebDriver) in this sandbox.
    pub fn app_command(&self) -> Command {
        let mut c = Command::new(app_binary());
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c
    }

    /// Where Tauri puts the app's data on Linux (`$XDG_DATA_HOME/{identifier}`).
    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join(".local/share/com.elevate.desktop")
    }

    pub fn browser_opened(&self) -> usize {
        std::fs::read_to_string(&self.browser_log)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }
}

pub struct App {
    pub client: Client,
    driver: Option<Child>,
    /// The sandbox HOME: tells this test's app process from any other.
    home: PathBuf,
    shots: usize,
    name: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port()
}

impl App {
    pub async fn launch(sandbox: &Sandbox, name: &str) -> Result<Self> {
        let bin = app_binary();
        if !bin.exists() {
            bail!(
                "{} is missing: build the app first (cargo xtask test does)",
                bin.display()
            );
        }
        // A relaunch in the same sandbox must wait until the previous app has really gone:
        // while it still holds the data folder, the new one hands over to it and exits.
        let lock = sandbox.data_dir().join("elevate.lock");
        if let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&lock)
        {
            for _ in 0..150 {
                if f.try_lock().is_ok() {
                    let _ = f.unlock();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let (port, native) = (free_port(), free_port());
        let mut cmd = Command::new("tauri-driver");
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in &sandbox.env {
            cmd.env(k, v);
        }
        let driver = cmd
            .spawn()
            .context("starting tauri-driver (cargo install tauri-driver --locked)")?;
        let app = App {
            client: connect(port, &bin).await?,
            driver: Some(driver),
            home: sandbox.home.path().to_path_buf(),
            shots: 0,
            name: name.into(),
        };
        app.client.set_window_size(1280, 800).await.ok();
        Ok(app)
    }

    pub async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        self.wait_for_within(css, Duration::from_secs(30)).await
    }

    pub async fn wait_for_within(
        &self,
        css: &str,
        t: Duration,
    ) -> Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(t)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Fluent buttons read as "not displayed" to WebKitWebDriver, so read textContent.
    pub async fn text(&self, css: &str) -> Result<String> {
        let el = self.wait_for(css).await?;
        Ok(el.prop("textContent").await?.unwrap_or_default())
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.wait_for(css)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking {css}"))?;
        Ok(())
    }

    /// Waits until `css` contains `needle` in its text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> Result<String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                let t = el.prop("textContent").await?.unwrap_or_default();
                if t.contains(needle) {
                    return Ok(t);
                }
                if std::time::Instant::now() > deadline {
                    bail!("{css} says {t:?}, not {needle:?}");
                }
            } else if std::time::Instant::now() > deadline {
                bail!("{css} never appeared");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn screenshot(&mut self, label: &str) -> Result<PathBuf> {
        // Let fonts, transitions and WebKit's compositor settle so the picture shows what a
        // person sees (right after a resize WebKitGTK can hand back a stale frame).
        tokio::time::sleep(Duration::from_millis(400)).await;
        let settle = "const done = arguments[0]; document.fonts.ready.then(() => \
            requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250))));";
        let _ = self.client.execute_async(settle, vec![]).await;
        self.shots += 1;
        let png = self.client.screenshot().await?;
        let path = screenshot_dir().join(format!("{}-{:02}-{}.png", self.name, self.shots, label));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Replaces a field's text as a person would: select all, delete, type (WebDriver's
    /// clear() bypasses React's onChange).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        use fantoccini::key::Key;
        let el = self.wait_for(css).await?;
        el.click().await.ok();
        let wipe = format!(
            "{}a{}{}",
            char::from(Key::Control),
            char::from(Key::Null),
            char::from(Key::Backspace)
        );
        el.send_keys(&wipe).await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Picks an option of a native `<select>` by its value.
    pub async fn select_value(&self, css: &str, value: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        el.select_by_value(value)
            .await
            .with_context(|| format!("choosing {value} in {css}"))?;
        Ok(())
    }

    /// An element's attribute, or None.
    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>> {
        Ok(self.wait_for(css).await?.attr(name).await?)
    }

    /// Waits until `css` matches an element, up to `secs` seconds.
    pub async fn wait_secs(&self, css: &str, secs: u64) -> Result<fantoccini::elements::Element> {
        self.wait_for_within(css, Duration::from_secs(secs)).await
    }

    pub async fn page_source(&self) -> Result<String> {
        Ok(self.client.source().await?)
    }

    /// Calls an app command from the page, exactly as the UI does, and returns the raw
    /// JSON the webview received (result or error).
    pub async fn invoke_raw(&self, cmd: &str, args: serde_json::Value) -> Result<String> {
        let script = r#"
            const [cmd, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(cmd, args)
              .then(r => done(JSON.stringify({ok: r})), e => done(JSON.stringify({err: e})));
        "#;
        let v = self
            .client
            .execute_async(script, vec![serde_json::json!(cmd), args])
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Records every IPC response the UI receives from now on (until the page reloads).
    pub async fn record_ipc(&self) -> Result<()> {
        self.client
            .execute(
                r#"
                const i = window.__TAURI_INTERNALS__;
                if (!window.__elevateIpcLog) {
                  window.__elevateIpcLog = [];
                  const orig = i.invoke.bind(i);
                  i.invoke = (cmd, args, opts) => orig(cmd, args, opts).then(
                    r => { window.__elevateIpcLog.push(JSON.stringify(r ?? null)); return r; },
                    e => { window.__elevateIpcLog.push(JSON.stringify(e ?? null)); throw e; });
                  orig('plugin:event|listen', {event: 'sign-in-progress', target: {kind: 'Any'},
                    handler: i.transformCallback(p => window.__elevateIpcLog.push(JSON.stringify(p)))});
                }
                return true;"#,
                vec![],
            )
            .await?;
        Ok(())
    }

    pub async fn recorded_ipc(&self) -> Result<Vec<String>> {
        let v = self
            .client
            .execute("return window.__elevateIpcLog || [];", vec![])
            .await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    pub async fn quit(mut self) -> Result<()> {
        let client = self.client.clone();
        // A window that will not close must fail the test, not hang the whole suite.
        let r = tokio::time::timeout(Duration::from_secs(30), client.close()).await;
        self.stop_driver();
        match r {
            Ok(closed) => closed.map_err(Into::into),
            Err(_) => bail!("the app did not close within 30 s of WebDriver's close"),
        }
    }

    fn stop_driver(&mut self) {
        self.stop_tauri_driver();
        // WebKitWebDriver does not always end the app it started (it was seen reparented to
        // init, still running): a later launch in the same sandbox then hands over to it and
        // never gets a window. End it here, found by its sandbox.
        crate::memory::end_app_of(&app_binary(), &self.home);
    }

    fn stop_tauri_driver(&mut self) {
        if let Some(mut child) = self.driver.take() {
            // SIGTERM lets tauri-driver stop WebKitWebDriver and the app; SIGKILL would leave them running.
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            for _ in 0..50 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop_driver();
    }
}

async fn connect(port: u16, app: &Path) -> Result<Client> {
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), serde_json::json!("wry"));
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return Ok(c),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("could not start a WebDriver session: {:?}", last)
}
