//! The loopback receiver for the authorization-code redirect (RFC 8252 §7.3), modelled on
//! MSAL Python's: registered as `http://localhost`, checks `state`, accepts exactly one
//! authorization response, answers it with a 302 away from the URL that holds the code,
//! HTML-escapes anything it echoes, and stops on timeout or cancel.
//!
//! The redirect and the listener agree: a browser may resolve `localhost` to `127.0.0.1` or
//! to `[::1]`, so Elevate listens on the same port on both. Were it on 127.0.0.1 only,
//! another local program could listen on `[::1]` at that port and be handed the code. A
//! request whose `Host` is not this listener (DNS rebinding, a page posting to it under
//! another name) is refused before it can use the one response this receiver accepts.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use super::AuthError;
use crate::secret::Secret;

/// How long the browser may take to load the landing page after the redirect.
const LANDING_GRACE: Duration = Duration::from_secs(5);

pub struct LoopbackReceiver {
    listeners: Vec<TcpListener>,
    addr: SocketAddr,
}

/// Ports tried before giving up when `[::1]` is taken at the port 127.0.0.1 got.
const BIND_ATTEMPTS: usize = 8;

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

type Outcome = Result<Secret, AuthError>;

struct Shared {
    expected_state: String,
    /// `Host` values that name this listener.
    hosts: Vec<String>,
    result: Mutex<Option<oneshot::Sender<Outcome>>>,
    landed: CancellationToken,
}

impl LoopbackReceiver {
    /// An ephemeral port on 127.0.0.1 and, where the computer has IPv6, the same port on
    /// `[::1]`. A computer without IPv6 has nothing for `localhost` to reach there.
    pub async fn bind() -> Result<Self, AuthError> {
        let failed = |e: std::io::Error| {
            AuthError::Config(format!("could not open a local port for the sign-in: {e}"))
        };
        for _ in 0..BIND_ATTEMPTS {
            let v4 = TcpListener::bind(("127.0.0.1", 0)).await.map_err(failed)?;
            let addr = v4.local_addr().map_err(failed)?;
            match TcpListener::bind(("::1", addr.port())).await {
                Ok(v6) => {
                    return Ok(Self {
                        listeners: vec![v4, v6],
                        addr,
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    tracing::info!(port = addr.port(), "[::1] port taken; trying another port");
                }
                Err(e) => {
                    tracing::debug!(error = %e, "no IPv6 loopback; listening on 127.0.0.1 only");
                    return Ok(Self {
                        listeners: vec![v4],
                        addr,
                    });
                }
            }
        }
        Err(AuthError::Config(
            "could not open a local port for the sign-in: every port tried was taken on [::1]"
                .into(),
        ))
    }

    /// Whether `[::1]` is listened on too (false on a computer without IPv6).
    pub fn listens_on_ipv6(&self) -> bool {
        self.listeners.len() > 1
    }

    /// What to register and send as `redirect_uri`: Entra ignores the port for localhost.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}", self.addr.port())
    }

    /// Waits for the browser to come back with a code for `expected_state`.
    pub async fn receive(
        self,
        expected_state: String,
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Outcome {
        let (tx, rx) = oneshot::channel();
        let port = self.addr.port();
        let shared = Arc::new(Shared {
            expected_state,
            hosts: ["localhost", "127.0.0.1", "[::1]"]
                .iter()
                .map(|h| format!("{h}:{port}"))
                .collect(),
            result: Mutex::new(Some(tx)),
            landed: CancellationToken::new(),
        });
        let app = Router::new()
            .route("/", get(callback))
            .route("/done", get(done))
            .fallback(|| async {
                (
                    StatusCode::NOT_FOUND,
                    page("Not found", "This address belongs to Elevate's sign-in."),
                )
            })
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                only_this_host,
            ))
            .with_state(shared.clone());
        let stop = CancellationToken::new();
        let servers: Vec<_> = self
            .listeners
            .into_iter()
            .map(|listener| {
                let (stop, app) = (stop.clone(), app.clone());
                tokio::spawn(async move {
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(stop.cancelled_owned())
                        .await;
                })
            })
            .collect();
        let outcome = tokio::select! {
            r = rx => r.unwrap_or(Err(AuthError::Cancelled)),
            _ = tokio::time::sleep(timeout) => Err(AuthError::TimedOut),
            _ = cancel.cancelled() => Err(AuthError::Cancelled),
        };
        if outcome.is_ok() {
            // Let the browser fetch the landing page it was redirected to, then close.
            let _ = tokio::time::timeout(LANDING_GRACE, shared.landed.cancelled()).await;
        }
        stop.cancel();
        let _ =
            tokio::time::timeout(Duration::from_secs(2), futures::future::join_all(servers)).await;
        outcome
    }
}

