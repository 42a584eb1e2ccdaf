//! What the authorization-code sign-in needs beyond the flow: its error, and random bytes.

use std::io;

use sso_oidc::{AUTH_CODE_RANDOM_BYTES, FlowError};

use crate::redirect::{BindError, WaitError};

/// How an authorization-code sign-in (`auth_code_login` in both transports) ended without a
/// token.
///
/// The device flow's `device_login` returns the core's [`FlowError`] alone: the whole sign-in
/// is the flow. This one also listens on a socket and draws random numbers, and those can fail
/// before or outside the flow; [`FlowError`] is the core's (`Clone`, `Eq`, no I/O in it), so
/// these failures get a variant of their own here instead of one there.
/// [`Flow`](Self::Flow) holds every outcome the flow decides (denied, expired, refused in the
/// browser, cancelled, a service or transport error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoginError {
    /// The flow ended without a token.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The redirect listener could not listen: a fixed port taken
    /// ([`BindError::InUse`]), or the system refused. Nothing was sent.
    #[error(transparent)]
    Bind(#[from] BindError),
    /// The redirect listener failed while it waited for the browser
    /// ([`WaitError::Accept`]).
    #[error(transparent)]
    Listener(WaitError),
    /// The system gave no random numbers for the PKCE verifier and `state`. Nothing was sent.
    #[error("the system gave no random numbers for the sign-in")]
    Random(#[source] io::Error),
}

impl LoginError {
    /// The flow's error, when the flow ended the sign-in.
    pub fn flow_error(&self) -> Option<&FlowError> {
        match self {
            Self::Flow(error) => Some(error),
            _ => None,
        }
    }
}

/// Fresh random bytes from the operating system for
/// [`AuthCodeFlow::new`](sso_oidc::AuthCodeFlow::new): the PKCE verifier and the `state`.
/// The core draws none itself.
///
/// # Errors
/// [`LoginError::Random`] when the system's source fails (very rare: no `getrandom(2)` and no
/// `/dev/urandom`).
pub fn auth_code_random() -> Result<[u8; AUTH_CODE_RANDOM_BYTES], LoginError> {
    let mut bytes = [0; AUTH_CODE_RANDOM_BYTES];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        LoginError::Random(match e.raw_os_error() {
            Some(code) => io::Error::from_raw_os_error(code),
            None => io::Error::other(e.to_string()),
        })
    })?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_differ_between_sign_ins() {
        let (a, b) = (auth_code_random().unwrap(), auth_code_random().unwrap());
        assert_ne!(a, b);
        assert_ne!(a, [0; AUTH_CODE_RANDOM_BYTES]);
    }

    #[test]
    fn errors_read_as_their_cause() {
        let error = LoginError::from(FlowError::Cancelled);
        assert_eq!(error.to_string(), "the sign-in was cancelled");
        assert_eq!(error.flow_error(), Some(&FlowError::Cancelled));
        let error = LoginError::from(BindError::from_io(8400, io::ErrorKind::AddrInUse.into()));
        assert!(
            error
                .to_string()
                .starts_with("port 8400 on 127.0.0.1 is already in use")
        );
        assert_eq!(error.flow_error(), None);
    }
}
