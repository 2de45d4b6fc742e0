//! The BAP admin API (contract §8): asked only for what the Power Platform API's older
//! answers leave out, an environment's security group and Teams group.

use serde_json::Value;
use url::Url;

use crate::clients::http::{Http, ServiceError, TokenSource};
use crate::clients::odata::{get, pages};
use crate::clients::power_platform::is_no_group;
use crate::cloud::CloudProfile;

const BAP_API_VERSION: &str = "2023-06-01";
const BAP_ENVIRONMENTS: &str = "providers/Microsoft.BusinessAppPlatform/scopes/admin/environments";

/// The groups the BAP admin API names for one environment (contract §8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BapGroups {
    pub security_group_id: Option<String>,
    pub connected_group_id: Option<String>,
}

impl BapGroups {
    fn from_row(row: &Value) -> Option<(String, BapGroups)> {
        let id = row.get("name")?.as_str()?.to_string();
        let props = row.get("properties");
        let text = |v: Option<&Value>| {
            v.and_then(Value::as_str)
                .filter(|g| !is_no_group(g))
                .map(str::to_string)
        };
        let security_group_id = text(
            props
                .and_then(|p| p.get("linkedEnvironmentMetadata"))
                .and_then(|l| l.get("securityGroupId")),
        );
        let connected_group_id = text(
            props
                .and_then(|p| p.get("connectedGroups"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|g| g.get("id")),
        );
        Some((
            id,
            BapGroups {
                security_group_id,
                connected_group_id,
            },
        ))
    }
}

/// The BAP admin API: only asked what the Power Platform API's older answers leave out.
pub(crate) struct Bap<'a> {
    pub http: &'a Http,
    pub base: &'a Url,
    pub token: &'a dyn TokenSource,
}

impl Bap<'_> {
    /// Every environment's groups, by environment id (lower-case); one call for the tenant.
    pub async fn groups(&self) -> Result<Vec<(String, BapGroups)>, ServiceError> {
        let url = CloudProfile::join(
            self.base,
            &format!("{BAP_ENVIRONMENTS}?api-version={BAP_API_VERSION}"),
        );
        let rows: Vec<Value> = pages(self.http, url, self.base.as_str(), self.token, &[]).await?;
        Ok(rows.iter().filter_map(BapGroups::from_row).collect())
    }

    /// One environment's groups; None when BAP does not know it.
    pub async fn groups_of(&self, id: &str) -> Result<Option<BapGroups>, ServiceError> {
        let url = CloudProfile::join(
            self.base,
            &format!("{BAP_ENVIRONMENTS}/{id}?api-version={BAP_API_VERSION}"),
        );
        match get(self.http, &url, self.token, &[]).await {
            Ok(answer) => Ok(BapGroups::from_row(&answer.json::<Value>()?).map(|(_, g)| g)),
            Err(e) if e.kind == crate::clients::http::ServiceErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
