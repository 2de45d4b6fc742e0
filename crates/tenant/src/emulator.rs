//! Starting and stopping the emulator: one listener, every service under its own prefix.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::{Json, Router};
use serde_json::json;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::endpoints::Endpoints;
use crate::jwt::Keys;
use crate::scenario::Scenario;
use crate::state::AppState;
use crate::{admin, correlation, entra, graph};

pub struct EmulatorOptions {
    pub scenario: Scenario,
    pub listen: SocketAddr,
}

/// A running emulator. Dropping it stops the server too.
pub struct Emulator {
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Binds, spawns the server task, and returns once it accepts connections.
    pub async fn start(opts: EmulatorOptions) -> anyhow::Result<Emulator> {
        crate::install_crypto_provider();
        opts.scenario.validate()?;
        let listener = tokio::net::TcpListener::bind(opts.listen)
            .await
            .with_context(|| format!("binding {}", opts.listen))?;
        let mut addr = listener.local_addr()?;
        if addr.ip().is_unspecified() {
            // A wildcard bind is still reached through loopback by clients on this machine.
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let base_url = format!("http://{addr}");
        let keys = Keys::load().await?;
        let state = Arc::new(AppState::new(opts.scenario, base_url, keys));
        let app = router(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "emulator server stopped with an error");
            }
        });
        tracing::info!(base_url = %state.base_url, scenario = %state.scenario.name, "tenant emulator listening");
        Ok(Emulator {
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    pub fn endpoints(&self) -> Endpoints {
        Endpoints::of(&self.state)
    }

    /// The browser sign-outs the tenant's sign-out endpoint was asked for, oldest first.
    pub fn sign_outs(&self) -> Vec<crate::SignOut> {
        self.state.runtime().sign_outs.clone()
    }

    /// Every access, refresh and ID token, authorization code and device code ever issued.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state.issued.all()
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            // Graceful first; a client holding a connection open must not hang the caller.
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .nest("/login", entra::router())
        .nest("/graph", graph::router())
        .nest("/powerplatform", crate::powerplatform::router())
        .nest("/bap", crate::bap::router())
        .nest("/dataverse", crate::dataverse::router())
        .nest("/_emulator", admin::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::challenge::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::faults::layer,
        ))
        .layer(axum::middleware::from_fn(correlation::layer))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server_date,
        ))
        .with_state(state)
}

/// `Date` by the emulator's clock, as a real service's would be by its own: a client that
/// estimates clock skew from it then agrees with the emulator after `/clock/advance`.
async fn server_date(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(req).await;
    let date = state
        .clock
        .now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(v) = axum::http::HeaderValue::from_str(&date) {
        response.headers_mut().insert(axum::http::header::DATE, v);
    }
    response
}

async fn not_found(uri: Uri) -> impl IntoResponse {
    let path = uri.path();
    let reserved = ["/powerplatform", "/bap", "/dataverse"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")));
    let message = if reserved {
        "This service is not emulated yet."
    } else {
        "No emulated service serves this path."
    };
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"code": "NotFound", "message": message}})),
    )
}
