//! Runs the built `conv-api` binary on files in a temporary directory.

mod support;

use support::TempDir;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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

fn run(command: &mut Command) -> (i32, String, String) {
    let Output { status, stdout, stderr } = command.output().expect("the binary runs");
    (status.code().expect("exited"), String::from_utf8(stdout).unwrap(), String::from_utf8(stderr).unwrap())
}

// ---- check ----

#[test]
fn check_a_good_file_prints_a_summary() {
    let dir = TempDir::new("check-good");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "apis.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "apis.yaml: ok, 2 APIs, 3 operations, environments wired: sandbox 2, pre-release 1, live 1\n");
    assert_eq!(stderr, "");
    // `validate`, as other tools name it, is `check`
    assert_eq!(run(conv_api(&dir.0).args(["validate", "apis.yaml"])), (0, stdout, stderr));
}

#[test]
fn check_a_bad_file_prints_every_diagnostic_and_fails() {
    let dir = TempDir::new("check-bad");
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "bad.yaml"]));
    assert_eq!(code, 1);
    // after the diagnostics: the last line a CI log shows
    assert_eq!(stdout, "bad.yaml: failed, 4 errors (above)\n");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{stderr}");
    assert_eq!(
        lines[0],
        "bad.yaml:1:1: error: unknown key `api_integration` in the file; it looks like `api_integrations`, which is already given; remove one"
    );
    assert!(lines[1].starts_with("bad.yaml:3:11: error: `api_integrations[0].name` is `Zendesk`"), "{}", lines[1]);
    assert!(lines[2].starts_with("bad.yaml:5:7: error: unknown environment `sandbx`"), "{}", lines[2]);
    assert!(lines[3].starts_with("bad.yaml:8:9: error: unknown key `metod`") && lines[3].contains("`method`"));
}

#[test]
fn check_several_files_reports_each_and_fails_if_one_fails() {
    let dir = TempDir::new("check-several");
    dir.file("a.yaml", GOOD);
    dir.file("b.yaml", BAD);
    dir.file("c.yaml", "api_integrations: []\n");
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "a.yaml", "b.yaml", "c.yaml"]));
    assert_eq!(code, 1);
    let summaries: Vec<&str> = stdout.lines().collect();
    assert_eq!(summaries.len(), 3, "{stdout}");
    assert!(summaries[0].starts_with("a.yaml: ok, 2 APIs"));
    assert_eq!(summaries[1], "b.yaml: failed, 4 errors (above)");
    assert_eq!(summaries[2], "c.yaml: ok, 0 APIs, 0 operations, environments wired: sandbox 0, pre-release 0, live 0");
    assert!(stderr.lines().all(|line| line.starts_with("b.yaml:")), "{stderr}");
}

/// An ADK test case whose `api_mocks` fit `GOOD`.
const TEST_CASE: &str = "name: Ticket found
scenario: The caller asks about ticket 1042.
api_mocks:
  zendesk:
    get_ticket:
      - respond: { status: 503 }
        repeat: 2
      - respond: { status: 200, body: { status: open } }
  hours:
    get_hours:
      - respond: { status: 200, body: [] }
        repeat: -1
prompt_assertions:
  - The agent reads out the status
";

#[test]
fn check_with_mocks_shows_a_valid_test_cases_warnings_and_counts_them() {
    let dir = TempDir::new("check-mocks-warnings");
    dir.file("apis.yaml", GOOD);
    dir.file(
        "case.yaml",
        "api_mocks:\n  zendesk:\n    get_ticket:\n      - respond: { status: 200, body: '{\"status\": \"open\"}' }\n",
    );
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "apis.yaml", "--mocks", "case.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().nth(1), Some("case.yaml: ok, api_mocks for 1 operation of 1 API; 1 warning (above)"));
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["case.yaml:4:39: warning: `api_mocks.zendesk.get_ticket[0].respond.body` is JSON written as text, so the response's body is one JSON string, not that JSON; remove the quotes (or the `|`) around it: JSON is YAML, so the body is then read as the JSON itself"]
    );
}

