//! Turning a `scope` parameter into a token's audience and `scp`, the way Entra does: OIDC
//! scopes aside, the first resource named wins; `.default` means "everything consented";
//! a bare name like `User.Read` means Microsoft Graph. Resource ids are the tenant's cloud's:
//! another cloud's first-party id is not a resource this tenant knows (AADSTS500011).

use crate::cloud::{self, Cloud};
use crate::scenario::{Application, DATAVERSE_RESOURCE};
use crate::state::AppState;

use super::error::{self, EntraError};

pub const GRAPH: &str = "https://graph.microsoft.com";
const OIDC: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// First-party resources that exist in every tenant: asking for one the app has no consent
/// for is a consent problem (65001), not an unknown resource (500011).
const FIRST_PARTY: [&str; 7] = [
    GRAPH,
    "https://api.powerplatform.com",
    "https://service.powerapps.com",
    "https://management.azure.com",
    "https://graph.windows.net",
    "https://outlook.office.com",
    "https://vault.azure.net",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedScope {
    /// The access token's `aud`.
    pub resource: String,
    /// The access token's `scp`, one name per entry.
    pub scp: Vec<String>,
    /// OIDC scopes asked for, lowercase, in request order.
    pub oidc: Vec<String>,
}

impl ResolvedScope {
    pub fn wants(&self, oidc_scope: &str) -> bool {
        self.oidc.iter().any(|s| s == oidc_scope)
    }

    /// The token response's `scope`: resource scopes as full URIs, then the OIDC ones.
    pub fn response_scope(&self) -> String {
        let mut out: Vec<String> = self
            .scp
            .iter()
            .map(|s| {
                if OIDC.contains(&s.as_str()) {
                    s.clone()
                } else if self.resource.ends_with('/') {
                    format!("{}{s}", self.resource)
                } else {
                    format!("{}/{s}", self.resource)
                }
            })
            .collect();
        for s in &self.oidc {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
        out.join(" ")
    }
}

/// `check_all`: the authorize and device-code endpoints check every resource named (the
/// user consents to them all); the token endpoint only looks at the first.
pub fn resolve(
    state: &AppState,
    cloud: &Cloud,
    app: &Application,
    scope: &str,
    check_all: bool,
) -> Result<ResolvedScope, EntraError> {
    let mut oidc = Vec::new();
    let mut first: Option<ResolvedScope> = None;
    for item in scope.split_whitespace() {
        let lower = item.to_ascii_lowercase();
        if OIDC.contains(&lower.as_str()) {
            if !oidc.contains(&lower) {
                oidc.push(lower);
            }
            continue;
        }
        let (resource, name) =
            split(item, cloud.graph).ok_or_else(|| error::invalid_scope(item))?;
        let (key, aud) = consent_key(state, cloud, app, resource)?;
        match &mut first {
            Some(f) if f.resource.eq_ignore_ascii_case(&aud) => add(app, &key, name, &mut f.scp)?,
            Some(_) if !check_all => {}
            Some(_) => add(app, &key, name, &mut Vec::new())?,
            None => {
                let mut scp = Vec::new();
                add(app, &key, name, &mut scp)?;
                first = Some(ResolvedScope {
                    resource: aud,
                    scp,
                    oidc: Vec::new(),
                });
            }
        }
    }
    if oidc.is_empty() && first.is_none() {
        return Err(error::missing("scope"));
    }
    let mut resolved = first.unwrap_or_else(|| openid_only(cloud, app, &oidc));
    resolved.oidc = oidc;
    Ok(resolved)
}

/// Only OIDC scopes asked for: Entra still issues a Graph token, with the OIDC scopes and
/// `User.Read` in `scp`.
fn openid_only(cloud: &Cloud, app: &Application, oidc: &[String]) -> ResolvedScope {
    let mut scp: Vec<String> = oidc
        .iter()
        .filter(|s| *s != "offline_access")
        .cloned()
        .collect();
    let user_read_consented = consented(app, GRAPH)
        .is_some_and(|list| list.iter().any(|s| s.eq_ignore_ascii_case("User.Read")));
    if user_read_consented {
        scp.push("User.Read".into());
    }
    ResolvedScope {
        resource: cloud.graph.into(),
        scp,
        oidc: Vec::new(),
    }
}

fn split<'a>(item: &'a str, graph: &'a str) -> Option<(&'a str, &'a str)> {
    match item.rfind('/') {
        None => Some((graph, item)),
        Some(i) => {
            let (resource, name) = (&item[..i], &item[i + 1..]);
            let scheme_only = resource.ends_with(':') || resource.ends_with(":/");
            (!resource.is_empty() && !name.is_empty() && !scheme_only).then_some((resource, name))
        }
    }
}

/// The consent entry for a resource, and the audience its tokens carry.
fn consent_key(
    state: &AppState,
    cloud: &Cloud,
    app: &Application,
    resource: &str,
) -> Result<(String, String), EntraError> {
    let norm = resource.trim_end_matches('/').to_ascii_lowercase();
    if let Some((public, aud)) = cloud.own(resource) {
        let key = app
            .consented_scopes
            .keys()
            .find(|k| cloud::same(k, public))
            .ok_or_else(|| error::consent_required(&app.app_id, &app.display_name))?;
        return Ok((key.clone(), aud.to_string()));
    }
    if cloud::any_cloud_resource(resource) {
        return Err(error::resource_not_found(
            resource,
            &state.scenario.tenant.display_name,
        ));
    }
    let dataverse_prefix = format!("{}/dataverse/", state.base_url).to_ascii_lowercase();
    if let Some(org) = norm.strip_prefix(&dataverse_prefix) {
        if !org.is_empty() && !org.contains('/') {
            return Ok((
                DATAVERSE_RESOURCE.into(),
                resource.trim_end_matches('/').into(),
            ));
        }
    }
    if let Some(key) = app
        .consented_scopes
        .keys()
        .find(|k| k.trim_end_matches('/').eq_ignore_ascii_case(&norm))
    {
        return Ok((key.clone(), key.clone()));
    }
    if FIRST_PARTY.iter().any(|r| r.eq_ignore_ascii_case(&norm)) {
        return Err(error::consent_required(&app.app_id, &app.display_name));
    }
    Err(error::resource_not_found(
        resource,
        &state.scenario.tenant.display_name,
    ))
}

fn consented<'a>(app: &'a Application, key: &str) -> Option<&'a Vec<String>> {
    app.consented_scopes.get(key)
}

fn add(app: &Application, key: &str, name: &str, scp: &mut Vec<String>) -> Result<(), EntraError> {
    let granted = consented(app, key).map(Vec::as_slice).unwrap_or_default();
    let wanted: Vec<&String> = if name.eq_ignore_ascii_case(".default") {
        granted.iter().collect()
    } else {
        match granted.iter().find(|g| g.eq_ignore_ascii_case(name)) {
            Some(g) => vec![g],
            None => return Err(error::consent_required(&app.app_id, &app.display_name)),
        }
    };
    for g in wanted {
        if !scp.contains(g) {
            scp.push(g.clone());
        }
    }
    Ok(())
}
