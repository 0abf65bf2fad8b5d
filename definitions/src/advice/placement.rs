//! Where a key that its mapping does not take belongs instead, in a definitions
//! or a mocks file. A line indented one level off, or written on the wrong
//! element, puts a valid key where it is unknown: its error says where the key
//! goes, not only which keys this place takes.

use crate::mocks::{RESPOND_KEYS, RULE_KEYS, WHEN_KEYS};
use crate::model::{auth_types_having, every_setting, Environment, SECRET_FIELDS, TLS_KEYS};
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
    /// where a key shared by two (`name`, of an API and of an `apiKey`) most likely
    /// goes. The levels of the other format are never looked at.
    fn neighbours(self) -> impl Iterator<Item = Level> {
        let nearest: &[Level] = match self {
            Level::Api => &[Level::Environment, Level::Operation],
            Level::Environment => &[Level::Auth, Level::Tls, Level::Api],
            Level::Operation => &[Level::Api, Level::Retry],
            Level::Retry => &[Level::Operation, Level::Api],
            Level::MockRule => &[Level::MockResponse, Level::MockCondition],
            Level::MockResponse => &[Level::MockRule, Level::MockCondition],
            Level::MockCondition => &[Level::MockRule, Level::MockResponse],
            _ => &[],
        };
        let format: &[Level] = match self {
            Level::MockRule | Level::MockResponse | Level::MockCondition => &[],
            _ => &DEFINITIONS_LEVELS,
        };
        nearest.iter().chain(format).copied().filter(move |&level| level != self)
    }

    /// The key that holds a mapping of this level, where one key does.
    fn block_key(self) -> Option<&'static str> {
        match self {
            Level::Environments => Some("environments"),
            Level::Auth => Some("auth"),
            Level::Tls => Some("tls"),
            Level::Retry => Some("retry"),
            Level::MockResponse => Some("respond"),
            Level::MockCondition => Some("when"),
            _ => None,
        }
    }

    /// How a message names a mapping of this level.
    fn name(self) -> &'static str {
        match self {
            Level::File => "the file's top level",
            Level::Api => "an API",
            Level::Environments => "`environments:`",
            Level::Environment => "an environment",
            Level::Auth => "an `auth:` block",
            Level::Tls => "a `tls:` block",
            Level::Operation => "an operation",
            Level::Retry => "a `retry:` block",
            Level::MockRule => "a mock rule",
            Level::MockResponse => "`respond:`",
            Level::MockCondition => "`when:`",
        }
    }
}

/// The levels of a definitions file, from the top.
const DEFINITIONS_LEVELS: [Level; 8] = [
    Level::File,
    Level::Api,
    Level::Environments,
    Level::Environment,
    Level::Auth,
    Level::Tls,
    Level::Operation,
    Level::Retry,
];

/// The levels of the mocks of one operation, from the rule down.
const MOCKS_LEVELS: [Level; 3] = [Level::MockRule, Level::MockResponse, Level::MockCondition];

/// The key of either format that `text` starts with, followed by a blank and more
/// text: a `key value` line whose `:` is missing (`method GET`), which YAML reads
/// as text.
pub(crate) fn key_missing_its_colon(text: &str) -> Option<&str> {
    let (key, rest) = text.trim_start().split_once([' ', '\t'])?;
    let known = DEFINITIONS_LEVELS.iter().chain(&MOCKS_LEVELS).any(|level| level.takes(key));
    (known && !rest.trim().is_empty()).then_some(key)
}

/// How to fix a line of `key` without its `:`; the value is not shown, as it may be a
/// secret.
pub(crate) fn colon_after(key: &str) -> String {
    format!("a `:` is missing after `{key}`: write `{key}: ` and its value")
}

/// Whether the mapping under `block_key` takes `key` (an environment's name, under
/// `environments:`): such a key written beside an empty `block_key:`, after it, was
/// meant under it, and its own error says to indent it.
pub(crate) fn belongs_under(block_key: &str, key: &str) -> bool {
    DEFINITIONS_LEVELS.iter().chain(&MOCKS_LEVELS).any(|level| level.block_key() == Some(block_key) && level.takes(key))
}

/// Where `key` goes when it is written before the empty `block:` (on `line`) whose
/// mapping takes it, which indenting could not put it under; a credential is told to
/// be a secret reference there, as where it goes is told.
pub(crate) fn moved_to_block_below(key: &str, block: &str, line: u32) -> String {
    let secret = match block {
        "tls" => format!(", as `{key}: {{ secret: NAME }}`"),
        _ => as_secret(key),
    };
    format!("`{key}` goes under `{block}:`, which is written empty below it, on line {line}: move it there, indented under it{secret}")
}

