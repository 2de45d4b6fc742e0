//! The IT-managed configuration file (`managed.json`): tenant, client id and cloud for
//! everyone on the machine, whether Elevate may update itself, the proxy (`proxyUrl`, with
//! `proxyUsername`/`proxyPassword` for a proxy that needs basic authentication: the only place
//! Elevate takes a proxy password from, besides `HTTPS_PROXY`), and whether device-code
//! sign-in is allowed (`allowDeviceCode`, off unless IT turns it on: it needs "Allow public
//! client flows" on the app registration, which also lets anyone phish a device code for it).
//!
//! Read leniently on purpose: a file that only turns updates off is valid, an unknown key is
//! logged and skipped (a newer file on an older Elevate), and a file that cannot be used is
//! ignored with a notice the Settings screen shows, so nobody wonders why it has no effect.

use std::path::Path;

use serde::Deserialize;

use super::{validate_client_id, validate_proxy_url, validate_tenant};
use crate::api::{Cloud, Settings};
use crate::clients::network::ManualProxy;
use crate::secret::Secret;

/// What the managed file decides. `None` everywhere when there is no file.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Managed {
    /// Tenant, client id and cloud, when the file names a valid tenant and client id.
    pub settings: Option<Settings>,
    /// `autoUpdate`: `Some(false)` when IT updates Elevate through its own tooling.
    pub auto_update: Option<bool>,
    /// The proxy IT set, with its credentials.
    pub proxy: Option<ManualProxy>,
    /// `allowDeviceCode`: true only when IT says so.
    pub allow_device_code: bool,
    /// Why the file (or a part of it) was ignored, in words for the person at the screen.
    pub notice: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManagedFile {
    tenant_id: Option<String>,
    client_id: Option<String>,
    /// Read as text so that an unknown cloud gets its own notice, naming the known ones.
    cloud: Option<String>,
    auto_update: Option<bool>,
    proxy_url: Option<String>,
    proxy_username: Option<String>,
    proxy_password: Option<String>,
    allow_device_code: Option<bool>,
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, serde_json::Value>,
}

pub(super) fn read(path: &Path) -> Managed {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Managed::default(),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "managed configuration unreadable");
            return ignored(path, "Elevate could not read it");
        }
    };
    #[cfg(windows)]
    if let Err(why) = super::windows_access::only_administrators_can_change(path) {
        tracing::warn!(path = %path.display(), %why, "managed configuration ignored");
        return ignored(path, &why);
    }
    parse(path, &bytes)
}

fn parse(path: &Path, bytes: &[u8]) -> Managed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: ManagedFile = match serde_json::from_slice(bytes) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "managed configuration is not valid");
            return ignored(
                path,
                &format!(
                    "it is not valid JSON or has a value of the wrong kind (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            );
        }
    };
    for key in file.unknown.keys() {
        tracing::warn!(path = %path.display(), key = %key, "unknown key in the managed configuration");
    }
    let (proxy, proxy_notice) = proxy(&file);
    let proxy_notice = proxy_notice.map(|why| {
        tracing::warn!(path = %path.display(), "managed proxy ignored");
        format!(
            "Elevate ignored the proxy in the configuration file from your IT department ({}) because {why}, and uses this computer's proxy settings instead. Ask IT to fix the file.",
            path.display()
        )
    });
    let allow_device_code = file.allow_device_code.unwrap_or(false);
    let cloud = match file.cloud.as_deref().map(str::parse::<Cloud>) {
        None => Cloud::default(),
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            return Managed {
                auto_update: file.auto_update,
                allow_device_code,
                proxy,
                ..ignored(path, &format!("its cloud is not usable ({e})"))
            }
        }
    };
    let settings = match (&file.tenant_id, &file.client_id) {
        (None, None) => None,
        (tenant, client) => {
            let tenant = validate_tenant(tenant.as_deref().unwrap_or(""));
            let client = validate_client_id(client.as_deref().unwrap_or(""));
            match (tenant, client) {
                (Ok(tenant_id), Ok(client_id)) => Some(Settings {
                    tenant_id,
                    client_id,
                    cloud,
                    managed: true,
                    ..Settings::default()
                }),
                (Err(e), _) | (_, Err(e)) => {
                    return Managed {
                        auto_update: file.auto_update,
                        proxy,
                        allow_device_code,
                        ..ignored(
                            path,
                            &format!(
                                "its tenantId/clientId are not usable ({})",
                                e.message.trim_end_matches('.')
                            ),
                        )
                    }
                }
            }
        }
    };
    Managed {
        settings,
        auto_update: file.auto_update,
        proxy,
        allow_device_code,
        notice: proxy_notice,
    }
}

