//! Helpers for the end-to-end tests.

pub mod app;
pub mod axe;
pub mod demo;
pub mod keyboard;
pub mod memory;
pub mod screen;
pub mod webkit;
