//! The runtime's builder: its settings, checked all at once when it builds.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use conv_api_definitions::headers::{not_a_header_name, MAX_HEADER_NAME_BYTES};
use conv_api_definitions::urls::{check_url, dot_segments_problem, UrlUse};
use conv_api_definitions::{Environment, RetryPolicy};
use foldhash::{HashMap, HashMapExt};
use reqwest::header::HeaderValue;
use url::Url;

use crate::auth::{basic, Authenticator, TokenClientSetup, DEFAULT_TOKEN_TIMEOUT};
use crate::definitions::in_use::DefinitionsInUse;
use crate::display_text::cut_name;
use crate::error::{all_of, Error, ErrorKind, Result};
use crate::http::call_client::{build_client, client_builder};
use crate::http::clients::Clients;
use crate::http::header_text::header_value;
use crate::http::proxy::{environment_proxies, EnvironmentProxies};
use crate::http::tls::TlsClients;
use crate::mocks::Mocks;
use crate::redact::Redactor;
use crate::retry::{Retries, RetryBudget, RetrySetup};
use crate::secrets::{DotenvError, DotenvSecretStore, EnvSecretStore, LayeredSecretStore, SecretStore, StoreInUse};

use super::{
    ParsedUrls, Runtime, Shared, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES, ENVIRONMENT_VARIABLE, USER_AGENT,
};

/// Settings of a [`Runtime`]; every one has a documented default.
///
/// Defaults: environment from `CONV_ENV` else Sandbox; connect timeout
/// [`DEFAULT_CONNECT_TIMEOUT`]; total time of one attempt from the call's
/// `.timeout(..)`, else the operation's or API's `timeout:`, else the builder's
/// [`timeout`](RuntimeBuilder::timeout), else [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT);
/// response bodies capped at [`DEFAULT_MAX_BODY_BYTES`]. Transient failures of GET,
/// PUT, DELETE and operations declared `idempotent: true` are retried per the
/// operation's `retry:`, else the API's, else the builder's
/// [`retry`](RuntimeBuilder::retry), else [`DEFAULT_RETRY`](crate::DEFAULT_RETRY)
/// (full-jitter backoff, `Retry-After` honoured up to the policy's `max_delay` or
/// [`retry_after_cap`](RuntimeBuilder::retry_after_cap)) within a per-runtime
/// [`RetryBudget`]; see [`Error::is_retryable`]. A call asked to wait longer is not
/// retried: it returns the answer, whose `raise_for_status()` is
/// [`RateLimited`](ErrorKind::RateLimited).
#[derive(Default)]
#[must_use = "call `.build()` to get the runtime"]
pub struct RuntimeBuilder {
    environment: Option<Environment>,
    base_urls: Vec<(String, String)>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    token_timeout: Option<Duration>,
    max_body_bytes: Option<usize>,
    retries: RetrySetup,
    secrets: Option<Arc<dyn SecretStore>>,
    dotenv: Option<PathBuf>,
    mocks: Option<Mocks>,
    masked_headers: Vec<String>,
    masked_query_params: Vec<String>,
    user_agent: Option<String>,
}

