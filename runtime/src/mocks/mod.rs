//! Mocks: canned answers for operations, so agent code can be tested without the real APIs.
//!
//! Rules come from a PolyAI ADK test case (`api_mocks`, same format and meaning)
//! or are built in Rust with [`Rule`]. A call is answered by the first rule of its
//! operation that has uses left and whose `when` it meets, and uses one of that
//! rule's answers: what the rule gives is what the agent code gets, as in the ADK,
//! whose calls each take one answer, so a mocked 503 or `fail: timeout` is not
//! retried (a call that falls through to the real API is, as any). The rest of the
//! pipeline (URL, the conversation log) runs as with a real server, and every attempt
//! is recorded. In strict mode (the default for mocks built in Rust) a call no rule
//! answers is an error that lists the rules and why each missed; ADK files keep their
//! fall-through to the real API unless they say `strict: true`.

mod matching;
mod recorded;

use std::collections::VecDeque;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use conv_api_definitions::headers::not_a_header_name;
use conv_api_definitions::mocks::{
    self as format, HeaderProblem, MockBody, MockFailure, MockMatch, MockOutcome, MockResponse, Repeat,
};
use conv_api_definitions::names::{did_you_mean, list_choices};
use conv_api_definitions::{Definitions, Span};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, TRANSFER_ENCODING};
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::conversation::ApiSet;
use crate::deadline::LONGEST_WAIT;
use crate::display_text::{shown_name, text_of, DISPLAY_FAILED};
use crate::error::{timed_out, Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::request::json_request::unwritable_json_hint;

pub use conv_api_definitions::mocks::MockFailure as Failure;
pub use recorded::RecordedCall;

/// A set of mock rules, shared by the runtime that uses it and the test that inspects it.
///
/// Clones are handles to one set: a rule added through any clone (`with`, `strict`)
/// is added to all, and to the runtimes built with them. Start from `Mocks::new()`
/// for a set of its own.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::mocks::{Failure, Mocks, Rule};
/// let mocks = Mocks::new()
///     .with(Rule::on("reservations", "check_availability").status(503).times(2))
///     .with(Rule::on("reservations", "check_availability").json(serde_json::json!({ "available": true })))
///     .with(Rule::on("crm", "get_contact").fail(Failure::Connection).forever());
/// assert_eq!(mocks.calls().len(), 0);
/// ```
#[derive(Clone, Default)]
pub struct Mocks {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    strict: Option<bool>,
    rules: Vec<Slot>,
    /// The [`MAX_RECORDED_CALLS`] newest attempts.
    calls: VecDeque<RecordedCall>,
}

/// How many attempts the mocks keep recorded, the newest: a runtime with mocks that
/// lives long (a demo agent) keeps no more, nor the personal data in them.
pub const MAX_RECORDED_CALLS: usize = 10_000;

impl State {
    fn record(&mut self, call: RecordedCall) {
        if self.calls.len() >= MAX_RECORDED_CALLS {
            self.calls.pop_front();
        }
        self.calls.push_back(call);
    }
}

/// A rule and how many calls it has answered.
struct Slot {
    api: String,
    operation: String,
    rule: format::MockRule,
    used: u64,
    /// What a rule built in Rust got wrong, said by every call of its API.
    problems: Vec<String>,
}

/// What the mocks do with one attempt.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A rule answers it.
    Answer(MockAnswer),
    /// No rule answers it and the mocks are not strict: it goes on to the API. With
    /// why its operation's rules did not answer, when it has rules, for the error of
    /// an attempt that then fails: the note starts `; `.
    PassOn(Option<Box<str>>),
}

/// What a mock rule answers for one attempt.
#[derive(Clone, Debug)]
pub(crate) struct MockAnswer {
    /// Wait this long first.
    pub(crate) delay: Option<Duration>,
    /// The response, or the failure to simulate.
    pub(crate) outcome: std::result::Result<MockResponse, MockFailure>,
}

