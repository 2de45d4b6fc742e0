//! The Entra error envelope (contract §1.4) and the catalogue of AADSTS errors the emulator
//! produces. Wording follows what real Entra sends, so clients can be tested on real text.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::correlation::CorrelationId;
use crate::state::AppState;

/// What every Entra answer needs to say where and when it happened.
pub struct Ctx {
    pub correlation_id: String,
    pub trace_id: String,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn new(state: &AppState, correlation: &CorrelationId) -> Ctx {
        Ctx {
            correlation_id: correlation.0.clone(),
            trace_id: uuid::Uuid::new_v4().to_string(),
            now: state.clock.now(),
        }
    }

    /// A token-endpoint answer: the JSON or the Entra error envelope, never cacheable.
    pub fn uncached(&self, answer: Result<serde_json::Value, EntraError>) -> Response {
        match answer {
            Ok(value) => {
                let mut response = axum::Json(value).into_response();
                no_store(&mut response);
                response
            }
            Err(e) => e.to_response(self),
        }
    }

    pub fn timestamp(&self) -> String {
        self.now.format("%Y-%m-%d %H:%M:%SZ").to_string()
    }
}

#[derive(Debug, Clone)]
pub struct EntraError {
    pub status: StatusCode,
    pub error: &'static str,
    pub code: u32,
    pub message: String,
    pub suberror: Option<&'static str>,
    /// A claims challenge for the client to pass to its next interactive sign-in.
    pub claims: Option<String>,
}

impl EntraError {
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> EntraError {
        EntraError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
            suberror: None,
            claims: None,
        }
    }

    /// `AADSTSnnnnn: text` plus the three trace lines every real description ends with.
    pub fn description(&self, ctx: &Ctx) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.code,
            self.message,
            ctx.trace_id,
            ctx.correlation_id,
            ctx.timestamp()
        )
    }

    pub fn headline(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.message)
    }

    pub fn error_uri(&self) -> String {
        format!("https://login.microsoftonline.com/error?code={}", self.code)
    }

    pub fn to_response(&self, ctx: &Ctx) -> Response {
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(ctx),
            "error_codes": [self.code],
            "timestamp": ctx.timestamp(),
            "trace_id": ctx.trace_id,
            "correlation_id": ctx.correlation_id,
            "error_uri": self.error_uri(),
        });
        if let (Some(sub), Some(map)) = (self.suberror, body.as_object_mut()) {
            map.insert("suberror".into(), json!(sub));
        }
        if let (Some(claims), Some(map)) = (&self.claims, body.as_object_mut()) {
            map.insert("claims".into(), json!(claims));
        }
        let mut response = (self.status, axum::Json(body)).into_response();
        no_store(&mut response);
        response
    }
}

/// Token-endpoint answers must never be cached by anything in between.
pub fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

// ---- the catalogue ----

pub fn missing(param: &str) -> EntraError {
    EntraError::new(
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{param}'."),
    )
}

pub fn malformed(detail: &str) -> EntraError {
    EntraError::new(
        "invalid_request",
        9002313,
        format!("Invalid request. Request is malformed or invalid. {detail}")
            .trim_end()
            .to_string(),
    )
}

pub fn duplicated(param: &str) -> EntraError {
    EntraError::new(
        "invalid_request",
        9000411,
        format!("The request is not properly formatted. The parameter '{param}' is duplicated."),
    )
}

pub fn tenant_not_found(tenant: &str) -> EntraError {
    EntraError::new("invalid_request", 90002, format!(
        "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
    ))
}

pub fn common_not_supported(app_id: &str, app_name: &str) -> EntraError {
    EntraError::new("invalid_request", 50194, format!(
        "Application '{app_id}'({app_name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant."
    ))
}

pub fn app_not_found(app_id: &str, tenant_name: &str) -> EntraError {
    EntraError::new("unauthorized_client", 700016, format!(
        "Application with identifier '{app_id}' was not found in the directory '{tenant_name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
    ))
}

pub fn redirect_mismatch(uri: &str, app_id: &str) -> EntraError {
    EntraError::new("invalid_request", 50011, format!(
        "The redirect URI '{uri}' specified in the request does not match the redirect URIs configured for the application '{app_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."
    ))
}