impl fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeBuilder")
            .field("environment", &self.environment)
            .field("base_urls", &self.base_urls.iter().map(|(api, _)| api).collect::<Vec<_>>())
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("token_timeout", &self.token_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retries", &self.retries)
            .field("secrets", &self.secrets.as_ref().map(|store| store.describe()))
            .field("dotenv", &self.dotenv)
            .field("mocks", &self.mocks)
            .field("masked_headers", &self.masked_headers)
            .field("masked_query_params", &self.masked_query_params)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl RuntimeBuilder {
    /// Where auth reads secrets; default [`EnvSecretStore`] (environment variables
    /// named exactly as the secret). Plug a vault by implementing [`SecretStore`].
    pub fn secrets(mut self, store: impl SecretStore + 'static) -> Self {
        self.secrets = Some(Arc::new(store));
        self
    }

    /// Also reads secrets from the dotenv-style file at `path` (local development),
    /// asked after the store of [`secrets`](Self::secrets) (or the environment
    /// variables); [`build`](Self::build) reads the file and fails if it cannot.
    pub fn dotenv(mut self, path: impl Into<PathBuf>) -> Self {
        self.dotenv = Some(path.into());
        self
    }

    /// The environment every call goes to; default: `CONV_ENV` (`draft`, `sandbox`,
    /// `pre-release`, `live`), else [`Environment::Sandbox`]; a `CONV_ENV` naming none
    /// of them fails [`build`](Self::build).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// Sends every call of API `api` to `url` instead of the environment's base URL
    /// (tests, local development); checked by [`build`](Self::build). A local `url` (a
    /// loopback address, as a mock server's) takes the API's OAuth 2.0 token requests
    /// too when the `token_url` written in the file is on the server of the file's base
    /// URL, at the same path; one on another server stays. A name that no API of a
    /// conversation has is reported once, as a `tracing` warning. Any text will do:
    /// `&str`, `String`, or a reference to either (`&mock_server_uri`).
    pub fn base_url(mut self, api: impl AsRef<str>, url: impl AsRef<str>) -> Self {
        self.base_urls.push((api.as_ref().to_string(), url.as_ref().to_string()));
        self
    }

    /// The time to establish a connection; default [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The whole time of an OAuth 2.0 token request; default
    /// [`DEFAULT_TOKEN_TIMEOUT`]. A call waits for
    /// a token request at most until its own attempt's timeout; a request that takes
    /// longer goes on, up to this, and its token serves the calls that follow (a
    /// retry waits for the same request). Keep it shorter than the calls' timeout:
    /// a token server that does not answer is then told as itself, an `Auth` error
    /// after this long; as long as an attempt, the attempt's `Timeout` comes first,
    /// and its retry may find the request over and ask again.
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.token_timeout = Some(timeout);
        self
    }

    /// The total time of one attempt for operations whose operation and API set none
    /// in the definitions; default [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT). A call's `.timeout(..)` wins
    /// over all three.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Also masks the header `name` (any case, whitespace around it ignored) in every
    /// log entry and error of the runtime, as
    /// [`SENSITIVE_HEADERS`](crate::SENSITIVE_HEADERS) are: a session header your API
    /// sends back, say. A name that is no header name fails [`build`](Self::build).
    pub fn mask_header(mut self, name: impl Into<String>) -> Self {
        self.masked_headers.push(name.into().trim().to_string());
        self
    }

    /// Also masks the value of the query parameter `name` (any case, whitespace around
    /// it ignored) in every URL the runtime logs or shows, as
    /// [`SENSITIVE_QUERY_PARAMS`](crate::SENSITIVE_QUERY_PARAMS) are. An empty name
    /// fails [`build`](Self::build).
    pub fn mask_query_param(mut self, name: impl Into<String>) -> Self {
        self.masked_query_params.push(name.into().trim().to_string());
        self
    }

    /// The largest response body read; default [`DEFAULT_MAX_BODY_BYTES`]. Zero is
    /// refused by [`build`](Self::build): no answer with a body could be read.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// The retry policy of operations whose definitions set none, field by field
    /// under the operation's and API's `retry:` keys; default [`DEFAULT_RETRY`](crate::DEFAULT_RETRY).
    /// `attempts: 1` turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retries.policy = Some(policy);
        self
    }

    /// The longest `Retry-After` the runtime waits for, for every API; default: the
    /// call's retry policy's `max_delay`. A call asked to wait longer is not retried:
    /// it returns the answer, whose [`raise_for_status`](crate::Response::raise_for_status)
    /// is an [`ErrorKind::RateLimited`] error saying how long the server asked to wait.
    pub fn retry_after_cap(mut self, cap: Duration) -> Self {
        self.retries.retry_after_cap = Some(cap);
        self
    }

    /// How many retries the runtime may make in all; default [`DEFAULT_RETRY_BUDGET`](crate::DEFAULT_RETRY_BUDGET)
    /// (20 % on top of the calls, at least 5 a second).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retries.budget = Some(budget);
        self
    }

    /// Answers calls from `mocks` instead of the real APIs (see [`Mocks`]): for tests.
    ///
    /// Keep a clone of `mocks` to inspect the calls afterwards; rule counters are
    /// shared by every conversation of the runtime.
    pub fn mocks(mut self, mocks: Mocks) -> Self {
        self.mocks = Some(mocks);
        self
    }

    /// The `User-Agent` of every request, API calls and OAuth 2.0 token requests, in
    /// place of [`USER_AGENT`] (`acme-voice-agent/2.1`); a call's own
    /// [`header`](crate::Request::header) still replaces it.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Checks the settings and builds the runtime and its HTTP client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`], saying which setting and how
    /// to fix it, for: a `CONV_ENV` that names no environment (without
    /// [`environment`](Self::environment)); a zero timeout, connect timeout or token
    /// timeout; a retry
    /// policy that cannot work; a `max_body_bytes` of 0; a user agent with a control
    /// character; a masked header
    /// or query parameter name that names none; a base URL that is not an `http(s)` URL; a
    /// dotenv file that cannot be read or holds a bad line; an HTTP client that cannot
    /// be set up. Every problem of the settings is said, in one error.
    ///
    /// A proxy environment variable (`HTTPS_PROXY` ...) that is no usable proxy URL
    /// (`socks5://`, `htpp://`) is a `tracing` warning here, and each request it would
    /// serve fails with [`ErrorKind::Config`], saying why, before anything is sent:
    /// those to loopback hosts and to the hosts `NO_PROXY` lists, which go directly,
    /// and the mocks' answers are not held up by it.
    pub fn build(self) -> Result<Runtime> {
        let mut problems = check_settings(&self);
        let chosen_in_code = self.environment.is_some();
        let environment = self.environment.map_or_else(environment_from_env, Ok);
        let environment = environment.map_err(|error| problems.push(error)).ok();
        let base_urls = check_base_urls(self.base_urls, &mut problems);
        let store = secret_store(self.secrets, self.dotenv).map_err(|error| problems.push(error)).ok();
        let (environment, store) = match (environment, store, all_of(problems, "in the runtime's settings")) {
            (Some(environment), Some(store), None) => (environment, store),
            // a setting missing here was a problem pushed above
            (_, _, problem) => {
                return Err(problem.unwrap_or_else(|| Error::new(ErrorKind::Config, "the settings are not valid")))
            }
        };
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let mut redactor = Redactor::new();
        self.masked_headers.iter().for_each(|name| redactor.mask_header(name));
        self.masked_query_params.iter().for_each(|name| redactor.mask_query_param(name));
        base_urls.values().for_each(|url| basic::know_url_user_info(url, &redactor));
        let token_timeout = self.token_timeout.unwrap_or(DEFAULT_TOKEN_TIMEOUT);
        let base_urls = Arc::new(base_urls);
        // checked above
        let user_agent = self.user_agent.as_deref().and_then(|agent| header_value(agent).ok());
        let user_agent = user_agent.unwrap_or_else(|| HeaderValue::from_static(USER_AGENT));
        // read once: every client of the runtime, its calls' and its token requests',
        // goes through the same proxies
        let EnvironmentProxies { proxies, routes, problems, with_user_info } = environment_proxies();
        with_user_info.iter().for_each(|url| basic::know_url_user_info(url, &redactor));
        for problem in problems {
            tracing::warn!(target: "conv_api", "{problem}; the requests it would serve fail until then");
        }
        let proxy_routes = Arc::new(routes);
        let token_clients = TokenClientSetup {
            user_agent: user_agent.clone(),
            proxies: proxies.clone(),
            routes: Arc::clone(&proxy_routes),
            connect_timeout,
        };
        // a missing secret's message offers no name read by the definitions the runtime serves
        let definitions_in_use = Arc::new(DefinitionsInUse::default());
        let store: Arc<dyn SecretStore> = Arc::new(StoreInUse::new(store, Arc::clone(&definitions_in_use)));
        let auth =
            Authenticator::new(store.clone(), redactor.clone(), token_timeout, Arc::clone(&base_urls), token_clients)?;
        let agent = user_agent.clone();
        let builder = move || client_builder(connect_timeout, &proxies, &agent);
        let for_tls = builder.clone();
        let tls = TlsClients::new(store, redactor.clone(), for_tls);
        let shared = Shared {
            clients: Clients::new(move || build_client(builder()))?,
            environment,
            base_urls,
            unmatched_overrides: Mutex::default(),
            definitions_in_use,
            parsed_base_urls: ParsedUrls::default(),
            connect_timeout,
            proxy_routes,
            timeout: self.timeout,
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            redactor,
            auth,
            retries: Retries::new(self.retries),
            tls,
            mocks: self.mocks,
            user_agent,
        };
        // where a deployment's environment came from, for the operator who reads its start-up
        let chosen_by = match chosen_in_code {
            true => "the builder's `.environment(..)`",
            false if std::env::var(ENVIRONMENT_VARIABLE).is_ok_and(|value| !value.trim().is_empty()) => "`CONV_ENV`",
            false => "default: `CONV_ENV` is not set",
        };
        tracing::info!(target: "conv_api", %environment, chosen_by, "runtime built for environment `{environment}`");
        Ok(Runtime { shared: Arc::new(shared) })
    }
}