/// Emits each warning of a valid mocks file (see [`format::Mocks::warnings`]) as a
/// `tracing` warning, as `conv-api check --mocks` prints them: the file loads, but
/// likely does not answer as meant.
fn trace_warnings(file: &str, mocks: &format::Mocks) {
    for warning in &mocks.warnings {
        tracing::warn!(target: "conv_api", "{}", warning.render(file));
    }
}

impl Mocks {
    /// An empty, strict set: a call no rule answers is an error.
    pub fn new() -> Mocks {
        Mocks::default()
    }

    /// Loads the `api_mocks` of an ADK test case (or a mocks file) for the APIs of `A`.
    ///
    /// The file is checked against the definitions. Unless it says `strict: true`,
    /// calls its rules do not answer go to the real API. Its warnings are `tracing`
    /// warnings.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Definitions`] when the file fails the check, its `FILE:LINE:COL`
    /// diagnostics the message; the same kind, wrapping the `std::io::Error`
    /// ([`Error::get_ref`]), when it cannot be read.
    pub fn load<A: ApiSet>(path: impl AsRef<Path>) -> Result<Mocks> {
        Mocks::load_for(path, A::definitions())
    }

    /// Like [`Mocks::load`], for definitions loaded at run time: `&apis` (a
    /// [`DynamicApis`](crate::DynamicApis)) or its `definitions()`.
    ///
    /// # Errors
    ///
    /// Those of [`Mocks::load`].
    pub fn load_for(path: impl AsRef<Path>, definitions: &impl AsRef<Definitions>) -> Result<Mocks> {
        let loaded = format::load(&path, definitions.as_ref())?;
        trace_warnings(&conv_api_definitions::shown_path(path.as_ref()), &loaded);
        Ok(Mocks::from_format(loaded))
    }

    /// Mocks from the text of an ADK test case (or a mocks file) for the APIs of `A`,
    /// as [`Mocks::load`] reads a file; `file` names it in diagnostics.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Definitions`] when `text` fails the check, or is larger than a
    /// mocks file may be; its `FILE:LINE:COL` diagnostics are the message.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # fn run<Api: conv_api::ApiSet>() -> conv_api::Result<()> {
    /// let yaml = "api_mocks:\n  zendesk:\n    get_ticket:\n      - respond: { status: 404 }\n";
    /// let mocks = conv_api::mocks::Mocks::parse::<Api>("case.yaml", yaml)?;
    /// # Ok(()) }
    /// ```
    pub fn parse<A: ApiSet>(file: &str, text: &str) -> Result<Mocks> {
        Mocks::parse_for(file, text, A::definitions())
    }

    /// Like [`Mocks::parse`], for definitions loaded at run time: `&apis` (a
    /// [`DynamicApis`](crate::DynamicApis)) or its `definitions()`.
    ///
    /// # Errors
    ///
    /// Those of [`Mocks::parse`].
    pub fn parse_for(file: &str, text: &str, definitions: &impl AsRef<Definitions>) -> Result<Mocks> {
        let parsed = format::parse_bytes(file, text.as_bytes(), definitions.as_ref())
            .map_err(|diagnostics| Error::new(ErrorKind::Definitions, diagnostics.to_string()))?;
        trace_warnings(file, &parsed);
        Ok(Mocks::from_format(parsed))
    }

    /// Mocks from the checked `api_mocks` of a file, the definitions crate's
    /// [`conv_api::definitions::mocks::Mocks`](format::Mocks) (this type has the same
    /// name: it is what a conversation answers from).
    pub fn from_format(mocks: format::Mocks) -> Mocks {
        let rules = mocks
            .apis
            .into_iter()
            .flat_map(|api| {
                let name = api.api;
                api.operations.into_iter().flat_map(move |op| {
                    let (api, operation) = (name.clone(), op.operation);
                    op.rules.into_iter().map(move |rule| Slot {
                        api: api.clone(),
                        operation: operation.clone(),
                        rule,
                        used: 0,
                        problems: Vec::new(),
                    })
                })
            })
            .collect();
        let state = State { strict: Some(mocks.strict.unwrap_or(false)), rules, ..State::default() };
        Mocks { state: Arc::new(Mutex::new(state)) }
    }

