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

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use crate::diagnostics::{is_layout_or_invisible, Collector, Diagnostic, Diagnostics};
use crate::headers::{is_header_name, not_a_header_name, value_holds_control, MAX_HEADER_NAME_BYTES};
use crate::model::{Api, Definitions, Operation, Span};
use crate::names::{did_you_mean_hint, list_alternatives, list_choices, lowercase_alphanumerics};
use crate::placement::Level;
use crate::read::{boolean, entries, parse_duration, text, Fields, ListOf};
use crate::yaml::{self, yaml11, Node, NodeKind, ScalarValue};
use json::to_json;

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
    let shown = path.display().to_string();
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
    let Some(root) = root else {
        d.error(Span::new(1, 1), "the file is empty; it needs an `api_mocks:` mapping of API names");
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
    let strict = fields.present("strict").and_then(|n| boolean(n, "strict", d));
    // a test case "may carry" `api_mocks` (MOCKS.md): without it, nothing is mocked,
    // unless a key is a slip of it
    let Some(api_mocks) = fields.present("api_mocks") else {
        if let Some(typo) =
            fields.entries.iter().map(|(k, _, _)| *k).find(|&k| k != "api_mocks" && is_slip_of_api_mocks(k))
        {
            d.error(
                fields.span,
                format!(
                    "the file has no `api_mocks` key (is `{typo}` a typo?); write `api_mocks:` with API names under it"
                ),
            );
        } else if let Some(apis) = fields.key_span("api_integrations") {
            d.warning(apis, "this is a definitions file (its `api_integrations:` holds APIs), not a test case, so nothing is mocked; a test case holds `api_mocks:`, and is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`");
        }
        return Mocks { apis: Vec::new(), strict, warnings: Vec::new() };
    };
    let Some(apis) = Fields::of_or_listed(api_mocks, "api_mocks", "API", is_no_rule_key, d) else {
        return Mocks::default();
    };
    let apis = apis.entries.iter().filter_map(|&(name, key, value)| read_api(name, key, value, definitions, d));
    Mocks { apis: apis.collect(), strict, warnings: Vec::new() }
}

