//! Which secrets an environment reads ([`NeededSecret`]), and which of those a store
//! lacks: the one rule of them, for calls, start-up checks and `conv-api secrets`.

use std::borrow::Cow;
use std::collections::HashSet;

use conv_api_definitions::{
    is_always_secret, Definitions, Environment, EnvironmentConfig, OAuth2Auth, SecretRef, SecretSource,
};
use secrecy::{ExposeSecret, SecretString};

use super::missing::similar_name;
use super::{each_once, usable_value, MissingSecret, SecretStore};

/// One secret an environment reads: its field, name and whether it is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NeededSecret {
    /// The settings the field belongs to: `auth` or `tls`.
    pub section: &'static str,
    /// The field it is for: an auth field (`password`, `client_secret`,
    /// `token_params.audience`...) or a TLS field (`ca`, `client_cert`, `client_key`).
    pub field: Cow<'static, str>,
    /// The name looked up in the store.
    pub name: String,
    /// Named in the file, or the conventional name of a field left out.
    pub source: SecretSource,
    /// Whether a call fails without it (an unset optional `scope` does not).
    pub required: bool,
}

impl NeededSecret {
    /// Whether it is a credential, sent as it is read (so [`secret_doubt`](super::secret_doubt) applies):
    /// an `auth` setting other than the token URL, whose blanks are trimmed as a URL
    /// is read; not TLS material.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{needed_secrets, DynamicApis, Environment};
    /// let apis = DynamicApis::parse("apis.yaml", "api_integrations:
    ///   - name: crm
    ///     environments:
    ///       live: { base_url: \"https://crm.example\", auth_type: oauth2 }
    /// ").unwrap();
    /// let live = apis.definitions().apis[0].environment(Environment::Live).unwrap();
    /// let needed = needed_secrets(live);
    /// let credentials: Vec<&str> = needed.iter().filter(|s| s.is_credential()).map(|s| s.field.as_ref()).collect();
    /// assert_eq!(credentials, ["client_id", "client_secret", "scope"]);
    /// assert_eq!(needed[0].field, "token_url");
    /// ```
    pub fn is_credential(&self) -> bool {
        self.section == "auth" && self.field != "token_url"
    }

    /// Whether logs and errors mask its value wherever it shows (so
    /// [`short_secret_doubt`](super::short_secret_doubt) applies): a password, an API key, a client secret or a
    /// token parameter read from the store.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::{needed_secrets, DynamicApis, Environment};
    /// let apis = DynamicApis::parse("apis.yaml", "api_integrations:
    ///   - name: crm
    ///     environments:
    ///       sandbox: { base_url: \"https://s.crm.example\", auth_type: basic }
    ///       live:
    ///         base_url: https://crm.example
    ///         auth_type: oauth2
    ///         auth:
    ///           token_params: { audience: { secret: CRM_AUDIENCE }, sk_live_51HqLyjWDarj: { secret: CRM_ODD } }
    ///         tls: { ca: { secret: CRM_CA } }
    /// ").unwrap();
    /// let masked = |environment| {
    ///     let config = apis.definitions().apis[0].environment(environment).unwrap();
    ///     let needed = needed_secrets(config);
    ///     needed.into_iter().filter(|s| s.is_masked()).map(|s| s.field.into_owned()).collect::<Vec<_>>()
    /// };
    /// assert_eq!(masked(Environment::Sandbox), ["password"], "not the username");
    /// // a parameter whose name may be a key pasted there is named without it
    /// assert_eq!(masked(Environment::Live), ["client_secret", "token_params.audience", "token_params"]);
    /// ```
    pub fn is_masked(&self) -> bool {
        let field = self.field.as_ref();
        self.section == "auth" && (is_always_secret(field) || OAuth2Auth::is_token_param_field(field))
    }
}

/// Every secret `environment` reads (auth first, then TLS), in table order; its `tls:`
/// secrets are required only where a request may go over TLS (see
/// [`EnvironmentConfig::may_use_tls`](conv_api_definitions::EnvironmentConfig::may_use_tls): not where every request is plain `http`).
pub fn needed_secrets(environment: &EnvironmentConfig) -> Vec<NeededSecret> {
    needed_secrets_at(environment, environment.may_use_tls(&environment.base_url.value, None))
}

/// [`needed_secrets`] as a check against `store` finds them: a token URL the store
/// holds decides whether the `tls:` secrets are required.
///
/// The `conv-api secrets --check` command lists exactly these, so what it reports
/// missing is what would fail at run time.
pub fn needed_secrets_in(environment: &EnvironmentConfig, store: &dyn SecretStore) -> Vec<NeededSecret> {
    needed_secrets_at(environment, may_use_tls(environment, &environment.base_url.value, store))
}