    /// Adds a rule after the existing ones.
    pub fn with(self, rule: Rule) -> Mocks {
        let mut slot = rule.into_slot();
        {
            let mut state = self.lock();
            let same_operation = |earlier: &&Slot| earlier.api == slot.api && earlier.operation == slot.operation;
            if state.rules.iter().filter(same_operation).any(|earlier| earlier.rule.answers_every_call_forever()) {
                slot.problems.push(format!(
                    "rule for `{}.{}`: an earlier rule of the operation answers every call forever (`.forever()` with no `when_*` condition), so this one never answers; add the forever rule last, or give it a condition",
                    slot.api, slot.operation
                ));
            }
            state.rules.push(slot);
        }
        self
    }

    /// Whether a call no rule answers is an error (`true`) or goes to the real API.
    pub fn strict(self, strict: bool) -> Mocks {
        self.lock().strict = Some(strict);
        self
    }

    /// Every attempt made while these mocks were installed, answered or not, in order
    /// (the [`MAX_RECORDED_CALLS`] newest).
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.lock().calls.iter().cloned().collect()
    }

    /// The attempts recorded so far, as [`calls`](Mocks::calls) gives them, leaving
    /// none: for a test that checks the calls of each step, and a long-lived runtime.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # use conv_api::mocks::Mocks;
    /// let mocks = Mocks::new();
    /// assert!(mocks.take_calls().is_empty() && mocks.calls().is_empty());
    /// ```
    pub fn take_calls(&self) -> Vec<RecordedCall> {
        std::mem::take(&mut self.lock().calls).into()
    }

    /// The attempts of one operation.
    pub fn calls_to(&self, api: &str, operation: &str) -> Vec<RecordedCall> {
        self.lock().calls.iter().filter(|c| c.api == api && c.operation == operation).cloned().collect()
    }

    /// Checks the rules of API `called` against `definitions` (operation names, path
    /// variables and their values), and what its rules built in Rust got wrong: every
    /// problem of the API's rules, at every call of it. Rules of other APIs are not
    /// checked here, but for an API `definitions` lack whose name is a slip of
    /// `called` ([`misspelt_apis`]): one runtime's mocks may serve conversations over
    /// other definitions (a name no definitions have shows in a strict miss's message).
    fn check(state: &State, definitions: &Definitions, called: &str) -> Result<()> {
        let own: Vec<&Slot> = state.rules.iter().filter(|slot| slot.api == called).collect();
        let mut problems: Vec<String> = own.iter().flat_map(|slot| slot.problems.iter().cloned()).collect();
        let api = definitions.api(called);
        for slot in own {
            let Some(op) = api.and_then(|api| api.operation(&slot.operation)) else {
                let problem = match api {
                    Some(api) => format::unknown_operation(api, &slot.operation),
                    None => {
                        let apis = list_choices(definitions.apis.iter().map(|api| api.name()));
                        format!("the definitions have no API `{called}`; their APIs are {apis}")
                    }
                };
                problems.push(format!("a mock rule names `{}.{}`: {problem}", slot.api, slot.operation));
                continue;
            };
            for (name, value) in slot.rule.when.iter().flat_map(|w| &w.path) {
                let unmatchable = || {
                    let problem = format::unmatchable_path_value(op, name, value)?;
                    Some(format!("path variable `{name}` {problem}; match the value a call gives"))
                };
                if let Some(problem) = format::unknown_path_variable(op, name).or_else(unmatchable) {
                    problems.push(format!("a mock rule of `{}.{}`: {problem}", slot.api, slot.operation));
                }
            }
        }
        problems.extend(misspelt_apis(state, definitions, called));
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::new(ErrorKind::Config, format!("the mocks are not valid: {}", problems.join("; "))))
    }

    /// Records `call` and finds the rule that answers it.
    ///
    /// `Err` is strict mode's miss. `redactor` (the call's API's) masks credentials
    /// the miss messages would show.
    pub(crate) fn answer(&self, call: RecordedCall, definitions: &Definitions, redactor: &Redactor) -> Result<Reply> {
        let mut state = self.lock();
        if let Err(error) = Mocks::check(&state, definitions, &call.api) {
            state.record(call);
            return Err(error);
        }
        let strict = state.strict.unwrap_or(true);
        let (mut misses, mut used_up) = (Vec::new(), false);
        let mut answer = None;
        // rules are numbered within their operation, as they are written under it
        let own = state.rules.iter_mut().filter(|slot| slot.api == call.api && slot.operation == call.operation);
        for (index, slot) in own.enumerate() {
            // a rule that does not match says so, used up or not: more calls would not help
            if let Some(reason) = slot.rule.when.as_ref().and_then(|when| matching::mismatch(when, &call, redactor)) {
                misses.push(format!("rule {} ({}) does not match: {reason}", index + 1, describe(&slot.rule)));
                continue;
            }
            if let Repeat::Times(times) = slot.rule.repeat {
                if slot.used >= times {
                    let answered = if times == 1 { "1 call".to_string() } else { format!("{times} calls") };
                    misses.push(format!(
                        "rule {} ({}) is used up after answering {answered}",
                        index + 1,
                        describe(&slot.rule)
                    ));
                    used_up = true;
                    continue;
                }
            }
            slot.used = slot.used.saturating_add(1);
            answer = Some(MockAnswer { delay: slot.rule.delay, outcome: outcome(&slot.rule.outcome) });
            break;
        }
        // the message of a miss is made only when it is returned (strict mocks)
        if answer.is_none() && strict {
            // the values it shows are the call's, which may hold a secret
            let error =
                unmatched_error(&call, &misses, used_up, &strangers(&state.rules, definitions)).cleaned(redactor);
            state.record(call);
            return Err(error);
        }
        state.record(call);
        Ok(match answer {
            Some(answer) => Reply::Answer(answer),
            None if misses.is_empty() => Reply::PassOn(None),
            // an error of the API's would not say why none of the operation's rules answered
            None => Reply::PassOn(Some(
                redactor.cleaner().text(&format!("; no mock rule answered it: {}", misses.join("; "))).into(),
            )),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MockAnswer {
    /// Waits the delay (within `timeout`, as a slow server would), then gives the
    /// response or the failure.
    pub(crate) async fn play(self, timeout: Duration) -> Result<(StatusCode, HeaderMap, Vec<u8>)> {
        if let Some(delay) = self.delay {
            if delay >= timeout {
                tokio::time::sleep(timeout.min(LONGEST_WAIT)).await;
                return Err(timed_out(timeout).with_note(&format!(" (the mock rule answering waits {delay:?})")));
            }
            tokio::time::sleep(delay.min(LONGEST_WAIT)).await;
        }
        match self.outcome {
            Ok(response) => response_parts(response),
            Err(failure) => Err(failure_error(failure)),
        }
    }
}

fn failure_error(failure: MockFailure) -> Error {
    match failure {
        MockFailure::Timeout => {
            Error::new(ErrorKind::Timeout, "the attempt timed out (a mock rule said `fail: timeout`)")
        }
        MockFailure::Connection => {
            Error::new(ErrorKind::Connect, "cannot connect to the server (a mock rule said `fail: connection`)")
        }
    }
}

/// Status, headers and body of a mock response. A JSON body is sent as JSON, as the
/// ADK keeps it, unless the rule's headers give a content type that is not JSON:
/// then a string is sent as it is (an ADK rule with `content-type: text/plain`). A
/// text body (`Rule::text`) is sent as it is, whatever the content type.
fn response_parts(response: MockResponse) -> Result<(StatusCode, HeaderMap, Vec<u8>)> {
    let invalid = |what: String| Error::new(ErrorKind::Config, format!("a mock response has {what}"));
    let status = StatusCode::from_u16(response.status).map_err(|_| invalid(format!("status {}", response.status)))?;
    let mut headers = HeaderMap::new();
    for (name, value) in &response.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid(format!("header name `{name}`")))?;
        // bytes, not visible ASCII only: a value like `café` is sent as UTF-8; without the
        // blanks around it, which HTTP drops from a server's (RFC 9110 5.5)
        let value = HeaderValue::from_bytes(value.trim_matches([' ', '\t']).as_bytes())
            .map_err(|_| invalid(format!("a bad value for header `{name}`")))?;
        // one content type, the last given, as `Rule::header` keeps it; others may repeat
        if name == CONTENT_TYPE {
            headers.insert(name, value);
        } else {
            headers.append(name, value);
        }
    }
    let declared_not_json = headers
        .get(CONTENT_TYPE)
        .is_some_and(|declared| !String::from_utf8_lossy(declared.as_bytes()).to_ascii_lowercase().contains("json"));
    // a 1xx, 204 or 304 answer has no body (RFC 9110 6.4.1): a client reads none after it
    let bodiless = status.is_informational() || matches!(status.as_u16(), 204 | 304);
    let (body, default_type) = match response.body {
        _ if bodiless => (Vec::new(), None),
        None => (Vec::new(), None),
        Some(MockBody::Json(Value::String(text))) if declared_not_json => (text.into_bytes(), None),
        Some(MockBody::Json(json)) => (json.to_string().into_bytes(), Some("application/json")),
        Some(MockBody::Text(text)) => (text.into_bytes(), Some("text/plain; charset=utf-8")),
    };
    if let (Some(default_type), false) = (default_type, headers.contains_key(CONTENT_TYPE)) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(default_type));
    }
    // as a server says it, unless the rule does, or sends the body in chunks (which
    // no message may say with a length, RFC 9112 6.2)
    if !bodiless && !headers.contains_key(CONTENT_LENGTH) && !headers.contains_key(TRANSFER_ENCODING) {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    Ok((status, headers, body))
}

