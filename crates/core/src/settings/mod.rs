//! Settings: tenant, client id, cloud, proxy. Stored as JSON in the app config folder (no
//! secret: a public client has none, and a proxy password is accepted only from IT's managed
//! file). An IT-managed file, when present, fixes them (see `managed`).

use std::path::PathBuf;

use url::Url;

mod managed;
mod proxy;
pub mod switches;
#[cfg(windows)]
mod windows_access;

pub use proxy::validate_proxy_url;

use crate::api::{ApiError, ErrorCode, Settings, SettingsInput};
use crate::clients::network::{ManualProxy, NetworkConfig, ProxyChoice};

const FILE_NAME: &str = "settings.json";

/// The on-disk shape of both the user's file and IT's managed file.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredSettings {
    tenant_id: String,
    client_id: String,
    #[serde(default)]
    cloud: crate::api::Cloud,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    proxy_url: String,
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

    /// Where IT puts a managed configuration: the OS default, or in debug builds
    /// `ELEVATE_MANAGED_CONFIG` (see `switches`).
    pub fn default_managed_path() -> Option<PathBuf> {
        if let Some(p) = switches::managed_config(
            std::env::var_os(switches::MANAGED_CONFIG),
            switches::DEBUG_BUILD,
        ) {
            return Some(p);
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
        self.load_with_proxy().0
    }

    /// The proxy and trust the HTTP client is built with.
    pub fn network(&self) -> NetworkConfig {
        NetworkConfig {
            proxy: self.load_with_proxy().1,
            ..NetworkConfig::default()
        }
    }

    fn load_with_proxy(&self) -> (Settings, ProxyChoice) {
        let managed = self
            .managed_path
            .as_deref()
            .map(managed::read)
            .unwrap_or_default();
        let stored = std::fs::read(self.dir.join(FILE_NAME))
            .ok()
            .and_then(|b| serde_json::from_slice::<StoredSettings>(&b).ok());
        let mut s = managed.settings.unwrap_or_else(|| {
            stored
                .as_ref()
                .and_then(|s| validated(s, &self.dir))
                .unwrap_or_default()
        });
        s.auto_update = managed.auto_update.unwrap_or(true);
        s.allow_device_code = managed.allow_device_code;
        s.managed_notice = managed.notice;
        let proxy = match managed.proxy {
            Some(p) => {
                s.proxy_managed = true;
                Some(p)
            }
            // A file edited by hand into something unusable is this computer's settings.
            None => stored
                .and_then(|st| validate_proxy_url(&st.proxy_url).ok().flatten())
                .map(|url| ManualProxy {
                    url,
                    username: None,
                    password: None,
                }),
        };
        s.proxy_url = proxy
            .as_ref()
            .map(|p| p.url.to_string())
            .unwrap_or_default();
        let choice = proxy.map_or(ProxyChoice::System, ProxyChoice::Manual);
        (s, choice)
    }

    pub fn save(&self, input: SettingsInput) -> Result<Settings, ApiError> {
        if self.load().managed {
            return Err(ApiError::new(
                ErrorCode::Config,
                "These settings are managed by your IT department and cannot be changed here.",
            ));
        }
        let current = self.load();
        let proxy = validate_proxy_url(&input.proxy_url)?;
        if current.proxy_managed
            && proxy.as_ref().map(Url::to_string).unwrap_or_default() != current.proxy_url
        {
            return Err(ApiError::new(
                ErrorCode::Config,
                "The proxy is set by your IT department and cannot be changed here.",
            ));
        }
        let s = Settings {
            tenant_id: validate_tenant(&input.tenant_id)?,
            client_id: validate_client_id(&input.client_id)?,
            cloud: input.cloud,
            ..current
        };
        // The managed proxy stays in the managed file; settings.json keeps the user's own.
        let own_proxy = if s.proxy_managed {
            std::fs::read(self.dir.join(FILE_NAME))
                .ok()
                .and_then(|b| serde_json::from_slice::<StoredSettings>(&b).ok())
                .map(|st| st.proxy_url)
                .unwrap_or_default()
        } else {
            proxy.as_ref().map(Url::to_string).unwrap_or_default()
        };
        let stored = StoredSettings {
            tenant_id: s.tenant_id.clone(),
            client_id: s.client_id.clone(),
            cloud: s.cloud,
            proxy_url: own_proxy,
        };
        let bytes = serde_json::to_vec_pretty(&stored).expect("settings serialise");
        crate::cache::write_atomically(&self.dir, FILE_NAME, &bytes).map_err(|e| {
            ApiError::new(ErrorCode::Internal, "Elevate could not save its settings.")
                .with_detail(e.to_string())
        })?;
        Ok(self.load())
    }

    pub fn is_configured(&self) -> bool {
        let s = self.load();
        !s.tenant_id.is_empty() && !s.client_id.is_empty()
    }
}

