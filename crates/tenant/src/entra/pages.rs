//! The HTML a person sees in the browser: sign-in, device-code entry, errors. Everything
//! echoed from a request or the scenario goes through `escape`.

use super::error::{Ctx, EntraError};

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An account the user can pick: display name and UPN.
pub struct Account {
    pub name: String,
    pub upn: String,
}

pub struct SignIn<'a> {
    pub tenant_name: &'a str,
    pub app_name: &'a str,
    pub accounts: &'a [Account],
    pub hidden: &'a [(&'a str, &'a str)],
    pub selected: Option<&'a str>,
    pub problem: Option<&'a str>,
    /// The request demands MFA or an authentication context: the Authenticator box is required.
    pub step_up: bool,
}

pub fn sign_in(p: &SignIn<'_>) -> String {
    let hidden: String = p
        .hidden
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(k),
                escape(v)
            )
        })
        .collect();
    let body = format!(
        r#"<p class="sub">to continue to <b>{app}</b></p>{problem}
<form method="post">{hidden}
<fieldset><legend>Pick an account</legend>{accounts}</fieldset>
{mfa}
<div class="actions"><button type="submit" name="action" value="signin" class="primary">Sign in</button><button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>
</form>"#,
        app = escape(p.app_name),
        problem = problem(p.problem),
        accounts = accounts(p.accounts, p.selected),
        mfa = mfa_prompt(p.step_up),
    );
    layout(
        &format!("Sign in to {} (demo tenant)", p.tenant_name),
        &body,
    )
}

pub struct DeviceEntry<'a> {
    pub tenant_name: &'a str,
    pub accounts: &'a [Account],
    pub user_code: &'a str,
    pub selected: Option<&'a str>,
    pub problem: Option<&'a str>,
}

pub fn device_entry(p: &DeviceEntry<'_>) -> String {
    let body = format!(
        r#"<p class="sub">Enter the code displayed on your app or device.</p>{problem}
<form method="post">
<label class="field">Code<input type="text" name="user_code" value="{code}" autocomplete="off" autofocus required spellcheck="false"></label>
<fieldset><legend>Pick an account</legend>{accounts}</fieldset>
<div class="actions"><button type="submit" name="action" value="signin" class="primary">Sign in</button><button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>
</form>"#,
        problem = problem(p.problem),
        code = escape(p.user_code),
        accounts = accounts(p.accounts, p.selected),
    );
    layout(
        &format!("Sign in to {} (demo tenant)", p.tenant_name),
        &body,
    )
}

pub fn message(title: &str, text: &str) -> String {
    layout(title, &format!(r#"<p class="sub">{}</p>"#, escape(text)))
}

pub fn error(err: &EntraError, ctx: &Ctx) -> String {
    let body = format!(
        r#"<p class="problem" role="alert">{}</p>
<dl><dt>Request Id</dt><dd>{}</dd><dt>Correlation Id</dt><dd>{}</dd><dt>Timestamp</dt><dd>{}</dd></dl>"#,
        escape(&err.headline()),
        escape(&ctx.trace_id),
        escape(&ctx.correlation_id),
        escape(&ctx.timestamp()),
    );
    layout("Sorry, but we're having trouble signing you in.", &body)
}

/// `response_mode=form_post`: the browser posts the answer to the redirect URI itself.
pub fn form_post(action: &str, params: &[(&str, &str)]) -> String {
    let fields: String = params
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(k),
                escape(v)
            )
        })
        .collect();
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="{}">{fields}<noscript><button type="submit">Continue</button></noscript></form></body></html>"#,
        escape(action)
    )
}

/// Always offered (a person may choose MFA); `required` when the request demands it.
fn mfa_prompt(required: bool) -> String {
    let note = if required {
        r#"<p class="sub">Your organization requires additional verification for this sign-in.</p>"#
    } else {
        ""
    };
    format!(
        r#"<fieldset><legend>Verify your identity</legend>{note}<label class="check"><input type="checkbox" name="mfa" value="approve"{req}> Approve the sign-in request in Microsoft Authenticator (demo)</label></fieldset>"#,
        req = if required { " required" } else { "" },
    )
}

