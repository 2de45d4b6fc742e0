//! The slice of OData query options the PIM endpoints take: `$filter` with `eq` joined by
//! `and`, `$select`, and `$expand` (with nested options such as `policy($expand=rules)`).
//! Applied to the JSON Graph would send, so a filter on any property just works.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::graph::error::GraphError;

#[derive(Debug, Default)]
pub struct Query {
    pub filter: Vec<(String, String)>,
    pub select: Option<Vec<String>>,
    /// `(navigation property, its nested options)`, e.g. `("policy", "$expand=rules")`.
    pub expand: Vec<(String, String)>,
}

fn bad(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
}

pub fn parse(raw: Option<&str>) -> Result<Query, GraphError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| bad("Invalid query string."))?;
    let mut q = Query::default();
    for (k, v) in pairs {
        match k.to_ascii_lowercase().as_str() {
            "$filter" => q.filter = parse_filter(&v)?,
            "$select" => {
                q.select = Some(
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            "$expand" => q.expand = split_expand(&v)?,
            _ => {}
        }
    }
    Ok(q)
}

impl Query {
    pub fn expands(&self, name: &str) -> Option<&str> {
        self.expand
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, o)| o.as_str())
    }

    pub fn filter_value(&self, name: &str) -> Option<&str> {
        self.filter
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Keeps the items every `eq` clause matches. `type_name` words the error for a property
    /// the type does not have.
    pub fn apply_filter(
        &self,
        items: Vec<Value>,
        type_name: &str,
    ) -> Result<Vec<Value>, GraphError> {
        let mut out = Vec::new();
        for item in items {
            let mut keep = true;
            for (prop, wanted) in &self.filter {
                let Some(actual) = get(&item, prop) else {
                    return Err(no_property(prop, type_name));
                };
                keep &= matches(actual, wanted);
            }
            if keep {
                out.push(item);
            }
        }
        Ok(out)
    }

    /// Trims each item to the `$select`ed properties (plus annotations and expansions).
    pub fn apply_select(
        &self,
        items: Vec<Value>,
        type_name: &str,
    ) -> Result<Vec<Value>, GraphError> {
        let Some(select) = &self.select else {
            return Ok(items);
        };
        let mut out = Vec::new();
        for item in items {
            let Value::Object(map) = item else { continue };
            for s in select {
                if !map.keys().any(|k| k.eq_ignore_ascii_case(s)) {
                    return Err(no_property(s, type_name));
                }
            }
            let kept: Map<String, Value> = map
                .into_iter()
                .filter(|(k, _)| {
                    k.starts_with('@')
                        || select.iter().any(|s| s.eq_ignore_ascii_case(k))
                        || self.expand.iter().any(|(e, _)| e.eq_ignore_ascii_case(k))
                })
                .collect();
            out.push(Value::Object(kept));
        }
        Ok(out)
    }
}

fn no_property(name: &str, type_name: &str) -> GraphError {
    bad(format!(
        "Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'."
    ))
}

fn get<'a>(item: &'a Value, prop: &str) -> Option<&'a Value> {
    item.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(prop))
        .map(|(_, v)| v)
}

fn matches(actual: &Value, wanted: &str) -> bool {
    match actual {
        Value::String(s) => s.eq_ignore_ascii_case(wanted),
        Value::Bool(b) => wanted.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Null => wanted.eq_ignore_ascii_case("null"),
        Value::Number(n) => n.to_string() == wanted,
        _ => false,
    }
}

/// `a eq 'x' and b eq 'y'`; string literals double `'` to escape it, as OData does.
fn parse_filter(text: &str) -> Result<Vec<(String, String)>, GraphError> {
    let invalid = || bad(format!("Invalid filter clause: '{text}'."));
    let mut out = Vec::new();
    let mut rest = text.trim();
    loop {
        let (prop, r) = word(rest).ok_or_else(invalid)?;
        let r = keyword(r, "eq").ok_or_else(invalid)?;
        let (value, r) = literal(r).ok_or_else(invalid)?;
        out.push((prop.to_string(), value));
        let r = r.trim_start();
        if r.is_empty() {
            return Ok(out);
        }
        rest = keyword(r, "and").ok_or_else(invalid)?;
    }
}

fn word(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || "_-./:".contains(c)))
        .unwrap_or(text.len());
    (end > 0).then(|| (&text[..end], &text[end..]))
}

/// `text` after the keyword, which must stand alone (followed by a space).
fn keyword<'a>(text: &'a str, kw: &str) -> Option<&'a str> {
    let text = text.trim_start();
    let head = text.get(..kw.len())?;
    let after = &text[kw.len()..];
    (head.eq_ignore_ascii_case(kw) && after.starts_with(' ')).then(|| after.trim_start())
}

fn literal(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let Some(body) = text.strip_prefix('\'') else {
        return word(text).map(|(w, r)| (w.to_string(), r));
    };
    let mut value = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                value.push('\'');
                continue;
            }
            return Some((value, &body[i + 1..]));
        }
        value.push(c);
    }
    None
}

/// `roleDefinition,policy($expand=rules)` → names with their nested options.
fn split_expand(text: &str) -> Result<Vec<(String, String)>, GraphError> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(',')) {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Err(bad(format!("Invalid $expand: '{text}'.")));
        }
        if c == ',' && depth == 0 {
            let item = current.trim();
            if !item.is_empty() {
                let (name, options) = match item.split_once('(') {
                    Some((n, o)) if o.ends_with(')') => (n.trim(), &o[..o.len() - 1]),
                    Some(_) => return Err(bad(format!("Invalid $expand: '{text}'."))),
                    None => (item, ""),
                };
                out.push((name.to_string(), options.trim().to_string()));
            }
            current.clear();
        } else {
            current.push(c);
        }
    }
    if depth != 0 {
        return Err(bad(format!("Invalid $expand: '{text}'.")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_policy_query() {
        let q = parse(Some("$filter=scopeId%20eq%20'/'%20and%20scopeType%20eq%20'DirectoryRole'%20and%20roleDefinitionId%20eq%20'62e90394-69f5-4237-9190-012177145e10'&$expand=policy($expand=rules)")).expect("parses");
        assert_eq!(q.filter_value("scopeid"), Some("/"));
        assert_eq!(q.filter_value("scopeType"), Some("DirectoryRole"));
        assert_eq!(
            q.filter_value("roleDefinitionId"),
            Some("62e90394-69f5-4237-9190-012177145e10")
        );
        assert_eq!(q.expands("policy"), Some("$expand=rules"));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for f in [
            "",
            "eq",
            "a eq",
            "a eq 'x",
            "a eq 'x' or b eq 'y'",
            "a lt 'x'",
            "a eq 'x' and",
            "é eq 'x'",
        ] {
            assert!(parse_filter(f).is_err(), "{f}");
        }
        assert_eq!(
            parse_filter("a eq 'O''Neil'").expect("ok"),
            vec![("a".to_string(), "O'Neil".to_string())]
        );
        assert!(split_expand("policy($expand=rules").is_err());
        assert!(split_expand("a)b(").is_err());
    }
}
