//! The runtime: one per process, shared by every conversation; `builder` makes it.

mod builder;
mod preflight;

pub use builder::RuntimeBuilder;

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use arc_swap::ArcSwap;
use conv_api_definitions::names::did_you_mean_hint;
use conv_api_definitions::urls::is_loopback;
use conv_api_definitions::{Auth, Configured, Definitions, Environment, EnvironmentConfig};
use foldhash::{HashMap, HashMapExt};
use reqwest::header::HeaderValue;
use url::Url;

use crate::auth::{basic, Authenticator};
use crate::conversation::{ApiSet, Bindings, Conv, DefinitionsRef};
use crate::definitions::dynamic::{listed_names, DynamicApi, DynamicApis};
use crate::definitions::in_use::DefinitionsInUse;
use crate::error::Error;
use crate::http::clients::Clients;
use crate::http::proxy::ProxyRoutes;
use crate::http::tls::TlsClients;
use crate::log::Log;
use crate::mocks::Mocks;
use crate::redact::Redactor;
use crate::retry::Retries;
use crate::secrets::{missing_secrets_at, ListedOnce, MissingSecret};

/// The variable that names the environment when the builder does not.
pub const ENVIRONMENT_VARIABLE: &str = "CONV_ENV";

/// The default time to establish a connection (TCP and TLS): 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The default total time of one attempt when neither the call, the operation, the
/// API nor [`RuntimeBuilder::timeout`] sets one: 10 s (the definitions' default).
pub const DEFAULT_TIMEOUT: Duration = conv_api_definitions::DEFAULT_TIMEOUT;

/// The default cap on a response body: 10 MiB. Larger bodies give
/// [`ErrorKind::BodyTooLarge`](crate::ErrorKind::BodyTooLarge); reading stops at the cap.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// The `User-Agent` of every request, API calls and OAuth 2.0 token requests alike,
/// unless [`RuntimeBuilder::user_agent`] gives another or the call sets its own with
/// [`Request::header`](crate::Request::header): some APIs refuse requests without one,
/// as `requests` sends one too.
pub const USER_AGENT: &str = concat!("conv-api/", env!("CARGO_PKG_VERSION"));

/// Shares connections, credentials and settings between conversations; build it
/// once per process with [`Runtime::builder`]. Cloning is cheap.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{DynamicApis, Environment, Runtime};
/// let runtime = Runtime::builder()
///     .environment(Environment::Sandbox) // else from `CONV_ENV`
///     .base_url("helpdesk", "http://127.0.0.1:8080") // a local server, in tests
///     .build()?;
/// let yaml = "api_integrations:
///   - name: helpdesk
///     environments: { sandbox: { base_url: https://sandbox.helpdesk.example } }
///     operations: [{ name: get_ticket, method: GET, resource: \"/tickets/{ticket_id}\" }]
/// ";
/// let apis = DynamicApis::parse("apis.yaml", yaml)?;
/// assert!(runtime.dynamic_preflight(&apis).is_empty(), "nothing would fail every call");
/// let conv = runtime.dynamic_conversation(&apis); // one per conversation: its own log
/// assert!(conv.log.entries().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Runtime {
    pub(crate) shared: Arc<Shared>,
}

/// What every call of a runtime reads.
pub(crate) struct Shared {
    /// The HTTP client of each tokio runtime calls run on.
    pub(crate) clients: Clients,
    pub(crate) environment: Environment,
    pub(crate) base_urls: Arc<HashMap<String, Arc<Url>>>,
    /// Base URL overrides already warned about for naming no API of a conversation.
    pub(crate) unmatched_overrides: Mutex<Vec<String>>,
    /// The definitions conversations started over and start-up checks read: the
    /// credentials the redactor keeps room for, and the secret names the store's
    /// view leaves out.
    definitions_in_use: Arc<DefinitionsInUse>,
    pub(crate) parsed_base_urls: ParsedUrls,
    pub(crate) connect_timeout: Duration,
    /// The hosts the environment's proxies are used for, for the errors of timeouts
    /// and failed handshakes through them, and the advice of a proxy's 407.
    pub(crate) proxy_routes: Arc<ProxyRoutes>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_body_bytes: usize,
    pub(crate) redactor: Redactor,
    pub(crate) auth: Authenticator,
    pub(crate) retries: Retries,
    pub(crate) tls: TlsClients,
    pub(crate) mocks: Option<Mocks>,
    /// The `User-Agent` of every request that sets none.
    pub(crate) user_agent: HeaderValue,
}

