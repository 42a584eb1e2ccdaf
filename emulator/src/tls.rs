//! HTTPS for the emulator: a certificate you give, or a test CA made on the spot.

use std::fmt;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// A certificate authority made on the spot, and a server certificate it signed for
/// `localhost`, `127.0.0.1` and `::1`: give [`TestCa::ca_pem`] to the client as its extra CA
/// bundle, and [`TestCa::identity`] to [`Emulator::start_tls`](crate::Emulator::start_tls).
///
/// ```
/// use sso_oidc_emulator::{BlockingEmulator, Config, TestCa};
///
/// let ca = TestCa::generate()?;
/// let emulator = BlockingEmulator::start_tls(Config::default(), &ca.identity())?;
/// assert!(emulator.url().starts_with("https://127.0.0.1:"));
/// assert!(ca.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TestCa {
    ca_pem: String,
    identity: TlsIdentity,
}

impl fmt::Debug for TestCa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestCa").finish_non_exhaustive()
    }
}

impl TestCa {
    /// Makes a new CA (ECDSA P-256) and a server certificate it signs.
    ///
    /// # Errors
    /// [`TlsError::Generate`] when a key or certificate cannot be made.
    pub fn generate() -> Result<Self, TlsError> {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let generate = |error: rcgen::Error| TlsError::Generate(error.to_string());

        let mut ca = CertificateParams::new(Vec::new()).map_err(generate)?;
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "sso-oidc-emulator test CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_key = KeyPair::generate().map_err(generate)?;
        let ca_cert = ca.self_signed(&ca_key).map_err(generate)?;
        let issuer = Issuer::new(ca, ca_key);

        let names = ["localhost", "127.0.0.1", "::1"]
            .map(str::to_owned)
            .to_vec();
        let mut server = CertificateParams::new(names).map_err(generate)?;
        server
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        server.use_authority_key_identifier_extension = true;
        server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_key = KeyPair::generate().map_err(generate)?;
        let server_cert = server.signed_by(&server_key, &issuer).map_err(generate)?;

        Ok(Self {
            ca_pem: ca_cert.pem(),
            identity: TlsIdentity::from_pem(server_cert.pem(), server_key.serialize_pem()),
        })
    }

    /// The CA certificate, PEM: what a client adds to its trusted roots.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The server's certificate and key.
    pub fn identity(&self) -> TlsIdentity {
        self.identity.clone()
    }
}

/// A server certificate chain and its private key, PEM. `Debug` never shows the key.
#[derive(Clone)]
pub struct TlsIdentity {
    cert_chain_pem: String,
    key_pem: String,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("cert_chain_pem", &self.cert_chain_pem)
            .field("key_pem", &"<redacted>")
            .finish()
    }
}

impl TlsIdentity {
    /// A certificate chain (leaf first) and a private key (PKCS#8, PKCS#1 or SEC1), PEM.
    pub fn from_pem(cert_chain_pem: impl Into<String>, key_pem: impl Into<String>) -> Self {
        Self {
            cert_chain_pem: cert_chain_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// The acceptor that serves this identity (TLS 1.2 and 1.3, HTTP/1.1 by ALPN).
    pub(crate) fn acceptor(&self) -> Result<TlsAcceptor, TlsError> {
        let certs = CertificateDer::pem_slice_iter(self.cert_chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TlsError::Pem(format!("certificate chain: {e}")))?;
        if certs.is_empty() {
            return Err(TlsError::Pem("no certificate in the chain".into()));
        }
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes())
            .map_err(|e| TlsError::Pem(format!("private key: {e}")))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(certs, key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// Why HTTPS cannot be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// rcgen could not make a test key or certificate.
    #[error("cannot make a test certificate: {0}")]
    Generate(String),
    /// The PEM text holds no usable certificate or key.
    #[error("bad PEM: {0}")]
    Pem(String),
    /// rustls refused the certificate or key.
    #[error("rustls refused the identity: {0}")]
    Rustls(#[from] rustls::Error),
}

impl From<TlsError> for std::io::Error {
    fn from(error: TlsError) -> Self {
        Self::new(std::io::ErrorKind::InvalidInput, error)
    }
}