/// The mocks of API `name`; `None` when the definitions have no such API, whose
/// rules are still checked, so that one run reports every error.
fn read_api(name: &str, key: &Node, value: &Node, definitions: &Definitions, d: &mut Collector) -> Option<ApiMocks> {
    let path = format!("api_mocks.{name}");
    let api = definitions.api(name);
    if api.is_none() {
        // an operation's rules written right under `api_mocks:`, without their API
        let owner = definitions.apis.iter().find_map(|api| Some((api.name(), api.operation(name)?)));
        if let Some((owner, op)) = owner {
            d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; `{name}` is an operation of API `{owner}`: indent it under `{owner}:`, which goes under `api_mocks:`"));
            read_rules(value, Some(op), &path, d);
            return None;
        }
        // `reservations.book:`, the API and the operation in one key
        if let Some((owner, op)) = api_and_operation(name, definitions) {
            let (owner, op_name) = (owner.name(), op.name());
            d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; an API and its operation are two keys: write `{owner}:` with `{op_name}:` indented under it"));
            read_rules(value, Some(op), &format!("api_mocks.{owner}.{op_name}"), d);
            return None;
        }
        let names = definitions.apis.iter().map(|a| a.name());
        let hint = did_you_mean_hint(name, names.clone());
        let apis = match definitions.apis.is_empty() {
            true => "they have no APIs".to_string(),
            false => format!("the APIs are {}", list_choices(names)),
        };
        d.error(key.span, format!("`{path}`: no API `{name}` in the definitions; {hint}{apis}"));
    }
    if let Some(api) = api.filter(|api| is_list_of_rules(value, api)) {
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
    let fields = Fields::of_or_listed(value, &path, "operation", is_no_rule_key, d)?;
    let operations: Vec<OperationMocks> = (fields.entries.iter())
        .filter_map(|&(op_name, op_key, rules)| {
            let op_path = format!("{path}.{op_name}");
            let op = api.and_then(|api| api.operation(op_name));
            if let (Some(api), None) = (api, op) {
                // a rule written right under the API, without its operation: no rules to read
                if RULE_KEYS.contains(&op_name) {
                    let example = api.operations.first().map_or("get_ticket", |op| op.name());
                    d.error(op_key.span, format!("`{op_path}`: API `{name}` has no operation `{op_name}`; `{op_name}` is a key of a mock rule, and the rules go in a list under the operation they mock, like `{example}: [{{ {op_name}: ... }}]`"));
                    return None;
                }
                let names = api.operations.iter().map(|o| o.name());
                let elsewhere = definitions.apis.iter().find(|other| other.operation(op_name).is_some());
                let operations = match api.operations.is_empty() {
                    true => format!("`{name}` has no operations"),
                    false => format!("the operations of `{name}` are {}", list_choices(names.clone())),
                };
                let message = match elsewhere {
                    Some(other) => format!(
                        "`{op_path}`: API `{name}` has no operation `{op_name}`, which is an operation of API `{}`; {operations}",
                        other.name(),
                    ),
                    None => format!(
                        "`{op_path}`: API `{name}` has no operation `{op_name}`; {}{operations}",
                        did_you_mean_hint(op_name, names),
                    ),
                };
                d.error(op_key.span, message);
            }
            let rules = read_rules(rules, op, &op_path, d);
            op.map(|_| OperationMocks { operation: op_name.to_string(), rules })
        })
        .collect();
    api.map(|_| ApiMocks { api: name.to_string(), operations })
}

/// The API and operation a key such as `reservations.book` (or
/// `conv.api.reservations.book`) names, when the definitions have them.
fn api_and_operation<'d>(key: &str, definitions: &'d Definitions) -> Option<(&'d Api, &'d Operation)> {
    let (api_part, op_name) = key.rsplit_once('.')?;
    let api_name = api_part.rsplit('.').next()?;
    let api = definitions.api(api_name)?;
    Some((api, api.operation(op_name)?))
}

/// Whether `node`, under API `api`, is a list of mock rules: of mappings, with a key
/// of a rule (`respond:`) and none that names one of the API's operations.
fn is_list_of_rules(node: &Node, api: &Api) -> bool {
    let NodeKind::Sequence(items) = &node.kind else { return false };
    let mut keys = Vec::new();
    for item in items {
        let NodeKind::Mapping(pairs) = &item.kind else { return false };
        keys.extend(pairs.iter().filter_map(|(key, _)| Some(key.as_scalar()?.text.as_str())));
    }
    if !keys.iter().any(|key| RULE_KEYS.contains(key)) {
        return false;
    }
    let operations: HashSet<&str> = api.operations.iter().map(|op| op.name()).collect();
    !keys.iter().any(|key| operations.contains(key))
}

/// Whether `key`, in a list of one-key mappings under `api_mocks:` or an API, names an
/// API or an operation: a rule's key there is a rule written a level too high.
fn is_no_rule_key(key: &str) -> bool {
    !RULE_KEYS.contains(&key)
}

