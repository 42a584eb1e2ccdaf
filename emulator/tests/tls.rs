//! The emulator over HTTPS with a test CA: a client trusting the CA gets answers; one that
//! does not is refused at the handshake, and the emulator carries on.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject};
use sso_oidc_emulator::{BlockingEmulator, Config, TestCa, TlsIdentity};

/// POSTs a registration over TLS trusting `roots`; the raw response, or rustls's error.
fn register(
    emulator: &BlockingEmulator,
    roots: &[CertificateDer<'static>],
) -> Result<String, String> {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add(root.clone()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(store)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let connection = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let mut stream =
        rustls::StreamOwned::new(connection, TcpStream::connect(emulator.addr()).unwrap());
    let body = r#"{"clientName":"tls","clientType":"public"}"#;
    let request = format!(
        "POST /client/register HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = String::new();
    match stream.read_to_string(&mut response) {
        Ok(_) => Ok(response),
        // The emulator closes without close_notify after `connection: close`.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !response.is_empty() => {
            Ok(response)
        }
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn a_client_that_trusts_the_test_ca_is_answered_and_one_that_does_not_is_refused() {
    let ca = TestCa::generate().unwrap();
    let emulator = BlockingEmulator::start_tls(Config::default(), &ca.identity()).unwrap();
    assert!(
        emulator.url().starts_with("https://127.0.0.1:"),
        "{}",
        emulator.url()
    );

    let root = CertificateDer::from_pem_slice(ca.ca_pem().as_bytes()).unwrap();
    let answer = register(&emulator, &[root]).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("clientSecret"));

    let other = TestCa::generate().unwrap();
    let other_root = CertificateDer::from_pem_slice(other.ca_pem().as_bytes()).unwrap();
    let refused = register(&emulator, &[other_root]).unwrap_err();
    assert!(
        refused.contains("UnknownIssuer") || refused.contains("invalid peer certificate"),
        "{refused}"
    );

    // The refused handshake did not stop it.
    let root = CertificateDer::from_pem_slice(ca.ca_pem().as_bytes()).unwrap();
    assert!(
        register(&emulator, &[root])
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
    assert_eq!(emulator.log().len(), 2);
}

#[test]
fn a_bad_identity_is_a_clear_error_and_debug_hides_the_key() {
    let identity =
        TlsIdentity::from_pem("not a certificate", "-----BEGIN PRIVATE KEY-----\nsecret\n");
    let error = BlockingEmulator::start_tls(Config::default(), &identity).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("no certificate"), "{error}");
    assert!(!format!("{identity:?}").contains("secret"));
    let ca = TestCa::generate().unwrap();
    assert!(!format!("{:?}", ca.identity()).contains("PRIVATE KEY"));
}
