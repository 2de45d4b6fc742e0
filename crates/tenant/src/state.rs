//! What the running tenant knows: the scenario it started from and everything that changed
//! since (issued grants, revocations, role changes, settings).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::clock::Clock;
use crate::jwt::Keys;
use crate::scenario::{Scenario, Settings, User};
use crate::secrets::{lock, IssuedLog};

pub struct AppState {
    /// The initial state; `Runtime` holds what has changed since.
    pub scenario: Scenario,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub keys: Keys,
    pub clock: Clock,
    pub issued: IssuedLog,
    runtime: Mutex<Runtime>,
    /// Environments, Dataverse orgs, elevations, audit log, faults, service protection.
    pub platform: crate::environments::Platform,
}

impl AppState {
    pub fn new(scenario: Scenario, base_url: String, keys: Keys) -> AppState {
        let runtime = Mutex::new(Runtime::from_scenario(&scenario));
        let platform = crate::environments::Platform::new(&scenario);
        AppState {
            scenario,
            base_url,
            keys,
            clock: Clock::default(),
            issued: IssuedLog::default(),
            runtime,
            platform,
        }
    }

    pub fn runtime(&self) -> std::sync::MutexGuard<'_, Runtime> {
        lock(&self.runtime)
    }

    /// Back to the scenario's initial state. The issued-secrets log is kept on purpose:
    /// a leak test must still find secrets issued before the reset.
    pub fn reset(&self) {
        *self.runtime() = Runtime::from_scenario(&self.scenario);
        self.platform.reset(&self.scenario);
        self.clock.reset();
    }

    pub fn issuer(&self) -> String {
        format!("{}/login/{}/v2.0", self.base_url, self.scenario.tenant.id)
    }

    pub fn settings(&self) -> Settings {
        self.runtime().settings.clone()
    }

    /// The resource ids of the cloud the tenant stands in for.
    pub fn cloud(&self) -> crate::cloud::Cloud {
        self.runtime().settings.cloud.ids()
    }

    pub fn find_user(&self, who: &str) -> Option<&User> {
        self.scenario.find_user(who)
    }
}

pub struct Runtime {
    pub settings: Settings,
    /// Current directory roles per user object id (lowercase). PIM will change these.
    pub directory_roles: HashMap<String, Vec<String>>,
    /// "Revoke sessions": refresh tokens issued before this instant are dead.
    pub tokens_valid_from: HashMap<String, DateTime<Utc>>,
    /// Keyed by the SHA-256 fingerprint of the secret, never by the secret.
    pub auth_codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    pub device_codes: HashMap<String, DeviceCode>,
    /// PIM requests and activations; a reset empties them.
    pub pim: crate::graph::pim::PimState,
    /// Claims challenges the resource APIs answer with until a token meets them.
    pub claims_challenges: Vec<crate::challenge::Challenge>,
    /// The latest `/token` requests, oldest first (at most `TOKEN_REQUESTS_KEPT`).
    pub token_requests: Vec<TokenRequest>,
    /// Requests to the sign-out endpoint, oldest first (at most `TOKEN_REQUESTS_KEPT`).
    pub sign_outs: Vec<SignOut>,
}

/// One request to `/{tenant}/oauth2/v2.0/logout`.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOut {
    pub at: DateTime<Utc>,
    /// The account the `logout_hint` named; `None` without a usable hint (Entra then asks
    /// which account to sign out).
    pub user_id: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    /// Whether the browser was sent on to `post_logout_redirect_uri` (it is registered).
    pub redirected: bool,
}

/// How many `/token` requests the log keeps: the demo tenant runs for as long as the app.
pub const TOKEN_REQUESTS_KEPT: usize = 1000;

/// One `/token` request as a test needs to see it. No secret is in it: claims are not one.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    pub grant_type: String,
    /// Whether the request declared the `cp1` client capability (`xms_cc`).
    pub cp1: bool,
    pub claims: Option<String>,
    /// The `scope` parameter as sent (scope names are not secrets).
    pub scope: Option<String>,
}

impl Runtime {
    fn from_scenario(s: &Scenario) -> Runtime {
        Runtime {
            settings: s.settings.clone(),
            directory_roles: s
                .users
                .iter()
                .map(|u| (u.id.to_ascii_lowercase(), u.directory_roles.clone()))
                .collect(),
            tokens_valid_from: HashMap::new(),
            auth_codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            device_codes: HashMap::new(),
            pim: crate::graph::pim::PimState::default(),
            claims_challenges: Vec::new(),
            token_requests: Vec::new(),
            sign_outs: Vec::new(),
        }
    }

    /// The user's permanent, direct directory roles (role template ids). Tokens and services
    /// ask `active_roles`, which adds group-held roles and PIM activations.
    pub fn roles_of(&self, user_id: &str) -> Vec<String> {
        self.directory_roles
            .get(&user_id.to_ascii_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// Every tenant-wide directory role the user holds *right now*, with how they hold it:
    /// permanent direct roles, roles their groups hold, and PIM activations that are
    /// provisioned and not yet ended or expired (by the emulator clock). This is the one
    /// question other services (Power Platform's applyAdminRole rules, Graph's assignment
    /// instances, token `wids`) ask of the directory.
    pub fn active_roles(
        &self,
        scenario: &Scenario,
        user_id: &str,
        now: DateTime<Utc>,
    ) -> Vec<ActiveRole> {
        // Tenant-wide only: a role limited to an administrative unit gives no power over the
        // tenant's services or its other objects.
        crate::graph::pim::assignments(self, scenario, user_id, now)
            .into_iter()
            .filter(|a| a.directory_scope_id == crate::graph::pim::scenario::TENANT_SCOPE)
            .map(|a| a.role)
            .collect()
    }

    pub fn lifetime(&self, seconds: i64) -> Duration {
        Duration::seconds(seconds.clamp(0, 100 * 365 * 86400))
    }
}

/// How a user holds an active directory role (Graph `unifiedRoleAssignmentScheduleInstance`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveRole {
    pub role_template_id: String,
    pub member_type: MemberType,
    pub assignment_type: AssignmentType,
    /// `None` = permanent; PIM activations end.
    pub end: Option<DateTime<Utc>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MemberType {
    Direct,
    Group,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AssignmentType {
    Assigned,
    Activated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkceMethod {
    S256,
    Plain,
}

#[derive(Clone, Debug)]
pub struct Pkce {
    pub challenge: String,
    pub method: PkceMethod,
}

/// A one-time authorization code, bound to everything the authorize request said.
#[derive(Clone, Debug)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub pkce: Option<Pkce>,
    pub scope: String,
    pub user_id: String,
    pub nonce: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub redeemed: bool,
    /// What the sign-in proved (MFA, authentication contexts, client capabilities).
    pub auth: crate::entra::stepup::AuthStrength,
}

#[derive(Clone, Debug)]
pub struct RefreshGrant {
    pub user_id: String,
    pub client_id: String,
    /// The scope the grant was obtained for; used when a refresh names none.
    pub scope: String,
    pub issued_at: DateTime<Utc>,
    pub redeemed: bool,
    /// The strongest authentication the grant came from; refreshes keep it.
    pub auth: crate::entra::stepup::AuthStrength,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved { user_id: String },
    Declined,
    Redeemed,
}

#[derive(Clone, Debug)]
pub struct DeviceCode {
    pub client_id: String,
    pub scope: String,
    /// Shown on screen and typed by the user, so kept as is (unlike the device code).
    pub user_code: String,
    pub issued_at: DateTime<Utc>,
    pub status: DeviceStatus,
    pub last_poll: Option<DateTime<Utc>>,
}
