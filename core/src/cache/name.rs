//! Cache file names, computed exactly as the AWS CLI v2 computes them.

use serde::Serialize;

use crate::cache::json;

/// The name of the token file for an `sso-session` (pass its name) or, for a legacy profile
/// without one, for a start URL: the SHA-1 of the UTF-8 text in lowercase hex, then `.json`.
///
/// ```
/// assert_eq!(
///     sso_oidc::token_file_name("my-sso"),
///     "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
/// );
/// ```
pub fn token_file_name(session_name_or_start_url: &str) -> String {
    sha1_file_name(session_name_or_start_url.as_bytes())
}

/// The name of the client registration file, as the AWS CLI v2 names it: the SHA-1 of Python's
/// `json.dumps(args, sort_keys=True)` of
/// `{"tool": "botocore", "startUrl": …, "region": …, "scopes": …, "session_name": …}`, where
/// `None` is `null`, then `.json`.
///
/// ```
/// let scopes = ["sso:account:access".to_owned()];
/// assert_eq!(
///     sso_oidc::registration_file_name(
///         "https://d-1234567890.awsapps.com/start",
///         "us-east-1",
///         Some(&scopes),
///         Some("my-sso"),
///     ),
///     "a8343d65418848d0bc13a5f25cbb32508ceec5d1.json"
/// );
/// ```
pub fn registration_file_name(
    start_url: &str,
    region: &str,
    scopes: Option<&[String]>,
    session_name: Option<&str>,
) -> String {
    let args = json::to_vec(&Args {
        region,
        scopes,
        session_name,
        start_url,
        tool: "botocore",
    });
    sha1_file_name(&args)
}

/// The name of the file in which the AWS CLI v2 caches the role credentials of one role in one
/// account (in `~/.aws/cli/cache`, see
/// [`CachedRoleCredentials`](crate::CachedRoleCredentials)): the SHA-1 of Python's
/// `json.dumps(args, sort_keys=True, separators=(",", ":"))` of
/// `{"accountId": …, "roleName": …, "sessionName": …}` for a profile with an `sso-session`, or
/// `{"accountId": …, "roleName": …, "startUrl": …}` for a legacy profile without one, in
/// lowercase hex, then `.json`.
///
/// As botocore, an empty session name counts as none: the start URL is used then.
///
/// ```
/// let start_url = "https://d-1234567890.awsapps.com/start";
/// assert_eq!(
///     sso_oidc::role_credentials_file_name("123456789012", "ReadOnly", Some("my-sso"), start_url),
///     "31b260dab331b2af063485cea75f7b8b3cf54c71.json"
/// );
/// assert_eq!(
///     sso_oidc::role_credentials_file_name("123456789012", "ReadOnly", None, start_url),
///     "30bbb2b1278a4c1fb1b943c46c1ef6501807f657.json"
/// );
/// ```
pub fn role_credentials_file_name(
    account_id: &str,
    role_name: &str,
    session_name: Option<&str>,
    start_url: &str,
) -> String {
    let session_name = session_name.filter(|name| !name.is_empty());
    let key = json::to_vec_compact(&CredentialsKey {
        account_id,
        role_name,
        session_name,
        start_url: session_name.is_none().then_some(start_url),
    });
    sha1_file_name(&key)
}

/// The AWS CLI's role-credential cache key. The fields are in sorted key order, as
/// `sort_keys=True` gives; exactly one of the last two is written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsKey<'a> {
    account_id: &'a str,
    role_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_url: Option<&'a str>,
}

/// The AWS CLI's registration cache arguments. The fields are in sorted key order, which is what
/// `sort_keys=True` gives, whether or not another crate turns on serde_json's `preserve_order`.
#[derive(Serialize)]
struct Args<'a> {
    region: &'a str,
    scopes: Option<&'a [String]>,
    session_name: Option<&'a str>,
    #[serde(rename = "startUrl")]
    start_url: &'a str,
    tool: &'static str,
}

fn sha1_file_name(bytes: &[u8]) -> String {
    format!("{}.json", sha1_smol::Sha1::from(bytes).digest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys_are_dumped_compact_and_ascii() {
        // As botocore's SSOCredentialFetcher names them (its `_cache_key`), including a key with
        // non-ASCII, quotes, backslashes and a control character, which `ensure_ascii` escapes.
        assert_eq!(
            role_credentials_file_name("123456789012", "Rôle\"\\😀", Some("sëssion\n"), "x"),
            "20dda6e4bf223038907d26850647495e7e368f81.json"
        );
        let start_url = "https://d-1234567890.awsapps.com/start";
        assert_eq!(
            role_credentials_file_name("123456789012", "ReadOnly", Some(""), start_url),
            role_credentials_file_name("123456789012", "ReadOnly", None, start_url),
        );
        let dumped = json::to_vec_compact(&CredentialsKey {
            account_id: "1",
            role_name: "r",
            session_name: None,
            start_url: Some("u"),
        });
        assert_eq!(
            dumped,
            br#"{"accountId":"1","roleName":"r","startUrl":"u"}"#
        );
    }

    #[test]
    fn registration_args_are_dumped_sorted_with_python_separators() {
        let dumped = json::to_vec(&Args {
            region: "us-east-1",
            scopes: None,
            session_name: None,
            start_url: "https://é.example/start",
            tool: "botocore",
        });
        // python3 -c 'import json; print(json.dumps({"tool": "botocore", "startUrl":
        //   "https://é.example/start", "region": "us-east-1", "scopes": None,
        //   "session_name": None}, sort_keys=True))'
        assert_eq!(
            String::from_utf8(dumped).unwrap(),
            r#"{"region": "us-east-1", "scopes": null, "session_name": null, "startUrl": "https://\u00e9.example/start", "tool": "botocore"}"#
        );
    }
}
