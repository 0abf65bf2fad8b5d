//! Mocks: canned responses for operations, in PolyAI ADK's `api_mocks` format and beyond.
//!
//! An ADK test case (or a mocks file) holds `api_mocks`: API name, then operation
//! name, then an ordered list of rules. Each rule answers `repeat` times (once by
//! default, `-1` forever on the last rule). Beyond the ADK, a rule may match only
//! some calls (`when`), wait (`delay`) or fail (`fail: timeout | connection`).
//! Mocks are checked against the definitions with the same diagnostics.
//!
//! ```
//! use conv_api_definitions::{mocks, parse_str};
//! let apis = parse_str("apis.yaml", "api_integrations:
//!   - name: reservations
//!     environments: { sandbox: { base_url: \"https://r.example\" } }
//!     operations: [{ name: book, method: POST, resource: /bookings }]
//! ").unwrap();
//! let found = mocks::parse_str("test.yaml", "api_mocks:
//!   reservations:
//!     book:
//!       - respond: { status: 201, body: { confirmation: R-1042 } }
//!         repeat: -1
//! ", &apis.definitions).unwrap();
//! assert_eq!(found.apis[0].operations[0].rules[0].repeat, mocks::Repeat::Forever);
//! ```

mod json;
mod lookup;
mod rule;

use std::time::Duration;

use serde_json::Value;

use crate::diagnostics::{is_layout_or_invisible, Collector, Diagnostic, Diagnostics};
use crate::headers::{is_header_name, value_holds_control};
use crate::model::{Api, Definitions, Operation, Span};
use crate::names::{did_you_mean, did_you_mean_hint, list_choices};
use crate::read::{boolean, Fields};
use crate::template::TemplateError;
use crate::yaml::{self, yaml11, Node, NodeKind, ScalarValue};
use lookup::Lookup;
use rule::read_rules;

pub(crate) const RULE_KEYS: &[&str] = &["respond", "repeat", "when", "delay", "fail"];
pub(crate) const RESPOND_KEYS: &[&str] = &["status", "body", "headers"];
pub(crate) const WHEN_KEYS: &[&str] = &["path", "query", "headers", "body"];
const FAILURES: &[&str] = &["timeout", "connection"];

/// Every mock of a file, checked against the definitions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mocks {
    /// The mocked APIs, in file order.
    pub apis: Vec<ApiMocks>,
    /// `strict:` at the top of the file, if given: whether a call no rule answers is an
    /// error.
    pub strict: Option<bool>,
    /// Warnings (a file that loads, but likely does not answer as meant: a JSON body
    /// written as text, a definitions file given for a test case); they do not fail a
    /// check.
    pub warnings: Vec<Diagnostic>,
}

/// The mocked operations of one API.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiMocks {
    /// The API's name.
    pub api: String,
    /// Its mocked operations.
    pub operations: Vec<OperationMocks>,
}

/// The ordered rules of one operation.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationMocks {
    /// The operation's name.
    pub operation: String,
    /// The rules, in order: each answers `repeat` times, then the next takes over.
    pub rules: Vec<MockRule>,
}

/// One rule: which calls it answers, how, and how many times.
#[derive(Clone, Debug, PartialEq)]
pub struct MockRule {
    /// Only calls that match, if given.
    pub when: Option<MockMatch>,
    /// The answer.
    pub outcome: MockOutcome,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// How many calls the rule answers.
    pub repeat: Repeat,
    /// Where the rule is written.
    pub span: Span,
}

impl MockRule {
    /// Whether it answers every call of its operation, forever: the rules after it
    /// never answer.
    pub fn answers_every_call_forever(&self) -> bool {
        self.repeat == Repeat::Forever && self.when.as_ref().is_none_or(MockMatch::matches_every_call)
    }
}

/// How many calls a rule answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// This many calls (at least one).
    Times(u64),
    /// Every call from now on (`repeat: -1`, only on the last rule or one with `when:`).
    Forever,
}

