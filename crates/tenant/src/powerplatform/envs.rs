//! `GET /environmentmanagement/environments[/{id}]` (contract §3.2 Option A): the flat
//! `EnvironmentResponse`. Admins (any of the three roles, group-held included) see every
//! environment; anyone else sees the default one and those where they are an enabled systemuser.
//! `$filter` (any flat field, e.g. `type eq 'Sandbox' and geo eq 'europe'`), `$select`, `$top`,
//! `$skip`; more pages are announced in `@odata.nextlink` (lower-case l, as documented) with an
//! opaque `$skiptoken`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::dataverse::filter;
use crate::environments::{instance_root, is_admin, sweep, Environment, RuntimeState, Sku};
use crate::scenario::User;
use crate::state::AppState;

use super::{api_version, caller, processing_time, well_formed_id, PpError};

const READ: &str = "EnvironmentManagement.Environments.Read";

pub fn flat(state: &AppState, env: &Environment) -> Map<String, Value> {
    let dv = env.dataverse.as_ref();
    let state_id = match env.state.runtime {
        RuntimeState::Disabled => "Disabled".to_string(),
        RuntimeState::Enabled => env.state.management.clone(),
    };
    let v = json!({
        "id": env.id,
        "tenantId": state.scenario.tenant.id,
        "type": env.sku.as_str(),
        "displayName": env.display_name,
        "geo": env.geo,
        "azureRegion": env.azure_region,
        "url": dv.map(|d| format!("{}/", instance_root(&state.base_url, &d.domain_name))),
        "domainName": dv.map(|d| d.domain_name.to_ascii_lowercase()),
        "dataverseId": dv.map(|d| d.organization_id.to_ascii_lowercase()),
        "version": dv.map(|d| d.version.clone()),
        "state": state_id,
        "adminMode": "Disabled",
        "backgroundOperationsState": "Enabled",
        "protectionLevel": "Standard",
        "environmentGroupId": null,
        "securityGroupId": env.security_group_id,
        "connectedGroupId": env.connected_group_id,
        "clusterCategory": "Prod",
        "scenarioName": null,
        "createdBy": env.created_by.as_ref().map(|p| json!({"id": p.id, "type": p.kind})),
        "createdFor": null,
        "createdDateTime": env.created_time,
        "deletedDateTime": null,
        "retentionDetails": {"retentionPeriod": "P7D", "availableFromDateTime": env.created_time},
        "enterprisePolicies": null,
        "finOpsMetadata": null,
    });
    let mut m = match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let settings = state.settings();
    if settings.environment_list_without_groups {
        m.remove("securityGroupId");
        m.remove("connectedGroupId");
    }
    if let Some(o) = settings.environment_field_overrides.get(&env.id) {
        m.extend(o.clone());
    }
    m
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    match list_inner(&state, &headers, &raw).await {
        Ok(body) => Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn list_inner(state: &AppState, headers: &HeaderMap, raw: &str) -> Result<Value, PpError> {
    api_version(raw)?;
    let me = caller(state, headers, READ)?;
    sweep(state);
    processing_time(state).await;
    let bad = |m: String| PpError::new(StatusCode::BAD_REQUEST, "InvalidQuery", m);
    let mut filter_expr = None;
    let (mut select, mut top, mut skip) = (None::<Vec<String>>, None::<usize>, 0usize);
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "$filter" => filter_expr = Some(filter::parse(&v).map_err(bad)?),
            "$select" => {
                select = Some(
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "$top" => {
                top = Some(
                    v.parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| bad(format!("Invalid $top '{v}'.")))?,
                )
            }
            "$skip" => {
                skip = v
                    .parse()
                    .map_err(|_| bad(format!("Invalid $skip '{v}'.")))?
            }
            "$skiptoken" => {
                skip = skiptoken(&v).ok_or_else(|| bad("The $skiptoken is invalid.".into()))?
            }
            _ => {}
        }
    }
    let visible = visible_envs(state, me.user);
    let sample = flat(state, &placeholder());
    for name in select.iter().flatten() {
        if !sample.contains_key(name) {
            return Err(bad(format!(
                "Could not find a property named '{name}' on EnvironmentResponse."
            )));
        }
    }
    let matching: Vec<&Environment> = match &filter_expr {
        None => visible,
        Some(f) => {
            let props: Vec<&str> = sample.keys().map(String::as_str).collect();
            let schema = filter::Schema {
                props: &props,
                navs: &[],
            };
            if let Some(p) = filter::unknown_property(f, &schema, None) {
                return Err(bad(format!(
                    "Could not find a property named '{p}' on EnvironmentResponse."
                )));
            }
            visible
                .into_iter()
                .filter(|e| filter::eval(f, &flat(state, e)))
                .collect()
        }
    };
    let end = top.map_or(matching.len(), |t| {
        skip.saturating_add(t).min(matching.len())
    });
    let page: Vec<Value> = matching
        .get(skip.min(end)..end)
        .unwrap_or_default()
        .iter()
        .map(|e| Value::Object(project(flat(state, e), select.as_deref())))
        .collect();
    let next = (end < matching.len()).then(|| next_link(state, raw, end));
    Ok(json!({"value": page, "@odata.nextlink": next}))
}

pub async fn one(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let result = async {
        api_version(&raw)?;
        let me = caller(&state, &headers, READ)?;
        sweep(&state);
        processing_time(&state).await;
        if !well_formed_id(&id) {
            return Err(PpError::new(
                StatusCode::BAD_REQUEST,
                "InvalidEnvironmentId",
                format!("'{id}' is not a valid environment id."),
            ));
        }
        let env = state
            .platform
            .env_index(&id)
            .and_then(|i| state.scenario.environments.get(i))
            .filter(|e| !e.deleted && can_see(&state, me.user, e, is_admin(&state, &me.user.id)))
            .ok_or_else(|| not_found(&id))?;
        Ok(Value::Object(flat(&state, env)))
    }
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

pub fn not_found(id: &str) -> PpError {
    PpError::new(
        StatusCode::NOT_FOUND,
        "EnvironmentNotFound",
        format!("The environment '{id}' could not be found."),
    )
}

fn visible_envs<'a>(state: &'a AppState, user: &User) -> Vec<&'a Environment> {
    let admin = is_admin(state, &user.id);
    state
        .scenario
        .environments
        .iter()
        .filter(|e| !e.deleted && can_see(state, user, e, admin))
        .collect()
}

