//! Where each Microsoft service lives, per cloud (contract part 2 §9): the hosts Elevate
//! calls and the resource ids its tokens are for. Public and GCC sign in at
//! `login.microsoftonline.com`; GCC High and DoD at `login.microsoftonline.us`; China
//! (21Vianet) at `login.chinacloudapi.cn`. The demo tenant (emulator) stands in for the hosts
//! but not for the resource ids: those follow the cloud it emulates.
//!
//! The rest of the core names a service by its public-cloud resource id (`GRAPH_RESOURCE`,
//! …); `CloudProfile::resource_id` turns that into the id of the tenant's cloud when a token
//! is asked for, so a GCC High token is for `https://graph.microsoft.us`, never `.com`.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::api::Cloud;

pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
pub const POWER_PLATFORM_RESOURCE: &str = "https://api.powerplatform.com";
pub const BAP_RESOURCE: &str = "https://service.powerapps.com/";

/// One row of contract part 2 §9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudHosts {
    pub authority: &'static str,
    pub graph: &'static str,
    pub powerplatform: &'static str,
    pub bap: &'static str,
    /// What a BAP token is for (its `.default` scope without the suffix).
    pub bap_resource: &'static str,
    /// Dataverse environments are `https://{org}.{suffix}` (Public adds a region digit:
    /// `crm4.dynamics.com`); their tokens are for the environment URL itself.
    pub dataverse_suffix: &'static str,
    pub global_discovery: &'static str,
}

impl CloudHosts {
    pub fn of(cloud: Cloud) -> CloudHosts {
        match cloud {
            Cloud::Public => CloudHosts {
                authority: "login.microsoftonline.com",
                graph: "graph.microsoft.com",
                powerplatform: "api.powerplatform.com",
                bap: "api.bap.microsoft.com",
                bap_resource: "https://service.powerapps.com/",
                dataverse_suffix: "dynamics.com",
                global_discovery: "globaldisco.crm.dynamics.com",
            },
            // "If you're working in a Microsoft 365 GCC environment, continue using the
            // worldwide endpoints" (Entra, Graph); Power Platform has its own government hosts.
            Cloud::UsGov => CloudHosts {
                authority: "login.microsoftonline.com",
                graph: "graph.microsoft.com",
                powerplatform: "api.gov.powerplatform.microsoft.us",
                bap: "gov.api.bap.microsoft.us",
                bap_resource: "https://service.powerapps.us/",
                dataverse_suffix: "crm9.dynamics.com",
                global_discovery: "globaldisco.crm9.dynamics.com",
            },
            // PP API host: the contract prefers Microsoft's own mapping over tf-pp's constant
            // (UNCONFIRMED, §9 note).
            Cloud::UsGovHigh => CloudHosts {
                authority: "login.microsoftonline.us",
                graph: "graph.microsoft.us",
                powerplatform: "api.high.powerplatform.microsoft.us",
                bap: "high.api.bap.microsoft.us",
                bap_resource: "https://high.service.apps.appsplatform.us/",
                dataverse_suffix: "crm.microsoftdynamics.us",
                global_discovery: "globaldisco.crm.microsoftdynamics.us",
            },
            Cloud::UsGovDod => CloudHosts {
                authority: "login.microsoftonline.us",
                graph: "dod-graph.microsoft.us",
                powerplatform: "api.appsplatform.us",
                bap: "api.bap.appsplatform.us",
                bap_resource: "https://service.apps.appsplatform.us/",
                dataverse_suffix: "crm.appsplatform.us",
                global_discovery: "globaldisco.crm.appsplatform.us",
            },
            Cloud::China => CloudHosts {
                authority: "login.chinacloudapi.cn",
                graph: "microsoftgraph.chinacloudapi.cn",
                powerplatform: "api.powerplatform.partner.microsoftonline.cn",
                bap: "api.bap.partner.microsoftonline.cn",
                bap_resource: "https://service.powerapps.cn/",
                dataverse_suffix: "crm.dynamics.cn",
                global_discovery: "globaldisco.crm.dynamics.cn",
            },
        }
    }
}

