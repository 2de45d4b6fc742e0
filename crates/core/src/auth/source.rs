//! The token broker as the HTTP layer's `TokenSource`: a service's claims challenge is
//! answered by redeeming the refresh token with the claims (and `cp1`), skipping the tokens
//! kept in memory, as MSAL does (contract part 2, §5.3).

use std::sync::{Arc, Mutex};

use crate::clients::http::{ServiceError, ServiceErrorKind, TokenSource};
use crate::secret::Secret;

use super::{AuthError, TokenBroker};

/// A token for one resource, renewed through the broker when the resource asks for claims.
pub struct BrokerToken {
    broker: Arc<TokenBroker>,
    resource: String,
    current: Mutex<Secret>,
}

impl BrokerToken {
    pub fn new(broker: Arc<TokenBroker>, resource: &str, token: Secret) -> Self {
        Self {
            broker,
            resource: resource.to_string(),
            current: Mutex::new(token),
        }
    }
}

impl std::fmt::Debug for BrokerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokerToken")
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl TokenSource for BrokerToken {
    fn current(&self) -> Secret {
        self.current.lock().expect("lock").clone()
    }

    async fn renew(&self, claims: &str) -> Result<Option<Secret>, ServiceError> {
        let token = self
            .broker
            .fresh_token_for(&self.resource, Some(claims))
            .await
            .map_err(refused)?;
        *self.current.lock().expect("lock") = token.secret.clone();
        Ok(Some(token.secret))
    }
}

/// Why no token for the claims came: the network, or (most often: `interaction_required`,
/// AADSTS50076) Entra wanting the person at a sign-in page.
fn refused(e: AuthError) -> ServiceError {
    let kind = match &e {
        AuthError::Network(_) => ServiceErrorKind::Network,
        AuthError::Protocol(_) => ServiceErrorKind::Malformed,
        _ => ServiceErrorKind::SignInRequired,
    };
    ServiceError::new(kind, e.to_string())
}
