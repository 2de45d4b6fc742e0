//! Corporate networks: the trust store (a TLS server signed by a CA only the test trusts),
//! proxies (a local proxy with and without basic authentication, for the services' calls and
//! the sign-in's token requests), and the connectivity self-test's verdicts.

mod proxy;
mod tls_server;

use std::net::SocketAddr;
use std::sync::Arc;

use elevate_core::api::{CheckResult, CheckStage, ConnectivityCheck, ErrorCode};
use elevate_core::auth::entra;
use elevate_core::auth::OAuthHttp;
use elevate_core::clients::http::{Call, Http, ServiceErrorKind, TokenSource};
use elevate_core::clients::network::connectivity::{check_all, Probe};
use elevate_core::clients::network::{
    ManualProxy, NetworkConfig, ProxyChoice, SharedClient, Trust,
};
use elevate_core::secret::Secret;
use reqwest::Method;
use url::Url;

pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

struct NoToken;
#[async_trait::async_trait]
impl TokenSource for NoToken {
    fn current(&self) -> Secret {
        Secret::new("not-a-token")
    }
    async fn renew(
        &self,
        _claims: &str,
    ) -> Result<Option<Secret>, elevate_core::clients::ServiceError> {
        Ok(None)
    }
}

fn emulator_addr(e: &elevate_tenant::Emulator) -> SocketAddr {
    Url::parse(&e.base_url())
        .unwrap()
        .socket_addrs(|| None)
        .unwrap()[0]
}

fn manual(proxy_url: &str, creds: Option<(&str, &str)>) -> ProxyChoice {
    ProxyChoice::Manual(ManualProxy {
        url: Url::parse(proxy_url).unwrap(),
        username: creds.map(|c| c.0.to_string()),
        password: creds.map(|c| Secret::new(c.1)),
    })
}

fn http(config: NetworkConfig) -> Http {
    let mut h = Http::with_client(SharedClient::new(config).unwrap());
    h.max_attempts = 1;
    h
}

async fn get(h: &Http, url: &str) -> Result<u16, elevate_core::clients::ServiceError> {
    h.send(Call {
        method: Method::GET,
        url,
        token: &NoToken,
        body: None,
        headers: &[],
        idempotent: true,
    })
    .await
    .map(|a| a.status)
}

async fn probe(config: &NetworkConfig, url: &str) -> ConnectivityCheck {
    let client = config.client().unwrap();
    let mut checks = check_all(
        config,
        &client,
        vec![Probe {
            service: "Microsoft Graph".into(),
            url: Url::parse(url).unwrap(),
        }],
    )
    .await;
    checks.remove(0)
}

fn trusting(ca: &rustls::pki_types::CertificateDer<'static>, proxy: ProxyChoice) -> NetworkConfig {
    NetworkConfig {
        proxy,
        trust: Trust::Only(Arc::new(vec![ca.clone()])),
    }
}

// ---- Trust store -------------------------------------------------------------------------

