//! Driving the app with the keyboard only, as a person who cannot use a mouse does: Tab,
//! arrows, Enter, Space and Escape sent to whatever has focus, never a click. Every stop is
//! checked for a visible focus indicator, and what live regions say is logged the way a screen
//! reader would be told it.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

use crate::app::App;

/// Where focus is, and whether a person can see it.
#[derive(Debug)]
pub struct Focus {
    /// `data-testid`, or the tag and role when there is none.
    pub what: String,
    pub visible: bool,
}

const FOCUS: &str = r#"
const css = arguments[0];
let el = document.activeElement;
if (!el || el === document.body) return {what: 'body', visible: false, matches: false};
// A grid that keeps focus itself and points at its current row: that row is where a screen
// reader and the eye are, so it is what must match and show an indicator.
const active = el.getAttribute('aria-activedescendant');
if (active && document.getElementById(active)) el = document.getElementById(active);
// An indicator is an outline, a box shadow, a double underline (links), or a border Fluent draws on ::after (on the element
// or the field wrapping it: inputs and dropdowns draw it on their wrapper).
const shows = (e) => {
  for (const pseudo of [null, '::after', '::before']) {
    const s = getComputedStyle(e, pseudo);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return true;
    if (s.boxShadow && s.boxShadow !== 'none') return true;
    // Fluent's links show focus as a double underline.
    if (!pseudo && s.textDecorationLine.includes('underline') && s.textDecorationStyle === 'double') return true;
    if (pseudo && s.content !== 'none' && ['Top','Right','Bottom','Left'].some(k => s['border' + k + 'Style'] !== 'none' && parseFloat(s['border' + k + 'Width']) >= 1)) return true;
  }
  return false;
};
let visible = false;
for (let e = el, i = 0; e && i < 3 && !visible; e = e.parentElement, i++) visible = shows(e);
const id = el.closest('[data-testid]');
return {
  what: (el.getAttribute('data-testid') || (id ? id.getAttribute('data-testid') + ' > ' : '') + el.tagName.toLowerCase() + (el.getAttribute('role') ? '[role=' + el.getAttribute('role') + ']' : '')),
  visible,
  matches: css ? !!el.closest(css) : false,
};
"#;

/// Records every change of text inside a live region (`aria-live` polite or assertive,
/// `role=status`, `role=alert`), the way assistive technology hears of it.
const LOG: &str = r#"
if (window.__announced) return;
window.__announced = [];
const region = (n) => {
  for (let e = n.nodeType === 1 ? n : n.parentElement; e; e = e.parentElement) {
    const live = e.getAttribute('aria-live');
    if (live === 'off') return null;
    if (live === 'polite' || live === 'assertive' || ['status', 'alert', 'log'].includes(e.getAttribute('role'))) return e;
  }
  return null;
};
new MutationObserver((ms) => {
  for (const m of ms) {
    const r = region(m.target);
    if (!r) continue;
    const text = r.textContent.trim().replace(/\s+/g, ' ');
    const log = window.__announced;
    if (text && log[log.length - 1] !== text) log.push(text);
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"#;

impl App {
    /// Presses `key` where focus is, as a keyboard does (WebDriver actions: no element is
    /// focused or clicked first, unlike Element Send Keys).
    pub async fn press(&self, key: Key) -> Result<()> {
        self.press_char(char::from(key)).await
    }

    /// Presses the key that types `c` (a space, a letter).
    pub async fn press_char(&self, c: char) -> Result<()> {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
        self.client
            .perform_actions(keys)
            .await
            .context("pressing a key")?;
        tokio::time::sleep(Duration::from_millis(60)).await;
        Ok(())
    }

    /// Types `text` where focus is.
    pub async fn type_here(&self, text: &str) -> Result<()> {
        let el = self.client.active_element().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    pub async fn focus(&self, css: &str) -> Result<(Focus, bool)> {
        let v = self.client.execute(FOCUS, vec![Value::from(css)]).await?;
        Ok((
            Focus {
                what: v["what"].as_str().unwrap_or("?").to_string(),
                visible: v["visible"].as_bool().unwrap_or(false),
            },
            v["matches"].as_bool().unwrap_or(false),
        ))
    }

    /// Presses `key` (Tab, an arrow…) until focus is on or inside `css`, at most `max` times.
    /// Fails if focus never gets there or if any stop on the way shows no focus indicator.
    pub async fn move_focus_to(&self, key: Key, css: &str, max: usize) -> Result<Vec<String>> {
        let mut path = Vec::new();
        for _ in 0..max {
            self.press(key).await?;
            let (focus, there) = self.focus(css).await?;
            if focus.what != "body" && !focus.visible {
                bail!("focus on {} is not visible (path: {path:?})", focus.what);
            }
            path.push(focus.what);
            if there {
                return Ok(path);
            }
        }
        bail!("{css} not reached with {max} key presses; focus went {path:?}")
    }

    /// Tab until focus is on `css`.
    pub async fn tab_to(&self, css: &str) -> Result<Vec<String>> {
        self.move_focus_to(Key::Tab, css, 60).await
    }

    pub async fn start_announcement_log(&self) -> Result<()> {
        self.client.execute(LOG, vec![]).await?;
        Ok(())
    }

    /// Everything live regions have said since the log started.
    pub async fn announced(&self) -> Result<Vec<String>> {
        let v = self
            .client
            .execute("return window.__announced || [];", vec![])
            .await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until a live region has said something containing `needle`.
    pub async fn wait_announced(&self, needle: &str, secs: u64) -> Result<String> {
        for _ in 0..secs * 5 {
            if let Some(s) = self
                .announced()
                .await?
                .into_iter()
                .find(|s| s.contains(needle))
            {
                return Ok(s);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bail!(
            "no live region said {needle:?} in {secs} s; they said: {:?}",
            self.announced().await?
        )
    }
}
