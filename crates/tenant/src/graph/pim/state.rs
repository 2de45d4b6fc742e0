//! What PIM remembers at run time: every schedule request and the activations they created.
//! Nothing runs in the background: statuses, provisioning and expiry are read off the
//! emulator clock whenever someone asks, so moving the clock is all a test has to do.

use chrono::{DateTime, Duration, Utc};

use crate::scenario::Scenario;
use crate::state::{ActiveRole, AssignmentType, MemberType, Runtime};

use super::instance_id;
use super::scenario::TENANT_SCOPE;

#[derive(Debug, Default, Clone)]
pub struct PimState {
    pub requests: Vec<ScheduleRequest>,
    pub activations: Vec<Activation>,
}

/// An activated role assignment (Graph `unifiedRoleAssignmentSchedule` with assignmentType
/// `Activated`).
#[derive(Debug, Clone)]
pub struct Activation {
    /// The id of the request that created it, as in Graph (`targetScheduleId`).
    pub schedule_id: String,
    pub user_id: String,
    pub role_id: String,
    /// The eligibility's scope it was activated at (`/` or `/administrativeUnits/{id}`).
    pub directory_scope_id: String,
    pub member_type: MemberType,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// From here on the role is held (the request is `Provisioned`).
    pub provisioned_at: DateTime<Utc>,
    /// Deactivated or canceled.
    pub ended_at: Option<DateTime<Utc>>,
}

impl Activation {
    /// Held right now.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && self.provisioned_at <= now && now < self.end
    }

    /// Held or on its way (still provisioning).
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.ended_at.is_none() && now < self.end
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// The self-service actions (`selfActivate`, `selfDeactivate`, `selfExtend`).
pub enum Action {
    Activate,
    Deactivate,
    Extend,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    PendingApproval,
    /// Granted at `at`; the role is held from `effective` on.
    Granted {
        at: DateTime<Utc>,
        effective: DateTime<Utc>,
    },
    Denied {
        at: DateTime<Utc>,
    },
    Canceled {
        at: DateTime<Utc>,
    },
    Revoked {
        at: DateTime<Utc>,
    },
    /// Approved too late: the assignment an extension was for had already ended.
    Failed {
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpirationType {
    NotSpecified,
    NoExpiration,
    AfterDateTime,
    AfterDuration,
}

impl ExpirationType {
    pub fn wire(&self) -> &'static str {
        match self {
            ExpirationType::NotSpecified => "notSpecified",
            ExpirationType::NoExpiration => "noExpiration",
            ExpirationType::AfterDateTime => "afterDateTime",
            ExpirationType::AfterDuration => "afterDuration",
        }
    }
}

/// `scheduleInfo` as the request said it, normalised for the echo.
#[derive(Debug, Clone)]
pub struct ScheduleInfo {
    pub start: Option<DateTime<Utc>>,
    pub expiration: Option<Expiration>,
}

#[derive(Debug, Clone)]
pub struct Expiration {
    pub kind: ExpirationType,
    pub end: Option<DateTime<Utc>>,
    pub duration: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub approver_id: String,
    pub justification: Option<String>,
    pub at: DateTime<Utc>,
    pub approved: bool,
}

/// Graph `unifiedRoleAssignmentScheduleRequest`.
#[derive(Debug, Clone)]
pub struct ScheduleRequest {
    pub id: String,
    /// Echoed as sent (`SelfActivate` stays `SelfActivate`, as in the Graph tutorial).
    pub action_text: String,
    pub action: Action,
    pub principal_id: String,
    pub role_id: String,
    pub directory_scope_id: Option<String>,
    pub app_scope_id: Option<String>,
    pub justification: Option<String>,
    pub custom_data: Option<String>,
    pub schedule: Option<ScheduleInfo>,
    pub ticket_number: Option<String>,
    pub ticket_system: Option<String>,
    pub is_validation_only: bool,
    pub created: DateTime<Utc>,
    pub stage: Stage,
    pub approval_id: Option<String>,
    pub target_schedule_id: Option<String>,
    pub member_type: MemberType,
    /// What the activation will last (activation) or add (extension).
    pub duration: Option<Duration>,
    pub decision: Option<Decision>,
}

impl ScheduleRequest {
    /// The status Graph shows for this request now.
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        match &self.stage {
            Stage::PendingApproval => "PendingApproval",
            Stage::Granted { effective, .. } if now < *effective => {
                let start = self.schedule.as_ref().and_then(|s| s.start);
                if start.is_some_and(|s| now < s) {
                    "Granted"
                } else {
                    "PendingProvisioning"
                }
            }
            Stage::Granted { .. } => "Provisioned",
            Stage::Denied { .. } => "Denied",
            Stage::Canceled { .. } => "Canceled",
            Stage::Revoked { .. } => "Revoked",
            Stage::Failed { .. } => "Failed",
        }
    }

