//! A real round trip through the OS credential store (Secret Service on Linux, from
//! gnome-keyring in a private D-Bus session under `cargo xtask test`).

use elevate_core::cache::{KeyStore, KeyStoreError, OsKeyStore};
use zeroize::Zeroizing;

#[test]
fn os_credential_store_round_trip() {
    let store = OsKeyStore::new(
        "com.elevate.desktop.test",
        &format!("round-trip-{}", std::process::id()),
    );
    let required = std::env::var_os("ELEVATE_REQUIRE_KEYRING").is_some();
    match store.get() {
        Ok(None) => {}
        Ok(Some(_)) => panic!("a fresh entry should be empty"),
        Err(KeyStoreError::Unavailable(e)) => {
            // Without a credential store the app runs memory-only; that is what this proves here.
            assert!(
                !required,
                "the OS credential store must be available under `cargo xtask test`: {e}"
            );
            return;
        }
        Err(e) => panic!("{e}"),
    }
    let key = Zeroizing::new([42u8; 32]);
    store.set(&key).unwrap();
    assert_eq!(*store.get().unwrap().unwrap(), [42u8; 32]);
    store.delete().unwrap();
    assert!(store.get().unwrap().is_none());
    store.delete().unwrap();
}
