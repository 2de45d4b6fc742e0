//! Signing in to Entra ID: authorization code + PKCE through the system browser with a
//! loopback redirect, device code as an opt-in, and refresh. The `TokenBroker` hands out
//! access tokens per resource; nothing in this module ever serialises a token.

pub mod broker;
pub mod browser;
pub mod claims;
mod error;
pub mod id_token;
pub mod logout;
pub mod loopback;
mod source;

use std::sync::Arc;
use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, RefreshToken, Scope, TokenResponse};
use tokio_util::sync::CancellationToken;
use url::Url;

pub use crate::clients::entra;
pub use crate::clients::entra::oauth_http::OAuthHttp;
pub use broker::{AccessToken, TokenBroker};
pub use browser::{Browser, SystemBrowser};
pub use error::AuthError;
pub use source::BrokerToken;

use crate::api::{SignInProgress, TenantKind};
use crate::cloud::{CloudProfile, GRAPH_RESOURCE};
use crate::secret::Secret;

/// Which tenant, through which app registration, in which cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantTarget {
    pub kind: TenantKind,
    /// GUID or verified domain, as it goes into the authority URL.
    pub tenant: String,
    pub client_id: String,
    pub profile: CloudProfile,
}

/// What a successful grant returns.
pub struct Grant {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub id_token: Option<Secret>,
    pub expires_in: Duration,
}

const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

pub struct Authenticator {
    http: OAuthHttp,
    browser: Arc<dyn Browser>,
    /// How long the user has to finish the sign-in in the browser.
    pub interactive_timeout: Duration,
}

impl Authenticator {
    pub fn new(browser: Arc<dyn Browser>) -> Self {
        Self {
            http: entra::http_client(),
            browser,
            interactive_timeout: Duration::from_secs(300),
        }
    }

    /// Token requests through `client`: the app's proxy and trust store.
    pub fn with_network(mut self, client: crate::clients::network::SharedClient) -> Self {
        self.http = OAuthHttp::new(client);
        self
    }

    fn client(
        &self,
        t: &TenantTarget,
        redirect: Option<String>,
    ) -> Result<entra::EntraClient, AuthError> {
        entra::client(
            &t.client_id,
            t.profile.oauth_endpoint(&t.tenant, "authorize"),
            t.profile.oauth_endpoint(&t.tenant, "token"),
            t.profile.oauth_endpoint(&t.tenant, "devicecode"),
            redirect,
        )
    }

    /// Authorization code + PKCE (S256) in the system browser. `claims` carries a
    /// claims challenge (step-up) when one was asked for.
    pub async fn sign_in_browser(
        &self,
        t: &TenantTarget,
        claims: Option<&str>,
        login_hint: Option<&str>,
        progress: &(dyn Fn(SignInProgress) + Send + Sync),
        cancel: CancellationToken,
    ) -> Result<Grant, AuthError> {
        let receiver = loopback::LoopbackReceiver::bind().await?;
        let redirect = receiver.redirect_uri();
        let client = self.client(t, Some(redirect))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let claims = with_client_capability(claims);
        let claims = Some(claims.as_str());
        let mut req = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(OIDC_SCOPES.iter().map(|s| Scope::new(s.to_string())))
            .add_scope(Scope::new(t.profile.default_scope(GRAPH_RESOURCE)))
            .set_pkce_challenge(challenge)
            .add_extra_param("prompt", "select_account");
        if let Some(c) = claims {
            req = req.add_extra_param("claims", c);
        }
        if let Some(h) = login_hint {
            req = req.add_extra_param("login_hint", h);
        }
        let (url, state) = req.url();
        check_same_origin(&url, &t.profile.authority)?;
        progress(SignInProgress::WaitingForBrowser {
            url: url.to_string(),
        });
        // A browser that cannot be opened is not fatal: the user can use the link shown.
        if let Err(e) = self.browser.open(&url) {
            tracing::warn!(error = %e, "could not open the system browser");
        }
        let code = receiver
            .receive(state.secret().clone(), self.interactive_timeout, cancel)
            .await?;
        progress(SignInProgress::Finishing);
        let mut exchange = client
            .exchange_code(AuthorizationCode::new(code.expose().to_string()))
            .set_pkce_verifier(verifier);
        if let Some(c) = claims {
            exchange = exchange.add_extra_param("claims", c);
        }
        let token = exchange
            .request_async(&self.http)
            .await
            .map_err(entra::map_token_error)?;
        Ok(grant(token))
    }

