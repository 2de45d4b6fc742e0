//! The connectivity self-test: for each host Elevate needs, the steps a request takes —
//! find the name (DNS), connect (TCP, to the proxy when there is one), pass the proxy
//! (CONNECT), secure the connection (TLS), get an answer (HTTP) — and, at the first that
//! fails, what happened and what to do, in words. The last step is a request through the
//! app's own client, so the test sees what the app sees.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::CertificateError;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use url::Url;

use super::{tls, ManualProxy, NetworkConfig, ProxyChoice, LOOPBACK};
use crate::api::{CheckResult, CheckStage, ConnectivityCheck};
use crate::secret::Secret;

const STEP_TIMEOUT: Duration = Duration::from_secs(10);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// One host to check: what it is for and a URL on it that answers without a token.
#[derive(Debug, Clone)]
pub struct Probe {
    pub service: String,
    pub url: Url,
}

/// The proxy a request to one URL goes through.
struct Hop {
    url: Url,
    /// `Proxy-Authorization` value.
    auth: Option<Secret>,
}

/// Which proxy the checks use, in words for the report.
pub fn describe_proxy(config: &NetworkConfig) -> String {
    match &config.proxy {
        ProxyChoice::Manual(p) => format!(
            "The proxy set for Elevate: {}{}",
            without_credentials(&p.url),
            if p.username.is_some() {
                " (with a user name and password)"
            } else {
                ""
            }
        ),
        ProxyChoice::System => {
            let m = hyper_util::client::proxy::matcher::Matcher::from_system();
            match m.intercept(&"https://graph.microsoft.com/".parse().expect("uri")) {
                Some(i) => format!("The proxy from this computer's settings: {}", i.uri()),
                None => "No proxy: this computer's settings name none, so Elevate connects directly. (Automatic proxy scripts (PAC) are not read: if your network needs one, enter the proxy address in Settings.)".to_string(),
            }
        }
    }
}

/// Runs every probe at once; the order of the answer is the order of `probes`.
pub async fn check_all(
    config: &NetworkConfig,
    client: &reqwest::Client,
    probes: Vec<Probe>,
) -> Vec<ConnectivityCheck> {
    futures::future::join_all(probes.into_iter().map(|p| async move {
        let host = p.url.host_str().unwrap_or_default().to_string();
        let mut check = match check_one(config, client, &p.url, &host).await {
            Ok(message) => ConnectivityCheck {
                service: String::new(),
                host: String::new(),
                result: CheckResult::Ok,
                stage: None,
                message,
                detail: None,
            },
            Err(f) => ConnectivityCheck {
                service: String::new(),
                host: String::new(),
                result: CheckResult::Failed,
                stage: Some(f.stage),
                message: f.message,
                detail: f.detail,
            },
        };
        check.service = p.service;
        check.host = host;
        check
    }))
    .await
}

struct Failure {
    stage: CheckStage,
    message: String,
    detail: Option<String>,
}

fn fail(stage: CheckStage, message: String, detail: impl Into<Option<String>>) -> Failure {
    Failure {
        stage,
        message,
        detail: detail.into(),
    }
}

async fn check_one(
    config: &NetworkConfig,
    client: &reqwest::Client,
    url: &Url,
    host: &str,
) -> Result<String, Failure> {
    let https = url.scheme() == "https";
    let port = url.port_or_known_default().unwrap_or(443);
    let hop = proxy_for(config, url);
    let (dial_host, dial_port) = match &hop {
        Some(h) => (
            h.url.host_str().unwrap_or_default().to_string(),
            h.url.port_or_known_default().unwrap_or(8080),
        ),
        None => (host.to_string(), port),
    };
    let what = match &hop {
        Some(h) => format!("the proxy {}", without_credentials(&h.url)),
        None => host.to_string(),
    };

    let addrs = resolve(&dial_host, dial_port).await.map_err(|detail| {
        let message = if hop.is_some() {
            format!("Elevate could not find {what}: the name is not known on this network. Check the proxy address in Settings, or ask IT for the right one.")
        } else {
            format!("Elevate could not find {host}: the name is not known on this network. Check that you are online; on a company network, ask IT whether you need a proxy and enter it in Settings.")
        };
        fail(CheckStage::Dns, message, detail)
    })?;

    let mut stream = connect(&addrs).await.map_err(|detail| {
        fail(
            CheckStage::Tcp,
            format!("Elevate found {what} but could not connect to it (port {dial_port}). A firewall may block it: ask IT to allow it, or whether you need a proxy."),
            detail,
        )
    })?;

    if let (Some(h), true) = (&hop, https) {
        tunnel(&mut stream, h, host, port, &what).await?;
    }

    if https {
        secure(config, stream, host).await?;
    } else {
        // The request below opens its own connection; this one has shown what it had to.
        drop(stream);
    }

    answer(client, url, host, &what).await
}

