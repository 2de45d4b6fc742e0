//! The token cache: account metadata + refresh token, AEAD-encrypted (XChaCha20-Poly1305)
//! in one file in the app data folder, with the key in the OS credential store. Access
//! tokens are never written. Without a credential store nothing is written at all.
//!
//! File: `ELV2`, the length and bytes of a clear binding (kind, tenant, client id, account),
//! the nonce, the ciphertext. The binding is the AEAD's associated data, so it cannot be
//! edited, and it must match the account inside. Every save makes a new key: an older
//! `session.bin` put back no longer decrypts. Only a sign-in starts a key; saving a rotated
//! refresh token needs one already there, so a rotation that lands after a sign-out cannot
//! write the session back.

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

const MAGIC: &[u8; 4] = b"ELV2";
const OLD_MAGIC: &[u8; 4] = b"ELV1";
const AAD: &[u8] = b"elevate-token-cache-v2\n";
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

/// What the file is for, in clear and authenticated: which sign-in the token belongs to.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Binding {
    kind: TenantKind,
    tenant: String,
    client_id: String,
    oid: String,
    tid: String,
}

impl Binding {
    fn of(a: &StoredAccount) -> Self {
        Self {
            kind: a.kind,
            tenant: a.tenant.clone(),
            client_id: a.client_id.clone(),
            oid: a.oid.clone(),
            tid: a.tid.clone(),
        }
    }
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
    /// The file is there but could not be read (locked by another program, no
    /// permission); file and key are kept for the next try. The text says why.
    Unreadable(String),
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
            Err(e) => return Loaded::Unreadable(e.to_string()),
        };
        let key = match self.keys.get() {
            Ok(Some(k)) => k,
            Ok(None) => return self.discard("its key is missing from the credential store".into()),
            Err(KeyStoreError::BadKey) => {
                return self.discard("its key in the credential store is damaged".into())
            }
            Err(KeyStoreError::Unavailable(e)) => return Loaded::StoreUnavailable(e),
        };
        if bytes.starts_with(OLD_MAGIC) {
            return self.discard("it was written by an older version of Elevate".into());
        }
        match decrypt(&key, &bytes) {
            Some(p) if p.version == 2 => Loaded::Account(p.account, Secret::new(p.refresh_token)),
            Some(_) => self.discard("it was written by another version of Elevate".into()),
            None => self.discard(
                "it is damaged, is an older copy, or was not written on this computer".into(),
            ),
        }
    }

    /// Saves a new sign-in. Like every save, under a new key.
    pub fn save_new(
        &self,
        account: &StoredAccount,
        refresh_token: &Secret,
    ) -> Result<(), KeyStoreError> {
        let old = self.keys.get().ok().flatten();
        self.rekey_and_write(old, account, refresh_token)
    }

    /// Saves a rotated refresh token of the current sign-in. Without a key (signed out
    /// meanwhile) nothing is written: only a sign-in starts a saved session.
    pub fn save(
        &self,
        account: &StoredAccount,
        refresh_token: &Secret,
    ) -> Result<(), KeyStoreError> {
        match self.keys.get()? {
            Some(old) => self.rekey_and_write(Some(old), account, refresh_token),
            None => Err(KeyStoreError::Unavailable(
                "there is no saved sign-in to update (signed out)".into(),
            )),
        }
    }

    /// A new key for every save, so that no earlier copy of the file decrypts any more.
    /// The file is replaced atomically: a crash leaves the old or the new file, and at worst
    /// (between the two steps) a file that no longer decrypts, which asks for a sign-in.
    fn rekey_and_write(
        &self,
        old: Option<Key>,
        account: &StoredAccount,
        refresh_token: &Secret,
    ) -> Result<(), KeyStoreError> {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        self.keys.set(&k)?;
        let written = self.write(&k, account, refresh_token);
        if written.is_err() {
            // The old file is still there: keep it readable.
            if let Some(old) = old {
                let _ = self.keys.set(&old);
            }
        }
        written
    }

    fn write(
        &self,
        key: &Key,
        account: &StoredAccount,
        refresh_token: &Secret,
    ) -> Result<(), KeyStoreError> {
        let plain = Zeroizing::new(
            serde_json::to_vec(&Payload_ {
                version: 2,
                account: account.clone(),
                refresh_token: refresh_token.expose().to_string(),
            })
            .expect("cache payload serialises"),
        );
        let sealed = encrypt(key, &Binding::of(account), &plain);
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

fn aad(binding: &[u8]) -> Vec<u8> {
    [MAGIC.as_slice(), AAD, binding].concat()
}

fn encrypt(key: &Key, binding: &Binding, plain: &[u8]) -> Vec<u8> {
    let binding = serde_json::to_vec(binding).expect("binding serialises");
    let len = u16::try_from(binding.len()).expect("a binding is short");
    let cipher = XChaCha20Poly1305::new(key.as_slice().into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: &aad(&binding),
            },
        )
        .expect("encryption of an in-memory buffer cannot fail");
    let mut out = Vec::with_capacity(6 + binding.len() + 24 + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&binding);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

fn decrypt(key: &Key, bytes: &[u8]) -> Option<Payload_> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let len = u16::from_be_bytes([*rest.first()?, *rest.get(1)?]) as usize;
    let rest = &rest[2..];
    if rest.len() < len + 24 + 16 {
        return None;
    }
    let (binding, rest) = rest.split_at(len);
    let (nonce, ct) = rest.split_at(24);
    let cipher = XChaCha20Poly1305::new(key.as_slice().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: &aad(binding),
                },
            )
            .ok()?,
    );
    let p: Payload_ = serde_json::from_slice(&plain).ok()?;
    let bound: Binding = serde_json::from_slice(binding).ok()?;
    (bound == Binding::of(&p.account)).then_some(p)
}

/// Replaces `dir/name` with `bytes`: a crash leaves the old file or the new one, never a mix.
/// Each write has its own temporary file (`tempfile`, created 0600 on Unix), so concurrent
/// writers never write into each other's; on Windows the rename is retried for a moment while
/// a virus scanner or the indexer holds the target open.
pub(crate) fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    let target = dir.join(name);
    let mut tries = 0;
    loop {
        match tmp.persist(&target) {
            Ok(_) => break,
            Err(e)
                if cfg!(windows)
                    && tries < 20
                    && e.error.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                tries += 1;
                tmp = e.file;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => return Err(e.error),
        }
    }
    #[cfg(unix)]
    fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Creates `dir` if needed; on Unix a folder Elevate creates for its data is the user's alone (0700).
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
