//! Power Platform environments and their Dataverse organisations: the scenario types, the
//! running state (orgs built lazily, elevations and their PIM backing), and the admin endpoints
//! that show them. The HTTP faces live in `powerplatform`, `bap` and `dataverse`.

pub(crate) mod admin;
pub mod model;
pub(crate) mod org;
pub(crate) mod runtime;
mod teams_admin;
mod validate;

use sha2::{Digest, Sha256};

pub use model::{Environment, RuntimeState, Sku};
pub(crate) use runtime::{sweep, Platform};
pub(crate) use validate::validate;

use crate::scenario::{roles, Scenario};
use crate::state::{ActiveRole, AppState, MemberType};

/// A GUID derived from `parts`: generated data (the `large` scenario, synthetic orgs, new
/// systemusers) is the same on every run.
pub fn derive_guid(parts: &[&str]) -> String {
    let digest = Sha256::digest(parts.join("|").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // Version 4 / RFC 4122 variant bits, so it looks like every other GUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

/// `{base}/dataverse/{domainName}` — the instance URL without its trailing slash, which is
/// also the audience of the org's tokens.
pub fn instance_root(base: &str, domain: &str) -> String {
    format!("{base}/dataverse/{}", domain.to_ascii_lowercase())
}

/// The three tenant roles that make someone a Power Platform admin.
pub const ADMIN_ROLES: [&str; 3] = [
    roles::GLOBAL_ADMINISTRATOR,
    roles::POWER_PLATFORM_ADMINISTRATOR,
    roles::DYNAMICS_365_ADMINISTRATOR,
];

/// The admin roles the user holds right now (any member type), by the emulator clock.
pub fn admin_roles(state: &AppState, user_id: &str) -> Vec<ActiveRole> {
    let now = state.clock.now();
    state
        .runtime()
        .active_roles(&state.scenario, user_id, now)
        .into_iter()
        .filter(|r| {
            ADMIN_ROLES
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&r.role_template_id))
        })
        .filter(|r| r.end.is_none_or(|e| e > now))
        .collect()
}

/// Whether the user is an admin in the BAP sense (group-held roles count there).
pub fn is_admin(state: &AppState, user_id: &str) -> bool {
    !admin_roles(state, user_id).is_empty()
}

/// The direct admin roles (what `applyAdminRole` accepts).
pub fn direct_admin_roles(state: &AppState, user_id: &str) -> Vec<ActiveRole> {
    admin_roles(state, user_id)
        .into_iter()
        .filter(|r| r.member_type == MemberType::Direct)
        .collect()
}

/// Whether `user_id` is a member of the scenario group `group_id`.
pub fn in_group(scenario: &Scenario, user_id: &str, group_id: &str) -> bool {
    scenario
        .groups_of(user_id)
        .iter()
        .any(|g| g.id.eq_ignore_ascii_case(group_id))
}
