//! My roles against the demo tenant: each policy rule, each request status, step-ups,
//! approvals, deactivation and extension, and that refusals send nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use elevate_core::api::{
    ActivationInput, ActivationProgress, ActivationResult, ActivationStage, AssignmentType,
    ErrorCode, ExtendInput, JournalAction, JournalOutcome, MemberType, RequestPhase,
};
use elevate_tenant::Emulator;
use elevate_testkit::*;

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
const D365: &str = "44367163-eba1-44c3-98af-f5787879f96a";
const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const SECURITY_ADMIN: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const EXCHANGE_ADMIN: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";

async fn pim_requests(e: &Emulator) -> Vec<serde_json::Value> {
    let v: serde_json::Value = reqwest::get(format!("{}/_emulator/pim/requests", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["value"].as_array().unwrap().clone()
}

fn input(roles: &[&str], minutes: u32, justification: &str, ticket: &str) -> ActivationInput {
    ActivationInput {
        role_ids: roles.iter().map(|r| r.to_string()).collect(),
        scope_ids: None,
        duration_minutes: minutes,
        justification: justification.into(),
        ticket_number: ticket.into(),
        ticket_system: if ticket.is_empty() {
            String::new()
        } else {
            "ServiceNow".into()
        },
    }
}

/// Records the stages each role went through.
#[derive(Default, Clone)]
struct Stages(Arc<Mutex<Vec<(String, ActivationStage)>>>);
impl Stages {
    fn sink(&self) -> impl Fn(ActivationProgress) + Send + Sync + 'static {
        let s = self.0.clone();
        move |p| s.lock().unwrap().push((p.role_id, p.stage))
    }
    fn of(&self, role: &str) -> Vec<ActivationStage> {
        let mut v: Vec<ActivationStage> = self
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|(r, _)| r == role)
            .map(|(_, s)| *s)
            .collect();
        v.dedup();
        v
    }
}