/// The rules of `op`; of an operation the definitions do not have (`None`), every
/// check but those of its path variables.
fn read_rules(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Vec<MockRule> {
    let rules_list = ListOf {
        what: "a list of rules (`- respond: { status: 200 }`)",
        entry: "rule",
        keys: RULE_KEYS,
        named: false,
        level: Level::MockRule,
    };
    let items = &*entries(node, path, &rules_list, d);
    let rules: Vec<MockRule> =
        items.iter().enumerate().filter_map(|(i, rule)| read_rule(rule, op, &format!("{path}[{i}]"), d)).collect();
    // judged on the rules as written, so that a rule with another error still counts
    for (i, item) in items.iter().enumerate().take(items.len().saturating_sub(1)) {
        if let Some(span) = forever_span(item) {
            d.error(span, format!("`{path}[{i}].repeat` is `-1` (forever), so the rules after it never answer; `-1` is allowed only on the last rule (or on a rule with `when:`, conv-api's condition on a call, which leaves other calls to the rules after it)"));
        }
    }
    rules
}

/// Where a rule that answers every call says `repeat: -1`, if it does; a rule with
/// a condition under `when:` leaves the calls it does not match to the rules after it.
fn forever_span(rule: &Node) -> Option<Span> {
    if rule.value_of("when").is_some_and(has_condition) {
        return None;
    }
    let value = rule.value_of("repeat")?;
    // the value, as `repeat` is read: `-01` is forever too
    value.as_scalar().is_some_and(|repeat| yaml11::value(repeat) == ScalarValue::Integer(-1)).then_some(value.span)
}

/// Whether a rule's `when:` holds a condition, as [`MockMatch::matches_every_call`]
/// says of it read: `when: {}`, `when: { headers: {} }` or `when:` with nothing
/// under it match every call, as a rule without `when:` does.
fn has_condition(when: &Node) -> bool {
    let NodeKind::Mapping(conditions) = &when.kind else { return false };
    conditions.iter().any(|(key, value)| match &value.kind {
        // a body to match, `{}` too, asks for a JSON object body
        NodeKind::Mapping(_) if key.as_scalar().is_some_and(|key| key.text == "body") => true,
        NodeKind::Mapping(entries) => !entries.is_empty(),
        NodeKind::Sequence(_) => true,
        NodeKind::Scalar(scalar) => scalar.value() != ScalarValue::Null,
    })
}

fn read_rule(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Option<MockRule> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(RULE_KEYS, Level::MockRule, path, d);
    let outcome = match (fields.present("respond"), fields.present("fail")) {
        (Some(respond), None) => read_response(respond, &format!("{path}.respond"), d).map(MockOutcome::Respond),
        (None, Some(fail)) => read_failure(fail, &format!("{path}.fail"), d).map(MockOutcome::Fail),
        (Some(respond), Some(fail)) => {
            d.error(fields.span, format!("`{path}` has both `respond` and `fail`; a rule does one or the other"));
            // each still read, so that removing either shows no error that was there all along
            read_response(respond, &format!("{path}.respond"), d);
            read_failure(fail, &format!("{path}.fail"), d);
            None
        }
        (None, None) => {
            // `respond:` (or `fail:`) with nothing under it is there, but empty
            let empty = ["respond", "fail"].into_iter().find_map(|key| Some((key, fields.key_span(key)?)));
            let message = match empty {
                Some(("fail", _)) => {
                    format!("`{path}.fail` is empty; write `fail: timeout` or `fail: connection`")
                }
                Some(_) => {
                    format!("`{path}.respond` is empty; give it a status, like `respond: {{ status: 200 }}`")
                }
                None => format!("`{path}.respond` is missing; add it, like `respond: {{ status: 200 }}`"),
            };
            // a response's key written beside `respond:` is told where it goes; that is the fix
            let response_key_here = RESPOND_KEYS.iter().any(|key| fields.key_span(key).is_some());
            if empty.is_some() || !response_key_here {
                d.error(empty.map_or(fields.span, |(_, span)| span), message);
            }
            None
        }
    };
    let when = fields.present("when").and_then(|n| read_when(n, op, &format!("{path}.when"), d));
    let delay = fields.present("delay").and_then(|n| duration(n, &format!("{path}.delay"), d));
    let repeat = match fields.present("repeat") {
        Some(n) => read_repeat(n, &format!("{path}.repeat"), d)?,
        None => Repeat::Times(1),
    };
    Some(MockRule { when, outcome: outcome?, delay, repeat, span: fields.span })
}

fn read_response(node: &Node, path: &str, d: &mut Collector) -> Option<MockResponse> {
    // `respond: 200`: the status alone
    if let Some(ScalarValue::Integer(written)) = node.as_scalar().map(yaml11::value) {
        let status = u16::try_from(written).ok().filter(|status| STATUSES.contains(status)).unwrap_or(200);
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found a number; a status goes under `status:`, like `respond: {{ status: {status} }}`"),
        );
        return None;
    }
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(RESPOND_KEYS, Level::MockResponse, path, d);
    let status =
        fields.required("status", path, "status: 200", d).and_then(|n| status(n, &format!("{path}.status"), d));
    let body = fields.get("body").map(|n| to_json(n, &format!("{path}.body"), d));
    // read whatever the body holds: their errors are reported with the body's
    let headers = fields.present("headers").map(|n| response_headers(n, &format!("{path}.headers"), d));
    let body = match body {
        Some(json) => Some(MockBody::Json(json?)),
        None => None,
    };
    if let (Some(MockBody::Json(Value::String(text))), Some(node)) = (&body, fields.get("body")) {
        let content_type = headers.iter().flatten().find(|(name, _)| name.eq_ignore_ascii_case("content-type"));
        if content_type.is_none_or(|(_, value)| value.to_ascii_lowercase().contains("json")) && is_json_text(text) {
            d.warning(node.span, format!("`{path}.body` is JSON written as text, so the response's body is one JSON string, not that JSON; remove the quotes (or the `|`) around it: JSON is YAML, so the body is then read as the JSON itself"));
        }
    }
    Some(MockResponse { status: status?, body, headers: headers.unwrap_or_default() })
}

