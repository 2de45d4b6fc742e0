//! Hostile and broken input: the emulator answers with an error, never panics, and a refused
//! request changes nothing.

use crate::common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn malformed_bodies_are_refused_and_change_nothing() {
    let t = start().await;
    let p = pkce();
    let code = t.code_for("gloria", GRAPH_SCOPE, &p).await;
    let issued = t.emu.issued_tokens().len();
    let token_url = format!("{}/oauth2/v2.0/token", t.tenant_url());
    let form = "application/x-www-form-urlencoded";
    let bodies: Vec<(Option<&str>, Vec<u8>)> = vec![
        (Some(form), vec![0xff, 0xfe, 0x00, b'=', 0x80]),
        (Some(form), b"%%%%&&&===".to_vec()),
        (
            Some(form),
            b"grant_type=authorization_code&grant_type=refresh_token".to_vec(),
        ),
        (
            Some(form),
            format!(
                "grant_type=authorization_code&client_id={}&code={code}&code={code}",
                t.ep.client_id
            )
            .into_bytes(),
        ),
        (
            Some("application/json"),
            format!(r#"{{"grant_type":"authorization_code","code":"{code}"}}"#).into_bytes(),
        ),
        (
            None,
            format!(
                "grant_type=authorization_code&client_id={}&code={code}",
                t.ep.client_id
            )
            .into_bytes(),
        ),
        (Some(form), Vec::new()),
        (
            Some(form),
            format!(
                "grant_type=authorization_code&client_id={}&code={code}&redirect_uri={REDIRECT}",
                t.ep.client_id
            )
            .into_bytes(),
        ),
        (Some(form), vec![b'a'; 100_000]),
    ];
    for (content_type, body) in bodies {
        let mut req = t.http.post(&token_url).body(body.clone());
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.expect("server answers");
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "{:?}",
            String::from_utf8_lossy(&body[..body.len().min(80)])
        );
        let json: serde_json::Value = res.json().await.expect("Entra envelope");
        assert!(json["error"].is_string() && json["error_codes"].is_array());
    }
    let (_, json) = t.token(&[("grant_type", "authorization_code")]).await;
    assert_eq!(json["error"], "invalid_request");

    // Broken authorize and devicelogin submissions.
    let authorize = format!("{}/oauth2/v2.0/authorize", t.tenant_url());
    for body in [
        vec![0xffu8, 0x00],
        b"login=&action=signin".to_vec(),
        b"a=1&a=2".to_vec(),
    ] {
        let res = t
            .http
            .post(&authorize)
            .header("content-type", form)
            .body(body)
            .send()
            .await
            .expect("answers");
        assert!(res.status().is_client_error() || res.status().is_success());
        assert!(res.headers().get("location").is_none());
    }
    for body in [
        vec![0xffu8, 0x00],
        b"user_code=&login=&action=signin".to_vec(),
        b"user_code=AAAA&user_code=BBBB".to_vec(),
    ] {
        let res = t
            .http
            .post(format!("{}/login/devicelogin", t.base))
            .header("content-type", form)
            .body(body)
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), StatusCode::OK);
    }
    let res = t
        .http
        .get(format!("{authorize}?client_id=%ZZ&&&=="))
        .send()
        .await
        .expect("answers");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    for path in [
        "/_emulator/token",
        "/_emulator/clock/advance",
        "/_emulator/refresh-tokens/revoke",
    ] {
        let res = t
            .http
            .post(format!("{}{path}", t.base))
            .body("{not json")
            .send()
            .await
            .expect("answers");
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
    }

    assert_eq!(
        t.emu.issued_tokens().len(),
        issued,
        "nothing was issued by refused requests"
    );
    // The code survived every refused attempt.
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
    let (_, health) = t.get_json(&format!("{}/_emulator/health", t.base)).await;
    assert_eq!(health["status"], "ok");
}
