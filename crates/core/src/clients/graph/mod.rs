//! Microsoft Graph: the directory calls (groups, their members, the signed-in user's
//! memberships) here, PIM for Entra roles in `pim`.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

use crate::clients::http::{Call, Http, ServiceError, TokenSource};
use crate::clients::odata;
use crate::cloud::CloudProfile;

pub mod pim;

/// Graph's limit of group ids per `checkMemberGroups` call.
const MAX_GROUP_IDS: usize = 20;

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
        let g: G = odata::get(self.http, &url, self.token, &[]).await?.json()?;
        Ok(g.display_name)
    }

    /// The users of a group (transitively), as Entra has them now.
    pub async fn members(&self, id: &str) -> Result<Vec<GraphUser>, ServiceError> {
        let url = CloudProfile::join(
            self.graph,
            &format!("v1.0/groups/{id}/transitiveMembers/microsoft.graph.user?$select=id,displayName,userPrincipalName,userType"),
        );
        odata::pages(self.http, url, self.graph.as_str(), self.token, &[]).await
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
            let v: odata::Page<Value> = answer.json()?;
            out.extend(
                v.value
                    .into_iter()
                    .filter_map(|x| x.as_str().map(str::to_ascii_lowercase)),
            );
        }
        Ok(out)
    }
}
