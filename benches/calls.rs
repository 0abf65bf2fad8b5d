//! Per-call cost of a generated call against raw reqwest, on the same local server.
//!
//! `cargo bench --bench calls` prints, side by side in one run: mean time per call
//! (sequential), calls per second (64 concurrent tasks) and, on Unix, the process's
//! CPU time per call of those concurrent runs, for raw reqwest and for
//! `conv.api.plain.get_item(..)`, with their ratio; the same with an API key and with
//! OAuth 2.0; Python `requests` with a session on the same server when python3 and
//! requests are installed; and the memory of 10,000 open conversations.

mod integrations {
    conv_api::conv_api!("benches/apis.yaml");
}

use std::time::Instant;

use conv_api::{Conv, Environment, MapSecretStore, Runtime};
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
    let base = format!("http://{}/v1", server.address);
    println!("server: {base} (fixed 200 JSON response, keep-alive); 2 runtime threads\n");
    let secrets = MapSecretStore::new()
        .with("BENCH_API_KEY", "bench-key")
        .with("BENCH_CLIENT_SECRET", "bench-secret")
        .with("OAUTH_SANDBOX_TOKEN_URL", format!("http://{}/token", server.address));
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(secrets)
        .base_url("plain", base.clone())
        .base_url("keyed", base.clone())
        .base_url("oauth", base.clone())
        .build()
        .expect("runtime builds");
    let raw = reqwest::Client::new();

    println!("ratio: conv-api time over raw reqwest time (1.03 = 3% slower)");
    println!("{:<42} {:>14} {:>14} {:>8}", "benchmark", "raw reqwest", "conv-api", "ratio");
    for (auth, header) in [
        (BenchAuth::Plain, None),
        (BenchAuth::ApiKey, Some(("x-api-key", "bench-key"))),
        (BenchAuth::OAuth2, Some(("authorization", "Bearer bench-token"))),
    ] {
        let raw_call = RawCall { client: raw.clone(), base: base.clone(), header };
        let (raw_times, ours_times) = compare(
            || sequential(raw_call.clone(), None),
            || sequential(raw_call.clone(), Some((runtime.clone(), auth))),
        )
        .await;
        let (raw_time, ours_time) = (median(raw_times), median(ours_times));
        row(
            &format!("{}: sequential, mean per call", auth.name()),
            micros(raw_time),
            micros(ours_time),
            ours_time / raw_time,
        );
        let (raw_runs, ours_runs) = compare(
            || concurrent(raw_call.clone(), None),
            || concurrent(raw_call.clone(), Some((runtime.clone(), auth))),
        )
        .await;
        let per_second = |runs: &[Run]| median(runs.iter().map(|run| run.per_second).collect());
        let (raw_rate, ours_rate) = (per_second(&raw_runs), per_second(&ours_runs));
        row(
            &format!("{}: {CONCURRENT_TASKS} concurrent, calls/s", auth.name()),
            rate(raw_rate),
            rate(ours_rate),
            raw_rate / ours_rate,
        );
        let cpu = |runs: &[Run]| runs.iter().map(|run| run.cpu_per_call).collect::<Option<Vec<f64>>>().map(median);
        if let (Some(raw_cpu), Some(ours_cpu)) = (cpu(&raw_runs), cpu(&ours_runs)) {
            row(
                &format!("{}: CPU per call (64 concurrent)", auth.name()),
                micros(raw_cpu),
                micros(ours_cpu),
                ours_cpu / raw_cpu,
            );
        }
    }
    python_requests(&base, &runtime).await;
    memory_of_conversations(&runtime);
}

/// Which API of `benches/apis.yaml` a measurement calls.
#[derive(Clone, Copy)]
enum BenchAuth {
    Plain,
    ApiKey,
    OAuth2,
}

impl BenchAuth {
    fn name(self) -> &'static str {
        match self {
            BenchAuth::Plain => "no auth",
            BenchAuth::ApiKey => "API key",
            BenchAuth::OAuth2 => "OAuth 2.0",
        }
    }
}

/// The raw reqwest side: the same URL, and the header the runtime would add.
#[derive(Clone)]
struct RawCall {
    client: reqwest::Client,
    base: String,
    header: Option<(&'static str, &'static str)>,
}

impl RawCall {
    async fn call(&self, item: &str) {
        let mut request = self.client.get(format!("{}/items/{item}", self.base));
        if let Some((name, value)) = self.header {
            request = request.header(name, value);
        }
        let response = request.send().await.expect("server answers");
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("body is read");
    }
}

/// One call through the generated API of `auth`.
async fn generated(conv: &Conv<Api>, auth: BenchAuth, item: &str) {
    let request = match auth {
        BenchAuth::Plain => conv.api.plain.get_item(item),
        BenchAuth::ApiKey => conv.api.keyed.get_item(item),
        BenchAuth::OAuth2 => conv.api.oauth.get_item(item),
    };
    let response = request.await.expect("server answers");
    assert_eq!(response.status_code(), 200);
}

