//! Definitions loaded at run time, called by API and operation name.

use conv_api_runtime::{DynamicApis, Environment, ErrorKind, Runtime};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn definitions(base_url: &str) -> String {
    format!(
        r#"
api_integrations:
  - name: zendesk
    environments:
      sandbox: {{ base_url: "{base_url}/api/v2" }}
    operations:
      - {{ name: get_ticket, method: GET, resource: "/tickets/{{ticket_id}}" }}
      - {{ name: get_comment, method: GET, resource: "/tickets/{{ticket_id}}/comments/{{comment_id}}" }}
  - name: crm
    environments:
      live: {{ base_url: "{base_url}/crm" }}
    operations:
      - {{ name: list, method: GET, resource: "/contacts" }}
"#
    )
}

fn sandbox() -> Runtime {
    Runtime::builder().environment(Environment::Sandbox).build().unwrap()
}

#[tokio::test]
async fn a_file_loaded_at_run_time_is_called_by_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/tickets/a%20b/comments/7"))
        .and(query_param("include", "users"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .expect(1)
        .mount(&server)
        .await;
    let file = std::env::temp_dir().join(format!("conv-api-dynamic-{}.yaml", std::process::id()));
    std::fs::write(&file, definitions(&server.uri())).unwrap();
    let apis = DynamicApis::load(&file).unwrap();
    std::fs::remove_file(&file).unwrap();

    let conv = sandbox().dynamic_conversation(&apis);
    let clone = conv.clone();
    let response = clone
        .api
        .call("zendesk", "get_comment")
        .arg("comment_id", 7)
        .arg("ticket_id", "a b")
        .query(&[("include", "users")])
        .await
        .unwrap();
    assert_eq!(response.text(), "ok");
    let call = conv.log.entries()[0].request.clone().unwrap();
    assert_eq!(
        (&*call.api, &*call.operation, call.status),
        ("zendesk", "get_comment", Some(200)),
        "a clone shares the log"
    );
}

#[tokio::test]
async fn wrong_names_are_invalid_arguments_listing_the_valid_ones() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);

    let cases = [
        (conv.api.call("zendsk", "get_ticket").arg("ticket_id", 1), "the APIs are `zendesk` and `crm`"),
        (conv.api.call("zendesk", "get_tickets"), "its operations are `get_ticket` and `get_comment`"),
        (
            conv.api.call("zendesk", "get_ticket"),
            "path variable `ticket_id` is not given; set it with `.arg(\"ticket_id\", value)`",
        ),
        (conv.api.call("zendesk", "get_comment").arg("ticket_id", 1), "`comment_id` is not given"),
        (conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).arg("id", 2), "the path variables are `ticket_id`"),
        (conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).arg("ticket_id", 2), "given twice"),
        // one problem, however many times
        (
            conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).arg("ticket_id", 2).arg("ticket_id", 3),
            ": path variable `ticket_id` is given 3 times; give it once; nothing was sent",
        ),
        (conv.api.call("zendesk", "get_ticket").arg("tiket_id", 1), "did you mean `ticket_id`?"),
        (conv.api.call("zendsk", "get_ticket"), "there is no API `zendsk`; did you mean `zendesk`? the APIs are"),
        (
            conv.api.call("zendesk", "get_tickets"),
            "has no operation `get_tickets`; did you mean `get_ticket`? its operations are",
        ),
    ];
    for (request, expected) in cases {
        let error = request.await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
        assert!(error.to_string().contains(expected), "`{error}` should contain `{expected}`");
    }
    assert_eq!(conv.log.len(), 10, "every call is logged, also the rejected ones");
    let entries = conv.log.entries();
    let names: Vec<(&str, &str)> = entries[..2]
        .iter()
        .map(|entry| entry.request.as_ref().map(|call| (&*call.api, &*call.operation)).unwrap())
        .collect();
    assert_eq!(names, [("zendsk", "get_ticket"), ("zendesk", "get_tickets")], "logged by the names asked for");
    let unknown_operation = &entries[1].message;
    assert!(
        unknown_operation.starts_with("zendesk.get_tickets failed: "),
        "no method, no leading blank: {unknown_operation}"
    );
    let error = conv.api.call("zendsk", "get_ticket").await.unwrap_err();
    assert_eq!((error.api(), error.operation()), (Some("zendsk"), Some("get_ticket")));
}