/// The resource ids (token audiences) of one cloud's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudResources {
    pub graph: String,
    pub powerplatform: String,
    pub bap: String,
}

impl CloudResources {
    pub fn of(cloud: Cloud) -> Self {
        let h = CloudHosts::of(cloud);
        Self {
            graph: format!("https://{}", h.graph),
            powerplatform: format!("https://{}", h.powerplatform),
            bap: h.bap_resource.to_string(),
        }
    }
}

/// The base URLs of the services one tenant is reached through, and what its tokens are for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudProfile {
    pub cloud: Cloud,
    /// e.g. `https://login.microsoftonline.com` (the tenant is appended).
    pub authority: Url,
    pub graph: Url,
    pub powerplatform: Url,
    pub bap: Url,
    pub resources: CloudResources,
}

impl CloudProfile {
    pub fn for_cloud(cloud: Cloud) -> Self {
        let h = CloudHosts::of(cloud);
        let https = |host: &str| parse(&format!("https://{host}"));
        Self {
            cloud,
            authority: https(h.authority),
            graph: https(h.graph),
            powerplatform: https(h.powerplatform),
            bap: https(h.bap),
            resources: CloudResources::of(cloud),
        }
    }

    /// The endpoints the demo tenant (emulator) reports at `/_emulator/endpoints`: its own
    /// addresses for the hosts, the emulated cloud's ids for the resources.
    pub fn from_emulator(e: &EmulatorEndpoints) -> Result<Self, url::ParseError> {
        Ok(Self {
            cloud: e.cloud,
            authority: Url::parse(&e.authority)?,
            graph: Url::parse(&e.graph)?,
            powerplatform: Url::parse(&e.powerplatform)?,
            bap: Url::parse(&e.bap)?,
            resources: CloudResources::of(e.cloud),
        })
    }

    /// The id of `resource` in this cloud: the public ids the core names services by become
    /// this cloud's; anything else (a Dataverse environment URL) is already the cloud's own.
    pub fn resource_id(&self, resource: &str) -> String {
        let same = |a: &str, b: &str| {
            a.trim_end_matches('/')
                .eq_ignore_ascii_case(b.trim_end_matches('/'))
        };
        if same(resource, GRAPH_RESOURCE) {
            self.resources.graph.clone()
        } else if same(resource, POWER_PLATFORM_RESOURCE) {
            self.resources.powerplatform.clone()
        } else if same(resource, BAP_RESOURCE) {
            self.resources.bap.clone()
        } else {
            resource.to_string()
        }
    }

