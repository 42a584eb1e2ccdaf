//! Where a profile sends its SSO requests: the endpoint URLs set for SSO OIDC and the SSO
//! portal, and the FIPS and dual-stack switches, from the environment and the config file in
//! botocore's order. The one place both the command line and the library resolve them.

use crate::config::file::{ConfigFile, Settings, nested};
use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::portal;

/// A service whose endpoint URL the environment and the config file can set, named as botocore
/// names its service id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Service {
    /// SSO OIDC (service id `SSO OIDC`): `AWS_ENDPOINT_URL_SSO_OIDC`, `sso_oidc` in a
    /// `[services]` section.
    SsoOidc,
    /// The SSO portal (service id `SSO`): `AWS_ENDPOINT_URL_SSO`, `sso` in a `[services]`
    /// section.
    Portal,
}

impl Service {
    /// `AWS_ENDPOINT_URL_` and the service id in upper case, spaces as `_`.
    pub fn variable(self) -> &'static str {
        match self {
            Self::SsoOidc => "AWS_ENDPOINT_URL_SSO_OIDC",
            Self::Portal => "AWS_ENDPOINT_URL_SSO",
        }
    }

    /// The key in a `[services NAME]` section: the service id in lower case, spaces as `_`.
    pub fn key(self) -> &'static str {
        match self {
            Self::SsoOidc => "sso_oidc",
            Self::Portal => "sso",
        }
    }
}

/// The endpoint settings of one profile, resolved by [`ConfigFile::endpoint_settings`]: an
/// endpoint URL per service when one is set, and whether to use FIPS and dual-stack endpoints.
///
/// ```
/// use sso_oidc::config::{ConfigFile, Service};
///
/// let config = ConfigFile::parse(
///     "[profile dev]\nservices = local\nuse_fips_endpoint = true\n\
///      [services local]\nsso =\n  endpoint_url = http://127.0.0.1:8080\n",
/// )?;
/// let env = |name: &str| (name == "AWS_ENDPOINT_URL_SSO_OIDC").then(|| "http://127.0.0.1:9090".to_owned());
/// let settings = config.endpoint_settings("dev", env);
/// assert_eq!(settings.url(Service::Portal), Some("http://127.0.0.1:8080"));
/// assert_eq!(settings.oidc_in("us-east-1")?.url(), "http://127.0.0.1:9090");
/// assert!(settings.use_fips());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    oidc_url: Option<String>,
    portal_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
}

