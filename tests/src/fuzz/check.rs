//! Invariants every error and every printed value must keep, whatever the input.

use std::fmt::{Debug, Display};

use sso_oidc::{Error, ErrorCode, ParseError, ServiceError};

use crate::fuzz::input::MARKER;

/// The longest `Display` of an error, in bytes: an operation, a code, a description of at most
/// 1 KiB, the status, a request id and a body excerpt of at most 256 bytes fit well within it.
pub(crate) const MAX_DISPLAY: usize = 2048;

/// The longest `Debug` of an error, in bytes (`Debug` escapes what `Display` prints as is).
pub(crate) const MAX_DEBUG: usize = 8192;

/// The longest body excerpt an error carries, in bytes.
pub(crate) const MAX_EXCERPT: usize = 256;

/// The longest header value an error carries (content type, request id), in bytes.
pub(crate) const MAX_HEADER: usize = 128;

/// The longest text kept from an error body (description, reason, OAuth code), in bytes.
pub(crate) const MAX_TEXT: usize = 1024;

/// The longest error code name kept, in bytes: the model's longest is 30.
pub(crate) const MAX_CODE: usize = 256;

/// `text` has no secret marker (when the input did not hold one itself).
pub(crate) fn no_marker(what: &str, text: &str, check_secrets: bool) {
    if check_secrets {
        assert!(!text.contains(MARKER), "{what} leaks a secret: {text}");
    }
}

/// `text` is short, trimmed, and has no control character (which could move a terminal's
/// cursor or forge log lines).
pub(crate) fn clean(what: &str, text: &str, max: usize) {
    assert!(
        text.len() <= max,
        "{what} is {} bytes, over {max}: {text:?}",
        text.len()
    );
    assert!(
        !text.chars().any(char::is_control),
        "{what} has a control character: {text:?}"
    );
}

/// `text` is [`clean`], non-empty and has no white space at either end.
pub(crate) fn clean_trimmed(what: &str, text: &str, max: usize) {
    clean(what, text, max);
    assert!(
        !text.is_empty() && text.trim() == text,
        "{what} is blank or not trimmed: {text:?}"
    );
}

/// `Display` and `Debug` of `value` are short and hold no secret; `Display` has no control
/// character.
pub(crate) fn printed<T: Display + Debug>(what: &str, value: &T, check_secrets: bool) {
    let display = value.to_string();
    let debug = format!("{value:?}");
    clean(what, &display, MAX_DISPLAY);
    assert!(
        debug.len() <= MAX_DEBUG,
        "{what}: Debug is {} bytes: {debug}",
        debug.len()
    );
    no_marker(what, &display, check_secrets);
    no_marker(what, &debug, check_secrets);
}

/// What an [`ErrorCode`] promises: a modelled code round-trips through its names and has a
/// status; any other has a short, printable name that is not a modelled one.
pub(crate) fn error_code(code: &ErrorCode) {
    match code {
        ErrorCode::Other(name) => {
            clean_trimmed("ErrorCode::Other", name, MAX_CODE);
            assert!(
                !ErrorCode::MODELED.iter().any(|m| m.shape_name() == name),
                "a modelled shape name read as Other: {name}"
            );
            assert_eq!(code.oauth_error(), None);
            assert_eq!(code.http_status(), None);
        }
        modeled => {
            assert!(ErrorCode::MODELED.contains(modeled), "{modeled:?}");
            assert_eq!(&ErrorCode::from_shape_name(modeled.shape_name()), modeled);
            assert!(modeled.oauth_error().is_some() && modeled.http_status().is_some());
        }
    }
    clean("ErrorCode Display", &code.to_string(), MAX_CODE);
}

/// What a [`ServiceError`] promises.
pub(crate) fn service_error(error: &ServiceError, check_secrets: bool) {
    assert!(
        !error.status().is_success(),
        "a {} response is a service error",
        error.status()
    );
    error_code(error.code());
    for (what, text) in [
        ("error", error.error()),
        ("error_description", error.error_description()),
        ("reason", error.reason()),
    ] {
        if let Some(text) = text {
            clean_trimmed(what, text, MAX_TEXT);
        }
    }
    if let Some(id) = error.request_id() {
        clean_trimmed("request id", id, MAX_HEADER);
    }
    printed("ServiceError", error, check_secrets);
}

/// What a [`ParseError`] promises: a 2xx body is never quoted, any other only in a short,
/// printable excerpt.
pub(crate) fn parse_error(error: &ParseError, check_secrets: bool) {
    let success = error.status().is_success();
    assert_eq!(
        error.excerpt().is_some(),
        !success,
        "a {} response: excerpt {:?}",
        error.status(),
        error.excerpt()
    );
    if let Some(excerpt) = error.excerpt() {
        clean("excerpt", excerpt, MAX_EXCERPT);
        no_marker("excerpt", excerpt, check_secrets);
    }
    if let Some(content_type) = error.content_type() {
        clean_trimmed("content type", content_type, MAX_HEADER);
    }
    if let Some(id) = error.request_id() {
        clean_trimmed("request id", id, MAX_HEADER);
    }
    printed("ParseError", error, check_secrets);
}

/// What any [`Error`] from a parser promises.
pub(crate) fn error(error: &Error, check_secrets: bool) {
    match error {
        Error::Service(e) => {
            service_error(e, check_secrets);
            assert_eq!(error.code(), Some(e.code()));
            assert_eq!(error.request_id(), e.request_id());
            assert_eq!(error.status(), Some(e.status()));
        }
        Error::Parse(e) => {
            parse_error(e, check_secrets);
            assert_eq!(error.code(), None);
            assert_eq!(error.request_id(), e.request_id());
            assert_eq!(error.status(), Some(e.status()));
        }
        other => panic!("a parser returned {other:?}"),
    }
    printed("Error", error, check_secrets);
}
