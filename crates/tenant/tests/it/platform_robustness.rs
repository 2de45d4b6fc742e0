//! Hostile and broken requests to Power Platform, BAP and Dataverse: an error answer, never a
//! panic, and nothing changes.

use crate::common::*;
use crate::platform::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn state_of(t: &Tenant) -> (Value, Vec<Value>) {
    let (_, envs) = t
        .get_json(&format!("{}/_emulator/environments", t.base))
        .await;
    (envs, t.audit().await)
}

#[tokio::test]
async fn malformed_paths_queries_and_bodies_never_panic_and_change_nothing() {
    let t = start().await;
    let pp = t.token_for("gloria", PP_SCOPE).await;
    let bap = t.token_for("gloria", BAP_SCOPE).await;
    let dv = t.dv_token("gloria", "contoso").await;
    let before = state_of(&t).await;
    let api = t.org_api("contoso");
    let role = "7791e610-6d54-5bd5-ba9d-b3ee9c0720eb";
    let user = "a5a44114-5cbb-5e3a-89f5-b3337f1cb171";
    let deep = format!("{}name eq 'x'{}", "(".repeat(5000), ")".repeat(5000));
    let long_chain = vec!["name eq 'x'"; 1200].join(" or ");
    let gets: Vec<(String, &str)> = vec![
        (format!("{api}/systemusers?$filter={deep}"), &dv),
        (format!("{api}/systemusers?$filter={long_chain}"), &dv),
        (format!("{api}/systemusers?$filter=%FF%FE"), &dv),
        (format!("{api}/systemusers?$filter='unterminated"), &dv),
        (format!("{api}/systemusers?$filter=systemuserroles_association/any(r:"), &dv),
        (format!("{api}/systemusers?$filter=nav/any(r:r/x eq 1)"), &dv),
        (format!("{api}/systemusers?$select=,,,&$expand=systemuserroles_association($select=nope)"), &dv),
        (format!("{api}/systemusers?$expand=systemuserroles_association(((("), &dv),
        (format!("{api}/systemusers?$top=-1"), &dv),
        (format!("{api}/systemusers?$orderby=fullname"), &dv),
        (format!("{api}/systemusers?$skiptoken=%3Ccookie%20last=%22%7Bnot-a-guid%7D%22"), &dv),
        (format!("{api}/systemusers(%ZZ)"), &dv),
        (format!("{api}/systemusers(')"), &dv),
        (format!("{api}/systemusers()"), &dv),
        (format!("{api}/roles({role})/systemuserroles_association({user})"), &dv),
        (format!("{api}/roles({role})/nope"), &dv),
        (format!("{api}/accounts"), &dv),
        (format!("{api}/"), &dv),
        (format!("{}/dataverse/contoso/api/data/v8.0/WhoAmI", t.base), &dv),
        (format!("{}/dataverse/contoso", t.base), &dv),
        (format!("{}/dataverse/%00/api/data/v9.2/WhoAmI", t.base), &dv),
        (format!("{}/environmentmanagement/environments?api-version=2024-10-01&$filter={deep}", t.ep.powerplatform), &pp),
        (format!("{}/environmentmanagement/environments?api-version=2024-10-01&$top=99999999999999999999999", t.ep.powerplatform), &pp),
        (format!("{}/environmentmanagement/environments/%E2%98%83?api-version=2024-10-01", t.ep.powerplatform), &pp),
        (format!("{}/environmentmanagement/nothing", t.ep.powerplatform), &pp),
        (format!("{}/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments?api-version=2020-10-01&$skiptoken=@@@", t.ep.bap), &bap),
        (format!("{}/providers/x", t.ep.bap), &bap),
    ];
    for (url, token) in &gets {
        let r = t.get(url, token).await;
        assert!(
            r.status.is_client_error(),
            "{} → {} {}",
            &url[..url.len().min(120)],
            r.status,
            r.body
        );
        assert!(r.headers.contains_key("x-ms-correlation-id"));
    }
    let base_ref = format!("{api}/systemusers({user})/systemuserroles_association/$ref");
    let bodies: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, base_ref.clone(), Some(json!({}))),
        (
            Method::POST,
            base_ref.clone(),
            Some(json!({"@odata.id": 42})),
        ),
        (
            Method::POST,
            base_ref.clone(),
            Some(
                json!({"@odata.id": "http://elsewhere/api/data/v9.2/roles(7791e610-6d54-5bd5-ba9d-b3ee9c0720eb)"}),
            ),
        ),
        (
            Method::POST,
            base_ref.clone(),
            Some(json!({"@odata.id": format!("{api}/systemusers({user})")})),
        ),
        (Method::POST, base_ref.clone(), Some(json!([1, 2, 3]))),
        (Method::DELETE, base_ref.clone(), None),
        (Method::DELETE, format!("{base_ref}?$id=garbage"), None),
        (
            Method::DELETE,
            format!("{api}/systemusers({user})/systemuserroles_association(nope)/$ref"),
            None,
        ),
        (
            Method::PATCH,
            format!("{api}/systemusers({user})"),
            Some(json!({"isdisabled": true})),
        ),
        (Method::PUT, format!("{api}/roles({role})"), None),
        (Method::POST, format!("{api}/WhoAmI"), None),
    ];
    for (method, url, body) in bodies {
        let r = t.call(method.clone(), &url, Some(&dv), &[], body).await;
        assert!(
            r.status.is_client_error(),
            "{method} {url} → {} {}",
            r.status,
            r.body
        );
    }
    let raw = t
        .http
        .post(&base_ref)
        .bearer_auth(&dv)
        .header("content-type", "application/json")
        .body(vec![0xff, 0xfe, b'{'])
        .send()
        .await
        .expect("r");
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        state_of(&t).await,
        before,
        "no refused request changed anything"
    );
    // applyAdminRole takes no body; whatever is sent is ignored.
    let raw = t
        .http
        .post(format!(
            "{}/usermanagement/environments/{}/user/applyAdminRole?api-version=2024-10-01",
            t.ep.powerplatform,
            env("HR Sandbox")
        ))
        .bearer_auth(&pp)
        .body(vec![0xffu8; 70_000])
        .send()
        .await
        .expect("r");
    assert_eq!(raw.status(), StatusCode::OK);
}
