//! Privileged operations — Add me, a clean-up, its resume or rollback — belong to the account
//! that started them: their journal entries name it even if the session changes meanwhile,
//! and they never send a request with another account's token.
//!
//! Each holds the gate (shared) while it runs. Signing out, or signing in as someone, first
//! cancels them and takes the gate (exclusive): requests already sent finish and are
//! journaled, nothing new is sent, and only then does the session change.

use std::sync::Mutex;

use tokio::sync::{RwLock, RwLockReadGuard};
use tokio_util::sync::CancellationToken;

use crate::api::{ApiError, ErrorCode};
use crate::auth::{AuthError, TokenBroker};
use crate::cache::StoredAccount;
use crate::Elevate;

tokio::task_local! {
    /// The account a privileged operation's journal entries are written as.
    pub(crate) static ACTING_AS: StoredAccount;
}

#[derive(Default)]
pub(crate) struct Privileged {
    gate: RwLock<()>,
    cancel: Mutex<CancellationToken>,
}

/// A running privileged operation.
pub(crate) struct Running<'a> {
    _gate: RwLockReadGuard<'a, ()>,
    pub cancel: CancellationToken,
    pub account: StoredAccount,
}

/// Why a privileged operation stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Sign-out or a new sign-in cancelled it.
    SessionEnding,
    /// Someone else is signed in now.
    AccountChanged,
}

impl Stop {
    pub fn error(self, what_happened: &str) -> ApiError {
        match self {
            Stop::SessionEnding => ApiError::new(
                ErrorCode::NotSignedIn,
                format!("You signed out (or signed in again) while this was running, so Elevate stopped. {what_happened}"),
            ),
            Stop::AccountChanged => ApiError::new(
                ErrorCode::Forbidden,
                format!("The signed-in account changed while this was running, so Elevate stopped: it never acts for one account with another's sign-in. {what_happened}"),
            ),
        }
    }
}

pub(crate) fn same_account(a: &StoredAccount, b: &StoredAccount) -> bool {
    a.oid.eq_ignore_ascii_case(&b.oid) && a.tid.eq_ignore_ascii_case(&b.tid)
}

impl Running<'_> {
    /// `None` while the operation may send its next request.
    pub fn stopped(&self, broker: &TokenBroker) -> Option<Stop> {
        if self.cancel.is_cancelled() {
            return Some(Stop::SessionEnding);
        }
        match broker.account() {
            Some(now) if same_account(&now, &self.account) => None,
            Some(_) => Some(Stop::AccountChanged),
            None => Some(Stop::SessionEnding),
        }
    }
}

impl Privileged {
    /// Starts a privileged operation as the account signed in to `broker`.
    pub(crate) async fn begin(&self, broker: &TokenBroker) -> Result<Running<'_>, ApiError> {
        let gate = self.gate.read().await;
        let account = broker.account().ok_or(AuthError::NotSignedIn)?;
        let cancel = self.cancel.lock().expect("lock").clone();
        Ok(Running {
            _gate: gate,
            cancel,
            account,
        })
    }

    /// Cancels the running privileged operations and waits until they have stopped.
    pub(crate) async fn end(&self) {
        let old = std::mem::take(&mut *self.cancel.lock().expect("lock"));
        old.cancel();
        drop(self.gate.write().await);
    }
}

impl Elevate {
    /// Cancels the running privileged operations and waits until they have stopped.
    pub(crate) async fn end_privileged(&self) {
        self.privileged.end().await;
    }
}