fn outcome(outcome: &MockOutcome) -> std::result::Result<MockResponse, MockFailure> {
    match outcome {
        MockOutcome::Respond(response) => Ok(response.clone()),
        MockOutcome::Fail(failure) => Err(*failure),
    }
}

fn describe(rule: &format::MockRule) -> String {
    match &rule.outcome {
        MockOutcome::Respond(response) => format!("respond {}", response.status),
        MockOutcome::Fail(MockFailure::Timeout) => "fail: timeout".to_string(),
        MockOutcome::Fail(MockFailure::Connection) => "fail: connection".to_string(),
    }
}

/// The problem of each API that rules name, that `definitions` lack, and that is a
/// slip of `called` (`reservation` for `reservations`): a typo, which would send the
/// calls it meant to mock to the real API, not a rule for other definitions.
fn misspelt_apis(state: &State, definitions: &Definitions, called: &str) -> Vec<String> {
    let names = || definitions.apis.iter().map(|api| api.name());
    (strangers(&state.rules, definitions).into_iter())
        .filter(|api| did_you_mean(api, names()) == Some(called))
        .map(|api| {
            format!("a mock rule names API `{api}`, which the definitions do not have; did you mean `{called}`?")
        })
        .collect()
}

/// The APIs that `rules` name but `definitions` lack, each once.
fn strangers<'a>(rules: &'a [Slot], definitions: &Definitions) -> Vec<&'a str> {
    let mut strangers: Vec<&str> = Vec::new();
    for slot in rules.iter().filter(|slot| definitions.api(&slot.api).is_none()) {
        if !strangers.contains(&slot.api.as_str()) {
            strangers.push(&slot.api);
        }
    }
    strangers
}

