//! Dataverse role links (§4.4): unlinking in both documented forms, linking back, the
//! no-op and cross-BU choices, and the prvAssignRole requirement.

use crate::common::*;
use crate::platform::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn disassociate_and_associate_system_administrator() {
    let t = start().await;
    let dv = sales_admin(&t).await;
    let api = t.org_api(SALES);
    let (_, role) = root_role(&t, &dv, SALES).await;
    let members = |body: &Value| -> Vec<String> {
        body["value"]
            .as_array()
            .expect("value")
            .iter()
            .filter_map(|m| m["fullname"].as_str().map(str::to_string))
            .collect()
    };
    let list = format!("{api}/roles({role})/systemuserroles_association?$select=fullname");
    let r = t.get(&list, &dv).await;
    let megan = r.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|m| m["fullname"] == "Megan Bowen")
        .expect("megan")["systemuserid"]
        .as_str()
        .expect("id")
        .to_string();
    let key_form = format!("{api}/systemusers({megan})/systemuserroles_association({role})/$ref");
    for _ in 0..2 {
        // The second time is a documented no-op: still 204, still gone.
        let r = t
            .call(Method::DELETE, &key_form, Some(&dv), &[], None)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert!(!members(&t.get(&list, &dv).await.body).contains(&"Megan Bowen".to_string()));
    }
    let associate = format!("{api}/systemusers({megan})/systemuserroles_association/$ref");
    let r = t
        .call(
            Method::POST,
            &associate,
            Some(&dv),
            &[],
            Some(json!({"@odata.id": format!("{api}/roles({role})")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(members(&t.get(&list, &dv).await.body).contains(&"Megan Bowen".to_string()));
    let id_form = format!(
        "{api}/systemusers({megan})/systemuserroles_association/$ref?$id={api}/roles({role})"
    );
    assert_eq!(
        t.call(Method::DELETE, &id_form, Some(&dv), &[], None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert!(!members(&t.get(&list, &dv).await.body).contains(&"Megan Bowen".to_string()));
    let actions: Vec<String> = t
        .audit()
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "applyAdminRole",
            "roleDisassociated",
            "roleDisassociated",
            "roleAssociated",
            "roleDisassociated"
        ]
    );

    // The child BU's user can only get the child BU's copy.
    let isaiah = t
        .get(
            &format!("{api}/systemusers?$select=fullname&$filter=fullname eq 'Isaiah Langer'"),
            &dv,
        )
        .await;
    let isaiah = isaiah.body["value"][0]["systemuserid"]
        .as_str()
        .expect("isaiah")
        .to_string();
    let r = t
        .call(
            Method::POST,
            &format!("{api}/systemusers({isaiah})/systemuserroles_association/$ref"),
            Some(&dv),
            &[],
            Some(json!({"@odata.id": format!("{api}/roles({role})")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let missing = uuid::Uuid::new_v4();
    let r = t
        .call(
            Method::DELETE,
            &format!("{api}/systemusers({megan})/systemuserroles_association({missing})/$ref"),
            Some(&dv),
            &[],
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("0x80040217"))
    );
}

#[tokio::test]
async fn unlinking_needs_system_administrator_in_that_org() {
    let t = start().await;
    // adele is a Basic User in Contoso (default).
    let adele = t.dv_token("adele", "contoso").await;
    let gloria = t.dv_token("gloria", "contoso").await;
    let api = t.org_api("contoso");
    let (_, role) = root_role(&t, &gloria, "contoso").await;
    let list = format!("{api}/roles({role})/systemuserroles_association?$select=fullname");
    let before = t.get(&list, &gloria).await.body;
    let megan = before["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|m| m["fullname"] == "Megan Bowen")
        .expect("megan")["systemuserid"]
        .as_str()
        .expect("id")
        .to_string();
    let r = t
        .call(
            Method::DELETE,
            &format!("{api}/systemusers({megan})/systemuserroles_association({role})/$ref"),
            Some(&adele),
            &[],
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("0x80040220"))
    );
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("prvAssignRole"));
    assert_eq!(t.get(&list, &gloria).await.body, before);
    assert!(t.audit().await.is_empty());
}

/// A lost answer (`lostAnswer` fault): the unlink is carried out, the caller hears a 504 —
/// and a check of the user's roles afterwards (what Elevate does before acting again) tells.
#[tokio::test]
async fn an_unlink_whose_answer_is_lost_still_happened() {
    let t = start().await;
    let dv = sales_admin(&t).await;
    let api = t.org_api(SALES);
    let (_, role) = root_role(&t, &dv, SALES).await;
    let list = format!("{api}/roles({role})/systemuserroles_association?$select=fullname");
    let megan = t.get(&list, &dv).await.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|m| m["fullname"] == "Megan Bowen")
        .expect("megan")["systemuserid"]
        .as_str()
        .expect("id")
        .to_string();
    let (status, body) = t
        .admin_post(
            "faults",
            json!({"rules": [{"method": "DELETE", "path": "/dataverse/**", "fault": {"kind": "lostAnswer"}}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = t
        .call(
            Method::DELETE,
            &format!("{api}/systemusers({megan})/systemuserroles_association({role})/$ref"),
            Some(&dv),
            &[],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::GATEWAY_TIMEOUT, "{}", r.body);
    assert!(r.body["error"]["message"].as_str().is_some(), "{}", r.body);
    let check = format!(
        "{api}/systemusers?$select=systemuserid&$filter=systemuserid eq {megan}&$expand=systemuserroles_association($select=roleid)"
    );
    let now = t.get(&check, &dv).await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    let roles: Vec<&str> = now.body["value"][0]["systemuserroles_association"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["roleid"].as_str())
        .collect();
    assert!(
        !roles.contains(&role.as_str()),
        "the unlink stood: {roles:?}"
    );
}
