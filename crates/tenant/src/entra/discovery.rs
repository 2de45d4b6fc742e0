//! OpenID Connect discovery and the signing keys (contract §1.6), plus the sign-out page the
//! discovery document advertises.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use crate::correlation::CorrelationId;
use crate::state::{AppState, SignOut};

use super::error::Ctx;
use super::params::Params;
use super::{authority, issue, pages, redirect, Authority};

pub async fn openid_configuration(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
) -> Response {
    match authority(&state, &tenant) {
        Ok(a) => cacheable(Json(document(&state, a))),
        Err(e) => e.to_response(&Ctx::new(&state, &cid)),
    }
}

pub async fn keys(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
) -> Response {
    match authority(&state, &tenant) {
        Ok(a) => {
            let (_, issuer) = names(&state, a);
            cacheable(Json(json!({"keys": [state.keys.jwk(&issuer)]})))
        }
        Err(e) => e.to_response(&Ctx::new(&state, &cid)),
    }
}

/// "Send a sign-out request" (entra-docs `v2-protocols-oidc.md`): GET or POST, optional
/// `post_logout_redirect_uri` (followed only when it is one of an app's registered redirect
/// URIs) and `logout_hint` (the `login_hint` claim of the account's ID token). Every request
/// is recorded for tests (`/_emulator/sign-outs`).
pub async fn logout(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = Ctx::new(&state, &cid);
    let params = match Params::from_query(query.as_deref())
        .and_then(|q| Ok(q.overlay(Params::from_form(&headers, &body)?)))
    {
        Ok(p) => p,
        Err(e) => return e.to_response(&ctx),
    };
    if let Err(e) = authority(&state, &tenant) {
        return e.to_response(&ctx);
    }
    let user_id = params
        .get("logout_hint")
        .and_then(issue::user_of_login_hint)
        .filter(|oid| state.find_user(oid).is_some());
    let back = params.get("post_logout_redirect_uri");
    let registered = back.filter(|uri| {
        state
            .scenario
            .applications
            .iter()
            .any(|app| redirect::is_registered(app, uri))
    });
    {
        let mut rt = state.runtime();
        if rt.sign_outs.len() >= crate::state::TOKEN_REQUESTS_KEPT {
            rt.sign_outs.remove(0);
        }
        rt.sign_outs.push(SignOut {
            at: state.clock.now(),
            user_id,
            post_logout_redirect_uri: back.map(str::to_string),
            redirected: registered.is_some(),
        });
    }
    match registered {
        Some(uri) => (StatusCode::FOUND, [(header::LOCATION, uri.to_string())]).into_response(),
        None => Html(pages::message(
            "You signed out of your account",
            "It's a good idea to close all browser windows.",
        ))
        .into_response(),
    }
}

/// The path segment endpoints use, and the issuer. A tenant-independent authority
/// advertises the issuer as a template, exactly as Entra does.
fn names(state: &AppState, a: Authority) -> (String, String) {
    let base = format!("{}/login", state.base_url);
    let tid = &state.scenario.tenant.id;
    match a {
        Authority::Tenant => (tid.clone(), state.issuer()),
        Authority::Organizations => ("organizations".into(), format!("{base}/{{tenantid}}/v2.0")),
        Authority::Common => ("common".into(), format!("{base}/{{tenantid}}/v2.0")),
    }
}

fn document(state: &AppState, a: Authority) -> Value {
    let (segment, issuer) = names(state, a);
    let cloud = state.cloud();
    let root = format!("{}/login/{segment}", state.base_url);
    json!({
        "token_endpoint": format!("{root}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{root}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer,
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{}/graph/oidc/userinfo", state.base_url),
        "authorization_endpoint": format!("{root}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{root}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{root}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
        "kerberos_endpoint": format!("{root}/kerberos"),
        "tenant_region_scope": "WW",
        "cloud_instance_name": cloud.instance_name,
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": cloud.msgraph_host,
        "rbac_url": "https://pas.windows.net",
    })
}

fn cacheable(body: Json<Value>) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=86400, private"),
    );
    response
}