#[tokio::test]
async fn an_empty_name_is_called_empty_and_the_definitions_debug_as_counts() {
    let apis = DynamicApis::parse("apis.yaml", &definitions("http://127.0.0.1:9")).unwrap();
    let operations = apis.definitions().operation_count();
    assert_eq!(format!("{apis:?}"), format!("DynamicApis {{ apis: 2, operations: {operations}, warnings: 0, .. }}"));
    let conv = sandbox().dynamic_conversation(&apis);
    let no_api = conv.api.call("", "").await.unwrap_err();
    assert_eq!(no_api.kind(), ErrorKind::InvalidArgument);
    assert_eq!(no_api.to_string(), "the API name is empty; the APIs are `zendesk` and `crm`; nothing was sent");
    assert_eq!((no_api.api(), no_api.operation()), (None, None));
    let no_operation = conv.api.call("zendesk", "").await.unwrap_err();
    assert_eq!(
        no_operation.to_string(),
        "`zendesk`: the operation name is empty; its operations are `get_ticket` and `get_comment`; nothing was sent"
    );
    let messages: Vec<String> = conv.log.entries().into_iter().map(|entry| entry.message).collect();
    assert_eq!(
        messages,
        [
            format!("<unknown>.<unknown> failed: {}", no_api.message()),
            format!("zendesk.<unknown> failed: {}", no_operation.message())
        ]
    );
}

#[tokio::test]
async fn definitions_without_apis_or_operations_say_so_when_a_name_matches_none() {
    let conv = sandbox().dynamic_conversation(&DynamicApis::default());
    let no_api = conv.api.call("zendesk", "get").await.unwrap_err();
    assert_eq!(
        no_api.to_string(),
        "`zendesk.get`: there is no API `zendesk`; the definitions have no API; nothing was sent"
    );
    let yaml = "api_integrations:\n  - { name: crm, environments: { sandbox: {} } }\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let no_operation = conv.api.call("crm", "get").await.unwrap_err();
    assert_eq!(
        no_operation.to_string(),
        "`crm.get`: API `crm` has no operation `get`; it has no operations; nothing was sent"
    );
}

#[tokio::test]
async fn names_a_caller_steered_are_shown_on_one_line_in_errors_and_the_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let forged = "x\nERROR payment refused \u{1b}[31m";
    let calls = [
        conv.api.call(forged, "get_ticket"),
        conv.api.call("zendesk", forged),
        conv.api.call("zendesk", "get_ticket").arg(forged, 1),
        conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).header(format!("x-{}", "a".repeat(70_000)), "v"),
    ];
    for request in calls {
        let error = request.await.unwrap_err();
        let message = error.to_string();
        assert!(!message.contains(['\n', '\u{1b}']) && message.len() < 1_000, "{message}");
    }
    assert!(conv.log.entries().iter().all(|entry| !entry.message.contains(['\n', '\u{1b}'])));
    let too_long = conv.log.entries()[3].message.clone();
    assert!(too_long.contains("bytes long, more than an HTTP header name may be (65535); shorten it"), "{too_long}");
    // a name of any length is kept as messages show it: the log keeps it for the conversation's life
    let long = "x".repeat(1 << 20);
    for request in [conv.api.call(&long, "get_ticket"), conv.api.call("zendesk", &long)] {
        request.await.unwrap_err();
    }
    assert!(conv.log.to_jsonl().len() < 10_000, "not the megabyte names: {}", conv.log.to_jsonl().len());
    let names = conv.log.entries()[4..].iter().map(|entry| entry.request.clone().unwrap()).collect::<Vec<_>>();
    assert_eq!(
        (&*names[0].api, &*names[1].operation),
        (&*format!("{}...", &long[..100]), &*format!("{}...", &long[..100]))
    );
}

