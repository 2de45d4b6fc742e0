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
    c.save_new(&account(), &Secret::new("1.refresh-token-value"))
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
    c.save_new(&account(), &Secret::new("old")).unwrap();
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
    c.save_new(&account(), &Secret::new("rt")).unwrap();
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
    other.save_new(&account(), &Secret::new("rt")).unwrap();
    let (fresh, fresh_keys) = cache(dir.path());
    fresh_keys.set(&Zeroizing::new([7u8; 32])).unwrap();
    assert!(matches!(fresh.load(), Loaded::Discarded(_)));
}

#[test]
fn missing_key_discards_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save_new(&account(), &Secret::new("rt")).unwrap();
    keys.delete().unwrap();
    assert!(matches!(c.load(), Loaded::Discarded(_)));
}

#[test]
fn without_a_credential_store_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let c = TokenCache::new(dir.path(), Arc::new(MemoryKeyStore::unavailable()));
    assert!(c.save_new(&account(), &Secret::new("rt")).is_err());
    assert!(c.save(&account(), &Secret::new("rt")).is_err());
    assert!(!c.path().exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn clear_forgets_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save_new(&account(), &Secret::new("rt")).unwrap();
    c.clear().unwrap();
    assert!(!c.path().exists());
    assert!(keys.get().unwrap().is_none());
    c.clear().unwrap();
}

#[test]
fn an_older_session_file_put_back_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    // An earlier sign-in (demo), then another one (organization) without signing out.
    c.save_new(&account(), &Secret::new("demo-rt")).unwrap();
    let demo_file = fs::read(c.path()).unwrap();
    let org = StoredAccount {
        kind: TenantKind::Organization,
        oid: "o2".into(),
        ..account()
    };
    c.save_new(&org, &Secret::new("org-rt")).unwrap();
    // A rotation of the same sign-in, and its older copy.
    let before_rotation = fs::read(c.path()).unwrap();
    c.save(&org, &Secret::new("org-rt-2")).unwrap();
    for (what, older) in [
        ("earlier sign-in", &demo_file),
        ("before rotation", &before_rotation),
    ] {
        let current = fs::read(c.path()).unwrap();
        fs::write(c.path(), older).unwrap();
        match c.load() {
            Loaded::Discarded(why) => assert!(why.contains("older copy"), "{what}: {why}"),
            _ => panic!("{what}: an older file must not load"),
        }
        assert!(keys.get().unwrap().is_none());
        // Put the state back for the next case.
        fs::write(c.path(), &current).unwrap();
        c.save_new(&org, &Secret::new("org-rt-2")).unwrap();
    }
}

#[test]
fn the_clear_binding_cannot_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = cache(dir.path());
    c.save_new(&account(), &Secret::new("rt")).unwrap();
    let raw = fs::read(c.path()).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    assert!(
        text.contains("\"kind\":\"demo\""),
        "the binding is in clear"
    );
    let edited = text.replacen("\"kind\":\"demo\"", "\"kind\":\"orgs\"", 1);
    assert_eq!(edited.len(), text.len());
    let mut bytes = raw.clone();
    let at = text.find("\"kind\":\"demo\"").unwrap() + 8;
    bytes[at..at + 4].copy_from_slice(b"orgs");
    fs::write(c.path(), &bytes).unwrap();
    assert!(matches!(c.load(), Loaded::Discarded(_)));
}

#[test]
fn a_file_that_cannot_be_read_keeps_file_and_key() {
    // A folder in its place reads as an error that is not "not found", like a file an
    // antivirus holds open.
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    keys.set(&Zeroizing::new([1u8; 32])).unwrap();
    fs::create_dir(c.path()).unwrap();
    assert!(matches!(c.load(), Loaded::Unreadable(_)));
    assert!(c.path().exists(), "the file stays");
    assert!(keys.get().unwrap().is_some(), "the key stays");
}

#[test]
fn a_rotation_after_sign_out_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (c, keys) = cache(dir.path());
    c.save_new(&account(), &Secret::new("rt")).unwrap();
    c.clear().unwrap();
    assert!(c.save(&account(), &Secret::new("rotated")).is_err());
    assert!(!c.path().exists());
    assert!(keys.get().unwrap().is_none(), "no key made");
}

#[test]
fn concurrent_atomic_writes_of_one_file_never_fail_or_mix() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let writers: Vec<_> = (0..8u8)
        .map(|i| {
            let data = data.clone();
            std::thread::spawn(move || {
                for _ in 0..40 {
                    write_atomically(&data, "head.json", &[b'a' + i; 4096])
                        .expect("each write succeeds");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let bytes = fs::read(data.join("head.json")).unwrap();
    assert_eq!(bytes.len(), 4096);
    assert!(
        bytes.iter().all(|b| *b == bytes[0]),
        "one writer's bytes, whole"
    );
    let names: Vec<String> = fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["head.json"], "no temporary file left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("head.json")), 0o600);
    }
}