/// The base URLs of the definitions, parsed once each rather than on every call;
/// calls read them without a lock. At most [`MAX_PARSED_URLS`] are kept: a runtime
/// serving tenants that come and go would otherwise keep every URL it ever saw.
#[derive(Default)]
pub(crate) struct ParsedUrls {
    parsed: ArcSwap<HashMap<String, Arc<Url>>>,
}

/// How many parsed base URLs a runtime keeps; past it, the next one starts afresh
/// (each is parsed again on its next call, some microseconds).
const MAX_PARSED_URLS: usize = 1024;

impl ParsedUrls {
    /// `text` parsed; kept for the next call when it parses. The first parse tells
    /// `redactor` the credentials of its user info, if any.
    pub(crate) fn get(&self, text: &str, redactor: &Redactor) -> std::result::Result<Arc<Url>, url::ParseError> {
        if let Some(url) = self.parsed.load().get(text) {
            return Ok(Arc::clone(url));
        }
        let url = Arc::new(Url::parse(text)?);
        basic::know_url_user_info(&url, redactor);
        self.parsed.rcu(|parsed| {
            let mut parsed = if parsed.len() < MAX_PARSED_URLS { HashMap::clone(parsed) } else { HashMap::new() };
            parsed.insert(text.to_string(), Arc::clone(&url));
            parsed
        });
        Ok(url)
    }
}

impl Runtime {
    /// A builder with every setting at its default.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// The environment every call goes to.
    pub fn environment(&self) -> Environment {
        self.shared.environment
    }

    /// The redactor of this runtime, to register secrets that logs must never show.
    pub fn redactor(&self) -> &Redactor {
        &self.shared.redactor
    }

    /// The secrets that the APIs of `A` (the `Api` type `conv_api!` generates) need in
    /// this runtime's environment and that its store lacks (or holds empty or blank):
    /// check them at start-up, as `conv-api secrets --check` does for environment
    /// variables, rather than on a caller's first call. Each secret is named once,
    /// with its setting and the first API that reads it.
    /// An API is checked where it is wired (has a base URL, or one from
    /// [`RuntimeBuilder::base_url`]); definitions that did not read back (see
    /// [`ErrorKind::Definitions`](crate::ErrorKind::Definitions)) have nothing to check, and every call fails.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # fn start<Api: conv_api::ApiSet>(runtime: &conv_api::Runtime) {
    /// for missing in runtime.missing_secrets::<Api>() {
    ///     eprintln!("{missing}"); // names the secret and says how to set it
    /// }
    /// # }
    /// ```
    #[must_use]
    pub fn missing_secrets<A: ApiSet>(&self) -> Vec<MissingSecret> {
        self.missing_secrets_in(&DefinitionsRef::Static(A::definitions()))
    }

    /// [`missing_secrets`](Runtime::missing_secrets) for definitions loaded at run time.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{DynamicApis, Environment, MapSecretStore, Runtime};
    /// let yaml = "api_integrations:
    ///   - name: zendesk
    ///     environments: { live: { base_url: https://z.example, auth_type: apiKey } }
    ///     operations: []
    /// ";
    /// let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    /// let runtime = Runtime::builder().environment(Environment::Live).secrets(MapSecretStore::new()).build().unwrap();
    /// let missing: Vec<String> = runtime.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
    /// assert_eq!(missing, ["ZENDESK_LIVE_API_KEY"]);
    /// ```
    #[must_use]
    pub fn dynamic_missing_secrets(&self, apis: &DynamicApis) -> Vec<MissingSecret> {
        self.missing_secrets_in(&DefinitionsRef::Shared(apis.shared()))
    }

