//! The cloud the emulator stands in for (contract part 2 §9). Its own addresses stay
//! `http://127.0.0.1:PORT/{login,graph,…}` (it cannot own `login.microsoftonline.us`), but
//! the resource ids are the cloud's: a GCC High tenant issues tokens for
//! `https://graph.microsoft.us`, and its services refuse a token for another cloud's
//! audience, as the real ones do.
//!
//! Scenarios name consent by the public ids (`https://graph.microsoft.com`, …); a cloud's
//! own id is looked up under its public counterpart.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum CloudName {
    #[default]
    Public,
    /// US Government GCC (Moderate).
    UsGov,
    UsGovHigh,
    UsGovDod,
    /// China (21Vianet).
    China,
}

pub const ALL: [CloudName; 5] = [
    CloudName::Public,
    CloudName::UsGov,
    CloudName::UsGovHigh,
    CloudName::UsGovDod,
    CloudName::China,
];

/// What one cloud's tokens are for, and the names its discovery document gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cloud {
    pub graph: &'static str,
    pub powerplatform: &'static str,
    pub bap: &'static str,
    /// Discovery's `cloud_instance_name` and `msgraph_host`.
    pub instance_name: &'static str,
    pub msgraph_host: &'static str,
}

/// The public ids, which scenarios use as consent keys.
pub const PUBLIC: Cloud = Cloud {
    graph: "https://graph.microsoft.com",
    powerplatform: "https://api.powerplatform.com",
    bap: "https://service.powerapps.com/",
    instance_name: "microsoftonline.com",
    msgraph_host: "graph.microsoft.com",
};

impl CloudName {
    pub fn ids(self) -> Cloud {
        match self {
            CloudName::Public => PUBLIC,
            CloudName::UsGov => Cloud {
                powerplatform: "https://api.gov.powerplatform.microsoft.us",
                bap: "https://service.powerapps.us/",
                ..PUBLIC
            },
            CloudName::UsGovHigh => Cloud {
                graph: "https://graph.microsoft.us",
                powerplatform: "https://api.high.powerplatform.microsoft.us",
                bap: "https://high.service.apps.appsplatform.us/",
                instance_name: "microsoftonline.us",
                msgraph_host: "graph.microsoft.us",
            },
            CloudName::UsGovDod => Cloud {
                graph: "https://dod-graph.microsoft.us",
                powerplatform: "https://api.appsplatform.us",
                bap: "https://service.apps.appsplatform.us/",
                instance_name: "microsoftonline.us",
                msgraph_host: "dod-graph.microsoft.us",
            },
            CloudName::China => Cloud {
                graph: "https://microsoftgraph.chinacloudapi.cn",
                powerplatform: "https://api.powerplatform.partner.microsoftonline.cn",
                bap: "https://service.powerapps.cn/",
                instance_name: "partner.microsoftonline.cn",
                msgraph_host: "microsoftgraph.chinacloudapi.cn",
            },
        }
    }
}

impl Cloud {
    fn pairs(&self) -> [(&'static str, &'static str); 3] {
        [
            (self.graph, PUBLIC.graph),
            (self.powerplatform, PUBLIC.powerplatform),
            (self.bap, PUBLIC.bap),
        ]
    }

    /// For a resource id of this cloud: the scenario's consent key and the token's `aud`.
    pub fn own(&self, resource: &str) -> Option<(&'static str, &'static str)> {
        self.pairs()
            .into_iter()
            .find(|(own, _)| same(own, resource))
            .map(|(own, public)| (public, own))
    }
}

/// A first-party resource id of some cloud (used to refuse another cloud's resource).
pub fn any_cloud_resource(resource: &str) -> bool {
    ALL.iter()
        .any(|c| c.ids().pairs().iter().any(|(own, _)| same(own, resource)))
}

/// Ids compare without a trailing slash and case, as Entra and the services do.
pub fn same(a: &str, b: &str) -> bool {
    a.trim_end_matches('/')
        .eq_ignore_ascii_case(b.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clouds_own_ids_map_to_the_public_consent_keys() {
        let high = CloudName::UsGovHigh.ids();
        assert_eq!(
            high.own("https://graph.microsoft.us/"),
            Some(("https://graph.microsoft.com", "https://graph.microsoft.us"))
        );
        assert_eq!(high.own("https://graph.microsoft.com"), None);
        assert!(any_cloud_resource("https://graph.microsoft.com"));
        // GCC keeps the worldwide Graph but not the worldwide Power Platform API.
        let gcc = CloudName::UsGov.ids();
        assert!(gcc.own("https://graph.microsoft.com").is_some());
        assert!(gcc.own("https://api.powerplatform.com").is_none());
    }
}
