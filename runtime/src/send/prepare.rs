//! Checking a call's arguments and building its request before any attempt: the
//! operation, the URL from the environment's base URL and the path variables, the
//! headers and the body.

use std::sync::Arc;

use conv_api_definitions::names::list_choices;
use conv_api_definitions::{Api, EnvironmentConfig, Operation};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use url::Url;

use crate::conversation::ApiHandle;
use crate::error::{numbered, Context, Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::request::url_build::build_url;
use crate::request::Builder;
use crate::retry::{idempotency_key, IDEMPOTENCY_KEY};
use crate::runtime::{Shared, DEFAULT_TIMEOUT};

use super::attempt::Outgoing;
use super::Prepared;

/// The API, operation and method of a call, for errors and the log.
pub(super) fn call_context(handle: &ApiHandle, operation: usize) -> Context {
    let (api, operation_name) = handle.names(operation);
    Context {
        api,
        operation: operation_name,
        method: handle.operation(operation).map(|op| op.method),
        url: None,
        status: None,
    }
}

/// Checks the arguments and builds the URL, taking the headers and body of `request`;
/// nothing is sent when this fails, and the error shows the URL as far as it is known.
pub(super) fn prepare(request: &mut Builder) -> Result<Prepared> {
    checked(request).map_err(|error| match refused_url(request) {
        Some(url) => error.with_context(&Context { url: Some(url), ..Context::default() }),
        None => error,
    })
}

/// Where a refused call was to go, redacted: its URL when its path variables were
/// all given, once each, and make one (a bad header or timeout was refused), else
/// the base URL and the resource as written
/// (`https://helpdesk.example/api/v2/tickets/{ticket_id}`); none without a base URL.
fn refused_url(request: &Builder) -> Option<Arc<str>> {
    let handle = &request.handle;
    let (api, op) = resolve(handle, request.operation).ok()?;
    let config = api.environment(handle.shared.environment);
    let base = base_url(&handle.shared, api, config).ok()?;
    let (_, redactor) = handle.shared.auth.target(api.name(), config);
    let cleaner = redactor.cleaner();
    let args: Option<Vec<&str>> = request.args.iter().map(Option::as_deref).collect();
    let built = args
        .filter(|args| !request.args_refused && args.len() == op.resource.variables.len())
        .and_then(|args| build_url(&base, &op.resource, &args, &request.query).ok());
    let shown = match built {
        Some(url) => cleaner.shown_url(&url).into_owned(),
        None => format!(
            "{}{}",
            cleaner.shown_url(&base).trim_end_matches('/'),
            cleaner.shown_resource(&op.resource.source.value)
        ),
    };
    Some(shown.into())
}

/// The request `prepare` builds: arguments checked, the URL built, the headers, body
/// and timeout taken from `request`.
fn checked(request: &mut Builder) -> Result<Prepared> {
    if let Some(failure) = request.failure.take() {
        return Err(failure);
    }
    let mut problems = std::mem::take(&mut request.problems);
    if request.timeout.is_some_and(|timeout| timeout.is_zero()) {
        problems.push(
            "the call's `.timeout(..)` is zero, so no attempt could succeed; give it a duration above zero".into(),
        );
    }
    let handle = &request.handle;
    let (api, op) = resolve(handle, request.operation)?;
    // every bad value told with the other problems, not after they are mended
    let given = request.args.iter().enumerate().filter_map(|(index, value)| Some((index, value.as_deref()?)));
    let bad_values = given.filter_map(|(index, value)| op.resource.path_value_problem(index, value));
    problems.extend(bad_values.map(|problem| problem.to_string()));
    let args = match complete_args(op, &request.args, &request.told) {
        Ok(args) => args,
        Err(None) => return Err(invalid_arguments(problems)),
        Err(Some(problem)) => {
            problems.push(problem);
            return Err(invalid_arguments(problems));
        }
    };
    if !problems.is_empty() {
        return Err(invalid_arguments(problems));
    }
    let config = api.environment(handle.shared.environment);
    let (base, unconfigured) = match base_url(&handle.shared, api, config) {
        Ok(base) => (base, false),
        Err(error) => (Arc::new(mock_base_url(&handle.shared, api).ok_or(error)?), true),
    };
    let url = build_url(&base, &op.resource, &args, &request.query)?;
    learn_query_credentials(&url, &handle.shared.redactor);
    let path = match handle.shared.mocks {
        Some(_) => {
            op.resource.variables.iter().zip(&args).map(|(name, value)| (name.to_string(), value.to_string())).collect()
        }
        None => Vec::new(),
    };
    let content_type = request.body.as_ref().and_then(|body| body.content_type);
    let headers = outgoing_headers(std::mem::take(&mut request.headers), content_type, op, &handle.shared.redactor);
    let timeout =
        request.timeout.unwrap_or_else(|| op.timeout_over(api, handle.shared.timeout.unwrap_or(DEFAULT_TIMEOUT)));
    let method = http_method(op.method);
    let outgoing = Outgoing { method, url, headers, body: request.body.take(), timeout };
    Ok(Prepared { operation: request.operation, outgoing, path, unconfigured })
}

/// The headers a call of `op` sends: the caller's `given` (a name set twice keeps
/// its last value, and a sensitive one's value is learnt by `redactor`), the body's
/// `content_type` unless the caller set one, and the idempotency key of an operation
/// that sends one.
fn outgoing_headers(
    given: Vec<(HeaderName, HeaderValue)>,
    content_type: Option<&'static str>,
    op: &Operation,
    redactor: &Redactor,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    // inserted, not appended: a header set twice keeps its last value, as a dict would
    for (name, value) in given {
        if redactor.is_sensitive_header(name.as_str()) {
            redactor.learn_masked_header_value(value.as_bytes());
        }
        headers.insert(name, value);
    }
    if let Some(content_type) = content_type {
        // as reqwest does: a type the caller set (`application/merge-patch+json`) stays
        if !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    if op.sends_idempotency_key() && !headers.contains_key(IDEMPOTENCY_KEY) {
        // the same key on every attempt: each sends a copy of these headers
        if let Ok(key) = HeaderValue::from_str(&idempotency_key()) {
            headers.insert(IDEMPOTENCY_KEY, key);
        }
    }
    headers
}

/// Learns the values of `url`'s query parameters masked by name (`api_key`), set by
/// the caller with `.query(..)` or as an argument of the resource's query, so that
/// an API that echoes one has it masked wherever it shows, as a header's is.
fn learn_query_credentials(url: &Url, redactor: &Redactor) {
    if url.query().is_none() {
        return;
    }
    for (name, value) in url.query_pairs() {
        if redactor.is_sensitive_query_param(&name) {
            redactor.learn_hand_set(&value);
        }
    }
}

/// The HTTP method of an operation's `method`.
fn http_method(method: conv_api_definitions::Method) -> reqwest::Method {
    use conv_api_definitions::Method;
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// `mock://<api>`: the base of calls mocks may answer in an environment without a base URL.
fn mock_base_url(shared: &Shared, api: &Api) -> Option<Url> {
    shared.mocks.as_ref()?;
    Url::parse(&format!("mock://{}", api.name())).ok()
}

/// The API and operation a call names by position in the conversation's definitions.
pub(super) fn resolve(handle: &ApiHandle, operation: usize) -> Result<(&Api, &Operation)> {
    // generated calls name both by position: only definitions that did not read back lack them
    let api = handle.definition().ok_or_else(not_read_back)?;
    Ok((api, handle.operation(operation).ok_or_else(not_read_back)?))
}

/// The `Definitions` error of every call of a generated `Api` whose embedded
/// definitions did not read back.
pub(crate) fn not_read_back() -> Error {
    Error::new(
        ErrorKind::Definitions,
        "the definitions embedded by `conv_api!` did not read back, so no call names an API or operation the runtime has (are conv-api-macros and conv-api-runtime the same version? a `tracing` error says what did not read)",
    )
}

/// Every path variable's value; else the problem naming the missing ones, but for
/// those a problem already told of (none when it told of them all).
fn complete_args<'a>(
    op: &Operation,
    args: &'a [Option<String>],
    told: &[usize],
) -> std::result::Result<Vec<&'a str>, Option<String>> {
    let variables = &op.resource.variables;
    let values: Vec<&str> = args.iter().flatten().map(String::as_str).collect();
    if values.len() == args.len() && args.len() == variables.len() {
        return Ok(values);
    }
    if args.len() != variables.len() {
        let given = match args.len() {
            1 => "1 path variable value is given".to_string(),
            count => format!("{count} path variable values are given"),
        };
        return Err(Some(format!("{given}; {}", op.resource.variables_listed())));
    }
    let missing: Vec<&str> = (variables.iter().zip(args).enumerate())
        .filter(|(index, (_, value))| value.is_none() && !told.contains(index))
        .map(|(_, (name, _))| name.as_ref())
        .collect();
    match missing.as_slice() {
        [] => Err(None),
        [one] => Err(Some(format!("path variable `{one}` is not given; set it with `.arg(\"{one}\", value)`"))),
        _ => Err(Some(format!(
            "path variables {} are not given; set each with `.arg(name, value)`",
            list_choices(missing.iter().copied())
        ))),
    }
}

/// The [`ErrorKind::InvalidArgument`] error of one or more `problems` with a call's
/// arguments, each said in full.
fn invalid_arguments(problems: Vec<String>) -> Error {
    let message = match problems.as_slice() {
        [one] => format!("{one}; nothing was sent"),
        many => format!("{}; nothing was sent", numbered("with the arguments", many)),
    };
    Error::new(ErrorKind::InvalidArgument, message)
}

/// The base URL: the builder's override, else the environment's, else `NotConfigured`.
pub(crate) fn base_url(shared: &Shared, api: &Api, config: Option<&EnvironmentConfig>) -> Result<Arc<Url>> {
    if let Some(url) = shared.base_urls.get(api.name()) {
        return Ok(Arc::clone(url));
    }
    let environment = shared.environment;
    let not_configured = || {
        // `base_url: ""` is written to say "not wired up yet": it is set, not added
        let (why, fix) = match config {
            Some(_) => ("its `base_url` is empty: not wired up yet", "set"),
            None => ("no base URL", "add"),
        };
        let message = format!(
            "API `{}` is not configured for environment `{environment}` ({why}); {fix} `base_url` under `environments: {environment}:` in the definitions file, or call `Runtime::builder().base_url(\"{}\", ..)`",
            api.name(),
            api.name()
        );
        Error::new(ErrorKind::NotConfigured, message)
    };
    let text = config.filter(|config| config.is_wired()).ok_or_else(not_configured)?.base_url.value.as_ref();
    shared.parsed_base_urls.get(text, &shared.redactor).map_err(|error| not_configured().with_source(error))
}

/// The `NotConfigured` error of an environment without a base URL.
pub(super) fn not_configured(shared: &Shared, api: &Api, config: Option<&EnvironmentConfig>) -> Error {
    match base_url(shared, api, config) {
        Err(error) => error,
        Ok(_) => Error::new(ErrorKind::NotConfigured, format!("API `{}` is not configured (no base URL)", api.name())),
    }
}
