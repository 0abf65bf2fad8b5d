//! What the call benchmarks share: a minimal local HTTP server and the runtime that
//! calls it through `benches/apis.yaml`.

use std::net::SocketAddr;

use conv_api::{Environment, MapSecretStore, Runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A runtime in sandbox whose three APIs (no auth, API key, OAuth 2.0) call `base`,
/// the OAuth 2.0 token coming from `server`'s `POST /token`.
pub fn runtime(server: &SocketAddr, base: &str) -> Runtime {
    let secrets = MapSecretStore::new()
        .with("BENCH_API_KEY", "bench-key")
        .with("BENCH_CLIENT_SECRET", "bench-secret")
        .with("OAUTH_SANDBOX_TOKEN_URL", format!("http://{server}/token"));
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
const TOKEN: &str = "{\"access_token\":\"bench-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

/// Answers requests on one connection until it closes; bodies are read and ignored.
async fn serve(mut stream: tokio::net::TcpStream) {
    let reply = |body: &str| {
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
    };
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
