//! How Elevate knows an activation took effect: a tenant-wide built-in role shows in the
//! sign-in's `wids` (which services such as Power Platform read); a custom role or one
//! limited to an administrative unit never does, so PIM's list of held roles confirms it.

use chrono::{DateTime, Utc};

use super::activation::Role;
use super::view::scope_id;
use crate::clients::graph::pim::AssignmentInstance;
use crate::cloud::GRAPH_RESOURCE;
use crate::roles::Roles;

impl Roles {
    pub(super) async fn activation_end(&self, role_id: &str, scope: &str) -> Option<DateTime<Utc>> {
        let s = self.graph_session(false).await.ok()?;
        let held = self.pim(&s).assignments().await.ok()?;
        held.iter()
            .filter(|a| held_at(a, role_id, scope))
            .filter_map(|a| a.end_date_time)
            .max()
    }

    /// Reads PIM's list of held roles until the activation is in it, or the wait runs out.
    pub(super) async fn wait_held(&self, role_id: &str, scope: &str) -> bool {
        let deadline = tokio::time::Instant::now() + self.ctx.timing().token_timeout;
        loop {
            match self.graph_session(false).await {
                Ok(s) => match self.pim(&s).assignments().await {
                    Ok(held) if held.iter().any(|a| held_at(a, role_id, scope)) => return true,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "could not read the roles held; trying again")
                    }
                },
                Err(e) => {
                    tracing::warn!(error = %e, "could not sign in to confirm the role");
                    return false;
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(self.ctx.timing().token_every).await;
        }
    }

    /// Refreshes the Graph token until its `wids` carry the role (services such as Power
    /// Platform read it from there), or the wait runs out.
    pub(super) async fn wait_in_token(&self, role_id: &str) -> bool {
        let deadline = tokio::time::Instant::now() + self.ctx.timing().token_timeout;
        loop {
            match self.ctx.broker.fresh_token_for(GRAPH_RESOURCE, None).await {
                Ok(t)
                    if t.claims
                        .wids
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(role_id)) =>
                {
                    return true
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "could not refresh the sign-in while waiting for the role");
                    return false;
                }
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(self.ctx.timing().token_every).await;
        }
    }
}

/// An activation of `role_id` at `scope` (`/` when PIM leaves the scope out).
fn held_at(a: &AssignmentInstance, role_id: &str, scope: &str) -> bool {
    a.role_definition_id.eq_ignore_ascii_case(role_id)
        && scope_id(a.directory_scope_id.as_deref()).eq_ignore_ascii_case(scope)
}

/// Why Elevate does not wait for the sign-in, in the stage's words.
pub(super) fn not_in_sign_in(r: &Role) -> String {
    if r.custom {
        format!("{} is a custom role, and sign-ins list only built-in roles: Elevate confirms it in PIM's list of your active roles instead.", r.name)
    } else {
        format!("{} applies to {} only, and sign-ins list only roles for the whole directory: Elevate confirms it in PIM's list of your active roles instead.", r.name, r.scope_text)
    }
}