/// What a rule answers.
#[derive(Clone, Debug, PartialEq)]
pub enum MockOutcome {
    /// An HTTP response.
    Respond(MockResponse),
    /// A transport failure instead of a response.
    Fail(MockFailure),
}

/// A canned HTTP response.
#[derive(Clone, Debug, PartialEq)]
pub struct MockResponse {
    /// The status, 100 to 599.
    pub status: u16,
    /// The body, if any.
    pub body: Option<MockBody>,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
}

/// The body of a mock response.
#[derive(Clone, Debug, PartialEq)]
pub enum MockBody {
    /// A value sent as JSON (`content-type: application/json` unless the headers
    /// give one); a string is sent as it is when they give a content type that is
    /// not JSON, such as `text/plain` (an ADK file's `body:`).
    Json(Value),
    /// Text sent as it is (`content-type: text/plain` unless the headers give one).
    Text(String),
}

/// A transport failure a rule can simulate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MockFailure {
    /// The attempt times out.
    Timeout,
    /// The connection fails.
    Connection,
}

/// Conditions a call must meet for a rule to answer it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MockMatch {
    /// Path variables and their values (as the call formatted them).
    pub path: Vec<(String, String)>,
    /// Query parameters that must be present with these values.
    pub query: Vec<(String, String)>,
    /// Request headers (names compared case-insensitively).
    pub headers: Vec<(String, String)>,
    /// A JSON value the request body must contain (objects may have more keys).
    pub body: Option<Value>,
}

impl MockMatch {
    /// Whether it matches every call: it has no condition (`when: {}`). A body to
    /// match, even `{}`, is one: it asks for a JSON object body.
    pub fn matches_every_call(&self) -> bool {
        self.path.is_empty() && self.query.is_empty() && self.headers.is_empty() && self.body.is_none()
    }
}

/// The statuses a mock may answer with.
pub const STATUSES: std::ops::RangeInclusive<u16> = 100..=599;

/// The problem of a mock rule for operation `op_name` of `api`, which has no such
/// operation: the same words for a mocks file and for rules built in code.
///
/// ```
/// use conv_api_definitions::{mocks, parse_str};
/// let apis = parse_str("apis.yaml", "api_integrations:
///   - name: reservations
///     environments: { sandbox: {} }
///     operations: [{ name: book, method: POST, resource: /bookings }]
/// ").unwrap();
/// let api = &apis.definitions.apis[0];
/// assert_eq!(
///     mocks::unknown_operation(api, "bok"),
///     "API `reservations` has no operation `bok`; did you mean `book`? the operations of `reservations` are `book`"
/// );
/// ```
pub fn unknown_operation(api: &Api, op_name: &str) -> String {
    let hint = did_you_mean_hint(op_name, api.operations.iter().map(|o| o.name()));
    format!("API `{}` has no operation `{op_name}`; {hint}{}", api.name(), operations_listed(api))
}

/// `` the operations of `crm` are `a` and `b` ``, or `` `crm` has no operations ``.
fn operations_listed(api: &Api) -> String {
    let name = api.name();
    match api.operations.is_empty() {
        true => format!("`{name}` has no operations"),
        false => format!("the operations of `{name}` are {}", list_choices(api.operations.iter().map(|o| o.name()))),
    }
}

/// The problem of a mock rule of `op` that matches on path variable `name`, if
/// `op` has no such variable: the same words for a mocks file and for rules built
/// in code.
///
/// ```
/// use conv_api_definitions::{mocks, parse_str};
/// let apis = parse_str("apis.yaml", "api_integrations:
///   - name: reservations
///     environments: { sandbox: {} }
///     operations: [{ name: venue, method: GET, resource: \"/venues/{venue_id}\" }]
/// ").unwrap();
/// let op = &apis.definitions.apis[0].operations[0];
/// assert_eq!(mocks::unknown_path_variable(op, "venue_id"), None);
/// assert_eq!(
///     mocks::unknown_path_variable(op, "id").unwrap(),
///     "`venue` has no path variable `id`; the path variables are `venue_id`"
/// );
/// assert_eq!(
///     mocks::unknown_path_variable(op, "venu_id").unwrap(),
///     "`venue` has no path variable `venu_id`; did you mean `venue_id`? the path variables are `venue_id`"
/// );
/// ```
pub fn unknown_path_variable(op: &Operation, name: &str) -> Option<String> {
    let variables = || op.resource.variables.iter().map(|variable| variable.as_ref());
    if variables().any(|variable| variable == name) {
        return None;
    }
    let hint = did_you_mean_hint(name, variables());
    Some(format!("`{}` has no path variable `{name}`; {hint}{}", op.name(), op.resource.variables_listed()))
}

