//! What Elevate's tests share, so no test file copies it: the emulator started in-process
//! ([`start`], [`demo`]), its sign-in and device pages driven like a browser ([`pages`]) and,
//! with the `app` feature, an `Elevate` signed in to it through a headless browser
//! (`signed_in`, `activate`, `elevate`, `journal_outcomes`, …); the security [`figures`] the tests
//! count. Dev-only: never shipped.

#[cfg(feature = "app")]
mod app;
pub mod figures;
pub mod pages;

#[cfg(feature = "app")]
pub use app::*;

use elevate_tenant::{Emulator, EmulatorOptions, Scenario};

/// Starts the emulator on an ephemeral loopback port with `scenario`.
pub async fn start(scenario: Scenario) -> Emulator {
    Emulator::start(EmulatorOptions {
        scenario,
        listen: ([127, 0, 0, 1], 0).into(),
    })
    .await
    .expect("emulator starts")
}

/// The emulator with the built-in demo tenant, as it ships.
pub async fn demo() -> Emulator {
    start(Scenario::builtin("demo").expect("demo scenario")).await
}
