//! Restoring a saved sign-in silently, or saying plainly why it could not be.

use std::sync::Arc;

use crate::api::{ApiError, TenantKind};
use crate::auth::AuthError;
use crate::cache::{Loaded, TokenCache};
use crate::cloud::GRAPH_RESOURCE;

use super::Session;

impl Session {
    pub(super) async fn restore(&self) -> Result<(), ApiError> {
        let Some(cache) = self.cache() else {
            return Ok(());
        };
        let loaded = tokio::task::spawn_blocking(move || cache.load())
            .await
            .expect("cache task");
        let (account, rt) = match loaded {
            Loaded::Empty => return Ok(()),
            Loaded::Account(a, rt) => {
                *self.previous_account.lock().expect("lock") = Some(a.clone());
                (a, rt)
            }
            Loaded::Discarded(why) => {
                self.notice.set(format!(
                    "Your saved sign-in was removed because {why}. Please sign in again."
                ));
                return Ok(());
            }
            Loaded::Unreadable(e) => {
                tracing::warn!(error = %e, "saved sign-in unreadable; kept for the next try");
                self.notice.set("Elevate could not read your saved sign-in just now (another program, such as an antivirus scan, may be holding the file). It was kept: restart Elevate to try again, or sign in.".into());
                return Ok(());
            }
            Loaded::StoreUnavailable(e) => {
                tracing::warn!(error = %e, "credential store unavailable while restoring");
                self.notice.set("Elevate could not open your system's credential store, so your saved sign-in could not be used. Please sign in again.".into());
                return Ok(());
            }
        };
        let target = match self.target_for(account.kind).await {
            Ok(t) if t.tenant == account.tenant && t.client_id == account.client_id => t,
            Ok(_) | Err(_) if account.kind == TenantKind::Organization => {
                self.forget("Your organization settings changed since you last signed in. Please sign in again.").await;
                return Ok(());
            }
            Ok(_) => {
                self.forget("The demo tenant was reset. Please sign in again.")
                    .await;
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let kind = account.kind;
        self.broker.restore(target, account, rt).await;
        match self.broker.token_for(GRAPH_RESOURCE).await {
            Ok(_) => Ok(()),
            Err(AuthError::Server(e)) if e.is_transient() => {
                // Entra is busy or down for a moment: that says nothing about the sign-in.
                self.broker.forget_account();
                Err(AuthError::Server(e).into())
            }
            Err(AuthError::InteractionRequired { .. }) | Err(AuthError::Server(_)) => {
                let why = match kind {
                    TenantKind::Demo if !self.demo.keeps_sessions() => "The demo tenant starts afresh each time Elevate starts, so your demo sign-in has ended. Please sign in again.",
                    _ => "Your saved sign-in has expired. Please sign in again.",
                };
                self.forget(why).await;
                Ok(())
            }
            Err(e) => {
                // Keep nothing half-restored: the next `session()` call tries again.
                self.broker.forget_account();
                Err(e.into())
            }
        }
    }

    fn cache(&self) -> Option<Arc<TokenCache>> {
        self.broker.cache()
    }

    async fn forget(&self, notice: &str) {
        let _ = self.broker.sign_out().await;
        self.notice.set(notice.to_string());
    }
}