/// Why a mock rule of `op` matching path variable `name` on `value` would match no
/// call: a call whose path variable is empty, `.` or `..` is refused before it is
/// sent. The same words for a mocks file and for rules built in code.
///
/// ```
/// use conv_api_definitions::{mocks, parse_str};
/// let apis = parse_str("apis.yaml", "api_integrations:
///   - name: reservations
///     environments: { sandbox: {} }
///     operations: [{ name: venue, method: GET, resource: \"/venues/{venue_id}\" }]
/// ").unwrap();
/// let op = &apis.definitions.apis[0].operations[0];
/// assert_eq!(mocks::unmatchable_path_value(op, "venue_id", "v1"), None);
/// assert!(mocks::unmatchable_path_value(op, "venue_id", "..").unwrap().starts_with("is `..`, and a call"));
/// ```
pub fn unmatchable_path_value(op: &Operation, name: &str, value: &str) -> Option<String> {
    let index = op.resource.variables.iter().position(|variable| variable.as_ref() == name)?;
    let refused = match op.resource.path_value_problem(index, value)? {
        TemplateError::Empty { .. } => "empty",
        TemplateError::DotSegment { .. } => "`.` or `..`",
        _ => return None,
    };
    let written = if value.is_empty() { "empty".to_string() } else { format!("`{value}`") };
    Some(format!("is {written}, and a call whose path variable is {refused} is refused before it is sent, so this rule would match no call"))
}

/// What is wrong with a mock response header, so that a rule that loads can always
/// answer: the same rule for a mocks file and for rules built in code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderProblem {
    /// The name is empty or holds a byte HTTP does not allow in one.
    Name,
    /// The value holds a control character other than a tab (CR, LF, NUL, DEL, C1).
    Value,
}

/// The problem with a mock response header `name: value`, if any.
///
/// ```
/// use conv_api_definitions::mocks::{header_problem, HeaderProblem};
/// assert_eq!(header_problem("x-trace", "a\tb"), None);
/// assert_eq!(header_problem("x trace", "a"), Some(HeaderProblem::Name));
/// assert_eq!(header_problem("x-trace", "a\r\nb"), Some(HeaderProblem::Value));
/// ```
pub fn header_problem(name: &str, value: &str) -> Option<HeaderProblem> {
    if !is_header_name(name) {
        Some(HeaderProblem::Name)
    } else if value_holds_control(value) {
        Some(HeaderProblem::Value)
    } else {
        None
    }
}

/// Reads and checks the mocks file at `path` against `definitions`.
///
/// # Errors
///
/// [`LoadError::Io`](crate::LoadError::Io) when the file cannot be read;
/// [`LoadError::Invalid`](crate::LoadError::Invalid), with every diagnostic (warnings
/// too), when it has an error: as [`parse_bytes`] finds them.
pub fn load(path: impl AsRef<std::path::Path>, definitions: &Definitions) -> Result<Mocks, crate::LoadError> {
    let path = path.as_ref();
    let shown = crate::shown_path(path);
    let bytes = crate::read_file(path).map_err(|error| crate::LoadError::Io {
        path: shown.clone(),
        file: crate::FileKind::Mocks,
        error,
    })?;
    parse_bytes(&shown, &bytes, definitions).map_err(crate::LoadError::Invalid)
}

