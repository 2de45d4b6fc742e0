//! `/oauth2/v2.0/authorize` (contract §1.2–1.3): the sign-in page and its form submit, which
//! issues a one-time authorization code bound to the client, redirect URI, PKCE challenge,
//! scope and user.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;

use crate::correlation::CorrelationId;
use crate::scenario::Application;
use crate::secrets::{fingerprint, random_token};
use crate::state::{AppState, AuthCode, Pkce, PkceMethod};

use super::error::{self, Ctx, EntraError};
use super::params::Params;
use super::redirect::{self, ResponseMode};
use super::stepup::{AuthStrength, ClaimsDemand};
use super::{accounts, authority, client, pages, scopes, stepup};

/// Parameters carried through the sign-in form, so its submit can be checked afresh.
const CARRIED: [&str; 14] = [
    "client_id",
    "response_type",
    "redirect_uri",
    "scope",
    "response_mode",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "login_hint",
    "domain_hint",
    "claims",
    "amr_values",
];

pub async fn show(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
    RawQuery(query): RawQuery,
) -> Response {
    let ctx = Ctx::new(&state, &cid);
    let params = match Params::from_query(query.as_deref()) {
        Ok(p) => p,
        Err(e) => return Refusal::Page(e).respond(&ctx),
    };
    match validate(&state, &tenant, &params) {
        Ok(req) => sign_in_page(&state, &req, &params, req.login_hint.as_deref(), None),
        Err(refusal) => refusal.respond(&ctx),
    }
}

pub async fn submit(
    State(state): State<Arc<AppState>>,
    Path(tenant): Path<String>,
    Extension(cid): Extension<CorrelationId>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = Ctx::new(&state, &cid);
    let parsed = Params::from_query(query.as_deref())
        .and_then(|q| Params::from_form(&headers, &body).map(|form| q.overlay(form)));
    let params = match parsed {
        Ok(p) => p,
        Err(e) => return Refusal::Page(e).respond(&ctx),
    };
    let req = match validate(&state, &tenant, &params) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(&ctx),
    };
    if params.get("action") == Some("cancel") {
        return Refusal::Redirect(Box::new(req.target()), error::user_declined()).respond(&ctx);
    }
    let login = params.get("login");
    let Some(user) = login.and_then(|l| state.find_user(l)) else {
        let problem = match login {
            None => "Pick an account to sign in with.".to_string(),
            Some(l) => format!(
                "AADSTS50034: The user account {l} does not exist in the {} directory. To sign into this application, the account must be added to the directory.",
                state.scenario.tenant.verified_domain
            ),
        };
        return sign_in_page(&state, &req, &params, login, Some(&problem));
    };
    // The demo's "Microsoft Authenticator": a checkbox the person ticks (form field mfa=approve).
    let mfa_approved = params.get("mfa") == Some("approve");
    if req.claims.needs_step_up() && !mfa_approved {
        let problem = "This sign-in needs additional verification. Approve the sign-in request in Microsoft Authenticator, then sign in.";
        return sign_in_page(&state, &req, &params, login, Some(problem));
    }

    let code = random_token(48);
    state.issued.record(&code);
    state.runtime().auth_codes.insert(
        fingerprint(&code),
        AuthCode {
            client_id: req.app.app_id.clone(),
            redirect_uri: req.redirect_uri.clone(),
            pkce: req.pkce.clone(),
            scope: req.scope.clone(),
            user_id: user.id.clone(),
            nonce: req.nonce.clone(),
            issued_at: ctx.now,
            redeemed: false,
            auth: AuthStrength::signed_in(mfa_approved, &req.claims),
        },
    );
    let mut answer = vec![("code", code.as_str())];
    if let Some(s) = req.state.as_deref() {
        answer.push(("state", s));
    }
    redirect::deliver(&req.redirect_uri, req.mode, &answer)
}

struct AuthorizeRequest<'a> {
    app: &'a Application,
    redirect_uri: String,
    mode: ResponseMode,
    state: Option<String>,
    scope: String,
    pkce: Option<Pkce>,
    nonce: Option<String>,
    login_hint: Option<String>,
    /// Step-up asked for through `claims` / `amr_values`, and declared client capabilities.
    claims: ClaimsDemand,
}

#[derive(Clone)]
struct Target {
    redirect_uri: String,
    mode: ResponseMode,
    state: Option<String>,
}

impl AuthorizeRequest<'_> {
    fn target(&self) -> Target {
        Target {
            redirect_uri: self.redirect_uri.clone(),
            mode: self.mode,
            state: self.state.clone(),
        }
    }
}

