//! Power Platform environments: the list, each one's System Administrators, the preflight
//! before "Add me", and self-elevation through `applyAdminRole`.

mod apply;
mod checks;
mod confirm;
#[cfg(test)]
mod fuzz;
mod groups;
pub(crate) mod holders;
pub(crate) mod list;
mod membership;
mod preflight;
mod refusal;
mod standing;
pub(crate) mod teams;
mod version;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::api::{ApiError, Environment, ErrorCode, Preflight};
use crate::auth::BrokerToken;
use crate::clients::graph::pim::PimClient;
use crate::context::{Context, ServiceSession};
use crate::privileged::{Privileged, Running};
use crate::settings::is_guid;

pub use standing::Standing;

pub use crate::clients::dataverse::SYSTEM_ADMINISTRATOR_TEMPLATE;
/// How long a preflight stands in for a new one when Add me follows it.
const PREFLIGHT_FRESH: Duration = Duration::from_secs(120);
/// At most this many environments in one Add me.
pub const MAX_AT_ONCE: usize = 500;
pub(crate) const POWER_PLATFORM: &str = "Power Platform";

/// Preflights just shown to the user, so the Add me that follows costs one request each.
#[derive(Default)]
pub struct EnvState {
    preflights: Mutex<HashMap<String, (Instant, Preflight, Environment)>>,
    /// The applyAdminRole api-version the service last accepted in this session.
    apply_version: Mutex<Option<&'static str>>,
    /// One environment's Dataverse URL from the last list, for the connectivity self-test.
    known_url: Mutex<Option<url::Url>>,
}

impl EnvState {
    fn remember(&self, p: &Preflight, env: &Environment) {
        self.preflights.lock().expect("lock").insert(
            p.environment_id.to_ascii_lowercase(),
            (Instant::now(), p.clone(), env.clone()),
        );
    }

    fn fresh(&self, id: &str) -> Option<(Preflight, Environment)> {
        let map = self.preflights.lock().expect("lock");
        map.get(&id.to_ascii_lowercase())
            .filter(|(at, _, _)| at.elapsed() < PREFLIGHT_FRESH)
            .map(|(_, p, e)| (p.clone(), e.clone()))
    }

    fn forget(&self, id: &str) {
        self.preflights
            .lock()
            .expect("lock")
            .remove(&id.to_ascii_lowercase());
    }

    pub(crate) fn remember_url(&self, url: Option<&str>) {
        if let Some(u) = url.and_then(|u| url::Url::parse(u).ok()) {
            *self.known_url.lock().expect("lock") = Some(u);
        }
    }

    pub(crate) fn known_environment_url(&self) -> Option<url::Url> {
        self.known_url.lock().expect("lock").clone()
    }

    pub fn clear(&self) {
        self.preflights.lock().expect("lock").clear();
        *self.apply_version.lock().expect("lock") = None;
    }
}

/// A GUID, or the default environment's `Default-{tenant GUID}`.
pub fn is_environment_id(s: &str) -> bool {
    let s = s.trim();
    let guid = s
        .strip_prefix("Default-")
        .or_else(|| s.strip_prefix("default-"))
        .unwrap_or(s);
    is_guid(guid)
}

/// The ids as given, checked, trimmed and without duplicates; refused before anything is sent.
pub(crate) fn checked_ids(ids: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for raw in ids {
        let id = raw.trim();
        if !is_environment_id(id) {
            let shown: String = id.chars().take(60).collect();
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("\"{shown}\" is not an environment id. An environment id looks like 5ca1c616-6060-46ba-abc1-18d312f1cb3a (Details → Environment ID)."),
            ));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(id)) {
            out.push(id.to_string());
        }
    }
    if out.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "Choose at least one environment.",
        ));
    }
    if out.len() > MAX_AT_ONCE {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("Choose at most {MAX_AT_ONCE} environments at once."),
        ));
    }
    Ok(out)
}

/// A Power Platform API token and where the API is.
pub(crate) type PpSession = crate::context::ServiceSession;

/// The Environments service: the list, preflights, Add me and Membership.
pub(crate) struct Environments {
    pub(crate) ctx: Context,
    pub(crate) envs: EnvState,
    privileged: Arc<Privileged>,
}

impl Environments {
    pub fn new(ctx: Context, privileged: Arc<Privileged>) -> Self {
        Self {
            ctx,
            envs: EnvState::default(),
            privileged,
        }
    }

    /// Starts Add me as the signed-in account (see `privileged`).
    pub(crate) async fn begin_privileged(&self) -> Result<Running<'_>, ApiError> {
        self.privileged.begin(&self.ctx.broker).await
    }

    pub(crate) async fn graph_session(&self, fresh: bool) -> Result<ServiceSession, ApiError> {
        self.ctx.graph_session(fresh).await
    }

    pub(crate) fn pim<'a>(&'a self, s: &'a ServiceSession) -> PimClient<'a> {
        self.ctx.pim(s)
    }

    pub(crate) async fn pp_session(&self, fresh: bool) -> Result<PpSession, ApiError> {
        self.ctx.pp_session(fresh).await
    }

    pub(crate) fn power_platform<'a>(
        &'a self,
        s: &'a PpSession,
    ) -> crate::clients::power_platform::PowerPlatform<'a> {
        self.ctx.power_platform(s)
    }

    /// A Dataverse token is for the environment URL itself (`https://org.crm.dynamics.com`).
    pub(crate) async fn dataverse_token(&self, instance: &str) -> Result<BrokerToken, ApiError> {
        self.ctx.dataverse_token(instance).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_ids() {
        assert!(is_environment_id("5ca1c616-6060-46ba-abc1-18d312f1cb3a"));
        assert!(is_environment_id(
            "Default-d8d86e5f-13e9-4bb5-bb94-0f99b507cd15"
        ));
        assert!(!is_environment_id("Default-"));
        assert!(!is_environment_id("5ca1c616-6060-46ba-abc1-18d312f1cb3"));
        assert!(!is_environment_id(
            "../5ca1c616-6060-46ba-abc1-18d312f1cb3a"
        ));
        assert!(!is_environment_id(
            "5ca1c616-6060-46ba-abc1-18d312f1cb3a?x=1"
        ));
        let ids = checked_ids(&[
            " 5ca1c616-6060-46ba-abc1-18d312f1cb3a ".into(),
            "5CA1C616-6060-46BA-ABC1-18D312F1CB3A".into(),
        ])
        .unwrap();
        assert_eq!(ids, vec!["5ca1c616-6060-46ba-abc1-18d312f1cb3a"]);
        assert_eq!(checked_ids(&[]).unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(
            checked_ids(&["nope".into()]).unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}
