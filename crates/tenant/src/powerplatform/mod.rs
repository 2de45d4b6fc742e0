//! Power Platform API (contract §3.1, §3.2 Option A), served under `/powerplatform`, i.e. the
//! emulator's `https://api.powerplatform.com`. Tokens must be for that audience.
//!
//! Error envelope (UNCONFIRMED in the contract; chosen after the two observed 403 bodies):
//! `{"code": "...", "message": "...", "innererror": {"code": "...", "message": "..."}}`, flat,
//! with `innererror` only where there is a more specific reason.

mod apply;
mod envs;
mod outcome;

pub use outcome::ApplyOutcome;

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::bearer::{self, Bearer};
use crate::state::AppState;

pub const API_VERSIONS: [&str; 2] = ["2022-03-01-preview", "2024-10-01"];

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/environmentmanagement/environments", get(envs::list))
        .route("/environmentmanagement/environments/{id}", get(envs::one))
        .route(
            "/usermanagement/environments/{id}/user/applyAdminRole",
            post(apply::apply_admin_role),
        )
        .fallback(|| async {
            PpError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                "The requested resource does not exist.",
            )
            .into_response()
        })
}

#[derive(Debug)]
pub struct PpError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub inner: Option<(&'static str, String)>,
}

impl PpError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> PpError {
        PpError {
            status,
            code,
            message: message.into(),
            inner: None,
        }
    }

    pub fn with_inner(mut self, code: &'static str, message: impl Into<String>) -> PpError {
        self.inner = Some((code, message.into()));
        self
    }
}

/// How applyAdminRole's refusals are written (`applyAdminRoleErrorShape`). Clients have met
/// more than the flat envelope: the Azure-style wrapped one, a bare JSON string and plain text.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ErrorShape {
    /// `{"code","message","innererror"?}`
    #[default]
    Flat,
    /// `{"error":{"code","message","innererror"?}}`
    Wrapped,
    /// `"message"`
    String,
    /// `message` as `text/plain`
    Text,
}

impl PpError {
    pub fn shaped(self, shape: ErrorShape) -> Response {
        let status = self.status;
        match shape {
            ErrorShape::Flat => self.into_response(),
            ErrorShape::Wrapped => {
                let mut body = json!({"code": self.code, "message": self.message});
                if let (Some((c, m)), Some(map)) = (self.inner, body.as_object_mut()) {
                    map.insert("innererror".into(), json!({"code": c, "message": m}));
                }
                (status, Json(json!({ "error": body }))).into_response()
            }
            ErrorShape::String => (status, Json(json!(self.message))).into_response(),
            ErrorShape::Text => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                self.message,
            )
                .into_response(),
        }
    }
}

impl IntoResponse for PpError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let (Some((c, m)), Some(map)) = (self.inner, body.as_object_mut()) {
            map.insert("innererror".into(), json!({"code": c, "message": m}));
        }
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut r = (self.status, Json(body)).into_response();
        if unauthorized {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

/// `api-version` must be one the service knows (both documented ones are accepted).
pub fn api_version(raw_query: &str) -> Result<(), PpError> {
    api_version_in(raw_query, &API_VERSIONS)
}

/// `api-version` must be one of `known`; the refusal names them, as the real gateway does.
pub fn api_version_in<S: AsRef<str>>(raw_query: &str, known: &[S]) -> Result<(), PpError> {
    let given = url::form_urlencoded::parse(raw_query.as_bytes())
        .find(|(k, _)| k == "api-version")
        .map(|(_, v)| v.into_owned());
    let listed = known
        .iter()
        .map(|v| v.as_ref())
        .collect::<Vec<_>>()
        .join("', '");
    match given {
        Some(v) if known.iter().any(|k| k.as_ref() == v) => Ok(()),
        Some(v) => Err(PpError::new(
            StatusCode::BAD_REQUEST,
            "ApiVersionInvalid",
            format!("The api-version '{v}' is invalid. The supported versions are '{listed}'."),
        )),
        None => Err(PpError::new(
            StatusCode::BAD_REQUEST,
            "ApiVersionInvalid",
            format!(
                "The api-version query parameter is required. The supported versions are '{listed}'."
            ),
        )),
    }
}

/// The caller, holding a Power Platform API token with `scope`.
pub fn caller<'a>(
    state: &'a AppState,
    headers: &axum::http::HeaderMap,
    scope: &str,
) -> Result<Bearer<'a>, PpError> {
    let b = bearer::verify(
        state,
        headers,
        bearer::audience_is(state.cloud().powerplatform),
    )
    .map_err(|e| PpError::new(StatusCode::UNAUTHORIZED, "Unauthorized", e.message()))?;
    if !b.has_scope(scope) {
        return Err(PpError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "The caller is not authorized to perform the request.",
        )
        .with_inner(
            "InsufficientDelegatedPermissions",
            format!(
                "Application missing required delegated permissions: [{scope}, All.All.ReadWrite]"
            ),
        ));
    }
    Ok(b)
}

/// A GUID, or `Default-{GUID}` for the default environment.
pub fn well_formed_id(id: &str) -> bool {
    let guid = id
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("default-"))
        .map_or(id, |_| &id[8..]);
    uuid::Uuid::parse_str(guid).is_ok() && guid.len() == 36
}

/// `latencyMs`: the service's processing time, for benchmarks.
pub async fn processing_time(state: &AppState) {
    let ms = state.settings().latency_ms;
    if ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
}
