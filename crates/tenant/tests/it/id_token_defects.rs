//! The `idTokenDefect` test switch: ID tokens spoilt in one way each, so clients can prove
//! they refuse them. Off by default (the real service never does this).

use crate::common::*;
use elevate_tenant::IdTokenDefect;
use elevate_tenant::Settings;

async fn id_token_with(defect: IdTokenDefect) -> (Tenant, serde_json::Value) {
    let t = start_with(|s| s.settings.id_token_defect = defect).await;
    let body = t.tokens_for("gloria", GRAPH_SCOPE).await;
    let id = claims(body["id_token"].as_str().expect("id_token"));
    (t, id)
}

#[tokio::test]
async fn by_default_the_id_token_is_right() {
    assert_eq!(Settings::default().id_token_defect, IdTokenDefect::None);
    let (t, id) = id_token_with(IdTokenDefect::None).await;
    assert_eq!(id["aud"], t.ep.client_id.as_str());
    assert_eq!(id["tid"], t.ep.tenant_id.as_str());
    assert_eq!(
        id["iss"],
        format!("{}/{}/v2.0", t.ep.authority, t.ep.tenant_id)
    );
    assert!(id["exp"].as_i64().unwrap() > chrono::Utc::now().timestamp());
}

#[tokio::test]
async fn each_defect_spoils_exactly_its_claim() {
    let (t, id) = id_token_with(IdTokenDefect::WrongAudience).await;
    assert_ne!(id["aud"], t.ep.client_id.as_str());
    assert_eq!(id["tid"], t.ep.tenant_id.as_str());

    let (t, id) = id_token_with(IdTokenDefect::WrongTenant).await;
    assert_eq!(id["aud"], t.ep.client_id.as_str());
    assert_ne!(id["tid"], t.ep.tenant_id.as_str());

    let (t, id) = id_token_with(IdTokenDefect::WrongIssuer).await;
    assert_eq!(id["tid"], t.ep.tenant_id.as_str());
    assert!(!id["iss"].as_str().unwrap().starts_with(&t.ep.authority));

    let (t, id) = id_token_with(IdTokenDefect::Expired).await;
    assert_eq!(id["aud"], t.ep.client_id.as_str());
    assert!(id["exp"].as_i64().unwrap() < chrono::Utc::now().timestamp());
}

#[tokio::test]
async fn the_switch_can_be_turned_at_run_time() {
    let t = start().await;
    let r = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&serde_json::json!({"idTokenDefect": "wrongAudience"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let body = t.tokens_for("gloria", GRAPH_SCOPE).await;
    let id = claims(body["id_token"].as_str().unwrap());
    assert_ne!(id["aud"], t.ep.client_id.as_str());
}
