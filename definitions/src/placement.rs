//! Where a key that its mapping does not take belongs instead, in a definitions
//! or a mocks file. A line indented one level off, or written on the wrong
//! element, puts a valid key where it is unknown: its error says where the key
//! goes, not only which keys this place takes.

use crate::mocks::{RESPOND_KEYS, RULE_KEYS, WHEN_KEYS};
use crate::model::{every_setting, Environment, SECRET_FIELDS, SETTINGS_BY_TYPE, TLS_KEYS};
use crate::read::{API_KEYS, ENVIRONMENT_KEYS, OPERATION_KEYS, RETRY_KEYS, TOP_KEYS};

/// The kind of mapping a key is written in: a level of a definitions file, or of
/// the mocks of one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    /// The file's top level.
    File,
    /// One API, an entry of `api_integrations:`.
    Api,
    /// An API's `environments:`, keyed by environment.
    Environments,
    /// One environment (`sandbox:`, `pre-release:`, `live:`).
    Environment,
    /// An environment's `auth:` block.
    Auth,
    /// An environment's `tls:` block.
    Tls,
    /// One operation, an entry of an API's `operations:`.
    Operation,
    /// A `retry:` block, of an API or an operation.
    Retry,
    /// A mock rule, an entry of an operation's list in `api_mocks:`.
    MockRule,
    /// A mock rule's `respond:`.
    MockResponse,
    /// A mock rule's `when:`.
    MockCondition,
}

impl Level {
    /// Whether a mapping of this level takes `key`.
    fn takes(self, key: &str) -> bool {
        match self {
            Level::File => TOP_KEYS.contains(&key),
            Level::Api => API_KEYS.contains(&key),
            Level::Environments => Environment::from_key(key).is_some(),
            Level::Environment => ENVIRONMENT_KEYS.contains(&key),
            Level::Auth => every_setting().any(|setting| setting == key),
            Level::Tls => TLS_KEYS.contains(&key),
            Level::Operation => OPERATION_KEYS.contains(&key),
            Level::Retry => RETRY_KEYS.contains(&key),
            Level::MockRule => RULE_KEYS.contains(&key),
            Level::MockResponse => RESPOND_KEYS.contains(&key),
            Level::MockCondition => WHEN_KEYS.contains(&key),
        }
    }

    /// The levels whose keys are looked for when one is unknown here, nearest first:
    /// where a key shared by two (`name`, of an API and of an `apiKey`) most likely goes.
    fn neighbours(self) -> &'static [Level] {
        match self {
            Level::File => &[Level::Api],
            Level::Api => &[Level::Environment, Level::Operation, Level::Auth, Level::Tls, Level::Retry],
            Level::Environments => &[Level::Environment],
            Level::Environment => &[Level::Auth, Level::Tls, Level::Api, Level::Operation],
            Level::Auth => &[Level::Environment, Level::Tls],
            Level::Tls => &[Level::Environment, Level::Auth],
            Level::Operation => &[Level::Api, Level::Environment, Level::Auth, Level::Tls, Level::Retry],
            Level::Retry => &[Level::Operation],
            Level::MockRule => &[Level::MockResponse, Level::MockCondition],
            Level::MockResponse => &[Level::MockRule, Level::MockCondition],
            Level::MockCondition => &[Level::MockRule, Level::MockResponse],
        }
    }
}

