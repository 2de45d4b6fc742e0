//! The security group and Teams group of environments the Power Platform API answered for in
//! its older schema (no `securityGroupId` / `connectedGroupId`): absent is not "none", so they
//! are read from the BAP admin API (contract §8). What neither can tell stays unknown, with why.

use std::collections::HashMap;

use super::Environments;
use crate::auth::AuthError;
use crate::clients::bap::{Bap, BapGroups};
use crate::clients::http::{ServiceError, ServiceErrorKind};
use crate::clients::power_platform::WireEnvironment;
use crate::cloud::BAP_RESOURCE;

/// Fewer rows than this are asked about one by one; more, with one list of the whole tenant.
const ONE_BY_ONE: usize = 4;

impl Environments {
    /// Fills in the groups of the rows that lack them; rows BAP cannot answer for get
    /// `groups_unknown`. Failures never fail the caller: the groups are then unknown.
    pub(crate) async fn resolve_groups(&self, wire: &mut [WireEnvironment]) {
        let missing: Vec<usize> = (0..wire.len()).filter(|i| wire[*i].groups_absent).collect();
        if missing.is_empty() {
            return;
        }
        let found: Result<HashMap<String, BapGroups>, String> = async {
            let target = self
                .ctx
                .broker
                .target()
                .ok_or(AuthError::NotSignedIn)
                .map_err(|e| e.to_string())?;
            let t = self.ctx.broker.token_for(BAP_RESOURCE).await.map_err(|_| {
                "Elevate could not sign in to the Power Platform admin API to ask.".to_string()
            })?;
            let token = self.ctx.token_source(BAP_RESOURCE, t.secret.clone());
            let bap = Bap {
                http: &self.ctx.http,
                base: &target.profile.bap,
                token: &token,
            };
            let mut out = HashMap::new();
            if missing.len() < ONE_BY_ONE {
                for i in &missing {
                    let id = &wire[*i].id;
                    if let Some(g) = bap.groups_of(id).await.map_err(|e| why(&e))? {
                        out.insert(id.to_ascii_lowercase(), g);
                    }
                }
            } else {
                for (id, g) in bap.groups().await.map_err(|e| why(&e))? {
                    out.insert(id.to_ascii_lowercase(), g);
                }
            }
            Ok(out)
        }
        .await;
        for i in missing {
            let w = &mut wire[i];
            match &found {
                Ok(map) => match map.get(&w.id.to_ascii_lowercase()) {
                    Some(g) => {
                        w.security_group_id = g.security_group_id.clone();
                        w.connected_group_id = g.connected_group_id.clone();
                        w.groups_absent = false;
                    }
                    None => {
                        w.groups_unknown = Some(format!(
                            "{UNSAID} The Power Platform admin API does not list this environment either."
                        ))
                    }
                },
                Err(reason) => w.groups_unknown = Some(format!("{UNSAID} {reason}")),
            }
        }
    }
}

const UNSAID: &str = "Power Platform did not say whether this environment has a security group.";

fn why(e: &ServiceError) -> String {
    tracing::warn!(error = %e, "BAP could not tell an environment's groups");
    match e.kind {
        ServiceErrorKind::Forbidden | ServiceErrorKind::Unauthorized => "The Power Platform admin API, which would tell, answers only while a Global, Power Platform or Dynamics 365 Administrator role is active.".into(),
        _ => "The Power Platform admin API, which would tell, did not answer. Try again in a moment.".into(),
    }
}
