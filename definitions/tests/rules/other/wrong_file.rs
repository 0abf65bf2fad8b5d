//! A file that is not a definitions file, or no file: a test case, a
//! conversation log, an empty path, a directory, a relative path not found.

use super::*;

/// A test case given for the definitions is one error that says which file is which,
/// not one for each of its keys and another for the missing `api_integrations`.
#[test]
fn a_test_case_given_as_definitions_says_it_is_a_test_case() {
    let yaml = "name: Books a table\nscenario: Book for two.\napi_mocks:\n  reservations: {}\n";
    let lines: Vec<String> = parse_str("case.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(
        lines,
        ["case.yaml:3:1: error: this is a test case file (its `api_mocks:` holds mocks), not a definitions file, which holds `api_integrations:`; a test case is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`"]
    );
    // beside `api_integrations`, `api_mocks` is an unknown key like any other
    let yaml = "api_integrations: []\napi_mocks: {}\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert!(lines.len() == 1 && lines[0].contains("unknown key `api_mocks`"), "{lines:?}");
}

/// A conversation's log given for the definitions is one error that says what it is,
/// not one for each key of its first entry (or the YAML error of its second line),
/// also past the size a definitions file may have.
#[test]
fn a_conversation_log_given_as_definitions_says_it_is_a_log() {
    let entry = r#"{"timestamp":"2026-11-30T12:00:00.000Z","level":"info","message":"m","pii":false}"#;
    let expected = ["conv.jsonl:1:1: error: this is a conversation log (one JSON entry a line, as `Log::to_jsonl` writes it), not a definitions file; show it with `conv-api review LOG`"];
    for log in [format!("{entry}\n"), format!("{entry}\n{entry}\n")] {
        let lines: Vec<String> = parse_str("conv.jsonl", &log).unwrap_err().lines().collect();
        assert_eq!(lines, expected);
    }
    let large = format!("{entry}\n").repeat(conv_api_definitions::MAX_FILE_BYTES / entry.len() + 1);
    let lines: Vec<String> = parse_bytes("conv.jsonl", large.as_bytes()).unwrap_err().lines().collect();
    assert_eq!(lines, expected);
}

#[test]
fn an_empty_path_is_told_as_one() {
    let error = conv_api_definitions::load("").unwrap_err().to_string();
    assert_eq!(error, "\"\": error: cannot read the definitions file: the path is empty; name the file");
}

/// What `main() -> Result<(), Box<dyn Error>>` prints of a file with errors: its
/// diagnostics one line each, as `check` prints them, not a struct on one line.
#[test]
fn a_load_errors_debug_is_its_message() {
    let errors = parse_str("apis.yaml", "api_integrations:\n  - name: Bad\n  - name: worse-too\n").unwrap_err();
    let error = conv_api_definitions::LoadError::Invalid(errors);
    assert_eq!(format!("{error:?}"), error.to_string());
    assert!(format!("{error:?}").lines().count() >= 2 && format!("{error:?}").starts_with("apis.yaml:2:"), "{error:?}");
}

/// A service (systemd, a container) may run elsewhere than its files: a relative
/// path not found names the working directory it was read from; an absolute one
/// needs none.
#[test]
fn a_relative_path_not_found_names_the_working_directory() {
    let error = conv_api_definitions::load("config/no-such-apis.yaml").unwrap_err().to_string();
    let directory = std::env::current_dir().unwrap();
    let says = format!("; the path is relative to the working directory, `{}`", directory.display());
    assert!(error.starts_with("config/no-such-apis.yaml: error: cannot read the definitions file: "), "{error}");
    assert!(error.ends_with(&says), "{error}");
    let absolute = conv_api_definitions::load(directory.join("no-such-apis.yaml")).unwrap_err().to_string();
    assert!(!absolute.contains("working directory"), "{absolute}");
}

#[test]
fn a_directory_given_for_the_file_names_the_yaml_files_in_it() {
    let dir = std::env::temp_dir().join(format!("conv-api-directory-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("config")).unwrap();
    let error = |path: &std::path::Path| conv_api_definitions::load(path).unwrap_err().to_string();
    let shown = dir.display();
    assert_eq!(
        error(&dir),
        format!("{shown}: error: cannot read the definitions file: it is a directory, with no YAML file in it; give the file's path")
    );
    // an ADK project's root: its definitions first, then the directory's own YAML files
    std::fs::write(dir.join("config").join("api_integrations.yaml"), "api_integrations: []\n").unwrap();
    std::fs::write(dir.join("b.yml"), "").unwrap();
    std::fs::write(dir.join("a.yaml"), "").unwrap();
    std::fs::write(dir.join("notes.txt"), "").unwrap();
    let such_as =
        ["config/api_integrations.yaml", "a.yaml", "b.yml"].map(|file| format!("`{}`", dir.join(file).display()));
    assert_eq!(
        error(&dir),
        format!(
            "{shown}: error: cannot read the definitions file: it is a directory; give a file's path, such as {}",
            such_as.join(" or ")
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
