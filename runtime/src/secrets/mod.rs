//! Secrets: where they are read from, how settings resolve, and which ones an
//! environment needs.
//!
//! A [`SecretStore`] hands out values by name. The default, [`EnvSecretStore`], reads
//! environment variables named exactly as the secret; [`DotenvSecretStore`] reads a
//! dotenv-style file for local development; [`MapSecretStore`] holds values given in
//! code (tests) and is the model for plugging your own (a vault implements the trait).
//! Values are [`SecretString`]s: no `Debug`, `Display` or error shows them.

mod dotenv;
mod doubt;
mod slips;

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use conv_api_definitions::names::{list_choices, similar_secret_name};
use conv_api_definitions::{
    is_always_secret, one_line, Definitions, Environment, EnvironmentConfig, OAuth2Auth, SecretRef, SecretSource,
    Setting,
};
use foldhash::HashMap;
use secrecy::{ExposeSecret, SecretString};

use crate::redact::Redactor;
use crate::tls::PEM_FORMS;

pub use dotenv::{DotenvError, DotenvSecretStore, MAX_DOTENV_BYTES, MAX_DOTENV_PROBLEMS};
pub use doubt::{secret_doubt, short_secret_doubt};
pub(crate) use slips::ListedOnce;
pub(crate) use slips::StoreInUse;
pub use slips::{held_names_not_read, StoreForChecks};

/// Where secrets come from; a vault or a cloud secret manager implements this too.
///
/// The names asked for are those of the definitions file, `{ secret: NAME }` or
/// conventional (`ZENDESK_LIVE_API_KEY`): upper-case letters, digits and `_`, starting
/// with a letter, as an environment variable's. A store over a vault maps them to
/// its paths (`ZENDESK_LIVE_API_KEY` to `agents/zendesk/live/api-key`).
///
/// `get` is called on every request attempt that needs the secret, so a store may
/// rotate values, and for the credentials of every API of the definitions at every
/// conversation's start, inside `Runtime::conversation` and `dynamic_conversation`
/// (so that logs mask them before their own API is called, a rotated value too); it
/// should answer from memory (cache what a remote store returns), and never block
/// or panic. A conversation already open learns a rotated value when a call of its
/// own API reads it: a store that rotates while conversations are open, where an API
/// may echo another's credential, should also hand the new value to
/// `runtime.redactor().add_secret(..)`.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Environment, ExposeSecret, Runtime, SecretStore, SecretString};
///
/// /// Secrets fetched from a vault at start-up, kept in memory.
/// struct VaultSecrets(Vec<(String, String)>);
///
/// impl SecretStore for VaultSecrets {
///     fn get(&self, name: &str) -> Option<SecretString> {
///         self.0.iter().find(|(key, _)| key == name).map(|(_, value)| SecretString::from(value.as_str()))
///     }
/// }
///
/// let store = VaultSecrets(vec![("ZENDESK_LIVE_API_KEY".into(), "k-1".into())]);
/// assert_eq!(store.get("ZENDESK_LIVE_API_KEY").unwrap().expose_secret(), "k-1");
/// let runtime = Runtime::builder().environment(Environment::Live).secrets(store).build().unwrap();
/// assert!(!format!("{runtime:?}").contains("k-1"), "the runtime names the store, never its values");
/// ```
pub trait SecretStore: Send + Sync {
    /// The value of the secret `name`, or `None` when the store does not have it;
    /// the runtime takes an empty or blank value as `None`.
    fn get(&self, name: &str) -> Option<SecretString>;

    /// How the runtime's `Debug` output and a missing secret's message name this
    /// store: its type by default. It may list secret names, never values; a store's
    /// own `Debug` is never used, so one that shows values cannot leak them.
    fn describe(&self) -> String {
        std::any::type_name::<Self>().to_string()
    }

    /// The names of the secrets this store holds (not empty or blank), if it can list
    /// them: a message about a missing secret names the closest one, a likely typo
    /// (``did you mean `ZENDESK_LIVE_APIKEY`, which the store holds?``). None by
    /// default; called only when a secret is missing, so a store that must ask a
    /// remote service may still answer from memory only.
    fn secret_names(&self) -> Vec<String> {
        Vec::new()
    }
}

