//! Which servers to trust: the platform's roots plus any extra CA bundle, loaded on the first
//! `https` connection; or, only when asked, no verification at all.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::ConfigError;

/// Extra trusted roots, in PEM: a file (`from_env` when `AWS_CA_BUNDLE` named it), or bytes.
#[derive(Clone)]
pub(crate) enum ExtraCa {
    File { path: PathBuf, from_env: bool },
    Pem(Vec<u8>),
}

impl ExtraCa {
    /// Adds the certificates it holds to `roots`.
    fn add_to(&self, roots: &mut RootCertStore) -> Result<(), ConfigError> {
        let (pem, path, from_env) = match self {
            Self::File { path, from_env } => {
                let pem = std::fs::read(path).map_err(|source| ConfigError::ReadCaBundle {
                    path: path.clone(),
                    from_env: *from_env,
                    source,
                })?;
                (pem, Some(path), *from_env)
            }
            Self::Pem(pem) => (pem.clone(), None, false),
        };
        let invalid = |reason| ConfigError::InvalidCaBundle {
            path: path.cloned(),
            from_env,
            reason,
        };
        let certificates = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid("is not valid PEM"))?;
        if certificates.is_empty() {
            return Err(invalid("holds no PEM certificate"));
        }
        for certificate in certificates {
            roots
                .add(certificate)
                .map_err(|_| invalid("holds a certificate that cannot be a trust anchor"))?;
        }
        Ok(())
    }

    /// For `Debug`: the file, or how many bytes of PEM.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::File { path, .. } => format!("{path:?}"),
            Self::Pem(pem) => format!("<{} bytes of PEM>", pem.len()),
        }
    }
}

/// A client's TLS settings. The extra CA bundles are read and checked when the client is
/// built (a bad file is a [`ConfigError`] then, not a failure of the first request); the
/// platform's roots and the rustls configuration wait for [`config`](Self::config), which a
/// transport calls on its first `https` connection. A client that only ever talks to an
/// `http://` endpoint (an emulator) reads no certificate store at all.
pub struct Tls {
    extra: RootCertStore,
    insecure: bool,
    config: OnceLock<Arc<ClientConfig>>,
}

impl Tls {
    /// Reads and checks the extra bundles.
    pub(crate) fn new(extra: &[ExtraCa], insecure: bool) -> Result<Self, ConfigError> {
        // Even when insecure: a file someone names must exist and hold certificates.
        let mut roots = RootCertStore::empty();
        for ca in extra {
            ca.add_to(&mut roots)?;
        }
        Ok(Self {
            extra: roots,
            insecure,
            config: OnceLock::new(),
        })
    }

    /// The rustls client configuration, HTTP/1.1 over TLS 1.2 or 1.3 on the `ring` provider,
    /// made on the first call and shared after: the platform's roots (read once per process)
    /// and the extra ones, or no certificate check at all when insecure.
    pub fn config(&self) -> Arc<ClientConfig> {
        Arc::clone(self.config.get_or_init(|| Arc::new(self.make())))
    }

    /// Whether [`config`](Self::config) has been made, so the roots have been loaded.
    pub fn is_loaded(&self) -> bool {
        self.config.get().is_some()
    }

    /// Whether server certificates go unchecked.
    pub fn is_insecure(&self) -> bool {
        self.insecure
    }

    fn make(&self) -> ClientConfig {
        // `ring`, not the process default: aws-lc-rs needs a C build that doubles compile
        // time, and a process-wide default is not a library's to choose.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let algorithms = provider.signature_verification_algorithms;
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            // rustls refuses only a provider without cipher suites for those versions.
            .expect("ring's default provider supports TLS 1.2 and 1.3");
        let mut config = if self.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(algorithms)))
                .with_no_client_auth()
        } else {
            builder
                .with_root_certificates(self.roots())
                .with_no_client_auth()
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        config
    }

    fn roots(&self) -> RootCertStore {
        let mut roots = platform_roots().clone();
        if roots.is_empty() && self.extra.is_empty() {
            // A container without a CA store: Mozilla's roots, which the AWS CLI trusts by
            // default anyway (certifi).
            tracing::warn!(
                "no trusted root certificates found on this system; using the Mozilla roots built into webpki-roots"
            );
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        roots.roots.extend(self.extra.roots.iter().cloned());
        roots
    }
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls")
            .field("extra_roots", &self.extra.len())
            .field("insecure", &self.insecure)
            .field("loaded", &self.is_loaded())
            .finish()
    }
}

/// The platform's trusted roots (on Linux the system bundle, or `SSL_CERT_FILE` /
/// `SSL_CERT_DIR`), read once per process: reading and parsing the store takes milliseconds,
/// and it does not change under a running program often enough to matter. Certificates that
/// do not parse, and folders that cannot be read, are skipped.
fn platform_roots() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::debug!(%error, "skipped part of the platform's certificate store");
        }
        let mut store = RootCertStore::empty();
        let (added, ignored) = store.add_parsable_certificates(found.certs);
        tracing::debug!(added, ignored, "platform root certificates loaded");
        store
    })
}

/// Accepts any certificate for any name: the opt-in insecure mode. Handshake signatures are
/// still checked, so the peer does hold the key of the certificate it shows.
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = include_str!("../tests/data/test-ca.pem");

    fn pem(text: &str) -> Result<Tls, ConfigError> {
        Tls::new(&[ExtraCa::Pem(text.as_bytes().to_vec())], false)
    }

    #[test]
    fn a_missing_bundle_is_a_config_error_naming_the_file() {
        let extra = ExtraCa::File {
            path: "/nonexistent/corp-ca.pem".into(),
            from_env: true,
        };
        let error = Tls::new(std::slice::from_ref(&extra), false).unwrap_err();
        assert!(
            matches!(error, ConfigError::ReadCaBundle { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/nonexistent/corp-ca.pem\" (from AWS_CA_BUNDLE)"
        );
        // Even when verification is off.
        assert!(Tls::new(&[extra], true).is_err());
    }

    #[test]
    fn bundles_without_usable_certificates_are_config_errors() {
        let error = pem("not a certificate").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory holds no PEM certificate"
        );
        let broken = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem(broken).unwrap_err().to_string(),
            "the CA bundle given in memory is not valid PEM"
        );
        let garbage = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        let error = pem(garbage).unwrap_err();
        assert!(
            error.to_string().ends_with("cannot be a trust anchor"),
            "{error}"
        );
        // A key next to the certificate is skipped; two certificates are two roots.
        let with_key =
            format!("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n{CA}");
        assert_eq!(pem(&with_key).unwrap().extra.len(), 1);
        assert_eq!(pem(&format!("{CA}\n{CA}")).unwrap().extra.len(), 2);
    }

    #[test]
    fn roots_wait_for_the_first_use_and_are_made_once() {
        let tls = pem(CA).unwrap();
        assert!(!tls.is_loaded());
        let config = tls.config();
        assert!(tls.is_loaded());
        assert!(Arc::ptr_eq(&config, &tls.config()));
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(!tls.roots().is_empty(), "the extra root at least");
    }

    #[test]
    fn insecure_mode_needs_no_roots_and_still_speaks_http11() {
        let tls = Tls::new(&[], true).unwrap();
        assert!(tls.is_insecure());
        assert_eq!(tls.config().alpn_protocols, vec![b"http/1.1".to_vec()]);
    }
}
