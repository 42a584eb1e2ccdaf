//! The request target the browser was redirected to, read into its OAuth parameters.

use std::fmt;

use crate::secret::Secret;

/// The longest request target [`Redirect::parse`] reads; a longer one is refused before it is
/// looked at.
pub const MAX_REDIRECT_TARGET: usize = 8 * 1024;

/// The OAuth parameters of a redirect to the loopback listener (RFC 6749 section 4.1.2):
/// `code` and `state`, or `error`, `error_description` and `state`.
///
/// A listener can use it to pick the page it answers with; [`AuthCodeFlow::handle_redirect`]
/// reads the target itself.
///
/// [`AuthCodeFlow::handle_redirect`]: crate::AuthCodeFlow::handle_redirect
///
/// ```
/// use sso_oidc::Redirect;
///
/// let redirect = Redirect::parse("/oauth/callback?code=c%2B1&state=s")?;
/// assert_eq!(redirect.path, "/oauth/callback");
/// assert_eq!(redirect.code.as_ref().map(|c| c.expose().as_str()), Some("c+1"));
/// assert_eq!(redirect.state.as_deref(), Some("s"));
/// // The address a browser on another machine shows reads the same.
/// let pasted = Redirect::parse("http://127.0.0.1:4321/oauth/callback?error=access_denied&state=s")?;
/// assert_eq!(pasted.error.as_deref(), Some("access_denied"));
/// # Ok::<(), sso_oidc::RedirectError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Redirect {
    /// The path, as sent (not percent-decoded), e.g. `/oauth/callback`.
    pub path: String,
    /// The authorization code (`code`).
    pub code: Option<Secret>,
    /// The `state` the authorization request carried.
    pub state: Option<String>,
    /// Why the authorization was refused (`error`), e.g. `access_denied`.
    pub error: Option<String>,
    /// The service's words for it (`error_description`).
    pub error_description: Option<String>,
}

impl fmt::Debug for Redirect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redirect")
            .field("path", &self.path)
            .field("code", &self.code)
            .field("state", &self.state)
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .finish()
    }
}

/// Why a redirect was not taken. None of these ends a sign-in: the flow goes on waiting for
/// the redirect it asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedirectError {
    /// The request target is longer than [`MAX_REDIRECT_TARGET`].
    #[error("the redirect is {len} bytes long, more than the {MAX_REDIRECT_TARGET} read")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Neither a path (`/...`) nor an `http`/`https` URL.
    #[error("the redirect is neither a path nor an http URL")]
    NotATarget,
    /// A parameter holds a broken `%` escape or is not UTF-8 once decoded.
    #[error("a parameter of the redirect is not properly percent-encoded UTF-8")]
    BadEncoding,
    /// `code`, `state`, `error` or `error_description` came more than once: which one counts
    /// is ambiguous, so none does.
    #[error("the redirect holds `{parameter}` more than once")]
    Duplicate {
        /// The parameter.
        parameter: &'static str,
    },
    /// No `state`: the redirect cannot be tied to this sign-in.
    #[error("the redirect holds no state")]
    MissingState,
    /// The `state` is not this sign-in's: an old link, another sign-in's, or forged.
    #[error("the redirect's state is not this sign-in's")]
    StateMismatch,
    /// Neither `code` nor `error`.
    #[error("the redirect holds neither a code nor an error")]
    NoCode,
}

