//! `Elevate`: the one object the desktop shell talks to. Each method is what one IPC
//! command does; the shell only converts arguments and results.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::api::{
    ApiError, ErrorCode, ExportFormat, HomeSummary, JournalExport, JournalFilter, JournalHealth,
    JournalPage, SessionState, Settings, SettingsInput, SignInMethod, SignInProgress,
    StorageStatus, TenantKind,
};
use crate::auth::{Authenticator, BrokerToken, Browser, TenantTarget, TokenBroker};
use crate::cache::{KeyStore, KeyStoreError, TokenCache};
use crate::clients::http::Http;
use crate::clients::network::SharedClient;
use crate::cloud::EmulatorEndpoints;
use crate::context::{Context, JournalWriter, Notice};
use crate::journal::{Entry, Journal};
use crate::roles::preferences::PreferencesStore;
use crate::roles::watch::WatchState;
use crate::roles::RoleTiming;
use crate::secret::Secret;
use crate::session::Session;
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

/// The facade over the feature services: each public method is what one IPC command does.
/// Session and journal are services of their own (`session`, `ctx.journal`); roles,
/// environments and inventory keep their state here and reach the app only through `ctx`.
pub struct Elevate {
    session: Session,
    pub(crate) ctx: Context,
    pub(crate) prefs: PreferencesStore,
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
        let broker = Arc::new(TokenBroker::new(
            Authenticator::new(browser).with_network(network.clone()),
            cache,
        ));
        let notice = Notice::default();
        let writer = JournalWriter::new(journal, broker.clone(), notice.clone());
        let ctx = Context {
            http: Http::with_client(network),
            broker: broker.clone(),
            journal: writer.clone(),
            timing: RoleTiming::default(),
        };
        Self {
            session: Session::new(settings, broker, demo, writer, storage, notice),
            ctx,
            prefs: PreferencesStore::new(&paths.config_dir),
            watch: Mutex::new(WatchState::default()),
            envs: Default::default(),
            inventory: Default::default(),
            cleanup_dir: paths.data_dir.join("cleanup"),
            privileged: Default::default(),
        }
    }

    /// How often PIM requests and tokens are polled while a role is being activated.
    pub fn with_role_timing(mut self, timing: RoleTiming) -> Self {
        self.ctx.timing = timing;
        self
    }

    /// The activity journal: every privileged action is recorded here before the UI is told
    /// it is done (`journal().record(…).await`).
    pub fn journal(&self) -> &Arc<Journal> {
        self.ctx.journal.journal()
    }

    pub fn broker(&self) -> &TokenBroker {
        &self.ctx.broker
    }

    /// `token` for `resource` as the HTTP layer's token source: a claims challenge on a call
    /// made with it is answered through the broker.
    pub(crate) fn token_source(&self, resource: &str, token: Secret) -> BrokerToken {
        self.ctx.token_source(resource, token)
    }

    /// Journals `entry` as the acting account (see `JournalWriter::write`).
    pub(crate) async fn journal_entry(&self, entry: Entry) {
        self.ctx.journal.write(entry).await;
    }

    /// The current state; on the first call, restores a saved sign-in silently.
    pub async fn session(&self) -> Result<SessionState, ApiError> {
        self.session.session().await
    }

    pub async fn sign_in(
        &self,
        kind: TenantKind,
        method: SignInMethod,
        progress: impl Fn(SignInProgress) + Send + Sync,
    ) -> Result<SessionState, ApiError> {
        self.session
            .sign_in(kind, method, progress, self.end_privileged(), || {
                self.forget_features()
            })
            .await
    }

    /// Nothing of an earlier account's (environments, inventory, role watch) carries over.
    fn forget_features(&self) {
        *self.watch_state() = WatchState::default();
        self.envs.clear();
        self.inventory.clear();
    }

    /// Registers the cancel handle of an interactive sign-in (a step-up too), so that the
    /// UI's Cancel reaches it.
    pub(crate) fn replace_sign_in_cancel(&self, c: Option<CancellationToken>) {
        self.session.replace_sign_in_cancel(c);
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

    pub fn cancel_sign_in(&self) {
        self.session.cancel_sign_in();
    }

    /// Signs out of Elevate: its tokens and cached sign-in, and the credential store key.
    pub async fn sign_out(&self) -> Result<SessionState, ApiError> {
        self.sign_out_with(false).await
    }

    /// Like `sign_out`; with `end_browser_session`, the browser's Microsoft session for the
    /// account ends too (the cloud's sign-out page, opened in the system browser). Neither
    /// ends active PIM roles or System Administrator already granted: those run their course.
    pub async fn sign_out_with(&self, end_browser_session: bool) -> Result<SessionState, ApiError> {
        self.session
            .sign_out_with(end_browser_session, self.end_privileged(), || {
                self.forget_features()
            })
            .await
    }

    /// The Activity page: journal entries matching `filter`, newest first.
    pub async fn journal_entries(&self, filter: JournalFilter) -> JournalPage {
        let j = self.journal().clone();
        tokio::task::spawn_blocking(move || j.page(&filter))
            .await
            .expect("journal task")
    }

    /// The Activity page's badge: is the journal intact, or where was it changed or cut?
    pub async fn journal_verify(&self) -> JournalHealth {
        let j = self.journal().clone();
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
        let j = self.journal().clone();
        tokio::task::spawn_blocking(move || j.export(format, &filter, &path))
            .await
            .expect("journal task")
    }

    pub async fn home(&self) -> Result<HomeSummary, ApiError> {
        self.session.home().await
    }

    pub fn settings(&self) -> Settings {
        self.session.settings.load()
    }

    /// Saves, then sends every request after this one through the proxy saved.
    pub fn save_settings(&self, input: SettingsInput) -> Result<Settings, ApiError> {
        let saved = self.session.settings.save(input)?;
        let mut network = self.session.settings.network();
        network.trust = self.ctx.http.shared().config().trust;
        self.ctx.http.shared().set(network).map_err(|e| {
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
        &self.session.settings
    }

    /// The demo tenant, for the connectivity self-test.
    pub(crate) fn demo_tenant(&self) -> &Arc<dyn DemoTenant> {
        &self.session.demo
    }

    pub(crate) async fn target_for(&self, kind: TenantKind) -> Result<TenantTarget, ApiError> {
        self.session.target_for(kind).await
    }

    /// Tests only: trust only these CAs (the app uses the OS store).
    #[doc(hidden)]
    pub fn with_network(self, network: crate::clients::network::NetworkConfig) -> Self {
        self.ctx
            .http
            .shared()
            .set(network)
            .expect("a usable test network configuration");
        self
    }
}
