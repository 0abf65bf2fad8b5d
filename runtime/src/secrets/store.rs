//! Where secrets are read from ([`SecretStore`] and the stores of this crate), and
//! how a setting's value is read from one: trimmed, blank as unset.

use std::borrow::Cow;
use std::fmt;

use conv_api_definitions::Setting;
use foldhash::HashMap;
use secrecy::{ExposeSecret, SecretString};

use super::MissingSecret;

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
pub(super) const ENV_STORE: &str = "EnvSecretStore";

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
pub(crate) fn is_blank(value: &SecretString) -> bool {
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
