//! The one HTTP layer every service client uses.
//!
//! - Retries what is safe to retry: 429/503/504 after `Retry-After` (seconds, fractional
//!   allowed, capped), other 5xx and dropped connections with exponential backoff — only for
//!   idempotent requests (the caller says so; `applyAdminRole` is idempotent, PIM requests not).
//! - Sends a `client-request-id` and `x-ms-correlation-id` per logical call and reports the
//!   server's correlation id with every failure, so support can find the request.
//! - Reads Graph (`{error:{code,message}}`), Power Platform (`{code,message,innererror}`) and
//!   Dataverse (`{error:{code,message}}`) envelopes into one `ServiceError`.
//! - Never logs bodies or headers (tokens and personal data live there).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::api::{ApiError, ErrorCode};
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceErrorKind {
    /// No answer: DNS, connection refused or dropped, timeout.
    Network,
    /// 429 (or 503 with Retry-After) and the retries ran out.
    Throttled,
    /// 401: the token was refused.
    Unauthorized,
    /// 403
    Forbidden,
    /// 404
    NotFound,
    /// Other 4xx: the service refused the request; `code` says why.
    Refused,
    /// 5xx after retries.
    Server,
    /// A 2xx whose body is not what the contract says.
    Malformed,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{kind:?} {status:?} {code}: {message}")]
pub struct ServiceError {
    pub kind: ServiceErrorKind,
    pub status: Option<u16>,
    /// The service's own code (`RoleAssignmentExists`, `0x80072322`, `Forbidden`…), or "".
    pub code: String,
    pub message: String,
    /// `innererror.code` where the service gives one (`InsufficientPrincipalPermissions`).
    pub inner_code: Option<String>,
    pub correlation_id: Option<String>,
    /// From `WWW-Authenticate` (claims challenge) when present.
    pub claims_challenge: Option<String>,
}

impl ServiceError {
    fn new(kind: ServiceErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            status: None,
            code: String::new(),
            message: message.into(),
            inner_code: None,
            correlation_id: None,
            claims_challenge: None,
        }
    }

    /// A plain-words error for the UI; feature code maps the specific codes it knows first.
    pub fn to_api_error(&self, what: &str) -> ApiError {
        let (code, msg) = match self.kind {
            ServiceErrorKind::Network => (
                ErrorCode::Network,
                format!(
                    "Elevate could not reach {what}. Check your network or proxy, then try again."
                ),
            ),
            ServiceErrorKind::Throttled => (
                ErrorCode::Throttled,
                format!(
                    "{what} is busy and asked Elevate to slow down. Wait a minute, then try again."
                ),
            ),
            ServiceErrorKind::Unauthorized => (
                ErrorCode::NotSignedIn,
                format!("{what} did not accept your sign-in. Sign out and sign in again."),
            ),
            ServiceErrorKind::Forbidden => (
                ErrorCode::Forbidden,
                format!("{what} says your account is not allowed to do this."),
            ),
            ServiceErrorKind::NotFound => (
                ErrorCode::NotFound,
                format!("{what} could not find it. It may have been deleted or renamed."),
            ),
            ServiceErrorKind::Refused => (
                ErrorCode::InvalidInput,
                format!("{what} refused the request."),
            ),
            ServiceErrorKind::Server => (
                ErrorCode::Service,
                format!("{what} had a problem of its own. Try again in a few minutes."),
            ),
            ServiceErrorKind::Malformed => (
                ErrorCode::Service,
                format!("{what} sent an answer Elevate did not understand."),
            ),
        };
        let detail = if self.code.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.code, self.message)
        };
        ApiError::new(code, msg)
            .with_detail(detail)
            .with_correlation_id(self.correlation_id.clone())
    }
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    pub max_attempts: u32,
    /// The longest single wait; a longer Retry-After ends the retries (the UI says "busy").
    pub max_retry_after: Duration,
    pub base_backoff: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub token: &'a Secret,
    pub body: Option<&'a serde_json::Value>,
    pub headers: &'a [(&'static str, String)],
    /// Safe to send again after a failure whose outcome is unknown.
    pub idempotent: bool,
}

/// A successful answer: the body and the service's correlation id.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub correlation_id: Option<String>,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ServiceError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let mut err = ServiceError::new(
                ServiceErrorKind::Malformed,
                format!("unexpected answer: {e}"),
            );
            err.correlation_id = self.correlation_id.clone();
            err
        })
    }
}

