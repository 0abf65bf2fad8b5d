//! HTTP/2 stream resets (RELIABILITY 24), against a local HTTP/2 server over TLS
//! that resets the first streams it gets: a reset from the server is transient, so
//! a GET is tried again and a POST is not; a reset for a protocol error is
//! permanent.

use crate::support;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, Response, Result, Runtime};
use h2::server::SendResponse;
use h2::Reason;
use support::pki::{acceptor, pki};

const YAML: &str = r#"
api_integrations:
  - name: items
    retry: { attempts: 3, base_delay: 1ms, max_delay: 4ms }
    environments:
      sandbox:
        base_url: "https://items.example"
        tls: { ca: { secret: ITEMS_CA } }
    operations:
      - { name: get_item, method: GET, resource: /items/1 }
      - { name: create_item, method: POST, resource: /items }
"#;

/// Where a stream came in: its number over all connections and the number of its
/// connection, each counting from 0.
#[derive(Clone, Copy)]
struct Arrival {
    stream: usize,
    connection: usize,
}

/// A local server speaking only HTTP/2 that answers each stream with `answer`,
/// driving the stream's connection again once that is done. Returns a runtime whose
/// `items` API trusts it, and how many streams the server got.
async fn http2_server<F: Future<Output = ()> + Send>(
    answer: impl Fn(Arrival, SendResponse<Bytes>) -> F + Clone + Send + Sync + 'static,
) -> (Runtime, Arc<AtomicUsize>) {
    let pki = pki();
    let acceptor = acceptor(&pki, false, &[b"h2"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let streams = Arc::new(AtomicUsize::new(0));
    let counter = streams.clone();
    tokio::spawn(async move {
        for connection in 0.. {
            let Ok((tcp, _)) = listener.accept().await else { break };
            let (acceptor, counter, answer) = (acceptor.clone(), counter.clone(), answer.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut h2) = h2::server::handshake(tls).await else { return };
                while let Some(Ok((_request, respond))) = h2.accept().await {
                    answer(Arrival { stream: counter.fetch_add(1, Ordering::SeqCst), connection }, respond).await;
                }
            });
        }
    });
    let secrets = MapSecretStore::new().with("ITEMS_CA", pki.ca.pem());
    let builder = Runtime::builder().environment(Environment::Sandbox).base_url("items", &url).secrets(secrets);
    (builder.build().unwrap(), streams)
}

