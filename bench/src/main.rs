//! `sso-oidc-bench`: sso-oidc against aws-sdk-ssooidc, for StartDeviceAuthorization and a
//! pending CreateToken. `run.sh` drives it; see BENCHMARKS.md at the repository root.
//!
//! ```text
//! sso-oidc-bench inproc   [ROUNDS]             ns/call and allocations/call, in-process
//! sso-oidc-bench calls    SIDE OP N            N calls after a warm-up, for callgrind
//!                                              (SIDE: ours | sdk | block-on; OP: start | pending)
//! sso-oidc-bench breakdown                     allocations of each step of our in-process call
//! sso-oidc-bench loopback [ROUNDS] [CALLS] [URL]
//!                                              µs/call against the loopback server (its own,
//!                                              on a thread, or a `serve` at URL)
//! sso-oidc-bench client   CLIENT OP N URL      N calls of one loopback client (raw | ureq |
//!                                              hyper | sdk | ureq-by-name) to a `serve`, for
//!                                              strace, perf or callgrind
//! sso-oidc-bench serve    SECONDS              the loopback server alone; prints its URL
//! ```
#![deny(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use sso_oidc::Endpoint;
use sso_oidc_bench::{Op, median, nanos, ours, sdk, server};
use tokio::runtime::Runtime;

/// Counts every call that hands out memory (`alloc`, `alloc_zeroed`, `realloc`) and the bytes
/// asked for; frees are not counted.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

#[allow(unsafe_code)]
// SAFETY: every method forwards to `System` with the caller's own arguments, so `System`'s
// guarantees are the caller's; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as given.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        // SAFETY: forwarded as given.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size as u64, Relaxed);
        // SAFETY: forwarded as given.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as given.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let number = |i: usize, default: u32| arg(i).map_or(default, |a| a.parse().expect("a number"));
    match arg(0) {
        Some("inproc") => inproc(number(1, 15)),
        Some("calls") => {
            let op = arg(2).and_then(Op::from_arg).expect("OP: start | pending");
            calls(
                arg(1).expect("SIDE: ours | sdk | block-on"),
                op,
                number(3, 1000),
            );
        }
        Some("breakdown") => breakdown(),
        Some("loopback") => loopback(number(1, 9), number(2, 2000), arg(3)),
        Some("client") => {
            let op = arg(2).and_then(Op::from_arg).expect("OP: start | pending");
            let url = arg(4).expect("URL of a running `serve`");
            one_client(
                arg(1).expect("CLIENT: raw | ureq | hyper | sdk"),
                op,
                number(3, 1000),
                url,
            );
        }
        Some("serve") => {
            let url = server::start().expect("a loopback port");
            println!("{url}");
            std::thread::sleep(Duration::from_secs(number(1, 60).into()));
        }
        _ => {
            eprintln!("usage: see the top of bench/src/main.rs");
            std::process::exit(2);
        }
    }
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// One side of the in-process comparison, as a call to repeat.
#[allow(clippy::large_enum_variant, reason = "three values per process")]
enum Side {
    Ours(Endpoint),
    /// The SDK with the canned HTTP client, one `block_on` per call.
    Sdk(Runtime, aws_sdk_ssooidc::Client),
    /// `block_on` of an empty future: what the SDK's number includes besides the SDK.
    BlockOn(Runtime),
}

impl Side {
    fn new(name: &str) -> Self {
        match name {
            "ours" => Self::Ours(ours::endpoint()),
            "sdk" => Self::Sdk(runtime(), sdk::canned_client()),
            "block-on" => Self::BlockOn(runtime()),
            other => panic!("unknown side {other}"),
        }
    }

    fn call(&self, op: Op) {
        match self {
            Self::Ours(endpoint) => ours::call(op, endpoint),
            Self::Sdk(runtime, client) => runtime.block_on(sdk::call(op, client)),
            Self::BlockOn(runtime) => runtime.block_on(black_box(async {})),
        }
    }

    /// Enough calls for about 20 ms.
    fn calls_per_round(&self, op: Op) -> u32 {
        let started = Instant::now();
        for _ in 0..100 {
            self.call(op);
        }
        let per_call = started.elapsed() / 100;
        (Duration::from_millis(20).as_nanos() / per_call.as_nanos().max(1)).clamp(100, 1_000_000)
            as u32
    }

