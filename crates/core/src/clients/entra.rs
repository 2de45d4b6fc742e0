//! The Entra ID v2.0 OAuth client, built on the `oauth2` crate with Entra's own error and
//! token-response fields (AADSTS codes, `suberror`, `claims`, `id_token`).

use std::fmt;

use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, ClientId, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet, ErrorResponse,
    ExtraTokenFields, RedirectUrl, RequestTokenError, StandardRevocableToken,
    StandardTokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, ErrorCode};
use crate::auth::AuthError;

pub(crate) mod oauth_http;

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct EntraTokenFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}
impl ExtraTokenFields for EntraTokenFields {}

pub type EntraTokenResponse = StandardTokenResponse<EntraTokenFields, BasicTokenType>;

/// Entra's error body (contract §1.4).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct EntraError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u64>,
    #[serde(default)]
    pub suberror: Option<String>,
    #[serde(default)]
    pub claims: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
}

impl fmt::Display for EntraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(code) = self.error_codes.first() {
            write!(f, " (AADSTS{code})")?;
        }
        Ok(())
    }
}
impl ErrorResponse for EntraError {}

impl EntraError {
    pub fn has_code(&self, code: u64) -> bool {
        self.error_codes.contains(&code)
    }

    /// The first line of `error_description` (without trace/correlation lines).
    pub fn summary(&self) -> String {
        self.error_description
            .as_deref()
            .unwrap_or(&self.error)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// Entra could not answer just now (`temporarily_unavailable`, `server_error`, which
    /// its 5xx answers carry): try again later; the sign-in itself is fine.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.error.as_str(),
            "temporarily_unavailable" | "server_error"
        )
    }

    /// Errors after which only a new interactive sign-in helps.
    pub fn needs_interaction(&self) -> bool {
        matches!(
            self.error.as_str(),
            "invalid_grant" | "interaction_required" | "login_required" | "consent_required"
        )
    }

    pub fn to_api_error(&self) -> ApiError {
        let (code, message) = match self.error_codes.first().copied() {
            Some(50011) => (ErrorCode::SignInFailed, "The app registration does not allow Elevate's sign-in address. Ask your administrator to add the redirect URI http://localhost (Mobile and desktop applications)."),
            Some(700016) => (ErrorCode::Config, "The application (client) ID is not registered in this tenant. Check the IDs in Settings."),
            Some(90002) => (ErrorCode::Config, "This tenant was not found. Check the directory (tenant) ID in Settings."),
            Some(700025) | Some(7000218) => (ErrorCode::Config, "The app registration is not set up as a public client. Ask your administrator to turn on \"Allow public client flows\"."),
            Some(65001) => (ErrorCode::SignInFailed, "An administrator has not yet consented to Elevate's permissions. Send them the admin-consent link from Settings."),
            Some(53003) => (ErrorCode::Forbidden, "Conditional Access blocked this sign-in. Ask your administrator which device or location is allowed."),
            Some(70008) | Some(700082) | Some(50173) | Some(70043) => (ErrorCode::NotSignedIn, "Your sign-in has expired. Please sign in again."),
            Some(50076) | Some(50079) => (ErrorCode::InteractionRequired, "Your organization requires multi-factor authentication for this. Sign in again to confirm."),
            Some(54005) | Some(501481) => (ErrorCode::SignInFailed, "The sign-in could not be completed. Please try again."),
            _ if self.is_transient() => (ErrorCode::Network, "The Microsoft sign-in service is not answering right now. Nothing was lost: try again in a few minutes."),
            _ => (ErrorCode::SignInFailed, "Entra ID refused the sign-in. The details below say why; your administrator can help."),
        };
        ApiError::new(code, message)
            .with_detail(self.summary())
            .with_correlation_id(self.correlation_id.clone())
    }
}

pub type EntraClient = oauth2::Client<
    EntraError,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

pub fn client(
    client_id: &str,
    authorize: String,
    token: String,
    devicecode: String,
    redirect: Option<String>,
) -> Result<EntraClient, AuthError> {
    let bad = |e: url::ParseError| AuthError::Config(format!("invalid sign-in URL: {e}"));
    let mut c = oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_auth_uri(AuthUrl::new(authorize).map_err(bad)?)
        .set_token_uri(TokenUrl::new(token).map_err(bad)?)
        .set_device_authorization_url(DeviceAuthorizationUrl::new(devicecode).map_err(bad)?);
    if let Some(r) = redirect {
        c = c.set_redirect_uri(RedirectUrl::new(r).map_err(bad)?);
    }
    Ok(c)
}

/// The HTTP client for Entra: no redirects (an OAuth client must not follow them), with the
/// OS proxy settings and trust store. The app shares its own (`Authenticator::with_network`).
pub fn http_client() -> oauth_http::OAuthHttp {
    oauth_http::OAuthHttp::default()
}

pub fn map_token_error<RE: std::error::Error + 'static>(
    e: RequestTokenError<RE, EntraError>,
) -> AuthError {
    match e {
        RequestTokenError::ServerResponse(err) => {
            if err.needs_interaction()
                && !matches!(err.error_codes.first(), Some(54005) | Some(501481))
            {
                AuthError::InteractionRequired {
                    reason: err.summary(),
                    claims: err.claims.clone(),
                }
            } else {
                AuthError::Server(Box::new(err))
            }
        }
        RequestTokenError::Request(re) => AuthError::Network(error_chain(&re)),
        RequestTokenError::Parse(pe, _body) => AuthError::Protocol(pe.to_string()),
        RequestTokenError::Other(s) => AuthError::Protocol(s),
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
