//! Proxies come from the environment, as reqwest reads them, but loopback hosts are
//! always reached directly. Environment variables are process-wide, so this file
//! (its own test process) has a single test that changes them in turn.

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, Runtime};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROXY_VARIABLES: [&str; 6] = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

fn apis(local: &str) -> DynamicApis {
    let yaml = format!(
        "api_integrations:\n\
         \x20 - name: local\n    environments: {{ sandbox: {{ base_url: \"{local}/v1\" }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n\
         \x20 - name: remote\n    environments: {{ sandbox: {{ base_url: \"http://api.example.invalid/v1\" }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    DynamicApis::parse("apis.yaml", &yaml).unwrap()
}

#[tokio::test]
async fn loopback_hosts_skip_the_environments_proxy_and_others_use_it() {
    for name in PROXY_VARIABLES.iter().chain(&["NO_PROXY", "no_proxy", "REQUEST_METHOD"]) {
        std::env::remove_var(name);
    }
    let (local, proxy) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&local)
        .await;
    // a forward proxy gets the whole URL; the mock server answers for the remote host
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .and(header("host", "api.example.invalid"))
        .respond_with(ResponseTemplate::new(203))
        .expect(2)
        .mount(&proxy)
        .await;
    std::env::set_var("HTTP_PROXY", proxy.uri());
    let apis = apis(&local.uri());
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("local", "ping").await.unwrap().status_code(), 200, "loopback: direct");
    assert_eq!(conv.api.call("remote", "ping").await.unwrap().status_code(), 203, "elsewhere: through the proxy");

    std::env::set_var("HTTP_PROXY", "http://user:hunter2@[::1");
    let error = Runtime::builder().environment(Environment::Sandbox).build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("the environment variable `HTTP_PROXY` is not a proxy URL"), "{message}");
    assert!(message.contains("unset it to connect directly") && !message.contains("hunter2"), "{message}");

    // the runtime built before keeps the proxies it read: a call on another tokio
    // runtime, which gets a client of its own, goes through them too
    let other = std::thread::spawn(move || {
        let other_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        other_runtime
            .block_on(async move { conv.api.call("remote", "ping").await.map(|response| response.status_code()) })
    });
    assert_eq!(other.join().unwrap().unwrap(), 203, "the proxy read when the runtime was built");
    std::env::remove_var("HTTP_PROXY");
}
