//! `sso-oidc-emulator`: a local AWS IAM Identity Center OIDC service for tests and demos.
//!
//! Prints its base URL on the first line of standard output, then one line per request on
//! standard error, until Ctrl-C.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::{Duration, Instant, UNIX_EPOCH};

use clap::Parser;
use sso_oidc_emulator::{Config, Emulator, Fault, LoggedRequest, TestCa};

/// A local AWS IAM Identity Center OIDC (SSO OIDC) service, for tests and demos.
///
/// Point a client at the URL it prints (e.g. `aws sso-oidc ... --endpoint-url URL`), then
/// approve or deny each sign-in on its verification page, URL/device.
#[derive(Debug, Parser)]
#[command(name = "sso-oidc-emulator", version)]
struct Args {
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
    #[arg(long, value_name = "CA_FILE")]
    tls: Option<std::path::PathBuf>,
    /// Print only the URL, not each request.
    #[arg(short, long)]
    quiet: bool,
}

impl Args {
    fn config(&self) -> Config {
        let mut config = Config::default()
            .with_interval(Duration::from_secs(self.interval))
            .with_expires_in(Duration::from_secs(self.expires_in))
            .with_access_token_lifetime(Duration::from_secs(self.token_lifetime))
            .with_client_secret_lifetime(Duration::from_secs(self.client_secret_lifetime))
            .with_refresh_tokens(!self.no_refresh_tokens);
        if let Some(seed) = self.seed {
            config = config.with_seed(seed);
        }
        if let Some(seconds) = self.fixed_time {
            config = config.with_fixed_wall_clock(UNIX_EPOCH + Duration::from_secs(seconds));
        }
        if let Some(n) = self.approve_after_polls {
            config = config.approve_after_polls(n);
        }
        if let Some(seconds) = self.approve_after {
            config = config.approve_after(Duration::from_secs(seconds));
        }
        if let Some(n) = self.deny_after_polls {
            config = config.deny_after_polls(n);
        }
        config
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("sso-oidc-emulator: cannot start a runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let addr = SocketAddr::new(args.host, args.port);
    let started = match &args.tls {
        None => Emulator::bind(addr, args.config()).await,
        Some(ca_file) => match TestCa::generate() {
            Ok(ca) => match std::fs::write(ca_file, ca.ca_pem()) {
                Ok(()) => Emulator::bind_tls(addr, args.config(), &ca.identity()).await,
                Err(error) => {
                    eprintln!(
                        "sso-oidc-emulator: cannot write {}: {error}",
                        ca_file.display()
                    );
                    return ExitCode::FAILURE;
                }
            },
            Err(error) => Err(error.into()),
        },
    };
    let emulator = match started {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("sso-oidc-emulator: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(seconds) = args.delay_responses {
        emulator.inject(Fault::Delay(Duration::from_secs(seconds)));
    }
    let started = Instant::now();
    println!("{}", emulator.url());
    let _ = std::io::stdout().flush();
    if !args.quiet {
        eprintln!(
            "SSO OIDC emulator on {url}\n  verification page: {url}/device\n  \
             e.g. aws sso-oidc register-client --client-name demo --client-type public \
             --endpoint-url {url} --region us-east-1\nCtrl-C stops it.",
            url = emulator.url()
        );
    }
    let mut shown = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    // One listener for the whole run: a new one per turn of the loop would miss a Ctrl-C that
    // arrives between two turns, and the emulator would not stop.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            _ = &mut ctrl_c => break,
            _ = tick.tick(), if !args.quiet => {
                let new: Vec<LoggedRequest> =
                    emulator.with_service(|service| service.log()[shown..].to_vec());
                shown += new.len();
                for entry in new {
                    eprintln!("{}", describe(&entry, started));
                }
            }
        }
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// One request as a line: when, what, and how it was answered.
fn describe(entry: &LoggedRequest, started: Instant) -> String {
    let at = entry.at.saturating_duration_since(started).as_secs_f64();
    let what = entry.operation.map_or_else(
        || format!("{} {}", entry.method, entry.uri),
        |op| op.name().to_owned(),
    );
    let answer = entry.status.map_or_else(
        || "no answer".to_owned(),
        |status| status.as_u16().to_string(),
    );
    match &entry.fault {
        Some(fault) => format!("{at:9.3}s {what} -> {answer} (injected {fault:?})"),
        None => format!("{at:9.3}s {what} -> {answer}"),
    }
}
