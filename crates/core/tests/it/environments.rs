//! Environments, Membership, the preflight and Add me against the demo tenant: every rule
//! of `applyAdminRole`, that a blocked preflight sends nothing unless "Try anyway", and that
//! each elevation is journaled.

use elevate_core::api::{
    AddMeInput, CheckKind, CheckStatus, ElevationResult, ErrorCode, JournalAction, JournalFilter,
    JournalOutcome, Preflight, Verdict,
};
use elevate_core::Elevate;
use elevate_tenant::Emulator;
use elevate_testkit::*;
use serde_json::{json, Value};

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
const D365: &str = "44367163-eba1-44c3-98af-f5787879f96a";

/// `applyAdminRole` calls the emulator received (its audit log records every one).
async fn applied(e: &Emulator) -> Vec<Value> {
    admin_get(e, "audit").await["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "applyAdminRole")
        .cloned()
        .collect()
}

async fn one(app: &Elevate, id: &str) -> Preflight {
    app.preflight(&[id.to_string()]).await.unwrap().remove(0)
}

fn status(p: &Preflight, kind: CheckKind) -> Option<CheckStatus> {
    p.checks.iter().find(|c| c.kind == kind).map(|c| c.status)
}

fn input(ids: &[&str], try_anyway: bool) -> AddMeInput {
    AddMeInput {
        environment_ids: ids.iter().map(|s| s.to_string()).collect(),
        try_anyway,
    }
}

#[tokio::test]
async fn the_list_is_the_admin_centers_with_group_names() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    let before = adele.app.environments().await.unwrap();
    assert!(
        before.partial,
        "no admin role active: Power Platform shows only her own environments"
    );
    let mut mine: Vec<&str> = before
        .environments
        .iter()
        .map(|x| x.display_name.as_str())
        .collect();
    mine.sort();
    assert_eq!(mine, ["Adele's Developer", "Contoso (default)"]);
    activate(&adele.app, PPA).await;
    let all = adele.app.environments().await.unwrap();
    assert!(!all.partial);
    let list = all.environments;
    assert_eq!(list.len(), 13, "every environment but the deleted one");
    let by = |n: &str| list.iter().find(|x| x.display_name == n).unwrap().clone();
    let sales = by("Sales Production");
    assert_eq!(sales.kind, "Production");
    assert!(sales.has_dataverse && sales.enabled);
    assert_eq!(
        sales.security_group.unwrap().name.as_deref(),
        Some("Sales Production Users")
    );
    let teams = by("Contoso Teams Hub");
    assert_eq!(
        teams.connected_group.unwrap().name.as_deref(),
        Some("Contoso Operations")
    );
    assert!(!by("Intranet (no Dataverse)").has_dataverse);
    let retired = by("Retired CRM");
    assert!(!retired.enabled);
    assert_eq!(retired.state, "Disabled");
    assert!(list.iter().all(|x| x.display_name != "Archive 2019"));

    let nestor = signed_in(&e, "nestor").await;
    assert!(nestor.app.environments().await.unwrap().partial);
    let mut names: Vec<String> = nestor
        .app
        .environments()
        .await
        .unwrap()
        .environments
        .into_iter()
        .map(|x| x.display_name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Contoso (default)",
            "Contoso Teams Hub",
            "Customer Service Canada"
        ]
    );
}