    /// Device code flow (RFC 8628), opt-in only: it is phishable, and many tenants block it.
    pub async fn sign_in_device_code(
        &self,
        t: &TenantTarget,
        progress: &(dyn Fn(SignInProgress) + Send + Sync),
        cancel: CancellationToken,
    ) -> Result<Grant, AuthError> {
        let client = self.client(t, None)?;
        let capability = with_client_capability(None);
        let details: oauth2::DeviceAuthorizationResponse<EntraDeviceFields> = client
            .exchange_device_code()
            .add_scopes(OIDC_SCOPES.iter().map(|s| Scope::new(s.to_string())))
            .add_scope(Scope::new(t.profile.default_scope(GRAPH_RESOURCE)))
            .add_extra_param("claims", capability.clone())
            .request_async(&self.http)
            .await
            .map_err(entra::map_token_error)?;
        progress(SignInProgress::WaitingForDeviceCode {
            verification_uri: details.verification_uri().to_string(),
            user_code: details.user_code().secret().clone(),
            message: details.extra_fields().message.clone().unwrap_or_default(),
        });
        let poll = client
            .exchange_device_access_token(&details)
            .add_extra_param("claims", capability)
            .request_async(&self.http, tokio::time::sleep, None);
        let token = tokio::select! {
            r = poll => r.map_err(|e| match e {
                oauth2::RequestTokenError::ServerResponse(r) => match r.error() {
                    oauth2::DeviceCodeErrorResponseType::AccessDenied => AuthError::Cancelled,
                    oauth2::DeviceCodeErrorResponseType::ExpiredToken => AuthError::TimedOut,
                    other => AuthError::Browser { error: format!("{other:?}"), description: r.error_description().cloned().unwrap_or_default() },
                },
                oauth2::RequestTokenError::Request(re) => AuthError::Network(re.to_string()),
                oauth2::RequestTokenError::Parse(pe, _) => AuthError::Protocol(pe.to_string()),
                oauth2::RequestTokenError::Other(s) if s.contains("timeout") => AuthError::TimedOut,
                oauth2::RequestTokenError::Other(s) => AuthError::Protocol(s),
            })?,
            _ = cancel.cancelled() => return Err(AuthError::Cancelled),
        };
        progress(SignInProgress::Finishing);
        Ok(grant(token))
    }

    /// Opens the cloud's sign-out page for the account in the system browser: this ends
    /// the browser's Microsoft session, which Elevate's own sign-out leaves alone.
    pub fn sign_out_of_browser(
        &self,
        t: &TenantTarget,
        logout_hint: Option<&str>,
    ) -> Result<(), AuthError> {
        let url = logout::logout_url(t, logout_hint)?;
        check_same_origin(&url, &t.profile.authority)?;
        self.browser.open(&url)
    }

    /// A token for `resource` from the refresh token (which may come back rotated). Every
    /// refresh declares `cp1`, not only those answering a challenge: Entra issues CAE tokens
    /// (and resources send claims challenges) only to a client that says it handles them.
    pub async fn refresh(
        &self,
        t: &TenantTarget,
        refresh_token: &Secret,
        resource: &str,
        claims: Option<&str>,
    ) -> Result<Grant, AuthError> {
        let client = self.client(t, None)?;
        let rt = RefreshToken::new(refresh_token.expose().to_string());
        let req = client
            .exchange_refresh_token(&rt)
            .add_scope(Scope::new(t.profile.default_scope(resource)))
            .add_scopes(OIDC_SCOPES.iter().map(|s| Scope::new(s.to_string())))
            .add_extra_param("claims", with_client_capability(claims));
        let token = req
            .request_async(&self.http)
            .await
            .map_err(entra::map_token_error)?;
        Ok(grant(token))
    }
}

/// The claims parameter with Elevate's client capability `cp1` declared: Elevate handles
/// claims challenges (PIM's authentication context needs `xms_cc` in the token), merged with
/// the challenge's own claims when there is one. A challenge that is not a JSON object is
/// passed on as is, for Entra to judge.
pub fn with_client_capability(challenge: Option<&str>) -> String {
    let mut v = match challenge.map(serde_json::from_str::<serde_json::Value>) {
        None => serde_json::json!({}),
        Some(Ok(v)) if v.is_object() => v,
        Some(_) => return challenge.unwrap_or_default().to_string(),
    };
    let at = v
        .as_object_mut()
        .expect("object")
        .entry("access_token")
        .or_insert_with(|| serde_json::json!({}));
    if let Some(o) = at.as_object_mut() {
        o.entry("xms_cc")
            .or_insert_with(|| serde_json::json!({"values": ["cp1"]}));
    }
    v.to_string()
}

#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct EntraDeviceFields {
    #[serde(default)]
    pub message: Option<String>,
}
impl oauth2::ExtraDeviceAuthorizationFields for EntraDeviceFields {}

fn grant(t: entra::EntraTokenResponse) -> Grant {
    Grant {
        access_token: Secret::new(t.access_token().secret().clone()),
        refresh_token: t.refresh_token().map(|r| Secret::new(r.secret().clone())),
        id_token: t.extra_fields().id_token.clone().map(Secret::new),
        expires_in: t.expires_in().unwrap_or(Duration::from_secs(3600)),
    }
}

/// The sign-in page must be on the configured authority, nowhere else.
fn check_same_origin(url: &Url, authority: &Url) -> Result<(), AuthError> {
    if url.origin() == authority.origin()
        && url
            .path()
            .starts_with(authority.path().trim_end_matches('/'))
    {
        Ok(())
    } else {
        Err(AuthError::Config(
            "the sign-in address is not on the configured authority".into(),
        ))
    }
}
