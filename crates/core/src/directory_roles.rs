//! Names of the built-in Entra ID roles, by template id (the values in a token's `wids`).

use crate::api::DirectoryRole;

pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const POWER_PLATFORM_ADMINISTRATOR: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
pub const DYNAMICS_365_ADMINISTRATOR: &str = "44367163-eba1-44c3-98af-f5787879f96a";
/// Every member user carries this one; it is not an admin role.
pub const USER: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

const KNOWN: &[(&str, &str)] = &[
    (GLOBAL_ADMINISTRATOR, "Global Administrator"),
    (POWER_PLATFORM_ADMINISTRATOR, "Power Platform Administrator"),
    (DYNAMICS_365_ADMINISTRATOR, "Dynamics 365 Administrator"),
    ("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
    (
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Privileged Role Administrator",
    ),
    (
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Security Administrator",
    ),
    (
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "SharePoint Administrator",
    ),
    (
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Exchange Administrator",
    ),
    (
        "69091246-20e8-4a56-aa4d-066075b2a7a8",
        "Teams Administrator",
    ),
    (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
    ),
    ("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
    (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
    ),
    (
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Cloud Application Administrator",
    ),
    (
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Application Administrator",
    ),
    (
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "Privileged Authentication Administrator",
    ),
];

pub fn can_self_elevate(template_id: &str) -> bool {
    matches!(
        template_id,
        GLOBAL_ADMINISTRATOR | POWER_PLATFORM_ADMINISTRATOR | DYNAMICS_365_ADMINISTRATOR
    )
}

/// The role's name, or "Directory role {id}" for one Elevate does not know.
pub fn name_of(template_id: &str) -> String {
    KNOWN
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(template_id))
        .map(|(_, n)| n.to_string())
        .unwrap_or_else(|| format!("Directory role {template_id}"))
}

/// The admin roles in a token's `wids`, with names; the member role is left out.
pub fn from_wids(wids: &[String]) -> Vec<DirectoryRole> {
    let mut roles: Vec<DirectoryRole> = wids
        .iter()
        .filter(|w| w.as_str() != USER)
        .map(|w| DirectoryRole {
            template_id: w.clone(),
            name: name_of(w),
            can_self_elevate: can_self_elevate(w),
        })
        .collect();
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_roles_and_drops_the_member_role() {
        let r = from_wids(&[
            USER.into(),
            POWER_PLATFORM_ADMINISTRATOR.into(),
            GLOBAL_ADMINISTRATOR.into(),
        ]);
        assert_eq!(
            r.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Global Administrator", "Power Platform Administrator"]
        );
        assert!(r.iter().all(|r| r.can_self_elevate));
        let other = from_wids(&["fe930be7-5e62-47db-91af-98c3a49a38b1".into()]);
        assert!(!other[0].can_self_elevate);
    }
}