#[tokio::test]
async fn eligible_power_platform_admin_is_guided_to_activation_then_elevated() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    let sales = env_id(&e, "Sales Production").await;

    let default = env_id(&e, "Contoso (default)").await;
    let before = adele.app.membership(&default).await.unwrap();
    assert!(!before.you_are_admin);
    assert!(
        before.unavailable.is_none(),
        "a Basic User may read the members"
    );
    assert!(!before.administrators.is_empty());

    let p = one(&adele.app, &default).await;
    assert_eq!(p.verdict, Verdict::NeedsActivation, "{:#?}", p.checks);
    assert_eq!(p.activate.as_ref().unwrap().role_id, PPA);
    assert_eq!(status(&p, CheckKind::RoleActive), Some(CheckStatus::Fail));
    assert_eq!(status(&p, CheckKind::AlreadyAdmin), Some(CheckStatus::Pass));
    // Sales Production is shown to admins only: the preflight says activation will reveal it.
    let p = one(&adele.app, &sales).await;
    assert_eq!(p.verdict, Verdict::NeedsActivation);
    assert_eq!(status(&p, CheckKind::Exists), Some(CheckStatus::Warn));
    assert_eq!(p.activate.as_ref().unwrap().role_id, PPA);
    // Add me now would be refused: nothing is sent.
    let skipped = adele
        .app
        .add_me(input(&[&sales], false), &|_| {})
        .await
        .unwrap();
    assert_eq!(skipped[0].result, ElevationResult::Skipped);
    assert!(applied(&e).await.is_empty());

    activate(&adele.app, PPA).await;
    let p = one(&adele.app, &sales).await;
    assert_eq!(p.verdict, Verdict::Ready, "{:#?}", p.checks);
    assert_eq!(
        status(&p, CheckKind::SecurityGroup),
        Some(CheckStatus::Pass),
        "PPA is exempt"
    );
    assert_eq!(
        p.relied_role.as_deref(),
        Some("Power Platform Administrator")
    );
    assert_eq!(status(&p, CheckKind::InToken), Some(CheckStatus::Pass));
    let ends = p.ends_at.expect("a PIM activation ends");

    let seen = std::sync::Mutex::new(Vec::new());
    let out = adele
        .app
        .add_me(input(&[&sales], false), &|p| {
            seen.lock().unwrap().push((p.done, p.total))
        })
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ElevationResult::Elevated,
        "{}",
        out[0].message
    );
    assert_eq!(out[0].ends_at, Some(ends));
    assert!(out[0].correlation_id.is_some());
    assert_eq!(*seen.lock().unwrap(), vec![(1, 1)]);
    let calls = applied(&e).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["result"], "Succeeded");

    let after = adele.app.membership(&sales).await.unwrap();
    assert!(after.you_are_admin && after.unavailable.is_none());
    let me = after.administrators.iter().find(|a| a.is_you).unwrap();
    assert_eq!(me.upn, "adele@contoso.onmicrosoft.com");
    assert!(after
        .administrators
        .iter()
        .any(|a| a.full_name == "Isaiah Langer" && a.business_unit == "Inside Sales"));

    // Now it is done, the preflight says so and Add me sends nothing more.
    assert_eq!(one(&adele.app, &sales).await.verdict, Verdict::AlreadyAdmin);
    let again = adele
        .app
        .add_me(input(&[&sales], false), &|_| {})
        .await
        .unwrap();
    assert_eq!(again[0].result, ElevationResult::AlreadyAdmin);
    assert_eq!(applied(&e).await.len(), 1);

    let page = adele.app.journal_entries(JournalFilter::default()).await;
    let elevations: Vec<_> = page
        .rows
        .iter()
        .filter(|r| r.entry.action == JournalAction::SelfElevate)
        .collect();
    assert_eq!(elevations.len(), 2);
    assert!(elevations
        .iter()
        .any(|r| r.entry.result.outcome == JournalOutcome::Succeeded
            && r.entry.target.as_ref().unwrap().name == "Sales Production"));
    assert!(elevations
        .iter()
        .any(|r| r.entry.result.outcome == JournalOutcome::AlreadyDone));
}

#[tokio::test]
async fn a_role_held_through_a_group_is_blocked_and_try_anyway_is_refused_in_plain_words() {
    let e = tenant().await;
    let grady = signed_in(&e, "grady").await;
    // Through the group, PIM activates it and Power Platform lists every environment…
    activate(&grady.app, PPA).await;
    assert!(!grady.app.environments().await.unwrap().partial);
    // …but self-elevation refuses a group-held role.
    let hr = env_id(&e, "HR Sandbox").await;
    let p = one(&grady.app, &hr).await;
    assert_eq!(p.verdict, Verdict::Blocked);
    let direct = p
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::DirectAssignment)
        .unwrap();
    assert_eq!(direct.status, CheckStatus::Fail);
    assert!(direct.title.contains("PP Admins (PIM)"), "{}", direct.title);
    assert!(direct.fix.as_deref().unwrap().contains("directly"));

    let out = grady
        .app
        .add_me(input(&[&hr], false), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ElevationResult::Skipped);
    assert!(
        applied(&e).await.is_empty(),
        "a blocked preflight sends nothing"
    );

    let out = grady
        .app
        .add_me(input(&[&hr], true), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ElevationResult::Refused);
    let err = out[0].error.as_ref().unwrap();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("through a group"), "{}", err.message);
    assert!(err.correlation_id.is_some());
    assert_eq!(applied(&e).await.len(), 1);
}

#[tokio::test]
async fn a_dynamics_admin_needs_the_security_group() {
    let e = tenant().await;
    let diego = signed_in(&e, "diego").await;
    activate(&diego.app, D365).await;
    let sales = env_id(&e, "Sales Production").await;
    let finance = env_id(&e, "Finance Production").await;
    let ps = diego
        .app
        .preflight(&[sales.clone(), finance.clone()])
        .await
        .unwrap();
    assert_eq!(ps[0].verdict, Verdict::Blocked);
    let sg = ps[0]
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::SecurityGroup)
        .unwrap();
    assert_eq!(sg.status, CheckStatus::Fail);
    assert!(sg.title.contains("Sales Production Users"));
    assert_eq!(ps[1].verdict, Verdict::Ready);
    assert_eq!(
        status(&ps[1], CheckKind::SecurityGroup),
        Some(CheckStatus::Pass)
    );

    let out = diego
        .app
        .add_me(input(&[&sales, &finance], false), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ElevationResult::Skipped);
    assert_eq!(
        out[1].result,
        ElevationResult::Elevated,
        "{}",
        out[1].message
    );
    let calls = applied(&e).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["environmentName"], "Finance Production");
}

