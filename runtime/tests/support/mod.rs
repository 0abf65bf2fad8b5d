//! Shared helpers: a hand-written `ApiSet` (what `conv_api!` generates), and
//! runtimes pointed at a local wiremock server.
#![allow(dead_code, reason = "each test binary uses a different part of the support module")]

pub mod pki;
pub mod tracing_capture;

use std::fmt::Display;
use std::sync::OnceLock;

use conv_api_definitions::parse_str;
use conv_api_runtime::__private::{ApiHandle, ApiSet, Bindings, Definitions};
use conv_api_runtime::{Environment, Request, Runtime, RuntimeBuilder};
use wiremock::MockServer;

/// The definitions of the tests; `tickets` has no sandbox base URL, so tests set one
/// with `Runtime::builder().base_url(..)`.
pub const YAML: &str = r#"
api_integrations:
  - name: tickets
    environments:
      sandbox: { base_url: "" }
    operations:
      - { name: get_ticket, method: GET, resource: "/tickets/{ticket_id}" }
      - { name: search, method: GET, resource: "/search?q={term}&limit=10" }
      - { name: create_ticket, method: POST, resource: "/tickets" }
      - { name: get_comment, method: GET, resource: "/tickets/{ticket_id}/comments/{comment_id}" }
      - { name: delete_ticket, method: DELETE, resource: "/tickets/{ticket_id}" }
  - name: billing
    environments:
      sandbox: { base_url: "http://127.0.0.1:9/billing", auth_type: basic }
    operations:
      - { name: get_invoice, method: GET, resource: "/invoices/{id}" }
"#;

/// The generated `Api` type, written by hand.
pub struct TestApi {
    pub tickets: Tickets,
    pub billing: Billing,
}

impl ApiSet for TestApi {
    fn definitions() -> &'static Definitions {
        static DEFINITIONS: OnceLock<Definitions> = OnceLock::new();
        DEFINITIONS.get_or_init(|| parse_str("tests.yaml", YAML).expect("the test definitions are valid").definitions)
    }

    fn bind(bindings: &Bindings) -> Self {
        TestApi { tickets: Tickets { api: bindings.api(0) }, billing: Billing { api: bindings.api(1) } }
    }
}

/// `conv.api.tickets`.
pub struct Tickets {
    api: ApiHandle,
}

impl Tickets {
    pub fn get_ticket(&self, ticket_id: impl Display) -> Request {
        self.api.request(0, &[&ticket_id as &dyn Display])
    }

    pub fn search(&self, term: impl Display) -> Request {
        self.api.request(1, &[&term as &dyn Display])
    }

    pub fn create_ticket(&self) -> Request {
        self.api.request(2, &[])
    }

    pub fn get_comment(&self, ticket_id: impl Display, comment_id: impl Display) -> Request {
        self.api.request(3, &[&ticket_id as &dyn Display, &comment_id as &dyn Display])
    }

    pub fn delete_ticket(&self, ticket_id: impl Display) -> Request {
        self.api.request(4, &[&ticket_id as &dyn Display])
    }
}

/// `conv.api.billing`.
pub struct Billing {
    api: ApiHandle,
}

impl Billing {
    pub fn get_invoice(&self, id: impl Display) -> Request {
        self.api.request(0, &[&id as &dyn Display])
    }
}

/// A runtime builder for Sandbox whose `tickets` API goes to `base`; tests add
/// the settings they are about.
pub fn sandbox_builder(base: impl AsRef<str>) -> RuntimeBuilder {
    Runtime::builder().environment(Environment::Sandbox).base_url("tickets", base)
}

/// A runtime in Sandbox whose `tickets` API goes to `server`.
pub fn runtime(server: &MockServer) -> Runtime {
    sandbox_builder(server.uri() + "/api/v2").build().expect("the test runtime builds")
}

/// Like [`runtime`], with one attempt per call (no retries), for tests about a
/// single attempt.
pub fn runtime_without_retries(server: &MockServer) -> Runtime {
    sandbox_builder(server.uri() + "/api/v2").retry(ONE_ATTEMPT).build().expect("the test runtime builds")
}

/// A retry policy of a single attempt.
pub const ONE_ATTEMPT: conv_api_runtime::RetryPolicy =
    conv_api_runtime::RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY };

/// The request entries of `log`, in order: one per attempt.
pub fn calls(log: &conv_api_runtime::Log) -> Vec<conv_api_runtime::RequestRecord> {
    log.entries().into_iter().filter_map(|entry| entry.request).collect()
}

/// How many requests `server` received.
pub async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |requests| requests.len())
}

/// A local address where nothing listens: a port bound but never listening, so a
/// connection is refused, and kept bound for the life of the test binary, so that
/// no server a later test starts can take it.
pub fn closed_port_url() -> String {
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.bind("127.0.0.1:0".parse().expect("an address")).expect("bind a local port");
    let port = socket.local_addr().expect("local address").port();
    std::mem::forget(socket);
    format!("http://127.0.0.1:{port}")
}

/// A local server (on its own thread) that answers one request with a chunked body
/// that never ends; it stops when the client hangs up. Returns its base URL.
pub fn endless_body_server() -> String {
    use std::io::{BufRead, BufReader, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else { return };
        let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
            line.clear();
        }
        let mut stream = stream;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "x".repeat(16 * 1024));
        let mut result = stream.write_all(head.as_bytes());
        while result.is_ok() {
            result = stream.write_all(chunk.as_bytes());
        }
    });
    url
}