/// Answers `200` with the header lines `headers` and `body`.
fn ok_with(mut respond: SendResponse<Bytes>, headers: &[(&'static str, String)], body: &[u8]) {
    let head =
        headers.iter().fold(http::Response::builder().status(200), |head, (name, value)| head.header(*name, value));
    if let Ok(mut stream) = respond.send_response(head.body(()).unwrap(), false) {
        let _ = stream.send_data(Bytes::copy_from_slice(body), true);
    }
}

/// An HTTP/2 server that resets its first `resets` streams with `reason` and
/// answers the others `200 ok`.
async fn server_resetting(resets: usize, reason: Reason) -> (Runtime, Arc<AtomicUsize>) {
    http2_server(move |arrival, mut respond| {
        match arrival.stream < resets {
            true => respond.send_reset(reason),
            false => ok_with(respond, &[], b"ok"),
        }
        std::future::ready(())
    })
    .await
}

async fn call(runtime: &Runtime, operation: &str) -> Result<Response> {
    let apis = DynamicApis::parse("http2.yaml", YAML).unwrap();
    runtime.dynamic_conversation(&apis).api.call("items", operation).await
}

#[tokio::test]
async fn a_get_whose_stream_the_server_resets_is_tried_again() {
    let (runtime, streams) = server_resetting(1, Reason::INTERNAL_ERROR).await;
    let response = call(&runtime, "get_item").await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "ok"));
    assert_eq!(streams.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_post_without_a_body_and_its_content_length_of_zero_goes_over_http2() {
    let (runtime, streams) = server_resetting(0, Reason::INTERNAL_ERROR).await;
    let response = call(&runtime, "create_item").await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "ok"));
    assert_eq!(streams.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reset_post_is_a_transient_transport_error_not_tried_again() {
    let (runtime, streams) = server_resetting(usize::MAX, Reason::INTERNAL_ERROR).await;
    let error = call(&runtime, "create_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(error.is_retryable(), "{error:?}");
    assert!(error.to_string().contains("reset by the server (HTTP/2 RST_STREAM)"), "{error}");
    assert_eq!(streams.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stream_reset_for_a_protocol_error_is_permanent() {
    let (runtime, streams) = server_resetting(usize::MAX, Reason::PROTOCOL_ERROR).await;
    let error = call(&runtime, "get_item").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
    assert!(!error.is_retryable(), "{error:?}");
    assert_eq!(streams.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_get_the_server_resets_every_time_fails_after_the_configured_attempts() {
    let (runtime, streams) = server_resetting(usize::MAX, Reason::CANCEL).await;
    let error = call(&runtime, "get_item").await.unwrap_err();
    assert!(error.is_retryable() && error.kind() == ErrorKind::Transport, "{error:?}");
    assert_eq!(streams.load(Ordering::SeqCst), 3);
}

/// An HTTP/2 server that answers every stream `200` with the header lines
/// `headers` and the body `ok`.
async fn server_answering(headers: Vec<(&'static str, String)>) -> (Runtime, Arc<AtomicUsize>) {
    http2_server(move |_, respond| {
        ok_with(respond, &headers, b"ok");
        std::future::ready(())
    })
    .await
}

/// hyper's own limit for an HTTP/2 head is 16 KiB, which a large cookie or policy
/// header passes; an answer the client reads over HTTP/1.1 is read over HTTP/2 too.
#[tokio::test]
async fn an_http2_answer_head_as_large_as_an_http1_one_may_be_is_read() {
    for size in [20_000, 300_000] {
        let (runtime, streams) = server_answering(vec![("x-large", "v".repeat(size))]).await;
        let response = call(&runtime, "get_item").await.unwrap();
        assert_eq!((response.status_code(), response.text()), (200, "ok"));
        assert_eq!(response.header("x-large").map(str::len), Some(size));
        assert_eq!(streams.load(Ordering::SeqCst), 1);
    }
}

/// A head over the limit and a body short of its `Content-Length` break HTTP/2: the
/// error says so and what may be wrong, not "unspecific protocol error" alone.
#[tokio::test]
async fn an_http2_answer_that_breaks_http2_says_so_and_is_not_retried() {
    let cases = [
        (("x-large", "v".repeat(500_000)), "the server's answer is not HTTP the client can read ("),
        (
            ("content-length", "10".to_string()),
            "the body of the server's 200 OK answer is not HTTP the client can read (",
        ),
    ];
    for (header, says) in cases {
        let (runtime, streams) = server_answering(vec![header]).await;
        let error = call(&runtime, "get_item").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Transport, "{error}");
        let message = error.to_string();
        let names_the_causes = message
            .contains("breaks HTTP/2, with a head over 408 KiB, a body longer or shorter than its `Content-Length`");
        assert!(message.contains(says) && names_the_causes, "{message}");
        assert!(!error.is_retryable(), "{error:?}");
        assert_eq!(streams.load(Ordering::SeqCst), 1, "not retried");
    }
}

/// A local HTTP/2 server whose first connection answers its first stream (body `c0`)
/// and falls silent for good when the second comes, as a connection a NAT or load
/// balancer dropped without a word: it reads nothing more, answers nothing (no ping
/// either) and never closes. Later connections answer each stream with the
/// connection's number (`c1`).
async fn server_falling_silent() -> Runtime {
    let (runtime, _) = http2_server(|arrival, respond| async move {
        if arrival.connection == 0 && arrival.stream > 0 {
            // the connection is held, and never driven again
            std::future::pending::<()>().await;
        }
        ok_with(respond, &[], format!("c{}", arrival.connection).as_bytes());
    })
    .await;
    runtime
}

/// Every request shares one HTTP/2 connection, and a request that times out leaves it
/// in the pool (an HTTP/1.1 one closes its own): a connection that falls silent would
/// take every later attempt with it. The client pings it while a request waits, and
/// closes it when the ping goes unanswered, so the retry opens a new connection.
///
/// In real time (about six seconds: the ping and its timeout): with a paused clock the
/// client's ping itself is what moves a local HTTP/2 exchange on.
#[tokio::test]
async fn a_connection_that_falls_silent_is_given_up_and_the_retry_opens_a_new_one() {
    let runtime = server_falling_silent().await;
    let apis = DynamicApis::parse("http2.yaml", YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("items", "get_item").await.unwrap().text(), "c0");
    let response = conv.api.call("items", "get_item").await.unwrap_or_else(|error| panic!("{error:?}"));
    assert_eq!(response.text(), "c1", "from a new connection");
    let attempts: Vec<Option<u16>> = conv.log.entries().iter().map(|e| e.request.as_ref().unwrap().status).collect();
    assert_eq!(attempts, [Some(200), None, Some(200)], "{}", conv.log.to_jsonl());
    // the attempt's own timeout of 10 s did not pass: the error says what did
    let given_up = conv.log.entries()[1].request.clone().unwrap().error.unwrap();
    let says = "the HTTP/2 connection fell silent while sending the request or reading the response: the server sent nothing for 3s and left the client's ping unanswered for 3s more, so the client closed it";
    assert!(given_up.starts_with(says) && !given_up.contains("10s"), "{given_up}");
}