#[test]
fn check_with_mocks_checks_each_test_cases_api_mocks_against_the_definitions() {
    let dir = TempDir::new("check-mocks");
    dir.file("apis.yaml", GOOD);
    dir.file("found.yaml", TEST_CASE);
    dir.file(
        "no-mocks.yaml",
        "name: Small talk
scenario: Hello.
",
    );
    // an API or operation written with no rule mocks nothing
    dir.file("empty.yaml", "api_mocks:\n  zendesk:\n    get_ticket: []\n  hours: {}\n");
    dir.file(
        "bad.yaml",
        "api_mocks:
  zendesk:
    get_tiket:
      - respond: { status: 700 }
",
    );
    let args = ["check", "apis.yaml", "--mocks", "found.yaml", "no-mocks.yaml", "empty.yaml", "bad.yaml", "gone.yaml"];
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(args));
    assert_eq!(code, 1, "{stderr}");
    let summaries: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        summaries,
        [
            "apis.yaml: ok, 2 APIs, 3 operations, environments wired: sandbox 2, pre-release 1, live 1",
            "found.yaml: ok, api_mocks for 2 operations of 2 APIs",
            "no-mocks.yaml: ok, no api_mocks",
            "empty.yaml: ok, no mock rules; `zendesk.get_ticket` is written with no rules, so its calls go to the API",
            "bad.yaml: failed, 2 errors (above)",
            "gone.yaml: failed, not read (above)",
        ]
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].starts_with("bad.yaml:3:5: error: `api_mocks.zendesk.get_tiket`: API `zendesk` has no operation `get_tiket`; did you mean `get_ticket`?"), "{}", lines[0]);
    assert!(
        lines[1].starts_with(
            "bad.yaml:4:28: error: `api_mocks.zendesk.get_tiket[0].respond.status` must be an HTTP status"
        ),
        "{}",
        lines[1]
    );
    assert!(lines[2].starts_with("gone.yaml: error: cannot read"), "{}", lines[2]);

    let (code, stdout, _) = run(conv_api(&dir.0).args(["check", "apis.yaml", "--mocks", "found.yaml"]));
    assert_eq!((code, stdout.lines().count()), (0, 2), "{stdout}");
    // under `strict: true`, a call no rule answers is an error, not sent
    dir.file("strict.yaml", "strict: true\napi_mocks:\n  zendesk:\n    get_ticket: []\n");
    let (code, stdout, _) = run(conv_api(&dir.0).args(["check", "apis.yaml", "--mocks", "strict.yaml"]));
    let told = "strict.yaml: ok, no mock rules; `zendesk.get_ticket` is written with no rules, so its calls are errors (`strict: true`)";
    assert_eq!((code, stdout.lines().nth(1)), (0, Some(told)), "{stdout}");
}

#[test]
fn check_with_mocks_needs_one_good_definitions_file() {
    let dir = TempDir::new("check-mocks-definitions");
    dir.file("apis.yaml", GOOD);
    dir.file("bad.yaml", BAD);
    dir.file("found.yaml", TEST_CASE);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "bad.yaml", "--mocks", "found.yaml"]));
    let summaries =
        "bad.yaml: failed, 4 errors (above)\nfound.yaml: not checked, as the definitions file has errors (above)\n";
    assert_eq!((code, stdout.as_str()), (1, summaries));
    assert_eq!(
        stderr.lines().last(),
        Some("error: the test cases' `api_mocks` are not checked, as the definitions file bad.yaml has errors; fix it first")
    );
    // a definitions file that cannot be read has no errors to fix
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "gone.yaml", "--mocks", "found.yaml"]));
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().last(), Some("found.yaml: not checked, as the definitions file cannot be read (above)"));
    assert_eq!(
        stderr.lines().last(),
        Some("error: the test cases' `api_mocks` are not checked, as the definitions file gone.yaml cannot be read; fix it first")
    );
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "apis.yaml", "apis.yaml", "--mocks", "found.yaml"]));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `--mocks` checks test cases against one definitions file, and 2 are given; give one before `--mocks`\n"
    );
    // every file after `--mocks` is a test case, as the usage line shows
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "--mocks", "found.yaml", "apis.yaml"]));
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: `--mocks` takes every file after it as a test case, and no definitions file is left; give the definitions file before `--mocks`\n");
    let (_, stdout, _) = run(conv_api(&dir.0).args(["check", "--help"]));
    assert!(stdout.contains("Usage: conv-api check <FILES>... [--mocks <TEST_CASE>...]"), "{stdout}");
}

#[test]
fn help_says_what_the_exit_codes_mean() {
    let dir = TempDir::new("help-exit-codes");
    for args in
        [&["--help"][..], &["check", "--help"], &["show", "--help"], &["secrets", "--help"], &["review", "--help"]]
    {
        let (code, stdout, _) = run(conv_api(&dir.0).args(args));
        assert_eq!(code, 0);
        assert!(stdout.contains("Exit codes:\n  0  all is well"), "{args:?}: {stdout}");
        assert!(stdout.contains("  2  the command line is not valid"), "{args:?}: {stdout}");
    }
}

#[test]
fn check_accepts_a_file_whose_apis_are_all_commented_out() {
    let dir = TempDir::new("check-commented-out");
    dir.file("none.yaml", "api_integrations:\n#  - name: zendesk\n#    environments: { live: {} }\n");
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "none.yaml"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout, "none.yaml: ok, 0 APIs, 0 operations, environments wired: sandbox 0, pre-release 0, live 0\n");
}

