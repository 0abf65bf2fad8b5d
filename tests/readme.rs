//! The Rust code README.md shows compiles: each block is written here between a
//! `// README:` line and a `// end` line, inside what it needs around it (a function
//! with the variables it uses), and a test checks that README.md shows every block
//! as it is written here. A change to the API that breaks a block fails the build;
//! a change to a block in one place and not the other fails the test.
//!
//! The blocks are compiled, not run: they call servers and read files a reader has.
//! A block fenced ```` ```rust,ignore ```` (the one that declares a `#[tokio::test]`,
//! which here would be a test that checks nothing) is not compiled.

use std::error::Error;

#[allow(dead_code, reason = "compiled, not run: it calls a server on 127.0.0.1:8080")]
#[rustfmt::skip]
mod quickstart {
    // README: quickstart
    mod integrations {
        conv_api::conv_api!("examples/apis/helpdesk.yaml"); // relative to Cargo.toml
    }
    use conv_api::{Conv, FunctionResult, Runtime};
    use integrations::Api;

    #[derive(serde::Deserialize)]
    struct Ticket {
        status: String,
    }

    async fn lookup_ticket(conv: &Conv<Api>, ticket_id: &str) -> conv_api::Result<FunctionResult> {
        let response = conv.api.helpdesk.get_ticket(ticket_id)
            .query(&[("include", "users")])
            .await?;                                  // a 404 is a Response, not an error
        if response.status_code() == 404 {
            conv.log.warning(format!("no ticket {ticket_id}"));
            return Ok(FunctionResult::utterance("I couldn't find that ticket."));
        }
        let ticket: Ticket = response.raise_for_status()?.json()?; // an error names a missing field
        Ok(FunctionResult::content(format!("Ticket {ticket_id} is {}.", ticket.status)))
    }

    #[tokio::main]
    async fn main() -> Result<(), Box<dyn std::error::Error>> {
        // once per process: connections, token caches, secrets
        let runtime = Runtime::builder()              // environment from CONV_ENV, else sandbox
            .base_url("helpdesk", "http://127.0.0.1:8080/api/v2") // your server, until the sandbox host is real
            .build()?;
        // once per conversation: its own log
        let conv: Conv<Api> = runtime.conversation(); // the type says which APIs: write it
        let result = lookup_ticket(&conv, "1042").await?;
        println!("{}", serde_json::to_string(&result)?); // {"content":"Ticket 1042 is open."} from your server
        Ok(())
    }
    // end
}

mod integrations {
    conv_api::conv_api!("examples/apis/helpdesk.yaml");
}
use conv_api::{Conv, FunctionResult, Runtime};
use integrations::Api;

#[allow(dead_code, reason = "compiled, not run")]
#[rustfmt::skip]
async fn one_match_for_every_failure(conv: &Conv<Api>, ticket_id: &str) -> conv_api::Result<FunctionResult> {
    // README: one match
    // a non-2xx status becomes an error too, so that one `match` sees every failure
    let checked = conv.api.helpdesk.get_ticket(ticket_id).await.and_then(|response| response.raise_for_status());
    let response = match checked {
        Ok(response) => response,
        Err(error) if error.status() == Some(404) => {
            return Ok(FunctionResult::utterance("I couldn't find that ticket."));
        }
        Err(error) if error.is_retryable() => {
            return Ok(FunctionResult::utterance("The help desk isn't answering right now; shall I take a message?"));
        }
        Err(error) => return Err(error), // another status (400, 401, ...) or a setup problem: missing secret, ...
    };
    // end
    Ok(FunctionResult::content(response.text().to_string()))
}

#[allow(dead_code, reason = "compiled, not run: it reads config/api_integrations.yaml")]
#[rustfmt::skip]
async fn loaded_at_run_time(runtime: &Runtime) -> Result<(), Box<dyn Error>> {
    // README: dynamic
    let apis = conv_api::DynamicApis::load("config/api_integrations.yaml")?; // same diagnostics
    let conv = runtime.dynamic_conversation(&apis);
    let response = conv.api.call("zendesk", "get_ticket").arg("ticket_id", 42).await?;
    // end
    drop(response);
    Ok(())
}

