//! The test case file as a whole: the ADK example, the `api_mocks` key and its
//! slips, the test case's other keys, encodings, byte order marks and tags in keys.

use super::*;

#[test]
fn adk_example_loads_unchanged() {
    let found = mocks::parse_str("case.yaml", ADK_TEST_CASE, &definitions()).expect("ADK example is valid");
    let api = &found.apis[0];
    assert_eq!(api.api, "reservations");
    let availability = &api.operations[0];
    assert_eq!(availability.operation, "check_availability");
    assert_eq!(availability.rules.len(), 2);
    assert_eq!(availability.rules[0].repeat, Repeat::Times(2));
    let MockOutcome::Respond(ok) = &availability.rules[1].outcome else { panic!("expected a response") };
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, Some(MockBody::Json(json!({"available": true, "table_id": 7}))));
    assert_eq!(ok.headers, [("content-type".to_string(), "application/json".to_string())]);
    assert_eq!(api.operations[1].rules[0].repeat, Repeat::Forever);
    assert_eq!(found.strict, None);
}

#[test]
fn a_byte_order_mark_is_in_no_column_of_a_mocks_file() {
    for text in ["api_mocks: [", "api_mocks:\n  x: \u{7}"] {
        let with_mark = errors(&format!("\u{feff}{text}"));
        assert_eq!(with_mark, errors(text), "{text:?}");
    }
    // a second one, which a YAML reader takes for text, is refused
    let twice = errors("\u{feff}\u{feff}api_mocks: {}");
    assert!(twice.len() == 1 && twice[0].contains("two byte order marks"), "{twice:?}");
}

#[test]
fn a_test_case_without_api_mocks_mocks_nothing_unless_a_key_looks_like_a_typo() {
    for case in ["name: a test\nscenario: no API is called\n", "name: a test\napi_mocks:\n"] {
        let found = mocks::parse_str("case.yaml", case, &definitions()).expect("a test case may carry no mocks");
        assert!(found.apis.is_empty(), "{case}");
    }
    for slip in ["api_mock", "apiMocks", "API-MOCKS", "api_mokcs", "api_mocsk", "apimocks"] {
        let found = errors(&format!("name: a test\n{slip}:\n  reservations: {{}}\n"));
        assert_eq!(found.len(), 1, "{slip}: {found:?}");
        assert!(found[0].contains(&format!("no `api_mocks` key (is `{slip}` a typo?)")), "{}", found[0]);
        assert!(found[0].starts_with("case.yaml:2:1: error:"), "at the key: {}", found[0]);
    }
    // a character that shows as nothing, pasted into the key, shown escaped
    for invisible in ['\u{200b}', '\u{2060}', '\u{200e}', '\u{feff}'] {
        let found = errors(&format!("name: a test\napi_{invisible}mocks:\n  reservations: {{}}\n"));
        let shown = format!("(is `api_{}mocks` a typo?)", invisible.escape_default());
        assert!(found.len() == 1 && found[0].contains(&shown), "{found:?}");
    }
}

/// A key with a letter too many (`api_mockss`, `apis_mocks`) is a slip of `api_mocks`
/// as one with a letter too few or two swapped is: refused, not ignored.
#[test]
fn a_key_with_a_letter_too_many_is_a_slip_of_api_mocks() {
    for slip in ["api_mockss", "apis_mocks"] {
        let found = errors(&format!("name: a test\n{slip}:\n  reservations: {{}}\n"));
        assert!(found.len() == 1 && found[0].contains(&format!("(is `{slip}` a typo?)")), "{slip}: {found:?}");
    }
}

/// The two files given the other way round: definitions as a test case mock nothing,
/// which a warning says; a test case as definitions is one error (in `rules`).
#[test]
fn a_definitions_file_given_as_a_test_case_is_warned_that_it_mocks_nothing() {
    let found = mocks::parse_str("apis.yaml", DEFINITIONS, &definitions()).expect("a test case may carry no mocks");
    assert!(found.apis.is_empty());
    let warnings: Vec<String> = found.warnings.iter().map(|warning| warning.render("apis.yaml")).collect();
    assert_eq!(
        warnings,
        ["apis.yaml:1:1: warning: this is a definitions file (its `api_integrations:` holds APIs), not a test case, so nothing is mocked; a test case holds `api_mocks:`, and is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`"]
    );
}

#[test]
fn a_test_case_key_further_from_api_mocks_than_a_slip_is_its_own_and_ignored() {
    for key in ["api_notes", "api_docs", "api_tools", "api_tasks", "api_hooks", "api_mocks_v2", "mocks"] {
        let case = format!("name: Greets the caller\nscenario: Say hello.\n{key}: anything\n");
        let found = mocks::parse_str("case.yaml", &case, &definitions());
        assert!(found.is_ok_and(|found| found.apis.is_empty()), "{key}");
    }
}

