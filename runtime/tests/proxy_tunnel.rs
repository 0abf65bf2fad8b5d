//! An `https` API reached through the tunnel (`CONNECT`) of the proxy `HTTPS_PROXY`
//! names, where what is beyond the proxy misbehaves. The proxy resolves the API's
//! host, not the client: the API is `https://api.example:<port>`, and the proxy
//! connects to that port on 127.0.0.1 (a loopback host would not be proxied). The
//! proxy comes from the environment, process-wide, so this file (its own test
//! process) has a single test that sets it in turn.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, Runtime};
use support::pki::{acceptor, pki, Pki};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The host of the API, which only the proxy resolves.
const HOST: &str = "api.example";

/// The proxy's password, which no error, `Debug` output or log entry may show.
const PASSWORD: &str = "Tunn3l-pa55";

/// What the proxy does once it has answered `200` to `CONNECT`.
#[derive(Clone, Copy)]
enum Tunnel {
    /// Carries the bytes both ways between the client and `127.0.0.1:<port>`.
    Forward,
    /// Closes the connection.
    Close,
}

/// A proxy (a tokio task) that opens a tunnel to any host, reaching the port it is
/// asked for on 127.0.0.1, and does what `tunnel` says there. Returns its URL, with
/// the user `agent` and [`PASSWORD`], and the `CONNECT` heads it read.
async fn tunnel_proxy(tunnel: Tunnel) -> (String, Arc<Mutex<Vec<String>>>) {
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    let (address, _) = support::raw_connections(move |mut client, _, head| {
        let seen = seen.clone();
        async move {
            // the client closed before its head ended
            if !head.contains("\r\n\r\n") {
                return;
            }
            seen.lock().unwrap().push(head.clone());
            // `CONNECT api.example:<port> HTTP/1.1`
            let target = head.split(' ').nth(1).unwrap_or_default();
            let port: u16 = target.rsplit(':').next().and_then(|port| port.parse().ok()).unwrap_or(443);
            let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
            if let Tunnel::Close = tunnel {
                return;
            }
            let Ok(mut far) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return };
            let _ = tokio::io::copy_bidirectional(&mut client, &mut far).await;
        }
    })
    .await;
    let url = address.replacen("http://", &format!("http://agent:{PASSWORD}@"), 1);
    (url, heads)
}

/// What the API's server (beyond the proxy) does on each connection.
#[derive(Clone, Copy)]
enum Far {
    /// Completes the TLS handshake and answers each request with this whole answer.
    Answers(&'static str),
    /// Reads the client's first TLS message, then closes the connection.
    ClosesInHandshake,
    /// Reads the client's first TLS message and answers nothing.
    SilentInHandshake,
    /// Completes the TLS handshake, reads the request and answers nothing.
    SilentAfterHandshake,
}

/// The API's server, on 127.0.0.1, presenting a certificate of `pki` for [`HOST`].
/// Returns its port.
async fn far_server(pki: &Pki, far: Far) -> u16 {
    let acceptor = acceptor(pki, false, &[b"http/1.1"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                match far {
                    Far::ClosesInHandshake => {
                        let _ = tcp.read(&mut buffer).await;
                    }
                    Far::SilentInHandshake => while tcp.read(&mut buffer).await.is_ok_and(|read| read > 0) {},
                    Far::Answers(answer) => {
                        let Ok(mut stream) = acceptor.accept(tcp).await else { return };
                        while stream.read(&mut buffer).await.is_ok_and(|read| read > 0) {
                            let _ = stream.write_all(answer.as_bytes()).await;
                        }
                    }
                    Far::SilentAfterHandshake => {
                        let Ok(mut stream) = acceptor.accept(tcp).await else { return };
                        while stream.read(&mut buffer).await.is_ok_and(|read| read > 0) {}
                    }
                }
            });
        }
    });
    port
}

