//! Reading one answer: status, headers and body into an `Answer` or a `ServiceError`.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use url::Url;

use super::{without_url, Answer, ServiceError, ServiceErrorKind, MAX_BODY_BYTES};

pub(super) async fn read(
    resp: reqwest::Response,
) -> Result<Answer, (ServiceError, Option<Duration>)> {
    let status = resp.status();
    let headers = resp.headers().clone();
    let correlation_id =
        header(&headers, "x-ms-correlation-id").or_else(|| header(&headers, "request-id"));
    let now = header(&headers, "date")
        .and_then(|d| http_date(&d))
        .unwrap_or_else(Utc::now);
    let retry_after = header(&headers, "retry-after").and_then(|v| retry_after(&v, now));
    let body = read_body(resp, status, &correlation_id).await?;
    if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
        let mut err = ServiceError::new(
            ServiceErrorKind::ProxyAuthRequired,
            "the proxy asked for credentials (407)",
        );
        err.status = Some(407);
        return Err((err, None));
    }
    if let Some(why) = intercepted(status, &headers, &body) {
        let mut err = ServiceError::new(ServiceErrorKind::InterceptedByNetwork, why);
        err.status = Some(status.as_u16());
        return Err((err, None));
    }
    if status.is_success() {
        return Ok(Answer {
            status: status.as_u16(),
            body,
            correlation_id,
            headers,
        });
    }
    Err((
        refusal(
            status,
            &headers,
            &body,
            correlation_id,
            retry_after.is_some(),
        ),
        retry_after,
    ))
}

/// The body, up to `MAX_BODY_BYTES`: a success cut there is an error (`TooLarge`), an
/// error's envelope is read from its start.
async fn read_body(
    resp: reqwest::Response,
    status: StatusCode,
    correlation_id: &Option<String>,
) -> Result<Vec<u8>, (ServiceError, Option<Duration>)> {
    match body(resp, MAX_BODY_BYTES).await {
        Ok((body, false)) => Ok(body),
        // An error's envelope is at its start; what follows does not change the error.
        Ok((body, true)) if !status.is_success() => Ok(body),
        Ok((_, true)) => {
            let mut err = ServiceError::new(
                ServiceErrorKind::TooLarge,
                format!("the answer is larger than {MAX_BODY_BYTES} bytes"),
            );
            err.status = Some(status.as_u16());
            err.correlation_id = correlation_id.clone();
            Err((err, None))
        }
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
            err.correlation_id = correlation_id.clone();
            Err((err, None))
        }
    }
}

/// A non-success answer as a `ServiceError`, with the service's own code and words.
fn refusal(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    correlation_id: Option<String>,
    has_retry_after: bool,
) -> ServiceError {
    let kind = match status {
        StatusCode::TOO_MANY_REQUESTS => ServiceErrorKind::Throttled,
        // A 503 with Retry-After is the service asking for a pause before it did anything. A
        // 504 is a gateway that stopped waiting while the service may have done it: it stays
        // a server error, sent again only when idempotent.
        StatusCode::SERVICE_UNAVAILABLE if has_retry_after => ServiceErrorKind::Throttled,
        StatusCode::UNAUTHORIZED => ServiceErrorKind::Unauthorized,
        StatusCode::FORBIDDEN => ServiceErrorKind::Forbidden,
        StatusCode::NOT_FOUND => ServiceErrorKind::NotFound,
        s if s.is_server_error() => ServiceErrorKind::Server,
        _ => ServiceErrorKind::Refused,
    };
    let (code, message, inner_code) = envelope(body);
    ServiceError {
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
        claims_challenge: super::challenge::claims_challenge(headers),
    }
}

/// Why the answer is not Microsoft's but a captive portal's or a filtering proxy's, if it
/// is: a redirect (Microsoft's APIs never redirect these calls; redirects are not followed,
/// so the token stays here), a 407/511 asking for the network's own sign-in, or a web page
/// where JSON belongs. 5xx, 401 and 429 keep their meaning: a gateway's HTML 502 is the
/// service's trouble, and 401/429 carry the sign-in challenge and Retry-After acted upon.
fn intercepted(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Option<String> {
    if status.is_redirection() {
        let to = header(headers, "location")
            .and_then(|l| Url::parse(&l).ok())
            .and_then(|u| u.host_str().map(str::to_string));
        return Some(match to {
            Some(host) => format!("redirected to {host}"),
            None => "redirected".to_string(),
        });
    }
    if matches!(
        status,
        StatusCode::PROXY_AUTHENTICATION_REQUIRED | StatusCode::NETWORK_AUTHENTICATION_REQUIRED
    ) {
        return Some(format!(
            "the network asked for its own sign-in ({})",
            status.as_u16()
        ));
    }
    let own_meaning = status.is_server_error()
        || matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
        );
    (!own_meaning && is_web_page(headers, body))
        .then(|| "a web page where a JSON answer belongs".to_string())
}

fn is_web_page(headers: &HeaderMap, body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.trim_ascii_start();
    if start.is_empty() {
        return false;
    }
    let html_type = header(headers, "content-type")
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    let head = start[..start.len().min(14)].to_ascii_lowercase();
    html_type || head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// The body up to `limit` bytes, read as it arrives, and whether there was more.
async fn body(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Ok((Vec::new(), true));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Microsoft sends
/// seconds, at times fractional; gateways and proxies send dates, counted from `now` (the
/// service's own clock where it sent one). Never panics: the background watch polls PIM
/// through here, and one odd header must not end it. A wait too long to represent is
/// `Duration::MAX` (too long to honour); anything unreadable is no advice at all.
pub(super) fn retry_after(v: &str, now: DateTime<Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<f64>() {
        if !s.is_finite() || s < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX));
    }
    let when = http_date(v)?;
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

/// IMF-fixdate, and the obsolete RFC 850 and asctime forms recipients must still read.
fn http_date(v: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc2822(v) {
        return Some(d.with_timezone(&Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .map(|d| d.and_utc())
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.to_string())
}

/// Words kept from an error body that is not an envelope (a bare string, plain text).
const BARE_MESSAGE_CHARS: usize = 1000;

/// `(code, message, innererror.code)` from any of the services' error bodies: the flat
/// `{code, message, innererror}`, the wrapped `{error: {…}}`, a bare JSON string, or plain
/// text (Power Platform has answered each; the words carry the reason Elevate explains).
pub fn envelope(body: &[u8]) -> (String, String, Option<String>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (String::new(), bare(&String::from_utf8_lossy(body)), None);
    };
    if let Some(text) = v.as_str() {
        return (String::new(), bare(text), None);
    }
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

/// Plain words, bounded; markup (a gateway's HTML page) is no message.
fn bare(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.starts_with('<') {
        return String::new();
    }
    let mut out: String = text.chars().take(BARE_MESSAGE_CHARS).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
