//! The role policy's end-user rules, checked the way PIM checks an activation: every failed
//! rule is named at once (contract §2.5), and an authentication context is a separate claims
//! challenge.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};

use crate::graph::auth::Caller;
use crate::graph::error::GraphError;

use super::duration;
use super::scenario::{EnabledRule, Policy};
use super::state::{Expiration, ExpirationType};
use super::{AcrsRefusalCode, PolicyMessageStyle};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Eligibility,
    Expiration(ExpirationProblem),
    Mfa,
    Justification,
    Ticketing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpirationProblem {
    Missing,
    NotPositive,
    TooLong(Duration),
}

impl Failure {
    pub fn rule(&self) -> &'static str {
        match self {
            Failure::Eligibility => "EligibilityRule",
            Failure::Expiration(_) => "ExpirationRule",
            Failure::Mfa => "MfaRule",
            Failure::Justification => "JustificationRule",
            Failure::Ticketing => "TicketingRule",
        }
    }

    /// The newer wording seen in live logs (UNCONFIRMED as official).
    fn sentence(&self) -> String {
        let detail = match self {
            Failure::Eligibility => "An eligible role assignment is required".to_string(),
            Failure::Expiration(ExpirationProblem::Missing) => "Expiration is required".to_string(),
            Failure::Expiration(ExpirationProblem::NotPositive) => {
                "The duration must be positive".to_string()
            }
            Failure::Expiration(ExpirationProblem::TooLong(max)) => {
                format!(
                    "The duration exceeds the maximum allowed duration of {}",
                    duration::format(*max)
                )
            }
            Failure::Mfa => "Multi-factor authentication is required".to_string(),
            Failure::Justification => "Justification is required".to_string(),
            Failure::Ticketing => "Ticket information is required".to_string(),
        };
        format!("{} - {detail}", self.rule())
    }
}

/// What a request asks for, as far as the rules care.
pub struct Asked<'a> {
    pub start: DateTime<Utc>,
    pub expiration: Option<&'a Expiration>,
    pub justification: Option<&'a str>,
    pub ticket_number: Option<&'a str>,
}

/// The duration asked for, if the request names one PIM can use.
pub fn requested_duration(
    start: DateTime<Utc>,
    expiration: Option<&Expiration>,
) -> Option<Duration> {
    let e = expiration?;
    match e.kind {
        ExpirationType::AfterDuration => e.duration,
        ExpirationType::AfterDateTime => e.end.map(|end| end - start),
        ExpirationType::NoExpiration | ExpirationType::NotSpecified => None,
    }
}

/// Every rule of `policy` the request (from `caller`) breaks, in PIM's order.
pub fn failures(
    policy: &Policy,
    eligible: bool,
    caller: &Caller<'_>,
    asked: &Asked<'_>,
) -> Vec<Failure> {
    let mut out = Vec::new();
    if !eligible {
        out.push(Failure::Eligibility);
    }
    match requested_duration(asked.start, asked.expiration) {
        None => out.push(Failure::Expiration(ExpirationProblem::Missing)),
        Some(d) if d <= Duration::zero() => {
            out.push(Failure::Expiration(ExpirationProblem::NotPositive))
        }
        Some(d) if d > policy.max() => out.push(Failure::Expiration(ExpirationProblem::TooLong(
            policy.max(),
        ))),
        Some(_) => {}
    }
    if policy.requires(EnabledRule::MultiFactorAuthentication)
        && !caller.amr.iter().any(|m| m == "mfa")
    {
        out.push(Failure::Mfa);
    }
    let blank = |v: Option<&str>| v.is_none_or(|s| s.trim().is_empty());
    if policy.requires(EnabledRule::Justification) && blank(asked.justification) {
        out.push(Failure::Justification);
    }
    if policy.requires(EnabledRule::Ticketing) && blank(asked.ticket_number) {
        out.push(Failure::Ticketing);
    }
    out
}

/// `RoleAssignmentRequestPolicyValidationFailed`, worded per the `policyMessageStyle` switch.
pub fn refusal(failed: &[Failure], style: PolicyMessageStyle) -> GraphError {
    let message = match style {
        PolicyMessageStyle::List => {
            let names: Vec<String> = failed.iter().map(|f| format!("\"{}\"", f.rule())).collect();
            format!("The following policy rules failed: [{}]", names.join(","))
        }
        PolicyMessageStyle::Sentences => {
            let parts: Vec<String> = failed.iter().map(Failure::sentence).collect();
            format!("The following policy rules failed: {}", parts.join(", "))
        }
    };
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "RoleAssignmentRequestPolicyValidationFailed",
        message,
    )
}

/// Whether the caller's token proves the policy's authentication context. PIM honours `acrs`
/// only from a client that declared it handles claims challenges (`xms_cc: cp1`), unless the
/// `acrsRequiresClientCapability` switch is off.
pub fn acrs_satisfied(policy: &Policy, caller: &Caller<'_>, require_cp1: bool) -> bool {
    let Some(context) = &policy.authentication_context else {
        return true;
    };
    let has_context = caller.acrs.iter().any(|a| a.eq_ignore_ascii_case(context));
    let capable = !require_cp1 || caller.xms_cc.iter().any(|c| c.eq_ignore_ascii_case("cp1"));
    has_context && capable
}

/// The claims challenge PIM returns, verbatim in shape: the message is the `&claims=` query
/// fragment to add to the next authorize request (note the space after the comma, as seen live).
pub fn acrs_refusal(context: &str, code: AcrsRefusalCode) -> GraphError {
    let claims =
        format!(r#"{{"access_token":{{"acrs":{{"essential":true, "value":"{context}"}}}}}}"#);
    GraphError::new(
        StatusCode::BAD_REQUEST,
        code.code(),
        format!("&claims={}", percent_encode(&claims)),
    )
}

/// RFC 3986 encoding of everything but unreserved characters (space → `%20`, not `+`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acrs_message_matches_the_live_payload() {
        let e = acrs_refusal("c1", AcrsRefusalCode::default());
        assert_eq!(
            e.message,
            "&claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%7D%7D"
        );
    }

    #[test]
    fn both_wordings_name_every_rule() {
        let failed = [Failure::Justification, Failure::Ticketing];
        assert_eq!(
            refusal(&failed, PolicyMessageStyle::List).message,
            r#"The following policy rules failed: ["JustificationRule","TicketingRule"]"#
        );
        assert_eq!(
            refusal(&failed, PolicyMessageStyle::Sentences).message,
            "The following policy rules failed: JustificationRule - Justification is required, TicketingRule - Ticket information is required"
        );
    }
}
