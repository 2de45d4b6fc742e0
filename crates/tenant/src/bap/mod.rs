//! BAP admin API (contract §3.2 Option B), served under `/bap`, i.e. the emulator's
//! `https://api.bap.microsoft.com`: the admin-scope environment list with the nested
//! `properties` shape. Audience `https://service.powerapps.com/`. Callers must hold one of the
//! three admin roles (a group-held role is fine here). No paging unless the `bapPageSize`
//! setting is set (real BAP returns the whole tenant at once); then `nextLink` + `$skiptoken`.
//! Errors: `{"error":{"code","message"}}`.

use std::sync::Arc;

use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::bearer::{self, Bearer};
use crate::environments::{instance_root, is_admin, sweep, Environment, Sku};
use crate::powerplatform::processing_time;
use crate::state::AppState;

const VERSIONS: [&str; 2] = ["2020-10-01", "2023-06-01"];
const PREFIX: &str = "/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(PREFIX, get(list))
        .route(&format!("{PREFIX}/{{id}}"), get(one))
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "NotFound",
                "The requested resource does not exist.",
            )
        })
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut r = (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

/// api-version, token, admin role — in that order.
async fn admit<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    raw: &str,
    path: &str,
) -> Result<Bearer<'a>, Response> {
    let version = url::form_urlencoded::parse(raw.as_bytes())
        .find(|(k, _)| k == "api-version")
        .map(|(_, v)| v.into_owned());
    match version {
        None => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            ))
        }
        Some(v) if !VERSIONS.contains(&v.as_str()) => {
            let m = format!(
                "The api-version '{v}' is invalid. The supported versions are '{}'.",
                VERSIONS.join(",")
            );
            return Err(error(
                StatusCode::BAD_REQUEST,
                "InvalidApiVersionParameter",
                &m,
            ));
        }
        Some(_) => {}
    }
    let me =
        bearer::verify(state, headers, bearer::audience_is(state.cloud().bap)).map_err(|e| {
            error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                e.message(),
            )
        })?;
    sweep(state);
    processing_time(state).await;
    if !is_admin(state, &me.user.id) {
        let m = format!(
            "The user with object id '{}' does not have permission to access the path '{path}' in tenant {}.",
            me.user.id, state.scenario.tenant.id
        );
        return Err(error(StatusCode::FORBIDDEN, "Forbidden", &m));
    }
    Ok(me)
}

async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    if let Err(r) = admit(&state, &headers, &raw, uri.path()).await {
        return r;
    }
    let envs: Vec<&Environment> = state
        .scenario
        .environments
        .iter()
        .filter(|e| !e.deleted)
        .collect();
    let token = url::form_urlencoded::parse(raw.as_bytes())
        .find(|(k, _)| k == "$skiptoken")
        .map(|(_, v)| v.into_owned());
    let skip = match token.as_deref().map(skiptoken) {
        None => 0,
        Some(Some(n)) => n,
        Some(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidSkipToken",
                "The $skiptoken is invalid.",
            )
        }
    };
    let size = state
        .settings()
        .bap_page_size
        .filter(|n| *n > 0)
        .unwrap_or(usize::MAX);
    let end = skip.saturating_add(size).min(envs.len());
    let value: Vec<Value> = envs
        .get(skip.min(end)..end)
        .unwrap_or_default()
        .iter()
        .map(|e| nested(&state, e))
        .collect();
    let mut body = json!({"value": value});
    if end < envs.len() {
        let kept: Vec<&str> = raw
            .split('&')
            .filter(|p| {
                !p.is_empty() && !p.starts_with("$skiptoken") && !p.starts_with("%24skiptoken")
            })
            .collect();
        let link = format!(
            "{}/bap{PREFIX}?{}&$skiptoken={}",
            state.base_url,
            kept.join("&"),
            URL_SAFE_NO_PAD.encode(format!("skip:{end}"))
        );
        if let Some(m) = body.as_object_mut() {
            m.insert("nextLink".into(), json!(link));
        }
    }
    Json(body).into_response()
}