#[tokio::test]
async fn a_direct_power_platform_admin_activates_with_ticket_and_justification() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let roles = s.app.my_roles().await.unwrap();
    let ppa = roles
        .eligible
        .iter()
        .find(|r| r.role_id == PPA)
        .expect("adele is eligible for PPA");
    let p = ppa.policy.as_ref().expect("policy read");
    assert_eq!(
        (
            p.max_duration_minutes,
            p.requires_justification,
            p.requires_ticket,
            p.requires_mfa,
            p.requires_approval
        ),
        (480, true, true, false, false)
    );
    assert_eq!(ppa.member_type, MemberType::Direct);
    assert!(ppa.grants_self_elevation && ppa.hint.is_none() && !ppa.active);
    let exchange = roles
        .eligible
        .iter()
        .find(|r| r.role_id == EXCHANGE_ADMIN)
        .unwrap();
    assert!(exchange.eligibility_end.is_some() && !exchange.grants_self_elevation);

    let stages = Stages::default();
    let sink = stages.sink();
    let out = s
        .app
        .activate_roles(input(&[PPA], 60, "  Env admin for CHG-1 ", "CHG-1"), &sink)
        .await
        .unwrap();
    assert_eq!(out.len(), 1);
    let o = &out[0];
    assert_eq!(o.result, ActivationResult::Active, "{:?}", o.error);
    assert!(o.in_token, "the new token carries the role");
    let left = o.expires_at.unwrap() - chrono::Utc::now();
    assert!(
        left > chrono::TimeDelta::minutes(58) && left <= chrono::TimeDelta::minutes(60),
        "{left}"
    );
    assert_eq!(
        stages.of(PPA),
        [
            ActivationStage::Validating,
            ActivationStage::Submitting,
            ActivationStage::Activating,
            ActivationStage::UpdatingSignIn,
            ActivationStage::Active
        ]
    );
    let sent = pim_requests(&e).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["justification"], "Env admin for CHG-1", "trimmed");
    assert_eq!(sent[0]["ticketInfo"]["ticketNumber"], "CHG-1");
    assert_eq!(sent[0]["scheduleInfo"]["expiration"]["duration"], "PT1H");

    let now = s.app.my_roles().await.unwrap();
    let active = now
        .active
        .iter()
        .find(|a| a.role_id == PPA)
        .expect("active now");
    assert_eq!(active.assignment_type, AssignmentType::Activated);
    assert!(active.in_token && active.end.is_some() && active.deactivate_from.is_some());
    assert!(
        now.eligible
            .iter()
            .find(|r| r.role_id == PPA)
            .unwrap()
            .active
    );
    assert_eq!(now.requests[0].phase, RequestPhase::Completed);
    assert!(s
        .app
        .home()
        .await
        .unwrap()
        .active_roles
        .iter()
        .any(|r| r.template_id == PPA));

    // Again: already active is not an error, and nothing new is sent.
    let again = s
        .app
        .activate_roles(input(&[PPA], 60, "again", "CHG-1"), &|_| {})
        .await
        .unwrap();
    assert_eq!(again[0].result, ActivationResult::AlreadyActive);
    assert_eq!(pim_requests(&e).await.len(), 1);

    assert_eq!(
        journal_outcomes(&s.app, JournalAction::RoleActivate).await,
        [JournalOutcome::AlreadyDone, JournalOutcome::Succeeded],
        "newest first"
    );
    let rows = journal_rows(&s.app, JournalAction::RoleActivate).await;
    let done = &rows[1].entry;
    assert_eq!(done.params.ticket_number.as_deref(), Some("CHG-1"));
    assert_eq!(done.params.duration_minutes, Some(60));
    assert_eq!(
        done.target.as_ref().unwrap().name,
        "Power Platform Administrator"
    );
    assert!(done.expires_at.is_some() && done.request_id.is_some());
    let prefs = s.app.role_preferences();
    assert_eq!(
        prefs.recent_justifications,
        ["again", "Env admin for CHG-1"]
    );
    e.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let cases = [
        (
            input(&[PPA], 481, "why", "T-1"),
            ErrorCode::InvalidInput,
            "8 hours",
        ),
        (
            input(&[PPA], 10, "why", "T-1"),
            ErrorCode::InvalidInput,
            "30 minutes",
        ),
        (
            input(&[PPA], 60, "  \n ", "T-1"),
            ErrorCode::InvalidInput,
            "justification",
        ),
        (
            input(&[PPA], 60, "why", "  "),
            ErrorCode::InvalidInput,
            "ticket number",
        ),
        (
            input(&[PPA], 60, &"x".repeat(501), "T-1"),
            ErrorCode::InvalidInput,
            "too long",
        ),
        (
            input(&[], 60, "why", "T-1"),
            ErrorCode::InvalidInput,
            "at least one role",
        ),
        (
            input(&["not-a-role"], 60, "why", "T-1"),
            ErrorCode::InvalidInput,
            "role id",
        ),
        (
            input(&[D365], 60, "why", "T-1"),
            ErrorCode::NotFound,
            "not eligible for Dynamics 365 Administrator",
        ),
    ];
    for (i, code, words) in cases {
        let err = s.app.activate_roles(i, &|_| {}).await.unwrap_err();
        assert_eq!(err.code, code, "{}", err.message);
        assert!(err.message.contains(words), "{words}: {}", err.message);
    }
    // Two roles: the stricter maximum (Exchange, 4 h) bounds the duration and is named.
    let err = s
        .app
        .activate_roles(input(&[PPA, EXCHANGE_ADMIN], 300, "why", "T-1"), &|_| {})
        .await
        .unwrap_err();
    assert!(
        err.message.contains("Exchange Administrator") && err.message.contains("4 hours"),
        "{}",
        err.message
    );
    assert!(pim_requests(&e).await.is_empty(), "no request reached PIM");
    assert!(
        s.app.role_preferences().recent_justifications.is_empty(),
        "nothing remembered from refused input"
    );
    e.shutdown().await;
}

#[tokio::test]
async fn two_roles_at_once_share_one_justification_and_ticket() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let out = s
        .app
        .activate_roles(
            input(
                &[EXCHANGE_ADMIN, PPA],
                120,
                "Mailbox and env cleanup",
                "INC-7",
            ),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        out.iter()
            .map(|o| (o.role_id.as_str(), o.result))
            .collect::<Vec<_>>(),
        [
            (EXCHANGE_ADMIN, ActivationResult::Active),
            (PPA, ActivationResult::Active)
        ]
    );
    let sent = pim_requests(&e).await;
    assert_eq!(sent.len(), 2);
    assert!(sent
        .iter()
        .all(|r| r["justification"] == "Mailbox and env cleanup"
            && r["ticketInfo"]["ticketNumber"] == "INC-7"));
    e.shutdown().await;
}

