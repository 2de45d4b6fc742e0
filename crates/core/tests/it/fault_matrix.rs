//! The fault matrix: every user action that calls Microsoft, against every way a service
//! misbehaves (throttled with and without Retry-After, 5xx, dropped and truncated connections,
//! malformed and slow bodies, a web page instead of JSON, slow answers), once on the first
//! request and on every request. Each case runs on its own emulator and counts what must
//! never happen: a crash, a hang, an unclear failure, an executed change that the journal
//! lost, and a non-idempotent change executed twice. The counts go to the security figures.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::{
    ActivationInput, AddMeInput, ApiError, CleanupInput, HolderRef, JournalAction, JournalFilter,
};
use elevate_tenant::Emulator;
use elevate_testkit::figures;
use elevate_testkit::*;
use serde_json::{json, Value};

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
/// Longer than any retry plan (4 attempts, Retry-After 1 s, backoff from 0.5 s) but far below
/// the 90 s call deadline: a case still running then is a hang.
const HANG: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Action {
    MyRoles,
    Activate,
    Deactivate,
    Environments,
    Membership,
    AddMe,
    Inventory,
    Cleanup,
}

const ACTIONS: [Action; 8] = [
    Action::MyRoles,
    Action::Activate,
    Action::Deactivate,
    Action::Environments,
    Action::Membership,
    Action::AddMe,
    Action::Inventory,
    Action::Cleanup,
];

fn faults() -> Vec<(&'static str, Value)> {
    vec![
        (
            "429 with Retry-After",
            json!({"kind": "throttle", "retryAfterSeconds": 1}),
        ),
        (
            "429 without Retry-After",
            json!({"kind": "throttle", "withoutRetryAfter": true}),
        ),
        ("500", json!({"kind": "error", "status": 500})),
        ("502", json!({"kind": "error", "status": 502})),
        ("503", json!({"kind": "error", "status": 503})),
        ("504", json!({"kind": "error", "status": 504})),
        (
            "dropped connection",
            json!({"kind": "drop", "afterBytes": 0}),
        ),
        ("truncated body", json!({"kind": "drop", "afterBytes": 40})),
        ("malformed JSON", json!({"kind": "malformedJson"})),
        (
            "slow stream",
            json!({"kind": "slowBody", "chunkBytes": 512, "delayMs": 5}),
        ),
        ("web page instead of JSON", json!({"kind": "html"})),
        ("slow answer", json!({"kind": "latency", "ms": 400})),
    ]
}

/// What one case counted.
#[derive(Default, Debug)]
struct Tally {
    crashes: u64,
    hangs: u64,
    unclear: u64,
    lost_journal_entries: u64,
    duplicated_destructive: u64,
}

struct Case {
    e: Emulator,
    who: Signed,
    /// Set up before the faults: the environment, or the clean-up plan.
    arg: String,
}

async fn prepare(action: Action) -> Case {
    let e = emulator().await;
    settings(
        &e,
        json!({"activationDelaySeconds": 0, "widsPropagationSeconds": 0}),
    )
    .await;
    let user = match action {
        Action::MyRoles | Action::Activate | Action::Deactivate => "adele",
        _ => "gloria",
    };
    let who = signed_in(&e, user).await;
    let arg = match action {
        Action::Deactivate => {
            activate(&who.app, PPA).await;
            // PIM refuses a deactivation in the first five minutes.
            admin(&e, "clock/advance", json!({"seconds": 6 * 60})).await;
            String::new()
        }
        Action::Membership | Action::Inventory => env_id(&e, "Contoso (default)").await,
        Action::AddMe => {
            let hr = env_id(&e, "HR Sandbox").await;
            who.app.preflight(std::slice::from_ref(&hr)).await.unwrap();
            hr
        }
        Action::Cleanup => {
            let default = env_id(&e, "Contoso (default)").await;
            let inv = who
                .app
                .inventory(scope_of(std::slice::from_ref(&default)), &|_| {})
                .await
                .unwrap();
            let holders: Vec<HolderRef> = inv
                .holders
                .iter()
                .filter(|h| h.upn.to_ascii_lowercase().starts_with("meganb@"))
                .map(|h| HolderRef {
                    environment_id: h.environment_id.clone(),
                    system_user_id: h.system_user_id.clone(),
                    role_id: h.role_id.clone(),
                })
                .collect();
            assert!(!holders.is_empty(), "Megan holds System Administrator");
            let plan = who
                .app
                .plan_cleanup(CleanupInput {
                    holders,
                    upns: vec![],
                    include_self: false,
                })
                .await
                .unwrap();
            assert!(!plan.removals.is_empty());
            format!("{}|{}", plan.plan_id, plan.removals.len())
        }
        _ => String::new(),
    };
    Case { e, who, arg }
}