/// What is wrong with the builder's timeouts and retry policy, held to the rules of
/// a definitions file.
fn check_settings(builder: &RuntimeBuilder) -> Vec<Error> {
    let invalid = |message: String| Error::new(ErrorKind::Config, message);
    let mut problems = Vec::new();
    let timeouts = [
        ("timeout", builder.timeout, "call"),
        ("connect_timeout", builder.connect_timeout, "call"),
        ("token_timeout", builder.token_timeout, "OAuth 2.0 call"),
    ];
    for (setting, value, calls) in timeouts {
        if value.is_some_and(|value| value.is_zero()) {
            problems.push(invalid(format!(
                "`Runtime::builder().{setting}(..)` is zero, so no {calls} could succeed; give it a duration above zero"
            )));
        }
    }
    if builder.max_body_bytes == Some(0) {
        problems.push(invalid(
            "`Runtime::builder().max_body_bytes(0)` lets no response body through, so every answer with a body would fail; give it a size above zero (the default is 10 MiB)".to_string(),
        ));
    }
    for problem in builder.retries.policy.as_ref().map(RetryPolicy::problems).unwrap_or_default() {
        problems.push(invalid(format!("the retry policy of `Runtime::builder().retry(..)` is not valid: {problem}")));
    }
    for name in &builder.masked_headers {
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            let problem = match name.len() > MAX_HEADER_NAME_BYTES {
                true => not_a_header_name(name),
                false => {
                    "names no header, so it would mask nothing; give a header name (letters, digits and `-`)".into()
                }
            };
            problems.push(invalid(format!("`Runtime::builder().mask_header({:?})` {problem}", cut_name(name))));
        }
    }
    if builder.masked_query_params.iter().any(String::is_empty) {
        problems.push(invalid(
            "`Runtime::builder().mask_query_param(..)` is given an empty name, which would mask nothing; give the parameter's name".to_string(),
        ));
    }
    if let Some(Err(problem)) = builder.user_agent.as_deref().map(header_value) {
        problems.push(invalid(format!("`Runtime::builder().user_agent(..)` {}", problem.says())));
    }
    problems
}