/// Checks mocks given as bytes (`file` names them in diagnostics) against
/// `definitions`, as [`load`] reads a file: UTF-8 of up to
/// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
///
/// # Errors
///
/// Every diagnostic (warnings too) when one is an error: `bytes` larger than that,
/// UTF-16 or not UTF-8 (then that error alone), or text that [`parse_str`] refuses.
pub fn parse_bytes(file: &str, bytes: &[u8], definitions: &Definitions) -> Result<Mocks, Diagnostics> {
    let text =
        crate::load::file_text(bytes, crate::FileKind::Mocks).map_err(|error| Diagnostics::new(file, vec![error]))?;
    parse_str(file, text, definitions)
}

/// Checks mocks given as text (`file` names them in diagnostics) against `definitions`.
///
/// # Errors
///
/// Every diagnostic (warnings too) when one is an error: YAML that cannot be read (then
/// that error alone), a rule not written as the format says, or an API or operation
/// that `definitions` lack.
pub fn parse_str(file: &str, text: &str, definitions: &Definitions) -> Result<Mocks, Diagnostics> {
    let parsed = yaml::parse(text).map_err(|d| Diagnostics::new(file, vec![d]))?;
    let problems = problems_in_keys_read(parsed.root.as_ref(), parsed.problems);
    let mut d = Collector::of_parse(problems, parsed.untyped);
    let mut mocks = read_mocks(parsed.root.as_ref(), definitions, &mut d);
    yaml::read_last_written(parsed.root.as_ref(), &mut d, |last, d| {
        read_mocks(Some(last), definitions, d);
    });
    let diagnostics = Diagnostics::new(file, d.into_items());
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    mocks.warnings = diagnostics.items;
    Ok(mocks)
}

/// Whether this loader reads the test case's top-level `key`: its other keys (`name`,
/// `prompt_assertions` ...) are the ADK's, ignored, not rejected.
fn is_key_read(key: &str) -> bool {
    matches!(key, "api_mocks" | "strict")
}

/// The `problems` the parser found (YAML tags not read) in the keys this loader
/// reads: one in a key it ignores (`created: !!timestamp 2024-01-31`, which PyYAML
/// reads) is none of its business. A key's text runs from it to the next key.
fn problems_in_keys_read(root: Option<&Node>, problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(NodeKind::Mapping(entries)) = root.map(|root| &root.kind) else { return problems };
    let keys: Vec<(Span, bool)> =
        entries.iter().map(|(key, _)| (key.span, key.as_scalar().is_none_or(|key| is_key_read(&key.text)))).collect();
    // the keys are in file order: the last one at or before a problem is its key
    let read = |at: Span| match keys.partition_point(|(start, _)| *start <= at) {
        0 => true,
        after => keys[after - 1].1,
    };
    problems.into_iter().filter(|problem| read(problem.span)).collect()
}

/// Whether a test case's top-level `key` is a slip of `api_mocks` (`api_mock`,
/// `apiMocks`, `API-MOCKS`, `api_mokcs`, `api_mocks` with a zero-width space pasted
/// in): one edit from it once case, separators and characters that show as nothing
/// are set aside. A suggestion elsewhere may be looser, since the key it is made for
/// is refused anyway; here a key further off (`api_notes`, `api_docs`) is one of the
/// test case's own, ignored as the others are, and refusing it would refuse the file.
fn is_slip_of_api_mocks(key: &str) -> bool {
    const WORD: &str = "apimocks";
    let plain: String = key
        .chars()
        .filter(|&c| !matches!(c, '_' | '-' | ' ') && !is_layout_or_invisible(c))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    plain.chars().count() <= WORD.len() + 1 && strsim::damerau_levenshtein(&plain, WORD) <= 1
}

