//! Faults injected on purpose, and the reply a server sends for each request.

use std::time::Duration;

use sso_oidc::Operation;

/// Something that goes wrong on purpose, in place of the service's answer.
///
/// [`Fault::Delay`], [`Fault::Drip`] and [`Fault::TruncatedBody`] let the service handle the
/// request (a device code can be spent by a poll whose answer never arrives whole); every
/// other fault answers instead of the service, which then never sees the request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 500 `InternalServerException`, the service's own modelled error.
    InternalServerError,
    /// 503 `ServiceUnavailableException` from the front end, which the model does not list.
    ServiceUnavailable,
    /// 400 `ThrottlingException` with `{"message":"Rate exceeded"}`, as AWS front ends throttle;
    /// on an SSO portal operation, the portal's modelled 429 `TooManyRequestsException`.
    Throttling,
    /// `slow_down` to a CreateToken poll; the device code's interval grows by 5 s as the
    /// service's own `slow_down` does.
    SlowDown,
    /// 502 with an HTML page from a proxy in between.
    BadGatewayHtml,
    /// 200 with `content-type: application/json` and a body that is not JSON.
    MalformedJson,
    /// 200 with an empty body.
    EmptyBody,
    /// The service's answer with its full `Content-Length`, but only half the body; then the
    /// connection closes.
    TruncatedBody,
    /// 200 with a JSON body of this many bytes, made as it is sent (never held in memory).
    HugeBody(u64),
    /// The service's answer, this much later.
    Delay(Duration),
    /// The service's answer, its body sent one byte every this long: the head, with the full
    /// `Content-Length`, goes at once, then each byte after a pause of its own. A client that
    /// restarts its read timeout on every read waits for all of them.
    Drip(Duration),
    /// No answer: the connection stays open until the client gives up or the emulator stops.
    Hang,
    /// The connection closes without an answer.
    DropConnection,
}

impl Fault {
    /// This fault on `operation` only, an SSO OIDC or an SSO portal one.
    #[must_use]
    pub fn on(self, operation: Operation) -> Injection {
        Injection::from(self).on(operation)
    }

    /// This fault after `requests` requests have gone through.
    #[must_use]
    pub fn after(self, requests: u32) -> Injection {
        Injection::from(self).after(requests)
    }

    /// This fault `times` times.
    #[must_use]
    pub fn times(self, times: u32) -> Injection {
        Injection::from(self).times(times)
    }

    /// This fault once.
    #[must_use]
    pub fn once(self) -> Injection {
        self.times(1)
    }
}

/// A fault and the requests it hits: of the requests to the operation it names with
/// [`on`](Injection::on) (an SSO OIDC or an SSO portal one; any operation of either when none),
/// the first [`after`](Injection::after) go through and the next
/// [`times`](Injection::times) get the fault. Requests that are not for an operation (the
/// verification page) are never hit.
///
/// Each injection counts the requests it matches on its own, from when it was injected, so
/// `Fault::InternalServerError.on(Operation::CreateToken).after(2).once()` hits the third poll
/// whatever other injections do. When two injections would hit one request, the older wins.
///
/// ```
/// use sso_oidc::Operation;
/// use sso_oidc_emulator::{Fault, Injection};
///
/// // The second and third polls get a 500; everything else goes through.
/// let injection = Fault::InternalServerError.on(Operation::CreateToken).after(1).times(2);
/// // Every request, forever.
/// let always = Injection::from(Fault::ServiceUnavailable);
/// # let _ = (injection, always);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Injection {
    fault: Fault,
    operation: Option<Operation>,
    after: u32,
    times: Option<u32>,
    seen: u32,
}

impl From<Fault> for Injection {
    fn from(fault: Fault) -> Self {
        Self {
            fault,
            operation: None,
            after: 0,
            times: None,
            seen: 0,
        }
    }
}

impl Injection {
    /// Hits requests to `operation` only, an SSO OIDC or an SSO portal one.
    #[must_use]
    pub fn on(mut self, operation: Operation) -> Self {
        self.operation = Some(operation);
        self
    }

    /// Lets the first `requests` matching requests through.
    #[must_use]
    pub fn after(mut self, requests: u32) -> Self {
        self.after = requests;
        self
    }

    /// Hits `times` requests, then no more (without this, every request from then on).
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Hits one request.
    #[must_use]
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// The fault.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    /// Whether it can hit no more requests.
    pub fn is_spent(&self) -> bool {
        self.times
            .is_some_and(|times| self.seen >= self.after.saturating_add(times))
    }

