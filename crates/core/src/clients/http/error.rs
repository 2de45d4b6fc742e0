//! `ServiceError`: what went wrong with one call, in the terms of the HTTP layer, and its
//! plain-words form for the UI.

use crate::api::{ApiError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceErrorKind {
    /// No answer: DNS, connection refused or dropped, timeout.
    Network,
    /// 429 (or 503 with Retry-After) and the retries ran out.
    Throttled,
    /// 401: the token was refused.
    Unauthorized,
    /// A claims challenge (CAE, Conditional Access) that a silent token renewal could not
    /// meet: only a new sign-in can.
    SignInRequired,
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
    /// A 2xx whose body is larger than `MAX_BODY_BYTES`; reading stopped there.
    TooLarge,
    /// Something between Elevate and Microsoft answered instead: a redirect (to a captive
    /// portal's sign-in, a proxy's block page) or a web page where JSON belongs.
    InterceptedByNetwork,
    /// The proxy wants credentials Elevate does not have, or refused the ones it has (407).
    ProxyAuthRequired,
    /// No answer before the call's deadline (`Http::deadline`), retries included.
    TimedOut { seconds: u64 },
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
    pub(crate) fn new(kind: ServiceErrorKind, message: impl Into<String>) -> Self {
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

    /// A 401 that asks for claims (`error="insufficient_claims"`), not merely a bad token.
    pub fn is_claims_challenge(&self) -> bool {
        self.kind == ServiceErrorKind::Unauthorized && self.claims_challenge.is_some()
    }

    /// A plain-words error for the UI; feature code maps the specific codes it knows first.
    pub fn to_api_error(&self, what: &str) -> ApiError {
        let (code, msg) = match self.kind {
            ServiceErrorKind::Network => (
                ErrorCode::Network,
                format!(
                    "Elevate could not reach {what}. Check your network or proxy, then try again: Settings → Check connection shows which step fails."
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
            ServiceErrorKind::SignInRequired => (
                ErrorCode::InteractionRequired,
                format!(
                    "Your organization needs you to sign in again before {what} can continue (a security policy changed, or your session was ended). Sign out, sign in again, then retry."
                ),
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
            ServiceErrorKind::TooLarge => (
                ErrorCode::Service,
                format!(
                    "{what} sent an answer too large for Elevate to read (more than {} MB). Try again later; if it keeps happening, tell IT and include the correlation id.",
                    super::MAX_BODY_BYTES / (1024 * 1024)
                ),
            ),
            ServiceErrorKind::InterceptedByNetwork => (
                ErrorCode::Network,
                "Your network answered with a sign-in page instead of Microsoft's answer. Sign in to your network (or ask IT about the proxy), then try again.".to_string(),
            ),
            ServiceErrorKind::ProxyAuthRequired => (
                ErrorCode::Network,
                "Your network's proxy asks for a user name and password that Elevate does not have, or refused the ones it has. Ask IT to set the proxy credentials in Elevate's managed configuration (or in HTTPS_PROXY), then try again.".to_string(),
            ),
            ServiceErrorKind::TimedOut { seconds } => (
                ErrorCode::Network,
                format!(
                    "{what} did not answer within {seconds} {}. Check your network, then try again.",
                    if seconds == 1 { "second" } else { "seconds" }
                ),
            ),
        };
        self.explained(code, msg)
    }

    /// What the service said, for the error's details: its code (when it gave one) and
    /// its message.
    pub fn detail(&self) -> String {
        if self.code.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.code, self.message)
        }
    }

    /// `message` for the UI, with the service's own words (`detail`) and correlation id
    /// attached: how a feature words a refusal it knows.
    pub fn explained(&self, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::new(code, message)
            .with_detail(self.detail())
            .with_correlation_id(self.correlation_id.clone())
    }
}
