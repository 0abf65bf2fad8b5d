//! For library consumers: load definitions at run time (no macro) and call
//! operations by name, every path variable named. The file gets the same checks
//! and messages as `conv_api!` and `conv-api check`.
//!
//! ```text
//! cargo run --example dynamic                       # the bundled help desk file
//! cargo run --example dynamic -- path/to/apis.yaml  # or yours: its diagnostics, if any
//! ```

use conv_api::{DynamicApis, Environment, Runtime};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The help desk file this example ships with, found from wherever it is run.
const BUNDLED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/apis/helpdesk.yaml");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let given = std::env::args().nth(1);
    let file = given.clone().unwrap_or_else(|| BUNDLED.to_string());
    let apis = match DynamicApis::load(&file) {
        Ok(apis) => apis,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    if let Some(warnings) = apis.warnings() {
        eprintln!("{warnings}");
    }
    for api in apis.definitions().apis.iter() {
        let operations: Vec<&str> = api.operations.iter().map(|op| op.name()).collect();
        println!("loaded `{}`: {}", api.name(), operations.join(", "));
    }
    // the demo calls the bundled file's operations
    if given.is_some() {
        return Ok(());
    }

    let demo = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/tickets/1042"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "status": "open" })))
        .mount(&demo)
        .await;
    // the demo is a sandbox, whatever CONV_ENV says (`promotion` shows CONV_ENV at work)
    let runtime = Runtime::builder().environment(Environment::Sandbox).base_url("helpdesk", demo.uri()).build()?;
    let conv = runtime.dynamic_conversation(&apis);

    let ticket = conv.api.call("helpdesk", "get_ticket").arg("ticket_id", 1042).await?;
    println!("helpdesk.get_ticket(ticket_id = 1042) -> {} {}", ticket.status_code(), ticket.text());

    // mistakes in a call are errors that say what is wrong, and nothing is sent
    let typo = conv.api.call("helpdesk", "get_tiket").arg("ticket_id", 1042).await;
    let missing = conv.api.call("helpdesk", "get_ticket").await;
    for (what, result) in [("a misspelt operation", typo), ("a missing variable", missing)] {
        match result {
            Err(error) => println!("{what}: {error}"),
            Ok(response) => println!("{what}: unexpectedly sent, {}", response.status_code()),
        }
    }
    Ok(())
}