/// A non-admin sees the default environment and those where they are an enabled systemuser.
fn can_see(state: &AppState, user: &User, env: &Environment, admin: bool) -> bool {
    if admin || env.sku == Sku::Default {
        return true;
    }
    let Some(dv) = &env.dataverse else {
        return false;
    };
    let Some(idx) = state.platform.env_index(&env.id) else {
        return false;
    };
    // A synthetic org never contains scenario users; do not build it just to find that out.
    if dv.synthetic.is_some() && !state.platform.materialized(idx) {
        return false;
    }
    let mut inner = state.platform.lock();
    inner
        .org(&state.scenario, idx)
        .and_then(|o| o.user_by_oid(&user.id))
        .is_some_and(|u| !u.disabled)
}

fn project(row: Map<String, Value>, select: Option<&[String]>) -> Map<String, Value> {
    match select {
        None => row,
        Some(cols) => row
            .into_iter()
            .filter(|(k, _)| k == "id" || cols.contains(k))
            .collect(),
    }
}

fn skiptoken(v: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(v).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("skip:")?
        .parse()
        .ok()
}

fn next_link(state: &AppState, raw: &str, skip: usize) -> String {
    let kept: Vec<&str> = raw
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            !matches!(
                p.split('=').next(),
                Some("$skiptoken" | "%24skiptoken" | "$skip" | "%24skip")
            )
        })
        .collect();
    let token = URL_SAFE_NO_PAD.encode(format!("skip:{skip}"));
    let mut q = kept.join("&");
    if !q.is_empty() {
        q.push('&');
    }
    format!(
        "{}/powerplatform/environmentmanagement/environments?{q}$skiptoken={token}",
        state.base_url
    )
}

/// Only to learn the field names.
fn placeholder() -> Environment {
    Environment {
        id: String::new(),
        display_name: String::new(),
        description: String::new(),
        sku: Sku::Production,
        geo: String::new(),
        azure_region: String::new(),
        state: Default::default(),
        deleted: false,
        created_time: String::new(),
        created_by: None,
        security_group_id: None,
        connected_group_id: None,
        dataverse: None,
    }
}
