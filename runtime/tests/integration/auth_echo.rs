//! No leaks through the runtime: an API that echoes the credentials back in its body and
//! headers, and a log (entries, JSONL, errors, `Debug`) that holds none of them in any
//! encoded form, nor do the `tracing` events of the whole exchange (RELIABILITY 16-18).

use crate::support;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use conv_api_runtime::{DynamicApis, Environment, ErrorKind, MapSecretStore, Runtime};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use support::tracing_capture::Collect;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PASSWORD: &str = "pa55/w0rd+1";
const API_KEY: &str = "k3y with space&=";
const CLIENT_SECRET: &str = "cl1ent:s3cret?";
const TOKEN: &str = "t0ken.abc/def";

/// Answers with every request header and the query in the body and in `x-echo-*` headers.
struct Echo;

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(200);
        let mut body = format!("url={}\n", request.url);
        for (name, value) in request.headers.iter() {
            let value = value.to_str().unwrap_or_default().to_string();
            body.push_str(&format!("{name}: {value}\n"));
            template = template.insert_header(format!("x-echo-{name}").as_str(), value.as_str());
        }
        template.insert_header("x-echo-query", request.url.query().unwrap_or_default()).set_body_string(body)
    }
}

/// Every form a value may take on the wire or in text.
fn forms(value: &str) -> Vec<String> {
    vec![
        value.to_string(),
        STANDARD.encode(value),
        URL_SAFE_NO_PAD.encode(value),
        utf8_percent_encode(value, NON_ALPHANUMERIC).to_string(),
        url::form_urlencoded::byte_serialize(value.as_bytes()).collect(),
    ]
}

fn assert_clean(text: &str, secrets: &[&str]) {
    for secret in secrets {
        for form in forms(secret) {
            assert!(!text.contains(&form), "`{form}` (a form of a secret) leaked in:\n{text}");
        }
    }
}

const YAML: &str = r#"
api_integrations:
  - name: basic
    environments:
      sandbox: { base_url: "SERVER/basic", auth_type: basic, auth: { username: agent } }
    operations:
      - { name: echo, method: GET, resource: "/echo" }
  - name: keyed
    environments:
      sandbox: { base_url: "SERVER/keyed", auth_type: apiKey, auth: { name: X-Custom-Key, prefix: Key } }
    operations:
      - { name: echo, method: GET, resource: "/echo" }
  - name: queried
    environments:
      sandbox: { base_url: "SERVER/queried", auth_type: apiKey, auth: { location: query, name: sig } }
    operations:
      - { name: echo, method: GET, resource: "/echo" }
  - name: oauth
    environments:
      sandbox:
        base_url: "SERVER/oauth"
        auth_type: oauth2
        auth: { token_url: "SERVER/token", client_id: my-client, client_secret: { secret: CS } }
    operations:
      - { name: echo, method: GET, resource: "/echo" }
"#;

fn store() -> MapSecretStore {
    MapSecretStore::new()
        .with("BASIC_SANDBOX_PASSWORD", PASSWORD)
        .with("KEYED_SANDBOX_API_KEY", API_KEY)
        .with("QUERIED_SANDBOX_API_KEY", API_KEY)
        .with("CS", CLIENT_SECRET)
}

#[tokio::test]
async fn an_echo_api_gives_back_every_credential_and_the_log_holds_none() {
    let collect = Collect::default();
    let _traced = collect.set_default();
    let server = MockServer::start().await;
    let token = serde_json::json!({ "access_token": TOKEN, "expires_in": 3600 });
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(200).set_body_json(token)).mount(&server).await;
    Mock::given(wiremock::matchers::path_regex("/echo$")).respond_with(Echo).expect(4).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &YAML.replace("SERVER", &server.uri())).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let mut echoed = String::new();
    for api in ["basic", "keyed", "queried", "oauth"] {
        let response = conv.api.call(api, "echo").await.unwrap();
        assert_eq!(response.status_code(), 200, "{api}");
        echoed.push_str(response.text());
        conv.log.info(format!("{api} answered: {}", response.text()));
        conv.log
            .entry(conv_api_runtime::Level::Info, "headers")
            .field("echo", format!("{:?}", response.headers()))
            .record();
        assert_clean(&format!("{response:?}"), &[PASSWORD, API_KEY, CLIENT_SECRET, TOKEN]);
    }
    for secret in [STANDARD.encode(format!("agent:{PASSWORD}")), format!("Key {API_KEY}"), TOKEN.to_string()] {
        assert!(echoed.contains(&secret), "the echo API should have received `{secret}`:\n{echoed}");
    }
    let jsonl = conv.log.to_jsonl();
    assert_eq!(jsonl.lines().count(), 12);
    assert_clean(&jsonl, &[PASSWORD, API_KEY, CLIENT_SECRET, TOKEN, &format!("agent:{PASSWORD}")]);
    assert_clean(&format!("{runtime:?} {conv:?} {:?}", conv.log.entries()), &[PASSWORD, API_KEY, CLIENT_SECRET, TOKEN]);
    let events = collect.lines().join("\n");
    assert!(events.contains("answered"), "the log entries are traced too:\n{events}");
    assert_clean(&events, &[PASSWORD, API_KEY, CLIENT_SECRET, TOKEN, &format!("agent:{PASSWORD}")]);
}

