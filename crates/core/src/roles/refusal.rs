//! What PIM's refusals mean, in plain words, and which ones Elevate can fix by itself
//! (a step-up sign-in, then the same request again).

use crate::api::{ApiError, ErrorCode};
use crate::clients::http::{ServiceError, ServiceErrorKind};

const ACRS_REFUSED: &str = "RoleAssignmentRequestAcrsValidationFailed";

/// Claims that ask Entra for a sign-in with MFA.
pub const MFA_CLAIMS: &str = r#"{"access_token":{"amr":{"essential":true,"values":["mfa"]}}}"#;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Sign in again with these claims, then retry.
    StepUp { claims: String, why: StepUpWhy },
    /// The role is already active (or being activated): not an error.
    AlreadyActive,
    /// A request for the role is already waiting for approval.
    AlreadyPending,
    /// Deactivation or extension of a role that is not active.
    NotActive,
    /// Tell the user; nothing to retry.
    Final(ApiError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUpWhy {
    Mfa,
    AuthenticationContext,
}

impl StepUpWhy {
    pub fn message(self) -> &'static str {
        match self {
            Self::Mfa => "This role needs multi-factor authentication. Confirm the sign-in in your browser; Elevate then continues by itself.",
            Self::AuthenticationContext => {
                "Your organization asks for an extra sign-in check for this role. Confirm it in your browser; Elevate then continues by itself."
            }
        }
    }
}

pub fn classify(e: &ServiceError) -> Refusal {
    let with_ids = |a: ApiError| {
        a.with_detail(e.detail())
            .with_correlation_id(e.correlation_id.clone())
    };
    if let Some(claims) = &e.claims_challenge {
        return Refusal::StepUp {
            claims: claims.clone(),
            why: StepUpWhy::AuthenticationContext,
        };
    }
    // The authentication-context refusal also arrives under other codes (`UnknownError`)
    // with the same `&claims=` message: the claims asked for decide, not the code.
    if e.code != ACRS_REFUSED {
        if let Some(claims) = claims_in_message(&e.message).filter(|c| asks_for_acrs(c)) {
            return Refusal::StepUp {
                claims,
                why: StepUpWhy::AuthenticationContext,
            };
        }
    }
    let code = match e.inner_code.as_deref() {
        Some(ACRS_REFUSED) => ACRS_REFUSED,
        _ => e.code.as_str(),
    };
    match code {
        "RoleAssignmentRequestPolicyValidationFailed" => {
            let rules = failed_rules(&e.message);
            let others: Vec<&str> = rules.iter().map(String::as_str).filter(|r| *r != "MfaRule").collect();
            if others.is_empty() && rules.iter().any(|r| r == "MfaRule") {
                return Refusal::StepUp { claims: MFA_CLAIMS.to_string(), why: StepUpWhy::Mfa };
            }
            let lines: Vec<&str> = others.iter().map(|r| rule_words(r)).collect();
            let text = if lines.is_empty() { "PIM refused the request because of your organization's policy for this role.".to_string() } else { lines.join(" ") };
            Refusal::Final(with_ids(ApiError::new(ErrorCode::InvalidInput, text)))
        }
        ACRS_REFUSED => match claims_in_message(&e.message) {
            Some(claims) => Refusal::StepUp { claims, why: StepUpWhy::AuthenticationContext },
            None => Refusal::Final(with_ids(ApiError::new(
                ErrorCode::InteractionRequired,
                "Your organization asks for an extra sign-in check for this role, but did not say which. Sign out, sign in again, then retry.",
            ))),
        },
        "RoleAssignmentExists" => Refusal::AlreadyActive,
        "PendingRoleAssignmentRequest" => Refusal::AlreadyPending,
        "RoleAssignmentDoesNotExist" => Refusal::NotActive,
        "ActiveDurationTooShort" => Refusal::Final(with_ids(ApiError::new(
            ErrorCode::InvalidInput,
            "PIM keeps a role active for at least 5 minutes after it starts. Deactivate it a little later.",
        ))),
        "RoleAssignmentExtensionNotAllowed" => Refusal::Final(with_ids(ApiError::new(
            ErrorCode::InvalidInput,
            "PIM lets you extend an activation only shortly before it ends. Try again when it is about to expire, or activate the role again after it ends.",
        ))),
        _ if e.kind == ServiceErrorKind::Forbidden => Refusal::Final(with_ids(ApiError::new(
            ErrorCode::Forbidden,
            "Microsoft Graph refused: Elevate's app registration lacks the PIM permissions (RoleAssignmentSchedule.ReadWrite.Directory). Ask your administrator to grant admin consent, then sign in again.",
        ))),
        _ => Refusal::Final(e.to_api_error("Privileged Identity Management")),
    }
}