/// Whether `text` is a JSON object or array.
fn is_json_text(text: &str) -> bool {
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<Value>(trimmed).is_ok_and(|value| value.is_object() || value.is_array())
}

/// The headers of a mock response: names HTTP allows, values without control
/// characters, so that a rule that loads can always answer.
fn response_headers(node: &Node, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    let Some(fields) = Fields::of(node, path, d) else { return Vec::new() };
    let mut headers = Vec::with_capacity(fields.entries.len());
    for &(name, name_node, value_node) in &fields.entries {
        // the name and the value each checked, so that one run tells both
        let value = match read_as_other_than_text(value_node) {
            Some((what, written)) => {
                d.error(
                    value_node.span,
                    format!("`{path}.{name}` must be text, found `{written}`, which the ADK's YAML reads as {what}; quote it: `{name}: \"{written}\"`"),
                );
                None
            }
            None => given_text(value_node, &format!("{path}.{name}"), d),
        };
        let name_is_valid = is_header_name(name);
        if !name_is_valid {
            // a name too long to send is too long to quote
            let named = if name.len() > MAX_HEADER_NAME_BYTES { "a header name".into() } else { format!("`{name}`") };
            d.error(name_node.span, format!("`{path}` has {named}, which {}", not_a_header_name(name)));
        }
        let Some(value) = value else { continue };
        if value_holds_control(value) {
            d.error(
                value_node.span,
                format!("`{path}.{name}` holds a control character (CR, LF ...), which is not valid in an HTTP header; remove it"),
            );
        } else if name_is_valid {
            headers.push((name.to_string(), value.to_string()));
        }
    }
    headers
}

/// What a header value written unquoted is read as, when PyYAML, and so the ADK,
/// reads it as no text (`5`, `yes`, `2024-01-31`), and as what it is written.
fn read_as_other_than_text(node: &Node) -> Option<(&'static str, &str)> {
    let scalar = node.as_scalar()?;
    if scalar.looks_like_date() {
        return Some(("a date", &scalar.text));
    }
    // an integer past 64 bits, which PyYAML reads as any other
    if yaml11::wide_integer(scalar).is_some() {
        return Some(("a number", &scalar.text));
    }
    match yaml11::value(scalar) {
        ScalarValue::Bool(_) => Some(("a boolean", &scalar.text)),
        ScalarValue::Integer(_) | ScalarValue::Float(_) => Some(("a number", &scalar.text)),
        ScalarValue::Null | ScalarValue::String(_) => None,
    }
}

