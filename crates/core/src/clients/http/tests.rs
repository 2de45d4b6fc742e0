use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use axum::Router;

use super::*;
use crate::api::ErrorCode;

/// A server that answers the scripted responses in order, then 200 `{"ok":true}`.
async fn server(
    script: Vec<(u16, Vec<(&'static str, &'static str)>, &'static str)>,
) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let script = Arc::new(script);
    let app = Router::new().fallback(any(move |headers: HeaderMap| {
        let (h, script) = (h.clone(), script.clone());
        async move {
            assert!(headers
                .get("authorization")
                .is_some_and(|v| v == "Bearer tkn"));
            assert!(headers.get("client-request-id").is_some());
            let n = h.fetch_add(1, Ordering::SeqCst);
            match script.get(n) {
                Some((status, hdrs, body)) => {
                    let mut r =
                        (StatusCode::from_u16(*status).unwrap(), body.to_string()).into_response();
                    for (k, v) in hdrs {
                        r.headers_mut().insert(*k, v.parse().unwrap());
                    }
                    r
                }
                None => ([("x-ms-correlation-id", "corr-ok")], r#"{"ok":true}"#).into_response(),
            }
        }
    }));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, hits)
}

fn http() -> Http {
    let mut h = Http::new();
    h.base_backoff = Duration::from_millis(10);
    h
}

fn call<'a>(url: &'a str, token: &'a Secret, method: Method, idempotent: bool) -> Call<'a> {
    Call {
        method,
        url,
        token,
        body: None,
        headers: &[],
        idempotent,
    }
}

#[tokio::test]
async fn honours_retry_after_then_succeeds() {
    let (url, hits) = server(vec![(
        429,
        vec![("retry-after", "0.05")],
        r#"{"error":{"code":"TooManyRequests","message":"Please retry again later."}}"#,
    )])
    .await;
    let t = Secret::new("tkn");
    let started = std::time::Instant::now();
    let a = http()
        .send(call(&url, &t, Method::POST, false))
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "waited as told"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "throttling is retried even for non-idempotent calls: nothing happened"
    );
    assert_eq!(a.correlation_id.as_deref(), Some("corr-ok"));
    assert_eq!(a.json::<serde_json::Value>().unwrap()["ok"], true);
}

#[tokio::test]
async fn server_errors_are_retried_only_when_idempotent() {
    let script = || {
        vec![
            (500, vec![("x-ms-correlation-id", "c-1")], ""),
            (502, vec![], ""),
            (500, vec![], ""),
            (500, vec![("x-ms-correlation-id", "c-4")], ""),
        ]
    };
    let (url, hits) = server(script()).await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::POST, false))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, hits.load(Ordering::SeqCst)),
        (ServiceErrorKind::Server, 1)
    );
    assert_eq!(e.correlation_id.as_deref(), Some("c-1"));

    let (url, hits) = server(script()).await;
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 4, "max_attempts");
    assert_eq!(e.correlation_id.as_deref(), Some("c-4"));
    let api = e.to_api_error("Microsoft Graph");
    assert_eq!(api.code, ErrorCode::Service);
    assert_eq!(api.correlation_id.as_deref(), Some("c-4"));

    let (url, hits) = server(vec![(503, vec![], "")]).await;
    http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_after_too_long_ends_at_once() {
    let (url, hits) = server(vec![(429, vec![("retry-after", "3600")], r#"{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}"#)]).await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(e.kind, ServiceErrorKind::Throttled);
    assert_eq!(e.code, "0x80072322");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(e.to_api_error("Dataverse").code, ErrorCode::Throttled);
}

#[tokio::test]
async fn envelopes_of_every_service_are_read() {
    let (url, _) = server(vec![
        (400, vec![], r#"{"error":{"code":"RoleAssignmentExists","message":"The Role assignment already exists.","innerError":{"date":"x"}}}"#),
        (403, vec![], r#"{"code":"Forbidden","message":"The caller is not authorized to perform the request.","innererror":{"code":"InsufficientPrincipalPermissions","message":"…"}}"#),
        (404, vec![], "not json"),
    ])
    .await;
    let t = Secret::new("tkn");
    let h = http();
    let e = h
        .send(call(&url, &t, Method::POST, false))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.code.as_str(), e.status),
        (ServiceErrorKind::Refused, "RoleAssignmentExists", Some(400))
    );
    let e = h
        .send(call(&url, &t, Method::POST, false))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.inner_code.as_deref()),
        (
            ServiceErrorKind::Forbidden,
            Some("InsufficientPrincipalPermissions")
        )
    );
    let e = h
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ServiceErrorKind::NotFound, "not json"),
        "plain text is the message"
    );
}

#[tokio::test]
async fn bare_strings_are_messages_and_markup_is_not() {
    let (url, _) = server(vec![
        (
            403,
            vec![("content-type", "application/json")],
            r#""Unable to assign System Administrator""#,
        ),
        (
            400,
            vec![("content-type", "text/plain")],
            "  Bad api-version  ",
        ),
        (
            502,
            vec![("content-type", "text/html")],
            "<html><body>502 Bad Gateway</body></html>",
        ),
    ])
    .await;
    let t = Secret::new("tkn");
    let h = http();
    let mut read = Vec::new();
    for _ in 0..3 {
        let e = h
            .send(call(&url, &t, Method::POST, false))
            .await
            .err()
            .unwrap();
        read.push((e.status, e.code, e.message));
    }
    assert_eq!(
        read,
        [
            (
                Some(403),
                String::new(),
                "Unable to assign System Administrator".to_string()
            ),
            (Some(400), String::new(), "Bad api-version".to_string()),
            (Some(502), String::new(), "Bad Gateway".to_string()),
        ]
    );
}

#[tokio::test]
async fn unreachable_and_malformed() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/x");
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::GET, false))
        .await
        .err()
        .unwrap();
    assert_eq!(e.kind, ServiceErrorKind::Network);
    assert!(!e.message.contains("tkn"));
    let (url, _) = server(vec![(200, vec![], "{\"value\": [")]).await;
    let a = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .unwrap();
    assert_eq!(
        a.json::<serde_json::Value>().err().unwrap().kind,
        ServiceErrorKind::Malformed
    );
}

mod challenge;
mod intercepted;
mod limits;
mod retry;
