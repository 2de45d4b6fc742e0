//! Reading (not validating) JWT claims. Clients must not validate Microsoft access tokens;
//! we only read who the token is for and which directory roles (`wids`) it carries.

use base64::Engine;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
pub struct Claims {
    #[serde(default)]
    pub oid: String,
    #[serde(default)]
    pub tid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub wids: Vec<String>,
    #[serde(default)]
    pub exp: i64,
    #[serde(default)]
    pub acrs: Vec<String>,
    #[serde(default)]
    pub amr: Vec<String>,
    /// Who the token is for: one client id (Entra), or a list (other issuers).
    #[serde(default, deserialize_with = "one_or_many")]
    pub aud: Vec<String>,
    #[serde(default)]
    pub iss: String,
    /// ID tokens only, when the app registration emits the optional claim.
    #[serde(default)]
    pub login_hint: Option<String>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Aud {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<Aud>::deserialize(d)? {
        None => vec![],
        Some(Aud::One(s)) => vec![s],
        Some(Aud::Many(v)) => v,
    })
}

impl Claims {
    pub fn username(&self) -> String {
        self.preferred_username
            .clone()
            .or_else(|| self.upn.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the token is not a readable JWT: {0}")]
pub struct ClaimsError(&'static str);

pub fn read(jwt: &str) -> Result<Claims, ClaimsError> {
    let mut parts = jwt.split('.');
    let (_header, payload) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(_sig), None) => (h, p),
        _ => return Err(ClaimsError("expected three dot-separated parts")),
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ClaimsError("payload is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| ClaimsError("payload is not a JSON claims object"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(r#"{"alg":"RS256"}"#),
            e.encode(payload)
        )
    }

    #[test]
    fn reads_identity_and_roles() {
        let c = read(&jwt(r#"{"oid":"o","tid":"t","name":"Adele","preferred_username":"adele@x","wids":["a","b"],"exp":5}"#)).unwrap();
        assert_eq!(c.oid, "o");
        assert_eq!(c.username(), "adele@x");
        assert_eq!(c.wids, vec!["a", "b"]);
        assert_eq!(c.exp, 5);
        assert!(c.aud.is_empty());
        let c = read(&jwt(r#"{"aud":"app","iss":"https://x/t/v2.0"}"#)).unwrap();
        assert_eq!(
            (c.aud, c.iss.as_str()),
            (vec!["app".to_string()], "https://x/t/v2.0")
        );
        assert_eq!(read(&jwt(r#"{"aud":["a","b"]}"#)).unwrap().aud, ["a", "b"]);
    }

    #[test]
    fn refuses_garbage() {
        assert!(read("not-a-jwt").is_err());
        assert!(read("a.b.c.d").is_err());
        assert!(read("a.%%%.c").is_err());
        assert!(read(&format!(
            "a.{}.c",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("[1]")
        ))
        .is_err());
    }
}
