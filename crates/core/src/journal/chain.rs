//! The chain's building blocks: the per-install key, and "sealed" lines — a JSON object
//! whose last member is `"mac"`, an HMAC-SHA256 over the exact bytes of the object without
//! it. Byte-exact (not re-serialised) so that any edit, even whitespace, breaks the seal, and
//! so that a future serde change can never make an old journal look tampered.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::cache::{KeyStore, KeyStoreError};

type HmacSha256 = Hmac<Sha256>;

/// The on-disk format of a segment; also the prefix of every MAC input (domain separation).
pub(crate) const FORMAT: &str = "elevate-journal/1";
const MAC_OPEN: &str = ",\"mac\":\"";
/// `,"mac":"` + 64 hex digits + `"}`
const SEAL_LEN: usize = MAC_OPEN.len() + 64 + 2;

/// What a sealed line is; part of the MAC input, so a header can never pass for an entry.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Header,
    Entry,
    Head,
    Mark,
    /// A clean-up run's `plan.json` and `progress.jsonl` lines: sealed with the same key, so
    /// whoever can write the run's folder cannot change what resume or rollback act on.
    CleanupPlan,
    CleanupProgress,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Header => "header",
            Kind::Entry => "entry",
            Kind::Head => "head",
            Kind::Mark => "mark",
            Kind::CleanupPlan => "cleanup plan",
            Kind::CleanupProgress => "cleanup progress",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum KeyMode {
    /// The key is in the OS credential store (user `journal-key`).
    CredentialStore,
    /// No credential store when the segment was started: the key is in its header. Catches
    /// accidental damage only.
    File,
}

/// The HMAC key of a segment. Never logged, never in IPC; in a file only in `File` mode.
#[derive(Clone)]
pub(crate) struct ChainKey {
    bytes: Zeroizing<[u8; 32]>,
    pub mode: KeyMode,
    /// A fingerprint of the key: tells this installation's segments from others'.
    pub install_id: String,
}

impl ChainKey {
    fn new(bytes: Zeroizing<[u8; 32]>, mode: KeyMode) -> Self {
        let mut m = HmacSha256::new_from_slice(bytes.as_slice()).expect("any key length");
        m.update(format!("{FORMAT} install id\n").as_bytes());
        let install_id = hex(&m.finalize().into_bytes()[..16]);
        Self {
            bytes,
            mode,
            install_id,
        }
    }

    fn random() -> Zeroizing<[u8; 32]> {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        k
    }

    /// A fresh key that will be written into the segment header (no credential store).
    pub fn new_file_key() -> Self {
        Self::new(Self::random(), KeyMode::File)
    }