impl ConfigFile {
    /// The endpoint settings of `profile`, as botocore resolves them, reading environment
    /// variables through `env` (nothing here reads the process's environment):
    /// - each service's URL: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    ///   `services` section (`sso_oidc =` / `sso =` with a nested `endpoint_url`), then the
    ///   profile's `endpoint_url`; none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the
    ///   profile's `ignore_configured_endpoint_urls` is `true`;
    /// - FIPS: `AWS_USE_FIPS_ENDPOINT`, else the profile's `use_fips_endpoint`;
    /// - dual-stack: `AWS_USE_DUALSTACK_ENDPOINT`, else the profile's `use_dualstack_endpoint`.
    ///
    /// Switches are on only when they say `true`, in any case. Blank values count as unset. A
    /// profile the file lacks has no settings of its own.
    pub fn endpoint_settings(
        &self,
        profile: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> EndpointSettings {
        let settings = self.profile(profile);
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let setting = |key: &str| {
            settings
                .and_then(|s| s.get(key))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let flag = |variable: &str, key: &str| {
            env(variable)
                .as_deref()
                .or_else(|| setting(key))
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        };
        let ignore = flag(
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "ignore_configured_endpoint_urls",
        );
        let url = |service: Service| {
            if ignore {
                return None;
            }
            env(service.variable())
                .or_else(|| env("AWS_ENDPOINT_URL"))
                .map(|v| v.trim().to_owned())
                .or_else(|| self.services_url(settings, service))
                .or_else(|| setting("endpoint_url").map(str::to_owned))
        };
        EndpointSettings {
            oidc_url: url(Service::SsoOidc),
            portal_url: url(Service::Portal),
            use_fips: flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
            use_dual_stack: flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"),
        }
    }

    /// The `endpoint_url` nested under the service's key in the profile's `services` section.
    fn services_url(&self, profile: Option<&Settings>, service: Service) -> Option<String> {
        let name = profile?.get("services")?.trim();
        let section = self.services(name)?;
        nested(section.get(service.key())?, "endpoint_url").map(str::to_owned)
    }
}

impl EndpointSettings {
    /// Settings with every URL unset and both switches off: the regions' own endpoints.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the endpoint URL of `service`, or unsets it (as `--endpoint-url` overrides the
    /// file and the environment on the command line).
    #[must_use]
    pub fn with_url(mut self, service: Service, url: Option<String>) -> Self {
        match service {
            Service::SsoOidc => self.oidc_url = url,
            Service::Portal => self.portal_url = url,
        }
        self
    }

    /// The endpoint URL set for `service`, if any.
    pub fn url(&self, service: Service) -> Option<&str> {
        match service {
            Service::SsoOidc => self.oidc_url.as_deref(),
            Service::Portal => self.portal_url.as_deref(),
        }
    }

    /// Whether FIPS endpoints are asked for.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are asked for.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The SSO OIDC endpoint for `region`: the URL set for it, else the region's, FIPS and
    /// dual-stack as set.
    ///
    /// # Errors
    /// As [`Endpoint::from_url`] for a URL set, else as the [`EndpointBuilder`](crate::EndpointBuilder)'s
    /// `build` (a region that is not a DNS label, ...).
    pub fn oidc_in(&self, region: &str) -> Result<Endpoint, BuildError> {
        match &self.oidc_url {
            Some(url) => Endpoint::from_url(url),
            None => Endpoint::builder()
                .region(region)
                .use_fips(self.use_fips)
                .use_dual_stack(self.use_dual_stack)
                .build(),
        }
    }

    /// The SSO portal's endpoint for `region`, as [`oidc_in`](Self::oidc_in) is SSO OIDC's.
    ///
    /// # Errors
    /// As [`oidc_in`](Self::oidc_in).
    pub fn portal_in(&self, region: &str) -> Result<portal::Endpoint, BuildError> {
        match &self.portal_url {
            Some(url) => portal::Endpoint::from_url(url),
            None => portal::Endpoint::builder()
                .region(region)
                .use_fips(self.use_fips)
                .use_dual_stack(self.use_dual_stack)
                .build(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    const FILE: &str = "[profile dev]\nservices = local\nendpoint_url = http://profile\n\
        [profile plain]\nregion = eu-west-1\n\
        [profile off]\nendpoint_url = http://profile\nignore_configured_endpoint_urls = TRUE\n\
        [services local]\nsso_oidc =\n  endpoint_url = http://services-oidc\n";

    #[test]
    fn urls_in_botocore_order() {
        let config = ConfigFile::parse(FILE).unwrap();
        // Profile, environment, SSO OIDC's URL, the portal's URL.
        type Case<'a> = (
            &'a str,
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: [Case<'_>; 6] = [
            (
                "dev",
                &[],
                Some("http://services-oidc"),
                Some("http://profile"),
            ),
            (
                "dev",
                &[("AWS_ENDPOINT_URL", "http://all")],
                Some("http://all"),
                Some("http://all"),
            ),
            (
                "dev",
                &[
                    ("AWS_ENDPOINT_URL", "http://all"),
                    ("AWS_ENDPOINT_URL_SSO", " http://portal "),
                ],
                Some("http://all"),
                Some("http://portal"),
            ),
            ("plain", &[("AWS_ENDPOINT_URL_SSO_OIDC", "  ")], None, None),
            ("off", &[], None, None),
            (
                "plain",
                &[
                    ("AWS_ENDPOINT_URL", "http://all"),
                    ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ],
                None,
                None,
            ),
        ];
        for (profile, vars, oidc, portal) in cases {
            let settings = config.endpoint_settings(profile, env(vars));
            assert_eq!(settings.url(Service::SsoOidc), oidc, "{profile} {vars:?}");
            assert_eq!(settings.url(Service::Portal), portal, "{profile} {vars:?}");
        }
    }

    #[test]
    fn switches_from_the_environment_before_the_profile() {
        let config = ConfigFile::parse(
            "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = yes\n",
        )
        .unwrap();
        let settings = config.endpoint_settings("default", env(&[]));
        assert!(settings.use_fips() && !settings.use_dual_stack());
        assert_eq!(
            settings.portal_in("us-east-1").unwrap().url(),
            "https://portal.sso-fips.us-east-1.amazonaws.com"
        );
        let settings = config.endpoint_settings(
            "default",
            env(&[
                ("AWS_USE_FIPS_ENDPOINT", "false"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "True"),
            ]),
        );
        assert!(!settings.use_fips() && settings.use_dual_stack());
        assert_eq!(
            settings.oidc_in("eu-west-1").unwrap().url(),
            "https://oidc.eu-west-1.api.aws"
        );
    }

    #[test]
    fn an_override_replaces_the_url_of_one_service() {
        let settings =
            EndpointSettings::new().with_url(Service::Portal, Some("http://127.0.0.1:1".into()));
        assert_eq!(
            settings.portal_in("us-east-1").unwrap().url(),
            "http://127.0.0.1:1"
        );
        assert_eq!(
            settings.oidc_in("us-east-1").unwrap().url(),
            "https://oidc.us-east-1.amazonaws.com"
        );
        assert!(settings.oidc_in("not a region").is_err());
    }
}
