//! Every response of every service carries `x-ms-correlation-id`. Like the real services we
//! echo the caller's id (`x-ms-correlation-id` or `client-request-id`) so a support ticket can
//! be matched end to end; otherwise we mint one. Also the one place requests are logged.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

pub const HEADER: &str = "x-ms-correlation-id";

#[derive(Clone, Debug)]
pub struct CorrelationId(pub String);

pub async fn layer(mut req: Request, next: Next) -> Response {
    let id = [HEADER, "client-request-id"]
        .iter()
        .find_map(|name| req.headers().get(*name).and_then(usable))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(CorrelationId(id.clone()));
    let method = req.method().clone();
    // The path only: query strings can carry codes and hints that must not reach a log.
    let path = req.uri().path().to_string();
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    tracing::info!(%method, %path, status = response.status().as_u16(), correlation_id = %id);
    response
}

/// Only short printable ids are echoed; anything else is replaced by a fresh one.
fn usable(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?.trim();
    let ok = !text.is_empty() && text.len() <= 128 && text.chars().all(|c| c.is_ascii_graphic());
    ok.then(|| text.to_string())
}
