//! `conv-api check FILE... [--mocks TEST_CASE...]`: every diagnostic, and one summary
//! line per file.

use std::path::{Path, PathBuf};

use conv_api_definitions::mocks::{ApiMocks, Mocks};
use conv_api_definitions::names::list_choices;
use conv_api_definitions::{one_line, Checked, Definitions, Environment, LoadError};

use crate::input;
use crate::output::counted;

/// What checking one file prints, and whether it failed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Lines for standard output (the file's summary, printed after its diagnostics:
    /// the last line a CI log shows of a file whose one error is among many warnings).
    pub stdout: Vec<String>,
    /// Lines for standard error (diagnostics, or why the file cannot be read).
    pub stderr: Vec<String>,
    /// Whether the file has an error (warnings alone do not fail).
    pub failed: bool,
}

/// Checks the file at `path` (standard input for `-`).
pub fn check_file(path: &Path) -> Report {
    let (name, checked) = input::load_definitions(path);
    report(&name, checked)
}

/// Checks the definitions file at `path`, then the `api_mocks` of each ADK test case
/// (or mocks file) at `test_cases` against it: one report per file.
pub fn check_with_mocks(path: &Path, test_cases: &[PathBuf]) -> Vec<Report> {
    let (name, checked) = input::load_definitions(path);
    match checked {
        Ok(checked) => std::iter::once(good(&name, &checked))
            .chain(test_cases.iter().map(|test_case| {
                let (test_case, mocks) = input::load_mocks(test_case, &checked.definitions);
                mocks_report(&test_case, mocks)
            }))
            .collect(),
        Err(error) => {
            let why = match &error {
                LoadError::Io { .. } => "cannot be read",
                _ => "has errors",
            };
            let not_checked = format!(
                "error: the test cases' `api_mocks` are not checked, as the definitions file {} {why}; fix it first",
                one_line(&name)
            );
            // each test case's summary says so too: the last lines a CI log shows
            let summary = |test_case: &PathBuf| {
                let name = one_line(&input::shown_name(test_case)).into_owned();
                format!("{name}: not checked, as the definitions file {why} (above)")
            };
            let test_cases = test_cases.iter().map(|test_case| Report {
                stdout: vec![summary(test_case)],
                stderr: Vec::new(),
                failed: true,
            });
            let not_checked = Report { stdout: Vec::new(), stderr: vec![not_checked], failed: true };
            [report(&name, Err(error)), not_checked].into_iter().chain(test_cases).collect()
        }
    }
}

/// The report for a test case named `file`, from the result of checking its `api_mocks`.
fn mocks_report(file: &str, result: Result<Mocks, LoadError>) -> Report {
    match result {
        Ok(mocks) => {
            let warnings = mocks.warnings.iter().map(|warning| warning.render(file)).collect();
            passed(mocks_summary(file, &mocks), warnings)
        }
        Err(error) => failed(file, error),
    }
}

/// `booking.yaml: ok, api_mocks for 2 operations of 1 API`, `..: ok, no api_mocks`, or,
/// where APIs are written with no rules, `..: ok, no mock rules`; with the operations
/// written with no rules, whose calls go to the API (or, under `strict: true`, are
/// errors).
fn mocks_summary(file: &str, mocks: &Mocks) -> String {
    let operations: usize = mocks.apis.iter().map(mocked_operations).sum();
    let apis = mocks.apis.iter().filter(|api| mocked_operations(api) > 0).count();
    let summary = match operations {
        0 if !mocks.apis.is_empty() => format!("{}: ok, no mock rules", one_line(file)),
        0 => format!("{}: ok, no api_mocks", one_line(file)),
        _ => format!(
            "{}: ok, api_mocks for {} of {}",
            one_line(file),
            counted(operations, "operation", "operations"),
            counted(apis, "API", "APIs")
        ),
    };
    let unmocked: Vec<String> = (mocks.apis.iter())
        .flat_map(|api| {
            let without_rules = api.operations.iter().filter(|operation| operation.rules.is_empty());
            without_rules.map(|operation| one_line(&format!("{}.{}", api.api, operation.operation)).into_owned())
        })
        .collect();
    let listed = list_choices(unmocked.iter().map(String::as_str));
    let (is, its) = if unmocked.len() == 1 { ("is", "its") } else { ("are", "their") };
    let outcome = match mocks.strict {
        Some(true) => format!("{its} calls are errors (`strict: true`)"),
        _ => format!("{its} calls go to the API"),
    };
    match unmocked.len() {
        0 => summary,
        _ => format!("{summary}; {listed} {is} written with no rules, so {outcome}"),
    }
}

/// How many operations of `api` have a rule: one written with none mocks nothing.
fn mocked_operations(api: &ApiMocks) -> usize {
    api.operations.iter().filter(|operation| !operation.rules.is_empty()).count()
}

