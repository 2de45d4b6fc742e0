//! Where a call's bearer token comes from. A claims challenge (CAE, Conditional Access) is
//! answered by asking the source for a token that carries the claims, so the answer lives in
//! the one HTTP layer and not in every feature.

use crate::secret::Secret;

use super::ServiceError;

#[async_trait::async_trait]
pub trait TokenSource: Send + Sync {
    /// The token to send now.
    fn current(&self) -> Secret;

    /// A new token that meets `claims` (the decoded challenge), which `current` returns from
    /// then on. `Ok(None)`: this source cannot get another one, and the challenge stands.
    async fn renew(&self, claims: &str) -> Result<Option<Secret>, ServiceError>;
}

/// A token and nothing behind it (tests, tools): a challenge is reported, not answered.
#[async_trait::async_trait]
impl TokenSource for Secret {
    fn current(&self) -> Secret {
        self.clone()
    }

    async fn renew(&self, _claims: &str) -> Result<Option<Secret>, ServiceError> {
        Ok(None)
    }
}