#[test]
fn check_a_missing_file_says_so_and_fails() {
    let dir = TempDir::new("check-missing");
    dir.file("a.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "a.yaml", "nope.yaml"]));
    assert_eq!(code, 1);
    assert!(stdout.starts_with("a.yaml: ok"));
    assert!(stderr.starts_with("nope.yaml: error: cannot read the definitions file: "), "{stderr}");
    assert!(!stderr.contains("did you mean"), "no file is like it: {stderr}");
    // a file of the directory it likely names
    dir.file("apis.yml", GOOD);
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "apis.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.trim_end().ends_with("; its directory has `apis.yml`: did you mean that file?"), "{stderr}");
    // an extension in capitals is one too
    let upper = TempDir::new("check-missing-upper");
    upper.file("APIS.YML", GOOD);
    let (code, _, stderr) = run(conv_api(&upper.0).args(["check", "apis.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.trim_end().ends_with("; its directory has `APIS.YML`: did you mean that file?"), "{stderr}");
}

/// An empty path (an unset variable in a script, `conv-api check "$FILE"`) is told as
/// one by every command, not as a missing argument or a missing file.
#[test]
fn an_empty_path_is_told_as_one_by_every_command() {
    let dir = TempDir::new("empty-path");
    dir.file("apis.yaml", GOOD);
    let commands: [(&[&str], &str); 6] = [
        (&["check", ""], "the definitions file"),
        (&["check", "apis.yaml", "--mocks", ""], "the mocks file"),
        (&["show", ""], "the definitions file"),
        (&["secrets", ""], "the definitions file"),
        (&["secrets", "apis.yaml", "--check", "--dotenv", ""], "the secrets file"),
        (&["review", ""], "the log"),
    ];
    for (args, what) in commands {
        let (code, _, stderr) = run(conv_api(&dir.0).args(args));
        assert_eq!(code, 1, "{args:?}: {stderr}");
        let says = format!("\"\": error: cannot read {what}: the path is empty; name the file\n");
        assert!(stderr.ends_with(&says), "{args:?}: {stderr}");
    }
}

#[test]
fn check_of_a_conversation_log_says_what_it_is_and_which_command_shows_it() {
    let dir = TempDir::new("check-log");
    let entry = |message: &str| {
        format!(r#"{{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"{message}","pii":false}}"#)
    };
    dir.file("conv.jsonl", &format!("{}\n{}\n", entry("one"), entry("two")));
    dir.file("one.jsonl", &format!("\u{feff}\n{}\n", entry("one")));
    for log in ["conv.jsonl", "one.jsonl"] {
        let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", log]));
        assert_eq!(code, 1);
        assert_eq!(stdout, format!("{log}: failed, 1 error (above)\n"));
        assert_eq!(
            stderr,
            format!("{log}:1:1: error: this is a conversation log (one JSON entry a line, as `Log::to_jsonl` writes it), not a definitions file; show it with `conv-api review LOG`\n")
        );
    }
    // a definitions file in JSON is read as one still
    dir.file("apis.json", r#"{"timestamp":1,"level":2,"api_integrations":[{"name":"Bad","environments":{}}]}"#);
    let (_, _, stderr) = run(conv_api(&dir.0).args(["check", "apis.json"]));
    assert!(stderr.contains("`api_integrations[0].name` is `Bad`"), "{stderr}");
}

#[test]
#[cfg(unix)]
fn file_names_that_are_not_utf8_are_shown_escaped_in_every_message() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new("not-utf8-names");
    dir.file("apis.yaml", GOOD);
    let name = |bytes: &[u8]| std::ffi::OsStr::from_bytes(bytes).to_os_string();
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--check", "--dotenv"]).arg(name(b"n\xff.env"));
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("n\\xff.env: error: cannot read the secrets file: "), "{stderr}");
    std::fs::write(dir.0.join(name(b"b\xff.env")), "no pair\n").unwrap();
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--check", "--dotenv"]).arg(name(b"b\xff.env"));
    let (_, _, stderr) = run(&mut command);
    assert!(stderr.starts_with("b\\xff.env:1: error: expected `KEY=value`"), "{stderr}");
    // a directory given for a file: the file it suggests can be typed back
    std::fs::create_dir(dir.0.join("d")).unwrap();
    std::fs::write(dir.0.join("d").join(name(b"a\xff.yaml")), GOOD).unwrap();
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "d"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("such as `d/a\\xff.yaml`"), "{stderr}");
}

#[test]
#[cfg(unix)] // the file names hold characters other systems refuse
fn check_prints_the_files_text_and_names_escaped() {
    let dir = TempDir::new("check-escapes");
    let yaml = "api_integrations:\n  - name: crm\n    \"\\e]0;x\\a\": 1\n    environments: { live: {} }\n";
    dir.file("bad\u{1b}[31m.yaml", yaml);
    dir.file("good\u{202e}.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "bad\u{1b}[31m.yaml", "good\u{202e}.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("bad\\u{1b}[31m.yaml:3:5: error: unknown key `\\u{1b}]0;x\\u{7}`"), "{stderr}");
    assert!(stdout.starts_with("bad\\u{1b}[31m.yaml: failed, 1 error (above)\ngood\\u{202e}.yaml: ok"), "{stdout}");
    assert!(!format!("{stdout}{stderr}").contains(['\u{1b}', '\u{7}', '\u{202e}']), "nothing raw");
}

#[test]
fn check_show_and_secrets_read_standard_input_for_a_dash() {
    let dir = TempDir::new("stdin");
    for (args, expected) in [
        (&["check", "-"][..], "<stdin>: ok, "),
        (&["show", "-"][..], "zendesk"),
        (&["secrets", "-", "--env", "live"][..], "ZENDESK_CLIENT_SECRET"),
    ] {
        let mut child = conv_api(&dir.0).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(GOOD.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success() && stdout.contains(expected), "{args:?}: {stdout}");
    }
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "-", "-"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("standard input (`-`) can be read only once"), "{stderr}");
    let mut child = conv_api(&dir.0).args(["check", "-"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"api_integrations:\n  - name: Bad\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stderr).unwrap().contains("\n<stdin>:2:11: error: `api_integrations[0].name`"));
}

#[test]
fn endless_input_is_refused_after_the_size_limit_without_reading_it_all() {
    let dir = TempDir::new("endless");
    let mut child = conv_api(&dir.0).args(["check", "-"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // writes until the tool stops reading and closes the pipe
    let writer = std::thread::spawn(move || while stdin.write_all(&[b'#'; 1 << 16]).is_ok() {});
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("<stdin>:1:1: error: the file is larger than the 16 MiB"), "{stderr}");
    #[cfg(unix)]
    {
        let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "/dev/zero"]));
        assert_eq!(code, 1);
        assert!(stderr.contains("/dev/zero:1:1: error: the file is larger than"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn an_endless_log_is_refused_after_the_size_limit() {
    let dir = TempDir::new("endless-log");
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["review", "/dev/zero"]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with("/dev/zero: error: cannot read the log: it is larger than 256 MiB; review a part of it"),
        "{stderr}"
    );
}

#[test]
fn check_warnings_alone_do_not_fail() {
    let dir = TempDir::new("check-warnings");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - { name: getContact, method: GET, resource: / }\n";
    dir.file("w.yaml", yaml);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "w.yaml"]));
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "w.yaml: ok, 1 API, 1 operation, environments wired: sandbox 0, pre-release 0, live 0; 1 warning (above)\n"
    );
    assert!(stderr.starts_with("w.yaml:5:17: warning: ") && stderr.contains("`get_contact`"), "{stderr}");
}

#[test]
fn check_prints_warnings_and_errors_in_file_order() {
    let dir = TempDir::new("check-order");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - { name: getContact, method: GET, resource: / }\n      - { name: list, method: FETCH, resource: / }\n";
    dir.file("mixed.yaml", yaml);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["check", "mixed.yaml"]));
    assert_eq!((code, stdout.as_str()), (1, "mixed.yaml: failed, 1 error and 1 warning (above)\n"));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("mixed.yaml:5:17: warning: "), "{stderr}");
    assert!(lines[1].starts_with("mixed.yaml:6:") && lines[1].contains(": error: "), "{stderr}");
}