/// Rule names from either wording: `["JustificationRule","TicketingRule"]` or
/// `JustificationRule - Justification is required, TicketingRule - …`.
pub fn failed_rules(message: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in message.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.len() > 4
            && word.ends_with("Rule")
            && word.starts_with(|c: char| c.is_ascii_uppercase())
            && !out.iter().any(|w| w == word)
        {
            out.push(word.to_string());
        }
    }
    out
}

fn rule_words(rule: &str) -> &'static str {
    match rule {
        "JustificationRule" => "Your organization requires a justification for this role: say what you will do with it.",
        "TicketingRule" => "Your organization requires a ticket number for this role: enter the number of your change or incident.",
        "ExpirationRule" => "The duration is longer than your organization allows for this role: choose a shorter one.",
        "EligibilityRule" => "You are not eligible for this role (any more). Refresh My roles; ask your administrator if you should be.",
        "ApprovalRule" => "This role needs approval, and the request could not be sent for approval. Try again, or ask your administrator.",
        _ => "PIM refused the request because of your organization's policy for this role.",
    }
}

/// `&claims=%7B%22access_token%22…` (the live message of an authentication-context refusal).
fn claims_in_message(message: &str) -> Option<String> {
    let start = message.find("claims=")? + "claims=".len();
    let raw = message[start..].split('&').next()?.trim();
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .to_string();
    serde_json::from_str::<serde_json::Value>(&decoded)
        .ok()
        .filter(|v| v.is_object())
        .map(|_| decoded)
}

/// Whether a claims request names an authentication context (`access_token.acrs`).
fn asks_for_acrs(claims: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(claims)
        .ok()
        .and_then(|v| v.get("access_token")?.get("acrs").cloned())
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: &str, message: &str) -> ServiceError {
        ServiceError {
            kind: ServiceErrorKind::Refused,
            status: Some(400),
            code: code.into(),
            message: message.into(),
            inner_code: None,
            correlation_id: Some("c-1".into()),
            claims_challenge: None,
        }
    }

    #[test]
    fn mfa_alone_is_a_step_up_other_rules_are_for_the_user() {
        let mfa = classify(&err(
            "RoleAssignmentRequestPolicyValidationFailed",
            r#"The following policy rules failed: ["MfaRule"]"#,
        ));
        assert_eq!(
            mfa,
            Refusal::StepUp {
                claims: MFA_CLAIMS.into(),
                why: StepUpWhy::Mfa
            }
        );
        let both = classify(&err("RoleAssignmentRequestPolicyValidationFailed", "The following policy rules failed: MfaRule - Multi-factor authentication is required, TicketingRule - Ticket information is required"));
        let Refusal::Final(e) = both else {
            panic!("{both:?}")
        };
        assert!(e.message.contains("ticket number"), "{}", e.message);
        assert_eq!(e.correlation_id.as_deref(), Some("c-1"));
    }

    #[test]
    fn authentication_context_claims_come_from_the_message() {
        let m = "&claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%7D%7D";
        let Refusal::StepUp { claims, why } =
            classify(&err("RoleAssignmentRequestAcrsValidationFailed", m))
        else {
            panic!()
        };
        assert_eq!(why, StepUpWhy::AuthenticationContext);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&claims).unwrap()["access_token"]["acrs"]
                ["value"],
            "c1"
        );
    }

    #[test]
    fn a_wrapped_authentication_context_refusal_is_still_a_step_up() {
        let m = "&claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%7D%7D";
        for code in ["UnknownError", "BadRequest", ""] {
            assert!(
                matches!(
                    classify(&err(code, m)),
                    Refusal::StepUp {
                        why: StepUpWhy::AuthenticationContext,
                        ..
                    }
                ),
                "{code}"
            );
        }
        // Claims that ask for something else are not an authentication context.
        let other = "&claims=%7B%22access_token%22%3A%7B%22nbf%22%3A%7B%7D%7D%7D";
        assert!(matches!(
            classify(&err("UnknownError", other)),
            Refusal::Final(_)
        ));
        // The documented code as the inner one, without claims: told, not stepped up.
        let mut inner = err("UnknownError", "An error has occurred.");
        inner.inner_code = Some(ACRS_REFUSED.into());
        let Refusal::Final(e) = classify(&inner) else {
            panic!()
        };
        assert_eq!(e.code, ErrorCode::InteractionRequired);
    }

    #[test]
    fn known_states_are_not_errors() {
        assert_eq!(
            classify(&err(
                "RoleAssignmentExists",
                "The Role assignment already exists."
            )),
            Refusal::AlreadyActive
        );
        assert_eq!(
            classify(&err("PendingRoleAssignmentRequest", "")),
            Refusal::AlreadyPending
        );
        assert_eq!(
            classify(&err("RoleAssignmentDoesNotExist", "")),
            Refusal::NotActive
        );
        assert!(
            matches!(classify(&err("ActiveDurationTooShort", "")), Refusal::Final(e) if e.message.contains("5 minutes"))
        );
    }
}
