//! The token broker: access tokens from memory, else from the refresh token (rotated
//! tokens replace the old one atomically, in memory and in the cache file), else the caller
//! is told an interactive sign-in is needed. One refresh in flight per account + resource.
//!
//! Every sign-in (and restore) is a new session generation. Sign-in, sign-out and saving a
//! rotated refresh token all happen under one lock, and a refresh that comes back for an
//! earlier generation is dropped: a rotation racing a sign-out cannot bring the
//! signed-out session back, in memory or in the cache file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::claims::{self, Claims};
use super::{AuthError, Authenticator, Grant, TenantTarget};
use crate::cache::{StoredAccount, TokenCache};
use crate::secret::Secret;

/// Tokens this close to expiry are renewed before use.
const EXPIRY_MARGIN: Duration = Duration::from_secs(300);

#[derive(Clone)]
pub struct AccessToken {
    pub secret: Secret,
    pub claims: Claims,
    expires_at: Instant,
    fetched_at: Instant,
    /// The claims it was asked for, if any: a token for one challenge does not answer another.
    asked: Option<String>,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("oid", &self.claims.oid)
            .finish_non_exhaustive()
    }
}

struct SignedIn {
    target: TenantTarget,
    account: StoredAccount,
    refresh_token: Secret,
    generation: u64,
}

pub struct TokenBroker {
    auth: Authenticator,
    cache: Option<Arc<TokenCache>>,
    current: Mutex<Option<SignedIn>>,
    access: Mutex<HashMap<String, AccessToken>>,
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The session generation; held while the session changes or its cache file is written.
    session: tokio::sync::Mutex<u64>,
    /// How many refresh-token grants were sent (observability for tests and the benchmark).
    refreshes: std::sync::atomic::AtomicU64,
}

impl TokenBroker {
    /// `cache: None` = memory-only session (no credential store).
    pub fn new(auth: Authenticator, cache: Option<Arc<TokenCache>>) -> Self {
        Self {
            auth,
            cache,
            current: Mutex::new(None),
            access: Mutex::new(HashMap::new()),
            inflight: Mutex::new(HashMap::new()),
            session: tokio::sync::Mutex::new(0),
            refreshes: Default::default(),
        }
    }

    pub fn cache(&self) -> Option<Arc<TokenCache>> {
        self.cache.clone()
    }

    /// Forgets the in-memory account and tokens but keeps the cache file (used when a
    /// restore could not be finished, e.g. the network is down).
    pub fn forget_account(&self) {
        *self.current.lock().expect("lock") = None;
        self.forget_memory();
    }

    pub fn authenticator(&self) -> &Authenticator {
        &self.auth
    }

    pub fn account(&self) -> Option<StoredAccount> {
        self.current
            .lock()
            .expect("lock")
            .as_ref()
            .map(|s| s.account.clone())
    }

    pub fn target(&self) -> Option<TenantTarget> {
        self.current
            .lock()
            .expect("lock")
            .as_ref()
            .map(|s| s.target.clone())
    }

