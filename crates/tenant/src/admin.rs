//! `/_emulator/`: the control panel tests and scripts use to inspect and steer the tenant
//! (clock, issued secrets, session revocation, reset, runtime switches).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::admin_json::{no_such_user, refuse, AdminJson};
use crate::endpoints::Endpoints;
use crate::entra::{issue, scopes};
use crate::scenario::Settings;
use crate::state::AppState;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/endpoints", get(endpoints))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance_clock))
        .route("/tokens", get(tokens))
        .route("/token", post(mint_token))
        .route("/refresh-tokens/revoke", post(revoke_sessions))
        .route("/reset", post(reset))
        .route("/users", get(users))
        .route("/settings", get(settings).patch(change_settings))
        .route("/token-requests", get(token_requests))
        .route("/sign-outs", get(sign_outs))
        .merge(crate::challenge::admin_router())
        .merge(crate::graph::pim::admin::router())
        .merge(crate::environments::admin::router())
        .fallback(|| async {
            refuse(
                StatusCode::NOT_FOUND,
                "NotFound",
                "No such emulator admin endpoint.",
            )
        })
}

async fn endpoints(State(state): State<Arc<AppState>>) -> Json<Endpoints> {
    Json(Endpoints::of(&state))
}

async fn clock(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({"now": state.clock.now().to_rfc3339()}))
}

#[derive(Deserialize)]
struct Advance {
    seconds: i64,
}

async fn advance_clock(
    State(state): State<Arc<AppState>>,
    AdminJson(a): AdminJson<Advance>,
) -> Json<Value> {
    Json(json!({"now": state.clock.advance(a.seconds).to_rfc3339()}))
}

/// What each `/token` request declared: its grant, whether it said `cp1`, and its claims.
async fn sign_outs(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({"value": state.runtime().sign_outs}))
}

async fn token_requests(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({"value": state.runtime().token_requests}))
}

async fn tokens(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({"tokens": state.issued.all()}))
}

#[derive(Deserialize)]
struct MintRequest {
    user: String,
    scope: String,
    /// As if the sign-in approved MFA (`amr` gets `mfa`).
    #[serde(default)]
    mfa: bool,
    /// Authentication contexts satisfied (`acrs`); implies MFA.
    #[serde(default)]
    acrs: Vec<String>,
    /// Client capabilities declared (`xms_cc`, e.g. `["cp1"]`).
    #[serde(default, rename = "xmsCc")]
    xms_cc: Vec<String>,
}

/// An access token without a sign-in, for scripts and tests that are not about sign-in.
async fn mint_token(
    State(state): State<Arc<AppState>>,
    AdminJson(req): AdminJson<MintRequest>,
) -> Response {
    let Some(user) = state.find_user(&req.user) else {
        return no_such_user(&req.user);
    };
    let Some(app) = state.scenario.application(state.scenario.client_id()) else {
        return refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "NoApplication",
            "The scenario has no application.",
        );
    };
    let resolved = match scopes::resolve(&state, &state.cloud(), app, &req.scope, false) {
        Ok(r) => r,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.error, e.headline()),
    };
    let now = state.clock.now();
    let rt = state.runtime();
    let token = issue::access_token(
        &state,
        &rt,
        now,
        user,
        &app.app_id,
        &resolved,
        &crate::entra::stepup::AuthStrength {
            mfa: req.mfa || !req.acrs.is_empty(),
            acrs: req.acrs,
            xms_cc: req.xms_cc,
            not_before: None,
        },
    );
    Json(json!({
        "token_type": "Bearer",
        "scope": resolved.response_scope(),
        "expires_in": rt.settings.access_token_lifetime_seconds,
        "access_token": token,
    }))
    .into_response()
}

#[derive(Deserialize)]
struct RevokeRequest {
    user: String,
}

/// "Revoke sessions": every refresh token the user holds now stops working.
async fn revoke_sessions(
    State(state): State<Arc<AppState>>,
    AdminJson(req): AdminJson<RevokeRequest>,
) -> Response {
    let Some(user) = state.find_user(&req.user) else {
        return no_such_user(&req.user);
    };
    let now = state.clock.now();
    state
        .runtime()
        .tokens_valid_from
        .insert(user.id.to_ascii_lowercase(), now);
    tracing::info!(user = %user.id, "refresh tokens revoked");
    Json(json!({
        "value": true,
        "userPrincipalName": state.scenario.upn(user),
        "refreshTokensValidFromDateTime": now.to_rfc3339(),
    }))
    .into_response()
}

async fn reset(State(state): State<Arc<AppState>>) -> Json<Value> {
    state.reset();
    Json(json!({"status": "reset"}))
}

async fn users(State(state): State<Arc<AppState>>) -> Json<Value> {
    let rt = state.runtime();
    let value: Vec<Value> = state
        .scenario
        .users
        .iter()
        .map(|u| {
            json!({
                "id": u.id,
                "displayName": u.display_name,
                "userPrincipalName": state.scenario.upn(u),
                "mailNickname": u.mail_nickname,
                "jobTitle": u.job_title,
                "directoryRoles": rt.roles_of(&u.id),
            })
        })
        .collect();
    Json(json!({"value": value}))
}

async fn settings(State(state): State<Arc<AppState>>) -> Json<Settings> {
    Json(state.settings())
}

/// Partial update: only the named switches change; an unknown or ill-typed one changes nothing.
async fn change_settings(
    State(state): State<Arc<AppState>>,
    AdminJson(patch): AdminJson<serde_json::Map<String, Value>>,
) -> Response {
    let mut rt = state.runtime();
    let mut merged = match serde_json::to_value(&rt.settings) {
        Ok(Value::Object(m)) => m,
        _ => {
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal",
                "Settings could not be read.",
            )
        }
    };
    merged.extend(patch);
    match serde_json::from_value::<Settings>(Value::Object(merged)) {
        Ok(s) if s.device_code_interval_seconds >= 0 => {
            rt.settings = s.clone();
            Json(s).into_response()
        }
        Ok(_) => refuse(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "deviceCodeIntervalSeconds must not be negative.",
        ),
        Err(e) => refuse(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Invalid settings: {e}"),
        ),
    }
}
