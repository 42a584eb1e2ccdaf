//! What every parser shares: the size cap, the error path, and JSON decoding that names the
//! member that failed without ever repeating a value from the body.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::CONTENT_TYPE;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use serde_path_to_error::Segment;

use crate::error::{Error, ParseError, ParseErrorKind, classify, request_id};
use crate::operation::Operation;
use crate::secret::{Secret, redact_head};
use crate::text;

/// The largest response body a parser accepts, in bytes (1 MiB). Transports read at most this
/// much (and one byte more, to tell that a body is too long) and parsers refuse longer bodies
/// without parsing them. Real responses are under 4 KiB.
pub const MAX_RESPONSE_BODY: usize = 1 << 20;

/// The longest body excerpt an error carries, in bytes.
const MAX_EXCERPT: usize = 256;

/// A response being parsed for one operation.
pub(crate) struct Received<'a> {
    operation: Operation,
    status: StatusCode,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl<'a> Received<'a> {
    pub(crate) fn new<B: AsRef<[u8]>>(
        operation: Operation,
        response: &'a http::Response<B>,
    ) -> Self {
        Self {
            operation,
            status: response.status(),
            headers: response.headers(),
            body: response.body().as_ref(),
        }
    }

    /// A [`ParseError`] for this response. Only a non-2xx body is quoted: a 2xx body holds
    /// tokens. Secret members lose their values even there: a proxy or gateway may echo the
    /// request it refused, client secret and device code included.
    pub(crate) fn error(&self, kind: ParseErrorKind) -> Error {
        let excerpt = (!self.status.is_success())
            .then(|| text::excerpt(&redact_head(self.body, MAX_EXCERPT), MAX_EXCERPT));
        let content_type = text::header(self.headers, &CONTENT_TYPE);
        Error::Parse(ParseError::new(
            self.operation,
            kind,
            self.status,
            content_type,
            excerpt,
            request_id(self.headers),
        ))
    }

    /// The body of a 2xx response decoded as `T`, a wire struct whose members are listed in
    /// `members` (so a failing member is named by its model name). Any other status is the
    /// service's error, or a [`ParseErrorKind::UnrecognizedError`] when it names no code.
    pub(crate) fn json<T: DeserializeOwned>(&self, members: &[&'static str]) -> Result<T, Error> {
        self.success()?;
        match self.body.iter().find(|b| !b.is_ascii_whitespace()) {
            None => return Err(self.error(ParseErrorKind::Empty)),
            // serde accepts a JSON array for a struct, member by position: only an object will do.
            Some(b'{') => {}
            Some(_) => return Err(self.error(ParseErrorKind::UnexpectedShape)),
        }
        // One UTF-8 check of the whole body spares serde_json one per string; a body that is
        // not UTF-8 is not JSON either, and fails below as it would have.
        let decoded = match std::str::from_utf8(self.body) {
            Ok(text) => decode(serde_json::Deserializer::from_str(text)),
            Err(_) => decode(serde_json::Deserializer::from_slice(self.body)),
        };
        // Tracking the path costs an allocation per member, so it is done only to describe a
        // failure: the second pass fails where the first did.
        decoded.map_err(|e| match e {
            Decode::Value => self.error(self.json_failure::<T>(members)),
            Decode::Trailing(e) => self.error(ParseErrorKind::MalformedJson {
                line: e.line(),
                column: e.column(),
            }),
        })
    }

    /// `Ok` for a 2xx response of at most [`MAX_RESPONSE_BODY`] bytes, whose body is left
    /// unread (an operation without output, such as the portal's `Logout`). Any other status is
    /// the service's error, or a [`ParseErrorKind::UnrecognizedError`] when it names no code.
    pub(crate) fn success(&self) -> Result<(), Error> {
        if self.body.len() > MAX_RESPONSE_BODY {
            return Err(self.error(ParseErrorKind::TooLarge {
                limit: MAX_RESPONSE_BODY,
                len: self.body.len(),
            }));
        }
        if !self.status.is_success() {
            return Err(
                match classify(self.operation, self.status, self.headers, self.body) {
                    Some(service) => Error::Service(service),
                    None => self.error(ParseErrorKind::UnrecognizedError),
                },
            );
        }
        Ok(())
    }

    /// What made the body fail to decode as `T`, named by the path to the failing member.
    fn json_failure<T: DeserializeOwned>(&self, members: &[&'static str]) -> ParseErrorKind {
        let mut de = serde_json::Deserializer::from_slice(self.body);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => json_error_kind(e.path(), e.inner(), members),
            // Not reached: both passes read the same bytes the same way.
            Ok(_) => ParseErrorKind::UnexpectedShape,
        }
    }

    /// A member the output needs, present and not empty.
    pub(crate) fn required(
        &self,
        member: &'static str,
        value: Option<String>,
    ) -> Result<String, Error> {
        match value {
            None => Err(self.error(ParseErrorKind::MissingMember { member })),
            Some(v) if v.is_empty() => Err(self.error(ParseErrorKind::InvalidMember {
                member,
                reason: "is empty",
            })),
            Some(v) => Ok(v),
        }
    }

    /// A secret member the output needs, present and not empty.
    pub(crate) fn required_secret(
        &self,
        member: &'static str,
        value: Option<String>,
    ) -> Result<Secret, Error> {
        self.required(member, value).map(Secret::new)
    }

    /// A number of seconds the output needs.
    pub(crate) fn seconds(
        &self,
        member: &'static str,
        value: Option<u64>,
    ) -> Result<Duration, Error> {
        value
            .map(Duration::from_secs)
            .ok_or_else(|| self.error(ParseErrorKind::MissingMember { member }))
    }

    /// Seconds since the Unix epoch, as an instant; `0` and absence both give `None` (RFC 7591
    /// 3.2.1: `client_secret_expires_at` of 0 means it does not expire).
    pub(crate) fn epoch(
        &self,
        member: &'static str,
        value: Option<u64>,
    ) -> Result<Option<SystemTime>, Error> {
        match value {
            None | Some(0) => Ok(None),
            Some(secs) => UNIX_EPOCH
                .checked_add(Duration::from_secs(secs))
                .map(Some)
                .ok_or_else(|| {
                    self.error(ParseErrorKind::InvalidMember {
                        member,
                        reason: "is not a time this system can represent",
                    })
                }),
        }
    }
}

/// How decoding a body failed.
enum Decode {
    /// The value itself: its description needs the failing member's path.
    Value,
    /// Something other than white space after the value.
    Trailing(serde_json::Error),
}

/// The one value in the deserializer's input, and nothing after it but white space.
fn decode<'de, R: serde_json::de::Read<'de>, T: DeserializeOwned>(
    mut de: serde_json::Deserializer<R>,
) -> Result<T, Decode> {
    let value = T::deserialize(&mut de).map_err(|_| Decode::Value)?;
    de.end().map_err(Decode::Trailing)?;
    Ok(value)
}

/// Says what failed using only the error's category, position and path: serde_json's own
/// message quotes the offending value, which may be a token.
fn json_error_kind(
    path: &serde_path_to_error::Path,
    error: &serde_json::Error,
    members: &[&'static str],
) -> ParseErrorKind {
    match error.classify() {
        Category::Eof => ParseErrorKind::Truncated,
        Category::Syntax | Category::Io => ParseErrorKind::MalformedJson {
            line: error.line(),
            column: error.column(),
        },
        Category::Data => {
            let member = match path.iter().next() {
                Some(Segment::Map { key }) => members.iter().find(|m| **m == key),
                _ => None,
            };
            match member {
                Some(member) => ParseErrorKind::InvalidMember {
                    member,
                    reason: "has a value of the wrong type or range",
                },
                None => ParseErrorKind::UnexpectedShape,
            }
        }
    }
}
