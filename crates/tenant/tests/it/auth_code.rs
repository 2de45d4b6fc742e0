//! Authorization code + PKCE against the emulator, as a desktop app and its browser do it.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;

const GLORIA: &str = "gloria@contoso.onmicrosoft.com";

#[tokio::test]
async fn sign_in_page_lists_every_user_and_carries_the_request() {
    let t = start().await;
    let p = pkce();
    let url = t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("state", "xyz"),
        ("code_challenge", &p.challenge),
        ("code_challenge_method", "S256"),
    ]);
    let res = t.http.get(&url).send().await.expect("page");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/html"));
    let html = res.text().await.expect("html");
    assert!(html.contains("Sign in to Contoso (demo tenant)"));
    assert!(html.contains(r#"<form method="post">"#));
    for upn in [
        "adele", "diego", "grady", "nestor", "gloria", "alex", "casey",
    ] {
        assert!(
            html.contains(&format!(
                r#"name="login" value="{upn}@contoso.onmicrosoft.com""#
            )),
            "{upn}"
        );
    }
    assert!(html.contains("Adele Vance") && html.contains("Gloria Mueller"));
    assert!(html.contains(r#"name="action" value="signin""#));
    assert!(html.contains(r#"name="action" value="cancel""#));
    assert!(html.contains(&format!(r#"name="code_challenge" value="{}""#, p.challenge)));
}

#[tokio::test]
async fn full_flow_issues_tokens_with_the_documented_claims() {
    let t = start().await;
    let p = pkce();
    let res = t
        .sign_in(GLORIA, GRAPH_SCOPE, &p, "state with spaces&symbols")
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        location.starts_with("http://localhost:53117/?code="),
        "{location}"
    );
    assert_eq!(
        query_param(&location, "state").as_deref(),
        Some("state with spaces&symbols")
    );
    let code = query_param(&location, "code").expect("code");
    assert!(code.len() >= 43);

    let (status, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &p.verifier),
            ("client_info", "1"),
            ("x-client-sku", "elevate"),
            (
                "claims",
                r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#,
            ),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3599);
    assert_eq!(body["ext_expires_in"], 3599);
    assert!(body["refresh_token"]
        .as_str()
        .is_some_and(|r| r.starts_with("1.")));
    let scope = body["scope"].as_str().expect("scope");
    assert!(
        scope.contains("https://graph.microsoft.com/User.Read"),
        "{scope}"
    );
    assert!(
        scope.contains("https://graph.microsoft.com/RoleAssignmentSchedule.ReadWrite.Directory")
    );

    let at = claims(body["access_token"].as_str().expect("at"));
    let gloria_id = "1571c956-13b7-4cf0-a2e0-68043b979519";
    assert_eq!(at["aud"], "https://graph.microsoft.com");
    assert_eq!(
        at["iss"],
        format!("{}/{}/v2.0", t.ep.authority, t.ep.tenant_id)
    );
    assert_eq!(at["oid"], gloria_id);
    assert_eq!(at["tid"], t.ep.tenant_id.as_str());
    assert_eq!(at["name"], "Gloria Mueller");
    assert_eq!(at["preferred_username"], GLORIA);
    assert_eq!(at["upn"], GLORIA);
    assert_eq!(at["ver"], "2.0");
    assert_eq!(at["azp"], t.ep.client_id.as_str());
    assert_eq!(at["appid"], t.ep.client_id.as_str());
    assert_eq!(at["amr"], serde_json::json!(["pwd"]));
    assert_eq!(
        at["scp"],
        "User.Read RoleEligibilitySchedule.Read.Directory RoleAssignmentSchedule.ReadWrite.Directory RoleManagementPolicy.Read.Directory GroupMember.Read.All"
    );
    let wids: Vec<&str> = at["wids"]
        .as_array()
        .expect("wids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(wids.contains(&"62e90394-69f5-4237-9190-012177145e10"));
    assert!(wids.contains(&"b79fbf4d-3ef9-4689-8143-76b194e85509"));
    let (iat, exp) = (
        at["iat"].as_i64().expect("iat"),
        at["exp"].as_i64().expect("exp"),
    );
    assert_eq!(exp - iat, 3599);
    assert!(at["uti"].as_str().is_some_and(|u| !u.is_empty()));

    let id = claims(body["id_token"].as_str().expect("id token"));
    assert_eq!(id["aud"], t.ep.client_id.as_str());
    assert_eq!(id["oid"], gloria_id);
    assert_eq!(id["preferred_username"], GLORIA);
    assert!(id["sub"].as_str().is_some_and(|s| !s.is_empty()));

    let info = body["client_info"].as_str().expect("client_info");
    assert!(!info.contains('='));
    let decoded: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, info)
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(
        decoded,
        serde_json::json!({"uid": gloria_id, "utid": t.ep.tenant_id})
    );

    // Adele holds no role: only the member role.
    let adele = t.tokens_for("adele", "User.Read").await;
    let at = claims(adele["access_token"].as_str().expect("at"));
    assert_eq!(
        at["wids"],
        serde_json::json!(["b79fbf4d-3ef9-4689-8143-76b194e85509"])
    );
    assert_eq!(at["scp"], "User.Read");
    assert!(
        adele.get("refresh_token").is_none(),
        "no offline_access, no refresh token"
    );
    assert!(adele.get("id_token").is_none(), "no openid, no id token");
    assert!(adele.get("client_info").is_none());
}

#[tokio::test]
async fn wrong_verifier_is_refused_and_does_not_burn_the_code() {
    let t = start().await;
    let p = pkce();
    let code = t.code_for(GLORIA, GRAPH_SCOPE, &p).await;
    let redeem = |verifier: String| {
        let code = code.clone();
        let t = &t;
        async move {
            t.token(&[
                ("client_id", &t.ep.client_id),
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &verifier),
            ])
            .await
        }
    };
    let (status, body) = redeem(pkce().verifier).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 501481);
    check_envelope(&body, 501481);

    let (status, _) = redeem(p.verifier.clone()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a refused attempt must not consume the code"
    );

    let (status, body) = redeem(p.verifier.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(aadsts(&body), 54005);
}

fn check_envelope(body: &Value, code: u64) {
    let desc = body["error_description"].as_str().expect("description");
    assert!(desc.starts_with(&format!("AADSTS{code}: ")), "{desc}");
    let trace = body["trace_id"].as_str().expect("trace");
    let corr = body["correlation_id"].as_str().expect("correlation");
    let ts = body["timestamp"].as_str().expect("timestamp");
    assert!(
        desc.ends_with(&format!(
            "\r\nTrace ID: {trace}\r\nCorrelation ID: {corr}\r\nTimestamp: {ts}"
        )),
        "{desc}"
    );
    assert_eq!(ts.len(), "2016-01-09 02:02:12Z".len());
    assert_eq!(
        body["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}")
    );
}

#[tokio::test]
async fn expired_code_and_unknown_code() {
    let t = start().await;
    let p = pkce();
    let code = t.code_for(GLORIA, GRAPH_SCOPE, &p).await;
    let (_, _) = t
        .admin_post("clock/advance", serde_json::json!({"seconds": 601}))
        .await;
    let form = [
        ("client_id", t.ep.client_id.as_str()),
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", p.verifier.as_str()),
    ];
    let (status, body) = t.token(&form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(aadsts(&body), 70008);

    let (_, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", "nope"),
            ("redirect_uri", REDIRECT),
        ])
        .await;
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn plain_pkce_and_nonce() {
    let t = start().await;
    let verifier = "a".repeat(50);
    let url = t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", "openid User.Read"),
        ("code_challenge", &verifier),
        ("nonce", "n-0S6_WzA2Mj"),
    ]);
    let res = t
        .http
        .post(&url)
        .form(&[("login", "casey"), ("action", "signin")])
        .send()
        .await
        .expect("submit");
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_string();
    let code = query_param(&location, "code").expect("code");
    let (status, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        claims(body["id_token"].as_str().expect("id"))
            .get("nonce")
            .and_then(Value::as_str),
        Some("n-0S6_WzA2Mj")
    );
}

#[tokio::test]
async fn fragment_and_form_post_response_modes() {
    let t = start().await;
    let base = [
        ("redirect_uri", REDIRECT),
        ("scope", "User.Read"),
        ("state", "s"),
    ];
    let mut fragment = base.to_vec();
    fragment.push(("response_mode", "fragment"));
    let res = t
        .http
        .post(t.authorize_url(&fragment))
        .form(&[("login", "alex"), ("action", "signin")])
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().expect("ascii");
    assert!(
        location.starts_with("http://localhost:53117/#code="),
        "{location}"
    );
    assert!(location.ends_with("&state=s"));

    let mut form_post = base.to_vec();
    form_post.push(("response_mode", "form_post"));
    let res = t
        .http
        .post(t.authorize_url(&form_post))
        .form(&[("login", "alex"), ("action", "signin")])
        .send()
        .await
        .expect("submit");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(
        html.contains(r#"action="http://localhost:53117/""#),
        "{html}"
    );
    assert!(html.contains(r#"name="code" value=""#) && html.contains(r#"name="state" value="s""#));
}
