//! The authorization-code grant with PKCE (RFC 6749 4.1, RFC 7636) as the service runs it:
//! `GET /authorize` and its approval page, the redirect back to the client, and the code
//! CreateToken exchanges.
//!
//! What the real service does with a bad authorize request is not in the model; this does what
//! RFC 6749 4.1.2.1 says: a bad client or redirect URI gets an error page (never a redirect to
//! a URI nobody verified), any other problem a redirect with `error` and `state`.

use std::time::{Instant, SystemTime};

use base64::Engine as _;
use http::StatusCode;
use serde_json::{Map, Value};
use sso_oidc::{ErrorCode, GrantType};

use super::{Answer, Refusal, Service, form_value, html, refuse, required};
use crate::config::Decision;
use crate::page;

/// Where authorization requests go, and the approval page's form.
pub(super) const AUTHORIZE_PATH: &str = "/authorize";

/// The grants RegisterClient takes in `grantTypes` (the model's documentation names these
/// three).
const KNOWN_GRANTS: [GrantType; 3] = [
    GrantType::AuthorizationCode,
    GrantType::DeviceCode,
    GrantType::RefreshToken,
];

/// The loopback hosts whose redirect URIs match on any port (RFC 8252 7.3).
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "[::1]", "localhost"];

/// What RegisterClient recorded that authorization requests need.
#[derive(Debug, Default)]
pub(super) struct Registration {
    pub(super) name: String,
    /// `None` when registered without `grantTypes` (as the device flow registers).
    pub(super) grant_types: Option<Vec<String>>,
    pub(super) redirect_uris: Vec<String>,
    pub(super) scopes: Vec<String>,
    pub(super) issuer_url: Option<String>,
}

impl Registration {
    /// RegisterClient's optional members, checked: known grants, absolute http(s) redirect
    /// URIs, and a redirect URI for the authorization-code grant.
    pub(super) fn from_input(input: &Map<String, Value>, name: &str) -> Result<Self, Refusal> {
        let grant_types = list(input, "grantTypes")?;
        let redirect_uris = list(input, "redirectUris")?.unwrap_or_default();
        if let Some(unknown) = grant_types
            .iter()
            .flatten()
            .find(|grant| !KNOWN_GRANTS.iter().any(|known| known.as_str() == *grant))
        {
            return Err(refuse(
                ErrorCode::InvalidClientMetadata,
                format!("Invalid grant type: {unknown}"),
            ));
        }
        if let Some(bad) = redirect_uris
            .iter()
            .find(|uri| RedirectUri::parse(uri).is_none())
        {
            return Err(refuse(
                ErrorCode::InvalidRedirectUri,
                format!("Invalid redirect URI: {bad}"),
            ));
        }
        let code_grant = GrantType::AuthorizationCode.as_str();
        if grant_types.iter().flatten().any(|g| g == code_grant) && redirect_uris.is_empty() {
            return Err(refuse(
                ErrorCode::InvalidRedirectUri,
                "A redirect URI is required for the authorization_code grant",
            ));
        }
        let issuer_url = match input.get("issuerUrl") {
            Some(Value::String(url)) => Some(url.clone()),
            _ => None,
        };
        Ok(Self {
            name: name.to_owned(),
            grant_types,
            redirect_uris,
            scopes: list(input, "scopes")?.unwrap_or_default(),
            issuer_url,
        })
    }

    fn allows(&self, grant: GrantType) -> bool {
        self.grant_types
            .iter()
            .flatten()
            .any(|g| g == grant.as_str())
    }

    /// The registered redirect URI `requested` matches: the same string, or for a loopback
    /// `http` URI the same host and path on any port.
    fn matches_redirect(&self, requested: &str) -> bool {
        let Some(requested_uri) = RedirectUri::parse(requested) else {
            return false;
        };
        self.redirect_uris.iter().any(|registered| {
            registered == requested
                || RedirectUri::parse(registered)
                    .is_some_and(|registered| registered.matches_on_any_port(&requested_uri))
        })
    }
}

/// An optional list-of-strings member; `null` is absent.
fn list(input: &Map<String, Value>, member: &str) -> Result<Option<Vec<String>>, Refusal> {
    match input.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                _ => Err(()),
            })
            .collect::<Result<Vec<_>, ()>>()
            .map(Some)
            .map_err(|()| {
                refuse(
                    ErrorCode::InvalidRequest,
                    format!("Invalid request: {member} must be a list of strings"),
                )
            }),
        Some(_) => Err(refuse(
            ErrorCode::InvalidRequest,
            format!("Invalid request: {member} must be a list of strings"),
        )),
    }
}

