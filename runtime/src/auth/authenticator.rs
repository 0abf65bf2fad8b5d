//! The auth step of the request pipeline: the one place `send` asks about auth.
//!
//! [`Authenticator::apply`] adds the environment's credentials to a copy of the
//! outgoing request (headers or query pairs) and says which OAuth 2.0 token it
//! carried; [`Authenticator::on_unauthorized`] drops that token after a 401 and asks
//! for one replay; [`Authenticator::target`] reads, once per call, the header or
//! query name the credentials go under, and the redactor that masks it.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use conv_api_definitions::{conventional_secret_name, Auth, EnvironmentConfig, KeyLocation};
use foldhash::HashMap;
use reqwest::header::HeaderName;
use tokio::time::Instant;
use url::Url;

use super::{
    api_key, immediate_credentials, settings, AuthContext, AuthError, Authorizer, Credentials, TokenClientSetup,
    TokenError, TokenIdentity, TokenSettings,
};
use crate::error::{Error, ErrorKind, Result};
use crate::http::tls::TlsClients;
use crate::redact::Redactor;
use crate::runtime::{auth_settings, calls_go_to, moved_token_url};
use crate::secrets::{
    all_missing_message, each_once, missing_secrets_at, token_request_may_use_tls, MissingSecret, SecretStore,
};
use crate::send::Outgoing;

/// The API and environment a call authenticates for.
pub(crate) struct AuthTarget<'a> {
    /// The API's name.
    pub(crate) api: &'a str,
    /// The environment's configuration; `None` when only a base URL override exists.
    pub(crate) config: Option<&'a EnvironmentConfig>,
    /// The header an API key or token goes in, read and parsed once per call; `None`
    /// when there is none or its name cannot be read (each attempt then reads it and
    /// says why). An API key in the query has its place read by each attempt: should
    /// its settings change between two attempts, the key moves, still masked by value.
    header: Option<HeaderName>,
}

/// What to do after a 401 answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Credentials were refreshed: apply them again and send the request once more.
    Once,
    /// Return the 401 response to the caller.
    No,
}

/// Adds credentials to requests; shared by every conversation of a runtime.
#[derive(Debug)]
pub(crate) struct Authenticator {
    context: AuthContext,
    /// Token endpoint clients with an environment's `tls:` settings.
    token_tls: TlsClients,
    /// The names credentials went under, the [`MAX_CREDENTIAL_NAMES`] newest.
    names: ArcSwap<Vec<CredentialName>>,
    /// The runtime's base URLs in place of the environments' (`base_url(..)`): a local
    /// one takes their APIs' token requests too when the `token_url` written in the
    /// file is on the server of the file's base URL ([`moved_token_url`]); one that
    /// stays says so when it fails.
    overridden: Arc<HashMap<String, Arc<Url>>>,
    /// The settings of overridden OAuth 2.0 APIs as auth reads them, each made once
    /// ([`auth_settings`]), the [`MAX_CREDENTIAL_NAMES`] newest.
    overridden_settings: ArcSwap<Vec<Arc<OverriddenSettings>>>,
}

/// The settings of an OAuth 2.0 API whose base URL the runtime overrides, as written
/// in the file and as auth reads them.
#[derive(Debug)]
struct OverriddenSettings {
    api: String,
    written: EnvironmentConfig,
    /// With the token URL moved, if it is.
    read: Option<Arc<EnvironmentConfig>>,
}

/// How many credential names a runtime keeps parsed, each with its redactor: a store
/// may give a new name now and then, and definitions loaded at run time theirs;
/// past it, the oldest goes, and a call that needs it again makes it again.
const MAX_CREDENTIAL_NAMES: usize = 256;

/// A header or query parameter name the configuration puts credentials under.
#[derive(Clone, Debug)]
struct CredentialName {
    location: KeyLocation,
    /// As the settings give it.
    name: String,
    /// The name parsed, for a header with a valid name.
    header: Option<HeaderName>,
    /// The runtime's redactor, also masking the name.
    redactor: Redactor,
}

