//! What the call benchmarks share: a minimal local HTTP server, the runtime and the
//! generated API that call it through `benches/apis.yaml`, and the raw reqwest call
//! they are compared with.

use std::net::SocketAddr;
use std::time::Duration;

use conv_api::{Conv, Environment, MapSecretStore, Runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The generated API of `benches/apis.yaml`.
pub mod integrations {
    conv_api::conv_api!("benches/apis.yaml");
}

/// Which API of `benches/apis.yaml` a measurement calls.
#[derive(Clone, Copy)]
pub enum BenchAuth {
    Plain,
    ApiKey,
    OAuth2,
}

impl BenchAuth {
    /// The header the runtime adds for this API, for the raw call to send too.
    pub fn raw_header(self) -> Option<(&'static str, &'static str)> {
        match self {
            BenchAuth::Plain => None,
            BenchAuth::ApiKey => Some(("x-api-key", "bench-key")),
            BenchAuth::OAuth2 => Some(("authorization", "Bearer bench-token")),
        }
    }
}

/// One call through the generated API of `auth`; the answer must be 200.
pub async fn generated(conv: &Conv<integrations::Api>, auth: BenchAuth, item: &str) {
    let request = match auth {
        BenchAuth::Plain => conv.api.plain.get_item(item),
        BenchAuth::ApiKey => conv.api.keyed.get_item(item),
        BenchAuth::OAuth2 => conv.api.oauth.get_item(item),
    };
    let response = request.await.expect("server answers");
    assert_eq!(response.status_code(), 200);
}

/// The raw reqwest side: the same URL, the header the runtime would add and, for the
/// second baseline, the timeout it would set.
#[derive(Clone)]
pub struct RawCall {
    pub client: reqwest::Client,
    pub base: String,
    pub header: Option<(&'static str, &'static str)>,
    pub timeout: Option<Duration>,
}

impl RawCall {
    /// `GET {base}/items/{item}`; the answer must be 200, its body is read.
    pub async fn call(&self, item: &str) {
        let mut request = self.client.get(format!("{}/items/{item}", self.base));
        if let Some((name, value)) = self.header {
            request = request.header(name, value);
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await.expect("server answers");
        assert_eq!(response.status(), 200);
        response.bytes().await.expect("body is read");
    }
}

/// A runtime in sandbox whose three APIs (no auth, API key, OAuth 2.0) call `base`,
/// the OAuth 2.0 token coming from `server`'s `POST /token`.
pub fn runtime(server: &SocketAddr, base: &str) -> Runtime {
    let secrets = MapSecretStore::new()
        .with("BENCH_API_KEY", "bench-key")
        .with("BENCH_CLIENT_SECRET", "bench-secret")
        .with("OAUTH_SANDBOX_TOKEN_URL", format!("http://{server}/token"));
    runtime_with(secrets, base)
}

/// Like [`runtime`], its store holding no secret: a deployment whose APIs need no
/// auth, whose calls have no credential to look for in what they log.
#[allow(dead_code, reason = "only the instruction counts measure this deployment")]
pub fn runtime_without_secrets(base: &str) -> Runtime {
    runtime_with(MapSecretStore::new(), base)
}

fn runtime_with(secrets: MapSecretStore, base: &str) -> Runtime {
    Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(secrets)
        .base_url("plain", base)
        .base_url("keyed", base)
        .base_url("oauth", base)
        .build()
        .expect("runtime builds")
}

/// Starts a minimal HTTP/1.1 server on 127.0.0.1: it answers every request with the
/// same small JSON body, and `POST /token` with an OAuth 2.0 token.
pub async fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port is free");
    let address = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve(stream));
        }
    });
    address
}

const BODY: &str = "{\"id\":1,\"status\":\"open\"}";
/// The headers of every answer besides `content-length`: ten, as a real API sends
/// (its gateway's date, server, caching, request id, rate limit, HSTS, CORS), since
/// what a call costs depends on how many headers it logs.
const HEADERS: &str = "date: Sun, 29 Nov 2026 08:00:00 GMT\r\nserver: nginx/1.25.3\r\n\
    content-type: application/json; charset=utf-8\r\ncache-control: no-cache, no-store, must-revalidate\r\n\
    x-request-id: 6f1c2a9e-4b7d-4e0a-9c55-0d3f8a2b7e41\r\nx-ratelimit-limit: 700\r\nx-ratelimit-remaining: 699\r\n\
    strict-transport-security: max-age=31536000\r\nvary: Accept-Encoding\r\naccess-control-allow-origin: *\r\n";
const TOKEN: &str = "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

/// Answers requests on one connection until it closes; bodies are read and ignored.
async fn serve(mut stream: tokio::net::TcpStream) {
    let reply = |body: &str| format!("HTTP/1.1 200 OK\r\n{HEADERS}content-length: {}\r\n\r\n{body}", body.len());
    let (response, token) = (reply(BODY), reply(TOKEN));
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = find(&buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buffer.len() < end + 4 + length {
                break;
            }
            let answer = if head.starts_with("post /token") { &token } else { &response };
            buffer.drain(..end + 4 + length);
            if stream.write_all(answer.as_bytes()).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}