#[tokio::test]
async fn a_known_secret_passed_as_a_name_is_masked_in_the_error_and_the_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let runtime = sandbox();
    let secret = "Zq8hX2mPw4LkR7tY9bNc3VdF";
    runtime.redactor().add_secret(&conv_api_runtime::SecretString::from(secret));
    let conv = runtime.dynamic_conversation(&apis);
    let requests = [
        conv.api.call(secret, "get_ticket"),
        conv.api.call("zendesk", secret),
        conv.api.call("zendesk", "get_ticket").arg(secret, 1),
        conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1).header(format!("x {secret}"), "1"),
    ];
    for request in requests {
        let error = request.await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains(secret) && shown.contains("***"), "{shown}");
        }
    }
    let jsonl = conv.log.to_jsonl();
    assert_eq!(conv.log.len(), 4);
    assert!(!jsonl.contains(secret), "{jsonl}");
    let names: Vec<(String, String)> = conv
        .log
        .entries()
        .iter()
        .map(|entry| entry.request.as_ref().map(|call| (call.api.to_string(), call.operation.to_string())).unwrap())
        .collect();
    assert_eq!(names[..2], [("***".into(), "get_ticket".into()), ("zendesk".into(), "***".into())]);
}

#[tokio::test]
async fn an_api_without_the_environment_is_not_configured() {
    let apis = DynamicApis::parse("apis.yaml", &definitions("http://127.0.0.1:9")).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let error = conv.api.call("crm", "list").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotConfigured);
    assert!(error.to_string().contains("API `crm`") && error.to_string().contains("`sandbox`"), "{error}");
}

#[test]
fn invalid_files_give_the_definitions_diagnostics() {
    let error = DynamicApis::parse("apis.yaml", "api_integrations:\n  - name: Zendesk\n").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Definitions);
    assert!(error.to_string().contains("apis.yaml:2:11: error:"), "{error}");

    let error = DynamicApis::load("/nonexistent/apis.yaml").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Definitions);
    assert!(error.to_string().contains("cannot read"), "{error}");
    // a path a tenant named is shown on one line, as diagnostics show it
    let error = DynamicApis::load("/nonexistent/tenant\nERROR payment refused \u{1b}[31m.yaml").unwrap_err();
    let says = "/nonexistent/tenant\\nERROR payment refused \\u{1b}[31m.yaml: error: cannot read the definitions file";
    assert!(error.to_string().starts_with(says), "{error}");
}

#[test]
fn text_and_files_over_the_size_limit_are_refused_alike() {
    let text = format!("api_integrations: []\n{}\n", "#".repeat(17 << 20));
    let parsed = DynamicApis::parse("big.yaml", &text).unwrap_err();
    let file = std::env::temp_dir().join(format!("conv-api-big-{}.yaml", std::process::id()));
    std::fs::write(&file, &text).unwrap();
    let loaded = DynamicApis::load(&file).unwrap_err();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(parsed.kind(), ErrorKind::Definitions);
    assert!(parsed.to_string().contains("larger than the 16 MiB a definitions file may have"), "{parsed}");
    let message = |error: &conv_api_runtime::Error| error.to_string().split_once(": error: ").unwrap().1.to_string();
    assert_eq!(message(&parsed), message(&loaded));
}

