//! System Administrator held through Dataverse teams (contract part 2 §7): owner and access
//! teams list their members; an Entra group team lists only members who have opened the
//! environment, so its group's members are read from Microsoft Graph too. Membership, the
//! preflight's "already System Administrator" and the inventory all count these holders.

use std::collections::{BTreeSet, HashSet};

use std::collections::HashMap;

use super::holders::{SysAdmin, Via};
use super::Environments;
use crate::api::TeamHold;
use crate::clients::dataverse::{Dataverse, WireTeam};
use crate::clients::graph::GraphUser;

#[derive(Debug, Default)]
pub(crate) struct TeamHolders {
    /// Everyone holding the role through a team (`Via::Team`).
    pub holders: Vec<SysAdmin>,
    /// What could not be learned, in plain words.
    pub note: Option<String>,
}

const NO_TEAMS: &str = "Elevate could not read which teams hold System Administrator here, so people who hold it through a team are not listed.";

impl Environments {
    /// Never fails the caller: what could not be read is said in `note`.
    pub(crate) async fn team_holders(&self, dv: &Dataverse<'_>) -> TeamHolders {
        let teams = match dv.sysadmin_teams().await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the teams holding System Administrator");
                return TeamHolders {
                    holders: vec![],
                    note: Some(NO_TEAMS.into()),
                };
            }
        };
        let group_ids: Vec<String> = teams
            .iter()
            .filter_map(|t| t.group().map(str::to_ascii_lowercase))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let names = self.group_names(group_ids).await;
        let mut out = TeamHolders::default();
        let mut unread_groups = Vec::new();
        for team in teams.iter().filter(|t| t.sysadmin_role().is_some()) {
            if let Err(group) = self.one_team(team, &names, &mut out.holders).await {
                unread_groups.push(group);
            }
        }
        if !unread_groups.is_empty() {
            out.note = Some(format!(
                "Elevate could not read the members of {} from Microsoft Entra, so only those who have opened the environment are listed for that team. Everyone in the group holds System Administrator here.",
                unread_groups
                    .iter()
                    .map(|g| format!("the group \"{g}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        out
    }

    /// The team's members as Dataverse lists them, then its Entra group's others. `Err` with
    /// the group's name when the group's members could not be read.
    async fn one_team(
        &self,
        team: &WireTeam,
        names: &HashMap<String, String>,
        out: &mut Vec<SysAdmin>,
    ) -> Result<(), String> {
        let group_id = team.group().map(str::to_ascii_lowercase);
        let group_name = group_id
            .as_ref()
            .map(|g| names.get(g).cloned().unwrap_or_else(|| g.clone()));
        let hold = |from_group: bool| TeamHold {
            team_id: team.teamid.clone(),
            team: team.name.clone().unwrap_or_else(|| team.teamid.clone()),
            group: group_name.clone(),
            from_group,
        };
        let mut listed: HashSet<String> = HashSet::new();
        for u in &team.teammembership_association {
            if let Some(o) = &u.azureactivedirectoryobjectid {
                listed.insert(o.to_ascii_lowercase());
            }
            out.push(SysAdmin::user(u, Via::Team(hold(false))));
        }
        let Some(gid) = &group_id else {
            return Ok(());
        };
        let members = self
            .group_members(gid, team)
            .await
            .map_err(|()| group_name.clone().unwrap_or_default())?;
        for m in members {
            if listed.insert(m.id.to_ascii_lowercase()) {
                out.push(SysAdmin::group_member(&m, hold(true)));
            }
        }
        Ok(())
    }

    /// The group's members the team's membership type lets in; owners-only teams are left to
    /// what Dataverse lists (Elevate reads members, not owners).
    async fn group_members(&self, group: &str, team: &WireTeam) -> Result<Vec<GraphUser>, ()> {
        if team.membershiptype == Some(2) {
            return Ok(vec![]);
        }
        let s = self.graph_session(false).await.map_err(|e| {
            tracing::warn!(error = %e, "no Graph token for a group's members");
        })?;
        let groups = self.ctx.groups(&s);
        let members = groups.members(group).await.map_err(|e| {
            tracing::warn!(group, error = %e, "could not read a group team's members");
        })?;
        let guest = |u: &GraphUser| {
            u.user_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("Guest"))
        };
        Ok(members
            .into_iter()
            .filter(|u| match team.membershiptype {
                Some(1) => !guest(u),
                Some(3) => guest(u),
                _ => true,
            })
            .collect())
    }
}
