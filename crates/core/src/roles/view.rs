//! The My roles page: eligible roles with their policies, what is held now, and requests.

use std::collections::{HashMap, HashSet};

use chrono::Utc;

use super::names::{self, Names};
use super::{duration, policy, MIN_ACTIVE};
use crate::api::{
    ActiveRole, ApiError, AssignmentType, EligibleRole, MemberType, MyRoles, RequestPhase,
    RolePolicy, RoleRequest,
};
use crate::clients::graph::pim::{
    AssignmentInstance, EligibilityInstance, PimClient, ScheduleRequest,
};
use crate::directory_roles::{can_self_elevate, name_of};
use crate::roles::Roles;

/// What one call to Graph needs: the token and where Graph is.
pub(crate) type GraphSession = crate::context::ServiceSession;

pub(crate) const PIM: &str = "Privileged Identity Management";

impl Roles {
    pub(crate) async fn graph_session(&self, fresh: bool) -> Result<GraphSession, ApiError> {
        self.ctx.graph_session(fresh).await
    }

    pub(crate) fn pim<'a>(&'a self, s: &'a GraphSession) -> PimClient<'a> {
        self.ctx.pim(s)
    }

    /// The three tabs of My roles, read in parallel.
    pub async fn my_roles(&self) -> Result<MyRoles, ApiError> {
        let s = self.graph_session(false).await?;
        let pim = self.pim(&s);
        let (eligible, assigned, requests, groups) = tokio::join!(
            pim.eligibilities(),
            pim.assignments_dated(),
            pim.requests(),
            pim.my_groups()
        );
        let eligible = eligible.map_err(|e| e.to_api_error(PIM))?;
        let (assigned, server_now) = assigned.map_err(|e| e.to_api_error(PIM))?;
        let requests = requests.map_err(|e| e.to_api_error(PIM))?;
        // Group names only label the Membership column: without them the id is shown.
        let groups: HashMap<String, String> = groups
            .unwrap_or_default()
            .into_iter()
            .filter_map(|g| Some((g.id, g.display_name?)))
            .collect();
        let policies = self
            .policies(&pim, eligible.iter().map(|e| e.role_definition_id.as_str()))
            .await;
        let units = eligible
            .iter()
            .map(|e| e.directory_scope_id.as_deref())
            .chain(assigned.iter().map(|a| a.directory_scope_id.as_deref()))
            .filter_map(names::unit_of)
            .collect();
        let names = names::resolve(&pim, units).await;
        let found = Found {
            eligible: &eligible,
            assigned: &assigned,
            requests: &requests,
        };
        let mut view = build(&found, &policies, &groups, &names, &s.wids);
        to_local_clock(&mut view, server_now);
        self.watch_saw(&view);
        Ok(view)
    }

    /// Each role's policy; a role whose policy cannot be read gets None (the dialog then asks
    /// for everything), not an error for the whole page.
    pub(crate) async fn policies<'r>(
        &self,
        pim: &PimClient<'_>,
        roles: impl Iterator<Item = &'r str>,
    ) -> HashMap<String, RolePolicy> {
        let ids: HashSet<&str> = roles.collect();
        let reads = ids
            .into_iter()
            .map(|id| async move { (id.to_string(), pim.policy(id).await) });
        let mut out = HashMap::new();
        for (id, r) in futures::future::join_all(reads).await {
            match r {
                Ok(list) => {
                    if let Some(p) = list
                        .into_iter()
                        .find(|a| a.role_definition_id == id)
                        .and_then(|a| a.policy)
                    {
                        out.insert(id, policy::from_rules(&p.rules));
                    }
                }
                Err(e) => {
                    tracing::warn!(role = %id, error = %e, "could not read the role's PIM policy")
                }
            }
        }
        // Many policies name approvers only by id.
        let unnamed = names::unnamed_approvers(out.values());
        if !unnamed.is_empty() {
            let names = names::resolve(pim, unnamed).await;
            for p in out.values_mut() {
                names::name_approvers(p, &names);
            }
        }
        out
    }
}

/// What Graph answered for the three tabs.
pub(crate) struct Found<'a> {
    pub eligible: &'a [EligibilityInstance],
    pub assigned: &'a [AssignmentInstance],
    pub requests: &'a [ScheduleRequest],
}

