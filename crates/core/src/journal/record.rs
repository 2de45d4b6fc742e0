//! What callers journal. Features describe an `Entry` (action, target, result and the ids
//! that go with it) with one builder; the session adds who acted and in which tenant, making
//! it a `Record`; the journal adds `seq`, `time` and the chain link.

use chrono::{DateTime, Utc};

use crate::api::{
    JournalAccount, JournalAction, JournalParams, JournalResult, JournalTarget, JournalTargetKind,
    JournalTenant,
};

/// What a caller records; the journal adds `seq`, `time` and the chain link.
#[derive(Debug, Clone)]
pub struct Record {
    pub tenant: JournalTenant,
    pub account: Option<JournalAccount>,
    pub action: JournalAction,
    pub target: Option<JournalTarget>,
    pub params: JournalParams,
    pub result: JournalResult,
    pub correlation_id: Option<String>,
    pub request_id: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl Record {
    pub fn new(action: JournalAction, tenant: JournalTenant, result: JournalResult) -> Self {
        Self {
            tenant,
            account: None,
            action,
            target: None,
            params: JournalParams::default(),
            result,
            correlation_id: None,
            request_id: None,
            expires_at: None,
        }
    }
}

/// One privileged action to journal, before it is known who acted (`Entry::record`).
#[derive(Debug, Clone)]
#[must_use = "an entry is journaled only when written"]
pub struct Entry {
    action: JournalAction,
    target: JournalTarget,
    params: JournalParams,
    result: JournalResult,
    correlation_id: Option<String>,
    request_id: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

impl Entry {
    pub fn new(action: JournalAction, target: JournalTarget, result: JournalResult) -> Self {
        Self {
            action,
            target,
            params: JournalParams::default(),
            result,
            correlation_id: None,
            request_id: None,
            expires_at: None,
        }
    }

    /// An entry about a directory role (activate, extend, deactivate).
    pub fn directory_role(
        action: JournalAction,
        role_id: &str,
        role_name: &str,
        result: JournalResult,
    ) -> Self {
        let target = JournalTarget {
            kind: JournalTargetKind::DirectoryRole,
            id: role_id.to_string(),
            name: role_name.to_string(),
        };
        Self::new(action, target, result)
    }

    pub fn params(mut self, params: JournalParams) -> Self {
        self.params = params;
        self
    }

    pub fn correlation_id(mut self, id: Option<String>) -> Self {
        self.correlation_id = id;
        self
    }

    pub fn request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }

    pub fn expires_at(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.expires_at = at;
        self
    }

    /// The record of this entry done by `account` (none before a sign-in succeeded) in
    /// `tenant`.
    pub fn record(self, tenant: JournalTenant, account: Option<JournalAccount>) -> Record {
        Record {
            tenant,
            account,
            action: self.action,
            target: Some(self.target),
            params: self.params,
            result: self.result,
            correlation_id: self.correlation_id,
            request_id: self.request_id,
            expires_at: self.expires_at,
        }
    }
}
