//! The conversation log: notes and one entry per call, in order, with secrets masked;
//! a module per subject, sharing the helper below.

use crate::support;

use base64::Engine;
use conv_api_runtime::{Conv, DynamicApis, Environment, ErrorKind, Level, RequestRecord, Runtime, SecretString};
use serde_json::Value;
use support::{calls, recorded, runtime, sandbox_builder, stalled_body_server, TestApi};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod cancelled;
mod entries;
mod known_secrets;
mod masked_headers;
mod user_info;

async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let template =
        ResponseTemplate::new(status).insert_header("set-cookie", "session=s3ss10n").insert_header("x-trace", "t1");
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    server
}
