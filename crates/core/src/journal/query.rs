//! The Activity page's questions: which entries match a filter, newest first.

use std::collections::BTreeSet;

use crate::api::{JournalFilter, JournalPage, JournalRow, JournalTargetKind};

/// Rows shown when the filter sets no limit; the page says "showing N of M".
pub const DEFAULT_LIMIT: u32 = 500;
const MAX_LIMIT: u32 = 5000;

/// The environment an entry concerns: its target, or the one in its parameters.
pub fn environment_of(r: &JournalRow) -> Option<(&str, &str)> {
    match &r.entry.target {
        Some(t) if t.kind == JournalTargetKind::Environment => {
            Some((t.id.as_str(), t.name.as_str()))
        }
        _ => r
            .entry
            .params
            .environment
            .as_ref()
            .map(|e| (e.id.as_str(), e.name.as_str())),
    }
}

/// The role an entry concerns: its target, or the one in its parameters.
pub fn role_of(r: &JournalRow) -> Option<&str> {
    match &r.entry.target {
        Some(t) if t.kind == JournalTargetKind::DirectoryRole => Some(t.name.as_str()),
        _ => r.entry.params.role_name.as_deref(),
    }
}

pub fn matches(r: &JournalRow, f: &JournalFilter) -> bool {
    let e = &r.entry;
    let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    f.action.is_none_or(|a| a == e.action)
        && f.outcome.is_none_or(|o| o == e.result.outcome)
        && f.from.is_none_or(|from| e.time >= from)
        && f.to.is_none_or(|to| e.time < to)
        && f.environment
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .is_none_or(|want| {
                environment_of(r).is_some_and(|(id, name)| eq(id, want) || eq(name, want))
            })
        && f.role
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .is_none_or(|want| role_of(r).is_some_and(|role| eq(role, want)))
        && f.text
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .is_none_or(|t| searchable(r).contains(&t.to_lowercase()))
}

/// Everything the search box looks in, lower-cased.
fn searchable(r: &JournalRow) -> String {
    let e = &r.entry;
    let p = &e.params;
    let mut parts: Vec<&str> = vec![
        e.action.as_str(),
        e.action.label(),
        e.result.outcome.as_str(),
        &e.tenant.id,
    ];
    if let Some(a) = &e.account {
        parts.extend([a.name.as_str(), a.upn.as_str(), a.oid.as_str()]);
    }
    if let Some(t) = &e.target {
        parts.extend([t.id.as_str(), t.name.as_str()]);
    }
    for r in [&p.environment, &p.user].into_iter().flatten() {
        parts.extend([r.id.as_str(), r.name.as_str()]);
    }
    parts.extend(
        [
            &p.ticket_number,
            &p.ticket_system,
            &p.justification,
            &p.role_name,
            &e.correlation_id,
            &e.request_id,
            &e.result.message,
            &e.result.detail,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str),
    );
    parts.join("\n").to_lowercase()
}

/// The matching rows, newest first, and the values the filters offer.
pub fn page(rows: Vec<JournalRow>, f: &JournalFilter) -> JournalPage {
    let limit = f.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
    let total = rows.len() as u32;
    let environments: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| environment_of(r).map(|(_, n)| n.to_string()))
        .collect();
    let roles: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| role_of(r).map(String::from))
        .collect();
    let matching: Vec<JournalRow> = rows.into_iter().rev().filter(|r| matches(r, f)).collect();
    JournalPage {
        matching: matching.len() as u32,
        rows: matching.into_iter().take(limit).collect(),
        total,
        environments: environments.into_iter().collect(),
        roles: roles.into_iter().collect(),
    }
}