#[test]
fn loaded_definitions_are_inspectable() {
    let apis = DynamicApis::parse("apis.yaml", &definitions("http://127.0.0.1:9")).unwrap();
    let names: Vec<&str> = apis.definitions().apis.iter().map(|api| api.name()).collect();
    assert_eq!(names, ["zendesk", "crm"]);
    assert_eq!(apis.warnings(), None, "a file without warnings has none");
    let camel = definitions("http://127.0.0.1:9").replace("get_ticket", "getTicket");
    let apis = DynamicApis::parse("apis.yaml", &camel).unwrap();
    let warnings: Vec<String> = apis.warnings().expect("a camelCase name is warned about").lines().collect();
    assert!(
        warnings.len() == 1 && warnings[0].contains("warning:") && warnings[0].contains("getTicket"),
        "{warnings:?}"
    );
    // a clone shares them, as it shares the definitions: a file may hold thousands
    let clone = apis.clone();
    assert!(std::ptr::eq(clone.warnings().unwrap(), apis.warnings().unwrap()));
    assert!(std::ptr::eq(clone.definitions(), apis.definitions()));
}

#[tokio::test]
async fn every_problem_with_a_calls_arguments_is_reported_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let error = conv
        .api
        .call("zendesk", "get_comment")
        .arg("tiket_id", 1)
        .header("X-A", "v\nw")
        .timeout(std::time::Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let message = error.to_string();
    let expected = [
        "4 problems with the arguments: (1) there is no path variable `tiket_id`; did you mean `ticket_id`?",
        "(2) the value of header `X-A` has a line break",
        "(3) the call's `.timeout(..)` is zero",
        "(4) path variable `comment_id` is not given",
    ];
    for part in expected {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
    assert!(message.ends_with("; nothing was sent"), "{message}");
}

#[tokio::test]
async fn bad_path_values_are_reported_with_the_other_problems_and_each_other() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let call = conv.api.call("zendesk", "get_comment").arg("ticket_id", "").arg("comment_id", "..");
    let error = call.header("X Request Source", "agent").await.unwrap_err();
    let message = error.to_string();
    let expected = [
        "3 problems with the arguments: (1) header name `X Request Source` is not a valid HTTP header name",
        "(2) path variable `ticket_id` is empty; give it a value",
        "(3) path variable `comment_id` is `..`",
    ];
    for part in expected {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
    // beside a variable not given too
    let error = conv.api.call("zendesk", "get_comment").arg("ticket_id", "..").await.unwrap_err();
    let message = error.to_string();
    let expected = [
        "2 problems with the arguments: (1) path variable `ticket_id` is `..`",
        "(2) path variable `comment_id` is not given",
    ];
    for part in expected {
        assert!(message.contains(part), "`{part}` missing from: {message}");
    }
    // a value whose `Display` failed is told once, not also as empty
    struct Failing;
    impl std::fmt::Display for Failing {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            Err(std::fmt::Error)
        }
    }
    let error = conv.api.call("zendesk", "get_comment").arg("ticket_id", Failing).arg("comment_id", 2).await;
    let message = error.unwrap_err().to_string();
    assert!(message.contains("): path variable `ticket_id`: its `Display`") && !message.contains("empty"), "{message}");
}

#[tokio::test]
async fn a_wrong_name_in_a_large_file_lists_the_first_valid_names_and_counts_the_rest() {
    let mut yaml = String::from("api_integrations:\n");
    for i in 0..1_000 {
        yaml.push_str(&format!("  - {{ name: api_{i}, environments: {{ sandbox: {{ base_url: \"http://127.0.0.1:9\" }} }}, operations: [] }}\n"));
    }
    yaml.push_str(
        "  - name: shop\n    environments: { sandbox: { base_url: \"http://127.0.0.1:9\" } }\n    operations:\n",
    );
    for i in 0..1_000 {
        yaml.push_str(&format!("      - {{ name: op_{i}, method: GET, resource: /items }}\n"));
    }
    let variables: String = (0..300).map(|i| format!("/{{v{i}}}")).collect();
    yaml.push_str(&format!("      - {{ name: many, method: GET, resource: \"{variables}\" }}\n"));
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let calls = [
        (conv.api.call("nope", "x"), "the APIs are `api_0`, `api_1`, ", ", `api_19` and 981 more; nothing was sent"),
        (conv.api.call("shop", "nope"), "its operations are `op_0`, ", ", `op_19` and 981 more; nothing was sent"),
        (conv.api.call("shop", "many").arg("nope", 1), "the path variables are `v0`, ", ", `v19` and 280 more (2) "),
        (
            conv.api.call("shop", "many").arg("v0", 1),
            "path variables `v1`, ",
            ", `v20` and 279 more are not given; set each with `.arg(name, value)`",
        ),
    ];
    for (call, start, end) in calls {
        let error = call.await.unwrap_err().to_string();
        assert!(error.contains(start) && error.contains(end) && error.len() < 2_000, "{error}");
    }
    // the log keeps each error as it was said
    assert!(conv.log.to_jsonl().len() < 10_000, "{}", conv.log.to_jsonl());
}