#[tokio::test]
async fn an_mfa_role_steps_up_in_the_browser_and_retries_by_itself() {
    let e = tenant().await;
    let s = signed_in(&e, "diego").await;
    let d365 = s
        .app
        .my_roles()
        .await
        .unwrap()
        .eligible
        .into_iter()
        .find(|r| r.role_id == D365)
        .unwrap();
    assert!(d365.policy.unwrap().requires_mfa);
    let stages = Stages::default();
    let sink = stages.sink();
    let out = s
        .app
        .activate_roles(input(&[D365], 60, "Fix a plugin in Sales", ""), &sink)
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert_eq!(s.browser.count(), 2, "one sign-in, one MFA step-up");
    let st = stages.of(D365);
    assert!(
        st.windows(2)
            .any(|w| w == [ActivationStage::SigningIn, ActivationStage::Submitting]),
        "{st:?}"
    );
    let sent = pim_requests(&e).await;
    assert_eq!(
        sent.len(),
        1,
        "the refused attempt stored nothing; the retry did"
    );
    // The step-up kept the same account and saved its stronger refresh token.
    assert!(s
        .app
        .session()
        .await
        .unwrap()
        .account
        .unwrap()
        .upn
        .starts_with("diego@"));
    e.shutdown().await;
}

#[tokio::test]
async fn an_authentication_context_role_steps_up_with_the_claims_challenge() {
    let e = tenant().await;
    let s = signed_in(&e, "casey").await;
    let sec = s
        .app
        .my_roles()
        .await
        .unwrap()
        .eligible
        .into_iter()
        .find(|r| r.role_id == SECURITY_ADMIN)
        .unwrap();
    assert_eq!(
        sec.policy.unwrap().authentication_context.as_deref(),
        Some("c1")
    );
    let out = s
        .app
        .activate_roles(input(&[SECURITY_ADMIN], 30, "Review alerts", ""), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert_eq!(s.browser.count(), 2);
    e.shutdown().await;
}

#[tokio::test]
async fn an_approval_role_waits_then_the_watch_reports_the_decision() {
    let e = tenant().await;
    let s = signed_in(&e, "alex").await;
    let out = s
        .app
        .activate_roles(input(&[USER_ADMIN], 60, "Onboard new hires", ""), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ActivationResult::Pending);
    let id = out[0].request_id.clone().unwrap();
    let roles = s.app.my_roles().await.unwrap();
    let req = roles.requests.iter().find(|r| r.id == id).unwrap();
    assert_eq!(
        (req.phase, req.can_cancel),
        (RequestPhase::WaitingForApproval, true)
    );
    // Asking again does not file a second request.
    let again = s
        .app
        .activate_roles(input(&[USER_ADMIN], 60, "Onboard new hires", ""), &|_| {})
        .await
        .unwrap();
    assert_eq!(again[0].result, ActivationResult::Pending);
    assert_eq!(pim_requests(&e).await.len(), 1);

    assert!(s.app.watch_tick().await.notices.is_empty(), "still waiting");
    admin(
        &e,
        &format!("pim/requests/{id}/approve"),
        serde_json::json!({"approver": "gloria", "justification": "ok"}),
    )
    .await;
    let tick = s.app.watch_tick().await;
    assert!(tick.changed);
    assert_eq!(tick.notices.len(), 1);
    assert_eq!(tick.notices[0].title, "User Administrator approved");
    assert!(s.app.watch_tick().await.notices.is_empty(), "told once");
    e.shutdown().await;
}

#[tokio::test]
async fn a_pending_request_can_be_cancelled_and_a_denial_is_reported() {
    let e = tenant().await;
    let s = signed_in(&e, "alex").await;
    let first = s
        .app
        .activate_roles(input(&[USER_ADMIN], 60, "Onboard", ""), &|_| {})
        .await
        .unwrap();
    let id = first[0].request_id.clone().unwrap();
    s.app.cancel_request(&id).await.unwrap();
    let roles = s.app.my_roles().await.unwrap();
    assert_eq!(
        roles.requests.iter().find(|r| r.id == id).unwrap().phase,
        RequestPhase::Canceled
    );
    let again = s.app.cancel_request(&id).await.unwrap_err();
    assert!(
        again.message.contains("can no longer be cancelled"),
        "{}",
        again.message
    );
    assert_eq!(
        s.app.cancel_request("../x").await.unwrap_err().code,
        ErrorCode::InvalidInput
    );

    let second = s
        .app
        .activate_roles(input(&[USER_ADMIN], 60, "Onboard", ""), &|_| {})
        .await
        .unwrap();
    let id2 = second[0].request_id.clone().unwrap();
    admin(
        &e,
        &format!("pim/requests/{id2}/deny"),
        serde_json::json!({"approver": "gloria", "justification": "not now"}),
    )
    .await;
    let tick = s.app.watch_tick().await;
    assert_eq!(tick.notices[0].title, "User Administrator denied");
    assert_eq!(
        journal_outcomes(&s.app, JournalAction::RequestCancel).await,
        [JournalOutcome::Failed, JournalOutcome::Succeeded]
    );
    e.shutdown().await;
}

#[tokio::test]
async fn deactivation_waits_for_the_five_minute_minimum_then_removes_the_role() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let out = s
        .app
        .activate_roles(input(&[PPA], 60, "Env admin", "CHG-2"), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ActivationResult::Active);
    let early = s.app.deactivate_role(PPA).await.unwrap_err();
    assert!(
        early.message.contains("at least 5 minutes") && early.message.contains("in 5 minutes"),
        "{}",
        early.message
    );
    assert_eq!(
        pim_requests(&e).await.len(),
        1,
        "nothing sent before the minimum"
    );

    admin(&e, "clock/advance", serde_json::json!({"seconds": 301})).await;
    let shown = s
        .app
        .my_roles()
        .await
        .unwrap()
        .active
        .into_iter()
        .find(|a| a.role_id == PPA)
        .unwrap();
    assert!(
        shown.deactivate_from.unwrap() <= chrono::Utc::now(),
        "by PIM's clock the minimum has passed"
    );
    s.app.deactivate_role(PPA).await.unwrap();
    let roles = s.app.my_roles().await.unwrap();
    assert!(roles.active.iter().all(|a| a.role_id != PPA));
    assert!(
        !s.app
            .home()
            .await
            .unwrap()
            .active_roles
            .iter()
            .any(|r| r.template_id == PPA),
        "the next token no longer carries it"
    );
    let err = s.app.deactivate_role(PPA).await.unwrap_err();
    assert!(
        err.message.contains("not active any more"),
        "{}",
        err.message
    );

    let g = signed_in(&e, "gloria").await;
    let permanent = g
        .app
        .deactivate_role("62e90394-69f5-4237-9190-012177145e10")
        .await
        .unwrap_err();
    assert!(
        permanent.message.contains("permanently"),
        "{}",
        permanent.message
    );
    e.shutdown().await;
}

