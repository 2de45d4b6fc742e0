use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The closed set of error codes the UI may branch on. Add a variant only when a screen
/// needs to react differently to it; otherwise pick the nearest one and say more in `message`.
// Deserialize too: the journal stores the code a failure was reported with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// Something the user typed or picked is not acceptable; nothing was sent.
    InvalidInput,
    /// No account is signed in, or the session ended and a new sign-in is needed.
    NotSignedIn,
    /// The user closed or cancelled the sign-in.
    SignInCancelled,
    /// The sign-in was not completed in time.
    SignInTimedOut,
    /// Entra ID refused the sign-in (wrong app registration, consent missing, policy).
    SignInFailed,
    /// Another sign-in is needed, e.g. with MFA, before the action can go on.
    InteractionRequired,
    /// The service could not be reached (network, proxy, emulator down).
    Network,
    /// The service answered with a failure of its own (5xx, malformed answer).
    Service,
    /// The service asked us to slow down and retries ran out.
    Throttled,
    /// The signed-in account is not allowed to do this.
    Forbidden,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The OS credential store cannot be used; the session is kept in memory only.
    CredentialStore,
    /// Elevate's settings are incomplete or invalid.
    Config,
    /// A bug: please report it with the correlation id.
    Internal,
}

/// The one error shape that crosses IPC: `{code, message, detail?, correlationId?}`.
/// `message` is written for a non-technical admin and says what to do next.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
            correlation_id: None,
        }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    pub fn with_correlation_id(mut self, id: Option<String>) -> Self {
        self.correlation_id = id;
        self
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_is_pinned() {
        let e = ApiError::new(ErrorCode::SignInTimedOut, "The sign-in took too long.")
            .with_correlation_id(Some("abc".into()));
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "signInTimedOut", "message": "The sign-in took too long.", "correlationId": "abc"})
        );
    }
}
