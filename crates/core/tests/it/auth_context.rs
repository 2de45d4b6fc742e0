//! PIM's authentication-context refusal under another code (#16 point 9): the claims in the
//! message decide, not the code, so the step-up still happens.

use elevate_core::api::{ActivationInput, ActivationResult};
use elevate_testkit::*;

const SECURITY_ADMIN: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";

#[tokio::test]
async fn a_wrapped_authentication_context_refusal_still_steps_up() {
    let e = tenant().await;
    settings(&e, serde_json::json!({"acrsRefusalCode": "UnknownError"})).await;
    let s = signed_in(&e, "casey").await;
    let out = s
        .app
        .activate_roles(
            ActivationInput {
                role_ids: vec![SECURITY_ADMIN.into()],
                scope_ids: None,
                duration_minutes: 30,
                justification: "Review alerts".into(),
                ticket_number: String::new(),
                ticket_system: String::new(),
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(
        out[0].result,
        ActivationResult::Active,
        "{:?}",
        out[0].error
    );
    assert_eq!(s.browser.count(), 2, "one sign-in, one step-up");
    e.shutdown().await;
}
