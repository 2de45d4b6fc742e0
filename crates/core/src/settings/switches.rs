//! Development switches read from the environment. A release build is what admins run, and
//! anyone who can set an environment variable for it (a shortcut, a login script) must not be
//! able to point it at another configuration or tenant, or make it log more than it should:
//! so release builds ignore them, except a demo tenant on this computer's loopback address.
//! Debug builds (development, the end-to-end tests) honour them all.

use std::ffi::OsString;
use std::path::PathBuf;

/// `ELEVATE_MANAGED_CONFIG`: another managed configuration file (debug builds only).
pub const MANAGED_CONFIG: &str = "ELEVATE_MANAGED_CONFIG";
/// `ELEVATE_DEMO_TENANT_URL`: an emulator already running (release: loopback only).
pub const DEMO_TENANT_URL: &str = "ELEVATE_DEMO_TENANT_URL";
/// `ELEVATE_LOG`: the log filter (release: no `trace`).
pub const LOG: &str = "ELEVATE_LOG";

/// Whether this is a debug build: the switches' default judge.
pub const DEBUG_BUILD: bool = cfg!(debug_assertions);

fn ignored(name: &str) {
    tracing::warn!(
        switch = name,
        "development switch ignored in a release build"
    );
}

/// The managed configuration path from `ELEVATE_MANAGED_CONFIG`, if honoured.
pub fn managed_config(value: Option<OsString>, debug: bool) -> Option<PathBuf> {
    let value = value.filter(|v| !v.is_empty())?;
    if !debug {
        ignored(MANAGED_CONFIG);
        return None;
    }
    Some(PathBuf::from(value))
}

/// The external demo tenant from `ELEVATE_DEMO_TENANT_URL`, if honoured: any URL in a
/// debug build; in a release build only `http(s)://` on 127.0.0.1, `[::1]` or localhost.
pub fn demo_tenant_url(value: Option<String>, debug: bool) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())?;
    if debug || is_loopback_url(&value) {
        Some(value)
    } else {
        ignored(DEMO_TENANT_URL);
        None
    }
}

/// The log filter from `ELEVATE_LOG`, if honoured: release builds refuse `trace`, which
/// may include request details from the libraries below.
pub fn log_filter(value: Option<String>, debug: bool) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    if !debug && value.to_ascii_lowercase().contains("trace") {
        ignored(LOG);
        return None;
    }
    Some(value)
}

fn is_loopback_url(s: &str) -> bool {
    let Ok(u) = url::Url::parse(s) else {
        return false;
    };
    let loopback_host = match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    matches!(u.scheme(), "http" | "https")
        && loopback_host
        && u.username().is_empty()
        && u.password().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_builds_ignore_another_managed_configuration() {
        let v = || Some(OsString::from("/tmp/evil/managed.json"));
        assert_eq!(managed_config(v(), false), None);
        assert_eq!(
            managed_config(v(), true),
            Some(PathBuf::from("/tmp/evil/managed.json"))
        );
        assert_eq!(managed_config(Some(OsString::new()), true), None);
        assert_eq!(managed_config(None, true), None);
    }

    #[test]
    fn release_builds_take_only_a_loopback_demo_tenant() {
        for url in [
            "http://127.0.0.1:8080",
            "http://[::1]:9000/",
            "http://localhost:3000",
            " http://127.0.0.1:1 ",
        ] {
            assert!(demo_tenant_url(Some(url.into()), false).is_some(), "{url}");
        }
        for url in [
            "https://tenant.evil.example",
            "http://10.0.0.5:8080",
            "http://localhost.evil.example",
            "http://user:pw@127.0.0.1:1",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert_eq!(demo_tenant_url(Some(url.into()), false), None, "{url}");
        }
        assert_eq!(
            demo_tenant_url(Some("https://tenant.evil.example".into()), true).as_deref(),
            Some("https://tenant.evil.example")
        );
        assert_eq!(demo_tenant_url(Some("  ".into()), true), None);
    }

    #[test]
    fn release_builds_refuse_trace_logging() {
        assert_eq!(log_filter(Some("trace".into()), false), None);
        assert_eq!(log_filter(Some("info,reqwest=TRACE".into()), false), None);
        assert_eq!(
            log_filter(Some("debug".into()), false).as_deref(),
            Some("debug")
        );
        assert_eq!(
            log_filter(Some("trace".into()), true).as_deref(),
            Some("trace")
        );
        assert_eq!(log_filter(None, true), None);
    }
}
