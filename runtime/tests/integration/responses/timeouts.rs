//! Slow and stalled answers timed out per call or by the runtime's default, a
//! timeout too long to end, and a closed port.

use super::*;

#[tokio::test]
async fn a_timeout_too_long_to_end_is_no_deadline_even_near_the_latest_instant() {
    /// The longest timeout whose deadline an `Instant` can hold from now, less half a
    /// millisecond: tokio's timer panicked on such a deadline.
    fn nearly_the_longest() -> Duration {
        let now = tokio::time::Instant::now();
        let (mut fits, mut overflows) = (Duration::ZERO, Duration::MAX);
        while overflows - fits > Duration::from_micros(1) {
            let middle = fits + (overflows - fits) / 2;
            if now.checked_add(middle).is_some() {
                fits = middle;
            } else {
                overflows = middle;
            }
        }
        fits - Duration::from_micros(500)
    }
    for timeout in [None, Some(Duration::MAX), Some(Duration::from_secs(1 << 40))] {
        let server = serving(ResponseTemplate::new(200)).await;
        let conv: Conv<TestApi> = runtime(&server).conversation();
        let call = conv.api.tickets.get_ticket(1);
        let response = call.timeout(timeout.unwrap_or_else(nearly_the_longest)).await;
        assert_eq!(response.map(|response| response.status_code()).ok(), Some(200), "{timeout:?}");
    }
}

#[tokio::test]
async fn a_slow_answer_times_out_per_call() {
    let server = serving(ResponseTemplate::new(200).set_delay(Duration::from_secs(10))).await;
    let conv: Conv<TestApi> = support::runtime_without_retries(&server).conversation();
    let error = conv.api.tickets.get_ticket(1).timeout(Duration::from_millis(50)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_timeout());
    assert!(error.to_string().contains(".timeout("), "{error}");
    recorded(&server, 1).await;
}

/// A server that answers `200` with headers promising ten bytes, sends three, then stalls.
async fn stalling_mid_body() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\nx-request-id: r-1\r\n\r\nabc";
        socket.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    format!("http://{address}/api/v2")
}

// the server runs on the test's runtime: its clock, paused, runs the timeout at once
#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_times_out_and_the_log_keeps_the_status_that_arrived() {
    let runtime = sandbox_builder(stalling_mid_body().await).retry(ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).timeout(Duration::from_secs(1)).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Timeout, Some(200)), "{error}");
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!((call.status, call.error_kind), (Some(200), Some(ErrorKind::Timeout)));
}

#[tokio::test]
async fn a_slow_answer_times_out_with_the_runtime_default() {
    let server = serving(ResponseTemplate::new(200).set_delay(Duration::from_secs(10))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2")
        .timeout(Duration::from_millis(50))
        .retry(ONE_ATTEMPT)
        .build()
        .unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert!(conv.api.tickets.get_ticket(1).await.unwrap_err().is_timeout());
    recorded(&server, 1).await;
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let builder = sandbox_builder(closed_port_url()).connect_timeout(Duration::from_secs(2));
    // one attempt: the connect error is what is checked, not the retries after it
    let runtime = builder.retry(ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connect, "{error}");
    assert!(error.is_connect());
    assert!(error.url().unwrap().ends_with("/tickets/1"));
    let source = std::error::Error::source(&error).expect("the reqwest error is kept as the source");
    assert!(!source.to_string().contains("127.0.0.1"), "the source has no URL: {source}");
    // what `main() -> Result<(), Box<dyn Error>>` prints: the message, then the
    // source's texts, not its types
    let debug = format!("{error:?}");
    assert!(debug.starts_with(&format!("{error}\n\nCaused by:\n    error sending request: ")), "{debug}");
    assert!(debug.contains("Connection refused"), "{debug}");
    assert!(!debug.contains("reqwest::Error") && !debug.contains("ConnectError("), "{debug}");
    // and the fields, asked for
    let fields = format!("{error:#?}");
    assert!(
        fields.starts_with("Error {\n    kind: Connect,\n    message: \"cannot connect to the server ("),
        "{fields}"
    );
    assert!(fields.contains("source: error sending request: ") && !fields.contains("reqwest::Error"), "{fields}");
}
