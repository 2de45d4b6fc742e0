//! Request parameters the way Entra reads them: from a query string or a form body, each
//! name once, empty meaning absent. Parsing never fails loudly: bad input becomes an
//! AADSTS error the caller can show.

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap};

use super::error::{self, EntraError};

#[derive(Debug, Default, Clone)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn from_query(raw: Option<&str>) -> Result<Params, EntraError> {
        Self::parse(raw.unwrap_or("").as_bytes())
    }

    /// Form body of a POST. A body of another content type is treated as empty, which is
    /// how Entra ends up complaining about the first missing parameter.
    pub fn from_form(headers: &HeaderMap, body: &[u8]) -> Result<Params, EntraError> {
        if !is_form(headers) {
            return Ok(Params::default());
        }
        Self::parse(body)
    }

    fn parse(bytes: &[u8]) -> Result<Params, EntraError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
            .map_err(|_| error::malformed("The parameters could not be decoded."))?;
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            if map.contains_key(&k) {
                return Err(error::duplicated(&k));
            }
            map.insert(k, v);
        }
        Ok(Params(map))
    }

    /// `self` with `other`'s values laid over it.
    pub fn overlay(mut self, other: Params) -> Params {
        self.0.extend(other.0);
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn require(&self, name: &str) -> Result<&str, EntraError> {
        self.get(name).ok_or_else(|| error::missing(name))
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_garbage_are_errors_not_panics() {
        assert_eq!(
            Params::from_query(Some("a=1&a=2")).err().map(|e| e.code),
            Some(9000411)
        );
        // Invalid UTF-8 decodes lossily, as browsers do; it must simply not panic.
        let _ = Params::parse(&[0xff, 0xfe, b'=', 0x80]);
        let p = Params::from_query(Some("a=&b=x%20y")).expect("parses");
        assert_eq!(p.get("a"), None);
        assert_eq!(p.get("b"), Some("x y"));
        assert_eq!(p.require("c").err().map(|e| e.code), Some(900144));
    }
}
