//! Exports for auditors: CSV for a spreadsheet, JSON for tools. Both hold the filtered
//! entries oldest first (journal order), each with its segment and whether it verified.
//!
//! CSV columns, in order (see `CSV_COLUMNS`): seq, time (RFC 3339, UTC), tenantKind, tenantId,
//! accountName, accountUpn, accountObjectId, action, targetKind, targetId, targetName,
//! environment, role, user, durationMinutes, ticketNumber, ticketSystem, justification,
//! signInMethod, dryRun, outcome, errorCode, message, detail, correlationId, requestId,
//! expiresAt, segment, verified. The file starts with a UTF-8 byte order mark so that Excel
//! reads names with accents correctly. A cell that would start with `=`, `+`, `-`, `@`, tab or
//! carriage return gets a leading `'`, so a spreadsheet shows it as text instead of running it
//! as a formula (a justification like `=HYPERLINK(…)` stays harmless).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::api::{JournalHealth, JournalRow};

use super::query::{environment_of, role_of};

pub const CSV_COLUMNS: [&str; 29] = [
    "seq",
    "time",
    "tenantKind",
    "tenantId",
    "accountName",
    "accountUpn",
    "accountObjectId",
    "action",
    "targetKind",
    "targetId",
    "targetName",
    "environment",
    "role",
    "user",
    "durationMinutes",
    "ticketNumber",
    "ticketSystem",
    "justification",
    "signInMethod",
    "dryRun",
    "outcome",
    "errorCode",
    "message",
    "detail",
    "correlationId",
    "requestId",
    "expiresAt",
    "segment",
    "verified",
];

pub const JSON_FORMAT: &str = "elevate-journal-export/1";

/// The JSON export's shape.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonExport {
    pub format: String,
    pub exported_at: chrono::DateTime<chrono::Utc>,
    /// The verification verdict at the time of export.
    pub health: serde_json::Value,
    pub entries: Vec<JournalRow>,
}

/// `'` before what a spreadsheet would read as a formula.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The reverse of `neutralise`, for reading an export back.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// An enum's camelCase wire name (`signIn`, `directoryRole`, …).
fn name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn csv_record(r: &JournalRow) -> Vec<String> {
    let e = &r.entry;
    let p = &e.params;
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let account = e.account.as_ref();
    let target = e.target.as_ref();
    vec![
        e.seq.to_string(),
        e.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        name(&e.tenant.kind),
        e.tenant.id.clone(),
        account.map(|a| a.name.clone()).unwrap_or_default(),
        account.map(|a| a.upn.clone()).unwrap_or_default(),
        account.map(|a| a.oid.clone()).unwrap_or_default(),
        e.action.as_str().to_string(),
        target.map(|t| name(&t.kind)).unwrap_or_default(),
        target.map(|t| t.id.clone()).unwrap_or_default(),
        target.map(|t| t.name.clone()).unwrap_or_default(),
        environment_of(r)
            .map(|(_, n)| n.to_string())
            .unwrap_or_default(),
        role_of(r).unwrap_or_default().to_string(),
        p.user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
        p.duration_minutes
            .map(|d| d.to_string())
            .unwrap_or_default(),
        opt(&p.ticket_number),
        opt(&p.ticket_system),
        opt(&p.justification),
        p.sign_in_method.map(|m| name(&m)).unwrap_or_default(),
        p.dry_run.map(|d| d.to_string()).unwrap_or_default(),
        e.result.outcome.as_str().to_string(),
        e.result.code.map(|c| name(&c)).unwrap_or_default(),
        opt(&e.result.message),
        opt(&e.result.detail),
        opt(&e.correlation_id),
        opt(&e.request_id),
        e.expires_at
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default(),
        r.segment.to_string(),
        r.verified.to_string(),
    ]
    .into_iter()
    .map(|c| neutralise(&c))
    .collect()
}

pub fn csv_bytes(rows: &[JournalRow]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(CSV_COLUMNS).expect("write to memory");
        for r in rows {
            w.write_record(csv_record(r)).expect("write to memory");
        }
        w.flush().expect("write to memory");
    }
    out
}

pub fn json_bytes(rows: &[JournalRow], health: &JournalHealth) -> Vec<u8> {
    let doc = JsonExport {
        format: JSON_FORMAT.into(),
        exported_at: chrono::Utc::now(),
        health: serde_json::to_value(health).expect("health serialises"),
        entries: rows.to_vec(),
    };
    serde_json::to_vec_pretty(&doc).expect("export serialises")
}

/// Writes the export where the user chose, replacing the file atomically.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the export needs a file name",
        )
    })?;
    crate::cache::write_atomically(dir, name, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for cell in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let n = neutralise(cell);
            assert!(n.starts_with('\''), "{cell:?}");
            assert_eq!(restore(&n), cell);
        }
        for cell in ["Adele", "2024-05-01", "'quoted", "", "a=b"] {
            assert_eq!(neutralise(cell), cell);
            assert_eq!(restore(cell), cell);
        }
    }
}
