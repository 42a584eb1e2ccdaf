//! What every request shares: the HTTP envelope, and checks on the members a caller sets.

use http::HeaderValue;
use http::header::{self, CONTENT_TYPE};
use serde::Serialize;

use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::operation::Operation;
use crate::secret::Secret;

/// The `user-agent` header this crate sends: its name and version, e.g. `sso-oidc/0.1.0`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// `POST` of a JSON body to an operation's URL, as the model's `rest-json` protocol has it.
/// `capacity` is the body's expected length (see [`json_capacity`]), so that it is written
/// into one allocation.
pub(crate) fn post_json(
    endpoint: &Endpoint,
    operation: Operation,
    body: &impl Serialize,
    capacity: usize,
) -> http::Request<Vec<u8>> {
    // Bodies are structs of strings and lists of strings: serde_json fails only on a map with
    // non-string keys or a failing `Serialize` impl, and there are neither.
    let mut buffer = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut buffer, body).expect("a struct of strings always serializes");
    let mut request = http::Request::new(buffer);
    *request.method_mut() = operation.method();
    *request.uri_mut() = endpoint.uri(operation).clone();
    let headers = request.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
    request
}

/// The length of a JSON object whose string values are `values` (escapes aside): the values,
/// and for each member its quoted name (at most 24 bytes in this service's requests), quotes,
/// colon and comma.
pub(crate) fn json_capacity<'a>(values: impl IntoIterator<Item = &'a str>) -> usize {
    values.into_iter().map(|v| v.len() + 32).sum::<usize>() + 2
}

/// A member value that can be blank: a string, or a secret string.
pub(crate) trait Member {
    /// `true` when the value is empty or only white space.
    fn is_blank(&self) -> bool;
}

impl Member for String {
    fn is_blank(&self) -> bool {
        self.trim().is_empty()
    }
}

impl Member for Secret {
    fn is_blank(&self) -> bool {
        self.expose().is_blank()
    }
}

/// A member the model requires: set, and not blank.
pub(crate) fn required<T: Member>(member: &'static str, value: Option<T>) -> Result<T, BuildError> {
    let value = value.ok_or(BuildError::MissingMember { member })?;
    if value.is_blank() {
        return Err(BuildError::BlankMember { member });
    }
    Ok(value)
}

/// An optional member: absent, or not blank.
pub(crate) fn optional<T: Member>(
    member: &'static str,
    value: Option<T>,
) -> Result<Option<T>, BuildError> {
    match value {
        Some(v) if v.is_blank() => Err(BuildError::BlankMember { member }),
        other => Ok(other),
    }
}

/// An optional list: absent, or a list (possibly empty) with no blank entry.
pub(crate) fn list(
    member: &'static str,
    value: Option<Vec<String>>,
) -> Result<Option<Vec<String>>, BuildError> {
    if value.iter().flatten().any(Member::is_blank) {
        return Err(BuildError::BlankMember { member });
    }
    Ok(value)
}

/// An absolute `http` or `https` URL with a host. Only the form is checked: the service decides
/// the rest, and the value is kept exactly as given (it names the token cache file).
pub(crate) fn http_url(member: &'static str, value: &str) -> Result<(), BuildError> {
    let invalid = BuildError::InvalidMember {
        member,
        reason: "it must be an http:// or https:// URL with a host",
    };
    let scheme = |prefix: &str| {
        value
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    // An ASCII prefix ends on a character boundary, so slicing after it is safe.
    let rest = if scheme("https://") {
        &value[8..]
    } else if scheme("http://") {
        &value[7..]
    } else {
        return Err(invalid);
    };
    let host_end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    if !is_authority(&rest[..host_end]) || has_space_or_control(value) {
        return Err(invalid);
    }
    Ok(())
}

/// Whether a URL's authority (`user@host:port`) has a host: a name, or an IPv6 address in
/// whole brackets (`http://[::1` has none), and a port of digits if any.
fn is_authority(authority: &str) -> bool {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        match bracketed.split_once(']') {
            Some((address, rest)) if !address.is_empty() && !address.contains('[') => {
                match rest.strip_prefix(':') {
                    Some(port) => (address, Some(port)),
                    None if rest.is_empty() => (address, None),
                    None => return false,
                }
            }
            _ => return false,
        }
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    !host.is_empty()
        && !host.contains(['[', ']'])
        && port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `value` holds white space or a control character. Checked byte by byte while the
/// text is ASCII (where both are the bytes up to space, and DEL), by character otherwise.
fn has_space_or_control(value: &str) -> bool {
    if value.is_ascii() {
        value.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        value.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// Builder setters, each with its own doc comment:
/// - `set name: Type;` sets member `name` to `Some(value.into())`;
/// - `push name => list;` adds one entry to the optional `list`;
/// - `list name => list;` replaces the whole `list`.
macro_rules! setters {
    () => {};
    ($(#[$doc:meta])* set $name:ident: $ty:ty; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(mut self, $name: impl Into<$ty>) -> Self {
            self.$name = Some($name.into());
            self
        }
        $crate::request::setters!($($rest)*);
    };
    ($(#[$doc:meta])* push $name:ident => $list:ident; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name(mut self, $name: impl Into<String>) -> Self {
            self.$list.get_or_insert_with(Vec::new).push($name.into());
            self
        }
        $crate::request::setters!($($rest)*);
    };
    ($(#[$doc:meta])* list $name:ident => $list:ident; $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $name<I: IntoIterator<Item = S>, S: Into<String>>(mut self, $name: I) -> Self {
            self.$list = Some($name.into_iter().map(Into::into).collect());
            self
        }
        $crate::request::setters!($($rest)*);
    };
}
pub(crate) use setters;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls() {
        for good in [
            "https://d-1234567890.awsapps.com/start",
            "https://my-portal.awsapps.com/start/#/",
            "HTTP://127.0.0.1:8080",
            "https://host",
            "http://[::1]:8080/start",
            "http://[::1]",
            "https://user@host:443/x",
            "https://host:/x",
        ] {
            assert_eq!(http_url("startUrl", good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "d-123.awsapps.com/start",
            "ftp://host/",
            "https://",
            "https:///path",
            "https://host/a b",
            "https://host/\n",
            "é",
            "httpsé://x",
            "http://[::1",
            "http://[::1/start",
            "http://[]:80",
            "http://[::1]x",
            "http://host]/",
            "http://host:80a/",
            "https://user@/x",
        ] {
            assert!(
                matches!(
                    http_url("startUrl", bad),
                    Err(BuildError::InvalidMember {
                        member: "startUrl",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn blank_and_missing_members_are_named() {
        assert_eq!(
            required::<String>("clientId", None),
            Err(BuildError::MissingMember { member: "clientId" })
        );
        assert_eq!(
            required("clientId", Some(String::from(" \t"))),
            Err(BuildError::BlankMember { member: "clientId" })
        );
        assert_eq!(
            required("clientSecret", Some(Secret::from(""))),
            Err(BuildError::BlankMember {
                member: "clientSecret"
            })
        );
        assert_eq!(
            list("scopes", Some(vec!["a".into(), "".into()])),
            Err(BuildError::BlankMember { member: "scopes" })
        );
        assert_eq!(list("scopes", Some(vec![])), Ok(Some(vec![])));
        assert_eq!(optional::<String>("issuerUrl", None), Ok(None));
        assert_eq!(
            required("x", Some(Secret::from(" x "))),
            Ok(Secret::from(" x "))
        );
        assert_eq!(
            optional("codeVerifier", Some(Secret::from(" "))),
            Err(BuildError::BlankMember {
                member: "codeVerifier"
            })
        );
    }
}
