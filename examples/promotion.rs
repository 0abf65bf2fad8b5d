//! Promotion from sandbox to live by changing only `CONV_ENV`: this program runs
//! the same agent code twice, as child processes that differ in that one variable.
//! The live environment needs its API key from the secret store (an environment
//! variable here); without it, the call fails before anything is sent.
//!
//! ```text
//! cargo run --example promotion
//! ```

mod integrations {
    conv_api::conv_api!("examples/apis/promotion.yaml");
}

use std::process::Command;

use conv_api::{Conv, ErrorKind, FunctionResult, Runtime};
use integrations::Api;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An account's balance, as the API sends it.
#[derive(serde::Deserialize)]
struct Balance {
    amount: f64,
    currency: String,
}

/// The agent function: unchanged between environments.
async fn balance(conv: &Conv<Api>, account_id: &str) -> conv_api::Result<FunctionResult> {
    let balance: Balance = conv.api.accounts.get_balance(account_id).await?.raise_for_status()?.json()?;
    Ok(FunctionResult::content(format!("The balance is {} {}.", balance.amount, balance.currency)))
}

/// Runs as a child: the environment comes from `CONV_ENV`, the key from the process environment.
async fn agent() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = Runtime::builder().build()?;
    // at start-up, what would fail every call here is named (a deploy would stop here)
    for problem in runtime.preflight::<Api>() {
        println!("  [{}] start-up check: {problem}", runtime.environment());
    }
    let conv: Conv<Api> = runtime.conversation();
    match balance(&conv, "A-1").await {
        Ok(result) => println!("  [{}] agent: {}", runtime.environment(), serde_json::to_string(&result)?),
        // what this demo shows: without its key, live sends nothing
        Err(error) if error.kind() == ErrorKind::MissingSecret => {
            println!("  [{}] error ({:?}): {error}", runtime.environment(), error.kind());
        }
        // anything else is the demo broken: this process fails, and so does the parent
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("--agent") {
        return agent().await;
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:47811")
        .map_err(|error| format!("the demo needs port 47811 on 127.0.0.1 ({error}); free it and run again"))?;
    let demo = MockServer::builder().listener(listener).start().await;
    mount_demo(&demo).await;

    let me = std::env::current_exe()?;
    let runs: [(&str, Option<&str>); 3] = [("sandbox", None), ("live", Some("live-key-42")), ("live", None)];
    for (environment, key) in runs {
        println!("CONV_ENV={environment}{}", if key.is_some() { " with ACCOUNTS_LIVE_API_KEY set" } else { "" });
        let mut child = Command::new(&me);
        child.arg("--agent").env("CONV_ENV", environment).env_remove("ACCOUNTS_LIVE_API_KEY");
        if let Some(key) = key {
            child.env("ACCOUNTS_LIVE_API_KEY", key);
        }
        let status = child.status()?;
        if !status.success() {
            return Err(format!("the agent process failed: {status}").into());
        }
    }
    Ok(())
}

async fn mount_demo(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/sandbox/accounts/A-1/balance"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "amount": 100, "currency": "TEST" })))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/live/accounts/A-1/balance"))
        .and(header("authorization", "Bearer live-key-42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "amount": 1234.5, "currency": "GBP" })))
        .mount(server)
        .await;
}