/// A redirect URI as far as matching needs it: an absolute `http` or `https` URI without a
/// fragment or user info.
struct RedirectUri {
    scheme: String,
    host: String,
    path_and_query: String,
}

impl RedirectUri {
    fn parse(uri: &str) -> Option<Self> {
        if uri.contains('#') {
            return None;
        }
        let parsed: http::Uri = uri.parse().ok()?;
        let scheme = parsed.scheme_str()?.to_ascii_lowercase();
        let authority = parsed.authority()?;
        if !matches!(scheme.as_str(), "http" | "https")
            || authority.as_str().contains('@')
            || authority.host().is_empty()
        {
            return None;
        }
        Some(Self {
            scheme,
            host: authority.host().to_ascii_lowercase(),
            path_and_query: parsed
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        })
    }

    /// RFC 8252 7.3: a loopback `http` redirect URI matches whatever port the request names.
    fn matches_on_any_port(&self, requested: &Self) -> bool {
        self.scheme == "http"
            && requested.scheme == "http"
            && LOOPBACK_HOSTS.contains(&self.host.as_str())
            && self.host == requested.host
            && self.path_and_query == requested.path_and_query
    }
}

/// `uri` with `pairs` added to its query, form-encoded (RFC 6749 4.1.2).
pub(crate) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    let separator = match uri.find('?') {
        None => "?",
        Some(_) if uri.ends_with('?') || uri.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{uri}{separator}{}", query.finish())
}

