//! TLS per environment (RELIABILITY 24): a local rustls server whose CA is made in
//! the test is trusted only when the environment's `tls.ca` names it; a server that
//! requires a client certificate accepts the one from `tls.client_cert` and
//! `tls.client_key`; TLS failures are permanent, so they are not retried.

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, Runtime};
use support::pki::{acceptor, pki, Pki};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const YAML: &str = r#"
api_integrations:
  - name: plain
    environments:
      sandbox: { base_url: "https://plain.example" }
    operations:
      - { name: ping, method: GET, resource: /ping }
  - name: private
    environments:
      sandbox:
        base_url: "https://private.example"
        tls: { ca: { secret: PRIVATE_CA } }
    operations:
      - { name: ping, method: GET, resource: /ping }
  - name: secured
    environments:
      sandbox:
        base_url: "https://secured.example"
        auth_type: oauth2
        tls: { ca: { secret: SECURED_CA } }
    operations:
      - { name: ping, method: GET, resource: /ping }
  - name: mutual
    environments:
      sandbox:
        base_url: "https://mutual.example"
        tls:
          ca: { secret: MUTUAL_CA }
          client_cert: { secret: MUTUAL_CERT }
          client_key: { secret: MUTUAL_KEY }
    operations:
      - { name: ping, method: GET, resource: /ping }
  - name: bundled
    environments:
      sandbox:
        base_url: "https://bundled.example"
        tls: { ca: { secret: BUNDLE_PEM }, client_cert: { secret: BUNDLE_PEM }, client_key: { secret: BUNDLE_PEM } }
    operations:
      - { name: ping, method: GET, resource: /ping }
"#;

/// A local HTTPS server answering `200 ok` (and a token to `POST /token`); with
/// `require_client_cert`, only to clients presenting a certificate signed by the test
/// CA. Returns its URL and how many connections it accepted.
async fn https_server(pki: &Pki, require_client_cert: bool) -> (String, Arc<AtomicUsize>) {
    let acceptor = acceptor(pki, require_client_cert, &[b"http/1.1"]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut stream) = acceptor.accept(tcp).await else { return };
                let mut head = [0u8; 4096];
                if stream.read(&mut head).await.is_ok_and(|read| read > 0) {
                    let body = match head.starts_with(b"POST /token ") {
                        true => r#"{"access_token":"tls-token","token_type":"Bearer","expires_in":3600}"#,
                        false => "ok",
                    };
                    let answer =
                        format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
            });
        }
    });
    (url, accepted)
}

fn runtime(api: &str, url: &str, secrets: MapSecretStore) -> Runtime {
    Runtime::builder().environment(Environment::Sandbox).base_url(api, url).secrets(secrets).build().unwrap()
}

async fn ping(runtime: &Runtime, api: &str) -> conv_api_runtime::Result<conv_api_runtime::Response> {
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    runtime.dynamic_conversation(&apis).api.call(api, "ping").await
}

#[tokio::test]
async fn https_to_a_plain_http_port_says_the_server_did_not_answer_in_tls() {
    let server = wiremock::MockServer::start().await;
    let url = server.uri().replace("http://", "https://");
    let error = ping(&runtime("plain", &url, MapSecretStore::new()), "plain").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    let text = error.to_string();
    assert!(text.contains("the server did not answer in TLS: it may speak plain HTTP on this port"), "{text}");
    assert!(!text.contains("certificate"), "no certificate was involved: {text}");
}

#[tokio::test]
async fn a_server_with_an_unknown_ca_is_a_permanent_tls_error() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let error = ping(&runtime("plain", &url, MapSecretStore::new()), "plain").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(error.is_tls() && !error.is_retryable(), "{error:?}");
    assert!(error.to_string().contains("certificate"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "a TLS failure is not retried");
}

