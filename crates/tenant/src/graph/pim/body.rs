//! Reading a `roleAssignmentScheduleRequests` POST body the way Graph's OData layer does:
//! JSON only, known properties only (`@odata.*` annotations allowed), typed values, and
//! Graph's own words when something does not convert.

use axum::http::{header, HeaderMap, StatusCode};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::graph::error::GraphError;

use super::duration;
use super::state::{Action, Expiration, ExpirationType, ScheduleInfo};

const PAYLOAD: &str = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

/// The request as sent, after type checks.
#[derive(Debug)]
pub struct Body {
    pub action_text: String,
    pub action: ParsedAction,
    pub principal_id: Option<String>,
    pub role_definition_id: Option<String>,
    pub directory_scope_id: Option<String>,
    pub app_scope_id: Option<String>,
    pub justification: Option<String>,
    pub schedule: Option<ScheduleInfo>,
    pub ticket_number: Option<String>,
    pub ticket_system: Option<String>,
    pub custom_data: Option<String>,
    pub is_validation_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedAction {
    Supported(Action),
    /// `adminAssign` and friends: not for an end user's token.
    Admin,
    /// `selfRenew`: renewing an expired assignment, which this tenant never has.
    SelfRenew,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    action: Option<String>,
    principal_id: Option<String>,
    role_definition_id: Option<String>,
    directory_scope_id: Option<String>,
    app_scope_id: Option<String>,
    justification: Option<String>,
    schedule_info: Option<RawSchedule>,
    ticket_info: Option<RawTicket>,
    custom_data: Option<String>,
    is_validation_only: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSchedule {
    start_date_time: Option<String>,
    expiration: Option<RawExpiration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExpiration {
    #[serde(rename = "type")]
    kind: Option<String>,
    end_date_time: Option<String>,
    duration: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTicket {
    ticket_number: Option<String>,
    ticket_system: Option<String>,
}

fn bad(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// Property names each object may carry, by the Graph type it stands for.
const TOP: [&str; 11] = [
    "action",
    "principalId",
    "roleDefinitionId",
    "directoryScopeId",
    "appScopeId",
    "justification",
    "scheduleInfo",
    "ticketInfo",
    "customData",
    "isValidationOnly",
    "targetScheduleId",
];
const SCHEDULE: [&str; 3] = ["startDateTime", "expiration", "recurrence"];
const EXPIRATION: [&str; 3] = ["type", "endDateTime", "duration"];
const TICKET: [&str; 2] = ["ticketNumber", "ticketSystem"];

pub fn parse(headers: &HeaderMap, bytes: &[u8]) -> Result<Body, GraphError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(bad(PAYLOAD));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|_| bad(PAYLOAD))?;
    known_properties(&value, &TOP, "unifiedRoleAssignmentScheduleRequest")?;
    if let Some(s) = value.get("scheduleInfo").filter(|s| !s.is_null()) {
        known_properties(s, &SCHEDULE, "requestSchedule")?;
        if let Some(e) = s.get("expiration").filter(|e| !e.is_null()) {
            known_properties(e, &EXPIRATION, "expirationPattern")?;
        }
    }
    if let Some(t) = value.get("ticketInfo").filter(|t| !t.is_null()) {
        known_properties(t, &TICKET, "ticketInfo")?;
    }
    let raw: Raw = serde_json::from_value(value).map_err(|e| {
        bad(format!(
            "The request body is not a valid unifiedRoleAssignmentScheduleRequest: {e}."
        ))
    })?;
    let action_text = raw
        .action
        .ok_or_else(|| bad("The property 'action' is required."))?;
    let action = parse_action(&action_text)?;
    let schedule = raw.schedule_info.map(schedule).transpose()?;
    let (ticket_number, ticket_system) = raw
        .ticket_info
        .map_or((None, None), |t| (t.ticket_number, t.ticket_system));
    Ok(Body {
        action_text,
        action,
        principal_id: raw.principal_id,
        role_definition_id: raw.role_definition_id,
        directory_scope_id: raw.directory_scope_id,
        app_scope_id: raw.app_scope_id,
        justification: raw.justification,
        schedule,
        ticket_number,
        ticket_system,
        custom_data: raw.custom_data,
        is_validation_only: raw.is_validation_only.unwrap_or(false),
    })
}

fn known_properties(value: &Value, allowed: &[&str], type_name: &str) -> Result<(), GraphError> {
    let Some(map) = value.as_object() else {
        return Err(bad(format!(
            "A value of type 'microsoft.graph.{type_name}' was expected."
        )));
    };
    match map.keys().find(|k| !k.starts_with("@odata.") && !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad(format!(
            "The property '{k}' does not exist on type 'microsoft.graph.{type_name}'. Make sure to only use property names that are defined by the type or mark the type as open type."
        ))),
        None => Ok(()),
    }
}

/// Action names are matched case-insensitively: the Graph tutorial sends `SelfActivate`.
fn parse_action(text: &str) -> Result<ParsedAction, GraphError> {
    let lower = text.to_ascii_lowercase();
    Ok(match lower.as_str() {
        "selfactivate" => ParsedAction::Supported(Action::Activate),
        "selfdeactivate" => ParsedAction::Supported(Action::Deactivate),
        "selfextend" => ParsedAction::Supported(Action::Extend),
        "selfrenew" => ParsedAction::SelfRenew,
        "adminassign" | "adminupdate" | "adminremove" | "adminextend" | "adminrenew" => {
            ParsedAction::Admin
        }
        _ => return Err(bad(format!("Requested value '{text}' was not found."))),
    })
}

fn schedule(raw: RawSchedule) -> Result<ScheduleInfo, GraphError> {
    let start = raw.start_date_time.as_deref().map(timestamp).transpose()?;
    let expiration = raw
        .expiration
        .map(|e| -> Result<Expiration, GraphError> {
            let kind = match e.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
                None | Some("notspecified") => ExpirationType::NotSpecified,
                Some("noexpiration") => ExpirationType::NoExpiration,
                Some("afterdatetime") => ExpirationType::AfterDateTime,
                Some("afterduration") => ExpirationType::AfterDuration,
                Some(_) => {
                    return Err(bad(format!(
                        "Requested value '{}' was not found.",
                        e.kind.unwrap_or_default()
                    )))
                }
            };
            let end = e.end_date_time.as_deref().map(timestamp).transpose()?;
            let duration = match e.duration.as_deref() {
                None => None,
                Some(d) => Some(duration::parse(d).ok_or_else(|| {
                    bad(format!(
                        "Cannot convert the literal '{d}' to the expected type 'Edm.Duration'."
                    ))
                })?),
            };
            Ok(Expiration {
                kind,
                end,
                duration,
            })
        })
        .transpose()?;
    Ok(ScheduleInfo { start, expiration })
}

/// `Edm.DateTimeOffset`; a value without an offset is taken as UTC, as .NET does.
fn timestamp(text: &str) -> Result<DateTime<Utc>, GraphError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc())
        })
        .map_err(|_| {
            bad(format!(
                "Cannot convert the literal '{text}' to the expected type 'Edm.DateTimeOffset'."
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().expect("header"),
        );
        h
    }

    #[test]
    fn reads_the_documented_request() {
        let body = br##"{"action":"SelfActivate","principalId":"p","roleDefinitionId":"r","directoryScopeId":"/",
            "justification":"j","scheduleInfo":{"startDateTime":"2022-04-14T00:00:00.000Z",
            "expiration":{"type":"AfterDuration","duration":"PT5H"}},
            "ticketInfo":{"ticketNumber":"CONTOSO:Normal-67890","ticketSystem":"MS Project"},"@odata.type":"x"}"##;
        let b = parse(&json_headers(), body).expect("parses");
        assert_eq!(b.action, ParsedAction::Supported(Action::Activate));
        assert_eq!(b.action_text, "SelfActivate");
        let e = b.schedule.and_then(|s| s.expiration).expect("expiration");
        assert_eq!(e.kind, ExpirationType::AfterDuration);
        assert_eq!(e.duration, Some(chrono::Duration::hours(5)));
    }

    #[test]
    fn refuses_bad_bodies_with_graph_words() {
        for body in [
            &b"{not json"[..],
            br#"[]"#,
            br#"{"action":"selfActivate","shoeSize":1}"#,
            br#"{"action":"fly"}"#,
            br#"{"principalId":"x"}"#,
            br#"{"action":"selfActivate","justification":5}"#,
            br#"{"action":"selfActivate","scheduleInfo":{"expiration":{"type":"AfterDuration","duration":"5 hours"}}}"#,
            br#"{"action":"selfActivate","scheduleInfo":{"startDateTime":"tomorrow"}}"#,
            br#"{"action":"selfActivate","scheduleInfo":{"expiration":{"type":"later"}}}"#,
            br#"{"action":"selfActivate","scheduleInfo":[1]}"#,
        ] {
            let e = parse(&json_headers(), body).expect_err(&String::from_utf8_lossy(body));
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
        }
        assert!(parse(&HeaderMap::new(), br#"{"action":"selfActivate"}"#).is_err());
    }
}
