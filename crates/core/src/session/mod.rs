//! The session service: who is signed in, to which tenant, and the notice the UI shows.
//! Sign-in, sign-out and the silent restore of a saved sign-in live here; `Elevate`
//! delegates to it and clears the other features when the account changes.

mod restore;
mod target;

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::api::{
    Account, ApiError, DemoTenant as DemoTenantDto, ErrorCode, HomeSummary, JournalAction,
    JournalParams, JournalResult, JournalTarget, JournalTargetKind, JournalTenant, SessionState,
    SignInMethod, SignInProgress, StorageStatus, TenantKind,
};
use crate::auth::{AuthError, TenantTarget, TokenBroker};
use crate::cache::StoredAccount;
use crate::cloud::GRAPH_RESOURCE;
use crate::context::{journal_account, JournalWriter, Notice, SignInCancel};
use crate::elevate::DemoTenant;
use crate::journal::Entry;
use crate::settings::SettingsStore;

pub(crate) struct Session {
    pub(crate) settings: SettingsStore,
    pub(crate) broker: Arc<TokenBroker>,
    pub(crate) demo: Arc<dyn DemoTenant>,
    journal: JournalWriter,
    storage: StorageStatus,
    pub(crate) notice: Notice,
    restored: tokio::sync::Mutex<bool>,
    /// The account of a saved sign-in that could not be restored (expired): a new sign-in
    /// as someone else is said plainly, as when switching from a signed-in account.
    previous_account: Mutex<Option<StoredAccount>>,
    sign_in_cancel: SignInCancel,
}

impl Session {
    pub fn new(
        settings: SettingsStore,
        broker: Arc<TokenBroker>,
        demo: Arc<dyn DemoTenant>,
        journal: JournalWriter,
        storage: StorageStatus,
        notice: Notice,
        sign_in_cancel: SignInCancel,
    ) -> Self {
        Self {
            settings,
            broker,
            demo,
            journal,
            storage,
            notice,
            restored: tokio::sync::Mutex::new(false),
            previous_account: Mutex::new(None),
            sign_in_cancel,
        }
    }

    /// The current state; on the first call, restores a saved sign-in silently.
    pub async fn session(&self) -> Result<SessionState, ApiError> {
        let mut restored = self.restored.lock().await;
        if !*restored {
            self.restore().await?;
            *restored = true;
        }
        drop(restored);
        Ok(self.state())
    }

    /// `end_privileged` runs once the grant is in hand, before the session changes: whatever
    /// runs as the current account stops (and is journaled) first. `forget_features` runs when
    /// the account is another than before.
    pub async fn sign_in(
        &self,
        kind: TenantKind,
        method: SignInMethod,
        progress: impl Fn(SignInProgress) + Send + Sync,
        end_privileged: impl Future<Output = ()>,
        forget_features: impl FnOnce(),
    ) -> Result<SessionState, ApiError> {
        self.device_code_check(method)?;
        let cancel = CancellationToken::new();
        if let Some(previous) = self.sign_in_cancel.start(cancel.clone()) {
            previous.cancel();
        }
        let before = self
            .broker
            .account()
            .or_else(|| self.previous_account.lock().expect("lock").clone());
        // A tenant that cannot be reached or is not set up is not a sign-in attempt: nothing
        // was sent, so nothing is journaled. Neither is a device code IT has not allowed.
        let result = match self.target_for(kind).await {
            Ok(target) => {
                let r = self
                    .authenticate(&target, method, &progress, cancel, end_privileged)
                    .await;
                self.journal_sign_in(&target, method, &r).await;
                r
            }
            Err(e) => Err(e),
        };
        self.sign_in_cancel.take();
        let now = result?;
        self.previous_account.lock().expect("lock").take();
        if let Some(before) = before.filter(|b| b.oid != now.oid || b.tid != now.tid) {
            forget_features();
            self.switched_account(&before, &now);
        }
        *self.restored.lock().await = true;
        Ok(self.state())
    }

    /// Another account than before: the person is told before going on.
    fn switched_account(&self, before: &StoredAccount, now: &StoredAccount) {
        self.notice.set(format!(
            "You are now signed in as {} ({}), not as {} ({}) as before. Everything Elevate does from now on is done as {}. If that is not who you meant, sign out and sign in with the right account.",
            now.name, now.upn, before.name, before.upn, now.name
        ));
    }

    async fn authenticate(
        &self,
        target: &TenantTarget,
        method: SignInMethod,
        progress: &(dyn Fn(SignInProgress) + Send + Sync),
        cancel: CancellationToken,
        end_privileged: impl Future<Output = ()>,
    ) -> Result<StoredAccount, ApiError> {
        let auth = self.broker.authenticator();
        let grant = match method {
            SignInMethod::Browser => {
                auth.sign_in_browser(target, None, None, progress, cancel)
                    .await?
            }
            SignInMethod::DeviceCode => auth.sign_in_device_code(target, progress, cancel).await?,
        };
        end_privileged.await;
        Ok(self.broker.sign_in(target.clone(), grant).await?)
    }