impl Redirect {
    /// Reads a request target (`/oauth/callback?code=...&state=...`, as an HTTP request line
    /// has it) or a whole `http://`/`https://` URL (as a browser's address bar has it). Query
    /// parameters are percent-decoded (`+` is a space, as in a form); unknown ones and a
    /// `#fragment` are ignored.
    ///
    /// # Errors
    /// [`RedirectError::TooLong`] over [`MAX_REDIRECT_TARGET`] bytes;
    /// [`RedirectError::NotATarget`], [`RedirectError::BadEncoding`], or
    /// [`RedirectError::Duplicate`] when one of the four OAuth parameters comes twice.
    pub fn parse(target: &str) -> Result<Self, RedirectError> {
        if target.len() > MAX_REDIRECT_TARGET {
            return Err(RedirectError::TooLong { len: target.len() });
        }
        let target = target.split_once('#').map_or(target, |(t, _)| t);
        let origin_form = match strip_http_scheme(target) {
            Some(rest) => {
                let end = rest.find(['/', '?']).unwrap_or(rest.len());
                &rest[end..]
            }
            None if target.starts_with('/') => target,
            None => return Err(RedirectError::NotATarget),
        };
        let (path, query) = origin_form.split_once('?').unwrap_or((origin_form, ""));
        let mut redirect = Self {
            path: if path.is_empty() { "/" } else { path }.to_owned(),
            code: None,
            state: None,
            error: None,
            error_description: None,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name)?;
            let (parameter, slot) = match name.as_str() {
                "state" => ("state", &mut redirect.state),
                "error" => ("error", &mut redirect.error),
                "error_description" => ("error_description", &mut redirect.error_description),
                "code" => {
                    if redirect.code.is_some() {
                        return Err(RedirectError::Duplicate { parameter: "code" });
                    }
                    redirect.code = Some(Secret::new(decode(value)?));
                    continue;
                }
                _ => continue,
            };
            if slot.is_some() {
                return Err(RedirectError::Duplicate { parameter });
            }
            *slot = Some(decode(value)?);
        }
        Ok(redirect)
    }
}

fn strip_http_scheme(target: &str) -> Option<&str> {
    ["http://", "https://"].iter().find_map(|scheme| {
        let head = target.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &target[scheme.len()..])
    })
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte.
fn decode(value: &str) -> Result<String, RedirectError> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(RedirectError::BadEncoding)?;
                let hex = std::str::from_utf8(hex).map_err(|_| RedirectError::BadEncoding)?;
                let byte = u8::from_str_radix(hex, 16).map_err(|_| RedirectError::BadEncoding)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(RedirectError::BadEncoding);
                }
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| RedirectError::BadEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_code_and_state() {
        let r = Redirect::parse("/oauth/callback?code=abc&state=xyz&extra=1#frag").unwrap();
        assert_eq!(r.path, "/oauth/callback");
        assert_eq!(r.code.unwrap().expose(), "abc");
        assert_eq!(r.state.as_deref(), Some("xyz"));
        assert_eq!(r.error, None);
    }

    #[test]
    fn reads_an_error() {
        let r = Redirect::parse(
            "/oauth/callback?error=access_denied&error_description=User+said+no%21&state=s",
        )
        .unwrap();
        assert_eq!(r.error.as_deref(), Some("access_denied"));
        assert_eq!(r.error_description.as_deref(), Some("User said no!"));
        assert!(r.code.is_none());
    }

    #[test]
    fn reads_a_pasted_url() {
        for url in [
            "HTTP://127.0.0.1:1234/oauth/callback?code=c&state=s",
            "https://localhost/oauth/callback?code=c&state=s",
        ] {
            let r = Redirect::parse(url).unwrap();
            assert_eq!(r.path, "/oauth/callback");
            assert_eq!(r.state.as_deref(), Some("s"));
        }
        let bare = Redirect::parse("http://127.0.0.1:1?state=s").unwrap();
        assert_eq!(bare.path, "/");
        assert_eq!(bare.state.as_deref(), Some("s"));
    }

    #[test]
    fn refuses_what_it_cannot_read_for_sure() {
        let long = format!("/?state={}", "a".repeat(MAX_REDIRECT_TARGET));
        assert!(matches!(
            Redirect::parse(&long),
            Err(RedirectError::TooLong { .. })
        ));
        assert_eq!(
            Redirect::parse("oauth/callback?code=c"),
            Err(RedirectError::NotATarget)
        );
        assert_eq!(
            Redirect::parse("/?code=a&code=b&state=s"),
            Err(RedirectError::Duplicate { parameter: "code" })
        );
        assert_eq!(
            Redirect::parse("/?state=a&st%61te=b"),
            Err(RedirectError::Duplicate { parameter: "state" })
        );
        for bad in [
            "/?state=%",
            "/?state=%4",
            "/?state=%zz",
            "/?state=%+1",
            "/?state=%ff",
        ] {
            assert_eq!(
                Redirect::parse(bad),
                Err(RedirectError::BadEncoding),
                "{bad}"
            );
        }
        assert_eq!(decode("%C3%A9").unwrap(), "é");
        assert!(!format!("{:?}", Redirect::parse("/?code=hunter2").unwrap()).contains("hunter2"));
    }
}