impl<S: SecretStore + ?Sized> SecretStore for std::sync::Arc<S> {
    fn get(&self, name: &str) -> Option<SecretString> {
        (**self).get(name)
    }

    fn describe(&self) -> String {
        (**self).describe()
    }

    fn secret_names(&self) -> Vec<String> {
        (**self).secret_names()
    }
}

impl<S: SecretStore + ?Sized> SecretStore for Box<S> {
    fn get(&self, name: &str) -> Option<SecretString> {
        (**self).get(name)
    }

    fn describe(&self) -> String {
        (**self).describe()
    }

    fn secret_names(&self) -> Vec<String> {
        (**self).secret_names()
    }
}

/// What [`EnvSecretStore`] describes itself as.
const ENV_STORE: &str = "EnvSecretStore";

/// The default store: environment variables named exactly as the secret.
///
/// An empty variable counts as unset, so `export ZENDESK_LIVE_API_KEY=` does not send
/// an empty key.
#[derive(Clone, Copy, Debug, Default)]
pub struct EnvSecretStore;

impl EnvSecretStore {
    /// Whether the environment variable `name` is set to a value that is not UTF-8
    /// text, which no secret can be: the store reads it as unset, and a message
    /// that the secret is missing says so.
    pub fn holds_non_utf8(name: &str) -> bool {
        std::env::var_os(name).is_some_and(|value| value.to_str().is_none())
    }
}

impl SecretStore for EnvSecretStore {
    fn get(&self, name: &str) -> Option<SecretString> {
        std::env::var(name).ok().filter(|value| !value.is_empty()).map(SecretString::from)
    }

    fn describe(&self) -> String {
        ENV_STORE.to_string()
    }

    /// The environment variables whose names and values are UTF-8 text, not blank.
    fn secret_names(&self) -> Vec<String> {
        let set = |(name, value): (std::ffi::OsString, std::ffi::OsString)| {
            let held = value.to_str().is_some_and(|value| !value.trim().is_empty());
            name.into_string().ok().filter(|_| held)
        };
        std::env::vars_os().filter_map(set).collect()
    }
}

/// Secrets given in code: for tests, and for values fetched from elsewhere at start-up.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{ExposeSecret, MapSecretStore, SecretStore};
/// let store = MapSecretStore::new().with("ZENDESK_LIVE_API_KEY", "k-123");
/// assert_eq!(store.get("ZENDESK_LIVE_API_KEY").unwrap().expose_secret(), "k-123");
/// assert!(!format!("{store:?}").contains("k-123"));
/// ```
#[derive(Clone, Default)]
pub struct MapSecretStore {
    values: HashMap<String, SecretString>,
}

impl MapSecretStore {
    /// An empty store.
    pub fn new() -> Self {
        MapSecretStore::default()
    }

    /// The store with `name` set to `value`.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// Sets `name` to `value`, replacing an earlier value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), SecretString::from(value.into()));
    }
}

impl SecretStore for MapSecretStore {
    fn get(&self, name: &str) -> Option<SecretString> {
        self.values.get(name).cloned()
    }

    /// ``MapSecretStore holding `A` and `B` ``: the names it has, so that a message about
    /// one it lacks shows a name set under another spelling.
    fn describe(&self) -> String {
        // a blank value is missing, not held
        let held = self.values.iter().filter(|(_, value)| !is_blank(value));
        let mut names: Vec<&str> = held.map(|(name, _)| name.as_str()).collect();
        names.sort_unstable();
        format!("MapSecretStore {}", holding(&names))
    }

    fn secret_names(&self) -> Vec<String> {
        self.values.iter().filter(|(_, value)| !is_blank(value)).map(|(name, _)| name.clone()).collect()
    }
}

/// How many names a store's description lists; it counts the others.
const HELD_SHOWN: usize = 5;

