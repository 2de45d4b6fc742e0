//! My roles as real tenants have them: an eligibility limited to an administrative unit, a
//! custom role, approvers named only by id, and an approval decided while Elevate watches.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use elevate_core::api::{
    ActivationInput, ActivationProgress, ActivationResult, ActivationStage, ErrorCode,
    JournalAction, JournalOutcome,
};
use elevate_tenant::{Emulator, Scenario};
use elevate_testkit::*;
use serde_json::json;

const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const HELPDESK_ADMIN: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const CUSTOM_ROLE: &str = "c0ffee00-1234-4abc-8def-0123456789ab";
const SALES: &str = "8a3c1f2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
const MARKETING: &str = "9b4d2a3f-6c7e-4f80-8b1c-2d3e4f5a6b7c";

fn unit(id: &str) -> String {
    format!("/administrativeUnits/{id}")
}

fn eligibility(
    role: &str,
    scope: Option<String>,
    end: Option<chrono::DateTime<chrono::Utc>>,
) -> elevate_tenant::scenario::Eligibility {
    elevate_tenant::scenario::Eligibility {
        id: None,
        principal: "nestor".into(),
        role_definition_id: role.into(),
        start_date_time: None,
        end_date_time: end,
        directory_scope_id: scope,
    }
}

/// The demo plus two units, Helpdesk Administrator for Sales, a custom role; the app may read
/// directory names (`Directory.Read.All`) unless `names` is false.
async fn scoped(names: bool, change: impl FnOnce(&mut Scenario)) -> Emulator {
    let mut s = Scenario::builtin("demo").unwrap();
    if names {
        s.applications[0]
            .consented_scopes
            .get_mut("https://graph.microsoft.com")
            .unwrap()
            .push("Directory.Read.All".into());
    }
    for (id, name) in [(SALES, "Sales"), (MARKETING, "Marketing")] {
        s.pim
            .administrative_units
            .push(serde_json::from_value(json!({"id": id, "displayName": name})).unwrap());
    }
    s.pim.role_definitions.push(
        serde_json::from_value(
            json!({"id": HELPDESK_ADMIN, "displayName": "Helpdesk Administrator"}),
        )
        .unwrap(),
    );
    s.pim.role_definitions.push(
        serde_json::from_value(json!({"id": CUSTOM_ROLE, "displayName": "Contoso Service Desk Operator", "isBuiltIn": false})).unwrap(),
    );
    for role in [HELPDESK_ADMIN, CUSTOM_ROLE] {
        s.pim.policies.push(serde_json::from_value(json!({"roleDefinitionId": role, "maxDuration": "PT2H", "enabledRules": ["Justification"]})).unwrap());
    }
    s.pim
        .eligibilities
        .push(eligibility(HELPDESK_ADMIN, Some(unit(SALES)), None));
    s.pim
        .eligibilities
        .push(eligibility(CUSTOM_ROLE, None, None));
    change(&mut s);
    let e = elevate_testkit::start(s).await;
    settings(
        &e,
        json!({"activationDelaySeconds": 1, "widsPropagationSeconds": 2}),
    )
    .await;
    e
}

fn input(role: &str, scope: Option<&str>) -> ActivationInput {
    ActivationInput {
        role_ids: vec![role.into()],
        scope_ids: scope.map(|s| [(role.to_string(), s.to_string())].into()),
        duration_minutes: 60,
        justification: "Password resets for the sales team".into(),
        ..Default::default()
    }
}

#[derive(Default, Clone)]
struct Stages(Arc<Mutex<Vec<(ActivationStage, Option<String>)>>>);
impl Stages {
    fn sink(&self) -> impl Fn(ActivationProgress) + Send + Sync + 'static {
        let s = self.0.clone();
        move |p| s.lock().unwrap().push((p.stage, p.message))
    }
    fn message_of(&self, stage: ActivationStage) -> Option<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .find(|(s, _)| *s == stage)
            .and_then(|(_, m)| m.clone())
    }
}

