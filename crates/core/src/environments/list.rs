//! The Environments page: every environment the Power Platform API lists for the user, with
//! the names of the groups that gate them.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use futures::StreamExt;

use super::Environments;
use super::POWER_PLATFORM;
use crate::api::{ApiError, Environment, EnvironmentList, GroupRef};
use crate::clients::power_platform::WireEnvironment;
use crate::directory_roles::can_self_elevate;

/// Group names are looked up this many at a time.
const NAME_LOOKUPS: usize = 8;

impl Environments {
    pub async fn environments(&self) -> Result<EnvironmentList, ApiError> {
        let s = self.pp_session(false).await?;
        let (mut wire, unreadable) = self
            .power_platform(&s)
            .environments()
            .await
            .map_err(|e| e.to_api_error(POWER_PLATFORM))?;
        self.resolve_groups(&mut wire).await;
        let ids: BTreeSet<String> = wire
            .iter()
            .flat_map(|e| [e.security_group_id.clone(), e.connected_group_id.clone()])
            .flatten()
            .map(|g| g.to_ascii_lowercase())
            .collect();
        let names = self.group_names(ids.into_iter().collect()).await;
        let mut environments: Vec<Environment> =
            wire.iter().map(|w| to_environment(w, &names)).collect();
        self.envs
            .remember_url(environments.iter().find_map(|e| e.url.as_deref()));
        environments.sort_by(|a, b| {
            a.display_name
                .to_lowercase()
                .cmp(&b.display_name.to_lowercase())
        });
        Ok(EnvironmentList {
            environments,
            partial: !s
                .wids
                .iter()
                .any(|w| can_self_elevate(&w.to_ascii_lowercase())),
            fetched_at: Utc::now(),
            not_shown: not_shown(unreadable),
        })
    }

    /// Names label the groups; without them the id is shown, so failures are only logged.
    pub(crate) async fn group_names(&self, ids: Vec<String>) -> HashMap<String, String> {
        if ids.is_empty() {
            return HashMap::new();
        }
        let s = match self.graph_session(false).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "no Graph token for group names");
                return HashMap::new();
            }
        };
        let groups = self.ctx.groups(&s);
        let groups = &groups;
        futures::stream::iter(ids)
            .map(|id| async move { (groups.name(&id).await, id) })
            .buffer_unordered(NAME_LOOKUPS)
            .filter_map(|(r, id)| async move {
                match r {
                    Ok(Some(name)) => Some((id, name)),
                    Ok(None) => None,
                    Err(e) => {
                        tracing::warn!(group = %id, error = %e, "could not read a group's name");
                        None
                    }
                }
            })
            .collect()
            .await
    }
}

/// The sentence for rows left out of a list because they could not be read at all.
pub(crate) fn not_shown(unreadable: u32) -> Option<String> {
    match unreadable {
        0 => None,
        1 => Some("Power Platform listed 1 more environment in a form Elevate could not read, so it is not shown here. Refresh to try again; if it stays, look for it in the Power Platform admin center.".into()),
        n => Some(format!("Power Platform listed {n} more environments in a form Elevate could not read, so they are not shown here. Refresh to try again; if they stay, look for them in the Power Platform admin center.")),
    }
}

/// "its type and created date": what could not be read, as a list in words.
fn unread_sentence(unread: &[&str]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for u in unread {
        if !names.contains(u) {
            names.push(u);
        }
    }
    let list = match names.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    Some(format!(
        "Power Platform sent this environment's {list} in a form Elevate does not know, so {} not shown. Everything else is as Power Platform listed it.",
        if names.len() == 1 { "it is" } else { "they are" }
    ))
}

pub(crate) fn to_environment(w: &WireEnvironment, names: &HashMap<String, String>) -> Environment {
    let group = |id: &Option<String>| {
        id.as_ref().filter(|g| !g.is_empty()).map(|g| GroupRef {
            name: names.get(&g.to_ascii_lowercase()).cloned(),
            id: g.clone(),
        })
    };
    let state = w.state.clone().unwrap_or_else(|| "Unknown".into());
    let url = w.url.clone().filter(|u| !u.is_empty());
    Environment {
        id: w.id.clone(),
        display_name: w
            .display_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| w.id.clone()),
        kind: w.kind.clone().unwrap_or_else(|| "Unknown".into()),
        // A state Elevate could not read is not taken for "disabled": Add me's preflight and
        // Dataverse itself still say so if it is.
        enabled: !state.eq_ignore_ascii_case("Disabled"),
        state,
        geo: w.geo.clone().unwrap_or_default(),
        azure_region: w.azure_region.clone().unwrap_or_default(),
        has_dataverse: url.is_some(),
        url,
        organization_id: w.dataverse_id.clone(),
        version: w.version.clone(),
        security_group: group(&w.security_group_id),
        connected_group: group(&w.connected_group_id),
        created: w.created_date_time,
        unread: unread_sentence(&w.unread),
        groups_unknown: w.groups_unknown.clone(),
    }
}

impl Environments {
    /// The environment's URL, for the system browser: read again from Power Platform (never
    /// taken from the webview) and only https — or http on this computer for the demo tenant.
    pub async fn environment_url(&self, environment_id: &str) -> Result<url::Url, ApiError> {
        let id = super::checked_ids(std::slice::from_ref(&environment_id.to_string()))?.remove(0);
        let s = self.pp_session(false).await?;
        let env = self.environment_by_id(&s, &id).await?;
        let no_url = || {
            ApiError::new(
                crate::api::ErrorCode::NotFound,
                format!(
                    "{} has no environment URL: it has no Dataverse database.",
                    env.display_name
                ),
            )
        };
        let url = url::Url::parse(env.url.as_deref().ok_or_else(no_url)?).map_err(|_| no_url())?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1") | Some("localhost"));
        match url.scheme() {
            "https" => Ok(url),
            "http" if loopback => Ok(url),
            _ => Err(no_url()),
        }
    }
}
