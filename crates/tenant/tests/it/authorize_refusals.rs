//! How the authorize endpoint refuses: unregistered redirect URIs (a page, never a redirect),
//! cancelled sign-ins, unknown users and apps, and hostile values echoed into the page.

use crate::common::*;
use reqwest::StatusCode;

const GLORIA: &str = "gloria@contoso.onmicrosoft.com";

#[tokio::test]
async fn redirect_uri_rules() {
    let t = start().await;
    let scope = ("scope", GRAPH_SCOPE);
    // Unregistered host: an error page, never a redirect.
    let res = t
        .http
        .get(t.authorize_url(&[
            ("redirect_uri", "https://evil.example/cb"),
            scope,
            ("state", "s"),
        ]))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("location").is_none());
    let html = res.text().await.expect("html");
    assert!(html.contains("AADSTS50011"), "{html}");
    // Nor on submit of a forged form.
    let res = t
        .http
        .post(t.authorize_url(&[("redirect_uri", "https://evil.example/cb"), scope]))
        .form(&[("login", "gloria"), ("action", "signin")])
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.headers().get("location").is_none());
    // A loopback registration matches any port, for the registered path only.
    for (uri, ok) in [
        ("http://localhost:1", true),
        ("http://localhost:65000/", true),
        ("http://127.0.0.1:4242", true),
        ("http://localhost:4242/callback", false),
        ("https://localhost:4242", false),
    ] {
        let res = t
            .http
            .get(t.authorize_url(&[("redirect_uri", uri), scope]))
            .send()
            .await
            .expect("page");
        assert_eq!(res.status().is_success(), ok, "{uri}");
    }
    // Redeeming with a different redirect URI than the one signed in with.
    let p = pkce();
    let code = t.code_for(GLORIA, GRAPH_SCOPE, &p).await;
    let (status, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://localhost:9999"),
            ("code_verifier", &p.verifier),
        ])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn cancel_redirects_with_access_denied() {
    let t = start().await;
    let url = t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("state", "st8"),
    ]);
    let res = t
        .http
        .post(&url)
        .form(&[("action", "cancel")])
        .send()
        .await
        .expect("cancel");
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().expect("ascii");
    assert_eq!(
        query_param(location, "error").as_deref(),
        Some("access_denied")
    );
    assert!(
        query_param(location, "error_description").is_some_and(|d| d.starts_with("AADSTS65004"))
    );
    assert_eq!(query_param(location, "state").as_deref(), Some("st8"));
    assert!(query_param(location, "code").is_none());
}

#[tokio::test]
async fn hidden_fields_alone_are_enough_to_submit() {
    // A client that parses the page posts the hidden fields to the bare path.
    let t = start().await;
    let p = pkce();
    let path = format!("{}/oauth2/v2.0/authorize", t.tenant_url());
    let res = t
        .http
        .post(&path)
        .form(&[
            ("client_id", t.ep.client_id.as_str()),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", GRAPH_SCOPE),
            ("code_challenge", &p.challenge),
            ("code_challenge_method", "S256"),
            ("login", "diego@contoso.onmicrosoft.com"),
            ("action", "signin"),
        ])
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().expect("ascii");
    assert!(query_param(location, "code").is_some());
    assert!(
        query_param(location, "state").is_none(),
        "no state given, none returned"
    );
}

#[tokio::test]
async fn unknown_user_re_renders_the_page_and_issues_nothing() {
    let t = start().await;
    let before = t.emu.issued_tokens().len();
    let url = t.authorize_url(&[("redirect_uri", REDIRECT), ("scope", GRAPH_SCOPE)]);
    let res = t
        .http
        .post(&url)
        .form(&[
            ("login", "mallory@contoso.onmicrosoft.com"),
            ("action", "signin"),
        ])
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.expect("html").contains("AADSTS50034"));
    assert_eq!(t.emu.issued_tokens().len(), before);
}

#[tokio::test]
async fn authorize_refuses_bad_requests_where_entra_does() {
    let t = start().await;
    // Unknown app: page with 700016.
    let url = format!("{}/oauth2/v2.0/authorize?client_id=00000000-0000-0000-0000-000000000001&response_type=code&redirect_uri={REDIRECT}&scope=User.Read", t.tenant_url());
    let res = t.http.get(&url).send().await.expect("page");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.expect("html").contains("AADSTS700016"));
    // Past the redirect check, errors go back to the app.
    for (extra, error, code) in [
        (
            ("response_type", "token"),
            "unsupported_response_type",
            "AADSTS700054",
        ),
        (
            ("scope", "https://unknown.example/.default"),
            "invalid_resource",
            "AADSTS500011",
        ),
        (
            ("scope", "https://graph.microsoft.com/Mail.Send"),
            "invalid_grant",
            "AADSTS65001",
        ),
        (("prompt", "none"), "login_required", "AADSTS50058"),
        (
            ("code_challenge", "short"),
            "invalid_request",
            "AADSTS501491",
        ),
    ] {
        let mut params = vec![("redirect_uri", REDIRECT), ("state", "k")];
        if extra.0 != "scope" {
            params.push(("scope", GRAPH_SCOPE));
        }
        let url = if extra.0 == "response_type" {
            t.authorize_url(&params)
                .replace("response_type=code", "response_type=token")
        } else {
            params.push(extra);
            t.authorize_url(&params)
        };
        let res = t.http.get(&url).send().await.expect("page");
        assert_eq!(res.status(), StatusCode::FOUND, "{extra:?}");
        let location = res.headers()["location"].to_str().expect("ascii");
        assert_eq!(
            query_param(location, "error").as_deref(),
            Some(error),
            "{extra:?}"
        );
        assert!(
            query_param(location, "error_description").is_some_and(|d| d.starts_with(code)),
            "{extra:?}"
        );
        assert_eq!(query_param(location, "state").as_deref(), Some("k"));
    }
}

#[tokio::test]
async fn echoed_values_are_escaped_on_the_page() {
    let t = start().await;
    let evil = r#""><script>alert(1)</script>"#;
    let url = t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("state", evil),
        ("login_hint", evil),
    ]);
    let html = t
        .http
        .get(&url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
}
