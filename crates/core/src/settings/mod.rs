//! Settings: tenant, client id, cloud. Stored as JSON in the app config folder (no secret:
//! a public client has none). An IT-managed file, when present, fixes them (see `managed`).

use std::path::PathBuf;

mod managed;
#[cfg(windows)]
mod windows_access;

use crate::api::{ApiError, ErrorCode, Settings, SettingsInput};

const FILE_NAME: &str = "settings.json";

/// The on-disk shape of both the user's file and IT's managed file.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredSettings {
    tenant_id: String,
    client_id: String,
    #[serde(default)]
    cloud: crate::api::Cloud,
}

pub struct SettingsStore {
    dir: PathBuf,
    managed_path: Option<PathBuf>,
}

impl SettingsStore {
    pub fn new(dir: impl Into<PathBuf>, managed_path: Option<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            managed_path,
        }
    }

    /// Where IT puts a managed configuration: `ELEVATE_MANAGED_CONFIG` or the OS default.
    pub fn default_managed_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("ELEVATE_MANAGED_CONFIG") {
            return Some(PathBuf::from(p));
        }
        let p = if cfg!(windows) {
            PathBuf::from(std::env::var_os("ProgramData")?)
                .join("Elevate")
                .join("managed.json")
        } else if cfg!(target_os = "macos") {
            PathBuf::from("/Library/Application Support/Elevate/managed.json")
        } else {
            PathBuf::from("/etc/elevate/managed.json")
        };
        Some(p)
    }

    pub fn load(&self) -> Settings {
        let managed = self
            .managed_path
            .as_deref()
            .map(managed::read)
            .unwrap_or_default();
        let mut s = managed.settings.unwrap_or_else(|| {
            std::fs::read(self.dir.join(FILE_NAME))
                .ok()
                .and_then(|b| serde_json::from_slice::<StoredSettings>(&b).ok())
                .map(|s| Settings {
                    tenant_id: s.tenant_id,
                    client_id: s.client_id,
                    cloud: s.cloud,
                    ..Settings::default()
                })
                .unwrap_or_default()
        });
        s.auto_update = managed.auto_update.unwrap_or(true);
        s.allow_device_code = managed.allow_device_code;
        s.managed_notice = managed.notice;
        s
    }

    pub fn save(&self, input: SettingsInput) -> Result<Settings, ApiError> {
        if self.load().managed {
            return Err(ApiError::new(
                ErrorCode::Config,
                "These settings are managed by your IT department and cannot be changed here.",
            ));
        }
        let current = self.load();
        let s = Settings {
            tenant_id: validate_tenant(&input.tenant_id)?,
            client_id: validate_client_id(&input.client_id)?,
            cloud: input.cloud,
            ..current
        };
        let stored = StoredSettings {
            tenant_id: s.tenant_id.clone(),
            client_id: s.client_id.clone(),
            cloud: s.cloud,
        };
        let bytes = serde_json::to_vec_pretty(&stored).expect("settings serialise");
        crate::cache::write_atomically(&self.dir, FILE_NAME, &bytes).map_err(|e| {
            ApiError::new(ErrorCode::Internal, "Elevate could not save its settings.")
                .with_detail(e.to_string())
        })?;
        Ok(s)
    }

    pub fn is_configured(&self) -> bool {
        let s = self.load();
        !s.tenant_id.is_empty() && !s.client_id.is_empty()
    }
}

pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A directory (tenant) id: a GUID or a verified domain such as `contoso.onmicrosoft.com`.
pub fn validate_tenant(raw: &str) -> Result<String, ApiError> {
    let s = raw.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(invalid("Enter your directory (tenant) ID."));
    }
    if is_guid(&s) {
        return Ok(s);
    }
    let labels: Vec<&str> = s.split('.').collect();
    let domain_ok = s.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()));
    if domain_ok {
        Ok(s)
    } else {
        Err(invalid("The directory (tenant) ID must be a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 or a domain like contoso.onmicrosoft.com."))
    }
}

