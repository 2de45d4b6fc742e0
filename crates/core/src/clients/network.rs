//! The one place Elevate's HTTP client is built: which proxy, which certificates.
//!
//! - **Trust:** the operating system's certificate store through `rustls-platform-verifier`
//!   (with the OS's own revocation checks on Windows and macOS), so a TLS-inspecting proxy
//!   whose CA IT installed on the computer is trusted as the browser trusts it. Tests trust
//!   only the CA they made (`Trust::Only`); the app never does.
//! - **Proxy:** by default the OS settings: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY`
//!   everywhere, and the Windows Internet settings or macOS network settings. Or one proxy
//!   address from Settings or the managed configuration, with basic credentials from the
//!   managed configuration only (a password never goes into settings.json). Automatic
//!   configuration scripts (PAC/WPAD) are not run: the address is then set by hand.
//!
//! Elevate and the sign-in share one `SharedClient`, so saving a new proxy applies to both
//! from the next request on.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use url::Url;

use crate::secret::Secret;

pub mod connectivity;
mod tls;

/// Which proxy Elevate uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// The operating system's proxy settings (or none).
    #[default]
    System,
    Manual(ManualProxy),
}

/// A proxy set by hand. Basic credentials, when the proxy needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManualProxy {
    pub url: Url,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

impl ManualProxy {
    /// `Proxy-Authorization` for basic authentication, when credentials are set.
    pub(crate) fn basic_auth(&self) -> Option<Secret> {
        use base64::Engine;
        let user = self.username.as_deref()?;
        let pass = self.password.as_ref().map(Secret::expose).unwrap_or("");
        Some(Secret::new(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
        )))
    }
}

/// Which certificate authorities Elevate trusts.
#[derive(Clone, Debug, Default)]
pub enum Trust {
    /// The operating system's store (the app).
    #[default]
    Platform,
    /// Only these CAs (DER). For tests: a server signed by anything else is refused.
    Only(Arc<Vec<CertificateDer<'static>>>),
}

#[derive(Clone, Debug, Default)]
pub struct NetworkConfig {
    pub proxy: ProxyChoice,
    pub trust: Trust,
}

/// Hosts a proxy set by hand never sees: the demo tenant runs on this computer.
const LOOPBACK: &str = "localhost,127.0.0.1,::1";

/// rustls needs one crypto provider per process; ring is the one the updater's reqwest
/// uses too. Installing it twice is harmless (the second call is refused, the first stays).
pub(crate) fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl NetworkConfig {
    pub fn with_trust_only(certs: Vec<CertificateDer<'static>>) -> Self {
        Self {
            proxy: ProxyChoice::System,
            trust: Trust::Only(Arc::new(certs)),
        }
    }

    /// The reqwest client for this configuration: no redirects (a redirect where an API
    /// answer belongs is a captive portal or a proxy, and an OAuth client must not follow
    /// one), bounded waits.
    pub fn client(&self) -> Result<reqwest::Client, String> {
        install_crypto_provider();
        let mut b = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Elevate/", env!("CARGO_PKG_VERSION")));
        if let ProxyChoice::Manual(p) = &self.proxy {
            let mut proxy = reqwest::Proxy::all(p.url.as_str()).map_err(|e| e.to_string())?;
            if let Some(user) = &p.username {
                let pass = p.password.as_ref().map(Secret::expose).unwrap_or("");
                proxy = proxy.basic_auth(user, pass);
            }
            b = b.proxy(proxy.no_proxy(reqwest::NoProxy::from_string(LOOPBACK)));
        }
        if let Trust::Only(certs) = &self.trust {
            let certs = certs
                .iter()
                .map(|c| reqwest::Certificate::from_der(c))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            b = b.tls_certs_only(certs);
        }
        b.build().map_err(|e| e.to_string())
    }
}

/// The client every request goes through, and the configuration it was built from; saving
/// Settings replaces both at once.
#[derive(Clone)]
pub struct SharedClient(Arc<RwLock<(reqwest::Client, NetworkConfig)>>);

impl std::fmt::Debug for SharedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedClient")
    }
}

impl Default for SharedClient {
    fn default() -> Self {
        Self::new(NetworkConfig::default()).expect("the default HTTP client")
    }
}

impl SharedClient {
    pub fn new(config: NetworkConfig) -> Result<Self, String> {
        Ok(Self(Arc::new(RwLock::new((config.client()?, config)))))
    }

    pub fn client(&self) -> reqwest::Client {
        self.0.read().expect("lock").0.clone()
    }

    pub fn config(&self) -> NetworkConfig {
        self.0.read().expect("lock").1.clone()
    }

    /// Builds the new client first: a configuration that cannot be used keeps the old one.
    pub fn set(&self, config: NetworkConfig) -> Result<(), String> {
        let client = config.client()?;
        *self.0.write().expect("lock") = (client, config);
        Ok(())
    }
}