/// The S256 code challenge of `verifier`: base64url(SHA-256(verifier)) without padding.
pub(crate) fn s256(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// Whether `challenge` has the shape of an S256 challenge: 43 base64url characters.
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A good authorization request, waiting on its approval page or decided.
#[derive(Clone, Debug)]
pub(super) struct Request {
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    challenge: String,
    scopes: Vec<String>,
    /// When its approval page stops taking a decision.
    expires_at: Instant,
}

/// A code handed out by a redirect, for CreateToken.
#[derive(Debug)]
pub(super) struct IssuedCode {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    expires_at: Instant,
    used: bool,
}

/// Why an authorization request is refused: a page when the redirect URI cannot be trusted,
/// else a redirect carrying the error.
enum Bad {
    Page(&'static str),
    Redirect(String),
}

impl Service {
    /// `GET /authorize`: the approval page, an error page, or a redirect (with an error, or
    /// with the scripted decision's outcome, which a server then follows).
    pub(super) fn authorize(
        &mut self,
        query: &str,
        now: Instant,
        wall: SystemTime,
    ) -> http::Response<Vec<u8>> {
        let response = match self.check_authorize(query, now, wall) {
            Err(Bad::Page(message)) => {
                return html(
                    StatusCode::BAD_REQUEST,
                    page::outcome("Sign-in request not valid", message),
                );
            }
            Err(Bad::Redirect(location)) => found(&location),
            Ok(request) => match self.config.auto_authorization {
                Some(auto) => found(&self.decide_authorization(&request, auto.decision, now)),
                None => {
                    let id = self.random.token("", 32);
                    let page = self.approval_page(&id, &request);
                    self.authorize_requests.insert(id, request);
                    html(StatusCode::OK, page)
                }
            },
        };
        if let Some(auto) = self.config.auto_authorization
            && let Some(location) = response.headers().get(http::header::LOCATION)
        {
            self.follow = Some((
                String::from_utf8_lossy(location.as_bytes()).into(),
                auto.after,
            ));
        }
        response
    }

    fn check_authorize(
        &mut self,
        query: &str,
        now: Instant,
        wall: SystemTime,
    ) -> Result<Request, Bad> {
        let query = query.as_bytes();
        let param = |name: &str| form_value(query, name).filter(|v| !v.is_empty());
        let client_id = param("client_id").ok_or(Bad::Page("The request names no client."))?;
        let client = match self.clients.get(&client_id) {
            Some(client) if wall < client.secret_expires_at => client,
            Some(_) => return Err(Bad::Page("The client's registration has expired.")),
            None => {
                return Err(Bad::Page(
                    "The request names a client that is not registered.",
                ));
            }
        };
        let redirect_uri = param("redirect_uri").ok_or(Bad::Page(
            "The request has no redirect_uri to send you back to.",
        ))?;
        if !client.registration.matches_redirect(&redirect_uri) {
            return Err(Bad::Page(
                "The redirect_uri is not one the client registered.",
            ));
        }
        // From here on the redirect URI is trusted: errors go back to the client.
        let state = form_value(query, "state");
        let error = |error: &str, description: &str| {
            let mut pairs = vec![("error", error), ("error_description", description)];
            if let Some(state) = &state {
                pairs.push(("state", state));
            }
            Bad::Redirect(with_query(&redirect_uri, &pairs))
        };
        if !client.registration.allows(GrantType::AuthorizationCode) {
            return Err(error(
                "unauthorized_client",
                "Client is not registered for the authorization_code grant",
            ));
        }
        match param("response_type").as_deref() {
            Some("code") => {}
            None => return Err(error("invalid_request", "Missing response_type")),
            Some(_) => {
                return Err(error(
                    "unsupported_response_type",
                    "Only response_type=code is supported",
                ));
            }
        }
        let challenge = param("code_challenge")
            .ok_or_else(|| error("invalid_request", "Missing code_challenge"))?;
        if param("code_challenge_method").as_deref() != Some("S256") {
            return Err(error(
                "invalid_request",
                "code_challenge_method must be S256",
            ));
        }
        if !is_s256_challenge(&challenge) {
            return Err(error(
                "invalid_request",
                "code_challenge must be 43 base64url characters",
            ));
        }
        // The AWS CLI sends `scopes`; RFC 6749 names it `scope`.
        let scopes: Vec<String> = param("scopes").or_else(|| param("scope")).map_or_else(
            || client.registration.scopes.clone(),
            |s| s.split_whitespace().map(str::to_owned).collect(),
        );
        let registered = &client.registration.scopes;
        if !registered.is_empty()
            && let Some(unknown) = scopes.iter().find(|s| !registered.contains(s))
        {
            return Err(error(
                "invalid_scope",
                &format!("Scope not registered for the client: {unknown}"),
            ));
        }
        Ok(Request {
            client_id,
            redirect_uri,
            state,
            challenge,
            scopes,
            expires_at: super::later(now, self.config.expires_in, |time, lifetime| {
                time.checked_add(lifetime)
            }),
        })
    }

    fn approval_page(&self, id: &str, request: &Request) -> String {
        let registration = self
            .clients
            .get(&request.client_id)
            .map(|c| &c.registration);
        page::approve(
            id,
            registration.map_or("", |r| r.name.as_str()),
            &request.scopes,
            registration.and_then(|r| r.issuer_url.as_deref()),
        )
    }

    /// The redirect for `decision` on `request`: with a fresh code, or `access_denied`.
    fn decide_authorization(
        &mut self,
        request: &Request,
        decision: Decision,
        now: Instant,
    ) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        let code;
        match decision {
            Decision::Approve => {
                code = self.random.token("", 64);
                self.codes.insert(
                    code.clone(),
                    IssuedCode {
                        client_id: request.client_id.clone(),
                        redirect_uri: request.redirect_uri.clone(),
                        challenge: request.challenge.clone(),
                        expires_at: super::later(
                            now,
                            self.config.authorization_code_lifetime,
                            |time, lifetime| time.checked_add(lifetime),
                        ),
                        used: false,
                    },
                );
                pairs.push(("code", &code));
            }
            Decision::Deny => {
                pairs.push(("error", "access_denied"));
                pairs.push((
                    "error_description",
                    "The user denied the authorization request",
                ));
            }
        }
        if let Some(state) = &request.state {
            pairs.push(("state", state));
        }
        with_query(&request.redirect_uri, &pairs)
    }

    /// The approval page's form: `request` and `action=approve|deny`.
    pub(super) fn authorize_decision(
        &mut self,
        form: &[u8],
        now: Instant,
    ) -> http::Response<Vec<u8>> {
        let decision = match form_value(form, "action").as_deref() {
            Some("approve") => Decision::Approve,
            Some("deny") => Decision::Deny,
            _ => {
                return html(
                    StatusCode::BAD_REQUEST,
                    page::outcome("Something went wrong", "Choose to allow or deny access."),
                );
            }
        };
        let id = form_value(form, "request").unwrap_or_default();
        let Some(request) = self.authorize_requests.remove(&id) else {
            return html(
                StatusCode::NOT_FOUND,
                page::outcome(
                    "Request not found",
                    "This sign-in request is unknown or was already decided. \
                     Start the sign-in again in your application.",
                ),
            );
        };
        if now >= request.expires_at {
            return html(
                StatusCode::GONE,
                page::outcome(
                    "Request expired",
                    "This sign-in request has expired. Start the sign-in again in your application.",
                ),
            );
        }
        found(&self.decide_authorization(&request, decision, now))
    }

    /// CreateToken with `grantType=authorization_code`.
    pub(super) fn authorization_code_grant(
        &mut self,
        input: &Map<String, Value>,
        client_id: &str,
        now: Instant,
    ) -> Answer {
        let code = required(input, "code")?;
        let redirect_uri = required(input, "redirectUri")?;
        let verifier = required(input, "codeVerifier")?;
        if !self
            .clients
            .get(client_id)
            .is_some_and(|c| c.registration.allows(GrantType::AuthorizationCode))
        {
            return Err(refuse(
                ErrorCode::UnauthorizedClient,
                "Client is not registered for the authorization_code grant",
            ));
        }
        let issued = match self.codes.get_mut(code) {
            Some(issued) if issued.client_id == client_id => issued,
            _ => {
                return Err(refuse(
                    ErrorCode::InvalidGrant,
                    "Invalid authorization code provided",
                ));
            }
        };
        if issued.used {
            return Err(refuse(
                ErrorCode::InvalidGrant,
                "Authorization code has already been used",
            ));
        }
        if now >= issued.expires_at {
            return Err(refuse(
                ErrorCode::InvalidGrant,
                "Authorization code has expired",
            ));
        }
        if issued.redirect_uri != redirect_uri {
            return Err(refuse(
                ErrorCode::InvalidGrant,
                "Redirect URI does not match the authorization request",
            ));
        }
        if s256(verifier) != issued.challenge {
            return Err(refuse(
                ErrorCode::InvalidGrant,
                "Code verifier does not match the code challenge",
            ));
        }
        issued.used = true;
        Ok(self.token(client_id, now, None))
    }
}

/// `302 Found` to `location`.
fn found(location: &str) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(Vec::new());
    *response.status_mut() = StatusCode::FOUND;
    if let Ok(value) = http::HeaderValue::from_str(location) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_is_rfc_7636s_example() {
        // RFC 7636 appendix B.
        let challenge = s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(is_s256_challenge(&challenge));
        assert!(!is_s256_challenge(
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="
        ));
    }

    #[test]
    fn a_query_is_added_to_or_started() {
        let pairs = [("error", "access_denied"), ("state", "a b&c")];
        assert_eq!(
            with_query("http://127.0.0.1:1/cb", &pairs),
            "http://127.0.0.1:1/cb?error=access_denied&state=a+b%26c"
        );
        assert_eq!(
            with_query("http://127.0.0.1:1/cb?x=1", &pairs[..1]),
            "http://127.0.0.1:1/cb?x=1&error=access_denied"
        );
        assert_eq!(
            with_query("http://127.0.0.1:1/cb?", &pairs[..1]),
            "http://127.0.0.1:1/cb?error=access_denied"
        );
    }

    #[test]
    fn loopback_redirect_uris_match_on_any_port_and_nothing_else_does() {
        let registration = Registration {
            redirect_uris: vec![
                "http://127.0.0.1/oauth/callback".into(),
                "http://[::1]:8080/cb".into(),
                "https://example.com/cb".into(),
            ],
            ..Registration::default()
        };
        for good in [
            "http://127.0.0.1/oauth/callback",
            "http://127.0.0.1:53121/oauth/callback",
            "http://[::1]:1/cb",
            "http://[::1]/cb",
            "https://example.com/cb",
        ] {
            assert!(registration.matches_redirect(good), "{good}");
        }
        for bad in [
            "http://127.0.0.1:53121/oauth/callback2",
            "http://127.0.0.1:53121/oauth/callback?x=1",
            "http://localhost:53121/oauth/callback",
            "https://127.0.0.1:53121/oauth/callback",
            "https://example.com:444/cb",
            "http://example.com/cb",
            "http://evil@127.0.0.1:1/oauth/callback",
            "not a uri",
        ] {
            assert!(!registration.matches_redirect(bad), "{bad}");
        }
    }
}
