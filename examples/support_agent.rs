//! A support agent's functions over a ticketing API: answers for the model to
//! word (`content`) and fixed replies (`utterance`), with an API key from the
//! secret store. Runs offline against a local demo server:
//!
//! ```text
//! cargo run --example support_agent
//! ```

mod integrations {
    conv_api::conv_api!("examples/apis/support.yaml");
}

use conv_api::{Conv, Environment, FunctionResult, MapSecretStore, Runtime};
use integrations::Api;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// "What's the status of my ticket?" — the model words the answer.
async fn ticket_status(conv: &Conv<Api>, ticket_id: &str) -> conv_api::Result<FunctionResult> {
    // a non-2xx status becomes an error too, so that one `match` sees every failure
    let checked = conv.api.tickets.get_ticket(ticket_id).await.and_then(|response| response.raise_for_status());
    let ticket: Value = match checked {
        Ok(response) => response.json()?,
        Err(error) if error.status() == Some(404) => {
            return Ok(FunctionResult::utterance("I can't find a ticket with that number. Could you repeat it?"));
        }
        // down after its retries: a 503, a timeout, a lost connection
        Err(error) if error.is_retryable() => {
            conv.log.error(format!("ticket system unreachable: {error}"));
            return Ok(FunctionResult::utterance(
                "Our ticket system isn't answering right now. Shall I take a message?",
            ));
        }
        Err(error) => return Err(error), // a setup problem (a missing key, a 401): the caller reports it
    };
    Ok(FunctionResult::content(
        json!({ "ticket": ticket_id, "status": ticket["status"], "updated": ticket["updated"] }),
    ))
}

/// "Open a ticket for me" — a fixed confirmation the agent reads out as is.
async fn open_ticket(conv: &Conv<Api>, customer_id: &str, summary: &str) -> conv_api::Result<FunctionResult> {
    let body = json!({ "customer": customer_id, "summary": summary, "channel": "voice" });
    let created: Value = conv.api.tickets.create_ticket().json(&body).await?.raise_for_status()?.json()?;
    conv.log.info("ticket opened");
    // ticketing APIs send ids as strings or as numbers
    let number = match &created["id"] {
        Value::String(id) => id.clone(),
        Value::Number(id) => id.to_string(),
        _ => {
            conv.log.warning("the created ticket has no id");
            return Ok(FunctionResult::utterance("I've opened a ticket. You'll get an email with its number shortly."));
        }
    };
    Ok(FunctionResult::utterance(format!("I've opened ticket {number}. You'll get an email shortly.")))
}

/// "Do I have anything open?" — a count for the model.
async fn open_tickets(conv: &Conv<Api>, customer_id: &str) -> conv_api::Result<FunctionResult> {
    let tickets: Vec<Value> =
        conv.api.tickets.list_tickets_of_customer(customer_id).await?.raise_for_status()?.json()?;
    Ok(FunctionResult::content(format!("The caller has {} open ticket(s).", tickets.len())))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = demo_tickets().await;
    // In production the default store reads environment variables; here a map stands in.
    let secrets = MapSecretStore::new().with("TICKETS_SANDBOX_KEY", "demo-key-123");
    // the demo is a sandbox, whatever CONV_ENV says (`promotion` shows CONV_ENV at work)
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(secrets)
        .base_url("tickets", format!("{}/api/v2", demo.uri()))
        .build()?;
    let conv: Conv<Api> = runtime.conversation();

    for (asked, result) in [
        ("status of T-17", ticket_status(&conv, "T-17").await?),
        ("status of T-99", ticket_status(&conv, "T-99").await?),
        ("open tickets", open_tickets(&conv, "C-5").await?),
        ("open a ticket", open_ticket(&conv, "C-5", "Router keeps rebooting").await?),
    ] {
        println!("{asked:<16} -> {}", serde_json::to_string(&result)?);
    }
    println!("\nconversation log (JSON lines; the API key is masked):\n{}", conv.log.to_jsonl());
    Ok(())
}

/// A local stand-in for the ticketing API; it insists on the API key.
async fn demo_tickets() -> MockServer {
    let server = MockServer::start().await;
    let key = || header("x-api-key", "demo-key-123");
    let routes = [
        (
            "GET",
            "/api/v2/tickets/T-17",
            200,
            json!({ "id": "T-17", "status": "waiting on parts", "updated": "2026-11-27" }),
        ),
        ("GET", "/api/v2/tickets/T-99", 404, json!({ "error": "no such ticket" })),
        ("POST", "/api/v2/tickets", 201, json!({ "id": "T-18" })),
    ];
    for (verb, route, status, body) in routes {
        Mock::given(method(verb))
            .and(path(route))
            .and(key())
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/api/v2/customers/C-5/tickets"))
        .and(query_param("state", "open"))
        .and(key())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "id": "T-17" }])))
        .mount(&server)
        .await;
    server
}
