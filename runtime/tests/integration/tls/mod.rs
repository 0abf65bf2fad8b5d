//! TLS per environment (RELIABILITY 24): a local rustls server whose CA is made in
//! the test is trusted only when the environment's `tls.ca` names it; a server that
//! requires a client certificate accepts the one from `tls.client_cert` and
//! `tls.client_key`; TLS failures are permanent, so they are not retried. A module
//! per subject, sharing the test API and helpers below.

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, Runtime};
use support::pki::{acceptor, pki, Pki};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod client_certificates;
mod missing_secrets;
mod problems;
mod trust;

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
