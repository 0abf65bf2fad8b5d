//! An HTTPS proxy that does not open the tunnel: the error names the proxy, not the
//! API, and a refusal that lasts (407: credentials wanted) is not retried. The proxy
//! comes from the environment, process-wide, so this file (its own test process) has
//! a single test that sets it in turn.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use conv_api_runtime::mocks::{Mocks, Rule};
use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, RetryPolicy, Runtime};

const QUICK: RetryPolicy =
    RetryPolicy { attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(2) };

/// A runtime built while `HTTPS_PROXY` is `proxy`, and a call's error through it.
async fn call_through(proxy: &str, yaml: &str, store: MapSecretStore) -> conv_api_runtime::Error {
    call_through_variable("HTTPS_PROXY", proxy, yaml, store).await
}

/// A runtime built while the environment `variable` is `proxy`, and a call's error through it.
async fn call_through_variable(
    variable: &str,
    proxy: &str,
    yaml: &str,
    store: MapSecretStore,
) -> conv_api_runtime::Error {
    std::env::set_var(variable, proxy);
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).retry(QUICK).build().unwrap();
    std::env::remove_var(variable);
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    runtime.dynamic_conversation(&apis).api.call("remote", "ping").await.unwrap_err()
}

const API: &str = "api_integrations:\n  - name: remote\n    environments: { sandbox: { base_url: \"https://api.example.test/v1\" } }\n    operations: [{ name: ping, method: GET, resource: /ping }]\n";

const OAUTH: &str = "api_integrations:\n  - name: remote\n    environments: { sandbox: { base_url: \"https://api.example.test/v1\", auth_type: oauth2, auth: { token_url: \"https://api.example.test/token\", client_id: agent } } }\n    operations: [{ name: ping, method: GET, resource: /ping }]\n";

#[tokio::test]
async fn a_proxy_that_opens_no_tunnel_is_named_and_one_wanting_credentials_is_not_retried() {
    for name in ["HTTP_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }
    let wants_credentials = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\ncontent-length: 0\r\n\r\n";
    let (proxy, connects) = support::scripted_server(vec![wants_credentials.to_string()]).await;
    let error = call_through(&proxy, API, MapSecretStore::new()).await;
    let says = "cannot connect through the proxy (tunnel error: proxy authorization required); the HTTPS proxy the environment variable `HTTPS_PROXY` names wants credentials (407)";
    assert!(error.to_string().contains(says), "{error}");
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Connect, false), "{error}");
    assert_eq!(connects.load(Ordering::SeqCst), 1, "not retried: credentials do not come by waiting");

    for refusal in
        ["HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n", "HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n"]
    {
        let (proxy, connects) = support::scripted_server(vec![refusal.to_string()]).await;
        let error = call_through(&proxy, API, MapSecretStore::new()).await;
        let says = "refused to open a tunnel to the host (it answered `CONNECT` with an error, such as 403 or 502)";
        assert!(error.to_string().contains(says) && !error.to_string().contains("check the base URL"), "{error}");
        // a 502 may pass: retried as a connect error
        assert!(error.is_retryable() && connects.load(Ordering::SeqCst) == 3, "{error}");
    }

    let down = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    // named as the environment spells it
    let error = call_through_variable("https_proxy", &down, API, MapSecretStore::new()).await;
    let says = "the HTTPS proxy the environment variable `https_proxy` names cannot be reached";
    assert!(error.to_string().contains(says) && error.is_retryable(), "{error}");
    // the same for a plain `http` API through `HTTP_PROXY`, which opens no tunnel
    std::env::set_var("HTTP_PROXY", &down);
    let runtime = Runtime::builder().environment(Environment::Sandbox).retry(support::ONE_ATTEMPT).build().unwrap();
    std::env::remove_var("HTTP_PROXY");
    let plain =
        DynamicApis::parse("apis.yaml", &API.replace("https://api.example.test", "http://api.example.test")).unwrap();
    let error = runtime.dynamic_conversation(&plain).api.call("remote", "ping").await.unwrap_err();
    let says = "cannot connect through the proxy the environment variable `HTTP_PROXY` names";
    assert!(error.kind() == ErrorKind::Connect && error.to_string().contains(says), "{error}");
    assert!(!error.to_string().contains("check the base URL"), "{error}");

    // a proxy that takes the connection and never answers `CONNECT`: the connect timeout names it
    let (silent, _) = support::raw_server(support::Misbehave::Silent).await;
    std::env::set_var("HTTPS_PROXY", &silent);
    let builder = Runtime::builder().environment(Environment::Sandbox).retry(support::ONE_ATTEMPT);
    let runtime = builder.connect_timeout(Duration::from_millis(300)).build().unwrap();
    std::env::remove_var("HTTPS_PROXY");
    let apis = DynamicApis::parse("apis.yaml", API).unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("remote", "ping").await.unwrap_err();
    let says = "no connection through the proxy the environment variable `HTTPS_PROXY` names within the connect timeout of 300ms";
    assert!(error.is_timeout() && error.to_string().contains(says), "{error}");
    // a token request through it times out naming the proxy before the token server
    std::env::set_var("HTTPS_PROXY", &silent);
    let store = MapSecretStore::new().with("REMOTE_SANDBOX_CLIENT_SECRET", "s3cr3t");
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store).retry(support::ONE_ATTEMPT);
    let runtime = builder.token_timeout(Duration::from_millis(300)).build().unwrap();
    std::env::remove_var("HTTPS_PROXY");
    let apis = DynamicApis::parse("apis.yaml", OAUTH).unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("remote", "ping").await.unwrap_err();
    let says = "the oauth2 token request to `https://api.example.test/token` timed out after 300ms; it went through the proxy the environment variable `HTTPS_PROXY` names: check that the proxy is up";
    assert!(error.kind() == ErrorKind::Auth && error.to_string().contains(says), "{error}");

    // an OAuth 2.0 token request through the same proxy: said so, and not retried
    let (proxy, connects) = support::scripted_server(vec![wants_credentials.to_string()]).await;
    let store = MapSecretStore::new().with("REMOTE_SANDBOX_CLIENT_SECRET", "s3cr3t");
    let error = call_through(&proxy, OAUTH, store).await;
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Auth, false), "{error}");
    let says = "the HTTPS proxy the environment variable `HTTPS_PROXY` names wants credentials (407)";
    assert!(error.to_string().contains(says), "{error}");
    assert_eq!(connects.load(Ordering::SeqCst), 1, "{error}");

    a_plain_http_proxy_wanting_credentials_is_named_in_the_status_error().await;
    a_failed_tls_handshake_with_the_proxy_itself_names_the_proxy().await;
    a_plain_http_proxy_that_never_answers_is_named_in_the_timeout().await;
}

