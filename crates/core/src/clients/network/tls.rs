//! The self-test's own TLS handshake: the same trust as the app's client, and, when a
//! certificate is refused, who issued it, so the person can tell IT which CA to install
//! (or see that the connection is being intercepted).

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::Trust;

/// Verifies as `inner` does and keeps the issuer of a chain it refused.
#[derive(Debug)]
pub(super) struct Recording {
    inner: Arc<dyn ServerCertVerifier>,
    refused_issuer: Mutex<Option<String>>,
}

impl Recording {
    pub(super) fn refused_issuer(&self) -> Option<String> {
        self.refused_issuer.lock().expect("lock").clone()
    }
}

impl ServerCertVerifier for Recording {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if verdict.is_err() {
            // The top of the chain the server sent names the authority that vouches for it.
            let top = intermediates.last().unwrap_or(end_entity);
            *self.refused_issuer.lock().expect("lock") = issuer_of(top);
        }
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A verifier with the app's trust, and the client configuration that uses it.
pub(super) fn client_config(
    trust: &Trust,
) -> Result<(Arc<Recording>, rustls::ClientConfig), String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner: Arc<dyn ServerCertVerifier> = match trust {
        Trust::Platform => Arc::new(
            rustls_platform_verifier::Verifier::new(provider.clone()).map_err(|e| e.to_string())?,
        ),
        Trust::Only(certs) => {
            let mut roots = RootCertStore::empty();
            for c in certs.iter() {
                roots.add(c.clone()).map_err(|e| e.to_string())?;
            }
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| e.to_string())?
        }
    };
    let recording = Arc::new(Recording {
        inner,
        refused_issuer: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(recording.clone())
        .with_no_client_auth();
    Ok((recording, config))
}

/// The issuer's common name, with its organization when that adds something.
fn issuer_of(der: &CertificateDer<'_>) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let issuer = cert.issuer();
    let cn = issuer
        .iter_common_name()
        .next()
        .and_then(|a| a.as_str().ok())
        .map(str::to_string);
    let org = issuer
        .iter_organization()
        .next()
        .and_then(|a| a.as_str().ok())
        .map(str::to_string);
    Some(match (cn, org) {
        (Some(cn), Some(org)) if !cn.contains(&org) => format!("{cn} ({org})"),
        (Some(cn), _) => cn,
        (None, Some(org)) => org,
        (None, None) => issuer.to_string(),
    })
}

/// Why the certificate was refused, in words, when rustls says so.
pub(super) fn certificate_problem(e: &std::io::Error) -> Option<CertificateError> {
    match e.get_ref()?.downcast_ref::<rustls::Error>()? {
        rustls::Error::InvalidCertificate(c) => Some(c.clone()),
        _ => None,
    }
}
