//! Definitions embedded by `conv_api!` that do not read back (a macro crate newer
//! than the runtime's): every generated call fails, and none goes to another operation.

use std::fmt::Display;

use conv_api_runtime::__private::{ApiHandle, ApiSet, Bindings, Definitions, EmbeddedDefinitions};
use conv_api_runtime::{Conv, Environment, ErrorKind, Request, Runtime};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The first operation's method is one this runtime does not know; the second is a DELETE.
static EMBEDDED: EmbeddedDefinitions = EmbeddedDefinitions::new(
    "apis.yaml",
    r#"{"api_integrations":[{"name":"shop","environments":{"sandbox":{"base_url":"http://127.0.0.1:9"}},"operations":[{"name":"get_order","method":"FETCH","resource":"/orders/{id}"},{"name":"wipe_orders","method":"DELETE","resource":"/orders/{id}"}]}]}"#,
);

struct Api {
    shop: Shop,
}

impl ApiSet for Api {
    fn definitions() -> &'static Definitions {
        EMBEDDED.get()
    }

    fn bind(bindings: &Bindings) -> Self {
        Api { shop: Shop { api: bindings.api(0) } }
    }
}

struct Shop {
    api: ApiHandle,
}

impl Shop {
    fn get_order(&self, id: impl Display) -> Request {
        self.api.request(0, &[&id as &dyn Display])
    }
}

#[tokio::test]
async fn a_generated_call_fails_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("shop", server.uri()).build().unwrap();
    let conv: Conv<Api> = runtime.conversation();
    let error = conv.api.shop.get_order(7).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Definitions, "{error}");
    assert!(error.to_string().contains("same version"), "{error}");
}

/// The start-up check says so before any call, as that one problem.
#[test]
fn the_start_up_check_says_the_definitions_did_not_read_back() {
    let runtime = Runtime::builder().environment(Environment::Sandbox).build().unwrap();
    let problems = runtime.preflight::<Api>();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].kind(), ErrorKind::Definitions);
    assert!(
        problems[0].to_string().starts_with("the definitions embedded by `conv_api!` did not read back"),
        "{}",
        problems[0]
    );
}
