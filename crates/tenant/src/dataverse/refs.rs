//! Linking and unlinking a user and a security role (contract §4.4): `DELETE …/$ref` (both the
//! key form and the `?$id=` form) and `POST …/$ref` with `{"@odata.id": …}`, from either side.
//! The caller needs prvAssignRole, i.e. System Administrator in this org. Emulator choices for
//! points the contract leaves open: unlinking a pair that is not linked is a 204 no-op (as is
//! linking a pair that is); a role can only be linked to users of its own business unit.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::audit::{stamp, AuditEntry};
use crate::environments::org::Org;

use super::error::DvError;
use super::path::reference;
use super::query;
use super::rows::EntitySet;
use super::{caller, missing_privilege, Ctx};

pub fn disassociate(
    ctx: &Ctx,
    set: EntitySet,
    id: &str,
    other: Option<&str>,
) -> Result<Response, DvError> {
    let other = match other {
        Some(o) => o.to_string(),
        None => {
            let q = query::parse(&ctx.raw_query, set.schema(), set.entity())
                .map_err(DvError::bad_request)?;
            let url = q.ref_id.ok_or_else(|| {
                DvError::bad_request("A $ref DELETE needs the related row's key or a $id.")
            })?;
            expect(reference(&url, &ctx.api)?, set)?
        }
    };
    let (user_id, role_id) = pair(set, id, &other);
    let mut inner = ctx.state.platform.lock();
    let org = inner.org(&ctx.state.scenario, ctx.env).ok_or_else(no_org)?;
    check(ctx, org, &user_id, &role_id)?;
    let removed = org.unassign(&user_id, &role_id);
    inner.forget(ctx.env, &user_id, &role_id);
    drop(inner);
    let detail = if removed {
        "Security role removed from the user."
    } else {
        "The user did not hold the role; nothing changed."
    };
    audit(ctx, "roleDisassociated", &user_id, &role_id, detail);
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub fn associate(ctx: &Ctx, set: EntitySet, id: &str, body: &[u8]) -> Result<Response, DvError> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|e| DvError::bad_request(format!("The request body is not valid JSON: {e}")))?;
    let url = json
        .get("@odata.id")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            DvError::bad_request("The request body needs an \"@odata.id\" naming the row to link.")
        })?;
    let other = expect(reference(url, &ctx.api)?, set)?;
    let (user_id, role_id) = pair(set, id, &other);
    let mut inner = ctx.state.platform.lock();
    let org = inner.org(&ctx.state.scenario, ctx.env).ok_or_else(no_org)?;
    check(ctx, org, &user_id, &role_id)?;
    let (user_bu, role_bu) = match (org.user(&user_id), org.role(&role_id)) {
        (Some(u), Some(r)) => (u.business_unit.clone(), r.business_unit.clone()),
        _ => return Err(DvError::not_found("systemuser", &user_id)),
    };
    if user_bu != role_bu {
        return Err(DvError::new(
            StatusCode::BAD_REQUEST,
            "0x80040203",
            format!("The security role {role_id} belongs to business unit {role_bu}; a user of business unit {user_bu} can only be given that unit's copy of a role."),
        ));
    }
    let added = org.assign(&user_id, &role_id);
    drop(inner);
    let detail = if added {
        "Security role assigned to the user."
    } else {
        "The user already held the role; nothing changed."
    };
    audit(ctx, "roleAssociated", &user_id, &role_id, detail);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The referenced row must be of the other side of the relationship.
fn expect(reference: (EntitySet, String), set: EntitySet) -> Result<String, DvError> {
    match (reference, set.across()) {
        ((s, id), Some(want)) if s == want => Ok(id),
        _ => Err(DvError::bad_request(
            "The referenced row is not part of systemuserroles_association.",
        )),
    }
}

fn pair(set: EntitySet, id: &str, other: &str) -> (String, String) {
    if set == EntitySet::SystemUsers {
        (id.to_string(), other.to_string())
    } else {
        (other.to_string(), id.to_string())
    }
}

/// The caller may assign roles, and both rows exist.
fn check(ctx: &Ctx, org: &Org, user_id: &str, role_id: &str) -> Result<(), DvError> {
    let me = caller(ctx, org)?;
    if !org.is_sysadmin(&me.id) {
        return Err(missing_privilege(org, me, "prvAssignRole", "role"));
    }
    org.user(user_id)
        .ok_or_else(|| DvError::not_found("systemuser", user_id))?;
    org.role(role_id)
        .ok_or_else(|| DvError::not_found("role", role_id))?;
    Ok(())
}

fn audit(ctx: &Ctx, action: &str, user_id: &str, role_id: &str, detail: &str) {
    let env = ctx.state.scenario.environments.get(ctx.env);
    ctx.state.platform.audit.record(AuditEntry {
        time: stamp(ctx.state.clock.now()),
        action: action.into(),
        result: "Succeeded".into(),
        status: 204,
        user_id: Some(ctx.user.id.clone()),
        user_principal_name: Some(ctx.state.scenario.upn(ctx.user)),
        environment_id: env.map(|e| e.id.clone()).unwrap_or_default(),
        environment_name: env.map(|e| e.display_name.clone()).unwrap_or_default(),
        correlation_id: ctx.correlation.clone(),
        role: None,
        system_user_id: Some(user_id.into()),
        role_id: Some(role_id.into()),
        detail: detail.into(),
    });
}

fn no_org() -> DvError {
    DvError::new(
        StatusCode::NOT_FOUND,
        "",
        "The environment has no Dataverse organization.",
    )
}
