//! What every command reads and writes: missing, empty and non-UTF-8 paths, a
//! conversation log given by mistake, standard input, size limits, closed pipes
//! and a full disk.

use super::*;

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
        let output = run_with_input(conv_api(&dir.0).args(args), GOOD.as_bytes());
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(output.status.success() && stdout.contains(expected), "{args:?}: {stdout}");
    }
    let (code, _, stderr) = run(conv_api(&dir.0).args(["check", "-", "-"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("standard input (`-`) can be read only once"), "{stderr}");
    let output = run_with_input(conv_api(&dir.0).args(["check", "-"]), b"api_integrations:\n  - name: Bad\n");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stderr).unwrap().contains("\n<stdin>:2:11: error: `api_integrations[0].name`"));
}

#[test]
fn endless_input_is_refused_after_the_size_limit_without_reading_it_all() {
    let dir = TempDir::new("endless");
    let mut child = conv_api(&dir.0)
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
fn check_needs_a_file() {
    let dir = TempDir::new("check-none");
    let (code, _, stderr) = run(conv_api(&dir.0).arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("FILE"), "{stderr}");
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
