//! HTTP/2 stream resets (RELIABILITY 24), against a local HTTP/2 server over TLS
//! that resets the first streams it gets: a reset from the server is transient, so
//! a GET is tried again and a POST is not; a reset for a protocol error is
//! permanent. Then answers that break HTTP/2, a connection that falls silent, and
//! flow control: a window never opened, a body without end, a window widened past
//! the largest.

use crate::support;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use conv_api_runtime::{
    DynamicApis, Environment, ErrorKind, MapSecretStore, Response, Result, Runtime, RuntimeBuilder,
};
use h2::server::SendResponse;
use h2::Reason;
use support::pki::{acceptor, pki};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::server::TlsStream;

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
    http2_server_with(h2::server::Builder::new(), |runtime| runtime, answer).await
}

/// An [`http2_server`] whose connections take the HTTP/2 settings of `h2`, and whose
/// runtime the `runtime` settings of the test's add to.
async fn http2_server_with<F: Future<Output = ()> + Send>(
    h2: h2::server::Builder,
    runtime: impl FnOnce(RuntimeBuilder) -> RuntimeBuilder,
    answer: impl Fn(Arrival, SendResponse<Bytes>) -> F + Clone + Send + Sync + 'static,
) -> (Runtime, Arc<AtomicUsize>) {
    let streams = Arc::new(AtomicUsize::new(0));
    let counter = streams.clone();
    let serve = move |tls, connection| {
        let (counter, answer, h2) = (counter.clone(), answer.clone(), h2.clone());
        async move {
            let Ok(mut h2) = h2.handshake::<_, Bytes>(tls).await else { return };
            while let Some(Ok((_request, respond))) = h2.accept().await {
                answer(Arrival { stream: counter.fetch_add(1, Ordering::SeqCst), connection }, respond).await;
            }
        }
    };
    (tls_server(runtime, serve).await, streams)
}

/// A local server offering only HTTP/2 over TLS that hands each connection, once
/// its handshake is done, to `serve` with the connection's number (from 0). Returns
/// a runtime whose `items` API trusts it, with the `runtime` settings of the test's.
async fn tls_server<F: Future<Output = ()> + Send + 'static>(
    runtime: impl FnOnce(RuntimeBuilder) -> RuntimeBuilder,
    serve: impl Fn(TlsStream<tokio::net::TcpStream>, usize) -> F + Clone + Send + Sync + 'static,
) -> Runtime {
    let pki = pki();
    let acceptor = acceptor(&pki, false, &[b"h2"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for connection in 0.. {
            let Ok((tcp, _)) = listener.accept().await else { break };
            let (acceptor, serve) = (acceptor.clone(), serve.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                serve(tls, connection).await;
            });
        }
    });
    let secrets = MapSecretStore::new().with("ITEMS_CA", pki.ca.pem());
    let builder = Runtime::builder().environment(Environment::Sandbox).base_url("items", &url).secrets(secrets);
    runtime(builder).build().unwrap()
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

/// A server that gives each stream a send window of zero and never opens it: a
/// request body cannot go out. The wait ends with the attempt's timeout, a POST is
/// not sent again, and the connection serves a request without a body (which needs
/// no window) all the same.
#[tokio::test]
async fn a_request_body_the_server_never_opens_a_window_for_waits_no_longer_than_the_timeout() {
    let zero_window = h2::server::Builder::new().initial_window_size(0).clone();
    let (runtime, streams) = http2_server_with(
        zero_window,
        |runtime| runtime,
        |arrival, respond| {
            match arrival.stream {
                // held, unanswered, while the connection goes on
                0 => drop(tokio::spawn(async move {
                    std::future::pending::<()>().await;
                    drop(respond)
                })),
                _ => ok_with(respond, &[], format!("c{}", arrival.connection).as_bytes()),
            }
            std::future::ready(())
        },
    )
    .await;
    let apis = DynamicApis::parse("http2.yaml", YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let timeout = std::time::Duration::from_millis(500);
    let error = conv.api.call("items", "create_item").body(vec![b'x'; 100_000]).timeout(timeout).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(error.to_string().contains("no answer within 500ms"), "{error}");
    assert!(error.to_string().contains("not retried: POST may not be repeated"), "{error}");
    assert_eq!(streams.load(Ordering::SeqCst), 1);
    let response = conv.api.call("items", "get_item").await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "c0"), "on the same connection");
}