#[test]
fn check_needs_a_file() {
    let dir = TempDir::new("check-none");
    let (code, _, stderr) = run(conv_api(&dir.0).arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("FILE"), "{stderr}");
}

// ---- show ----

#[test]
fn show_prints_a_table_per_api() {
    let dir = TempDir::new("show");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["show", "apis.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "zendesk: Support tickets
  operations:
    GET  get_ticket  /tickets/{ticket_id}  (ticket_id)
    GET  search      /search?q={term}      (term)
  environments:
    sandbox      https://sandbox.zendesk.example/api/v2  basic (username `agent@acme.example`, password from secret `ZENDESK_SANDBOX_PASSWORD`)
    pre-release  https://staging.zendesk.example/api/v2  apiKey (header `X-Api-Key`, key from secret `ZENDESK_STAGING_KEY`)
    live         https://acme.zendesk.example/api/v2     oauth2 (token URL `https://acme.zendesk.example/oauth/tokens`, client id `voice-agent`, client secret from secret `ZENDESK_CLIENT_SECRET`, scope from secret `ZENDESK_LIVE_SCOPE` if set, client credentials in body)

hours
  operations:
    GET  get_hours  /stores/{store_id}/hours  (store_id)
  environments:
    sandbox      http://localhost:8080  no auth
    pre-release  not configured
    live         not configured
";
    assert_eq!(stdout, expected);
}

#[test]
fn output_into_a_closed_pipe_ends_early_without_a_panic() {
    let dir = TempDir::new("closed-pipe");
    // well over a pipe's 64 KiB of buffer, so writing fails once the reader is gone
    let operations: String = (0..2_000)
        .map(|i| format!("      - {{ name: get_item_{i}, method: GET, resource: \"/items/{i}/{{id}}\" }}\n"))
        .collect();
    let yaml = format!(
        "api_integrations:\n  - name: big\n    environments: {{ sandbox: {{ base_url: \"https://big.example\" }} }}\n    operations:\n{operations}"
    );
    dir.file("big.yaml", &yaml);
    for (args, status) in [(&["show", "big.yaml"][..], 0), (&["check", "big.yaml", "big.yaml"][..], 0)] {
        let mut child =
            conv_api(&dir.0).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary runs");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary exits");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(status), "{args:?}: {stderr}");
    }
}