/// Where `key`, which a mapping of level `here` does not take, goes instead: the
/// end of its error, after "unknown key ... ;". None when no level near takes it
/// (a misspelling, or a key of no level), which its error says otherwise.
///
/// A key's value is never quoted: a credential written where its setting does not
/// go is still a credential.
pub(crate) fn where_it_goes(here: Level, key: &str) -> Option<String> {
    let there = here.neighbours().iter().copied().find(|level| level.takes(key))?;
    let moved = match (here, there) {
        (Level::File, _) => "is a key of an API: the APIs go in the list under `api_integrations:`, each an entry (`- name: ...`) indented under it".to_string(),
        (Level::Api, Level::Environment) => format!("is set per environment: move it into each environment under `environments:` (like `environments: {{ sandbox: {{ {key}: ... }} }}`)"),
        (Level::Api, Level::Operation) => "is set per operation: move it into each operation under `operations:`".to_string(),
        (Level::Environments, _) => "is a key of one environment: indent it under the environment it is for (`sandbox:`, `pre-release:` or `live:`)".to_string(),
        (Level::Environment, Level::Api) => format!("is not set per environment{}: move it out of `environments:`", api_or_operation(key)),
        (Level::Environment, Level::Operation) => "is set per operation: move it into the operation under the API's `operations:`".to_string(),
        (Level::Auth | Level::Tls, Level::Environment) if key == "auth" || key == "tls" => format!("is written twice, one `{key}:` inside the other: remove the inner `{key}:` line and keep what is under it"),
        (Level::Auth, Level::Environment) => "is a key of the environment, beside `auth:`, not inside it: move it out one level".to_string(),
        (Level::Tls, Level::Environment) => "is a key of the environment, beside `tls:`, not inside it: move it out one level".to_string(),
        (Level::Operation, Level::Api) if key == "operations" => "is no key of an operation, as operations do not nest: list each one under the API's `operations:`".to_string(),
        (Level::Operation, Level::Api) => "is set on the API, not per operation: move it to the API, beside `operations:`".to_string(),
        (Level::Operation, Level::Environment) => "is set per environment of the API, not per operation: move it into the API's environments (`environments: { sandbox: { ... } }`)".to_string(),
        (Level::Retry, _) => "is a key of the operation or API, beside `retry:`, not inside it: move it out one level".to_string(),
        (_, Level::Auth) => format!("is {}{}{}", auth_setting(key), into_block(here, "auth"), as_secret(key)),
        (_, Level::Tls) => format!("is a setting of an environment's `tls:` block{}, as `{key}: {{ secret: NAME }}`", into_block(here, "tls")),
        (_, Level::Retry) => format!("is a setting of `retry:`: write it there, like `retry: {{ {key}: ... }}`"),
        (Level::MockRule, Level::MockResponse) => format!("is a key of the response: indent it under `respond:` (like `respond: {{ {key}: ... }}`)"),
        (Level::MockRule, Level::MockCondition) => format!("is a condition of the rule: indent it under `when:` (like `when: {{ {key}: ... }}`)"),
        (Level::MockResponse | Level::MockCondition, Level::MockRule) => format!("is a key of the rule, beside `{}:`, not inside it: move it out one level", mock_block(here)),
        (Level::MockResponse, Level::MockCondition) => "is a condition of the rule: it goes under `when:`, beside `respond:`".to_string(),
        (Level::MockCondition, Level::MockResponse) => "is a key of the response: it goes under `respond:`, beside `when:`".to_string(),
        _ => return None,
    };
    Some(format!("`{key}` {moved}"))
}

/// The key of a mock rule's block `here`.
fn mock_block(here: Level) -> &'static str {
    match here {
        Level::MockCondition => "when",
        _ => "respond",
    }
}

/// After "is not set per environment" for an API's `key`: which elements set it.
fn api_or_operation(key: &str) -> &'static str {
    match OPERATION_KEYS.contains(&key) {
        true => "; it is a key of the API or of an operation",
        false => "; it is a key of the API",
    }
}

/// The auth setting `key`, with the auth types that have it.
fn auth_setting(key: &str) -> String {
    let owners: Vec<String> = SETTINGS_BY_TYPE
        .into_iter()
        .filter(|(_, settings)| settings.contains(&key))
        .map(|(auth_type, _)| format!("`{auth_type}`"))
        .collect();
    format!("a setting of an environment's `auth:` block (auth type {})", owners.join(" or "))
}

/// How the auth setting `key` is written there, when it takes only a secret.
fn as_secret(key: &str) -> String {
    match SECRET_FIELDS.iter().any(|&(setting, _)| setting == key) {
        true => format!(", as `{key}: {{ secret: NAME }}`: a credential never goes in the file"),
        false => String::new(),
    }
}

/// How a setting of the environment's `block` written at level `here` gets there.
fn into_block(here: Level, block: &str) -> String {
    match here {
        Level::Environment => format!(": indent it under `{block}:`"),
        Level::Auth | Level::Tls => format!(": move it to the environment's `{block}:`, beside this block"),
        _ => format!(": move it into the `{block}:` of each environment that needs it, under `environments:`"),
    }
}