impl CredentialName {
    fn new(location: KeyLocation, name: &str, base: &Redactor) -> CredentialName {
        let mut redactor = base.clone();
        let header = match location {
            KeyLocation::Header => {
                redactor.mask_header(name);
                // else every attempt refuses it, naming the setting
                settings::settable_header(name)
            }
            KeyLocation::Query => {
                redactor.mask_query_param(name);
                None
            }
        };
        CredentialName { location, name: name.to_string(), header, redactor }
    }
}

impl Authenticator {
    /// Reads secrets from `store`, caches tokens (each token request within
    /// `token_timeout`, by clients of `setup`), and registers every value with
    /// `redactor`; `overridden` are the runtime's base URLs in place of the environments'.
    pub(crate) fn new(
        store: Arc<dyn SecretStore>,
        redactor: Redactor,
        token_timeout: Duration,
        overridden: Arc<HashMap<String, Arc<Url>>>,
        setup: TokenClientSetup,
    ) -> Result<Self> {
        let for_tls = setup.clone();
        let token_tls = TlsClients::new(store.clone(), redactor.clone(), move || for_tls.builder());
        let settings = TokenSettings { timeout: token_timeout, ..TokenSettings::default() };
        let context = AuthContext::with_setup(store, settings, redactor, setup)
            .map_err(|error| Error::new(ErrorKind::Config, error.to_string()))?;
        let overridden_settings = ArcSwap::default();
        Ok(Authenticator { context, token_tls, names: ArcSwap::default(), overridden, overridden_settings })
    }

    /// Tells the redactor the credentials of `environment` the store holds now.
    pub(crate) fn learn_credentials(&self, environment: &EnvironmentConfig) {
        super::learn_credentials(environment, &self.context);
    }

    /// The store secrets are read from.
    pub(crate) fn store(&self) -> &dyn SecretStore {
        self.context.secrets.as_ref()
    }

    /// The credentials `outgoing` needs for `target` (with the OAuth 2.0 token they
    /// carry, if any); `None` when the environment has no auth.
    ///
    /// Secrets are read on every attempt, so a store may rotate them; a missing one
    /// is [`ErrorKind::MissingSecret`], any other problem [`ErrorKind::Auth`].
    ///
    /// A token request under way is waited for until `deadline` (the attempt's end).
    pub(crate) async fn apply(
        &self,
        target: &AuthTarget<'_>,
        outgoing: &Outgoing,
        deadline: Option<Instant>,
    ) -> Result<Option<Credentials>> {
        let Some(config) = target.config.filter(|config| config.auth != Auth::None) else {
            return Ok(None);
        };
        let moved = self.moved_settings(target.api, config);
        let config = moved.as_deref().unwrap_or(config);
        if let Auth::OAuth2(_) = config.auth {
            self.context.tokens.note_attempt(outgoing.timeout);
        }
        let credentials = match immediate_credentials(config, &self.context, &outgoing.url, target.header.as_ref()) {
            Some(credentials) => credentials.map_err(|e| self.auth_error(target, e))?,
            // boxed: a token fetch is a whole request, too large for every call's future
            None => Box::pin(self.fetched_credentials(target, config, &outgoing.url, deadline)).await?,
        };
        Ok(Some(credentials))
    }

    /// The credentials of `config` that may need a token fetched first (OAuth 2.0),
    /// over the environment's `tls:` settings when it has any.
    async fn fetched_credentials(
        &self,
        target: &AuthTarget<'_>,
        config: &EnvironmentConfig,
        url: &Url,
        deadline: Option<Instant>,
    ) -> Result<Credentials> {
        let authorizer = Authorizer::new(config, self.context.clone()).map_err(|e| self.auth_error(target, e))?;
        let authorizer = match &target.header {
            Some(header) => authorizer.with_token_header(header.clone()),
            None => authorizer,
        };
        // a token URL in plain `http` (a local token server: the URL rules allow it only on
        // loopback) takes no TLS, as a call's plain `http` URL takes none
        let client = if !token_request_may_use_tls(config, self.store()) {
            None
        } else {
            let client = self.token_tls.configured_client(target.api, config.environment, Some(config));
            client.map_err(|error| self.with_missing_auth_secrets(target, config, error))?
        };
        let authorizer = match client {
            Some(client) => authorizer.with_token_client(client),
            None => authorizer,
        };
        authorizer.authorize_until(url, Some(target.api), deadline).await.map_err(|e| self.auth_error(target, e))
    }

