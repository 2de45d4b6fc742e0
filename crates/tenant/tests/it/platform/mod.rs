//! Helpers for the Power Platform, BAP and Dataverse tests: tokens, calls, scenario tweaks.
#![allow(dead_code)]

use elevate_tenant::{roles, Scenario};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::Tenant;

pub const PP_SCOPE: &str = "https://api.powerplatform.com/.default";
pub const BAP_SCOPE: &str = "https://service.powerapps.com//.default";
pub const SYSADMIN_TEMPLATE: &str = "627090ff-40a3-4053-8790-584edc5be201";
pub const NOT_ADMIN: &str = "Unable to assign System Administrator security role as the user is not either a Global admin, Power Platform admin, or Dynamics 365 admin. Please review your role assignments in Entra ID and try again later. For help, please reach out to your administrator.";

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// Gives `nick` these permanent, direct roles in the scenario.
pub fn direct(s: &mut Scenario, nick: &str, role_ids: &[&str]) {
    if let Some(u) = s.users.iter_mut().find(|u| u.mail_nickname == nick) {
        u.directory_roles = role_ids.iter().map(|r| r.to_string()).collect();
    }
}

/// Gives the "PP Admins (PIM)" group (grady is a member) a permanent Power Platform Administrator role.
pub fn group_ppa(s: &mut Scenario) {
    if let Some(g) = s
        .groups
        .iter_mut()
        .find(|g| g.display_name == "PP Admins (PIM)")
    {
        g.directory_roles = vec![roles::POWER_PLATFORM_ADMINISTRATOR.to_string()];
    }
}

/// The id of a demo environment by display name.
pub fn env(name: &str) -> String {
    env_id(&Scenario::builtin("demo").expect("demo"), name)
}

pub fn env_id(s: &Scenario, name: &str) -> String {
    s.environments
        .iter()
        .find(|e| e.display_name == name)
        .map(|e| e.id.clone())
        .unwrap_or_else(|| panic!("no environment {name}"))
}

impl Tenant {
    pub async fn token_for(&self, user: &str, scope: &str) -> String {
        let (status, body) = self
            .admin_post("token", json!({"user": user, "scope": scope}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().expect("token").to_string()
    }

    pub fn org_root(&self, domain: &str) -> String {
        format!("{}/dataverse/{domain}", self.base)
    }

    pub fn org_api(&self, domain: &str) -> String {
        format!("{}/dataverse/{domain}/api/data/v9.2", self.base)
    }

    pub async fn dv_token(&self, user: &str, domain: &str) -> String {
        self.token_for(user, &format!("{}/.default", self.org_root(domain)))
            .await
    }

    pub async fn call(
        &self,
        method: Method,
        url: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = res.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, url: &str, token: &str) -> Reply {
        self.call(Method::GET, url, Some(token), &[], None).await
    }

    /// `applyAdminRole` as `user`, with a fresh token.
    pub async fn apply(&self, user: &str, env: &str) -> Reply {
        let token = self.token_for(user, PP_SCOPE).await;
        let url = format!("{}/usermanagement/environments/{env}/user/applyAdminRole?api-version=2022-03-01-preview", self.ep.powerplatform);
        self.call(Method::POST, &url, Some(&token), &[], None).await
    }

    /// The current System Administrators of an environment, from the admin API.
    pub async fn sysadmins(&self, env: &str) -> Vec<Value> {
        let (status, body) = self
            .get_json(&format!(
                "{}/_emulator/environments?environment={env}",
                self.base
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        body["value"][0]["systemAdministrators"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn is_sysadmin(&self, env: &str, upn: &str) -> bool {
        self.sysadmins(env).await.iter().any(|u| {
            u["domainname"]
                .as_str()
                .is_some_and(|d| d.eq_ignore_ascii_case(upn))
        })
    }

    pub async fn audit(&self) -> Vec<Value> {
        let (_, body) = self
            .get_json(&format!("{}/_emulator/audit", self.base))
            .await;
        body["value"].as_array().cloned().unwrap_or_default()
    }
}

/// The sorted key set of a JSON object.
pub fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    k
}

pub fn sorted(list: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

pub const SALES: &str = "contososales";

/// Gloria elevates into Sales Production; her token for its org.
pub async fn sales_admin(t: &Tenant) -> String {
    let r = t.apply("gloria", &env("Sales Production")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    t.dv_token("gloria", SALES).await
}

/// The root business unit of `domain` and its System Administrator copy, read through Dataverse.
pub async fn root_role(t: &Tenant, dv: &str, domain: &str) -> (String, String) {
    let api = t.org_api(domain);
    let root = "$select=businessunitid,name&$filter=parentbusinessunitid eq null";
    let bu = t.get(&format!("{api}/businessunits?{root}"), dv).await;
    assert_eq!(
        bu.body["value"].as_array().map(Vec::len),
        Some(1),
        "{}",
        bu.body
    );
    let bu = bu.body["value"][0]["businessunitid"]
        .as_str()
        .expect("bu")
        .to_string();
    let filter =
        format!("_roletemplateid_value eq {SYSADMIN_TEMPLATE} and _businessunitid_value eq {bu}");
    let roles = t
        .get(
            &format!("{api}/roles?$select=roleid,name,_businessunitid_value&$filter={filter}"),
            dv,
        )
        .await;
    let role = roles.body["value"][0]["roleid"]
        .as_str()
        .expect("role")
        .to_string();
    (bu, role)
}
