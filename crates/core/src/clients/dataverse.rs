//! The Dataverse Web API of one environment: who holds System Administrator (users, teams),
//! business units, and taking the role copy away or giving it back.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::clients::http::{Call, Http, ServiceError, TokenSource};
use crate::clients::odata;
use crate::clients::power_platform::is_no_group;

/// The System Administrator role's template id: every business unit's copy carries it.
pub const SYSTEM_ADMINISTRATOR_TEMPLATE: &str = "627090ff-40a3-4053-8790-584edc5be201";

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
        odata::pages(self.http, url, &self.api, self.token, &headers).await
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
