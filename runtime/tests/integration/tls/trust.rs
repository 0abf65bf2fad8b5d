//! Which servers are trusted: the environment's CA in its PEM forms, unknown
//! and expired certificates, token endpoints, the TLS versions offered, and the
//! clients kept per API and per tokio runtime.

use super::*;

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
