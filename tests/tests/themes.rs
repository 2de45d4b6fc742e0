//! The sign-in screen and the main screens in light, dark and high contrast, chosen in Settings → Appearance: each
//! screen screenshotted (target/e2e-screenshots/themes-*) and checked by axe, whose
//! colour-contrast rule measures every text against what is painted behind it. A theme that
//! leaves something unreadable fails here, naming the element.
//!
//! WebKitGTK has no forced-colors mode, so high contrast is Fluent's high-contrast theme as the
//! app draws it; Windows' own contrast themes (forced colours in WebView2) pick the same theme.

use anyhow::{ensure, Result};
use elevate_e2e::app::App;
use elevate_e2e::demo::{sandbox, tenant};

const BROWSER: &str = env!("CARGO_BIN_EXE_test-browser");

/// `(appearance choice, background the app's root is painted with)`.
const THEMES: [(&str, &str); 3] = [
    ("light", "rgb(255, 255, 255)"),
    ("dark", "rgb(41, 41, 41)"),
    ("highContrast", "rgb(0, 0, 0)"),
];

/// `(nav id, what shows the screen has its content, name)`.
const SCREENS: [(&str, &str, &str); 6] = [
    ("home", "[data-testid=home-account-name]", "Home"),
    ("roles", "[data-testid=eligible-role]", "My roles"),
    ("environments", "[data-testid=env-row]", "Environments"),
    (
        "inventory",
        "[data-testid=inv-run]",
        "System Administrators",
    ),
    ("activity", "[data-testid=activity-grid]", "Activity"),
    ("settings", "[data-testid=settings-save]", "Settings"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_main_screen_is_readable_in_light_dark_and_high_contrast() -> Result<()> {
    let tenant = tenant().await?;
    let sandbox = sandbox(&tenant, BROWSER, "adele");
    let mut app = App::launch(&sandbox, "themes").await?;
    // Signed out, the first screen anyone sees.
    for (theme, background) in THEMES {
        choose(&app, theme, background).await?;
        app.click("[data-testid=nav-home]").await?;
        app.wait_for("[data-testid=signin-demo]").await?;
        app.screenshot(&format!("{theme}-sign-in")).await?;
        app.axe(&format!("the sign-in screen in the {theme} theme"))
            .await?;
    }
    app.click("[data-testid=signin-demo]").await?;
    app.wait_for("[data-testid=home-account-name]").await?;
    for (theme, background) in THEMES {
        choose(&app, theme, background).await?;
        for (nav, ready, name) in SCREENS {
            app.click(&format!("[data-testid=nav-{nav}]")).await?;
            app.wait_for(ready).await?;
            app.screenshot(&format!("{theme}-{nav}")).await?;
            app.axe(&format!("{name} in the {theme} theme")).await?;
        }
    }
    // Back to the system's look: the choice is undone, not stuck.
    choose(&app, "system", "rgb(255, 255, 255)").await?;
    app.quit().await
}

/// Settings → Appearance → `theme`, then checks the app really paints with it.
async fn choose(app: &App, theme: &str, background: &str) -> Result<()> {
    app.click("[data-testid=nav-settings]").await?;
    app.wait_for("[data-testid=settings-appearance]").await?;
    app.click(&format!("[data-testid=appearance-{theme}]"))
        .await?;
    let painted = app
        .client
        .execute(
            "return getComputedStyle(document.querySelector('.fui-FluentProvider')).backgroundColor;",
            vec![],
        )
        .await?;
    ensure!(
        painted.as_str() == Some(background),
        "the {theme} theme should paint the app {background}, it is {painted}"
    );
    Ok(())
}
