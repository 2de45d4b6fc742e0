//! System Administrator held through Dataverse teams (issue #16 point 6, contract part 2 §7):
//! an owner team and an Entra group team whose membership rows list only who opened the
//! environment. Membership, the preflight, the inventory and the clean-up all see them.

use elevate_core::api::{CheckKind, CleanupInput, HolderRef, Verdict};
use elevate_testkit::*;
use serde_json::json;

/// Contoso (default): Lee Gu (a Basic User) and Megan Bowen (also System Administrator
/// directly) in an owner team with System Administrator; an Entra group team on "Sales
/// Production Users" (adele, grady, alex) where only adele has opened the environment.
async fn with_teams() -> (elevate_tenant::Emulator, String) {
    let e = tenant().await;
    let default = env_id(&e, "Contoso (default)").await;
    admin(
        &e,
        "teams",
        json!({"environment": default, "name": "Default admins team", "teamType": 0,
               "members": ["Lee Gu", "Megan Bowen"], "roles": ["System Administrator"]}),
    )
    .await;
    admin(
        &e,
        "teams",
        json!({"environment": default, "name": "Sales people", "teamType": 2,
               "group": "Sales Production Users", "members": ["adele"],
               "roles": ["System Administrator"]}),
    )
    .await;
    (e, default)
}

#[tokio::test]
async fn membership_and_inventory_show_team_held_system_administrators() {
    let (e, default) = with_teams().await;
    let gloria = signed_in(&e, "gloria").await;
    let m = gloria.app.membership(&default).await.unwrap();
    let team_of = |name: &str| {
        m.administrators
            .iter()
            .filter(|a| a.full_name == name)
            .filter_map(|a| a.through_team.clone())
            .collect::<Vec<_>>()
    };
    let lee = team_of("Lee Gu");
    assert_eq!(lee.len(), 1);
    assert_eq!(lee[0].team, "Default admins team");
    assert!(!lee[0].from_group && lee[0].group.is_none());
    let adele = team_of("Adele Vance");
    assert_eq!(adele[0].group.as_deref(), Some("Sales Production Users"));
    assert!(!adele[0].from_group, "Dataverse lists her: she opened it");
    for name in ["Grady Archie", "Alex Wilber"] {
        let t = team_of(name);
        assert_eq!(t.len(), 1, "{name} comes from the group");
        assert!(t[0].from_group);
    }
    let megan: Vec<_> = m
        .administrators
        .iter()
        .filter(|a| a.full_name == "Megan Bowen")
        .collect();
    assert_eq!(megan.len(), 2, "directly, and through the team");
    assert!(m.teams_note.is_none());

    let inv = gloria
        .app
        .inventory(scope_of(&[default.clone()]), &|_| {})
        .await
        .unwrap();
    let grady = inv
        .holders
        .iter()
        .find(|h| h.full_name == "Grady Archie")
        .expect("a group member is a holder");
    assert!(grady.through_team.as_ref().is_some_and(|t| t.from_group));
    assert!(inv
        .holders
        .iter()
        .any(|h| h.full_name == "Lee Gu" && h.through_team.is_some()));
}

#[tokio::test]
async fn a_team_held_role_counts_as_already_system_administrator() {
    let (e, default) = with_teams().await;
    // adele is a Basic User herself: only the group team makes her System Administrator.
    let adele = signed_in(&e, "adele").await;
    let p = adele.app.preflight(&[default]).await.unwrap().remove(0);
    assert_eq!(p.verdict, Verdict::AlreadyAdmin);
    let line = p
        .checks
        .iter()
        .find(|c| c.kind == CheckKind::AlreadyAdmin)
        .unwrap();
    assert!(
        line.title.contains("through the team \"Sales people\""),
        "{}",
        line.title
    );
}

#[tokio::test]
async fn clean_up_says_a_team_keeps_the_role_and_leaves_team_rows_alone() {
    let (e, default) = with_teams().await;
    let gloria = signed_in(&e, "gloria").await;
    let inv = gloria
        .app
        .inventory(scope_of(&[default.clone()]), &|_| {})
        .await
        .unwrap();
    let megan = inv
        .holders
        .iter()
        .find(|h| h.full_name == "Megan Bowen" && h.through_team.is_none())
        .unwrap();
    let lee_upn = inv
        .holders
        .iter()
        .find(|h| h.full_name == "Lee Gu")
        .unwrap()
        .upn
        .clone();
    let plan = gloria
        .app
        .plan_cleanup(CleanupInput {
            holders: vec![HolderRef {
                environment_id: megan.environment_id.clone(),
                system_user_id: megan.system_user_id.clone(),
                role_id: megan.role_id.clone(),
            }],
            upns: vec![lee_upn],
            include_self: false,
        })
        .await
        .unwrap();
    assert_eq!(plan.removals.len(), 1, "only Megan's direct role");
    let keeps = plan.removals[0]
        .still_admin
        .as_deref()
        .expect("says she keeps it");
    assert!(
        keeps.contains("Default admins team") && keeps.contains("does not remove"),
        "{keeps}"
    );
    let lee = plan
        .skipped
        .iter()
        .find(|r| r.full_name == "Lee Gu")
        .unwrap();
    assert!(lee
        .skip_reason
        .as_deref()
        .is_some_and(|r| r.contains("removing a direct role does not remove a team's")));

    let run = gloria
        .app
        .run_cleanup(&plan.plan_id, 1, &|_| {})
        .await
        .unwrap();
    assert_eq!(run.removed, 1);
    assert!(
        run.outcomes[0].removal.still_admin.is_some(),
        "the result says it too"
    );
    // As the emulator sees it: the direct role is gone, the team's is not.
    let now = admin_get(&e, &format!("environments?environment={default}")).await;
    let still = now["value"][0]["systemAdministrators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["fullname"] == "Megan Bowen")
        .expect("Megan still holds it")
        .clone();
    assert_eq!(still["throughTeams"], json!(["Default admins team"]));
}
