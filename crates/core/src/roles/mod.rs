//! My roles: PIM for Entra ID roles through Microsoft Graph. `view` builds the three tabs,
//! `activation` runs activate/extend with their stages and step-ups, `lifecycle` deactivates
//! and cancels, `watch` finds what the user should be told about in the background.

mod activation;
mod confirm;
pub mod duration;
mod eligible;
mod lifecycle;
mod names;
pub mod policy;
pub mod preferences;
pub mod refusal;
pub mod validate;
pub(crate) mod view;
pub mod watch;

use std::sync::Mutex;
use std::time::Duration;

use crate::context::{Context, SignInCancel};
use preferences::PreferencesStore;
use watch::WatchState;

/// The My roles service: PIM for Entra roles, the preferences of the activation form, and
/// the background watch's state.
pub(crate) struct Roles {
    pub(crate) ctx: Context,
    pub(crate) prefs: PreferencesStore,
    pub(crate) watch: Mutex<WatchState>,
    /// A step-up sign-in registers here, so that the UI's Cancel reaches it.
    sign_in_cancel: SignInCancel,
}

impl Roles {
    pub fn new(ctx: Context, prefs: PreferencesStore, sign_in_cancel: SignInCancel) -> Self {
        Self {
            ctx,
            prefs,
            watch: Mutex::new(WatchState::default()),
            sign_in_cancel,
        }
    }

    /// Presets, recent justifications and tickets, the expiry warning.
    pub fn preferences(&self) -> crate::api::RolePreferences {
        self.prefs.load()
    }

    pub fn save_preferences(
        &self,
        prefs: crate::api::RolePreferences,
    ) -> Result<crate::api::RolePreferences, crate::api::ApiError> {
        self.prefs.save(prefs)
    }
}

/// How often Elevate looks again while a request is being put in place, and how long it
/// waits at most (then it reports what it knows; the role may still arrive).
#[derive(Debug, Clone, Copy)]
pub struct RoleTiming {
    pub poll_every: Duration,
    pub provisioning_timeout: Duration,
    /// Between token refreshes while waiting for a new role to show in `wids`.
    pub token_every: Duration,
    pub token_timeout: Duration,
    /// After applyAdminRole's 200: the first wait before System Administrator is read again
    /// (doubling, at most `CONFIRM_MAX_WAIT`), and how long Elevate looks at most.
    pub confirm_every: Duration,
    pub confirm_timeout: Duration,
}

impl Default for RoleTiming {
    fn default() -> Self {
        Self {
            poll_every: Duration::from_secs(2),
            provisioning_timeout: Duration::from_secs(15 * 60),
            token_every: Duration::from_secs(3),
            token_timeout: Duration::from_secs(5 * 60),
            confirm_every: Duration::from_secs(1),
            confirm_timeout: Duration::from_secs(30),
        }
    }
}

/// PIM keeps an activation at least this long before it can be deactivated.
pub const MIN_ACTIVE: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
