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
