//! `Elevate`: the one object the desktop shell talks to. Each method is what one IPC
//! command does; the shell only converts arguments and results.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{
    ActivationInput, ActivationOutcome, ActivationProgress, AddMeInput, ApiError, CleanupInput,
    CleanupPlan, CleanupProgress, CleanupRun, CleanupRunSummary, Elevation, ElevationProgress,
    EnvironmentList, ErrorCode, ExportFormat, ExtendInput, HomeSummary, Inventory,
    InventoryProgress, InventoryScope, JournalExport, JournalFilter, JournalHealth, JournalPage,
    Membership, MyRoles, Preflight, SessionState, Settings, SettingsInput, SignInMethod,
    SignInProgress, StorageStatus, TenantKind,
};
use crate::auth::{Authenticator, Browser, TenantTarget, TokenBroker};
use crate::cache::{KeyStore, KeyStoreError, TokenCache};
use crate::clients::http::Http;
use crate::clients::network::SharedClient;
use crate::cloud::EmulatorEndpoints;
use crate::context::{Context, JournalWriter, Notice, SignInCancel};
use crate::environments::Environments;
use crate::inventory::InventoryService;
use crate::journal::Journal;
use crate::privileged::Privileged;
use crate::roles::preferences::PreferencesStore;
use crate::roles::watch::{WatchReport, WatchState};
use crate::roles::{RoleTiming, Roles};
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

