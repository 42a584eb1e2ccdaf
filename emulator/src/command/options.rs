//! The options, as clap reads them, and the [`Config`] they make.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
#[cfg(feature = "tls")]
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use crate::config::{Config, PortalAccount};

/// The options of a standalone emulator: where it listens, how the service behaves, and what
/// it prints. Flatten them into a clap command (`#[command(flatten)]`);
/// [`Server::start`](super::Server::start) starts the emulator they describe.
///
/// ```
/// use clap::Parser;
/// use sso_oidc_emulator::command::Options;
/// use std::time::Duration;
///
/// #[derive(Parser)]
/// struct Command {
///     #[command(flatten)]
///     options: Options,
/// }
///
/// let command = Command::parse_from(["emulator", "--token-lifetime", "60", "--seed", "7"]);
/// let config = command.options.config();
/// assert_eq!(config.access_token_lifetime, Duration::from_secs(60));
/// assert_eq!(config.seed, 7);
/// ```
// The doc comments of the fields are the options' help.
#[derive(Clone, Debug, clap::Args)]
pub struct Options {
    /// Port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Poll interval StartDeviceAuthorization answers.
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    interval: u64,
    /// How long a device code lives (StartDeviceAuthorization's expiresIn).
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    expires_in: u64,
    /// How long an access token lives (CreateToken's expiresIn).
    #[arg(long, value_name = "SECONDS", default_value_t = 8 * 3600)]
    token_lifetime: u64,
    /// How long a client secret lives.
    #[arg(long, value_name = "SECONDS", default_value_t = 90 * 86_400)]
    client_secret_lifetime: u64,
    /// Approve each sign-in after this many polls were answered authorization_pending.
    #[arg(long, value_name = "N", group = "auto")]
    approve_after_polls: Option<u32>,
    /// Approve each sign-in this long after it started.
    #[arg(long, value_name = "SECONDS", group = "auto")]
    approve_after: Option<u64>,
    /// Deny each sign-in after this many polls were answered authorization_pending.
    #[arg(long, value_name = "N", group = "auto")]
    deny_after_polls: Option<u32>,
    /// Approve each authorization request (GET /authorize) at once, without its page: the
    /// emulator itself follows the redirect to the client's loopback redirect_uri, as a
    /// browser would.
    #[arg(long, group = "auto_authorization")]
    approve_authorizations: bool,
    /// As --approve-authorizations, the redirect followed this long after the request.
    #[arg(long, value_name = "SECONDS", group = "auto_authorization")]
    approve_authorizations_after: Option<u64>,
    /// Deny each authorization request at once: the emulator follows the redirect with
    /// error=access_denied.
    #[arg(long, group = "auto_authorization")]
    deny_authorizations: bool,
    /// An SSO portal account and the roles the user has in it, as ID[:NAME]=ROLE[,ROLE...]
    /// (e.g. `111122223333:Development=ReadOnly,Admin`); repeat for more. Without any, the
    /// portal lists 111122223333 (ReadOnly, Admin) and 444455556666 (ReadOnly).
    #[arg(long = "account", value_name = "ID[:NAME]=ROLES", value_parser = parse_account)]
    accounts: Vec<PortalAccount>,
    /// How long the portal's role credentials live (GetRoleCredentials' expiration).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    role_credentials_lifetime: u64,
    /// Issue no refresh tokens.
    #[arg(long)]
    no_refresh_tokens: bool,
    /// Seed for codes, tokens and request ids: the same seed and requests give the same values.
    #[arg(long)]
    seed: Option<u64>,
    /// Freeze the wall clock at this Unix time, for reproducible clientIdIssuedAt and
    /// clientSecretExpiresAt (with --seed, every answer is the same on every run).
    // At most the end of year 9999, so that adding it to the epoch cannot overflow.
    #[arg(long, value_name = "EPOCH_SECONDS",
          value_parser = clap::value_parser!(u64).range(..=253_402_300_799))]
    fixed_time: Option<u64>,
    /// Answer every request this much late (a fault, to try clients' read timeouts).
    #[arg(long, value_name = "SECONDS")]
    delay_responses: Option<u64>,
    /// Serve HTTPS with a test CA made on the spot, and write the CA certificate (PEM) to this
    /// file: give it to clients as their CA bundle (e.g. `--ca-bundle FILE`).
    #[cfg(feature = "tls")]
    #[arg(long, value_name = "CA_FILE")]
    tls: Option<PathBuf>,
    /// Print only the URL, not each request.
    #[arg(short, long)]
    quiet: bool,
}

