//! The tenant's signing key: RS256 JWTs signed by hand (header.claims.signature) and the
//! JWKS that lets anyone verify them, like Entra's `/discovery/v2.0/keys`.

use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use num_bigint_dig::{BigUint, ModInverse, RandPrime};
use num_integer::Integer;
use num_traits::One;
use ring::rand::SystemRandom;
use ring::rsa::{KeyPair, KeyPairComponents, PublicKeyComponents};
use ring::signature::{self, RsaPublicKeyComponents};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// One key per process: a 2048-bit key takes a noticeable moment to generate and tests start
/// many emulators. Tokens still cannot cross emulators, because `iss` names each one's port.
static PROCESS_KEY: OnceLock<Arc<KeyPair>> = OnceLock::new();

#[derive(Clone)]
pub struct Keys {
    // Signing happens in ring (constant time); the `rsa` crate's private-key operations are
    // not (RUSTSEC-2023-0071), and this key ships in the app as the demo tenant's.
    signing: Arc<KeyPair>,
    n_bytes: Vec<u8>,
    e_bytes: Vec<u8>,
    kid: String,
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
                .get_or_init(|| Arc::new(generate_key_pair()))
                .clone()
        })
        .await?;
        let public = PublicKeyComponents::<Vec<u8>>::from(private.public());
        let (n_bytes, e_bytes) = (public.n, public.e);
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n_bytes)[..20]);
        Ok(Keys {
            signing: private,
            n_bytes,
            e_bytes,
            kid,
        })
    }

    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.signing.public().modulus_len()];
        self.signing
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .unwrap_or_else(|e| panic!("RS256 signing with the tenant key failed: {e}"));
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
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
        let signing_input = &token[..h.len() + 1 + c.len()];
        RsaPublicKeyComponents {
            n: &self.n_bytes,
            e: &self.e_bytes,
        }
        .verify(
            &signature::RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &sig_bytes,
        )
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
            "n": URL_SAFE_NO_PAD.encode(&self.n_bytes),
            "e": URL_SAFE_NO_PAD.encode(&self.e_bytes),
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

/// A fresh 2048-bit key with e = 65537, as `openssl genpkey` makes it. ring signs in constant
/// time but cannot generate RSA keys, so the primes come from num-bigint-dig (Miller-Rabin plus
/// Baillie-PSW) and ring checks the assembled key before it is used.
fn generate_key_pair() -> KeyPair {
    let mut rng = rand::rngs::OsRng;
    let e = BigUint::from(65_537u32);
    let one = BigUint::one();
    loop {
        let a = rng.gen_prime(1024);
        let b = rng.gen_prime(1024);
        let (p, q) = if a > b { (a, b) } else { (b, a) };
        if p == q || (&p * &q).bits() != 2048 {
            continue;
        }
        let (p1, q1) = (&p - &one, &q - &one);
        let Some(d) = (&e).mod_inverse(p1.lcm(&q1)).and_then(|d| d.to_biguint()) else {
            continue; // e shares a factor with p-1 or q-1
        };
        let Some(q_inv) = (&q).mod_inverse(&p).and_then(|v| v.to_biguint()) else {
            continue;
        };
        let components = KeyPairComponents {
            public_key: PublicKeyComponents {
                n: (&p * &q).to_bytes_be(),
                e: e.to_bytes_be(),
            },
            d: d.to_bytes_be(),
            dP: (&d % &p1).to_bytes_be(),
            dQ: (&d % &q1).to_bytes_be(),
            qInv: q_inv.to_bytes_be(),
            p: p.to_bytes_be(),
            q: q.to_bytes_be(),
        };
        match KeyPair::from_components(&components) {
            Ok(key) => return key,
            Err(e) => tracing::warn!("generated RSA key rejected ({e}); trying again"),
        }
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
        let jwk = keys.jwk("https://issuer.example");
        let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
        assert_eq!((n.len(), jwk["e"].as_str()), (256, Some("AQAB")));
        assert_eq!(keys.verify("a.b.c"), Err(JwtError::Malformed));
        assert_eq!(keys.verify(""), Err(JwtError::Malformed));
    }
}