/// The report for a file named `file`, from the result of loading it.
pub fn report(file: &str, result: Result<Checked, LoadError>) -> Report {
    match result {
        Ok(checked) => good(file, &checked),
        Err(error) => failed(file, error),
    }
}

/// The report for a good definitions file: its summary, with how many warnings it
/// has, and its warnings.
fn good(file: &str, checked: &Checked) -> Report {
    passed(summary(file, &checked.definitions), checked.warnings.lines().collect())
}

/// The report for a file that passed: its `summary`, with how many `warnings` it has
/// (rendered lines), and the warnings.
fn passed(summary: String, warnings: Vec<String>) -> Report {
    let summary = match warnings.len() {
        0 => summary,
        count => format!("{summary}; {} (above)", counted(count, "warning", "warnings")),
    };
    Report { stdout: vec![summary], stderr: warnings, failed: false }
}

/// The report for a file named `file` that cannot be read, or has errors: every
/// diagnostic, and how many errors and warnings they are.
fn failed(file: &str, error: LoadError) -> Report {
    let (stderr, why) = match error {
        LoadError::Invalid(diagnostics) => {
            let errors = diagnostics.errors().count();
            let warnings = diagnostics.items.len() - errors;
            let mut counts = counted(errors, "error", "errors");
            if warnings > 0 {
                counts = format!("{counts} and {}", counted(warnings, "warning", "warnings"));
            }
            (diagnostics.lines().collect(), counts)
        }
        error => (vec![error.to_string()], "not read".to_string()),
    };
    Report { stdout: vec![format!("{}: failed, {why} (above)", one_line(file))], stderr, failed: true }
}

/// `apis.yaml: ok, 3 APIs, 12 operations, environments wired: sandbox 3, pre-release 2, live 3`.
pub fn summary(file: &str, definitions: &Definitions) -> String {
    let wired: Vec<String> = Environment::ALL
        .iter()
        .map(|&environment| format!("{environment} {}", wired_count(definitions, environment)))
        .collect();
    format!(
        "{}: ok, {}, {}, environments wired: {}",
        one_line(file),
        counted(definitions.apis.len(), "API", "APIs"),
        counted(definitions.operation_count(), "operation", "operations"),
        wired.join(", ")
    )
}

/// How many APIs have a base URL in `environment`.
fn wired_count(definitions: &Definitions, environment: Environment) -> usize {
    definitions.apis.iter().filter(|api| api.is_wired_in(environment)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use conv_api_definitions::parse_str;

    const TWO_APIS: &str = "api_integrations:
  - name: a
    environments:
      sandbox: { base_url: \"https://a.example\" }
      live: { base_url: \"\" }
    operations:
      - { name: get, method: GET, resource: / }
  - name: b
    environments:
      live: { base_url: \"https://b.example\" }
";

    #[test]
    fn summarises_a_good_file() {
        let checked = parse_str("apis.yaml", TWO_APIS).unwrap();
        assert_eq!(
            summary("apis.yaml", &checked.definitions),
            "apis.yaml: ok, 2 APIs, 1 operation, environments wired: sandbox 1, pre-release 0, live 1"
        );
    }

    #[test]
    fn reports_every_diagnostic_of_a_bad_file() {
        let result = parse_str("bad.yaml", "api_integrations:\n  - name: A\n    environments: { prod: {} }\n");
        let report = report("bad.yaml", result.map_err(LoadError::Invalid));
        assert!(report.failed);
        assert_eq!(report.stdout, ["bad.yaml: failed, 2 errors (above)"]);
        assert_eq!(report.stderr.len(), 2, "{:?}", report.stderr);
        assert!(report.stderr.iter().all(|line| line.starts_with("bad.yaml:") && line.contains(": error: ")));
    }

    #[test]
    fn a_failed_file_counts_its_errors_and_warnings_so_that_one_error_among_warnings_is_not_missed() {
        let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations:\n      - { name: getIt, method: GET, resource: / }\n      - { name: getThat, metod: GET, resource: / }\n";
        let report = report("w.yaml", parse_str("w.yaml", yaml).map_err(LoadError::Invalid));
        assert!(report.failed);
        assert_eq!(report.stdout, ["w.yaml: failed, 1 error and 2 warnings (above)"]);
        assert_eq!(report.stderr.len(), 3, "{:?}", report.stderr);
    }

    #[test]
    fn warnings_do_not_fail() {
        let yaml = "api_integrations:\n  - name: a\n    environments: { live: {} }\n    operations: [{ name: getIt, method: GET, resource: / }]\n";
        let report = report("w.yaml", parse_str("w.yaml", yaml).map_err(LoadError::Invalid));
        assert!(!report.failed);
        assert_eq!(report.stdout.len(), 1);
        assert!(report.stderr[0].starts_with("w.yaml:4:26: warning: "), "{:?}", report.stderr);
    }
}
