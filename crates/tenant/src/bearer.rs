//! The one bearer-token check every service runs (Graph, Power Platform, BAP, Dataverse):
//! signature, lifetime by the emulator clock, issuer, audience, user. The failure is a value
//! so each service words it in its own envelope (Graph's texts are in `graph/auth.rs`).

use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

use crate::jwt::JwtError;
use crate::scenario::User;
use crate::state::AppState;

const SKEW_SECONDS: i64 = 300;

pub struct Bearer<'a> {
    pub user: &'a User,
    pub scopes: Vec<String>,
    /// How the user signed in (`pwd`, `mfa`), the authentication contexts satisfied (`acrs`)
    /// and the client's declared capabilities (`xms_cc`): what PIM's step-up rules look at.
    pub amr: Vec<String>,
    pub acrs: Vec<String>,
    pub xms_cc: Vec<String>,
}

impl Bearer<'_> {
    pub fn has_scope(&self, wanted: &str) -> bool {
        self.scopes.iter().any(|s| s.eq_ignore_ascii_case(wanted))
    }

    pub fn has_any_scope(&self, wanted: &[&str]) -> bool {
        wanted.iter().any(|w| self.has_scope(w))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerError {
    Missing,
    Malformed,
    BadSignature,
    Expired,
    NotYetValid,
    WrongIssuer,
    WrongAudience,
    UnknownUser,
}

impl BearerError {
    pub fn message(self) -> &'static str {
        match self {
            BearerError::Missing => "The request does not carry a bearer token.",
            BearerError::Malformed => "The bearer token is not a well-formed JWT.",
            BearerError::BadSignature => "The bearer token's signature is invalid.",
            BearerError::Expired => "The bearer token has expired.",
            BearerError::NotYetValid => "The bearer token is not valid yet.",
            BearerError::WrongIssuer => {
                "The bearer token was issued by another tenant or authority."
            }
            BearerError::WrongAudience => "The bearer token's audience is not this service.",
            BearerError::UnknownUser => "The token's user does not exist in the tenant.",
        }
    }
}

/// Checks the `Authorization: Bearer …` header; `audience_ok` decides on `aud`.
pub fn verify<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    audience_ok: impl Fn(&str) -> bool,
) -> Result<Bearer<'a>, BearerError> {
    let token = token(headers).unwrap_or("");
    if token.is_empty() {
        return Err(BearerError::Missing);
    }
    let claims = state.keys.verify(token).map_err(|e| match e {
        JwtError::Malformed => BearerError::Malformed,
        JwtError::BadSignature => BearerError::BadSignature,
    })?;
    let now = state.clock.now().timestamp();
    if number(&claims, "exp").is_none_or(|exp| exp <= now) {
        return Err(BearerError::Expired);
    }
    if number(&claims, "nbf").is_some_and(|nbf| nbf > now + SKEW_SECONDS) {
        return Err(BearerError::NotYetValid);
    }
    if text(&claims, "iss") != Some(state.issuer().as_str()) {
        return Err(BearerError::WrongIssuer);
    }
    if !text(&claims, "aud").is_some_and(&audience_ok) {
        return Err(BearerError::WrongAudience);
    }
    let user = text(&claims, "oid")
        .and_then(|oid| state.find_user(oid))
        .ok_or(BearerError::UnknownUser)?;
    let scopes = text(&claims, "scp")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    Ok(Bearer {
        user,
        scopes,
        amr: strings(&claims, "amr"),
        acrs: strings(&claims, "acrs"),
        xms_cc: strings(&claims, "xms_cc"),
    })
}

/// The token of an `Authorization: Bearer …` header, if the request carries one.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    let raw = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    match raw.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => Some(rest.trim()),
        _ => None,
    }
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

/// An audience check that ignores a trailing slash and case, as the services do.
pub fn audience_is(expected: &str) -> impl Fn(&str) -> bool + '_ {
    move |aud: &str| {
        aud.trim_end_matches('/')
            .eq_ignore_ascii_case(expected.trim_end_matches('/'))
    }
}

fn text<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

fn number(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    claims.get(name).and_then(Value::as_i64)
}
