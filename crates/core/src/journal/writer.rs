//! The journal as a service: what features write (`Entry`, as the acting account) and what
//! the Activity page reads.

use std::path::PathBuf;
use std::sync::Arc;

use super::{Entry, Journal, Record};
use crate::api::{
    ApiError, ExportFormat, JournalAction, JournalExport, JournalFilter, JournalHealth,
    JournalOutcome, JournalPage, JournalTenant,
};
use crate::auth::TokenBroker;
use crate::context::Notice;

/// The journal service: writes entries as the account that acted, and reads them for the
/// Activity page off the async runtime (file reads and HMACs are blocking work).
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

    /// Entries matching `filter`, newest first.
    pub async fn entries(&self, filter: JournalFilter) -> JournalPage {
        let j = self.journal.clone();
        tokio::task::spawn_blocking(move || j.page(&filter))
            .await
            .expect("journal task")
    }

    /// Is the journal intact, or where was it changed or cut?
    pub async fn verify(&self) -> JournalHealth {
        let j = self.journal.clone();
        tokio::task::spawn_blocking(move || j.verify())
            .await
            .expect("journal task")
    }

    /// Writes the entries matching `filter` to `path`.
    pub async fn export(
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
        self.write_record(entry.record(tenant, Some(crate::context::journal_account(&a))))
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
