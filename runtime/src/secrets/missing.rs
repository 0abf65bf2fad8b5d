//! The error of a secret a store lacks ([`MissingSecret`]) and its messages: each
//! secret once, with every setting that names it, and where to add them.

use std::borrow::Cow;

use conv_api_definitions::names::{list_choices, similar_secret_name};
use conv_api_definitions::{one_line, Environment, SecretRef, SecretSource};

use super::{EnvSecretStore, SecretStore, ENV_STORE};
use crate::http::tls::PEM_FORMS;
use crate::redact::Redactor;

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
