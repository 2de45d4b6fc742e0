//! A claims challenge answered once with a token from the call's source.

use std::sync::Mutex;

use super::*;

const CHALLENGE: &str = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;
const CLAIMS: &str = r#"{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}"#;

/// Challenges every request whose token is not `accepted`; counts the requests.
async fn resource(accepted: &'static str) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new().fallback(any(move |headers: HeaderMap| {
        let h = h.clone();
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            let ok = headers
                .get("authorization")
                .is_some_and(|v| v == &format!("Bearer {accepted}")[..]);
            if ok {
                r#"{"ok":true}"#.into_response()
            } else {
                let body = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Continuous access evaluation resulted in challenge"}}"#;
                let mut r = (StatusCode::UNAUTHORIZED, body).into_response();
                r.headers_mut()
                    .insert("www-authenticate", CHALLENGE.parse().unwrap());
                r
            }
        }
    }));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/x", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, hits)
}

/// A source that hands out `next` (or fails) when asked to renew, and remembers the claims.
struct Source {
    token: Mutex<Secret>,
    next: Option<&'static str>,
    asked: Mutex<Vec<String>>,
}

impl Source {
    fn new(next: Option<&'static str>) -> Self {
        Self {
            token: Mutex::new(Secret::new("old")),
            next,
            asked: Mutex::default(),
        }
    }
}

#[async_trait::async_trait]
impl TokenSource for Source {
    fn current(&self) -> Secret {
        self.token.lock().unwrap().clone()
    }
    async fn renew(&self, claims: &str) -> Result<Option<Secret>, ServiceError> {
        self.asked.lock().unwrap().push(claims.to_string());
        match self.next {
            Some(n) => {
                *self.token.lock().unwrap() = Secret::new(n);
                Ok(Some(Secret::new(n)))
            }
            None => Err(ServiceError::new(
                ServiceErrorKind::SignInRequired,
                "interaction required: AADSTS50076",
            )),
        }
    }
}

fn post<'a>(url: &'a str, token: &'a dyn TokenSource) -> Call<'a> {
    Call {
        method: Method::POST,
        url,
        token,
        body: None,
        headers: &[],
        idempotent: false,
    }
}

#[tokio::test]
async fn a_challenge_is_answered_once_even_for_a_request_that_is_not_idempotent() {
    let (url, hits) = resource("new").await;
    let source = Source::new(Some("new"));
    let a = http().send(post(&url, &source)).await.unwrap();
    assert_eq!(a.status, 200);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(*source.asked.lock().unwrap(), vec![CLAIMS.to_string()]);
    // The next call starts from the renewed token.
    http().send(post(&url, &source)).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_second_challenge_ends_the_call_with_a_sign_in_request() {
    let (url, hits) = resource("never").await;
    let source = Source::new(Some("new"));
    let e = http()
        .send(post(&url, &source))
        .await
        .err()
        .expect("an error");
    assert_eq!(e.kind, ServiceErrorKind::SignInRequired);
    assert_eq!(e.claims_challenge.as_deref(), Some(CLAIMS));
    assert_eq!(hits.load(Ordering::SeqCst), 2, "one retry, no loop");
    assert_eq!(source.asked.lock().unwrap().len(), 1);
    let api = e.to_api_error("Microsoft Graph");
    assert_eq!(api.code, ErrorCode::InteractionRequired);
    assert!(api.message.contains("sign in again"), "{}", api.message);
}

#[tokio::test]
async fn a_renewal_that_needs_the_user_keeps_the_challenge_for_the_caller() {
    let (url, hits) = resource("new").await;
    let source = Source::new(None);
    let e = http()
        .send(post(&url, &source))
        .await
        .err()
        .expect("an error");
    assert_eq!(e.kind, ServiceErrorKind::SignInRequired);
    assert_eq!(e.claims_challenge.as_deref(), Some(CLAIMS));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_fixed_token_reports_the_challenge_as_it_came() {
    let (url, hits) = resource("new").await;
    let t = Secret::new("old");
    let e = http().send(post(&url, &t)).await.err().expect("an error");
    assert_eq!(e.kind, ServiceErrorKind::Unauthorized);
    assert_eq!(e.claims_challenge.as_deref(), Some(CLAIMS));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}
