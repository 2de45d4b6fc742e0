//! Settings → Check connection: every host Elevate needs for the tenant in use — the one
//! signed in to, else the organization in Settings, else the demo tenant when it runs — and
//! for one Dataverse environment once the Environments page has listed one.

use url::Url;

use crate::api::{CheckResult, ConnectivityCheck, ConnectivityReport, TenantKind};
use crate::clients::network::connectivity::{check_all, describe_proxy, Probe};
use crate::cloud::CloudProfile;
use crate::Elevate;

impl Elevate {
    pub async fn check_connectivity(&self) -> ConnectivityReport {
        let (profile, tenant) = self.profile_to_check().await;
        let mut probes = vec![
            probe(
                "Sign-in (Microsoft Entra ID)",
                &CloudProfile::join(
                    &profile.authority,
                    &format!("{tenant}/v2.0/.well-known/openid-configuration"),
                ),
            ),
            probe(
                "Microsoft Graph (roles and PIM)",
                &CloudProfile::join(&profile.graph, "v1.0/"),
            ),
            probe(
                "Power Platform API (Add me)",
                &CloudProfile::join(&profile.powerplatform, ""),
            ),
            probe(
                "Power Platform admin API (BAP)",
                &CloudProfile::join(&profile.bap, ""),
            ),
        ];
        let dataverse = self.environments.envs.known_environment_url();
        if let Some(url) = &dataverse {
            probes.push(probe(
                "Dataverse (one of your environments)",
                &CloudProfile::join(url, "api/data/v9.2/"),
            ));
        }
        let probes: Vec<Probe> = probes.into_iter().flatten().collect();
        let shared = self.ctx.http.shared();
        let config = shared.config();
        let mut checks = check_all(&config, &shared.client(), probes).await;
        if dataverse.is_none() {
            checks.push(ConnectivityCheck {
                service: "Dataverse (one of your environments)".into(),
                host: String::new(),
                result: CheckResult::Skipped,
                stage: None,
                message: "Not checked yet: open Environments once so Elevate knows the address of one of your environments, then check again.".into(),
                detail: None,
            });
        }
        ConnectivityReport {
            proxy: describe_proxy(&config),
            checks,
        }
    }

    async fn profile_to_check(&self) -> (CloudProfile, String) {
        if let Some(t) = self.broker().target() {
            return (t.profile, t.tenant);
        }
        let s = self.settings_store().load();
        if !s.tenant_id.is_empty() {
            return (CloudProfile::for_cloud(s.cloud), s.tenant_id);
        }
        if self.demo_tenant().base_url().is_some() {
            if let Ok(t) = self.target_for(TenantKind::Demo).await {
                return (t.profile, t.tenant);
            }
        }
        (CloudProfile::for_cloud(s.cloud), "organizations".into())
    }
}

fn probe(service: &str, url: &str) -> Option<Probe> {
    Some(Probe {
        service: service.into(),
        url: Url::parse(url).ok()?,
    })
}