/// Credentials a caller sets by hand in headers or query parameters masked by their
/// names, on an API without auth, are known values from then on: an API that echoes
/// them back has them masked in the log's response headers, in texts logged later and
/// in `tracing`.
#[tokio::test]
async fn credentials_set_by_hand_in_masked_headers_are_masked_where_an_api_echoes_them() {
    let collect = Collect::default();
    let _traced = collect.set_default();
    let server = MockServer::start().await;
    Mock::given(path("/plain/echo")).respond_with(Echo).expect(1).mount(&server).await;
    let yaml = format!("api_integrations:\n  - name: plain\n    environments: {{ sandbox: {{ base_url: \"{}/plain\" }} }}\n    operations:\n      - {{ name: echo, method: GET, resource: /echo }}\n", server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = Runtime::builder().environment(Environment::Sandbox).build().unwrap().dynamic_conversation(&apis);
    let (token, key, cookie) = ("hand-made-token-111", "hand-made-key-222", "session=s3ss10n-333; theme=dark");
    let in_query = "hand-made-query-key-444";
    let response = conv
        .api
        .call("plain", "echo")
        .header("Authorization", format!("Bearer {token}"))
        .header("X-API-Key", key)
        .header("Cookie", cookie)
        .query(&[("api_key", in_query), ("page", "2")])
        .await
        .unwrap();
    assert!(response.text().contains(token) && response.text().contains(key), "the agent reads its answer as sent");
    assert!(response.text().contains(in_query), "the agent reads its answer as sent");
    conv.log.info(format!("the API answered: {}", response.text()));
    let logged = format!("{:?}\n{}", conv.log.entries(), conv.log.to_jsonl());
    assert!(logged.contains("x-echo-authorization") && logged.contains("x-echo-cookie"), "{logged}");
    assert!(logged.contains("page=2"), "a parameter of no credential stays: {logged}");
    assert_clean(&logged, &[token, key, cookie, in_query]);
    assert_clean(&collect.lines().join("\n"), &[token, key, cookie, in_query]);
}

/// A credential given as an argument of the resource's query (`?api_key={key}`) is
/// known from then on too, as one set with `.query(..)` is.
#[tokio::test]
async fn a_credential_given_as_an_argument_of_the_resources_query_is_masked_where_an_api_echoes_it() {
    let server = MockServer::start().await;
    Mock::given(path("/plain/echo")).respond_with(Echo).expect(1).mount(&server).await;
    let yaml = format!("api_integrations:\n  - name: plain\n    environments: {{ sandbox: {{ base_url: \"{}/plain\" }} }}\n    operations:\n      - {{ name: echo, method: GET, resource: \"/echo?api_key={{key}}&page=2\" }}\n", server.uri());
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = Runtime::builder().environment(Environment::Sandbox).build().unwrap().dynamic_conversation(&apis);
    let key = "arg-given-key-0123456789";
    let response = conv.api.call("plain", "echo").arg("key", key).await.unwrap();
    assert!(response.text().contains(key), "the agent reads its answer as sent");
    conv.log.info(format!("the API answered: {}", response.text()));
    let logged = format!("{:?}\n{}", conv.log.entries(), conv.log.to_jsonl());
    assert!(logged.contains("x-echo-query") && logged.contains("page=2"), "{logged}");
    assert_clean(&logged, &[key]);
}

#[tokio::test]
async fn errors_and_debug_output_hold_no_secret() {
    let server = MockServer::start().await;
    let refused = serde_json::json!({ "error": "invalid_client", "error_description": "bad secret" });
    Mock::given(path("/token")).respond_with(ResponseTemplate::new(401).set_body_json(refused)).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &YAML.replace("SERVER", &server.uri())).unwrap();
    let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store());
    assert_clean(&format!("{builder:?}"), &[PASSWORD, API_KEY, CLIENT_SECRET]);
    let runtime = builder.build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("oauth", "echo").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Auth);
    assert!(error.to_string().contains("invalid_client"), "{error}");
    assert_clean(&format!("{error} {error:?} {}", conv.log.to_jsonl()), &[CLIENT_SECRET]);
}

