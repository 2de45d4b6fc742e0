//! Entra ID v2.0 (contract §1), served under `/login`, i.e. the emulator's
//! `https://login.microsoftonline.com`.

mod authorize;
mod device;
mod discovery;
pub mod error;
pub mod issue;
pub use issue::IdTokenDefect;
mod pages;
mod params;
mod redirect;
pub mod scopes;
pub mod stepup;
mod token;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;

use crate::scenario::Application;
use crate::state::AppState;

use error::EntraError;
use params::Params;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/devicelogin", get(device::page).post(device::submit))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::show).post(authorize::submit),
        )
        .route(
            "/{tenant}/oauth2/v2.0/token",
            axum::routing::post(token::token),
        )
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            axum::routing::post(device::start),
        )
        .route(
            "/{tenant}/oauth2/v2.0/logout",
            get(discovery::logout).post(discovery::logout),
        )
}

/// Which `{tenant}` path segment was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    /// The tenant's GUID or verified domain.
    Tenant,
    Organizations,
    /// Refused for flows: the scenario's apps are single-tenant (AADSTS50194).
    Common,
}

pub fn authority(state: &AppState, segment: &str) -> Result<Authority, EntraError> {
    let t = &state.scenario.tenant;
    if segment.eq_ignore_ascii_case(&t.id) || segment.eq_ignore_ascii_case(&t.verified_domain) {
        Ok(Authority::Tenant)
    } else if segment.eq_ignore_ascii_case("organizations") {
        Ok(Authority::Organizations)
    } else if segment.eq_ignore_ascii_case("common") {
        Ok(Authority::Common)
    } else {
        Err(error::tenant_not_found(segment))
    }
}

/// The app a flow is for, checked the way Entra checks it: present, known, and not used
/// through `/common`.
pub fn client<'a>(
    state: &'a AppState,
    authority: Authority,
    params: &Params,
) -> Result<&'a Application, EntraError> {
    let id = params.require("client_id")?;
    let app = state
        .scenario
        .application(id)
        .ok_or_else(|| error::app_not_found(id, &state.scenario.tenant.display_name))?;
    if authority == Authority::Common {
        return Err(error::common_not_supported(&app.app_id, &app.display_name));
    }
    Ok(app)
}

/// Public clients must not authenticate; confidential ones must (we model no secrets, so a
/// confidential app can never redeem a grant here).
pub fn check_client_credentials(app: &Application, params: &Params) -> Result<(), EntraError> {
    let presented = params.has("client_secret") || params.has("client_assertion");
    match (app.is_public_client, presented) {
        (true, true) => Err(error::public_client_with_secret()),
        (false, false) => Err(error::confidential_client_without_secret()),
        _ => Ok(()),
    }
}

fn accounts(state: &AppState) -> Vec<pages::Account> {
    state
        .scenario
        .users
        .iter()
        .map(|u| pages::Account {
            name: u.display_name.clone(),
            upn: state.scenario.upn(u),
        })
        .collect()
}