impl Http {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Elevate/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("reqwest client");
        Self {
            client,
            max_attempts: 4,
            max_retry_after: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
        }
    }

    pub async fn send(&self, call: Call<'_>) -> Result<Answer, ServiceError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self
                .client
                .request(call.method.clone(), call.url)
                .bearer_auth(call.token.expose())
                .header("client-request-id", &request_id)
                .header("x-ms-correlation-id", &request_id)
                .header("Accept", "application/json");
            for (k, v) in call.headers {
                req = req.header(*k, v);
            }
            if let Some(b) = call.body {
                req = req.json(b);
            }
            let outcome = match req.send().await {
                Ok(resp) => read(resp).await,
                Err(e) => Err((
                    ServiceError::new(ServiceErrorKind::Network, without_url(&e)),
                    None,
                )),
            };
            let (err, retry_after) = match outcome {
                Ok(answer) => return Ok(answer),
                Err(x) => x,
            };
            let retryable = match err.kind {
                ServiceErrorKind::Throttled => true,
                ServiceErrorKind::Server | ServiceErrorKind::Network => call.idempotent,
                // A body cut mid-way on a read is worth one more try.
                ServiceErrorKind::Malformed => call.idempotent,
                _ => false,
            };
            if !retryable || attempt >= self.max_attempts {
                return Err(err);
            }
            let wait = match retry_after {
                Some(w) if w > self.max_retry_after => return Err(err),
                Some(w) => w,
                None => self.base_backoff * 2u32.pow(attempt - 1) + jitter(),
            };
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, kind = ?err.kind, "retrying");
            tokio::time::sleep(wait).await;
        }
    }
}

fn jitter() -> Duration {
    Duration::from_millis(rand::random::<u64>() % 250)
}

/// reqwest errors name the URL; ours may carry ids but never secrets. Keep the reason only.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "the connection failed".to_string()
    };
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

async fn read(resp: reqwest::Response) -> Result<Answer, (ServiceError, Option<Duration>)> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let correlation_id =
        header(&headers, "x-ms-correlation-id").or_else(|| header(&headers, "request-id"));
    let retry_after = header(&headers, "retry-after")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64);
    let body = match resp.bytes().await {
        Ok(b) => b.to_vec(),
        Err(e) => {
            let mut err = ServiceError::new(
                if status.is_success() {
                    ServiceErrorKind::Malformed
                } else {
                    ServiceErrorKind::Network
                },
                without_url(&e),
            );
            err.status = Some(status.as_u16());
            err.correlation_id = correlation_id;
            return Err((err, None));
        }
    };
    if status.is_success() {
        return Ok(Answer {
            status: status.as_u16(),
            body,
            correlation_id,
            headers,
        });
    }
    let kind = match status {
        StatusCode::TOO_MANY_REQUESTS => ServiceErrorKind::Throttled,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT if retry_after.is_some() => {
            ServiceErrorKind::Throttled
        }
        StatusCode::UNAUTHORIZED => ServiceErrorKind::Unauthorized,
        StatusCode::FORBIDDEN => ServiceErrorKind::Forbidden,
        StatusCode::NOT_FOUND => ServiceErrorKind::NotFound,
        s if s.is_server_error() => ServiceErrorKind::Server,
        _ => ServiceErrorKind::Refused,
    };
    let (code, message, inner_code) = envelope(&body);
    let err = ServiceError {
        kind,
        status: Some(status.as_u16()),
        code,
        message: if message.is_empty() {
            status.canonical_reason().unwrap_or("error").to_string()
        } else {
            message
        },
        inner_code,
        correlation_id,
        claims_challenge: header(&headers, "www-authenticate")
            .and_then(|w| claims_from_www_authenticate(&w)),
    };
    Err((err, retry_after))
}

fn header(h: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

/// `(code, message, innererror.code)` from any of the services' error bodies.
pub fn envelope(body: &[u8]) -> (String, String, Option<String>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (String::new(), String::new(), None);
    };
    let obj = if v.get("error").is_some_and(|e| e.is_object()) {
        &v["error"]
    } else {
        &v
    };
    let s = |x: &serde_json::Value| x.as_str().map(str::to_string);
    let code = s(&obj["code"]).unwrap_or_default();
    let message = s(&obj["message"]).unwrap_or_default();
    let inner = obj
        .get("innererror")
        .or_else(|| obj.get("innerError"))
        .and_then(|i| s(&i["code"]));
    (code, message, inner)
}

fn claims_from_www_authenticate(w: &str) -> Option<String> {
    let i = w.find("claims=\"")? + 8;
    let rest = &w[i..];
    let claims = &rest[..rest.find('"')?];
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(claims)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .or_else(|| Some(claims.to_string()))
}

#[cfg(test)]
mod tests;
