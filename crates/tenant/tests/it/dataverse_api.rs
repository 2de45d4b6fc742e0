//! Dataverse Web API contracts (§4.1–§4.4): WhoAmI, the root BU and System Administrator
//! copies, member lists, paging, and unlinking/linking roles.

use std::collections::HashSet;

use crate::common::*;
use crate::platform::*;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn whoami_has_the_documented_shape_and_needs_an_enabled_systemuser() {
    let t = start_with(|s| {
        if let Some(u) = s
            .environments
            .iter_mut()
            .filter_map(|e| e.dataverse.as_mut())
            .flat_map(|d| d.system_users.iter_mut())
            .find(|u| u.user.as_deref() == Some("adele"))
        {
            u.is_disabled = true; // adele's record in Contoso (default)
        }
    })
    .await;
    let dv = t.dv_token("gloria", "contoso").await;
    for path in ["WhoAmI", "WhoAmI()"] {
        let r = t
            .get(&format!("{}/{path}", t.org_api("contoso")), &dv)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            keys(&r.body),
            sorted(&[
                "@odata.context",
                "BusinessUnitId",
                "UserId",
                "OrganizationId"
            ])
        );
        assert_eq!(
            r.body["@odata.context"],
            format!(
                "{}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
                t.org_api("contoso")
            )
        );
        assert_eq!(r.headers["odata-version"], "4.0");
        assert!(r.headers.contains_key("x-ms-correlation-id"));
    }
    let nestor = t.dv_token("nestor", "contoso").await;
    let r = t
        .get(&format!("{}/WhoAmI", t.org_api("contoso")), &nestor)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("0x80072560"))
    );
    assert_eq!(keys(&r.body["error"]), sorted(&["code", "message"]));
    let adele = t.dv_token("adele", "contoso").await;
    let r = t
        .get(&format!("{}/WhoAmI", t.org_api("contoso")), &adele)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("0x80040225"))
    );
}