enum Refusal {
    /// Shown in the browser: the redirect URI is not (yet) known to be safe.
    Page(EntraError),
    /// Boxed: the target is large and refusals travel in `Result`s.
    Redirect(Box<Target>, EntraError),
}

impl Refusal {
    fn respond(self, ctx: &Ctx) -> Response {
        match self {
            Refusal::Page(e) => (e.status, Html(pages::error(&e, ctx))).into_response(),
            Refusal::Redirect(t, e) => {
                let description = e.description(ctx);
                let uri = e.error_uri();
                let mut answer = vec![
                    ("error", e.error),
                    ("error_description", &description),
                    ("error_uri", &uri),
                ];
                if let Some(s) = t.state.as_deref() {
                    answer.push(("state", s));
                }
                redirect::deliver(&t.redirect_uri, t.mode, &answer)
            }
        }
    }
}

/// Checks in Entra's order: until the redirect URI is proven registered, problems are shown
/// as a page; after that they go back to the app.
fn validate<'a>(
    state: &'a AppState,
    tenant: &str,
    params: &Params,
) -> Result<AuthorizeRequest<'a>, Refusal> {
    let authority = authority(state, tenant).map_err(Refusal::Page)?;
    let app = client(state, authority, params).map_err(Refusal::Page)?;
    let redirect_uri = params.require("redirect_uri").map_err(Refusal::Page)?;
    if !redirect::is_registered(app, redirect_uri) {
        return Err(Refusal::Page(error::redirect_mismatch(
            redirect_uri,
            &app.app_id,
        )));
    }
    let mode = ResponseMode::parse(params.get("response_mode"));
    let target = Target {
        redirect_uri: redirect_uri.to_string(),
        mode: mode.unwrap_or(ResponseMode::Query),
        state: params.get("state").map(str::to_string),
    };
    let refuse = |e: EntraError| Refusal::Redirect(Box::new(target.clone()), e);
    let Some(mode) = mode else {
        return Err(refuse(error::malformed(
            "The response_mode is not supported.",
        )));
    };
    match params.get("response_type") {
        None => return Err(refuse(error::missing("response_type"))),
        Some("code") => {}
        Some(other) => return Err(refuse(error::unsupported_response_type(other))),
    }
    let scope = params.require("scope").map_err(refuse)?;
    scopes::resolve(state, &state.cloud(), app, scope, true).map_err(refuse)?;
    let pkce = pkce(params).map_err(refuse)?;
    let claims = stepup::demand(params).map_err(refuse)?;
    if params.get("prompt") == Some("none") {
        return Err(refuse(error::login_required()));
    }
    Ok(AuthorizeRequest {
        app,
        redirect_uri: redirect_uri.to_string(),
        mode,
        state: target.state.clone(),
        scope: scope.to_string(),
        pkce,
        nonce: params.get("nonce").map(str::to_string),
        login_hint: params.get("login_hint").map(str::to_string),
        claims,
    })
}

/// RFC 7636: a method without a challenge means no PKCE; a challenge without a method is
/// `plain`; a challenge is 43–128 unreserved characters.
fn pkce(params: &Params) -> Result<Option<Pkce>, EntraError> {
    let Some(challenge) = params.get("code_challenge") else {
        return Ok(None);
    };
    let method = match params.get("code_challenge_method") {
        None | Some("plain") => PkceMethod::Plain,
        Some("S256") => PkceMethod::S256,
        Some(_) => {
            return Err(error::malformed(
                "The code_challenge_method must be 'S256' or 'plain'.",
            ))
        }
    };
    let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    if !(43..=128).contains(&challenge.len()) || !challenge.chars().all(unreserved) {
        return Err(error::bad_code_challenge());
    }
    Ok(Some(Pkce {
        challenge: challenge.to_string(),
        method,
    }))
}

fn sign_in_page(
    state: &AppState,
    req: &AuthorizeRequest<'_>,
    params: &Params,
    selected: Option<&str>,
    problem: Option<&str>,
) -> Response {
    let hidden: Vec<(&str, &str)> = CARRIED
        .iter()
        .filter_map(|k| params.get(k).map(|v| (*k, v)))
        .collect();
    let accounts = accounts(state);
    let html = pages::sign_in(&pages::SignIn {
        tenant_name: &state.scenario.tenant.display_name,
        app_name: &req.app.display_name,
        accounts: &accounts,
        hidden: &hidden,
        selected,
        problem,
        step_up: req.claims.needs_step_up(),
    });
    (StatusCode::OK, Html(html)).into_response()
}
