//! The emulator's integration tests, one binary (one link) for all of them: a module per
//! service or behaviour; `common` (a tenant and a browser-like client), `pim_common` and
//! `platform` are what several modules call.

mod common;
mod pim_common;
mod platform;

mod admin_api;
mod apply_admin_role;
mod apply_admin_role_switches;
mod auth_code;
mod authorize_refusals;
mod bap_api;
mod binary;
mod claims_challenge;
mod clouds;
mod dataverse_api;
mod dataverse_refs;
mod dataverse_teams;
mod device_code;
mod discovery;
mod elevation_expiry;
mod faults;
mod fuzz_requests;
mod graph_me;
mod id_token_defects;
mod large_scenario;
mod pim_contract;
mod pim_directory;
mod pim_elevation;
mod pim_lifecycle;
mod pim_rules;
mod pim_scopes;
mod platform_robustness;
mod powerplatform_api;
mod refresh_tokens;
mod robustness;
mod service_protection;
mod step_up;
