//! What one call may cost: the size of an answer and the time of all its attempts.

use axum::body::{Body, Bytes};

use super::*;

/// A server that answers every request with `app`; the URL to call.
async fn serve(app: Router) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    url
}

/// A JSON body that never ends, 64 KiB at a time (no Content-Length).
fn endless() -> Body {
    let chunk = Bytes::from(vec![b' '; 64 * 1024]);
    Body::from_stream(futures::stream::repeat_with(move || {
        Ok::<_, std::convert::Infallible>(chunk.clone())
    }))
}

/// Long enough for any test here to end on its own; a call still running then is a failure.
async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("the call ended on its own")
}

#[tokio::test]
async fn an_answer_too_large_is_refused_not_buffered() {
    let t = Secret::new("tkn");
    // Said up front (Content-Length) …
    let big = serve(Router::new().fallback(any(|| async {
        let mut body = b"{\"value\":[".to_vec();
        body.resize(MAX_BODY_BYTES + 1, b' ');
        ([("x-ms-correlation-id", "c-big")], body)
    })))
    .await;
    let e = within(http().send(call(&big, &t, Method::GET, true)))
        .await
        .err()
        .expect("too large");
    assert_eq!((e.kind, e.status), (ServiceErrorKind::TooLarge, Some(200)));
    assert_eq!(e.correlation_id.as_deref(), Some("c-big"));
    let api = e.to_api_error("Dataverse");
    assert_eq!(api.code, ErrorCode::Service);
    assert!(api.message.contains("too large"), "{}", api.message);

    // … or found while reading.
    let endless_ok = serve(Router::new().fallback(any(|| async { endless() }))).await;
    let e = within(http().send(call(&endless_ok, &t, Method::GET, true)))
        .await
        .err()
        .expect("too large");
    assert_eq!(e.kind, ServiceErrorKind::TooLarge);
}

#[tokio::test]
async fn a_huge_error_body_is_cut_and_the_error_kept() {
    let t = Secret::new("tkn");
    let url =
        serve(Router::new().fallback(any(|| async { (StatusCode::BAD_REQUEST, endless()) }))).await;
    let e = within(http().send(call(&url, &t, Method::POST, false)))
        .await
        .err()
        .unwrap();
    assert_eq!((e.kind, e.status), (ServiceErrorKind::Refused, Some(400)));
}

#[tokio::test]
async fn retries_stop_at_the_call_deadline() {
    // Always 503: without a deadline this goes on for as long as the attempts last.
    let (url, hits) = server(vec![(503, vec![], ""); 10_000]).await;
    let t = Secret::new("tkn");
    let mut h = http();
    h.max_attempts = 10_000;
    h.deadline = Duration::from_secs(1);
    let e = within(h.send(call(&url, &t, Method::GET, true)))
        .await
        .err()
        .unwrap();
    assert_eq!((e.kind, e.status), (ServiceErrorKind::Server, Some(503)));
    assert!(e.message.contains("gave up"), "{}", e.message);
    let n = hits.load(Ordering::SeqCst);
    assert!((2..10_000).contains(&n), "{n} attempts");
}

#[tokio::test]
async fn a_service_that_never_answers_stops_at_the_call_deadline() {
    let url = serve(Router::new().fallback(any(std::future::pending::<()>))).await;
    let t = Secret::new("tkn");
    let mut h = http();
    h.deadline = Duration::from_secs(1);
    let e = within(h.send(call(&url, &t, Method::GET, true)))
        .await
        .err()
        .unwrap();
    assert_eq!(e.kind, ServiceErrorKind::TimedOut { seconds: 1 });
    let api = e.to_api_error("Microsoft Graph");
    assert_eq!(api.code, ErrorCode::Network);
    assert_eq!(
        api.message,
        "Microsoft Graph did not answer within 1 second. Check your network, then try again."
    );
}