/// The API key as the keyed API received it (after its `Key ` prefix).
fn received_key(request: &Request) -> String {
    let value = request.headers.get("x-custom-key").and_then(|value| value.to_str().ok()).unwrap_or_default();
    value.trim_start_matches("Key ").to_string()
}

/// `error`'s text, its `Debug` and the texts of its sources.
fn everything_shown(error: &conv_api_runtime::Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown
}

#[tokio::test]
async fn transport_errors_hold_no_credential_of_the_request() {
    let (resetting, _) = support::raw_server(support::Misbehave::Reset).await;
    let closed = support::closed_port_url();
    for server in [resetting, closed.clone()] {
        let apis = DynamicApis::parse("apis.yaml", &YAML.replace("SERVER", &server)).unwrap();
        let builder = Runtime::builder().environment(Environment::Sandbox).secrets(store());
        let runtime = builder.retry(support::ONE_ATTEMPT).build().unwrap();
        let conv = runtime.dynamic_conversation(&apis);
        for api in ["basic", "keyed", "queried", "oauth"] {
            let error = conv.api.call(api, "echo").await.unwrap_err();
            // the OAuth 2.0 token request fails first, as an auth error
            let kinds = [ErrorKind::Transport, ErrorKind::Connect, ErrorKind::Auth];
            assert!(kinds.contains(&error.kind()), "{api}: {error}");
            if error.kind() != ErrorKind::Auth {
                assert!(std::error::Error::source(&error).is_some(), "{api}: the transport error is kept");
                assert_eq!(error.is_connect(), server == closed, "{api}: {error}");
            }
            assert_clean(&everything_shown(&error), &[PASSWORD, API_KEY, CLIENT_SECRET]);
            if api == "queried" {
                assert_eq!(error.url(), Some(format!("{server}/queried/echo?sig=***").as_str()), "{error}");
            }
        }
        assert_clean(&conv.log.to_jsonl(), &[PASSWORD, API_KEY, CLIENT_SECRET]);
    }
}

#[tokio::test]
async fn status_and_decode_errors_hold_no_secret_the_api_echoes() {
    let server = MockServer::start().await;
    // the key starts 196 characters in: cut at 200 before cleaning, its start would show
    let refuse = |request: &Request| {
        ResponseTemplate::new(401).set_body_string(format!("{}invalid key {}", "x".repeat(184), received_key(request)))
    };
    Mock::given(path("/keyed/echo")).respond_with(refuse).up_to_n_times(1).mount(&server).await;
    let misshapen = |request: &Request| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": received_key(request) }))
    };
    Mock::given(path("/keyed/echo")).respond_with(misshapen).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &YAML.replace("SERVER", &server.uri())).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store()).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);

    let refused = conv.api.call("keyed", "echo").await.unwrap();
    assert!(refused.text().contains(API_KEY), "the server echoes the key");
    let error = refused.raise_for_status().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert!(error.to_string().contains("invalid key"), "{error}");
    assert_clean(&everything_shown(&error), &[API_KEY]);
    assert_clean(&everything_shown(&error), &[&API_KEY[..4]]);

    #[derive(Debug, serde::Deserialize)]
    struct Ticket {
        #[allow(dead_code, reason = "deserialized to test the decoding; never read")]
        id: u64,
    }
    let answered = conv.api.call("keyed", "echo").await.unwrap();
    assert!(answered.text().contains(API_KEY), "the server echoes the key");
    let error = answered.json::<Ticket>().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(error.to_string().contains("expected u64"), "{error}");
    assert_clean(&everything_shown(&error), &[API_KEY]);
}