async fn sent_scopes(e: &Emulator) -> Vec<String> {
    let v = admin_get(e, "pim/requests").await;
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["directoryScopeId"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_unit_scoped_role_shows_its_unit_and_is_activated_there() {
    let e = scoped(true, |_| {}).await;
    let s = signed_in(&e, "nestor").await;
    let roles = s.app.my_roles().await.unwrap();
    let row = roles
        .eligible
        .iter()
        .find(|r| r.role_id == HELPDESK_ADMIN)
        .expect("eligible");
    assert_eq!(row.scope, "Sales (administrative unit)");
    assert_eq!(row.scope_id, unit(SALES));

    let stages = Stages::default();
    let sink = stages.sink();
    let out = s
        .app
        .activate_roles(input(HELPDESK_ADMIN, None), &sink)
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert!(
        out[0].in_token,
        "confirmed in PIM, not waited for in the sign-in"
    );
    assert_eq!(sent_scopes(&e).await, [unit(SALES)]);
    let why = stages
        .message_of(ActivationStage::UpdatingSignIn)
        .expect("the stage says why");
    assert!(why.contains("Sales (administrative unit)"), "{why}");

    let now = s.app.my_roles().await.unwrap();
    let held = now
        .active
        .iter()
        .find(|a| a.role_id == HELPDESK_ADMIN)
        .expect("held");
    assert_eq!(
        (held.scope.as_str(), held.in_token),
        ("Sales (administrative unit)", true)
    );
    assert!(
        now.eligible
            .iter()
            .find(|r| r.role_id == HELPDESK_ADMIN)
            .unwrap()
            .active
    );

    // Deactivation ends it at its own scope too.
    admin(&e, "clock/advance", json!({"seconds": 6 * 60})).await;
    s.app.deactivate_role(HELPDESK_ADMIN).await.unwrap();
    assert_eq!(sent_scopes(&e).await, [unit(SALES), unit(SALES)]);
    e.shutdown().await;
}

#[tokio::test]
async fn one_role_in_two_units_is_two_rows_and_the_row_chosen_is_activated() {
    let e = scoped(true, |s| {
        s.pim
            .eligibilities
            .push(eligibility(HELPDESK_ADMIN, Some(unit(MARKETING)), None));
    })
    .await;
    let s = signed_in(&e, "nestor").await;
    let roles = s.app.my_roles().await.unwrap();
    let scopes: Vec<&str> = roles
        .eligible
        .iter()
        .filter(|r| r.role_id == HELPDESK_ADMIN)
        .map(|r| r.scope.as_str())
        .collect();
    assert_eq!(
        scopes,
        [
            "Marketing (administrative unit)",
            "Sales (administrative unit)"
        ]
    );

    let err = s
        .app
        .activate_roles(input(HELPDESK_ADMIN, None), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        !err.message.contains("administrativeUnits"),
        "{}",
        err.message
    );
    assert!(sent_scopes(&e).await.is_empty(), "nothing sent");

    let marketing = unit(MARKETING);
    let out = s
        .app
        .activate_roles(input(HELPDESK_ADMIN, Some(&marketing)), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert_eq!(sent_scopes(&e).await, [marketing]);
    let roles = s.app.my_roles().await.unwrap();
    let busy: Vec<(&str, bool)> = roles
        .eligible
        .iter()
        .filter(|r| r.role_id == HELPDESK_ADMIN)
        .map(|r| (r.scope.as_str(), r.active))
        .collect();
    assert_eq!(
        busy,
        [
            ("Marketing (administrative unit)", true),
            ("Sales (administrative unit)", false)
        ]
    );
    e.shutdown().await;
}

#[tokio::test]
async fn without_directory_read_a_unit_is_worded_not_shown_as_an_id() {
    let e = scoped(false, |_| {}).await;
    let s = signed_in(&e, "nestor").await;
    let roles = s.app.my_roles().await.unwrap();
    let row = roles
        .eligible
        .iter()
        .find(|r| r.role_id == HELPDESK_ADMIN)
        .unwrap();
    assert!(
        row.scope.contains("administrative unit") && !row.scope.contains(SALES),
        "{}",
        row.scope
    );
    e.shutdown().await;
}

#[tokio::test]
async fn a_custom_role_is_confirmed_in_pim_not_waited_for_in_the_sign_in() {
    let e = scoped(true, |_| {}).await;
    let s = signed_in(&e, "nestor").await;
    let stages = Stages::default();
    let sink = stages.sink();
    let started = Instant::now();
    let out = s
        .app
        .activate_roles(input(CUSTOM_ROLE, None), &sink)
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert!(out[0].in_token, "PIM lists it as held");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no wait for the sign-in: {:?}",
        started.elapsed()
    );
    let why = stages
        .message_of(ActivationStage::UpdatingSignIn)
        .expect("the stage says why");
    assert!(why.contains("custom role"), "{why}");
    let now = s.app.my_roles().await.unwrap();
    let held = now
        .active
        .iter()
        .find(|a| a.role_id == CUSTOM_ROLE)
        .unwrap();
    assert_eq!(
        (held.name.as_str(), held.in_token),
        ("Contoso Service Desk Operator", true)
    );
    e.shutdown().await;
}

#[tokio::test]
async fn names_come_from_the_directory_not_ids() {
    // Approvers by id only, one of them a group; a request for a role no longer eligible.
    let soon = chrono::Utc::now() + chrono::Duration::hours(2);
    let e = scoped(true, |s| {
        s.settings.policy_approver_descriptions = false;
        s.pim
            .eligibilities
            .retain(|x| x.role_definition_id != CUSTOM_ROLE);
        s.pim
            .eligibilities
            .push(eligibility(CUSTOM_ROLE, None, Some(soon)));
        let p = s
            .pim
            .policies
            .iter_mut()
            .find(|p| p.role_definition_id == USER_ADMIN)
            .unwrap();
        p.approvers
            .push("5e3d1a2b-7c41-4f0e-9a8d-2b6c9e1f4a70".into());
    })
    .await;
    let alex = signed_in(&e, "alex").await;
    let roles = alex.app.my_roles().await.unwrap();
    let ua = roles
        .eligible
        .iter()
        .find(|r| r.role_id == USER_ADMIN)
        .unwrap();
    assert_eq!(
        ua.policy.as_ref().unwrap().approvers,
        ["Gloria Mueller", "PP Admins (PIM)"]
    );

    let nestor = signed_in(&e, "nestor").await;
    let out = nestor
        .app
        .activate_roles(input(CUSTOM_ROLE, None), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    admin(&e, "clock/advance", json!({"seconds": 3 * 3600})).await;
    let later = nestor.app.my_roles().await.unwrap();
    assert!(
        later.eligible.iter().all(|r| r.role_id != CUSTOM_ROLE),
        "eligibility over"
    );
    let req = later
        .requests
        .iter()
        .find(|r| r.role_id == CUSTOM_ROLE)
        .unwrap();
    assert_eq!(req.role_name, "Contoso Service Desk Operator");
    e.shutdown().await;
}

#[tokio::test]
async fn approvers_without_readable_names_are_left_out_not_shown_as_ids() {
    let e = scoped(false, |s| s.settings.policy_approver_descriptions = false).await;
    let alex = signed_in(&e, "alex").await;
    let roles = alex.app.my_roles().await.unwrap();
    let ua = roles
        .eligible
        .iter()
        .find(|r| r.role_id == USER_ADMIN)
        .unwrap();
    let p = ua.policy.as_ref().unwrap();
    assert!(
        p.requires_approval && p.approvers.is_empty(),
        "{:?}",
        p.approvers
    );
    e.shutdown().await;
}

#[tokio::test]
async fn an_approval_and_the_activation_it_leads_to_are_journaled() {
    let e = scoped(true, |_| {}).await;
    let s = signed_in(&e, "alex").await;
    let out = s
        .app
        .activate_roles(
            ActivationInput {
                role_ids: vec![USER_ADMIN.into()],
                duration_minutes: 60,
                justification: "Onboard new hires".into(),
                ..Default::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(out[0].result, ActivationResult::Pending);
    let id = out[0].request_id.clone().unwrap();
    admin(
        &e,
        &format!("pim/requests/{id}/approve"),
        json!({"approver": "gloria"}),
    )
    .await;
    // A screen's read sees the decision first; the next tick still tells and journals it.
    s.app.my_roles().await.unwrap();
    let tick = s.app.watch_tick().await;
    assert_eq!(tick.notices.len(), 1, "{:?}", tick.notices);

    let decided = journal_rows(&s.app, JournalAction::ApprovalDecided).await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].entry.result.outcome, JournalOutcome::Succeeded);
    assert_eq!(decided[0].entry.request_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        decided[0].entry.params.role_name.as_deref(),
        Some("User Administrator")
    );

    // Once PIM has put it in place, the activation itself is journaled, once.
    let deadline = Instant::now() + Duration::from_secs(15);
    let activated = loop {
        s.app.watch_tick().await;
        let rows = journal_rows(&s.app, JournalAction::RoleActivate).await;
        if rows
            .iter()
            .any(|r| r.entry.result.outcome == JournalOutcome::Succeeded)
            || Instant::now() > deadline
        {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let outcomes: Vec<JournalOutcome> = activated.iter().map(|r| r.entry.result.outcome).collect();
    assert_eq!(
        outcomes,
        [JournalOutcome::Succeeded, JournalOutcome::Pending],
        "newest first"
    );
    let done = &activated[0].entry;
    assert_eq!(done.request_id.as_deref(), Some(id.as_str()));
    assert!(done.expires_at.is_some());
    assert_eq!(done.params.duration_minutes, Some(60));
    s.app.watch_tick().await;
    assert_eq!(
        journal_rows(&s.app, JournalAction::RoleActivate)
            .await
            .len(),
        2,
        "journaled once"
    );
    e.shutdown().await;
}

#[tokio::test]
async fn a_denial_is_journaled_as_the_decision() {
    let e = scoped(true, |_| {}).await;
    let s = signed_in(&e, "alex").await;
    let out = s
        .app
        .activate_roles(
            ActivationInput {
                role_ids: vec![USER_ADMIN.into()],
                duration_minutes: 60,
                justification: "Onboard new hires".into(),
                ..Default::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    let id = out[0].request_id.clone().unwrap();
    admin(
        &e,
        &format!("pim/requests/{id}/deny"),
        json!({"approver": "gloria"}),
    )
    .await;
    let tick = s.app.watch_tick().await;
    assert_eq!(tick.notices[0].title, "User Administrator denied");
    let rows = journal_rows(&s.app, JournalAction::ApprovalDecided).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].entry.result.outcome, JournalOutcome::Failed);
    assert!(rows[0]
        .entry
        .result
        .message
        .as_deref()
        .unwrap()
        .contains("Denied"));
    e.shutdown().await;
}
