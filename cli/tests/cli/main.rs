//! Runs the built `conv-api` binary on files in a temporary directory: a module per
//! command, and one for what every command reads and writes, sharing the file and
//! runner below.

#[path = "../support/mod.rs"]
mod support;

use support::TempDir;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod check;
mod input_output;
mod secrets;
mod secrets_check;
mod show;

const GOOD: &str = "api_integrations:
  - name: zendesk
    description: Support tickets
    environments:
      sandbox:
        base_url: https://sandbox.zendesk.example/api/v2
        auth_type: basic
        auth:
          username: agent@acme.example
          password: { secret: ZENDESK_SANDBOX_PASSWORD }
      pre-release:
        base_url: https://staging.zendesk.example/api/v2
        auth_type: apiKey
        auth: { location: header, name: X-Api-Key, value: { secret: ZENDESK_STAGING_KEY } }
      live:
        base_url: https://acme.zendesk.example/api/v2
        auth_type: oauth2
        auth:
          token_url: https://acme.zendesk.example/oauth/tokens
          client_id: voice-agent
          client_secret: { secret: ZENDESK_CLIENT_SECRET }
          credentials: body
    operations:
      - name: get_ticket
        method: GET
        resource: /tickets/{ticket_id}
      - name: search
        method: GET
        resource: /search?q={term}
  - name: hours
    environments:
      sandbox: { base_url: \"http://localhost:8080\" }
      live: { base_url: \"\" }
    operations:
      - name: get_hours
        method: GET
        resource: /stores/{store_id}/hours
";

const BAD: &str = "api_integration: []
api_integrations:
  - name: Zendesk
    environments:
      sandbx: { base_url: \"https://sandbox.example\" }
    operations:
      - name: get_ticket
        metod: GET
        resource: /tickets/{id}
";

/// The binary, run in `dir` with the secrets it might look up removed from its environment.
fn conv_api(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_conv-api"));
    command.current_dir(dir);
    for name in SECRETS {
        command.env_remove(name);
    }
    command
}

const SECRETS: [&str; 6] = [
    "ZENDESK_SANDBOX_PASSWORD",
    "ZENDESK_SANDBOX_USERNAME",
    "ZENDESK_STAGING_KEY",
    "ZENDESK_LIVE_TOKEN_URL",
    "ZENDESK_CLIENT_SECRET",
    "ZENDESK_LIVE_SCOPE",
];

/// What `command` does with `input` on its standard input, its output and errors
/// captured.
fn run_with_input(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = command.output().expect("the binary runs");
    (status.code().expect("exited"), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}
