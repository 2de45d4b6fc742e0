//! The preflight's verdict for one environment, from facts already gathered: pure, so every
//! rule is tested without a server.

use std::collections::HashSet;

use super::standing::{HeldRole, Standing};
use crate::api::{
    CheckKind, CheckStatus, Environment, Preflight, PreflightCheck, RoleToActivate, Verdict,
};

/// What the environment's Dataverse said about the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DvFact {
    NoDataverse,
    Admin,
    /// System Administrator through this team (not directly).
    AdminThroughTeam(String),
    NotAdmin,
    /// Not a user there (yet): Add me creates the record.
    NotMember,
    /// Could not tell; why.
    Unknown(String),
}

pub struct Facts<'a> {
    pub env: &'a Environment,
    pub standing: &'a Standing,
    /// Lower-case ids of the groups (among the environments') the caller is a member of.
    pub member_of: &'a HashSet<String>,
    pub dv: DvFact,
}

fn line(kind: CheckKind, status: CheckStatus, title: String, detail: &str) -> PreflightCheck {
    PreflightCheck {
        kind,
        status,
        title,
        detail: detail.to_string(),
        fix: None,
    }
}

fn fix(mut c: PreflightCheck, f: String) -> PreflightCheck {
    c.fix = Some(f);
    c
}

/// The preflight of an environment the Power Platform API does not show: deleted, mistyped,
/// or visible only to admins while no admin role is active.
pub fn missing(id: &str, st: &Standing) -> Preflight {
    let hidden_from_non_admin = st.active.is_empty();
    let candidate = st.to_activate(false).filter(|_| hidden_from_non_admin);
    let mut checks = Vec::new();
    if st.active.is_empty() && st.eligible.is_empty() {
        checks.push(no_role_line());
    }
    let exists = match candidate {
        Some(r) => fix(
            line(
                CheckKind::Exists,
                CheckStatus::Warn,
                "Power Platform does not show you this environment yet".into(),
                "Environments are visible only to admins and to their own users.",
            ),
            format!("Activate {}: Elevate then checks again.", r.name),
        ),
        None => fix(
            line(
                CheckKind::Exists,
                CheckStatus::Fail,
                "This environment does not exist (any more)".into(),
                if hidden_from_non_admin {
                    "Power Platform does not show it to you: it was deleted, the id is mistyped, or it is visible only to admins."
                } else {
                    "Power Platform does not know this environment id: it may have been deleted, or the id was mistyped."
                },
            ),
            "Refresh the Environments list and choose the environment again.".into(),
        ),
    };
    checks.push(exists);
    Preflight {
        environment_id: id.to_string(),
        environment_name: id.to_string(),
        verdict: if candidate.is_some() {
            Verdict::NeedsActivation
        } else {
            Verdict::Blocked
        },
        checks,
        activate: candidate.map(|c| RoleToActivate {
            role_id: c.role_id.clone(),
            name: c.name.clone(),
        }),
        relied_role: None,
        ends_at: None,
    }
}

fn no_role_line() -> PreflightCheck {
    fix(
        line(CheckKind::AdminRole, CheckStatus::Fail, "You hold none of the roles that may add themselves".into(),
            "Only Global, Power Platform and Dynamics 365 Administrators can make themselves System Administrator of an environment."),
        "Ask your administrator to make you eligible for Power Platform Administrator in Privileged Identity Management (PIM).".into())
}

/// The lines gathered so far, and whether a failing one is about the role (Elevate may fix
/// it by activating another) or about the environment (nothing the caller can do).
#[derive(Default)]
struct Lines {
    checks: Vec<PreflightCheck>,
    role_fails: bool,
    env_fails: bool,
}

impl Lines {
    fn push(&mut self, c: PreflightCheck) {
        self.checks.push(c);
    }

    fn role_fail(&mut self, c: PreflightCheck) {
        self.role_fails = true;
        self.checks.push(c);
    }

    fn env_fail(&mut self, c: PreflightCheck) {
        self.env_fails = true;
        self.checks.push(c);
    }
}