/// ``holding `A` and `B` ``, or `holding no secret`, for a store's description; past
/// [`HELD_SHOWN`] names, how many more.
pub(crate) fn holding(names: &[&str]) -> String {
    match names {
        [] => "holding no secret".to_string(),
        _ => format!("holding {}", conv_api_definitions::names::list_first(names.iter().copied(), HELD_SHOWN)),
    }
}

impl fmt::Debug for MapSecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.values.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("MapSecretStore").field("names", &names).finish()
    }
}

/// Several stores asked in order; the first with a value for the secret (not empty
/// or blank, which counts as unset) answers.
///
/// Typical: environment variables first, then a `.env` file for local development.
#[derive(Default)]
pub struct LayeredSecretStore {
    layers: Vec<Box<dyn SecretStore>>,
}

impl LayeredSecretStore {
    /// A store with no layers (it has no secrets).
    pub fn new() -> Self {
        LayeredSecretStore::default()
    }

    /// The store with `layer` asked after the layers added before it.
    #[must_use]
    pub fn then(mut self, layer: impl SecretStore + 'static) -> Self {
        self.layers.push(Box::new(layer));
        self
    }
}

impl SecretStore for LayeredSecretStore {
    /// The first layer's value that is not empty or blank, which counts as unset,
    /// so it does not hide a later layer's; as that layer stores it.
    fn get(&self, name: &str) -> Option<SecretString> {
        self.layers.iter().find_map(|layer| layer.get(name).filter(|value| !is_blank(value)))
    }

    fn describe(&self) -> String {
        let layers: Vec<String> = self.layers.iter().map(|layer| layer.describe()).collect();
        format!("LayeredSecretStore [{}]", layers.join(", then "))
    }

    fn secret_names(&self) -> Vec<String> {
        self.layers.iter().flat_map(|layer| layer.secret_names()).collect()
    }
}

impl fmt::Debug for LayeredSecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A secret the store does not have; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", missing_message(self))]
pub struct MissingSecret {
    /// The secret's name, such as `ZENDESK_LIVE_API_KEY`.
    pub name: String,
    /// The settings the field belongs to: `auth` or `tls`.
    pub section: &'static str,
    /// The auth or TLS field it is for, such as `value`, `client_secret` or
    /// `token_params.audience`.
    pub field: Cow<'static, str>,
    /// See [`MissingSecret::also_for`]; a thin pointer, `None` when empty: a call's
    /// result has room for this error on every call.
    #[allow(clippy::box_collection, reason = "a thin pointer keeps the error, and every call's result, small")]
    pub(crate) also_for: Option<Box<Vec<String>>>,
    /// Whether the name is the conventional one of a field left out of the file.
    pub conventional: bool,
    /// The API whose environment reads it, when the error does not say it otherwise
    /// (a call's error names its API first).
    pub api: Option<String>,
    /// The store that lacks it, as its [`describe`](SecretStore::describe) says, when
    /// known: the message points to the environment variable only where the store
    /// reads the environment.
    pub store: Option<String>,
    /// A name the store holds that is close to `name` (a typo, another case), when
    /// the store lists its names ([`SecretStore::secret_names`]).
    pub similar: Option<String>,
    /// The environment that reads it, when the error does not say it otherwise:
    /// named by the runtime's start-up checks ([`Runtime::missing_secrets`],
    /// [`Runtime::preflight`]), so that a runtime in the wrong environment shows.
    ///
    /// [`Runtime::missing_secrets`]: crate::Runtime::missing_secrets
    /// [`Runtime::preflight`]: crate::Runtime::preflight
    pub environment: Option<Environment>,
}

/// The most of a store's description a message shows.
const MAX_STORE_SHOWN: usize = 200;

fn missing_message(missing: &MissingSecret) -> String {
    // as a call's TLS error ends
    let pem = match missing.is_tls() {
        true => format!("; its value is {PEM_FORMS}"),
        false => String::new(),
    };
    format!("{}; {}{pem}", missing.what(), add_to_store(missing.store.as_deref(), &[&missing.name]))
}