/// A plain `http` request goes to the proxy whole and waits for the proxy's answer:
/// a proxy that takes it and never answers times the attempt out, which names the
/// proxy (the API may never have been asked).
async fn a_plain_http_proxy_that_never_answers_is_named_in_the_timeout() {
    let (silent, _) = support::raw_server(support::Misbehave::Silent).await;
    std::env::set_var("HTTP_PROXY", &silent);
    let runtime = Runtime::builder().environment(Environment::Sandbox).retry(support::ONE_ATTEMPT).build().unwrap();
    std::env::remove_var("HTTP_PROXY");
    let plain =
        DynamicApis::parse("apis.yaml", &API.replace("https://api.example.test", "http://api.example.test")).unwrap();
    let call = runtime.dynamic_conversation(&plain).api.call("remote", "ping").timeout(Duration::from_millis(300));
    let error = call.await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let says = "; the request went through the proxy the environment variable `HTTP_PROXY` names, which answers for the API: check that the proxy is up and reaches the host, or list the host in `NO_PROXY`";
    assert!(error.to_string().contains("no answer within 300ms") && error.to_string().contains(says), "{error}");
}

/// A proxy URL with `https://` has the client speak TLS to the proxy itself: a
/// handshake with it that fails is the proxy's to fix (or its URL's), not the API's
/// certificate or base URL. The common slip: `https://` for a proxy that takes plain
/// connections, as most do, `https` requests going through them encrypted all the same.
async fn a_failed_tls_handshake_with_the_proxy_itself_names_the_proxy() {
    let (plain_proxy, _) = support::raw_server(support::Misbehave::CutBody).await;
    let named_https = plain_proxy.replace("http://", "https://");
    let error = call_through(&named_https, API, MapSecretStore::new()).await;
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Tls, false), "{error}");
    let says = "the TLS handshake with the proxy the environment variable `HTTPS_PROXY` names failed (received corrupt message of type InvalidContentType); the proxy did not answer in TLS: its URL's `https://` has the client speak TLS to the proxy itself, which most proxies do not take; write `http://` in `HTTPS_PROXY` (`https` requests still go through the proxy encrypted)";
    assert!(error.to_string().contains(says), "{error}");
    assert!(!error.to_string().contains("base URL"), "{error}");
    // a token request through it: the same
    let store = MapSecretStore::new().with("REMOTE_SANDBOX_CLIENT_SECRET", "s3cr3t");
    let error = call_through(&named_https, OAUTH, store).await;
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Auth, false), "{error}");
    let says = "failed: received corrupt message of type InvalidContentType; the handshake was with the proxy the environment variable `HTTPS_PROXY` names, not the token server: the proxy did not answer in TLS";
    assert!(error.to_string().contains(says), "{error}");
    // a plain `http` API's request goes to the proxy with no tunnel: the same
    let plain = API.replace("https://api.example.test", "http://api.example.test");
    let error = call_through_variable("HTTP_PROXY", &named_https, &plain, MapSecretStore::new()).await;
    let says = "the TLS handshake with the proxy the environment variable `HTTP_PROXY` names failed (received corrupt message of type InvalidContentType); the proxy did not answer in TLS";
    assert!(error.kind() == ErrorKind::Tls && error.to_string().contains(says), "{error}");

    // a proxy that speaks TLS, with a certificate the client does not trust
    let pki = support::pki::pki();
    let acceptor = support::pki::acceptor(&pki, false, &[b"http/1.1"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let _ = acceptor.accept(tcp).await;
        }
    });
    let error = call_through(&format!("https://{address}"), API, MapSecretStore::new()).await;
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Tls, false), "{error}");
    let says = "the TLS handshake with the proxy the environment variable `HTTPS_PROXY` names failed (invalid peer certificate: UnknownIssuer); its URL's `https://` has the client check the proxy's own certificate: check that certificate (the client trusts the built-in roots and the environment's `tls.ca`), or write `http://` in `HTTPS_PROXY` if the proxy takes plain connections";
    assert!(error.to_string().contains(says), "{error}");
}