/// `/dev/full` refuses every write with "No space left on device", as a full disk does.
#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_said_and_fails_the_command() {
    let dir = TempDir::new("full-disk");
    dir.file("good.yaml", GOOD);
    dir.file("log.jsonl", "{\"timestamp\":\"2026-11-29T08:00:00Z\",\"level\":\"info\",\"message\":\"hello\"}\n");
    let commands = [&["check", "good.yaml"][..], &["show", "good.yaml"], &["secrets", "good.yaml"]];
    for args in
        commands.into_iter().chain([&["review", "log.jsonl"][..], &["--help"], &["--version"], &["help", "show"]])
    {
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            eprintln!("skipped: this system has no /dev/full");
            return;
        };
        let output = conv_api(&dir.0).args(args).stdout(full).output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.matches("error: cannot write the output: ").count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
    }
}

#[test]
fn errors_into_a_closed_pipe_end_early_without_a_panic() {
    let dir = TempDir::new("closed-stderr");
    // 5,000 bad lines: their errors are well over a pipe's 64 KiB
    dir.file("bad.jsonl", &"{\"not\": \"an entry\"}\n".repeat(5_000));
    let mut child = conv_api(&dir.0)
        .args(["review", "bad.jsonl"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stderr.take());
    let status = child.wait().expect("the binary exits");
    assert_eq!(status.code(), Some(1), "bad lines fail the review, quietly");
}

#[test]
fn show_a_bad_file_prints_the_diagnostics_and_fails() {
    let dir = TempDir::new("show-bad");
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["show", "bad.yaml"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
}

#[test]
fn show_and_secrets_print_the_files_warnings_and_succeed() {
    let dir = TempDir::new("show-warnings");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - { name: getContact, method: GET, resource: / }\n";
    dir.file("w.yaml", yaml);
    for command in ["show", "secrets"] {
        let (code, stdout, stderr) = run(conv_api(&dir.0).args([command, "w.yaml"]));
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(stdout.starts_with("crm"), "{command}: {stdout}");
        assert!(
            stderr.starts_with("w.yaml:5:17: warning: ") && stderr.contains("`get_contact`"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn show_a_missing_file_fails() {
    let dir = TempDir::new("show-missing");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["show", "nope.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("nope.yaml: error: cannot read the definitions file"), "{stderr}");
}

// ---- secrets ----

#[test]
fn secrets_lists_explicit_and_conventional_names() {
    let dir = TempDir::new("secrets");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "zendesk
  sandbox
    ZENDESK_SANDBOX_PASSWORD  auth.password  named in file  required
  pre-release
    ZENDESK_STAGING_KEY  auth.value  named in file  required
  live
    ZENDESK_CLIENT_SECRET  auth.client_secret  named in file  required
    ZENDESK_LIVE_SCOPE     auth.scope          conventional   optional
hours
  sandbox: no secrets
  live: not configured
";
    assert_eq!(stdout, expected);
}

#[test]
fn secrets_names_a_token_parameter_by_its_name() {
    let dir = TempDir::new("secrets-token-params");
    let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: https://booking.example
        auth_type: oauth2
        auth:
          token_url: https://id.example/token
          client_id: agent-7
          client_secret: { secret: BOOKING_SECRET }
          scope: bookings
          token_params: { audience: { secret: BOOKING_AUDIENCE } }
";
    dir.file("apis.yaml", yaml);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "live"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "booking
  live
    BOOKING_SECRET    auth.client_secret          named in file  required
    BOOKING_AUDIENCE  auth.token_params.audience  named in file  required
";
    assert_eq!(stdout, expected);
}

#[test]
fn secrets_for_one_environment_accepts_draft() {
    let dir = TempDir::new("secrets-draft");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "draft"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, "zendesk\n  sandbox\n    ZENDESK_SANDBOX_PASSWORD  auth.password  named in file  required\nhours\n  sandbox: no secrets\n");
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre-release"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("ZENDESK_STAGING_KEY") && stdout.contains("hours\n  pre-release: not configured\n"));
}

#[test]
fn secrets_for_one_environment_accepts_pre_release_with_an_underscore() {
    // `pre-release` (or `pre_release`), in any case
    let dir = TempDir::new("secrets-pre-release");
    dir.file("apis.yaml", GOOD);
    let (code, dashed, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre-release"]));
    assert_eq!(code, 0);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre_release"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(stdout, dashed);
}

#[test]
fn secrets_rejects_an_unknown_environment() {
    let dir = TempDir::new("secrets-env");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "prod"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("unknown environment `prod` (did you mean `live`?)"), "{stderr}");
    // `--env` alone is told the names, as `--help` lists them
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("[possible values: draft, sandbox, pre-release, live]"), "{stderr}");
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("[possible values: draft, sandbox, pre-release, live]"), "{stdout}");
    // the runtime's other spellings are taken too
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre_release"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("  pre-release"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn secrets_check_says_when_a_missing_secret_is_set_but_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new("secrets-not-utf8");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("ZENDESK_CLIENT_SECRET", std::ffi::OsStr::from_bytes(b"s3cr3t\xff"));
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 1);
    assert!(
        stderr.trim_end().ends_with("; set, but not to UTF-8 text, so set again as UTF-8: `ZENDESK_CLIENT_SECRET`"),
        "{stderr}"
    );
}

#[test]
fn secrets_check_fails_when_a_required_secret_is_missing() {
    let dir = TempDir::new("secrets-missing");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).env("ZENDESK_CLIENT_SECRET", "");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    // the verdict is on stderr, once: a terminal shows it once, and a pipeline that keeps only stderr sees it
    assert_eq!(
        stderr,
        "error: 1 required secret is missing: `ZENDESK_CLIENT_SECRET` (`zendesk` in `live`: `auth.client_secret`); set it as an environment variable where the agent runs, or in the dotenv file it reads; an empty or blank value counts as missing\n"
    );
    assert!(
        stdout.contains("ZENDESK_CLIENT_SECRET  auth.client_secret  named in file  required  MISSING\n"),
        "{stdout}"
    );
    assert!(stdout.contains("ZENDESK_LIVE_SCOPE     auth.scope          conventional   optional  not set\n"));
    assert!(!stdout.contains("required secret is missing"), "not twice: {stdout}");
    // set under a name one slip away, in the environment or the dotenv file
    dir.file("local.env", "zendesk_client_secret=s\n");
    // (`--env-file`, as other tools name it, is `--dotenv`)
    for (variable, dotenv, held) in [
        ("ZENDESK_CLIENT_SECRETS", None, "ZENDESK_CLIENT_SECRETS"),
        ("UNRELATED", Some(["--dotenv", "local.env"]), "zendesk_client_secret"),
        ("UNRELATED", Some(["--env-file", "local.env"]), "zendesk_client_secret"),
    ] {
        let mut command = conv_api(&dir.0);
        command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).args(dotenv.into_iter().flatten());
        let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env(variable, "s"));
        assert_eq!(code, 1);
        let similar = format!(
            "counts as missing; similar names are set, perhaps misspelt: `{held}` (for `ZENDESK_CLIENT_SECRET`)\n"
        );
        assert!(stderr.ends_with(&similar), "{stderr}");
    }
    // a secret the file names elsewhere (pre-release here) is no slip, however close
    dir.file("two.yaml", &GOOD.replace("ZENDESK_STAGING_KEY", "ZENDESK_CLIENT_SECRETS"));
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "two.yaml", "--env", "live", "--check"]);
    let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env("ZENDESK_CLIENT_SECRETS", "s"));
    assert_eq!(code, 1);
    assert!(!stderr.contains("similar names"), "{stderr}");
    // and does not hide a slip beside it (one that sorts after it)
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "two.yaml", "--env", "live", "--check"]).env("ZENDESK_CLIENT_SECRT", "s");
    let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env("ZENDESK_CLIENT_SECRETS", "s"));
    assert_eq!(code, 1);
    assert!(stderr.ends_with("`ZENDESK_CLIENT_SECRT` (for `ZENDESK_CLIENT_SECRET`)\n"), "{stderr}");
}

