//! A role's PIM policy as the Activate dialog needs it: the `EndUser`/`Assignment` rules of
//! `roleManagementPolicyAssignments` (contract §2.6).

use serde_json::Value;

use super::duration::parse_minutes;
use crate::api::RolePolicy;

/// PIM's own ceiling for an activation (the portal allows 0.5–24 h).
pub const MAX_ACTIVATION_MINUTES: u32 = 24 * 60;
/// The shortest activation Elevate offers (PIM's portal steps by half hours).
pub const MIN_ACTIVATION_MINUTES: u32 = 30;
/// Without a readable policy: Entra's default for a role.
pub const DEFAULT_MAX_MINUTES: u32 = 8 * 60;

/// Reads the rules; unknown or missing rules leave the default (PT8H, nothing required).
pub fn from_rules(rules: &[Value]) -> RolePolicy {
    let mut p = RolePolicy {
        max_duration_minutes: DEFAULT_MAX_MINUTES,
        requires_justification: false,
        requires_ticket: false,
        requires_mfa: false,
        requires_approval: false,
        approval_for_extension: false,
        authentication_context: None,
        approvers: vec![],
    };
    for rule in rules.iter().filter(|r| is_end_user_assignment(r)) {
        let kind = rule["@odata.type"].as_str().unwrap_or_default();
        match kind.rsplit('.').next().unwrap_or_default() {
            "unifiedRoleManagementPolicyExpirationRule" => {
                if let Some(m) = rule["maximumDuration"].as_str().and_then(parse_minutes) {
                    p.max_duration_minutes = m.clamp(1, MAX_ACTIVATION_MINUTES);
                }
            }
            "unifiedRoleManagementPolicyEnablementRule" => {
                let enabled: Vec<&str> = rule["enabledRules"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                p.requires_justification = enabled
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case("Justification"));
                p.requires_ticket = enabled.iter().any(|r| r.eq_ignore_ascii_case("Ticketing"));
                p.requires_mfa = enabled
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case("MultiFactorAuthentication"));
            }
            "unifiedRoleManagementPolicyApprovalRule" => {
                let s = &rule["setting"];
                p.requires_approval = s["isApprovalRequired"].as_bool().unwrap_or(false);
                p.approval_for_extension = s["isApprovalRequiredForExtension"]
                    .as_bool()
                    .unwrap_or(false);
                if p.requires_approval {
                    p.approvers = s["approvalStages"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|st| st["primaryApprovers"].as_array().into_iter().flatten())
                        .filter_map(|a| {
                            a["description"]
                                .as_str()
                                .or(a["userId"].as_str())
                                .or(a["groupId"].as_str())
                        })
                        .map(str::to_string)
                        .collect();
                }
            }
            "unifiedRoleManagementPolicyAuthenticationContextRule"
                if rule["isEnabled"].as_bool() == Some(true) =>
            {
                p.authentication_context = rule["claimValue"]
                    .as_str()
                    .filter(|c| !c.is_empty())
                    .map(str::to_string);
            }
            _ => {}
        }
    }
    p
}

fn is_end_user_assignment(rule: &Value) -> bool {
    let t = &rule["target"];
    t["caller"]
        .as_str()
        .is_some_and(|c| c.eq_ignore_ascii_case("EndUser"))
        && t["level"]
            .as_str()
            .is_some_and(|l| l.eq_ignore_ascii_case("Assignment"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(caller: &str, level: &str) -> Value {
        json!({"caller": caller, "operations": ["all"], "level": level})
    }

    #[test]
    fn reads_the_end_user_assignment_rules_only() {
        let rules = vec![
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "maximumDuration": "P365D", "target": target("Admin", "Eligibility")}),
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "maximumDuration": "PT2H", "target": target("EndUser", "Assignment")}),
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "enabledRules": ["MultiFactorAuthentication", "Justification", "Ticketing"], "target": target("EndUser", "Assignment")}),
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "enabledRules": [], "target": target("Admin", "Assignment")}),
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule", "target": target("EndUser", "Assignment"),
                   "setting": {"isApprovalRequired": true, "isApprovalRequiredForExtension": false,
                               "approvalStages": [{"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "description": "Gloria Mueller", "userId": "u1"}]}]}}),
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule", "isEnabled": true, "claimValue": "c1", "target": target("EndUser", "Assignment")}),
        ];
        let p = from_rules(&rules);
        assert_eq!(p.max_duration_minutes, 120);
        assert!(
            p.requires_justification && p.requires_ticket && p.requires_mfa && p.requires_approval
        );
        assert!(!p.approval_for_extension);
        assert_eq!(p.approvers, ["Gloria Mueller"]);
        assert_eq!(p.authentication_context.as_deref(), Some("c1"));
    }

    #[test]
    fn missing_rules_mean_the_defaults() {
        let p = from_rules(&[
            json!({"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule", "isEnabled": false, "claimValue": "c1", "target": target("EndUser", "Assignment")}),
        ]);
        assert_eq!(p.max_duration_minutes, DEFAULT_MAX_MINUTES);
        assert!(
            !p.requires_justification
                && !p.requires_ticket
                && !p.requires_mfa
                && !p.requires_approval
        );
        assert_eq!(p.authentication_context, None);
    }
}
