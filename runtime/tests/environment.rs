//! `CONV_ENV` chooses the environment. Environment variables are process-wide, so
//! this file (its own test process) has a single test that changes them in turn.

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, Runtime, ENVIRONMENT_VARIABLE};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn build_with(value: Option<&str>) -> conv_api_runtime::Result<Runtime> {
    match value {
        Some(value) => std::env::set_var(ENVIRONMENT_VARIABLE, value),
        None => std::env::remove_var(ENVIRONMENT_VARIABLE),
    }
    Runtime::builder().build()
}

#[tokio::test]
async fn conv_env_selects_the_environment_and_its_base_url() {
    let server = MockServer::start().await;
    for (prefix, times) in [("/sandbox", 3), ("/staging", 2), ("/live", 1)] {
        Mock::given(method("GET"))
            .and(path(format!("{prefix}/ping")))
            .respond_with(ResponseTemplate::new(200))
            .expect(times)
            .mount(&server)
            .await;
    }
    let uri = server.uri();
    let yaml = format!(
        "api_integrations:\n  - name: svc\n    environments:\n      sandbox: {{ base_url: \"{uri}/sandbox\" }}\n      pre-release: {{ base_url: \"{uri}/staging\" }}\n      live: {{ base_url: \"{uri}/live\" }}\n    operations:\n      - {{ name: ping, method: GET, resource: /ping }}\n"
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let cases = [
        (None, Environment::Sandbox),
        (Some("draft"), Environment::Sandbox),
        (Some("sandbox"), Environment::Sandbox),
        (Some("pre-release"), Environment::PreRelease),
        // `pre-release` (or `pre_release`), in any case, whitespace around ignored
        (Some(" Pre_Release "), Environment::PreRelease),
        (Some("live"), Environment::Live),
    ];
    for (value, expected) in cases {
        let runtime = build_with(value).unwrap();
        assert_eq!(runtime.environment(), expected, "CONV_ENV={value:?}");
        let response = runtime.dynamic_conversation(&apis).api.call("svc", "ping").await.unwrap();
        assert_eq!(response.status_code(), 200);
    }

    let error = build_with(Some("production")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    let message = error.to_string();
    assert!(message.contains("`CONV_ENV`") && message.contains("`production` (did you mean `live`?)"), "{message}");
    assert!(message.contains("`draft`, `sandbox`, `pre-release` and `live`"), "{message}");

    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::env::set_var(ENVIRONMENT_VARIABLE, std::ffi::OsStr::from_bytes(b"live\xff"));
        let error = Runtime::builder().build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "not ignored as if unset: {error}");
        assert!(error.to_string().contains("`CONV_ENV` is not valid text"), "{error}");
    }

    std::env::set_var(ENVIRONMENT_VARIABLE, "production");
    let explicit = Runtime::builder().environment(Environment::Live).build().unwrap();
    assert_eq!(explicit.environment(), Environment::Live, "the builder's choice wins over CONV_ENV");
    std::env::remove_var(ENVIRONMENT_VARIABLE);
}