    fn allocations_per_call(&self, op: Op, calls: u32) -> (f64, f64) {
        let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
        for _ in 0..calls {
            self.call(op);
        }
        let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
        (
            (a1 - a0) as f64 / f64::from(calls),
            (b1 - b0) as f64 / f64::from(calls),
        )
    }
}

/// ns/call (median of `rounds`, the sides interleaved round by round) and allocations/call.
/// No other thread runs meanwhile, so the allocation counters see only these calls.
fn inproc(rounds: u32) {
    let sides = ["ours", "sdk", "block-on"].map(|name| (name, Side::new(name)));
    println!(
        "| operation | side | ns/call (median) | min | allocations/call | bytes allocated/call |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for op in Op::ALL {
        let counts: Vec<u32> = sides.iter().map(|(_, s)| s.calls_per_round(op)).collect();
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); sides.len()];
        for _ in 0..rounds {
            for (i, (_, side)) in sides.iter().enumerate() {
                let started = Instant::now();
                for _ in 0..counts[i] {
                    side.call(op);
                }
                samples[i].push(nanos(started.elapsed()) / f64::from(counts[i]));
            }
        }
        for (i, (name, side)) in sides.iter().enumerate() {
            let (allocations, bytes) = side.allocations_per_call(op, 1000);
            let min = samples[i].iter().copied().fold(f64::INFINITY, f64::min);
            println!(
                "| {} | {name} | {:.0} | {min:.0} | {allocations:.1} | {bytes:.0} |",
                op.name(),
                median(&mut samples[i]),
            );
        }
    }
}

/// Ten warm-up calls, then `n` calls: run under callgrind with N and 2N and subtract, so that
/// start-up and set-up drop out.
fn calls(side: &str, op: Op, n: u32) {
    let side = Side::new(side);
    for _ in 0..10 {
        side.call(op);
    }
    for _ in 0..n {
        side.call(op);
    }
}

/// The loopback clients, each on its own kept-alive connection to `url`.
struct Clients {
    runtime: Runtime,
    raw: server::Raw,
    ureq: sso_oidc_ureq::Client,
    ureq_by_name: sso_oidc_ureq::Client,
    hyper: sso_oidc_hyper::Client,
    sdk: aws_sdk_ssooidc::Client,
}

impl Clients {
    const NAMES: [&str; 5] = [
        "raw std::net",
        "sso-oidc-ureq",
        "sso-oidc-hyper",
        "aws-sdk-ssooidc",
        "sso-oidc-ureq, host `localhost`",
    ];

    fn new(url: &str) -> Self {
        let endpoint = Endpoint::from_url(url).expect("a loopback URL");
        let runtime = runtime();
        let raw = server::Raw::connect(url).expect("a connection to the server");
        let ureq_client = |endpoint: Endpoint| {
            sso_oidc_ureq::Client::builder()
                .endpoint(endpoint)
                .no_proxy_from_env()
                .build()
                .expect("a ureq client")
        };
        let ureq = ureq_client(endpoint.clone());
        // The same server by name: ureq resolves the name before every call.
        let by_name = url.replace("127.0.0.1", "localhost");
        let ureq_by_name = ureq_client(Endpoint::from_url(&by_name).expect("a loopback URL"));
        let hyper = runtime.block_on(async {
            sso_oidc_hyper::Client::builder()
                .endpoint(endpoint.clone())
                .no_proxy_from_env()
                .build()
                .expect("a hyper client")
        });
        let sdk = runtime.block_on(async { sdk::loopback_client(url) });
        Self {
            runtime,
            raw,
            ureq,
            ureq_by_name,
            hyper,
            sdk,
        }
    }

    /// `n` calls of client `which` (an index into `NAMES`); µs per call.
    fn run(&mut self, which: usize, op: Op, n: u32) -> f64 {
        let started = Instant::now();
        match which {
            0 => {
                for _ in 0..n {
                    black_box(self.raw.call(op).expect("an answer"));
                }
            }
            1 => {
                for _ in 0..n {
                    ours::ureq_call(op, &self.ureq);
                }
            }
            // The async clients run their loop inside one `block_on`, as an application
            // would await calls one after another.
            2 => self.runtime.block_on(async {
                for _ in 0..n {
                    ours::hyper_call(op, &self.hyper).await;
                }
            }),
            3 => self.runtime.block_on(async {
                for _ in 0..n {
                    sdk::call(op, &self.sdk).await;
                }
            }),
            _ => {
                for _ in 0..n {
                    ours::ureq_call(op, &self.ureq_by_name);
                }
            }
        }
        nanos(started.elapsed()) / 1e3 / f64::from(n)
    }
}