/// The facade over the feature services (session, journal, roles, environments, inventory):
/// each public method is what one IPC command does, delegated to the service that owns it.
/// Services share only the `Context` and, for Add me and clean-ups, the privileged gate.
pub struct Elevate {
    session: Session,
    pub(crate) ctx: Context,
    pub(crate) roles: Roles,
    pub(crate) environments: Arc<Environments>,
    pub(crate) inventory: InventoryService,
    pub(crate) privileged: Arc<Privileged>,
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
        let sign_in_cancel = SignInCancel::default();
        let writer = JournalWriter::new(journal, broker.clone(), notice.clone());
        let ctx = Context::new(Http::with_client(network), broker.clone(), writer.clone());
        let prefs = PreferencesStore::new(&paths.config_dir);
        let privileged = Arc::new(Privileged::default());
        let environments = Arc::new(Environments::new(ctx.clone(), privileged.clone()));
        Self {
            session: Session::new(
                settings,
                broker,
                demo,
                writer,
                storage,
                notice,
                sign_in_cancel.clone(),
            ),
            roles: Roles::new(ctx.clone(), prefs, sign_in_cancel),
            environments: environments.clone(),
            inventory: InventoryService::new(
                ctx.clone(),
                paths.data_dir.join("cleanup"),
                privileged.clone(),
                environments,
            ),
            ctx,
            privileged,
        }
    }

    /// How often PIM requests and tokens are polled while a role is being activated.
    pub fn with_role_timing(self, timing: RoleTiming) -> Self {
        // Shared by every service's copy of the context.
        self.ctx.set_timing(timing);
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
        *self.roles.watch_state() = WatchState::default();
        self.environments.envs.clear();
        self.inventory.inventory.clear();
    }

    /// Presets, recent justifications and tickets, the expiry warning.
    pub fn role_preferences(&self) -> crate::api::RolePreferences {
        self.roles.preferences()
    }

    pub fn save_role_preferences(
        &self,
        prefs: crate::api::RolePreferences,
    ) -> Result<crate::api::RolePreferences, ApiError> {
        self.roles.save_preferences(prefs)
    }

    /// The three tabs of My roles, read in parallel.
    pub async fn my_roles(&self) -> Result<MyRoles, ApiError> {
        self.roles.my_roles().await
    }

    /// Activates each role (checked against its policy first), following each request
    /// until the role is held and in the sign-in.
    pub async fn activate_roles(
        &self,
        input: ActivationInput,
        progress: &(dyn Fn(ActivationProgress) + Send + Sync),
    ) -> Result<Vec<ActivationOutcome>, ApiError> {
        self.roles.activate_roles(input, progress).await
    }

    pub async fn extend_role(
        &self,
        input: ExtendInput,
        progress: &(dyn Fn(ActivationProgress) + Send + Sync),
    ) -> Result<ActivationOutcome, ApiError> {
        self.roles.extend_role(input, progress).await
    }

    /// Ends an activation now. Before PIM's 5-minute minimum nothing is sent and the answer
    /// says when it becomes possible.
    pub async fn deactivate_role(&self, role_id: &str) -> Result<(), ApiError> {
        self.roles.deactivate_role(role_id).await
    }

    /// Cancels a request still waiting for approval (or not yet in place).
    pub async fn cancel_request(&self, request_id: &str) -> Result<(), ApiError> {
        self.roles.cancel_request(request_id).await
    }

    /// Reads Graph only when a request waits for a decision (or now and then); expiry
    /// warnings come from what is already known.
    pub async fn watch_tick(&self) -> WatchReport {
        self.roles.watch_tick().await
    }

    /// Every environment the signed-in account can see, with its groups and whether it has
    /// Dataverse.
    pub async fn environments(&self) -> Result<EnvironmentList, ApiError> {
        self.environments.environments().await
    }

    /// The environment's URL, for the system browser: read again from Power Platform (never
    /// taken from the webview) and only https — or http on this computer for the demo tenant.
    pub async fn environment_url(&self, environment_id: &str) -> Result<url::Url, ApiError> {
        self.environments.environment_url(environment_id).await
    }

    /// One preflight per environment, in the order given. Bad ids are refused before any
    /// request; an environment that vanished gets a preflight that says so.
    pub async fn preflight(&self, environment_ids: &[String]) -> Result<Vec<Preflight>, ApiError> {
        self.environments.preflight(environment_ids).await
    }

    /// Makes the signed-in account System Administrator in each environment (Add me).
    pub async fn add_me(
        &self,
        input: AddMeInput,
        progress: &(dyn Fn(ElevationProgress) + Send + Sync),
    ) -> Result<Vec<Elevation>, ApiError> {
        self.environments.add_me(input, progress).await
    }

    /// Membership → System Administrators of one environment.
    pub async fn membership(&self, environment_id: &str) -> Result<Membership, ApiError> {
        self.environments.membership(environment_id).await
    }

    /// Reads the scope's environments' System Administrators. A run of chosen environments
    /// (a retry) is merged into the previous run, which is what is returned.
    pub async fn inventory(
        &self,
        scope: InventoryScope,
        progress: &(dyn Fn(InventoryProgress) + Send + Sync),
    ) -> Result<Inventory, ApiError> {
        self.inventory.inventory(scope, progress).await
    }

    /// Stops the running inventory: environments not finished end as Cancelled.
    pub fn cancel_inventory(&self) {
        self.inventory.cancel_inventory();
    }

    /// How many environments a run reads at the same time (1 = one after another).
    pub fn set_inventory_concurrency(&self, n: usize) {
        self.inventory.set_inventory_concurrency(n);
    }

    /// The last finished inventory (for export).
    pub fn last_inventory(&self) -> Option<Inventory> {
        self.inventory.last_inventory()
    }

    /// Writes the last inventory to `path` (chosen in the native save dialog).
    pub async fn inventory_export(
        &self,
        format: ExportFormat,
        path: PathBuf,
    ) -> Result<JournalExport, ApiError> {
        self.inventory.inventory_export(format, path).await
    }

    /// The dry run: exactly which (environment, user, role copy) a clean-up would remove.
    pub async fn plan_cleanup(&self, input: CleanupInput) -> Result<CleanupPlan, ApiError> {
        self.inventory.plan_cleanup(input).await
    }

    /// Removes what the dry run listed, once `confirm_count` matches it.
    pub async fn run_cleanup(
        &self,
        plan_id: &str,
        confirm_count: u32,
        progress: &(dyn Fn(CleanupProgress) + Send + Sync),
    ) -> Result<CleanupRun, ApiError> {
        self.inventory
            .run_cleanup(plan_id, confirm_count, progress)
            .await
    }

    /// Carries on an interrupted clean-up run: nothing is removed twice.
    pub async fn resume_cleanup(
        &self,
        run_id: &str,
        progress: &(dyn Fn(CleanupProgress) + Send + Sync),
    ) -> Result<CleanupRun, ApiError> {
        self.inventory.resume_cleanup(run_id, progress).await
    }

    /// Gives back what a clean-up run's sealed files record as removed.
    pub async fn rollback_cleanup(
        &self,
        run_id: &str,
        progress: &(dyn Fn(CleanupProgress) + Send + Sync),
    ) -> Result<CleanupRun, ApiError> {
        self.inventory.rollback_cleanup(run_id, progress).await
    }

    /// Earlier clean-up runs, from their logs folders.
    pub fn cleanup_runs(&self) -> Vec<CleanupRunSummary> {
        self.inventory.cleanup_runs()
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
        self.ctx.journal.entries(filter).await
    }

    /// The Activity page's badge: is the journal intact, or where was it changed or cut?
    pub async fn journal_verify(&self) -> JournalHealth {
        self.ctx.journal.verify().await
    }

    /// Writes the entries matching `filter` to `path` (the shell asks the user where).
    pub async fn journal_export(
        &self,
        format: ExportFormat,
        filter: JournalFilter,
        path: PathBuf,
    ) -> Result<JournalExport, ApiError> {
        self.ctx.journal.export(format, filter, path).await
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
