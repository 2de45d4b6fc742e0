//! The resource path after `/api/data/v9.2/`: `WhoAmI`, an entity set, one row by key, the
//! `systemuserroles_association` of a row, or a `$ref` to (un)link one.

use axum::http::StatusCode;

use super::error::DvError;
use super::query::decode;
use super::rows::{EntitySet, ASSOCIATION};

#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    WhoAmI,
    Set(EntitySet),
    One(EntitySet, String),
    /// `set(id)/systemuserroles_association`.
    Nav(EntitySet, String),
    /// `set(id)/systemuserroles_association[(other)]/$ref`.
    Ref(EntitySet, String, Option<String>),
}

pub fn parse(tail: &str) -> Result<Target, DvError> {
    let segs: Vec<String> = tail.trim_end_matches('/').split('/').map(decode).collect();
    let first = segs.first().map(String::as_str).unwrap_or("");
    if segs.len() == 1
        && (first.eq_ignore_ascii_case("WhoAmI") || first.eq_ignore_ascii_case("WhoAmI()"))
    {
        return Ok(Target::WhoAmI);
    }
    let (name, key) = split_key(first)?;
    let set = EntitySet::parse(&name.to_ascii_lowercase()).ok_or_else(|| segment(&name))?;
    match (segs.len(), key) {
        (1, None) => Ok(Target::Set(set)),
        (1, Some(k)) => Ok(Target::One(set, k)),
        (2 | 3, Some(k)) if set.across().is_some() => {
            let (nav, other) = split_key(&segs[1])?;
            if !nav.eq_ignore_ascii_case(ASSOCIATION) {
                return Err(segment(&nav));
            }
            match (segs.get(2).map(String::as_str), other) {
                (None, None) => Ok(Target::Nav(set, k)),
                (Some("$ref"), other) => Ok(Target::Ref(set, k, other)),
                (Some(s), _) => Err(segment(s)),
                (None, Some(_)) => Err(DvError::new(
                    StatusCode::BAD_REQUEST,
                    "0x80060888",
                    "Reading one related row by key is not supported by the emulator; use $filter.",
                )),
            }
        }
        _ => Err(segment(segs.get(1).map(String::as_str).unwrap_or(first))),
    }
}

fn segment(s: &str) -> DvError {
    DvError::new(
        StatusCode::NOT_FOUND,
        "0x80060888",
        format!("Resource not found for the segment '{s}'."),
    )
}

/// `name(key)` → (`name`, key as a lowercase GUID). Accepts `(guid)`, `('guid')`, `(x=guid)`.
fn split_key(seg: &str) -> Result<(String, Option<String>), DvError> {
    let Some((name, rest)) = seg.split_once('(') else {
        return Ok((seg.to_string(), None));
    };
    let inner = rest
        .strip_suffix(')')
        .ok_or_else(|| DvError::bad_request("Bad Request - Error in query syntax."))?;
    let value = inner
        .rsplit('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('\'');
    uuid::Uuid::parse_str(value)
        .map(|_| (name.to_string(), Some(value.to_ascii_lowercase())))
        .map_err(|_| {
            DvError::bad_request(format!(
                "Unrecognized 'Edm.Guid' literal '{inner}' in the key of '{name}'."
            ))
        })
}

/// The row an `@odata.id` / `$id` URL names: `{api}/roles(guid)` or a relative `roles(guid)`.
pub fn reference(url: &str, api: &str) -> Result<(EntitySet, String), DvError> {
    let bad = || {
        DvError::bad_request(format!(
            "The URI '{url}' is not a valid reference to a row of this organization."
        ))
    };
    let rel = if url.contains("://") {
        let lower = url.to_ascii_lowercase();
        let prefix = format!("{}/", api.to_ascii_lowercase());
        if !lower.starts_with(&prefix) {
            return Err(bad());
        }
        &url[prefix.len()..]
    } else {
        url.trim_start_matches('/')
    };
    match parse(rel) {
        Ok(Target::One(set, id)) => Ok((set, id)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "627090ff-40a3-4053-8790-584edc5be201";

    #[test]
    fn parses_the_paths_elevate_uses() {
        assert_eq!(parse("WhoAmI()").ok(), Some(Target::WhoAmI));
        assert_eq!(parse("roles").ok(), Some(Target::Set(EntitySet::Roles)));
        assert_eq!(
            parse(&format!("roles({G})/systemuserroles_association")).ok(),
            Some(Target::Nav(EntitySet::Roles, G.into()))
        );
        assert_eq!(
            parse(&format!(
                "systemusers({G})/systemuserroles_association({G})/%24ref"
            ))
            .ok(),
            Some(Target::Ref(
                EntitySet::SystemUsers,
                G.into(),
                Some(G.into())
            ))
        );
        assert!(parse("roles(nope)").is_err());
        assert!(parse("accounts").is_err());
        assert!(parse(&format!("businessunits({G})/systemuserroles_association")).is_err());
        let api = "http://127.0.0.1:1/dataverse/org/api/data/v9.2";
        assert_eq!(
            reference(&format!("{api}/roles({G})"), api).ok(),
            Some((EntitySet::Roles, G.into()))
        );
        assert!(reference(&format!("http://elsewhere/api/data/v9.2/roles({G})"), api).is_err());
    }
}
