//! The one HTTP layer every service client uses.
//!
//! - Retries what is safe to retry: 429 and 503 after `Retry-After` (seconds, fractional
//!   allowed, or an HTTP-date; capped) for any request; 504, other 5xx and dropped
//!   connections with exponential backoff (or their `Retry-After`) only for idempotent
//!   requests (the caller says so; `applyAdminRole` is idempotent, PIM requests not).
//! - Sends a `client-request-id` and `x-ms-correlation-id` per logical call and reports the
//!   server's correlation id with every failure, so support can find the request.
//! - Reads Graph (`{error:{code,message}}`), Power Platform (`{code,message,innererror}`) and
//!   Dataverse (`{error:{code,message}}`) envelopes into one `ServiceError`.
//! - Does not follow redirects: a redirect, or a web page where JSON belongs, is a captive
//!   portal or a proxy answering in Microsoft's place, and is named so.
//! - Bounds what one call may cost: an answer is read up to `MAX_BODY_BYTES`, and all its
//!   attempts and waits together end at `Http::deadline` (`CALL_DEADLINE`).
//! - Answers a claims challenge (401 `insufficient_claims`, CAE or Conditional Access) once:
//!   a new token for the claims from the call's `TokenSource`, then the same request again. A
//!   401 means the service did nothing, so this holds for requests that are not idempotent.
//! - Never logs bodies or headers (tokens and personal data live there).

use std::time::Duration;

use tokio::time::Instant;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::network::SharedClient;
use crate::secret::Secret;

mod challenge;
mod error;
mod read;
mod token;

pub use error::{ServiceError, ServiceErrorKind};
pub use read::envelope;
use read::read;
pub use token::TokenSource;

/// The most of one answer Elevate reads. The largest page it asks for (Dataverse's 5000
/// users with their roles) is a few MB; anything far bigger is not an answer to Elevate's
/// question (a proxy's download, a service gone wrong), and buffering it whole could take
/// the app's memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The longest one logical call may take, retries and waits included: long enough for one
/// slow answer (a single request may take 60 s) and a retry, short enough that a dead
/// service does not leave a screen spinning for minutes.
pub const CALL_DEADLINE: Duration = Duration::from_secs(90);

#[derive(Clone)]
pub struct Http {
    /// Shared with the sign-in, and replaced when the proxy settings change.
    client: SharedClient,
    pub max_attempts: u32,
    /// The longest single wait; a longer Retry-After ends the retries (the UI says "busy").
    pub max_retry_after: Duration,
    pub base_backoff: Duration,
    /// How long one logical call may take in all (`CALL_DEADLINE`); tests shorten it.
    pub deadline: Duration,
}

impl Default for Http {
    fn default() -> Self {
        Self::new()
    }
}

