//! Activation rules over HTTP (contract §2.5): each failed policy rule, both wordings, the
//! authentication-context challenge, and the state errors; refused requests change nothing.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn refused(t: &Tenant, tok: &str, body: &Value, code: &str) -> String {
    let (status, answer) = request(t, tok, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer}");
    assert_eq!(error_code(&answer), code, "{answer}");
    assert!(answer["error"]["innerError"]["request-id"].is_string());
    error_message(&answer).to_string()
}

async fn rules_failed(t: &Tenant, tok: &str, body: &Value) -> String {
    refused(t, tok, body, "RoleAssignmentRequestPolicyValidationFailed").await
}

#[tokio::test]
async fn each_failed_rule_is_named_and_nothing_changes() {
    let t = start_pim().await;
    let before = snapshot(&t).await;
    let adele = token(&t, "adele").await;
    let list = |rules: &[&str]| {
        let quoted: Vec<String> = rules.iter().map(|r| format!("\"{r}\"")).collect();
        format!("The following policy rules failed: [{}]", quoted.join(","))
    };
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            activation(
                "adele",
                PPA,
                json!({"justification": null, "ticketInfo": null}),
            ),
            vec!["JustificationRule", "TicketingRule"],
        ),
        (
            activation("adele", PPA, json!({"justification": "   "})),
            vec!["JustificationRule"],
        ),
        (
            activation(
                "adele",
                PPA,
                json!({"ticketInfo": {"ticketSystem": "ServiceNow"}}),
            ),
            vec!["TicketingRule"],
        ),
        (
            activation(
                "adele",
                PPA,
                json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT8H1M"}}}),
            ),
            vec!["ExpirationRule"],
        ),
        (
            activation("adele", PPA, json!({"scheduleInfo": null})),
            vec!["ExpirationRule"],
        ),
        (
            activation(
                "adele",
                PPA,
                json!({"scheduleInfo": {"expiration": {"type": "noExpiration"}}}),
            ),
            vec!["ExpirationRule"],
        ),
        (
            activation(
                "adele",
                PPA,
                json!({"scheduleInfo": {"expiration": {"type": "afterDuration"}}}),
            ),
            vec!["ExpirationRule"],
        ),
        (
            activation(
                "adele",
                PPA,
                json!({"scheduleInfo": {"expiration": {"type": "afterDuration", "duration": "-PT1H"}}}),
            ),
            vec!["ExpirationRule"],
        ),
        (
            activation(
                "adele",
                EXCHANGE,
                json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT5H"}}}),
            ),
            vec!["ExpirationRule"],
        ),
        (
            activation("adele", D365, json!({})),
            vec!["EligibilityRule", "MfaRule"],
        ),
        (
            activation(
                "adele",
                GA,
                json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "P1D"}}, "justification": null}),
            ),
            vec![
                "EligibilityRule",
                "ExpirationRule",
                "MfaRule",
                "JustificationRule",
            ],
        ),
    ];
    for (body, rules) in cases {
        assert_eq!(
            rules_failed(&t, &adele, &body).await,
            list(&rules),
            "{body}"
        );
    }
    // afterDateTime is measured from the start: 8h01m is too long for an 8-hour maximum.
    let now = chrono::Utc::now();
    let end = (now + chrono::Duration::minutes(481)).to_rfc3339();
    let body = activation(
        "adele",
        PPA,
        json!({"scheduleInfo": {"startDateTime": now.to_rfc3339(), "expiration": {"type": "afterDateTime", "endDateTime": end}}}),
    );
    assert_eq!(
        rules_failed(&t, &adele, &body).await,
        list(&["ExpirationRule"])
    );

    // MfaRule: Diego's Dynamics 365 Administrator policy wants an MFA'd session.
    let diego = token(&t, "diego").await;
    assert_eq!(
        rules_failed(&t, &diego, &activation("diego", D365, json!({}))).await,
        list(&["MfaRule"])
    );
    assert_eq!(
        rules_failed(
            &t,
            &diego,
            &activation(
                "diego",
                D365,
                json!({"justification": null, "scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT5H"}}})
            )
        )
        .await,
        list(&["ExpirationRule", "MfaRule", "JustificationRule"])
    );
    // EligibilityRule: Nestor has nothing; Grady's group does not make him eligible for D365.
    let nestor = token(&t, "nestor").await;
    assert_eq!(
        rules_failed(&t, &nestor, &activation("nestor", PPA, json!({}))).await,
        list(&["EligibilityRule"])
    );
    let grady = token(&t, "grady").await;
    assert_eq!(
        rules_failed(&t, &grady, &activation("grady", EXCHANGE, json!({}))).await,
        list(&["EligibilityRule"])
    );
    // A scope other than the tenant is not where anyone is eligible.
    assert_eq!(
        rules_failed(
            &t,
            &adele,
            &activation(
                "adele",
                PPA,
                json!({"directoryScopeId": "/administrativeUnits/x"})
            )
        )
        .await,
        list(&["EligibilityRule"])
    );

    assert_eq!(
        snapshot(&t).await,
        before,
        "refused requests change nothing"
    );
    // And the same requests, fixed, go through.
    let diego_mfa = mfa_token(&t, "diego").await;
    let (status, body) = request(&t, &diego_mfa, &activation("diego", D365, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn sentence_wording_is_a_switch() {
    let t = start_pim().await;
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"policyMessageStyle": "sentences"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::OK);
    let adele = token(&t, "adele").await;
    let message = rules_failed(
        &t,
        &adele,
        &activation(
            "adele",
            PPA,
            json!({"justification": null, "ticketInfo": null}),
        ),
    )
    .await;
    assert_eq!(
        message,
        "The following policy rules failed: JustificationRule - Justification is required, TicketingRule - Ticket information is required"
    );
    let diego = token(&t, "diego").await;
    let message = rules_failed(&t, &diego, &activation("diego", D365, json!({}))).await;
    assert_eq!(
        message,
        "The following policy rules failed: MfaRule - Multi-factor authentication is required"
    );
    let message = rules_failed(
        &t,
        &adele,
        &activation(
            "adele",
            EXCHANGE,
            json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT5H"}}}),
        ),
    )
    .await;
    assert_eq!(message, "The following policy rules failed: ExpirationRule - The duration exceeds the maximum allowed duration of PT4H");
    let nestor = token(&t, "nestor").await;
    let message = rules_failed(&t, &nestor, &activation("nestor", PPA, json!({}))).await;
    assert_eq!(message, "The following policy rules failed: EligibilityRule - An eligible role assignment is required");
    let res = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"policyMessageStyle": "poetry"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

const CHALLENGE: &str = "&claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%7D%7D";

#[tokio::test]
async fn authentication_context_is_a_claims_challenge() {
    let t = start_pim().await;
    let before = snapshot(&t).await;
    let body = activation("casey", SECURITY_ADMIN, json!({}));
    for extra in [
        json!({}),
        json!({"mfa": true}),
        json!({"acrs": ["c1"]}),
        json!({"acrs": ["c2"], "xmsCc": ["cp1"]}),
        json!({"xmsCc": ["cp1"]}),
    ] {
        let tok = token_with(&t, "casey", extra.clone()).await;
        let message = refused(&t, &tok, &body, "RoleAssignmentRequestAcrsValidationFailed").await;
        assert_eq!(message, CHALLENGE, "{extra}");
    }
    // The policy rules are still checked first.
    let weak = token(&t, "casey").await;
    assert!(rules_failed(
        &t,
        &weak,
        &activation("casey", SECURITY_ADMIN, json!({"justification": null}))
    )
    .await
    .contains("JustificationRule"));
    assert_eq!(snapshot(&t).await, before);

    let stepped_up = token_with(&t, "casey", json!({"acrs": ["c1"], "xmsCc": ["cp1"]})).await;
    let (status, answer) = request(&t, &stepped_up, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert!(held(&t, &stepped_up).await.contains(&(
        SECURITY_ADMIN.into(),
        "Activated".into(),
        "Direct".into()
    )));

    // With the client-capability requirement switched off, acrs alone is enough.
    let t = start_with(|s| {
        s.settings.activation_delay_seconds = 0;
        s.settings.acrs_requires_client_capability = false;
    })
    .await;
    let acrs_only = token_with(&t, "casey", json!({"acrs": ["c1"]})).await;
    let (status, answer) = request(&t, &acrs_only, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

#[tokio::test]
async fn state_errors_exists_too_short_missing_pending() {
    let t = start_pim().await;
    let adele = token(&t, "adele").await;
    let (status, first) = request(&t, &adele, &activation("adele", PPA, json!({}))).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let before = snapshot(&t).await;
    assert_eq!(
        refused(
            &t,
            &adele,
            &activation("adele", PPA, json!({})),
            "RoleAssignmentExists"
        )
        .await,
        "The Role assignment already exists."
    );
    assert_eq!(
        refused(
            &t,
            &adele,
            &simple("selfDeactivate", "adele", PPA),
            "ActiveDurationTooShort"
        )
        .await,
        "The Active duration is too short. Miniumum Required is 5 minutes."
    );
    advance(&t, 4 * 60 + 50).await;
    refused(
        &t,
        &adele,
        &simple("selfDeactivate", "adele", PPA),
        "ActiveDurationTooShort",
    )
    .await;
    assert_eq!(
        refused(
            &t,
            &adele,
            &simple("selfDeactivate", "adele", EXCHANGE),
            "RoleAssignmentDoesNotExist"
        )
        .await,
        "The Role assignment does not exist."
    );
    let gloria = token(&t, "gloria").await;
    refused(
        &t,
        &gloria,
        &simple("selfDeactivate", "gloria", GA),
        "RoleAssignmentDoesNotExist",
    )
    .await;
    let alex = token(&t, "alex").await;
    let (status, pending) = request(&t, &alex, &activation("alex", USER_ADMIN, json!({}))).await;
    assert_eq!(
        (status, pending["status"].as_str()),
        (StatusCode::CREATED, Some("PendingApproval"))
    );
    let after_pending = snapshot(&t).await;
    refused(
        &t,
        &alex,
        &activation("alex", USER_ADMIN, json!({})),
        "PendingRoleAssignmentRequest",
    )
    .await;
    assert_eq!(snapshot(&t).await, after_pending);
    assert_ne!(before, after_pending);

    // Five minutes after activation, deactivation works and the role is gone at once.
    advance(&t, 15).await;
    let (status, revoked) = request(&t, &adele, &simple("selfDeactivate", "adele", PPA)).await;
    assert_eq!(status, StatusCode::CREATED, "{revoked}");
    assert_eq!(revoked["status"], "Revoked");
    assert_eq!(revoked["targetScheduleId"], first["id"]);
    assert!(held(&t, &adele).await.is_empty());
    assert!(!wids(&t, "adele").await.contains(&PPA.to_string()));
    refused(
        &t,
        &adele,
        &simple("selfDeactivate", "adele", PPA),
        "RoleAssignmentDoesNotExist",
    )
    .await;
}

#[tokio::test]
async fn who_may_ask_for_what() {
    let t = start_pim().await;
    let before = snapshot(&t).await;
    let adele = token(&t, "adele").await;
    let (status, body) = request(&t, &adele, &activation("diego", D365, json!({}))).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied"),
        "someone else's principalId"
    );
    for (patch, code) in [
        (json!({"principalId": null}), "BadRequest"),
        (json!({"roleDefinitionId": null}), "BadRequest"),
        (
            json!({"roleDefinitionId": "00000000-1111-2222-3333-444444444444"}),
            "Request_BadRequest",
        ),
        (json!({"directoryScopeId": null}), "BadRequest"),
        (json!({"action": "selfRenew"}), "BadRequest"),
        (json!({"action": "takeOver"}), "BadRequest"),
        (json!({"action": null}), "BadRequest"),
    ] {
        refused(&t, &adele, &activation("adele", PPA, patch.clone()), code).await;
    }
    let (status, body) = request(
        &t,
        &adele,
        &activation("adele", PPA, json!({"action": "adminAssign"})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );
    let gloria = token(&t, "gloria").await;
    let (status, _) = request(
        &t,
        &gloria,
        &activation("gloria", PPA, json!({"action": "AdminRemove"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a Global Administrator gets past authorization, but admin actions are not emulated"
    );

    // isValidationOnly answers as a real request would, and changes nothing.
    let (status, dry) = request(
        &t,
        &adele,
        &activation("adele", PPA, json!({"isValidationOnly": true})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{dry}");
    assert_eq!(
        (dry["status"].as_str(), dry["isValidationOnly"].as_bool()),
        (Some("Granted"), Some(true))
    );
    let diego = token(&t, "diego").await;
    let (_, dry) = request(
        &t,
        &diego,
        &activation("diego", D365, json!({"isValidationOnly": true})),
    )
    .await;
    assert!(
        error_message(&dry).contains("MfaRule"),
        "a dry run tells whether MFA will be needed"
    );
    let (_, dry) = request(
        &t,
        &token(&t, "alex").await,
        &activation("alex", USER_ADMIN, json!({"isValidationOnly": true})),
    )
    .await;
    assert_eq!(dry["status"], "PendingApproval");
    assert_eq!(snapshot(&t).await, before);
}

#[tokio::test]
async fn malformed_bodies_are_refused_without_panics() {
    let t = start_pim().await;
    let before = snapshot(&t).await;
    let adele = token(&t, "adele").await;
    let url = format!("{}/{DIR}/roleAssignmentScheduleRequests", t.ep.graph);
    let good = activation("adele", PPA, json!({})).to_string();
    let bodies: Vec<(Option<&str>, Vec<u8>)> = vec![
        (Some("application/json"), b"{not json".to_vec()),
        (Some("application/json"), vec![0xff, 0xfe, 0x00]),
        (Some("application/json"), Vec::new()),
        (Some("application/json"), b"null".to_vec()),
        (Some("application/json"), b"[]".to_vec()),
        (Some("text/plain"), good.clone().into_bytes()),
        (None, good.clone().into_bytes()),
        (Some("application/x-www-form-urlencoded"), b"action=selfActivate".to_vec()),
        (
            Some("application/json"),
            activation("adele", PPA, json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT5X"}}}))
                .to_string()
                .into_bytes(),
        ),
        (
            Some("application/json"),
            activation("adele", PPA, json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "five hours"}}}))
                .to_string()
                .into_bytes(),
        ),
        (
            Some("application/json"),
            activation("adele", PPA, json!({"scheduleInfo": {"expiration": {"type": "AfterDuration", "duration": "PT99999999999999H"}}}))
                .to_string()
                .into_bytes(),
        ),
        (
            Some("application/json"),
            activation("adele", PPA, json!({"scheduleInfo": {"startDateTime": "yesterday-ish"}})).to_string().into_bytes(),
        ),
        (
            Some("application/json"),
            activation("adele", PPA, json!({"scheduleInfo": {"expiration": {"type": "soon"}}})).to_string().into_bytes(),
        ),
        (Some("application/json"), activation("adele", PPA, json!({"scheduleInfo": "PT1H"})).to_string().into_bytes()),
        (Some("application/json"), activation("adele", PPA, json!({"ticketInfo": {"ticketNumber": 42}})).to_string().into_bytes()),
        (Some("application/json"), activation("adele", PPA, json!({"isValidationOnly": "False"})).to_string().into_bytes()),
        (Some("application/json"), activation("adele", PPA, json!({"shoeSize": 9})).to_string().into_bytes()),
        (Some("application/json"), activation("adele", PPA, json!({"justification": "x".repeat(200_000)})).to_string().into_bytes()),
        (Some("application/json"), format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes()),
    ];
    for (content_type, body) in bodies {
        let mut req = t.http.post(&url).bearer_auth(&adele).body(body.clone());
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.expect("answers");
        let status = res.status();
        let answer: Value = res.json().await.expect("Graph envelope");
        let shown = String::from_utf8_lossy(&body[..body.len().min(120)]).to_string();
        // The 200 000-character justification is valid JSON and a fine justification.
        if shown.contains("xxxxxxxx") {
            assert_eq!(status, StatusCode::CREATED, "{answer}");
            let (status, _) = request(&t, &adele, &simple("selfDeactivate", "adele", PPA)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST);
            t.admin_post("reset", json!({})).await;
            continue;
        }
        assert_eq!(status, StatusCode::BAD_REQUEST, "{shown}: {answer}");
        assert!(error_code(&answer) == "BadRequest", "{shown}: {answer}");
        assert!(!error_message(&answer).is_empty());
    }
    let (status, body) = get(
        &t,
        &adele,
        &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}?$filter=%ZZ&&&=="),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    for q in [
        "$filter=memberType eq",
        "$filter=(((",
        "$expand=roleDefinition(((",
        "$select=nothing",
    ] {
        let (status, body) = get(
            &t,
            &adele,
            &format!("{DIR}/roleEligibilityScheduleInstances/{MINE}?{q}"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
    }
    for path in ["pim/requests/x/approve", "pim/requests/x/deny"] {
        let res = t
            .http
            .post(format!("{}/_emulator/{path}", t.base))
            .body("{not json")
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(snapshot(&t).await, before);
    let (_, health) = t.get_json(&format!("{}/_emulator/health", t.base)).await;
    assert_eq!(health["status"], "ok");
}
