//! Where each Microsoft service lives. Public clouds use the real hosts; the demo tenant
//! uses the emulator's endpoints. Resource identifiers (what a token is *for*) stay the
//! real ones everywhere, as Entra knows them; only base URLs change.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::api::Cloud;

pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
pub const POWER_PLATFORM_RESOURCE: &str = "https://api.powerplatform.com";
pub const BAP_RESOURCE: &str = "https://service.powerapps.com/";

/// The base URLs of the services one tenant is reached through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudProfile {
    /// e.g. `https://login.microsoftonline.com` (the tenant is appended).
    pub authority: Url,
    pub graph: Url,
    pub powerplatform: Url,
    pub bap: Url,
}

impl CloudProfile {
    pub fn for_cloud(cloud: Cloud) -> Self {
        let (authority, graph, pp, bap) = match cloud {
            Cloud::Public => (
                "https://login.microsoftonline.com",
                "https://graph.microsoft.com",
                "https://api.powerplatform.com",
                "https://api.bap.microsoft.com",
            ),
            Cloud::UsGovHigh => (
                "https://login.microsoftonline.us",
                "https://graph.microsoft.us",
                "https://api.high.powerplatform.microsoft.us",
                "https://high.api.bap.microsoft.us",
            ),
            Cloud::China => (
                "https://login.chinacloudapi.cn",
                "https://microsoftgraph.chinacloudapi.cn",
                "https://api.powerplatform.partner.microsoftonline.cn",
                "https://api.bap.partner.microsoftonline.cn",
            ),
        };
        Self {
            authority: parse(authority),
            graph: parse(graph),
            powerplatform: parse(pp),
            bap: parse(bap),
        }
    }

    /// The endpoints the demo tenant (emulator) reports at `/_emulator/endpoints`.
    pub fn from_emulator(e: &EmulatorEndpoints) -> Result<Self, url::ParseError> {
        Ok(Self {
            authority: Url::parse(&e.authority)?,
            graph: Url::parse(&e.graph)?,
            powerplatform: Url::parse(&e.powerplatform)?,
            bap: Url::parse(&e.bap)?,
        })
    }

    /// `{authority}/{tenant}/oauth2/v2.0/{endpoint}`
    pub fn oauth_endpoint(&self, tenant: &str, endpoint: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/{}",
            trim(&self.authority),
            tenant,
            endpoint
        )
    }

    /// A service URL with a path appended, keeping any path prefix of the base.
    pub fn join(base: &Url, path: &str) -> String {
        format!("{}/{}", trim(base), path.trim_start_matches('/'))
    }
}

/// The JSON the emulator serves at `/_emulator/endpoints`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmulatorEndpoints {
    pub authority: String,
    pub graph: String,
    pub powerplatform: String,
    pub bap: String,
    pub tenant_id: String,
    pub client_id: String,
}

fn trim(u: &Url) -> &str {
    u.as_str().trim_end_matches('/')
}

fn parse(s: &str) -> Url {
    Url::parse(s).expect("built-in cloud URLs are valid")
}

/// The `.default` scope of a resource: `https://graph.microsoft.com/.default`.
pub fn default_scope(resource: &str) -> String {
    format!("{}/.default", resource.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_endpoints_keep_path_prefixes() {
        let p = CloudProfile {
            authority: Url::parse("http://127.0.0.1:9/login").unwrap(),
            ..CloudProfile::for_cloud(Cloud::Public)
        };
        assert_eq!(
            p.oauth_endpoint("t", "token"),
            "http://127.0.0.1:9/login/t/oauth2/v2.0/token"
        );
        let public = CloudProfile::for_cloud(Cloud::Public);
        assert_eq!(
            public.oauth_endpoint("contoso.onmicrosoft.com", "authorize"),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
        );
        assert_eq!(
            CloudProfile::join(&public.graph, "/v1.0/me"),
            "https://graph.microsoft.com/v1.0/me"
        );
    }

    #[test]
    fn default_scope_drops_trailing_slash() {
        assert_eq!(
            default_scope(BAP_RESOURCE),
            "https://service.powerapps.com/.default"
        );
        assert_eq!(
            default_scope(GRAPH_RESOURCE),
            "https://graph.microsoft.com/.default"
        );
    }
}
