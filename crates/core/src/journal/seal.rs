//! Sealing for files outside the journal that Elevate must be able to trust later — a
//! clean-up run's plan and progress — with the journal's own key, so there is one secret.
//!
//! With the key in the credential store a seal holds across restarts and against anyone who
//! can write the files. Without a credential store the journal's key is in its files, which
//! would seal nothing; the run files are then sealed with a key this process keeps in memory,
//! so a run can be resumed or rolled back only until Elevate is closed.

use super::chain::{ChainKey, Kind};
use super::Journal;

/// What a sealed line is; part of the MAC, so a progress line never passes for a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sealed {
    CleanupPlan,
    CleanupProgress,
}

impl Sealed {
    fn kind(self) -> Kind {
        match self {
            Sealed::CleanupPlan => Kind::CleanupPlan,
            Sealed::CleanupProgress => Kind::CleanupProgress,
        }
    }
}

impl Journal {
    fn run_key(&self) -> ChainKey {
        if let Some(k) = &self.store_key {
            return k.clone();
        }
        let mut w = self.writer.lock().expect("journal lock");
        if w.memory_key.is_none() {
            w.memory_key = Some(ChainKey::new_file_key());
        }
        w.memory_key.clone().expect("just set")
    }

    /// `value` (a JSON object) as one line ending in its MAC.
    pub(crate) fn seal_line<T: serde::Serialize>(&self, what: Sealed, value: &T) -> String {
        self.run_key().seal(what.kind(), value).0
    }

    /// The value of a line `seal_line` wrote; `None` when any byte of it was changed, or it
    /// was sealed by another installation (or, without a credential store, an earlier run).
    pub(crate) fn open_line<T: serde::de::DeserializeOwned>(
        &self,
        what: Sealed,
        line: &str,
    ) -> Option<T> {
        let (body, _) = self.run_key().open(what.kind(), line).ok()?;
        serde_json::from_str(&body).ok()
    }

    /// Whether seals outlive this process (the key is in the credential store).
    pub(crate) fn seals_persist(&self) -> bool {
        self.store_key.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::MemoryKeyStore;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct R {
        url: String,
    }

    #[test]
    fn a_changed_byte_or_another_kind_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        let keys: std::sync::Arc<dyn crate::cache::KeyStore> =
            std::sync::Arc::new(MemoryKeyStore::default());
        let j = Journal::open(dir.path(), keys.clone());
        let r = R {
            url: "https://a.crm.dynamics.com/".into(),
        };
        let line = j.seal_line(Sealed::CleanupPlan, &r);
        assert_eq!(j.open_line::<R>(Sealed::CleanupPlan, &line), Some(r));
        assert_eq!(j.open_line::<R>(Sealed::CleanupProgress, &line), None);
        let evil = line.replace("a.crm", "b.crm");
        assert_eq!(j.open_line::<R>(Sealed::CleanupPlan, &evil), None);
        // The same installation later (same credential store) opens it; another does not.
        assert!(Journal::open(dir.path(), keys.clone())
            .open_line::<R>(Sealed::CleanupPlan, &line)
            .is_some());
        let other = Journal::open(dir.path(), std::sync::Arc::new(MemoryKeyStore::default()));
        assert!(other.open_line::<R>(Sealed::CleanupPlan, &line).is_none());
    }
}
