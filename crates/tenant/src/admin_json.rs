//! The admin API's JSON in and out (`/_emulator/…`): one error shape and one body reader for
//! every handler, whichever service's switch it steers.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::json;

/// `{"error": {"code", "message"}}` with `status`.
pub fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message.into()}})),
    )
        .into_response()
}

pub fn bad_request(message: impl Into<String>) -> Response {
    refuse(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// 404 `UserNotFound`: the admin call names a user the scenario does not have.
pub fn no_such_user(name: &str) -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        "UserNotFound",
        format!("No user '{name}' in this scenario."),
    )
}

/// A refusal on its way out of a handler's helpers; boxed, as a `Response` is large.
pub struct Refused(Box<Response>);

impl From<Response> for Refused {
    fn from(r: Response) -> Refused {
        Refused(Box::new(r))
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// [`refuse`] for helpers that return `Result<_, Refused>`.
pub fn refused(status: StatusCode, code: &str, message: impl Into<String>) -> Refused {
    refuse(status, code, message).into()
}

/// The body read as `T`, or the 400 naming `what` could not be read ("JSON body", "fault rules").
pub fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Refused> {
    serde_json::from_slice(body).map_err(|e| bad_request(format!("Invalid {what}: {e}")).into())
}

/// A handler's JSON body; one that does not parse as `T` is answered with 400
/// "Invalid JSON body: …" before the handler runs.
pub struct AdminJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AdminJson<T> {
    type Rejection = Refused;

    async fn from_request(req: Request, state: &S) -> Result<Self, Refused> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| Refused::from(e.into_response()))?;
        parse(&body, "JSON body").map(AdminJson)
    }
}