/// The proxy, or why it cannot be used (then the computer's own settings apply).
fn proxy(file: &ManagedFile) -> (Option<ManualProxy>, Option<String>) {
    let Some(raw) = file.proxy_url.as_deref().filter(|u| !u.trim().is_empty()) else {
        return (None, None);
    };
    match validate_proxy_url(raw) {
        Ok(Some(url)) => (
            Some(ManualProxy {
                url,
                username: file.proxy_username.clone().filter(|u| !u.is_empty()),
                password: file.proxy_password.clone().map(Secret::new),
            }),
            None,
        ),
        Ok(None) => (None, None),
        Err(_) if raw.contains('@') => (
            None,
            Some("its proxyUrl holds a user name or password (they go in proxyUsername and proxyPassword)".to_string()),
        ),
        Err(_) => (None, Some("its proxyUrl is not a proxy address like http://proxy.contoso.com:8080".to_string())),
    }
}

fn ignored(path: &Path, why: &str) -> Managed {
    Managed {
        settings: None,
        auto_update: None,
        proxy: None,
        allow_device_code: false,
        notice: Some(format!(
            "Elevate ignored the configuration file from your IT department ({}) because {why}. Ask IT to fix the file; until then you can set Elevate up here.",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = "1950a258-227b-4e31-a9cf-717495945fc2";

    fn parsed(json: &str) -> Managed {
        parse(Path::new("managed.json"), json.as_bytes())
    }

    #[test]
    fn tenant_and_client_make_managed_settings() {
        let m = parsed(&format!(
            r#"{{"tenantId":"Fabrikam.com","clientId":"{CLIENT}","cloud":"usGovHigh"}}"#
        ));
        let s = m.settings.expect("settings");
        assert!(s.managed);
        assert_eq!(s.tenant_id, "fabrikam.com");
        assert_eq!(s.cloud, Cloud::UsGovHigh);
        assert_eq!(m.auto_update, None);
        assert_eq!(m.notice, None);
    }

    #[test]
    fn a_file_may_only_turn_updates_off() {
        let m = parsed(r#"{"autoUpdate": false}"#);
        assert_eq!(m.settings, None);
        assert_eq!(m.auto_update, Some(false));
        assert_eq!(m.notice, None);
    }

    #[test]
    fn a_byte_order_mark_from_notepad_is_fine() {
        let m = parse(Path::new("m.json"), b"\xEF\xBB\xBF{\"autoUpdate\":true}");
        assert_eq!(m.auto_update, Some(true));
    }

    #[test]
    fn unknown_keys_are_skipped_not_fatal() {
        let m = parsed(&format!(
            r#"{{"tenantId":"fabrikam.com","clientId":"{CLIENT}","futureKey":[1,2]}}"#
        ));
        assert!(m.settings.is_some());
    }

    #[test]
    fn unusable_files_are_ignored_with_a_reason() {
        for (json, says) in [
            ("{not json", "not valid JSON"),
            (r#"{"autoUpdate":"no"}"#, "wrong kind"),
            (r#"{"tenantId":"fabrikam.com"}"#, "not usable"),
            (
                &format!(r#"{{"tenantId":"../x","clientId":"{CLIENT}"}}"#),
                "not usable",
            ),
            (
                r#"{"tenantId":"fabrikam.com","clientId":"nope"}"#,
                "not usable",
            ),
        ] {
            let m = parsed(json);
            assert_eq!(m.settings, None, "{json}");
            let notice = m.notice.unwrap_or_default();
            assert!(notice.contains(says), "{json}: {notice}");
            assert!(notice.contains("managed.json"), "{notice}");
        }
    }

    #[test]
    fn bad_ids_do_not_lose_the_update_decision() {
        let m = parsed(r#"{"tenantId":"x","clientId":"y","autoUpdate":false}"#);
        assert_eq!(m.auto_update, Some(false));
        assert!(m.notice.is_some());
    }

    #[test]
    fn a_managed_proxy_with_credentials() {
        let m = parsed(
            r#"{"proxyUrl":"proxy.contoso.com:8080","proxyUsername":"svc-elevate","proxyPassword":"pa55"}"#,
        );
        let p = m.proxy.expect("proxy");
        assert_eq!(p.url.as_str(), "http://proxy.contoso.com:8080/");
        assert_eq!(p.username.as_deref(), Some("svc-elevate"));
        assert_eq!(p.password.as_ref().map(Secret::expose), Some("pa55"));
        assert_eq!(m.notice, None);
        assert_eq!(
            m.settings, None,
            "a proxy alone does not lock the tenant settings"
        );
    }

    #[test]
    fn an_unusable_managed_proxy_is_ignored_with_a_reason_and_keeps_the_rest() {
        for (url, says) in [
            ("http://svc:pa55@proxy:8080", "proxyUsername"),
            ("ftp://proxy", "not a proxy address"),
        ] {
            let m = parsed(&format!(
                r#"{{"tenantId":"fabrikam.com","clientId":"{CLIENT}","proxyUrl":"{url}"}}"#
            ));
            assert!(m.settings.is_some(), "{url}");
            assert_eq!(m.proxy, None, "{url}");
            let notice = m.notice.unwrap_or_default();
            assert!(notice.contains(says), "{notice}");
            assert!(
                !notice.contains("pa55"),
                "the password never reaches the screen"
            );
        }
    }

    #[test]
    fn a_missing_file_is_no_managed_configuration() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(&dir.path().join("managed.json")), Managed::default());
    }

    #[test]
    fn every_cloud_is_accepted_by_its_settings_name_and_its_common_name() {
        for (name, cloud) in [
            ("public", Cloud::Public),
            ("usGov", Cloud::UsGov),
            ("GCC", Cloud::UsGov),
            ("usGovHigh", Cloud::UsGovHigh),
            ("gcc-high", Cloud::UsGovHigh),
            ("usGovDod", Cloud::UsGovDod),
            ("DoD", Cloud::UsGovDod),
            ("china", Cloud::China),
        ] {
            let m = parsed(&format!(
                r#"{{"tenantId":"fabrikam.com","clientId":"{CLIENT}","cloud":"{name}"}}"#
            ));
            assert_eq!(m.settings.map(|s| s.cloud), Some(cloud), "{name}");
        }
    }

    #[test]
    fn an_unknown_cloud_is_named_with_the_known_ones() {
        let m = parsed(&format!(
            r#"{{"tenantId":"fabrikam.com","clientId":"{CLIENT}","cloud":"mars","autoUpdate":false}}"#
        ));
        assert_eq!(m.settings, None);
        assert_eq!(m.auto_update, Some(false));
        let notice = m.notice.unwrap();
        assert!(notice.contains("\"mars\" is not a cloud"), "{notice}");
        assert!(notice.contains("usGovHigh (GCC High)"), "{notice}");
    }

    #[test]
    fn device_code_is_off_unless_it_says_so() {
        assert!(!parsed(r#"{"autoUpdate":true}"#).allow_device_code);
        assert!(!parsed(r#"{"allowDeviceCode":false}"#).allow_device_code);
        assert!(parsed(r#"{"allowDeviceCode":true}"#).allow_device_code);
        let m = parsed(&format!(
            r#"{{"tenantId":"fabrikam.com","clientId":"{CLIENT}","allowDeviceCode":true}}"#
        ));
        assert!(m.allow_device_code && m.settings.is_some());
    }
}