    /// The token client's `error` (its `tls:` settings), naming the auth secrets the
    /// store lacks too: as a call's `MissingSecret` names every missing secret when
    /// that is all, else in a note after the `tls:` problems.
    fn with_missing_auth_secrets(&self, target: &AuthTarget<'_>, config: &EnvironmentConfig, error: Error) -> Error {
        let missing = missing_secrets_at(config, self.base_url(target.api, config), self.store());
        let auth: Vec<MissingSecret> = missing.into_iter().filter(|secret| secret.section == "auth").collect();
        match auth.first() {
            None => error,
            Some(first) if error.kind() == ErrorKind::MissingSecret => {
                self.auth_error(target, AuthError::MissingSecret(first.clone()))
            }
            Some(_) => {
                let named: Vec<String> =
                    auth.iter().map(|secret| format!("`{}` (for `auth.{}`)", secret.name, secret.field)).collect();
                error.with_note(&format!("; the secret store also lacks {}: add it too", named.join(", ")))
            }
        }
    }

    /// The settings of `api` in `config` with its OAuth 2.0 token URL moved by a base
    /// URL override ([`auth_settings`]), if it is: made once for each API and settings,
    /// as every call reads them.
    fn moved_settings(&self, api: &str, config: &EnvironmentConfig) -> Option<Arc<EnvironmentConfig>> {
        if !matches!(config.auth, Auth::OAuth2(_)) || !self.overridden.contains_key(api) {
            return None;
        }
        let same = |known: &Arc<OverriddenSettings>| known.api == api && known.written == *config;
        if let Some(known) = self.overridden_settings.load().iter().find(|known| same(known)) {
            return known.read.clone();
        }
        let read = match auth_settings(&self.overridden, api, config) {
            Cow::Owned(moved) => Some(Arc::new(moved)),
            Cow::Borrowed(_) => None,
        };
        let made = Arc::new(OverriddenSettings { api: api.to_string(), written: config.clone(), read: read.clone() });
        self.overridden_settings.rcu(|known| {
            let mut known = Vec::clone(known);
            if !known.iter().any(same) {
                if known.len() >= MAX_CREDENTIAL_NAMES {
                    known.remove(0);
                }
                known.push(Arc::clone(&made));
            }
            known
        });
        read
    }

    /// Where the calls of `api` go in the environment `config` configures.
    fn base_url<'a>(&'a self, api: &str, config: &'a EnvironmentConfig) -> &'a str {
        calls_go_to(&self.overridden, api, config)
    }

    /// Whether a request that got a 401 answer is sent once more: only when it carried
    /// an OAuth 2.0 token, which is dropped first (unless a concurrent call already
    /// dropped or replaced it), so the replay fetches or shares a fresh one
    /// (RELIABILITY 6).
    pub(crate) fn on_unauthorized(&self, token: Option<TokenIdentity>) -> Replay {
        match token {
            Some(identity) => {
                self.context.tokens.invalidate(identity);
                Replay::Once
            }
            None => Replay::No,
        }
    }

