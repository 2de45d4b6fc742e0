//! Who is calling Graph: the bearer token is checked like Graph checks it (signature,
//! lifetime by the emulator clock, issuer, audience), with Graph's own error texts.

use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

use crate::jwt::JwtError;
use crate::scenario::User;
use crate::state::AppState;

use super::error::GraphError;

/// Clock skew Graph tolerates on `nbf`.
const SKEW_SECONDS: i64 = 300;

pub struct Caller<'a> {
    pub user: &'a User,
    pub scopes: Vec<String>,
    /// How the user signed in (`pwd`, `mfa`), the authentication contexts satisfied (`acrs`)
    /// and the client's declared capabilities (`xms_cc`): what PIM's step-up rules look at.
    pub amr: Vec<String>,
    pub acrs: Vec<String>,
    pub xms_cc: Vec<String>,
}

impl Caller<'_> {
    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        self.scopes
            .iter()
            .any(|s| wanted.iter().any(|w| w.eq_ignore_ascii_case(s)))
    }
}

pub fn caller<'a>(state: &'a AppState, headers: &HeaderMap) -> Result<Caller<'a>, GraphError> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = match raw.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => "",
    };
    if token.is_empty() {
        return Err(GraphError::unauthorized("Access token is empty."));
    }
    let claims = state.keys.verify(token).map_err(|e| match e {
        JwtError::Malformed => {
            GraphError::unauthorized("CompactToken parsing failed with error code: 80049217")
        }
        JwtError::BadSignature => GraphError::unauthorized("Access token validation failure."),
    })?;
    let now = state.clock.now().timestamp();
    if number(&claims, "exp").is_none_or(|exp| exp <= now) {
        return Err(GraphError::unauthorized(
            "Lifetime validation failed, the token is expired.",
        ));
    }
    if number(&claims, "nbf").is_some_and(|nbf| nbf > now + SKEW_SECONDS) {
        return Err(GraphError::unauthorized(
            "Lifetime validation failed, the token is not yet valid.",
        ));
    }
    if text(&claims, "iss") != Some(state.issuer().as_str()) {
        return Err(GraphError::unauthorized(
            "Access token validation failure. Invalid issuer.",
        ));
    }
    // The tenant's cloud's Graph: a token for another cloud's Graph is not for this one.
    let graph = state.cloud().graph;
    if !text(&claims, "aud").is_some_and(|a| crate::cloud::same(a, graph)) {
        return Err(GraphError::unauthorized(
            "Access token validation failure. Invalid audience.",
        ));
    }
    let user = text(&claims, "oid")
        .and_then(|oid| state.find_user(oid))
        .ok_or_else(|| {
            GraphError::unauthorized(
                "Access token validation failure. The user does not exist in the tenant.",
            )
        })?;
    let scopes = text(&claims, "scp")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    Ok(Caller {
        user,
        scopes,
        amr: strings(&claims, "amr"),
        acrs: strings(&claims, "acrs"),
        xms_cc: strings(&claims, "xms_cc"),
    })
}

fn strings(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    claims
        .get(name)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn text<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

fn number(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    claims.get(name).and_then(Value::as_i64)
}
