//! The call's timeout (the call's, then the operation's, then the API's), the
//! settings the builder refuses, and a secret store slow past the timeout.

use super::*;

#[tokio::test]
async fn the_call_timeout_is_the_calls_then_the_operations_then_the_apis() {
    let yaml = r#"
api_integrations:
  - name: timed
    timeout: 100ms
    retry: { attempts: 1 }
    environments: { sandbox: { base_url: "" } }
    operations:
      - { name: by_api, method: GET, resource: /slow }
      - { name: by_operation, method: GET, resource: /slow, timeout: 5s }
"#;
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_millis(400));
    Mock::given(path("/slow")).respond_with(slow).expect(3).mount(&server).await;
    let apis = DynamicApis::parse("timed.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("timed", server.uri()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("timed", "by_api").await.unwrap_err();
    assert!(error.is_timeout() && error.to_string().contains("100ms"), "{error}");
    assert_eq!(conv.api.call("timed", "by_operation").await.unwrap().status_code(), 200);
    let error = conv.api.call("timed", "by_operation").timeout(Duration::from_millis(50)).await.unwrap_err();
    assert!(error.is_timeout() && error.to_string().contains("50ms"), "{error}");
    recorded(&server, 3).await;
}

/// A call's own timeout of zero is refused, as the builder's is; one of a
/// nanosecond ends the call before anything is sent, and says so, its timeout as
/// set, blaming no secret store (an API without auth reads none).
#[tokio::test]
async fn a_zero_call_timeout_is_refused_and_one_of_a_nanosecond_sends_nothing() {
    let (url, connections) = raw_server(Misbehave::Silent).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("quiet", &url).build().unwrap();
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("quiet.yaml", QUIET).unwrap());
    let error = conv.api.call("quiet", "ping").timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let error = conv.api.call("quiet", "ping").timeout(Duration::from_nanos(1)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    let message = error.to_string();
    assert!(message.contains("the attempt's timeout of 1ns was over after "), "{message}");
    assert!(
        message.contains("before anything was sent: it is too short for the request to be made ready"),
        "{message}"
    );
    assert!(!message.contains("secret store"), "{message}");
}

#[tokio::test]
async fn zero_timeouts_and_policies_a_definitions_file_would_refuse_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let refused = |builder: conv_api_runtime::RuntimeBuilder, expected: &str| {
        let error = builder.build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        assert!(error.to_string().contains(expected), "{error}");
    };
    refused(builder_at(&server.uri()).timeout(Duration::ZERO), "`Runtime::builder().timeout(..)` is zero");
    refused(
        builder_at(&server.uri()).connect_timeout(Duration::ZERO),
        "`Runtime::builder().connect_timeout(..)` is zero",
    );
    let policy = RetryPolicy { attempts: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(20) };
    refused(builder_at(&server.uri()).retry(RetryPolicy { attempts: 1000, ..policy }), "from 1 to 10");
    refused(builder_at(&server.uri()).retry(RetryPolicy { base_delay: Duration::ZERO, ..policy }), "`base_delay`");
    refused(
        builder_at(&server.uri()).retry(RetryPolicy { max_delay: Duration::from_millis(1), ..policy }),
        "`max_delay`",
    );

    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    let error = call(&conv, "get_item").timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    assert!(error.to_string().contains("`.timeout(..)` is zero"), "{error}");
    // the last timeout given counts, as the last value of a header does
    let error = call(&conv, "get_item").timeout(Duration::from_secs(5)).timeout(Duration::ZERO).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&other).await;
    let conv = runtime_at(&other.uri()).dynamic_conversation(&apis());
    let corrected = call(&conv, "get_item").timeout(Duration::ZERO).timeout(Duration::from_secs(5)).await;
    assert_eq!(corrected.unwrap().status_code(), 200);
}

