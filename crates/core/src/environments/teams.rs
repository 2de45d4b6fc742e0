//! System Administrator held through Dataverse teams (contract part 2 §7): owner and access
//! teams list their members; an Entra group team lists only members who have opened the
//! environment, so its group's members are read from Microsoft Graph too. Membership, the
//! preflight's "already System Administrator" and the inventory all count these holders.

use std::collections::{BTreeSet, HashSet};

use super::client::{Dataverse, GraphUser, Groups, WireTeam};
use crate::api::TeamHold;
use crate::Elevate;

/// One person holding System Administrator through one team.
#[derive(Debug, Clone)]
pub(crate) struct TeamHolder {
    pub hold: TeamHold,
    /// The systemuser, or the Entra object id of a group member Dataverse does not list yet.
    pub system_user_id: String,
    pub full_name: String,
    pub upn: String,
    pub object_id: Option<String>,
    pub is_disabled: bool,
    pub is_application_user: bool,
    pub business_unit_id: String,
}

#[derive(Debug, Default)]
pub(crate) struct TeamHolders {
    pub holders: Vec<TeamHolder>,
    /// What could not be learned, in plain words.
    pub note: Option<String>,
}

const NO_TEAMS: &str = "Elevate could not read which teams hold System Administrator here, so people who hold it through a team are not listed.";

impl Elevate {
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
        for team in &teams {
            if team.sysadmin_role().is_none() {
                continue;
            }
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
                out.holders.push(TeamHolder {
                    hold: hold(false),
                    system_user_id: u.systemuserid.clone(),
                    full_name: u.fullname.clone().unwrap_or_default(),
                    upn: u.domainname.clone().unwrap_or_default(),
                    object_id: u.azureactivedirectoryobjectid.clone(),
                    is_disabled: u.isdisabled.unwrap_or(false),
                    is_application_user: u.applicationid.as_deref().is_some_and(|a| !a.is_empty()),
                    business_unit_id: u.business_unit_id.clone().unwrap_or_default(),
                });
            }
            let Some(gid) = &group_id else { continue };
            match self.group_members(gid, team).await {
                Ok(members) => {
                    for m in members {
                        if !listed.insert(m.id.to_ascii_lowercase()) {
                            continue;
                        }
                        out.holders.push(TeamHolder {
                            hold: hold(true),
                            system_user_id: m.id.to_ascii_lowercase(),
                            full_name: m.display_name.clone().unwrap_or_default(),
                            upn: m.user_principal_name.clone().unwrap_or_default(),
                            object_id: Some(m.id.to_ascii_lowercase()),
                            is_disabled: false,
                            is_application_user: false,
                            business_unit_id: String::new(),
                        });
                    }
                }
                Err(()) => unread_groups.push(group_name.clone().unwrap_or_default()),
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

    /// The group's members the team's membership type lets in; owners-only teams are left to
    /// what Dataverse lists (Elevate reads members, not owners).
    async fn group_members(&self, group: &str, team: &WireTeam) -> Result<Vec<GraphUser>, ()> {
        if team.membershiptype == Some(2) {
            return Ok(vec![]);
        }
        let s = self.graph_session(false).await.map_err(|e| {
            tracing::warn!(error = %e, "no Graph token for a group's members");
        })?;
        let groups = Groups {
            http: &self.http,
            graph: &s.graph,
            token: &s.token,
        };
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
