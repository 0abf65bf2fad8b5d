//! `conv-api check`: a summary of a good file, every diagnostic of a bad one,
//! several files, test cases' mocks, warnings, and what the exit codes mean.

use super::*;

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