#[test]
fn a_mocks_file_is_read_as_a_definitions_file_is_utf16_and_size_told() {
    let dir = std::env::temp_dir().join(format!("conv-api-mocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let utf16 = dir.join("utf16.yaml");
    let bytes: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("api_mocks: {}\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(&utf16, bytes).unwrap();
    let large = dir.join("large.yaml");
    std::fs::write(&large, "#".repeat(conv_api_definitions::MAX_FILE_BYTES + 1)).unwrap();
    let error = |path: &std::path::Path| mocks::load(path, &definitions()).unwrap_err().to_string();
    assert!(error(&utf16).ends_with(":1:1: error: the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8"), "{}", error(&utf16));
    assert!(
        error(&large).ends_with(
            ":1:1: error: the file is larger than the 16 MiB a mocks file may have; split it into smaller files"
        ),
        "{}",
        error(&large)
    );
    let absent = mocks::load(dir.join("absent.yaml"), &definitions()).unwrap_err();
    assert!(absent.to_string().contains("absent.yaml: error: cannot read the mocks file: "), "{absent}");
    assert!(std::error::Error::source(&absent).is_none(), "the reason is in the message: a chain would say it twice");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.join(std::ffi::OsStr::from_bytes(b"m\xff.yaml"));
        std::fs::write(&odd, "api_mocks: [\n").unwrap();
        assert!(error(&odd).contains("/m\\xff.yaml:"), "escaped, as a definitions file's name: {}", error(&odd));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_test_cases_other_keys_are_ignored_even_repeated_but_api_mocks_twice_is_an_error() {
    let repeated = format!("{ADK_TEST_CASE}prompt_assertions:\n  - The agent says goodbye\nname: again\n");
    let found =
        mocks::parse_str("case.yaml", &repeated, &definitions()).expect("the others are not read, even repeated");
    assert_eq!(found.apis[0].operations.len(), 2);
    let twice = format!("{ADK_TEST_CASE}api_mocks:\n  reservations: {{}}\n");
    let found = errors(&twice);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("duplicate key `api_mocks`"), "{}", found[0]);
}

#[test]
fn a_yaml_tag_pyyaml_reads_in_a_key_not_read_is_ignored_with_the_key() {
    let case = format!("created: !!timestamp 2024-01-31\nblob: !!binary aGVsbG8=\n{ADK_TEST_CASE}");
    let found = mocks::parse_str("case.yaml", &case, &definitions()).expect("the other keys are not read");
    assert_eq!(found.apis[0].operations.len(), 2);
    // in a key that is read, the tag is still an error
    let tagged = "api_mocks:\n  reservations:\n    book:\n      - respond: { status: 200, body: !!binary aGVsbG8= }\n";
    let found = errors(tagged);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("4:39: error: `api_mocks.reservations.book[0].respond.body`: the YAML tag `!!binary`"),
        "{found:?}"
    );
}

/// A YAML tag in a key this loader does not read is ignored wherever the key is
/// written: after `api_mocks:` as before it.
#[test]
fn a_yaml_tag_in_a_key_not_read_after_api_mocks_is_ignored_too() {
    let case = format!("{ADK_TEST_CASE}created: !!timestamp 2024-01-31\n");
    let found = mocks::parse_str("case.yaml", &case, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(found.apis[0].operations.len(), 2);
}

#[test]
fn a_byte_order_mark_takes_no_column_as_in_a_definitions_file() {
    for first_line in ["api_mock: {}\n", "api_mocks: { reservation: 3 }\n"] {
        let plain = errors(first_line);
        assert!(!plain.is_empty() && plain.iter().all(|error| error.contains("case.yaml:1:")), "{plain:?}");
        assert_eq!(errors(&format!("\u{feff}{first_line}")), plain);
    }
}

/// A mocks file of one value or a list is told what such a file holds.
#[test]
fn a_mocks_file_that_is_no_mapping_says_to_start_with_api_mocks() {
    for (yaml, found) in [("hello\n", "text"), ("- reservations\n", "a list")] {
        assert_eq!(
            errors(yaml),
            [format!("case.yaml:1:1: error: the file must be a mapping (`key: value` lines), found {found}; a test case or mocks file holds a top-level `api_mocks:` mapping of API names, like `api_mocks: {{ my_api: {{ my_operation: [...] }} }}`")]
        );
    }
}