/// Where to add the secrets `names`, which `store` (a store's description; `None`:
/// not known) lacks: the environment variables to set, where the store reads them.
pub(crate) fn add_to_store(store: Option<&str>, names: &[&str]) -> String {
    let (it, variables) = match names {
        [name] => ("it", format!("the environment variable `{name}`")),
        _ => (
            "them",
            format!(
                "the environment variables {}",
                names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
            ),
        ),
    };
    let blank = "(an empty or blank value counts as missing)";
    match store {
        None | Some(ENV_STORE) => format!("add {it} to the secret store: the default store reads {variables} {blank}"),
        Some(store) if reads_environment(Some(store)) => format!(
            "add {it} to the secret store this runtime reads, {}, whose {ENV_STORE} reads {variables} {blank}",
            shown_store(store)
        ),
        Some(store) => format!("add {it} to the secret store this runtime reads, {} {blank}", shown_store(store)),
    }
}

/// Whether the store of `description` (`None`: not known, the default) reads
/// environment variables: it is, or has a layer that is, [`EnvSecretStore`].
fn reads_environment(description: Option<&str>) -> bool {
    description.is_none_or(|store| store.contains(ENV_STORE))
}

/// A store's description on one line, cut after a whole item past [`MAX_STORE_SHOWN`]
/// characters (a map store lists every name).
fn shown_store(store: &str) -> String {
    let shown = conv_api_definitions::one_line(store);
    let Some((cut, _)) = shown.char_indices().nth(MAX_STORE_SHOWN) else {
        return shown.into_owned();
    };
    let cut = shown[..cut].rfind(", ").unwrap_or(cut);
    format!("{}, ...", &shown[..cut])
}

/// The message of several secrets missing from one store: each, numbered, then where
/// to add them, once.
pub(crate) fn all_missing_message(missing: &[&MissingSecret]) -> String {
    match missing {
        [only] => only.to_string(),
        _ => {
            // each is a missing secret: the count says so once
            let described: Vec<String> = missing.iter().map(|secret| secret.described()).collect();
            let names: Vec<&str> = missing.iter().map(|secret| secret.name.as_str()).collect();
            let store = missing.first().and_then(|secret| secret.store.as_deref());
            let pem = match missing.iter().any(|secret| secret.is_tls()) {
                true => format!("; a `tls:` secret's value is {PEM_FORMS}"),
                false => String::new(),
            };
            let listed = crate::error::numbered_list(&described);
            format!(
                "{} secrets are missing from the secret store: {listed}; {}{pem}",
                described.len(),
                add_to_store(store, &names)
            )
        }
    }
}

impl MissingSecret {
    /// The error for `secret`, which is read for the auth `field`.
    pub fn new(field: impl Into<Cow<'static, str>>, secret: &SecretRef) -> Self {
        MissingSecret {
            name: secret.name.to_string(),
            section: "auth",
            field: field.into(),
            also_for: None,
            conventional: secret.source == SecretSource::Conventional,
            api: None,
            store: None,
            similar: None,
            environment: None,
        }
    }