#[tokio::test]
async fn an_expired_certificate_is_a_permanent_tls_error_even_from_a_trusted_ca() {
    let pki = pki().with_expired_server();
    let (url, accepted) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", pki.ca.pem());
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(!error.is_retryable() && error.to_string().contains("certificate expired"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "a TLS failure is not retried");
}

#[tokio::test]
async fn the_environments_ca_is_trusted_as_pem_text_or_a_file() {
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", pki.ca.pem());
    assert_eq!(ping(&runtime("private", &url, secrets), "private").await.unwrap().text(), "ok");
    let file = std::env::temp_dir().join(format!("conv-api-test-ca-{}.pem", std::process::id()));
    std::fs::write(&file, pki.ca.pem()).unwrap();
    let secrets = MapSecretStore::new().with("PRIVATE_CA", file.to_str().unwrap());
    let response = ping(&runtime("private", &url, secrets), "private").await;
    std::fs::remove_file(&file).unwrap();
    assert_eq!(response.unwrap().text(), "ok");
}

#[tokio::test]
async fn pem_on_one_line_or_after_bag_attributes_is_read_as_pem() {
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let one_line = pki.ca.pem().trim_end().replace('\n', "\\n");
    let exported = format!("Bag Attributes\n    friendlyName: test-ca\nsubject=/CN=test\n{}", pki.ca.pem());
    for value in [one_line, exported] {
        let secrets = MapSecretStore::new().with("PRIVATE_CA", value);
        assert_eq!(ping(&runtime("private", &url, secrets), "private").await.unwrap().text(), "ok");
    }
}

#[tokio::test]
async fn a_ca_after_a_byte_order_mark_is_trusted_as_openssl_trusts_it() {
    // as Windows PowerShell 5.1 writes a UTF-8 file, and `cat` of two such files
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let marked = format!("\u{feff}{}", pki.ca.pem());
    let secrets = MapSecretStore::new().with("PRIVATE_CA", marked.as_str());
    assert_eq!(ping(&runtime("private", &url, secrets), "private").await.unwrap().text(), "ok", "as PEM text");
    let file = std::env::temp_dir().join(format!("conv-api-test-bom-ca-{}.pem", std::process::id()));
    std::fs::write(&file, format!("{marked}{marked}")).unwrap();
    let secrets = MapSecretStore::new().with("PRIVATE_CA", file.to_str().unwrap());
    let response = ping(&runtime("private", &url, secrets), "private").await;
    std::fs::remove_file(&file).unwrap();
    assert_eq!(response.unwrap().text(), "ok", "as a file of two");
}

#[tokio::test]
async fn a_client_certificate_or_key_in_the_wrong_secret_is_blamed_on_that_secret() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let cert_as_key = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_KEY", pki.client.pem());
    let error = ping(&runtime("mutual", &url, cert_as_key), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("secret `MUTUAL_KEY` (`tls.client_key`) holds no PEM private key"), "{text}");
    assert!(!text.contains("MUTUAL_CERT"), "the certificate's secret is right: {text}");
    let key_as_cert = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_CERT", pki.client_key.serialize_pem());
    let text = ping(&runtime("mutual", &url, key_as_cert), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("secret `MUTUAL_CERT` (`tls.client_cert`) holds no PEM certificate"), "{text}");
    assert!(!text.contains("MUTUAL_KEY"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn one_api_name_with_other_tls_settings_gets_its_own_client() {
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let runtime = runtime("private", &url, MapSecretStore::new().with("PRIVATE_CA", pki.ca.pem()));
    assert_eq!(ping(&runtime, "private").await.unwrap().text(), "ok");
    // definitions loaded later give `private` a CA secret the store does not hold:
    // the client built for the first settings must not answer for these
    let other = YAML.replace("tls: { ca: { secret: PRIVATE_CA } }", "tls: { ca: { secret: OTHER_CA } }");
    let apis = DynamicApis::parse("other.yaml", &other).unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("private", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("OTHER_CA"), "{error}");
    assert_eq!(ping(&runtime, "private").await.unwrap().text(), "ok", "the first settings keep their client");
}

#[tokio::test]
async fn oauth2_token_requests_trust_the_environments_ca_too() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new()
        .with("SECURED_CA", pki.ca.pem())
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{url}/token"))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    assert_eq!(ping(&runtime("secured", &url, secrets), "secured").await.unwrap().text(), "ok");
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "one token request, then the call");
}

#[tokio::test]
async fn a_token_endpoint_with_an_untrusted_certificate_is_a_permanent_auth_error() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new()
        .with("SECURED_CA", support::pki::pki().ca.pem()) // another CA than the server's
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{url}/token"))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    let error = ping(&runtime("secured", &url, secrets), "secured").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth, "{error}");
    assert!(!error.is_retryable(), "{error}");
    let text = error.to_string();
    assert!(text.contains("the oauth2 token request to `https://127.0.0.1:"), "{text}");
    assert!(text.contains("failed: invalid peer certificate"), "{text}");
    assert!(
        text.contains("; check the server's certificate and the environment's `tls:` settings"),
        "the TLS advice: {text}"
    );
    assert!(!text.contains("check `token_url`, the network"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "one token request, not retried");
}

/// The secrets of the API `mutual`: the test CA, the client certificate, and `key`
/// as its private key.
fn mutual_secrets(pki: &Pki, key: &rcgen::KeyPair) -> MapSecretStore {
    MapSecretStore::new()
        .with("MUTUAL_CA", pki.ca.pem())
        .with("MUTUAL_CERT", pki.client.pem())
        .with("MUTUAL_KEY", key.serialize_pem())
}

#[tokio::test]
async fn mutual_tls_works_with_the_client_certificate() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = mutual_secrets(&pki, &pki.client_key);
    assert_eq!(ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap().text(), "ok");
}

#[tokio::test]
async fn one_pem_file_with_the_ca_the_certificate_and_its_key_serves_all_three_in_any_order() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let (ca, cert, key) = (pki.ca.pem(), pki.client.pem(), pki.client_key.serialize_pem());
    for (index, order) in [[&cert, &key, &ca], [&ca, &cert, &key], [&key, &ca, &cert]].into_iter().enumerate() {
        let bundle = order.map(String::as_str).join("\n");
        let secrets = MapSecretStore::new().with("BUNDLE_PEM", bundle.as_str());
        let response = ping(&runtime("bundled", &url, secrets.clone()), "bundled").await;
        let text = response.map(|response| response.text().to_string()).unwrap_or_else(|error| error.to_string());
        assert_eq!(text, "ok", "order {index}");
        let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
        let bundled = apis.definitions().apis.iter().find(|api| api.name() == "bundled").unwrap();
        let problems = conv_api_runtime::check_tls(bundled.environment(Environment::Sandbox).unwrap(), &secrets);
        assert!(problems.is_empty(), "order {index}: {problems:?}");
    }
}

