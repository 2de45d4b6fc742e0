use super::*;

fn account() -> StoredAccount {
    StoredAccount {
        login_hint: None,
        kind: TenantKind::Demo,
        tenant: "contoso.onmicrosoft.com".into(),
        client_id: "c".into(),
        oid: "o".into(),
        tid: "t".into(),
        name: "Adele Vance".into(),
        upn: "adele@contoso.onmicrosoft.com".into(),
    }
}

fn cache(dir: &Path) -> (TokenCache, Arc<MemoryKeyStore>) {
    let keys = Arc::new(MemoryKeyStore::default());
    (TokenCache::new(dir, keys.clone()), keys)
}

#[test]
fn round_trip_and_the_file_holds_no_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = cache(dir.path());
    assert!(matches!(c.load(), Loaded::Empty));
    c.save(&account(), &Secret::new("1.refresh-token-value"))
        .unwrap();
    let raw = fs::read(c.path()).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("refresh-token-value"));
    assert!(!text.contains("Adele"));
    match c.load() {
        Loaded::Account(a, rt) => {
            assert_eq!(a, account());
            assert_eq!(rt.expose(), "1.refresh-token-value");
        }
        _ => panic!("expected the account back"),
    }
}

#[test]
fn rotation_replaces_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = cache(dir.path());
    c.save(&account(), &Secret::new("old")).unwrap();
    c.save(&account(), &Secret::new("new")).unwrap();
    let Loaded::Account(_, rt) = c.load() else {
        panic!()
    };
    assert_eq!(rt.expose(), "new");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "no temp file left behind: {names:?}");
}

#[test]
fn tampered_or_foreign_files_are_discarded_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save(&account(), &Secret::new("rt")).unwrap();
    let mut raw = fs::read(c.path()).unwrap();
    let last = raw.len() - 1;
    raw[last] ^= 1;
    fs::write(c.path(), &raw).unwrap();
    assert!(matches!(c.load(), Loaded::Discarded(_)));
    assert!(!c.path().exists());
    assert!(keys.get().unwrap().is_none(), "the key goes too");

    fs::write(c.path(), b"not ours at all").unwrap();
    assert!(matches!(c.load(), Loaded::Discarded(_)));

    // A file from another install: encrypted under a key this machine does not have.
    let (other, _) = cache(dir.path());
    other.save(&account(), &Secret::new("rt")).unwrap();
    let (fresh, fresh_keys) = cache(dir.path());
    fresh_keys.set(&Zeroizing::new([7u8; 32])).unwrap();
    assert!(matches!(fresh.load(), Loaded::Discarded(_)));
}

#[test]
fn missing_key_discards_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save(&account(), &Secret::new("rt")).unwrap();
    keys.delete().unwrap();
    assert!(matches!(c.load(), Loaded::Discarded(_)));
}

#[test]
fn without_a_credential_store_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let c = TokenCache::new(dir.path(), Arc::new(MemoryKeyStore::unavailable()));
    assert!(c.save(&account(), &Secret::new("rt")).is_err());
    assert!(!c.path().exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn clear_forgets_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save(&account(), &Secret::new("rt")).unwrap();
    c.clear().unwrap();
    assert!(!c.path().exists());
    assert!(keys.get().unwrap().is_none());
    c.clear().unwrap();
}