/// The definitions of the API at `https://api.example:<port>`, trusting the test CA
/// through its `tls.ca` secret `API_CA`.
fn apis(port: u16) -> DynamicApis {
    let yaml = format!(
        "api_integrations:\n  - name: remote\n    environments: {{ sandbox: {{ base_url: \"https://{HOST}:{port}/v1\", tls: {{ ca: {{ secret: API_CA }} }} }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    DynamicApis::parse("apis.yaml", &yaml).unwrap()
}

/// A runtime built while `HTTPS_PROXY` is `proxy`, trusting `pki`'s CA, with one
/// attempt per call and the connect timeout `connect`.
fn runtime_through(proxy: &str, pki: &Pki, connect: Duration) -> Runtime {
    std::env::set_var("HTTPS_PROXY", proxy);
    let secrets = MapSecretStore::new().with("API_CA", pki.ca.pem());
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(secrets).retry(support::ONE_ATTEMPT);
    let runtime = builder.connect_timeout(connect).build().unwrap();
    std::env::remove_var("HTTPS_PROXY");
    runtime
}

/// Fails if any of `shown` holds the proxy's password, or its `agent:password` in base64.
fn assert_no_password(shown: &[String]) {
    let basic = base64_of(&format!("agent:{PASSWORD}"));
    for text in shown {
        assert!(!text.contains(PASSWORD) && !text.contains(&basic), "the proxy's password is shown: {text}");
    }
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[tokio::test]
async fn what_is_beyond_the_https_proxys_tunnel_is_told_apart_from_the_proxy() {
    for name in ["HTTP_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"] {
        std::env::remove_var(name);
    }
    let pki = pki().with_server_name(HOST);
    let long = Duration::from_secs(30);

    // the tunnel works: the API answers through it, the proxy asked with credentials
    let port = far_server(&pki, Far::Answers("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")).await;
    let (proxy, heads) = tunnel_proxy(Tunnel::Forward).await;
    let runtime = runtime_through(&proxy, &pki, long);
    let response = runtime.dynamic_conversation(&apis(port)).api.call("remote", "ping").await.unwrap();
    assert_eq!(response.text(), "ok");
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with(&format!("CONNECT {HOST}:{port} HTTP/1.1\r\n")), "{head}");
    assert!(head.to_ascii_lowercase().contains("proxy-authorization: basic "), "{head}");

    // a 407 through the tunnel: the proxy let the request through, so it is not the
    // one that wants credentials, and the variable already names it
    let wants = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"gateway\"\r\ncontent-length: 6\r\n\r\ndenied";
    let port = far_server(&pki, Far::Answers(wants)).await;
    let conv = runtime.dynamic_conversation(&apis(port));
    let response = conv.api.call("remote", "ping").await.unwrap();
    assert_eq!(response.status_code(), 407);
    let error = response.raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status, "{error}");
    let says = "the server answered 407 Proxy Authentication Required: `denied`; the proxy the environment variable `HTTPS_PROXY` names opened its tunnel to the API's host and let the request through: a proxy or gateway beyond it wants credentials, not the API itself; ask the API's owners (or your network's) for them: those in the URL `HTTPS_PROXY` gives go to that proxy alone, not beyond it";
    assert!(error.to_string().ends_with(says), "{error}");
    assert_no_password(&[error.to_string(), format!("{error:?}"), conv.log.to_jsonl()]);

    a_407_to_a_token_request_through_the_tunnel_is_from_beyond_the_proxy(&pki, wants).await;
    a_connection_closed_in_the_handshake_through_the_tunnel_says_the_tunnel_was_opened(&pki).await;
    a_server_slow_beyond_the_tunnel_times_the_attempt_out(&pki).await;
}

/// The tunnel opened (`200` to `CONNECT`), then the connection closed before the TLS
/// handshake with the server through it was done, the server's or the proxy's doing:
/// the proxy is up and its address right, what the error says is not to be checked.
async fn a_connection_closed_in_the_handshake_through_the_tunnel_says_the_tunnel_was_opened(pki: &Pki) {
    let long = Duration::from_secs(30);
    let says = "the proxy the environment variable `HTTPS_PROXY` names opened a tunnel to the host, then the connection through it closed during the TLS handshake with the server (tls handshake eof): the proxy may refuse the host after all (some check the TLS server name), or the server does not take TLS on this port; check that the proxy lets the host through and the base URL's port, or list the host in `NO_PROXY`";
    let (forwarding, _) = tunnel_proxy(Tunnel::Forward).await;
    let (closing, heads) = tunnel_proxy(Tunnel::Close).await;
    let answering = far_server(pki, Far::Answers("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")).await;
    let closes = far_server(pki, Far::ClosesInHandshake).await;
    for (proxy, port) in [(&forwarding, closes), (&closing, answering)] {
        let conv = runtime_through(proxy, pki, long).dynamic_conversation(&apis(port));
        let error = conv.api.call("remote", "ping").await.unwrap_err();
        assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Connect, true), "{error}");
        assert!(error.to_string().contains(says), "{error}");
        assert_no_password(&[error.to_string(), format!("{error:?}"), conv.log.to_jsonl()]);
    }
    assert_eq!(heads.lock().unwrap().len(), 1, "one attempt");
}

