//! A local TLS server signed by a CA that exists only in the test: it terminates TLS and
//! passes the bytes on to the emulator, so the client talks HTTPS to the real emulator.

use std::net::SocketAddr;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

pub struct TlsServer {
    pub addr: SocketAddr,
    /// The CA that signed the server's certificate (DER).
    pub ca: CertificateDer<'static>,
}

impl TlsServer {
    pub fn url(&self, host: &str, path: &str) -> String {
        format!(
            "https://{host}:{}/{}",
            self.addr.port(),
            path.trim_start_matches('/')
        )
    }
}

/// A CA named `ca_name` (organization "Contoso"), and nothing signed by it yet.
pub fn make_ca(ca_name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, ca_name);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Contoso");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// Serves TLS for `localhost` and `secure.test` with a certificate from a new CA named
/// `ca_name`; every connection is passed on to `upstream`.
pub async fn start(upstream: SocketAddr, ca_name: &str) -> TlsServer {
    super::install_provider();
    let ca = make_ca(ca_name);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "secure.test".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), ca.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A refused handshake is what some tests are about: nothing to do then.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if let Ok(mut up) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                }
            });
        }
    });
    TlsServer {
        addr,
        ca: ca.der().clone(),
    }
}
