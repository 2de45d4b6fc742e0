//! elevate-tenant: a local emulator of the Microsoft services Elevate talks to, following
//! `contracts/microsoft-apis.md` field for field. It is the app's embedded demo tenant and the
//! oracle for every test.
//!
//! Layout of the one listener:
//! - `/login`        Entra ID v2.0 (authorize, token, devicecode, discovery, keys)
//! - `/graph`        Microsoft Graph (`/v1.0/me`, group membership, PIM for Entra roles)
//! - `/powerplatform` Power Platform API (environments, applyAdminRole)
//! - `/bap`          BAP admin API (environments); `/dataverse/{org}` Dataverse Web API per org
//! - `/_emulator`    the admin API for tests and scripts

mod admin;
mod admin_json;
mod audit;
mod bap;
mod bearer;
mod challenge;
mod clock;
pub mod cloud;
mod correlation;
mod dataverse;
mod emulator;
mod endpoints;
mod entra;
pub mod environments;
pub mod faults;
mod graph;
mod jwt;
mod powerplatform;
pub mod scenario;
mod scenario_large;
mod secrets;
mod state;

pub use emulator::{Emulator, EmulatorOptions};
pub use endpoints::Endpoints;
pub use entra::IdTokenDefect;

/// reqwest (rustls without a built-in provider, as in the app) needs a process-wide crypto
/// provider before any client is built. The emulator's callers (tests, the demo tenant, the
/// benches) build clients right after starting it, so starting it installs ring; code that
/// builds a client without starting one calls this first. A second call changes nothing.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
pub use scenario::{roles, Scenario, Settings};
pub use state::SignOut;