fn read_mocks(root: Option<&Node>, definitions: &Definitions, d: &mut Collector) -> Mocks {
    let Some(root) = root.filter(|root| !root.is_empty_document()) else {
        d.error(
            Span::new(1, 1),
            "the file is empty, or holds only comments; it needs an `api_mocks:` mapping of API names",
        );
        return Mocks::default();
    };
    if !matches!(root.kind, NodeKind::Mapping(_))
        && !root.as_scalar().is_some_and(|s| yaml::starts_slash_comment(&s.text))
    {
        let found = root.describe();
        d.error(root.span, format!("the file must be a mapping (`key: value` lines), found {found}; a test case or mocks file holds a top-level `api_mocks:` mapping of API names, like `api_mocks: {{ my_api: {{ my_operation: [...] }} }}`"));
        return Mocks::default();
    }
    let Some(fields) = Fields::of_reading(root, "", is_key_read, d) else { return Mocks::default() };
    // typed as the rest of the file is, as PyYAML types it: `strict: yes` is `true`
    let strict = fields.present("strict").and_then(|n| match n.as_scalar().map(yaml11::value) {
        Some(ScalarValue::Bool(strict)) => Some(strict),
        _ => boolean(n, "strict", d),
    });
    // a test case "may carry" `api_mocks` (MOCKS.md): without it, nothing is mocked,
    // unless a key is a slip of it
    let Some(api_mocks) = fields.present("api_mocks") else {
        if let Some(typo) =
            fields.entries.iter().map(|(k, _, _)| *k).find(|&k| k != "api_mocks" && is_slip_of_api_mocks(k))
        {
            d.error(
                fields.key_span(typo).unwrap_or(fields.span),
                format!(
                    "the file has no `api_mocks` key (is `{typo}` a typo?); write `api_mocks:` with API names under it"
                ),
            );
        } else if let Some(apis) = fields.key_span("api_integrations") {
            d.warning(apis, "this is a definitions file (its `api_integrations:` holds APIs), not a test case, so nothing is mocked; a test case holds `api_mocks:`, and is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`");
        }
        return Mocks { apis: Vec::new(), strict, warnings: Vec::new() };
    };
    let lookup = Lookup::new(definitions);
    if let Some(message) = listed_as_records(api_mocks, &lookup).or_else(|| listed_as_rules(api_mocks, &lookup)) {
        d.error(api_mocks.span, message);
        return Mocks::default();
    }
    let Some(apis) = Fields::of_or_listed(api_mocks, "api_mocks", "API", is_no_rule_key, d) else {
        return Mocks::default();
    };
    let apis = apis.entries.iter().filter_map(|&(name, key, value)| read_api(name, key, value, &lookup, d));
    Mocks { apis: apis.collect(), strict, warnings: Vec::new() }
}

/// The mocks of API `name`; `None` when the definitions have no such API, whose
/// rules are still checked, so that one run reports every error.
fn read_api(name: &str, key: &Node, value: &Node, lookup: &Lookup, d: &mut Collector) -> Option<ApiMocks> {
    let path = format!("api_mocks.{name}");
    let api = lookup.api(name);
    if api.is_none() {
        // an operation's rules written right under `api_mocks:`, without their API
        if let Some((owner, op)) = lookup.owner_of(name) {
            let owner = owner.name();
            d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; `{name}` is an operation of API `{owner}`: indent it under `{owner}:`, which goes under `api_mocks:`"));
            read_rules(value, Some(op), &path, d);
            return None;
        }
        // `reservations.book:`, the API and the operation in one key
        if let Some((owner, op)) = api_and_operation(name, lookup) {
            let (owner, op_name) = (owner.name(), op.name());
            d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; an API and its operation are two keys: write `{owner}:` with `{op_name}:` indented under it"));
            read_rules(value, Some(op), &format!("api_mocks.{owner}.{op_name}"), d);
            return None;
        }
        let names = lookup.definitions.apis.iter().map(|a| a.name());
        let hint = did_you_mean_hint(name, names.clone());
        let apis = match lookup.definitions.apis.is_empty() {
            true => "they have no APIs".to_string(),
            false => format!("the APIs are {}", list_choices(names)),
        };
        d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; {hint}{apis}"));
    }
    if let Some(api) = api.filter(|api| is_list_of_rules(value, api, lookup)) {
        // rules right under their API: read as the rules of its one operation, if it has one
        let (only, operations) = match &api.operations[..] {
            [] => (None, format!("; `{name}` has no operations")),
            [op] => (Some(op), ", its one operation".to_string()),
            ops => (None, format!("; the operations of `{name}` are {}", list_choices(ops.iter().map(|o| o.name())))),
        };
        let example = api.operations.first().map_or("get_ticket", |op| op.name());
        d.error(value.span, format!("`{path}` is a list of rules, with no operation: rules go in a list under the operation they mock, like `{name}: {{ {example}: [...] }}`{operations}"));
        read_rules(value, only, &path, d);
        return None;
    }
    if value.is_null() {
        // an API not in the definitions has its error already
        match api.map(|api| api.operations.first()) {
            Some(Some(op)) => d.error(value.span, format!("`{path}` is empty; under an API go the operations it mocks, each with its list of rules, like `{name}: {{ {}: [{{ respond: {{ status: 200 }} }}] }}`; or remove it", op.name())),
            Some(None) => d.error(value.span, format!("`{path}` is empty, and `{name}` has no operations to mock; remove it")),
            None => {}
        }
        return None;
    }
    let fields = Fields::of_or_listed(value, &path, "operation", is_no_rule_key, d)?;
    let operations: Vec<OperationMocks> = (fields.entries.iter())
        .filter_map(|&(op_name, op_key, rules)| read_operation(op_name, op_key, rules, api, &path, lookup, d))
        .collect();
    api.map(|_| ApiMocks { api: name.to_string(), operations })
}

