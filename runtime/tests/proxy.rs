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
        // here, and twice with a proxy variable that cannot be used
        .expect(3)
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

    unusable_proxy_variables_hold_up_only_the_requests_they_would_serve(&local).await;

    // the runtime built before keeps the proxies it read: a call on another tokio
    // runtime, which gets a client of its own, goes through them too
    let other = std::thread::spawn(move || {
        let other_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        other_runtime
            .block_on(async move { conv.api.call("remote", "ping").await.map(|response| response.status_code()) })
    });
    assert_eq!(other.join().unwrap().unwrap(), 203, "the proxy read when the runtime was built");
    std::env::remove_var("HTTP_PROXY");

    token_requests_on_another_tokio_runtime_keep_the_proxies_read_at_build(&local.uri()).await;
    a_proxy_password_is_masked_where_the_proxy_echoes_it(&local.uri()).await;
}

/// The user info of a proxy variable's URL is a credential: a proxy that echoes the
/// `Proxy-Authorization` it got (an error page, a debug header) shows it masked.
async fn a_proxy_password_is_masked_where_the_proxy_echoes_it(local: &str) {
    struct Echo;
    impl wiremock::Respond for Echo {
        fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
            let sent = request.headers.get("proxy-authorization").map(|value| value.to_str().unwrap().to_string());
            let sent = sent.unwrap_or_default();
            ResponseTemplate::new(502)
                .insert_header("x-proxy-echo", sent.as_str())
                .set_body_string(format!("got {sent}"))
        }
    }
    let proxy = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Echo).expect(1).mount(&proxy).await;
    let address = proxy.uri().replace("http://", "");
    std::env::set_var("HTTP_PROXY", format!("http://agent:Pr0xy-pa%24s@{address}"));
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .retry(conv_api_runtime::RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY })
        .build()
        .unwrap();
    std::env::remove_var("HTTP_PROXY");
    let conv = runtime.dynamic_conversation(&apis(local));
    let response = conv.api.call("remote", "ping").await.unwrap();
    let error = response.raise_for_status().unwrap_err().to_string();
    let log = conv.log.to_jsonl();
    let basic = "YWdlbnQ6UHIweHktcGEkcw=="; // base64 of `agent:Pr0xy-pa$s`
    assert!(error.contains("got Basic ***"), "the proxy was asked with credentials: {error}");
    for shown in [&error, &log] {
        assert!(!shown.contains(basic) && !shown.contains("Pr0xy-pa"), "{shown}");
    }
}

