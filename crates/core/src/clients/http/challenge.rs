//! Reading a claims challenge from `WWW-Authenticate` (contract part 2, §5.1): status 401,
//! `error="insufficient_claims"` and `claims` (base64 of a JSON claims request) within one
//! header; a 401 may carry several headers, and fields come in any order, with extra ones
//! (`realm`, `client_id`, `errorDescription`) and either sign-in host.

use base64::Engine;
use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

/// The decoded claims request of the first header that is a claims challenge.
pub(super) fn claims_challenge(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(from_header)
}

fn from_header(value: &str) -> Option<String> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let params = params(rest);
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if !get("error").is_some_and(|e| e.eq_ignore_ascii_case("insufficient_claims")) {
        return None;
    }
    decode(get("claims")?)
}

/// `key="value", key=value, …`; a comma inside quotes belongs to the value.
fn params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), &after[end..])
        };
        out.push((key, value.to_string()));
        rest = next.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// Base64 (standard or URL-safe, padded or not) of a JSON object; a bare JSON object is
/// taken as it is. Anything else is no challenge Elevate can answer.
fn decode(claims: &str) -> Option<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let text = STANDARD
        .decode(claims)
        .ok()
        .or_else(|| URL_SAFE_NO_PAD.decode(claims.trim_end_matches('=')).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| claims.to_string());
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .filter(|v| v.is_object())
        .map(|_| text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(WWW_AUTHENTICATE, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn reads_the_documented_shapes() {
        // entra-docs claims-challenge.md
        let doc = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ==""#;
        assert_eq!(
            claims_challenge(&headers(&[doc])).as_deref(),
            Some(r#"{"access_token":{"acrs":{"essential":true,"value":"cp1"}}}"#)
        );
        // The CAE revocation example: no realm, login.windows.net, claims before nothing.
        let cae = r#"Bearer authorization_uri="https://login.windows.net/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=""#;
        let c = claims_challenge(&headers(&[cae])).unwrap();
        assert!(c.contains("1604106651"), "{c}");
        // Graph's live header: extra fields, a description with commas, claims first.
        let graph = r#"Bearer claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=", realm="", client_id="00000003-0000-0000-c000-000000000000", errorDescription="Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp", error="insufficient_claims""#;
        assert!(claims_challenge(&headers(&[graph])).is_some());
    }

    #[test]
    fn finds_the_challenge_among_several_headers_and_ignores_lookalikes() {
        let plain = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#;
        let pop = r#"PoP realm="", error="insufficient_claims", claims="eyJhIjp7fX0=""#;
        let real = r#"Bearer error="insufficient_claims", claims="eyJhIjp7fX0=""#;
        assert_eq!(
            claims_challenge(&headers(&[plain, pop, real])).as_deref(),
            Some(r#"{"a":{}}"#)
        );
        // Claims without the error, or an error without readable claims: no challenge.
        assert_eq!(claims_challenge(&headers(&[plain])), None);
        assert_eq!(
            claims_challenge(&headers(&[r#"Bearer xclaims="eyJhIjp7fX0=""#])),
            None
        );
        assert_eq!(
            claims_challenge(&headers(&[
                r#"Bearer error="insufficient_claims", claims="bm90IGpzb24=""#
            ])),
            None
        );
    }
}
