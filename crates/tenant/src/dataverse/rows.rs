//! How the three tables Elevate reads look on the wire (pa-docs `reference/entities/*.md`):
//! column names, lookups as `_x_value`, `@odata.etag` from the row version.

use serde_json::{json, Map, Value};

use crate::environments::org::{Bu, Role, SysUser, Team};

use super::filter::Schema;

pub const USER_PROPS: &[&str] = &[
    "systemuserid",
    "fullname",
    "firstname",
    "lastname",
    "domainname",
    "internalemailaddress",
    "azureactivedirectoryobjectid",
    "isdisabled",
    "islicensed",
    "accessmode",
    "applicationid",
    "_businessunitid_value",
    "versionnumber",
];
pub const ROLE_PROPS: &[&str] = &[
    "roleid",
    "name",
    "_businessunitid_value",
    "_roletemplateid_value",
    "_parentrootroleid_value",
    "ismanaged",
    "versionnumber",
];
pub const BU_PROPS: &[&str] = &[
    "businessunitid",
    "name",
    "_parentbusinessunitid_value",
    "isdisabled",
    "versionnumber",
];

pub const TEAM_PROPS: &[&str] = &[
    "teamid",
    "name",
    "teamtype",
    "membershiptype",
    "azureactivedirectoryobjectid",
    "_businessunitid_value",
    "isdefault",
    "systemmanaged",
    "versionnumber",
];

pub const ASSOCIATION: &str = "systemuserroles_association";
/// Team ↔ systemuser (contract part 2 §7.1).
pub const TEAM_MEMBERS: &str = "teammembership_association";
/// Team ↔ role.
pub const TEAM_ROLES: &str = "teamroles_association";

static ROLE_LEAF: Schema = Schema {
    props: ROLE_PROPS,
    navs: &[],
};
static USER_LEAF: Schema = Schema {
    props: USER_PROPS,
    navs: &[],
};
pub static USER: Schema = Schema {
    props: USER_PROPS,
    navs: &[(ASSOCIATION, &ROLE_LEAF)],
};
pub static ROLE: Schema = Schema {
    props: ROLE_PROPS,
    navs: &[(ASSOCIATION, &USER_LEAF)],
};
pub static TEAM: Schema = Schema {
    props: TEAM_PROPS,
    navs: &[(TEAM_MEMBERS, &USER_LEAF), (TEAM_ROLES, &ROLE_LEAF)],
};
pub static BU: Schema = Schema {
    props: BU_PROPS,
    navs: &[],
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntitySet {
    BusinessUnits,
    Roles,
    SystemUsers,
    Teams,
}

impl EntitySet {
    pub fn parse(segment: &str) -> Option<EntitySet> {
        match segment {
            "businessunits" => Some(EntitySet::BusinessUnits),
            "roles" => Some(EntitySet::Roles),
            "systemusers" => Some(EntitySet::SystemUsers),
            "teams" => Some(EntitySet::Teams),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            EntitySet::BusinessUnits => "businessunits",
            EntitySet::Roles => "roles",
            EntitySet::SystemUsers => "systemusers",
            EntitySet::Teams => "teams",
        }
    }

    /// The logical (type) name, as in error messages and `$metadata`.
    pub fn entity(self) -> &'static str {
        match self {
            EntitySet::BusinessUnits => "businessunit",
            EntitySet::Roles => "role",
            EntitySet::SystemUsers => "systemuser",
            EntitySet::Teams => "team",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            EntitySet::BusinessUnits => "businessunitid",
            EntitySet::Roles => "roleid",
            EntitySet::SystemUsers => "systemuserid",
            EntitySet::Teams => "teamid",
        }
    }

    pub fn schema(self) -> &'static Schema<'static> {
        match self {
            EntitySet::BusinessUnits => &BU,
            EntitySet::Roles => &ROLE,
            EntitySet::SystemUsers => &USER,
            EntitySet::Teams => &TEAM,
        }
    }

    /// The other side of `systemuserroles_association`.
    pub fn across(self) -> Option<EntitySet> {
        match self {
            EntitySet::Roles => Some(EntitySet::SystemUsers),
            EntitySet::SystemUsers => Some(EntitySet::Roles),
            EntitySet::BusinessUnits | EntitySet::Teams => None,
        }
    }

    /// The key of the rows a navigation property of this set leads to.
    pub fn nav_key(self, nav: &str) -> &'static str {
        match (self, nav) {
            (_, TEAM_MEMBERS) => "systemuserid",
            (_, TEAM_ROLES) => "roleid",
            _ => self.across().unwrap_or(self).key(),
        }
    }
}

