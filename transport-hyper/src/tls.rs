//! TLS with rustls and the `ring` provider: the platform's roots plus an extra CA bundle, or,
//! only when asked, no verification at all.

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
    /// The certificates it holds.
    fn load(&self) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
        match self {
            Self::File { path, from_env } => {
                let pem = std::fs::read(path).map_err(|source| ConfigError::ReadCaBundle {
                    path: path.clone(),
                    from_env: *from_env,
                    source,
                })?;
                parse(&pem).map_err(|reason| ConfigError::InvalidCaBundle {
                    path: Some(path.clone()),
                    from_env: *from_env,
                    reason,
                })
            }
            Self::Pem(pem) => parse(pem).map_err(|reason| ConfigError::InvalidCaBundle {
                path: None,
                from_env: false,
                reason,
            }),
        }
    }

    /// For `Debug`: the file, or how many bytes of PEM.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::File { path, .. } => format!("{path:?}"),
            Self::Pem(pem) => format!("<{} bytes of PEM>", pem.len()),
        }
    }

    fn invalid(&self, reason: &'static str) -> ConfigError {
        match self {
            Self::File { path, from_env } => ConfigError::InvalidCaBundle {
                path: Some(path.clone()),
                from_env: *from_env,
                reason,
            },
            Self::Pem(_) => ConfigError::InvalidCaBundle {
                path: None,
                from_env: false,
                reason,
            },
        }
    }
}

/// The certificates of a PEM bundle; private keys and other blocks are skipped.
fn parse(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, &'static str> {
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "is not valid PEM")?;
    if certificates.is_empty() {
        return Err("holds no PEM certificate");
    }
    Ok(certificates)
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

/// The TLS client configuration, HTTP/1.1 over TLS 1.2 or 1.3: the platform's roots and the
/// extra ones, or no verification at all.
pub(crate) fn config(extra: &[ExtraCa], insecure: bool) -> Result<ClientConfig, ConfigError> {
    // Load the extra roots even when insecure, so that a bad file is reported either way.
    let mut roots = platform_roots().clone();
    let platform_has_roots = !roots.is_empty();
    for ca in extra {
        for certificate in ca.load()? {
            roots
                .add(certificate)
                .map_err(|_| ca.invalid("holds a certificate that cannot be a trust anchor"))?;
        }
    }
    if !platform_has_roots && extra.is_empty() {
        // A container without a CA store: Mozilla's roots, which the AWS CLI trusts by
        // default anyway (certifi).
        tracing::warn!(
            "no trusted root certificates found on this system; using the Mozilla roots built into webpki-roots"
        );
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    // `ring`, not the process default: aws-lc-rs needs a C build that doubles compile time,
    // and a process-wide default is not a library's to choose.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = provider.signature_verification_algorithms;
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        // rustls refuses only a provider without cipher suites for those versions.
        .expect("ring's default provider supports TLS 1.2 and 1.3");
    let mut config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(algorithms)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
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

    #[test]
    fn a_missing_bundle_is_a_config_error_naming_the_file() {
        let extra = ExtraCa::File {
            path: "/nonexistent/corp-ca.pem".into(),
            from_env: true,
        };
        let error = config(&[extra], false).unwrap_err();
        assert!(
            matches!(error, ConfigError::ReadCaBundle { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle \"/nonexistent/corp-ca.pem\" (from AWS_CA_BUNDLE)"
        );
    }

    #[test]
    fn bundles_without_usable_certificates_are_config_errors() {
        let pem = |text: &str| [ExtraCa::Pem(text.as_bytes().to_vec())];
        let error = config(&pem("not a certificate"), false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory holds no PEM certificate"
        );
        let broken = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let error = config(&pem(broken), false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given in memory is not valid PEM"
        );
        let garbage = "-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        let error = config(&pem(garbage), false).unwrap_err();
        assert!(
            error.to_string().ends_with("cannot be a trust anchor"),
            "{error}"
        );
        // A key next to the certificate is skipped.
        let with_key =
            format!("-----BEGIN PRIVATE KEY-----\naGVsbG8=\n-----END PRIVATE KEY-----\n{CA}");
        config(&pem(&with_key), false).unwrap();
    }

    #[test]
    fn insecure_mode_needs_no_roots_and_still_speaks_http11() {
        let config = config(&[], true).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    }
}
