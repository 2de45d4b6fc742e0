//! The Dataverse error envelope (contract §4.5): `{"error":{"code":"0x…","message":"…"}}`,
//! the hex code unrelated to the HTTP status. 401 has no body, only `WWW-Authenticate`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub struct DvError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
    /// For 401: where to get a token (`authorization_uri`, `resource_id`).
    pub challenge: Option<String>,
}

impl DvError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> DvError {
        DvError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            challenge: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> DvError {
        DvError::new(StatusCode::BAD_REQUEST, "0x80060888", message)
    }

    pub fn not_found(entity: &str, id: &str) -> DvError {
        DvError::new(
            StatusCode::NOT_FOUND,
            "0x80040217",
            format!("Entity '{entity}' With Id = {id} Does Not Exist"),
        )
    }

    pub fn unauthorized(authority: &str, resource: &str) -> DvError {
        let mut e = DvError::new(StatusCode::UNAUTHORIZED, "", "");
        e.challenge = Some(format!(
            "Bearer authorization_uri={authority}/oauth2/authorize, resource_id={resource}/"
        ));
        e
    }
}

impl IntoResponse for DvError {
    fn into_response(self) -> Response {
        let mut r = if self.status == StatusCode::UNAUTHORIZED {
            self.status.into_response()
        } else {
            (
                self.status,
                Json(json!({"error": {"code": self.code, "message": self.message}})),
            )
                .into_response()
        };
        let h = r.headers_mut();
        h.insert("odata-version", HeaderValue::from_static("4.0"));
        if let Some(v) = self
            .retry_after
            .and_then(|s| HeaderValue::from_str(&s.to_string()).ok())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        if let Some(v) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            h.insert(header::WWW_AUTHENTICATE, v);
        }
        r
    }
}
