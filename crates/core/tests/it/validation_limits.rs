//! The Activate dialog checks what the core checks, with the core's numbers and words:
//! `ui/src/lib/generated/validationLimits.ts` is written from the constants here (with
//! ELEVATE_WRITE_BINDINGS=1, as `cargo xtask bindings` sets) and must be up to date otherwise;
//! `data/validation_cases.json` is run here against `validate::check` and in the UI's tests
//! against `roleValidation.ts`.

use std::path::PathBuf;

use elevate_core::api::{ErrorCode, RolePolicy};
use elevate_core::roles::policy::{
    DEFAULT_MAX_MINUTES, MAX_ACTIVATION_MINUTES, MIN_ACTIVATION_MINUTES,
};
use elevate_core::roles::validate::{check, MAX_JUSTIFICATION, MAX_TICKET};
use serde::Deserialize;
use serde_json::Value;

fn limits_ts() -> String {
    format!(
        "// Generated from crates/core (roles/validate.rs, roles/policy.rs) by tests/validation_limits.rs: do not edit.\n\
         // Regenerate with `ELEVATE_WRITE_BINDINGS=1 cargo test -p elevate-core --test validation_limits`.\n\n\
         /** The longest justification, in characters (Unicode code points), after trimming. */\n\
         export const MAX_JUSTIFICATION = {MAX_JUSTIFICATION};\n\
         /** The longest ticket number, and the longest ticket system. */\n\
         export const MAX_TICKET = {MAX_TICKET};\n\
         /** The shortest activation offered (or the role's maximum, when that is shorter). */\n\
         export const MIN_ACTIVATION_MINUTES = {MIN_ACTIVATION_MINUTES};\n\
         /** The maximum of a role whose policy could not be read (Entra's default). */\n\
         export const DEFAULT_MAX_MINUTES = {DEFAULT_MAX_MINUTES};\n\
         /** PIM's own ceiling for an activation. */\n\
         export const MAX_ACTIVATION_MINUTES = {MAX_ACTIVATION_MINUTES};\n"
    )
}

#[test]
fn ui_validation_limits_are_generated_from_the_core() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/lib/generated/validationLimits.ts");
    let expected = limits_ts();
    if std::env::var_os("ELEVATE_WRITE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
    }
    let found = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        found == expected,
        "{} is stale; run `ELEVATE_WRITE_BINDINGS=1 cargo test -p elevate-core --test validation_limits`",
        path.display()
    );
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    name: String,
    roles: Vec<CaseRole>,
    duration_minutes: u32,
    justification: Value,
    ticket_number: Value,
    ticket_system: Value,
    expect: Value,
}

#[derive(Deserialize)]
struct CaseRole {
    name: String,
    policy: Option<CasePolicy>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CasePolicy {
    max_duration_minutes: u32,
    requires_justification: bool,
    requires_ticket: bool,
}

/// A text of the table: a string, or parts (strings and `{repeat, times}`) joined.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().map(text).collect(),
        Value::Object(o) => o["repeat"]
            .as_str()
            .unwrap()
            .repeat(o["times"].as_u64().unwrap() as usize),
        other => panic!("not a text: {other}"),
    }
}

#[test]
fn the_shared_validation_cases_hold() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/validation_cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases: Vec<Case> = serde_json::from_value(doc["cases"].clone()).unwrap();
    assert!(cases.len() > 20, "the table is read");
    for c in &cases {
        let policies: Vec<Option<RolePolicy>> = c
            .roles
            .iter()
            .map(|r| {
                r.policy.as_ref().map(|p| RolePolicy {
                    max_duration_minutes: p.max_duration_minutes,
                    requires_justification: p.requires_justification,
                    requires_ticket: p.requires_ticket,
                    requires_mfa: false,
                    requires_approval: false,
                    approval_for_extension: false,
                    authentication_context: None,
                    approvers: vec![],
                })
            })
            .collect();
        let roles: Vec<(&str, Option<&RolePolicy>)> = c
            .roles
            .iter()
            .zip(&policies)
            .map(|(r, p)| (r.name.as_str(), p.as_ref()))
            .collect();
        let got = check(
            &roles,
            c.duration_minutes,
            &text(&c.justification),
            &text(&c.ticket_number),
            &text(&c.ticket_system),
        );
        match (&c.expect, got) {
            (Value::String(ok), Ok(_)) if ok == "ok" => {}
            (Value::Object(e), Err(err)) => {
                assert_eq!(err.code, ErrorCode::InvalidInput, "{}", c.name);
                assert_eq!(
                    Some(err.message.as_str()),
                    e["message"].as_str(),
                    "{}",
                    c.name
                );
            }
            (want, got) => panic!("{}: expected {want}, got {got:?}", c.name),
        }
    }
}
