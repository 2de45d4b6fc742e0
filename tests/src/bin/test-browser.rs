//! A stand-in for the user's web browser, started by the app through `$BROWSER`.
//! It does what a person does: loads the sign-in page, picks a user in the emulator's form,
//! submits it and follows the redirect back to the app's loopback address.
//!
//! Env: `ELEVATE_TEST_USER` (UPN local part, default `adele`), `ELEVATE_TEST_ACTION`
//! (`signin` or `cancel`), `ELEVATE_TEST_BROWSER_LOG` (a file that gets one line per run,
//! so tests can tell whether the browser was used). Never prints codes or tokens.

use std::io::Write;

fn main() {
    let url = std::env::args().nth(1).expect("usage: test-browser <url>");
    if let Ok(log) = std::env::var("ELEVATE_TEST_BROWSER_LOG") {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("browser log");
        let _ = writeln!(f, "opened sign-in page");
    }
    let user = std::env::var("ELEVATE_TEST_USER").unwrap_or_else(|_| "adele".into());
    let action = std::env::var("ELEVATE_TEST_ACTION").unwrap_or_else(|_| "signin".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let result = rt.block_on(async {
        let url = url::Url::parse(&url)?;
        elevate_testkit::pages::complete_sign_in(&url, &user, &action).await
    });
    if let Err(e) = result {
        eprintln!("test-browser: {e:#}");
        std::process::exit(1);
    }
}