pub fn evaluate(f: &Facts<'_>) -> Preflight {
    let env = f.env;
    let st = f.standing;
    let relied = st.relied();
    let sg_member = in_group(f, &env.security_group);
    let sg_ok =
        |r: &HeldRole| env.security_group.is_none() || sg_member || r.exempt_from_security_group();
    let relied_ok = relied.filter(|r| sg_ok(r));
    let candidate = if relied_ok.is_none() {
        st.to_activate(env.security_group.is_some() && !sg_member)
    } else {
        None
    };
    // The role the lines talk about.
    let shown: Option<&HeldRole> = relied_ok
        .or(candidate)
        .or(relied)
        .or_else(|| st.active.first())
        .or_else(|| st.eligible.first());

    let mut lines = Lines::default();
    role_lines(&mut lines, st, shown);
    environment_lines(&mut lines, env);
    security_group_lines(&mut lines, env, shown, sg_member);
    teams_line(&mut lines, f);
    let already = matches!(f.dv, DvFact::Admin | DvFact::AdminThroughTeam(_));
    if let Some(c) = dataverse_line(&f.dv) {
        lines.push(c);
    }

    let verdict = if lines.env_fails {
        Verdict::Blocked
    } else if already {
        Verdict::AlreadyAdmin
    } else if relied_ok.is_some() && !lines.role_fails {
        Verdict::Ready
    } else if candidate.is_some() {
        Verdict::NeedsActivation
    } else {
        Verdict::Blocked
    };
    Preflight {
        environment_id: env.id.clone(),
        environment_name: env.display_name.clone(),
        verdict,
        checks: lines.checks,
        activate: (verdict == Verdict::NeedsActivation)
            .then(|| {
                candidate.map(|c| RoleToActivate {
                    role_id: c.role_id.clone(),
                    name: c.name.clone(),
                })
            })
            .flatten(),
        relied_role: relied_ok.map(|r| r.name.clone()),
        ends_at: relied_ok.and_then(|r| r.end),
    }
}

fn in_group(f: &Facts<'_>, g: &Option<crate::api::GroupRef>) -> bool {
    g.as_ref()
        .is_some_and(|g| f.member_of.contains(&g.id.to_ascii_lowercase()))
}

fn group_name(g: &crate::api::GroupRef) -> String {
    g.name.clone().unwrap_or_else(|| g.id.clone())
}

/// The role the caller would rely on: held or eligible, active, direct, in the sign-in.
fn role_lines(lines: &mut Lines, st: &Standing, shown: Option<&HeldRole>) {
    let Some(r) = shown else {
        lines.role_fail(no_role_line());
        return;
    };
    let active = st
        .active
        .iter()
        .any(|a| a.template == r.template && a.member_type == r.member_type);
    lines.push(line(
        CheckKind::AdminRole,
        CheckStatus::Pass,
        if active { format!("You hold {}", r.name) } else { format!("You are eligible for {}", r.name) },
        "Global, Power Platform and Dynamics 365 Administrators may make themselves System Administrator.",
    ));
    if active {
        let (title, detail) = match r.end {
            Some(_) => (format!("{} is active", r.name), "It was activated in PIM. When the activation ends, Microsoft removes System Administrator again."),
            None => (format!("{} is permanently assigned", r.name), "It does not end, so System Administrator stays until someone removes it."),
        };
        lines.push(line(
            CheckKind::RoleActive,
            CheckStatus::Pass,
            title,
            detail,
        ));
    } else {
        lines.role_fail(fix(
            line(CheckKind::RoleActive, CheckStatus::Fail, format!("{} is not active", r.name),
                "You are eligible for it in PIM, but it must be active before you can add yourself."),
            format!("Activate {} first. Elevate can do it for you and then continue.", r.name)));
    }
    if r.direct() {
        lines.push(line(
            CheckKind::DirectAssignment,
            CheckStatus::Pass,
            "Assigned to you directly".into(),
            "Microsoft accepts only roles assigned to you directly, not through a group.",
        ));
    } else {
        let g = r.group.clone().unwrap_or_else(|| "a group".into());
        lines.role_fail(fix(
            line(CheckKind::DirectAssignment, CheckStatus::Fail, format!("{} comes through the group \"{g}\"", r.name),
                "Microsoft does not support group-based role assignments for self-elevation: Power Platform will refuse."),
            format!("Ask your administrator to make you eligible for {} directly, not through a group.", r.name)));
    }
    if active && r.direct() {
        lines.push(if st.in_token(r) {
            line(CheckKind::InToken, CheckStatus::Pass, "In your current sign-in".into(),
                "Power Platform sees the role in the sign-in Elevate uses.")
        } else {
            fix(line(CheckKind::InToken, CheckStatus::Warn, "Not in your sign-in yet".into(),
                "The role was activated moments ago; Microsoft can take a few minutes to pass it on to Power Platform."),
                "Wait a minute and check again, or try anyway.".into())
        });
    }
}

/// Enabled, and with a Dataverse database.
fn environment_lines(lines: &mut Lines, env: &Environment) {
    if env.enabled {
        lines.push(line(
            CheckKind::EnvironmentEnabled,
            CheckStatus::Pass,
            "The environment is enabled".into(),
            "Its Dataverse answers requests.",
        ));
    } else {
        lines.env_fail(fix(line(CheckKind::EnvironmentEnabled, CheckStatus::Fail, "The environment is disabled".into(),
            "Power Platform does not add anyone to a disabled environment."),
            "An admin must enable it first (Power Platform admin center → Environments → the environment → Enable).".into()));
    }
    if env.has_dataverse {
        lines.push(line(
            CheckKind::Dataverse,
            CheckStatus::Pass,
            "It has a Dataverse database".into(),
            "System Administrator is a Dataverse security role.",
        ));
    } else {
        lines.env_fail(fix(line(CheckKind::Dataverse, CheckStatus::Fail, "It has no Dataverse database".into(),
            "System Administrator is a Dataverse security role, so an environment without Dataverse has no System Administrators."),
            "Add Dataverse to the environment in the Power Platform admin center, or choose another environment.".into()));
    }
}