fn etag(version: u64) -> Value {
    json!(format!("W/\"{version}\""))
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn user(u: &SysUser) -> Map<String, Value> {
    let (first, last) = u
        .fullname
        .split_once(' ')
        .unwrap_or((u.fullname.as_str(), ""));
    object(json!({
        "@odata.etag": etag(u.version),
        "systemuserid": u.id,
        "fullname": u.fullname,
        "firstname": first,
        "lastname": last,
        "domainname": u.domainname,
        "internalemailaddress": u.email,
        "azureactivedirectoryobjectid": u.aad_object_id,
        "isdisabled": u.disabled,
        "islicensed": u.licensed,
        "accessmode": u.access_mode,
        "applicationid": u.application_id,
        "_businessunitid_value": u.business_unit,
        "versionnumber": u.version,
    }))
}

pub fn role(r: &Role) -> Map<String, Value> {
    object(json!({
        "@odata.etag": etag(1_000_000),
        "roleid": r.id,
        "name": r.name,
        "_businessunitid_value": r.business_unit,
        "_roletemplateid_value": r.template,
        "_parentrootroleid_value": r.parent_root,
        "ismanaged": r.template.is_some(),
        "versionnumber": 1_000_000,
    }))
}

pub fn team(t: &Team) -> Map<String, Value> {
    object(json!({
        "@odata.etag": etag(1_000_000),
        "teamid": t.id,
        "name": t.name,
        "teamtype": t.team_type,
        "membershiptype": t.membership_type,
        "azureactivedirectoryobjectid": t.aad_object_id,
        "_businessunitid_value": t.business_unit,
        "isdefault": false,
        "systemmanaged": false,
        "versionnumber": 1_000_000,
    }))
}

pub fn business_unit(b: &Bu) -> Map<String, Value> {
    object(json!({
        "@odata.etag": etag(1_000_000),
        "businessunitid": b.id,
        "name": b.name,
        "_parentbusinessunitid_value": b.parent,
        "isdisabled": false,
        "versionnumber": 1_000_000,
    }))
}

/// Resolves `$select` names against a schema: a lookup may be named `x` or `_x_value`.
pub fn resolve_select(
    names: &[String],
    schema: &Schema,
    entity: &str,
) -> Result<Vec<String>, String> {
    names
        .iter()
        .map(|n| {
            let lower = n.to_ascii_lowercase();
            let alias = format!("_{lower}_value");
            schema
                .props
                .iter()
                .find(|p| **p == lower)
                .or_else(|| schema.props.iter().find(|p| **p == alias))
                .map(|p| p.to_string())
                .ok_or_else(|| format!("Could not find a property named '{n}' on type 'Microsoft.Dynamics.CRM.{entity}'."))
        })
        .collect()
}

/// Keeps the etag, the primary key and the selected columns (all when `select` is None).
pub fn project(
    row: &Map<String, Value>,
    key: &str,
    select: Option<&[String]>,
) -> Map<String, Value> {
    let Some(select) = select else {
        return row
            .iter()
            .filter(|(_, v)| !v.is_array())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    };
    row.iter()
        .filter(|(k, _)| {
            k.as_str() == "@odata.etag" || k.as_str() == key || select.iter().any(|s| s == *k)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
