//! What a feature service needs from the app, and nothing more: the HTTP layer, the token
//! broker, the journal writer and the role timing. Built once by `Elevate::new`; services
//! hold a clone (every field is shared or `Copy`).

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;
use url::Url;

use crate::api::{ApiError, JournalAccount};
use crate::auth::{AuthError, BrokerToken, TokenBroker};
use crate::cache::StoredAccount;
use crate::clients::graph::pim::PimClient;
use crate::clients::graph::Groups;
use crate::clients::http::Http;
use crate::clients::power_platform::PowerPlatform;
use crate::cloud::{CloudProfile, GRAPH_RESOURCE, POWER_PLATFORM_RESOURCE};
pub(crate) use crate::journal::JournalWriter;
use crate::roles::RoleTiming;
use crate::secret::Secret;

#[derive(Clone)]
pub(crate) struct Context {
    pub http: Http,
    pub broker: Arc<TokenBroker>,
    pub journal: JournalWriter,
    /// Shared: tests shorten it after the services were built.
    timing: Arc<Mutex<RoleTiming>>,
}

impl Context {
    pub fn new(http: Http, broker: Arc<TokenBroker>, journal: JournalWriter) -> Self {
        Self {
            http,
            broker,
            journal,
            timing: Default::default(),
        }
    }

    /// How often Elevate polls while a role or Add me is being put in place, and how long.
    pub fn timing(&self) -> RoleTiming {
        *self.timing.lock().expect("lock")
    }

    pub fn set_timing(&self, timing: RoleTiming) {
        *self.timing.lock().expect("lock") = timing;
    }

    /// `token` for `resource` as the HTTP layer's token source: a claims challenge on a call
    /// made with it is answered through the broker.
    pub fn token_source(&self, resource: &str, token: Secret) -> BrokerToken {
        BrokerToken::new(self.broker.clone(), resource, token)
    }

    /// A token for `resource` (a newly issued one when `fresh`) and the service's address
    /// in the cloud signed in to.
    async fn session_for(
        &self,
        resource: &str,
        fresh: bool,
        base: fn(&CloudProfile) -> &Url,
    ) -> Result<ServiceSession, ApiError> {
        let target = self.broker.target().ok_or(AuthError::NotSignedIn)?;
        let t = if fresh {
            self.broker.fresh_token_for(resource, None).await?
        } else {
            self.broker.token_for(resource).await?
        };
        Ok(ServiceSession {
            token: self.token_source(resource, t.secret.clone()),
            wids: t.claims.wids.clone(),
            base: base(&target.profile).clone(),
            oid: t.claims.oid.clone(),
        })
    }

    pub async fn graph_session(&self, fresh: bool) -> Result<ServiceSession, ApiError> {
        self.session_for(GRAPH_RESOURCE, fresh, |p| &p.graph).await
    }

    pub async fn pp_session(&self, fresh: bool) -> Result<ServiceSession, ApiError> {
        self.session_for(POWER_PLATFORM_RESOURCE, fresh, |p| &p.powerplatform)
            .await
    }

    /// A Dataverse token is for the environment URL itself (`https://org.crm.dynamics.com`).
    pub async fn dataverse_token(&self, instance: &str) -> Result<BrokerToken, ApiError> {
        let resource = instance.trim_end_matches('/');
        let token = self.broker.token_for(resource).await?.secret;
        Ok(self.token_source(resource, token))
    }

    pub fn pim<'a>(&'a self, s: &'a ServiceSession) -> PimClient<'a> {
        PimClient {
            http: &self.http,
            graph: &s.base,
            token: &s.token,
        }
    }

    pub fn groups<'a>(&'a self, s: &'a ServiceSession) -> Groups<'a> {
        Groups {
            http: &self.http,
            graph: &s.base,
            token: &s.token,
        }
    }

    pub fn power_platform<'a>(&'a self, s: &'a ServiceSession) -> PowerPlatform<'a> {
        PowerPlatform {
            http: &self.http,
            base: &s.base,
            token: &s.token,
        }
    }
}

/// A token for one Microsoft service, where that service is, and whose token it is.
pub(crate) struct ServiceSession {
    pub token: BrokerToken,
    /// The directory roles the token carries (`wids`).
    pub wids: Vec<String>,
    pub base: Url,
    pub oid: String,
}

/// The cancel handle of the interactive sign-in under way (a step-up too), so that the UI's
/// Cancel reaches it wherever it was started.
#[derive(Clone, Default)]
pub(crate) struct SignInCancel(Arc<Mutex<Option<CancellationToken>>>);

impl SignInCancel {
    /// `c` is the one under way now; the one before it, if any, is handed back.
    pub fn start(&self, c: CancellationToken) -> Option<CancellationToken> {
        self.0.lock().expect("lock").replace(c)
    }

    pub fn take(&self) -> Option<CancellationToken> {
        self.0.lock().expect("lock").take()
    }

    /// Registers `c` (or clears the slot); a sign-in it replaces is cancelled.
    pub fn replace(&self, c: Option<CancellationToken>) {
        let mut slot = self.0.lock().expect("lock");
        if let Some(previous) = std::mem::replace(&mut *slot, c) {
            if slot.is_some() {
                previous.cancel();
            }
        }
    }
}

/// The one line the session shows above everything (an expired sign-in, a journal that
/// could not be written).
#[derive(Clone, Default)]
pub(crate) struct Notice(Arc<Mutex<Option<String>>>);

impl Notice {
    pub fn set(&self, n: String) {
        *self.0.lock().expect("lock") = Some(n);
    }

    pub fn clear(&self) {
        self.0.lock().expect("lock").take();
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().expect("lock").clone()
    }
}

pub(crate) fn journal_account(a: &StoredAccount) -> JournalAccount {
    JournalAccount {
        name: a.name.clone(),
        upn: a.upn.clone(),
        oid: a.oid.clone(),
    }
}
