//! Development only: Elevate's declared command surface over HTTP, for the UI running in a
//! plain browser (`cargo xtask web`). `POST /api/<command>` runs `elevate_core::api::dispatch`
//! with the JSON body as the command's arguments; `GET /api/events` streams the events (SSE).
//! The core is the real one, over the in-process demo tenant, with in-memory key stores and a
//! data folder the caller names. It listens on 127.0.0.1 only.

mod approvals;
mod host;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use elevate_core::api::{dispatch, ApiError, Context, ErrorCode};
use elevate_core::auth::Browser;
use elevate_core::cache::MemoryKeyStore;
use elevate_core::cloud::EmulatorEndpoints;
use elevate_core::{Elevate, Paths};
use elevate_tenant::{Emulator, EmulatorOptions, Scenario};
use tokio::sync::broadcast;

pub use host::{DevHost, PrintingBrowser, Sent};

pub struct Options {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Emptied at start: the key stores live in memory, so nothing older could be read.
    pub data_dir: PathBuf,
    /// Where exports are written (the desktop's save dialog).
    pub exports_dir: PathBuf,
    /// Opens the sign-in page and other pages.
    pub browser: Arc<dyn Browser>,
    /// `PATCH /_emulator/settings` before anything runs (PIM delays, policy wording, …).
    pub emulator_settings: Option<serde_json::Value>,
    /// `POST /_emulator/faults`: failures the demo tenant injects (throttling, errors, delays).
    pub emulator_faults: Option<serde_json::Value>,
    /// An approver who approves each request waiting for approval after this long.
    pub approve_after: Option<std::time::Duration>,
}

pub struct Running {
    pub addr: SocketAddr,
    pub emulator: Emulator,
    server: tokio::task::JoinHandle<()>,
    approver: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.abort();
        if let Some(a) = &self.approver {
            a.abort();
        }
    }
}

struct Served {
    elevate: Elevate,
    host: DevHost,
}

struct Demo(EmulatorEndpoints, String);

#[async_trait::async_trait]
impl elevate_core::DemoTenant for Demo {
    async fn start(&self) -> Result<EmulatorEndpoints, String> {
        Ok(self.0.clone())
    }
    fn base_url(&self) -> Option<String> {
        Some(self.1.clone())
    }
    fn keeps_sessions(&self) -> bool {
        false
    }
}

/// Starts the demo tenant, applies its switches and faults, and serves the surface.
pub async fn start(opts: Options) -> anyhow::Result<Running> {
    let emulator = Emulator::start(EmulatorOptions {
        scenario: Scenario::builtin("demo")?,
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await?;
    let admin = reqwest::Client::new();
    let base = emulator.base_url();
    if let Some(s) = &opts.emulator_settings {
        let r = admin
            .patch(format!("{base}/_emulator/settings"))
            .json(s)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().is_success(),
            "emulator settings refused: {}",
            r.text().await?
        );
    }
    if let Some(f) = &opts.emulator_faults {
        let r = admin
            .post(format!("{base}/_emulator/faults"))
            .json(f)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().is_success(),
            "emulator faults refused: {}",
            r.text().await?
        );
    }
    // The same endpoints type in both crates, converted as the desktop's demo host does.
    let endpoints: EmulatorEndpoints =
        serde_json::from_value(serde_json::to_value(emulator.endpoints())?)?;

    if opts.data_dir.exists() {
        std::fs::remove_dir_all(&opts.data_dir)?;
    }
    let paths = Paths {
        data_dir: opts.data_dir.join("data"),
        config_dir: opts.data_dir.join("config"),
        managed_config: None,
    };
    let elevate = Elevate::new(
        paths,
        Arc::new(MemoryKeyStore::default()),
        Arc::new(MemoryKeyStore::default()),
        opts.browser.clone(),
        Arc::new(Demo(endpoints, base.clone())),
    );
    let (events, _) = broadcast::channel(256);
    let served = Arc::new(Served {
        elevate,
        host: DevHost {
            events,
            exports: opts.exports_dir,
            browser: opts.browser,
        },
    });

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], opts.port))).await?;
    let addr = listener.local_addr()?;
    let app = router(served);
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "web host stopped");
        }
    });
    let approver = opts.approve_after.map(|d| approvals::spawn(base, d));
    Ok(Running {
        addr,
        emulator,
        server,
        approver,
    })
}

fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route("/api/events", get(events))
        .route("/api/{command}", post(command))
        .with_state(served)
}

async fn command(
    State(s): State<Arc<Served>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !from_this_computer(&headers) {
        return failure(ApiError::new(
            ErrorCode::Forbidden,
            "Only this computer's own pages may call the dev host.",
        ));
    }
    // JSON only: a page on another site cannot send that without a CORS preflight, which
    // this host never answers.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return failure(ApiError::new(
            ErrorCode::InvalidInput,
            "Send the arguments as application/json.",
        ));
    }
    let args = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return failure(
                    ApiError::new(ErrorCode::InvalidInput, "The arguments are not JSON.")
                        .with_detail(e.to_string()),
                )
            }
        }
    };
    let cx = Context {
        elevate: &s.elevate,
        host: &s.host,
    };
    match dispatch(&cx, &name, args).await {
        Ok(v) => Json(v).into_response(),
        Err(e) => failure(e),
    }
}

/// A name that resolves elsewhere (DNS rebinding) is refused, whatever address it reached.
fn from_this_computer(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = host.rsplit_once(':').map_or(host, |(n, _)| n);
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

fn failure(e: ApiError) -> Response {
    let status = match e.code {
        ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::NotSignedIn => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, Json(e)).into_response()
}

async fn events(State(s): State<Arc<Served>>, headers: HeaderMap) -> Response {
    if !from_this_computer(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let rx = s.host.events.subscribe();
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(sent) => {
                    let event = Event::default()
                        .event(sent.name)
                        .data(sent.payload.to_string());
                    return Some((Ok::<_, std::convert::Infallible>(event), rx));
                }
                // A slow page misses some progress; the command's answer still comes.
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