type Outcome = Result<(), ApiError>;

fn run(
    action: Action,
    app: Arc<Signed>,
    arg: String,
) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let app = &app.app;
        match action {
            Action::MyRoles => app.my_roles().await.map(drop),
            Action::Activate => {
                let input = ActivationInput {
                    role_ids: vec![PPA.into()],
                    duration_minutes: 60,
                    justification: "Fault matrix activation".into(),
                    ticket_number: "CHG-9".into(),
                    ticket_system: "ServiceNow".into(),
                    scope_ids: None,
                };
                app.activate_roles(input, &|_| {}).await.map(drop)
            }
            Action::Deactivate => app.deactivate_role(PPA).await,
            Action::Environments => app.environments().await.map(drop),
            Action::Membership => app.membership(&arg).await.map(drop),
            Action::AddMe => {
                let input = AddMeInput {
                    environment_ids: vec![arg],
                    try_anyway: false,
                };
                app.add_me(input, &|_| {}).await.map(drop)
            }
            Action::Inventory => app.inventory(scope_of(&[arg]), &|_| {}).await.map(drop),
            Action::Cleanup => {
                let (plan, count) = arg.split_once('|').unwrap();
                app.run_cleanup(plan, count.parse().unwrap(), &|_| {})
                    .await
                    .map(drop)
            }
        }
    })
}

/// A failure a person can act on: words, not a Rust dump or an empty line.
fn unclear(e: &ApiError) -> bool {
    let m = e.message.trim();
    m.len() < 12 || m.contains("Error {") || m.contains("kind:") || m.starts_with('{')
}

async fn journal_count(app: &Signed, action: JournalAction) -> u64 {
    app.app
        .journal_entries(JournalFilter {
            action: Some(action),
            ..Default::default()
        })
        .await
        .matching as u64
}