/// A plain `http` request goes to the proxy whole, and the proxy answers it: its 407
/// is the call's `Response`, which the caller would take for the API's answer. Its
/// status error says the proxy answered, and how to give it credentials; an `https`
/// call's 407 came through the tunnel, from beyond the proxy, and a mocked one from
/// no proxy at all.
async fn a_plain_http_proxy_wanting_credentials_is_named_in_the_status_error() {
    let wants_credentials = support::http_answer(407, &["Proxy-Authenticate: Basic realm=\"corp\""], "denied");
    let (proxy, connects) = support::scripted_server(vec![wants_credentials.clone()]).await;
    std::env::set_var("http_proxy", proxy.replace("http://", "http://agent:Pr0xy-pa55@"));
    let runtime = Runtime::builder().environment(Environment::Sandbox).retry(QUICK).build().unwrap();
    std::env::remove_var("http_proxy");
    let plain =
        DynamicApis::parse("apis.yaml", &API.replace("https://api.example.test", "http://api.example.test")).unwrap();
    let conv = runtime.dynamic_conversation(&plain);
    let response = conv.api.call("remote", "ping").await.unwrap();
    assert_eq!(response.status_code(), 407);
    assert_eq!(connects.load(Ordering::SeqCst), 1, "not retried: credentials do not come by waiting");
    let error = response.raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error}");
    let says = "the server answered 407 X: `denied`; the proxy the environment variable `http_proxy` names answered, not the API: it wants credentials; give them in its URL (`http://user:password@proxy.example:3128`), or check those it gives, or list the host in `NO_PROXY`";
    assert!(error.to_string().ends_with(says), "{error}");
    for shown in [error.to_string(), format!("{error:?}"), conv.log.to_jsonl()] {
        assert!(!shown.contains("Pr0xy-pa55"), "{shown}");
    }

    // no proxy of the environment's answered: a gateway before the API, or the network's
    // own; `HTTP_PROXY` names one, but a loopback host is reached directly and a
    // mocked answer comes from no proxy, so neither 407 is said to be its
    let (direct, _) = support::scripted_server(vec![wants_credentials.clone()]).await;
    let (unused, proxied) = support::scripted_server(vec![wants_credentials]).await;
    std::env::set_var("HTTP_PROXY", &unused);
    let runtime = Runtime::builder().environment(Environment::Sandbox).retry(QUICK).base_url("remote", &direct);
    let runtime = runtime.build().unwrap();
    let mocks = Mocks::new().with(Rule::on("remote", "ping").status(407));
    let mocked = Runtime::builder().environment(Environment::Sandbox).retry(QUICK).mocks(mocks).build().unwrap();
    std::env::remove_var("HTTP_PROXY");
    let apis = DynamicApis::parse("apis.yaml", API).unwrap();
    let response = runtime.dynamic_conversation(&apis).api.call("remote", "ping").await.unwrap();
    let says = "; a proxy before the API wants credentials, not the API itself: if a gateway before the API wants them, ask the API's owners for them; if your network lets requests out only through a proxy, set `HTTPS_PROXY` (`HTTP_PROXY` for `http` URLs) to its URL with them: `http://user:password@proxy.example:3128`";
    let error = response.raise_for_status().unwrap_err();
    assert!(error.to_string().ends_with(says), "{error}");
    let response = mocked.dynamic_conversation(&plain).api.call("remote", "ping").await.unwrap();
    assert_eq!(response.status_code(), 407);
    let error = response.raise_for_status().unwrap_err();
    assert!(error.to_string().ends_with(says), "{error}");
    assert_eq!(proxied.load(Ordering::SeqCst), 0, "neither call went through the proxy");
}
