//! The calls that `bench/instructions/run.sh` counts under callgrind: one side (see
//! [`SIDES`]) making N sequential calls on one thread against a local keep-alive server.
//!
//! `cargo bench --bench call_loop -- SIDE N` runs one side; without arguments (as a
//! plain `cargo bench` runs it) it makes 500 calls per side and prints the time per
//! call, which is no substitute for `cargo bench --bench calls`.

mod common;
mod integrations {
    conv_api::conv_api!("benches/apis.yaml");
}

use std::time::Instant;

use conv_api::{Conv, DEFAULT_TIMEOUT};
use integrations::Api;

/// Every side: raw reqwest without and with a timeout, with no auth header, the API
/// key's header and the OAuth 2.0 token's, then the generated calls of the three APIs.
const SIDES: [&str; 9] =
    ["raw", "raw-timeout", "raw-key", "raw-key-timeout", "raw-bearer", "raw-bearer-timeout", "plain", "key", "oauth"];
/// Calls before counting starts: connections, token and caches warm.
const WARM_UP: usize = 50;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|arg| arg != "--bench").collect();
    let server = common::start_server().await;
    let base = format!("http://{server}/v1");
    let runtime = common::runtime(&server, &base);
    let conv: Conv<Api> = runtime.conversation();
    let raw = reqwest::Client::new();
    let call = |side: &'static str, item: String| {
        let (conv, raw, base) = (&conv, &raw, &base);
        async move { one(side, conv, raw, base, &item).await }
    };
    match args.as_slice() {
        [side, count] => {
            let Some(side) = SIDES.iter().copied().find(|known| known == side) else {
                eprintln!("unknown side `{side}`; one of {SIDES:?}");
                std::process::exit(2);
            };
            let count: usize = count.parse().unwrap_or_else(|_| {
                eprintln!("N must be a number of calls, not `{count}`");
                std::process::exit(2)
            });
            for i in 0..WARM_UP + count {
                call(side, i.to_string()).await;
            }
        }
        [] => {
            for side in SIDES {
                let started = Instant::now();
                for i in 0..500 {
                    call(side, i.to_string()).await;
                }
                println!("{side:<16} {:>8.1} us per call", started.elapsed().as_secs_f64() * 1e6 / 500.0);
            }
        }
        _ => {
            eprintln!("usage: call_loop [SIDE N]; SIDE is one of {SIDES:?}");
            std::process::exit(2);
        }
    }
}

/// One call of `side`; raw sides send what the generated call sends.
async fn one(side: &str, conv: &Conv<Api>, raw: &reqwest::Client, base: &str, item: &str) {
    let status = match side {
        "plain" => conv.api.plain.get_item(item).await.expect("server answers").status_code(),
        "key" => conv.api.keyed.get_item(item).await.expect("server answers").status_code(),
        "oauth" => conv.api.oauth.get_item(item).await.expect("server answers").status_code(),
        _ => {
            let mut request = raw.get(format!("{base}/items/{item}"));
            if side.starts_with("raw-key") {
                request = request.header("x-api-key", "bench-key");
            }
            if side.starts_with("raw-bearer") {
                request = request.header("authorization", "Bearer bench-token");
            }
            if side.ends_with("timeout") {
                request = request.timeout(DEFAULT_TIMEOUT);
            }
            let response = request.send().await.expect("server answers");
            let status = response.status().as_u16();
            response.bytes().await.expect("body is read");
            status
        }
    };
    assert_eq!(status, 200);
}
