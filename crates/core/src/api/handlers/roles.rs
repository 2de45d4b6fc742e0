//! My roles: the list, activation, extension, deactivation, requests and preferences. Each
//! command that may change the roles tells the host, so a background watch looks again.

use super::Result;
use crate::api::events;
use crate::api::host::Context;
use crate::api::requests as rq;
use crate::api::{ActivationOutcome, MyRoles, RolePreferences};

pub async fn my_roles(cx: &Context<'_>, _: rq::my_roles::Request) -> Result<MyRoles> {
    let r = cx.elevate.my_roles().await;
    cx.host.roles_touched();
    r
}

pub async fn activate_roles(
    cx: &Context<'_>,
    rq: rq::activate_roles::Request,
) -> Result<Vec<ActivationOutcome>> {
    let host = cx.host;
    let r = cx
        .elevate
        .activate_roles(rq.input, &move |p| events::activation_progress(host, &p))
        .await;
    host.roles_touched();
    r
}

pub async fn extend_role(
    cx: &Context<'_>,
    rq: rq::extend_role::Request,
) -> Result<ActivationOutcome> {
    let host = cx.host;
    let r = cx
        .elevate
        .extend_role(rq.input, &move |p| events::activation_progress(host, &p))
        .await;
    host.roles_touched();
    r
}

pub async fn deactivate_role(cx: &Context<'_>, rq: rq::deactivate_role::Request) -> Result<()> {
    let r = cx.elevate.deactivate_role(&rq.role_id).await;
    cx.host.roles_touched();
    r
}

pub async fn cancel_request(cx: &Context<'_>, rq: rq::cancel_request::Request) -> Result<()> {
    let r = cx.elevate.cancel_request(&rq.request_id).await;
    cx.host.roles_touched();
    r
}

pub async fn role_preferences(
    cx: &Context<'_>,
    _: rq::role_preferences::Request,
) -> Result<RolePreferences> {
    Ok(cx.elevate.role_preferences())
}

pub async fn save_role_preferences(
    cx: &Context<'_>,
    rq: rq::save_role_preferences::Request,
) -> Result<RolePreferences> {
    cx.elevate.save_role_preferences(rq.prefs)
}