/// A raw local server (a tokio task) that answers every connection with `misbehave`
/// after reading the request head; counts connections. Returns its base URL and
/// the counter. For failures wiremock cannot produce: resets and cut messages.
pub async fn raw_server(misbehave: Misbehave) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            if let Misbehave::Silent = misbehave {
                // held open, unanswered, until the client hangs up
                tokio::spawn(async move { while stream.read(&mut head).await.is_ok_and(|read| read > 0) {} });
                continue;
            }
            match misbehave {
                Misbehave::Reset => {
                    let _ = stream.set_zero_linger();
                }
                Misbehave::CutBody => {
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-request-id: cut-1\r\ncontent-length: 100\r\n\r\nonly part";
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.flush().await;
                }
                Misbehave::Silent => {}
            }
            drop(stream);
        }
    });
    (url, count)
}

/// How a [`raw_server`] fails every request.
#[derive(Clone, Copy, Debug)]
pub enum Misbehave {
    /// Closes the connection with a TCP reset, answering nothing.
    Reset,
    /// Sends a head announcing 100 bytes of body, a few of them, then closes.
    CutBody,
    /// Reads what comes first (a request head, or a TLS ClientHello) and never
    /// answers, holding the connection open.
    Silent,
}

/// A raw local server (a tokio task) that answers one request with a `201 Created`
/// head announcing 100 bytes of body and a few of them, then sends nothing more,
/// holding the connection open. Returns its base URL and what it notifies once that
/// part of the answer is out, and again once the client hangs up.
pub async fn stalled_body_server() -> (String, std::sync::Arc<tokio::sync::Notify>) {
    stalled_answer_server(
        "HTTP/1.1 201 Created\r\ncontent-type: text/plain\r\nx-request-id: stalled-1\r\ncontent-length: 100\r\n\r\nonly part",
    )
    .await
}

/// A [`stalled_body_server`] whose one answer starts with `answer`, a head
/// announcing more body than follows it.
pub async fn stalled_answer_server(answer: &'static str) -> (String, std::sync::Arc<tokio::sync::Notify>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let sent = std::sync::Arc::new(tokio::sync::Notify::new());
    let notify = sent.clone();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut head = [0u8; 4096];
        let _ = stream.read(&mut head).await;
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.flush().await;
        notify.notify_one();
        // held open, the rest of the body never sent, until the client hangs up
        while stream.read(&mut head).await.is_ok_and(|read| read > 0) {}
        notify.notify_one();
    });
    (url, sent)
}

/// A local HTTP server on the test's own runtime (so a paused clock sees its I/O
/// as work, not idle time) answering the n-th request with `answers[n]` (the last
/// one again after the end), each a full response head and body (text or raw
/// bytes), on its own connection. Returns its base URL and how many requests it
/// answered.
pub async fn scripted_server<A>(answers: Vec<A>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>)
where
    A: AsRef<[u8]> + Send + Sync + 'static,
{
    use tokio::io::AsyncWriteExt;

    let answers = std::sync::Arc::new(answers);
    raw_connections(move |mut stream, number, _| {
        let answers = answers.clone();
        async move {
            let _ = stream.write_all(answers[number.min(answers.len() - 1)].as_ref()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await
}

/// A local server on the test's own runtime that hands each connection, once its
/// request head is read, to `script` with the connection's number (from 0) and the
/// head, in a task of its own: for answers no other server here gives (drips,
/// stalls, answers that depend on the request). Returns its base URL and how many
/// connections it accepted.
pub async fn raw_connections<S, F>(script: S) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>)
where
    S: Fn(tokio::net::TcpStream, usize, String) -> F + Send + Sync + 'static,
    F: std::future::Future<Output = ()> + Send + 'static,
{
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::AsyncReadExt;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a local port");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let script = Arc::new(script);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let number = counter.fetch_add(1, Ordering::SeqCst);
            let script = script.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => break,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                script(stream, number, String::from_utf8_lossy(&head).into_owned()).await;
            });
        }
    });
    (url, count)
}

/// A complete HTTP/1.1 response with `status`, extra header lines and `body`; the
/// connection closes after it.
pub fn http_answer(status: u16, headers: &[&str], body: &str) -> String {
    let extra: String = headers.iter().map(|line| format!("{line}\r\n")).collect();
    format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}", body.len())
}

/// Waits until `server` has recorded `count` requests (at most ten seconds): a
/// request the client gave up on is recorded when the server's own thread reads
/// it, maybe after the test moved on, and `expect(n)` is checked when the server
/// is dropped.
pub async fn recorded(server: &MockServer, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while server.received_requests().await.map_or(0, |requests| requests.len()) < count
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The errors of making `calls` (API and operation) from `tokio_runtimes` tokio
/// runtimes, each made, used and dropped in turn on one of two threads, as
/// `#[tokio::test]`s sharing the `shared` runtime do.
pub fn errors_from_tokio_runtimes_that_come_and_go(
    shared: &Runtime,
    apis: &conv_api_runtime::DynamicApis,
    calls: &[(&str, &str)],
    tokio_runtimes: usize,
) -> Vec<String> {
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..tokio_runtimes / 2 {
                    let test_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    test_runtime.block_on(async {
                        let conv = shared.dynamic_conversation(apis);
                        for (api, operation) in calls {
                            if let Err(error) = conv.api.call(api, operation).await {
                                failures.lock().unwrap().push(error.to_string());
                            }
                        }
                    });
                }
            });
        }
    });
    failures.into_inner().unwrap()
}

/// A store that answers every name with `value` after `delay`, blocking its thread,
/// as a store that asks a vault on each read would.
pub struct BlockingStore {
    pub delay: std::time::Duration,
    pub value: String,
}

impl conv_api_runtime::SecretStore for BlockingStore {
    fn get(&self, _: &str) -> Option<conv_api_runtime::SecretString> {
        std::thread::sleep(self.delay);
        Some(self.value.clone().into())
    }
}
