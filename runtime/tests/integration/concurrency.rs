//! `Runtime`, conversations and request futures work from many tokio tasks.

use crate::support;

use std::future::IntoFuture;
use std::sync::Arc;

use conv_api_runtime::{Conv, DynamicApi, Log, Request, Response, ResponseFuture, Runtime};
use support::{runtime, TestApi};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn shared_types_are_send_and_sync() {
    assert_send_sync::<Runtime>();
    assert_send_sync::<Conv<TestApi>>();
    assert_send_sync::<Conv<DynamicApi>>();
    assert_send_sync::<Log>();
    assert_send_sync::<Request>();
    assert_send_sync::<ResponseFuture>();
    fn assert_unpin_future<T: std::future::Future + Unpin>() {}
    assert_unpin_future::<Request>();
    assert_unpin_future::<ResponseFuture>();
    assert_send_sync::<Response>();
    assert_send_sync::<conv_api_runtime::Error>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_share_one_runtime() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/v2/tickets/[0-9]+$"))
        .respond_with(ResponseTemplate::new(200))
        .expect(128)
        .mount(&server)
        .await;
    let runtime = runtime(&server);
    let shared_conv: Arc<Conv<TestApi>> = Arc::new(runtime.conversation());
    let mut tasks = Vec::new();
    for task in 0..64 {
        let runtime = runtime.clone();
        let shared_conv = shared_conv.clone();
        tasks.push(tokio::spawn(async move {
            let own: Conv<TestApi> = runtime.conversation();
            let first = own.api.tickets.get_ticket(task).await.unwrap();
            let second = shared_conv.api.tickets.get_ticket(task).await.unwrap();
            assert_eq!((first.status_code(), second.status_code()), (200, 200));
            assert_eq!(own.log.len(), 1);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(shared_conv.log.len(), 64);
    assert_eq!(server.received_requests().await.unwrap().len(), 128);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_futures_can_be_spawned_on_their_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(8).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    // a request is a future itself, and `.send()` gives one by a name reqwest users look for
    type Call = std::pin::Pin<Box<dyn std::future::Future<Output = conv_api_runtime::Result<Response>> + Send>>;
    let futures: Vec<Call> = (0..8)
        .map(|id| match id % 2 {
            0 => Box::pin(conv.api.tickets.get_ticket(id).send()) as Call,
            _ => Box::pin(conv.api.tickets.get_ticket(id)) as Call,
        })
        .collect();
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    for handle in handles {
        assert_eq!(handle.await.unwrap().unwrap().status_code(), 200);
    }
    assert_eq!(conv.log.len(), 8);
}

/// A wiremock server on a thread and tokio runtime of its own, serving `mocks`, as a
/// `static` server shared by tests would; its URI.
fn server_on_its_own_thread(mocks: Vec<Mock>) -> String {
    let (sender, uri) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let server_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        server_runtime.block_on(async {
            let server = MockServer::start().await;
            for mock in mocks {
                mock.mount(&server).await;
            }
            sender.send(server.uri()).unwrap();
            std::future::pending::<()>().await
        })
    });
    uri.recv().unwrap()
}

/// One `Runtime` used by tests each on a tokio runtime of its own (a `static` shared by
/// `#[tokio::test]`s, two test threads): no call gets a pooled connection of another
/// test's tokio runtime, which dies when that test ends ("runtime dropped the dispatch
/// task").
#[test]
fn one_runtime_serves_tokio_runtimes_that_come_and_go() {
    let uri = server_on_its_own_thread(vec![
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)),
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)),
    ]);
    let yaml = format!(
        "api_integrations:\n  - name: plain\n    environments: {{ sandbox: {{ base_url: \"{uri}\" }} }}\n    operations:\n      - {{ name: get, method: GET, resource: /ok }}\n      - {{ name: post, method: POST, resource: /ok }}\n"
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let shared = Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).build().unwrap();
    let failures = support::errors_from_tokio_runtimes_that_come_and_go(
        &shared,
        &apis,
        &[("plain", "get"), ("plain", "post"), ("plain", "get")],
        200,
    );
    assert!(failures.is_empty(), "{} of 600 calls failed, the first: {}", failures.len(), failures[0]);
}