/// A proxy variable that is no usable proxy URL fails the requests it would serve,
/// before anything is sent (sent directly, they would pass the proxy by); loopback
/// hosts, the hosts `NO_PROXY` lists and the mocks' answers go on.
async fn unusable_proxy_variables_hold_up_only_the_requests_they_would_serve(local: &MockServer) {
    let yaml = format!(
        "api_integrations:\n\
         \x20 - name: local\n    environments: {{ sandbox: {{ base_url: \"{}/v1\" }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n\
         \x20 - name: remote\n    environments: {{ sandbox: {{ base_url: \"{}/v1\", auth_type: oauth2, auth: \
         {{ token_url: \"https://token.example.invalid/oauth/token\", client_id: agent, client_secret: {{ secret: CRM_SECRET }} }} }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n\
         \x20 - name: listed\n    environments: {{ sandbox: {{ base_url: \"http://0.0.0.0:{}/v1\" }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n",
        local.uri(),
        local.uri(),
        local.address().port()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("CRM_SECRET", "s3cret");
    let once = conv_api_runtime::RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY };
    let builder = || Runtime::builder().environment(Environment::Sandbox).secrets(store.clone()).retry(once);
    std::env::remove_var("HTTP_PROXY");
    std::env::set_var("ALL_PROXY", "socks5h://user:hunter2@127.0.0.1:1080");
    // `0.0.0.0`, no loopback name to the proxy rules, reaches the local server: only
    // when `NO_PROXY` lists it does its call go directly
    std::env::set_var("NO_PROXY", "0.0.0.0");
    let runtime = builder().build().expect("a proxy variable holds up no runtime");
    let mocked = builder()
        .mocks(
            conv_api_runtime::mocks::Mocks::new().with(conv_api_runtime::mocks::Rule::on("remote", "ping").status(204)),
        )
        .build()
        .unwrap();
    let loose = conv_api_runtime::mocks::Mocks::new()
        .with(conv_api_runtime::mocks::Rule::on("remote", "ping").when_header("x-mocked", "yes").status(204))
        .strict(false);
    let passing_on = builder().mocks(loose).build().unwrap();
    std::env::remove_var("ALL_PROXY");
    std::env::remove_var("NO_PROXY");
    let conv = runtime.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("local", "ping").await.unwrap().status_code(), 200, "loopback: direct");
    let says = "the environment variable `ALL_PROXY` is not a proxy URL such as `http://proxy.example:3128` \
        (`socks5h` proxies are not supported, only HTTP ones); correct it, or unset it to connect directly, or list \
        the host in `NO_PROXY`; nothing was sent, as the request would go through that proxy";
    // a token request is refused too, for a call to a loopback host
    let error = conv.api.call("remote", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "the oauth2 token request to `https://token.example.invalid/oauth/token` cannot be sent: {says}"
        )),
        "{message}"
    );
    assert_eq!(conv.api.call("listed", "ping").await.unwrap().status_code(), 200, "listed in NO_PROXY: direct");
    // the start-up check finds the token request's proxy, though the calls go to loopback
    let problems = runtime.dynamic_preflight(&apis);
    let found: Vec<(ErrorKind, String)> =
        problems.iter().map(|problem| (problem.kind(), problem.to_string())).collect();
    let token_request = format!(
        "`remote`: auth: the oauth2 token request to `https://token.example.invalid/oauth/token` cannot be sent: {says}"
    );
    assert_eq!(found, [(ErrorKind::Auth, token_request)]);
    let plain = DynamicApis::parse(
        "apis.yaml",
        "api_integrations:\n  - name: remote\n    environments: { sandbox: { base_url: \"http://api.example.invalid/v1\" } }\n    operations: [{ name: ping, method: GET, resource: /ping }]\n",
    )
    .unwrap();
    let error = runtime.dynamic_conversation(&plain).api.call("remote", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let message = error.to_string();
    assert_eq!(message, format!("`remote.ping` (GET http://api.example.invalid/v1/ping): {says}"));
    assert!(!message.contains("hunter2"), "{message}");
    // the start-up check finds it before any call
    let problems = runtime.dynamic_preflight(&plain);
    let found: Vec<(ErrorKind, String)> =
        problems.iter().map(|problem| (problem.kind(), problem.to_string())).collect();
    assert_eq!(found, [(ErrorKind::Config, format!("`remote`: {says}"))]);
    let conv = mocked.dynamic_conversation(&apis);
    assert_eq!(conv.api.call("remote", "ping").await.unwrap().status_code(), 204, "mocks answer");
    // passed on by loose mocks, then held up: the error says why no rule answered, as
    // any other error of a call passed on does
    let error = passing_on.dynamic_conversation(&plain).api.call("remote", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let message = error.to_string();
    assert!(message.contains(says) && message.contains("; no mock rule answered it: rule 1 "), "{message}");

    // a URL to reqwest, but no address to the matcher it hands the URL on to, which
    // would leave the proxy out without a word
    std::env::set_var("http_proxy", "http://${PROXY_HOST}:3128");
    let runtime = builder().build().unwrap();
    std::env::remove_var("http_proxy");
    let error = runtime.dynamic_conversation(&plain).api.call("remote", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(error.to_string().contains("the environment variable `http_proxy` is not a proxy URL"), "{error}");
    assert!(error.to_string().contains("is a variable or template left unexpanded?"), "{error}");
}

/// A token client made later, for another tokio runtime, goes through the proxies
/// the runtime read when it was built (none here), as the calls' clients do, not
/// through a proxy variable set since. The token URL's host, `0.0.0.0`, is no loopback
/// name to the proxy rules, and reaches a closed local port without a DNS query.
async fn token_requests_on_another_tokio_runtime_keep_the_proxies_read_at_build(local: &str) {
    let yaml = format!(
        "api_integrations:\n\
         \x20 - name: crm\n    environments: {{ sandbox: {{ base_url: \"{local}/v1\", auth_type: oauth2, auth: \
         {{ token_url: \"https://0.0.0.0:1/oauth/token\", client_id: agent, client_secret: {{ secret: CRM_SECRET }} }} }} }}\n\
         \x20   operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let store = conv_api_runtime::MapSecretStore::new().with("CRM_SECRET", "s3cret");
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(store)
        .token_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    // this tokio runtime takes the token client built with the runtime
    let error = conv.api.call("crm", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");

    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    std::env::set_var("HTTPS_PROXY", format!("http://{}", proxy.local_addr().unwrap()));
    let other = std::thread::spawn(move || {
        let other_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        other_runtime.block_on(async move { conv.api.call("crm", "ping").await.map(|response| response.status_code()) })
    });
    let error = other.join().unwrap().unwrap_err();
    std::env::remove_var("HTTPS_PROXY");
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    let connected = tokio::time::timeout(std::time::Duration::from_millis(200), proxy.accept()).await;
    assert!(connected.is_err(), "the token request went through a proxy set after the runtime was built");
}
