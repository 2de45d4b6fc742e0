//! Dataverse Web API (contract §4), one organisation per Dataverse environment, served at
//! `/dataverse/{domainName}/api/data/v9.2/` — the emulator's `https://{org}.crm.dynamics.com`.
//! Tokens must be for that instance (`aud` = the instance URL), so a token for one org is
//! refused by another. Every request: token → PIM-expiry sweep → service protection →
//! `latencyMs` (while holding the concurrency slot) → the caller must be an enabled systemuser.

mod error;
pub mod filter;
mod lex;
mod path;
pub mod protect;
mod query;
mod read;
mod refs;
mod rows;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Json, Router};
use serde_json::Value;

use crate::bearer;
use crate::correlation::CorrelationId;
use crate::environments::org::{Org, SysUser};
use crate::environments::{instance_root, sweep, RuntimeState};
use crate::scenario::User;
use crate::state::AppState;

use error::DvError;
use path::Target;

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/{*path}", any(handle))
}

/// What every handler needs to know about the request.
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub env: usize,
    /// `{instance}/api/data/v9.2`, no trailing slash.
    pub api: String,
    pub user: &'a User,
    pub correlation: Option<String>,
    pub page_size: Option<usize>,
    pub raw_query: String,
}

async fn handle(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    correlation: Option<Extension<CorrelationId>>,
    body: Bytes,
) -> Response {
    let correlation = correlation.map(|Extension(c)| c.0);
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if method == Method::GET && browser {
        if let Some(page) = landing_page(&state, uri.path()) {
            return page;
        }
    }
    match serve(
        &state,
        uri.path(),
        uri.query().unwrap_or(""),
        &method,
        &headers,
        correlation,
        &body,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// `GET {instance}/` from a browser (`Accept: text/html`; Elevate's "open environment"): where the real service
/// would sign the user in to the environment's apps, a plain page naming the environment.
fn landing_page(state: &AppState, path: &str) -> Option<Response> {
    let org = path.strip_prefix("/dataverse/")?.trim_end_matches('/');
    if org.is_empty() || org.contains('/') {
        return None;
    }
    let env = state
        .platform
        .env_by_domain(org)
        .and_then(|i| state.scenario.environments.get(i))
        .filter(|e| !e.deleted)?;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name} (demo tenant)</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3rem;color:#242424\"><h1>{name}</h1>\
         <p>This is the demo tenant's stand-in for the environment <b>{name}</b> ({org}).</p>\
         <p>In a real tenant this address opens the environment's apps in Dynamics 365 / Power Apps.</p></body></html>",
        name = esc(&env.display_name),
        org = esc(org),
    );
    Some(
        (
            [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
    )
}

async fn serve(
    state: &Arc<AppState>,
    full_path: &str,
    raw_query: &str,
    method: &Method,
    headers: &HeaderMap,
    correlation: Option<String>,
    body: &[u8],
) -> Result<Response, DvError> {
    let rest = full_path.strip_prefix("/dataverse/").unwrap_or("");
    let mut parts = rest.splitn(5, '/');
    let (org, api, data, version, tail) = (
        parts.next().unwrap_or(""),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next().unwrap_or(""),
    );
    let env = live_environment(state, org)?;
    let root = instance_root(&state.base_url, org);
    let authority = format!("{}/login/{}", state.base_url, state.scenario.tenant.id);
    let caller = bearer::verify(state, headers, bearer::audience_is(&root)).map_err(|e| {
        tracing::debug!(reason = e.message(), "dataverse refused a token");
        DvError::unauthorized(&authority, &root)
    })?;
    if (api, data) != (Some("api"), Some("data"))
        || !matches!(version, Some("v9.0" | "v9.1" | "v9.2"))
    {
        return Err(DvError::new(
            StatusCode::NOT_FOUND,
            "0x80060888",
            "Resource not found for the segment 'api'.",
        ));
    }
    enabled(state, env)?;
    sweep(state);
    let _slot = protect::enter(state, org, &caller.user.id)?;
    let latency = state.settings().latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let ctx = Ctx {
        state,
        env,
        api: format!("{root}/api/data/v9.2"),
        user: caller.user,
        correlation,
        page_size: query::max_page_size(headers),
        raw_query: raw_query.to_string(),
    };
    let target = path::parse(tail)?;
    let response = dispatch(&ctx, method, target, body)?;
    Ok(with_odata_headers(response, ctx.page_size))
}

/// The environment whose Dataverse answers at `org`, unless it was deleted.
fn live_environment(state: &AppState, org: &str) -> Result<usize, DvError> {
    state
        .platform
        .env_by_domain(org)
        .filter(|i| {
            state
                .scenario
                .environments
                .get(*i)
                .is_some_and(|e| !e.deleted)
        })
        .ok_or_else(|| {
            DvError::new(
                StatusCode::NOT_FOUND,
                "",
                format!("The organization '{org}' does not exist."),
            )
        })
}

/// A disabled environment's Dataverse refuses everyone.
fn enabled(state: &AppState, env: usize) -> Result<(), DvError> {
    let env_def = &state.scenario.environments[env];
    if env_def.state.runtime == RuntimeState::Disabled {
        let msg = format!(
            "The environment '{}' is disabled. An administrator must enable it first.",
            env_def.display_name
        );
        return Err(DvError::new(StatusCode::FORBIDDEN, "0x80072542", msg));
    }
    Ok(())
}

fn dispatch(ctx: &Ctx, method: &Method, target: Target, body: &[u8]) -> Result<Response, DvError> {
    match (method.as_str(), target) {
        ("GET", Target::WhoAmI) => read::whoami(ctx),
        ("GET", Target::Set(set)) => read::collection(ctx, set, None),
        ("GET", Target::One(set, id)) => read::single(ctx, set, &id),
        ("GET", Target::Nav(set, id)) => {
            read::collection(ctx, set.across().unwrap_or(set), Some((set, id)))
        }
        ("DELETE", Target::Ref(set, id, other)) => {
            refs::disassociate(ctx, set, &id, other.as_deref())
        }
        ("POST", Target::Ref(set, id, None)) => refs::associate(ctx, set, &id, body),
        (m, _) => Err(DvError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "0x80060888",
            format!("The HTTP method '{m}' is not allowed here."),
        )),
    }
}

/// Every Dataverse answer says OData 4.0, and which page size it honoured.
fn with_odata_headers(mut response: Response, page_size: Option<usize>) -> Response {
    response
        .headers_mut()
        .insert("odata-version", HeaderValue::from_static("4.0"));
    if let (Some(n), true) = (page_size, response.status() == StatusCode::OK) {
        if let Ok(v) = HeaderValue::from_str(&format!("odata.maxpagesize={n}")) {
            response.headers_mut().insert("preference-applied", v);
        }
    }
    response
}

/// The caller as a systemuser of `org`: present and enabled, as Dataverse requires of anyone.
pub fn caller<'o>(ctx: &Ctx, org: &'o Org) -> Result<&'o SysUser, DvError> {
    let me = org.user_by_oid(&ctx.user.id).ok_or_else(|| {
        DvError::new(
            StatusCode::FORBIDDEN,
            "0x80072560",
            "The user is not a member of the organization.",
        )
    })?;
    if me.disabled {
        return Err(DvError::new(
            StatusCode::FORBIDDEN,
            "0x80040225",
            format!(
                "The user with SystemUserId={} in OrganizationContext={} is disabled. Disabled users cannot access the system. Consider enabling this user. Also, users are disabled if they don't have a license or if the user is not part of the security group configured for the environment.",
                me.id, org.organization_id
            ),
        ));
    }
    Ok(me)
}

/// Dataverse's answer to a missing privilege (contract §4.4, `0x80040220`).
pub fn missing_privilege(org: &Org, me: &SysUser, privilege: &str, entity: &str) -> DvError {
    let roles = org.roles_of(&me.id).len();
    DvError::new(
        StatusCode::FORBIDDEN,
        "0x80040220",
        format!(
            "Principal user (Id={}, type=8, roleCount={roles}, privilegeCount=0, accessMode={}), is missing {privilege} privilege on OTC for entity '{entity}'.",
            me.id, me.access_mode
        ),
    )
}

pub fn json_ok(body: Value) -> Response {
    let mut r = (StatusCode::OK, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; odata.metadata=minimal"),
    );
    r
}
