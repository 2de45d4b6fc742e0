//! The wire side: Power Platform API (environments, `applyAdminRole`), Dataverse Web API
//! (who holds System Administrator) and the two Graph group calls the preflight needs.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use crate::clients::http::{Answer, Call, Http, ServiceError, TokenSource};
use crate::clients::odata;
use crate::cloud::CloudProfile;

use super::SYSTEM_ADMINISTRATOR_TEMPLATE;

const PP_API_VERSION: &str = "2024-10-01";
/// A tenant with more environments than this many pages is not one Elevate can list.
const MAX_PAGES: usize = 200;
/// Graph's limit of group ids per `checkMemberGroups` call.
const MAX_GROUP_IDS: usize = 20;

/// `EnvironmentResponse` of the Power Platform API (flat; contract §3.2 Option A), read
/// field by field: one field in a shape Elevate does not know costs that field, not the row
/// (nor the whole list).
#[derive(Debug, Clone, Default)]
pub(crate) struct WireEnvironment {
    pub id: String,
    pub display_name: Option<String>,
    pub kind: Option<String>,
    pub geo: Option<String>,
    pub azure_region: Option<String>,
    pub url: Option<String>,
    pub dataverse_id: Option<String>,
    pub version: Option<String>,
    pub state: Option<String>,
    pub security_group_id: Option<String>,
    pub connected_group_id: Option<String>,
    pub created_date_time: Option<DateTime<Utc>>,
    /// What could not be read, as an admin names it ("type", "created date").
    pub unread: Vec<&'static str>,
    /// Why the security group and team group are not known (older answer, BAP would not tell).
    pub groups_unknown: Option<String>,
    /// The older schema has neither `securityGroupId` nor `connectedGroupId`: absent is not
    /// "none", so the groups are still to be learned (from BAP).
    pub groups_absent: bool,
}

impl WireEnvironment {
    /// None when the row has no id: there is nothing to show it by.
    pub fn from_row(row: &Value) -> Option<WireEnvironment> {
        let m = row.as_object()?;
        let id = m.get("id")?.as_str().filter(|s| !s.trim().is_empty())?;
        let mut w = WireEnvironment {
            id: id.to_string(),
            groups_absent: !m.contains_key("securityGroupId")
                && !m.contains_key("connectedGroupId"),
            ..Default::default()
        };
        let mut text = |key: &str, label: &'static str| match m.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                w.unread.push(label);
                None
            }
        };
        let display_name = text("displayName", "name");
        let kind = text("type", "type");
        let geo = text("geo", "geo");
        let azure_region = text("azureRegion", "region");
        let url = text("url", "environment URL");
        let dataverse_id = text("dataverseId", "organization id");
        let version = text("version", "version");
        let state = text("state", "state");
        let security_group_id = text("securityGroupId", "security group");
        let connected_group_id = text("connectedGroupId", "team group");
        let created = text("createdDateTime", "created date");
        w.display_name = display_name;
        w.kind = kind;
        w.geo = geo;
        w.azure_region = azure_region;
        w.url = url;
        w.dataverse_id = dataverse_id;
        w.version = version;
        w.state = state;
        w.security_group_id = security_group_id.filter(|g| !is_no_group(g));
        w.connected_group_id = connected_group_id.filter(|g| !is_no_group(g));
        w.created_date_time = created.and_then(|c| {
            let t = read_time(&c);
            if t.is_none() {
                w.unread.push("created date");
            }
            t
        });
        Some(w)
    }
}

/// Absent, empty or the all-zero GUID all mean "no group" (contract §8).
pub(crate) fn is_no_group(id: &str) -> bool {
    let id = id.trim();
    id.is_empty() || id.chars().all(|c| c == '0' || c == '-')
}

/// RFC 3339, or the same without a zone (.NET's unspecified kind; the service keeps UTC).
fn read_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// An OData page. The Power Platform API spells the link `@odata.nextlink` (as documented),
/// Graph and Dataverse `@odata.nextLink`.
#[derive(Deserialize)]
struct Page<T> {
    value: Vec<T>,
    #[serde(
        default,
        rename = "@odata.nextLink",
        alias = "@odata.nextlink",
        alias = "nextLink"
    )]
    next_link: Option<String>,
}

