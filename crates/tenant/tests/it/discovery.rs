//! OIDC discovery, JWKS, tenant resolution and the headers every response carries.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::StatusCode;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::json;

#[tokio::test]
async fn openid_configuration_points_at_the_emulator() {
    let t = start().await;
    let tid = &t.ep.tenant_id;
    for segment in [
        tid.as_str(),
        "contoso.onmicrosoft.com",
        "CONTOSO.onmicrosoft.com",
    ] {
        let res = t
            .http
            .get(format!(
                "{}/{segment}/v2.0/.well-known/openid-configuration",
                t.ep.authority
            ))
            .send()
            .await
            .expect("discovery");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["cache-control"], "max-age=86400, private");
        let doc: serde_json::Value = res.json().await.expect("json");
        let root = format!("{}/login/{tid}", t.base);
        assert_eq!(doc["issuer"], format!("{root}/v2.0"));
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{root}/oauth2/v2.0/authorize")
        );
        assert_eq!(doc["token_endpoint"], format!("{root}/oauth2/v2.0/token"));
        assert_eq!(
            doc["device_authorization_endpoint"],
            format!("{root}/oauth2/v2.0/devicecode")
        );
        assert_eq!(doc["jwks_uri"], format!("{root}/discovery/v2.0/keys"));
        assert_eq!(
            doc["end_session_endpoint"],
            format!("{root}/oauth2/v2.0/logout")
        );
        assert_eq!(doc["kerberos_endpoint"], format!("{root}/kerberos"));
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            json!(["RS256"])
        );
        assert_eq!(
            doc["response_modes_supported"],
            json!(["query", "fragment", "form_post"])
        );
        assert_eq!(doc["subject_types_supported"], json!(["pairwise"]));
        assert_eq!(
            doc["scopes_supported"],
            json!(["openid", "profile", "email", "offline_access"])
        );
        assert_eq!(doc["request_uri_parameter_supported"], false);
        assert_eq!(doc["http_logout_supported"], true);
        assert_eq!(doc["frontchannel_logout_supported"], true);
        assert_eq!(doc["tenant_region_scope"], "WW");
        assert_eq!(doc["cloud_instance_name"], "microsoftonline.com");
        assert_eq!(doc["cloud_graph_host_name"], "graph.windows.net");
        assert_eq!(doc["msgraph_host"], "graph.microsoft.com");
        assert_eq!(doc["rbac_url"], "https://pas.windows.net");
        assert!(doc["claims_supported"]
            .as_array()
            .is_some_and(|c| c.len() == 19));
        assert!(doc["token_endpoint_auth_methods_supported"].is_array());
        assert!(doc["response_types_supported"].is_array());
        assert!(doc["userinfo_endpoint"].is_string());
    }
    let (_, doc) = t
        .get_json(&format!(
            "{}/organizations/v2.0/.well-known/openid-configuration",
            t.ep.authority
        ))
        .await;
    assert_eq!(doc["issuer"], format!("{}/login/{{tenantid}}/v2.0", t.base));
}

#[tokio::test]
async fn jwks_verifies_an_issued_token() {
    let t = start().await;
    let (status, jwks) = t
        .get_json(&format!("{}/discovery/v2.0/keys", t.tenant_url()))
        .await;
    assert_eq!(status, StatusCode::OK);
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["e"], "AQAB");
    assert_eq!(key["issuer"], format!("{}/v2.0", t.tenant_url()));
    let n = URL_SAFE_NO_PAD
        .decode(key["n"].as_str().expect("n"))
        .expect("b64");
    assert_eq!(n.len(), 256, "2048-bit modulus");
    let e = URL_SAFE_NO_PAD
        .decode(key["e"].as_str().expect("e"))
        .expect("b64");
    // An independent check of the JWKS: any RS256 verifier given only n and e must accept.
    let verifier = RsaPublicKeyComponents { n: &n, e: &e };

    let tokens = t.tokens_for("gloria", GRAPH_SCOPE).await;
    for name in ["access_token", "id_token"] {
        let jwt = tokens[name].as_str().expect("jwt");
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["kid"], key["kid"]);
        let sig = URL_SAFE_NO_PAD.decode(parts[2]).expect("b64");
        let signed = format!("{}.{}", parts[0], parts[1]);
        verifier
            .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &sig)
            .expect("signature verifies with the JWKS key");
        assert!(verifier
            .verify(
                &RSA_PKCS1_2048_8192_SHA256,
                format!("{signed}x").as_bytes(),
                &sig
            )
            .is_err());
    }
}

