//! Sign-in, settings, the connection check and Home.

use super::Result;
use crate::api::events;
use crate::api::host::Context;
use crate::api::requests as rq;
use crate::api::{ConnectivityReport, HomeSummary, SessionState, Settings};

pub async fn session(cx: &Context<'_>, _: rq::session::Request) -> Result<SessionState> {
    cx.elevate.session().await
}

pub async fn sign_in(cx: &Context<'_>, rq: rq::sign_in::Request) -> Result<SessionState> {
    let host = cx.host;
    cx.elevate
        .sign_in(rq.kind, rq.method, move |p| {
            events::sign_in_progress(host, &p)
        })
        .await
}

pub async fn cancel_sign_in(cx: &Context<'_>, _: rq::cancel_sign_in::Request) -> Result<()> {
    cx.elevate.cancel_sign_in();
    Ok(())
}

/// `end_browser_session`: also open the cloud's sign-out page in the system browser.
pub async fn sign_out(cx: &Context<'_>, rq: rq::sign_out::Request) -> Result<SessionState> {
    cx.elevate
        .sign_out_with(rq.end_browser_session.unwrap_or(false))
        .await
}

pub async fn get_settings(cx: &Context<'_>, _: rq::get_settings::Request) -> Result<Settings> {
    Ok(cx.elevate.settings())
}

pub async fn save_settings(cx: &Context<'_>, rq: rq::save_settings::Request) -> Result<Settings> {
    cx.elevate.save_settings(rq.input)
}

/// Settings → Check connection.
pub async fn check_connectivity(
    cx: &Context<'_>,
    _: rq::check_connectivity::Request,
) -> Result<ConnectivityReport> {
    Ok(cx.elevate.check_connectivity().await)
}

pub async fn home(cx: &Context<'_>, _: rq::home::Request) -> Result<HomeSummary> {
    cx.elevate.home().await
}