/// Runs both measurements `ROUNDS` times, interleaved (after one warm-up each).
async fn compare<T, A, B, FA, FB>(mut first: A, mut second: B) -> (Vec<T>, Vec<T>)
where
    A: FnMut() -> FA,
    B: FnMut() -> FB,
    FA: std::future::Future<Output = T>,
    FB: std::future::Future<Output = T>,
{
    first().await;
    second().await;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        a.push(first().await);
        b.push(second().await);
    }
    (a, b)
}

/// Mean seconds per call: raw reqwest, or the generated API when `ours` is given.
async fn sequential(raw: RawCall, ours: Option<(Runtime, BenchAuth)>) -> f64 {
    let conv: Option<(Conv<Api>, BenchAuth)> = ours.map(|(runtime, auth)| (runtime.conversation(), auth));
    let started = Instant::now();
    for i in 0..SEQUENTIAL_CALLS {
        let item = i.to_string();
        match &conv {
            Some((conv, auth)) => generated(conv, *auth, &item).await,
            None => raw.call(&item).await,
        }
    }
    started.elapsed().as_secs_f64() / SEQUENTIAL_CALLS as f64
}

/// One round of concurrent calls: calls per second, and the process's CPU time per
/// call (every thread, the server's too) where the platform reports it.
#[derive(Clone, Copy)]
struct Run {
    per_second: f64,
    cpu_per_call: Option<f64>,
}

/// Calls per second over 64 tasks; with the generated API each task is its own conversation.
async fn concurrent(raw: RawCall, ours: Option<(Runtime, BenchAuth)>) -> Run {
    let (started, cpu_started) = (Instant::now(), process_cpu_seconds());
    let tasks: Vec<_> = (0..CONCURRENT_TASKS)
        .map(|task| {
            let raw = raw.clone();
            let conv: Option<(Conv<Api>, BenchAuth)> =
                ours.as_ref().map(|(runtime, auth)| (runtime.conversation(), *auth));
            tokio::spawn(async move {
                for i in 0..CALLS_PER_TASK {
                    let item = format!("{task}-{i}");
                    match &conv {
                        Some((conv, auth)) => generated(conv, *auth, &item).await,
                        None => raw.call(&item).await,
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task finishes");
    }
    let calls = (CONCURRENT_TASKS * CALLS_PER_TASK) as f64;
    let cpu = cpu_started.zip(process_cpu_seconds()).map(|(start, end)| (end - start) / calls);
    Run { per_second: calls / started.elapsed().as_secs_f64(), cpu_per_call: cpu }
}

/// CPU time used so far by the whole process (every thread), in seconds.
#[cfg(unix)]
fn process_cpu_seconds() -> Option<f64> {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `time` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    (status == 0).then_some(time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9)
}

#[cfg(not(unix))]
fn process_cpu_seconds() -> Option<f64> {
    None
}

/// Calls per second of Python `requests` with a session, next to conv-api, on the same server.
async fn python_requests(base: &str, runtime: &Runtime) {
    let script = format!(
        "import time, requests\ns = requests.Session()\nn = {SEQUENTIAL_CALLS}\nt = time.perf_counter()\n\
         for i in range(n):\n    r = s.get('{base}/items/%d' % i)\n    r.raise_for_status()\n    r.json()\n\
         print(n / (time.perf_counter() - t))\n"
    );
    let output = tokio::process::Command::new("python3").arg("-c").arg(&script).output().await;
    let python = match output {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout).trim().parse::<f64>().ok(),
        _ => None,
    };
    let Some(python) = python else {
        println!("\nPython requests: skipped (python3 with the `requests` package is not installed)");
        return;
    };
    let ours = 1.0
        / sequential(
            RawCall { client: reqwest::Client::new(), base: base.to_string(), header: None },
            Some((runtime.clone(), BenchAuth::Plain)),
        )
        .await;
    println!(
        "\nsequential calls/s: Python requests (session) {python:.0}/s, conv-api {ours:.0}/s, conv-api is {:.1}x",
        ours / python
    );
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
    println!("{name:<42} {raw:>14} {ours:>14} {ratio:>8.3}");
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
const TOKEN: &str = "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

/// Answers requests on one connection until it closes; bodies are read and ignored.
async fn serve(mut stream: tokio::net::TcpStream) {
    let reply = |body: &str| {
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
    };
    let (response, token) = (reply(BODY), reply(TOKEN));
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
            let answer = if head.starts_with("post /token") { &token } else { &response };
            buffer.drain(..end + 4 + length);
            if stream.write_all(answer.as_bytes()).await.is_err() {
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