    /// Everything that would fail every call of an API of `A` (the `Api` type
    /// `conv_api!` generates) in this runtime's environment, found without sending
    /// anything: run it at start-up and refuse to take traffic on a problem. Each is the
    /// error a call would get: [`ErrorKind::NotConfigured`](crate::ErrorKind::NotConfigured) for an API with no base URL
    /// here, [`ErrorKind::MissingSecret`](crate::ErrorKind::MissingSecret) for each secret its auth or `tls:` settings
    /// need and the store lacks, [`ErrorKind::Auth`](crate::ErrorKind::Auth) for a credential the store holds
    /// that no request can carry (a key with a line break, a token URL that is no
    /// URL, credentials over plain `http`), [`ErrorKind::Config`](crate::ErrorKind::Config) for `tls:` material
    /// that is no PEM and for a proxy variable (`HTTPS_PROXY`) that is no proxy URL,
    /// [`ErrorKind::Definitions`](crate::ErrorKind::Definitions) when the definitions `conv_api!` embedded did not
    /// read back. Each problem of an API names it ([`Error::api`]), and a missing
    /// secret's names the environment too, as a call's error does.
    /// [`missing_secrets`](Runtime::missing_secrets) names the missing secrets alone.
    /// A [`base_url`](RuntimeBuilder::base_url) override that names no API of `A` is
    /// no problem here, as a runtime may serve the `Api` types of several files: the
    /// first conversation over `A` says so in a `tracing` warning.
    ///
    /// An API the agent does not use in this environment fails the check as
    /// `NotConfigured`: filter those out by kind if that is by design. Mocks are not
    /// consulted: it checks the deployment, as calls no mock rule answers meet it.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// # fn start<Api: conv_api::ApiSet>(runtime: &conv_api::Runtime) -> Result<(), String> {
    /// let problems = runtime.preflight::<Api>();
    /// for problem in &problems {
    ///     eprintln!("{problem}"); // says what to fix
    /// }
    /// if !problems.is_empty() {
    ///     return Err(format!("{} problem(s) in {}", problems.len(), runtime.environment()));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn preflight<A: ApiSet>(&self) -> Vec<Error> {
        let definitions = DefinitionsRef::Static(A::definitions());
        self.note_in_use(&definitions);
        preflight::problems(&self.shared, &definitions)
    }

    /// [`preflight`](Runtime::preflight) for definitions loaded at run time.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{DynamicApis, Environment, ErrorKind, MapSecretStore, Runtime};
    /// let yaml = "api_integrations:
    ///   - name: zendesk
    ///     environments: { live: { base_url: https://z.example, auth_type: apiKey } }
    ///     operations: []
    ///   - name: weather
    ///     environments: { sandbox: { base_url: https://sandbox.weather.example } }
    ///     operations: []
    /// ";
    /// let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    /// let pasted = MapSecretStore::new().with("ZENDESK_LIVE_API_KEY", "k-1\nk-2");
    /// let runtime = Runtime::builder().environment(Environment::Live).secrets(pasted).build().unwrap();
    /// let kinds: Vec<ErrorKind> = runtime.dynamic_preflight(&apis).iter().map(|problem| problem.kind()).collect();
    /// assert_eq!(kinds, [ErrorKind::Auth, ErrorKind::NotConfigured]);
    /// ```
    #[must_use]
    pub fn dynamic_preflight(&self, apis: &DynamicApis) -> Vec<Error> {
        let definitions = DefinitionsRef::Shared(apis.shared());
        self.note_in_use(&definitions);
        preflight::problems(&self.shared, &definitions)
    }

    /// Of each API wired in the environment (or given a base URL by the builder).
    fn missing_secrets_in(&self, definitions: &DefinitionsRef) -> Vec<MissingSecret> {
        self.note_in_use(definitions);
        let shared = &self.shared;
        // listed once, when a secret is missing
        let store = ListedOnce::new(shared.auth.store());
        let mut missing: Vec<MissingSecret> = Vec::new();
        for api in definitions.apis.iter() {
            let Some(config) = api.environment(shared.environment) else { continue };
            if !config.is_wired() && !shared.base_urls.contains_key(api.name()) {
                continue;
            }
            let config = auth_settings(&shared.base_urls, api.name(), config);
            let base_url = calls_go_to(&shared.base_urls, api.name(), &config);
            for secret in missing_secrets_at(&config, base_url, &store) {
                if !missing.iter().any(|known| known.name == secret.name) {
                    let (api, environment) = (Some(api.name().to_string()), Some(shared.environment));
                    missing.push(MissingSecret { api, environment, ..secret.store_masked(&shared.redactor) });
                }
            }
        }
        missing
    }

    /// A new conversation over the APIs `A` (the `Api` type `conv_api!` generates),
    /// with its own log.
    pub fn conversation<A: ApiSet>(&self) -> Conv<A> {
        self.warn_of_unmatched_overrides(A::definitions());
        let definitions = DefinitionsRef::Static(A::definitions());
        self.learn_credentials(&definitions);
        let log = Log::new(self.shared.redactor.clone());
        let bindings = Bindings::new(self.shared.clone(), definitions, log.clone());
        Conv { api: A::bind(&bindings), log }
    }

    /// A new conversation over definitions loaded at run time, with its own log.
    pub fn dynamic_conversation(&self, apis: &DynamicApis) -> Conv<DynamicApi> {
        let log = Log::new(self.shared.redactor.clone());
        let definitions = DefinitionsRef::Shared(apis.shared());
        self.warn_of_unmatched_overrides(&definitions);
        self.learn_credentials(&definitions);
        let bindings = Bindings::new(self.shared.clone(), definitions, log.clone());
        Conv { api: DynamicApi::new(bindings), log }
    }

    /// Tells the redactor the credentials the APIs of `definitions` use in this
    /// environment that the store holds: a log entry or an error then masks them even
    /// before a call of their own API has read them, as when another API echoes them
    /// first. Read at every conversation's start, so that a value the store rotated is
    /// known to the conversations started since, and a credential of an API never
    /// called stays in the redactor's bounded set; a value already known is a lookup.
    fn learn_credentials(&self, definitions: &DefinitionsRef) {
        self.note_in_use(definitions);
        let shared = &self.shared;
        for config in definitions.apis.iter().filter_map(|api| api.environment(shared.environment)) {
            shared.auth.learn_credentials(config);
        }
    }

    /// Notes that `definitions` are in use: the redactor keeps room for their
    /// credentials, and the store's view leaves the secret names they read out of
    /// those a missing secret's message may offer as a slip (each is another secret).
    fn note_in_use(&self, definitions: &DefinitionsRef) {
        let shared = &self.shared;
        let configs = definitions.apis.iter().filter_map(|api| api.environment(shared.environment));
        // past the redactor's 1,024 values, each start would push out the values it
        // needs next, copying the set for each, and leave some credentials unmasked
        let count: usize = configs.map(crate::auth::credential_values).sum();
        let room = shared.definitions_in_use.note(definitions, count);
        if room > 0 {
            shared.redactor.make_room_for_credentials(room);
        }
    }

    /// A `tracing` warning, once per name, for each [`base_url`](RuntimeBuilder::base_url)
    /// override that names no API of `definitions`: a misspelt name would otherwise
    /// leave every call on the environment's own base URL without a word.
    fn warn_of_unmatched_overrides(&self, definitions: &Definitions) {
        for name in self.shared.base_urls.keys() {
            if definitions.api(name).is_some() {
                continue;
            }
            let mut warned = self.shared.unmatched_overrides.lock().unwrap_or_else(PoisonError::into_inner);
            if warned.contains(name) {
                continue;
            }
            warned.push(name.clone());
            let names = definitions.apis.iter().map(|api| api.name());
            let hint = did_you_mean_hint(name, names.clone());
            let known = listed_names(names, "they have", "they have none");
            tracing::warn!(
                target: "conv_api",
                "the base URL given for API `{name}` matches no API of these definitions ({known}); {hint}it is not used: every call goes to its environment's base URL",
            );
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.shared;
        let overrides: Vec<(&str, String)> =
            shared.base_urls.iter().map(|(api, url)| (api.as_str(), shared.redactor.url(url))).collect();
        f.debug_struct("Runtime")
            .field("environment", &shared.environment)
            .field("base_url_overrides", &overrides)
            .field("connect_timeout", &shared.connect_timeout)
            .field("timeout", &shared.timeout)
            .field("max_body_bytes", &shared.max_body_bytes)
            .field("secrets", &shared.auth.store().describe())
            .finish_non_exhaustive()
    }
}

