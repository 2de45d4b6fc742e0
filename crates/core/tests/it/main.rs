//! The core's integration tests, one binary (one link) for all of them: a module per
//! feature, the shared setup in `elevate-testkit`.

mod apply_admin_role;
mod auth_context;
mod bad_input;
mod bindings;
mod claims;
mod cleanup;
mod cleanup_runs;
mod clouds;
mod environment_rows;
mod environments;
mod fault_matrix;
mod inventory;
mod journal_crash;
mod journal_export;
mod keyring;
mod network;
mod oauth;
mod roles;
mod roles_scoped;
mod session;
mod sign_in_checks;
mod surface;
mod sysadmin_teams;
mod token_cache;
mod validation_limits;
