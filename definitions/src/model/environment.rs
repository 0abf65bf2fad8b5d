//! The deployment stages, and how one API is reached in each.

use std::fmt;
use std::str::FromStr;

use super::{Auth, SecretRef, Span, Spanned, Text};

/// A deployment stage; every API has its own base URL and auth for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Environment {
    /// Draft and Sandbox (key `sandbox`; `draft` at run time).
    Sandbox,
    /// Pre-release (key `pre-release`, also `pre_release`).
    PreRelease,
    /// Live.
    Live,
}

impl Environment {
    /// All environments, in promotion order.
    pub const ALL: [Environment; 3] = [Environment::Sandbox, Environment::PreRelease, Environment::Live];

    /// The names an environment is chosen by at run time (`CONV_ENV`, `conv-api secrets
    /// --env`), as [`FromStr`] reads them: `draft`, which runs on `sandbox`'s entry, then
    /// each key.
    ///
    /// ```
    /// use conv_api_definitions::Environment;
    /// assert!(Environment::RUN_TIME_NAMES.iter().all(|name| name.parse::<Environment>().is_ok()));
    /// assert!(Environment::ALL.iter().all(|environment| Environment::RUN_TIME_NAMES.contains(&environment.key())));
    /// ```
    pub const RUN_TIME_NAMES: [&'static str; 4] = ["draft", "sandbox", "pre-release", "live"];

    /// The key used in definitions files: `sandbox`, `pre-release` or `live`.
    pub const fn key(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::PreRelease => "pre-release",
            Environment::Live => "live",
        }
    }

    /// The environment's part of a conventional secret name: `SANDBOX`, `PRE_RELEASE`, `LIVE`.
    pub const fn secret_part(self) -> &'static str {
        match self {
            Environment::Sandbox => "SANDBOX",
            Environment::PreRelease => "PRE_RELEASE",
            Environment::Live => "LIVE",
        }
    }

    /// The environment a definitions-file key names (`pre_release` too); not `draft`.
    pub fn from_key(key: &str) -> Option<Environment> {
        match key {
            "sandbox" => Some(Environment::Sandbox),
            "pre-release" | "pre_release" => Some(Environment::PreRelease),
            "live" => Some(Environment::Live),
            _ => None,
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An unknown environment name; its message names the environment it seems to mean
/// (`prod`: `live`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown environment `{}`{}; the environments are {}",
    crate::diagnostics::one_line(.0),
    Environment::meant_by(.0).map(|meant| format!(" (did you mean `{meant}`?)")).unwrap_or_default(),
    crate::names::list_choices(Environment::RUN_TIME_NAMES)
)]
pub struct UnknownEnvironment(pub String);

impl Environment {
    /// The environment `name` seems to mean: another tool's name for one (`prod`,
    /// `staging`, `dev`), a misspelling of one, or `draft` (which runs on `sandbox`'s
    /// entry, where a definitions file names environments).
    pub(crate) fn meant_by(name: &str) -> Option<Environment> {
        match name.trim().to_ascii_lowercase().as_str() {
            "draft" => Some(Environment::Sandbox),
            "prod" | "production" => Some(Environment::Live),
            "staging" | "stage" | "preprod" | "pre-prod" | "uat" => Some(Environment::PreRelease),
            "dev" | "development" | "test" | "testing" => Some(Environment::Sandbox),
            key => crate::names::did_you_mean(key, Environment::ALL.into_iter().map(Environment::key))
                .and_then(Environment::from_key),
        }
    }
}

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    /// Parses `draft` and `sandbox` (both [`Environment::Sandbox`]), `pre-release`
    /// (or `pre_release`) and `live`, ignoring case and surrounding space.
    ///
    /// ```
    /// # extern crate conv_api_definitions as conv_api;
    /// use conv_api::Environment;
    /// assert_eq!("draft".parse(), Ok(Environment::Sandbox));
    /// assert_eq!("Pre-Release".parse(), Ok(Environment::PreRelease));
    /// let error = "prod".parse::<Environment>().unwrap_err();
    /// assert!(error.to_string().starts_with("unknown environment `prod` (did you mean `live`?)"), "{error}");
    /// // the name is shown escaped: it may come from anywhere (`CONV_ENV`)
    /// let error = "\u{1b}[31mlive".parse::<Environment>().unwrap_err();
    /// assert!(error.to_string().starts_with("unknown environment `\\u{1b}[31mlive`"), "{error}");
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text.trim().to_ascii_lowercase();
        if key == "draft" {
            return Ok(Environment::Sandbox);
        }
        Environment::from_key(&key).ok_or_else(|| UnknownEnvironment(text.to_string()))
    }
}