    /// `error` as the runtime's error: `MissingSecret`, naming every secret missing;
    /// `Timeout` when the attempt's time ran out waiting for a token; or `Auth`; with
    /// every known secret masked (a last guard over texts from servers); each says
    /// nothing was sent (to the API, after a token request).
    fn auth_error(&self, target: &AuthTarget<'_>, error: AuthError) -> Error {
        let (kind, message) = match &error {
            // names and advice only, no text from outside: not masked, so that a secret
            // that is a common word (`secret`, `store`) does not garble the advice
            AuthError::MissingSecret(first) => (ErrorKind::MissingSecret, self.all_missing(target, first)),
            AuthError::Token(TokenError::NotYet { .. }) => {
                (ErrorKind::Timeout, self.context.redactor.text(&error.to_string()))
            }
            _ => (ErrorKind::Auth, self.context.redactor.text(&error.to_string())),
        };
        // a token request may have gone out: what was not sent is the call
        let unsent = match error {
            AuthError::Token(_) => "nothing was sent to the API",
            _ => "nothing was sent",
        };
        let hint = self.token_url_hint(target, &error);
        // missing secrets may be `tls:` ones too: named as a call's `tls:` problems are;
        // the call's context names the API
        let of = match (&error, target.config) {
            (AuthError::MissingSecret(_), Some(config)) => format!("environment `{}`", config.environment),
            _ => "auth".to_string(),
        };
        let message = format!("{of}: {message}; {unsent}{hint}");
        // a token server that took no answer in time may answer later, but its own
        // timeout was waited out: the runtime does not repeat it
        let waited_out = matches!(error, AuthError::Token(TokenError::Timeout { .. }));
        let mut runtime_error = Error::new(kind, message).with_transient(error.is_transient() || waited_out);
        runtime_error.unsent = true;
        runtime_error.waited_out = waited_out;
        if let Some(wait) = error.retry_after() {
            runtime_error = runtime_error.with_retry_after(wait);
        }
        // the transport error holds no secret (nor its URL); other causes are all in the message
        let failure = match error {
            AuthError::Token(TokenError::AskedToWait { answer, .. }) => Some(*answer),
            AuthError::Token(failure) => Some(failure),
            _ => None,
        };
        match failure {
            Some(
                TokenError::Transport { source, .. }
                | TokenError::ConnectTimeout { source, .. }
                | TokenError::BodyBroken { source, .. },
            ) => runtime_error.with_source(source),
            _ => runtime_error,
        }
    }

    /// For a failed token request of an API whose base URL the runtime overrides and
    /// whose `token_url`, written in the file, stayed on another server
    /// ([`moved_token_url`]): that the override moved the API's calls and not the
    /// token request, and how to move that too.
    fn token_url_hint(&self, target: &AuthTarget<'_>, error: &AuthError) -> String {
        let (AuthError::Token(_), Some(calls_to), Some(config)) =
            (error, self.overridden.get(target.api), target.config)
        else {
            return String::new();
        };
        let Auth::OAuth2(oauth) = &config.auth else { return String::new() };
        let Some(token_url) = oauth.token_url.literal_str() else { return String::new() };
        // one moved to the server the calls go to, or there already, goes nowhere else
        let on_calls_server = Url::parse(token_url).is_ok_and(|url| url.origin() == calls_to.origin());
        if on_calls_server || moved_token_url(&self.overridden, target.api, config).is_some() {
            return String::new();
        }
        let secret = conventional_secret_name(target.api, config.environment, "token_url");
        format!("; the runtime's `.base_url(..)` moves the API's calls, and its token requests only to a local server and from the server of the file's base URL: to send those elsewhere, leave `token_url` out of the file and set the secret `{secret}`, or name one, `token_url: {{ secret: NAME }}`")
    }

    /// `first`, the secret an attempt found missing, and every other secret the
    /// environment needs that the store lacks: one failed call names them all, as
    /// `Runtime::missing_secrets` does, rather than one a deployment.
    fn all_missing(&self, target: &AuthTarget<'_>, first: &MissingSecret) -> String {
        let others = target.config.map_or_else(Vec::new, |config| {
            let moved = self.moved_settings(target.api, config);
            let config = moved.as_deref().unwrap_or(config);
            missing_secrets_at(config, self.base_url(target.api, config), self.store())
        });
        // one store lacks them all: its description is masked once
        let first = first.clone().store_masked(&self.context.redactor);
        let store = first.store.clone();
        let others = others.into_iter().map(|secret| {
            let similar = secret.similar.as_deref().map(|name| self.context.redactor.text(name));
            MissingSecret { store: store.clone(), similar, ..secret }
        });
        // each secret once, with every setting that names it (one PEM for `tls.client_cert` and `tls.client_key`)
        let missing = each_once(std::iter::once(first).chain(others));
        all_missing_message(&missing.iter().collect::<Vec<_>>())
    }