#[tokio::test]
async fn a_server_signed_by_an_unknown_ca_is_refused_with_the_issuer_named() {
    let e = elevate_testkit::emulator().await;
    let server = tls_server::start(emulator_addr(&e), "Contoso TLS Inspection CA").await;
    let other = tls_server::make_ca("Some Other Root");
    let config = trusting(other.der(), ProxyChoice::System);

    let check = probe(&config, &server.url("localhost", "graph/v1.0/")).await;
    assert_eq!(check.result, CheckResult::Failed);
    assert_eq!(check.stage, Some(CheckStage::Tls), "{check:?}");
    assert!(
        check.message.contains("“Contoso TLS Inspection CA”")
            && check.message.contains("does not trust")
            && check.message.contains("ask IT to install"),
        "{}",
        check.message
    );

    // The app's own client refuses it too, and says so in the words of a network failure.
    let err = get(
        &http(config),
        &server.url("localhost", "_emulator/endpoints"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, ServiceErrorKind::Network, "{err:?}");
    assert_eq!(err.to_api_error("Microsoft Graph").code, ErrorCode::Network);
}

#[tokio::test]
async fn a_server_signed_by_a_trusted_ca_is_accepted() {
    let e = elevate_testkit::emulator().await;
    let server = tls_server::start(emulator_addr(&e), "Contoso TLS Inspection CA").await;
    let config = trusting(&server.ca, ProxyChoice::System);

    let check = probe(&config, &server.url("localhost", "graph/v1.0/")).await;
    assert_eq!(check.result, CheckResult::Ok, "{check:?}");
    assert_eq!(check.host, "localhost");
    assert_eq!(
        get(
            &http(config),
            &server.url("localhost", "_emulator/endpoints")
        )
        .await
        .unwrap(),
        200
    );
}

#[tokio::test]
async fn the_app_client_builds_on_the_os_trust_store_and_proxy_settings() {
    // The platform verifier must load (a missing crypto provider would panic here).
    let c = SharedClient::default();
    assert!(matches!(c.config().trust, Trust::Platform));
    assert_eq!(c.config().proxy, ProxyChoice::System);
}

#[tokio::test]
async fn sign_in_token_requests_use_the_same_trust_store() {
    let e = elevate_testkit::emulator().await;
    let server = tls_server::start(emulator_addr(&e), "Contoso TLS Inspection CA").await;
    let ep = elevate_testkit::endpoints(&e);
    let devicecode = |config: NetworkConfig| {
        let (tenant, client_id) = (ep.tenant_id.clone(), ep.client_id.clone());
        let url = server.url("localhost", &format!("login/{tenant}/oauth2/v2.0/"));
        async move {
            let client = entra::client(
                &client_id,
                format!("{url}authorize"),
                format!("{url}token"),
                format!("{url}devicecode"),
                None,
            )
            .unwrap();
            let http = OAuthHttp::new(SharedClient::new(config).unwrap());
            client
                .exchange_device_code()
                .add_scope(oauth2::Scope::new("openid".into()))
                .request_async(&http)
                .await
                .map(|_: oauth2::StandardDeviceAuthorizationResponse| ())
                .map_err(entra::map_token_error)
        }
    };
    let other = tls_server::make_ca("Some Other Root");
    let refused = devicecode(trusting(other.der(), ProxyChoice::System))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, elevate_core::auth::AuthError::Network(_)),
        "{refused:?}"
    );
    devicecode(trusting(&server.ca, ProxyChoice::System))
        .await
        .expect("a trusted CA lets the sign-in through");
}

// ---- Proxies -----------------------------------------------------------------------------

#[tokio::test]
async fn requests_go_through_a_proxy_set_by_hand() {
    let e = elevate_testkit::emulator().await;
    let port = emulator_addr(&e).port();
    let p = proxy::start(emulator_addr(&e), None, &[]).await;
    let url = format!("http://emulator.test:{port}/_emulator/endpoints");

    // Without the proxy the name is not even found: only the proxy can reach it.
    let direct = get(&http(NetworkConfig::default()), &url)
        .await
        .unwrap_err();
    assert_eq!(direct.kind, ServiceErrorKind::Network);

    let via = http(NetworkConfig {
        proxy: manual(&p.url, None),
        ..Default::default()
    });
    assert_eq!(get(&via, &url).await.unwrap(), 200);
    assert_eq!(p.seen(), vec![format!("GET {url}")]);
}

#[tokio::test]
async fn a_proxy_with_basic_authentication() {
    let e = elevate_testkit::emulator().await;
    let port = emulator_addr(&e).port();
    let p = proxy::start(emulator_addr(&e), Some(("svc-elevate", "pa55")), &[]).await;
    let url = format!("http://emulator.test:{port}/_emulator/endpoints");

    let without = http(NetworkConfig {
        proxy: manual(&p.url, None),
        ..Default::default()
    });
    let err = get(&without, &url).await.unwrap_err();
    assert_eq!(err.kind, ServiceErrorKind::ProxyAuthRequired, "{err:?}");
    let api = err.to_api_error("Microsoft Graph");
    assert_eq!(api.code, ErrorCode::Network);
    assert!(
        api.message.contains("user name and password"),
        "{}",
        api.message
    );

    let wrong = http(NetworkConfig {
        proxy: manual(&p.url, Some(("svc-elevate", "nope"))),
        ..Default::default()
    });
    assert_eq!(
        get(&wrong, &url).await.unwrap_err().kind,
        ServiceErrorKind::ProxyAuthRequired
    );

    let with = http(NetworkConfig {
        proxy: manual(&p.url, Some(("svc-elevate", "pa55"))),
        ..Default::default()
    });
    assert_eq!(get(&with, &url).await.unwrap(), 200);
    assert_eq!(
        p.seen().len(),
        1,
        "only the authenticated request was passed on"
    );
}