pub fn public_client_with_secret() -> EntraError {
    EntraError {
        status: StatusCode::UNAUTHORIZED,
        ..EntraError::new("invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
    }
}

pub fn confidential_client_without_secret() -> EntraError {
    EntraError {
        status: StatusCode::UNAUTHORIZED,
        ..EntraError::new("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
    }
}

pub fn unsupported_grant(grant: &str) -> EntraError {
    EntraError::new(
        "unsupported_grant_type",
        70003,
        format!("The app requested an unsupported grant type '{grant}'."),
    )
}

pub fn unsupported_response_type(value: &str) -> EntraError {
    EntraError::new(
        "unsupported_response_type",
        700054,
        format!("response_type '{value}' is not enabled for the application."),
    )
}

pub fn invalid_scope(scope: &str) -> EntraError {
    EntraError::new("invalid_scope", 70011, format!(
        "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '{scope}' is not valid."
    ))
}

pub fn resource_not_found(resource: &str, tenant_name: &str) -> EntraError {
    EntraError::new("invalid_resource", 500011, format!(
        "The resource principal named {resource} was not found in the tenant named {tenant_name}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
    ))
}

pub fn consent_required(app_id: &str, app_name: &str) -> EntraError {
    EntraError {
        suberror: Some("consent_required"),
        ..EntraError::new("invalid_grant", 65001, format!(
            "The user or administrator has not consented to use the application with ID '{app_id}' named '{app_name}'. Send an interactive authorization request for this user and resource."
        ))
    }
}

pub fn user_declined() -> EntraError {
    EntraError::new(
        "access_denied",
        65004,
        "User declined to consent to access the app.",
    )
}

pub fn login_required() -> EntraError {
    EntraError::new(
        "login_required",
        50058,
        "A silent sign-in request was sent but no user is signed in.",
    )
}

pub fn bad_code_challenge() -> EntraError {
    EntraError::new(
        "invalid_request",
        501491,
        "Invalid size of Code_Challenge parameter.",
    )
}

pub fn verifier_mismatch() -> EntraError {
    EntraError::new("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
}

pub fn invalid_code() -> EntraError {
    EntraError::new(
        "invalid_grant",
        70000,
        "The provided value for the 'code' parameter is not valid.",
    )
}

pub fn code_redeemed() -> EntraError {
    EntraError::new("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
}

pub fn grant_expired() -> EntraError {
    EntraError::new("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
}

pub fn reply_address_mismatch(given: &str, original: &str) -> EntraError {
    EntraError::new("invalid_grant", 500112, format!(
        "The reply address '{given}' does not match the reply address '{original}' provided when requesting Authorization code."
    ))
}

pub fn refresh_token_malformed() -> EntraError {
    EntraError::new(
        "invalid_grant",
        9002313,
        "Invalid request. Request is malformed or invalid.",
    )
}

pub fn refresh_token_inactive(issued: DateTime<Utc>, lifetime_seconds: i64) -> EntraError {
    EntraError::new("invalid_grant", 700082, format!(
        "The refresh token has expired due to inactivity. The token was issued on {} and was inactive for {}.",
        issued.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        timespan(lifetime_seconds)
    ))
}

pub fn refresh_token_revoked(issued: DateTime<Utc>, valid_from: DateTime<Utc>) -> EntraError {
    EntraError::new("invalid_grant", 50173, format!(
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{}'.",
        issued.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        valid_from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    ))
}

pub fn refresh_token_used() -> EntraError {
    EntraError::new("invalid_grant", 70000, "The provided value for the 'refresh_token' parameter is not valid. It was already redeemed and this tenant revokes refresh tokens on use.")
}

pub fn authorization_pending() -> EntraError {
    EntraError::new("authorization_pending", 70016, "The provided request has not yet been authorized by the user. The user must input their code.")
}

pub fn slow_down() -> EntraError {
    EntraError::new("slow_down", 50196, "The server terminated an operation because it encountered a client request loop. Poll no faster than the interval.")
}

pub fn authorization_declined() -> EntraError {
    EntraError::new(
        "authorization_declined",
        65004,
        "User declined to consent to access the app.",
    )
}

pub fn bad_verification_code() -> EntraError {
    EntraError::new(
        "bad_verification_code",
        70018,
        "The provided value for the input parameter 'device_code' is not valid.",
    )
}

pub fn device_code_expired() -> EntraError {
    EntraError::new("expired_token", 70019, "Verification code expired.")
}

pub fn device_code_redeemed() -> EntraError {
    EntraError::new("invalid_grant", 70000, "The provided value for the 'device_code' parameter is not valid. It has already been redeemed.")
}

/// .NET TimeSpan text ("90.00:00:00"), which is how Entra prints the inactivity window.
fn timespan(seconds: i64) -> String {
    let s = seconds.max(0);
    format!(
        "{}.{:02}:{:02}:{:02}",
        s / 86400,
        (s % 86400) / 3600,
        (s % 3600) / 60,
        s % 60
    )
}
