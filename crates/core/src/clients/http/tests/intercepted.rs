//! A captive portal or a filtering proxy answering in Microsoft's place.

use super::*;

const SIGN_IN_PAGE: &str =
    "Your network answered with a sign-in page instead of Microsoft's answer. Sign in to your network (or ask IT about the proxy), then try again.";

fn assert_intercepted(e: &ServiceError, status: u16) {
    assert_eq!(
        (e.kind, e.status),
        (ServiceErrorKind::InterceptedByNetwork, Some(status)),
        "{e}"
    );
    let api = e.to_api_error("Microsoft Graph");
    assert_eq!(api.code, ErrorCode::Network);
    assert_eq!(api.message, SIGN_IN_PAGE);
}

#[tokio::test]
async fn a_redirect_is_the_network_answering() {
    let (url, hits) = server(vec![(
        302,
        vec![("location", "https://portal.hotel.example/login?next=x")],
        "",
    )])
    .await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .expect("not followed, not a success");
    assert_intercepted(&e, 302);
    assert!(e.message.contains("portal.hotel.example"), "{}", e.message);
    assert_eq!(hits.load(Ordering::SeqCst), 1, "not retried");
}

#[tokio::test]
async fn a_web_page_where_json_belongs_is_the_network_answering() {
    let page = "<!DOCTYPE html><html><body>Welcome to Hotel Wi-Fi</body></html>";
    let (url, hits) = server(vec![
        (
            200,
            vec![("content-type", "text/html; charset=utf-8")],
            page,
        ),
        // No HTML type, but an HTML page all the same.
        (200, vec![], "\n  <HTML><body>Sign in</body></HTML>"),
        (
            403,
            vec![("content-type", "text/html")],
            "<p>Blocked by policy</p>",
        ),
        (407, vec![], ""),
        (511, vec![], ""),
    ])
    .await;
    let t = Secret::new("tkn");
    let h = http();
    for status in [200, 200, 403, 407, 511] {
        let e = h
            .send(call(&url, &t, Method::GET, true))
            .await
            .err()
            .expect("a web page is not an answer");
        if status == 407 {
            // The proxy wants credentials: the person is told that, not to find a sign-in page.
            assert_eq!(e.kind, ServiceErrorKind::ProxyAuthRequired, "{e}");
            let api = e.to_api_error("Microsoft Graph");
            assert_eq!(api.code, ErrorCode::Network);
            assert!(api
                .message
                .contains("proxy asks for a user name and password"));
            continue;
        }
        assert_intercepted(&e, status);
    }
    assert_eq!(hits.load(Ordering::SeqCst), 5, "none retried");
}

#[tokio::test]
async fn microsofts_own_answers_are_not_taken_for_a_web_page() {
    let t = Secret::new("tkn");
    // A gateway's HTML 502 is the service's trouble, retried as before.
    let (url, hits) = server(vec![(
        502,
        vec![("content-type", "text/html")],
        "<html>Bad gateway</html>",
    )])
    .await;
    let a = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .unwrap();
    assert_eq!(a.json::<serde_json::Value>().unwrap()["ok"], true);
    assert_eq!(hits.load(Ordering::SeqCst), 2);

    // No body is no page, whatever its type says; a 401 stays a refused token.
    let (url, _) = server(vec![
        (204, vec![("content-type", "text/html")], ""),
        (
            401,
            vec![("content-type", "text/html")],
            "<html>Unauthorized</html>",
        ),
    ])
    .await;
    let h = http();
    let a = h.send(call(&url, &t, Method::DELETE, true)).await.unwrap();
    assert_eq!(a.status, 204);
    let e = h
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(e.kind, ServiceErrorKind::Unauthorized);
}
