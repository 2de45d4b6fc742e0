//! The preflight before Add me: gathers what PIM, Graph, Power Platform and each
//! environment's Dataverse say, then `checks::evaluate` turns it into plain-words lines.

use std::collections::{BTreeSet, HashSet};

use futures::StreamExt;

use super::checks::{self, DvFact, Facts};
use super::holders::Via;
use super::list::to_environment;
use super::membership::{not_readable, DATAVERSE};
use super::Environments;
use super::{checked_ids, POWER_PLATFORM};
use crate::api::{ApiError, Environment, Preflight};
use crate::clients::dataverse::Dataverse;
use crate::clients::http::ServiceErrorKind;
use crate::clients::power_platform::WireEnvironment;

/// Environments (and their Dataverse) are read this many at a time.
const AT_ONCE: usize = 8;

impl Environments {
    /// One preflight per environment, in the order given. Bad ids are refused before any
    /// request; an environment that vanished gets a preflight that says so.
    pub async fn preflight(&self, environment_ids: &[String]) -> Result<Vec<Preflight>, ApiError> {
        let ids = checked_ids(environment_ids)?;
        let s = self.pp_session(false).await?;
        let mut standing = self.standing(s.wids.clone()).await?;
        if let Some(r) = standing.relied() {
            if !standing.in_token(r) {
                // Activated since the token was issued: a new one may carry it.
                if let Ok(fresh) = self.pp_session(true).await {
                    standing.wids = fresh.wids;
                }
            }
        }
        let found = self.read_environments(&s, &ids).await?;
        let group_ids: Vec<String> = found
            .iter()
            .filter_map(|(_, w)| w.as_ref())
            .flat_map(|w| [w.security_group_id.clone(), w.connected_group_id.clone()])
            .flatten()
            .map(|g| g.to_ascii_lowercase())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (names, member_of) = tokio::join!(
            self.group_names(group_ids.clone()),
            self.member_of(&group_ids)
        );
        let member_of = member_of?;
        let envs: Vec<(String, Option<Environment>)> = found
            .into_iter()
            .map(|(id, w)| (id, w.map(|w| to_environment(&w, &names))))
            .collect();
        let facts = self.dataverse_facts(&envs, &s.oid).await;
        let mut out = Vec::new();
        for ((id, env), dv) in envs.iter().zip(facts) {
            let p = match env {
                None => checks::missing(id, &standing),
                Some(env) => {
                    let p = checks::evaluate(&Facts {
                        env,
                        standing: &standing,
                        member_of: &member_of,
                        dv,
                    });
                    self.envs.remember(&p, env);
                    p
                }
            };
            out.push(p);
        }
        Ok(out)
    }

    /// Each id's environment as Power Platform has it now (`None` when it vanished), with
    /// its groups resolved.
    async fn read_environments(
        &self,
        s: &super::PpSession,
        ids: &[String],
    ) -> Result<Vec<(String, Option<WireEnvironment>)>, ApiError> {
        let pp = self.power_platform(s);
        let pp = &pp;
        // Futures built eagerly: a stream's closure over borrowed items trips rustc's Send
        // check in the Tauri command (rust-lang/rust#102211).
        let reads: Vec<_> = ids
            .iter()
            .cloned()
            .map(|id| async move {
                match pp.environment(&id).await {
                    Ok(w) => Ok(Some(w)),
                    Err(e) if e.kind == ServiceErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e.to_api_error(POWER_PLATFORM)),
                }
            })
            .collect();
        let wire: Vec<Result<Option<WireEnvironment>, ApiError>> = futures::stream::iter(reads)
            .buffered(AT_ONCE)
            .collect()
            .await;
        let mut found: Vec<(String, Option<WireEnvironment>)> = Vec::new();
        for (id, w) in ids.iter().zip(wire) {
            found.push((id.clone(), w?));
        }
        let mut rows: Vec<WireEnvironment> = found.iter().filter_map(|(_, w)| w.clone()).collect();
        self.resolve_groups(&mut rows).await;
        let mut rows = rows.into_iter();
        for (_, w) in found.iter_mut().filter(|(_, w)| w.is_some()) {
            *w = rows.next();
        }
        Ok(found)
    }

    /// What each environment's Dataverse says about the caller (`oid`), a few at a time.
    async fn dataverse_facts(
        &self,
        envs: &[(String, Option<Environment>)],
        oid: &str,
    ) -> Vec<DvFact> {
        let reads: Vec<_> = envs
            .iter()
            .map(|(_, e)| e.clone())
            .map(|e| async move {
                match e {
                    Some(e) => self.dataverse_fact(&e, oid).await,
                    None => DvFact::NoDataverse,
                }
            })
            .collect();
        futures::stream::iter(reads)
            .buffered(AT_ONCE)
            .collect()
            .await
    }

    async fn member_of(&self, group_ids: &[String]) -> Result<HashSet<String>, ApiError> {
        if group_ids.is_empty() {
            return Ok(HashSet::new());
        }
        let s = self.graph_session(false).await?;
        let groups = self.ctx.groups(&s);
        Ok(groups
            .member_of(group_ids)
            .await
            .map_err(|e| e.to_api_error("Microsoft Graph"))?
            .into_iter()
            .collect())
    }

    async fn dataverse_fact(&self, env: &Environment, oid: &str) -> DvFact {
        let Some(url) = env.url.as_deref() else {
            return DvFact::NoDataverse;
        };
        if !env.enabled {
            return DvFact::Unknown(
                "The environment is disabled, so its Dataverse does not answer.".into(),
            );
        }
        let token = match self.dataverse_token(url).await {
            Ok(t) => t,
            Err(e) => return DvFact::Unknown(e.message),
        };
        let dv = Dataverse::new(&self.ctx.http, url, &token);
        match dv.me(oid).await {
            Ok(Some(me)) if me.is_system_administrator() => DvFact::Admin,
            Ok(_) => {
                // Held through a team (its Entra group included) counts as held.
                let teams = self.team_holders(&dv).await;
                let team = teams.holders.iter().find_map(|t| match &t.via {
                    Via::Team(hold) if t.is(oid) && !t.is_disabled => Some(hold.team.clone()),
                    _ => None,
                });
                match team {
                    Some(team) => DvFact::AdminThroughTeam(team),
                    None => DvFact::NotAdmin,
                }
            }
            // Not a user there, a disabled one, or one without any role: not System Administrator.
            Err(e) if e.kind == ServiceErrorKind::Forbidden => {
                tracing::debug!(reason = %not_readable(&e), "Dataverse refused the caller");
                DvFact::NotMember
            }
            Err(e) => DvFact::Unknown(e.to_api_error(DATAVERSE).message),
        }
    }
}