/// The same for OAuth 2.0 token requests: the API answers 401 to every call, so each
/// call fetches a token twice (before its request and before its replay), and no token
/// request takes a pooled connection of a tokio runtime that shut down.
#[test]
fn token_requests_from_tokio_runtimes_that_come_and_go_each_get_a_connection_of_their_own_runtime() {
    let uri = server_on_its_own_thread(vec![
        Mock::given(method("POST")).and(wiremock::matchers::path("/token")).respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "t0k3n-of-the-test", "expires_in": 3600})),
        ),
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)),
    ]);
    let yaml = format!(
        "api_integrations:\n  - name: secured\n    environments: {{ sandbox: {{ base_url: \"{uri}\", auth_type: oauth2 }} }}\n    operations:\n      - {{ name: get, method: GET, resource: /ok }}\n"
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let secrets = conv_api_runtime::MapSecretStore::new()
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{uri}/token"))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    let shared =
        Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).secrets(secrets).build().unwrap();
    let failures = support::errors_from_tokio_runtimes_that_come_and_go(
        &shared,
        &apis,
        &[("secured", "get"), ("secured", "get")],
        200,
    );
    assert!(failures.is_empty(), "{} of 400 calls failed, the first: {}", failures.len(), failures[0]);
}

/// Polls `future` to its end on this thread, with no tokio runtime around it.
fn block_on_without_tokio<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::park();
    }
}

