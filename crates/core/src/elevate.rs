//! `Elevate`: the one object the desktop shell talks to. Each method is what one IPC
//! command does; the shell only converts arguments and results.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::api::{
    Account, ApiError, DemoTenant as DemoTenantDto, ErrorCode, ExportFormat, HomeSummary,
    JournalAccount, JournalAction, JournalExport, JournalFilter, JournalHealth, JournalPage,
    JournalResult, JournalTarget, JournalTargetKind, JournalTenant, SessionState, Settings,
    SettingsInput, SignInMethod, SignInProgress, StorageStatus, TenantKind,
};
use crate::auth::{AuthError, Authenticator, BrokerToken, Browser, TenantTarget, TokenBroker};
use crate::cache::{KeyStore, KeyStoreError, Loaded, StoredAccount, TokenCache};
use crate::clients::http::Http;
use crate::clients::network::SharedClient;
use crate::cloud::{CloudProfile, EmulatorEndpoints, GRAPH_RESOURCE};
use crate::journal::{Journal, Record};
use crate::roles::preferences::PreferencesStore;
use crate::roles::watch::WatchState;
use crate::roles::RoleTiming;
use crate::secret::Secret;
use crate::settings::SettingsStore;

/// The demo tenant: the app starts it on demand (in-process emulator) and says where it is.
#[async_trait::async_trait]
pub trait DemoTenant: Send + Sync {
    async fn start(&self) -> Result<EmulatorEndpoints, String>;
    fn base_url(&self) -> Option<String>;
    /// False when the demo tenant is started afresh with each app start (in-process), so
    /// sessions saved by an earlier run cannot be valid there.
    fn keeps_sessions(&self) -> bool;
}

pub struct Paths {
    /// Token cache and other per-user data.
    pub data_dir: PathBuf,
    /// settings.json
    pub config_dir: PathBuf,
    pub managed_config: Option<PathBuf>,
}

pub struct Elevate {
    settings: SettingsStore,
    broker: Arc<TokenBroker>,
    storage: StorageStatus,
    demo: Arc<dyn DemoTenant>,
    notice: Mutex<Option<String>>,
    restored: tokio::sync::Mutex<bool>,
    /// The account of a saved sign-in that could not be restored (expired): a new sign-in
    /// as someone else is said plainly, as when switching from a signed-in account.
    previous_account: Mutex<Option<StoredAccount>>,
    sign_in_cancel: Mutex<Option<CancellationToken>>,
    journal: Arc<Journal>,
    pub(crate) http: Http,
    pub(crate) prefs: PreferencesStore,
    pub(crate) timing: RoleTiming,
    pub(crate) watch: Mutex<WatchState>,
    pub(crate) envs: crate::environments::EnvState,
    pub(crate) inventory: crate::inventory::InventoryState,
    /// Clean-up runs' logs folders live here.
    pub(crate) cleanup_dir: PathBuf,
    pub(crate) privileged: crate::privileged::Privileged,
}

