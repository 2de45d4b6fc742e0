//! What a feature service needs from the app, and nothing more: the HTTP layer, the token
//! broker, the journal writer and the role timing. Built once by `Elevate::new`; services
//! hold a clone (every field is shared or `Copy`).

use std::sync::{Arc, Mutex};

use crate::api::{JournalAccount, JournalAction, JournalOutcome, JournalTenant};
use crate::auth::{BrokerToken, TokenBroker};
use crate::cache::StoredAccount;
use crate::clients::http::Http;
use crate::journal::{Entry, Journal, Record};
use crate::roles::RoleTiming;
use crate::secret::Secret;

#[derive(Clone)]
pub(crate) struct Context {
    pub http: Http,
    pub broker: Arc<TokenBroker>,
    pub journal: JournalWriter,
    pub timing: RoleTiming,
}

impl Context {
    /// `token` for `resource` as the HTTP layer's token source: a claims challenge on a call
    /// made with it is answered through the broker.
    pub fn token_source(&self, resource: &str, token: Secret) -> BrokerToken {
        BrokerToken::new(self.broker.clone(), resource, token)
    }
}

/// The one line the session shows above everything (an expired sign-in, a journal that
/// could not be written).
#[derive(Clone, Default)]
pub(crate) struct Notice(Arc<Mutex<Option<String>>>);

impl Notice {
    pub fn set(&self, n: String) {
        *self.0.lock().expect("lock") = Some(n);
    }

    pub fn clear(&self) {
        self.0.lock().expect("lock").take();
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().expect("lock").clone()
    }
}

/// Writes journal entries as the account that acted.
#[derive(Clone)]
pub(crate) struct JournalWriter {
    journal: Arc<Journal>,
    broker: Arc<TokenBroker>,
    notice: Notice,
}

impl JournalWriter {
    pub fn new(journal: Arc<Journal>, broker: Arc<TokenBroker>, notice: Notice) -> Self {
        Self {
            journal,
            broker,
            notice,
        }
    }

    pub fn journal(&self) -> &Arc<Journal> {
        &self.journal
    }

    /// An entry by the signed-in account, or by the account a privileged operation started
    /// with (`ACTING_AS`) when it runs inside one. Nothing is written when no one is signed in.
    pub async fn write(&self, entry: Entry) {
        let acting = crate::privileged::ACTING_AS.try_with(|a| a.clone()).ok();
        let Some(a) = acting.or_else(|| self.broker.account()) else {
            return;
        };
        let tenant = JournalTenant {
            kind: a.kind,
            id: a.tid.clone(),
        };
        self.write_record(entry.record(tenant, Some(journal_account(&a))))
            .await;
    }

    /// Writes the record; when that fails the action still happened, so the user is told
    /// that the journal missed it (the Activity badge shows the error too).
    pub async fn write_record(&self, rec: Record) {
        let clear_notice =
            rec.action == JournalAction::SignIn && rec.result.outcome == JournalOutcome::Succeeded;
        match self.journal.record(rec).await {
            Ok(_) if clear_notice => self.notice.clear(),
            Ok(_) => {}
            Err(e) => self.notice.set(format!("Elevate could not record this in its activity journal: {e}. Check that the disk is not full.")),
        }
    }
}

pub(crate) fn journal_account(a: &StoredAccount) -> JournalAccount {
    JournalAccount {
        name: a.name.clone(),
        upn: a.upn.clone(),
        oid: a.oid.clone(),
    }
}
