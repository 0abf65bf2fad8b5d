//! One bad fixture per rule of DEFINITIONS.md, with its exact diagnostics, and
//! good fixtures (the spec's example, every auth type, the ADK shape) with their
//! model: a module per part of the spec, sharing the helpers below.

use std::path::PathBuf;
use std::time::Duration;

use conv_api_definitions::{
    parse_bytes, parse_str, Auth, Checked, Configured, CredentialsLocation, Diagnostic, Environment, KeyLocation,
    MacroWarning, Method, SecretRef, SecretSource, Setting,
};

mod advice;
mod auth;
mod environments;
mod good;
mod names;
mod other;
mod placement;
mod recovery;
mod resilience;
mod resources;
mod yaml;

fn fixture(kind: &str, name: &str) -> (String, Vec<u8>) {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", kind, name].iter().collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    (name.to_string(), bytes)
}

/// The errors of a bad fixture, in file order.
fn errors(name: &str) -> Vec<Diagnostic> {
    let (file, bytes) = fixture("bad", name);
    match parse_bytes(&file, &bytes) {
        Ok(_) => panic!("{name} was accepted, but it breaks a rule"),
        Err(diagnostics) => diagnostics.errors().cloned().collect(),
    }
}

/// A good fixture, checked.
fn good(name: &str) -> Checked {
    let (file, bytes) = fixture("good", name);
    parse_bytes(&file, &bytes).unwrap_or_else(|d| panic!("{name} was rejected:\n{d}"))
}

/// The errors of `yaml` (which must have some), each rendered as a line of `apis.yaml`.
fn error_lines(yaml: &str) -> Vec<String> {
    let errors = parse_str("apis.yaml", yaml).expect_err("the definitions have errors");
    errors.errors().map(|d| d.render("apis.yaml")).collect()
}

/// The warnings of `yaml` (which must have no error), each rendered as a line of `apis.yaml`.
fn warning_lines(yaml: &str) -> Vec<String> {
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("the definitions have errors:\n{d}"));
    checked.warnings.lines().collect()
}

/// Whether one of `lines` holds every one of `words`.
fn has_line(lines: &[String], words: &[&str]) -> bool {
    lines.iter().any(|line| words.iter().all(|word| line.contains(word)))
}

/// Asserts the fixture's errors are exactly `expected`: line, column and words of each message.
fn expect(name: &str, expected: &[(u32, u32, &[&str])]) {
    let found = errors(name);
    let shown: Vec<String> = found.iter().map(|d| d.render(name)).collect();
    assert_eq!(found.len(), expected.len(), "{name}: expected {} errors, found:\n{}", expected.len(), shown.join("\n"));
    for (diagnostic, (line, column, words)) in found.iter().zip(expected) {
        let rendered = diagnostic.render(name);
        assert_eq!((diagnostic.span.line, diagnostic.span.column), (*line, *column), "{rendered}");
        for word in *words {
            assert!(diagnostic.message.contains(word), "`{word}` is not in: {rendered}");
        }
    }
}
