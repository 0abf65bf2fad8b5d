//! Responses: statuses, bodies, decoding, the body cap, timeouts and connection
//! errors; a module per subject, sharing the server below.

use crate::support;

use std::time::Duration;

use conv_api_runtime::{Conv, ErrorKind, FunctionResult};
use serde_json::{json, Value};
use support::{closed_port_url, recorded, runtime, sandbox_builder, TestApi, ONE_ATTEMPT};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod body_cap;
mod decoding;
mod reading;
mod statuses;
mod timeouts;

async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/api/v2/tickets/1")).respond_with(template).expect(1).mount(&server).await;
    server
}
