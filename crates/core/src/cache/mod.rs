//! The token cache: account metadata + refresh token, AEAD-encrypted (XChaCha20-Poly1305)
//! in one file in the app data folder, with the key in the OS credential store. Access
//! tokens are never written. Without a credential store nothing is written at all.

pub mod keystore;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::api::TenantKind;
use crate::secret::Secret;
pub use keystore::{Key, KeyStore, KeyStoreError, MemoryKeyStore, OsKeyStore};

const MAGIC: &[u8; 4] = b"ELV1";
const AAD: &[u8] = b"elevate-token-cache-v1";
const FILE_NAME: &str = "session.bin";

/// Who is signed in, and where. Safe to show; carries no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAccount {
    pub kind: TenantKind,
    /// The tenant as configured (GUID or domain) — what the authority URL uses.
    pub tenant: String,
    pub client_id: String,
    pub oid: String,
    pub tid: String,
    pub name: String,
    pub upn: String,
    /// The ID token's `login_hint` claim (an optional claim the app registration may emit):
    /// the `logout_hint` that ends this account's browser session without an account picker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_hint: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Payload_ {
    version: u32,
    account: StoredAccount,
    refresh_token: String,
}

pub enum Loaded {
    Empty,
    Account(StoredAccount, Secret),
    /// The file could not be decrypted or parsed; it was removed. The text says why.
    Discarded(String),
    /// The credential store could not be used; nothing was read.
    StoreUnavailable(String),
}

pub struct TokenCache {
    dir: PathBuf,
    keys: Arc<dyn KeyStore>,
}

impl TokenCache {
    pub fn new(dir: impl Into<PathBuf>, keys: Arc<dyn KeyStore>) -> Self {
        Self {
            dir: dir.into(),
            keys,
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    pub fn load(&self) -> Loaded {
        let bytes = match fs::read(self.path()) {
            Ok(b) => Zeroizing::new(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Empty,
            Err(e) => return self.discard(format!("it could not be read ({e})")),
        };
        let key = match self.keys.get() {
            Ok(Some(k)) => k,
            Ok(None) => return self.discard("its key is missing from the credential store".into()),
            Err(KeyStoreError::BadKey) => {
                return self.discard("its key in the credential store is damaged".into())
            }
            Err(KeyStoreError::Unavailable(e)) => return Loaded::StoreUnavailable(e),
        };
        match decrypt(&key, &bytes) {
            Some(p) if p.version == 1 => Loaded::Account(p.account, Secret::new(p.refresh_token)),
            Some(_) => self.discard("it was written by another version of Elevate".into()),
            None => self.discard("it is damaged or was not written on this computer".into()),
        }
    }

    /// Saves the account and its (possibly rotated) refresh token, replacing the file
    /// atomically so a crash leaves either the old or the new token, never a torn file.
    pub fn save(
        &self,
        account: &StoredAccount,
        refresh_token: &Secret,
    ) -> Result<(), KeyStoreError> {
        let key = match self.keys.get()? {
            Some(k) => k,
            None => {
                let mut k = Zeroizing::new([0u8; 32]);
                rand::rngs::OsRng.fill_bytes(k.as_mut());
                self.keys.set(&k)?;
                k
            }
        };
        let plain = Zeroizing::new(
            serde_json::to_vec(&Payload_ {
                version: 1,
                account: account.clone(),
                refresh_token: refresh_token.expose().to_string(),
            })
            .expect("cache payload serialises"),
        );
        let sealed = encrypt(&key, &plain);
        write_atomically(&self.dir, FILE_NAME, &sealed)
            .map_err(|e| KeyStoreError::Unavailable(format!("cannot write the cache: {e}")))
    }

    /// Forgets everything: the file and the key.
    pub fn clear(&self) -> Result<(), KeyStoreError> {
        match fs::remove_file(self.path()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(KeyStoreError::Unavailable(format!(
                    "cannot remove the cache: {e}"
                )))
            }
        }
        self.keys.delete()
    }

    fn discard(&self, why: String) -> Loaded {
        let _ = fs::remove_file(self.path());
        let _ = self.keys.delete();
        Loaded::Discarded(why)
    }
}

fn encrypt(key: &Key, plain: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.as_slice().into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: AAD,
            },
        )
        .expect("encryption of an in-memory buffer cannot fail");
    let mut out = Vec::with_capacity(4 + 24 + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

fn decrypt(key: &Key, bytes: &[u8]) -> Option<Payload_> {
    if bytes.len() < 4 + 24 + 16 || &bytes[..4] != MAGIC {
        return None;
    }
    let cipher = XChaCha20Poly1305::new(key.as_slice().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&bytes[4..28]),
                Payload {
                    msg: &bytes[28..],
                    aad: AAD,
                },
            )
            .ok()?,
    );
    serde_json::from_slice(&plain).ok()
}

pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, dir.join(name))?;
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests;
