//! The keys of an `auth:` block that are no setting of its auth type: another
//! type's settings, misspellings, and keys other formats write (`type`, `secret`,
//! `grant_type`), each told where what it says goes.

use super::secret::setting;
use super::{AuthTypeFrom, SecretScope};
use crate::advice::placement::{where_it_goes, Level};
use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::{did_you_mean, is_secret_name, list_choices, lowercase_alphanumerics, SUGGESTED_UP_TO};
use crate::read::environment::{is_bearer_token, BEARER_FIX};
use crate::read::fields::{glued_key, shown_key, Fields};
use crate::yaml::Node;

/// A secret of a type other than the block's (`own` its settings), or a key that
/// seems to mean one, written as a literal is reported too: secrets never go in the
/// file, whatever the type, and the key's being out of place is said on its own.
pub(super) fn check_other_types_secrets(
    fields: &Fields<'_>,
    own: &[&str],
    scope: SecretScope<'_>,
    path: &str,
    d: &mut Collector,
) {
    for &(key, _, value) in &fields.entries {
        // a setting glued to its value is said as such, by `check_auth_keys`
        if glued_key(key, value, |name| every_setting().any(|setting| setting == name)).is_some() {
            continue;
        }
        // a key of no type is checked as the secret setting it seems to mean (`pasword`)
        let meant = match every_setting().any(|known| known == key) {
            true => Some(key),
            false => did_you_mean(key, every_setting()),
        };
        let Some((_, field)) = SECRET_FIELDS.iter().find(|(name, _)| Some(*name) == meant && !own.contains(name))
        else {
            continue;
        };
        setting(value, &format!("{path}.{key}"), true, &scope.conventional(field), d);
    }
}

/// Reports settings of other auth types and unknown ones; a misspelt setting of
/// this type stands in for it, as in [`Fields::check_keys`].
pub(super) fn check_auth_keys(
    fields: &mut Fields<'_>,
    auth_type: AuthType,
    from: AuthTypeFrom,
    own: &[&str],
    path: &str,
    d: &mut Collector,
) {
    let mut stand_ins = Vec::new();
    for &(key, key_node, value) in &fields.entries {
        if own.contains(&key) {
            continue;
        }
        // `location:header`, `value:abc`: a setting glued to its value (not shown, for a secret)
        if let Some((shown, fix)) = glued_key(key, value, |name| every_setting().any(|setting| setting == name)) {
            d.error(key_node.span, format!("unknown key {shown} in `{path}`; {fix}"));
            continue;
        }
        // a field of the token request, as OAuth 2.0 calls it (`resource` is an operation's key
        // too), or `auth: { secret: NAME }`, a reference without the setting it is for
        let fix = token_request_field_fix(key, auth_type)
            .or_else(|| bare_secret_reference_fix(key, value, own))
            .or_else(|| auth_type_key_fix(key, value, auth_type, from));
        if let Some(fix) = fix {
            d.error(key_node.span, format!("unknown key `{key}` in `{path}`; {fix}"));
            continue;
        }
        let problem = match auth_types_having(key) {
            Some(owners) if from != AuthTypeFrom::Keys => {
                another_types_setting(fields, key, &owners, auth_type, own, path)
            }
            // read as the type its keys suggest, the file named no type to belong to
            Some(_) => continue,
            // a key of another level of the file (`auth_type`, `base_url`), indented one level too deep
            None => match where_it_goes(Level::Auth, key) {
                Some(goes) => KeyProblem { message: format!("unknown key `{key}` in `{path}`; {goes}"), read_as: None },
                None => unknown_setting(fields, key, auth_type, from, own, path),
            },
        };
        stand_ins.extend(problem.read_as.map(|meant| (meant, key_node, value)));
        d.error(key_node.span, problem.message);
    }
    for (meant, key_node, value) in stand_ins {
        fields.stand_in(meant, key_node, value);
    }
}

/// A key of an `auth:` block that is no setting of its auth type: the error, and
/// the setting its value is read as, when it is a stand-in for one.
struct KeyProblem<'a> {
    message: String,
    read_as: Option<&'a str>,
}

/// The setting `key` of auth types `owners` in the `auth:` block of `auth_type`,
/// whose settings are `own`; the same setting by the other type's name
/// (`header_name` for an API key's `name`) is read as this type's, since removing
/// it would drop what it says.
fn another_types_setting<'a>(
    fields: &Fields<'_>,
    key: &str,
    owners: &str,
    auth_type: AuthType,
    own: &[&'a str],
    path: &str,
) -> KeyProblem<'a> {
    let same = SAME_SETTING.iter().find_map(|&(a, b)| match key {
        _ if key == a => own.iter().find(|&&setting| setting == b).copied(),
        _ if key == b => own.iter().find(|&&setting| setting == a).copied(),
        _ => None,
    });
    let (fix, read_as) = match same {
        // both written: renaming would write it twice
        Some(same) if fields.key_span(same).is_some() => {
            (format!("`{auth_type}` calls this setting `{same}`, which is given: remove it"), None)
        }
        Some(same) => {
            (format!("`{auth_type}` calls this setting `{same}`: rename it, or change `auth_type`"), Some(same))
        }
        None => ("remove it or change `auth_type`".to_string(), None),
    };
    let message = format!("`{path}.{key}` belongs to auth type {owners}, but `auth_type` is `{auth_type}`; {fix}");
    KeyProblem { message, read_as }
}