fn one_client(name: &str, op: Op, n: u32, url: &str) {
    let which = ["raw", "ureq", "hyper", "sdk", "ureq-by-name"]
        .iter()
        .position(|c| *c == name)
        .expect("CLIENT: raw | ureq | hyper | sdk | ureq-by-name");
    let mut clients = Clients::new(url);
    println!(
        "{}: {:.1} µs/call",
        Clients::NAMES[which],
        clients.run(which, op, n)
    );
}

/// µs/call against the loopback server: the raw std::net floor, both transports and the SDK's
/// default HTTP client, each on its own kept-alive connection, interleaved round by round.
fn loopback(rounds: u32, calls: u32, url: Option<&str>) {
    let url = match url {
        Some(url) => url.to_owned(),
        None => server::start().expect("a loopback port"),
    };
    let mut clients = Clients::new(&url);
    println!("| operation | client | µs/call (median) | min | ratio to raw |");
    println!("|---|---|---:|---:|---:|");
    for op in Op::ALL {
        for which in 0..Clients::NAMES.len() {
            clients.run(which, op, calls / 10);
        }
        let mut samples: Vec<Vec<f64>> = vec![Vec::new(); Clients::NAMES.len()];
        for _ in 0..rounds {
            for (which, sample) in samples.iter_mut().enumerate() {
                sample.push(clients.run(which, op, calls));
            }
        }
        let floor = median(&mut samples[0].clone());
        for (name, sample) in Clients::NAMES.iter().zip(&mut samples) {
            let min = sample.iter().copied().fold(f64::INFINITY, f64::min);
            let mid = median(sample);
            println!(
                "| {} | {name} | {mid:.1} | {min:.1} | {:.2}x |",
                op.name(),
                mid / floor
            );
        }
    }
}

/// Allocations (and bytes) of `f`, averaged over 100 runs.
fn allocations<T>(mut f: impl FnMut() -> T) -> (f64, f64) {
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    for _ in 0..100 {
        black_box(f());
    }
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    ((a1 - a0) as f64 / 100.0, (b1 - b0) as f64 / 100.0)
}

/// Where our in-process allocations go, step by step.
fn breakdown() {
    use sso_oidc::{CreateToken, StartDeviceAuthorization};
    use sso_oidc_bench::canned;
    let endpoint = ours::endpoint();
    let start = ours::start_request();
    let pending = ours::pending_request();
    let steps: [(&str, (f64, f64)); 8] = [
        (
            "StartDeviceAuthorization builder",
            allocations(ours::start_request),
        ),
        (
            "StartDeviceAuthorization to_http",
            allocations(|| start.to_http(&endpoint)),
        ),
        (
            "canned 200 response",
            allocations(|| canned::response(Op::Start, |b| b)),
        ),
        (
            "StartDeviceAuthorization::parse (response built outside)",
            allocations_with(
                || canned::response(Op::Start, |b| b),
                StartDeviceAuthorization::parse,
            ),
        ),
        ("CreateToken builder", allocations(ours::pending_request)),
        (
            "CreateToken to_http",
            allocations(|| pending.to_http(&endpoint)),
        ),
        (
            "canned 400 response",
            allocations(|| canned::response(Op::Pending, |b| b)),
        ),
        (
            "CreateToken::parse, pending (response built outside)",
            allocations_with(|| canned::response(Op::Pending, |b| b), CreateToken::parse),
        ),
    ];
    println!("| step | allocations | bytes |");
    println!("|---|---:|---:|");
    for (name, (allocations, bytes)) in steps {
        println!("| {name} | {allocations:.1} | {bytes:.0} |");
    }
}

/// Allocations of `f` alone, its input made by `input` outside the count.
fn allocations_with<I, T>(mut input: impl FnMut() -> I, mut f: impl FnMut(I) -> T) -> (f64, f64) {
    let inputs: Vec<I> = (0..100).map(|_| input()).collect();
    let (a0, b0) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    for i in inputs {
        black_box(f(i));
    }
    let (a1, b1) = (ALLOCATIONS.load(Relaxed), BYTES.load(Relaxed));
    ((a1 - a0) as f64 / 100.0, (b1 - b0) as f64 / 100.0)
}
