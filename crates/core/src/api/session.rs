use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// `debug` or `release`.
    pub build: String,
    pub os: String,
    pub updates: UpdateStatus,
}

/// Whether this copy of Elevate updates itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UpdateStatus {
    /// Checks a signed update manifest when it starts; installs only when asked.
    Automatic,
    /// The managed configuration says IT updates Elevate (`"autoUpdate": false`).
    ManagedByIt,
    /// A development build, or one built without the release pipeline's update key.
    NotInThisBuild,
}

/// A newer version, found in a manifest whose signature verified.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    pub version: String,
    /// The release notes, as published.
    pub notes: Option<String>,
}

/// Which tenant the app talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TenantKind {
    /// The built-in demo tenant (the local emulator).
    Demo,
    /// The organisation's own Entra ID tenant, through its own app registration.
    Organization,
}

/// The Microsoft cloud a tenant lives in (contract part 2 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    #[default]
    Public,
    /// US Government "GCC" (Moderate): worldwide sign-in and Graph, government Power Platform.
    UsGov,
    /// US Government GCC High.
    UsGovHigh,
    /// US Government DoD.
    UsGovDod,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    pub const ALL: [Cloud; 5] = [
        Cloud::Public,
        Cloud::UsGov,
        Cloud::UsGovHigh,
        Cloud::UsGovDod,
        Cloud::China,
    ];

    /// The value written in settings and the managed configuration.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::UsGov => "usGov",
            Cloud::UsGovHigh => "usGovHigh",
            Cloud::UsGovDod => "usGovDod",
            Cloud::China => "china",
        }
    }
}

/// Why a cloud name was not accepted; the message lists the names that are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a cloud Elevate knows. Use one of: public, usGov (GCC), usGovHigh (GCC High), usGovDod (DoD), china")]
pub struct UnknownCloud(pub String);

impl std::str::FromStr for Cloud {
    type Err = UnknownCloud;

    /// The settings names, case-insensitive, and the names admins use for them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match key.as_str() {
            "public" | "global" | "worldwide" => Cloud::Public,
            "usgov" | "gcc" | "gccmoderate" => Cloud::UsGov,
            "usgovhigh" | "gcchigh" => Cloud::UsGovHigh,
            "usgovdod" | "dod" => Cloud::UsGovDod,
            "china" | "21vianet" => Cloud::China,
            _ => return Err(UnknownCloud(s.chars().take(40).collect())),
        })
    }
}

/// By hand, so that an unknown value says which ones are known (serde's own message names
/// Rust variants).
impl<'de> Deserialize<'de> for Cloud {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StorageStatus {
    /// Refresh token in an encrypted file, key in the OS credential store.
    Encrypted,
    /// The credential store is unavailable: nothing is written; sign in again after a restart.
    MemoryOnly,
}

/// The signed-in account, as shown to the user. Never carries a token.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub name: String,
    pub upn: String,
    pub tenant_id: String,
    pub kind: TenantKind,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoTenant {
    /// Where the demo tenant (the emulator) listens, e.g. `http://127.0.0.1:49152`.
    pub base_url: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionState {
    pub account: Option<Account>,
    pub storage: StorageStatus,
    /// Whether an organisation tenant is configured (tenant id + client id).
    pub organization_configured: bool,
    pub demo: Option<DemoTenant>,
    /// A notice to show once, e.g. "Your saved sign-in could not be read and was removed".
    pub notice: Option<String>,
    /// Whether "Use a device code instead" is offered (the managed configuration allows it).
    pub device_code_allowed: bool,
}

/// Settings as stored and shown. No secrets: a public client has none.
#[derive(Debug, Clone, Serialize, Deserialize, TS, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub tenant_id: String,
    pub client_id: String,
    pub cloud: Cloud,
    /// True when an IT-managed configuration file fixes these values.
    pub managed: bool,
    /// False when the managed configuration says IT updates Elevate (`"autoUpdate": false`).
    pub auto_update: bool,
    /// True only when the managed configuration allows device-code sign-in
    /// (`"allowDeviceCode": true`).
    pub allow_device_code: bool,
    /// Why a managed configuration file was ignored, when it was.
    pub managed_notice: Option<String>,
    /// The proxy Elevate uses (`http://proxy.contoso.com:8080`); empty: this computer's
    /// proxy settings. Never with a user name or password.
    pub proxy_url: String,
    /// True when IT's managed configuration sets the proxy (then it cannot be changed here).
    pub proxy_managed: bool,
}

/// What the Settings screen sends back.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInput {
    pub tenant_id: String,
    pub client_id: String,
    pub cloud: Cloud,
    /// Empty: use this computer's proxy settings.
    #[serde(default)]
    pub proxy_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    /// Authorization code + PKCE in the system browser (the default).
    Browser,
    /// Device code: for machines where the browser cannot reach back to Elevate.
    DeviceCode,
}

/// Progress of a sign-in, sent as the `sign-in-progress` event.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum SignInProgress {
    /// The system browser was asked to open this page; offered as a link in case it did not.
    WaitingForBrowser { url: String },
    /// Device code flow: the user opens `verification_uri` and types `user_code`.
    WaitingForDeviceCode {
        #[serde(rename = "verificationUri")]
        verification_uri: String,
        #[serde(rename = "userCode")]
        user_code: String,
        message: String,
    },
    /// The browser came back; Elevate is finishing the sign-in.
    Finishing,
}

/// A tenant-wide Entra ID role the signed-in account holds right now (from the token's `wids`).
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryRole {
    pub template_id: String,
    pub name: String,
    /// True for the roles that may self-elevate in Power Platform environments.
    pub can_self_elevate: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HomeSummary {
    pub account: Account,
    pub active_roles: Vec<DirectoryRole>,
}