pub(crate) async fn get(
    http: &Http,
    url: &str,
    token: &dyn TokenSource,
    headers: &[(&'static str, String)],
) -> Result<Answer, ServiceError> {
    http.send(Call {
        method: Method::GET,
        url,
        token,
        body: None,
        headers,
        idempotent: true,
    })
    .await
}

/// Every page of a list from `url` on. A next link is followed only on the service it came
/// from (`base`): the token never goes elsewhere (`odata::next_page`).
pub(crate) async fn pages<T: DeserializeOwned>(
    http: &Http,
    mut url: String,
    base: &str,
    token: &dyn TokenSource,
    headers: &[(&'static str, String)],
) -> Result<Vec<T>, ServiceError> {
    let mut out = Vec::new();
    for _ in 0..MAX_PAGES {
        let answer = get(http, &url, token, headers).await?;
        let page: Page<T> = answer.json()?;
        out.extend(page.value);
        match page.next_link {
            Some(next) => {
                url = odata::next_page(base, &url, &next)
                    .ok_or_else(|| odata::link_elsewhere(answer.correlation_id.clone()))?
            }
            None => break,
        }
    }
    Ok(out)
}

pub(crate) struct PowerPlatform<'a> {
    pub http: &'a Http,
    pub base: &'a Url,
    pub token: &'a dyn TokenSource,
}

impl PowerPlatform<'_> {
    /// Every environment listed, and how many rows could not be read at all (no id).
    pub async fn environments(&self) -> Result<(Vec<WireEnvironment>, u32), ServiceError> {
        let url = CloudProfile::join(
            self.base,
            &format!("environmentmanagement/environments?api-version={PP_API_VERSION}"),
        );
        let rows: Vec<Value> = pages(self.http, url, self.base.as_str(), self.token, &[]).await?;
        let mut out = Vec::with_capacity(rows.len());
        let mut unreadable = 0;
        for row in &rows {
            match WireEnvironment::from_row(row) {
                Some(w) => out.push(w),
                None => unreadable += 1,
            }
        }
        if unreadable > 0 {
            tracing::warn!(unreadable, "environment rows without an id were left out");
        }
        Ok((out, unreadable))
    }

    pub async fn environment(&self, id: &str) -> Result<WireEnvironment, ServiceError> {
        let url = CloudProfile::join(
            self.base,
            &format!("environmentmanagement/environments/{id}?api-version={PP_API_VERSION}"),
        );
        let answer = get(self.http, &url, self.token, &[]).await?;
        let row: Value = answer.json()?;
        WireEnvironment::from_row(&row).ok_or_else(|| {
            let mut e = ServiceError::new(
                crate::clients::http::ServiceErrorKind::Malformed,
                "unexpected answer: the environment has no id",
            );
            e.correlation_id = answer.correlation_id.clone();
            e
        })
    }

    /// Idempotent by Microsoft's word (already System Administrator → the same success), so
    /// the http layer may send it again after a dropped connection or a 5xx. `version` is the
    /// caller's choice: the service has refused each documented one at some point.
    pub async fn apply_admin_role(&self, id: &str, version: &str) -> Result<Answer, ServiceError> {
        let url = CloudProfile::join(
            self.base,
            &format!("usermanagement/environments/{id}/user/applyAdminRole?api-version={version}"),
        );
        self.http
            .send(Call {
                method: Method::POST,
                url: &url,
                token: self.token,
                body: None,
                headers: &[],
                idempotent: true,
            })
            .await
    }
}

/// A systemuser with the System Administrator role (any business unit's copy).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireSystemUser {
    pub systemuserid: String,
    #[serde(default)]
    pub fullname: Option<String>,
    #[serde(default)]
    pub domainname: Option<String>,
    #[serde(default)]
    pub azureactivedirectoryobjectid: Option<String>,
    #[serde(default)]
    pub isdisabled: Option<bool>,
    #[serde(default)]
    pub applicationid: Option<String>,
    #[serde(default, rename = "_businessunitid_value")]
    pub business_unit_id: Option<String>,
    #[serde(default)]
    pub systemuserroles_association: Vec<WireRole>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireRole {
    #[serde(default)]
    pub roleid: Option<String>,
    #[serde(default, rename = "_roletemplateid_value")]
    pub template_id: Option<String>,
}

/// A team holding a System Administrator copy (contract part 2 §7), with its members as
/// Dataverse lists them (for an Entra group team: only those who opened the environment).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireTeam {
    pub teamid: String,
    #[serde(default)]
    pub name: Option<String>,
    /// 0 Owner, 1 Access, 2 Entra security group, 3 Microsoft 365 group.
    #[serde(default)]
    pub teamtype: Option<i64>,
    /// 0 Members and guests, 1 Members, 2 Owners, 3 Guests.
    #[serde(default)]
    pub membershiptype: Option<i64>,
    #[serde(default)]
    pub azureactivedirectoryobjectid: Option<String>,
    #[serde(default)]
    pub teamroles_association: Vec<WireRole>,
    #[serde(default)]
    pub teammembership_association: Vec<WireSystemUser>,
}

impl WireTeam {
    /// The team's System Administrator copy, if it holds one.
    pub fn sysadmin_role(&self) -> Option<&WireRole> {
        self.teamroles_association.iter().find(|r| {
            r.template_id
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case(SYSTEM_ADMINISTRATOR_TEMPLATE))
        })
    }

    /// An Entra group team: its members come from the group at run time.
    pub fn group(&self) -> Option<&str> {
        matches!(self.teamtype, Some(2 | 3))
            .then_some(self.azureactivedirectoryobjectid.as_deref())
            .flatten()
            .filter(|g| !is_no_group(g))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WireBusinessUnit {
    pub businessunitid: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Clone)]
pub(crate) struct Dataverse<'a> {
    pub http: &'a Http,
    /// `https://org.crm.dynamics.com/api/data/v9.2/`
    pub api: String,
    pub token: &'a dyn TokenSource,
}

