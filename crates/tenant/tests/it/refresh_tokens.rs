//! Refresh tokens: rotation, one sign-in serving every consented resource, revocation,
//! inactivity expiry, and the public-client rules on the token endpoint.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn refresh(t: &Tenant, rt: &str, scope: &str) -> (StatusCode, Value) {
    t.token(&[
        ("client_id", &t.ep.client_id),
        ("grant_type", "refresh_token"),
        ("refresh_token", rt),
        ("scope", scope),
        ("client_info", "1"),
    ])
    .await
}

#[tokio::test]
async fn rotation_and_every_consented_resource_from_one_sign_in() {
    let t = start().await;
    let first = t.tokens_for("grady", GRAPH_SCOPE).await;
    let rt1 = first["refresh_token"].as_str().expect("rt").to_string();

    let (status, second) = refresh(
        &t,
        &rt1,
        "openid profile offline_access https://graph.microsoft.com/.default",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let rt2 = second["refresh_token"].as_str().expect("new rt");
    assert_ne!(rt1, rt2, "each use returns a new refresh token");
    assert_ne!(first["access_token"], second["access_token"]);

    let (status, pp) = refresh(&t, rt2, "https://api.powerplatform.com/.default").await;
    assert_eq!(status, StatusCode::OK, "{pp}");
    let at = claims(pp["access_token"].as_str().expect("at"));
    assert_eq!(at["aud"], "https://api.powerplatform.com");
    assert_eq!(
        at["scp"],
        "UserManagement.Users.Apply EnvironmentManagement.Environments.Read"
    );
    assert_eq!(at["upn"], "grady@contoso.onmicrosoft.com");

    // By default Entra does not revoke a refresh token on use.
    for scope in [
        "https://service.powerapps.com//.default",
        "https://service.powerapps.com/.default",
    ] {
        let (status, bap) = refresh(&t, &rt1, scope).await;
        assert_eq!(status, StatusCode::OK, "{scope}: {bap}");
        let at = claims(bap["access_token"].as_str().expect("at"));
        assert_eq!(at["aud"], "https://service.powerapps.com/");
        assert_eq!(at["scp"], "user_impersonation");
    }

    let org = format!("{}/dataverse/org1a2b3c", t.base);
    let (status, dv) = refresh(&t, &rt1, &format!("{org}/.default")).await;
    assert_eq!(status, StatusCode::OK, "{dv}");
    assert_eq!(
        claims(dv["access_token"].as_str().expect("at"))["aud"],
        org.as_str()
    );

    let (status, bad) = refresh(&t, &rt1, "https://contoso.example/.default").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["error"], "invalid_resource");
    assert_eq!(aadsts(&bad), 500011);

    let (_, bad) = refresh(
        &t,
        &rt1,
        "https://graph.microsoft.com/Directory.ReadWrite.All",
    )
    .await;
    assert_eq!(aadsts(&bad), 65001);
    assert_eq!(bad["suberror"], "consent_required");
}

#[tokio::test]
async fn revoked_sessions_kill_existing_refresh_tokens_only() {
    let t = start().await;
    let rt = t.tokens_for("nestor", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    let other = t.tokens_for("alex", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();

    let (status, body) = t
        .admin_post(
            "refresh-tokens/revoke",
            json!({"user": "nestor@contoso.onmicrosoft.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, body) = refresh(&t, &rt, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 50173);
    assert!(body["error_description"]
        .as_str()
        .unwrap_or("")
        .contains("revoked"));

    let (status, _) = refresh(&t, &other, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::OK, "other users are not affected");

    // Signing in again after the revocation works.
    let fresh = t.tokens_for("nestor", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    let (status, _) = refresh(&t, &fresh, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::OK);

    let (status, _) = t
        .admin_post("refresh-tokens/revoke", json!({"user": "nobody"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn inactive_refresh_token_expires_by_the_emulator_clock() {
    let t = start().await;
    let rt = t.tokens_for("adele", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    t.admin_post("clock/advance", json!({"seconds": 89 * 86400}))
        .await;
    let (status, body) = refresh(&t, &rt, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    t.admin_post("clock/advance", json!({"seconds": 2 * 86400}))
        .await;
    let (status, body) = refresh(&t, &rt, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 700082);
}

#[tokio::test]
async fn revoke_on_use_switch() {
    let t = start_with(|s| s.settings.revoke_refresh_token_on_use = true).await;
    let rt = t.tokens_for("diego", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    let (status, body) = refresh(&t, &rt, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = refresh(&t, &rt, GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(again["error"], "invalid_grant");
    let (status, _) = refresh(&t, body["refresh_token"].as_str().expect("rt"), GRAPH_SCOPE).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn token_endpoint_client_rules() {
    let t = start().await;
    let rt = t.tokens_for("casey", GRAPH_SCOPE).await["refresh_token"]
        .as_str()
        .expect("rt")
        .to_string();
    let base = [
        ("client_id", t.ep.client_id.as_str()),
        ("grant_type", "refresh_token"),
        ("refresh_token", rt.as_str()),
    ];

    let mut with_secret = base.to_vec();
    with_secret.push(("client_secret", "s3cret"));
    let (status, body) = t.token(&with_secret).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(aadsts(&body), 700025);

    let mut with_assertion = base.to_vec();
    with_assertion.push(("client_assertion", "eyJ..."));
    assert_eq!(aadsts(&t.token(&with_assertion).await.1), 700025);

    let (_, body) = t
        .token(&[("client_id", &t.ep.client_id), ("grant_type", "password")])
        .await;
    assert_eq!(body["error"], "unsupported_grant_type");

    let (_, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "refresh_token"),
        ])
        .await;
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(aadsts(&body), 900144);
    assert!(body["error_description"]
        .as_str()
        .unwrap_or("")
        .starts_with(
            "AADSTS900144: The request body must contain the following parameter: 'refresh_token'."
        ));

    let (_, body) = t.token(&[("grant_type", "refresh_token")]).await;
    assert!(body["error_description"]
        .as_str()
        .unwrap_or("")
        .contains("'client_id'"));

    let (_, body) = t
        .token(&[
            ("client_id", "00000000-0000-0000-0000-000000000002"),
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt),
        ])
        .await;
    assert_eq!(aadsts(&body), 700016);

    let (_, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "refresh_token"),
            ("refresh_token", "1.garbage"),
        ])
        .await;
    assert_eq!(body["error"], "invalid_grant");

    // The refused requests changed nothing: the token still works.
    let (status, _) = t.token(&base).await;
    assert_eq!(status, StatusCode::OK);
}