async fn pim_executed(e: &Emulator, action: &str) -> u64 {
    admin_get(e, "pim/requests").await["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == action)
        .count() as u64
}

async fn audited(e: &Emulator, action: &str, succeeded_only: bool) -> u64 {
    admin_get(e, "audit").await["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == action && (!succeeded_only || a["result"] == "Succeeded"))
        .count() as u64
}

async fn one_case(action: Action, fault: Value, every_request: bool) -> (Tally, String) {
    let case = prepare(action).await;
    let journal_before = match action {
        Action::Activate => journal_count(&case.who, JournalAction::RoleActivate).await,
        Action::Deactivate => journal_count(&case.who, JournalAction::RoleDeactivate).await,
        Action::AddMe => journal_count(&case.who, JournalAction::SelfElevate).await,
        Action::Cleanup => journal_count(&case.who, JournalAction::AssignmentRemove).await,
        _ => 0,
    };
    let pim_before = pim_executed(&case.e, "selfActivate").await;
    let mut rule = json!({"name": "fault", "path": "/", "fault": fault});
    if !every_request {
        rule["maxHits"] = json!(1);
    }
    admin(&case.e, "faults", json!({"seed": 1, "rules": [rule]})).await;

    let who = Arc::new(case.who);
    let task = tokio::spawn(run(action, who.clone(), case.arg.clone()));
    let mut t = Tally::default();
    let mut said = String::new();
    match tokio::time::timeout(HANG, task).await {
        Err(_) => t.hangs += 1,
        Ok(Err(join)) if join.is_panic() => t.crashes += 1,
        Ok(Err(join)) => panic!("the case was cancelled: {join}"),
        Ok(Ok(Err(e))) => {
            if unclear(&e) {
                t.unclear += 1;
            }
            said = e.message.clone();
        }
        Ok(Ok(Ok(()))) => {}
    }
    // A case whose fault never fired tested nothing.
    let fired = admin_get(&case.e, "faults").await["stats"][0]["fired"]
        .as_u64()
        .unwrap_or(0);
    assert!(fired >= 1, "{action:?}: the fault never fired");
    // The faults end before counting, so reading the journal and the audit is clean.
    reqwest::Client::new()
        .delete(format!("{}/_emulator/faults", case.e.base_url()))
        .send()
        .await
        .unwrap();

    let (executed, journaled, non_idempotent) = match action {
        Action::Activate => (
            pim_executed(&case.e, "selfActivate").await - pim_before,
            journal_count(&who, JournalAction::RoleActivate).await - journal_before,
            true,
        ),
        Action::Deactivate => (
            pim_executed(&case.e, "selfDeactivate").await,
            journal_count(&who, JournalAction::RoleDeactivate).await - journal_before,
            true,
        ),
        Action::AddMe => (
            audited(&case.e, "applyAdminRole", true).await.min(1),
            journal_count(&who, JournalAction::SelfElevate).await - journal_before,
            false,
        ),
        Action::Cleanup => (
            audited(&case.e, "roleDisassociated", false).await,
            journal_count(&who, JournalAction::AssignmentRemove).await - journal_before,
            false,
        ),
        _ => (0, 0, false),
    };
    t.lost_journal_entries += executed.saturating_sub(journaled);
    if non_idempotent {
        t.duplicated_destructive += executed.saturating_sub(1);
    }
    case.e.shutdown().await;
    (t, said)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_action_survives_every_fault_without_crash_loss_or_duplicate() {
    let cases: Vec<(Action, &'static str, Value, bool)> = ACTIONS
        .iter()
        .flat_map(|a| {
            faults()
                .into_iter()
                .flat_map(move |(name, f)| [(*a, name, f.clone(), false), (*a, name, f, true)])
        })
        .collect();
    let total = cases.len() as u64;
    // A few cases at a time: each has its own emulator, so they do not disturb one another.
    let limit = Arc::new(tokio::sync::Semaphore::new(6));
    let mut set = tokio::task::JoinSet::new();
    for (action, name, fault, every) in cases {
        let limit = limit.clone();
        set.spawn(async move {
            let _slot = limit.acquire_owned().await.unwrap();
            let (tally, said) = one_case(action, fault, every).await;
            (action, name, every, tally, said)
        });
    }
    let mut sum = Tally::default();
    let mut problems = Vec::new();
    let mut recovered = 0;
    while let Some(done) = set.join_next().await {
        let (action, name, every, t, said) = done.expect("a case's own setup failed");
        let when = if every {
            "every request"
        } else {
            "first request"
        };
        if said.is_empty() {
            recovered += 1;
        }
        if t.crashes + t.hangs + t.unclear + t.lost_journal_entries + t.duplicated_destructive > 0 {
            problems.push(format!(
                "{action:?} / {name} on the {when}: {t:?} said: {said}"
            ));
        }
        sum.crashes += t.crashes;
        sum.hangs += t.hangs;
        sum.unclear += t.unclear;
        sum.lost_journal_entries += t.lost_journal_entries;
        sum.duplicated_destructive += t.duplicated_destructive;
    }
    eprintln!(
        "fault matrix: {total} cases, {recovered} ended in success, the rest in a clear failure"
    );
    figures::add("faults.cases", total);
    figures::add("faults.crashes", sum.crashes);
    figures::add("faults.hangs", sum.hangs);
    figures::add("faults.unclear_failures", sum.unclear);
    figures::add("faults.lost_journal_entries", sum.lost_journal_entries);
    figures::add(
        "faults.duplicated_destructive_requests",
        sum.duplicated_destructive,
    );
    assert!(
        problems.is_empty(),
        "{} of {total} cases:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
