//! PIM: the Graph pages of My roles (read by the real client from a service that sends
//! anything, then built into the screen's view), policy rules, refusals and durations.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::server::{self, Canned, Server};
use super::{any_json, body_of, check, plain, text};
use crate::clients::graph::pim::PimClient;
use crate::clients::http::{ServiceError, ServiceErrorKind};
use crate::roles::refusal::{classify, failed_rules, Refusal};
use crate::roles::{duration, policy, view};
use crate::secret::Secret;

const ROLE: &str = "62e90394-69f5-4237-9190-012177145e10";

fn definition() -> Value {
    json!({"id": ROLE, "displayName": "Global Administrator", "description": "Can manage all aspects", "templateId": ROLE})
}

/// The pages My roles reads, as Graph sends them (contract §2), with a next link back to
/// the same service so the cases also go through paging.
fn pages(base: &str) -> Vec<Value> {
    let next = format!("{base}v1.0/next?$skiptoken=x");
    vec![
        json!({"@odata.context": "x", "value": [{"id": "e1", "principalId": "p1", "roleDefinitionId": ROLE, "directoryScopeId": "/", "memberType": "Direct", "startDateTime": "2024-01-01T00:00:00Z", "endDateTime": "2025-01-01T00:00:00Z", "roleDefinition": definition()}], "@odata.nextLink": next}),
        json!({"value": [{"id": "a1", "principalId": "p1", "roleDefinitionId": ROLE, "directoryScopeId": "/", "assignmentType": "Activated", "memberType": "Group", "startDateTime": "2024-01-01T00:00:00Z", "endDateTime": "2024-01-01T08:00:00Z", "roleDefinition": definition()}]}),
        json!({"value": [{"id": "r1", "status": "PendingApproval", "action": "selfActivate", "roleDefinitionId": ROLE, "createdDateTime": "2024-01-01T00:00:00Z", "justification": "INC1", "scheduleInfo": {"startDateTime": "2024-01-01T00:00:00Z", "expiration": {"type": "afterDuration", "duration": "PT8H"}}, "ticketInfo": {"ticketNumber": "1", "ticketSystem": "x"}}]}),
        json!({"value": [{"id": "g1", "displayName": "PIM admins"}], "@odata.nextLink": "https://evil.example/next"}),
        json!({"value": [{"roleDefinitionId": ROLE, "policy": {"rules": policy_rules()}}]}),
    ]
}

fn policy_rules() -> Value {
    let target = json!({"caller": "EndUser", "operations": ["all"], "level": "Assignment"});
    json!([
        {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", "id": "Expiration_EndUser_Assignment", "isExpirationRequired": true, "maximumDuration": "PT8H", "target": target},
        {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyEnablementRule", "id": "Enablement_EndUser_Assignment", "enabledRules": ["Justification", "Ticketing", "MultiFactorAuthentication"], "target": target},
        {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyApprovalRule", "id": "Approval_EndUser_Assignment", "setting": {"isApprovalRequired": true, "isApprovalRequiredForExtension": false, "approvalStages": [{"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "u1", "description": "Alex"}]}]}, "target": target},
        {"@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule", "id": "AuthenticationContext_EndUser_Assignment", "isEnabled": true, "claimValue": "c1", "target": target}
    ])
}

#[test]
fn fuzz_pim_pages_into_my_roles() {
    let srv = Server::start();
    let body = body_of(pages(srv.base.as_str()));
    check(
        "PIM pages",
        (server::status(), body),
        move |(status, body)| {
            srv.set(Canned {
                status,
                headers: vec![],
                body,
            });
            let http = server::http();
            let token = Secret::new("tkn");
            let pim = PimClient {
                http: &http,
                graph: &srv.base,
                token: &token,
            };
            let read = srv.rt.block_on(async {
                let eligible = pim.eligibilities().await;
                let assigned = pim.assignments().await;
                let requests = pim.requests().await;
                let request = pim.request("r1").await;
                let policy = pim.policy(ROLE).await;
                let groups = pim.my_groups().await;
                (eligible, assigned, requests, request, policy, groups)
            });
            let (eligible, assigned, requests, request, policy, groups) = read;
            for e in [
                eligible.as_ref().err(),
                assigned.as_ref().err(),
                requests.as_ref().err(),
                request.as_ref().err(),
                policy.as_ref().err(),
                groups.as_ref().err(),
            ]
            .into_iter()
            .flatten()
            {
                plain(
                    "PIM error",
                    &e.to_api_error("Privileged Identity Management").message,
                )?;
            }
            let policies: HashMap<String, _> = policy
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| Some((a.role_definition_id, policy::from_rules(&a.policy?.rules))))
                .collect();
            let groups: HashMap<String, String> = groups
                .unwrap_or_default()
                .into_iter()
                .filter_map(|g| Some((g.id, g.display_name?)))
                .collect();
            let mut requests = requests.unwrap_or_default();
            requests.extend(request);
            // The view the screen shows, from whatever was read.
            let (eligible, assigned) = (eligible.unwrap_or_default(), assigned.unwrap_or_default());
            let found = view::Found {
                eligible: &eligible,
                assigned: &assigned,
                requests: &requests,
            };
            let _ = view::build(
                &found,
                &policies,
                &groups,
                &HashMap::new(),
                &[ROLE.to_string()],
            );
            Ok(())
        },
    );
}