/// The strict miss of `call`: why each rule of its operation did not answer, and
/// the APIs that rules name but the call's definitions lack (`strangers`: a typo?).
fn unmatched_error(call: &RecordedCall, misses: &[String], used_up: bool, strangers: &[&str]) -> Error {
    let op = format!("`{}.{}`", call.api, call.operation);
    let mut message = if misses.is_empty() {
        let (api, operation) = (&call.api, &call.operation);
        format!("no mock rule answers {op} (strict mocks); add one with `Rule::on(\"{api}\", \"{operation}\")` (in a mocks file, `{api}: {{ {operation}: [{{ respond: {{ status: 200 }} }}] }}` under `api_mocks:`), or make the mocks non-strict to call the real API")
    } else {
        format!("no mock rule answers this call to {op} (strict mocks): {}", misses.join("; "))
    };
    if used_up {
        message.push_str("; let a rule answer more calls with `.times(n)` or `.forever()` (`repeat: n` or `repeat: -1` in a mocks file)");
    }
    if !strangers.is_empty() {
        let names = list_choices(strangers.iter().copied());
        message.push_str(&format!("; rules name APIs these definitions do not have: {names}"));
    }
    Error::new(ErrorKind::Unmocked, message + "; nothing was sent")
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Mocks")
            .field("strict", &state.strict.unwrap_or(true))
            .field("rules", &state.rules.len())
            .field("calls", &state.calls.len())
            .finish()
    }
}

