//! `/oauth2/v2.0/token` (contract §1.4): the authorization-code, refresh-token and
//! device-code grants. Every check happens before anything is changed, so a refused request
//! leaves the tenant exactly as it was.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::correlation::CorrelationId;
use crate::scenario::Application;
use crate::secrets::fingerprint;
use crate::state::{AppState, Pkce, PkceMethod, TokenRequest, TOKEN_REQUESTS_KEPT};

use super::error::{self, Ctx, EntraError};
use super::issue::{token_response, Grant};
use super::params::Params;
use super::{authority, check_client_credentials, client, device, scopes, stepup};

pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

pub async fn token(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = Ctx::new(&state, &cid);
    let answer = handle(&state, &tenant, &headers, &body, &ctx);
    ctx.uncached(answer)
}

fn handle(
    state: &AppState,
    tenant: &str,
    headers: &HeaderMap,
    body: &[u8],
    ctx: &Ctx,
) -> Result<Value, EntraError> {
    let authority = authority(state, tenant)?;
    let params = Params::from_form(headers, body)?;
    let grant_type = params.require("grant_type")?;
    record(state, grant_type, &params);
    let app = client(state, authority, &params)?;
    check_client_credentials(app, &params)?;
    let client_info = params.get("client_info") == Some("1");
    match grant_type {
        "authorization_code" => redeem_code(state, app, &params, ctx.now, client_info),
        "refresh_token" => redeem_refresh_token(state, app, &params, ctx.now, client_info),
        DEVICE_CODE_GRANT => device::redeem(state, app, &params, ctx.now, client_info),
        other => Err(error::unsupported_grant(other)),
    }
}

fn redeem_code(
    state: &AppState,
    app: &Application,
    params: &Params,
    now: DateTime<Utc>,
    client_info: bool,
) -> Result<Value, EntraError> {
    let code = params.require("code")?;
    let redirect_uri = params.require("redirect_uri")?;
    // MSAL repeats its claims (client capabilities) on redemption.
    let demand = stepup::demand(params)?;
    let mut rt = state.runtime();
    let key = fingerprint(code);
    let record = rt
        .auth_codes
        .get(&key)
        .cloned()
        .ok_or_else(error::invalid_code)?;
    if !record.client_id.eq_ignore_ascii_case(&app.app_id) {
        return Err(error::invalid_code());
    }
    if record.redeemed {
        return Err(error::code_redeemed());
    }
    if now - record.issued_at > rt.lifetime(rt.settings.authorization_code_lifetime_seconds) {
        return Err(error::grant_expired());
    }
    if record.redirect_uri != redirect_uri {
        return Err(error::reply_address_mismatch(
            redirect_uri,
            &record.redirect_uri,
        ));
    }
    if let Some(pkce) = &record.pkce {
        if !verifier_matches(pkce, params.require("code_verifier")?) {
            return Err(error::verifier_mismatch());
        }
    }
    let user = state
        .find_user(&record.user_id)
        .ok_or_else(error::invalid_code)?;
    let scope = params.get("scope").unwrap_or(&record.scope);
    let mut resolved = scopes::resolve(state, &rt.settings.cloud.ids(), app, scope, false)?;
    // offline_access/openid granted at sign-in still count when the redemption omits them.
    let signed_in_with =
        scopes::resolve(state, &rt.settings.cloud.ids(), app, &record.scope, false)?;
    for s in signed_in_with.oidc {
        if !resolved.oidc.contains(&s) {
            resolved.oidc.push(s);
        }
    }
    if let Some(r) = rt.auth_codes.get_mut(&key) {
        r.redeemed = true;
    }
    let grant = Grant {
        user,
        client_id: &app.app_id,
        scope: &resolved,
        grant_scope: scope,
        nonce: record.nonce.as_deref(),
        always_refresh: false,
        client_info,
        auth: record.auth.clone().for_request(&demand),
    };
    Ok(token_response(state, &mut rt, now, grant))
}

fn redeem_refresh_token(
    state: &AppState,
    app: &Application,
    params: &Params,
    now: DateTime<Utc>,
    client_info: bool,
) -> Result<Value, EntraError> {
    let token = params.require("refresh_token")?;
    let demand = stepup::demand(params)?;
    let mut rt = state.runtime();
    let key = fingerprint(token);
    let record = rt
        .refresh_tokens
        .get(&key)
        .cloned()
        .ok_or_else(error::refresh_token_malformed)?;
    if !record.client_id.eq_ignore_ascii_case(&app.app_id) {
        return Err(error::refresh_token_malformed());
    }
    if let Some(valid_from) = rt
        .tokens_valid_from
        .get(&record.user_id.to_ascii_lowercase())
    {
        if record.issued_at < *valid_from {
            return Err(error::refresh_token_revoked(record.issued_at, *valid_from));
        }
    }
    let lifetime = rt.settings.refresh_token_lifetime_seconds;
    if now - record.issued_at > rt.lifetime(lifetime) {
        return Err(error::refresh_token_inactive(record.issued_at, lifetime));
    }
    let revoke_on_use = rt.settings.revoke_refresh_token_on_use;
    if record.redeemed && revoke_on_use {
        return Err(error::refresh_token_used());
    }
    let user = state
        .find_user(&record.user_id)
        .ok_or_else(error::refresh_token_malformed)?;
    let scope = params.get("scope").unwrap_or(&record.scope);
    let resolved = scopes::resolve(state, &rt.settings.cloud.ids(), app, scope, false)?;
    // A claims challenge the original sign-in did not meet needs a new interactive sign-in.
    if !record.auth.satisfies(&demand) {
        return Err(stepup::step_up_required(
            &resolved.resource,
            demand.raw.as_deref(),
        ));
    }
    if let Some(r) = rt.refresh_tokens.get_mut(&key) {
        r.redeemed = true;
    }
    let grant = Grant {
        user,
        client_id: &app.app_id,
        scope: &resolved,
        grant_scope: scope,
        nonce: None,
        always_refresh: true,
        client_info,
        auth: record.auth.clone().for_request(&demand),
    };
    Ok(token_response(state, &mut rt, now, grant))
}

/// Logs what the request declared, before any check: a refused request declared it too.
fn record(state: &AppState, grant_type: &str, params: &Params) {
    let cp1 = stepup::demand(params)
        .is_ok_and(|d| d.xms_cc.iter().any(|c| c.eq_ignore_ascii_case("cp1")));
    let mut rt = state.runtime();
    if rt.token_requests.len() >= TOKEN_REQUESTS_KEPT {
        rt.token_requests.remove(0);
    }
    rt.token_requests.push(TokenRequest {
        grant_type: grant_type.to_string(),
        cp1,
        claims: params.get("claims").map(str::to_string),
        scope: params.get("scope").map(str::to_string),
    });
}

fn verifier_matches(pkce: &Pkce, verifier: &str) -> bool {
    match pkce.method {
        PkceMethod::Plain => verifier == pkce.challenge,
        PkceMethod::S256 => {
            URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == pkce.challenge
        }
    }
}