#[tokio::test]
async fn unknown_tenant_is_aadsts90002_everywhere() {
    let t = start().await;
    let bad = format!("{}/fabrikam.onmicrosoft.com", t.ep.authority);
    let (status, body) = t
        .get_json(&format!("{bad}/v2.0/.well-known/openid-configuration"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(aadsts(&body), 90002);
    let (status, body) = t.get_json(&format!("{bad}/discovery/v2.0/keys")).await;
    assert_eq!((status, aadsts(&body)), (StatusCode::BAD_REQUEST, 90002));
    let res = t
        .http
        .post(format!("{bad}/oauth2/v2.0/token"))
        .form(&[
            ("client_id", t.ep.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(aadsts(&res.json().await.expect("json")), 90002);
    let res = t
        .http
        .get(format!(
            "{bad}/oauth2/v2.0/authorize?client_id={}",
            t.ep.client_id
        ))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.expect("html").contains("AADSTS90002"));

    // /common is refused for flows: the app is single-tenant.
    let res = t
        .http
        .post(format!("{}/common/oauth2/v2.0/token", t.ep.authority))
        .form(&[
            ("client_id", t.ep.client_id.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", "x"),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(aadsts(&res.json().await.expect("json")), 50194);
    // ...while `organizations` is accepted.
    let res = t
        .http
        .post(format!(
            "{}/organizations/oauth2/v2.0/devicecode",
            t.ep.authority
        ))
        .form(&[
            ("client_id", t.ep.client_id.as_str()),
            ("scope", "User.Read"),
        ])
        .send()
        .await
        .expect("devicecode");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn every_response_carries_a_correlation_id() {
    let t = start().await;
    let urls = [
        format!("{}/_emulator/health", t.base),
        format!("{}/v2.0/.well-known/openid-configuration", t.tenant_url()),
        format!(
            "{}/nope/v2.0/.well-known/openid-configuration",
            t.ep.authority
        ),
        format!("{}/v1.0/me", t.ep.graph),
        format!("{}/environments", t.ep.powerplatform),
        format!("{}/dataverse/org1/api/data/v9.2/WhoAmI", t.base),
        format!("{}/totally/unknown", t.base),
        format!("{}/login/devicelogin", t.base),
    ];
    for url in &urls {
        let res = t.http.get(url).send().await.expect("GET");
        let id = res
            .headers()
            .get("x-ms-correlation-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{url}: '{id}'");
        let echoed = t
            .http
            .get(url)
            .header("x-ms-correlation-id", "abc-123")
            .send()
            .await
            .expect("GET");
        assert_eq!(echoed.headers()["x-ms-correlation-id"], "abc-123", "{url}");
        let echoed = t
            .http
            .get(url)
            .header("client-request-id", "cri-9")
            .send()
            .await
            .expect("GET");
        assert_eq!(echoed.headers()["x-ms-correlation-id"], "cri-9", "{url}");
    }
    // The Entra error body names the same correlation id.
    let res = t
        .http
        .post(format!("{}/oauth2/v2.0/token", t.tenant_url()))
        .header("client-request-id", "11111111-2222-3333-4444-555555555555")
        .form(&[("grant_type", "refresh_token")])
        .send()
        .await
        .expect("token");
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        body["correlation_id"],
        "11111111-2222-3333-4444-555555555555"
    );
    // Reserved prefixes exist but are not emulated yet.
    let res = t
        .http
        .get(format!("{}/environments", t.ep.bap))
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