impl Options {
    /// How the service behaves: the timings, the automatic decision, refresh tokens, the seed
    /// and the frozen wall clock.
    pub fn config(&self) -> Config {
        let mut config = Config::default()
            .with_interval(Duration::from_secs(self.interval))
            .with_expires_in(Duration::from_secs(self.expires_in))
            .with_access_token_lifetime(Duration::from_secs(self.token_lifetime))
            .with_client_secret_lifetime(Duration::from_secs(self.client_secret_lifetime))
            .with_refresh_tokens(!self.no_refresh_tokens)
            .with_role_credentials_lifetime(Duration::from_secs(self.role_credentials_lifetime));
        if !self.accounts.is_empty() {
            config = config.with_portal_accounts(self.accounts.iter().cloned());
        }
        if let Some(seed) = self.seed {
            config = config.with_seed(seed);
        }
        if let Some(seconds) = self.fixed_time {
            config = config.with_fixed_wall_clock(UNIX_EPOCH + Duration::from_secs(seconds));
        }
        // clap lets at most one of the three through (the `auto` group).
        if let Some(n) = self.approve_after_polls {
            config = config.approve_after_polls(n);
        }
        if let Some(seconds) = self.approve_after {
            config = config.approve_after(Duration::from_secs(seconds));
        }
        if let Some(n) = self.deny_after_polls {
            config = config.deny_after_polls(n);
        }
        // At most one of these, too (the `auto_authorization` group).
        if self.approve_authorizations {
            config = config.approve_authorizations();
        }
        if let Some(seconds) = self.approve_authorizations_after {
            config = config.approve_authorizations_after(Duration::from_secs(seconds));
        }
        if self.deny_authorizations {
            config = config.deny_authorizations();
        }
        config
    }

    /// The address to listen on (`--host`, `--port`).
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }

    /// How late every answer comes (`--delay-responses`), if at all.
    pub fn delay_responses(&self) -> Option<Duration> {
        self.delay_responses.map(Duration::from_secs)
    }

    /// Where to write the test CA when serving HTTPS (`--tls`); `None` serves plain HTTP.
    #[cfg(feature = "tls")]
    pub fn tls(&self) -> Option<&Path> {
        self.tls.as_deref()
    }

    /// Whether to print only the URL (`--quiet`).
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }
}

/// `ID[:NAME]=ROLE[,ROLE...]`: an account of the portal; its email is `ID@example.com`.
fn parse_account(value: &str) -> Result<PortalAccount, String> {
    let (account, roles) = value
        .split_once('=')
        .ok_or_else(|| format!("{value:?} is not ID[:NAME]=ROLE[,ROLE...]"))?;
    let (id, name) = account.split_once(':').unwrap_or((account, account));
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{id:?} is not a 12-digit account id"));
    }
    let roles: Vec<&str> = roles.split(',').map(str::trim).collect();
    if roles.iter().any(|role| role.is_empty()) {
        return Err(format!("{value:?} names an empty role"));
    }
    Ok(PortalAccount::new(id, name, format!("{id}@example.com")).with_roles(roles))
}

/// A command with only the options, for tests.
#[cfg(test)]
#[derive(Debug, clap::Parser)]
struct Command {
    #[command(flatten)]
    options: Options,
}