    /// Counts a request to `operation`; the fault if it hits this one.
    pub(crate) fn count(&mut self, operation: Operation) -> Option<&Fault> {
        if self.operation.is_some_and(|o| o != operation) || self.is_spent() {
            return None;
        }
        self.seen = self.seen.saturating_add(1);
        (self.seen > self.after).then_some(&self.fault)
    }
}

/// What a server sends for one request: [`Service::reply`](crate::Service::reply)'s answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reply {
    /// Send this response, `after` a delay (zero for none).
    Send {
        /// The response; its headers are complete, `Content-Length` included when the body is
        /// cut short, made on the fly or dripped.
        response: http::Response<ReplyBody>,
        /// How long to wait first.
        after: Duration,
    },
    /// Never answer; keep the connection open until the client gives up or the server stops.
    Hang,
    /// Close the connection without answering.
    Drop,
    /// Do what a browser does with a redirect, then answer with a short page: wait `after`,
    /// then send a `GET` to `location`, a loopback `http` URI (anything else is refused). A
    /// scripted decision on an authorization request ([`Config::auto_authorization`]) asks
    /// for this, so that a program that only opens the authorization URL gets its redirect.
    ///
    /// [`Config::auto_authorization`]: crate::Config::auto_authorization
    Follow {
        /// The redirect URI with `code` and `state` (or `error`) in its query.
        location: String,
        /// How long to wait first.
        after: Duration,
    },
}

/// The body of a [`Reply::Send`].
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyBody {
    /// These bytes.
    Full(Vec<u8>),
    /// These bytes, then the connection closes, short of the `Content-Length` promised.
    Truncated(Vec<u8>),
    /// `{"padding":"xxx…"}`, this many bytes in all, made as it is sent.
    Padding(u64),
    /// These bytes one at a time, each `every` after the one before (the first `every` after
    /// the head): the whole body arrives no sooner than `bytes.len() * every` after the head.
    Drip {
        /// The body.
        bytes: Vec<u8>,
        /// The pause before each byte.
        every: Duration,
    },
}

impl ReplyBody {
    /// The bytes of a [`ReplyBody::Padding`] of `len` bytes from `offset` on, at most `max`
    /// of them: what a server streams. Empty at the end.
    pub fn padding_chunk(len: u64, offset: u64, max: usize) -> Vec<u8> {
        const HEAD: &[u8] = br#"{"padding":""#;
        const TAIL: &[u8] = br#""}"#;
        let end = len.min(offset.saturating_add(max as u64));
        if end <= offset {
            return Vec::new();
        }
        let mut chunk = vec![b'x'; (end - offset) as usize];
        let tail_start = len.saturating_sub(TAIL.len() as u64);
        let fixed = HEAD
            .iter()
            .enumerate()
            .map(|(i, &byte)| (i as u64, byte))
            .chain(
                TAIL.iter()
                    .enumerate()
                    .map(|(i, &byte)| (tail_start + i as u64, byte)),
            );
        for (at, byte) in fixed {
            if (offset..end).contains(&at) {
                chunk[(at - offset) as usize] = byte;
            }
        }
        chunk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_json_of_the_promised_length_in_any_chunking() {
        let whole = ReplyBody::padding_chunk(100, 0, 1000);
        assert_eq!(whole.len(), 100);
        let value: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert_eq!(value["padding"].as_str().unwrap().len(), 100 - 14);
        let pieces: Vec<u8> = (0..100)
            .step_by(7)
            .flat_map(|offset| ReplyBody::padding_chunk(100, offset, 7))
            .collect();
        assert_eq!(pieces, whole);
        assert!(ReplyBody::padding_chunk(100, 100, 7).is_empty());
    }

    #[test]
    fn an_injection_counts_only_its_operation_and_stops_when_spent() {
        let mut injection = Fault::Throttling
            .on(Operation::CreateToken)
            .after(1)
            .times(2);
        assert_eq!(injection.count(Operation::RegisterClient), None);
        assert_eq!(injection.count(Operation::CreateToken), None);
        assert_eq!(
            injection.count(Operation::CreateToken),
            Some(&Fault::Throttling)
        );
        assert_eq!(
            injection.count(Operation::CreateToken),
            Some(&Fault::Throttling)
        );
        assert!(injection.is_spent());
        assert_eq!(injection.count(Operation::CreateToken), None);

        let mut portal = Fault::Throttling.on(Operation::ListAccounts).once();
        assert_eq!(injection.count(Operation::ListAccounts), None);
        assert_eq!(portal.count(Operation::CreateToken), None);
        assert_eq!(portal.count(Operation::Logout), None);
        assert_eq!(
            portal.count(Operation::ListAccounts),
            Some(&Fault::Throttling)
        );
    }
}