/// Refuses a request addressed to another host name, before any handler sees it.
async fn only_this_host(
    State(s): State<Arc<Shared>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if host.is_some_and(|h| s.hosts.contains(&h)) {
        return next.run(req).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        page(
            "Wrong address",
            "This address only accepts Elevate's own sign-in, sent to localhost. Nothing was done.",
        ),
    )
        .into_response()
}

async fn callback(State(s): State<Arc<Shared>>, Query(q): Query<Callback>) -> Response {
    if q.code.is_none() && q.error.is_none() {
        return (
            StatusCode::BAD_REQUEST,
            page(
                "Nothing to do here",
                "This address is only used to finish signing in to Elevate.",
            ),
        )
            .into_response();
    }
    if q.state.as_deref() != Some(s.expected_state.as_str()) {
        // Not the sign-in we started (CSRF or a stale tab): refuse it and keep waiting.
        return (
            StatusCode::BAD_REQUEST,
            page("State mismatch", "This sign-in response does not belong to the sign-in Elevate started. Go back to Elevate and try again."),
        )
            .into_response();
    }
    let Some(tx) = s.result.lock().expect("lock").take() else {
        return (
            StatusCode::CONFLICT,
            page(
                "Already done",
                "Elevate already received this sign-in. You can close this tab.",
            ),
        )
            .into_response();
    };
    if let Some(error) = q.error {
        let description = q.error_description.unwrap_or_default();
        let body = page("Sign-in failed", &format!("{error}: {description}"));
        let _ = tx.send(Err(AuthError::Browser { error, description }));
        s.landed.cancel();
        return (StatusCode::OK, body).into_response();
    }
    let code = Secret::new(q.code.unwrap_or_default());
    let _ = tx.send(Ok(code));
    // 302 so the code does not stay in the address bar or the browser history.
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, "/done"),
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response()
}

async fn done(State(s): State<Arc<Shared>>) -> Html<String> {
    s.landed.cancel();
    page(
        "You're signed in",
        "You can close this tab and return to Elevate.",
    )
}