/// A `key` no auth type has, in the `auth:` block of `auth_type` (read `from` the
/// file or its keys), whose settings are `own`: a misspelling is read as the setting
/// meant, a header's name written as a key is told where it goes, and a key like no
/// setting is not shown, as it may be a secret that lost its key (`{ value, abc123 }`).
fn unknown_setting<'a>(
    fields: &Fields<'_>,
    key: &str,
    auth_type: AuthType,
    from: AuthTypeFrom,
    own: &[&'a str],
    path: &str,
) -> KeyProblem<'a> {
    let mut read_as = None;
    let hint = match fields.misspelling(key, own) {
        Some(misspelling) => {
            read_as = Some(misspelling.meant);
            let hint = misspelling.hint();
            let end = if hint.ends_with('?') { " " } else { "; " };
            hint + end
        }
        // another tool's word for a setting first (`token` is `value`), then a near spelling
        None => fields
            .meaning(key, &every_setting().collect::<Vec<_>>())
            .or_else(|| did_you_mean(key, every_setting()))
            .map(|other| {
                format!(
                    "did you mean `{other}` (a setting of auth type {})? ",
                    auth_types_having(other).unwrap_or_default()
                )
            })
            .unwrap_or_default(),
    };
    let valid = if from == AuthTypeFrom::Keys && hint.is_empty() {
        "no auth type has this setting; remove it".to_string()
    } else if from == AuthTypeFrom::Keys {
        "no auth type has this setting".to_string()
    } else if own.is_empty() {
        format!("auth type `{auth_type}` takes no settings")
    } else {
        format!("the `{auth_type}` settings are {}", list_choices(own.iter().copied()))
    };
    // a header's name written as a key (`X-Api-Key: ..`) goes under `name`
    // (only while the block lacks the setting for it: else it may be a capitalized passphrase)
    let header_setting = match auth_type {
        AuthType::ApiKey => Some("name"),
        AuthType::OAuth2 => Some("header_name"),
        _ => None,
    };
    let header_missing = header_setting.is_some_and(|setting| fields.key_span(setting).is_none());
    if hint.is_empty() && header_missing && is_header_like(key) {
        let goes = match auth_type {
            AuthType::OAuth2 => format!("the header that carries the token is named by `header_name`: write `header_name: {key}` (for a fixed key in that header, write `auth_type: apiKey` and `name: {key}`)"),
            _ => format!("a header's name goes in `name`: write `name: {key}`, and the key as `value: {{ secret: NAME }}`"),
        };
        return KeyProblem { message: format!("unknown key `{key}` in `{path}`; {goes}"), read_as };
    }
    let shown = match hint.is_empty() && !is_setting_like(key) {
        true => "(not shown: it may be a secret)".to_string(),
        false => shown_key(key),
    };
    KeyProblem { message: format!("unknown key {shown} in `{path}`; {hint}{valid}"), read_as }
}

/// How to write a field of the OAuth 2.0 token request written as a setting of an
/// `oauth2` block:
/// `grant_type`, which is always the client credentials grant, and the parameters
/// identity providers add (Auth0's `audience`, Entra ID v1's `resource`).
fn token_request_field_fix(key: &str, auth_type: AuthType) -> Option<String> {
    if auth_type != AuthType::OAuth2 {
        return None;
    }
    match key {
        "grant_type" => Some("the grant is always `client_credentials`, sent without a setting: remove it".to_string()),
        "audience" | "resource" => Some(format!(
            "a parameter of the token request goes under `token_params:`: write `token_params: {{ {key}: ... }}`"
        )),
        // fields of the token response, read from each response
        "expires_in" | "expires" | "expiry" | "token_lifetime" | "ttl" => Some(
            "a token's lifetime is read from each token response's `expires_in` (an hour when a response has none), and a token is renewed before it ends: remove it".to_string(),
        ),
        "token_type" => Some(
            "the token's type comes with each token response; the word sent before the token is `token_prefix` (default `Bearer`)".to_string(),
        ),
        _ => None,
    }
}

/// How to write `auth: { secret: NAME }`, a secret reference written as the block,
/// where `own`, the block's settings, has one that takes a secret: under it. The
/// name is shown only when it is one (not a value written in its place).
fn bare_secret_reference_fix(key: &str, value: &Node, own: &[&str]) -> Option<String> {
    let (setting, _) = SECRET_FIELDS.iter().find(|(setting, _)| key == "secret" && own.contains(setting))?;
    let name = value.as_scalar().map(|name| name.text.as_str()).filter(|name| is_secret_name(name));
    Some(format!(
        "a secret reference is the value of the setting it is for: write `auth: {{ {setting}: {{ secret: {} }} }}`",
        name.unwrap_or("NAME")
    ))
}

