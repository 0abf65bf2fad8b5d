//! Per-call cost of a generated call against raw reqwest, on the same local server.
//!
//! `cargo bench --bench calls` prints, side by side in one run: mean time per call
//! (sequential), calls per second (64 concurrent tasks) and, on Unix, the process's
//! CPU time per call of those concurrent runs, for raw reqwest, for raw reqwest with
//! the same per-request timeout the runtime sets (as production code would), and for
//! `conv.api.plain.get_item(..)`, with conv-api's ratio to each; the same with an API
//! key and with OAuth 2.0; Python `requests` with a session on the same server when
//! python3 and requests are installed; and the memory of 10,000 open conversations.
//!
//! The sides take turns, round after round, and each ratio is the median of the
//! rounds' own ratios, with the middle half of them in brackets: a machine whose speed
//! drifts moves the sides of one round together, so their ratio stays put.

mod common;

use std::future::Future;
use std::time::Instant;

use common::integrations::Api;
use common::{generated, BenchAuth, RawCall};
use conv_api::{Conv, Runtime, DEFAULT_TIMEOUT};

const SEQUENTIAL_CALLS: usize = 2_000;
const CONCURRENT_TASKS: usize = 64;
const CALLS_PER_TASK: usize = 100;
const ROUNDS: usize = 9;
const CONVERSATIONS: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = common::start_server().await;
    let base = format!("http://{server}/v1");
    println!("server: {base} (fixed 200 JSON response with 11 headers, keep-alive); 2 runtime threads\n");
    let runtime = common::runtime(&server, &base);
    // the User-Agent conv-api's calls send: both sides send the same request
    let raw = reqwest::Client::builder().no_proxy().user_agent(conv_api::USER_AGENT).build().expect("client builds");
    // first, while the heap holds no freed memory new conversations could reuse unseen
    memory_of_conversations(&runtime);

    println!("ratio: conv-api time over the baseline's (1.03 = 3% slower), the median of {ROUNDS} rounds' ratios");
    println!("(the middle half of them in brackets); \"+ timeout\": raw reqwest with `.timeout({DEFAULT_TIMEOUT:?})`");
    println!("on each request, the bound the runtime puts on every attempt; times are medians");
    println!(
        "{:<38} {:>12} {:>12} {:>12} {:>18} {:>18}",
        "benchmark", "raw reqwest", "+ timeout", "conv-api", "ratio", "ratio(+t)"
    );
    for auth in [BenchAuth::Plain, BenchAuth::ApiKey, BenchAuth::OAuth2] {
        let raw_call = RawCall { client: raw.clone(), base: base.clone(), header: auth.raw_header(), timeout: None };
        // the three sides, in column order: raw, raw with a timeout, conv-api (same URL and header)
        let calls = [raw_call.clone(), RawCall { timeout: Some(DEFAULT_TIMEOUT), ..raw_call.clone() }, raw_call];
        let side = |index: usize| (calls[index].clone(), (index == 2).then(|| (runtime.clone(), auth)));
        let times = compare(|index| {
            let (call, ours) = side(index);
            sequential(call, ours)
        })
        .await;
        row(&format!("{}: sequential, per call", auth.name()), &times, micros, |raw, ours| ours / raw);
        let runs = compare(|index| {
            let (call, ours) = side(index);
            concurrent(call, ours)
        })
        .await;
        let rates = runs.each_ref().map(|runs| runs.iter().map(|run| run.per_second).collect::<Vec<f64>>());
        let name = format!("{}: {CONCURRENT_TASKS} concurrent, calls/s", auth.name());
        row(&name, &rates, rate, |raw, ours| raw / ours);
        let cpu = |runs: &Vec<Run>| runs.iter().map(|run| run.cpu_per_call).collect::<Option<Vec<f64>>>();
        if let [Some(raw), Some(timed), Some(ours)] = runs.each_ref().map(cpu) {
            let name = format!("{}: CPU per call (64 concurrent)", auth.name());
            row(&name, &[raw, timed, ours], micros, |raw, ours| ours / raw);
        }
    }
    python_requests(&base, &runtime).await;
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

/// Runs the three sides (`measure(0..3)`) `ROUNDS` times, interleaved, after one
/// warm-up each.
async fn compare<T, F, Fut>(mut measure: F) -> [Vec<T>; 3]
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = T>,
{
    for index in 0..3 {
        measure(index).await;
    }
    let mut results: [Vec<T>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        for (index, result) in results.iter_mut().enumerate() {
            result.push(measure(index).await);
        }
    }
    results
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
            RawCall { client: reqwest::Client::new(), base: base.to_string(), header: None, timeout: None },
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
        println!("memory: /proc/self/statm is not available here; skipped\n");
        return;
    };
    let conversations: Vec<Conv<Api>> = (0..CONVERSATIONS).map(|_| runtime.conversation()).collect();
    let after = resident_bytes().unwrap_or(before);
    let per = after.saturating_sub(before) as f64 / CONVERSATIONS as f64;
    println!(
        "memory of {CONVERSATIONS} open conversations: {:.1} MiB resident, {per:.0} bytes each\n",
        after.saturating_sub(before) as f64 / (1024.0 * 1024.0)
    );
    drop(conversations);
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// One line: the three sides' median figures, then conv-api's ratio to each
/// baseline, round by round (`ratio(baseline, ours)`): their median and middle half.
fn row(name: &str, sides: &[Vec<f64>; 3], show: fn(f64) -> String, ratio: fn(f64, f64) -> f64) {
    let [raw, timed, ours] = sides.each_ref().map(|values| show(median(values.clone())));
    let ratios = |baseline: &[f64]| {
        let ratios: Vec<f64> = baseline.iter().zip(&sides[2]).map(|(&base, &value)| ratio(base, value)).collect();
        let (low, middle, high) = quartiles(ratios);
        format!("{middle:.3} ({low:.3}-{high:.3})")
    };
    let (ratio, timed_ratio) = (ratios(&sides[0]), ratios(&sides[1]));
    println!("{name:<38} {raw:>12} {timed:>12} {ours:>12} {ratio:>18} {timed_ratio:>18}");
}

fn micros(seconds: f64) -> String {
    format!("{:.1} us", seconds * 1e6)
}

fn rate(per_second: f64) -> String {
    format!("{per_second:.0}/s")
}

fn median(values: Vec<f64>) -> f64 {
    quartiles(values).1
}

/// The first quartile, the median and the third quartile of `values` (not empty).
fn quartiles(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |quarter: usize| values[(values.len() - 1) * quarter / 4];
    (at(1), at(2), at(3))
}