fn page(title: &str, text: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Elevate – {t}</title>\
         <style>body{{font-family:'Segoe UI',system-ui,sans-serif;background:#f5f5f5;color:#242424;display:grid;place-items:center;height:100vh;margin:0}}\
         main{{background:#fff;padding:32px 40px;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12);max-width:480px}}h1{{font-size:20px;font-weight:600}}</style>\
         </head><body><main><h1>{t}</h1><p>{x}</p></main></body></html>",
        t = escape(title),
        x = escape(text)
    ))
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http() -> reqwest::Client {
        crate::clients::network::install_crypto_provider();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    async fn start(state: &str) -> (String, tokio::task::JoinHandle<Outcome>, CancellationToken) {
        let r = LoopbackReceiver::bind().await.unwrap();
        let port = r.addr.port();
        assert!(r.redirect_uri().starts_with("http://localhost:"));
        let cancel = CancellationToken::new();
        let c = cancel.clone();
        let state = state.to_string();
        let h = tokio::spawn(async move { r.receive(state, Duration::from_secs(10), c).await });
        (format!("http://127.0.0.1:{port}"), h, cancel)
    }

    #[tokio::test]
    async fn accepts_the_code_and_redirects_away_from_it() {
        let (base, h, _) = start("s1").await;
        let r = http()
            .get(format!("{base}/?code=abc&state=s1"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(r.headers()["location"], "/done");
        let landing = http()
            .get(format!("{base}/done"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(landing.contains("close this tab"));
        assert!(!landing.contains("abc"));
        assert_eq!(h.await.unwrap().unwrap().expose(), "abc");
    }

    #[tokio::test]
    async fn wrong_state_is_refused_and_the_right_one_still_works() {
        let (base, h, _) = start("good").await;
        let r = http()
            .get(format!("{base}/?code=evil&state=bad"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("State mismatch"));
        let r = http()
            .get(format!("{base}/?code=fine&state=good"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(h.await.unwrap().unwrap().expose(), "fine");
    }

    #[tokio::test]
    async fn another_host_name_is_refused_and_does_not_use_up_the_sign_in() {
        let (base, h, _) = start("s").await;
        let port = base.rsplit(':').next().unwrap().to_string();
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            "localhost:1".to_string(),
        ] {
            let r = http()
                .get(format!("{base}/?code=stolen&state=s"))
                .header("Host", &host)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 421, "{host}");
            assert!(r.text().await.unwrap().contains("Nothing was done"));
        }
        let r = http()
            .get(format!("{base}/?code=good&state=s"))
            .header("Host", format!("localhost:{port}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 302);
        assert_eq!(h.await.unwrap().unwrap().expose(), "good");
    }

    #[tokio::test]
    async fn localhost_is_listened_on_at_both_loopback_addresses() {
        // Where this computer has IPv6, `localhost` may mean [::1]: it must be us there too.
        let ipv6 = std::net::TcpListener::bind(("::1", 0)).is_ok();
        let r = LoopbackReceiver::bind().await.unwrap();
        assert_eq!(r.listens_on_ipv6(), ipv6);
        if !ipv6 {
            return;
        }
        let port = r.addr.port();
        let h = tokio::spawn(r.receive(
            "s".into(),
            Duration::from_secs(10),
            CancellationToken::new(),
        ));
        let res = http()
            .get(format!("http://[::1]:{port}/?code=six&state=s"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(h.await.unwrap().unwrap().expose(), "six");
    }

    #[tokio::test]
    async fn only_one_response_is_accepted() {
        let (base, h, _) = start("s").await;
        http()
            .get(format!("{base}/?code=first&state=s"))
            .send()
            .await
            .unwrap();
        let second = http()
            .get(format!("{base}/?code=second&state=s"))
            .send()
            .await;
        if let Ok(r) = second {
            assert_ne!(r.status(), 302);
        }
        assert_eq!(h.await.unwrap().unwrap().expose(), "first");
    }

    #[tokio::test]
    async fn error_descriptions_are_escaped() {
        let (base, h, _) = start("s").await;
        let body = http()
            .get(format!("{base}/?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C/script%3E&state=s"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!body.contains("<script>"));
        assert!(body.contains("&lt;script&gt;"));
        assert!(
            matches!(h.await.unwrap(), Err(AuthError::Browser { error, .. }) if error == "access_denied")
        );
    }

    #[tokio::test]
    async fn cancel_and_timeout_end_the_wait() {
        let (_, h, cancel) = start("s").await;
        cancel.cancel();
        assert!(matches!(h.await.unwrap(), Err(AuthError::Cancelled)));
        let r = LoopbackReceiver::bind().await.unwrap();
        let out = r
            .receive(
                "s".into(),
                Duration::from_millis(50),
                CancellationToken::new(),
            )
            .await;
        assert!(matches!(out, Err(AuthError::TimedOut)));
    }
}
