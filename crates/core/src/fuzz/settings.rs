//! `settings.json` (the user's) and `managed.json` (IT's), read by the real store: a bad
//! file is never a crash, changes nothing on disk, and a managed file that cannot be used
//! says why in words.

use proptest::prelude::*;
use serde_json::json;

use super::{body_of, check, plain, snapshot};
use crate::api::{Cloud, SettingsInput};
use crate::settings::{validate_client_id, validate_tenant, SettingsStore};

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

fn shapes() -> Vec<serde_json::Value> {
    vec![
        json!({"tenantId": TENANT, "clientId": CLIENT, "cloud": "usGovHigh", "autoUpdate": false}),
        json!({"tenantId": "contoso.onmicrosoft.com", "clientId": CLIENT}),
        json!({"autoUpdate": true, "somethingNewer": {"x": 1}}),
    ]
}

#[test]
fn fuzz_settings_and_managed_files() {
    let file = || body_of(shapes());
    check(
        "settings.json and managed.json",
        (proptest::option::of(file()), proptest::option::of(file())),
        |(user, managed)| {
            let dir = tempfile::tempdir().unwrap();
            let config = dir.path().join("config");
            std::fs::create_dir_all(&config).unwrap();
            if let Some(b) = &user {
                std::fs::write(config.join("settings.json"), b).unwrap();
            }
            let managed_path = dir.path().join("managed.json");
            if let Some(b) = &managed {
                std::fs::write(&managed_path, b).unwrap();
            }
            let store = SettingsStore::new(&config, Some(managed_path));
            let before = snapshot(dir.path());
            let s = store.load();
            let _ = store.is_configured();
            prop_assert_eq!(&snapshot(dir.path()), &before, "loading changed a file");
            if let Some(notice) = &s.managed_notice {
                plain("managed notice", notice)?;
                prop_assert!(!s.managed);
            }
            if s.managed {
                // Only a file whose ids are valid fixes the settings.
                prop_assert!(validate_tenant(&s.tenant_id).is_ok(), "{}", s.tenant_id);
                prop_assert!(validate_client_id(&s.client_id).is_ok(), "{}", s.client_id);
            }
            // Saving over a bad file works, unless IT manages the settings: then it is
            // refused in words and nothing changes.
            let input = SettingsInput {
                tenant_id: TENANT.into(),
                client_id: CLIENT.into(),
                cloud: Cloud::Public,
                proxy_url: String::new(),
            };
            match store.save(input) {
                Ok(saved) => {
                    prop_assert!(!s.managed);
                    prop_assert_eq!(store.load().tenant_id, saved.tenant_id);
                }
                Err(e) => {
                    plain("settings error", &e.message)?;
                    prop_assert!(s.managed);
                    prop_assert_eq!(
                        &snapshot(dir.path()),
                        &before,
                        "a refused save changed a file"
                    );
                }
            }
            Ok(())
        },
    );
}