/// The user's saved settings, checked as when they were saved: a file edited by hand (or by
/// another program) into something unusable counts as not set up, rather than reaching the
/// sign-in address.
fn validated(s: &StoredSettings, dir: &std::path::Path) -> Option<Settings> {
    match (
        validate_tenant(&s.tenant_id),
        validate_client_id(&s.client_id),
    ) {
        (Ok(tenant_id), Ok(client_id)) => Some(Settings {
            tenant_id,
            client_id,
            cloud: s.cloud,
            ..Settings::default()
        }),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(file = %dir.join(FILE_NAME).display(), reason = %e.message, "saved settings are not valid; ignored");
            None
        }
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

pub(crate) fn invalid(msg: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Cloud;
    use crate::secret::Secret;

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
            proxy_url: String::new(),
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
    fn a_settings_file_edited_into_something_unusable_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let s = SettingsStore::new(dir.path(), None);
        for (tenant, client) in [
            (
                "../../evil.example/x",
                "1950a258-227b-4e31-a9cf-717495945fc2",
            ),
            ("contoso.onmicrosoft.com", "not-a-guid"),
            (
                "contoso.onmicrosoft.com?x=1",
                "1950a258-227b-4e31-a9cf-717495945fc2",
            ),
        ] {
            std::fs::write(
                dir.path().join(FILE_NAME),
                serde_json::json!({"tenantId": tenant, "clientId": client}).to_string(),
            )
            .unwrap();
            let loaded = s.load();
            assert_eq!(loaded.tenant_id, "", "{tenant}");
            assert!(!s.is_configured(), "{tenant} / {client}");
        }
        // Hand-written but valid (upper case, spaces) is normalised, as a save would.
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"tenantId":" Contoso.onmicrosoft.com ","clientId":"1950A258-227b-4e31-a9cf-717495945fc2"}"#,
        )
        .unwrap();
        assert_eq!(s.load().tenant_id, "contoso.onmicrosoft.com");
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
            proxy_url: String::new(),
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
            proxy_url: String::new(),
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
                proxy_url: String::new(),
            })
            .is_ok());
    }

    fn input(proxy_url: &str) -> SettingsInput {
        SettingsInput {
            tenant_id: "contoso.com".into(),
            client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
            cloud: Cloud::Public,
            proxy_url: proxy_url.into(),
        }
    }

    #[test]
    fn a_proxy_address_is_saved_and_used_without_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let s = SettingsStore::new(dir.path(), None);
        assert_eq!(s.network().proxy, ProxyChoice::System);
        let saved = s.save(input(" proxy.contoso.com:8080 ")).unwrap();
        assert_eq!(saved.proxy_url, "http://proxy.contoso.com:8080/");
        assert!(!saved.proxy_managed);
        let ProxyChoice::Manual(p) = s.network().proxy else {
            panic!("a manual proxy")
        };
        assert_eq!(p.url.as_str(), "http://proxy.contoso.com:8080/");
        assert_eq!(p.username, None);

        let before = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
        assert!(s.save(input("http://me:secret@proxy:8080")).is_err());
        assert_eq!(std::fs::read(dir.path().join(FILE_NAME)).unwrap(), before);

        s.save(input("")).unwrap();
        assert_eq!(s.network().proxy, ProxyChoice::System);
    }

    #[test]
    fn a_managed_proxy_wins_keeps_its_password_out_of_settings_and_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let managed = dir.path().join("managed.json");
        let s = SettingsStore::new(dir.path(), Some(managed.clone()));
        s.save(input("http://own-proxy:3128")).unwrap();
        std::fs::write(
            &managed,
            r#"{"proxyUrl":"http://proxy.contoso.com:8080","proxyUsername":"svc","proxyPassword":"pa55"}"#,
        )
        .unwrap();
        let loaded = s.load();
        assert!(loaded.proxy_managed);
        assert!(!loaded.managed, "the tenant settings stay the user's");
        assert_eq!(loaded.proxy_url, "http://proxy.contoso.com:8080/");
        let ProxyChoice::Manual(p) = s.network().proxy else {
            panic!("the managed proxy")
        };
        assert_eq!(p.username.as_deref(), Some("svc"));
        assert_eq!(p.password.as_ref().map(Secret::expose), Some("pa55"));

        let r = s.save(input("http://elsewhere:8080"));
        assert_eq!(r.unwrap_err().code, ErrorCode::Config);
        // Other settings can still be saved; the password never reaches settings.json.
        s.save(input("http://proxy.contoso.com:8080")).unwrap();
        let file = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!file.contains("pa55") && !file.contains("svc"), "{file}");
        assert!(
            file.contains("own-proxy"),
            "the user's own proxy is kept: {file}"
        );
        assert!(!format!("{:?}", s.network()).contains("pa55"));
    }
}
