//! Bad input, table by table: ids, durations, texts, scopes, plans and run ids that a broken
//! or hostile page could send through the app's commands. Each must come back as
//! `InvalidInput` (or `NotFound` for a well-formed id that names nothing) with a message a
//! person can act on, and change nothing: no PIM request, no elevation, no role removed.

use elevate_core::api::{
    ActivationInput, AddMeInput, ApiError, CleanupInput, ErrorCode, ExtendInput, HolderRef,
    InventoryScope, InventoryScopeKind,
};
use elevate_testkit::figures;
use elevate_testkit::*;

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

fn activation(role: &str, minutes: u32, justification: &str, ticket: &str) -> ActivationInput {
    ActivationInput {
        role_ids: vec![role.into()],
        duration_minutes: minutes,
        justification: justification.into(),
        ticket_number: ticket.into(),
        ticket_system: "ServiceNow".into(),
        scope_ids: None,
    }
}

fn refused(what: &str, r: Result<impl std::fmt::Debug, ApiError>) -> usize {
    let e = r.expect_err(what);
    assert!(
        matches!(e.code, ErrorCode::InvalidInput | ErrorCode::NotFound),
        "{what}: {e:?}"
    );
    assert!(
        e.message.trim().len() >= 12 && !e.message.contains("Error {"),
        "{what}: a message a person can act on, got {:?}",
        e.message
    );
    1
}

#[tokio::test]
async fn every_command_refuses_bad_input_and_changes_nothing() {
    let e = tenant().await;
    let adele = signed_in(&e, "adele").await;
    let app = &adele.app;
    let long = "x".repeat(5_000);
    let ids_bad = [
        "",
        "not-a-guid",
        "../../etc/passwd",
        "11648597-926c-4cf3-9c36-bcebb0ba8dcc/../x",
        "11648597-926c-4cf3-9c36-bcebb0ba8dc",
        "{11648597-926c-4cf3-9c36-bcebb0ba8dcc}?$filter=x",
        "11648597 926c 4cf3 9c36 bcebb0ba8dcc",
        "\u{0}\u{7f}",
        long.as_str(),
    ];
    let mut cases = 0;

    for id in ids_bad {
        cases += refused(
            "activate a bad role id",
            app.activate_roles(activation(id, 60, "Change CHG-1", "CHG-1"), &|_| {})
                .await,
        );
        cases += refused("deactivate a bad role id", app.deactivate_role(id).await);
        cases += refused("cancel a bad request id", app.cancel_request(id).await);
        cases += refused(
            "membership of a bad environment id",
            app.membership(id).await,
        );
        cases += refused(
            "preflight of a bad environment id",
            app.preflight(&[id.to_string()]).await,
        );
        cases += refused(
            "Add me for a bad environment id",
            app.add_me(
                AddMeInput {
                    environment_ids: vec![id.into()],
                    try_anyway: true,
                },
                &|_| {},
            )
            .await,
        );
        cases += refused(
            "inventory of a bad environment id",
            app.inventory(scope_of(&[id.to_string()]), &|_| {}).await,
        );
        cases += refused("resume a bad run id", app.resume_cleanup(id, &|_| {}).await);
        cases += refused(
            "roll back a bad run id",
            app.rollback_cleanup(id, &|_| {}).await,
        );
        cases += refused("run a bad plan id", app.run_cleanup(id, 1, &|_| {}).await);
    }

    // Durations, justifications and tickets outside the policy and the limits.
    for (minutes, justification, ticket, what) in [
        (0, "Change CHG-1", "CHG-1", "zero minutes"),
        (
            4,
            "Change CHG-1",
            "CHG-1",
            "under PIM's five-minute minimum",
        ),
        (
            u32::MAX,
            "Change CHG-1",
            "CHG-1",
            "more minutes than a u32 holds",
        ),
        (60 * 24 * 365, "Change CHG-1", "CHG-1", "a year"),
        (
            60,
            long.as_str(),
            "CHG-1",
            "a 5,000-character justification",
        ),
        (
            60,
            "Change CHG-1",
            long.as_str(),
            "a 5,000-character ticket",
        ),
    ] {
        cases += refused(
            what,
            app.activate_roles(activation(PPA, minutes, justification, ticket), &|_| {})
                .await,
        );
    }
    cases += refused(
        "no role at all",
        app.activate_roles(
            ActivationInput {
                role_ids: vec![],
                ..activation(PPA, 60, "Change CHG-1", "CHG-1")
            },
            &|_| {},
        )
        .await,
    );
    cases += refused(
        "extend with zero minutes",
        app.extend_role(
            ExtendInput {
                role_id: PPA.into(),
                duration_minutes: 0,
                justification: "Longer".into(),
                ticket_number: String::new(),
                ticket_system: String::new(),
            },
            &|_| {},
        )
        .await,
    );

    // Scopes, plans and holders.
    cases += refused(
        "a geo that is not one",
        app.inventory(
            InventoryScope {
                kind: InventoryScopeKind::Geo,
                environment_ids: vec![],
                geo: "mars/../x".into(),
            },
            &|_| {},
        )
        .await,
    );
    cases += refused(
        "an environment scope without environments",
        app.inventory(scope_of(&[]), &|_| {}).await,
    );
    cases += refused(
        "Add me for nothing",
        app.add_me(
            AddMeInput {
                environment_ids: vec![],
                try_anyway: false,
            },
            &|_| {},
        )
        .await,
    );
    cases += refused(
        "a clean-up of made-up holders",
        app.plan_cleanup(CleanupInput {
            holders: vec![HolderRef {
                environment_id: "x".into(),
                system_user_id: "../y".into(),
                role_id: "z".into(),
            }],
            upns: vec!["not an address".into()],
            include_self: false,
        })
        .await,
    );
    cases += refused(
        "a well-formed run id that names no run",
        app.resume_cleanup("7f6c1a9e-1111-4222-8333-944455556666", &|_| {})
            .await,
    );

    // Nothing reached a service that changes anything.
    let pim = admin_get(&e, "pim/requests").await;
    assert_eq!(
        pim["value"].as_array().unwrap().len(),
        0,
        "no PIM request: {pim}"
    );
    let audit = admin_get(&e, "audit").await;
    assert_eq!(
        audit["value"].as_array().unwrap().len(),
        0,
        "no elevation or removal: {audit}"
    );
    figures::add("bad_input.cases", cases as u64);
}