/// The environment `CONV_ENV` names; Sandbox when it is unset, empty or blank.
fn environment_from_env() -> Result<Environment> {
    match std::env::var(ENVIRONMENT_VARIABLE) {
        Ok(value) => environment_from_variable(Some(&value)),
        Err(std::env::VarError::NotPresent) => environment_from_variable(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::new(
            ErrorKind::Config,
            format!("`{ENVIRONMENT_VARIABLE}` is not valid text; set it to `draft`, `sandbox`, `pre-release` or `live`, or unset it"),
        )),
    }
}

/// The environment `CONV_ENV`'s `value` names, or Sandbox when it is unset, empty or blank.
pub(crate) fn environment_from_variable(value: Option<&str>) -> Result<Environment> {
    match value.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(Environment::Sandbox),
        Some(value) => value.parse().map_err(|error| {
            Error::new(
                ErrorKind::Config,
                format!("`{ENVIRONMENT_VARIABLE}` is invalid: {error}; set it to one of them or unset it"),
            )
        }),
    }
}

/// The store auth reads: `store` (default: environment variables), then the dotenv file.
fn secret_store(store: Option<Arc<dyn SecretStore>>, dotenv: Option<PathBuf>) -> Result<Arc<dyn SecretStore>> {
    let store = store.unwrap_or_else(|| Arc::new(EnvSecretStore));
    let Some(path) = dotenv else {
        return Ok(store);
    };
    let file = DotenvSecretStore::from_path(&path).map_err(|error| match error {
        // a directory's error says to give a file's path already
        DotenvError::Read { error: ref read, .. } if read.kind() != std::io::ErrorKind::IsADirectory => {
            Error::from(error).with_suffix("; give `Runtime::builder().dotenv(..)` the path of a readable file")
        }
        // the error shows the first bad line: the command shows each
        DotenvError::Parse { ref problems, more, .. } if problems.len() + more > 1 => {
            let command = format!("conv-api secrets <definitions file> --check --dotenv {}", shell_word(&path));
            Error::from(error).with_suffix(&format!("; `{command}` lists each"))
        }
        _ => Error::from(error),
    })?;
    Ok(Arc::new(LayeredSecretStore::new().then(store).then(file)))
}