fn proxy_for(config: &NetworkConfig, url: &Url) -> Option<Hop> {
    match &config.proxy {
        ProxyChoice::Manual(p) => {
            let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
            if LOOPBACK.split(',').any(|l| l == host) {
                return None;
            }
            Some(Hop {
                url: p.url.clone(),
                auth: manual_auth(p),
            })
        }
        ProxyChoice::System => {
            let m = hyper_util::client::proxy::matcher::Matcher::from_system();
            let i = m.intercept(&url.as_str().parse().ok()?)?;
            Some(Hop {
                url: Url::parse(&i.uri().to_string()).ok()?,
                auth: i
                    .basic_auth()
                    .and_then(|v| v.to_str().ok())
                    .map(Secret::new),
            })
        }
    }
}

fn manual_auth(p: &ManualProxy) -> Option<Secret> {
    p.basic_auth()
}

async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let host = host.trim_matches(['[', ']']);
    match timeout(STEP_TIMEOUT, tokio::net::lookup_host((host, port))).await {
        Err(_) => Err("no answer from DNS".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(a)) => {
            let a: Vec<_> = a.collect();
            if a.is_empty() {
                Err("no address".into())
            } else {
                Ok(a)
            }
        }
    }
}

async fn connect(addrs: &[SocketAddr]) -> Result<TcpStream, String> {
    let mut last = String::new();
    for a in addrs {
        match timeout(STEP_TIMEOUT, TcpStream::connect(a)).await {
            Ok(Ok(s)) => return Ok(s),
            Ok(Err(e)) => last = format!("{a}: {e}"),
            Err(_) => last = format!("{a}: no answer within {} s", STEP_TIMEOUT.as_secs()),
        }
    }
    Err(last)
}

/// `CONNECT host:port` through the proxy; the proxy's status line decides.
async fn tunnel(
    stream: &mut TcpStream,
    hop: &Hop,
    host: &str,
    port: u16,
    what: &str,
) -> Result<(), Failure> {
    let mut req = format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n");
    if let Some(a) = &hop.auth {
        req.push_str(&format!("Proxy-Authorization: {}\r\n", a.expose()));
    }
    req.push_str("\r\n");
    let broken = |e: String| {
        fail(
            CheckStage::Proxy,
            format!("{what} closed the connection instead of passing it on to {host}. Ask IT whether the proxy allows Elevate."),
            e,
        )
    };
    let head = timeout(STEP_TIMEOUT, async {
        stream.write_all(req.as_bytes()).await?;
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        // Byte by byte: what follows the proxy's answer is the TLS handshake's.
        while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
            if stream.read(&mut byte).await? == 0 {
                break;
            }
            head.push(byte[0]);
        }
        Ok::<_, std::io::Error>(head)
    })
    .await
    .map_err(|_| broken("no answer to CONNECT".into()))?
    .map_err(|e| broken(e.to_string()))?;
    let status = String::from_utf8_lossy(&head)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(200..=299) => Ok(()),
        Some(407) if hop.auth.is_some() => Err(fail(
            CheckStage::Proxy,
            format!("{what} refused the user name and password Elevate gave it. Ask IT for the right proxy credentials (they are set in Elevate's managed configuration or in HTTPS_PROXY)."),
            "HTTP 407 Proxy Authentication Required".to_string(),
        )),
        Some(407) => Err(fail(
            CheckStage::Proxy,
            format!("{what} asks for a user name and password. Ask IT to set the proxy credentials in Elevate's managed configuration (or in HTTPS_PROXY), then check again."),
            "HTTP 407 Proxy Authentication Required".to_string(),
        )),
        Some(s) => Err(fail(
            CheckStage::Proxy,
            format!("{what} refused to connect Elevate to {host}. Ask IT to allow {host} through the proxy."),
            format!("HTTP {s} to CONNECT"),
        )),
        None => Err(broken("no HTTP status in the proxy's answer".into())),
    }
}

