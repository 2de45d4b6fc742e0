//! OAuth conformance of the client against the tenant emulator: PKCE sign-in, refresh with
//! rotation, tokens for several resources from one refresh token, and every refusal mapped
//! to a clear message.

use std::sync::Arc;
use std::time::Duration;

use elevate_core::api::{ApiError, ErrorCode, SignInProgress};
use elevate_core::auth::{AuthError, TokenBroker};
use elevate_core::cache::{Loaded, MemoryKeyStore, TokenCache};
use elevate_core::cloud::{BAP_RESOURCE, GRAPH_RESOURCE, POWER_PLATFORM_RESOURCE};
use elevate_testkit::*;
use tokio_util::sync::CancellationToken;

fn no_progress(_: SignInProgress) {}

async fn signed_in_broker(
    e: &elevate_tenant::Emulator,
    user: &str,
    cache: Option<Arc<TokenCache>>,
) -> TokenBroker {
    let auth = authenticator(HeadlessBrowser::as_user(user));
    let grant = auth
        .sign_in_browser(
            &target(e),
            None,
            None,
            &no_progress,
            CancellationToken::new(),
        )
        .await
        .expect("sign-in");
    let broker = TokenBroker::new(auth, cache);
    let account = broker.sign_in(target(e), grant).await.expect("account");
    assert!(account.upn.starts_with(user));
    broker
}

#[tokio::test]
async fn pkce_sign_in_then_tokens_for_every_resource_from_one_refresh_token() {
    let e = emulator().await;
    let broker = signed_in_broker(&e, "gloria", None).await;
    let account = broker.account().unwrap();
    assert_eq!(account.name.split(' ').next(), Some("Gloria"));
    let graph = broker.token_for(GRAPH_RESOURCE).await.unwrap();
    assert!(graph
        .claims
        .wids
        .iter()
        .any(|w| w == elevate_core::directory_roles::GLOBAL_ADMINISTRATOR));
    assert_eq!(
        broker.refresh_count(),
        0,
        "the sign-in's own Graph token is reused"
    );
    for resource in [POWER_PLATFORM_RESOURCE, BAP_RESOURCE] {
        let t = broker.token_for(resource).await.unwrap();
        assert_eq!(t.claims.oid, account.oid);
    }
    assert_eq!(broker.refresh_count(), 2);
    broker.token_for(POWER_PLATFORM_RESOURCE).await.unwrap();
    assert_eq!(broker.refresh_count(), 2, "cached tokens are reused");
    e.shutdown().await;
}

#[tokio::test]
async fn one_refresh_in_flight_per_resource() {
    let e = emulator().await;
    let broker = Arc::new(signed_in_broker(&e, "adele", None).await);
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let b = broker.clone();
            tokio::spawn(async move {
                b.token_for(POWER_PLATFORM_RESOURCE)
                    .await
                    .map(|t| t.claims.oid)
            })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    assert_eq!(broker.refresh_count(), 1);
    e.shutdown().await;
}

#[tokio::test]
async fn rotated_refresh_token_replaces_the_saved_one() {
    let e = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(TokenCache::new(
        dir.path(),
        Arc::new(MemoryKeyStore::default()),
    ));
    let broker = signed_in_broker(&e, "adele", Some(cache.clone())).await;
    let Loaded::Account(_, first) = cache.load() else {
        panic!("saved after sign-in")
    };
    broker.token_for(POWER_PLATFORM_RESOURCE).await.unwrap();
    let Loaded::Account(_, second) = cache.load() else {
        panic!("still saved")
    };
    assert_ne!(
        first.expose(),
        second.expose(),
        "the emulator rotates refresh tokens; the cache follows"
    );
    elevate_testkit::figures::add("oauth.recovered", 1);
    e.shutdown().await;
}

#[tokio::test]
async fn revoked_or_expired_refresh_tokens_ask_for_a_new_sign_in() {
    let e = emulator().await;
    let broker = signed_in_broker(&e, "adele", None).await;
    admin(
        &e,
        "refresh-tokens/revoke",
        serde_json::json!({"user": "adele"}),
    )
    .await;
    let err = broker.token_for(POWER_PLATFORM_RESOURCE).await.unwrap_err();
    assert!(
        matches!(err, AuthError::InteractionRequired { .. }),
        "{err:?}"
    );
    let api: ApiError = err.into();
    assert_eq!(api.code, ErrorCode::InteractionRequired);
    assert!(api.message.contains("sign in"));
    elevate_testkit::figures::add("oauth.refused", 1);

    let broker = signed_in_broker(&e, "diego", None).await;
    admin(
        &e,
        "clock/advance",
        serde_json::json!({"seconds": 91 * 24 * 3600}),
    )
    .await;
    let err = broker.token_for(BAP_RESOURCE).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::InteractionRequired { reason, .. } if reason.contains("700082")),
        "{err:?}"
    );
    elevate_testkit::figures::add("oauth.refused", 1);
    e.shutdown().await;
}

