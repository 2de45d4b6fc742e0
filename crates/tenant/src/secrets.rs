//! Random secrets, their server-side fingerprints, and the leak-test log of every raw secret.

use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `len` random bytes, base64url without padding.
pub fn random_token(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256: codes and refresh tokens are looked up by this, never kept raw.
pub fn fingerprint(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every raw secret the emulator ever handed out, in order. Exists only so leak tests can
/// search logs, files and IPC payloads for them; survives resets on purpose.
#[derive(Debug, Default)]
pub struct IssuedLog {
    entries: Mutex<Vec<String>>,
}

impl IssuedLog {
    pub fn record(&self, secret: &str) {
        lock(&self.entries).push(secret.to_string());
    }

    pub fn all(&self) -> Vec<String> {
        lock(&self.entries).clone()
    }
}

/// A poisoned lock only means another request panicked mid-update; the data is still the
/// best we have, and the emulator must keep serving.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert!(a.len() >= 43);
        assert_ne!(a, random_token(32));
        assert_eq!(fingerprint("abc").len(), 64);
    }
}