#[test]
fn secrets_check_fails_on_a_value_every_call_would_refuse_naming_it_never_showing_it() {
    let dir = TempDir::new("secrets-invalid");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    // a key pasted with a line break before it: set, but no header can carry it
    command.args(["secrets", "apis.yaml", "--env", "pre-release", "--check"]).env("ZENDESK_STAGING_KEY", "\nk-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("ZENDESK_STAGING_KEY  auth.value  named in file  required  INVALID\n"), "{stdout}");
    assert!(!stdout.contains("every required secret is set"), "{stdout}");
    assert_eq!(
        stderr,
        "error: `zendesk` in `pre-release`: the secret `ZENDESK_STAGING_KEY` (the auth `value`) must hold text with no control character and nothing beyond Latin-1, which an HTTP header cannot carry (it holds a control character, such as CR, LF or a tab); fix its value in the secret store\n"
    );
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    // beside a missing secret, each is said on its own line
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check"])
        .env("ZENDESK_STAGING_KEY", "k\t1")
        .env("ZENDESK_CLIENT_SECRET", "");
    let (code, _, stderr) = run(command.env("ZENDESK_SANDBOX_PASSWORD", "pw-of-sandbox"));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 2 && lines[0].starts_with("error: 1 required secret is missing: `ZENDESK_CLIENT_SECRET`"),
        "{stderr}"
    );
    assert!(lines[1].starts_with("error: `zendesk` in `pre-release`: the secret `ZENDESK_STAGING_KEY`"), "{stderr}");
}

