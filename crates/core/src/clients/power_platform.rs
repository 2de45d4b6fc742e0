//! The Power Platform API: the environments list (flat `EnvironmentResponse`) and
//! `applyAdminRole`.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::Value;
use url::Url;

use crate::clients::http::{Answer, Call, Http, ServiceError, TokenSource};
use crate::clients::odata::{self, get};
use crate::cloud::CloudProfile;

const PP_API_VERSION: &str = "2024-10-01";

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
        let rows: Vec<Value> =
            odata::pages(self.http, url, self.base.as_str(), self.token, &[]).await?;
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