impl Elevate {
    /// Probes the credential store once (a blocking call); without one the session is
    /// kept in memory only and the UI says so. `journal_keys` holds the activity journal's
    /// key: a separate entry, because signing out deletes the token cache's.
    pub fn new(
        paths: Paths,
        keys: Arc<dyn KeyStore>,
        journal_keys: Arc<dyn KeyStore>,
        browser: Arc<dyn Browser>,
        demo: Arc<dyn DemoTenant>,
    ) -> Self {
        let (cache, storage) = match keys.get() {
            Ok(_) | Err(KeyStoreError::BadKey) => (
                Some(Arc::new(TokenCache::new(&paths.data_dir, keys))),
                StorageStatus::Encrypted,
            ),
            Err(KeyStoreError::Unavailable(e)) => {
                tracing::warn!(error = %e, "no OS credential store: the session stays in memory only");
                (None, StorageStatus::MemoryOnly)
            }
        };
        let journal = Arc::new(Journal::open(paths.data_dir.join("journal"), journal_keys));
        let settings = SettingsStore::new(paths.config_dir.clone(), paths.managed_config);
        // One client for the services and the sign-in: same proxy, same trust store.
        let network = SharedClient::new(settings.network()).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the proxy settings cannot be used; using this computer's");
            SharedClient::default()
        });
        Self {
            prefs: PreferencesStore::new(&paths.config_dir),
            http: Http::with_client(network.clone()),
            timing: RoleTiming::default(),
            watch: Mutex::new(WatchState::default()),
            envs: Default::default(),
            inventory: Default::default(),
            cleanup_dir: paths.data_dir.join("cleanup"),
            privileged: Default::default(),
            settings,
            broker: Arc::new(TokenBroker::new(
                Authenticator::new(browser).with_network(network),
                cache,
            )),
            storage,
            demo,
            notice: Mutex::new(None),
            restored: tokio::sync::Mutex::new(false),
            previous_account: Mutex::new(None),
            sign_in_cancel: Mutex::new(None),
            journal,
        }
    }

    /// How often PIM requests and tokens are polled while a role is being activated.
    pub fn with_role_timing(mut self, timing: RoleTiming) -> Self {
        self.timing = timing;
        self
    }

    /// The activity journal: every privileged action is recorded here before the UI is told
    /// it is done (`journal().record(…).await`).
    pub fn journal(&self) -> &Arc<Journal> {
        &self.journal
    }

    pub fn broker(&self) -> &TokenBroker {
        &self.broker
    }

    /// `token` for `resource` as the HTTP layer's token source: a claims challenge on a call
    /// made with it is answered through the broker.
    pub(crate) fn token_source(&self, resource: &str, token: Secret) -> BrokerToken {
        BrokerToken::new(self.broker.clone(), resource, token)
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

    async fn restore(&self) -> Result<(), ApiError> {
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
                self.set_notice(format!(
                    "Your saved sign-in was removed because {why}. Please sign in again."
                ));
                return Ok(());
            }
            Loaded::Unreadable(e) => {
                tracing::warn!(error = %e, "saved sign-in unreadable; kept for the next try");
                self.set_notice("Elevate could not read your saved sign-in just now (another program, such as an antivirus scan, may be holding the file). It was kept: restart Elevate to try again, or sign in.".into());
                return Ok(());
            }
            Loaded::StoreUnavailable(e) => {
                tracing::warn!(error = %e, "credential store unavailable while restoring");
                self.set_notice("Elevate could not open your system's credential store, so your saved sign-in could not be used. Please sign in again.".into());
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

    pub async fn sign_in(
        &self,
        kind: TenantKind,
        method: SignInMethod,
        progress: impl Fn(SignInProgress) + Send + Sync,
    ) -> Result<SessionState, ApiError> {
        self.device_code_check(method)?;
        let cancel = CancellationToken::new();
        if let Some(previous) = self
            .sign_in_cancel
            .lock()
            .expect("lock")
            .replace(cancel.clone())
        {
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
                let r = self.authenticate(&target, method, &progress, cancel).await;
                self.journal_sign_in(&target, method, &r).await;
                r
            }
            Err(e) => Err(e),
        };
        self.sign_in_cancel.lock().expect("lock").take();
        let now = result?;
        self.previous_account.lock().expect("lock").take();
        if let Some(before) = before.filter(|b| b.oid != now.oid || b.tid != now.tid) {
            self.switched_account(&before, &now);
        }
        *self.restored.lock().await = true;
        Ok(self.state())
    }

    /// Another account than before: nothing of the earlier account's (environments,
    /// inventory, role watch) carries over, and the person is told before going on.
    fn switched_account(&self, before: &StoredAccount, now: &StoredAccount) {
        *self.watch_state() = WatchState::default();
        self.envs.clear();
        self.inventory.clear();
        self.set_notice(format!(
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
    ) -> Result<StoredAccount, ApiError> {
        let auth = self.broker.authenticator();
        let grant = match method {
            SignInMethod::Browser => {
                auth.sign_in_browser(target, None, None, progress, cancel)
                    .await?
            }
            SignInMethod::DeviceCode => auth.sign_in_device_code(target, progress, cancel).await?,
        };
        // Whatever runs as the current account stops (and is journaled) before the session changes.
        self.end_privileged().await;
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
        let mut rec = Record::new(JournalAction::SignIn, tenant, result);
        rec.account = account;
        rec.target = Some(tenant_target(target.kind, &tenant_id, &target.tenant));
        rec.params.sign_in_method = Some(method);
        rec.correlation_id = correlation_id;
        self.journal_or_notice(rec).await;
    }

    /// Writes the entry; when that fails the action still happened, so the user is told
    /// that the journal missed it (the Activity badge shows the error too).
    pub(crate) async fn journal_or_notice(&self, rec: Record) {
        let clear_notice = rec.action == JournalAction::SignIn
            && rec.result.outcome == crate::api::JournalOutcome::Succeeded;
        match self.journal.record(rec).await {
            Ok(_) if clear_notice => {
                self.notice.lock().expect("lock").take();
            }
            Ok(_) => {}
            Err(e) => self.set_notice(format!("Elevate could not record this in its activity journal: {e}. Check that the disk is not full.")),
        }
    }

    /// Registers the cancel handle of an interactive sign-in (a step-up too), so that the
    /// UI's Cancel reaches it.
    pub(crate) fn replace_sign_in_cancel(&self, c: Option<CancellationToken>) {
        let mut slot = self.sign_in_cancel.lock().expect("lock");
        if let Some(previous) = std::mem::replace(&mut *slot, c) {
            if slot.is_some() {
                previous.cancel();
            }
        }
    }

    /// A journal entry about a directory role (activate, extend, deactivate).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn journal_directory_role(
        &self,
        action: JournalAction,
        role_id: &str,
        role_name: &str,
        params: crate::api::JournalParams,
        result: JournalResult,
        correlation_id: Option<String>,
        request_id: Option<String>,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let target = JournalTarget {
            kind: JournalTargetKind::DirectoryRole,
            id: role_id.to_string(),
            name: role_name.to_string(),
        };
        self.journal_action(
            action,
            target,
            params,
            result,
            correlation_id,
            request_id,
            expires_at,
        )
        .await;
    }

    /// A journal entry by the signed-in account, or by the account a privileged operation
    /// started with (`ACTING_AS`) when it runs inside one.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn journal_action(
        &self,
        action: JournalAction,
        target: JournalTarget,
        params: crate::api::JournalParams,
        result: JournalResult,
        correlation_id: Option<String>,
        request_id: Option<String>,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        let acting = crate::privileged::ACTING_AS.try_with(|a| a.clone()).ok();
        let Some(a) = acting.or_else(|| self.broker.account()) else {
            return;
        };
        let mut rec = Record::new(
            action,
            JournalTenant {
                kind: a.kind,
                id: a.tid.clone(),
            },
            result,
        );
        rec.account = Some(journal_account(&a));
        rec.target = Some(target);
        rec.params = params;
        rec.correlation_id = correlation_id;
        rec.request_id = request_id;
        rec.expires_at = expires_at;
        self.journal_or_notice(rec).await;
    }

    /// Presets, recent justifications and tickets, the expiry warning.
    pub fn role_preferences(&self) -> crate::api::RolePreferences {
        self.prefs.load()
    }

    pub fn save_role_preferences(
        &self,
        prefs: crate::api::RolePreferences,
    ) -> Result<crate::api::RolePreferences, ApiError> {
        self.prefs.save(prefs)
    }

    /// Device code only when the managed configuration allows it: the app registration
    /// then has "Allow public client flows" on, and anyone could phish a code for it, so it is
    /// IT's decision, not the user's.
    fn device_code_check(&self, method: SignInMethod) -> Result<(), ApiError> {
        if method == SignInMethod::DeviceCode && !self.settings.load().allow_device_code {
            return Err(ApiError::new(
                ErrorCode::Config,
                "Signing in with a device code is turned off. Sign in with your browser instead; if this computer cannot use a browser, ask your IT department to allow device-code sign-in (allowDeviceCode in Elevate's managed configuration).",
            ));
        }
        Ok(())
    }

    pub fn cancel_sign_in(&self) {
        if let Some(c) = self.sign_in_cancel.lock().expect("lock").take() {
            c.cancel();
        }
    }

    /// Signs out of Elevate: its tokens and cached sign-in, and the credential store key.
    pub async fn sign_out(&self) -> Result<SessionState, ApiError> {
        self.sign_out_with(false).await
    }

    /// Like `sign_out`; with `end_browser_session`, the browser's Microsoft session for the
    /// account ends too (the cloud's sign-out page, opened in the system browser). Neither
    /// ends active PIM roles or System Administrator already granted: those run their course.
    pub async fn sign_out_with(&self, end_browser_session: bool) -> Result<SessionState, ApiError> {
        self.cancel_sign_in();
        // Running Add me / clean-ups stop first, with every request they sent journaled as
        // the account that sent it.
        self.end_privileged().await;
        let who = self.broker.account();
        self.previous_account.lock().expect("lock").take();
        let target = self.broker.target();
        let removed = self.broker.sign_out().await;
        if let (true, Some(t)) = (end_browser_session, &target) {
            let hint = who.as_ref().and_then(|a| a.login_hint.as_deref());
            if let Err(e) = self.broker.authenticator().sign_out_of_browser(t, hint) {
                tracing::warn!(error = %e, "could not open the browser to end the Microsoft session");
                self.set_notice("You are signed out of Elevate, but your browser could not be opened to end your Microsoft session there. Sign out of Microsoft in your browser, or close all its windows.".into());
            }
        }
        *self.watch_state() = WatchState::default();
        self.envs.clear();
        self.inventory.clear();
        if let Some(a) = &who {
            let mut result = JournalResult::succeeded();
            if let Err(e) = &removed {
                result.message = Some(format!(
                    "Signed out, but the key could not be removed from the credential store: {e}"
                ));
            }
            let mut rec = Record::new(
                JournalAction::SignOut,
                JournalTenant {
                    kind: a.kind,
                    id: a.tid.clone(),
                },
                result,
            );
            rec.account = Some(journal_account(a));
            rec.target = Some(tenant_target(a.kind, &a.tid, &a.tenant));
            self.journal_or_notice(rec).await;
        }
        removed.map_err(|e| {
            ApiError::new(ErrorCode::CredentialStore, "You are signed out, but Elevate could not remove its key from the credential store.")
                .with_detail(e.to_string())
        })?;
        Ok(self.state())
    }

    /// The Activity page: journal entries matching `filter`, newest first.
    pub async fn journal_entries(&self, filter: JournalFilter) -> JournalPage {
        let j = self.journal.clone();
        tokio::task::spawn_blocking(move || j.page(&filter))
            .await
            .expect("journal task")
    }

    /// The Activity page's badge: is the journal intact, or where was it changed or cut?
    pub async fn journal_verify(&self) -> JournalHealth {
        let j = self.journal.clone();
        tokio::task::spawn_blocking(move || j.verify())
            .await
            .expect("journal task")
    }

    /// Writes the entries matching `filter` to `path` (the shell asks the user where).
    pub async fn journal_export(
        &self,
        format: ExportFormat,
        filter: JournalFilter,
        path: PathBuf,
    ) -> Result<JournalExport, ApiError> {
        let j = self.journal.clone();
        tokio::task::spawn_blocking(move || j.export(format, &filter, &path))
            .await
            .expect("journal task")
    }

    pub async fn home(&self) -> Result<HomeSummary, ApiError> {
        let account = self.broker.account().ok_or(AuthError::NotSignedIn)?;
        let token = self.broker.token_for(GRAPH_RESOURCE).await?;
        Ok(HomeSummary {
            account: to_dto(&account),
            active_roles: crate::directory_roles::from_wids(&token.claims.wids),
        })
    }

    pub fn settings(&self) -> Settings {
        self.settings.load()
    }

    /// Saves, then sends every request after this one through the proxy saved.
    pub fn save_settings(&self, input: SettingsInput) -> Result<Settings, ApiError> {
        let saved = self.settings.save(input)?;
        let mut network = self.settings.network();
        network.trust = self.http.shared().config().trust;
        self.http.shared().set(network).map_err(|e| {
            ApiError::new(
                ErrorCode::Config,
                "Elevate saved the settings but cannot use the proxy address. Check it, or leave it empty to use this computer's proxy settings.",
            )
            .with_detail(e)
        })?;
        Ok(saved)
    }

    /// The settings store, for the connectivity self-test.
    pub(crate) fn settings_store(&self) -> &SettingsStore {
        &self.settings
    }

    /// The demo tenant, for the connectivity self-test.
    pub(crate) fn demo_tenant(&self) -> &Arc<dyn DemoTenant> {
        &self.demo
    }

    /// Tests only: trust only these CAs (the app uses the OS store).
    #[doc(hidden)]
    pub fn with_network(self, network: crate::clients::network::NetworkConfig) -> Self {
        self.http
            .shared()
            .set(network)
            .expect("a usable test network configuration");
        self
    }

    fn state(&self) -> SessionState {
        SessionState {
            account: self.broker.account().map(|a| to_dto(&a)),
            storage: self.storage,
            organization_configured: self.settings.is_configured(),
            demo: self
                .demo
                .base_url()
                .map(|base_url| DemoTenantDto { base_url }),
            notice: self.notice.lock().expect("lock").clone(),
            device_code_allowed: self.settings.load().allow_device_code,
        }
    }

    pub(crate) async fn target_for(&self, kind: TenantKind) -> Result<TenantTarget, ApiError> {
        match kind {
            TenantKind::Demo => {
                let e = self.demo.start().await.map_err(|d| {
                    ApiError::new(ErrorCode::Network, "The demo tenant could not be started. Try again; if it keeps failing, restart Elevate.").with_detail(d)
                })?;
                let profile = CloudProfile::from_emulator(&e).map_err(|d| {
                    ApiError::new(
                        ErrorCode::Internal,
                        "The demo tenant reported an invalid address.",
                    )
                    .with_detail(d.to_string())
                })?;
                Ok(TenantTarget {
                    kind,
                    tenant: e.tenant_id,
                    client_id: e.client_id,
                    profile,
                })
            }
            TenantKind::Organization => {
                let s = self.settings.load();
                if s.tenant_id.is_empty() || s.client_id.is_empty() {
                    return Err(ApiError::new(ErrorCode::Config, "Set up your organization first: enter the directory (tenant) ID and application (client) ID in Settings."));
                }
                Ok(TenantTarget {
                    kind,
                    tenant: s.tenant_id,
                    client_id: s.client_id,
                    profile: CloudProfile::for_cloud(s.cloud),
                })
            }
        }
    }

    fn cache(&self) -> Option<Arc<TokenCache>> {
        self.broker.cache()
    }

    async fn forget(&self, notice: &str) {
        let _ = self.broker.sign_out().await;
        self.set_notice(notice.to_string());
    }

    fn set_notice(&self, n: String) {
        *self.notice.lock().expect("lock") = Some(n);
    }
}

fn journal_account(a: &StoredAccount) -> JournalAccount {
    JournalAccount {
        name: a.name.clone(),
        upn: a.upn.clone(),
        oid: a.oid.clone(),
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