fn problem(text: Option<&str>) -> String {
    text.map(|t| format!(r#"<p class="problem" role="alert">{}</p>"#, escape(t)))
        .unwrap_or_default()
}

fn accounts(list: &[Account], selected: Option<&str>) -> String {
    list.iter()
        .map(|a| {
            let checked = selected.is_some_and(|s| s.eq_ignore_ascii_case(&a.upn));
            format!(
                r#"<label class="account"><input type="radio" name="login" value="{upn}" required{checked}><span class="avatar" aria-hidden="true">{initials}</span><span class="who"><b>{name}</b><small>{upn}</small></span></label>"#,
                upn = escape(&a.upn),
                name = escape(&a.name),
                initials = escape(&initials(&a.name)),
                checked = if checked { " checked" } else { "" },
            )
        })
        .collect()
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect()
}

fn layout(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{STYLE}</style></head>
<body><main class="card"><div class="brand"><span class="logo" aria-hidden="true"></span>Elevate demo tenant</div>
<h1>{title}</h1>
{body}
<footer>This tenant is emulated on your computer. Nothing you do here reaches Microsoft.</footer></main></body></html>"#,
        title = escape(title),
    )
}

const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#f3f2f1;--card:#fff;--fg:#1b1b1b;--muted:#616161;--line:#d1d1d1;--accent:#0f6cbd;--accent-fg:#fff;--hover:#f5f5f5;--bad:#c50f1f}
@media (prefers-color-scheme:dark){:root{--bg:#1f1f1f;--card:#292929;--fg:#f0f0f0;--muted:#adadad;--line:#4a4a4a;--accent:#479ef5;--accent-fg:#000;--hover:#333;--bad:#ff99a4}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:15px/1.4 "Segoe UI",system-ui,-apple-system,sans-serif}
.card{width:min(440px,100vw);background:var(--card);padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{display:flex;align-items:center;gap:8px;color:var(--muted);font-size:13px;margin-bottom:16px}
.logo{width:20px;height:20px;background:linear-gradient(90deg,var(--accent) 50%,#6cb8f6 50%)}
h1{font-size:24px;font-weight:600;margin:0 0 4px}.sub{color:var(--muted);margin:0 0 16px}
fieldset{border:0;padding:0;margin:16px 0}legend{font-weight:600;margin-bottom:8px}
.account{display:flex;align-items:center;gap:12px;padding:10px 8px;border-top:1px solid var(--line);cursor:pointer}
.account:last-child{border-bottom:1px solid var(--line)}.account:hover{background:var(--hover)}
.account input{accent-color:var(--accent)}.avatar{width:36px;height:36px;border-radius:50%;display:grid;place-items:center;background:var(--accent);color:var(--accent-fg);font-weight:600;font-size:13px}
.who{display:flex;flex-direction:column}.who small{color:var(--muted)}
.field{display:flex;flex-direction:column;gap:4px;font-weight:600}.field input{font:inherit;padding:6px 8px;border:0;border-bottom:1px solid var(--muted);background:transparent;color:inherit;letter-spacing:.1em;text-transform:uppercase}
.actions{display:flex;flex-direction:row-reverse;gap:8px;margin-top:20px}
button{font:inherit;min-width:108px;padding:6px 12px;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}button:focus-visible,.account:focus-within{outline:2px solid var(--accent);outline-offset:2px}
.check{display:flex;gap:8px;align-items:center;cursor:pointer}.check input{accent-color:var(--accent)}
.problem{color:var(--bad);font-weight:600}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:13px;color:var(--muted)}dd{margin:0;word-break:break-all}
footer{margin-top:24px;font-size:12px;color:var(--muted)}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_escaped() {
        let accounts = [Account {
            name: "<b>x</b>".into(),
            upn: "a\"@b".into(),
        }];
        let html = sign_in(&SignIn {
            tenant_name: "Contoso",
            app_name: "App<script>",
            accounts: &accounts,
            hidden: &[("state", "\"><script>alert(1)</script>")],
            selected: None,
            problem: Some("<img src=x>"),
            step_up: true,
        });
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&quot;&gt;&lt;script&gt;"));
        assert!(html.contains(r#"name="login" value="a&quot;@b""#));
        assert!(html.contains(r#"name="mfa" value="approve" required"#));
    }
}