pub(crate) fn build(
    found: &Found<'_>,
    policies: &HashMap<String, RolePolicy>,
    groups: &HashMap<String, String>,
    names: &Names,
    wids: &[String],
) -> MyRoles {
    let (eligible, assigned) = (found.eligible, found.assigned);
    let active: Vec<ActiveRole> = assigned
        .iter()
        .map(|a| active_role(a, wids, names))
        .collect();
    let mut requests: Vec<RoleRequest> = found
        .requests
        .iter()
        .map(|r| role_request(r, eligible, assigned))
        .collect();
    requests.sort_by_key(|b| std::cmp::Reverse(b.created));
    let busy = busy(&active, found.requests);
    let mut eligible: Vec<EligibleRole> = eligible
        .iter()
        .map(|e| eligible_role(e, policies, groups, names, &busy))
        .collect();
    // Each eligibility keeps its own scope: the same role for two units is two rows.
    eligible.sort_by(|a, b| a.name.cmp(&b.name).then(a.scope.cmp(&b.scope)));
    eligible.dedup_by(|a, b| {
        a.role_id == b.role_id && a.member_type == b.member_type && a.scope_id == b.scope_id
    });
    let mut active = active;
    active.sort_by(|a, b| a.name.cmp(&b.name));
    MyRoles {
        eligible,
        active,
        requests,
        fetched_at: Utc::now(),
    }
}

/// The (role, scope) pairs active or being put in place. A role is busy at one scope: the
/// same role for another unit can still be activated.
fn busy(active: &[ActiveRole], requests: &[ScheduleRequest]) -> HashSet<(String, String)> {
    active
        .iter()
        .map(|a| {
            (
                a.role_id.to_ascii_lowercase(),
                a.scope_id.to_ascii_lowercase(),
            )
        })
        .chain(
            requests
                .iter()
                .filter(|r| {
                    phase(&r.status) == RequestPhase::Provisioning && is_activation(&r.action)
                })
                .map(|r| {
                    (
                        r.role_definition_id.to_ascii_lowercase(),
                        scope_id(r.directory_scope_id.as_deref()).to_ascii_lowercase(),
                    )
                }),
        )
        .collect()
}

fn eligible_role(
    e: &EligibilityInstance,
    policies: &HashMap<String, RolePolicy>,
    groups: &HashMap<String, String>,
    names: &Names,
    busy: &HashSet<(String, String)>,
) -> EligibleRole {
    let member_type = member_type(e.member_type.as_deref());
    let group_name = (member_type == MemberType::Group).then(|| {
        groups
            .get(&e.principal_id)
            .cloned()
            .unwrap_or_else(|| e.principal_id.clone())
    });
    let grants = can_self_elevate(&template(&e.role_definition_id, e.role_definition.as_ref()));
    let name = display_name(&e.role_definition_id, e.role_definition.as_ref());
    let scope_id = scope_id(e.directory_scope_id.as_deref());
    let key = (
        e.role_definition_id.to_ascii_lowercase(),
        scope_id.to_ascii_lowercase(),
    );
    EligibleRole {
        hint: (grants && member_type == MemberType::Group)
            .then(|| group_hint(&name, group_name.as_deref().unwrap_or("a group"))),
        role_id: e.role_definition_id.clone(),
        description: e
            .role_definition
            .as_ref()
            .and_then(|d| d.description.clone())
            .unwrap_or_default(),
        scope: names::scope_text(e.directory_scope_id.as_deref(), names),
        member_type,
        group_name,
        eligibility_end: e.end_date_time,
        policy: policies.get(&e.role_definition_id).cloned(),
        grants_self_elevation: grants,
        active: busy.contains(&key),
        scope_id,
        name,
    }
}

/// Countdowns run on this computer's clock: when it is off from PIM's (by the `Date` header)
/// by more than a few seconds, the times of active roles are shifted into its frame, so
/// "5 min left" and "deactivate from" mean what they say here.
fn to_local_clock(view: &mut MyRoles, server_now: Option<chrono::DateTime<Utc>>) {
    let Some(server_now) = server_now else { return };
    let skew = Utc::now() - server_now;
    if skew.num_seconds().abs() < 5 {
        return;
    }
    for a in &mut view.active {
        for t in [&mut a.start, &mut a.end, &mut a.deactivate_from] {
            // A date at the end of what one can hold has no shifted value to show.
            *t = t.and_then(|t| t.checked_add_signed(skew));
        }
    }
}

fn group_hint(role: &str, group: &str) -> String {
    format!(
        "You are eligible through the group \"{group}\". Power Platform does not accept a {role} role held through a group for self-elevation (Add me) in environments; ask your administrator to make you eligible directly."
    )
}

fn active_role(a: &AssignmentInstance, wids: &[String], names: &Names) -> ActiveRole {
    let assignment_type = if a
        .assignment_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("Activated"))
    {
        AssignmentType::Activated
    } else {
        AssignmentType::Assigned
    };
    let templ = template(&a.role_definition_id, a.role_definition.as_ref());
    ActiveRole {
        role_id: a.role_definition_id.clone(),
        name: display_name(&a.role_definition_id, a.role_definition.as_ref()),
        scope: names::scope_text(a.directory_scope_id.as_deref(), names),
        scope_id: scope_id(a.directory_scope_id.as_deref()),
        member_type: member_type(a.member_type.as_deref()),
        assignment_type,
        start: a.start_date_time,
        end: a.end_date_time,
        in_token: !in_wids(a.directory_scope_id.as_deref(), a.role_definition.as_ref())
            || wids.iter().any(|w| w.eq_ignore_ascii_case(&templ)),
        grants_self_elevation: can_self_elevate(&templ),
        deactivate_from: (assignment_type == AssignmentType::Activated)
            .then(|| {
                a.start_date_time
                    .and_then(|s| s.checked_add_signed(MIN_ACTIVE))
            })
            .flatten(),
    }
}

