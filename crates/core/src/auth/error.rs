use crate::api::{ApiError, ErrorCode};

/// What can go wrong while signing in or getting a token.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the sign-in was cancelled")]
    Cancelled,
    #[error("the sign-in timed out")]
    TimedOut,
    /// Entra answered with an OAuth error (`invalid_grant`, AADSTS codes…).
    #[error("Entra ID refused: {0}")]
    Server(Box<super::entra::EntraError>),
    /// A new interactive sign-in is needed (refresh token expired/revoked, MFA, claims).
    #[error("interaction required: {reason}")]
    InteractionRequired {
        reason: String,
        claims: Option<String>,
    },
    #[error("the browser returned an error: {error}: {description}")]
    Browser { error: String, description: String },
    #[error("could not open the system browser: {0}")]
    BrowserLaunch(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("unexpected answer from Entra ID: {0}")]
    Protocol(String),
    /// The sign-in's ID token is not for this app, tenant or authority, or has expired.
    #[error("the sign-in answer was refused because {0}")]
    IdToken(String),
    #[error("no account is signed in")]
    NotSignedIn,
    #[error("{0}")]
    Config(String),
}

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        match e {
            AuthError::Cancelled => ApiError::new(ErrorCode::SignInCancelled, "Sign-in was cancelled."),
            AuthError::TimedOut => ApiError::new(
                ErrorCode::SignInTimedOut,
                "The sign-in was not finished in time. Select Sign in to try again.",
            ),
            AuthError::Server(err) => err.to_api_error(),
            AuthError::InteractionRequired { reason, .. } => ApiError::new(
                ErrorCode::InteractionRequired,
                "Your sign-in has expired or needs to be confirmed again. Please sign in.",
            )
            .with_detail(reason),
            AuthError::Browser { error, description } => {
                // Entra appends Trace/Correlation/Timestamp lines; the first line is the reason.
                let description = description.lines().next().unwrap_or_default().trim().to_string();
                if error == "access_denied" {
                    ApiError::new(ErrorCode::SignInCancelled, "Sign-in was cancelled in the browser.")
                        .with_detail(description)
                } else {
                    ApiError::new(
                        ErrorCode::SignInFailed,
                        "Entra ID could not sign you in. Check the details below or ask your administrator.",
                    )
                    .with_detail(format!("{error}: {description}"))
                }
            }
            AuthError::BrowserLaunch(d) => ApiError::new(
                ErrorCode::SignInFailed,
                "Elevate could not open your web browser. Copy the sign-in link and open it yourself.",
            )
            .with_detail(d),
            AuthError::Network(d) => ApiError::new(
                ErrorCode::Network,
                "Elevate could not reach the sign-in service. Check your network or proxy, then try again: Settings → Check connection shows which step fails.",
            )
            .with_detail(d),
            AuthError::Protocol(d) => ApiError::new(
                ErrorCode::Service,
                "The sign-in service sent an answer Elevate did not understand. Try again later.",
            )
            .with_detail(d),
            AuthError::IdToken(why) => ApiError::new(
                ErrorCode::SignInFailed,
                "Elevate did not accept this sign-in: the answer from the sign-in service was not meant for Elevate in your organization. Nothing was saved. Try again; if it happens again, tell your administrator (details below).",
            )
            .with_detail(format!("The sign-in answer was refused because {why}.")),
            AuthError::NotSignedIn => ApiError::new(ErrorCode::NotSignedIn, "You are not signed in."),
            AuthError::Config(d) => ApiError::new(ErrorCode::Config, d),
        }
    }
}
