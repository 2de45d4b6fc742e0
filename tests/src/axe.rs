//! axe-core in the real webview: the WCAG 2.1 A and AA rules over the page as it is now.
//! The script comes from the UI's dev dependencies (`ui/node_modules/axe-core`), the version
//! pinned in `ui/package-lock.json`.

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::app::{workspace_dir, App};

/// Rules that stay for a reason no change in Elevate can remove. Each says why.
pub const ACCEPTED: &[(&str, &str)] = &[];

impl App {
    /// Runs axe over the whole page (dialogs included) and fails on any violation that is not
    /// in `ACCEPTED`, naming the rule, its help text and the first elements it found.
    pub async fn axe(&self, screen: &str) -> Result<()> {
        let loaded = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await?;
        if loaded != Value::Bool(true) {
            let path = workspace_dir().join("ui/node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path)
                .with_context(|| format!("{} (run npm ci in ui/)", path.display()))?;
            self.client
                .execute(&format!("{source}\nreturn true;"), vec![])
                .await?;
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            // Colours are measured as painted: let finite transitions (a button coming back from
            // disabled) end first, or axe reads a colour halfway. Spinners loop forever: skipped.
            const settling = document.getAnimations()
              .filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
              .map(a => a.finished.catch(() => null));
            const settled = Promise.race([
              Promise.all(settling),
              new Promise(r => setTimeout(r, 2000)),
            ]);
            settled.then(() => axe.run(document, {
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
              resultTypes: ['violations'],
            }).then(
              r => done(JSON.stringify(r.violations.map(v => {
                // Tabster's focus sentinels (Fluent UI v9): aria-hidden on purpose, and focusable
                // only to pass focus on at once. A known false positive of this rule, filtered
                // node by node the way Accessibility Insights does; any other node still fails.
                if (v.id === 'aria-hidden-focus') {
                  v.nodes = v.nodes.filter(n => !n.html.includes('data-tabster-dummy'));
                }
                return v;
              }).filter(v => v.nodes.length > 0).map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160) + ' :: ' + (n.failureSummary || '').split('\n').slice(1, 2).join(''))
              })))),
              e => done(JSON.stringify({error: String(e)}))));
        "#;
        let raw = self.client.execute_async(script, vec![]).await?;
        let found: Value = serde_json::from_str(raw.as_str().unwrap_or("null"))?;
        if let Some(e) = found.get("error") {
            bail!("axe could not run on {screen}: {e}");
        }
        let violations: Vec<&Value> = found
            .as_array()
            .map(|a| a.iter().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter(|v| !ACCEPTED.iter().any(|(id, _)| v["id"] == *id))
            .collect();
        elevate_testkit::figures::add("a11y.screens", 1);
        elevate_testkit::figures::add("a11y.violations", violations.len() as u64);
        if !violations.is_empty() {
            let lines: Vec<String> = violations
                .iter()
                .map(|v| {
                    format!(
                        "  {} ({}): {}\n    {}",
                        v["id"], v["impact"], v["help"], v["nodes"]
                    )
                })
                .collect();
            bail!(
                "axe found {} violation(s) on {screen}:\n{}",
                violations.len(),
                lines.join("\n")
            );
        }
        Ok(())
    }
}
