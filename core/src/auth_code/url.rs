//! The `/authorize` URL the browser opens, built as the AWS CLI v2 builds it.

use crate::endpoint::Endpoint;

/// Percent-encodes `value` leaving only `A-Za-z0-9-._~` as they are, as botocore's
/// `percent_encode` (Python's `quote` with `safe='-._~'`): a space is `%20`, never `+`.
pub(crate) fn percent_encode(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// `<scheme>://<host>/authorize?...` with the parameters in the AWS CLI's order. The base is
/// the endpoint's scheme and authority only: the AWS CLI takes `scheme://netloc` of the
/// resolved `RegisterClient` URL, so a custom endpoint moves it and its path prefix does not.
pub(crate) fn authorize_url(
    endpoint: &Endpoint,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    scopes: &[String],
    challenge: &str,
) -> String {
    let base = endpoint.url();
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    let mut url = format!("{base}/authorize?response_type=code&client_id=");
    percent_encode(client_id, &mut url);
    url.push_str("&redirect_uri=");
    percent_encode(redirect_uri, &mut url);
    url.push_str("&state=");
    percent_encode(state, &mut url);
    url.push_str("&code_challenge_method=S256&scopes=");
    percent_encode(&scopes.join(" "), &mut url);
    url.push_str("&code_challenge=");
    url.push_str(challenge);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_as_the_aws_cli_builds_it() {
        let endpoint = Endpoint::from_region("us-east-1").unwrap();
        let url = authorize_url(
            &endpoint,
            "client/id+1",
            "http://127.0.0.1:54321/oauth/callback",
            "0b6f3c1e-9a7d-4c2e-8f10-123456789abc",
            &[
                "sso:account:access".to_owned(),
                "codewhisperer:completions".to_owned(),
            ],
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        );
        assert_eq!(
            url,
            "https://oidc.us-east-1.amazonaws.com/authorize?response_type=code\
             &client_id=client%2Fid%2B1\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A54321%2Foauth%2Fcallback\
             &state=0b6f3c1e-9a7d-4c2e-8f10-123456789abc\
             &code_challenge_method=S256\
             &scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn a_custom_endpoint_moves_the_url_but_not_its_path_prefix() {
        let endpoint = Endpoint::from_url("http://127.0.0.1:8080/prefix/").unwrap();
        let url = authorize_url(&endpoint, "id", "r", "s", &[], "c");
        assert_eq!(
            url,
            "http://127.0.0.1:8080/authorize?response_type=code&client_id=id&redirect_uri=r\
             &state=s&code_challenge_method=S256&scopes=&code_challenge=c"
        );
        let mut out = String::new();
        percent_encode("a b~é", &mut out);
        assert_eq!(out, "a%20b~%C3%A9");
    }
}
