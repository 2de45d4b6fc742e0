//! The device code flow (contract §1.5): `/oauth2/v2.0/devicecode`, the `devicelogin` page
//! where a person types the code and picks an account, and polling through the token endpoint.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde_json::{json, Value};

use crate::correlation::CorrelationId;
use crate::scenario::Application;
use crate::secrets::{fingerprint, random_token};
use crate::state::{AppState, DeviceCode, DeviceStatus};

use super::error::{self, Ctx, EntraError};
use super::issue::{token_response, Grant};
use super::params::Params;
use super::{accounts, authority, check_client_credentials, client, pages, scopes};

/// No 0/O or 1/I: people read these codes off one screen and type them into another.
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub async fn start(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = Ctx::new(&state, &cid);
    let answer = begin(&state, &tenant, &headers, &body, ctx.now);
    ctx.uncached(answer)
}

fn begin(
    state: &AppState,
    tenant: &str,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<Value, EntraError> {
    let authority = authority(state, tenant)?;
    let params = Params::from_form(headers, body)?;
    let app = client(state, authority, &params)?;
    check_client_credentials(app, &params)?;
    if !app.is_public_client {
        return Err(error::confidential_client_without_secret());
    }
    let scope = params.require("scope")?;
    scopes::resolve(state, &state.cloud(), app, scope, true)?;

    let mut rt = state.runtime();
    let user_code = loop {
        let candidate = new_user_code();
        if !rt.device_codes.values().any(|d| d.user_code == candidate) {
            break candidate;
        }
    };
    let device_code = random_token(64);
    state.issued.record(&device_code);
    rt.device_codes.insert(
        fingerprint(&device_code),
        DeviceCode {
            client_id: app.app_id.clone(),
            scope: scope.to_string(),
            user_code: user_code.clone(),
            issued_at: now,
            status: DeviceStatus::Pending,
            last_poll: None,
        },
    );
    let verification_uri = format!("{}/login/devicelogin", state.base_url);
    Ok(json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": rt.settings.device_code_lifetime_seconds,
        "interval": rt.settings.device_code_interval_seconds,
        "message": format!("To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."),
    }))
}

fn new_user_code() -> String {
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(USER_CODE_ALPHABET[rng.gen_range(0..USER_CODE_ALPHABET.len())]))
        .collect()
}

/// One poll of the token endpoint with a device code.
pub fn redeem(
    state: &AppState,
    app: &Application,
    params: &Params,
    now: DateTime<Utc>,
    client_info: bool,
) -> Result<Value, EntraError> {
    let code = params.require("device_code")?;
    let demand = super::stepup::demand(params)?;
    let mut rt = state.runtime();
    let key = fingerprint(code);
    let record = rt
        .device_codes
        .get(&key)
        .cloned()
        .ok_or_else(error::bad_verification_code)?;
    if !record.client_id.eq_ignore_ascii_case(&app.app_id) {
        return Err(error::bad_verification_code());
    }
    if record.status == DeviceStatus::Redeemed {
        return Err(error::device_code_redeemed());
    }
    if now - record.issued_at > rt.lifetime(rt.settings.device_code_lifetime_seconds) {
        return Err(error::device_code_expired());
    }
    match &record.status {
        DeviceStatus::Pending => {
            if rt.settings.device_code_slow_down {
                // Rate limiting has to remember polls, even the ones it refuses.
                let interval = Duration::seconds(rt.settings.device_code_interval_seconds);
                let too_soon = record.last_poll.is_some_and(|t| now - t < interval);
                if let Some(r) = rt.device_codes.get_mut(&key) {
                    r.last_poll = Some(now);
                }
                if too_soon {
                    return Err(error::slow_down());
                }
            }
            Err(error::authorization_pending())
        }
        DeviceStatus::Declined => Err(error::authorization_declined()),
        DeviceStatus::Redeemed => Err(error::device_code_redeemed()),
        DeviceStatus::Approved { user_id } => {
            let user = state
                .find_user(user_id)
                .ok_or_else(error::bad_verification_code)?;
            let resolved =
                scopes::resolve(state, &rt.settings.cloud.ids(), app, &record.scope, false)?;
            if let Some(r) = rt.device_codes.get_mut(&key) {
                r.status = DeviceStatus::Redeemed;
            }
            let grant = Grant {
                user,
                client_id: &app.app_id,
                scope: &resolved,
                grant_scope: &record.scope,
                nonce: None,
                always_refresh: false,
                client_info,
                // The device login page has no MFA prompt: password-only sign-ins.
                auth: super::stepup::AuthStrength::default().for_request(&demand),
            };
            Ok(token_response(state, &mut rt, now, grant))
        }
    }
}

pub async fn page(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref()).unwrap_or_default();
    entry_page(&state, params.get("otc").unwrap_or(""), None, None)
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = match Params::from_form(&headers, &body) {
        Ok(p) => p,
        Err(e) => return entry_page(&state, "", None, Some(&e.headline())),
    };
    let typed = params.get("user_code").unwrap_or("");
    let login = params.get("login");
    match decide(&state, &params) {
        Ok(html) => Html(html).into_response(),
        Err(problem) => entry_page(&state, typed, login, Some(&problem)),
    }
}

/// Approves or declines the pending request the typed code names; `Err` is the problem to
/// show, with nothing changed.
fn decide(state: &AppState, params: &Params) -> Result<String, String> {
    let typed: String = params
        .get("user_code")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    if typed.is_empty() {
        return Err("Enter the code displayed on your app or device.".into());
    }
    let now = state.clock.now();
    let mut rt = state.runtime();
    let lifetime = rt.lifetime(rt.settings.device_code_lifetime_seconds);
    let Some(record) = rt.device_codes.values_mut().find(|d| d.user_code == typed) else {
        return Err("AADSTS70018: That code didn't work. Check the code and try again.".into());
    };
    if now - record.issued_at > lifetime {
        return Err(
            "AADSTS70019: That code has expired. Go back to your app or device and start over."
                .into(),
        );
    }
    if record.status != DeviceStatus::Pending {
        return Err("AADSTS90120: That code was already used to sign in or to decline. Go back to your app or device and start over.".into());
    }
    let app_name = state
        .scenario
        .application(&record.client_id)
        .map(|a| a.display_name.clone())
        .unwrap_or_default();
    if params.get("action") == Some("cancel") {
        record.status = DeviceStatus::Declined;
        return Ok(pages::message("You declined to sign in", &format!("You declined to sign in to {app_name} on your device. You may now close this window.")));
    }
    let user = match params.get("login") {
        None => return Err("Pick an account to sign in with.".into()),
        Some(l) => state.find_user(l).ok_or_else(|| {
            format!(
                "AADSTS50034: The user account {l} does not exist in the {} directory.",
                state.scenario.tenant.verified_domain
            )
        })?,
    };
    record.status = DeviceStatus::Approved {
        user_id: user.id.clone(),
    };
    Ok(pages::message("You're signed in", &format!("You have signed in to the {app_name} application on your device. You may now close this window.")))
}

fn entry_page(
    state: &AppState,
    user_code: &str,
    selected: Option<&str>,
    problem: Option<&str>,
) -> Response {
    let accounts = accounts(state);
    Html(pages::device_entry(&pages::DeviceEntry {
        tenant_name: &state.scenario.tenant.display_name,
        accounts: &accounts,
        user_code,
        selected,
        problem,
    }))
    .into_response()
}