#[test]
fn secrets_check_warns_of_a_credential_in_quotes_or_ending_in_a_space_and_passes() {
    let dir = TempDir::new("secrets-doubted");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    // quotes Docker's `--env-file` keeps; a key pasted with a space after it
    command
        .args(["secrets", "apis.yaml", "--env", "pre-release", "--check"])
        .env("ZENDESK_STAGING_KEY", "\"k-s3cr3t\"");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ZENDESK_STAGING_KEY  auth.value  named in file  required  set\n"), "{stdout}");
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
    assert_eq!(
        stderr,
        "warning: `zendesk` in `pre-release`: secret `ZENDESK_STAGING_KEY` (`auth.value`): its value is in double quotes (\"…\"), which calls send as part of it; remove them unless the credential holds them (a shell or a `.env` file removes them, Docker's `--env-file` keeps them)\n"
    );
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "s3cr3t ");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("warning: `zendesk` in `sandbox`: secret `ZENDESK_SANDBOX_PASSWORD` (`auth.password`): its value ends with a space, which calls send"), "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
    // a token URL's blanks are trimmed as it is read: no credential, no doubt
    let with_url_secret = GOOD
        .replace("token_url: https://acme.zendesk.example/oauth/tokens", "token_url: { secret: ZENDESK_TOKEN_URL }");
    dir.file("apis.yaml", &with_url_secret);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("ZENDESK_TOKEN_URL", " https://acme.zendesk.example/oauth/tokens ").env("ZENDESK_CLIENT_SECRET", "cs ");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ZENDESK_TOKEN_URL  "), "{stdout}");
    assert_eq!(
        stderr,
        "warning: `zendesk` in `live`: secret `ZENDESK_CLIENT_SECRET` (`auth.client_secret`): its value ends with a space, which calls send as part of it; remove it unless the credential holds it\n"
    );
}

/// A credential logs mask, shorter than 8 characters, is masked inside words too:
/// a warning says so, and the check passes.
#[test]
fn secrets_check_warns_of_a_masked_credential_too_short_to_be_real() {
    let dir = TempDir::new("secrets-short");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "test");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "warning: `zendesk` in `sandbox`: secret `ZENDESK_SANDBOX_PASSWORD` (`auth.password`): its value has 4 characters: logs and errors mask a credential wherever it shows, inside words too (a password `test` turns `latest` into `la***`), so one this short garbles them and its gaps tell it; a real credential is longer\n"
    );
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "t3st-pa55");
    let (code, _, stderr) = run(&mut command);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn secrets_check_shows_every_refused_value_at_once_not_one_per_fix() {
    let dir = TempDir::new("secrets-every-invalid");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, auth_type: apiKey, auth: { name: { secret: SHOP_KEY_HEADER } } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    let (code, stdout, stderr) = run(command.env("SHOP_KEY_HEADER", "X Shop Key").env("SHOP_LIVE_API_KEY", "k\n1"));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_KEY_HEADER    auth.name   named in file  required  INVALID\n"), "{stdout}");
    assert!(stdout.contains("SHOP_LIVE_API_KEY  auth.value  conventional   required  INVALID\n"), "{stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 2
            && lines[0].starts_with("error: `shop` in `live`: the secret `SHOP_KEY_HEADER` (the auth `name`)")
            && lines[1].starts_with("error: `shop` in `live`: the secret `SHOP_LIVE_API_KEY` (the auth `value`)"),
        "{stderr}"
    );
}

#[test]
fn secrets_check_fails_on_a_tls_secret_every_call_would_refuse() {
    let dir = TempDir::new("secrets-tls");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, tls: { ca: { secret: SHOP_CA } } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).env("SHOP_CA", "see the wiki for the CA");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_CA  tls.ca  named in file  required  INVALID\n"), "{stdout}");
    assert!(stderr.starts_with("error: `shop` in `live`: secret `SHOP_CA` (`tls.ca`) is not PEM text"), "{stderr}");
    assert!(!stderr.contains("wiki"), "{stderr}");
}