#[tokio::test]
async fn wrong_verifier_and_code_replay_are_refused_with_a_clear_message() {
    use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, Scope};
    let e = emulator().await;
    let t = target(&e);
    let receiver = elevate_core::auth::loopback::LoopbackReceiver::bind()
        .await
        .unwrap();
    let client = elevate_core::auth::entra::client(
        &t.client_id,
        t.profile.oauth_endpoint(&t.tenant, "authorize"),
        t.profile.oauth_endpoint(&t.tenant, "token"),
        t.profile.oauth_endpoint(&t.tenant, "devicecode"),
        Some(receiver.redirect_uri()),
    )
    .unwrap();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("https://graph.microsoft.com/.default".into()))
        .set_pkce_challenge(challenge)
        .url();
    let u = url.clone();
    tokio::spawn(async move {
        elevate_testkit::pages::complete_sign_in(&u, "adele", "signin")
            .await
            .unwrap()
    });
    let code = receiver
        .receive(
            state.secret().clone(),
            Duration::from_secs(10),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    let http = elevate_core::auth::entra::http_client();

    let wrong = client
        .exchange_code(AuthorizationCode::new(code.expose().to_string()))
        .set_pkce_verifier(PkceCodeVerifier::new("x".repeat(43)))
        .request_async(&http)
        .await
        .map_err(elevate_core::auth::entra::map_token_error)
        .unwrap_err();
    let AuthError::Server(err) = &wrong else {
        panic!("{wrong:?}")
    };
    assert!(err.has_code(501481), "{err:?}");
    elevate_testkit::figures::add("oauth.refused", 1);
    let api: ApiError = wrong.into();
    assert_eq!(api.code, ErrorCode::SignInFailed);
    assert!(
        api.correlation_id.is_some(),
        "the correlation id reaches the user for support"
    );

    let (c2, v2) = fresh_code(&client).await;
    let ok = client
        .exchange_code(AuthorizationCode::new(c2.clone()))
        .set_pkce_verifier(v2)
        .request_async(&http)
        .await;
    assert!(ok.is_ok());
    let replay = client
        .exchange_code(AuthorizationCode::new(c2))
        .set_pkce_verifier(PkceCodeVerifier::new("y".repeat(43)))
        .request_async(&http)
        .await
        .map_err(elevate_core::auth::entra::map_token_error)
        .unwrap_err();
    assert!(
        matches!(&replay, AuthError::Server(err) if err.has_code(54005)),
        "{replay:?}"
    );
    elevate_testkit::figures::add("oauth.refused", 1);
    drop(verifier);
    e.shutdown().await;
}

async fn fresh_code(
    client: &elevate_core::auth::entra::EntraClient,
) -> (String, oauth2::PkceCodeVerifier) {
    let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
    let (url, _state) = client
        .authorize_url(oauth2::CsrfToken::new_random)
        .add_scope(oauth2::Scope::new("openid".into()))
        .set_pkce_challenge(challenge)
        .url();
    // Read the code straight off the emulator's redirect, as a browser's address bar would show it.
    let code = elevate_testkit::pages::authorize_code(&url, "adele")
        .await
        .expect("code");
    (code, verifier)
}

#[tokio::test]
async fn abandoned_or_cancelled_sign_in_ends_cleanly() {
    let e = emulator().await;
    let mut auth = authenticator(Arc::new(AbandonedBrowser));
    auth.interactive_timeout = Duration::from_millis(300);
    let r = auth
        .sign_in_browser(
            &target(&e),
            None,
            None,
            &no_progress,
            CancellationToken::new(),
        )
        .await;
    assert!(matches!(r, Err(AuthError::TimedOut)));
    assert_eq!(
        ApiError::from(r.err().unwrap()).code,
        ErrorCode::SignInTimedOut
    );
    elevate_testkit::figures::add("oauth.refused", 1);

    let auth = authenticator(Arc::new(AbandonedBrowser));
    let cancel = CancellationToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        c.cancel();
    });
    let r = auth
        .sign_in_browser(&target(&e), None, None, &no_progress, cancel)
        .await;
    assert!(matches!(r, Err(AuthError::Cancelled)));
    elevate_testkit::figures::add("oauth.refused", 1);

    let auth = authenticator(HeadlessBrowser::cancelling());
    let r = auth
        .sign_in_browser(
            &target(&e),
            None,
            None,
            &no_progress,
            CancellationToken::new(),
        )
        .await;
    let api = ApiError::from(r.err().expect("cancel in the browser"));
    assert_eq!(api.code, ErrorCode::SignInCancelled);
    elevate_testkit::figures::add("oauth.refused", 1);
    e.shutdown().await;
}

#[tokio::test]
async fn device_code_sign_in() {
    let e = emulator().await;
    let auth = authenticator(Arc::new(AbandonedBrowser));
    let seen = Arc::new(std::sync::Mutex::new(None));
    let s = seen.clone();
    let login = device_login_as("adele");
    let progress = move |p: SignInProgress| {
        if let SignInProgress::WaitingForDeviceCode {
            verification_uri,
            user_code,
            ..
        } = &p
        {
            *s.lock().unwrap() = Some((verification_uri.clone(), user_code.clone()));
        }
        login(p);
    };
    let grant = auth
        .sign_in_device_code(&target(&e), &progress, CancellationToken::new())
        .await
        .expect("device sign-in");
    assert!(grant.refresh_token.is_some());
    assert!(seen.lock().unwrap().is_some());
    e.shutdown().await;
}

#[test]
fn tokens_never_print() {
    let t = elevate_core::secret::Secret::new("eyJ.secret.value");
    assert!(!format!("{t:?}").contains("secret.value"));
}
