//! Environments: the list, Membership, the preflight, Add me (an `elevation-progress` event
//! after each environment), and opening an environment in the system browser.

use super::Result;
use crate::api::events;
use crate::api::host::Context;
use crate::api::requests as rq;
use crate::api::{Elevation, EnvironmentList, Membership, Preflight};

pub async fn environments(
    cx: &Context<'_>,
    _: rq::environments::Request,
) -> Result<EnvironmentList> {
    cx.elevate.environments().await
}

pub async fn environment_membership(
    cx: &Context<'_>,
    rq: rq::environment_membership::Request,
) -> Result<Membership> {
    cx.elevate.membership(&rq.environment_id).await
}

pub async fn preflight(cx: &Context<'_>, rq: rq::preflight::Request) -> Result<Vec<Preflight>> {
    cx.elevate.preflight(&rq.environment_ids).await
}

pub async fn add_me(cx: &Context<'_>, rq: rq::add_me::Request) -> Result<Vec<Elevation>> {
    let host = cx.host;
    cx.elevate
        .add_me(rq.input, &move |p| events::elevation_progress(host, &p))
        .await
}

pub async fn open_environment(cx: &Context<'_>, rq: rq::open_environment::Request) -> Result<()> {
    let url = cx.elevate.environment_url(&rq.environment_id).await?;
    cx.host.open_url(&url)
}