#[tokio::test]
async fn https_through_an_authenticating_proxy_tunnels_with_the_trusted_ca() {
    let e = elevate_testkit::emulator().await;
    let server = tls_server::start(emulator_addr(&e), "Contoso TLS Inspection CA").await;
    let p = proxy::start(server.addr, Some(("svc-elevate", "pa55")), &[]).await;
    let url = server.url("secure.test", "_emulator/endpoints");

    let without = http(trusting(&server.ca, manual(&p.url, None)));
    let err = get(&without, &url).await.unwrap_err();
    assert_eq!(err.kind, ServiceErrorKind::ProxyAuthRequired, "{err:?}");

    let with = http(trusting(
        &server.ca,
        manual(&p.url, Some(("svc-elevate", "pa55"))),
    ));
    assert_eq!(get(&with, &url).await.unwrap(), 200);
    assert_eq!(
        p.seen(),
        vec![format!("CONNECT secure.test:{}", server.addr.port())]
    );
}

#[tokio::test]
async fn sign_in_token_requests_use_the_proxy() {
    let e = elevate_testkit::emulator().await;
    let port = emulator_addr(&e).port();
    let p = proxy::start(emulator_addr(&e), Some(("svc-elevate", "pa55")), &[]).await;
    let ep = elevate_testkit::endpoints(&e);
    let base = format!(
        "http://emulator.test:{port}/login/{}/oauth2/v2.0/",
        ep.tenant_id
    );
    let client = entra::client(
        &ep.client_id,
        format!("{base}authorize"),
        format!("{base}token"),
        format!("{base}devicecode"),
        None,
    )
    .unwrap();
    let http = OAuthHttp::new(
        SharedClient::new(NetworkConfig {
            proxy: manual(&p.url, Some(("svc-elevate", "pa55"))),
            ..Default::default()
        })
        .unwrap(),
    );
    let _: oauth2::StandardDeviceAuthorizationResponse = client
        .exchange_device_code()
        .add_scope(oauth2::Scope::new("openid".into()))
        .request_async(&http)
        .await
        .expect("the device code request goes through the proxy");
    assert_eq!(p.seen(), vec![format!("POST {base}devicecode")]);
}

// ---- The self-test's verdicts ------------------------------------------------------------

#[tokio::test]
async fn the_self_test_names_the_step_that_fails() {
    let e = elevate_testkit::emulator().await;
    let server = tls_server::start(emulator_addr(&e), "Contoso TLS Inspection CA").await;

    // DNS: a name nobody knows.
    let c = probe(&NetworkConfig::default(), "https://nowhere.invalid/").await;
    assert_eq!(c.stage, Some(CheckStage::Dns), "{c:?}");
    assert!(
        c.message.contains("could not find nowhere.invalid"),
        "{}",
        c.message
    );

    // TCP: nothing listens there.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = probe(
        &NetworkConfig::default(),
        &format!("https://localhost:{closed}/"),
    )
    .await;
    assert_eq!(c.stage, Some(CheckStage::Tcp), "{c:?}");
    assert!(c.message.contains("could not connect"), "{}", c.message);

    // Proxy: it wants credentials, then it refuses a host.
    let p = proxy::start(
        server.addr,
        Some(("svc-elevate", "pa55")),
        &["blocked.test"],
    )
    .await;
    let c = probe(
        &trusting(&server.ca, manual(&p.url, None)),
        &server.url("secure.test", "graph/v1.0/"),
    )
    .await;
    assert_eq!(c.stage, Some(CheckStage::Proxy), "{c:?}");
    assert!(
        c.message.contains("asks for a user name and password"),
        "{}",
        c.message
    );
    let authed = trusting(&server.ca, manual(&p.url, Some(("svc-elevate", "pa55"))));
    let c = probe(&authed, &server.url("blocked.test", "graph/v1.0/")).await;
    assert_eq!(c.stage, Some(CheckStage::Proxy), "{c:?}");
    assert!(
        c.message
            .contains("refused to connect Elevate to blocked.test"),
        "{}",
        c.message
    );

    // Through the proxy with credentials and a trusted CA: reachable.
    let c = probe(&authed, &server.url("secure.test", "graph/v1.0/")).await;
    assert_eq!(c.result, CheckResult::Ok, "{c:?}");
}