/// A mock rule built in Rust: which operation, which calls, what answer, how often.
///
/// A rule answers `200` with no body until told otherwise, once unless
/// [`times`](Rule::times) or [`forever`](Rule::forever) say more;
/// [`fail`](Rule::fail) replaces the response with a transport failure.
#[derive(Clone, Debug)]
#[must_use = "add the rule to mocks with `Mocks::with`"]
pub struct Rule {
    api: String,
    operation: String,
    when: Option<MockMatch>,
    response: MockResponse,
    failure: Option<MockFailure>,
    delay: Option<Duration>,
    repeat: Repeat,
    problems: Vec<String>,
}

impl Rule {
    /// A rule for `operation` of `api`.
    pub fn on(api: impl Into<String>, operation: impl Into<String>) -> Rule {
        Rule {
            api: api.into(),
            operation: operation.into(),
            when: None,
            response: MockResponse { status: 200, body: None, headers: Vec::new() },
            failure: None,
            delay: None,
            repeat: Repeat::Times(1),
            problems: Vec::new(),
        }
    }

    /// Answers with `status` (100 to 599; another fails every call of the rule's API
    /// with [`ErrorKind::Config`], which names every problem of that API's rules).
    pub fn status(mut self, status: u16) -> Rule {
        if !format::STATUSES.contains(&status) {
            self.problem(format!("status {status} is not an HTTP status (100 to 599)"));
        }
        self.response.status = status;
        self
    }

    /// Answers with `body` as JSON (`content-type: application/json`, unless
    /// [`header`](Rule::header) sets another).
    pub fn json(mut self, body: impl Serialize) -> Rule {
        match serde_json::to_value(body) {
            Ok(value) => self.response.body = Some(MockBody::Json(value)),
            Err(error) => {
                self.problem(format!("the JSON body cannot be serialized: {error}{}", unwritable_json_hint(&error)))
            }
        }
        self
    }

    /// Answers with `body` as it is (`content-type: text/plain; charset=utf-8`, unless
    /// [`header`](Rule::header) sets another: a JSON fixture read from a file, say).
    pub fn text(mut self, body: impl Into<String>) -> Rule {
        self.response.body = Some(MockBody::Text(body.into()));
        self
    }

