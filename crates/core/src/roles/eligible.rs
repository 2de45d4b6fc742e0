//! The roles an activation or extension is for, as the user is eligible for them now: each
//! at its eligibility's own scope (PIM refuses any other), with its policy.

use std::collections::{BTreeMap, HashMap};

use super::activation::Role;
use super::names;
use super::view::{display_name, in_wids, scope_id, PIM};
use crate::api::{ApiError, ErrorCode};
use crate::clients::graph::pim::EligibilityInstance;
use crate::roles::Roles;
use crate::settings::is_guid;

impl Roles {
    /// The selected roles as the user is eligible for them now, with their policies. Bad or
    /// unknown ids are refused before anything is sent.
    pub(super) async fn eligible_for(
        &self,
        ids: &[String],
        scopes: Option<&BTreeMap<String, String>>,
    ) -> Result<Vec<Role>, ApiError> {
        let mut wanted: Vec<String> = Vec::new();
        for id in ids {
            let id = id.trim().to_ascii_lowercase();
            if !is_guid(&id) {
                return Err(ApiError::new(ErrorCode::InvalidInput, "That is not a role id Elevate can use. Refresh My roles and choose the role again."));
            }
            if !wanted.contains(&id) {
                wanted.push(id);
            }
        }
        if wanted.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Choose at least one role to activate.",
            ));
        }
        let s = self.graph_session(false).await?;
        let pim = self.pim(&s);
        let eligible = pim.eligibilities().await.map_err(|e| e.to_api_error(PIM))?;
        let chosen: HashMap<String, String> = scopes
            .into_iter()
            .flatten()
            .map(|(r, s)| (r.trim().to_ascii_lowercase(), s.trim().to_string()))
            .collect();
        let mut picked = Vec::new();
        for id in &wanted {
            let mine: Vec<_> = eligible
                .iter()
                .filter(|e| e.role_definition_id.eq_ignore_ascii_case(id))
                .collect();
            let scope_of = |e: &&EligibilityInstance| scope_id(e.directory_scope_id.as_deref());
            let Some(first) = mine.first() else {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("You are not eligible for {} (any more). Refresh My roles; ask your administrator if you should be.", crate::directory_roles::name_of(id)),
                ));
            };
            let name = display_name(&first.role_definition_id, first.role_definition.as_ref());
            // PIM activates an eligibility only at its own scope: the one chosen, else the
            // only one, else the whole directory (which covers every unit).
            let e = match chosen.get(id) {
                Some(want) => mine.iter().find(|e| scope_of(e).eq_ignore_ascii_case(want)).ok_or_else(|| {
                    ApiError::new(ErrorCode::NotFound, format!("You are not eligible for {name} in that scope (any more). Refresh My roles and choose the role again."))
                })?,
                None if mine.len() == 1 => first,
                None => mine.iter().find(|e| scope_of(e) == "/").ok_or_else(|| {
                    ApiError::new(ErrorCode::InvalidInput, format!("You are eligible for {name} in more than one administrative unit. Refresh My roles and activate it from the row of the unit you need."))
                })?,
            };
            picked.push((id.clone(), name, scope_of(e), e.role_definition.clone()));
        }
        let units = picked
            .iter()
            .filter_map(|(_, _, scope, _)| names::unit_of(Some(scope)))
            .collect();
        let names = names::resolve(&pim, units).await;
        let policies = self.policies(&pim, wanted.iter().map(String::as_str)).await;
        Ok(picked
            .into_iter()
            .map(|(id, name, scope, def)| Role {
                name,
                policy: policies.get(&id).cloned(),
                scope_text: names::scope_text(Some(&scope), &names),
                in_wids: in_wids(Some(&scope), def.as_ref()),
                custom: def.and_then(|d| d.is_built_in) == Some(false),
                scope,
                id,
            })
            .collect())
    }
}