#[tokio::test]
async fn a_misspelt_variable_is_one_problem_and_a_suggested_one_given_later_counts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let apis = DynamicApis::parse("apis.yaml", &definitions(&server.uri())).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let call = || conv.api.call("zendesk", "get_comment").arg("comment_id", 2);
    let error = call().arg("tiket_id", 1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        error.to_string(),
        format!("`zendesk.get_comment` (GET {}/api/v2/tickets/{{ticket_id}}/comments/{{comment_id}}): there is no path variable `tiket_id`; did you mean `ticket_id`? the path variables are `ticket_id` and `comment_id`; nothing was sent", server.uri())
    );
    // a name far from every variable suggests none, so the variable left out is said
    let error = call().arg("colour", 1).await.unwrap_err();
    assert!(error.to_string().contains("(2) path variable `ticket_id` is not given"), "{error}");
    // the misspelt name is still a problem when the variable is given too
    let error = call().arg("tiket_id", 1).arg("ticket_id", 1).await.unwrap_err();
    assert!(
        error.to_string().contains("there is no path variable `tiket_id`") && !error.to_string().contains("not given"),
        "{error}"
    );
    assert_eq!(call().arg("ticket_id", 1).await.unwrap().status_code(), 200);
}

#[tokio::test]
async fn each_operation_is_sent_with_its_method_written_in_any_case() {
    let server = MockServer::start().await;
    let methods = ["GET", "POST", "PATCH", "PUT", "DELETE"];
    for name in methods {
        let answer = ResponseTemplate::new(200).set_body_string(name);
        Mock::given(method(name)).and(path("/items")).respond_with(answer).expect(1).mount(&server).await;
    }
    let written = ["get", "Post", "pAtCh", "put", "DeLeTe"];
    let operations: String = (methods.iter().zip(written))
        .map(|(name, written)| format!("      - {{ name: op_{name}, method: {written}, resource: /items }}\n"))
        .collect();
    let yaml = format!(
        "api_integrations:\n  - name: shop\n    environments:\n      sandbox: {{ base_url: \"{}\" }}\n    operations:\n{operations}",
        server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    for name in methods {
        let response = conv.api.call("shop", &format!("op_{name}")).await.unwrap();
        assert_eq!(response.text(), name);
    }
}

/// A call refused for its path variables shows, in its error and its entry, the
/// resource as written when the values given do not say which URL was meant (a
/// variable given twice, or a value under a name that is none), not a URL built from
/// one of them; a call refused for another reason shows the URL its values make.
#[tokio::test]
async fn a_refused_call_shows_no_url_its_path_values_do_not_say() {
    let apis = DynamicApis::parse("apis.yaml", &definitions("https://helpdesk.example")).unwrap();
    let conv = sandbox().dynamic_conversation(&apis);
    let as_written = "https://helpdesk.example/api/v2/tickets/{ticket_id}";
    let built = "https://helpdesk.example/api/v2/tickets/1";
    let get_ticket = || conv.api.call("zendesk", "get_ticket").arg("ticket_id", 1);
    let cases = [
        (get_ticket().arg("ticket_id", 2), as_written),
        (get_ticket().arg("id", 2), as_written),
        (get_ticket().timeout(std::time::Duration::ZERO), built),
    ];
    for (request, url) in cases {
        let error = request.await.unwrap_err();
        assert_eq!((error.kind(), error.url()), (ErrorKind::InvalidArgument, Some(url)), "{error}");
    }
    let logged: Vec<String> =
        conv.log.entries().iter().filter_map(|entry| Some(entry.request.as_ref()?.url.clone())).collect();
    assert_eq!(logged, [as_written, as_written, built]);
}

#[tokio::test]
async fn a_refused_call_shows_its_resource_with_the_query_values_masked_as_a_sent_one_would() {
    let yaml = r#"
api_integrations:
  - name: search
    environments: { sandbox: { base_url: "https://search.example" } }
    operations:
      - { name: find, method: GET, resource: "/find?api_key=abc123&session=s-9&q={q}&limit=10" }
"#;
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let runtime = Runtime::builder().environment(Environment::Sandbox).mask_query_param("session").build().unwrap();
    let conv = runtime.dynamic_conversation(&apis);
    let error = conv.api.call("search", "find").arg("qq", 1).await.unwrap_err();
    let shown = "https://search.example/find?api_key=***&session=***&q={q}&limit=10";
    assert_eq!(error.url(), Some(shown));
    assert!(error.to_string().contains(shown) && !error.to_string().contains("abc123"), "{error}");
    let logged = conv.log.to_jsonl();
    assert!(logged.contains(shown) && !logged.contains("abc123") && !logged.contains("s-9"), "{logged}");
}

#[test]
fn loaded_definitions_list_their_apis_and_operations() {
    let apis = DynamicApis::parse("apis.yaml", &definitions("http://127.0.0.1:1")).unwrap();
    assert!(apis.warnings().is_none());
    let mut listed = Vec::new();
    for api in apis.definitions().apis.iter() {
        for op in api.operations.iter() {
            let variables: Vec<&str> = op.resource.variables.iter().map(|v| v.as_ref()).collect();
            listed.push(format!("{}.{} {} {variables:?}", api.name(), op.name(), op.method));
        }
    }
    assert_eq!(
        listed,
        [
            "zendesk.get_ticket GET [\"ticket_id\"]",
            "zendesk.get_comment GET [\"ticket_id\", \"comment_id\"]",
            "crm.list GET []"
        ]
    );
}

#[tokio::test]
async fn definitions_changed_in_code_are_read_again_so_that_a_call_never_panics_on_them() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/tickets/7")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let mut definitions =
        conv_api_definitions::parse_str("apis.yaml", &definitions(&server.uri())).unwrap().definitions;
    // a resource's parsed pieces pointing past its variables: read again from its text
    let template = &mut definitions.apis.to_mut()[0].operations.to_mut()[0].resource;
    template.path.to_mut().push(conv_api_definitions::Piece::Variable(3));
    let apis = DynamicApis::from_definitions(&definitions).unwrap();
    let response = sandbox().dynamic_conversation(&apis).api.call("zendesk", "get_ticket").arg("ticket_id", 7).await;
    assert_eq!(response.unwrap().status_code(), 200);
    // a rule broken in code is told as the file's would be
    definitions.apis.to_mut()[1].operations.to_mut()[0].name.value = "list all".into();
    let error = DynamicApis::from_definitions(&definitions).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Definitions);
    assert!(error.to_string().contains("`api_integrations[1].operations[0].name` is `list all`"), "{error}");
    // no file's size limit: the model is in memory, and may be larger than a file
    definitions.apis.to_mut()[1].operations.to_mut()[0].name.value = "list".into();
    definitions.apis.to_mut()[0].description = Some("\\".repeat(9 << 20).into());
    let apis = DynamicApis::from_definitions(&definitions).expect("a model of 9 MiB, 18 MiB as JSON");
    assert_eq!(apis.definitions().apis[0].description.as_deref().map(str::len), Some(9 << 20));
}
