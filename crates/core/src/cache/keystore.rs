//! Where the 32-byte cache key lives: the OS credential store (macOS Keychain, Windows
//! Credential Manager, Linux Secret Service) through the `keyring` crate. Only the key goes
//! there, which keeps clear of the ~2.5 KB Windows credential size limit.

use std::sync::Mutex;

use zeroize::Zeroizing;

pub type Key = Zeroizing<[u8; 32]>;

#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    #[error("the OS credential store is unavailable: {0}")]
    Unavailable(String),
    #[error("the stored key is damaged")]
    BadKey,
}

pub trait KeyStore: Send + Sync {
    /// `Ok(None)` when no key has been stored yet.
    fn get(&self) -> Result<Option<Key>, KeyStoreError>;
    fn set(&self, key: &Key) -> Result<(), KeyStoreError>;
    fn delete(&self) -> Result<(), KeyStoreError>;

    /// A small record kept beside the key in the credential store (the activity journal's
    /// high-water mark), out of reach of whoever can only change files. `Ok(None)` when none
    /// was written yet.
    fn get_mark(&self) -> Result<Option<Vec<u8>>, KeyStoreError>;
    fn set_mark(&self, mark: &[u8]) -> Result<(), KeyStoreError>;
}

/// The OS credential store. Calls block (D-Bus, Keychain): run them off the async runtime.
pub struct OsKeyStore {
    service: String,
    user: String,
    mark_scope: Option<String>,
}

impl OsKeyStore {
    pub fn new(service: &str, user: &str) -> Self {
        Self {
            service: service.to_string(),
            user: user.to_string(),
            mark_scope: None,
        }
    }

    /// One high-water mark per data folder: the credential store is the user's, shared by
    /// every Elevate data folder they have (a portable copy, a test sandbox). Emptying *this*
    /// folder is still caught; a folder that never had a journal is not "behind".
    pub fn with_mark_scope(mut self, data_dir: &std::path::Path) -> Self {
        // FNV-1a: stable across Rust versions and platforms, unlike DefaultHasher.
        let hash = data_dir
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        self.mark_scope = Some(format!("{hash:016x}"));
        self
    }

    fn entry(&self) -> Result<keyring::Entry, KeyStoreError> {
        keyring::Entry::new(&self.service, &self.user).map_err(unavailable)
    }

    /// The mark is its own entry: `<user>.mark`, or `<user>.mark.<folder hash>` when scoped.
    fn mark_entry(&self) -> Result<keyring::Entry, KeyStoreError> {
        let user = match &self.mark_scope {
            Some(scope) => format!("{}.mark.{scope}", self.user),
            None => format!("{}.mark", self.user),
        };
        keyring::Entry::new(&self.service, &user).map_err(unavailable)
    }
}

fn unavailable(e: keyring::Error) -> KeyStoreError {
    KeyStoreError::Unavailable(e.to_string())
}

impl KeyStore for OsKeyStore {
    fn get(&self) -> Result<Option<Key>, KeyStoreError> {
        match self.entry()?.get_secret() {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                let arr: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| KeyStoreError::BadKey)?;
                Ok(Some(Zeroizing::new(arr)))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, key: &Key) -> Result<(), KeyStoreError> {
        self.entry()?
            .set_secret(key.as_slice())
            .map_err(unavailable)
    }

    fn delete(&self) -> Result<(), KeyStoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn get_mark(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        match self.mark_entry()?.get_secret() {
            Ok(bytes) => Ok(Some(bytes)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set_mark(&self, mark: &[u8]) -> Result<(), KeyStoreError> {
        self.mark_entry()?.set_secret(mark).map_err(unavailable)
    }
}

/// A store for tests; `unavailable()` behaves like a machine without a credential store.
#[derive(Default)]
pub struct MemoryKeyStore {
    key: Mutex<Option<[u8; 32]>>,
    mark: Mutex<Option<Vec<u8>>>,
    broken: bool,
}

impl MemoryKeyStore {
    pub fn unavailable() -> Self {
        Self {
            broken: true,
            ..Self::default()
        }
    }
    fn check(&self) -> Result<(), KeyStoreError> {
        if self.broken {
            Err(KeyStoreError::Unavailable(
                "org.freedesktop.DBus.Error.ServiceUnknown (test)".into(),
            ))
        } else {
            Ok(())
        }
    }
}

impl KeyStore for MemoryKeyStore {
    fn get(&self) -> Result<Option<Key>, KeyStoreError> {
        self.check()?;
        Ok(self.key.lock().expect("lock").map(Zeroizing::new))
    }
    fn set(&self, key: &Key) -> Result<(), KeyStoreError> {
        self.check()?;
        *self.key.lock().expect("lock") = Some(**key);
        Ok(())
    }
    fn delete(&self) -> Result<(), KeyStoreError> {
        self.check()?;
        *self.key.lock().expect("lock") = None;
        Ok(())
    }
    fn get_mark(&self) -> Result<Option<Vec<u8>>, KeyStoreError> {
        self.check()?;
        Ok(self.mark.lock().expect("lock").clone())
    }
    fn set_mark(&self, mark: &[u8]) -> Result<(), KeyStoreError> {
        self.check()?;
        *self.mark.lock().expect("lock") = Some(mark.to_vec());
        Ok(())
    }
}