/// A server beyond the tunnel that never finishes its handshake, or never answers:
/// every wait ends with the attempt's timeouts. An attempt timeout no longer than the
/// connect timeout may end before the tunnel opened, which names the proxy; one
/// after the connection was made is the server's.
async fn a_server_slow_beyond_the_tunnel_times_the_attempt_out(pki: &Pki) {
    let (proxy, _) = tunnel_proxy(Tunnel::Forward).await;
    let silent = far_server(pki, Far::SilentInHandshake).await;
    let short = Duration::from_millis(300);

    let conv = runtime_through(&proxy, pki, short).dynamic_conversation(&apis(silent));
    let error = conv.api.call("remote", "ping").await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    // the proxy may be what is slow, or the server beyond it, in its TLS handshake
    let says = "no connection through the proxy the environment variable `HTTPS_PROXY` names within the connect timeout of 300ms (the tunnel, and the TLS handshake with the server through it); check that the proxy is up and lets the host through, and that the server is up, or list the host in `NO_PROXY`, or raise the timeout with `Runtime::builder().connect_timeout(..)`";
    assert!(error.to_string().contains(says), "{error}");
    assert_no_password(&[error.to_string(), format!("{error:?}"), conv.log.to_jsonl()]);

    let conv = runtime_through(&proxy, pki, Duration::from_secs(30)).dynamic_conversation(&apis(silent));
    let error = conv.api.call("remote", "ping").timeout(short).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let says = "no answer within 300ms: the server took longer, or the connection was not even made (300ms is shorter than the connect timeout of 30s); if the server is up and reachable, raise the timeout with `.timeout(..)` on the call, the API's or operation's `timeout:` key, or `Runtime::builder().timeout(..)`; the connection goes through a tunnel of the proxy the environment variable `HTTPS_PROXY` names, which may not have opened it: check that the proxy is up and lets the host through, or list the host in `NO_PROXY`";
    assert!(error.to_string().contains(says), "{error}");
    assert_no_password(&[error.to_string(), format!("{error:?}"), conv.log.to_jsonl()]);

    // the connection was made within its timeout: the server is what is slow (the
    // connect timeout leaves a loaded machine room for the handshake through the tunnel)
    let unanswering = far_server(pki, Far::SilentAfterHandshake).await;
    let conv = runtime_through(&proxy, pki, Duration::from_secs(5)).dynamic_conversation(&apis(unanswering));
    let error = conv.api.call("remote", "ping").timeout(Duration::from_secs(6)).await.unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(error.to_string().contains("no complete answer within 6s; raise the timeout"), "{error}");
    assert!(!error.to_string().contains("proxy"), "{error}");
}

/// A 407 that is no token response, to a token request through the tunnel, and a
/// connection closed in the handshake through it: the same as a call's, of the token
/// server.
async fn a_407_to_a_token_request_through_the_tunnel_is_from_beyond_the_proxy(pki: &Pki, wants: &'static str) {
    let says = "answered 407 Proxy Authentication Required with no content type, which is no token response (a JSON object with an `access_token`); the proxy the environment variable `HTTPS_PROXY` names opened its tunnel to the token server's host and let the request through: a proxy or gateway beyond it wants credentials, not the token server itself; ask the token server's owners (or your network's) for them: those in the URL `HTTPS_PROXY` gives go to that proxy alone, not beyond it";
    let error = token_request_through_the_tunnel(pki, Far::Answers(wants)).await;
    assert_eq!((error.kind(), error.is_retryable()), (ErrorKind::Auth, false), "{error}");
    assert!(error.to_string().contains(says), "{error}");
    let says = "failed: tls handshake eof; the proxy the environment variable `HTTPS_PROXY` names opened a tunnel to the host, then the connection through it closed during the TLS handshake with the token server: the proxy may refuse the host after all (some check the TLS server name), or the token server does not take TLS on this port; check that the proxy lets the host through and `token_url`'s port, or list the host in `NO_PROXY`";
    let error = token_request_through_the_tunnel(pki, Far::ClosesInHandshake).await;
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(error.to_string().contains(says), "{error}");
}

/// The error of a call whose token request goes through the tunnel to a token server
/// that does what `far` says, after one token request.
async fn token_request_through_the_tunnel(pki: &Pki, far: Far) -> conv_api_runtime::Error {
    let (proxy, heads) = tunnel_proxy(Tunnel::Forward).await;
    let port = far_server(pki, far).await;
    let yaml = format!(
        "api_integrations:\n  - name: remote\n    environments: {{ sandbox: {{ base_url: \"https://{HOST}:{port}/v1\", auth_type: oauth2, auth: {{ token_url: \"https://{HOST}:{port}/token\", client_id: agent, client_secret: {{ secret: CLIENT_SECRET }} }}, tls: {{ ca: {{ secret: API_CA }} }} }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n"
    );
    std::env::set_var("HTTPS_PROXY", &proxy);
    let secrets = MapSecretStore::new().with("API_CA", pki.ca.pem()).with("CLIENT_SECRET", "s3cr3t");
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(secrets).retry(support::ONE_ATTEMPT);
    let runtime = builder.build().unwrap();
    std::env::remove_var("HTTPS_PROXY");
    let conv = runtime.dynamic_conversation(&DynamicApis::parse("apis.yaml", &yaml).unwrap());
    let error = conv.api.call("remote", "ping").await.unwrap_err();
    assert_eq!(heads.lock().unwrap().len(), 1, "one token request");
    assert_no_password(&[error.to_string(), format!("{error:?}"), conv.log.to_jsonl()]);
    error
}
