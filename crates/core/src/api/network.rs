//! The connectivity self-test's answer (Settings → Check connection).

use serde::Serialize;
use ts_rs::TS;

/// Each host Elevate needs, and whether it can be reached from this computer.
#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectivityReport {
    /// Which proxy the checks went through, in words ("No proxy", "The proxy set in Settings: …").
    pub proxy: String,
    pub checks: Vec<ConnectivityCheck>,
}

#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectivityCheck {
    /// What the host is for, as an admin knows it: "Sign-in (Microsoft Entra ID)".
    pub service: String,
    pub host: String,
    pub result: CheckResult,
    /// Where it failed, when it did.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<CheckStage>,
    /// What happened and what to do next, in plain words.
    pub message: String,
    /// The technical reason, for IT.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum CheckResult {
    Ok,
    Failed,
    /// Not checked (e.g. no Dataverse environment known yet).
    Skipped,
}

/// The step that failed, in the order the checks run.
#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum CheckStage {
    /// The name did not resolve.
    Dns,
    /// No connection (refused, no answer, blocked).
    Tcp,
    /// The proxy refused, or asked for credentials.
    Proxy,
    /// The secure connection failed (certificate not trusted, expired, for another name).
    Tls,
    /// The service (or something in its place) answered wrongly.
    Http,
}
