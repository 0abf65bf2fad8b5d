//! Testing an agent function with mocks instead of the real API: found, not found,
//! down, and an ADK test case file, all through the generated `conv.api`.

mod integrations {
    conv_api::conv_api!("examples/apis/helpdesk.yaml");
}

use conv_api::mocks::{Failure, Mocks, Rule};
use conv_api::{Conv, Environment, ErrorKind, FunctionResult, Runtime};
use integrations::Api;
use serde_json::json;

/// The agent function under test: what the agent says about a ticket.
async fn ticket_status(conv: &Conv<Api>, ticket_id: &str) -> FunctionResult {
    // a non-2xx status becomes an error too, so that one `match` sees every failure
    let checked = conv.api.helpdesk.get_ticket(ticket_id).await.and_then(|response| response.raise_for_status());
    let response = match checked {
        Ok(response) => response,
        Err(error) if error.status() == Some(404) => return FunctionResult::utterance("I couldn't find that ticket."),
        // down (after the runtime's retries, against a real server): a 429, 502, 503 ...,
        // a timeout, a lost connection
        Err(error) if error.is_retryable() => {
            conv.log.error(format!("help desk unreachable: {error}"));
            return FunctionResult::utterance("Our ticket system is down right now. Can I call you back?");
        }
        Err(error) => {
            conv.log.error(error.to_string());
            return FunctionResult::utterance("Something went wrong looking that up.");
        }
    };
    match response.json::<Ticket>() {
        Ok(ticket) => FunctionResult::content(format!("Ticket {ticket_id} is {}.", ticket.status)),
        Err(error) => {
            conv.log.error(error.to_string()); // which field is missing, and what came instead
            FunctionResult::utterance("Something went wrong looking that up.")
        }
    }
}

/// The part of the help desk's ticket the agent reads.
#[derive(serde::Deserialize)]
struct Ticket {
    status: String,
}

fn conversation(mocks: &Mocks) -> Conv<Api> {
    let runtime = Runtime::builder().environment(Environment::Sandbox).mocks(mocks.clone()).build();
    runtime.expect("runtime builds").conversation()
}

#[tokio::test]
async fn found() {
    let mocks = Mocks::new()
        .with(Rule::on("helpdesk", "get_ticket").when_path("ticket_id", 1042).json(json!({"status": "open"})));
    let conv = conversation(&mocks);
    assert_eq!(ticket_status(&conv, "1042").await.to_json(), json!({"content": "Ticket 1042 is open."}));
    assert_eq!(mocks.calls_to("helpdesk", "get_ticket")[0].path, [("ticket_id".to_string(), "1042".to_string())]);
}

#[tokio::test]
async fn not_found() {
    let mocks = Mocks::new().with(Rule::on("helpdesk", "get_ticket").status(404));
    let conv = conversation(&mocks);
    assert_eq!(ticket_status(&conv, "9999").await.to_json(), json!({"utterance": "I couldn't find that ticket."}));
}

#[tokio::test]
async fn down() {
    let mocks = Mocks::new().with(Rule::on("helpdesk", "get_ticket").fail(Failure::Connection).forever());
    let conv = conversation(&mocks);
    let said = ticket_status(&conv, "1042").await.to_json();
    assert_eq!(said, json!({"utterance": "Our ticket system is down right now. Can I call you back?"}));
    let attempts = conv.log.entries().iter().filter(|e| e.request.is_some()).count();
    assert_eq!(attempts, 1, "a mocked failure is the call's answer, as in the ADK: not retried");
}

#[tokio::test]
async fn down_with_503() {
    let mocks = Mocks::new().with(Rule::on("helpdesk", "get_ticket").status(503).forever());
    let conv = conversation(&mocks);
    let said = ticket_status(&conv, "1042").await.to_json();
    assert_eq!(said, json!({"utterance": "Our ticket system is down right now. Can I call you back?"}));
    let statuses: Vec<_> = conv.log.entries().iter().filter_map(|e| e.request.as_ref()?.status).collect();
    assert_eq!(statuses, [503], "a mocked 503 is the call's answer, as in the ADK: not retried");
}

#[tokio::test]
async fn a_ticket_of_another_shape_is_logged_and_the_caller_told() {
    let mocks = Mocks::new().with(Rule::on("helpdesk", "get_ticket").json(json!({"state": "open"})));
    let conv = conversation(&mocks);
    let said = ticket_status(&conv, "1042").await.to_json();
    assert_eq!(said, json!({"utterance": "Something went wrong looking that up."}));
    let logged = conv.log.entries().last().map(|entry| entry.message.clone()).unwrap_or_default();
    assert!(logged.contains("missing field `status`"), "{logged}");
}

#[tokio::test]
async fn an_adk_test_case_drives_the_same_function() {
    let mocks = Mocks::load::<Api>("tests/fixtures/ticket-lookup.yaml").expect("the test case loads");
    let conv = conversation(&mocks);
    // each call takes the next answer: the agent meets the failure, then the ticket
    let down = json!({"utterance": "Our ticket system is down right now. Can I call you back?"});
    assert_eq!(ticket_status(&conv, "1042").await.to_json(), down);
    assert_eq!(ticket_status(&conv, "1042").await.to_json(), json!({"content": "Ticket 1042 is open."}));
    let statuses: Vec<_> = conv.log.entries().iter().filter_map(|e| e.request.as_ref()?.status).collect();
    assert_eq!(statuses, [503, 200]);
}

#[tokio::test]
async fn a_call_no_rule_answers_is_an_error_in_strict_mode() {
    let mocks = Mocks::new();
    let conv = conversation(&mocks);
    let error = conv.api.helpdesk.add_comment(1042).await.expect_err("no rule");
    assert_eq!(error.kind(), ErrorKind::Unmocked);
}

#[tokio::test]
async fn an_adk_test_case_given_as_text_drives_the_same_function() {
    let case = std::fs::read_to_string("tests/fixtures/ticket-lookup.yaml").expect("the test case is read");
    let mocks = Mocks::parse::<Api>("ticket-lookup.yaml", &case).expect("the test case parses");
    let conv = conversation(&mocks);
    let down = json!({"utterance": "Our ticket system is down right now. Can I call you back?"});
    assert_eq!(ticket_status(&conv, "1042").await.to_json(), down);
    assert_eq!(ticket_status(&conv, "1042").await.to_json(), json!({"content": "Ticket 1042 is open."}));
}