    /// The target of a call to `api` in the environment `config` configures, and the
    /// runtime's redactor also masking the header or query name its credentials go
    /// under: read once per call, the name parsed and the redactor made once per name.
    pub(crate) fn target<'a>(&self, api: &'a str, config: Option<&'a EnvironmentConfig>) -> (AuthTarget<'a>, Redactor) {
        let base = &self.context.redactor;
        let store = self.context.secrets.as_ref();
        // a setting the store lacks fails each attempt before anything is sent
        let place = match config.map(|config| &config.auth) {
            Some(Auth::ApiKey(key)) => api_key::location_and_name(key, store).ok(),
            Some(Auth::OAuth2(oauth)) => {
                settings::text(&oauth.header_name, "header_name", store).ok().map(|name| (KeyLocation::Header, name))
            }
            Some(Auth::None | Auth::Basic(_)) | None => None,
        };
        let Some((location, name)) = place else {
            return (AuthTarget { api, config, header: None }, base.clone());
        };
        let same = |known: &CredentialName| known.location == location && known.name == name;
        let of = |known: &CredentialName| (known.header.clone(), known.redactor.clone());
        let known = self.names.load().iter().find(|known| same(known)).map(of);
        let (header, redactor) = known.unwrap_or_else(|| {
            let made = CredentialName::new(location, &name, base);
            let parts = of(&made);
            self.names.rcu(|names| {
                let mut names = Vec::clone(names);
                if !names.iter().any(same) {
                    if names.len() >= MAX_CREDENTIAL_NAMES {
                        names.remove(0);
                    }
                    names.push(made.clone());
                }
                names
            });
            parts
        });
        (AuthTarget { api, config, header }, redactor)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use conv_api_definitions::Environment;
    use secrecy::SecretString;

    use super::*;

    /// A store whose API key header name is another one at every read.
    #[derive(Default)]
    struct NewNameEachRead(AtomicUsize);

    impl SecretStore for NewNameEachRead {
        fn get(&self, name: &str) -> Option<SecretString> {
            match name {
                "KEY_NAME" => Some(format!("x-key-{}", self.0.fetch_add(1, Ordering::Relaxed)).into()),
                _ => Some("key".into()),
            }
        }
    }

    #[test]
    fn the_credential_names_kept_are_bounded_and_the_newest() {
        let yaml = "api_integrations:
  - name: shop
    environments:
      live:
        base_url: https://shop.example
        auth_type: apiKey
        auth: { name: { secret: KEY_NAME }, value: { secret: KEY } }
";
        let definitions = conv_api_definitions::parse_str("apis.yaml", yaml).unwrap().definitions;
        let config = definitions.api("shop").unwrap().environment(Environment::Live);
        let store = Arc::new(NewNameEachRead::default());
        let setup = TokenClientSetup::from_environment();
        let authenticator =
            Authenticator::new(store, Redactor::new(), Duration::from_secs(1), Arc::default(), setup).unwrap();
        for _ in 0..MAX_CREDENTIAL_NAMES + 10 {
            let (target, _) = authenticator.target("shop", config);
            assert!(target.header.is_some());
        }
        let names = authenticator.names.load();
        assert_eq!(names.len(), MAX_CREDENTIAL_NAMES);
        let newest = format!("x-key-{}", MAX_CREDENTIAL_NAMES + 9);
        assert_eq!(names.last().map(|known| known.name.as_str()), Some(newest.as_str()));
    }
}
