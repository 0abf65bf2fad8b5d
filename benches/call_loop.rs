//! The calls that `bench/instructions/run.sh` counts under callgrind: one side (see
//! [`SIDES`]) making N calls on one thread against a local keep-alive server.
//!
//! `cargo bench --bench call_loop -- SIDE N` runs one side, one call after another;
//! `-- SIDE N TASKS` spreads the N calls over TASKS tasks on the same thread, each
//! its own conversation, so that TASKS calls are in flight at once (as in the 64
//! concurrent calls of `cargo bench --bench calls`, for cachegrind's cache model).
//! Without arguments (as a plain `cargo bench` runs it) it makes 500 calls per side
//! and prints the time per call, which is no substitute for `cargo bench --bench calls`.

mod common;

use std::rc::Rc;
use std::time::Instant;

use common::integrations::Api;
use common::{generated, BenchAuth, RawCall};
use conv_api::{Conv, Runtime, DEFAULT_TIMEOUT};

/// Every side: raw reqwest without and with a timeout, with no auth header, the API
/// key's header and the OAuth 2.0 token's, then the generated calls of the three APIs
/// in one runtime (`plain` looks for the other two APIs' credentials in what it
/// logs), and `plain-alone`, the no-auth call in a runtime that holds no secret.
const SIDES: [&str; 10] = [
    "raw",
    "raw-timeout",
    "raw-key",
    "raw-key-timeout",
    "raw-bearer",
    "raw-bearer-timeout",
    "plain",
    "key",
    "oauth",
    "plain-alone",
];
/// Calls before counting starts: connections, token and caches warm.
const WARM_UP: usize = 50;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| arg != "--bench").collect();
    let server = common::start_server().await;
    let base = format!("http://{server}/v1");
    let runtime = match args.first().map(String::as_str) {
        Some("plain-alone") => common::runtime_without_secrets(&base),
        _ => common::runtime(&server, &base),
    };
    let conv: Conv<Api> = runtime.conversation();
    // the User-Agent conv-api's calls send: both sides send the same request
    let raw = reqwest::Client::builder().no_proxy().user_agent(conv_api::USER_AGENT).build().expect("client builds");
    let side = |name: &str| Side::named(name, &raw, &base);
    let (name, count, tasks) = match args.as_slice() {
        [] => {
            let alone: Conv<Api> = common::runtime_without_secrets(&base).conversation();
            for name in SIDES {
                let Some(side) = side(name) else { continue };
                let conv = if name == "plain-alone" { &alone } else { &conv };
                let started = Instant::now();
                for i in 0..500 {
                    side.call(conv, &i.to_string()).await;
                }
                println!("{name:<18} {:>8.1} us per call", started.elapsed().as_secs_f64() * 1e6 / 500.0);
            }
            return;
        }
        [name, count] => (name, count, None),
        [name, count, tasks] => (name, count, Some(tasks)),
        _ => {
            eprintln!("usage: call_loop [SIDE N [TASKS]]; SIDE is one of {SIDES:?}");
            std::process::exit(2);
        }
    };
    let Some(side) = side(name) else {
        eprintln!("unknown side `{name}`; one of {SIDES:?}");
        std::process::exit(2);
    };
    let count = positive(count, "N must be a positive number of calls");
    match tasks {
        None => {
            for i in 0..WARM_UP + count {
                side.call(&conv, &i.to_string()).await;
            }
        }
        Some(tasks) => {
            let tasks = positive(tasks, "TASKS must be a positive number of tasks");
            tokio::task::LocalSet::new().run_until(in_flight(side, &runtime, WARM_UP + count, tasks)).await;
        }
    }
}

/// `text` as a number above zero; otherwise exits after saying `what`.
fn positive(text: &str, what: &str) -> usize {
    match text.parse() {
        Ok(number) if number > 0 => number,
        _ => {
            eprintln!("{what}, not `{text}`");
            std::process::exit(2)
        }
    }
}

/// `calls` calls of `side` spread over `tasks` tasks on this thread, each task its
/// own conversation; must run inside a `LocalSet`.
async fn in_flight(side: Side, runtime: &Runtime, calls: usize, tasks: usize) {
    let side = Rc::new(side);
    let running: Vec<_> = (0..tasks)
        .map(|task| {
            let (side, conv) = (side.clone(), runtime.conversation::<Api>());
            let share = calls / tasks + usize::from(task < calls % tasks);
            tokio::task::spawn_local(async move {
                for i in 0..share {
                    side.call(&conv, &format!("{task}-{i}")).await;
                }
            })
        })
        .collect();
    for task in running {
        task.await.expect("task finishes");
    }
}

/// What one side calls: raw reqwest, sending what the generated call sends, or a
/// generated call.
enum Side {
    Raw(RawCall),
    Generated(BenchAuth),
}

impl Side {
    /// The side called `name` in [`SIDES`].
    fn named(name: &str, client: &reqwest::Client, base: &str) -> Option<Side> {
        let raw = |auth: BenchAuth, timeout: bool| {
            let timeout = timeout.then_some(DEFAULT_TIMEOUT);
            Side::Raw(RawCall { client: client.clone(), base: base.to_string(), header: auth.raw_header(), timeout })
        };
        Some(match name {
            "raw" => raw(BenchAuth::Plain, false),
            "raw-timeout" => raw(BenchAuth::Plain, true),
            "raw-key" => raw(BenchAuth::ApiKey, false),
            "raw-key-timeout" => raw(BenchAuth::ApiKey, true),
            "raw-bearer" => raw(BenchAuth::OAuth2, false),
            "raw-bearer-timeout" => raw(BenchAuth::OAuth2, true),
            "plain" | "plain-alone" => Side::Generated(BenchAuth::Plain),
            "key" => Side::Generated(BenchAuth::ApiKey),
            "oauth" => Side::Generated(BenchAuth::OAuth2),
            _ => return None,
        })
    }

    /// One call; the answer must be 200.
    async fn call(&self, conv: &Conv<Api>, item: &str) {
        match self {
            Side::Raw(raw) => raw.call(item).await,
            Side::Generated(auth) => generated(conv, *auth, item).await,
        }
    }
}