/// A status, typed as PyYAML, and so the ADK, types it (`0310` is octal).
fn status(node: &Node, path: &str, d: &mut Collector) -> Option<u16> {
    match node.as_scalar().map(yaml11::value) {
        Some(ScalarValue::Integer(n)) if u16::try_from(n).is_ok_and(|n| STATUSES.contains(&n)) => Some(n as u16),
        _ => {
            let unquote = unquote_hint(node, |text| text.parse().is_ok_and(|status| STATUSES.contains(&status)));
            d.error(
                node.span,
                format!("`{path}` must be an HTTP status from 100 to 599, found {}{unquote}", node.found()),
            );
            None
        }
    }
}

fn read_failure(node: &Node, path: &str, d: &mut Collector) -> Option<MockFailure> {
    if node.as_scalar().is_none() {
        let choices = list_alternatives(FAILURES.iter().copied());
        d.error(
            node.span,
            format!(
                "`{path}` must be {choices}, found {}; write `fail: timeout` or `fail: connection`",
                node.describe()
            ),
        );
        return None;
    }
    let word = text(node, path, d)?;
    match word {
        "timeout" => Some(MockFailure::Timeout),
        "connection" => Some(MockFailure::Connection),
        _ => {
            let hint = did_you_mean_hint(word, FAILURES.iter().copied());
            d.error(
                node.span,
                format!(
                    "`{path}` is `{word}`; {hint}a rule can fail with {}",
                    list_alternatives(FAILURES.iter().copied())
                ),
            );
            None
        }
    }
}

/// A count of calls, typed as PyYAML, and so the ADK, types it (`010` is 8, `1_000`
/// is 1000), up to `u64::MAX`, or `-1` for forever.
fn read_repeat(node: &Node, path: &str, d: &mut Collector) -> Option<Repeat> {
    let too_many = |text: &str| {
        format!("`{path}` is `{text}`, more calls than can be counted (at most {}); `-1` answers forever", u64::MAX)
    };
    let message = match node.as_scalar().map(|scalar| (scalar, yaml11::value(scalar))) {
        Some((_, ScalarValue::Integer(-1))) => return Some(Repeat::Forever),
        Some((_, ScalarValue::Integer(n))) if n >= 1 => return Some(Repeat::Times(n.unsigned_abs())),
        // a count past `i64`, which the YAML 1.1 reader gives as a wide integer
        Some((scalar, _)) => match yaml11::wide_integer(scalar) {
            Some(Some(wide)) if wide > 0 => match u64::try_from(wide) {
                Ok(times) => return Some(Repeat::Times(times)),
                Err(_) => too_many(&scalar.text),
            },
            Some(None) if !scalar.text.starts_with('-') => too_many(&scalar.text),
            _ => not_a_count(node, path),
        },
        None => not_a_count(node, path),
    };
    d.error(node.span, message);
    None
}

fn not_a_count(node: &Node, path: &str) -> String {
    let unquote = unquote_hint(node, |text| text.parse::<i64>().is_ok_and(|count| count >= 1 || count == -1));
    // `repeat: forever`: the word for what `-1` says
    let forever = node.as_scalar().map(|scalar| lowercase_alphanumerics(&scalar.text));
    let fix = match forever.as_deref() {
        Some("forever" | "always" | "infinite" | "infinity" | "unlimited" | "inf") => "; write `-1` for forever",
        _ => "",
    };
    format!("`{path}` must be a number of calls, 1 or more, or `-1` for forever, found {}{unquote}{fix}", node.found())
}

/// For a value in quotes (`"200"`), text to the ADK too, whose text `valid` takes:
/// how to write it.
fn unquote_hint(node: &Node, valid: impl Fn(&str) -> bool) -> String {
    match node.as_scalar() {
        Some(scalar) if !scalar.plain && valid(&scalar.text) => format!("; write `{}` without the quotes", scalar.text),
        _ => String::new(),
    }
}

