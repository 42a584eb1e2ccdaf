//! TLS with rustls and the `ring` provider: the platform's roots plus an extra CA bundle, or,
//! only when asked, no verification at all.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::ConfigError;

/// Where extra trust anchors come from.
#[derive(Clone, Debug)]
pub(crate) enum ExtraRoots {
    /// A PEM file; `from_env` when `AWS_CA_BUNDLE` named it.
    File { path: PathBuf, from_env: bool },
    /// PEM in memory.
    Pem(Vec<u8>),
}

/// The TLS client configuration: HTTP/1.1 over TLS 1.2 or 1.3.
pub(crate) fn config(extra: &[ExtraRoots], insecure: bool) -> Result<ClientConfig, ConfigError> {
    // `ring`, not the process default: aws-lc-rs needs a C build that doubles compile time,
    // and a process-wide default is not a library's to choose.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::Tls {
            reason: e.to_string(),
        })?;
    let mut config = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(
                provider.signature_verification_algorithms,
            )))
            .with_no_client_auth()
    } else {
        builder
            .with_root_certificates(roots(extra)?)
            .with_no_client_auth()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The platform's roots and the extra ones.
fn roots(extra: &[ExtraRoots]) -> Result<RootCertStore, ConfigError> {
    let mut store = RootCertStore::empty();
    // The platform's store (on Linux the system bundle, or SSL_CERT_FILE / SSL_CERT_DIR): a
    // company's TLS-inspecting proxy CA is usually installed there. Certificates that do not
    // parse, or folders that cannot be read, are skipped as browsers skip them.
    let native = rustls_native_certs::load_native_certs();
    for error in &native.errors {
        tracing::debug!(%error, "could not load some of the platform's CA certificates");
    }
    let (added, ignored) = store.add_parsable_certificates(native.certs);
    tracing::debug!(added, ignored, "platform CA certificates loaded");
    for extra in extra {
        match extra {
            ExtraRoots::File { path, from_env } => {
                let pem =
                    std::fs::read(path).map_err(|source| ConfigError::CaBundleUnreadable {
                        path: path.clone(),
                        from_env_var: *from_env,
                        source,
                    })?;
                add_pem(&mut store, &pem, || file_origin(path, *from_env))?;
            }
            ExtraRoots::Pem(pem) => add_pem(&mut store, pem, || "given as PEM".to_owned())?,
        }
    }
    if store.is_empty() {
        tracing::warn!(
            "no trusted CA certificates: HTTPS endpoints will fail; install the platform's CA certificates or set AWS_CA_BUNDLE"
        );
    }
    Ok(store)
}

fn file_origin(path: &Path, from_env: bool) -> String {
    if from_env {
        format!("`{}` (named by AWS_CA_BUNDLE)", path.display())
    } else {
        format!("`{}`", path.display())
    }
}

/// Adds every certificate of a PEM bundle; a bundle with none, or with one that cannot be a
/// trust anchor, is an error: a bundle someone names on purpose must count.
fn add_pem(
    store: &mut RootCertStore,
    pem: &[u8],
    origin: impl Fn() -> String,
) -> Result<(), ConfigError> {
    let invalid = |reason: String| ConfigError::CaBundleInvalid {
        origin: origin(),
        reason,
    };
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| invalid(format!("not valid PEM ({e})")))?;
        store
            .add(cert)
            .map_err(|e| invalid(format!("certificate {} cannot be a CA ({e})", count + 1)))?;
        count += 1;
    }
    if count == 0 {
        return Err(invalid("it holds no PEM certificate".to_owned()));
    }
    Ok(())
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

    #[test]
    fn a_missing_bundle_is_a_config_error_naming_the_file() {
        let extra = ExtraRoots::File {
            path: "/nonexistent/corp-ca.pem".into(),
            from_env: true,
        };
        let error = config(&[extra], false).unwrap_err();
        assert!(
            matches!(error, ConfigError::CaBundleUnreadable { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "could not read the CA bundle `/nonexistent/corp-ca.pem` (named by AWS_CA_BUNDLE)"
        );
    }

    #[test]
    fn a_bundle_without_certificates_is_a_config_error() {
        let error = config(&[ExtraRoots::Pem(b"not a certificate".to_vec())], false).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the CA bundle given as PEM is not usable: it holds no PEM certificate"
        );
        let broken = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let error = config(&[ExtraRoots::Pem(broken.to_vec())], false).unwrap_err();
        assert!(
            matches!(error, ConfigError::CaBundleInvalid { .. }),
            "{error:?}"
        );
        let garbage = b"-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n";
        let error = config(&[ExtraRoots::Pem(garbage.to_vec())], false).unwrap_err();
        assert!(
            error.to_string().contains("certificate 1 cannot be a CA"),
            "{error}"
        );
    }

    #[test]
    fn insecure_mode_needs_no_roots_and_still_speaks_http11() {
        let config = config(&[], true).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
    }
}