/// The words other formats key an auth type with inside the block (`type`,
/// `authType`), compared as [`lowercase_alphanumerics`] writes them.
const AUTH_TYPE_KEYS: &[&str] = &["type", "kind", "scheme", "authtype", "authmethod", "authscheme", "authentication"];

/// Whether `key`, not `auth_type` itself, keys an auth type as other formats do.
fn is_auth_type_key(key: &str) -> bool {
    key != "auth_type"
        && key.len() <= SUGGESTED_UP_TO
        && AUTH_TYPE_KEYS.contains(&lowercase_alphanumerics(key).as_str())
}

/// The value of the key of `fields` that names the block's auth type: `auth_type`,
/// or a key other formats write for it whose value is an auth type (`type: basic`,
/// not `type: header`).
pub(in crate::read) fn type_key_value<'n>(fields: &Fields<'n>) -> Option<&'n Node> {
    let names_a_type = |value: &&Node| value.as_scalar().is_some_and(|word| AuthType::from_word(&word.text).is_some());
    let keyed = fields.entries.iter().find(|&&(key, _, value)| is_auth_type_key(key) && names_a_type(&value));
    fields.present("auth_type").or(keyed.map(|&(_, _, value)| value))
}

/// How to write `auth: { type: basic }`, the auth type keyed as other formats key it
/// inside the block, where `auth_type` is the type the block is read for, `from` the
/// file or the block itself: as the environment's `auth_type`, beside `auth:`. A
/// value that says where a key goes (`type: header`) or the word before it
/// (`scheme: Bearer`) is told its setting.
fn auth_type_key_fix(key: &str, value: &Node, auth_type: AuthType, from: AuthTypeFrom) -> Option<String> {
    // `auth_type` itself is told to move out one level, as a key of the environment
    if !is_auth_type_key(key) {
        return None;
    }
    let word = value.as_scalar().map_or("", |scalar| scalar.text.as_str());
    let beside = "the auth type is the environment's `auth_type`, beside `auth:`";
    Some(match AuthType::from_word(word) {
        Some(named) if named == auth_type && from == AuthTypeFrom::Block => {
            format!("{beside}: write `auth_type: {named}` there")
        }
        Some(named) if named == auth_type => "the environment's `auth_type` says it already: remove it".to_string(),
        Some(named) if auth_type == AuthType::None => format!("{beside}: write `auth_type: {named}` there"),
        Some(_) => format!("{beside}, which is `{auth_type}`: remove it, or change `auth_type`"),
        None if matches!(word, "header" | "query") => {
            format!("where an API key goes is its `location`: write `location: {word}` (auth type `apiKey`)")
        }
        // the word an `Authorization` header's value starts with
        None if matches!(lowercase_alphanumerics(word).as_str(), "bearer" | "token" | "jwt")
            && matches!(auth_type, AuthType::ApiKey | AuthType::OAuth2) =>
        {
            match auth_type {
                AuthType::ApiKey => format!("the word sent before the key is its `prefix`: write `prefix: {word}`"),
                _ => format!("the word sent before the token is its `token_prefix` (default `Bearer`): write `token_prefix: {word}`"),
            }
        }
        None if is_bearer_token(word) => BEARER_FIX.to_string(),
        None if auth_type == AuthType::None => {
            format!("{beside}: write it there, as `none`, `basic`, `apiKey` or `oauth2`")
        }
        None => format!("{beside}, which is `{auth_type}`: remove it"),
    })
}

/// Whether `key` reads like a setting's name: lowercase words joined by `_`
/// (`nosuch_field`), or an auth type's name as Postman keys its settings (`bearer`);
/// not like a value that took a key's place (`Kv4sWn8j`, `hunter`).
fn is_setting_like(key: &str) -> bool {
    // Postman keys an auth block's settings by its type: `bearer: [..]`, `apikey: [..]`
    const POSTMAN_TYPES: [&str; 10] =
        ["apikey", "awsv4", "basic", "bearer", "digest", "hawk", "jwt", "noauth", "ntlm", "oauth2"];
    key.contains('_') && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') || POSTMAN_TYPES.contains(&key)
}

/// Whether `key` reads like an HTTP header's name (`X-Api-Key`, `Authorization`):
/// capitalized words joined by `-`, not like a secret that took a key's place.
fn is_header_like(key: &str) -> bool {
    // each word capitalized, as header names are written (a passphrase is not)
    let is_word = |word: &str| {
        word.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && word.chars().all(|c| c.is_ascii_alphabetic())
    };
    key == "Authorization" || key.contains('-') && key.split('-').all(is_word)
}

/// Settings of OAuth 2.0 and of an API key that say the same: the header the
/// credential goes in, and the word before it.
const SAME_SETTING: [(&str, &str); 2] = [("header_name", "name"), ("token_prefix", "prefix")];