#[test]
fn secrets_check_shows_a_client_key_that_is_not_the_certificates_invalid() {
    let dir = TempDir::new("secrets-mtls");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, tls: { client_cert: { secret: SHOP_CERT }, client_key: { secret: SHOP_KEY } } } }\n";
    dir.file("apis.yaml", yaml);
    let certified = rcgen::generate_simple_self_signed(vec!["agent.example".to_string()]).unwrap();
    let other_key = rcgen::KeyPair::generate().unwrap();
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", other_key.serialize_pem());
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_CERT  tls.client_cert  named in file  required  INVALID\n"), "{stdout}");
    assert!(stdout.contains("SHOP_KEY   tls.client_key   named in file  required  INVALID\n"), "{stdout}");
    assert!(stderr.contains("holds the private key of the certificate in secret `SHOP_CERT`"), "{stderr}");
    // a CA missing beside them, or one rustls refuses (its PEM block holds no
    // certificate), hides no mismatch: one run tells both
    let with_ca = yaml.replace("tls: {", "tls: { ca: { secret: SHOP_CA },");
    dir.file("apis.yaml", &with_ca);
    let not_a_certificate = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    for (ca, state) in [(None, "MISSING"), (Some(not_a_certificate), "INVALID")] {
        let mut command = conv_api(&dir.0);
        command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
        match ca {
            Some(ca) => command.env("SHOP_CA", ca),
            None => command.env_remove("SHOP_CA"),
        };
        let (code, stdout, stderr) =
            run(command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", other_key.serialize_pem()));
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.contains(&format!("SHOP_CA    tls.ca           named in file  required  {state}\n")),
            "{stdout}"
        );
        assert!(stdout.contains("SHOP_KEY   tls.client_key   named in file  required  INVALID\n"), "{stdout}");
        assert!(stderr.contains("holds the private key of the certificate in secret `SHOP_CERT`"), "{stderr}");
    }
    dir.file("apis.yaml", yaml);
    // with its own key, it passes
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    let (code, stdout, _) =
        run(command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", certified.key_pair.serialize_pem()));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn secrets_check_fails_on_a_token_url_from_the_store_that_is_no_url_never_showing_it() {
    let dir = TempDir::new("secrets-token-url");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: https://crm.example, auth_type: oauth2, auth: { client_id: agent } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("CRM_LIVE_TOKEN_URL", "tokens-s3cr3t-host/t").env("CRM_LIVE_CLIENT_SECRET", "cs");
    let (code, stdout, stderr) = run(command.env_remove("CRM_LIVE_SCOPE"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("CRM_LIVE_TOKEN_URL      auth.token_url      conventional  required  INVALID\n"),
        "{stdout}"
    );
    assert!(stderr.contains("(from secret `CRM_LIVE_TOKEN_URL`) is set to text, not an absolute URL"), "{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"), "{stdout}{stderr}");
}

#[test]
fn secrets_check_reads_a_dotenv_file_after_the_environment() {
    let dir = TempDir::new("secrets-dotenv");
    dir.file("apis.yaml", GOOD);
    dir.file(".env", "ZENDESK_STAGING_KEY=from-file-s3cr3t\nZENDESK_CLIENT_SECRET=from-file-s3cr3t\n");
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check", "--dotenv", ".env"])
        .env("ZENDESK_SANDBOX_PASSWORD", "from-env-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--check", "--dotenv", "no.env"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("no.env"), "{stderr}");
    // every bad line of the file, as diagnostics
    dir.file("bad.env", "A=1\nbad line\n=s3cr3t\n");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--check", "--dotenv", "bad.env"]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("bad.env:2: error: expected `KEY=value`"), "{stderr}");
    assert!(lines[1].starts_with("bad.env:3: error: ") && !stderr.contains("s3cr3t"), "{stderr}");
    // with a bad definitions file too, both files' errors at once
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "bad.yaml", "--check", "--dotenv", "bad.env"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("bad.env:2: error: ") && stderr.contains("\nbad.yaml:1:1: error: "), "{stderr}");
    // `-` reads the dotenv text from standard input, once
    let mut child = conv_api(&dir.0)
        .args(["secrets", "apis.yaml", "--check", "--dotenv", "-"])
        .env("ZENDESK_SANDBOX_PASSWORD", "from-env-s3cr3t")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let text = "ZENDESK_STAGING_KEY=from-stdin\nZENDESK_CLIENT_SECRET=from-stdin\n";
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "-", "--check", "--dotenv", "-"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("can be read only once"), "{stderr}");
}

#[test]
fn secrets_check_passes_when_every_required_secret_is_set_and_never_prints_values() {
    let dir = TempDir::new("secrets-set");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check"])
        .env("ZENDESK_SANDBOX_PASSWORD", "value-one-s3cr3t")
        .env("ZENDESK_STAGING_KEY", "value-two-s3cr3t")
        .env("ZENDESK_CLIENT_SECRET", "value-three-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert_eq!(stdout.matches("  set\n").count(), 3, "{stdout}");
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
}

#[test]
fn secrets_of_a_bad_file_fails_with_diagnostics() {
    let dir = TempDir::new("secrets-bad");
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "bad.yaml", "--check"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.lines().all(|line| line.starts_with("bad.yaml:")), "{stderr}");
}