/// A server that answers every request with `response`.
async fn canned(response: &'static [u8]) -> SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut b = [0u8; 4096];
                let _ = s.read(&mut b).await;
                let _ = s.write_all(response).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn the_self_test_reports_a_service_error_and_a_network_sign_in_page() {
    let busy = canned(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    let c = probe(&NetworkConfig::default(), &format!("http://{busy}/v1.0/")).await;
    assert_eq!(c.stage, Some(CheckStage::Http), "{c:?}");
    assert!(
        c.message.contains("answered with an error of its own"),
        "{}",
        c.message
    );
    assert_eq!(c.detail.as_deref(), Some("HTTP 503"));

    // A captive portal sends Elevate to another host.
    let portal = canned(b"HTTP/1.1 302 Found\r\nLocation: http://wifi.example/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
    let c = probe(&NetworkConfig::default(), &format!("http://{portal}/v1.0/")).await;
    assert_eq!(c.stage, Some(CheckStage::Http), "{c:?}");
    assert!(c.message.contains("answered in place of"), "{}", c.message);

    // A service that answers 401 or 404 without a token is reachable.
    let e = elevate_testkit::emulator().await;
    let c = probe(
        &NetworkConfig::default(),
        &format!("{}/graph/v1.0/", e.base_url()),
    )
    .await;
    assert_eq!(c.result, CheckResult::Ok, "{c:?}");
}

// ---- The app: Settings → Check connection, and a proxy saved in Settings ----------------

#[tokio::test]
async fn the_self_test_checks_the_demo_tenants_hosts() {
    let e = elevate_testkit::emulator().await;
    let s = elevate_testkit::signed_in(&e, "adele").await;
    let report = s.app.check_connectivity().await;
    let host = Url::parse(&e.base_url())
        .unwrap()
        .host_str()
        .unwrap()
        .to_string();
    let services: Vec<_> = report.checks.iter().map(|c| c.service.as_str()).collect();
    assert_eq!(
        services,
        [
            "Sign-in (Microsoft Entra ID)",
            "Microsoft Graph (roles and PIM)",
            "Power Platform API (Add me)",
            "Power Platform admin API (BAP)",
            "Dataverse (one of your environments)",
        ]
    );
    for c in &report.checks[..4] {
        assert_eq!(c.result, CheckResult::Ok, "{c:?}");
        assert_eq!(c.host, host);
    }
    assert_eq!(report.checks[4].result, CheckResult::Skipped);
    assert!(report.checks[4].message.contains("open Environments once"));

    // Once the Environments page has listed them, one environment is checked too.
    s.app.environments().await.unwrap();
    let report = s.app.check_connectivity().await;
    let dataverse = report.checks.last().unwrap();
    assert_eq!(dataverse.result, CheckResult::Ok, "{dataverse:?}");
}

#[tokio::test]
async fn a_proxy_saved_in_settings_is_used_from_the_next_request_on() {
    let e = elevate_testkit::emulator().await;
    let s = elevate_testkit::signed_in(&e, "adele").await;
    let p = proxy::start(emulator_addr(&e), None, &[]).await;
    let input = |proxy_url: &str| elevate_core::api::SettingsInput {
        tenant_id: "contoso.onmicrosoft.com".into(),
        client_id: "1950a258-227b-4e31-a9cf-717495945fc2".into(),
        cloud: elevate_core::api::Cloud::Public,
        proxy_url: proxy_url.into(),
    };

    // A password in the address is refused, and nothing changes.
    let err = s
        .app
        .save_settings(input("http://svc:pa55@proxy.contoso.com:8080"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(!err.message.contains("pa55"));
    assert_eq!(s.app.settings().proxy_url, "");

    let saved = s.app.save_settings(input(&p.url)).unwrap();
    assert_eq!(saved.proxy_url, format!("{}/", p.url));
    let report = s.app.check_connectivity().await;
    assert!(report.proxy.contains(&p.url), "{}", report.proxy);
    // The demo tenant runs on this computer: the proxy never sees it, and it keeps working.
    assert!(report.checks[..4]
        .iter()
        .all(|c| c.result == CheckResult::Ok));
    assert!(p.seen().is_empty(), "{:?}", p.seen());
    s.app.environments().await.unwrap();

    // Emptied again: this computer's settings.
    s.app.save_settings(input("")).unwrap();
    assert!(!s.app.check_connectivity().await.proxy.contains(&p.url));
}