/// The mocks of operation `op_name` of `api`; `None` when `api` is unknown or has
/// no such operation, whose rules are still checked (unless they are a rule's keys).
fn read_operation(
    op_name: &str,
    op_key: &Node,
    rules: &Node,
    api: Option<&Api>,
    api_path: &str,
    lookup: &Lookup,
    d: &mut Collector,
) -> Option<OperationMocks> {
    let op_path = format!("{api_path}.{op_name}");
    let op = api.and_then(|api| lookup.operation(api, op_name));
    if let (Some(api), None) = (api, op) {
        let name = api.name();
        // a rule written right under the API, without its operation: no rules to read
        if RULE_KEYS.contains(&op_name) {
            let example = api.operations.first().map_or("get_ticket", |op| op.name());
            d.error(op_key.span, format!("`{op_path}`: API `{name}` has no operation `{op_name}`; `{op_name}` is a key of a mock rule, and the rules go in a list under the operation they mock, like `{example}: [{{ {op_name}: ... }}]`"));
            return None;
        }
        let message = match lookup.owner_of(op_name) {
            Some((other, _)) => format!(
                "API `{name}` has no operation `{op_name}`, which is an operation of API `{}`; {}",
                other.name(),
                operations_listed(api)
            ),
            None => unknown_operation(api, op_name),
        };
        d.error(op_key.span, format!("`{op_path}`: {message}"));
    }
    let rules = read_rules(rules, op, &op_path, d);
    op.map(|_| OperationMocks { operation: op_name.to_string(), rules })
}

/// The API and operation a key such as `reservations.book` (or
/// `conv.api.reservations.book`) names, when the definitions have them.
fn api_and_operation<'d>(key: &str, lookup: &Lookup<'d>) -> Option<(&'d Api, &'d Operation)> {
    let (api_part, op_name) = key.rsplit_once('.')?;
    let api_name = api_part.rsplit('.').next()?;
    let api = lookup.api(api_name)?;
    Some((api, lookup.operation(api, op_name)?))
}

/// Whether `node`, under API `api`, is a list of mock rules: of mappings, with a key
/// of a rule (`respond:`) and none that names one of the API's operations.
fn is_list_of_rules(node: &Node, api: &Api, lookup: &Lookup) -> bool {
    let NodeKind::Sequence(items) = &node.kind else { return false };
    let mut keys = Vec::new();
    for item in items {
        let NodeKind::Mapping(pairs) = &item.kind else { return false };
        keys.extend(pairs.iter().filter_map(|(key, _)| Some(key.as_scalar()?.text.as_str())));
    }
    if !keys.iter().any(|key| RULE_KEYS.contains(key)) {
        return false;
    }
    !keys.iter().any(|key| lookup.operation(api, key).is_some())
}