#[tokio::test]
async fn extension_is_possible_only_near_the_end() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    s.app
        .activate_roles(input(&[PPA], 60, "Env admin", "CHG-3"), &|_| {})
        .await
        .unwrap();
    let ext = |m| ExtendInput {
        role_id: PPA.into(),
        duration_minutes: m,
        justification: "More time".into(),
        ticket_number: "CHG-3".into(),
        ticket_system: String::new(),
    };
    let early = s.app.extend_role(ext(60), &|_| {}).await.unwrap();
    assert_eq!(early.result, ActivationResult::Failed);
    assert!(early
        .error
        .unwrap()
        .message
        .contains("shortly before it ends"));

    admin(&e, "clock/advance", serde_json::json!({"seconds": 50 * 60})).await;
    let before = s
        .app
        .my_roles()
        .await
        .unwrap()
        .active
        .into_iter()
        .find(|a| a.role_id == PPA)
        .unwrap()
        .end
        .unwrap();
    let ok = s.app.extend_role(ext(60), &|_| {}).await.unwrap();
    assert_eq!(ok.result, ActivationResult::Active, "{:?}", ok.error);
    let after = s
        .app
        .my_roles()
        .await
        .unwrap()
        .active
        .into_iter()
        .find(|a| a.role_id == PPA)
        .unwrap()
        .end
        .unwrap();
    // Both are on this computer's clock (the emulator's runs 50 minutes ahead); the shift is
    // measured from a one-second `Date` header each time.
    let added = after - before;
    assert!(
        (added - chrono::TimeDelta::minutes(60)).num_seconds().abs() <= 2,
        "{added}"
    );
    assert!(
        after - chrono::Utc::now() > chrono::TimeDelta::minutes(65),
        "shown in local time: {after}"
    );
    assert_eq!(
        journal_outcomes(&s.app, JournalAction::RoleExtend).await,
        [JournalOutcome::Succeeded, JournalOutcome::Failed]
    );
    e.shutdown().await;
}