fn read_when(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Option<MockMatch> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(WHEN_KEYS, Level::MockCondition, path, d);
    let pairs = |key: &str, d: &mut Collector| fields.present(key).map(|n| text_pairs(n, &format!("{path}.{key}"), d));
    let variables = fields.present("path").map(|n| path_variables(n, op, &format!("{path}.path"), d));
    let query_string = fields.present("query").and_then(|n| Some((n.span, query_string_mapping(n)?)));
    let query = match query_string {
        Some((at, (written, mapping))) => {
            d.error(at, format!("`{path}.query` is `{written}`, a query string; a condition's query is a mapping of its parameters: write `query: {mapping}`"));
            None
        }
        None => pairs("query", d),
    };
    let headers = pairs("headers", d);
    let body = match fields.get("body") {
        Some(n) => Some(to_json(n, &format!("{path}.body"), d)?),
        None => None,
    };
    Some(MockMatch {
        path: variables.unwrap_or_default(),
        query: query.unwrap_or_default(),
        headers: headers.unwrap_or_default(),
        body,
    })
}

/// A condition's `query` written as a URL's query string (`party=2&size=4`, with or
/// without its `?`): the text as written and the mapping to write in its place.
fn query_string_mapping(node: &Node) -> Option<(&str, String)> {
    let written = node.as_scalar().map(|scalar| scalar.text.as_str()).filter(|text| text.len() <= 200)?;
    let parameters: Option<Vec<(&str, &str)>> =
        written.strip_prefix('?').unwrap_or(written).split('&').map(|pair| pair.split_once('=')).collect();
    let entries: Vec<String> = parameters?
        .into_iter()
        .map(|(name, value)| {
            let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
            is_name.then(|| format!("{name}: {}", yaml::quoted(value)))
        })
        .collect::<Option<_>>()?;
    Some((written, format!("{{ {} }}", entries.join(", "))))
}

/// The path variables a rule matches on; a name the operation does not have is an
/// error at its key (none of an unknown operation's: it has one error already).
fn path_variables(node: &Node, op: Option<&Operation>, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    let Some(fields) = Fields::of(node, path, d) else { return Vec::new() };
    let Some(op) = op else { return pairs_of(&fields, path, d) };
    let known = op.resource.variables.iter().map(|v| v.as_ref());
    for &(name, key, _) in fields.entries.iter().filter(|(name, _, _)| !known.clone().any(|k| k == *name)) {
        let choices = if op.resource.variables.is_empty() {
            "the operation has no path variables".to_string()
        } else {
            format!("its path variables are {}", list_choices(known.clone()))
        };
        d.error(key.span, format!("`{path}.{name}`: `{}` has no path variable `{name}`; {choices}", op.name()));
    }
    pairs_of(&fields, path, d)
}

/// A mapping of names to scalar texts (numbers and booleans as written).
fn text_pairs(node: &Node, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    Fields::of(node, path, d).map_or_else(Vec::new, |fields| pairs_of(&fields, path, d))
}

/// The text at `path`, a header's or query parameter's value; null (`~`, or nothing
/// after the key) is no text, which the ADK's YAML reads as `None`, not as `"null"`.
fn given_text<'n>(node: &'n Node, path: &str, d: &mut Collector) -> Option<&'n str> {
    if node.as_scalar().is_some_and(|scalar| scalar.value() == ScalarValue::Null) {
        d.error(node.span, format!("`{path}` is null, not text; write `\"\"` for an empty value, or remove it"));
        return None;
    }
    text(node, path, d)
}

/// The entries of `fields` (at `path`) as name and text pairs.
fn pairs_of(fields: &Fields<'_>, path: &str, d: &mut Collector) -> Vec<(String, String)> {
    fields
        .entries
        .iter()
        .filter_map(|&(key, _, value)| {
            let value = given_text(value, &format!("{path}.{key}"), d)?;
            Some((key.to_string(), value.to_string()))
        })
        .collect()
}

fn duration(node: &Node, path: &str, d: &mut Collector) -> Option<Duration> {
    let written = text(node, path, d)?;
    parse_duration(written).map_err(|problem| d.error(node.span, format!("`{path}` is `{written}`: {problem}"))).ok()
}
