//! The token cache file (`session.bin`) and the claims of a token. A damaged cache is
//! discarded, as `Loaded::Discarded` documents: the file and its key go, the reason is in
//! words, and the next sign-in starts clean.

use std::sync::Arc;

use proptest::prelude::*;

use super::{any_json, bytes, check, json, text};
use crate::api::TenantKind;
use crate::auth::claims;
use crate::cache::{KeyStore, Loaded, MemoryKeyStore, StoredAccount, TokenCache};
use crate::secret::Secret;

fn account() -> StoredAccount {
    StoredAccount {
        kind: TenantKind::Demo,
        tenant: "contoso".into(),
        client_id: "c".into(),
        oid: "oid".into(),
        tid: "tid".into(),
        name: "Adele Vance".into(),
        upn: "adele@contoso.com".into(),
        login_hint: None,
    }
}

/// A real cache file, changed: cut, bytes overwritten, or replaced by anything.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize),
    Overwrite(usize, Vec<u8>),
    Replace(Vec<u8>),
}

#[test]
fn fuzz_token_cache_file() {
    let damage = prop_oneof![
        any::<usize>().prop_map(Damage::Cut),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(a, b)| Damage::Overwrite(a, b)),
        prop_oneof![
            bytes(),
            bytes().prop_map(|b| [b"ELV1".to_vec(), b].concat()),
            bytes().prop_map(|b| [b"ELV2".to_vec(), b].concat())
        ]
        .prop_map(Damage::Replace),
    ];
    check("session.bin", damage, |damage| {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeyStore::default());
        let cache = TokenCache::new(dir.path(), keys.clone());
        cache
            .save_new(&account(), &Secret::new("refresh-token"))
            .unwrap();
        let good = std::fs::read(cache.path()).unwrap();
        let bad = match &damage {
            Damage::Cut(at) => good[..at % good.len()].to_vec(),
            Damage::Overwrite(at, with) => {
                let mut b = good.clone();
                let at = at % b.len();
                for (i, x) in with.iter().enumerate() {
                    if let Some(s) = b.get_mut(at + i) {
                        *s = *x;
                    }
                }
                b
            }
            Damage::Replace(b) => b.clone(),
        };
        std::fs::write(cache.path(), &bad).unwrap();
        match cache.load() {
            Loaded::Account(a, token) => {
                // Authenticated encryption: only the file as written reads back.
                prop_assert_eq!(&bad, &good, "a changed cache file was accepted");
                prop_assert_eq!(a, account());
                prop_assert_eq!(token.expose(), "refresh-token");
            }
            Loaded::Discarded(why) => {
                prop_assert!(bad != good);
                prop_assert!(why.contains(' ') && !why.contains("Some("), "{}", why);
                prop_assert!(!cache.path().exists(), "a damaged cache was kept");
                prop_assert!(keys.get().unwrap().is_none(), "its key was kept");
                // The next sign-in saves a fresh cache that reads back.
                cache.save_new(&account(), &Secret::new("new")).unwrap();
                prop_assert!(matches!(cache.load(), Loaded::Account(..)));
            }
            Loaded::Empty | Loaded::StoreUnavailable(_) | Loaded::Unreadable(_) => {
                prop_assert!(false, "unexpected state")
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_token_claims() {
    use base64::Engine;
    let payload = prop_oneof![
        3 => json::mutated(vec![serde_json::json!({
            "oid": "o", "tid": "t", "name": "Adele", "preferred_username": "adele@contoso.com",
            "upn": "adele@contoso.com", "wids": ["62e90394-69f5-4237-9190-012177145e10"],
            "exp": 1700000000, "acrs": ["c1"], "amr": ["pwd", "mfa"]
        })]),
        1 => any_json().prop_map(|v| v.to_string().into_bytes()),
        1 => bytes(),
    ];
    let jwt = prop_oneof![
        4 => payload.prop_map(|p| format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.sig",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p)
        )),
        1 => text(),
    ];
    check("token claims", jwt, |jwt| {
        if let Err(e) = claims::read(&jwt) {
            let m = e.to_string();
            prop_assert!(m.starts_with("the token is not a readable JWT: "), "{}", m);
        }
        Ok(())
    });
}
