//! Step-up authentication: what a sign-in proved (password, MFA, authentication contexts),
//! what a request demands through `claims` / `amr_values`, and the refusal when a refresh
//! token's sign-in cannot satisfy a demand (contract §1.4: `invalid_grant`, `basic_action`,
//! AADSTS50076, with the `claims` echoed).
//!
//! The demo tenant's Conditional Access maps every authentication context (`c1`, …) to "require
//! MFA", so approving the Authenticator prompt on the sign-in page satisfies any of them.

use serde_json::Value;

use super::error::{self, EntraError};
use super::params::Params;

/// How strongly a sign-in authenticated; remembered by its codes and refresh tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthStrength {
    pub mfa: bool,
    /// Authentication context ids satisfied (token claim `acrs`).
    pub acrs: Vec<String>,
    /// Client capabilities declared (token claim `xms_cc`, e.g. `cp1`).
    pub xms_cc: Vec<String>,
    /// A not-before this one request asked for (a CAE challenge's `nbf`); never kept with
    /// a refresh token, since it answers one challenge.
    pub not_before: Option<i64>,
}

impl AuthStrength {
    /// The result of a sign-in that did (or did not) approve the MFA prompt.
    pub fn signed_in(mfa_approved: bool, demand: &ClaimsDemand) -> AuthStrength {
        AuthStrength {
            mfa: mfa_approved,
            acrs: if mfa_approved {
                demand.acrs.clone()
            } else {
                Vec::new()
            },
            xms_cc: demand.xms_cc.clone(),
            not_before: None,
        }
    }

    pub fn amr(&self) -> Vec<&'static str> {
        if self.mfa {
            vec!["pwd", "mfa"]
        } else {
            vec!["pwd"]
        }
    }

    /// True when nothing demanded is missing.
    pub fn satisfies(&self, demand: &ClaimsDemand) -> bool {
        (!demand.mfa || self.mfa)
            && demand
                .acrs
                .iter()
                .all(|a| self.acrs.iter().any(|h| h.eq_ignore_ascii_case(a)))
    }

    /// Adds capabilities a later request declared: a client keeps saying `cp1` on refreshes.
    pub fn with_capabilities(mut self, caps: &[String]) -> AuthStrength {
        for c in caps {
            if !self.xms_cc.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                self.xms_cc.push(c.clone());
            }
        }
        self
    }

    /// What one token request adds to the sign-in's strength: capabilities it declared and
    /// the not-before a CAE challenge asked for.
    pub fn for_request(self, demand: &ClaimsDemand) -> AuthStrength {
        AuthStrength {
            not_before: demand.nbf,
            ..self.with_capabilities(&demand.xms_cc)
        }
    }
}

/// What a request asks of the sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimsDemand {
    /// The `claims` parameter as sent, echoed back in a step-up refusal.
    pub raw: Option<String>,
    pub acrs: Vec<String>,
    pub mfa: bool,
    pub xms_cc: Vec<String>,
    /// `access_token.nbf` (a CAE revocation challenge): the token must not be valid before.
    pub nbf: Option<i64>,
}

impl ClaimsDemand {
    /// The sign-in page must get MFA approved before it issues a code.
    pub fn needs_step_up(&self) -> bool {
        self.mfa || !self.acrs.is_empty()
    }
}

/// Reads `claims` (`{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`,
/// `{"access_token":{"xms_cc":{"values":["cp1"]}}}`, `amr` values) and `amr_values`.
pub fn demand(params: &Params) -> Result<ClaimsDemand, EntraError> {
    let mut d = ClaimsDemand::default();
    if let Some(raw) = params.get("claims") {
        let value: Value = serde_json::from_str(raw)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| error::malformed("The claims parameter is not a valid JSON object."))?;
        for token in ["access_token", "id_token"] {
            let Some(requests) = value.get(token) else {
                continue;
            };
            for a in values(requests.get("acrs")) {
                push_unique(&mut d.acrs, a);
            }
            if values(requests.get("amr")).iter().any(|m| is_mfa(m)) {
                d.mfa = true;
            }
            for c in values(requests.get("xms_cc")) {
                push_unique(&mut d.xms_cc, c);
            }
            if token == "access_token" {
                d.nbf = values(requests.get("nbf"))
                    .iter()
                    .filter_map(|v| v.parse::<i64>().ok())
                    .max();
            }
        }
        d.raw = Some(raw.to_string());
    }
    if params
        .get("amr_values")
        .is_some_and(|v| v.split_whitespace().any(is_mfa))
    {
        d.mfa = true;
    }
    Ok(d)
}

fn is_mfa(method: &str) -> bool {
    method.eq_ignore_ascii_case("mfa") || method.eq_ignore_ascii_case("ngcmfa")
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}

/// `{"value": "x"}` or `{"values": ["x", …]}` (numbers as text: CAE's `nbf` may be either);
/// anything else asks for nothing.
fn values(request: Option<&Value>) -> Vec<String> {
    let Some(r) = request else { return Vec::new() };
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out: Vec<String> = r
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(one).collect())
        .unwrap_or_default();
    out.extend(r.get("value").and_then(one));
    out.retain(|v| !v.trim().is_empty() && v.len() <= 64);
    out
}

/// AADSTS50076: the refresh token's sign-in was not strong enough for what is demanded; the
/// client must sign in interactively with the echoed `claims`.
pub fn step_up_required(resource: &str, claims: Option<&str>) -> EntraError {
    EntraError {
        suberror: Some("basic_action"),
        claims: claims.map(str::to_string),
        ..EntraError::new("invalid_grant", 50076, format!(
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resource}'."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Params {
        Params::from_query(Some(q)).expect("params")
    }

    #[test]
    fn reads_acrs_amr_and_capabilities() {
        let d = demand(&params("claims=%7B%22access_token%22%3A%7B%22acrs%22%3A%7B%22essential%22%3Atrue%2C%20%22value%22%3A%22c1%22%7D%2C%22xms_cc%22%3A%7B%22values%22%3A%5B%22cp1%22%5D%7D%7D%7D")).expect("ok");
        assert_eq!(d.acrs, vec!["c1"]);
        assert_eq!(d.xms_cc, vec!["cp1"]);
        assert!(d.needs_step_up() && !d.mfa);
        assert!(demand(&params("amr_values=ngcmfa")).expect("ok").mfa);
        let cp1_only =
            demand(&params("claims=%7B%22access_token%22%3A%7B%22xms_cc%22%3A%7B%22values%22%3A%5B%22cp1%22%5D%7D%7D%7D")).expect("ok");
        assert!(!cp1_only.needs_step_up());
        for bad in ["claims=nope", "claims=%5B%5D", "claims=%22x%22"] {
            assert!(demand(&params(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn strength_satisfies_only_what_it_proved() {
        let c1 = ClaimsDemand {
            acrs: vec!["c1".into()],
            ..Default::default()
        };
        let strong = AuthStrength::signed_in(true, &c1);
        assert!(strong.satisfies(&c1));
        assert_eq!(strong.amr(), vec!["pwd", "mfa"]);
        let weak = AuthStrength::signed_in(false, &c1);
        assert!(!weak.satisfies(&c1));
        assert!(weak.acrs.is_empty());
        let c2 = ClaimsDemand {
            acrs: vec!["c2".into()],
            ..Default::default()
        };
        assert!(!strong.satisfies(&c2));
    }
}