#[tokio::test]
async fn a_server_requiring_a_client_certificate_refuses_a_client_without_one() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", pki.ca.pem());
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_missing_tls_secret_fails_before_connecting() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let error = ping(&runtime("private", &url, MapSecretStore::new()), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("`PRIVATE_CA`") && error.to_string().contains("`tls.ca`"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_plain_http_server_in_place_of_the_base_url_needs_no_tls_secret() {
    let server = wiremock::MockServer::start().await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::any()).respond_with(ok).expect(1).mount(&server).await;
    let response = ping(&runtime("private", &server.uri(), MapSecretStore::new()), "private").await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
}

#[tokio::test]
async fn a_plain_http_token_server_in_place_needs_no_tls_secret_either() {
    let server = wiremock::MockServer::start().await;
    let token = serde_json::json!({ "access_token": "t-1", "expires_in": 3600 });
    let token = wiremock::ResponseTemplate::new(200).set_body_json(token);
    wiremock::Mock::given(wiremock::matchers::path("/token")).respond_with(token).expect(1).mount(&server).await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::path("/ping")).respond_with(ok).expect(1).mount(&server).await;
    let secrets = MapSecretStore::new()
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{}/token", server.uri()))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    let response = ping(&runtime("secured", &server.uri(), secrets), "secured").await;
    assert_eq!(response.map(|response| response.status_code()).map_err(|error| error.to_string()), Ok(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_read_the_tls_secrets_once() {
    let pki = pki();
    let (url, _) = https_server(&pki, false).await;
    let reads = Arc::new(AtomicUsize::new(0));
    let store = CountingStore { ca: pki.ca.pem(), reads: Arc::clone(&reads) };
    let runtime =
        Runtime::builder().environment(Environment::Sandbox).base_url("private", &url).secrets(store).build().unwrap();
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let calls = (0..20).map(|_| {
        let conv = runtime.dynamic_conversation(&apis);
        tokio::spawn(async move { conv.api.call("private", "ping").await.map(|response| response.status_code()).ok() })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap(), Some(200));
    }
    assert_eq!(reads.load(Ordering::SeqCst), 1, "one read of `PRIVATE_CA` for the API");
}

/// A keep-alive HTTPS server on a thread and tokio runtime of its own, as a `static`
/// server shared by tests would be. It answers every request of a connection: a token
/// to `POST /token`, `401` to a request with an `Authorization` header (so that each
/// OAuth 2.0 call fetches a token again), else `200 ok`. Its URL.
fn keep_alive_https_server_on_its_own_thread(pki: &Pki) -> String {
    use tokio::io::AsyncBufReadExt;
    let acceptor = acceptor(pki, false, &[b"http/1.1"]);
    let (sender, url) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let server_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        server_runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(format!("https://{}", listener.local_addr().unwrap())).unwrap();
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(stream) = acceptor.accept(tcp).await else { return };
                    let mut stream = tokio::io::BufReader::new(stream);
                    loop {
                        let (mut head, mut length) = (String::new(), 0);
                        loop {
                            let mut line = String::new();
                            if stream.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == "\r\n" {
                                break;
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(value) = lower.strip_prefix("content-length:") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                            head.push_str(&lower);
                        }
                        let mut body = vec![0; length];
                        if stream.read_exact(&mut body).await.is_err() {
                            return;
                        }
                        let (status, body) = if head.starts_with("post /token ") {
                            ("200 OK", r#"{"access_token":"tls-token","token_type":"Bearer","expires_in":3600}"#)
                        } else if head.contains("\nauthorization:") {
                            ("401 Unauthorized", "")
                        } else {
                            ("200 OK", "ok")
                        };
                        let answer = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n\r\n{body}", body.len());
                        if stream.write_all(answer.as_bytes()).await.is_err() || stream.flush().await.is_err() {
                            return;
                        }
                    }
                });
            }
        })
    });
    url.recv().unwrap()
}

/// One `Runtime` used by tests each on a tokio runtime of its own (a `static` shared by
/// `#[tokio::test]`s): calls over an environment's `tls:` settings, and token requests
/// over them, never take a pooled connection of another test's tokio runtime, which
/// dies with that test ("runtime dropped the dispatch task").
#[test]
fn tls_clients_serve_tokio_runtimes_that_come_and_go() {
    let pki = pki();
    let url = keep_alive_https_server_on_its_own_thread(&pki);
    let secrets = MapSecretStore::new()
        .with("PRIVATE_CA", pki.ca.pem())
        .with("SECURED_CA", pki.ca.pem())
        .with("SECURED_SANDBOX_TOKEN_URL", format!("{url}/token"))
        .with("SECURED_SANDBOX_CLIENT_ID", "agent")
        .with("SECURED_SANDBOX_CLIENT_SECRET", "s3cret");
    let shared = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("private", &url)
        .base_url("secured", &url)
        .secrets(secrets)
        .build()
        .unwrap();
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let calls = [("private", "ping"), ("secured", "ping"), ("private", "ping")];
    // each tokio runtime builds its clients, which debug builds of rustls take long for
    let failures = support::errors_from_tokio_runtimes_that_come_and_go(&shared, &apis, &calls, 80);
    assert!(failures.is_empty(), "{} of 240 calls failed, the first: {}", failures.len(), failures[0]);
}