/// Where `key`, which a mapping of level `here` does not take, goes instead: the
/// end of its error, after "unknown key ... ;". None when no level of its format
/// takes it (a misspelling, or a key of no level), which its error says otherwise.
///
/// A key's value is never quoted: a credential written where its setting does not
/// go is still a credential.
pub(crate) fn where_it_goes(here: Level, key: &str) -> Option<String> {
    let there = here.neighbours().find(|level| level.takes(key))?;
    let moved = match (here, there) {
        _ if here.block_key() == Some(key) => format!("is written twice, one `{key}:` inside the other: remove the inner `{key}:` line and keep what is under it"),
        (Level::File, Level::Api) => "is a key of an API: the APIs go in the list under `api_integrations:`, each an entry (`- name: ...`) indented under it".to_string(),
        (Level::Api, Level::Environment) => format!("is set per environment: move it into each environment under `environments:` (like `environments: {{ sandbox: {{ {key}: ... }} }}`)"),
        (Level::Api, Level::Operation) => "is set per operation: move it into each operation under `operations:`".to_string(),
        (Level::Environments, Level::Environment) => "is a key of one environment: indent it under the environment it is for (`sandbox:`, `pre-release:` or `live:`)".to_string(),
        (Level::Environment, Level::Api) => format!("is not set per environment{}: move it out of `environments:`", api_or_operation(key)),
        (Level::Environment, Level::Operation) => "is set per operation: move it into the operation under the API's `operations:`".to_string(),
        (Level::Auth, Level::Environment) => "is a key of the environment, beside `auth:`, not inside it: move it out one level".to_string(),
        (Level::Tls, Level::Environment) => "is a key of the environment, beside `tls:`, not inside it: move it out one level".to_string(),
        (Level::Operation, Level::Api) if key == "operations" => "is no key of an operation, as operations do not nest: list each one under the API's `operations:`".to_string(),
        (Level::Operation, Level::Api) => "is set on the API, not per operation: move it to the API, beside `operations:`".to_string(),
        (Level::Operation, Level::Environment) => "is set per environment of the API, not per operation: move it into the API's environments (`environments: { sandbox: { ... } }`)".to_string(),
        (Level::Retry, Level::Operation | Level::Api) => "is a key of the operation or API, beside `retry:`, not inside it: move it out one level".to_string(),
        (_, Level::Auth) => format!("is {}{}{}", auth_setting(key), into_block(here, "auth"), as_secret(key)),
        (_, Level::Tls) => format!("is a setting of an environment's `tls:` block{}, as `{key}: {{ secret: NAME }}`", into_block(here, "tls")),
        (Level::Api | Level::Operation, Level::Retry) => format!("is a setting of `retry:`: write it there, like `retry: {{ {key}: ... }}`"),
        (_, Level::Retry) => format!("is a setting of the `retry:` of the API or of an operation, not of {}: move it there", here.name()),
        (Level::MockRule, Level::MockResponse) => format!("is a key of the response: indent it under `respond:` (like `respond: {{ {key}: ... }}`)"),
        (Level::MockRule, Level::MockCondition) => format!("is a condition of the rule: indent it under `when:` (like `when: {{ {key}: ... }}`)"),
        (Level::MockResponse | Level::MockCondition, Level::MockRule) => format!("is a key of the rule, beside `{}:`, not inside it: move it out one level", here.block_key().unwrap_or_default()),
        (Level::MockResponse, Level::MockCondition) => "is a condition of the rule: it goes under `when:`, beside `respond:`".to_string(),
        (Level::MockCondition, Level::MockResponse) => "is a key of the response: it goes under `respond:`, beside `when:`".to_string(),
        // a key of a level further off
        (_, Level::File) => format!("is the file's top-level key, not one of {}: the file holds one list of APIs, under one `api_integrations:`", here.name()),
        (_, Level::Api) => format!("is a key of the API{}, not of {}: move it there", or_operation(key), here.name()),
        (_, Level::Environments) => format!("is an environment, not a key of {}: indent it under the API's `environments:`", here.name()),
        (_, Level::Environment) => format!("is a key of an environment, not of {}: move it into each environment under the API's `environments:`", here.name()),
        (_, Level::Operation) => format!("is a key of an operation, not of {}: move it into the operation under the API's `operations:`", here.name()),
        _ => return None,
    };
    Some(format!("`{key}` {moved}"))
}

/// After "is not set per environment" for an API's `key`: which elements set it.
fn api_or_operation(key: &str) -> String {
    format!("; it is a key of the API{}", or_operation(key))
}

/// After "a key of the API" for `key`: whether an operation has it too.
fn or_operation(key: &str) -> &'static str {
    match OPERATION_KEYS.contains(&key) {
        true => " or of an operation",
        false => "",
    }
}

/// The auth setting `key`, with the auth types that have it.
fn auth_setting(key: &str) -> String {
    let owners = auth_types_having(key).unwrap_or_default();
    format!("a setting of an environment's `auth:` block (auth type {owners})")
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