#[tokio::test]
async fn tokens_for_another_org_or_service_are_refused() {
    let t = start().await;
    let other = t.dv_token("gloria", "contosohr-sbx").await;
    let graph = t.token_for("gloria", "User.Read").await;
    for token in [
        Some(other.as_str()),
        Some(graph.as_str()),
        Some("x.y.z"),
        None,
    ] {
        let r = t
            .call(
                Method::GET,
                &format!("{}/WhoAmI", t.org_api("contoso")),
                token,
                &[],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{token:?}");
        let challenge = r.headers["www-authenticate"].to_str().unwrap_or("");
        assert!(
            challenge.contains(&format!("resource_id={}/", t.org_root("contoso"))),
            "{challenge}"
        );
    }
    let r = t
        .get(
            &format!("{}/dataverse/nosuchorg/api/data/v9.2/WhoAmI", t.base),
            &other,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn roles_members_and_systemusers_have_the_documented_shapes() {
    let t = start().await;
    let dv = sales_admin(&t).await;
    let api = t.org_api(SALES);
    let all_copies = t.get(&format!("{api}/roles?$select=roleid,name,_businessunitid_value&$filter=_roletemplateid_value eq '{SYSADMIN_TEMPLATE}'"), &dv).await;
    assert_eq!(
        all_copies.body["value"].as_array().map(Vec::len),
        Some(2),
        "one copy per business unit"
    );
    let (bu, role) = root_role(&t, &dv, SALES).await;
    let copy = &all_copies.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|r| r["roleid"] == role.as_str())
        .cloned()
        .expect("root copy");
    assert_eq!(
        keys(copy),
        sorted(&["@odata.etag", "roleid", "name", "_businessunitid_value"])
    );
    assert_eq!(
        (
            copy["name"].as_str(),
            copy["_businessunitid_value"].as_str()
        ),
        (Some("System Administrator"), Some(bu.as_str()))
    );

    let select = "fullname,domainname,internalemailaddress,azureactivedirectoryobjectid,isdisabled,accessmode,applicationid";
    let r = t
        .get(
            &format!("{api}/roles({role})/systemuserroles_association?$select={select}"),
            &dv,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["@odata.context"],
        format!("{api}/$metadata#systemusers({select})")
    );
    let members = r.body["value"].as_array().expect("value");
    let mut expected: Vec<String> = select
        .split(',')
        .map(String::from)
        .chain(["@odata.etag".into(), "systemuserid".into()])
        .collect();
    expected.sort();
    for m in members {
        assert_eq!(keys(m), expected, "{m}");
        assert!(m["@odata.etag"]
            .as_str()
            .is_some_and(|e| e.starts_with("W/\"")));
    }
    let names: HashSet<&str> = members
        .iter()
        .filter_map(|m| m["fullname"].as_str())
        .collect();
    assert_eq!(
        names,
        HashSet::from([
            "Megan Bowen",
            "Pradeep Gupta",
            "CoE Sync (app)",
            "Gloria Mueller"
        ])
    );
    let app = members
        .iter()
        .find(|m| m["fullname"] == "CoE Sync (app)")
        .expect("app user");
    assert!(app["applicationid"].is_string());
    assert_eq!(app["accessmode"], 4);
    assert!(members.iter().any(|m| m["isdisabled"] == true));

    // Across business units: the child BU's copy counts too.
    let r = t.get(&format!("{api}/systemusers?$select=fullname&$filter=systemuserroles_association/any(r:r/_roletemplateid_value eq {SYSADMIN_TEMPLATE})"), &dv).await;
    let names: HashSet<&str> = r.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|m| m["fullname"].as_str())
        .collect();
    assert!(
        names.contains("Isaiah Langer") && names.len() == 5,
        "{names:?}"
    );

    // One user with their roles, and one by key.
    let megan = members
        .iter()
        .find(|m| m["fullname"] == "Megan Bowen")
        .expect("megan");
    let oid = megan["azureactivedirectoryobjectid"].as_str().expect("oid");
    let r = t.get(&format!("{api}/systemusers?$filter=azureactivedirectoryobjectid eq {oid}&$expand=systemuserroles_association($select=roleid,name,ismanaged,_businessunitid_value)"), &dv).await;
    let roles = &r.body["value"][0]["systemuserroles_association"];
    assert_eq!(roles.as_array().map(Vec::len), Some(1), "{}", r.body);
    assert_eq!(
        keys(&roles[0]),
        sorted(&[
            "@odata.etag",
            "roleid",
            "name",
            "ismanaged",
            "_businessunitid_value"
        ])
    );
    let id = megan["systemuserid"].as_str().expect("id");
    let r = t
        .get(&format!("{api}/systemusers({id})?$select=fullname"), &dv)
        .await;
    assert_eq!(r.body["fullname"], "Megan Bowen");
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap_or("")
        .ends_with("/$entity"));
    let r = t
        .get(&format!("{api}/systemusers({})", uuid::Uuid::new_v4()), &dv)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("0x80040217"))
    );
    let r = t
        .get(&format!("{api}/systemusers?$filter=shoesize eq 1"), &dv)
        .await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("0x80060888"))
    );
}

#[tokio::test]
async fn paging_follows_next_links_to_the_end_without_duplicates() {
    let t = start().await;
    let dv = sales_admin(&t).await;
    let prefer = [("prefer", "odata.maxpagesize=2")];
    let mut next = Some(format!(
        "{}/systemusers?$select=fullname,domainname",
        t.org_api(SALES)
    ));
    let (mut ids, mut pages) = (HashSet::new(), 0);
    while let Some(url) = next {
        let r = t.call(Method::GET, &url, Some(&dv), &prefer, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["preference-applied"], "odata.maxpagesize=2");
        let value = r.body["value"].as_array().expect("value");
        assert!(value.len() <= 2);
        for u in value {
            assert!(ids.insert(u["systemuserid"].to_string()), "duplicate {u}");
        }
        next = r.body["@odata.nextLink"].as_str().map(str::to_string);
        if let Some(n) = &next {
            assert!(
                n.contains("$skiptoken=") && n.contains("$select=fullname,domainname"),
                "{n}"
            );
        }
        pages += 1;
    }
    assert_eq!(
        (ids.len(), pages),
        (6, 3),
        "5 scenario users + gloria after elevating"
    );
    let r = t
        .get(
            &format!("{}/systemusers?$skiptoken=garbage", t.org_api(SALES)),
            &dv,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