    pub fn refresh_count(&self) -> u64 {
        self.refreshes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Takes over the result of an interactive sign-in; the first access token is Graph's.
    pub async fn sign_in(
        &self,
        target: TenantTarget,
        grant: Grant,
    ) -> Result<StoredAccount, AuthError> {
        let id = grant
            .id_token
            .as_ref()
            .ok_or_else(|| AuthError::Protocol("no id_token in the answer".into()))?;
        let c = claims::read(id.expose()).map_err(|e| AuthError::Protocol(e.to_string()))?;
        super::id_token::check(&c, &target, chrono::Utc::now().timestamp())?;
        let refresh_token = grant
            .refresh_token
            .clone()
            .ok_or_else(|| AuthError::Protocol("no refresh token in the answer".into()))?;
        let account = StoredAccount {
            kind: target.kind,
            tenant: target.tenant.clone(),
            client_id: target.client_id.clone(),
            oid: c.oid.clone(),
            tid: c.tid.clone(),
            name: c.name.clone(),
            upn: c.username(),
            login_hint: c.login_hint.clone(),
        };
        let access = to_access(&grant)?;
        let mut generation = self.session.lock().await;
        *generation += 1;
        self.forget_memory();
        self.persist(&account, &refresh_token, true).await;
        self.access
            .lock()
            .expect("lock")
            .insert(key(&account, crate::cloud::GRAPH_RESOURCE), access);
        *self.current.lock().expect("lock") = Some(SignedIn {
            target,
            account: account.clone(),
            refresh_token,
            generation: *generation,
        });
        Ok(account)
    }

    /// Takes over a step-up sign-in (MFA, authentication context) of the account already
    /// signed in: its refresh token now carries the stronger proof. Another account → refused,
    /// and the current session stays as it was.
    pub async fn step_up(&self, grant: Grant) -> Result<(), AuthError> {
        let (target, current) = match self.current.lock().expect("lock").as_ref() {
            Some(s) => (s.target.clone(), s.account.oid.clone()),
            None => return Err(AuthError::NotSignedIn),
        };
        let id = grant
            .id_token
            .as_ref()
            .ok_or_else(|| AuthError::Protocol("no id_token in the answer".into()))?;
        let c = claims::read(id.expose()).map_err(|e| AuthError::Protocol(e.to_string()))?;
        super::id_token::check(&c, &target, chrono::Utc::now().timestamp())?;
        if c.oid != current {
            return Err(AuthError::Config(format!(
                "You confirmed the sign-in as {}, not as the account signed in to Elevate. Confirm it with the same account.",
                c.username()
            )));
        }
        self.sign_in(target, grant).await.map(|_| ())
    }

    /// Restores a saved account (from the cache) without contacting anyone.
    pub async fn restore(
        &self,
        target: TenantTarget,
        account: StoredAccount,
        refresh_token: Secret,
    ) {
        let mut generation = self.session.lock().await;
        *generation += 1;
        self.forget_memory();
        *self.current.lock().expect("lock") = Some(SignedIn {
            target,
            account,
            refresh_token,
            generation: *generation,
        });
    }

    /// An access token for `resource` (`https://graph.microsoft.com`, a Dataverse URL, …).
    pub async fn token_for(&self, resource: &str) -> Result<AccessToken, AuthError> {
        self.token_with(resource, None, false).await
    }

    /// Like `token_for`, but skips the memory cache: used when the caller knows the token
    /// is stale (e.g. waiting for a newly activated role to appear in `wids`).
    pub async fn fresh_token_for(
        &self,
        resource: &str,
        claims: Option<&str>,
    ) -> Result<AccessToken, AuthError> {
        self.token_with(resource, claims, true).await
    }

    async fn token_with(
        &self,
        resource: &str,
        claims_challenge: Option<&str>,
        force: bool,
    ) -> Result<AccessToken, AuthError> {
        let account = self.account().ok_or(AuthError::NotSignedIn)?;
        let k = key(&account, resource);
        let gate = self
            .inflight
            .lock()
            .expect("lock")
            .entry(k.clone())
            .or_default()
            .clone();
        let started = Instant::now();
        let _one_at_a_time = gate.lock().await;
        if let Some(t) = self.access.lock().expect("lock").get(&k) {
            // With `force`, a refresh that finished while we waited for the gate counts as
            // fresh; and a token minted for these very claims answers them, so calls
            // challenged together renew once.
            let same_claims = t.asked.as_deref() == claims_challenge;
            let fresh_enough =
                !force || (same_claims && (claims_challenge.is_some() || t.fetched_at >= started));
            if fresh_enough && t.expires_at > Instant::now() + EXPIRY_MARGIN {
                return Ok(t.clone());
            }
        }
        let (target, rt, generation) = {
            let cur = self.current.lock().expect("lock");
            let s = cur.as_ref().ok_or(AuthError::NotSignedIn)?;
            (s.target.clone(), s.refresh_token.clone(), s.generation)
        };
        self.refreshes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let grant = self
            .auth
            .refresh(&target, &rt, resource, claims_challenge)
            .await?;
        let mut access = to_access(&grant)?;
        access.asked = claims_challenge.map(str::to_string);
        let _session = self.session.lock().await;
        let changed = {
            let mut cur = self.current.lock().expect("lock");
            match cur.as_mut() {
                Some(s) if s.generation == generation => match grant.refresh_token {
                    Some(new_rt) if s.refresh_token != new_rt => {
                        s.refresh_token = new_rt.clone();
                        Some(new_rt)
                    }
                    _ => None,
                },
                // Signed out, or signed in anew, while this refresh was out: its tokens
                // belong to a session that no longer exists.
                _ => return Err(AuthError::NotSignedIn),
            }
        };
        if let Some(new_rt) = changed {
            self.persist(&account, &new_rt, false).await;
        }
        self.access.lock().expect("lock").insert(k, access.clone());
        Ok(access)
    }

    /// Forgets the account, its tokens and the cache file + key.
    pub async fn sign_out(&self) -> Result<(), crate::cache::KeyStoreError> {
        let mut generation = self.session.lock().await;
        *generation += 1;
        *self.current.lock().expect("lock") = None;
        self.forget_memory();
        match &self.cache {
            Some(cache) => {
                let cache = cache.clone();
                tokio::task::spawn_blocking(move || cache.clear())
                    .await
                    .expect("cache task")
            }
            None => Ok(()),
        }
    }

    /// Drops the access tokens kept in memory (not the sign-in): after a role change every
    /// service should get a token that shows it.
    pub fn forget_access_tokens(&self) {
        self.access.lock().expect("lock").clear();
    }

    fn forget_memory(&self) {
        self.access.lock().expect("lock").clear();
        self.inflight.lock().expect("lock").clear();
    }

    /// Writes the cache file; the caller holds the session lock. `new`: a sign-in (a new
    /// saved session), else a rotation of the current one.
    async fn persist(&self, account: &StoredAccount, rt: &Secret, new: bool) {
        if let Some(cache) = &self.cache {
            let (cache, account, rt) = (cache.clone(), account.clone(), rt.clone());
            let r = tokio::task::spawn_blocking(move || {
                if new {
                    cache.save_new(&account, &rt)
                } else {
                    cache.save(&account, &rt)
                }
            })
            .await
            .expect("cache task");
            if let Err(e) = r {
                tracing::warn!(error = %e, "could not save the sign-in; it stays in memory only");
            }
        }
    }
}

fn key(account: &StoredAccount, resource: &str) -> String {
    format!(
        "{}.{}|{}",
        account.oid,
        account.tid,
        resource.trim_end_matches('/')
    )
}

fn to_access(g: &Grant) -> Result<AccessToken, AuthError> {
    let claims =
        claims::read(g.access_token.expose()).map_err(|e| AuthError::Protocol(e.to_string()))?;
    let now = Instant::now();
    Ok(AccessToken {
        secret: g.access_token.clone(),
        claims,
        expires_at: now + g.expires_in,
        fetched_at: now,
        asked: None,
    })
}