    /// The `.default` scope a token for `resource` is asked with, in this cloud.
    pub fn default_scope(&self, resource: &str) -> String {
        default_scope(&self.resource_id(resource))
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
    /// The cloud whose resource ids the emulator issues and accepts tokens for.
    #[serde(default)]
    pub cloud: Cloud,
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

    /// Contract part 2 §9, row by row, written out from the table (not from the code):
    /// cloud, authority, graph, PP API, BAP, BAP scope, Dataverse suffix, discovery.
    #[allow(clippy::type_complexity)]
    const CONTRACT: [(Cloud, &str, &str, &str, &str, &str, &str, &str); 5] = [
        (
            Cloud::Public,
            "login.microsoftonline.com",
            "graph.microsoft.com",
            "api.powerplatform.com",
            "api.bap.microsoft.com",
            "https://service.powerapps.com/.default",
            "dynamics.com",
            "globaldisco.crm.dynamics.com",
        ),
        (
            Cloud::UsGov,
            "login.microsoftonline.com",
            "graph.microsoft.com",
            "api.gov.powerplatform.microsoft.us",
            "gov.api.bap.microsoft.us",
            "https://service.powerapps.us/.default",
            "crm9.dynamics.com",
            "globaldisco.crm9.dynamics.com",
        ),
        (
            Cloud::UsGovHigh,
            "login.microsoftonline.us",
            "graph.microsoft.us",
            "api.high.powerplatform.microsoft.us",
            "high.api.bap.microsoft.us",
            "https://high.service.apps.appsplatform.us/.default",
            "crm.microsoftdynamics.us",
            "globaldisco.crm.microsoftdynamics.us",
        ),
        (
            Cloud::UsGovDod,
            "login.microsoftonline.us",
            "dod-graph.microsoft.us",
            "api.appsplatform.us",
            "api.bap.appsplatform.us",
            "https://service.apps.appsplatform.us/.default",
            "crm.appsplatform.us",
            "globaldisco.crm.appsplatform.us",
        ),
        (
            Cloud::China,
            "login.chinacloudapi.cn",
            "microsoftgraph.chinacloudapi.cn",
            "api.powerplatform.partner.microsoftonline.cn",
            "api.bap.partner.microsoftonline.cn",
            "https://service.powerapps.cn/.default",
            "crm.dynamics.cn",
            "globaldisco.crm.dynamics.cn",
        ),
    ];

    #[test]
    fn every_cloud_has_the_contract_hosts_and_scopes() {
        let table = CONTRACT;
        assert_eq!(table.len(), Cloud::ALL.len(), "every cloud is in the table");
        for (cloud, login, graph, pp, bap, bap_scope, dataverse, disco) in table {
            let p = CloudProfile::for_cloud(cloud);
            let host = |u: &Url| u.host_str().unwrap().to_string();
            assert_eq!(host(&p.authority), login, "{cloud:?}");
            assert_eq!(host(&p.graph), graph, "{cloud:?}");
            assert_eq!(host(&p.powerplatform), pp, "{cloud:?}");
            assert_eq!(host(&p.bap), bap, "{cloud:?}");
            assert_eq!(
                p.default_scope(GRAPH_RESOURCE),
                format!("https://{graph}/.default"),
                "{cloud:?}"
            );
            assert_eq!(
                p.default_scope(POWER_PLATFORM_RESOURCE),
                format!("https://{pp}/.default"),
                "{cloud:?}"
            );
            assert_eq!(p.default_scope(BAP_RESOURCE), bap_scope, "{cloud:?}");
            let h = CloudHosts::of(cloud);
            assert_eq!(h.dataverse_suffix, dataverse, "{cloud:?}");
            assert_eq!(h.global_discovery, disco, "{cloud:?}");
            // A Dataverse token is for the environment itself, in every cloud.
            let org = format!("https://contoso.{dataverse}");
            assert_eq!(p.default_scope(&org), format!("{org}/.default"));
            assert!(p
                .oauth_endpoint("t", "token")
                .starts_with(&format!("https://{login}/t/")));
        }
    }

    #[test]
    fn the_demo_tenant_keeps_its_addresses_but_takes_the_clouds_resource_ids() {
        let e = EmulatorEndpoints {
            authority: "http://127.0.0.1:9/login".into(),
            graph: "http://127.0.0.1:9/graph".into(),
            powerplatform: "http://127.0.0.1:9/powerplatform".into(),
            bap: "http://127.0.0.1:9/bap".into(),
            tenant_id: "t".into(),
            client_id: "c".into(),
            cloud: Cloud::UsGovHigh,
        };
        let p = CloudProfile::from_emulator(&e).unwrap();
        assert_eq!(p.graph.as_str(), "http://127.0.0.1:9/graph");
        assert_eq!(
            p.default_scope(GRAPH_RESOURCE),
            "https://graph.microsoft.us/.default"
        );
        // An emulator that predates clouds reports none: Public.
        let old: EmulatorEndpoints = serde_json::from_value(serde_json::json!({
            "authority": "http://x/login", "graph": "http://x/graph", "powerplatform": "http://x/pp",
            "bap": "http://x/bap", "tenantId": "t", "clientId": "c"
        }))
        .unwrap();
        assert_eq!(old.cloud, Cloud::Public);
    }
}
