//! The answers `configure sso` takes, checked as the AWS CLI's validators check them, and as
//! the sign-in and the config file need them. Each check gets a trimmed, non-empty answer
//! and says, in the AWS CLI's words where it has some, what is wrong with it.

use sso_oidc::config::{Section, edit};
use sso_oidc_cli_output::Format;

use crate::context::is_region;

/// What a check says about an answer it refuses.
pub(crate) type Refusal = &'static str;

/// A start URL: botocore's `is_valid_endpoint_url` (a host of DNS labels, or an IPv4 address;
/// no tab or line break), over `http` or `https`, the only schemes a sign-in sends to.
pub(crate) fn start_url(value: &str) -> Result<(), Refusal> {
    const REFUSAL: Refusal = "Not a valid Start URL";
    let scheme = |prefix: &str| {
        value
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let rest = if scheme("https://") {
        &value[8..]
    } else if scheme("http://") {
        &value[7..]
    } else {
        return Err(REFUSAL);
    };
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(REFUSAL);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (host_port, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !port_ok || !is_host(host) {
        return Err(REFUSAL);
    }
    writable("sso_start_url", value)
}

/// botocore's host check: at most 255 characters, a trailing dot allowed, then labels of 1 to
/// 63 letters, digits and hyphens that neither start nor end with a hyphen.
fn is_host(host: &str) -> bool {
    if host.is_empty() || host.len() > 255 {
        return false;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    host.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

/// Registration scopes: separated by commas, none with white space in it (the AWS CLI's
/// `ScopesValidator`).
pub(crate) fn scopes(value: &str) -> Result<(), Refusal> {
    if value
        .split(',')
        .any(|scope| scope.trim().contains(char::is_whitespace))
    {
        return Err("Scope values must be separated by commas");
    }
    writable("sso_registration_scopes", value)
}

/// A region: a DNS label, as botocore's `validate_region_name` wants it.
pub(crate) fn region(value: &str) -> Result<(), Refusal> {
    if is_region(value) {
        Ok(())
    } else {
        Err("Not a valid region (a name such as us-east-1)")
    }
}

/// An output format this command line (and the AWS CLI) knows.
pub(crate) fn output(value: &str) -> Result<(), Refusal> {
    if Format::ALL.iter().any(|format| format.as_str() == value) {
        Ok(())
    } else {
        Err("Not a valid output format (json, text or table)")
    }
}

/// A profile name that a section header can hold and that reads back as itself.
pub(crate) fn profile_name(value: &str) -> Result<(), Refusal> {
    section(&Section::profile(value))
}

/// An sso-session name that a section header can hold and that reads back as itself.
pub(crate) fn session_name(value: &str) -> Result<(), Refusal> {
    section(&Section::sso_session(value))
}

/// An account ID or a role name: anything a config file can hold (the portal's list decides
/// the rest).
pub(crate) fn any(value: &str) -> Result<(), Refusal> {
    writable("sso_account_id", value)
}

fn section(section: &Section) -> Result<(), Refusal> {
    edit("", section, &[("region", "us-east-1")])
        .map(drop)
        .map_err(|_| "Not a name the config file can hold")
}

/// Whether the config file can hold `value` so that it reads back the same.
fn writable(key: &str, value: &str) -> Result<(), Refusal> {
    edit("", &Section::profile("p"), &[(key, value)])
        .map(drop)
        .map_err(|_| "Not a value the config file can hold")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_urls_as_botocore_checks_them_over_http_or_https() {
        for good in [
            "https://d-1234567890.awsapps.com/start",
            "https://d-1234567890.awsapps.com/start/",
            "https://my-sso.awsapps.com/start#/",
            "HTTPS://Example.COM",
            "http://127.0.0.1:8080/start",
            "https://user@host.example:443/x?y=1",
            "https://trailing.dot./start",
        ] {
            assert_eq!(start_url(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "d-1234567890.awsapps.com/start",
            "ftp://example.com",
            "https://",
            "https:///start",
            "https://-bad.example",
            "https://bad-.example",
            "https://under_score.example",
            "https://[::1]/start",
            "https://host:port",
            "https://host:",
            "https://a b.example",
            "https://example.com/a b",
            "https://example.com/\tx",
            &format!("https://{}.example", "a".repeat(64)),
        ] {
            assert_eq!(start_url(bad), Err("Not a valid Start URL"), "{bad}");
        }
    }

    #[test]
    fn scopes_are_comma_separated_without_spaces_inside() {
        for good in [
            "sso:account:access",
            "sso:account:access,codewhisperer:completions",
            "sso:account:access, extra:scope ,",
        ] {
            assert_eq!(scopes(good), Ok(()), "{good}");
        }
        for bad in ["sso:account:access extra:scope", "a,b c", "a\tb"] {
            assert_eq!(
                scopes(bad),
                Err("Scope values must be separated by commas"),
                "{bad}"
            );
        }
    }

    #[test]
    fn regions_outputs_and_names() {
        assert_eq!(region("eu-west-1"), Ok(()));
        assert!(region("eu west 1").is_err());
        assert!(region("123").is_err());
        assert!(region("-eu").is_err());
        for format in ["json", "text", "table"] {
            assert_eq!(output(format), Ok(()));
        }
        assert!(output("yaml-ish").is_err());
        assert!(output("JSON").is_err());
        assert_eq!(profile_name("dev"), Ok(()));
        assert_eq!(profile_name("my profile"), Ok(()), "written in quotes");
        assert_eq!(session_name("my-sso"), Ok(()));
        assert!(profile_name("x\ry").is_err());
        assert!(session_name("x\ny").is_err());
        assert_eq!(any("111122223333"), Ok(()));
        assert!(any("a\nb").is_err());
    }
}
