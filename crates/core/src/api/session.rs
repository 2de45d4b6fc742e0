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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    #[default]
    Public,
    UsGovHigh,
    China,
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