async fn one(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(r) = admit(&state, &headers, raw.as_deref().unwrap_or(""), uri.path()).await {
        return r;
    }
    match state
        .platform
        .env_index(&id)
        .and_then(|i| state.scenario.environments.get(i))
        .filter(|e| !e.deleted)
    {
        Some(env) => Json(nested(&state, env)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "EnvironmentNotFound",
            &format!(
                "The environment '{id}' could not be found in the tenant '{}'.",
                state.scenario.tenant.id
            ),
        ),
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

/// One environment in BAP's shape, field for field as the documented sample.
pub fn nested(state: &AppState, env: &Environment) -> Value {
    let base = &state.base_url;
    let tenant = &state.scenario.tenant.id;
    let mut props = json!({
        "azureRegion": env.azure_region,
        "displayName": env.display_name,
        "description": env.description,
        "createdTime": env.created_time,
        "createdBy": env.created_by.as_ref().map(|p| json!({"id": p.id, "displayName": p.display_name, "type": p.kind, "tenantId": tenant})),
        "lastModifiedTime": env.created_time,
        "provisioningState": "Succeeded",
        "creationType": if env.sku == Sku::Default { "DefaultTenant" } else { "User" },
        "environmentSku": env.sku.as_str(),
        "isDefault": env.sku == Sku::Default,
        "clientUris": {
            "admin": format!("https://admin.powerplatform.microsoft.com/environments/{}/hub", env.id),
            "maker": format!("https://make.powerapps.com/environments/{}/home", env.id),
        },
        // Every service endpoint points back at this emulator: nothing may leak to Microsoft.
        "runtimeEndpoints": {
            "microsoft.BusinessAppPlatform": format!("{base}/bap"),
            "microsoft.CommonDataModel": format!("{base}/cds"),
            "microsoft.PowerApps": format!("{base}/powerapps"),
            "microsoft.Flow": format!("{base}/flow"),
            "microsoft.PowerAppsAdvisor": format!("{base}/advisor"),
            "microsoft.ApiManagement": format!("{base}/apihub"),
        },
        "databaseType": if env.dataverse.is_some() { "CommonDataService" } else { "None" },
        "notificationMetadata": {"state": "NotSpecified", "branding": "NotSpecific"},
        "retentionPeriod": "P7D",
        "states": {"management": {"id": env.state.management}, "runtime": {"id": format!("{:?}", env.state.runtime)}},
        "updateCadence": {"id": "Frequent"},
        "retentionDetails": {"retentionPeriod": "P7D", "backupsAvailableFromDateTime": env.created_time},
        "protectionStatus": {"keyManagedBy": "Microsoft"},
        "cluster": {"number": "108"},
        "connectedGroups": env.connected_group_id.iter().map(|g| json!({"id": g})).collect::<Vec<_>>(),
    });
    if let (Some(dv), Some(map)) = (&env.dataverse, props.as_object_mut()) {
        let root = instance_root(base, &dv.domain_name);
        map.insert(
            "linkedEnvironmentMetadata".into(),
            json!({
                "resourceId": dv.organization_id.to_ascii_lowercase(),
                "friendlyName": dv.org_name,
                "uniqueName": dv.unique_name,
                "domainName": dv.domain_name.to_ascii_lowercase(),
                "version": dv.version,
                "instanceUrl": format!("{root}/"),
                "instanceApiUrl": root,
                "baseLanguage": 1033,
                "instanceState": "Ready",
                "createdTime": env.created_time,
                "backgroundOperationsState": "Enabled",
                "scaleGroup": "NAMCRMLIVESG644",
                "platformSku": "Standard",
            }),
        );
        // Most recorded answers leave the key out when there is no group (contract §8).
        let group = match &env.security_group_id {
            Some(g) => Some(g.clone()),
            None if state.settings().bap_zero_security_group => {
                Some("00000000-0000-0000-0000-000000000000".to_string())
            }
            None => None,
        };
        if let (Some(g), Some(Value::Object(linked))) =
            (group, map.get_mut("linkedEnvironmentMetadata"))
        {
            linked.insert("securityGroupId".into(), json!(g));
        }
    }
    json!({
        "id": format!("{PREFIX}/{}", env.id),
        "type": "Microsoft.BusinessAppPlatform/scopes/environments",
        "location": env.geo,
        "name": env.id,
        "properties": props,
    })
}
