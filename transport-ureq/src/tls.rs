//! Which servers to trust: the platform's root certificates, plus any extra CA bundle.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

use crate::error::ConfigError;

/// Extra trusted roots, in PEM: a file, or bytes.
#[derive(Clone)]
pub(crate) enum ExtraCa {
    File { path: PathBuf, from_env: bool },
    Pem(Vec<u8>),
}

impl ExtraCa {
    /// The certificates it holds.
    fn load(&self) -> Result<Vec<Certificate<'static>>, ConfigError> {
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
}

/// The certificates in a PEM bundle; private keys and other blocks are skipped.
fn parse(pem: &[u8]) -> Result<Vec<Certificate<'static>>, &'static str> {
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(certificate)) => certificates.push(certificate),
            Ok(_) => {}
            Err(_) => return Err("is not valid PEM"),
        }
    }
    if certificates.is_empty() {
        return Err("holds no PEM certificate");
    }
    Ok(certificates)
}

/// The platform's trusted roots, read once per process: reading and parsing the store takes
/// milliseconds, and it does not change under a running program often enough to matter.
fn platform_roots() -> &'static Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::debug!(%error, "skipped part of the platform's certificate store");
        }
        Arc::new(
            found
                .certs
                .iter()
                .map(|der| Certificate::from_der(der).to_owned())
                .collect(),
        )
    })
}

/// The TLS settings: the platform's roots and the extra ones, or no verification at all.
pub(crate) fn config(extra: &[ExtraCa], insecure: bool) -> Result<TlsConfig, ConfigError> {
    // Load the extra roots even when insecure, so that a bad file is reported either way.
    let mut extra_roots = Vec::new();
    for ca in extra {
        extra_roots.extend(ca.load()?);
    }
    let platform = platform_roots();
    let roots = if platform.is_empty() && extra_roots.is_empty() {
        // A container without a CA store: Mozilla's roots, which ureq carries, are what the
        // AWS CLI trusts by default anyway (certifi).
        tracing::warn!(
            "no trusted root certificates found on this system; using the Mozilla roots built into ureq"
        );
        RootCerts::WebPki
    } else if extra_roots.is_empty() {
        RootCerts::Specific(Arc::clone(platform))
    } else {
        RootCerts::from(platform.iter().cloned().chain(extra_roots))
    };
    Ok(TlsConfig::builder()
        .root_certs(roots)
        .disable_verification(insecure)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed CA certificate (only its PEM structure matters here).
    const CA: &str = include_str!("../tests/data/test-ca.pem");

    #[test]
    fn a_bundle_needs_a_certificate() {
        assert_eq!(parse(CA.as_bytes()).map(|c| c.len()), Ok(1));
        let two = format!("{CA}\n{CA}");
        assert_eq!(parse(two.as_bytes()).map(|c| c.len()), Ok(2));
        assert_eq!(parse(b"").unwrap_err(), "holds no PEM certificate");
        assert_eq!(
            parse(b"just some text\n").unwrap_err(),
            "holds no PEM certificate"
        );
    }

    #[test]
    fn a_missing_file_names_itself() {
        let ca = ExtraCa::File {
            path: "/definitely/not/here/ca.pem".into(),
            from_env: false,
        };
        let error = config(&[ca], false).unwrap_err();
        assert!(matches!(error, ConfigError::ReadCaBundle { .. }));
        assert!(
            error.to_string().contains("/definitely/not/here/ca.pem"),
            "{error}"
        );
    }

    #[test]
    fn memory_pem_is_checked_too() {
        let error = config(&[ExtraCa::Pem(b"nope".to_vec())], true).unwrap_err();
        assert!(matches!(
            error,
            ConfigError::InvalidCaBundle { path: None, .. }
        ));
        assert!(config(&[ExtraCa::Pem(CA.as_bytes().to_vec())], false).is_ok());
    }
}