#[tokio::test]
async fn environment_rules_non_admins_and_standing_admins() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let names = [
        "Finance Production",
        "Contoso Teams Hub",
        "Retired CRM",
        "Intranet (no Dataverse)",
        "HR Sandbox",
    ];
    let mut ids = Vec::new();
    for n in names {
        ids.push(env_id(&e, n).await);
    }
    let ps = gloria.app.preflight(&ids).await.unwrap();
    let expected = [
        (
            Verdict::AlreadyAdmin,
            CheckKind::AlreadyAdmin,
            CheckStatus::Info,
        ),
        (Verdict::Blocked, CheckKind::TeamsGroup, CheckStatus::Fail),
        (
            Verdict::Blocked,
            CheckKind::EnvironmentEnabled,
            CheckStatus::Fail,
        ),
        (Verdict::Blocked, CheckKind::Dataverse, CheckStatus::Fail),
    ];
    for (i, (verdict, kind, line)) in expected.into_iter().enumerate() {
        assert_eq!(ps[i].verdict, verdict, "{}", names[i]);
        assert_eq!(status(&ps[i], kind), Some(line), "{}", names[i]);
    }
    assert_eq!(ps[4].verdict, Verdict::Ready);
    assert_eq!(
        ps[4].ends_at, None,
        "a permanent Global Administrator's elevation has no end"
    );
    assert_eq!(
        status(&ps[4], CheckKind::RoleActive),
        Some(CheckStatus::Pass)
    );

    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let out = gloria
        .app
        .add_me(input(&refs, false), &|_| {})
        .await
        .unwrap();
    let results: Vec<ElevationResult> = out.iter().map(|o| o.result).collect();
    use ElevationResult::*;
    assert_eq!(results, [AlreadyAdmin, Skipped, Skipped, Skipped, Elevated]);
    assert_eq!(applied(&e).await.len(), 1, "only HR Sandbox was sent");

    // Try anyway on the disabled one: Power Platform's refusal, in plain words.
    let out = gloria
        .app
        .add_me(input(&[&ids[2]], true), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, Refused);
    assert!(out[0].message.contains("disabled"), "{}", out[0].message);

    let nestor = signed_in(&e, "nestor").await;
    let teams = env_id(&e, "Contoso Teams Hub").await;
    let p = one(&nestor.app, &teams).await;
    assert_eq!(p.verdict, Verdict::Blocked);
    let role = p
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::AdminRole)
        .unwrap();
    assert_eq!(role.status, CheckStatus::Fail);
    assert!(role.fix.is_some());
}

#[tokio::test]
async fn bad_and_vanished_environment_ids_send_nothing() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    for bad in [
        "",
        "nope",
        "../x",
        "5ca1c616-6060-46ba-abc1-18d312f1cb3a/../../x",
    ] {
        let err = adele.app.preflight(&[bad.to_string()]).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
        let err = adele
            .app
            .add_me(input(&[bad], true), &|_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(
            adele.app.membership(bad).await.unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
    activate(&adele.app, PPA).await;
    let archive = env_id(&e, "Archive 2019").await;
    let p = one(&adele.app, &archive).await;
    assert_eq!(p.verdict, Verdict::Blocked);
    assert_eq!(status(&p, CheckKind::Exists), Some(CheckStatus::Fail));
    let out = adele
        .app
        .add_me(input(&[&archive], true), &|_| {})
        .await
        .unwrap();
    assert_eq!(out[0].result, ElevationResult::Skipped);
    assert_eq!(
        adele.app.membership(&archive).await.unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(applied(&e).await.is_empty());
}

#[tokio::test]
async fn a_warm_elevation_sends_one_apply_admin_role_request_and_retries_transient_failures() {
    let e = tenant().await;
    let gloria = signed_in(&e, "gloria").await;
    let hr = env_id(&e, "HR Sandbox").await;
    one(&gloria.app, &hr).await;
    // Count every request from here on; the first applyAdminRole answers 503 once.
    admin(&e, "faults", json!({"seed": 1, "rules": [
        {"name": "count", "path": "/**", "probability": 0.0, "fault": {"kind": "latency", "ms": 0}},
        {"name": "confirm", "method": "GET", "path": "/dataverse/**", "probability": 0.0, "fault": {"kind": "latency", "ms": 0}},
        {"name": "flaky", "method": "POST", "path": "/powerplatform/usermanagement/**", "maxHits": 1, "fault": {"kind": "error", "status": 503}}
    ]}))
    .await;
    let out = gloria
        .app
        .add_me(input(&[&hr], false), &|_| {})
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ElevationResult::Elevated,
        "{}",
        out[0].message
    );
    let stats = admin_get(&e, "faults").await;
    let matched = |name: &str| {
        stats["stats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["matched"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(
        matched("flaky"),
        2,
        "one applyAdminRole request: the 503 and its retry"
    );
    assert_eq!(matched("confirm"), 1, "one read confirms it");
    assert_eq!(
        matched("count") - matched("confirm"),
        2,
        "nothing but applyAdminRole and the confirming read was sent"
    );
}
