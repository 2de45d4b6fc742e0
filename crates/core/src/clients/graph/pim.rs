//! The Graph v1.0 calls of PIM for Entra roles (contract §2), as wire shapes. No decisions
//! here: `roles::*` turns these into what the screens show.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::clients::http::{Answer, Call, Http, ServiceError, TokenSource};
use crate::clients::odata::{self, GraphPage};
use crate::cloud::CloudProfile;

const ROLE_MGMT: &str = "v1.0/roleManagement/directory";

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub template_id: Option<String>,
    /// False for a custom role: tokens' `wids` never carry those.
    #[serde(default)]
    pub is_built_in: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityInstance {
    pub principal_id: String,
    pub role_definition_id: String,
    #[serde(default)]
    pub directory_scope_id: Option<String>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub member_type: Option<String>,
    #[serde(default)]
    pub role_definition: Option<RoleDefinition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentInstance {
    pub role_definition_id: String,
    #[serde(default)]
    pub directory_scope_id: Option<String>,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub assignment_type: Option<String>,
    #[serde(default)]
    pub member_type: Option<String>,
    #[serde(default)]
    pub role_definition: Option<RoleDefinition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expiration {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub duration: Option<String>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleInfo {
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expiration: Option<Expiration>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketInfo {
    #[serde(default)]
    pub ticket_number: Option<String>,
    #[serde(default)]
    pub ticket_system: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRequest {
    pub id: String,
    pub status: String,
    pub action: String,
    pub role_definition_id: String,
    pub created_date_time: DateTime<Utc>,
    #[serde(default)]
    pub directory_scope_id: Option<String>,
    #[serde(default)]
    pub role_definition: Option<RoleDefinition>,
    #[serde(default)]
    pub justification: Option<String>,
    #[serde(default)]
    pub schedule_info: Option<ScheduleInfo>,
    #[serde(default)]
    pub ticket_info: Option<TicketInfo>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyAssignment {
    pub role_definition_id: String,
    #[serde(default)]
    pub policy: Option<Policy>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Policy {
    #[serde(default)]
    pub rules: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One answer of `directoryObjects/getByIds`: a user, a group, an administrative unit…
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryObject {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// What to ask for in a `roleAssignmentScheduleRequests` POST.
#[derive(Debug, Clone)]
pub struct NewRequest<'a> {
    pub action: &'a str,
    pub principal_id: &'a str,
    pub role_id: &'a str,
    /// `/` or the eligibility's own scope, e.g. `/administrativeUnits/{id}`: PIM refuses
    /// any other.
    pub scope: &'a str,
    pub duration: Option<String>,
    pub justification: Option<&'a str>,
    pub ticket_number: Option<&'a str>,
    pub ticket_system: Option<&'a str>,
}

impl NewRequest<'_> {
    fn body(&self) -> serde_json::Value {
        let mut b = serde_json::json!({
            "action": self.action,
            "principalId": self.principal_id,
            "roleDefinitionId": self.role_id,
            "directoryScopeId": self.scope,
        });
        if let Some(j) = self.justification {
            b["justification"] = j.into();
        }
        if let Some(d) = &self.duration {
            b["scheduleInfo"] = serde_json::json!({
                "startDateTime": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "expiration": {"type": "AfterDuration", "duration": d},
            });
        }
        if self.ticket_number.is_some() || self.ticket_system.is_some() {
            b["ticketInfo"] = serde_json::json!({"ticketNumber": self.ticket_number, "ticketSystem": self.ticket_system});
        }
        b
    }
}

pub struct PimClient<'a> {
    pub http: &'a Http,
    pub graph: &'a Url,
    pub token: &'a dyn TokenSource,
}

impl PimClient<'_> {
    fn url(&self, path: &str) -> String {
        CloudProfile::join(self.graph, path)
    }

    async fn get(&self, url: &str) -> Result<Answer, ServiceError> {
        odata::get(self.http, url, self.token, &[]).await
    }

    async fn list<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, ServiceError> {
        Ok(self.list_dated(path).await?.0)
    }

    /// The list and the service's clock (its `Date` header) when the first page was served.
    async fn list_dated<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<(Vec<T>, Option<DateTime<Utc>>), ServiceError> {
        let list = odata::List {
            http: self.http,
            base: self.graph.as_str(),
            token: self.token,
            headers: &[],
            max_pages: odata::GRAPH_MAX_PAGES,
        };
        list.read::<T, GraphPage<T>>(self.url(path)).await
    }

    pub async fn eligibilities(&self) -> Result<Vec<EligibilityInstance>, ServiceError> {
        self.list(&format!("{ROLE_MGMT}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition")).await
    }

    pub async fn assignments(&self) -> Result<Vec<AssignmentInstance>, ServiceError> {
        self.list(&format!("{ROLE_MGMT}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition")).await
    }

    /// What is held now, with the service's clock: PIM's 5-minute minimum counts by its
    /// clock, not this computer's.
    pub async fn assignments_dated(
        &self,
    ) -> Result<(Vec<AssignmentInstance>, Option<DateTime<Utc>>), ServiceError> {
        self.list_dated(&format!("{ROLE_MGMT}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=roleDefinition")).await
    }

    pub async fn requests(&self) -> Result<Vec<ScheduleRequest>, ServiceError> {
        self.list(&format!(
            "{ROLE_MGMT}/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')?$expand=roleDefinition"
        ))
        .await
    }

    pub async fn request(&self, id: &str) -> Result<ScheduleRequest, ServiceError> {
        self.get(&self.url(&format!(
            "{ROLE_MGMT}/roleAssignmentScheduleRequests/{}",
            enc(id)
        )))
        .await?
        .json()
    }

    pub async fn policy(&self, role_id: &str) -> Result<Vec<PolicyAssignment>, ServiceError> {
        let filter = format!(
            "scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '{role_id}'"
        );
        self.list(&format!("v1.0/policies/roleManagementPolicyAssignments?$filter={}&$expand=policy($expand=rules)", enc(&filter))).await
    }

    pub async fn my_groups(&self) -> Result<Vec<Group>, ServiceError> {
        self.list("v1.0/me/transitiveMemberOf?$select=id,displayName")
            .await
    }

    /// Names for object ids (approvers, administrative units). Graph allows 1000 ids a call;
    /// ids it does not know are simply missing from the answer.
    pub async fn directory_objects(
        &self,
        ids: &[String],
        types: &[&str],
    ) -> Result<Vec<DirectoryObject>, ServiceError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(1000) {
            let body = serde_json::json!({"ids": chunk, "types": types});
            let url = self.url("v1.0/directoryObjects/getByIds");
            let page: GraphPage<DirectoryObject> = self
                .http
                .send(Call {
                    method: Method::POST,
                    url: &url,
                    token: self.token,
                    body: Some(&body),
                    headers: &[],
                    // A read: sending it twice changes nothing.
                    idempotent: true,
                })
                .await?
                .json()?;
            out.extend(page.value);
        }
        Ok(out)
    }

    /// Not idempotent: a retry after an unknown outcome could file a second request.
    pub async fn submit(&self, req: &NewRequest<'_>) -> Result<ScheduleRequest, ServiceError> {
        let body = req.body();
        let url = self.url(&format!("{ROLE_MGMT}/roleAssignmentScheduleRequests"));
        self.http
            .send(Call {
                method: Method::POST,
                url: &url,
                token: self.token,
                body: Some(&body),
                headers: &[],
                idempotent: false,
            })
            .await?
            .json()
    }

    pub async fn cancel(&self, id: &str) -> Result<(), ServiceError> {
        let url = self.url(&format!(
            "{ROLE_MGMT}/roleAssignmentScheduleRequests/{}/cancel",
            enc(id)
        ));
        self.http
            .send(Call {
                method: Method::POST,
                url: &url,
                token: self.token,
                body: None,
                headers: &[],
                idempotent: false,
            })
            .await
            .map(|_| ())
    }
}

/// Everyone's PIM schedule instances of one kind (the inventory's PIM column; needs a
/// reader role).
#[derive(Debug, Clone, Copy)]
pub(crate) enum TenantSchedules {
    Assignments,
    Eligibilities,
}

/// One person's instance of a directory role, as the tenant-wide lists give it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TenantInstance {
    pub principal_id: String,
    pub role_definition_id: String,
    #[serde(default)]
    pub assignment_type: Option<String>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

impl PimClient<'_> {
    pub(crate) async fn tenant_instances(
        &self,
        set: TenantSchedules,
    ) -> Result<Vec<TenantInstance>, ServiceError> {
        let set = match set {
            TenantSchedules::Assignments => "roleAssignmentScheduleInstances",
            TenantSchedules::Eligibilities => "roleEligibilityScheduleInstances",
        };
        let url = self.url(&format!("{ROLE_MGMT}/{set}"));
        odata::pages(self.http, url, self.graph.as_str(), self.token, &[]).await
    }
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
