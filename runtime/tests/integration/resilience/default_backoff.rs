//! The default policy's waits on a paused clock: its backoff, long `Retry-After`
//! waits up to the default cap, and the backoff each log entry announces.

use super::*;

/// The default policy (3 attempts, 1 s base delay, 20 s cap) on a paused clock.
const DEFAULTS_YAML: &str = r#"
api_integrations:
  - name: plain
    environments:
      sandbox: { base_url: "http://127.0.0.1:1" }
    operations:
      - { name: get_item, method: GET, resource: "/items" }
"#;

async fn plain_call(url: &str) -> conv_api_runtime::Result<conv_api_runtime::Response> {
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", url).build().unwrap();
    let apis = DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap();
    runtime.dynamic_conversation(&apis).api.call("plain", "get_item").await
}

/// A 503 asking to wait `seconds` (`Retry-After`), then a 200: the call waits that
/// long on the (paused) clock and returns the second answer.
async fn waits_the_retry_after_then_retries(seconds: u64) {
    let retry_after = format!("retry-after: {seconds}");
    let answers = vec![support::http_answer(503, &[&retry_after], ""), support::http_answer(200, &[], "late")];
    let (url, answered) = support::scripted_server(answers).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().text(), "late");
    assert_eq!(answered.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() >= Duration::from_secs(seconds), "waited {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_long_retry_after_is_waited_on_a_paused_clock() {
    waits_the_retry_after_then_retries(15).await;
}

#[tokio::test(start_paused = true)]
async fn default_backoff_waits_at_most_one_then_two_seconds() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "down")]).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() <= Duration::from_secs(3), "waited {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn default_backoff_doubles_from_one_second_and_never_exceeds_twenty() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "")]).await;
    // ten attempts with the default base and cap, and a budget that allows every retry
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("plain", &url)
        .retry(RetryPolicy { attempts: 10, ..conv_api_runtime::DEFAULT_RETRY })
        .retry_budget(RetryBudget { percent: 100, min_per_second: 100 })
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap());
    let started = tokio::time::Instant::now();
    assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 10);
    let waits: Vec<Duration> = retry_notes(&conv)
        .into_iter()
        .flatten()
        .filter_map(|note| note.strip_prefix("retrying in ").map(parse_debug_duration))
        .collect();
    assert_eq!(waits.len(), 9, "{:?}", retry_notes(&conv));
    for (n, wait) in waits.iter().enumerate() {
        let ceiling = Duration::from_secs(20).min(Duration::from_secs(1 << n));
        assert!(*wait <= ceiling, "retry {}: {wait:?} > {ceiling:?}", n + 1);
    }
    let total: Duration = waits.iter().sum();
    assert!(started.elapsed() >= total && started.elapsed() <= total + Duration::from_millis(20));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_date_in_the_past_retries_at_once() {
    let past = support::http_answer(503, &["retry-after: Wed, 21 Oct 2015 07:28:00 GMT"], "");
    let (url, answered) = support::scripted_server(vec![past]).await;
    let started = tokio::time::Instant::now();
    assert_eq!(plain_call(&url).await.unwrap().status_code(), 503);
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    assert!(started.elapsed() < Duration::from_millis(50), "{:?}", started.elapsed());
}

/// A `Retry-After` that is neither delta-seconds nor an HTTP date (negative,
/// fractional, signed, hexadecimal, a word, empty) is no `Retry-After`: the backoff
/// is waited, and its note does not claim the server asked for it.
#[tokio::test(start_paused = true)]
async fn a_retry_after_that_is_neither_seconds_nor_a_date_is_ignored_for_the_backoff() {
    let apis = DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap();
    for value in ["-5", "1.5", "+3", "0x10", "soon", ""] {
        let retry_after = format!("retry-after: {value}");
        let answers = vec![support::http_answer(503, &[&retry_after], "busy"), support::http_answer(200, &[], "ok")];
        let (url, answered) = scripted_server(answers).await;
        let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", &url).build().unwrap();
        let conv = runtime.dynamic_conversation(&apis);
        assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 200, "{value:?}");
        assert_eq!(answered.load(Ordering::SeqCst), 2, "{value:?}");
        let note = retry_notes(&conv)[0].clone().unwrap_or_default();
        assert!(note.starts_with("retrying in ") && !note.contains("Retry-After"), "{value:?}: {note}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_default_cap_of_twenty_seconds_is_rate_limited() {
    for status in [429, 503] {
        let answers = vec![support::http_answer(status, &["retry-after: 21"], "")];
        let (url, answered) = support::scripted_server(answers).await;
        let response = plain_call(&url).await.expect("a non-2xx answer is a response");
        assert_eq!(response.status_code(), status);
        let error = response.raise_for_status().unwrap_err();
        assert_eq!((error.kind(), error.retry_after()), (ErrorKind::RateLimited, Some(Duration::from_secs(21))));
        assert_eq!(error.status(), Some(status));
        assert!(error.to_string().contains(&format!("answered {status} ")), "{error}");
        assert!(error.to_string().contains(" with an empty body and asks to wait 21s"), "{error}");
        assert_eq!(answered.load(Ordering::SeqCst), 1);
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_of_exactly_the_default_cap_of_twenty_seconds_is_waited_and_retried() {
    // "Retry-After ... honoured up to a cap": a wait of the cap itself is honoured
    waits_the_retry_after_then_retries(20).await;
}

/// `1.532s`, `532ms`, `800µs` or `0ns` (a `Duration`'s `Debug`) as a duration.
fn parse_debug_duration(text: &str) -> Duration {
    let number = |suffix: &str| text.strip_suffix(suffix).and_then(|n| n.parse::<f64>().ok());
    if let Some(ms) = number("ms") {
        Duration::from_secs_f64(ms / 1e3)
    } else if let Some(us) = number("µs") {
        Duration::from_secs_f64(us / 1e6)
    } else if let Some(ns) = number("ns") {
        Duration::from_secs_f64(ns / 1e9)
    } else {
        Duration::from_secs_f64(number("s").unwrap_or_else(|| panic!("not a duration: {text}")))
    }
}

#[tokio::test(start_paused = true)]
async fn the_pipeline_sleeps_the_backoff_each_log_entry_announces() {
    let (url, answered) = support::scripted_server(vec![support::http_answer(503, &[], "down")]).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("plain", &url).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("defaults.yaml", DEFAULTS_YAML).unwrap());
    let started = tokio::time::Instant::now();
    assert_eq!(conv.api.call("plain", "get_item").await.unwrap().status_code(), 503);
    let waited = started.elapsed();
    assert_eq!(answered.load(Ordering::SeqCst), 3);
    let announced: Duration = retry_notes(&conv)
        .into_iter()
        .flatten()
        .filter_map(|note| note.strip_prefix("retrying in ").map(parse_debug_duration))
        .sum();
    // each announced wait is rounded down to whole milliseconds
    assert!(announced <= waited && waited <= announced + Duration::from_millis(3), "{announced:?} vs {waited:?}");
    assert!(!announced.is_zero(), "full jitter picks from (0, ceiling]: two zero waits are not credible");
}
