//! Elevate's core: sign-in, token cache, Microsoft API clients and the features built on
//! them. No Tauri here: everything can be tested without a window.

pub mod api;
pub mod auth;
pub mod cache;
pub mod clients;
pub mod cloud;
mod connectivity;
mod context;
pub mod directory_roles;
mod elevate;
pub mod environments;
#[cfg(test)]
mod fuzz;
pub mod instance;
pub mod inventory;
pub mod journal;
mod privileged;
pub mod roles;
pub mod secret;
mod session;
pub mod settings;

pub use elevate::{DemoTenant, Elevate, Paths};

/// The credential-store entry that holds the cache key. Debug builds use their own entry
/// so a developer build never touches a real installation's secrets.
pub const KEYRING_SERVICE: &str = if cfg!(debug_assertions) {
    "com.elevate.desktop.dev"
} else {
    "com.elevate.desktop"
};
pub const KEYRING_USER: &str = "token-cache-key";
/// The activity journal's chain key: its own entry, so signing out (which deletes the cache
/// key) never makes the journal unverifiable.
pub const KEYRING_JOURNAL_USER: &str = "journal-key";