/// A store holding the CA under `PRIVATE_CA`, counting its reads.
struct CountingStore {
    ca: String,
    reads: Arc<AtomicUsize>,
}

impl conv_api_runtime::SecretStore for CountingStore {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        (name == "PRIVATE_CA").then(|| {
            self.reads.fetch_add(1, Ordering::SeqCst);
            conv_api_runtime::SecretString::from(self.ca.clone())
        })
    }
}

#[tokio::test]
async fn every_missing_tls_secret_is_named_at_once() {
    let (url, accepted) = https_server(&pki(), true).await;
    let error = ping(&runtime("mutual", &url, MapSecretStore::new()), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let text = error.to_string();
    assert!(
        text.contains("environment `sandbox`: 3 secrets are missing from the secret store: (1) `MUTUAL_CA` (named for `tls.ca` in the definitions file) (2) `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file) (3) `MUTUAL_KEY` (named for `tls.client_key` in the definitions file); add them to the secret store this runtime reads, MapSecretStore holding no secret (an empty or blank value counts as missing); a `tls:` secret's value is PEM text or the path of a PEM file"),
        "{text}"
    );
    assert_eq!(text.matches("MapSecretStore").count(), 1, "the store is described once: {text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// A missing `tls:` secret is told in the words of a missing auth secret, by a call,
/// by `missing_secrets` and by `preflight`, the start-up checks with its environment.
#[tokio::test]
async fn a_missing_tls_secret_is_told_alike_by_a_call_and_the_start_up_checks() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = MapSecretStore::new().with("MUTUAL_CERT", pki.client.pem());
    let runtime = runtime("mutual", &url, secrets.with("MUTUAL_KEY", pki.client_key.serialize_pem()));
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let what = "missing secret `MUTUAL_CA` in environment `sandbox` (named for `tls.ca` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding `MUTUAL_CERT` and `MUTUAL_KEY` (an empty or blank value counts as missing); its value is PEM text or the path of a PEM file";
    let missing = runtime.dynamic_missing_secrets(&apis);
    let missing = missing.iter().find(|secret| secret.name == "MUTUAL_CA").map(ToString::to_string);
    assert_eq!(missing.as_deref(), Some(what.replace("`tls.ca`", "`tls.ca` of API `mutual`").as_str()));
    let problems = runtime.dynamic_preflight(&apis);
    let preflight = problems.iter().find(|problem| problem.api() == Some("mutual")).map(ToString::to_string);
    assert_eq!(preflight, Some(format!("`mutual`: {what}")), "{problems:?}");
    // a call names the environment first, as for its other `tls:` problems
    let call = runtime.dynamic_conversation(&apis).api.call("mutual", "ping").await.unwrap_err().to_string();
    let in_call = what.replace(" in environment `sandbox`", "");
    assert!(call.ends_with(&format!("environment `sandbox`: {in_call}; nothing was sent")), "{call}");
    assert!(call.starts_with("`mutual.ping` (GET ") && !call.contains("`mutual`"), "the API named once: {call}");
}

/// One secret named for an auth setting and a `tls:` one is told once, naming both,
/// by a call, `missing_secrets` and `preflight`.
#[tokio::test]
async fn a_missing_secret_that_auth_and_tls_both_name_is_told_once_with_both_settings() {
    let yaml = "api_integrations:\n  - name: same\n    environments:\n      sandbox:\n        base_url: https://same.example\n        auth_type: basic\n        auth: { username: agent, password: { secret: SAME_PEM } }\n        tls: { ca: { secret: SAME_PEM } }\n    operations:\n      - { name: ping, method: GET, resource: /ping }\n";
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let both = "missing secret `SAME_PEM` (named for `auth.password` and `tls.ca` in the definitions file)";
    let call = runtime.dynamic_conversation(&apis).api.call("same", "ping").await.unwrap_err().to_string();
    assert!(call.contains(both) && call.matches("SAME_PEM").count() == 1, "{call}");
    assert!(call.contains("its value is PEM text or the path of a PEM file"), "{call}");
    let missing = runtime.dynamic_missing_secrets(&apis);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].also_for(), ["tls.ca"]);
    let problems = runtime.dynamic_preflight(&apis);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let once = both.replace("`SAME_PEM` (", "`SAME_PEM` in environment `sandbox` (");
    assert!(problems[0].to_string().contains(&once), "{}", problems[0]);
}