    /// Sign-ins are journaled whether they succeed or not (with the reason); the UI hears of
    /// a successful one only after its entry is on disk.
    async fn journal_sign_in(
        &self,
        target: &TenantTarget,
        method: SignInMethod,
        r: &Result<StoredAccount, ApiError>,
    ) {
        let (tenant_id, result, account, correlation_id) = match r {
            Ok(a) => (
                a.tid.clone(),
                JournalResult::succeeded(),
                Some(journal_account(a)),
                None,
            ),
            Err(e) => (
                target.tenant.clone(),
                JournalResult::failed(e),
                None,
                e.correlation_id.clone(),
            ),
        };
        let tenant = JournalTenant {
            kind: target.kind,
            id: tenant_id.clone(),
        };
        let params = JournalParams {
            sign_in_method: Some(method),
            ..Default::default()
        };
        let rec = Entry::new(
            JournalAction::SignIn,
            tenant_target(target.kind, &tenant_id, &target.tenant),
            result,
        )
        .params(params)
        .correlation_id(correlation_id)
        .record(tenant, account);
        self.journal.write_record(rec).await;
    }

    pub fn cancel_sign_in(&self) {
        if let Some(c) = self.sign_in_cancel.take() {
            c.cancel();
        }
    }

    /// Signs out: `end_privileged` first (running Add me / clean-ups stop, with every
    /// request they sent journaled as the account that sent it), then the tokens, then
    /// `forget_features`. With `end_browser_session`, the browser's Microsoft session ends too.
    pub async fn sign_out_with(
        &self,
        end_browser_session: bool,
        end_privileged: impl Future<Output = ()>,
        forget_features: impl FnOnce(),
    ) -> Result<SessionState, ApiError> {
        self.cancel_sign_in();
        end_privileged.await;
        let who = self.broker.account();
        self.previous_account.lock().expect("lock").take();
        let target = self.broker.target();
        let removed = self.broker.sign_out().await;
        if let (true, Some(t)) = (end_browser_session, &target) {
            let hint = who.as_ref().and_then(|a| a.login_hint.as_deref());
            if let Err(e) = self.broker.authenticator().sign_out_of_browser(t, hint) {
                tracing::warn!(error = %e, "could not open the browser to end the Microsoft session");
                self.notice.set("You are signed out of Elevate, but your browser could not be opened to end your Microsoft session there. Sign out of Microsoft in your browser, or close all its windows.".into());
            }
        }
        forget_features();
        if let Some(a) = &who {
            self.journal_sign_out(a, &removed).await;
        }
        removed.map_err(|e| {
            ApiError::new(ErrorCode::CredentialStore, "You are signed out, but Elevate could not remove its key from the credential store.")
                .with_detail(e.to_string())
        })?;
        Ok(self.state())
    }

    async fn journal_sign_out<E: std::fmt::Display>(
        &self,
        a: &StoredAccount,
        removed: &Result<(), E>,
    ) {
        let mut result = JournalResult::succeeded();
        if let Err(e) = removed {
            result.message = Some(format!(
                "Signed out, but the key could not be removed from the credential store: {e}"
            ));
        }
        let tenant = JournalTenant {
            kind: a.kind,
            id: a.tid.clone(),
        };
        let rec = Entry::new(
            JournalAction::SignOut,
            tenant_target(a.kind, &a.tid, &a.tenant),
            result,
        )
        .record(tenant, Some(journal_account(a)));
        self.journal.write_record(rec).await;
    }

    pub async fn home(&self) -> Result<HomeSummary, ApiError> {
        let account = self.broker.account().ok_or(AuthError::NotSignedIn)?;
        let token = self.broker.token_for(GRAPH_RESOURCE).await?;
        Ok(HomeSummary {
            account: to_dto(&account),
            active_roles: crate::directory_roles::from_wids(&token.claims.wids),
        })
    }

    pub fn state(&self) -> SessionState {
        SessionState {
            account: self.broker.account().map(|a| to_dto(&a)),
            storage: self.storage,
            organization_configured: self.settings.is_configured(),
            demo: self
                .demo
                .base_url()
                .map(|base_url| DemoTenantDto { base_url }),
            notice: self.notice.get(),
            device_code_allowed: self.settings.load().allow_device_code,
        }
    }
}

/// The tenant as a journal target: "Demo tenant", or the directory as configured.
fn tenant_target(kind: TenantKind, id: &str, configured: &str) -> JournalTarget {
    let name = match kind {
        TenantKind::Demo => "Demo tenant".to_string(),
        TenantKind::Organization => configured.to_string(),
    };
    JournalTarget {
        kind: JournalTargetKind::Tenant,
        id: id.to_string(),
        name,
    }
}

fn to_dto(a: &StoredAccount) -> Account {
    Account {
        name: a.name.clone(),
        upn: a.upn.clone(),
        tenant_id: a.tid.clone(),
        kind: a.kind,
    }
}