#[cfg(test)]
impl Options {
    /// The options in `args` (without a command name), as a command that flattens them reads
    /// them.
    pub(crate) fn try_parse(args: &[&str]) -> Result<Self, clap::Error> {
        use clap::Parser;
        Command::try_parse_from(std::iter::once("emulator").chain(args.iter().copied()))
            .map(|command| command.options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{After, AutoAuthorization, AutoDecision, Decision};

    fn parse(args: &[&str]) -> Result<Options, clap::Error> {
        Options::try_parse(args)
    }

    #[test]
    fn the_defaults_are_the_services() {
        let options = parse(&[]).unwrap();
        assert_eq!(options.config(), Config::default());
        assert_eq!(options.addr(), "127.0.0.1:0".parse().unwrap());
        assert_eq!(options.delay_responses(), None);
        assert!(!options.is_quiet());
    }

    #[test]
    fn each_option_reaches_the_config() {
        let options = parse(&[
            "-p",
            "8080",
            "--host",
            "::1",
            "--interval",
            "3",
            "--expires-in",
            "30",
            "--token-lifetime",
            "60",
            "--client-secret-lifetime",
            "120",
            "--deny-after-polls",
            "2",
            "--no-refresh-tokens",
            "--seed",
            "9",
            "--fixed-time",
            "1767225600",
            "--delay-responses",
            "4",
            "-q",
        ])
        .unwrap();
        let config = options.config();
        assert_eq!(options.addr(), "[::1]:8080".parse().unwrap());
        assert_eq!(config.interval, Duration::from_secs(3));
        assert_eq!(config.expires_in, Duration::from_secs(30));
        assert_eq!(config.access_token_lifetime, Duration::from_secs(60));
        assert_eq!(config.client_secret_lifetime, Duration::from_secs(120));
        assert_eq!(
            config.auto,
            Some(AutoDecision {
                decision: Decision::Deny,
                after: After::Polls(2)
            })
        );
        assert!(!config.refresh_tokens);
        assert_eq!(config.seed, 9);
        assert_eq!(
            config.fixed_wall_clock,
            Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600))
        );
        assert_eq!(options.delay_responses(), Some(Duration::from_secs(4)));
        assert!(options.is_quiet());
    }

    #[test]
    fn accounts_and_the_credentials_lifetime_reach_the_config() {
        let config = parse(&[
            "--account",
            "123456789012:Sandbox=Developer,Admin",
            "--account",
            "210987654321=ReadOnly",
            "--role-credentials-lifetime",
            "900",
        ])
        .unwrap()
        .config();
        assert_eq!(
            config.portal_accounts,
            [
                PortalAccount::new("123456789012", "Sandbox", "123456789012@example.com")
                    .with_roles(["Developer", "Admin"]),
                PortalAccount::new("210987654321", "210987654321", "210987654321@example.com")
                    .with_roles(["ReadOnly"]),
            ]
        );
        assert_eq!(config.role_credentials_lifetime, Duration::from_secs(900));
        for bad in ["123456789012", "1234=Admin", "123456789012=Admin,"] {
            assert!(parse(&["--account", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn approve_after_is_measured_in_seconds() {
        let config = parse(&["--approve-after", "5"]).unwrap().config();
        assert_eq!(
            config.auto,
            Some(AutoDecision {
                decision: Decision::Approve,
                after: After::Time(Duration::from_secs(5))
            })
        );
    }

    #[test]
    fn two_automatic_decisions_are_a_usage_error() {
        let error = parse(&["--approve-after-polls", "1", "--deny-after-polls", "1"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
        let error = parse(&["--approve-authorizations", "--deny-authorizations"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
    }

    #[test]
    fn authorization_decisions_reach_the_config_beside_device_ones() {
        let config = parse(&["--approve-authorizations", "--approve-after-polls", "2"])
            .unwrap()
            .config();
        assert_eq!(
            config.auto_authorization,
            Some(AutoAuthorization::new(Decision::Approve, Duration::ZERO))
        );
        assert_eq!(
            config.auto,
            Some(AutoDecision::new(Decision::Approve, After::Polls(2)))
        );
        let config = parse(&["--approve-authorizations-after", "3"])
            .unwrap()
            .config();
        assert_eq!(
            config.auto_authorization,
            Some(AutoAuthorization::new(
                Decision::Approve,
                Duration::from_secs(3)
            ))
        );
        let config = parse(&["--deny-authorizations"]).unwrap().config();
        assert_eq!(
            config.auto_authorization,
            Some(AutoAuthorization::new(Decision::Deny, Duration::ZERO))
        );
    }

    #[test]
    fn a_fixed_time_beyond_year_9999_is_refused_not_a_panic() {
        let error = parse(&["--fixed-time", "18446744073709551615"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ValueValidation);
    }

    #[cfg(feature = "tls")]
    #[test]
    fn tls_names_the_ca_file() {
        assert_eq!(parse(&[]).unwrap().tls(), None);
        let options = parse(&["--tls", "ca.pem"]).unwrap();
        assert_eq!(options.tls(), Some(Path::new("ca.pem")));
    }
}
