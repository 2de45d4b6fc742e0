//! The middleware that applies fault rules. `/_emulator` is never faulted, so a test can always
//! reach the controls.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::state::AppState;

use super::Fault;

/// Bodies are read whole before being cut or slowed; no emulator answer comes near this.
const MAX_BODY: usize = 64 * 1024 * 1024;

pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path == "/_emulator" || path.starts_with("/_emulator/") {
        return next.run(req).await;
    }
    let decision = state.platform.faults.decide(req.method().as_str(), &path);
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    match decision.action {
        None | Some(Fault::Latency { .. }) => next.run(req).await,
        Some(Fault::Throttle {
            retry_after_seconds,
            status,
            without_retry_after,
        }) => throttled(&path, status, retry_after_seconds, without_retry_after),
        Some(Fault::Html { status }) => captive_portal(status),
        Some(Fault::Error { status, message }) => {
            let message = message.unwrap_or_else(|| {
                "The service is temporarily unavailable (injected fault).".into()
            });
            envelope(&path, status, "ServiceUnavailable", &message)
        }
        Some(Fault::Drop { after_bytes }) => dropped(next.run(req).await, after_bytes).await,
        Some(Fault::LostAnswer { status }) => {
            drop(next.run(req).await);
            envelope(
                &path,
                status,
                "GatewayTimeout",
                "The gateway did not receive an answer in time (injected fault).",
            )
        }
        Some(Fault::MalformedJson) => malformed(next.run(req).await).await,
        Some(Fault::SlowBody {
            chunk_bytes,
            delay_ms,
        }) => slowed(next.run(req).await, chunk_bytes, delay_ms).await,
    }
}

fn throttled(
    path: &str,
    status: u16,
    retry_after_seconds: u64,
    without_retry_after: bool,
) -> Response {
    let message = format!("Rate limit is exceeded. Try again in {retry_after_seconds} seconds.");
    let mut r = envelope(path, status, "TooManyRequests", &message);
    if without_retry_after {
        return r;
    }
    if let Ok(v) = HeaderValue::from_str(&retry_after_seconds.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// A hotel Wi-Fi sign-in page where the service's JSON should be.
fn captive_portal(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let page = "<!DOCTYPE html><html><head><title>Contoso Guest Wi-Fi</title></head>\
        <body><h1>Sign in to continue</h1><form method=post action=/portal>\
        <input name=user><button>Connect</button></form></body></html>";
    let mut r = (status, page).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// The answer's first `after_bytes`, then the connection aborted.
async fn dropped(response: Response, after_bytes: usize) -> Response {
    let (parts, bytes) = collect(response).await;
    let head = bytes.slice(..after_bytes.min(bytes.len()));
    // The pause lets the head and the first bytes reach the client before the abort,
    // so the drop happens mid-body rather than before the status line.
    let stream = futures::stream::unfold(Some(head), |head| async move {
        match head {
            Some(h) => Some((Ok(h), None)),
            None => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let e = std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "injected fault: connection dropped",
                );
                Some((Err(e), None))
            }
        }
    });
    let mut r = Response::from_parts(parts, Body::from_stream(stream));
    r.headers_mut().remove(header::CONTENT_LENGTH);
    r
}

/// The answer cut in half: JSON that does not parse.
async fn malformed(response: Response) -> Response {
    let (mut parts, bytes) = collect(response).await;
    let broken = if bytes.len() >= 2 {
        bytes.slice(..bytes.len() / 2)
    } else {
        Bytes::from_static(b"{\"value\": [")
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(broken))
}

/// The answer in `chunk_bytes` pieces, `delay_ms` apart.
async fn slowed(response: Response, chunk_bytes: usize, delay_ms: u64) -> Response {
    let (mut parts, bytes) = collect(response).await;
    parts.headers.remove(header::CONTENT_LENGTH);
    let step = chunk_bytes.max(1);
    let stream = futures::stream::unfold(0usize, move |at| {
        let bytes = bytes.clone();
        async move {
            if at >= bytes.len() {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            let end = (at + step).min(bytes.len());
            Some((Ok::<Bytes, std::io::Error>(bytes.slice(at..end)), end))
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

async fn collect(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// An injected refusal in the error envelope of the service the path belongs to.
pub fn envelope(path: &str, status: u16, code: &str, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = if path.starts_with("/dataverse/") {
        // Dataverse words a throttle as its request-count limit (contract §4.5).
        if status == StatusCode::TOO_MANY_REQUESTS {
            let m =
                "Number of requests exceeded the limit of 6000 over time window of 300 seconds.";
            json!({"error": {"code": "0x80072322", "message": m}})
        } else {
            json!({"error": {"code": "0x80040216", "message": message}})
        }
    } else if path.starts_with("/powerplatform/") {
        json!({"code": code, "message": message})
    } else if path.starts_with("/login/") {
        json!({"error": "temporarily_unavailable", "error_description": message})
    } else {
        json!({"error": {"code": code, "message": message}})
    };
    (status, Json(body)).into_response()
}
