//! The Activate dialog's rules, checked again here before anything is sent. The UI checks the
//! same in `ui/src/lib/roleValidation.ts`, with these limits (generated) and these words: the
//! table `tests/data/validation_cases.json` runs against both (`tests/validation_limits.rs`).

use crate::api::{ApiError, ErrorCode, RolePolicy};

use super::duration::words;
use super::policy::{DEFAULT_MAX_MINUTES, MIN_ACTIVATION_MINUTES};

pub const MAX_JUSTIFICATION: usize = 500;
pub const MAX_TICKET: usize = 100;

/// What passed the checks, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub duration_minutes: u32,
    pub justification: Option<String>,
    pub ticket_number: Option<String>,
    pub ticket_system: Option<String>,
}

/// `roles`: (name, policy) of every selected role; None = policy unknown (the strictest
/// reasonable reading: justification required, Entra's default maximum).
pub fn check(
    roles: &[(&str, Option<&RolePolicy>)],
    duration_minutes: u32,
    justification: &str,
    ticket_number: &str,
    ticket_system: &str,
) -> Result<Checked, ApiError> {
    if roles.is_empty() {
        return Err(invalid("Choose at least one role to activate."));
    }
    let max_of = |p: Option<&RolePolicy>| p.map_or(DEFAULT_MAX_MINUTES, |p| p.max_duration_minutes);
    let (limiting, max) = roles
        .iter()
        .map(|(n, p)| (*n, max_of(*p)))
        .min_by_key(|(_, m)| *m)
        .expect("non-empty");
    let min = MIN_ACTIVATION_MINUTES.min(max);
    if duration_minutes > max {
        let whose = if roles.len() > 1 {
            format!(" ({limiting})")
        } else {
            String::new()
        };
        return Err(invalid(format!("The longest activation your organization allows{whose} is {}. Choose a shorter duration.", words(max))));
    }
    if duration_minutes < min {
        return Err(invalid(format!("Choose at least {}.", words(min))));
    }
    let justification = justification.trim();
    let needs_justification = roles
        .iter()
        .any(|(_, p)| p.is_none_or(|p| p.requires_justification));
    if justification.is_empty() && needs_justification {
        return Err(invalid("Say what you will do with the role: your organization requires a justification (for example: Reset password, MFA reset, login error investigation)."));
    }
    if justification.chars().count() > MAX_JUSTIFICATION {
        return Err(invalid(format!(
            "The justification is too long: keep it under {MAX_JUSTIFICATION} characters."
        )));
    }
    let ticket_number = ticket_number.trim();
    let ticket_system = ticket_system.trim();
    if ticket_number.is_empty()
        && roles
            .iter()
            .any(|(_, p)| p.is_some_and(|p| p.requires_ticket))
    {
        return Err(invalid("Enter the ticket number of your change or incident: your organization requires one for this role."));
    }
    if ticket_number.chars().count() > MAX_TICKET || ticket_system.chars().count() > MAX_TICKET {
        return Err(invalid(format!(
            "The ticket number and ticket system must each be under {MAX_TICKET} characters."
        )));
    }
    if [justification, ticket_number, ticket_system]
        .iter()
        .any(|s| s.chars().any(|c| c.is_control() && c != '\n' && c != '\t'))
    {
        return Err(invalid(
            "Remove the control characters from the justification or ticket fields.",
        ));
    }
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(Checked {
        duration_minutes,
        justification: some(justification),
        ticket_number: some(ticket_number),
        ticket_system: some(ticket_system),
    })
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(max: u32, justification: bool, ticket: bool) -> RolePolicy {
        RolePolicy {
            max_duration_minutes: max,
            requires_justification: justification,
            requires_ticket: ticket,
            requires_mfa: false,
            requires_approval: false,
            approval_for_extension: false,
            authentication_context: None,
            approvers: vec![],
        }
    }

    #[test]
    fn bounds_the_duration_by_the_strictest_policy() {
        let (a, b) = (policy(480, false, false), policy(120, false, false));
        let roles = [("A", Some(&a)), ("B", Some(&b))];
        let e = check(&roles, 180, "", "", "").unwrap_err();
        assert!(
            e.message.contains("(B)") && e.message.contains("2 hours"),
            "{}",
            e.message
        );
        assert!(check(&roles, 120, "", "", "").is_ok());
        assert!(check(&roles, 29, "", "", "")
            .unwrap_err()
            .message
            .contains("30 minutes"));
        assert!(check(&roles, 30, "", "", "").is_ok());
        let short = policy(15, false, false);
        assert!(check(&[("S", Some(&short))], 15, "", "", "").is_ok());
    }

    #[test]
    fn requires_what_the_policy_requires_and_trims() {
        let p = policy(480, true, true);
        let roles = [("A", Some(&p))];
        assert_eq!(
            check(&roles, 60, "   \n ", "T-1", "").unwrap_err().code,
            ErrorCode::InvalidInput
        );
        assert!(check(&roles, 60, "Reset password", " ", "")
            .unwrap_err()
            .message
            .contains("ticket number"));
        let ok = check(&roles, 60, "  Reset password ", " CHG-1 ", " ServiceNow ").unwrap();
        assert_eq!(ok.justification.as_deref(), Some("Reset password"));
        assert_eq!(ok.ticket_number.as_deref(), Some("CHG-1"));
        assert_eq!(ok.ticket_system.as_deref(), Some("ServiceNow"));
        // Unknown policy: justification required, ticket not.
        assert!(check(&[("U", None)], 60, "", "", "").is_err());
        assert!(check(&[("U", None)], 60, "why", "", "").is_ok());
        assert!(check(&[], 60, "why", "", "").is_err());
    }

    #[test]
    fn refuses_over_long_and_control_characters() {
        let p = policy(480, false, false);
        let roles = [("A", Some(&p))];
        assert!(check(&roles, 60, &"x".repeat(501), "", "").is_err());
        assert!(check(&roles, 60, &"é".repeat(500), "", "").is_ok());
        assert!(check(&roles, 60, "", &"1".repeat(101), "").is_err());
        assert!(check(&roles, 60, "a\u{0}b", "", "").is_err());
    }
}
