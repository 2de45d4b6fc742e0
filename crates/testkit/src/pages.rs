//! The emulator's own pages driven over HTTP, as a person would in a browser: open the
//! sign-in page, pick a user, submit, follow the redirect. It knows the form of *this*
//! emulator's pages, which is why it lives with the tests and not in the shipped emulator.

use anyhow::{anyhow, ensure, Context, Result};
use url::Url;

fn http() -> reqwest::Client {
    elevate_tenant::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// Opens the authorize page, picks `user` (UPN or local part) and presses `action`
/// (`signin` or `cancel`), then follows the redirects back to the client's loopback address
/// and its landing page, as a browser would. When the page demands a step-up (the
/// "Approve … in Microsoft Authenticator" box is `required`), it ticks it (`mfa=approve`).
pub async fn complete_sign_in(authorize_url: &Url, user: &str, action: &str) -> Result<()> {
    let (location, page_url) = submit_sign_in(authorize_url, user, action).await?;
    let http = http();
    let mut next = Some(location);
    let mut base = page_url;
    for _ in 0..5 {
        let Some(loc) = next.take() else { break };
        let u = base.join(&loc)?;
        let r = http.get(u.clone()).send().await.with_context(|| {
            format!(
                "following the redirect to {}",
                u.origin().ascii_serialization()
            )
        })?;
        next = r
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(String::from);
        base = u;
    }
    Ok(())
}

/// Signs `user` in and returns the authorization code from the redirect, without visiting it.
pub async fn authorize_code(authorize_url: &Url, user: &str) -> Result<String> {
    let (location, page_url) = submit_sign_in(authorize_url, user, "signin").await?;
    let u = page_url.join(&location)?;
    u.query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.to_string())
        .ok_or_else(|| anyhow!("the redirect carries no code"))
}

/// Types `user_code` on the device login page and signs `user` in.
pub async fn complete_device_login(
    verification_uri: &str,
    user_code: &str,
    user: &str,
) -> Result<()> {
    let page_url = Url::parse(verification_uri)?;
    let http = http();
    let page = http
        .get(page_url.clone())
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let form = parse_form(&page).ok_or_else(|| anyhow!("no form on the device login page"))?;
    let upn = pick(&form, user)?;
    let mut fields = form.hidden.clone();
    fields.retain(|(k, _)| k != "user_code");
    fields.extend([
        ("user_code".into(), user_code.to_string()),
        ("login".into(), upn),
        ("action".into(), "signin".into()),
    ]);
    let target = page_url.join(form.action.as_deref().unwrap_or(""))?;
    let r = http.post(target).form(&fields).send().await?;
    ensure!(
        r.status().is_success() || r.status().is_redirection(),
        "device login answered {}",
        r.status()
    );
    Ok(())
}

async fn submit_sign_in(authorize_url: &Url, user: &str, action: &str) -> Result<(String, Url)> {
    let http = http();
    let page = http
        .get(authorize_url.clone())
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let form = parse_form(&page).ok_or_else(|| anyhow!("no sign-in form on the page"))?;
    let upn = pick(&form, user)?;
    let mut fields = form.hidden.clone();
    fields.push(("login".into(), upn));
    fields.extend(form.required_checks.iter().cloned());
    fields.push(("action".into(), action.to_string()));
    let target = authorize_url.join(form.action.as_deref().unwrap_or(""))?;
    let resp = http.post(target).form(&fields).send().await?;
    ensure!(
        resp.status().is_redirection(),
        "the sign-in form answered {}",
        resp.status()
    );
    let location = resp
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .ok_or_else(|| anyhow!("no Location"))?
        .to_string();
    Ok((location, authorize_url.clone()))
}

fn pick(form: &Form, user: &str) -> Result<String> {
    form.options("login")
        .into_iter()
        .find(|v| {
            v.eq_ignore_ascii_case(user)
                || v.split('@')
                    .next()
                    .is_some_and(|l| l.eq_ignore_ascii_case(user))
        })
        .ok_or_else(|| anyhow!("user {user} is not offered on the page"))
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub action: Option<String>,
    pub hidden: Vec<(String, String)>,
    /// `(name, value)` of radio buttons and option-like inputs.
    pub choices: Vec<(String, String)>,
    /// `(name, value)` of checkboxes the page marks `required` (e.g. `mfa=approve`).
    pub required_checks: Vec<(String, String)>,
}

impl Form {
    pub fn options(&self, name: &str) -> Vec<String> {
        self.choices
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

pub fn parse_form(html: &str) -> Option<Form> {
    let start = html.find("<form")?;
    let end = html[start..]
        .find("</form>")
        .map(|e| start + e)
        .unwrap_or(html.len());
    let body = &html[start..end];
    let tag_end = body.find('>')?;
    let mut form = Form {
        action: attr(&body[..tag_end], "action").map(|a| unescape(&a)),
        ..Default::default()
    };
    for (i, _) in body.match_indices('<') {
        let rest = &body[i + 1..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        let lower = tag.to_ascii_lowercase();
        let is_input = lower.starts_with("input");
        let is_button = lower.starts_with("button");
        if !is_input && !is_button {
            continue;
        }
        let (Some(name), value) = (
            attr(tag, "name"),
            attr(tag, "value").map(|v| unescape(&v)).unwrap_or_default(),
        ) else {
            continue;
        };
        let kind = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
        if kind == "hidden" {
            form.hidden.push((name, value));
        } else if kind == "radio" || is_button {
            form.choices.push((name, value));
        } else if kind == "checkbox"
            && lower
                .split_whitespace()
                .any(|w| w == "required" || w == "required/")
        {
            form.required_checks.push((name, value));
        }
    }
    Some(form)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = &tag[at + name.len()..];
        let after_trim = after.trim_start();
        if before_ok && after_trim.starts_with('=') {
            let v = after_trim[1..].trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let inner = &v[1..];
                return inner.find(quote).map(|e| inner[..e].to_string());
            }
            return Some(
                v.split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            );
        }
        from = at + name.len();
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hidden_fields_and_choices() {
        let f = parse_form(
            r#"<p>x</p><form method="post" action="/login/t/oauth2/v2.0/authorize?a=1&amp;b=2">
            <input type="hidden" name="state" value="s&amp;1">
            <input type="radio" name="login" value="adele@contoso.onmicrosoft.com" id=a>
            <input type='radio' name='login' value='diego@contoso.onmicrosoft.com'>
            <input type="checkbox" name="mfa" value="approve" required>
            <input type="checkbox" name="remember" value="yes">
            <button type="submit" name="action" value="signin">Sign in</button></form>"#,
        )
        .unwrap();
        assert_eq!(
            f.action.as_deref(),
            Some("/login/t/oauth2/v2.0/authorize?a=1&b=2")
        );
        assert_eq!(f.hidden, vec![("state".to_string(), "s&1".to_string())]);
        assert_eq!(f.options("login").len(), 2);
        assert_eq!(f.options("action"), vec!["signin"]);
        assert_eq!(
            f.required_checks,
            vec![("mfa".to_string(), "approve".to_string())]
        );
    }
}