    pub fn completed(&self) -> Option<DateTime<Utc>> {
        match &self.stage {
            Stage::PendingApproval => None,
            // As in the documented example: a grant completes when its schedule starts.
            Stage::Granted { at, .. } => Some(
                self.schedule
                    .as_ref()
                    .and_then(|s| s.start)
                    .map_or(*at, |s| s.max(*at)),
            ),
            Stage::Denied { at }
            | Stage::Canceled { at }
            | Stage::Revoked { at }
            | Stage::Failed { at } => Some(*at),
        }
    }

    pub fn is_pending_approval(&self) -> bool {
        self.stage == Stage::PendingApproval
    }
}

/// One active role assignment of a user, with what Graph needs to show it.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub role: ActiveRole,
    /// `/` for the whole tenant, or `/administrativeUnits/{id}`.
    pub directory_scope_id: String,
    /// The user, or the group that holds the role for `memberType: Group` permanent ones.
    pub principal_id: String,
    pub instance_id: String,
    pub schedule_id: String,
    pub start: Option<DateTime<Utc>>,
    /// When the role showed up (activations only); drives `wids` propagation.
    pub provisioned_at: Option<DateTime<Utc>>,
}

/// Every directory role `user_id` holds at `now`: permanent direct ones, ones their groups
/// hold, and PIM activations that are provisioned and not yet over. The one source of truth
/// behind `Runtime::active_roles`, Graph's assignment instances and token `wids`.
pub fn assignments(
    rt: &Runtime,
    scenario: &Scenario,
    user_id: &str,
    now: DateTime<Utc>,
) -> Vec<Assignment> {
    let mut out = Vec::new();
    let permanent = |role: &str, member_type, principal: &str| {
        let id = instance_id(role, principal, "-1");
        Assignment {
            role: ActiveRole {
                role_template_id: role.to_string(),
                member_type,
                assignment_type: AssignmentType::Assigned,
                end: None,
            },
            directory_scope_id: TENANT_SCOPE.to_string(),
            principal_id: principal.to_string(),
            schedule_id: id.clone(),
            instance_id: id,
            start: None,
            provisioned_at: None,
        }
    };
    for role in rt.roles_of(user_id) {
        out.push(permanent(&role, MemberType::Direct, user_id));
    }
    for g in scenario.groups_of(user_id) {
        for role in &g.directory_roles {
            out.push(permanent(role, MemberType::Group, &g.id));
        }
    }
    for a in rt
        .pim
        .activations
        .iter()
        .filter(|a| a.user_id.eq_ignore_ascii_case(user_id) && a.is_active(now))
    {
        out.push(Assignment {
            role: ActiveRole {
                role_template_id: a.role_id.clone(),
                member_type: a.member_type,
                assignment_type: AssignmentType::Activated,
                end: Some(a.end),
            },
            directory_scope_id: a.directory_scope_id.clone(),
            principal_id: a.user_id.clone(),
            instance_id: a.schedule_id.clone(),
            schedule_id: a.schedule_id.clone(),
            start: Some(a.start),
            provisioned_at: Some(a.provisioned_at),
        });
    }
    out
}

/// The role template ids for a token's `wids` minted at `now`. A new activation shows up only
/// `propagation` after it was provisioned (Entra's directory replication); one that ended is
/// gone from the next token at once. Like Entra, only tenant-wide built-in roles: a custom
/// role or one scoped to an administrative unit never shows here.
pub fn wids(rt: &Runtime, scenario: &Scenario, user_id: &str, now: DateTime<Utc>) -> Vec<String> {
    let propagation = Duration::seconds(rt.settings.wids_propagation_seconds.clamp(0, 86_400));
    let mut out: Vec<String> = Vec::new();
    for a in assignments(rt, scenario, user_id, now) {
        let visible = a.provisioned_at.is_none_or(|p| p + propagation <= now);
        let carried = a.directory_scope_id == TENANT_SCOPE
            && !scenario.pim.is_custom(&a.role.role_template_id);
        if visible
            && carried
            && !out
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&a.role.role_template_id))
        {
            out.push(a.role.role_template_id);
        }
    }
    out
}

impl PimState {
    pub fn request(&self, id: &str) -> Option<&ScheduleRequest> {
        self.requests.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// The user's activation of `role` at `scope` that is held or still provisioning.
    pub fn live_activation(
        &self,
        user_id: &str,
        role_id: &str,
        scope: &str,
        now: DateTime<Utc>,
    ) -> Option<&Activation> {
        self.activations.iter().find(|a| {
            a.user_id.eq_ignore_ascii_case(user_id)
                && a.role_id.eq_ignore_ascii_case(role_id)
                && a.directory_scope_id.eq_ignore_ascii_case(scope)
                && a.is_live(now)
        })
    }

    pub fn pending(
        &self,
        user_id: &str,
        role_id: &str,
        scope: &str,
        action: Action,
    ) -> Option<&ScheduleRequest> {
        self.requests.iter().find(|r| {
            r.is_pending_approval()
                && r.action == action
                && r.principal_id.eq_ignore_ascii_case(user_id)
                && r.role_id.eq_ignore_ascii_case(role_id)
                && r.directory_scope_id
                    .as_deref()
                    .unwrap_or(TENANT_SCOPE)
                    .eq_ignore_ascii_case(scope)
        })
    }
}
