//! `Retry-After`, in seconds or as a date, honoured up to the cap; past it the
//! answer is a rate-limited error that says the wait asked for.

use super::*;

/// Answers `429` with `Retry-After: value` once, then `200`.
async fn limited_once(value: &str) -> MockServer {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", value);
    Mock::given(wiremock::matchers::any()).respond_with(limited).up_to_n_times(1).expect(1).mount(&server).await;
    server
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let server = limited_once("1").await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    assert_eq!(retry_notes(&conv)[0].as_deref(), Some("retrying in 1s, as `Retry-After` asks"));
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = limited_once(&date).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    let note = retry_notes(&conv)[0].clone().unwrap();
    assert!(note.ends_with("as `Retry-After` asks"), "{note}");
}

/// The `Retry-After` of a retryable answer whose body did not arrive whole (over the
/// cap, or stalled past the attempt's timeout) is honoured as a whole answer's is:
/// the call waits what it asks, and is not retried when it asks past the cap.
#[tokio::test(start_paused = true)]
async fn the_retry_after_of_an_answer_whose_body_did_not_arrive_whole_is_honoured() {
    let page = "<html>".repeat(100);
    let busy = support::http_answer(503, &["retry-after: 2"], &page);
    let (url, answered) = scripted_server(vec![busy, support::http_answer(200, &[], "ok")]).await;
    let conv = builder_at(&url).max_body_bytes(64).build().unwrap().dynamic_conversation(&apis());
    let started = tokio::time::Instant::now();
    assert_eq!(call(&conv, "get_patient").await.unwrap().status_code(), 200);
    assert!(started.elapsed() >= Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(retry_notes(&conv)[0].as_deref(), Some("retrying in 2s, as `Retry-After` asks"));
    assert_eq!(answered.load(Ordering::SeqCst), 2);

    let closed = support::http_answer(503, &["retry-after: 3600"], &page);
    let (url, answered) = scripted_server(vec![closed, support::http_answer(200, &[], "ok")]).await;
    let conv = builder_at(&url).max_body_bytes(64).build().unwrap().dynamic_conversation(&apis());
    let error = call(&conv, "get_item").await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), answered.load(Ordering::SeqCst)),
        (ErrorKind::BodyTooLarge, Some(503), 1)
    );
    assert!(error.to_string().contains("not retried: the server asks"), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));

    let stalled = "HTTP/1.1 429 X\r\nretry-after: 3600\r\ncontent-length: 100\r\n\r\npart";
    let (url, _) = support::stalled_answer_server(stalled).await;
    let conv = builder_at(&url).build().unwrap().dynamic_conversation(&apis());
    let error = call(&conv, "get_item").timeout(Duration::from_secs(1)).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), support::calls(&conv.log).len()), (ErrorKind::Timeout, Some(429), 1));
    assert!(error.to_string().contains("not retried: the server asks"), "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
}

/// A call answered with a `Retry-After` past the cap: not retried, the answer
/// returned (a non-2xx answer is a `Response`, API.md), and its `raise_for_status()`
/// the rate-limit error.
async fn rate_limited(conv: &Conv<DynamicApi>, operation: &str) -> conv_api_runtime::Error {
    let response = call(conv, operation).await.expect("a non-2xx answer is a response");
    assert_eq!(response.status_code(), 429);
    response.raise_for_status().expect_err("a rate limit")
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_the_answer_whose_raise_for_status_is_a_rate_limited_error() {
    for value in ["120".to_string(), httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(600))] {
        let server = limited_once(&value).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let error = rate_limited(&conv, "get_item").await;
        assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
        assert!(error.is_rate_limited() && error.is_retryable());
        let wait = error.retry_after().expect("the wait is given");
        assert!(wait > Duration::from_secs(100), "{wait:?}");
        let message = error.to_string();
        assert!(message.contains("try again after") && message.contains("`Retry-After`"), "{message}");
        assert!(message.contains("`svc.get_item`"), "{message}");
        assert_eq!(error.status(), Some(429));
        assert!(retry_notes(&conv)[0].as_deref().is_some_and(|note| note.contains("longer than")));
        // the one attempt's entry is its answer, with the headers that asked to wait
        let entries = conv.log.entries();
        assert_eq!(entries.len(), 1);
        let call = entries[0].request.clone().unwrap();
        assert_eq!((entries[0].level, call.status, call.error_kind), (Level::Warning, Some(429), None));
        assert!(call.response_headers.iter().any(|(name, _)| name == "retry-after"), "{:?}", call.response_headers);
    }
}