    /// The key of a `File` mode segment, from its header.
    pub fn from_header(hex_key: &str) -> Option<Self> {
        let bytes = unhex(hex_key)?;
        let arr: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self::new(Zeroizing::new(arr), KeyMode::File))
    }

    /// Only `File` mode keys are ever written out.
    pub fn header_value(&self) -> Option<String> {
        (self.mode == KeyMode::File).then(|| hex(self.bytes.as_slice()))
    }

    /// This installation's key from the credential store, created on first use; `None` when
    /// the store cannot be used (the journal then keeps its keys in the segment headers).
    pub fn from_store(keys: &dyn KeyStore) -> Option<Self> {
        let existing = match keys.get() {
            Ok(k) => k,
            Err(KeyStoreError::BadKey) => {
                tracing::warn!("the journal key in the credential store is damaged; a new one is made (older segments will read as from another installation)");
                None
            }
            Err(KeyStoreError::Unavailable(e)) => {
                tracing::warn!(error = %e, "no credential store for the journal key: tamper-evidence limited to accidental damage");
                return None;
            }
        };
        if let Some(k) = existing {
            return Some(Self::new(k, KeyMode::CredentialStore));
        }
        let k = Self::random();
        match keys.set(&k) {
            Ok(()) => Some(Self::new(k, KeyMode::CredentialStore)),
            Err(e) => {
                tracing::warn!(error = %e, "could not store the journal key: tamper-evidence limited to accidental damage");
                None
            }
        }
    }

    fn mac(&self, kind: Kind, body: &[u8]) -> HmacSha256 {
        let mut m = HmacSha256::new_from_slice(self.bytes.as_slice()).expect("any key length");
        m.update(format!("{FORMAT} {}\n", kind.tag()).as_bytes());
        m.update(body);
        m
    }

    /// Serialises `value` (a non-empty JSON object) and appends its MAC as the last member.
    /// Returns the line (without `\n`) and the MAC.
    pub fn seal<T: serde::Serialize>(&self, kind: Kind, value: &T) -> (String, String) {
        let body = serde_json::to_string(value).expect("journal records serialise");
        debug_assert!(body.starts_with('{') && body.ends_with('}') && body.len() > 2);
        let mac = hex(&self.mac(kind, body.as_bytes()).finalize().into_bytes());
        let line = format!("{}{MAC_OPEN}{mac}\"}}", &body[..body.len() - 1]);
        (line, mac)
    }

    /// Checks a sealed line; on success returns the body as it was sealed, and the MAC.
    pub fn open<'a>(&self, kind: Kind, line: &'a str) -> Result<(String, &'a str), SealError> {
        let (body, mac) = unseal(line).ok_or(SealError::NotSealed)?;
        let expected = unhex(mac).ok_or(SealError::NotSealed)?;
        self.mac(kind, body.as_bytes())
            .verify_slice(&expected)
            .map_err(|_| SealError::BadMac)?;
        Ok((body, mac))
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SealError {
    /// Not a line Elevate wrote (no MAC where it belongs).
    NotSealed,
    /// The bytes are not the ones that were sealed.
    BadMac,
}

/// Splits a sealed line into the body that was sealed and the MAC, without checking it.
pub(crate) fn unseal(line: &str) -> Option<(String, &str)> {
    if line.len() < SEAL_LEN + 2 || !line.ends_with("\"}") {
        return None;
    }
    let cut = line.len() - SEAL_LEN;
    if !line.is_char_boundary(cut) || !line[cut..].starts_with(MAC_OPEN) {
        return None;
    }
    let mac = &line[cut + MAC_OPEN.len()..line.len() - 2];
    if !mac.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((format!("{}}}", &line[..cut]), mac))
}

/// 32 random bytes as hex: a segment's genesis seed.
pub(crate) fn random_hex() -> String {
    hex(ChainKey::random().as_slice())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::MemoryKeyStore;

    #[derive(serde::Serialize)]
    struct T {
        a: u32,
        b: &'static str,
    }

    #[test]
    fn a_sealed_line_opens_and_any_change_breaks_it() {
        let k = ChainKey::new_file_key();
        let (line, mac) = k.seal(Kind::Entry, &T { a: 1, b: "x" });
        assert!(
            line.starts_with("{\"a\":1,\"b\":\"x\",\"mac\":\""),
            "{line}"
        );
        let (body, m) = k.open(Kind::Entry, &line).unwrap();
        assert_eq!((body.as_str(), m), ("{\"a\":1,\"b\":\"x\"}", mac.as_str()));
        assert_eq!(
            k.open(Kind::Entry, &line.replace("\"x\"", "\"y\"")),
            Err(SealError::BadMac)
        );
        assert_eq!(
            k.open(Kind::Entry, &line.replace(":1,", ": 1,")),
            Err(SealError::BadMac),
            "even whitespace"
        );
        assert_eq!(
            k.open(Kind::Header, &line),
            Err(SealError::BadMac),
            "an entry is not a header"
        );
        assert_eq!(
            ChainKey::new_file_key().open(Kind::Entry, &line),
            Err(SealError::BadMac),
            "another key"
        );
        assert_eq!(k.open(Kind::Entry, "{\"a\":1}"), Err(SealError::NotSealed));
        assert_eq!(
            k.open(Kind::Entry, &line[..line.len() - 1]),
            Err(SealError::NotSealed)
        );
    }

    #[test]
    fn the_store_key_is_made_once_and_identifies_the_install() {
        let store = MemoryKeyStore::default();
        let a = ChainKey::from_store(&store).unwrap();
        let b = ChainKey::from_store(&store).unwrap();
        assert_eq!(a.install_id, b.install_id);
        assert_eq!(a.mode, KeyMode::CredentialStore);
        assert!(
            a.header_value().is_none(),
            "a credential-store key is never written out"
        );
        assert_ne!(
            a.install_id,
            ChainKey::from_store(&MemoryKeyStore::default())
                .unwrap()
                .install_id
        );
        assert!(ChainKey::from_store(&MemoryKeyStore::unavailable()).is_none());
        let f = ChainKey::new_file_key();
        let again = ChainKey::from_header(&f.header_value().unwrap()).unwrap();
        assert_eq!(f.install_id, again.install_id);
    }
}
