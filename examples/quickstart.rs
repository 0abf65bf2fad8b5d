//! Quickstart: an agent's ticket functions, called through `conv_api!`.
//!
//! Starts its own demo help-desk API on 127.0.0.1, so it runs offline:
//!
//! ```text
//! cargo run --example quickstart
//! ```

mod integrations {
    conv_api::conv_api!("examples/apis/helpdesk.yaml");
}

use conv_api::{Conv, Environment, FunctionResult, Runtime};
use integrations::Api;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What the agent reads of a ticket; `.json()` says what is missing if a field is.
#[derive(serde::Deserialize)]
struct Ticket {
    status: String,
    subject: String,
}

/// An agent function: look up a ticket and say its status.
async fn lookup_ticket(conv: &Conv<Api>, ticket_id: &str) -> conv_api::Result<FunctionResult> {
    // a non-2xx status becomes an error too, so that one `match` sees every failure
    let checked = conv.api.helpdesk.get_ticket(ticket_id).query(&[("include", "users")]).await;
    let response = match checked.and_then(|response| response.raise_for_status()) {
        Ok(response) => response,
        Err(error) if error.status() == Some(404) => {
            conv.log.warning(format!("no ticket {ticket_id}"));
            return Ok(FunctionResult::utterance("I couldn't find that ticket. Could you read me the number again?"));
        }
        Err(error) if error.is_retryable() => {
            return Ok(FunctionResult::utterance("The help desk isn't answering right now; shall I take a message?"));
        }
        Err(error) => return Err(error), // a setup problem (a missing secret, a 401): the caller reports it
    };
    let ticket: Ticket = response.json()?;
    conv.log.info("ticket found");
    Ok(FunctionResult::content(format!("Ticket {ticket_id} is {}: {}.", ticket.status, ticket.subject)))
}

/// An agent function: leave a note on the ticket for the human team.
async fn leave_note(conv: &Conv<Api>, ticket_id: &str, note: &str) -> conv_api::Result<FunctionResult> {
    conv.api
        .helpdesk
        .add_comment(ticket_id)
        .json(&json!({ "body": note, "public": false }))
        .await?
        .raise_for_status()?;
    Ok(FunctionResult::content("I've added a note for the team."))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = demo_helpdesk().await;
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .base_url("helpdesk", demo.uri()) // the local demo instead of the sandbox URL
        .build()?;
    let conv: Conv<Api> = runtime.conversation();

    // each function's answer, or its error: the log below shows the failed call either way
    let results = [
        lookup_ticket(&conv, "1042").await,
        lookup_ticket(&conv, "9999").await,
        leave_note(&conv, "1042", "Caller asked for an update").await,
    ];
    let mut failure = None;
    for result in results {
        match result {
            Ok(result) => println!("agent function returned {}", serde_json::to_string(&result)?),
            Err(error) => {
                println!("agent function failed: {error}");
                failure = Some(error);
            }
        }
    }

    println!("\nconversation log:");
    for entry in conv.log.entries() {
        match &entry.request {
            Some(call) => println!(
                "  {:<7} {}.{} {} {} -> {} in {:.1} ms",
                entry.level.as_str(),
                call.api,
                call.operation,
                call.method,
                call.url,
                match (call.status, &call.error) {
                    (Some(status), _) => status.to_string(),
                    (None, Some(error)) => format!("failed: {error}"),
                    (None, None) => "no response".to_string(),
                },
                call.duration.as_secs_f64() * 1000.0
            ),
            None => println!("  {:<7} {}", entry.level.as_str(), entry.message),
        }
    }
    match failure {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// A local stand-in for the help desk: ticket 1042 exists, others do not.
async fn demo_helpdesk() -> MockServer {
    let server = MockServer::start().await;
    let ticket = json!({ "id": 1042, "status": "open", "subject": "Printer on fire" });
    Mock::given(method("GET"))
        .and(path("/tickets/1042"))
        .respond_with(ResponseTemplate::new(200).set_body_json(ticket))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/tickets/9999"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({ "error": "not found" })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/tickets/1042/comments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": 1 })))
        .mount(&server)
        .await;
    server
}
