//! The tenant's signing key: RS256 JWTs signed by hand (header.claims.signature) and the
//! JWKS that lets anyone verify them, like Entra's `/discovery/v2.0/keys`.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// One key per process: a 2048-bit key takes a noticeable moment to generate and tests start
/// many emulators. Tokens still cannot cross emulators, because `iss` names each one's port.
static PROCESS_KEY: OnceLock<RsaPrivateKey> = OnceLock::new();

#[derive(Clone)]
pub struct Keys {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    kid: String,
    n: String,
    e: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON, or not an RS256 JWT.
    Malformed,
    /// Well formed, but not signed by this tenant's key.
    BadSignature,
}

impl Keys {
    pub async fn load() -> anyhow::Result<Keys> {
        let private = tokio::task::spawn_blocking(|| {
            PROCESS_KEY
                .get_or_init(|| {
                    RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
                        .unwrap_or_else(|e| panic!("RSA key generation failed: {e}"))
                })
                .clone()
        })
        .await?;
        let public = private.to_public_key();
        let n_bytes = public.n().to_bytes_be();
        let e_bytes = public.e().to_bytes_be();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n_bytes)[..20]);
        Ok(Keys {
            signing: SigningKey::<Sha256>::new(private),
            verifying: VerifyingKey::<Sha256>::new(public),
            kid,
            n: URL_SAFE_NO_PAD.encode(n_bytes),
            e: URL_SAFE_NO_PAD.encode(e_bytes),
        })
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.signing.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Checks the shape and the signature and returns the claims. Lifetime, audience and
    /// issuer are the caller's business: each service words those failures its own way.
    pub fn verify(&self, token: &str) -> Result<Map<String, Value>, JwtError> {
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header = decode_json(h)?;
        if header.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(JwtError::Malformed);
        }
        let claims = decode_json(c)?;
        let sig_bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| JwtError::Malformed)?;
        let signature =
            Signature::try_from(sig_bytes.as_slice()).map_err(|_| JwtError::Malformed)?;
        let signing_input = &token[..h.len() + 1 + c.len()];
        self.verifying
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| JwtError::BadSignature)?;
        if header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str()) {
            return Err(JwtError::BadSignature);
        }
        Ok(claims)
    }

    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": self.n,
            "e": self.e,
            "cloud_instance_name": "microsoftonline.com",
            "issuer": issuer,
        })
    }
}

fn decode_json(part: &str) -> Result<Map<String, Value>, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn signs_and_verifies_and_rejects_tampering() {
        let keys = Keys::load().await.expect("key");
        let token = keys.sign(&json!({"sub": "x", "n": 1}));
        let claims = keys.verify(&token).expect("valid");
        assert_eq!(claims.get("sub"), Some(&json!("x")));

        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "y", "n": 1}).to_string());
        parts[1] = &forged;
        assert_eq!(keys.verify(&parts.join(".")), Err(JwtError::BadSignature));
        assert_eq!(keys.verify("garbage"), Err(JwtError::Malformed));
        assert_eq!(keys.verify("a.b.c"), Err(JwtError::Malformed));
        assert_eq!(keys.verify(""), Err(JwtError::Malformed));
    }
}
