//! `Runtime`, conversations and request futures work from many tokio tasks.

mod support;

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
    // `.send()` is `.into_future()` by a name reqwest users look for
    let futures: Vec<ResponseFuture> = (0..8)
        .map(|id| match id % 2 {
            0 => conv.api.tickets.get_ticket(id).send(),
            _ => conv.api.tickets.get_ticket(id).into_future(),
        })
        .collect();
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    for handle in handles {
        assert_eq!(handle.await.unwrap().unwrap().status_code(), 200);
    }
    assert_eq!(conv.log.len(), 8);
}

/// One `Runtime` used by tests each on a tokio runtime of its own (a `static` shared by
/// `#[tokio::test]`s, two test threads): no call gets a pooled connection of another
/// test's tokio runtime, which dies when that test ends ("runtime dropped the dispatch
/// task").
#[test]
fn one_runtime_serves_tokio_runtimes_that_come_and_go() {
    let (sender, uri) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let server_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        server_runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
            Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
            sender.send(server.uri()).unwrap();
            std::future::pending::<()>().await
        })
    });
    let uri = uri.recv().unwrap();
    let yaml = format!(
        "api_integrations:\n  - name: plain\n    environments: {{ sandbox: {{ base_url: \"{uri}\" }} }}\n    operations:\n      - {{ name: get, method: GET, resource: /ok }}\n      - {{ name: post, method: POST, resource: /ok }}\n"
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let shared = Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).build().unwrap();
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..100 {
                    let test_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    test_runtime.block_on(async {
                        let conv = shared.dynamic_conversation(&apis);
                        for operation in ["get", "post", "get"] {
                            if let Err(error) = conv.api.call("plain", operation).await {
                                failures.lock().unwrap().push(error.to_string());
                            }
                        }
                    });
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of 600 calls failed, the first: {}", failures.len(), failures[0]);
}