#[allow(dead_code, reason = "compiled, not run")]
#[rustfmt::skip]
fn secrets_checked_at_start(runtime: &Runtime) -> Result<(), Box<dyn Error>> {
    // README: preflight
    let mut problems = runtime.preflight::<Api>(); // each says what to fix
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        return Err(format!("{} problem(s) in {}", problems.len(), runtime.environment()).into());
    }
    // end
    // the paragraph after the block, for an API not called in this environment
    problems.retain(|problem| problem.kind() != conv_api::ErrorKind::NotConfigured);
    Ok(())
}

#[allow(dead_code, reason = "compiled, not run: it reads .env.local")]
#[rustfmt::skip]
fn secrets_from_a_dotenv_file() -> Result<Runtime, Box<dyn Error>> {
    // README: dotenv
    let runtime = Runtime::builder()
        .secrets(conv_api::EnvSecretStore)           // the default: environment variables named as the secret
        .dotenv(".env.local")                        // also a dotenv file (up to 16 MiB), asked after
                                                     // the store; build() fails if it cannot be read
        .build()?;
    // end
    Ok(runtime)
}

#[allow(dead_code, reason = "compiled, not run: its assertion needs the agent function it leaves out")]
#[rustfmt::skip]
fn mocks_in_a_test() -> Result<(), Box<dyn Error>> {
    // README: mocks
    use conv_api::mocks::{Failure, Mocks, Rule};
    use serde_json::json;

    let mocks = Mocks::new()                                        // strict: an unanswered call is an error
        .with(Rule::on("helpdesk", "get_ticket").when_path("ticket_id", 1042).json(json!({"status": "open"})))
        .with(Rule::on("helpdesk", "get_ticket").when_path("ticket_id", 7).fail(Failure::Connection).forever())
        .with(Rule::on("helpdesk", "get_ticket").status(404));           // any other ticket, once (`.times(n)`: n times)
    let runtime = Runtime::builder().mocks(mocks.clone()).build()?;
    // ... run the agent function ...
    assert_eq!(mocks.calls_to("helpdesk", "get_ticket").len(), 1);
    // end
    drop(runtime);
    Ok(())
}

/// The blocks of this file: each `// README: name` line's name and the lines up to
/// its `// end`, without the indentation they share.
fn blocks_here() -> Vec<(String, String)> {
    let source = include_str!("readme.rs");
    let mut blocks = Vec::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.trim().strip_prefix("// README: ") else { continue };
        let body: Vec<&str> = lines.by_ref().take_while(|line| line.trim() != "// end").collect();
        let indent =
            body.iter().filter(|line| !line.trim().is_empty()).map(|line| line.len() - line.trim_start().len());
        let indent = indent.min().unwrap_or(0);
        let text: Vec<&str> = body.iter().map(|line| line.get(indent..).unwrap_or("")).collect();
        blocks.push((name.to_string(), text.join("\n")));
    }
    blocks
}

#[test]
fn the_readme_shows_each_block_as_it_compiles_here() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md");
    // the README's Rust blocks, each as it stands between its fences
    let shown: Vec<&str> =
        readme.split("```rust\n").skip(1).filter_map(|rest| rest.split_once("\n```")).map(|(block, _)| block).collect();
    let blocks = blocks_here();
    for (name, block) in &blocks {
        assert!(
            shown.contains(&block.as_str()),
            "README.md shows no Rust block that is `{name}` as compiled here:\n{block}"
        );
    }
    let left_out: Vec<&&str> =
        shown.iter().filter(|block| !blocks.iter().any(|(_, compiled)| compiled == *block)).collect();
    assert!(left_out.is_empty(), "README.md has Rust blocks this file does not compile: {left_out:#?}");
}
