//! Environment rows as real tenants answer them: a field in a shape Elevate does not know
//! (issue #16 point 4), and the older schema without `securityGroupId` / `connectedGroupId`,
//! where BAP tells the groups or the preflight says they are unknown (point 5).

use elevate_core::api::{CheckKind, CheckStatus, Preflight, Verdict};
use elevate_testkit::*;
use serde_json::json;

const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
const D365: &str = "44367163-eba1-44c3-98af-f5787879f96a";

fn check(p: &Preflight, kind: CheckKind) -> Option<(CheckStatus, String, String)> {
    p.checks
        .iter()
        .find(|c| c.kind == kind)
        .map(|c| (c.status, c.title.clone(), c.detail.clone()))
}

#[tokio::test]
async fn one_unreadable_field_costs_that_field_not_the_page() {
    let e = tenant().await;
    let sales = env_id(&e, "Sales Production").await;
    let finance = env_id(&e, "Finance Production").await;
    let hr = env_id(&e, "HR Sandbox").await;
    settings(
        &e,
        json!({"environmentFieldOverrides": {
            sales.clone(): {"createdDateTime": "10/22/2020 04:38:17", "type": 2},
            finance.clone(): {"createdDateTime": "2020-10-22T04:38:17.8550157"},
            hr.clone(): {"id": null},
        }}),
    )
    .await;
    let adele = signed_in(&e, "adele").await;
    activate(&adele.app, PPA).await;
    let list = adele
        .app
        .environments()
        .await
        .expect("the page still loads");
    assert_eq!(list.environments.len(), 12, "all but the row without an id");
    assert!(list
        .not_shown
        .as_deref()
        .is_some_and(|m| m.contains("1 more environment")));
    let by = |id: &str| list.environments.iter().find(|x| x.id == *id).unwrap();
    let s = by(&sales);
    assert_eq!(
        s.display_name, "Sales Production",
        "what could be read is shown"
    );
    assert_eq!(s.kind, "Unknown");
    assert!(s.created.is_none());
    let why = s.unread.as_deref().expect("says what could not be read");
    assert!(why.contains("type and created date"), "{why}");
    let f = by(&finance);
    assert!(f.unread.is_none(), "a time without a zone is still a time");
    assert_eq!(
        f.created.unwrap().to_rfc3339(),
        "2020-10-22T04:38:17.855015700+00:00"
    );

    // The other readers of the list cope too.
    let p = adele
        .app
        .preflight(&[sales.clone()])
        .await
        .unwrap()
        .remove(0);
    assert_eq!(p.environment_name, "Sales Production");
    let inv = adele
        .app
        .inventory(scope_of(&[sales.clone()]), &|_| {})
        .await
        .expect("the inventory reads the list too");
    assert_eq!(inv.environments.len(), 1);
}

#[tokio::test]
async fn older_answers_take_the_groups_from_bap() {
    let e = tenant().await;
    settings(
        &e,
        json!({"environmentListWithoutGroups": true, "bapZeroSecurityGroup": true}),
    )
    .await;
    let sales = env_id(&e, "Sales Production").await;
    let hr = env_id(&e, "HR Sandbox").await;
    let diego = signed_in(&e, "diego").await;
    activate(&diego.app, D365).await;

    let list = diego.app.environments().await.unwrap().environments;
    let by = |id: &str| list.iter().find(|x| x.id == *id).unwrap().clone();
    assert_eq!(
        by(&sales).security_group.and_then(|g| g.name).as_deref(),
        Some("Sales Production Users")
    );
    let hub = list
        .iter()
        .find(|x| x.display_name == "Contoso Teams Hub")
        .unwrap();
    assert_eq!(
        hub.connected_group.as_ref().and_then(|g| g.name.as_deref()),
        Some("Contoso Operations")
    );
    let h = by(&hr);
    assert!(h.security_group.is_none(), "the all-zero GUID is no group");
    assert!(h.groups_unknown.is_none());

    // A Dynamics 365 Administrator outside the group is stopped, not waved through.
    let p = diego.app.preflight(&[sales]).await.unwrap().remove(0);
    let (status, title, _) = check(&p, CheckKind::SecurityGroup).expect("a security group line");
    assert_eq!(status, CheckStatus::Fail);
    assert!(title.contains("Sales Production Users"));
    assert_ne!(p.verdict, Verdict::Ready);
}

#[tokio::test]
async fn groups_neither_api_tells_are_unknown_with_why() {
    let e = tenant().await;
    settings(&e, json!({"environmentListWithoutGroups": true})).await;
    let uat = env_id(&e, "Field Service UAT").await;
    // Eligible for Dynamics 365 Administrator only: BAP answers no one without an active role.
    let diego = signed_in(&e, "diego").await;
    let env = diego
        .app
        .environments()
        .await
        .unwrap()
        .environments
        .into_iter()
        .find(|x| x.id == uat)
        .unwrap();
    assert!(env.security_group.is_none());
    let why = env.groups_unknown.expect("unknown, with why");
    assert!(why.contains("admin API"), "{why}");
    let p = diego.app.preflight(&[uat]).await.unwrap().remove(0);
    let (status, title, detail) = check(&p, CheckKind::SecurityGroup).expect("said, not skipped");
    assert_eq!(status, CheckStatus::Warn);
    assert_eq!(title, "Security group: unknown");
    assert!(detail.contains("did not say"), "{detail}");
}
