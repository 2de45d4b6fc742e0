//! Names for the ids PIM answers carry alone: approvers a policy names only by `userId` or
//! `groupId`, and the administrative units eligibilities are scoped to. One
//! `directoryObjects/getByIds` call resolves them; it needs `Directory.Read.All`, so without
//! it Elevate words things without names rather than showing ids.

use std::collections::{HashMap, HashSet};

use crate::api::RolePolicy;
use crate::clients::graph::pim::PimClient;
use crate::settings::is_guid;

const AU_PREFIX: &str = "/administrativeUnits/";

/// Lower-case id → display name.
pub(crate) type Names = HashMap<String, String>;

/// Best effort: what cannot be read leaves the ids unnamed (and logged), never an error.
pub(crate) async fn resolve(pim: &PimClient<'_>, ids: HashSet<String>) -> Names {
    let ids: Vec<String> = ids.into_iter().filter(|i| is_guid(i)).collect();
    if ids.is_empty() {
        return Names::new();
    }
    match pim
        .directory_objects(&ids, &["user", "group", "administrativeUnit"])
        .await
    {
        Ok(found) => found
            .into_iter()
            .filter_map(|o| Some((o.id.to_ascii_lowercase(), o.display_name?)))
            .filter(|(_, n)| !n.trim().is_empty())
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the names of approvers or administrative units");
            Names::new()
        }
    }
}

/// The administrative unit a scope id names, if it is one.
pub(crate) fn unit_of(scope: Option<&str>) -> Option<String> {
    let id = scope?.strip_prefix(AU_PREFIX)?;
    is_guid(id).then(|| id.to_ascii_lowercase())
}

/// The Scope column in an admin's words: "Directory", "Sales (administrative unit)".
pub(crate) fn scope_text(scope: Option<&str>, names: &Names) -> String {
    match scope {
        None | Some("/") => "Directory".to_string(),
        Some(s) if s.starts_with(AU_PREFIX) => match unit_of(Some(s)).and_then(|id| names.get(&id))
        {
            Some(name) => format!("{name} (administrative unit)"),
            None => "An administrative unit (Elevate cannot read its name)".to_string(),
        },
        Some(_) => "Part of the directory".to_string(),
    }
}

/// Approvers still named by id after reading the policy.
pub(crate) fn unnamed_approvers<'a>(
    policies: impl Iterator<Item = &'a RolePolicy>,
) -> HashSet<String> {
    policies
        .flat_map(|p| p.approvers.iter())
        .filter(|a| is_guid(a))
        .map(|a| a.to_ascii_lowercase())
        .collect()
}

/// Replaces approver ids by names; one whose name cannot be read is left out, so the text
/// says "waiting for approval" rather than showing an id.
pub(crate) fn name_approvers(policy: &mut RolePolicy, names: &Names) {
    policy.approvers = policy
        .approvers
        .iter()
        .filter_map(|a| {
            if is_guid(a) {
                names.get(&a.to_ascii_lowercase()).cloned()
            } else {
                Some(a.clone())
            }
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_as_words_never_ids() {
        let au = "8a3c1f2e-5b6d-4e7f-9a0b-1c2d3e4f5a6b";
        let names = Names::from([(au.to_string(), "Sales".to_string())]);
        assert_eq!(scope_text(Some("/"), &names), "Directory");
        assert_eq!(scope_text(None, &names), "Directory");
        assert_eq!(
            scope_text(
                Some(&format!("/administrativeUnits/{}", au.to_uppercase())),
                &names
            ),
            "Sales (administrative unit)"
        );
        let other = scope_text(
            Some("/administrativeUnits/00000000-0000-0000-0000-000000000001"),
            &names,
        );
        assert!(!other.contains("0000"), "{other}");
        assert!(!scope_text(Some(&format!("/{au}")), &names).contains(au));
    }
}