#[tokio::test]
async fn a_call_awaited_outside_tokio_fails_with_a_config_error_logged_and_sends_nothing() {
    let server = MockServer::start().await;
    let rule = conv_api_runtime::mocks::Rule::on("tickets", "create_ticket").status(201);
    let mocked =
        support::sandbox_builder(server.uri() + "/api/v2").mocks(conv_api_runtime::mocks::Mocks::new().with(rule));
    let runtimes = [runtime(&server), mocked.build().unwrap()];
    let outcomes = std::thread::spawn(move || {
        runtimes.map(|runtime| {
            let conv: Conv<TestApi> = runtime.conversation();
            let request = conv.api.tickets.create_ticket().json(&serde_json::json!({"subject": "Refund"}));
            (block_on_without_tokio(request.into_future()).map(|_| ()), conv.log.entries())
        })
    })
    .join()
    .expect("no panic");
    for (outcome, entries) in outcomes {
        let error = outcome.expect_err("no tokio runtime to send with");
        assert_eq!(error.kind(), conv_api_runtime::ErrorKind::Config, "{error}");
        let message = error.to_string();
        assert!(message.starts_with("`tickets.create_ticket` (POST http://127.0.0.1:"), "{message}");
        assert!(
            message.contains("awaited outside a tokio runtime") && message.contains("`#[tokio::main]`"),
            "{message}"
        );
        assert_eq!(entries.len(), 1, "{entries:?}");
        let logged = entries[0].request.as_ref().unwrap().error.as_deref().unwrap();
        assert!(logged.contains("awaited outside a tokio runtime") && !logged.contains("reached"), "{logged}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_call_on_a_tokio_runtime_without_timers_is_logged_as_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv: Arc<Conv<TestApi>> = Arc::new(runtime(&server).conversation());
    let on_thread = Arc::clone(&conv);
    let panicked = std::thread::spawn(move || {
        // I/O but no time driver: tokio's timer panics, saying to enable it
        let tokio = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
        tokio.block_on(async { on_thread.api.tickets.get_ticket(1).await.map(|_| ()) })
    })
    .join()
    .expect_err("tokio panics without its timers");
    let panic = panicked.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(panic.contains("Call `enable_time` on the runtime builder"), "{panic}");
    let logged = support::calls(&conv.log).remove(0).error.unwrap();
    assert!(logged.ends_with(", before this attempt was sent"), "{logged}");
}

/// Calls dropped while their server has not answered leave nothing behind: their
/// connections are closed and the runtime's tasks are back to what they were.
#[tokio::test]
async fn calls_dropped_before_their_answer_leave_no_task_and_no_connection_behind() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::io::AsyncReadExt;

    let open = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&open);
    let (url, _) = support::raw_connections(move |mut stream, _, _| {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut sink = [0u8; 64];
            while stream.read(&mut sink).await.is_ok_and(|read| read > 0) {}
            counter.fetch_sub(1, Ordering::SeqCst);
        }
    })
    .await;
    let conv: Conv<TestApi> = support::sandbox_builder(url).retry(support::ONE_ATTEMPT).build().unwrap().conversation();
    let metrics = tokio::runtime::Handle::current().metrics();
    let (open, metrics) = (&open, &metrics);
    // waits (at most two seconds) until no connection is open and no more than `tasks` are alive
    let settled = |tasks: usize| async move {
        for _ in 0..200 {
            if open.load(Ordering::SeqCst) == 0 && metrics.num_alive_tasks() <= tasks {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    };
    // one call dropped first, so that what the runtime makes on first use exists
    let _ = tokio::time::timeout(Duration::from_millis(50), conv.api.tickets.get_ticket(0).into_future()).await;
    assert!(settled(usize::MAX).await);
    let before = metrics.num_alive_tasks();
    let calls: Vec<_> = (0..20).map(|n| conv.api.tickets.get_ticket(n).into_future()).collect();
    let _ = tokio::time::timeout(Duration::from_millis(200), futures::future::join_all(calls)).await;
    assert!(settled(before).await, "connections or tasks left behind by the dropped calls");
    assert_eq!(conv.log.calls_under_way(), 0);
    let cancelled = support::calls(&conv.log)
        .iter()
        .filter(|call| call.error_kind == Some(conv_api_runtime::ErrorKind::Cancelled))
        .count();
    assert_eq!(cancelled, 21);
}

/// A raw local server for [`many_conversations_dropping_calls_amid_refreshes_401s_and_503s`]:
/// its token endpoint gives a new two-second token after 30 ms; its API answers each
/// connection by its number, after up to 24 ms: a 401 every 13th, a 503 every 17th,
/// else a 200; ticket `later` always gets a 200. Every answer closes its connection.
async fn token_and_flaky_api_server() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;
    use tokio::io::AsyncWriteExt;

    let answer = |status: u16, body: &str| {
        format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len())
    };
    let issued = Arc::new(AtomicUsize::new(0));
    let (url, _) = support::raw_connections(move |mut stream, number, head| {
        let issued = Arc::clone(&issued);
        async move {
            let text = if head.starts_with("POST /oauth/token") {
                tokio::time::sleep(Duration::from_millis(30)).await;
                let token = issued.fetch_add(1, Ordering::SeqCst);
                answer(200, &format!(r#"{{"access_token":"tok-secret-{token}","expires_in":2}}"#))
            } else {
                tokio::time::sleep(Duration::from_millis(number as u64 * 7919 % 25)).await;
                let status = match number {
                    _ if head.starts_with("GET /tickets/later ") => 200,
                    // what the test is about happens however slow the machine
                    _ if head.starts_with("GET /tickets/5 ") => 401,
                    _ if head.starts_with("GET /tickets/15 ") => 503,
                    n if n % 13 == 0 => 401,
                    n if n % 17 == 0 => 503,
                    _ => 200,
                };
                answer(status, r#"{"ok":true}"#)
            };
            let _ = stream.write_all(text.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    })
    .await;
    url
}

/// Many conversations on one runtime whose callers give up on calls at any point
/// (waiting for a token, a refresh after a 401, an answer, a retry's backoff) while
/// tokens expire and the API answers 401s and 503s: nothing panics, every entry of
/// every log ended (a status or an error), every call that ended has its entries, no
/// token or client secret reaches a log or an error, and a later call of each
/// conversation gets its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_conversations_dropping_calls_amid_refreshes_401s_and_503s() {
    use std::time::Duration;

    let url = token_and_flaky_api_server().await;
    let auth = format!("{{ token_url: \"{url}/oauth/token\", client_id: \"id\", client_secret: {{ secret: CS }} }}");
    let apis = conv_api_runtime::DynamicApis::parse(
        "apis.yaml",
        &crate::auth_support::definitions_yaml(&url, "oauth2", &auth),
    )
    .unwrap();
    let quick = conv_api_runtime::RetryPolicy {
        attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    let secrets = conv_api_runtime::MapSecretStore::new().with("CS", "client-secret-value");
    let builder = Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).secrets(secrets);
    let runtime = builder.retry(quick).build().unwrap();
    let leaks = |text: &str| text.contains("tok-secret") || text.contains("client-secret-value");
    let conversations = (0..40u64).map(|c| {
        let conv = runtime.dynamic_conversation(&apis);
        tokio::spawn(async move {
            let mut ended = 0;
            for k in 0..6u64 {
                let call = conv.api.call("zendesk", "get_ticket").arg("ticket_id", c * 10 + k);
                // the sixth call is not given up on: conversations 0 and 1 meet a 401 and a 503
                let give_up = match k {
                    5 => Duration::from_secs(30),
                    _ => Duration::from_millis((c * 31 + k * 17) % 80),
                };
                if let Ok(outcome) = tokio::time::timeout(give_up, call.into_future()).await {
                    assert!(!outcome.as_ref().is_err_and(|error| leaks(&error.to_string())), "{outcome:?}");
                    ended += 1;
                }
                if k == 3 {
                    // past the first tokens' refresh time
                    tokio::time::sleep(Duration::from_millis(1200)).await;
                }
            }
            let later = conv.api.call("zendesk", "get_ticket").arg("ticket_id", "later").await;
            assert_eq!(later.map(|response| response.status_code()).ok(), Some(200));
            (conv, ended + 1)
        })
    });
    let mut every_call = Vec::new();
    for conversation in conversations.collect::<Vec<_>>() {
        let (conv, ended) = conversation.await.expect("no panic");
        conv.log.idle().await;
        assert_eq!(conv.log.calls_under_way(), 0, "every call's entries ended");
        let calls = support::calls(&conv.log);
        assert!(calls.len() >= ended, "{ended} calls ended, {} entries", calls.len());
        for call in &calls {
            assert!(call.status.is_some() || call.error_kind.is_some(), "{call:?}");
        }
        let jsonl = conv.log.to_jsonl();
        assert!(!leaks(&jsonl), "{jsonl}");
        every_call.extend(calls);
    }
    // what the test is about happened
    let cancelled = every_call.iter().filter(|call| call.error_kind == Some(conv_api_runtime::ErrorKind::Cancelled));
    let answered = |status| every_call.iter().any(|call| call.status == Some(status));
    assert!(cancelled.count() > 0 && answered(401) && answered(503) && answered(200));
}

#[tokio::test]
async fn a_request_is_a_future_for_join_all_and_select() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(5).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let spawned = tokio::spawn(conv.api.tickets.get_ticket(1)).await.unwrap().unwrap();
    assert_eq!(spawned.status_code(), 200);
    let joined = futures::future::join_all(vec![conv.api.tickets.get_ticket(2), conv.api.tickets.get_ticket(3)]).await;
    assert!(joined.iter().all(|outcome| outcome.as_ref().is_ok_and(|response| response.status_code() == 200)));
    let mut request = conv.api.tickets.get_ticket(4);
    let response = loop {
        tokio::select! {
            outcome = &mut request => break outcome.unwrap(),
            () = tokio::task::yield_now() => {}
        }
    };
    assert_eq!(response.status_code(), 200);
    assert_eq!(conv.log.len(), 4);
    // polled again after it returned: nothing sent again, and an error saying so
    let again = (&mut request).await.unwrap_err();
    assert_eq!(again.kind(), conv_api_runtime::ErrorKind::Config);
    assert!(again.to_string().contains("make the request again"), "{again}");
    assert_eq!(conv.log.len(), 4);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    // so is `.send()`'s future
    let mut sent = conv.api.tickets.get_ticket(5).send();
    (&mut sent).await.unwrap();
    assert_eq!((&mut sent).await.unwrap_err().kind(), conv_api_runtime::ErrorKind::Config);
    assert_eq!(conv.log.len(), 5);
}

#[tokio::test]
async fn a_request_dropped_unpolled_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let conv: Conv<TestApi> = runtime(&server).conversation();
    let request = conv.api.tickets.get_ticket(1);
    assert_eq!(conv.log.calls_under_way(), 0);
    drop(request);
    assert_eq!((conv.log.len(), conv.log.calls_under_way()), (0, 0));
}