pub struct Call<'a> {
    pub method: Method,
    pub url: &'a str,
    pub token: &'a dyn TokenSource,
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
    // ServiceError is the one error of every call; boxing it here alone would buy nothing.
    #[allow(clippy::result_large_err)]
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
    /// With the OS proxy settings and trust store.
    pub fn new() -> Self {
        Self::with_client(SharedClient::default())
    }

    pub fn with_client(client: SharedClient) -> Self {
        Self {
            client,
            max_attempts: 4,
            max_retry_after: Duration::from_secs(60),
            base_backoff: Duration::from_millis(500),
            deadline: CALL_DEADLINE,
        }
    }

    pub async fn send(&self, call: Call<'_>) -> Result<Answer, ServiceError> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let started = Instant::now();
        // The fields are public: a deadline too far to represent is no deadline, not a panic.
        let deadline = started
            .checked_add(self.deadline)
            .unwrap_or_else(|| started + Duration::from_secs(365 * 24 * 3600));
        let first = call.token.current();
        let err = match self
            .attempts(&call, &first, &request_id, started, deadline)
            .await
        {
            Err(e) if e.is_claims_challenge() => e,
            other => return other,
        };
        let claims = err.claims_challenge.clone().unwrap_or_default();
        let renewed = match tokio::time::timeout_at(deadline, call.token.renew(&claims)).await {
            Err(_) => return Err(self.out_of_time(1)),
            Ok(Ok(Some(token))) => token,
            Ok(Ok(None)) => return Err(err),
            Ok(Err(mut e)) => {
                tracing::info!(kind = ?e.kind, "a claims challenge could not be met silently");
                e.claims_challenge = err.claims_challenge;
                e.correlation_id = e.correlation_id.or(err.correlation_id);
                return Err(e);
            }
        };
        match self
            .attempts(&call, &renewed, &request_id, started, deadline)
            .await
        {
            // One answer per challenge: a token minted for the claims that is refused again
            // will not do better a second time, and a loop here would never end.
            Err(mut e) if e.is_claims_challenge() => {
                tracing::info!("the service challenged the token minted for its claims");
                e.kind = ServiceErrorKind::SignInRequired;
                Err(e)
            }
            other => other,
        }
    }

    /// The request with `token`, sent again while what failed is safe and worth retrying.
    async fn attempts(
        &self,
        call: &Call<'_>,
        token: &Secret,
        request_id: &str,
        started: Instant,
        deadline: Instant,
    ) -> Result<Answer, ServiceError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = self
                .client
                .client()
                .request(call.method.clone(), call.url)
                .bearer_auth(token.expose())
                .header("client-request-id", request_id)
                .header("x-ms-correlation-id", request_id)
                .header("Accept", "application/json");
            for (k, v) in call.headers {
                req = req.header(*k, v);
            }
            if let Some(b) = call.body {
                req = req.json(b);
            }
            let attempt_outcome = async {
                match req.send().await {
                    Ok(resp) => read(resp).await,
                    Err(e) => {
                        let why = without_url(&e);
                        let kind = if is_proxy_auth(&why) {
                            ServiceErrorKind::ProxyAuthRequired
                        } else {
                            ServiceErrorKind::Network
                        };
                        Err((ServiceError::new(kind, why), None))
                    }
                }
            };
            let Ok(outcome) = tokio::time::timeout_at(deadline, attempt_outcome).await else {
                return Err(self.out_of_time(attempt));
            };
            let (mut err, retry_after) = match outcome {
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
                None => backoff(self.base_backoff, attempt)
                    .min(self.max_retry_after)
                    .saturating_add(jitter()),
            };
            if Instant::now()
                .checked_add(wait)
                .is_none_or(|t| t >= deadline)
            {
                // The last failure says best what went wrong; the note says why it is final.
                err.message = format!(
                    "{} (gave up after {} s; attempts: {attempt})",
                    err.message,
                    started.elapsed().as_secs()
                );
                return Err(err);
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, kind = ?err.kind, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    fn out_of_time(&self, attempts: u32) -> ServiceError {
        let seconds = self.deadline.as_secs_f64().ceil() as u64;
        ServiceError::new(
            ServiceErrorKind::TimedOut { seconds },
            format!("no answer within {seconds} s; attempts: {attempts}"),
        )
    }
}

/// `base` doubled per attempt, saturating: `max_attempts` is the caller's to set.
fn backoff(base: Duration, attempt: u32) -> Duration {
    base.saturating_mul(1u32.checked_shl(attempt - 1).unwrap_or(u32::MAX))
}

fn jitter() -> Duration {
    Duration::from_millis(rand::random::<u64>() % 250)
}

/// A proxy that answered CONNECT with 407: hyper-util's tunnel error is not public, its
/// words are the only trace.
pub(crate) fn is_proxy_auth(reason: &str) -> bool {
    reason.contains("proxy authorization required")
}

/// The client requests go through: the self-test uses the same.
impl Http {
    pub fn shared(&self) -> &SharedClient {
        &self.client
    }
}

/// reqwest errors name the URL; ours may carry ids but never secrets. Keep the reason only.
pub(crate) fn without_url(e: &reqwest::Error) -> String {
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

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