/// `path` as a shell reads it as one word: as it is when it has no character a shell
/// treats apart, else in single quotes.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c);
    match !text.is_empty() && text.chars().all(plain) {
        true => text.into_owned(),
        false => format!("'{}'", text.replace('\'', "'\\''")),
    }
}

/// The builder's base URLs, parsed; a problem for each that is not a base URL, or
/// has a dot segment (a definitions file's is a warning, which a builder has no
/// place for).
fn check_base_urls(overrides: Vec<(String, String)>, problems: &mut Vec<Error>) -> HashMap<String, Arc<Url>> {
    let mut checked = HashMap::new();
    for (api, text) in overrides {
        match check_url(&text, UrlUse::BaseUrl) {
            Ok(url) => match dot_segments_problem(&text, &url) {
                Some(problem) => problems.push(Error::new(
                    ErrorKind::Config,
                    format!("the base URL given for API `{api}` with `Runtime::builder().base_url(..)` {problem}"),
                )),
                None => {
                    checked.insert(api, Arc::new(url));
                }
            },
            Err(reasons) => {
                for reason in reasons {
                    problems.push(Error::new(
                        ErrorKind::Config,
                        format!("the base URL given for API `{api}` with `Runtime::builder().base_url(..)` {reason}"),
                    ));
                }
            }
        }
    }
    checked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_borrows_for_generic_args, reason = "the borrows are what is tested")]
    fn a_base_url_override_takes_any_text_and_references_to_it() {
        let owned = String::from("http://127.0.0.1:1");
        let borrowed: &str = &owned;
        let builder = Runtime::builder()
            .base_url("a", &borrowed)
            .base_url(String::from("b"), &owned)
            .base_url("c", owned.clone());
        let urls: Vec<(&str, &str)> = builder.base_urls.iter().map(|(api, url)| (api.as_str(), url.as_str())).collect();
        assert_eq!(urls, [("a", borrowed), ("b", borrowed), ("c", borrowed)]);
    }

    #[test]
    fn environment_variable_values() {
        assert_eq!(environment_from_variable(None).unwrap(), Environment::Sandbox);
        assert_eq!(environment_from_variable(Some(" ")).unwrap(), Environment::Sandbox);
        assert_eq!(environment_from_variable(Some("draft")).unwrap(), Environment::Sandbox);
        assert_eq!(environment_from_variable(Some("LIVE")).unwrap(), Environment::Live);
        let error = environment_from_variable(Some("prod")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(error.to_string().contains("`pre-release`"), "{error}");
    }

    #[test]
    fn a_path_is_one_word_for_a_shell() {
        let word = |path: &str| shell_word(std::path::Path::new(path));
        assert_eq!(word("/srv/agent/.env"), "/srv/agent/.env");
        assert_eq!(word("my secrets.env"), "'my secrets.env'");
        assert_eq!(word("it's.env"), "'it'\\''s.env'");
        assert_eq!(word("$HOME.env"), "'$HOME.env'");
    }

    #[test]
    fn invalid_base_url_override_fails_the_build() {
        let error = Runtime::builder().base_url("zendesk", "https://x.example/?a=1").build().unwrap_err();
        assert!(error.to_string().contains("API `zendesk`"), "{error}");
    }
}