/// The error for `api_mocks:` written as a list of records, each naming its API and
/// operation in fields of its own (`- api: zendesk`, `operation: get_ticket`,
/// `response: ..`) as other mock tools write them, with the mapping to write in the
/// names of the first record that names an API of the definitions.
fn listed_as_records(node: &Node, lookup: &Lookup) -> Option<String> {
    let (api, operation) = record_names(node, lookup)?;
    let (api, operation) = (api.unwrap_or("my_api"), operation.unwrap_or("my_operation"));
    Some(format!("`api_mocks` must be a mapping (`key: value` lines) of API names, found a list of records that name their API and operation in fields; each API is a key under `api_mocks:`, each of its operations a key under it, holding the operation's rules: `api_mocks: {{ {api}: {{ {operation}: [ {{ respond: {{ status: 200 }} }} ] }} }}`"))
}

/// The error for rules listed right under `api_mocks:` (`- respond: ..`), with no
/// API or operation, with the mapping to write in the names of the definitions'
/// first API and its first operation.
fn listed_as_rules(node: &Node, lookup: &Lookup) -> Option<String> {
    let NodeKind::Sequence(items) = &node.kind else { return None };
    let mut keys = items.iter().flat_map(|item| match &item.kind {
        NodeKind::Mapping(pairs) => pairs.iter().filter_map(|(key, _)| Some(key.as_scalar()?.text.as_str())).collect(),
        _ => Vec::new(),
    });
    if !keys.any(|key| RULE_KEYS.contains(&key)) {
        return None;
    }
    let api = lookup.definitions.apis.first();
    let operation = api.and_then(|api| api.operations.first()).map_or("my_operation", Operation::name);
    let api = api.map_or("my_api", Api::name);
    Some(format!("`api_mocks` is a list of rules, with no API or operation: it must be a mapping (`key: value` lines) of API names, each holding its operations, each of those the list of its rules: `api_mocks: {{ {api}: {{ {operation}: [ {{ respond: {{ status: 200 }} }} ] }} }}`"))
}

/// When `node` is a list of records (not empty; each of two keys or more, one with
/// a value of text, and none a rule's, nor an API's or an operation's name or close
/// to one, which are the mapping with a `- ` too many): the API and operation the
/// first that names an API of the definitions names.
fn record_names<'d>(node: &Node, lookup: &Lookup<'d>) -> Option<(Option<&'d str>, Option<&'d str>)> {
    let NodeKind::Sequence(items) = &node.kind else { return None };
    let api_names = || lookup.definitions.apis.iter().map(Api::name);
    let no_record_key = |key: &str| {
        RULE_KEYS.contains(&key)
            || lookup.api(key).is_some()
            || lookup.owner_of(key).is_some()
            || did_you_mean(key, api_names()).is_some()
    };
    let mut named = None;
    for item in items {
        let NodeKind::Mapping(pairs) = &item.kind else { return None };
        let keys = pairs.iter().filter_map(|(key, _)| Some(key.as_scalar()?.text.as_str()));
        let values: Vec<&str> = pairs.iter().filter_map(|(_, value)| Some(value.as_scalar()?.text.as_str())).collect();
        if pairs.len() < 2 || values.is_empty() || keys.clone().any(no_record_key) {
            return None;
        }
        if let (None, Some(api)) = (named, values.iter().find_map(|value| lookup.api(value))) {
            let operation = values.iter().find_map(|value| lookup.operation(api, value));
            named = Some((api.name(), operation.map(Operation::name)));
        }
    }
    if items.is_empty() {
        return None;
    }
    Some(named.map_or((None, None), |(api, operation)| (Some(api), operation)))
}

/// Whether `key`, in a list of one-key mappings under `api_mocks:` or an API, names an
/// API or an operation: a rule's key there is a rule written a level too high.
fn is_no_rule_key(key: &str) -> bool {
    !RULE_KEYS.contains(&key)
}