#[test]
fn fuzz_policy_rules() {
    let rules = prop_oneof![
        4 => super::json::mutated(vec![policy_rules()]),
        1 => any_json().prop_map(|v| v.to_string().into_bytes()),
    ];
    check("PIM policy rules", rules, |bytes| {
        let Ok(Value::Array(rules)) = serde_json::from_slice::<Value>(&bytes) else {
            return Ok(());
        };
        let p = policy::from_rules(&rules);
        prop_assert!(
            (1..=policy::MAX_ACTIVATION_MINUTES).contains(&p.max_duration_minutes),
            "{}",
            p.max_duration_minutes
        );
        prop_assert!(p.approvers.is_empty() || p.requires_approval);
        Ok(())
    });
}

fn kind() -> impl Strategy<Value = ServiceErrorKind> {
    prop::sample::select(vec![
        ServiceErrorKind::Network,
        ServiceErrorKind::Throttled,
        ServiceErrorKind::Unauthorized,
        ServiceErrorKind::SignInRequired,
        ServiceErrorKind::Forbidden,
        ServiceErrorKind::NotFound,
        ServiceErrorKind::Refused,
        ServiceErrorKind::Server,
        ServiceErrorKind::Malformed,
        ServiceErrorKind::TooLarge,
        ServiceErrorKind::InterceptedByNetwork,
        ServiceErrorKind::TimedOut { seconds: 90 },
    ])
}

/// A PIM refusal as the http layer hands it over: documented codes and messages, pieced
/// together with anything.
pub(crate) fn pim_error() -> impl Strategy<Value = ServiceError> {
    let code = prop_oneof![
        prop::sample::select(vec![
            "RoleAssignmentRequestPolicyValidationFailed",
            "RoleAssignmentRequestAcrsValidationFailed",
            "RoleAssignmentExists",
            "PendingRoleAssignmentRequest",
            "RoleAssignmentDoesNotExist",
            "ActiveDurationTooShort",
            "RoleAssignmentExtensionNotAllowed",
            "UnknownError",
            "",
        ])
        .prop_map(str::to_string),
        text(),
    ];
    let message = prop_oneof![
        "(\\[\"|- |, )?((Mfa|Justification|Ticketing|Expiration|Approval|Eligibility|[A-Z][a-z]{0,6})Rule[\" ,\\]-]{0,3}){0,4}",
        (text(), prop_oneof![
            Just("%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%22value%22%3A%22c1%22%7D%7D%7D".to_string()),
            Just("{\"access_token\":{}}".to_string()),
            "[%0-9A-Fa-z{}\"]{0,40}",
        ], text()).prop_map(|(a, c, b)| format!("{a}&claims={c}&{b}")),
        text(),
    ];
    (
        kind(),
        code,
        message,
        proptest::option::of(prop_oneof![
            Just("RoleAssignmentRequestAcrsValidationFailed".to_string()),
            text()
        ]),
        proptest::option::of(prop_oneof![
            Just(r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#.to_string()),
            text()
        ]),
    )
        .prop_map(|(kind, code, message, inner_code, claims)| {
            let mut e = ServiceError::new(kind, message);
            e.code = code;
            e.inner_code = inner_code;
            // The http layer only passes on a challenge that is a JSON object.
            e.claims_challenge =
                claims.filter(|c| serde_json::from_str::<Value>(c).is_ok_and(|v| v.is_object()));
            e
        })
}

#[test]
fn fuzz_pim_refusals() {
    check("PIM refusals", pim_error(), |e| {
        match classify(&e) {
            Refusal::Final(api) => plain("refusal", &api.message)?,
            Refusal::StepUp { claims, why } => {
                plain("step-up", why.message())?;
                let v: Value = serde_json::from_str(&claims)
                    .map_err(|x| TestCaseError::fail(format!("claims not JSON: {x}")))?;
                prop_assert!(v.is_object());
            }
            Refusal::AlreadyActive | Refusal::AlreadyPending | Refusal::NotActive => {}
        }
        for rule in failed_rules(&e.message) {
            prop_assert!(rule.ends_with("Rule") && rule.len() > 4, "{rule}");
        }
        Ok(())
    });
}

#[test]
fn fuzz_durations() {
    let d = prop_oneof![
        "P?T?([0-9.]{0,22}[WDHMSY]){0,4}",
        (0u32..100_000).prop_map(|m| format!("PT{m}M")),
        text(),
    ];
    check("ISO 8601 durations", d, |s| {
        let m = duration::parse_minutes(&s);
        if let Some(n) = s
            .strip_prefix("PT")
            .and_then(|r| r.strip_suffix('M'))
            .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|r| r.parse::<u32>().ok())
        {
            prop_assert_eq!(m, Some(n));
        }
        Ok(())
    });
}