    /// The errors of the `tls:` secrets `missing` (each with the fields that name it)
    /// from `store`, whose description and names are `shown` so: listed once, and
    /// only when one is missing.
    pub(crate) fn of_tls(
        missing: &[(&SecretRef, &[&'static str])],
        store: &dyn SecretStore,
        shown: &dyn Fn(&str) -> String,
    ) -> Vec<MissingSecret> {
        if missing.is_empty() {
            return Vec::new();
        }
        let (described, held) = (shown(&store.describe()), store.secret_names());
        let missing = missing.iter().filter_map(|&(secret, fields)| {
            let (field, others) = fields.split_first()?;
            Some(MissingSecret {
                section: "tls",
                also_for: boxed_settings(others.iter().map(|other| format!("tls.{other}")).collect()),
                store: Some(described.clone()),
                similar: similar_name(&secret.name, &held).map(|similar| shown(&similar)),
                ..MissingSecret::new(*field, secret)
            })
        });
        missing.collect()
    }

    /// The other settings of the environment that name the same secret, such as
    /// `tls.client_key` (one PEM file holding a certificate and its key): one secret,
    /// told once.
    pub fn also_for(&self) -> &[String] {
        self.also_for.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Whether a `tls:` setting names it (its value is PEM).
    fn is_tls(&self) -> bool {
        self.section == "tls" || self.also_for().iter().any(|setting| setting.starts_with("tls."))
    }

    /// The setting it is named for, as messages write it: `auth.password`.
    fn setting(&self) -> String {
        format!("{}.{}", self.section, self.field)
    }

    /// The error, saying that `store` lacks the secret, and which name it holds
    /// instead, if one is close.
    #[must_use]
    pub fn in_store(self, store: &dyn SecretStore) -> Self {
        let similar = similar_name(&self.name, &store.secret_names());
        MissingSecret { store: Some(store.describe()), similar, ..self }
    }

    /// The error with its store's description masked of the secrets `redactor`
    /// knows, as a call's error shows it: a text of the store's own, which should
    /// hold names only.
    pub(crate) fn store_masked(self, redactor: &Redactor) -> Self {
        let store = self.store.as_deref().map(|store| redactor.text(store));
        let similar = self.similar.as_deref().map(|name| redactor.text(name));
        MissingSecret { store, similar, ..self }
    }

    /// ``missing secret `NAME` in environment `live` (what it is for)``: see
    /// [`described`](MissingSecret::described).
    fn what(&self) -> String {
        format!("missing secret {}", self.described())
    }

    /// `` `NAME` in environment `live` (what it is for)``, the environment when known;
    /// whether the environment variable of its name is set but not to UTF-8, where the
    /// store reads the environment; and a similar name the store holds.
    fn described(&self) -> String {
        let MissingSecret { name, conventional, api, store, similar, environment, .. } = self;
        let also_for = self.also_for();
        let of_api = api.as_ref().map(|api| format!(" of API `{api}`")).unwrap_or_default();
        let setting = self.setting();
        let origin = if *conventional {
            format!("the conventional name for `{setting}`{of_api}, which the definitions file leaves out")
        } else {
            let settings = list_choices(std::iter::once(setting.as_str()).chain(also_for.iter().map(String::as_str)));
            format!("named for {settings}{of_api} in the definitions file")
        };
        let mut notes = vec![origin];
        if *conventional && !also_for.is_empty() {
            notes.push(format!("also named for {}", list_choices(also_for.iter().map(String::as_str))));
        }
        // a store of another kind reads no environment variable: its state would mislead
        if reads_environment(store.as_deref()) && EnvSecretStore::holds_non_utf8(name) {
            notes.push(format!(
                "the environment variable `{name}` is set, but not to UTF-8 text: set it again as UTF-8"
            ));
        }
        if let Some(similar) = similar {
            notes.push(format!("did you mean `{similar}`, which the store holds?"));
        }
        let in_environment =
            environment.map(|environment| format!(" in environment `{environment}`")).unwrap_or_default();
        format!("`{name}`{in_environment} ({})", notes.join("; "))
    }
}

/// `missing` with each secret once: one named again (for another setting) adds that
/// setting to the first one's [`also_for`](MissingSecret::also_for()).
pub(crate) fn each_once(missing: impl IntoIterator<Item = MissingSecret>) -> Vec<MissingSecret> {
    let mut once: Vec<MissingSecret> = Vec::new();
    for secret in missing {
        let Some(first) = once.iter_mut().find(|first| first.name == secret.name) else {
            once.push(secret);
            continue;
        };
        let mut settings = first.also_for.take().map_or_else(Vec::new, |settings| *settings);
        let setting = secret.setting();
        let others = secret.also_for.map_or_else(Vec::new, |others| *others);
        for setting in std::iter::once(setting).chain(others) {
            if setting != first.setting() && !settings.contains(&setting) {
                settings.push(setting);
            }
        }
        first.also_for = boxed_settings(settings);
    }
    once
}

/// `settings` as [`MissingSecret`] keeps them: `None` when there are none.
#[allow(clippy::box_collection, reason = "see `MissingSecret::also_for`")]
fn boxed_settings(settings: Vec<String>) -> Option<Box<Vec<String>>> {
    (!settings.is_empty()).then(|| Box::new(settings))
}

/// The name among `held` closest to `name`, the missing secret's, if one is close
/// enough to be what was meant; on one line, as a store may hold any name.
pub(crate) fn similar_name(name: &str, held: &[String]) -> Option<String> {
    similar_secret_name(name, held.iter().map(String::as_str)).map(|similar| one_line(similar).into_owned())
}

/// The value of secret `name` in `store`, without the line breaks it ends with nor
/// the byte order mark it starts with: a secret made from a file (a Kubernetes or
/// Docker secret) keeps the file's last line break, and one saved as "UTF-8 with
/// BOM" its U+FEFF, which no credential means. An empty or blank value (only
/// whitespace) counts as unset, as an empty environment variable does, so that no
/// empty credential is ever sent.
pub(crate) fn usable_value(store: &dyn SecretStore, name: &str) -> Option<SecretString> {
    let value = store.get(name).filter(|value| !is_blank(value))?;
    let text = value.expose_secret();
    let kept = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text).trim_end_matches(['\r', '\n']);
    if kept.len() == text.len() {
        return Some(value);
    }
    Some(SecretString::from(kept.to_owned()))
}

/// Whether `value` is empty or only whitespace (after a byte order mark), which
/// counts as unset.
fn is_blank(value: &SecretString) -> bool {
    let text = value.expose_secret();
    text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text).trim().is_empty()
}

/// What a text file saved as "UTF-8 with BOM" starts with.
const BYTE_ORDER_MARK: char = '\u{feff}';

/// Whether `store` has a value for secret `name` that the runtime would use (not
/// empty or blank).
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{is_set, MapSecretStore};
/// let store = MapSecretStore::new().with("KEY", "k-1").with("BLANK", " ");
/// assert!(is_set(&store, "KEY") && !is_set(&store, "BLANK") && !is_set(&store, "OTHER"));
/// ```
pub fn is_set(store: &dyn SecretStore, name: &str) -> bool {
    usable_value(store, name).is_some()
}

/// The value of `setting`: the literal, or the secret from `store` when it is set
/// ([`usable_value`]); a missing one is `None`, with no error made.
pub(crate) fn setting_value(setting: &Setting, store: &dyn SecretStore) -> Option<SecretString> {
    match setting {
        Setting::Literal(text) => Some(SecretString::from(text.to_string())),
        Setting::Secret(secret) => usable_value(store, &secret.name),
    }
}

/// Resolves `setting` (for `field`) to its value: the literal, or the secret from
/// `store` (an empty or blank one is not set).
///
/// An optional secret that is not set gives `Ok(None)`.
///
/// # Errors
///
/// A [`MissingSecret`] when `setting` names a required secret that is not set.
pub fn resolve_setting(
    setting: &Setting,
    field: impl Into<Cow<'static, str>>,
    store: &dyn SecretStore,
) -> Result<Option<SecretString>, MissingSecret> {
    match setting {
        Setting::Literal(text) => Ok(Some(SecretString::from(text.to_string()))),
        Setting::Secret(secret) => match usable_value(store, &secret.name) {
            Some(value) => Ok(Some(value)),
            None if secret.required => Err(MissingSecret::new(field, secret).in_store(store)),
            None => Ok(None),
        },
    }
}

/// Resolves a setting the auth cannot do without: the literal, or the secret from `store`.
///
/// # Errors
///
/// A [`MissingSecret`] when `setting` names a secret that is not set (an empty or blank
/// one counts as not set).
pub fn resolve_required(
    setting: &Setting,
    field: impl Into<Cow<'static, str>>,
    store: &dyn SecretStore,
) -> Result<SecretString, MissingSecret> {
    match setting {
        Setting::Literal(text) => Ok(SecretString::from(text.to_string())),
        Setting::Secret(secret) => {
            usable_value(store, &secret.name).ok_or_else(|| MissingSecret::new(field, secret).in_store(store))
        }
    }
}

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
    /// Whether it is a credential, sent as it is read (so [`secret_doubt`] applies):
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
    /// [`short_secret_doubt`] applies): a password, an API key, a client secret or a
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
/// them may cost a remote call (a [`ListedOnce`] store lists them once for many checks).
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