async fn secure(config: &NetworkConfig, stream: TcpStream, host: &str) -> Result<(), Failure> {
    let (recording, tls_config) = tls::client_config(&config.trust).map_err(|e| {
        fail(
            CheckStage::Tls,
            "Elevate could not read this computer's trusted certificates. Restart Elevate; if it keeps happening, tell IT.".into(),
            e,
        )
    })?;
    let name = ServerName::try_from(host.trim_matches(['[', ']']).to_string()).map_err(|e| {
        fail(
            CheckStage::Tls,
            format!("{host} is not a valid name for a secure connection."),
            e.to_string(),
        )
    })?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(tls_config));
    let e = match timeout(STEP_TIMEOUT, connector.connect(name, stream)).await {
        Ok(Ok(_)) => return Ok(()),
        Ok(Err(e)) => e,
        Err(_) => {
            return Err(fail(
                CheckStage::Tls,
                format!("{host} did not finish setting up a secure connection. Something on the network may be holding it up: ask IT."),
                format!("no TLS answer within {} s", STEP_TIMEOUT.as_secs()),
            ))
        }
    };
    let issuer = recording.refused_issuer();
    let named = issuer
        .as_deref()
        .map(|i| format!("“{i}”"))
        .unwrap_or_else(|| "an authority".into());
    let message = match tls::certificate_problem(&e) {
        Some(CertificateError::UnknownIssuer) => format!(
            "The secure connection to {host} uses a certificate issued by {named}, which this computer does not trust. If your company inspects network traffic, ask IT to install that certificate authority on this computer. Otherwise someone may be intercepting the connection: do not sign in on this network."
        ),
        Some(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => format!(
            "The certificate {host} presented (issued by {named}) has expired. Check that this computer's date and time are right; if they are, tell IT."
        ),
        Some(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }) => format!(
            "The certificate presented for {host} (issued by {named}) is for another name: something on the network answered in its place. Tell IT; do not sign in on this network until it is fixed."
        ),
        Some(CertificateError::Revoked) => format!(
            "The certificate presented for {host} (issued by {named}) has been revoked. Tell IT; do not sign in on this network until it is fixed."
        ),
        Some(_) => format!(
            "The certificate presented for {host} (issued by {named}) was refused by this computer. Tell IT, with the details below."
        ),
        None => format!(
            "The secure connection to {host} could not be set up. Something on the network may be interfering: tell IT, with the details below."
        ),
    };
    Err(fail(CheckStage::Tls, message, e.to_string()))
}

async fn answer(
    client: &reqwest::Client,
    url: &Url,
    host: &str,
    what: &str,
) -> Result<String, Failure> {
    let resp = match timeout(ANSWER_TIMEOUT, client.get(url.as_str()).send()).await {
        Err(_) => {
            return Err(fail(
                CheckStage::Http,
                format!("{host} accepted the connection but did not answer in {} seconds. Try again; if it keeps happening, tell IT.", ANSWER_TIMEOUT.as_secs()),
                None,
            ))
        }
        Ok(Err(e)) => {
            let detail = crate::clients::http::without_url(&e);
            let proxy_auth = crate::clients::http::is_proxy_auth(&detail);
            return Err(if proxy_auth {
                fail(
                    CheckStage::Proxy,
                    format!("{what} asks for a user name and password. Ask IT to set the proxy credentials in Elevate's managed configuration (or in HTTPS_PROXY), then check again."),
                    detail,
                )
            } else {
                fail(
                    CheckStage::Http,
                    format!("Elevate reached {host} but its request did not get through. Try again; if it keeps happening, tell IT, with the details below."),
                    detail,
                )
            });
        }
        Ok(Ok(r)) => r,
    };
    let status = resp.status().as_u16();
    let redirected_away = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| url.join(l).ok())
        .is_some_and(|to| to.host_str() != Some(host));
    match status {
        407 => Err(fail(
            CheckStage::Proxy,
            format!("{what} asks for a user name and password. Ask IT to set the proxy credentials in Elevate's managed configuration (or in HTTPS_PROXY), then check again."),
            "HTTP 407 Proxy Authentication Required".to_string(),
        )),
        300..=399 if redirected_away => Err(fail(
            CheckStage::Http,
            format!("Something on your network answered in place of {host} and sent Elevate elsewhere (a sign-in page for the network, or a proxy's block page). Sign in to the network, or ask IT to allow {host}."),
            format!("HTTP {status} to another host"),
        )),
        500..=599 => Err(fail(
            CheckStage::Http,
            format!("{host} answered with an error of its own. It may be busy or down: try again in a few minutes."),
            format!("HTTP {status}"),
        )),
        _ => Ok(format!("Reachable: {host} answered.")),
    }
}

fn without_credentials(u: &Url) -> String {
    let mut u = u.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}
