//! elevate-tenant: a local emulator of the Microsoft services Elevate talks to, following
//! `contracts/microsoft-apis.md` field for field. It is the app's embedded demo tenant and the
//! oracle for every test.
//!
//! Layout of the one listener:
//! - `/login`        Entra ID v2.0 (authorize, token, devicecode, discovery, keys)
//! - `/graph`        Microsoft Graph (`/v1.0/me`)
//! - `/powerplatform`, `/bap`, `/dataverse/{org}`  reserved for later
//! - `/_emulator`    the admin API for tests and scripts

mod admin;
mod clock;
mod correlation;
mod emulator;
mod entra;
mod graph;
mod jwt;
pub mod scenario;
mod secrets;
mod state;
pub mod testing;

pub use emulator::{Emulator, EmulatorOptions, Endpoints};
pub use scenario::{roles, Scenario, Settings};
