//! What the portal's requests share: the bearer-token header and the percent-encoded query.

use http::header::{self, HeaderName};
use http::{HeaderValue, Uri};

use crate::error::BuildError;
use crate::operation::Operation;
use crate::portal::Endpoint;
use crate::request::{USER_AGENT, required};
use crate::secret::Secret;

/// The header the model puts the access token in (`accessToken`, `location: header`): never the
/// URL, which proxies and servers log.
pub(crate) const BEARER_TOKEN: HeaderName = HeaderName::from_static("x-amz-sso_bearer_token");

/// The access token as a header value, marked sensitive: set, not blank, and free of the
/// control characters a header cannot hold.
pub(crate) fn access_token(value: Option<Secret>) -> Result<Secret<HeaderValue>, BuildError> {
    let token = required("accessToken", value)?;
    let mut header =
        HeaderValue::from_str(token.expose()).map_err(|_| BuildError::InvalidMember {
            member: "accessToken",
            reason: "it must not hold control characters",
        })?;
    header.set_sensitive(true);
    Ok(Secret::new(header))
}

/// `maxResults`: absent, or 1 to 100 as the model's `MaxResultType` says.
pub(crate) fn max_results(value: Option<u32>) -> Result<Option<u32>, BuildError> {
    match value {
        Some(n) if !(1..=100).contains(&n) => Err(BuildError::InvalidMember {
            member: "maxResults",
            reason: "it must be from 1 to 100",
        }),
        other => Ok(other),
    }
}

/// A portal request: the operation's method to its URL with `query` (names and values, the
/// absent ones left out), the access token in its header.
pub(crate) fn portal_request(
    endpoint: &Endpoint,
    operation: Operation,
    query: &[(&str, Option<&str>)],
    token: &Secret<HeaderValue>,
) -> http::Request<Vec<u8>> {
    // `Endpoint` holds a URL for every portal operation.
    let base = endpoint.uri(operation).expect("a portal operation");
    let mut target = base.to_string();
    let mut separator = '?';
    for (name, value) in query {
        if let Some(value) = value {
            target.push(separator);
            target.push_str(name);
            target.push('=');
            percent_encode(value, &mut target);
            separator = '&';
        }
    }
    let mut request = http::Request::new(Vec::new());
    *request.method_mut() = operation.method();
    // A valid URL with a query of unreserved characters, `%XX`, `=` and `&` is a valid URL.
    *request.uri_mut() = Uri::try_from(target).expect("a percent-encoded query is valid");
    let headers = request.headers_mut();
    headers.insert(BEARER_TOKEN, token.expose().clone());
    headers.insert(header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
    request
}

/// RFC 3986 percent-encoding of everything but the unreserved characters, as botocore's
/// `percent_encode` does for query values.
fn percent_encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        let mut out = String::new();
        percent_encode("a b/c?d=e&f+g~h.i_j-k%é", &mut out);
        assert_eq!(out, "a%20b%2Fc%3Fd%3De%26f%2Bg~h.i_j-k%25%C3%A9");
    }

    #[test]
    fn access_tokens_are_checked() {
        assert_eq!(
            access_token(None),
            Err(BuildError::MissingMember {
                member: "accessToken"
            })
        );
        assert_eq!(
            access_token(Some(Secret::from(" "))),
            Err(BuildError::BlankMember {
                member: "accessToken"
            })
        );
        let bad = access_token(Some(Secret::from("a\nb"))).unwrap_err();
        assert!(!bad.to_string().contains("a\nb"));
        assert!(
            access_token(Some(Secret::from("tok")))
                .unwrap()
                .expose()
                .is_sensitive()
        );
    }

    #[test]
    fn max_results_within_the_model() {
        assert_eq!(max_results(None), Ok(None));
        assert_eq!(max_results(Some(1)), Ok(Some(1)));
        assert_eq!(max_results(Some(100)), Ok(Some(100)));
        assert!(max_results(Some(0)).is_err());
        assert!(max_results(Some(101)).is_err());
    }
}
