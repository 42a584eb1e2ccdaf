//! `export-credentials`: the profile's role credentials, printed as `aws configure
//! export-credentials` prints them.
//!
//! The library does the work (`ProfileCredentials` and `Client::profile_credentials`): fresh
//! credentials from the AWS CLI's cache, else the portal's `GetRoleCredentials` with the cached
//! token, refreshed first when due, all under the cache locks so that many processes at once
//! (an SDK's `credential_process`, a CI job's parallel steps) make one request between them.
//! Fresh cached credentials build no client and read no certificate.

use std::time::SystemTime;

use sso_oidc::{CachedRoleCredentials, format_time};
use sso_oidc_transport::{AwsPaths, ProfileCredentials};

use crate::args::{ExportCredentialsArgs, ExportFormat};
use crate::context::{Context, cache_dir};
use crate::error::CliError;
use crate::terminal::prompt::out;

/// Runs `export-credentials`.
///
/// # Errors
/// The AWS CLI's "Unable to retrieve credentials: ...", with why: no such profile or no SSO
/// settings in it, no cached token (and the command that signs in), a refused or unreachable
/// portal, a cache that cannot be read or written.
pub(crate) fn export_credentials(
    args: &ExportCredentialsArgs,
    context: &Context,
) -> Result<(), CliError> {
    let env = context.env().environment();
    let mut paths = AwsPaths::from_environment(env).map_err(unable)?;
    if args.cache.cache_dir.is_some() {
        paths.token_cache = cache_dir(&args.cache, context.env())?.path().to_owned();
    }
    let profile =
        ProfileCredentials::resolve(context.config(), context.profile_name(), env, &paths)
            .map_err(unable)?;
    let credentials = match profile.cached(SystemTime::now()) {
        Ok(Some(credentials)) => credentials,
        // Anything else, an unreadable file included, is for the locked path to sort out.
        _ => context
            .portal_client()?
            .profile_credentials(&profile)
            .map_err(unable)?,
    };
    out(&render(args.format, &credentials));
    Ok(())
}

/// The AWS CLI's wording for credentials it could not get.
fn unable(error: impl std::fmt::Display) -> CliError {
    CliError::failure(format!("Unable to retrieve credentials: {error}"))
}

/// The credentials in `format`, exactly as `aws configure export-credentials` writes them.
fn render(format: ExportFormat, credentials: &CachedRoleCredentials) -> String {
    // botocore keeps the expiry as a datetime in UTC, whole seconds, and prints it with
    // `isoformat()`.
    let expiration = format_time(credentials.expiration).replace('Z', "+00:00");
    let values = [
        ("AWS_ACCESS_KEY_ID", credentials.access_key_id.as_str()),
        (
            "AWS_SECRET_ACCESS_KEY",
            credentials.secret_access_key.expose().as_str(),
        ),
        (
            "AWS_SESSION_TOKEN",
            credentials.session_token.expose().as_str(),
        ),
        ("AWS_CREDENTIAL_EXPIRATION", expiration.as_str()),
    ];
    let line = |name: &str, value: &str| match format {
        ExportFormat::Env => format!("export {name}={value}\n"),
        ExportFormat::EnvNoExport => format!("{name}={value}\n"),
        ExportFormat::Powershell => format!("$Env:{name}=\"{value}\"\n"),
        ExportFormat::WindowsCmd => format!("set {name}={value}\n"),
        ExportFormat::Fish => format!("set -gx {name} \"{value}\"\n"),
        ExportFormat::Process => String::new(),
    };
    if format != ExportFormat::Process {
        return values
            .iter()
            .map(|(name, value)| line(name, value))
            .collect();
    }
    // json.dumps(..., indent=2): the members in this order.
    let mut text = String::from("{\n  \"Version\": 1");
    for (key, (_, value)) in [
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
    ]
    .iter()
    .zip(values)
    {
        let value = serde_json::to_string(value).unwrap_or_default();
        text.push_str(&format!(",\n  \"{key}\": {value}"));
    }
    text.push_str("\n}\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use sso_oidc::Secret;
    use std::time::{Duration, UNIX_EPOCH};

    fn credentials() -> CachedRoleCredentials {
        CachedRoleCredentials::new(
            "ASIAEXAMPLE".into(),
            Secret::from("wJalr/K7MDENG+bPxRfiCY".to_owned()),
            Secret::from("IQoJb3JpZ2luX2Vj".to_owned()),
            UNIX_EPOCH + Duration::from_millis(1_700_003_600_500),
        )
    }

    #[test]
    fn every_format_as_the_aws_cli_writes_it() {
        let cases = [
            (
                ExportFormat::Process,
                "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAEXAMPLE\",\n  \"SecretAccessKey\": \"wJalr/K7MDENG+bPxRfiCY\",\n  \"SessionToken\": \"IQoJb3JpZ2luX2Vj\",\n  \"Expiration\": \"2023-11-14T23:13:20+00:00\"\n}\n",
            ),
            (
                ExportFormat::Env,
                "export AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalr/K7MDENG+bPxRfiCY\nexport AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj\nexport AWS_CREDENTIAL_EXPIRATION=2023-11-14T23:13:20+00:00\n",
            ),
            (
                ExportFormat::EnvNoExport,
                "AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalr/K7MDENG+bPxRfiCY\nAWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj\nAWS_CREDENTIAL_EXPIRATION=2023-11-14T23:13:20+00:00\n",
            ),
            (
                ExportFormat::Powershell,
                "$Env:AWS_ACCESS_KEY_ID=\"ASIAEXAMPLE\"\n$Env:AWS_SECRET_ACCESS_KEY=\"wJalr/K7MDENG+bPxRfiCY\"\n$Env:AWS_SESSION_TOKEN=\"IQoJb3JpZ2luX2Vj\"\n$Env:AWS_CREDENTIAL_EXPIRATION=\"2023-11-14T23:13:20+00:00\"\n",
            ),
            (
                ExportFormat::WindowsCmd,
                "set AWS_ACCESS_KEY_ID=ASIAEXAMPLE\nset AWS_SECRET_ACCESS_KEY=wJalr/K7MDENG+bPxRfiCY\nset AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj\nset AWS_CREDENTIAL_EXPIRATION=2023-11-14T23:13:20+00:00\n",
            ),
            (
                ExportFormat::Fish,
                "set -gx AWS_ACCESS_KEY_ID \"ASIAEXAMPLE\"\nset -gx AWS_SECRET_ACCESS_KEY \"wJalr/K7MDENG+bPxRfiCY\"\nset -gx AWS_SESSION_TOKEN \"IQoJb3JpZ2luX2Vj\"\nset -gx AWS_CREDENTIAL_EXPIRATION \"2023-11-14T23:13:20+00:00\"\n",
            ),
        ];
        for (format, expected) in cases {
            assert_eq!(render(format, &credentials()), expected, "{format:?}");
        }
    }
}
