//! Entra step-up (contract §1.4, §1.7): `claims` / `amr_values` at authorize, the
//! Authenticator box on the sign-in page, `amr`/`acrs`/`xms_cc` in tokens, refresh tokens that
//! remember their sign-in, AADSTS50076 for a demand they cannot meet, and PIM's auth-context
//! challenge answered with a stepped-up token.

use crate::common::*;
use crate::pim_common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const C1: &str = r#"{"access_token":{"acrs":{"essential":true, "value":"c1"}}}"#;
const C1_CP1: &str =
    r#"{"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}}"#;

/// Signs `user` in with extra authorize parameters and extra form fields; returns the raw
/// answer to the form post and the PKCE verifier.
async fn submit(
    t: &Tenant,
    user: &str,
    query: &[(&str, &str)],
    form: &[(&str, &str)],
) -> (reqwest::Response, Pkce) {
    let p = pkce();
    let mut q = vec![
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("state", "s1"),
        ("code_challenge", p.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    q.extend_from_slice(query);
    let url = t.authorize_url(&q);
    let page = t.http.get(&url).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let mut fields = vec![("login", user), ("action", "signin")];
    fields.extend_from_slice(form);
    (
        t.http
            .post(&url)
            .form(&fields)
            .send()
            .await
            .expect("submit"),
        p,
    )
}

async fn tokens(t: &Tenant, user: &str, query: &[(&str, &str)], form: &[(&str, &str)]) -> Value {
    let (res, p) = submit(t, user, query, form).await;
    assert_eq!(
        res.status(),
        StatusCode::FOUND,
        "{}",
        res.text().await.unwrap_or_default()
    );
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
            ("code_verifier", &p.verifier),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn at(body: &Value) -> Value {
    claims(body["access_token"].as_str().expect("access_token"))
}

async fn refresh(t: &Tenant, rt: &str, extra: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut form = vec![
        ("client_id", t.ep.client_id.as_str()),
        ("grant_type", "refresh_token"),
        ("refresh_token", rt),
    ];
    form.extend_from_slice(extra);
    t.token(&form).await
}

#[tokio::test]
async fn the_sign_in_page_offers_the_authenticator_prompt() {
    let t = start().await;
    let p = pkce();
    let base = [
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("code_challenge", p.challenge.as_str()),
    ];
    let plain = t
        .http
        .get(t.authorize_url(&base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        plain.contains(r#"name="mfa" value="approve">"#),
        "always offered, not required"
    );
    assert!(plain.contains("Approve the sign-in request in Microsoft Authenticator (demo)"));
    let mut demanding = base.to_vec();
    demanding.push(("claims", C1));
    let html = t
        .http
        .get(t.authorize_url(&demanding))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(r#"name="mfa" value="approve" required"#));
    let mut amr = base.to_vec();
    amr.push(("amr_values", "mfa"));
    let html = t
        .http
        .get(t.authorize_url(&amr))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(r#"name="mfa" value="approve" required"#));
    // Broken claims go back to the app as an error.
    let mut broken = base.to_vec();
    broken.push(("claims", "{not json"));
    let res = t
        .http
        .get(t.authorize_url(&broken))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert_eq!(
        query_param(&location, "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn tokens_carry_what_the_sign_in_proved() {
    let t = start().await;
    let plain = at(&tokens(&t, "adele", &[], &[]).await);
    assert_eq!(plain["amr"], json!(["pwd"]));
    assert!(plain.get("acrs").is_none() && plain.get("xms_cc").is_none());
    let chosen = at(&tokens(&t, "adele", &[], &[("mfa", "approve")]).await);
    assert_eq!(chosen["amr"], json!(["pwd", "mfa"]));
    assert!(chosen.get("acrs").is_none());

    // A demand without the approval is shown again, with no code issued.
    let issued = t.emu.issued_tokens().len();
    let (res, _) = submit(&t, "adele", &[("claims", C1)], &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("location").is_none());
    assert!(res
        .text()
        .await
        .expect("html")
        .contains("additional verification"));
    assert_eq!(t.emu.issued_tokens().len(), issued);

    let stepped = at(&tokens(&t, "adele", &[("claims", C1_CP1)], &[("mfa", "approve")]).await);
    assert_eq!(stepped["amr"], json!(["pwd", "mfa"]));
    assert_eq!(stepped["acrs"], json!(["c1"]));
    assert_eq!(stepped["xms_cc"], json!(["cp1"]));
    let cp1_only = at(&tokens(
        &t,
        "adele",
        &[(
            "claims",
            r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#,
        )],
        &[],
    )
    .await);
    assert_eq!(
        (cp1_only["amr"].clone(), cp1_only["xms_cc"].clone()),
        (json!(["pwd"]), json!(["cp1"]))
    );
}

#[tokio::test]
async fn refresh_tokens_remember_their_sign_in() {
    let t = start().await;
    let weak = tokens(&t, "casey", &[], &[]).await;
    let weak_rt = weak["refresh_token"].as_str().expect("rt");
    let (status, body) = refresh(&t, weak_rt, &[("claims", C1)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["suberror"], "basic_action");
    assert_eq!(aadsts(&body), 50076);
    assert_eq!(body["claims"], C1);
    assert!(body["error_description"]
        .as_str()
        .expect("description")
        .starts_with("AADSTS50076: "));
    let (status, body) = refresh(
        &t,
        weak_rt,
        &[(
            "claims",
            r#"{"access_token":{"amr":{"essential":true,"values":["mfa"]}}}"#,
        )],
    )
    .await;
    assert_eq!((status, aadsts(&body)), (StatusCode::BAD_REQUEST, 50076));
    // The refused refresh changed nothing: the token still works without a demand.
    let (status, body) = refresh(&t, weak_rt, &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(at(&body)["amr"], json!(["pwd"]));

    let strong = tokens(&t, "casey", &[("claims", C1_CP1)], &[("mfa", "approve")]).await;
    let (status, body) = refresh(
        &t,
        strong["refresh_token"].as_str().expect("rt"),
        &[("claims", C1)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let refreshed = at(&body);
    assert_eq!(
        (
            refreshed["acrs"].clone(),
            refreshed["amr"].clone(),
            refreshed["xms_cc"].clone()
        ),
        (json!(["c1"]), json!(["pwd", "mfa"]), json!(["cp1"]))
    );
    // The new refresh token keeps the strength, for any consented resource.
    let (status, body) = refresh(
        &t,
        body["refresh_token"].as_str().expect("rt"),
        &[
            ("claims", C1),
            ("scope", "https://api.powerplatform.com/.default"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(at(&body)["acrs"], json!(["c1"]));
}

/// Casey's story: Security Administrator behind authentication context c1.
#[tokio::test]
async fn acrs_challenge_then_success_with_a_stepped_up_token() {
    let t = start_pim().await;
    let first = tokens(
        &t,
        "casey",
        &[(
            "claims",
            r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#,
        )],
        &[],
    )
    .await;
    let body = activation("casey", SECURITY_ADMIN, json!({}));
    let (status, refusal) = request(&t, first["access_token"].as_str().expect("at"), &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        error_code(&refusal),
        "RoleAssignmentRequestAcrsValidationFailed"
    );
    // The client turns the message into the next sign-in's claims, as the live service expects.
    let message = error_message(&refusal);
    let encoded = message.strip_prefix("&claims=").expect("a claims fragment");
    let challenge: String = url::form_urlencoded::parse(format!("c={encoded}").as_bytes())
        .next()
        .expect("pair")
        .1
        .into_owned();
    let mut wanted: Value = serde_json::from_str(&challenge).expect("JSON claims");
    assert_eq!(wanted["access_token"]["acrs"]["value"], "c1");
    // Silent refresh cannot satisfy it…
    let (status, err) = refresh(
        &t,
        first["refresh_token"].as_str().expect("rt"),
        &[("claims", &challenge)],
    )
    .await;
    assert_eq!((status, aadsts(&err)), (StatusCode::BAD_REQUEST, 50076));
    // …an interactive sign-in with the challenge (plus cp1) can.
    wanted["access_token"]["xms_cc"] = json!({"values": ["cp1"]});
    let stepped = tokens(
        &t,
        "casey",
        &[("claims", &wanted.to_string())],
        &[("mfa", "approve")],
    )
    .await;
    let (status, created) = request(&t, stepped["access_token"].as_str().expect("at"), &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(held(&t, stepped["access_token"].as_str().expect("at"))
        .await
        .iter()
        .any(|h| h.0 == SECURITY_ADMIN));
}

/// The `acrsRefusalCode` switch: the same refusal and claims message under another code.
#[tokio::test]
async fn an_acrs_refusal_can_come_wrapped_in_another_code() {
    let t = start_pim().await;
    let (status, _) = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"acrsRefusalCode": "UnknownError"}))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .expect("settings");
    assert_eq!(status, StatusCode::OK);
    let first = tokens(
        &t,
        "casey",
        &[(
            "claims",
            r#"{"access_token":{"xms_cc":{"values":["cp1"]}}}"#,
        )],
        &[],
    )
    .await;
    let body = activation("casey", SECURITY_ADMIN, json!({}));
    let (status, refusal) = request(&t, first["access_token"].as_str().expect("at"), &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&refusal), "UnknownError");
    assert!(
        error_message(&refusal).starts_with("&claims=%7B%22access_token%22%3A%7B%22acrs%22"),
        "{refusal}"
    );
    let r = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&json!({"acrsRefusalCode": "SomethingElse"}))
        .send()
        .await
        .expect("settings");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_test_program_ticks_the_box_when_required() {
    let t = start().await;
    let p = pkce();
    let url = url::Url::parse(&t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("code_challenge", &p.challenge),
        ("code_challenge_method", "S256"),
        ("claims", C1),
    ]))
    .expect("url");
    let code = elevate_testkit::pages::authorize_code(&url, "casey")
        .await
        .expect("code despite the step-up");
    let (status, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &p.verifier),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(at(&body)["acrs"], json!(["c1"]));
    // Without a demand it leaves the box alone.
    let p = pkce();
    let url = url::Url::parse(&t.authorize_url(&[
        ("redirect_uri", REDIRECT),
        ("scope", GRAPH_SCOPE),
        ("code_challenge", &p.challenge),
        ("code_challenge_method", "S256"),
    ]))
    .expect("url");
    let code = elevate_testkit::pages::authorize_code(&url, "casey")
        .await
        .expect("code");
    let (_, body) = t
        .token(&[
            ("client_id", &t.ep.client_id),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &p.verifier),
        ])
        .await;
    assert_eq!(at(&body)["amr"], json!(["pwd"]));
}