/// A server that sends a body without end over HTTP/2: the client reads no more than
/// the cap, and stops the stream; flow control holds the server to what the client's
/// windows let through (hyper's: 5 MiB for the connection), so what it sent stays
/// bounded too.
#[tokio::test]
async fn an_endless_http2_body_is_read_up_to_the_cap_and_the_stream_stopped() {
    let sent = Arc::new(AtomicUsize::new(0));
    let counted = sent.clone();
    let cap = 1 << 20;
    let (runtime, streams) = http2_server_with(
        h2::server::Builder::new(),
        |runtime| runtime.max_body_bytes(cap),
        move |_, mut respond| {
            let sent = counted.clone();
            // in a task of its own: the connection is driven again meanwhile, as the
            // client's window updates need
            drop(tokio::spawn(async move {
                let Ok(mut stream) = respond.send_response(http::Response::new(()), false) else { return };
                let chunk = Bytes::from(vec![b'y'; 16 * 1024]);
                // until the client stops the stream
                loop {
                    stream.reserve_capacity(chunk.len());
                    match futures::future::poll_fn(|context| stream.poll_capacity(context)).await {
                        Some(Ok(granted)) if stream.send_data(chunk.slice(..granted), false).is_ok() => {
                            sent.fetch_add(granted, Ordering::SeqCst);
                        }
                        _ => break,
                    }
                }
            }));
            std::future::ready(())
        },
    )
    .await;
    let error = call(&runtime, "get_item").await.unwrap_err();
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::BodyTooLarge, false), "{error}");
    assert!(error.to_string().contains("larger than the 1048576 bytes allowed"), "{error}");
    assert_eq!(streams.load(Ordering::SeqCst), 1, "not retried");
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent > cap && sent <= cap + 6 * (1 << 20), "the server sent {sent} bytes");
}

/// An HTTP/2 frame: its `kind`, `flags`, `stream` and `payload`.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let length = u32::try_from(payload.len()).unwrap().to_be_bytes();
    [&length[1..], &[kind, flags], &stream.to_be_bytes(), payload].concat()
}

/// A `WINDOW_UPDATE` of `stream` by the largest increment HTTP/2 allows.
fn largest_window_update(stream: u32) -> Vec<u8> {
    frame(0x8, 0, stream, &0x7fff_ffff_u32.to_be_bytes())
}

/// Reads `tls`'s client preface, then its frames until the `HEADERS` of stream 1
/// (a request) arrived.
async fn read_until_a_request(tls: &mut TlsStream<tokio::net::TcpStream>) -> std::io::Result<()> {
    let mut preface = [0; 24];
    tls.read_exact(&mut preface).await?;
    loop {
        let mut head = [0; 9];
        tls.read_exact(&mut head).await?;
        let length = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        tls.read_exact(&mut vec![0; length]).await?;
        if head[3] == 0x1 && head[5..9] == [0, 0, 0, 1] {
            return Ok(());
        }
    }
}

/// A server that, once a request came, widens a send window of the client's past
/// HTTP/2's largest, 2^31-1 bytes (RFC 9113 6.9.1): the window of the connection
/// (`stream` 0), or that of the request's stream (1), for a POST whose body is
/// larger than a stream's first window (a GET's stream sends nothing more, and h2
/// leaves its window alone); and the connection's, while such a body waits for
/// window. The client says the server broke HTTP/2's flow control, without waiting
/// for its timeout, and sends nothing again.
#[tokio::test]
async fn a_window_update_past_the_largest_window_breaks_flow_control_and_is_said_so() {
    for (stream, operation) in [(0, "get_item"), (1, "create_item"), (0, "create_item")] {
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        let runtime = tls_server(
            |runtime| runtime,
            move |mut tls, _| {
                counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    // the server's preface: its settings, none changed
                    let _ = tls.write_all(&frame(0x4, 0, 0, &[])).await;
                    if read_until_a_request(&mut tls).await.is_ok() {
                        let _ = tls
                            .write_all(&[largest_window_update(stream), largest_window_update(stream)].concat())
                            .await;
                    }
                    // until the client closes the connection
                    while tls.read(&mut [0; 1024]).await.is_ok_and(|read| read > 0) {}
                }
            },
        )
        .await;
        let apis = DynamicApis::parse("http2.yaml", YAML).unwrap();
        let conv = runtime.dynamic_conversation(&apis);
        let timeout = std::time::Duration::from_secs(30);
        let mut call = conv.api.call("items", operation).timeout(timeout);
        if operation == "create_item" {
            call = call.body(vec![b'x'; 100_000]);
        }
        let error = call.await.unwrap_err();
        assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Transport, false), "{stream}: {error}");
        let says = "it breaks HTTP/2's flow control: the server sent more data than the client's window allowed, or widened a window past 2^31-1 bytes";
        assert!(error.to_string().contains(says), "{stream}: {error}");
        assert_eq!(connections.load(Ordering::SeqCst), 1, "{stream}: not retried");
    }
}