#[tokio::test]
async fn a_rate_limited_error_after_a_retry_names_the_attempts_and_the_body() {
    let server = MockServer::start().await;
    let soon = ResponseTemplate::new(503).insert_header("retry-after", "0").set_body_string("maintenance window");
    Mock::given(wiremock::matchers::any()).respond_with(soon).up_to_n_times(1).expect(1).mount(&server).await;
    let late = ResponseTemplate::new(503).insert_header("retry-after", "120").set_body_string("maintenance window");
    Mock::given(wiremock::matchers::any()).respond_with(late).expect(1).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let response = call(&conv, "get_item").await.expect("a response");
    let error = response.raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    let said =
        "answered 503 Service Unavailable: `maintenance window`, to the last of 2 attempts and asks to wait 120s";
    assert!(error.to_string().contains(said), "{error}");
}

#[tokio::test]
async fn a_retry_after_past_the_year_9999_is_a_rate_limited_error() {
    for value in ["999999999999", "9223372036854775807"] {
        let server = limited_once(value).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let error = rate_limited(&conv, "get_item").await;
        assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
        assert_eq!(error.retry_after(), Some(Duration::from_secs(value.parse().unwrap())));
        assert!(error.to_string().contains("try again later,"), "{error}");
    }
}

#[tokio::test]
async fn the_builder_cap_applies_to_every_api() {
    let server = limited_once("1").await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::from_millis(500)).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    let error = rate_limited(&conv, "get_patient").await;
    assert_eq!(error.kind(), ErrorKind::RateLimited, "{error}");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    assert!(error.to_string().contains("asks to wait 1s (`Retry-After`), longer than the 500ms the runtime waits"));
    // no wait honoured at all: said as `0s`, as a wait of none is
    let server = limited_once("1").await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::ZERO).build().unwrap();
    let error = rate_limited(&runtime.dynamic_conversation(&apis()), "get_patient").await;
    assert!(error.to_string().contains("longer than the 0s the runtime waits"), "{error}");
}

#[tokio::test]
async fn a_wait_asked_for_is_said_to_the_millisecond_not_in_whole_seconds() {
    // an HTTP date two seconds on: a wait of one second and some
    let server = limited_once(&httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2))).await;
    let runtime = builder_at(&server.uri()).retry_after_cap(Duration::from_millis(200)).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    let error = rate_limited(&conv, "get_patient").await;
    let wait = error.retry_after().expect("the wait asked for");
    let shown = Duration::from_millis(u64::try_from(wait.as_millis()).unwrap());
    let said = format!("asks to wait {shown:?} (`Retry-After`), longer than the 200ms the runtime waits");
    assert!(error.to_string().contains(&said), "{error}");
    let entries = conv.log.entries();
    let note = entries.last().and_then(|entry| entry.fields.iter().find(|(name, _)| name == "retry"));
    let noted = format!(
        "not retried: the server asks to wait {shown:?} (`Retry-After`), longer than the 200ms the runtime waits"
    );
    assert_eq!(note.map(|(_, note)| note.as_str()), Some(noted.as_str()));
}

#[tokio::test]
async fn a_rate_limit_on_an_operation_not_retried_is_a_response() {
    // a short wait or none does not make a POST safe to send again either
    for wait in ["120", "1", "0"] {
        let server = limited_once(wait).await;
        let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
        let response = call(&conv, "create_item").await.unwrap();
        assert_eq!(response.status_code(), 429);
        assert_eq!(response.header("retry-after"), Some(wait));
        // the runtime would not have retried it, whatever the wait: a status like any other
        assert_eq!(response.raise_for_status().unwrap_err().kind(), ErrorKind::Status);
        server.verify().await;
    }
}
