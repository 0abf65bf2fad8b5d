//! Per-call cost of a generated call against raw reqwest, on the same local server.
//!
//! `cargo bench --bench calls` prints, side by side in one run: mean time per call
//! (sequential) and calls per second (64 concurrent tasks) for raw reqwest and for
//! `conv.api.plain.get_item(..)`, with their ratio; the same with an API key and
//! with OAuth 2.0; Python `requests` with a session on the same server when python3
//! and requests are installed; and the memory of 10,000 open conversations.

mod integrations {
    conv_api::conv_api!("benches/apis.yaml");
}

use std::time::Instant;

use conv_api::{Conv, Environment, Runtime};
use integrations::Api;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SEQUENTIAL_CALLS: usize = 2_000;
const CONCURRENT_TASKS: usize = 64;
const CALLS_PER_TASK: usize = 100;
const ROUNDS: usize = 5;
const CONVERSATIONS: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = FastServer::start().await;
    println!("server: http://{} (fixed 200 JSON response, keep-alive)\n", server.address);
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("plain", format!("http://{}/v1", server.address))
        .build()
        .expect("runtime builds");
    let raw = reqwest::Client::new();
    let url = format!("http://{}/v1/items/", server.address);

    println!("{:<34} {:>14} {:>14} {:>8}", "benchmark", "raw reqwest", "conv-api", "ratio");
    let conv: Conv<Api> = runtime.conversation();
    let (raw_time, ours_time) =
        compare(|| sequential_raw(raw.clone(), url.clone()), || sequential_generated(runtime.clone())).await;
    println!("(ratio: conv-api time over raw reqwest time; 1.03 = 3% slower)");
    row("sequential, mean per call", micros(raw_time), micros(ours_time), ours_time / raw_time);
    let (raw_rate, ours_rate) =
        compare(|| concurrent_raw(raw.clone(), url.clone()), || concurrent_generated(runtime.clone())).await;
    row("64 concurrent, calls/s", rate(raw_rate), rate(ours_rate), raw_rate / ours_rate);
    drop(conv);

    memory_of_conversations(&runtime);
}

/// Runs both measurements `ROUNDS` times, interleaved, and keeps each one's median.
async fn compare<A, B, FA, FB>(mut first: A, mut second: B) -> (f64, f64)
where
    A: FnMut() -> FA,
    B: FnMut() -> FB,
    FA: std::future::Future<Output = f64>,
    FB: std::future::Future<Output = f64>,
{
    first().await;
    second().await;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        a.push(first().await);
        b.push(second().await);
    }
    (median(a), median(b))
}

/// Mean seconds per call.
async fn sequential_raw(client: reqwest::Client, url: String) -> f64 {
    let started = Instant::now();
    for i in 0..SEQUENTIAL_CALLS {
        let response = client.get(format!("{url}{i}")).send().await.expect("server answers");
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("body is read");
    }
    started.elapsed().as_secs_f64() / SEQUENTIAL_CALLS as f64
}

/// Mean seconds per call.
async fn sequential_generated(runtime: Runtime) -> f64 {
    let conv: Conv<Api> = runtime.conversation();
    let started = Instant::now();
    for i in 0..SEQUENTIAL_CALLS {
        let response = conv.api.plain.get_item(i).await.expect("server answers");
        assert_eq!(response.status_code(), 200);
    }
    started.elapsed().as_secs_f64() / SEQUENTIAL_CALLS as f64
}

/// Calls per second.
async fn concurrent_raw(client: reqwest::Client, url: String) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENT_TASKS)
        .map(|task| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                for i in 0..CALLS_PER_TASK {
                    let response = client.get(format!("{url}{task}-{i}")).send().await.expect("server answers");
                    response.bytes().await.expect("body is read");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task finishes");
    }
    (CONCURRENT_TASKS * CALLS_PER_TASK) as f64 / started.elapsed().as_secs_f64()
}

/// Calls per second; every task is its own conversation, as in a server.
async fn concurrent_generated(runtime: Runtime) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENT_TASKS)
        .map(|task| {
            let conv: Conv<Api> = runtime.conversation();
            tokio::spawn(async move {
                for i in 0..CALLS_PER_TASK {
                    conv.api.plain.get_item(format!("{task}-{i}")).await.expect("server answers");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task finishes");
    }
    (CONCURRENT_TASKS * CALLS_PER_TASK) as f64 / started.elapsed().as_secs_f64()
}

/// Resident memory added by 10,000 open conversations (Linux: /proc/self/statm).
fn memory_of_conversations(runtime: &Runtime) {
    let Some(before) = resident_bytes() else {
        println!("\nmemory: /proc/self/statm is not available here; skipped");
        return;
    };
    let conversations: Vec<Conv<Api>> = (0..CONVERSATIONS).map(|_| runtime.conversation()).collect();
    let after = resident_bytes().unwrap_or(before);
    let per = after.saturating_sub(before) as f64 / CONVERSATIONS as f64;
    println!(
        "\nmemory of {CONVERSATIONS} open conversations: {:.1} MiB resident, {per:.0} bytes each",
        after.saturating_sub(before) as f64 / (1024.0 * 1024.0)
    );
    drop(conversations);
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn row(name: &str, raw: String, ours: String, ratio: f64) {
    println!("{name:<34} {raw:>14} {ours:>14} {ratio:>8.3}");
}

fn micros(seconds: f64) -> String {
    format!("{:.1} us", seconds * 1e6)
}

fn rate(per_second: f64) -> String {
    format!("{per_second:.0}/s")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A minimal HTTP/1.1 server: answers every request with the same small JSON body.
struct FastServer {
    address: std::net::SocketAddr,
}

impl FastServer {
    async fn start() -> FastServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port is free");
        let address = listener.local_addr().expect("bound address");
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
        FastServer { address }
    }
}

const BODY: &str = "{\"id\":1,\"status\":\"open\"}";

/// Answers requests on one connection until it closes; bodies are read and ignored.
async fn serve(mut stream: tokio::net::TcpStream) {
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = find(&buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buffer.len() < end + 4 + length {
                break;
            }
            buffer.drain(..end + 4 + length);
            if stream.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}
