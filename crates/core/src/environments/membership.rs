//! Membership → System Administrators: who holds the role in one environment, read from its
//! Dataverse (there is no Power Platform API for it, contract §3.3).

use super::holders::{SysAdmin, Units, Via};
use super::list::to_environment;
use super::Environments;
use super::{checked_ids, POWER_PLATFORM};
use crate::api::{ApiError, Environment, ErrorCode, Membership};
use crate::clients::dataverse::Dataverse;
use crate::clients::http::{ServiceError, ServiceErrorKind};
use crate::clients::power_platform::WireEnvironment;

pub(crate) const DATAVERSE: &str = "the environment's Dataverse";

impl Environments {
    pub async fn membership(&self, environment_id: &str) -> Result<Membership, ApiError> {
        let id = checked_ids(std::slice::from_ref(&environment_id.to_string()))?.remove(0);
        let s = self.pp_session(false).await?;
        let env = self.environment_by_id(&s, &id).await?;
        let oid = s.oid.clone();
        let mut m = Membership {
            environment_id: env.id.clone(),
            environment_name: env.display_name.clone(),
            administrators: vec![],
            you_are_admin: false,
            unavailable: None,
            teams_note: None,
        };
        let Some(url) = env.url.as_deref() else {
            m.unavailable = Some("This environment has no Dataverse database, so it has no System Administrator role. Add Dataverse to it in the Power Platform admin center first.".into());
            return Ok(m);
        };
        if !env.enabled {
            m.unavailable = Some("This environment is disabled, so its Dataverse does not answer. An admin can enable it in the Power Platform admin center.".into());
            return Ok(m);
        }
        let token = self.dataverse_token(url).await?;
        let dv = Dataverse::new(&self.ctx.http, url, &token);
        let (admins, units) = tokio::join!(dv.administrators(), dv.business_units());
        let admins = match admins {
            Ok(a) => a,
            Err(e) if e.kind == ServiceErrorKind::Forbidden => {
                m.unavailable = Some(not_readable(&e));
                return Ok(m);
            }
            Err(e) => return Err(e.to_api_error(DATAVERSE)),
        };
        let units = Units::new(units.unwrap_or_default());
        let teams = self.team_holders(&dv).await;
        m.teams_note = teams.note;
        m.administrators = admins
            .iter()
            .map(|u| SysAdmin::user(u, Via::Role(None)))
            .chain(teams.holders)
            .map(|a| a.into_system_administrator(&units, &oid))
            .collect();
        m.administrators.sort_by(|a, b| {
            (!a.is_you, a.full_name.to_lowercase()).cmp(&(!b.is_you, b.full_name.to_lowercase()))
        });
        m.you_are_admin = m.administrators.iter().any(|a| a.is_you && !a.is_disabled);
        Ok(m)
    }

    /// One environment as the Power Platform API has it now (it may have vanished).
    pub(crate) async fn environment_by_id(
        &self,
        s: &super::PpSession,
        id: &str,
    ) -> Result<Environment, ApiError> {
        let mut w: WireEnvironment = self
            .power_platform(s)
            .environment(id)
            .await
            .map_err(|e| match e.kind {
                ServiceErrorKind::NotFound => ApiError::new(
                    ErrorCode::NotFound,
                    "This environment no longer exists (it may have been deleted or its id changed). Refresh the Environments list.",
                )
                .with_correlation_id(e.correlation_id.clone()),
                _ => e.to_api_error(POWER_PLATFORM),
            })?;
        self.resolve_groups(std::slice::from_mut(&mut w)).await;
        let names = self
            .group_names(
                [&w.security_group_id, &w.connected_group_id]
                    .into_iter()
                    .flatten()
                    .map(|g| g.to_ascii_lowercase())
                    .collect(),
            )
            .await;
        Ok(to_environment(&w, &names))
    }
}

/// Dataverse shows its rows only to its own users with a security role.
pub(crate) fn not_readable(e: &ServiceError) -> String {
    if e.code == "0x80040225" {
        "Your user record in this environment is disabled, so Dataverse does not show its members to you. Add me re-enables it and makes you System Administrator.".into()
    } else {
        "Dataverse shows this list only to its own users with a security role, and you are not one here yet. Add me makes you System Administrator; the list appears then.".into()
    }
}
