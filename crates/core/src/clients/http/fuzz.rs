//! Property tests of the http layer's readers (issue #17, point 17): error envelopes,
//! `Retry-After`, `WWW-Authenticate` claims challenges, whole answers from a service that
//! sends anything, and OData next links. Here rather than in `crate::fuzz` because the
//! readers are private to this module.

use std::sync::Mutex;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use serde_json::json;

use super::*;
use crate::fuzz::server::{self, Canned, Server};
use crate::fuzz::{any_json, body_of, check, plain, text};

fn envelopes() -> Vec<serde_json::Value> {
    vec![
        json!({"error": {"code": "RoleAssignmentExists", "message": "The Role assignment already exists.", "innerError": {"date": "2024-01-01T00:00:00", "request-id": "r", "client-request-id": "c"}}}),
        json!({"code": "Forbidden", "message": "The caller does not have permission.", "innererror": {"code": "InsufficientPrincipalPermissions"}}),
        json!({"error": {"code": "0x80072322", "message": "Principal user is missing prvReadSystemUser privilege"}}),
        json!("Authorization has been denied for this request."),
    ]
}

#[test]
fn fuzz_error_envelopes() {
    check("error envelopes", body_of(envelopes()), |body| {
        let (code, message, inner) = envelope(&body);
        // Whatever the body, what comes out is bounded text: a message is never the
        // megabytes a broken gateway sent.
        prop_assert!(message.chars().count() <= body.len().max(1001));
        let _ = (code, inner);
        Ok(())
    });
}

fn now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        Just(Utc::now()),
        Just(DateTime::<Utc>::MIN_UTC),
        Just(DateTime::<Utc>::MAX_UTC),
        (-62_000_000_000i64..250_000_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap()),
    ]
}

#[test]
fn fuzz_retry_after() {
    let value = prop_oneof![
        text(),
        server::header_value().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
    ];
    check("Retry-After", (value, now()), |(v, now)| {
        let wait = read::retry_after(&v, now);
        if let Ok(s) = v.trim().parse::<f64>() {
            if s.is_finite() && s >= 0.0 {
                prop_assert_eq!(
                    wait,
                    Some(Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX))
                );
            } else {
                prop_assert_eq!(wait, None);
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_www_authenticate() {
    let values = proptest::collection::vec(server::challenge(), 1..4);
    check("WWW-Authenticate", values, |values| {
        let mut headers = HeaderMap::new();
        for v in &values {
            if let Ok(v) = HeaderValue::from_bytes(v) {
                headers.append(WWW_AUTHENTICATE, v);
            }
        }
        if let Some(claims) = challenge::claims_challenge(&headers) {
            // Only a JSON object is a claims request a token can be asked for.
            let v: serde_json::Value = serde_json::from_str(&claims)
                .map_err(|e| TestCaseError::fail(format!("claims not JSON: {e}")))?;
            prop_assert!(v.is_object());
        }
        Ok(())
    });
}

/// A token source that notes the claims it was asked for.
#[derive(Default)]
struct Noting(Mutex<Vec<String>>);

#[async_trait::async_trait]
impl TokenSource for Noting {
    fn current(&self) -> Secret {
        Secret::new("tkn".to_string())
    }
    async fn renew(&self, claims: &str) -> Result<Option<Secret>, ServiceError> {
        self.0.lock().unwrap().push(claims.to_string());
        Ok(None)
    }
}

fn answer() -> impl Strategy<Value = Canned> {
    let headers = proptest::collection::vec(
        prop_oneof![
            server::header_value().prop_map(|v| ("retry-after", v)),
            server::challenge().prop_map(|v| ("www-authenticate", v)),
            server::header_value().prop_map(|v| ("date", v)),
            prop_oneof![
                Just(b"application/json".to_vec()),
                Just(b"text/html; charset=utf-8".to_vec()),
                server::header_value()
            ]
            .prop_map(|v| ("content-type", v)),
            server::header_value().prop_map(|v| ("location", v)),
            server::header_value().prop_map(|v| ("x-ms-correlation-id", v)),
        ],
        0..4,
    );
    let body = prop_oneof![
        3 => body_of(envelopes()),
        1 => Just(b"<!DOCTYPE html><html><body>Sign in to the hotel Wi-Fi</body></html>".to_vec()),
        1 => any_json().prop_map(|v| v.to_string().into_bytes()),
    ];
    (server::status(), headers, body).prop_map(|(status, headers, body)| Canned {
        status,
        headers,
        body,
    })
}

#[test]
fn fuzz_whole_answers() {
    let srv = Server::start();
    let url = srv.url("v1.0/me");
    check("answers", answer(), move |canned| {
        srv.set(canned.clone());
        let token = Noting::default();
        let http = server::http();
        let out = srv.rt.block_on(http.send(Call {
            method: Method::GET,
            url: &url,
            token: &token,
            body: None,
            headers: &[],
            idempotent: true,
        }));
        match out {
            Ok(a) => prop_assert!(
                (200..300).contains(&a.status),
                "{} read as success",
                a.status
            ),
            Err(e) => {
                let api = e.to_api_error("Microsoft Graph");
                plain("the error's message", &api.message)?;
            }
        }
        for claims in token.0.lock().unwrap().iter() {
            let v: serde_json::Value = serde_json::from_str(claims)
                .map_err(|e| TestCaseError::fail(format!("claims not JSON: {e}")))?;
            prop_assert!(v.is_object());
        }
        Ok(())
    });
}

#[test]
fn fuzz_next_links() {
    let link = prop_oneof![
        text(),
        "(https?://)?[a-z.@:0-9/%?&=#\\\\]{0,40}",
        Just("https://graph.microsoft.com@evil.example/v1.0/x".to_string()),
        Just("//evil.example/x".to_string()),
        Just("https://graph.microsoft.com:443/v1.0/x?$skiptoken=1".to_string()),
    ];
    let base = "https://graph.microsoft.com/";
    let current = "https://graph.microsoft.com/v1.0/roleManagement/directory/x?$top=1";
    check("next links", link, move |next| {
        if let Some(u) = crate::clients::odata::next_page(base, current, &next) {
            let u = url::Url::parse(&u).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(u.host_str(), Some("graph.microsoft.com"));
            prop_assert_eq!(u.scheme(), "https");
            prop_assert_eq!(u.port_or_known_default(), Some(443));
            prop_assert!(u.username().is_empty() && u.password().is_none());
        }
        Ok(())
    });
}