#[tokio::test]
async fn a_group_held_power_platform_admin_is_told_it_cannot_self_elevate() {
    let e = tenant().await;
    let s = signed_in(&e, "grady").await;
    let ppa = s
        .app
        .my_roles()
        .await
        .unwrap()
        .eligible
        .into_iter()
        .find(|r| r.role_id == PPA)
        .unwrap();
    assert_eq!(ppa.member_type, MemberType::Group);
    assert_eq!(ppa.group_name.as_deref(), Some("PP Admins (PIM)"));
    assert!(ppa.hint.unwrap().contains("does not accept"));
    e.shutdown().await;
}

#[tokio::test]
async fn the_watch_warns_before_an_activation_ends_once() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    s.app
        .activate_roles(input(&[PPA], 30, "Env admin", "CHG-4"), &|_| {})
        .await
        .unwrap();
    let mut prefs = s.app.role_preferences();
    prefs.expiry_warning_minutes = 45;
    s.app.save_role_preferences(prefs).unwrap();
    s.app.my_roles().await.unwrap();
    let tick = s.app.watch_tick().await;
    assert_eq!(tick.notices.len(), 1, "{:?}", tick.notices);
    assert!(tick.notices[0]
        .title
        .starts_with("Power Platform Administrator ends in"));
    assert_eq!(
        tick.next_end.as_ref().unwrap().0,
        "Power Platform Administrator"
    );
    assert!(s.app.watch_tick().await.notices.is_empty(), "warned once");
    e.shutdown().await;
}

#[tokio::test]
async fn throttling_is_waited_out_and_a_server_error_on_the_request_is_not_resent() {
    let e = tenant().await;
    let s = signed_in(&e, "adele").await;
    let path = "/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests";
    admin(&e, "faults", serde_json::json!({"seed": 1, "rules": [
        {"method": "POST", "path": path, "maxHits": 2, "fault": {"kind": "throttle", "retryAfterSeconds": 1}}
    ]})).await;
    let started = std::time::Instant::now();
    let out = s
        .app
        .activate_roles(input(&[PPA], 60, "Env admin", "CHG-5"), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After honoured twice"
    );
    assert_eq!(pim_requests(&e).await.len(), 1);

    // A 500 on a non-idempotent POST: the outcome is unknown, so Elevate reports it and does
    // not send the request again (which could file a second one).
    reqwest::Client::new()
        .delete(format!("{}/_emulator/faults", e.base_url()))
        .send()
        .await
        .unwrap();
    admin(&e, "faults", serde_json::json!({"seed": 1, "rules": [
        {"method": "POST", "path": path, "maxHits": 1, "fault": {"kind": "error", "status": 500, "message": "boom"}}
    ]})).await;
    let out = s
        .app
        .activate_roles(input(&[EXCHANGE_ADMIN], 60, "Mailboxes", ""), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ActivationResult::Failed);
    let err = out[0].error.as_ref().unwrap();
    assert_eq!(err.code, ErrorCode::Service);
    let faults: serde_json::Value = reqwest::get(format!("{}/_emulator/faults", e.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["stats"][0]["matched"], 1, "sent once: {faults}");
    e.shutdown().await;
}
