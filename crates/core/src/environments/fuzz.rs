//! Property tests of what Environments reads (issue #17, point 17): the environment list
//! and one environment from Power Platform, Dataverse's System Administrators, the
//! applyAdminRole answer (its 200 body and its refusals). Here rather than in `crate::fuzz`
//! because the readers are private to this module.

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::confirm;
use super::list::to_environment;
use super::refusal::{explain, Context};
use super::version::version_refused;
use crate::clients::dataverse::Dataverse;
use crate::clients::http::{ServiceError, ServiceErrorKind};
use crate::clients::power_platform::PowerPlatform;
use crate::fuzz::server::{self, Canned, Server};
use crate::fuzz::{body_of, check, plain, text};
use crate::secret::Secret;

fn lists(base: &str) -> Vec<Value> {
    vec![
        json!({"value": [{"id": "env-1", "displayName": "Sales", "type": "Production", "geo": "europe", "azureRegion": "westeurope", "url": "https://sales.crm4.dynamics.com/", "dataverseId": "org", "version": "9.2", "state": "Enabled", "securityGroupId": "g1", "connectedGroupId": null, "createdDateTime": "2024-01-01T00:00:00Z"}], "@odata.nextlink": format!("{base}environmentmanagement/environments?$skiptoken=1")}),
        json!({"id": "env-1", "displayName": "Sales", "type": "Developer", "state": "Disabled", "url": ""}),
        json!({"value": [{"systemuserid": "s1", "fullname": "Adele Vance", "domainname": "adele@contoso.com", "azureactivedirectoryobjectid": "oid", "isdisabled": false, "applicationid": null, "_businessunitid_value": "bu", "systemuserroles_association": [{"roleid": "r", "_roletemplateid_value": "627090ff-40a3-4053-8790-584edc5be201"}]}], "@odata.nextLink": format!("{base}api/data/v9.2/systemusers?$skiptoken=2")}),
    ]
}

#[test]
fn fuzz_environment_lists() {
    let srv = Server::start();
    let body = body_of(lists(srv.base.as_str()));
    check(
        "environment lists",
        (server::status(), body),
        move |(status, body)| {
            srv.set(Canned {
                status,
                headers: vec![],
                body,
            });
            let http = server::http();
            let token = Secret::new("tkn");
            let pp = PowerPlatform {
                http: &http,
                base: &srv.base,
                token: &token,
            };
            let dv = Dataverse::new(&http, srv.base.as_str(), &token);
            let (list, one, admins, units) = srv.rt.block_on(async {
                (
                    pp.environments().await,
                    pp.environment("env-1").await,
                    dv.holders().await,
                    dv.business_units().await,
                )
            });
            for e in [
                list.as_ref().err(),
                one.as_ref().err(),
                admins.as_ref().err(),
                units.as_ref().err(),
            ]
            .into_iter()
            .flatten()
            {
                plain(
                    "Power Platform error",
                    &e.to_api_error("Power Platform").message,
                )?;
            }
            let names = HashMap::from([("g1".to_string(), "Sales team".to_string())]);
            for w in list
                .map(|(rows, _)| rows)
                .unwrap_or_default()
                .iter()
                .chain(one.as_ref().ok())
            {
                let env = to_environment(w, &names);
                prop_assert!(!env.display_name.trim().is_empty() || env.id.trim().is_empty());
                prop_assert_eq!(env.has_dataverse, env.url.is_some());
            }
            Ok(())
        },
    );
}

fn apply_bodies() -> Vec<Value> {
    vec![
        json!({"errors": [{"Subject": "AddUser", "Description": "[\"Step 1\",\"Could not add the user to the security group.\"]", "Code": "UserNotInSecurityGroup"}], "information": [{"Subject": "x", "Description": "[]", "Code": "UserExists"}]}),
        json!({"errors": [], "information": []}),
        json!({"errors": ["plain words"], "information": [{"code": "UserExists", "message": "The user exists."}]}),
    ]
}

#[test]
fn fuzz_apply_admin_role_answers() {
    let srv = Server::start();
    check(
        "applyAdminRole answers",
        (server::status(), body_of(apply_bodies())),
        move |(status, body)| {
            srv.set(Canned {
                status,
                headers: vec![],
                body,
            });
            let http = server::http();
            let token = Secret::new("tkn");
            let pp = PowerPlatform {
                http: &http,
                base: &srv.base,
                token: &token,
            };
            let out = srv
                .rt
                .block_on(pp.apply_admin_role("env-1", super::version::DOCUMENTED));
            match out {
                Ok(answer) => {
                    let said = confirm::read(&answer);
                    prop_assert!(said.shown().chars().count() <= 401);
                    prop_assert!(!said.detail().is_empty());
                }
                Err(e) => {
                    let _ = version_refused(&e);
                    let api = explain(&e, "Sales", &Context::default());
                    plain("applyAdminRole refusal", &api.message)?;
                }
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_apply_admin_role_refusals() {
    let kind = prop::sample::select(vec![
        ServiceErrorKind::Refused,
        ServiceErrorKind::Forbidden,
        ServiceErrorKind::NotFound,
        ServiceErrorKind::Server,
        ServiceErrorKind::Unauthorized,
        ServiceErrorKind::Malformed,
    ]);
    let code = prop_oneof![
        prop::sample::select(vec![
            "InsufficientDelegatedPermissions",
            "InsufficientPrincipalPermissions",
            "UserNotAdmin",
            "ApiVersionInvalid",
            "EnvironmentDisabled",
            "NoDataverse",
            "InvalidEnvironmentId",
            "EnvironmentNotFound",
            "Forbidden",
        ])
        .prop_map(str::to_string),
        text(),
    ];
    let message = prop_oneof![
        prop::sample::select(vec![
            "The user is not either a global admin or a Power Platform admin.",
            "User is not a member of the security group.",
            "The environment is linked to a Microsoft 365 group (Teams environment).",
            "The api-version '2024-10-01' is invalid. The supported versions are '2022-03-01-preview'.",
        ])
        .prop_map(str::to_string),
        text(),
    ];
    let status = proptest::option::of(prop::sample::select(vec![400u16, 403, 404, 502]));
    let government = any::<bool>();
    check(
        "applyAdminRole refusals",
        (
            kind,
            code,
            message,
            proptest::option::of(text()),
            status,
            government,
        ),
        |(kind, code, message, inner, status, government)| {
            let mut e = ServiceError::new(kind, message);
            e.code = code;
            e.inner_code = inner;
            e.status = status;
            let cx = Context {
                consent_url: Some(
                    "https://login.microsoftonline.com/t/adminconsent?client_id=c".into(),
                ),
                government,
            };
            plain("applyAdminRole refusal", &explain(&e, "Sales", &cx).message)?;
            Ok(())
        },
    );
}