impl<'a> Dataverse<'a> {
    /// `instance` is the environment URL (`https://org.crm.dynamics.com/`).
    pub fn new(http: &'a Http, instance: &str, token: &'a dyn TokenSource) -> Self {
        Self {
            http,
            api: format!("{}/api/data/v9.2/", instance.trim_end_matches('/')),
            token,
        }
    }

    async fn list<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, ServiceError> {
        let headers = [
            ("OData-MaxVersion", "4.0".to_string()),
            ("OData-Version", "4.0".to_string()),
            ("Prefer", "odata.maxpagesize=5000".to_string()),
        ];
        let url = format!("{}{path}", self.api);
        pages(self.http, url, &self.api, self.token, &headers).await
    }

    /// Everyone holding System Administrator, in any business unit.
    pub async fn administrators(&self) -> Result<Vec<WireSystemUser>, ServiceError> {
        self.list(&format!(
            "systemusers?$select=systemuserid,fullname,domainname,azureactivedirectoryobjectid,isdisabled,applicationid,_businessunitid_value&$filter=systemuserroles_association/any(r:r/_roletemplateid_value%20eq%20{SYSTEM_ADMINISTRATOR_TEMPLATE})"
        ))
        .await
    }

    /// Like `administrators`, with the role copies each holds (for removal).
    pub async fn holders(&self) -> Result<Vec<WireSystemUser>, ServiceError> {
        self.list(&format!(
            "systemusers?$select=systemuserid,fullname,domainname,azureactivedirectoryobjectid,isdisabled,applicationid,_businessunitid_value&$filter=systemuserroles_association/any(r:r/_roletemplateid_value%20eq%20{SYSTEM_ADMINISTRATOR_TEMPLATE})&$expand=systemuserroles_association($select=roleid,_roletemplateid_value)"
        ))
        .await
    }

    /// Teams holding System Administrator (any business unit's copy), with their members.
    pub async fn sysadmin_teams(&self) -> Result<Vec<WireTeam>, ServiceError> {
        self.list(&format!(
            "teams?$select=teamid,name,teamtype,membershiptype,azureactivedirectoryobjectid,_businessunitid_value&$filter=teamroles_association/any(r:r/_roletemplateid_value%20eq%20{SYSTEM_ADMINISTRATOR_TEMPLATE})&$expand=teamroles_association($select=roleid,_roletemplateid_value),teammembership_association($select=systemuserid,fullname,domainname,azureactivedirectoryobjectid,isdisabled,applicationid,_businessunitid_value)"
        ))
        .await
    }

    pub async fn business_units(&self) -> Result<Vec<WireBusinessUnit>, ServiceError> {
        self.list("businessunits?$select=businessunitid,name").await
    }

    /// Takes the role copy from the user (204; Dataverse answers the same when it was not linked).
    pub async fn unlink(&self, system_user_id: &str, role_id: &str) -> Result<(), ServiceError> {
        let url = format!(
            "{}systemusers({system_user_id})/systemuserroles_association({role_id})/$ref",
            self.api
        );
        self.send(Method::DELETE, &url, None).await
    }