/// The environment's security group: known and checked, or unknown and said so.
fn security_group_lines(
    lines: &mut Lines,
    env: &Environment,
    shown: Option<&HeldRole>,
    sg_member: bool,
) {
    if let Some(g) = &env.security_group {
        let name = group_name(g);
        match shown {
            _ if sg_member => lines.push(line(CheckKind::SecurityGroup, CheckStatus::Pass, format!("You are in the security group \"{name}\""),
                "The environment admits only members of this group; you are one.")),
            Some(r) if r.exempt_from_security_group() => lines.push(line(CheckKind::SecurityGroup, CheckStatus::Pass,
                format!("Security group \"{name}\": not needed"),
                "Global and Power Platform Administrators are exempt from an environment's security group.")),
            Some(r) => lines.role_fail(fix(line(CheckKind::SecurityGroup, CheckStatus::Fail, format!("You are not in the security group \"{name}\""),
                    &format!("A {} can only add themselves to an environment whose security group includes them.", r.name)),
                    format!("Ask the owner of \"{name}\" to add you, or use Power Platform Administrator instead (it is exempt)."))),
            None => lines.push(line(CheckKind::SecurityGroup, CheckStatus::Info, format!("Security group \"{name}\""),
                "Dynamics 365 Administrators must be members of it; Global and Power Platform Administrators are exempt.")),
        }
    } else if let Some(why) = &env.groups_unknown {
        // Unknown is said, never passed over: a Dynamics 365 Administrator outside the group
        // would be refused.
        let c = match shown {
            Some(r) if r.exempt_from_security_group() => line(CheckKind::SecurityGroup, CheckStatus::Info,
                "Security group: unknown, not needed".into(),
                &format!("{why} Global and Power Platform Administrators are exempt from security groups, so it does not matter for you.")),
            _ => fix(line(CheckKind::SecurityGroup, CheckStatus::Warn, "Security group: unknown".into(),
                &format!("{why} A Dynamics 365 Administrator must be a member of the environment's security group, if it has one.")),
                "Check the environment's security group in the Power Platform admin center (Environments → the environment → Details), or use Power Platform Administrator, which is exempt.".into()),
        };
        lines.push(c);
        if env.kind.eq_ignore_ascii_case("Teams") {
            lines.push(fix(line(CheckKind::TeamsGroup, CheckStatus::Warn, "Team: unknown".into(),
                "Elevate could not tell which team this Teams environment belongs to. Only members of that team can be added."),
                "Make sure you are a member of the environment's team in Microsoft Teams, then try.".into()));
        }
    }
}

/// A Teams environment admits only its team's members, whatever the role.
fn teams_line(lines: &mut Lines, f: &Facts<'_>) {
    let Some(g) = &f.env.connected_group else {
        return;
    };
    let name = group_name(g);
    if in_group(f, &f.env.connected_group) {
        lines.push(line(
            CheckKind::TeamsGroup,
            CheckStatus::Pass,
            format!("You are a member of the team \"{name}\""),
            "In a Teams environment only members of its team can be added.",
        ));
    } else {
        lines.env_fail(fix(line(CheckKind::TeamsGroup, CheckStatus::Fail, format!("You are not a member of the team \"{name}\""),
            "In a Teams environment only members of the team's Microsoft 365 group can be added — this applies to every admin, Global Administrators too."),
            format!("Ask an owner of the team \"{name}\" to add you, then try again.")));
    }
}

/// What Dataverse said: already System Administrator (directly or through a team), or not.
fn dataverse_line(dv: &DvFact) -> Option<PreflightCheck> {
    Some(match dv {
        DvFact::NoDataverse => return None,
        DvFact::Admin => line(CheckKind::AlreadyAdmin, CheckStatus::Info, "You already are System Administrator here".into(),
            "Microsoft's API would answer success anyway and change nothing, so Elevate sends nothing."),
        DvFact::AdminThroughTeam(team) => line(CheckKind::AlreadyAdmin, CheckStatus::Info, format!("You already are System Administrator here, through the team \"{team}\""),
            "The team's role gives it to you. Add me would change nothing, so Elevate sends nothing. If you are taken out of the team, you lose it."),
        DvFact::NotAdmin => line(CheckKind::AlreadyAdmin, CheckStatus::Pass, "You are not System Administrator here yet".into(),
            "Add me gives you the role in your business unit."),
        DvFact::NotMember => line(CheckKind::AlreadyAdmin, CheckStatus::Pass, "You are not System Administrator here yet".into(),
            "Dataverse does not know you as a user with a role there; Add me creates or updates your user record."),
        DvFact::Unknown(why) => line(CheckKind::AlreadyAdmin, CheckStatus::Info,
            "Elevate could not check whether you already are System Administrator".into(), why),
    })
}