pub(crate) fn phase(status: &str) -> RequestPhase {
    match status {
        "PendingApproval" | "PendingAdminDecision" => RequestPhase::WaitingForApproval,
        "Granted" | "PendingProvisioning" | "PendingScheduleCreation" | "ScheduleCreated" => {
            RequestPhase::Provisioning
        }
        "Provisioned" | "Revoked" => RequestPhase::Completed,
        "Denied" => RequestPhase::Denied,
        "Canceled" => RequestPhase::Canceled,
        _ => RequestPhase::Failed,
    }
}

fn role_request(
    r: &ScheduleRequest,
    eligible: &[EligibilityInstance],
    assigned: &[AssignmentInstance],
) -> RoleRequest {
    let def = r
        .role_definition
        .as_ref()
        .or_else(|| {
            eligible
                .iter()
                .find(|e| e.role_definition_id == r.role_definition_id)
                .and_then(|e| e.role_definition.as_ref())
        })
        .or_else(|| {
            assigned
                .iter()
                .find(|a| a.role_definition_id == r.role_definition_id)
                .and_then(|a| a.role_definition.as_ref())
        });
    let phase = phase(&r.status);
    RoleRequest {
        id: r.id.clone(),
        role_id: r.role_definition_id.clone(),
        role_name: display_name(&r.role_definition_id, def),
        action: r.action.clone(),
        status: r.status.clone(),
        phase,
        created: r.created_date_time,
        duration_minutes: r
            .schedule_info
            .as_ref()
            .and_then(|s| s.expiration.as_ref())
            .and_then(|x| x.duration.as_deref())
            .and_then(duration::parse_minutes),
        justification: r.justification.clone(),
        ticket_number: r.ticket_info.as_ref().and_then(|t| t.ticket_number.clone()),
        can_cancel: matches!(
            r.status.as_str(),
            "PendingApproval"
                | "PendingAdminDecision"
                | "Granted"
                | "PendingProvisioning"
                | "PendingScheduleCreation"
        ),
    }
}

pub(crate) fn is_activation(action: &str) -> bool {
    action.eq_ignore_ascii_case("selfActivate")
}

fn member_type(m: Option<&str>) -> MemberType {
    match m.map(str::to_ascii_lowercase).as_deref() {
        Some("group") => MemberType::Group,
        Some("inherited") => MemberType::Inherited,
        _ => MemberType::Direct,
    }
}

/// The scope as PIM names it; absent means the whole directory.
pub(crate) fn scope_id(s: Option<&str>) -> String {
    s.filter(|s| !s.is_empty()).unwrap_or("/").to_string()
}

/// Whether a token's `wids` can ever carry the role: only tenant-wide built-in roles are
/// listed there, never custom roles or roles limited to an administrative unit.
pub(crate) fn in_wids(
    scope: Option<&str>,
    def: Option<&crate::clients::graph::pim::RoleDefinition>,
) -> bool {
    scope_id(scope) == "/" && def.and_then(|d| d.is_built_in) != Some(false)
}

fn template(id: &str, def: Option<&crate::clients::graph::pim::RoleDefinition>) -> String {
    def.and_then(|d| d.template_id.clone())
        .unwrap_or_else(|| id.to_string())
}

pub(crate) fn display_name(
    id: &str,
    def: Option<&crate::clients::graph::pim::RoleDefinition>,
) -> String {
    def.and_then(|d| d.display_name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| name_of(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the parser fuzzing: PIM dates at the end of what a date can hold made
    /// "deactivate from" (start + 5 min) and the clock shift overflow, a panic in My roles.
    #[test]
    fn dates_at_the_end_of_time_do_not_overflow() {
        let a: AssignmentInstance = serde_json::from_value(serde_json::json!({
            "roleDefinitionId": "r", "assignmentType": "Activated",
            "startDateTime": "+262142-12-31T23:59:59.999Z", "endDateTime": "+262142-12-31T23:59:59.999Z"
        }))
        .unwrap();
        let assigned = [a];
        let found = Found {
            eligible: &[],
            assigned: &assigned,
            requests: &[],
        };
        let mut view = build(
            &found,
            &HashMap::new(),
            &HashMap::new(),
            &HashMap::new(),
            &[],
        );
        assert_eq!(view.active[0].deactivate_from, None);
        // PIM's clock far behind this computer's: the shift would pass the end too.
        to_local_clock(&mut view, Some(Utc::now() - chrono::TimeDelta::days(3650)));
        assert_eq!(view.active[0].end, None);
    }
}
