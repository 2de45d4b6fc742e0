//! OData query options (`$select`, `$filter`, `$expand`, `$top`, `$count`, `$skiptoken`) and
//! paging (contract §4.5): `Prefer: odata.maxpagesize=N` (default and max 5,000), answered with
//! `Preference-Applied` and an `@odata.nextLink` whose `$skiptoken` is a paging cookie holding
//! the last primary key, so rows removed between pages shift nothing.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use super::filter::{self, Expr, Schema};
use super::rows::resolve_select;

pub const MAX_PAGE: usize = 5000;

/// An `$expand` item: the navigation property and its own `$select`.
pub type Expand = (String, Option<Vec<String>>);

#[derive(Default, Debug)]
pub struct Query {
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub expand: Vec<Expand>,
    pub top: Option<usize>,
    pub count: bool,
    /// The last primary key of the previous page.
    pub after: Option<String>,
    /// The query string as sent, for building the next link.
    pub raw: String,
    /// `$id` of a `$ref` request.
    pub ref_id: Option<String>,
}

pub fn parse(raw: &str, schema: &Schema, entity: &str) -> Result<Query, String> {
    let mut q = Query {
        raw: raw.to_string(),
        ..Query::default()
    };
    for (k, v) in url::form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "$select" => q.select = Some(resolve_select(&list(&v), schema, entity)?),
            "$filter" => {
                let e = filter::parse(&v)?;
                if let Some(p) = filter::unknown_property(&e, schema, None) {
                    return Err(format!("Could not find a property named '{p}' on type 'Microsoft.Dynamics.CRM.{entity}'."));
                }
                q.filter = Some(e);
            }
            "$expand" => q.expand = expand(&v, schema)?,
            "$top" => {
                q.top = Some(
                    v.parse::<usize>()
                        .map_err(|_| format!("Invalid $top value '{v}'."))?,
                )
            }
            "$count" => q.count = v.eq_ignore_ascii_case("true"),
            "$skiptoken" => {
                q.after =
                    Some(cookie_last(&v).ok_or("The $skiptoken is not a valid paging cookie.")?)
            }
            "$id" => q.ref_id = Some(v.to_string()),
            "$skip" => return Err("The query parameter $skip is not supported.".into()),
            "$orderby" | "$apply" | "$search" => {
                return Err(format!(
                    "The query parameter {k} is not supported by the emulator."
                ))
            }
            other if other.starts_with('$') => {
                return Err(format!("The query parameter {other} is not supported."))
            }
            _ => {}
        }
    }
    Ok(q)
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// `nav($select=a,b)` items, comma-separated at the top level.
fn expand(v: &str, schema: &Schema) -> Result<Vec<Expand>, String> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut items = Vec::new();
    for (i, c) in v.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&v[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&v[start..]);
    for item in items.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        let (name, opts) = match item.split_once('(') {
            Some((n, rest)) => (
                n.trim(),
                Some(
                    rest.strip_suffix(')')
                        .ok_or("Unbalanced parentheses in $expand.")?,
                ),
            ),
            None => (item, None),
        };
        let Some((nav, inner)) = schema
            .navs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        else {
            return Err(format!(
                "Could not find a navigation property named '{name}'."
            ));
        };
        let mut select = None;
        for opt in opts
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match opt.split_once('=') {
                Some(("$select", cols)) => {
                    let entity = if inner.props.contains(&"systemuserid") {
                        "systemuser"
                    } else if inner.props.contains(&"teamid") {
                        "team"
                    } else {
                        "role"
                    };
                    select = Some(resolve_select(&list(cols), inner, entity)?)
                }
                _ => {
                    return Err(format!(
                        "The $expand option '{opt}' is not supported by the emulator."
                    ))
                }
            }
        }
        out.push((nav.to_string(), select));
    }
    Ok(out)
}

/// The page size asked for with `Prefer: odata.maxpagesize=N`, capped at 5,000.
pub fn max_page_size(headers: &HeaderMap) -> Option<usize> {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix("odata.maxpagesize="))
        .filter_map(|n| n.trim().trim_matches('"').parse::<usize>().ok())
        .find(|n| *n > 0)
        .map(|n| n.min(MAX_PAGE))
}

/// One page of `rows` (sorted by `key`), and the next link if more remain.
pub fn page(
    mut rows: Vec<Map<String, Value>>,
    key: &str,
    q: &Query,
    page_size: Option<usize>,
    self_url: &str,
) -> (Vec<Map<String, Value>>, Option<String>, usize) {
    let id = |r: &Map<String, Value>| r.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    rows.sort_by_key(|r| id(r));
    let total = rows.len();
    if let Some(after) = &q.after {
        rows.retain(|r| id(r).as_str() > after.as_str());
    }
    let size = match (page_size, q.top) {
        (Some(n), _) => n,
        (None, Some(top)) => return (rows.into_iter().take(top).collect(), None, total),
        (None, None) => MAX_PAGE,
    };
    if rows.len() <= size {
        return (rows, None, total);
    }
    rows.truncate(size);
    let last = rows.last().map(id).unwrap_or_default();
    let kept: Vec<&str> = q
        .raw
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("");
            k != "$skiptoken" && k != "%24skiptoken"
        })
        .collect();
    let mut query = kept.join("&");
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str("$skiptoken=");
    query.push_str(&encode(&cookie(&last)));
    (rows, Some(format!("{self_url}?{query}")), total)
}

/// A paging cookie shaped like Dataverse's (the inner cookie itself percent-encoded).
fn cookie(last: &str) -> String {
    let inner = format!("<cookie page=\"1\"><key last=\"{{{last}}}\" /></cookie>");
    format!(
        "<cookie pagenumber=\"2\" pagingcookie=\"{}\" istracking=\"False\" />",
        encode(&inner)
    )
}

fn cookie_last(token: &str) -> Option<String> {
    let inner = decode(token);
    let at = inner.find("last=\"{")? + 7;
    let guid = inner.get(at..at + 36)?;
    uuid::Uuid::parse_str(guid)
        .ok()
        .map(|_| guid.to_ascii_lowercase())
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