    /// Adds a response header; a `content-type` replaces the one set before.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Rule {
        let (name, value) = (name.into(), value.into());
        match format::header_problem(&name, &value) {
            Some(HeaderProblem::Name) => {
                self.problem(format!("the response header name `{}` {}", shown_name(&name), not_a_header_name(&name)))
            }
            Some(HeaderProblem::Value) => self.problem(format!(
                "the value of response header `{name}` holds a control character (CR, LF ...); remove it"
            )),
            None => {}
        }
        if name.eq_ignore_ascii_case(CONTENT_TYPE.as_str()) {
            self.response.headers.retain(|(set, _)| !set.eq_ignore_ascii_case(CONTENT_TYPE.as_str()));
        }
        self.response.headers.push((name, value));
        self
    }

    /// Fails the call instead of answering: a timeout or a connection error, which
    /// the agent code gets at once (a mocked failure is not retried). `failure` is a
    /// [`Failure`] (`conv_api::mocks::Failure`, the definitions' `MockFailure`):
    /// `Rule::on("crm", "get_contact").fail(Failure::Timeout)`.
    pub fn fail(mut self, failure: Failure) -> Rule {
        self.failure = Some(failure);
        self
    }

    /// Answers only calls whose path variable `name` is `value`.
    pub fn when_path(mut self, name: impl Into<String>, value: impl fmt::Display) -> Rule {
        let told = self.problems.len();
        let (name, value) = (name.into(), self.written(&value, "path variable"));
        // a value with no text is the rule's problem already, not one more of its value
        let has_text = self.problems.len() == told;
        let when = self.when();
        if has_text {
            when.path.push((name, value));
        }
        self
    }

    /// Answers only calls with query parameter `name` set to `value`.
    pub fn when_query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Rule {
        let (name, value) = (name.into(), self.written(&value, "query parameter"));
        self.when().query.push((name, value));
        self
    }

    /// `value` as text; a `Display` that fails (which `to_string` would panic on) is
    /// a problem of the rule.
    fn written(&mut self, value: &dyn fmt::Display, what: &str) -> String {
        text_of(value).unwrap_or_else(|partial| {
            self.problem(format!("the {what} value to match: {DISPLAY_FAILED}"));
            partial
        })
    }

    /// Answers only calls with header `name` (any case) set to `value`.
    pub fn when_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Rule {
        self.when().headers.push((name.into(), value.into()));
        self
    }

    /// Answers only calls whose JSON body contains `subset` (objects may have more keys).
    pub fn when_json(mut self, subset: impl Serialize) -> Rule {
        match serde_json::to_value(subset) {
            Ok(value) => self.when().body = Some(value),
            Err(error) => self.problem(format!(
                "the JSON body to match cannot be serialized: {error}{}",
                unwritable_json_hint(&error)
            )),
        }
        self
    }

    /// Waits `delay` before answering (a timeout applies as with a slow server).
    pub fn delay(mut self, delay: Duration) -> Rule {
        self.delay = Some(delay);
        self
    }

    /// Answers `times` calls (at least one: zero fails every call of the rule's
    /// API with [`ErrorKind::Config`], as a bad [`status`](Self::status) does), then
    /// lets the next rule take over.
    pub fn times(mut self, times: u32) -> Rule {
        if times == 0 {
            self.problem("`times(0)` answers no call; use at least 1".to_string());
        }
        self.repeat = Repeat::Times(u64::from(times));
        self
    }

    /// Answers every call from now on.
    pub fn forever(mut self) -> Rule {
        self.repeat = Repeat::Forever;
        self
    }

    fn when(&mut self) -> &mut MockMatch {
        self.when.get_or_insert_with(MockMatch::default)
    }

    fn problem(&mut self, problem: String) {
        self.problems.push(format!("rule for `{}.{}`: {problem}", self.api, self.operation));
    }

    /// The rule in the definitions crate's form, with its problems.
    fn into_slot(self) -> Slot {
        let outcome = match self.failure {
            Some(failure) => MockOutcome::Fail(failure),
            None => MockOutcome::Respond(self.response),
        };
        let rule = format::MockRule {
            when: self.when,
            outcome,
            delay: self.delay,
            repeat: self.repeat,
            span: Span::default(),
        };
        Slot { api: self.api, operation: self.operation, rule, used: 0, problems: self.problems }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_attempts_are_kept_up_to_the_cap() {
        let mut state = State::default();
        let call = |n: usize| RecordedCall::new("shop", &format!("op_{n}"), &Redactor::new());
        for n in 0..MAX_RECORDED_CALLS + 5 {
            state.record(call(n));
        }
        assert_eq!(state.calls.len(), MAX_RECORDED_CALLS);
        assert_eq!(state.calls.front().map(|call| call.operation.as_str()), Some("op_5"));
    }
}