    /// Whether the user holds the role copy now: what a removal or restore whose answer was
    /// lost did (`None` when the user is no longer in the environment).
    pub async fn holds(
        &self,
        system_user_id: &str,
        role_id: &str,
    ) -> Result<Option<bool>, ServiceError> {
        let users: Vec<WireSystemUser> = self
            .list(&format!(
                "systemusers?$select=systemuserid&$filter=systemuserid%20eq%20{system_user_id}&$expand=systemuserroles_association($select=roleid)"
            ))
            .await?;
        Ok(users.first().map(|u| {
            u.systemuserroles_association.iter().any(|r| {
                r.roleid
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(role_id))
            })
        }))
    }

    /// Gives the role copy back (rollback).
    pub async fn link(&self, system_user_id: &str, role_id: &str) -> Result<(), ServiceError> {
        let url = format!(
            "{}systemusers({system_user_id})/systemuserroles_association/$ref",
            self.api
        );
        let body = json!({ "@odata.id": format!("{}roles({role_id})", self.api) });
        self.send(Method::POST, &url, Some(&body)).await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(), ServiceError> {
        let headers = [
            ("OData-MaxVersion", "4.0".to_string()),
            ("OData-Version", "4.0".to_string()),
        ];
        self.http
            .send(Call {
                method,
                url,
                token: self.token,
                body,
                headers: &headers,
                // Both are idempotent in Dataverse: sending one again changes nothing.
                idempotent: true,
            })
            .await
            .map(|_| ())
    }

    /// The caller's own record with its roles: answers "already System Administrator?".
    pub async fn me(&self, oid: &str) -> Result<Option<WireSystemUser>, ServiceError> {
        let users: Vec<WireSystemUser> = self
            .list(&format!(
                "systemusers?$select=systemuserid,isdisabled&$filter=azureactivedirectoryobjectid%20eq%20{oid}&$expand=systemuserroles_association($select=roleid,_roletemplateid_value)"
            ))
            .await?;
        Ok(users.into_iter().next())
    }
}

impl WireSystemUser {
    pub fn is_system_administrator(&self) -> bool {
        !self.isdisabled.unwrap_or(false)
            && self.systemuserroles_association.iter().any(|r| {
                r.template_id
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(SYSTEM_ADMINISTRATOR_TEMPLATE))
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GraphUser {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub user_type: Option<String>,
}

pub(crate) struct Groups<'a> {
    pub http: &'a Http,
    pub graph: &'a Url,
    pub token: &'a dyn TokenSource,
}

impl Groups<'_> {
    pub async fn name(&self, id: &str) -> Result<Option<String>, ServiceError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct G {
            display_name: Option<String>,
        }
        let url = CloudProfile::join(
            self.graph,
            &format!("v1.0/groups/{id}?$select=id,displayName"),
        );
        let g: G = get(self.http, &url, self.token, &[]).await?.json()?;
        Ok(g.display_name)
    }

    /// The users of a group (transitively), as Entra has them now.
    pub async fn members(&self, id: &str) -> Result<Vec<GraphUser>, ServiceError> {
        let url = CloudProfile::join(
            self.graph,
            &format!("v1.0/groups/{id}/transitiveMembers/microsoft.graph.user?$select=id,displayName,userPrincipalName,userType"),
        );
        pages(self.http, url, self.graph.as_str(), self.token, &[]).await
    }

    /// Which of `ids` the signed-in user is a member of (transitively).
    pub async fn member_of(&self, ids: &[String]) -> Result<Vec<String>, ServiceError> {
        let url = CloudProfile::join(self.graph, "v1.0/me/checkMemberGroups");
        let mut out = Vec::new();
        for chunk in ids.chunks(MAX_GROUP_IDS) {
            let body = json!({ "groupIds": chunk });
            let answer = self
                .http
                .send(Call {
                    method: Method::POST,
                    url: &url,
                    token: self.token,
                    body: Some(&body),
                    headers: &[],
                    idempotent: true,
                })
                .await?;
            let v: Page<Value> = answer.json()?;
            out.extend(
                v.value
                    .into_iter()
                    .filter_map(|x| x.as_str().map(str::to_ascii_lowercase)),
            );
        }
        Ok(out)
    }
}