#[test]
fn every_problem_of_the_builders_settings_is_said_at_once() {
    let policy =
        RetryPolicy { attempts: 1000, base_delay: Duration::from_secs(1), max_delay: Duration::from_millis(10) };
    let error = Runtime::builder()
        .environment(Environment::Sandbox)
        .timeout(Duration::ZERO)
        .retry(policy)
        .base_url("shop", "ftp://shop.example")
        .base_url("crm", "https://crm.example")
        .dotenv("/nonexistent/conv-api-test.env")
        .max_body_bytes(0)
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with("6 problems in the runtime's settings: (1) `Runtime::builder().timeout(..)` is zero"),
        "{text}"
    );
    for part in [
        "(2) `Runtime::builder().max_body_bytes(0)` lets no response body through",
        "(3) the retry policy of `Runtime::builder().retry(..)` is not valid: `attempts` must be from 1 to 10",
        "(4) the retry policy of `Runtime::builder().retry(..)` is not valid: `max_delay` (10ms) is less",
        "(5) the base URL given for API `shop` with `Runtime::builder().base_url(..)` is `ftp://shop.example`: the scheme must be `http` or `https`",
        "(6) cannot read the secrets file `/nonexistent/conv-api-test.env`: ",
        "; give `Runtime::builder().dotenv(..)` the path of a readable file",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(!text.contains("`crm`"), "a good base URL is no problem: {text}");
}

#[tokio::test]
async fn a_store_that_blocks_past_the_timeout_is_blamed_and_the_post_retried_as_it_sent_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    let apis = slow_create(&server, "\n    retry: { attempts: 2, base_delay: 1ms }");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(blocking_store()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("slow", "create").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(
        message.contains("the attempt's timeout of 50ms was over after ")
            && message.contains(
                "ms, before anything was sent, while its credentials were made ready (read from the secret store: "
            )
            && message.contains("BlockingStore); a `SecretStore` should answer from memory"),
        "{message}"
    );
    // the store's 80 ms at least, however long a loaded machine took beyond them
    let after = message.split("was over after ").nth(1).and_then(|rest| rest.split("ms,").next());
    assert!(after.and_then(|ms| ms.parse::<u64>().ok()).is_some_and(|ms| ms >= 80), "{message}");
    // nothing was sent: a POST is repeated as safely as a GET
    assert_eq!(conv.log.entries().iter().filter(|entry| entry.request.is_some()).count(), 2);
}

/// A call that loose mocks passed on to the API, and whose time ran out while its
/// credentials were read, says why no mock rule answered it, as any other error of
/// an attempt passed on does.
#[tokio::test]
async fn a_call_passed_on_by_loose_mocks_that_ran_out_of_time_before_sending_says_why_no_rule_answered() {
    use conv_api_runtime::mocks::{Mocks, Rule};
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).expect(0).mount(&server).await;
    let apis = slow_create(&server, "");
    let mocks = Mocks::new().with(Rule::on("slow", "create").when_header("x-mocked", "yes")).strict(false);
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(blocking_store())
        .retry(support::ONE_ATTEMPT)
        .mocks(mocks)
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("slow", "create").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(message.contains("before anything was sent"), "{message}");
    assert!(message.contains("; no mock rule answered it: rule 1 "), "{message}");
}

/// API `slow` at `server` with an API key, whose `create` (a POST) has 50 ms an
/// attempt; `retry` is put after its name (`\n    retry: ...`).
fn slow_create(server: &MockServer, retry: &str) -> DynamicApis {
    let yaml = format!("api_integrations:\n  - name: slow{retry}\n    environments:\n      sandbox: {{ base_url: \"{}\", auth_type: apiKey }}\n    operations:\n      - {{ name: create, method: POST, resource: /things, timeout: 50ms }}\n", server.uri());
    DynamicApis::parse("slow.yaml", &yaml).unwrap()
}

/// A store that answers the key 80 ms late, past `slow_create`'s timeout.
fn blocking_store() -> support::BlockingStore {
    support::BlockingStore { delay: Duration::from_millis(80), value: "key-1".into() }
}