/// How one API is reached in one environment. Its `Debug` shows the base URL
/// without user info (a credential written in the file).
#[derive(Clone, PartialEq)]
pub struct EnvironmentConfig {
    /// Which environment.
    pub environment: Environment,
    /// Where the environment's key is in the file.
    pub span: Span,
    /// The base URL without a trailing `/`; empty when not wired up yet.
    pub base_url: Spanned<Text>,
    /// How requests authenticate, with every setting resolved.
    pub auth: Auth,
    /// Extra trust roots and client certificate.
    pub tls: Tls,
}

impl fmt::Debug for EnvironmentConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // destructured, so that a field added later must be shown here too
        let EnvironmentConfig { environment, span, base_url, auth, tls } = self;
        f.debug_struct("EnvironmentConfig")
            .field("environment", environment)
            .field("span", span)
            .field("base_url", &crate::urls::shown(&base_url.value))
            .field("auth", auth)
            .field("tls", tls)
            .finish()
    }
}

impl EnvironmentConfig {
    /// Whether the environment has a base URL.
    pub fn is_wired(&self) -> bool {
        !self.base_url.value.is_empty()
    }

    /// Whether a request of this environment may go over TLS, and so read its `tls:`
    /// secrets, when its calls go to `base_url` (its own, or one given in its place): a
    /// call to a URL that is not plain `http`, or an OAuth 2.0 token request to a
    /// `token_url` that is not plain `http`: the one written in the file, else
    /// `stored_token_url`, the value of the secret it names, when it was read (one not
    /// read may be `https`).
    ///
    /// ```
    /// let yaml = "api_integrations:
    ///   - name: desk
    ///     environments: { sandbox: { base_url: https://desk.example, tls: { ca: { secret: DESK_CA } } } }
    ///     operations: []
    /// ";
    /// let definitions = conv_api_definitions::parse_str("apis.yaml", yaml).unwrap().definitions;
    /// let sandbox = definitions.apis[0].environment(conv_api_definitions::Environment::Sandbox).unwrap();
    /// assert!(sandbox.may_use_tls(&sandbox.base_url.value, None));
    /// assert!(!sandbox.may_use_tls("http://127.0.0.1:8080", None), "a local server in its place");
    /// ```
    pub fn may_use_tls(&self, base_url: &str, stored_token_url: Option<&str>) -> bool {
        !crate::urls::is_plain_http(base_url) || self.token_request_may_use_tls(stored_token_url)
    }

    /// Whether an OAuth 2.0 token request of this environment may go over TLS: its
    /// `token_url` (the one written in the file, else `stored_token_url`, as in
    /// [`may_use_tls`](Self::may_use_tls)) is not plain `http`. No other auth asks for one.
    pub fn token_request_may_use_tls(&self, stored_token_url: Option<&str>) -> bool {
        match &self.auth {
            Auth::OAuth2(oauth) => {
                !oauth.token_url.literal_str().or(stored_token_url).is_some_and(crate::urls::is_plain_http)
            }
            _ => false,
        }
    }
}

/// The keys of an environment's `tls:` block.
pub(crate) const TLS_KEYS: &[&str] = &["ca", "client_cert", "client_key"];

/// Extra TLS material for one environment, all from the secret store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tls {
    /// An extra trusted CA (PEM, or a path to a PEM file).
    pub ca: Option<SecretRef>,
    /// A client certificate for mutual TLS (goes with `client_key`).
    pub client_cert: Option<SecretRef>,
    /// The client certificate's private key.
    pub client_key: Option<SecretRef>,
}

impl Tls {
    /// Whether the `tls:` block sets anything (one left out or empty sets nothing).
    pub fn is_set(&self) -> bool {
        self.ca.is_some() || self.client_cert.is_some() || self.client_key.is_some()
    }
}
