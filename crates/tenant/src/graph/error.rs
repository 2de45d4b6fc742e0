//! The Graph error envelope (contract §2.8) and the ids every Graph response carries.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::state::AppState;

pub struct GraphCtx {
    pub request_id: String,
    pub client_request_id: Option<String>,
    pub now: DateTime<Utc>,
    /// Where a client should go for a new token (Graph's `WWW-Authenticate`).
    pub authorization_uri: String,
}

impl GraphCtx {
    pub fn new(state: &AppState, headers: &HeaderMap) -> GraphCtx {
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_graphic()))
            .map(str::to_string);
        GraphCtx {
            request_id: uuid::Uuid::new_v4().to_string(),
            client_request_id,
            now: state.clock.now(),
            authorization_uri: format!(
                "{}/login/{}/oauth2/v2.0/authorize",
                state.base_url, state.scenario.tenant.id
            ),
        }
    }

    pub fn respond(&self, status: StatusCode, body: Value) -> Response {
        self.with_ids((status, Json(body)).into_response())
    }

    /// A bodiless answer (`204 No Content`) with the same ids.
    pub fn respond_empty(&self, status: StatusCode) -> Response {
        self.with_ids(status.into_response())
    }

    fn with_ids(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.request_id) {
            headers.insert("request-id", v);
        }
        if let Some(v) = self
            .client_request_id
            .as_deref()
            .and_then(|c| HeaderValue::from_str(c).ok())
        {
            headers.insert("client-request-id", v);
        }
        response
    }
}

#[derive(Debug)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> GraphError {
        GraphError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> GraphError {
        GraphError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    pub fn to_response(&self, ctx: &GraphCtx) -> Response {
        let mut inner = json!({
            "date": ctx.now.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "request-id": ctx.request_id,
        });
        if let (Some(c), Some(map)) = (&ctx.client_request_id, inner.as_object_mut()) {
            map.insert("client-request-id".into(), json!(c));
        }
        let body =
            json!({"error": {"code": self.code, "message": self.message, "innerError": inner}});
        let mut response = ctx.respond(self.status, body);
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = format!(
                r#"Bearer realm="", authorization_uri="{}", client_id="00000003-0000-0000-c000-000000000000""#,
                ctx.authorization_uri
            );
            if let Ok(v) = HeaderValue::from_str(&challenge) {
                response.headers_mut().insert("www-authenticate", v);
            }
        }
        response
    }
}