/// Where the calls of `api` go in the environment `config` configures: the base URL
/// `overrides` (the runtime's `base_url(..)`) give it, else the environment's.
pub(crate) fn calls_go_to<'a>(
    overrides: &'a HashMap<String, Arc<Url>>,
    api: &str,
    config: &'a EnvironmentConfig,
) -> &'a str {
    overrides.get(api).map_or(config.base_url.value.as_ref(), |url| url.as_str())
}

/// The settings auth reads for `api` in `config`: the file's, but with the token URL
/// [`moved_token_url`] gives, if any.
pub(crate) fn auth_settings<'c>(
    overrides: &HashMap<String, Arc<Url>>,
    api: &str,
    config: &'c EnvironmentConfig,
) -> Cow<'c, EnvironmentConfig> {
    let Some(moved) = moved_token_url(overrides, api, config) else { return Cow::Borrowed(config) };
    let mut config = config.clone();
    if let Auth::OAuth2(oauth) = &mut config.auth {
        oauth.token_url = Configured::Literal(moved.to_string().into());
    }
    Cow::Owned(config)
}

/// Where a base URL override moves the OAuth 2.0 token requests of `api` in `config`:
/// when `overrides` (the runtime's `base_url(..)`) give it a local server (a loopback
/// address: a test's or development's), a `token_url` written in the file on the
/// server of the file's base URL (its scheme, host and port) moves to that server,
/// keeping its path, as that server stands in for the API's, token endpoint and all.
/// A `token_url` on another server (an identity provider of its own) stays, and so
/// does every one beside an override that is no local server, which would otherwise
/// be sent the client secret.
pub(crate) fn moved_token_url(
    overrides: &HashMap<String, Arc<Url>>,
    api: &str,
    config: &EnvironmentConfig,
) -> Option<Url> {
    let calls_to = overrides.get(api).filter(|url| is_loopback(url))?;
    let Auth::OAuth2(oauth) = &config.auth else { return None };
    let mut moved = Url::parse(oauth.token_url.literal_str()?).ok()?;
    let file_server = Url::parse(&config.base_url.value).ok()?.origin();
    if moved.origin() != file_server {
        return None;
    }
    // the override is a URL with a host (the builder checks it), so each setter takes it
    let _ = moved.set_scheme(calls_to.scheme());
    let _ = moved.set_host(calls_to.host_str());
    let _ = moved.set_port(calls_to.port());
    Some(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_base_urls_are_kept_up_to_a_bound() {
        let (urls, redactor) = (ParsedUrls::default(), Redactor::new());
        let first = urls.get("https://tenant-0.example", &redactor).unwrap();
        assert!(Arc::ptr_eq(&first, &urls.get("https://tenant-0.example", &redactor).unwrap()), "kept");
        for n in 1..=MAX_PARSED_URLS * 3 {
            let url = urls.get(&format!("https://tenant-{n}.example"), &redactor).unwrap();
            assert_eq!(url.host_str(), Some(format!("tenant-{n}.example").as_str()));
        }
        assert!(urls.parsed.load().len() <= MAX_PARSED_URLS, "{}", urls.parsed.load().len());
        assert_eq!(urls.get("https://tenant-0.example", &redactor).unwrap(), first, "parsed again alike");
    }

    #[test]
    fn debug_shows_settings_without_user_info() {
        let runtime = Runtime::builder()
            .environment(Environment::Live)
            .base_url("a", "http://user:pw@127.0.0.1:1/x")
            .build()
            .unwrap();
        let shown = format!("{runtime:?}");
        assert!(shown.contains("Live") && !shown.contains("pw"), "{shown}");
        // the store as it describes itself
        assert!(shown.contains("secrets: \"EnvSecretStore\""), "{shown}");
        let store = crate::MapSecretStore::new().with("A_KEY", "k3y-v4lue");
        let shown = format!("{:?}", Runtime::builder().secrets(store).build().unwrap());
        assert!(shown.contains("A_KEY") && !shown.contains("k3y-v4lue"), "{shown}");
        let pretty = format!("{:#?}", Runtime::builder().environment(Environment::Sandbox).build().unwrap());
        assert!(
            pretty.contains("environment: Sandbox,\n") && pretty.contains("secrets: \"EnvSecretStore\""),
            "{pretty}"
        );
    }
}