/// Whether a request of `environment` may go over TLS when its calls go to
/// `base_url`, the token URL read from `store` where the file names a secret for it
/// ([`EnvironmentConfig::may_use_tls`](conv_api_definitions::EnvironmentConfig::may_use_tls)).
pub fn may_use_tls(environment: &EnvironmentConfig, base_url: &str, store: &dyn SecretStore) -> bool {
    let stored = stored_token_url(environment, store);
    environment.may_use_tls(base_url, stored.as_ref().map(ExposeSecret::expose_secret))
}

/// Whether an OAuth 2.0 token request of `environment` may go over TLS, its token URL
/// read from `store` where the file names a secret for it
/// ([`EnvironmentConfig::token_request_may_use_tls`]).
pub(crate) fn token_request_may_use_tls(environment: &EnvironmentConfig, store: &dyn SecretStore) -> bool {
    let stored = stored_token_url(environment, store);
    environment.token_request_may_use_tls(stored.as_ref().map(ExposeSecret::expose_secret))
}

/// The OAuth 2.0 token URL of `environment` that `store` holds, where the file names a
/// secret for it.
fn stored_token_url(environment: &EnvironmentConfig, store: &dyn SecretStore) -> Option<SecretString> {
    environment.auth.token_url_secret().and_then(|secret| usable_value(store, &secret.name))
}

/// Every secret `environment` reads, its `tls:` ones required when `over_tls`.
fn needed_secrets_at(environment: &EnvironmentConfig, over_tls: bool) -> Vec<NeededSecret> {
    let tls = [
        ("ca", environment.tls.ca.as_ref()),
        ("client_cert", environment.tls.client_cert.as_ref()),
        ("client_key", environment.tls.client_key.as_ref()),
    ];
    let tls = tls.into_iter().filter_map(|(field, secret)| {
        let needed = needed("tls", field.into(), secret?);
        Some(NeededSecret { required: needed.required && over_tls, ..needed })
    });
    let auth = environment.auth.secrets().into_iter().map(|(field, secret)| needed("auth", field, secret));
    auth.chain(tls).collect()
}

fn needed(section: &'static str, field: Cow<'static, str>, secret: &SecretRef) -> NeededSecret {
    NeededSecret { section, field, name: secret.name.to_string(), source: secret.source, required: secret.required }
}

/// The required secrets of `environment` that `store` does not have, in table order.
pub fn missing_secrets(environment: &EnvironmentConfig, store: &dyn SecretStore) -> Vec<MissingSecret> {
    missing_secrets_at(environment, &environment.base_url.value, store)
}

/// [`missing_secrets`] of `environment` when its calls go to `base_url`; the store's
/// names, for similar ones, are listed only when a secret is missing, as listing
/// them may cost a remote call (a [`ListedOnce`](super::ListedOnce) store lists them once for many checks).
pub(crate) fn missing_secrets_at(
    environment: &EnvironmentConfig,
    base_url: &str,
    store: &dyn SecretStore,
) -> Vec<MissingSecret> {
    let missing = |secret: &NeededSecret| secret.required && usable_value(store, &secret.name).is_none();
    let needed = needed_secrets_at(environment, may_use_tls(environment, base_url, store));
    let mut missing = needed.iter().filter(|secret| missing(secret)).peekable();
    // described and listed once, and only when something is missing (a map store
    // sorts its names)
    let (described, held) = match missing.peek() {
        Some(_) => (Some(store.describe()), store.secret_names()),
        None => (None, Vec::new()),
    };
    each_once(missing.map(|secret| MissingSecret {
        name: secret.name.clone(),
        section: secret.section,
        field: secret.field.clone(),
        also_for: None,
        conventional: secret.source == SecretSource::Conventional,
        api: None,
        store: described.clone(),
        similar: similar_name(&secret.name, &held),
        environment: None,
    }))
}

/// The names of every secret an environment of `definitions` reads: each is another
/// secret, never a slip of one, so a missing secret's message does not offer it.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://crm.example\", auth_type: apiKey } }\n";
/// let apis = conv_api::DynamicApis::parse("apis.yaml", yaml).unwrap();
/// let read = conv_api::secret_names_read(apis.definitions());
/// assert!(read.contains("CRM_LIVE_API_KEY"));
/// ```
pub fn secret_names_read(definitions: &Definitions) -> HashSet<String> {
    let environments =
        definitions.apis.iter().flat_map(|api| Environment::ALL.into_iter().filter_map(|e| api.environment(e)));
    environments.flat_map(needed_secrets).map(|secret| secret.name).collect()
}
