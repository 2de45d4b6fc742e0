//! Reads: `WhoAmI` (§4.1), business units and roles (§4.2), role members and systemusers with
//! their roles (§4.3). Any read but WhoAmI needs at least one security role, as the read
//! privileges come from roles.

use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::environments::org::Org;

use super::error::DvError;
use super::query::{self, Query};
use super::rows::{self, EntitySet, ASSOCIATION, TEAM_MEMBERS, TEAM_ROLES};
use super::{caller, json_ok, missing_privilege, Ctx};

pub fn whoami(ctx: &Ctx) -> Result<Response, DvError> {
    let mut inner = ctx.state.platform.lock();
    let org = inner.org(&ctx.state.scenario, ctx.env).ok_or_else(no_org)?;
    let me = caller(ctx, org)?;
    Ok(json_ok(json!({
        "@odata.context": format!("{}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", ctx.api),
        "BusinessUnitId": me.business_unit,
        "UserId": me.id,
        "OrganizationId": org.organization_id,
    })))
}

/// A collection: the whole entity set, or (`via`) the rows linked to one row of the other side.
pub fn collection(
    ctx: &Ctx,
    set: EntitySet,
    via: Option<(EntitySet, String)>,
) -> Result<Response, DvError> {
    let q =
        query::parse(&ctx.raw_query, set.schema(), set.entity()).map_err(DvError::bad_request)?;
    let mut inner = ctx.state.platform.lock();
    let org = inner.org(&ctx.state.scenario, ctx.env).ok_or_else(no_org)?;
    readable(ctx, org, set)?;
    let mut all = rows_of(org, set);
    let self_url = match &via {
        None => format!("{}/{}", ctx.api, set.name()),
        Some((from, id)) => {
            let linked: Vec<String> = match from {
                EntitySet::Roles => {
                    org.role(id).ok_or_else(|| DvError::not_found("role", id))?;
                    org.members_of(id).iter().map(|u| u.id.clone()).collect()
                }
                _ => {
                    org.user(id)
                        .ok_or_else(|| DvError::not_found("systemuser", id))?;
                    org.roles_of(id).iter().map(|r| r.id.clone()).collect()
                }
            };
            all.retain(|r| {
                r.get(set.key())
                    .and_then(Value::as_str)
                    .is_some_and(|k| linked.iter().any(|l| l == k))
            });
            format!("{}/{}({id})/{ASSOCIATION}", ctx.api, from.name())
        }
    };
    if let Some(f) = &q.filter {
        all.retain(|r| super::filter::eval(f, r));
    }
    let (page, next, total) = query::page(all, set.key(), &q, ctx.page_size, &self_url);
    let value: Vec<Value> = page
        .iter()
        .map(|r| Value::Object(shape(r, set, &q)))
        .collect();
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(context(ctx, set, &q)));
    if q.count {
        body.insert("@odata.count".into(), json!(total));
    }
    body.insert("value".into(), Value::Array(value));
    if let Some(n) = next {
        body.insert("@odata.nextLink".into(), json!(n));
    }
    Ok(json_ok(Value::Object(body)))
}

pub fn single(ctx: &Ctx, set: EntitySet, id: &str) -> Result<Response, DvError> {
    let q =
        query::parse(&ctx.raw_query, set.schema(), set.entity()).map_err(DvError::bad_request)?;
    let mut inner = ctx.state.platform.lock();
    let org = inner.org(&ctx.state.scenario, ctx.env).ok_or_else(no_org)?;
    readable(ctx, org, set)?;
    let row = rows_of(org, set)
        .into_iter()
        .find(|r| r.get(set.key()).and_then(Value::as_str) == Some(id))
        .ok_or_else(|| DvError::not_found(set.entity(), id))?;
    let mut body = shape(&row, set, &q);
    body.insert(
        "@odata.context".into(),
        json!(format!("{}/$entity", context(ctx, set, &q))),
    );
    Ok(json_ok(Value::Object(body)))
}

fn readable(ctx: &Ctx, org: &Org, set: EntitySet) -> Result<(), DvError> {
    let me = caller(ctx, org)?;
    if org.roles_of(&me.id).is_empty() {
        return Err(missing_privilege(
            org,
            me,
            &format!("prvRead{}", set.entity()),
            set.entity(),
        ));
    }
    Ok(())
}

/// Every row of the set, each with its linked rows under `systemuserroles_association`
/// (for `any()` filters and `$expand`).
fn rows_of(org: &Org, set: EntitySet) -> Vec<Map<String, Value>> {
    match set {
        EntitySet::BusinessUnits => org.business_units.iter().map(rows::business_unit).collect(),
        EntitySet::Roles => org
            .roles
            .iter()
            .map(|r| {
                let mut m = rows::role(r);
                let members = org
                    .members_of(&r.id)
                    .into_iter()
                    .map(|u| Value::Object(rows::user(u)))
                    .collect();
                m.insert(ASSOCIATION.into(), Value::Array(members));
                m
            })
            .collect(),
        EntitySet::Teams => org
            .teams
            .iter()
            .map(|t| {
                let mut m = rows::team(t);
                let members = org
                    .members_of_team(&t.id)
                    .into_iter()
                    .map(|u| Value::Object(rows::user(u)))
                    .collect();
                let roles = org
                    .roles_of_team(&t.id)
                    .into_iter()
                    .map(|r| Value::Object(rows::role(r)))
                    .collect();
                m.insert(TEAM_MEMBERS.into(), Value::Array(members));
                m.insert(TEAM_ROLES.into(), Value::Array(roles));
                m
            })
            .collect(),
        EntitySet::SystemUsers => org
            .users
            .iter()
            .map(|u| {
                let mut m = rows::user(u);
                let roles = org
                    .roles_of(&u.id)
                    .into_iter()
                    .map(|r| Value::Object(rows::role(r)))
                    .collect();
                m.insert(ASSOCIATION.into(), Value::Array(roles));
                m
            })
            .collect(),
    }
}

/// `$select` and `$expand` applied to one row.
fn shape(row: &Map<String, Value>, set: EntitySet, q: &Query) -> Map<String, Value> {
    let mut out = rows::project(row, set.key(), q.select.as_deref());
    for (nav, select) in &q.expand {
        let key = set.nav_key(nav);
        let items: Vec<Value> = row
            .get(nav)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_object)
                    .map(|m| Value::Object(rows::project(m, key, select.as_deref())))
                    .collect()
            })
            .unwrap_or_default();
        out.insert(nav.clone(), Value::Array(items));
    }
    out
}

/// `{api}/$metadata#set(col,…,nav(col,…))`.
fn context(ctx: &Ctx, set: EntitySet, q: &Query) -> String {
    let mut cols: Vec<String> = q.select.clone().unwrap_or_default();
    for (nav, select) in &q.expand {
        cols.push(format!(
            "{nav}({})",
            select.clone().unwrap_or_default().join(",")
        ));
    }
    if cols.is_empty() {
        format!("{}/$metadata#{}", ctx.api, set.name())
    } else {
        format!("{}/$metadata#{}({})", ctx.api, set.name(), cols.join(","))
    }
}

fn no_org() -> DvError {
    DvError::new(
        axum::http::StatusCode::NOT_FOUND,
        "",
        "The environment has no Dataverse organization.",
    )
}
