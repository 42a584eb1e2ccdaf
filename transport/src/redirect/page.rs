//! The pages the browser gets: small, self-contained HTML, and the whole HTTP response around
//! them.

use std::fmt::Write as _;

use http::StatusCode;

/// The longest failure message a page shows, in characters; the rest is cut.
const MAX_MESSAGE_CHARS: usize = 200;

/// What the browser is told about the redirect it brought back, once the flow has judged it:
/// the executor's `Redirect::respond` sends the page for it.
///
/// No page shows anything from the request: not the code, not the state, not an `error`
/// parameter. A [`Failed`](Self::Failed) message is the flow's own words, escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reply {
    /// The sign-in went through: "Signed in; you can close this tab and return to the
    /// terminal".
    SignedIn,
    /// The sign-in failed, for this short reason the flow gives (`access denied`, say). It
    /// must hold no secret; it is HTML-escaped and cut at 200 characters.
    Failed(String),
    /// This redirect is not the one the terminal waits for (its `state` differs: an old tab,
    /// or someone else's link), and the terminal goes on waiting for a valid one.
    Waiting,
    /// The terminal stopped waiting (the sign-in was cancelled or ended otherwise) before it
    /// judged this redirect: what a redirect dropped unanswered sends.
    Stopped,
}

impl Reply {
    /// The whole HTTP response for this reply: status line, headers and page.
    pub fn to_response(&self) -> Vec<u8> {
        match self {
            Self::SignedIn => response(
                StatusCode::OK,
                "Signed in",
                "Signed in. You can close this tab and return to the terminal.",
                false,
            ),
            Self::Failed(reason) => {
                let reason: String = reason.chars().take(MAX_MESSAGE_CHARS).collect();
                response(
                    StatusCode::OK,
                    "Sign-in failed",
                    &format!(
                        "The sign-in failed: {}. Return to the terminal for details.",
                        escape(&reason)
                    ),
                    false,
                )
            }
            Self::Waiting => response(
                StatusCode::OK,
                "Not this sign-in",
                "This response does not belong to the sign-in the terminal is waiting for \
                 (it may come from an older tab). The terminal is still waiting: open the \
                 link it shows.",
                false,
            ),
            Self::Stopped => response(
                StatusCode::OK,
                "Sign-in stopped",
                "The terminal stopped waiting for this sign-in. Return to the terminal.",
                false,
            ),
        }
    }
}

/// The answer to a request the listener does not hand to the flow: 404 for another path
/// (`/favicon.ico`), 200 for a `HEAD` of the callback, or the status of a refused head.
pub(crate) fn refusal(status: StatusCode, head_only: bool) -> Vec<u8> {
    let message = match status {
        StatusCode::NOT_FOUND => "Nothing here.",
        StatusCode::METHOD_NOT_ALLOWED => "Only GET is answered here.",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "The request is too large.",
        StatusCode::OK => "The terminal is waiting for the sign-in.",
        _ => "The request could not be read.",
    };
    let title = status.canonical_reason().unwrap_or("Error");
    response(status, title, message, head_only)
}

/// `message` is HTML already (escaped where it holds anything given).
fn response(status: StatusCode, title: &str, message: &str, head_only: bool) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;\
         padding:0 1em;line-height:1.5}}</style></head>\n\
         <body><h1>{title}</h1><p>{message}</p></body></html>\n"
    );
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let _ = write!(
        head,
        "Content-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\n\
         Cache-Control: no-store\r\n\
         Connection: close\r\n\
         Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         X-Content-Type-Options: nosniff\r\n\
         Referrer-Policy: no-referrer\r\n",
        page.len()
    );
    if status == StatusCode::METHOD_NOT_ALLOWED {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if !head_only {
        bytes.extend_from_slice(page.as_bytes());
    }
    bytes
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(bytes: &[u8]) -> (String, String) {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        (head.to_owned(), body.to_owned())
    }

    #[test]
    fn every_page_is_self_contained_and_says_its_length() {
        let replies = [
            Reply::SignedIn,
            Reply::Failed("access denied".into()),
            Reply::Waiting,
            Reply::Stopped,
        ];
        let refusals = [404, 405, 431, 400, 200].map(|s| StatusCode::from_u16(s).unwrap());
        let all = replies
            .iter()
            .map(Reply::to_response)
            .chain(refusals.iter().map(|&s| refusal(s, false)));
        for bytes in all {
            let (head, body) = split(&bytes);
            assert!(head.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"));
            assert!(head.contains("\r\nCache-Control: no-store\r\n"));
            assert!(head.contains("\r\nConnection: close\r\n"));
            assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())));
            for outside in ["<script", "src=", "href=", "http://", "https://", "url("] {
                assert!(!body.contains(outside), "{outside} in {body}");
            }
        }
    }

    #[test]
    fn statuses_and_wording() {
        let (head, body) = split(&Reply::SignedIn.to_response());
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(body.contains("You can close this tab and return to the terminal"));
        let (head, body) = split(&refusal(StatusCode::NOT_FOUND, false));
        assert!(head.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(body.contains("<title>Not Found</title>"));
        let (head, _) = split(&refusal(StatusCode::METHOD_NOT_ALLOWED, false));
        assert!(head.contains("\r\nAllow: GET, HEAD"));
        let (head, _) = split(&Reply::Waiting.to_response());
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
    }

    #[test]
    fn a_head_request_gets_the_headers_only() {
        let full = refusal(StatusCode::NOT_FOUND, false);
        let (head, body) = split(&full);
        let head_only = refusal(StatusCode::NOT_FOUND, true);
        assert_eq!(head_only, format!("{head}\r\n\r\n").into_bytes());
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
    }

    #[test]
    fn a_failure_message_is_escaped_and_cut() {
        let (_, body) = split(
            &Reply::Failed("<script>alert('x')</script> & \"more\"\r\n".into()).to_response(),
        );
        assert!(
            body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;")
        );
        assert!(!body.contains("<script"));
        let (_, body) = split(&Reply::Failed("é".repeat(500)).to_response());
        assert_eq!(body.matches('é').count(), MAX_MESSAGE_CHARS);
    }
}