/// An application (client) id: always a GUID.
pub fn validate_client_id(raw: &str) -> Result<String, ApiError> {
    let s = raw.trim().to_ascii_lowercase();
    if is_guid(&s) {
        Ok(s)
    } else if s.is_empty() {
        Err(invalid(
            "Enter the application (client) ID of your Elevate app registration.",
        ))
    } else {
        Err(invalid("The application (client) ID must be a GUID like 1950a258-227b-4e31-a9cf-717495945fc2 (see the app registration's Overview page)."))
    }
}

fn invalid(msg: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Cloud;

    #[test]
    fn tenant_ids() {
        assert_eq!(
            validate_tenant(" 72F988BF-86f1-41af-91ab-2d7cd011db47 ").unwrap(),
            "72f988bf-86f1-41af-91ab-2d7cd011db47"
        );
        assert_eq!(
            validate_tenant("contoso.onmicrosoft.com").unwrap(),
            "contoso.onmicrosoft.com"
        );
        for bad in [
            "",
            "contoso",
            "72f988bf-86f1-41af-91ab",
            "http://x.com",
            "a..b.com",
            "-x.com",
            "x.c0m",
            "con toso.com",
            "../etc/passwd",
        ] {
            assert!(validate_tenant(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn client_ids() {
        assert!(validate_client_id("1950a258-227b-4e31-a9cf-717495945fc2").is_ok());
        for bad in [
            "",
            "1950a258227b4e31a9cf717495945fc2",
            "1950a258-227b-4e31-a9cf-717495945fcZ",
            "contoso.com",
        ] {
            assert_eq!(
                validate_client_id(bad).unwrap_err().code,
                ErrorCode::InvalidInput
            );
        }
    }

    #[test]
    fn save_refuses_bad_input_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = SettingsStore::new(dir.path(), None);
        let good = SettingsInput {
            tenant_id: "contoso.onmicrosoft.com".into(),
            client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
            cloud: Cloud::Public,
        };
        s.save(good.clone()).unwrap();
        let before = s.load();
        assert!(s
            .save(SettingsInput {
                client_id: "nope".into(),
                ..good
            })
            .is_err());
        assert_eq!(s.load(), before);
        assert!(s.is_configured());
    }

    #[test]
    fn managed_file_wins_and_locks_settings() {
        let dir = tempfile::tempdir().unwrap();
        let managed = dir.path().join("managed.json");
        std::fs::write(
            &managed,
            r#"{"tenantId":"fabrikam.com","clientId":"1950a258-227b-4e31-a9cf-717495945fc2"}"#,
        )
        .unwrap();
        let s = SettingsStore::new(dir.path(), Some(managed));
        let loaded = s.load();
        assert!(loaded.managed);
        assert_eq!(loaded.tenant_id, "fabrikam.com");
        let r = s.save(SettingsInput {
            tenant_id: "contoso.com".into(),
            client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
            cloud: Cloud::Public,
        });
        assert_eq!(r.unwrap_err().code, ErrorCode::Config);
    }

    #[test]
    fn a_managed_file_that_only_stops_updates_keeps_the_users_settings() {
        let dir = tempfile::tempdir().unwrap();
        let managed = dir.path().join("managed.json");
        let s = SettingsStore::new(dir.path(), Some(managed.clone()));
        s.save(SettingsInput {
            tenant_id: "contoso.com".into(),
            client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
            cloud: Cloud::Public,
        })
        .unwrap();
        assert!(s.load().auto_update);
        std::fs::write(&managed, r#"{"autoUpdate": false}"#).unwrap();
        let loaded = s.load();
        assert!(!loaded.auto_update);
        assert!(!loaded.managed);
        assert_eq!(loaded.tenant_id, "contoso.com");
        assert_eq!(loaded.managed_notice, None);
    }

    #[test]
    fn a_broken_managed_file_is_ignored_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let managed = dir.path().join("managed.json");
        std::fs::write(&managed, r#"{"tenantId": "fabrikam.com", "clientId": 42}"#).unwrap();
        let s = SettingsStore::new(dir.path(), Some(managed));
        let loaded = s.load();
        assert!(!loaded.managed);
        assert!(loaded.auto_update);
        assert!(loaded.managed_notice.unwrap().contains("ignored"));
        // Not managed, so the person can set Elevate up themselves.
        assert!(s
            .save(SettingsInput {
                tenant_id: "contoso.com".into(),
                client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
                cloud: Cloud::Public,
            })
            .is_ok());
    }
}