#[tokio::test]
async fn a_missing_secret_that_two_tls_fields_name_is_told_once() {
    let yaml = "api_integrations:\n  - name: shop\n    environments:\n      sandbox:\n        base_url: https://shop.example\n        tls: { client_cert: { secret: SHOP_TLS }, client_key: { secret: SHOP_TLS } }\n    operations:\n      - { name: ping, method: GET, resource: /ping }\n";
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("shop", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let text = error.to_string();
    assert!(
        text.contains("missing secret `SHOP_TLS` (named for `tls.client_cert` and `tls.client_key` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding no secret"),
        "{text}"
    );
    assert_eq!(text.matches("SHOP_TLS").count(), 1, "{text}");
    // read once, and told of once, when it holds no PEM either
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(MapSecretStore::new().with("SHOP_TLS", "see the wiki"))
        .build()
        .unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("shop", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("secret `SHOP_TLS` (`tls.client_cert`, `tls.client_key`) is not PEM text"), "{text}");
    assert_eq!(text.matches("SHOP_TLS").count(), 1, "{text}");
}

/// A store whose description, against the rule, shows a value it holds.
struct TellingStore;

impl conv_api_runtime::SecretStore for TellingStore {
    fn get(&self, name: &str) -> Option<conv_api_runtime::SecretString> {
        (name == "OTHER_KEY").then(|| conv_api_runtime::SecretString::from("other-value-12345"))
    }

    fn describe(&self) -> String {
        "TellingStore { OTHER_KEY: other-value-12345 }".to_string()
    }
}

#[tokio::test]
async fn a_store_description_holding_a_known_secret_is_masked_where_missing_tls_secrets_are_told() {
    let (url, accepted) = https_server(&pki(), true).await;
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("mutual", &url)
        .secrets(TellingStore)
        .build()
        .unwrap();
    runtime.redactor().add_secret(&conv_api_runtime::SecretString::from("other-value-12345"));
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("mutual", "ping").await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("add them to the secret store this runtime reads, TellingStore { OTHER_KEY: *** }"),
        "{text}"
    );
    let log = conv.log.to_jsonl();
    assert!(log.contains("TellingStore { OTHER_KEY: *** }") && !log.contains("other-value"), "{log}");
    let missing = runtime.dynamic_missing_secrets(&apis);
    assert!(!missing.is_empty());
    for secret in missing {
        assert!(!secret.to_string().contains("other-value"), "{secret}");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_missing_ca_and_an_encrypted_client_key_are_told_at_once() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let secrets = MapSecretStore::new().with("MUTUAL_CERT", pki.client.pem()).with("MUTUAL_KEY", encrypted);
    let error = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err();
    // a missing secret and a value that cannot work: a configuration problem
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("environment `sandbox`: 2 problems with the environment's `tls:` settings: (1) missing secret `MUTUAL_CA` (named for `tls.ca` in the definitions file)"), "{text}");
    assert!(text.contains("(2) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    // its value is PEM: the fix is to decrypt it, not to check what it holds
    assert!(
        text.ends_with("store it decrypted (`openssl pkey -in key.pem -out plain-key.pem`); nothing was sent"),
        "{text}"
    );
    assert!(!text.contains("MIIFHDBO"), "{text}");
    // the key is checked without its certificate too
    let secrets = MapSecretStore::new().with("MUTUAL_CA", pki.ca.pem()).with("MUTUAL_KEY", encrypted);
    let text = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("(1) missing secret `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding `MUTUAL_CA` and `MUTUAL_KEY` (an empty or blank value counts as missing); its value is PEM text or the path of a PEM file"), "{text}");
    assert!(text.contains("(2) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    // a name the store holds in another case is offered
    let secrets = MapSecretStore::new().with("mutual_ca", pki.ca.pem()).with("MUTUAL_KEY", encrypted);
    let text = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("3 problems with the environment's `tls:` settings: (1) missing secret `MUTUAL_CA` (named for `tls.ca` in the definitions file; did you mean `mutual_ca`, which the store holds?); add it to the secret store this runtime reads,"), "{text}");
    assert!(
        text.contains("(2) missing secret `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file); add it"),
        "{text}"
    );
    assert!(text.contains("(3) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_tls_secret_that_is_not_pem_is_a_config_error_that_hides_the_value() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", "hunter2-not-a-pem");
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_ca_pem_block_that_holds_no_certificate_is_blamed_on_its_secret() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    // valid PEM and base64, yet no certificate inside
    let not_a_certificate = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    let secrets = MapSecretStore::new().with("PRIVATE_CA", not_a_certificate);
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(
        text.contains(
            "environment `sandbox`: secret `PRIVATE_CA` (`tls.ca`) holds a PEM block that is no valid certificate ("
        ),
        "{text}"
    );
    assert!(!text.contains("client key"), "no client key is configured: {text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_client_key_that_is_not_the_certificates_is_a_config_error_with_its_reason() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let secrets = mutual_secrets(&pki, &pki.server_key);
    let error = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    // the reason is rustls's, such as `keys may not be consistent: KeyMismatch`
    assert!(
        text.contains("environment `sandbox`: cannot set up the HTTP client with the `tls:` settings (keys"),
        "{text}"
    );
    // both secrets named, as `conv-api secrets --check` marks their rows by them
    let names = "check that secret `MUTUAL_KEY` (`tls.client_key`) holds the private key of the certificate in secret `MUTUAL_CERT` (`tls.client_cert`)";
    assert!(text.ends_with(&format!("{names}; nothing was sent")), "{text}");
    assert!(std::error::Error::source(&error).is_some(), "the client builder's error is kept: {error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_client_certificate_rustls_cannot_read_is_named_not_the_key() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    // a PEM block whose content is no certificate: `nope` in base64
    let garbage = "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n";
    let secrets = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_CERT", garbage);
    let runtime = runtime("mutual", &url, secrets);
    let error = ping(&runtime, "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    let says = "secret `MUTUAL_CERT` (`tls.client_cert`) holds a PEM block that is no valid certificate (BadEncoding)";
    assert!(text.contains(&format!("environment `sandbox`: {says}")), "{text}");
    assert!(!text.contains("MUTUAL_KEY") && !text.contains("peer"), "the key is the certificate's: {text}");
    // preflight, and so `conv-api secrets --check`, says the same
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let problems = runtime.dynamic_preflight(&apis);
    assert!(problems.iter().any(|problem| problem.to_string().contains(says)), "{problems:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// The TLS versions a ClientHello record offers in its `supported_versions` extension
/// (RFC 8446 4.2.1), after its legacy version; `None` when it is no ClientHello.
fn offered_versions(record: &[u8]) -> Option<Vec<u16>> {
    let u16_at = |at: usize| Some(u16::from_be_bytes([*record.get(at)?, *record.get(at + 1)?]));
    // record header (5), handshake header (4), legacy version (2), random (32)
    if record.first() != Some(&0x16) || record.get(5) != Some(&0x01) {
        return None;
    }
    let mut versions = vec![u16_at(9)?];
    let mut at = 9 + 2 + 32;
    at += 1 + usize::from(*record.get(at)?); // session id
    at += 2 + usize::from(u16_at(at)?); // cipher suites
    at += 1 + usize::from(*record.get(at)?); // compression methods
    let end = at + 2 + usize::from(u16_at(at)?);
    at += 2;
    while at + 4 <= end {
        let (kind, length) = (u16_at(at)?, usize::from(u16_at(at + 2)?));
        if kind == 0x002b {
            let list = at + 5;
            let count = usize::from(*record.get(at + 4)?) / 2;
            versions.extend((0..count).map(|index| u16_at(list + 2 * index)).collect::<Option<Vec<_>>>()?);
        }
        at += 4 + length;
    }
    Some(versions)
}

/// A TLS 1.1 server: reads a ClientHello, keeps what it offers, answers with a TLS 1.1
/// ServerHello. Returns its URL and the versions each ClientHello offered.
async fn tls_1_1_server() -> (String, Arc<std::sync::Mutex<Vec<Option<Vec<u16>>>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let offers = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = offers.clone();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let mut record = Vec::new();
            let mut buffer = [0u8; 4096];
            while record.len() < 5 || record.len() < 5 + usize::from(u16::from_be_bytes([record[3], record[4]])) {
                match tcp.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => record.extend_from_slice(&buffer[..read]),
                }
            }
            seen.lock().unwrap().push(offered_versions(&record));
            // ServerHello: version 3.2, a random, no session id, TLS_RSA_WITH_AES_128_CBC_SHA, no compression
            let mut hello = vec![0x16, 0x03, 0x02, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26, 0x03, 0x02];
            hello.extend([7u8; 32]);
            hello.extend([0x00, 0x00, 0x2f, 0x00]);
            let _ = tcp.write_all(&hello).await;
            let _ = tcp.read(&mut buffer).await;
        }
    });
    (url, offers)
}

#[tokio::test]
async fn only_tls_1_2_and_1_3_are_offered_and_a_tls_1_1_server_is_a_permanent_tls_error() {
    let (url, offers) = tls_1_1_server().await;
    let error = ping(&runtime("plain", &url, MapSecretStore::new()), "plain").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(!error.is_retryable(), "{error:?}");
    assert!(error.to_string().contains("offers no TLS version or cipher suite this client accepts"), "{error}");
    // legacy version 1.2 (0x0303), then supported_versions: 1.3 and 1.2 only
    assert_eq!(*offers.lock().unwrap(), [Some(vec![0x0303, 0x0304, 0x0303])], "one attempt, not retried");
}

#[tokio::test]
async fn a_missing_secret_every_tls_field_names_is_named_once_in_a_calls_error() {
    let yaml = "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: https://desk.example
        auth_type: basic
        auth: { username: bot }
        tls: { ca: { secret: DESK_PEM }, client_cert: { secret: DESK_PEM }, client_key: { secret: DESK_PEM } }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("desk", "get_ticket").arg("id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret);
    let message = error.to_string();
    assert_eq!(message.matches("`DESK_PEM`").count(), 1, "{message}");
    assert!(message.contains("2 secrets are missing from the secret store"), "two secrets are missing: {message}");
}

#[tokio::test]
async fn tls_secrets_are_needed_only_where_a_request_may_go_over_tls() {
    let server = wiremock::MockServer::start().await;
    let ok = wiremock::ResponseTemplate::new(200);
    wiremock::Mock::given(wiremock::matchers::method("GET")).respond_with(ok).mount(&server).await;
    let yaml = |base: &str| {
        format!(
            "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: {base}
        auth_type: basic
        auth: {{ username: bot }}
        tls: {{ ca: {{ secret: DESK_CA }} }}
    operations:
      - {{ name: get_ticket, method: GET, resource: \"/tickets/{{id}}\" }}
"
        )
    };
    let names = |missing: Vec<conv_api_runtime::MissingSecret>| missing.into_iter().map(|m| m.name).collect::<Vec<_>>();
    let store = || MapSecretStore::new().with("DESK_SANDBOX_PASSWORD", "pw");
    // a plain `http` base URL: no call reads the CA
    let local = DynamicApis::parse("apis.yaml", &yaml(&server.uri())).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store()).build().unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&local)), Vec::<String>::new());
    let sandbox = |apis: &DynamicApis| apis.definitions().apis[0].environment(Environment::Sandbox).unwrap().clone();
    assert!(conv_api_runtime::check_tls(&sandbox(&local), &store()).is_empty(), "no call reads the CA");
    let conv = runtime.dynamic_conversation(&local);
    assert_eq!(conv.api.call("desk", "get_ticket").arg("id", 1).await.unwrap().status_code(), 200);
    // an `https` one needs it, but not where the runtime sends the calls to a local server
    let remote = DynamicApis::parse("apis.yaml", &yaml("https://desk.example")).unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&remote)), ["DESK_CA"]);
    assert_eq!(conv_api_runtime::check_tls(&sandbox(&remote), &store())[0].error.kind(), ErrorKind::MissingSecret);
    let overridden = Runtime::builder().environment(Environment::Sandbox).base_url("desk", server.uri());
    let runtime = overridden.secrets(MapSecretStore::new()).build().unwrap();
    assert_eq!(names(runtime.dynamic_missing_secrets(&remote)), ["DESK_SANDBOX_PASSWORD"]);
    let error = runtime.dynamic_conversation(&remote).api.call("desk", "get_ticket").arg("id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    assert!(error.to_string().contains("`DESK_SANDBOX_PASSWORD`") && !error.to_string().contains("DESK_CA"), "{error}");
    // an OAuth 2.0 token URL read from the store: its scheme decides
    let oauth = format!(
        "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: {}
        auth_type: oauth2
        auth: {{ token_url: {{ secret: DESK_TOKEN_URL }}, client_id: bot, client_secret: {{ secret: DESK_SECRET }} }}
        tls: {{ ca: {{ secret: DESK_CA }} }}
    operations: []
",
        server.uri()
    );
    let oauth = DynamicApis::parse("apis.yaml", &oauth).unwrap();
    for (token_url, missing) in [
        (format!("{}/token", server.uri()), vec![]),
        ("https://login.desk.example/token".to_string(), vec!["DESK_CA"]),
        (String::new(), vec!["DESK_TOKEN_URL", "DESK_CA"]),
    ] {
        let store = MapSecretStore::new().with("DESK_SECRET", "s").with("DESK_TOKEN_URL", &token_url);
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
        assert_eq!(names(runtime.dynamic_missing_secrets(&oauth)), missing, "token URL {token_url:?}");
    }
}

/// An API `desk` over TLS whose OAuth 2.0 client secret is `DESK_SECRET`, with `tls`.
fn oauth_over_tls(tls: &str) -> DynamicApis {
    let yaml = format!(
        "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: https://desk.example
        auth_type: oauth2
        auth: {{ token_url: https://login.desk.example/token, client_id: bot, client_secret: {{ secret: DESK_SECRET }} }}
        tls: {tls}
    operations:
      - {{ name: ping, method: GET, resource: /ping }}
"
    );
    DynamicApis::parse("apis.yaml", &yaml).unwrap()
}

#[tokio::test]
async fn an_oauth_calls_missing_secret_names_the_client_secret_beside_the_ca() {
    let apis = oauth_over_tls("{ ca: { secret: DESK_CA } }");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let missing: Vec<String> = runtime.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
    assert_eq!(missing, ["DESK_SECRET", "DESK_CA"]);
    let error = runtime.dynamic_conversation(&apis).api.call("desk", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let message = error.to_string();
    assert!(message.contains("(1) `DESK_SECRET`") && message.contains("(2) `DESK_CA`"), "{message}");
}

#[tokio::test]
async fn a_stored_token_url_that_is_no_url_may_be_meant_for_tls() {
    let yaml = "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: http://127.0.0.1:9
        auth_type: oauth2
        auth: { client_id: bot, client_secret: { secret: DESK_SECRET } }
        tls: { ca: { secret: DESK_CA } }
    operations: []
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    // a stray space before the port: the runtime reads no plain `http` URL there
    for (token_url, missing) in [("http://127.0.0.1 :9/token", vec!["DESK_CA"]), ("http://127.0.0.1:9/token", vec![])] {
        let store = MapSecretStore::new().with("DESK_SECRET", "s").with("DESK_SANDBOX_TOKEN_URL", token_url);
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
        let names: Vec<String> = runtime.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
        assert_eq!(names, missing, "{token_url}");
    }
}

#[tokio::test]
async fn a_missing_client_secret_is_named_beside_tls_problems_of_other_kinds() {
    let pki = pki();
    let apis = oauth_over_tls(
        "{ ca: { secret: DESK_CA }, client_cert: { secret: DESK_CERT }, client_key: { secret: DESK_KEY } }",
    );
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let store = MapSecretStore::new().with("DESK_CERT", pki.client.pem()).with("DESK_KEY", encrypted);
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("desk", "ping").await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("missing secret `DESK_CA` (named for `tls.ca` in the definitions file)"), "{message}");
    assert!(message.contains("`DESK_KEY` (`tls.client_key`) is encrypted"), "{message}");
    assert!(
        message.contains("; the secret store also lacks `DESK_SECRET` (for `auth.client_secret`): add it too"),
        "{message}"
    );
}

/// An API without auth whose `tls:` CA comes from a store that blocks past
/// the attempt's timeout ends before anything is sent; the store was read (for the
/// `tls:` client's first build), so the error names it, as for auth secrets, and does
/// not blame a timeout too short or a busy tokio runtime alone.
#[tokio::test]
async fn a_tls_store_that_blocks_past_the_timeout_without_auth_is_named() {
    let pki = pki();
    let yaml = "api_integrations:\n  - name: slowtls\n    retry: { attempts: 1 }\n    environments:\n      sandbox:\n        base_url: \"https://127.0.0.1:1\"\n        tls: { ca: { secret: SLOW_CA } }\n    operations:\n      - { name: ping, method: GET, resource: /ping, timeout: 50ms }\n";
    let apis = DynamicApis::parse("slow.yaml", yaml).unwrap();
    let store = support::BlockingStore { delay: std::time::Duration::from_millis(120), value: pki.ca.pem() };
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("slowtls", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    let message = error.to_string();
    assert!(message.contains("before anything was sent"), "{message}");
    assert!(message.contains("secret store"), "the store was read and blocked: {message}");
}

#[test]
fn check_tls_names_the_secrets_each_problem_is_about() {
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let mutual = apis.definitions().apis.iter().find(|api| api.name() == "mutual").unwrap();
    let sandbox = mutual.environment(Environment::Sandbox).unwrap();
    let secrets_of = |store: MapSecretStore| -> Vec<(Vec<String>, ErrorKind)> {
        let problems = conv_api_runtime::check_tls(sandbox, &store);
        problems.into_iter().map(|problem| (problem.secrets, problem.error.kind())).collect()
    };
    let names = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
    assert_eq!(
        secrets_of(MapSecretStore::new()),
        [(names(&["MUTUAL_CA", "MUTUAL_CERT", "MUTUAL_KEY"]), ErrorKind::MissingSecret)]
    );
    let pki = pki();
    let (ca, cert) = (pki.ca.pem(), pki.client.pem());
    let valid = || MapSecretStore::new().with("MUTUAL_CA", ca.as_str()).with("MUTUAL_CERT", cert.as_str());
    let not_pem = valid().with("MUTUAL_CA", "see the wiki").with("MUTUAL_KEY", pki.client_key.serialize_pem());
    assert_eq!(secrets_of(not_pem), [(names(&["MUTUAL_CA"]), ErrorKind::Config)]);
    // a key that is not the certificate's: both are named, the CA is not
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    let mismatched = secrets_of(valid().with("MUTUAL_KEY", other_key));
    assert_eq!(mismatched, [(names(&["MUTUAL_CERT", "MUTUAL_KEY"]), ErrorKind::Config)]);
    let problem = &conv_api_runtime::check_tls(sandbox, &valid().with("MUTUAL_KEY", "x"))[0];
    assert_eq!(problem.to_string(), problem.error.to_string(), "shown as its error");
    assert!(
        conv_api_runtime::check_tls(sandbox, &valid().with("MUTUAL_KEY", pki.client_key.serialize_pem())).is_empty()
    );
}

/// One PEM file named by both `client_cert` and `client_key`: a problem of the
/// pair names that secret once.
#[test]
fn check_tls_names_a_secret_both_identity_fields_read_once() {
    let yaml = r#"
api_integrations:
  - name: bundled
    environments:
      sandbox:
        base_url: "https://bundled.example"
        tls: { client_cert: { secret: BUNDLE }, client_key: { secret: BUNDLE } }
    operations:
      - { name: ping, method: GET, resource: /ping }
"#;
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let sandbox = apis.definitions().apis[0].environment(Environment::Sandbox).unwrap();
    let pki = pki();
    let secrets_of = |bundle: String| -> Vec<Vec<String>> {
        let problems = conv_api_runtime::check_tls(sandbox, &MapSecretStore::new().with("BUNDLE", bundle));
        problems.into_iter().map(|problem| problem.secrets).collect()
    };
    let once = vec![vec!["BUNDLE".to_string()]];
    // a key that is not the certificate's
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    assert_eq!(secrets_of(format!("{}\n{other_key}", pki.client.pem())), once);
    // a certificate block that is no certificate, beside the key
    let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    assert_eq!(secrets_of(format!("{broken}\n{}", pki.client_key.serialize_pem())), once);
    let fine = format!("{}\n{}", pki.client.pem(), pki.client_key.serialize_pem());
    assert!(secrets_of(fine).is_empty());
}
