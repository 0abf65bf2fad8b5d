//! The settings of an `auth:` block, for its auth type: literals, secret
//! references, and the conventional secret names of settings left out.

use std::borrow::Cow;

use super::environment::{is_bearer_token, warn_of_dot_segments, warn_of_user_info, BEARER_FIX};
use super::fields::{glued_key, shown_key, text, Fields};
use super::warn_of_written_credentials;
use crate::diagnostics::{invisible_problem, Collector};
use crate::headers::{beyond_latin1, holds_control, is_client_header, is_header_name, not_a_header_name, not_latin1};
use crate::model::*;
use crate::names::{
    did_you_mean, is_plain_word, is_secret_name, is_usable_api_name, list_alternatives, list_choices,
    lowercase_alphanumerics, may_be_a_secret_value, secret_name_like, SUGGESTED_UP_TO,
};
use crate::placement::{where_it_goes, Level};
use crate::urls::{check_url, is_credential_query_param, UrlUse};
use crate::yaml::{Node, NodeKind, ScalarValue};

/// The auth type whose settings most of the block's keys are, when one type leads:
/// how a block under an unknown `auth_type` is still checked.
pub(super) fn auth_type_of_keys(fields: &Fields<'_>) -> Option<AuthType> {
    let count = |own: &[&str]| fields.entries.iter().filter(|(key, _, _)| own.contains(key)).count();
    let counts = SETTINGS_BY_TYPE.map(|(auth_type, own)| (auth_type, count(own)));
    let most = counts.iter().map(|&(_, count)| count).max().filter(|&most| most > 0)?;
    let mut leaders = counts.iter().filter(|&&(_, count)| count == most);
    match (leaders.next(), leaders.next()) {
        (Some(&(auth_type, _)), None) => Some(auth_type),
        _ => None,
    }
}

/// The API and environment whose conventional secret names a field left out gets.
#[derive(Clone, Copy)]
pub(super) struct SecretScope<'a> {
    pub(super) api: &'a str,
    pub(super) environment: Environment,
}

impl SecretScope<'_> {
    /// `<API>_<ENV>_<FIELD>`, upper-cased, `-` as `_`. `api` is the API's name, or
    /// where that is no valid one (an error of its own), the name its error suggests
    /// (`Zen-desk` as `ZEN_DESK`); where there is none, the name keeps `<API>`, not a
    /// name that is never read (`_LIVE_SCOPE`, `FTP://X.EXAMPLE_LIVE_TOKEN_URL`).
    fn conventional(self, field: &str) -> String {
        let api = match is_usable_api_name(self.api) {
            true => self.api,
            false => "<API>",
        };
        conventional_secret_name(api, self.environment, field)
    }
}

/// The conventional secret name of an auth field left out: `<API>_<ENV>_<FIELD>`.
///
/// ```
/// use conv_api_definitions::{conventional_secret_name, Environment};
/// assert_eq!(conventional_secret_name("zendesk", Environment::PreRelease, "api_key"), "ZENDESK_PRE_RELEASE_API_KEY");
/// ```
pub fn conventional_secret_name(api: &str, environment: Environment, field: &str) -> String {
    format!("{}_{}_{}", api, environment.secret_part(), field).to_ascii_uppercase().replace('-', "_")
}

/// Where the auth type a block is read for comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum AuthTypeFrom {
    /// The file's `auth_type`, or the type a misspelt one means.
    File,
    /// The block's own keys, under an `auth_type` that is no type: the block is
    /// checked for what holds whatever the type (secrets, unknown keys).
    Keys,
}

pub(super) fn read_auth(
    auth_type: AuthType,
    from: AuthTypeFrom,
    mut fields: Option<Fields<'_>>,
    scope: SecretScope<'_>,
    path: &str,
    d: &mut Collector,
) -> Option<Auth> {
    let own = SETTINGS_BY_TYPE.into_iter().find(|&(of, _)| of == auth_type).map_or(&[][..], |(_, own)| own);
    if let Some(fields) = &mut fields {
        check_auth_keys(fields, auth_type, from, own, path, d);
        check_other_types_secrets(fields, own, scope, path, d);
    }
    let settings = AuthFields { fields: fields.as_ref(), scope, path };
    let errors_before = d.error_count();
    let auth = match auth_type {
        AuthType::Basic => {
            Auth::Basic(BasicAuth { username: settings.basic_username(d), password: settings.secret(PASSWORD, d) })
        }
        AuthType::ApiKey => Auth::ApiKey(ApiKeyAuth {
            location: settings.choice("location", d),
            name: settings.header_text("name", "X-API-Key", d),
            prefix: settings.optional_header_text("prefix", d),
            value: settings.secret(API_KEY_VALUE, d),
        }),
        AuthType::OAuth2 => Auth::OAuth2(OAuth2Auth {
            token_url: settings.token_url(d),
            client_id: settings.setting("client_id", false, "CLIENT_ID", d),
            client_secret: settings.secret(CLIENT_SECRET, d),
            scope: Some(settings.optional_setting("scope", "SCOPE", d)),
            credentials: settings.choice("credentials", d),
            header_name: settings.header_text("header_name", "Authorization", d),
            token_prefix: settings.header_text("token_prefix", "Bearer", d),
            token_params: settings.token_params(d),
        }),
        AuthType::None => Auth::None,
    };
    (d.error_count() == errors_before).then_some(auth)
}

/// The value of the token parameter at `path`: a literal, or a secret reference (only
/// that, for one named like a `credential`), `example` the secret name a message
/// suggests.
fn token_param_value(node: &Node, path: &str, credential: bool, example: &str, d: &mut Collector) -> Option<Setting> {
    if let NodeKind::Mapping(_) = node.kind {
        return secret_ref(node, path, example, d).map(Setting::Secret);
    }
    let literal = node.as_scalar().map(|scalar| (scalar.value(), scalar.text.as_str()));
    let problem = match literal {
        // a credential's value is never shown, nor checked for what else may be wrong
        _ if credential => format!(
            "is named like a credential, and credentials never go in the definitions file; write `{{ secret: {} }}` and put the value in the secret store",
            secret_name_like(example)
        ),
        None => format!("must be text or a `{{ secret: NAME }}`, found {}; write one value", node.describe()),
        Some((ScalarValue::Null, _)) => "is null; give it a value, or remove the parameter".to_string(),
        Some((_, "")) => "is empty; give it a value, or remove the parameter".to_string(),
        Some((_, text)) if holds_control(text) => "holds a control character; remove it".to_string(),
        Some((_, text)) => return Some(Setting::Literal(Cow::Owned(text.to_string()))),
    };
    d.error(node.span, format!("`{path}` {problem}"));
    None
}

/// The token request's form parameters that the runtime writes itself, each with
/// where it comes from: a `token_params:` entry may not set them.
const OWN_TOKEN_PARAMS: [(&str, &str); 4] = [
    ("grant_type", "is always `client_credentials`; remove it here"),
    ("scope", "comes from the setting `scope`; set it there"),
    ("client_id", "comes from the setting `client_id`; set it there"),
    ("client_secret", "comes from the setting `client_secret`; set it there"),
];

/// A secret of a type other than the block's (`own` its settings), or a key that
/// seems to mean one, written as a literal is reported too: secrets never go in the
/// file, whatever the type, and the key's being out of place is said on its own.
fn check_other_types_secrets(fields: &Fields<'_>, own: &[&str], scope: SecretScope<'_>, path: &str, d: &mut Collector) {
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
fn check_auth_keys(
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
            .or_else(|| auth_type_key_fix(key, value, auth_type));
        if let Some(fix) = fix {
            d.error(key_node.span, format!("unknown key `{key}` in `{path}`; {fix}"));
            continue;
        }
        let problem = match auth_types_having(key) {
            Some(owners) if from == AuthTypeFrom::File => {
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
        None => did_you_mean(key, every_setting())
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
        let message = format!("unknown key `{key}` in `{path}`; a header's name goes in `name` (`header_name` for `oauth2`): write `name: {key}`, and the key as `value: {{ secret: NAME }}`");
        return KeyProblem { message, read_as };
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

/// The word of `choices` that `word`, no choice of setting `key`, means, with why: a
/// choice in other letter case (`Header`), or an OAuth 2.0 client authentication
/// method as RFC 7591 and identity providers name it (`client_secret_basic`).
fn choice_meant<'c>(
    key: &str,
    word: &str,
    mut choices: impl Iterator<Item = &'c str>,
) -> Option<(&'c str, &'static str)> {
    if let Some(choice) = choices.find(|choice| choice.eq_ignore_ascii_case(word)) {
        return Some((choice, ", and the words are lower case"));
    }
    let meant = match (key, lowercase_alphanumerics(word).as_str()) {
        ("credentials", "basic" | "clientsecretbasic" | "httpbasic" | "authorization" | "authheader") => (
            "header",
            ", an HTTP Basic `Authorization` header with the client's id and secret, which this format calls `header`",
        ),
        ("credentials", "post" | "clientsecretpost" | "form" | "formbody" | "requestbody") => {
            ("body", ", the client's id and secret in the token request's form, which this format calls `body`")
        }
        ("location", "headers" | "httpheader" | "requestheader") => ("header", ", which this format calls `header`"),
        ("location", "queryparam" | "queryparameter" | "querystring" | "params" | "url") => {
            ("query", ", a query parameter, which this format calls `query`")
        }
        _ => return None,
    };
    Some(meant)
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

/// How to write `auth: { type: basic }`, the auth type keyed as other formats key it
/// inside the block, where `auth_type` is the type the block is read for: as the
/// environment's `auth_type`, beside `auth:`. A value that says where a key goes
/// (`type: header`) or the word before it (`scheme: Bearer`) is told its setting.
fn auth_type_key_fix(key: &str, value: &Node, auth_type: AuthType) -> Option<String> {
    const WORDS: &[&str] = &["type", "kind", "scheme", "authtype", "authmethod", "authscheme", "authentication"];
    // `auth_type` itself is told to move out one level, as a key of the environment
    if key == "auth_type" || key.len() > SUGGESTED_UP_TO || !WORDS.contains(&lowercase_alphanumerics(key).as_str()) {
        return None;
    }
    let word = value.as_scalar().map_or("", |scalar| scalar.text.as_str());
    let beside = "the auth type is the environment's `auth_type`, beside `auth:`";
    Some(match AuthType::from_word(word) {
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
/// (`nosuch_field`), not like a value that took a key's place (`Kv4sWn8j`, `hunter`).
fn is_setting_like(key: &str) -> bool {
    key.contains('_') && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
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

/// In a block under an unknown `auth_type` whose keys suggest no type: the keys of
/// no auth type, with the setting each may mean, and secrets written as literals.
pub(super) fn check_block_of_no_type(fields: &mut Fields<'_>, scope: SecretScope<'_>, path: &str, d: &mut Collector) {
    check_auth_keys(fields, AuthType::None, AuthTypeFrom::Keys, &[], path, d);
    check_other_types_secrets(fields, &[], scope, path, d);
}

/// Reads the fields of one `auth:` block.
struct AuthFields<'f, 'n, 'a> {
    fields: Option<&'f Fields<'n>>,
    scope: SecretScope<'a>,
    path: &'a str,
}

impl AuthFields<'_, '_, '_> {
    fn get(&self, key: &str) -> Option<&Node> {
        self.fields.and_then(|f| f.present(key))
    }

    /// A literal or secret reference; left out, the conventional secret name; see
    /// [`Self::warn_of_variable`].
    fn setting(&self, key: &str, secret_only: bool, field: &str, d: &mut Collector) -> Setting {
        let setting = self.setting_as_written(key, secret_only, field, d);
        self.warn_of_variable(key, &setting, d);
        setting
    }

    /// A warning when the literal `setting` of `key` reads like an environment
    /// variable (`${ZENDESK_USER}`), which is sent as written.
    fn warn_of_variable(&self, key: &str, setting: &Setting, d: &mut Collector) {
        let (Setting::Literal(text), Some(node)) = (setting, self.get(key)) else { return };
        if let Some(name) = environment_variable(text) {
            d.warning(
                node.span,
                format!(
                    "`{}.{key}` is `{text}`, which is sent as written: the file expands no environment variable; {}",
                    self.path,
                    read_as_secret(name)
                ),
            );
        }
    }

    /// [`Self::setting`], without a look at what a literal holds.
    fn setting_as_written(&self, key: &str, secret_only: bool, field: &str, d: &mut Collector) -> Setting {
        let conventional = self.scope.conventional(field);
        let path = format!("{}.{key}", self.path);
        match self.get(key) {
            Some(node) => {
                setting(node, &path, secret_only, &conventional, d).unwrap_or(Setting::Literal(Cow::Borrowed("")))
            }
            None => Setting::Secret(SecretRef {
                name: Cow::Owned(conventional),
                source: SecretSource::Conventional,
                required: true,
            }),
        }
    }

    /// The secret-only setting `key`, whose conventional name ends in `field`.
    fn secret(&self, (key, field): SecretField, d: &mut Collector) -> Setting {
        self.setting(key, true, field, d)
    }

    /// The Basic `username`: a written one may not hold `:`, which would end it
    /// early in `username:password` (RFC 7617); one from the store is checked when read.
    fn basic_username(&self, d: &mut Collector) -> Setting {
        let username = self.setting("username", false, "USERNAME", d);
        if let (Setting::Literal(text), Some(node)) = (&username, self.get("username")) {
            if text.contains(':') {
                d.error(
                    node.span,
                    format!("`{}.username` holds `:`, which Basic auth cannot send in a username (it separates the password); remove it, or ask the API for a username without one", self.path),
                );
            }
        }
        username
    }

    /// Like [`Self::setting`], but the conventional secret is optional, and an empty
    /// literal (`scope: ""`) means none.
    fn optional_setting(&self, key: &str, field: &str, d: &mut Collector) -> Setting {
        if self.get(key).and_then(Node::as_scalar).is_some_and(|scalar| scalar.text.is_empty()) {
            return Setting::Literal(Cow::Borrowed(""));
        }
        match self.setting(key, false, field, d) {
            Setting::Secret(secret) if secret.source == SecretSource::Conventional => {
                Setting::Secret(SecretRef { required: false, ..secret })
            }
            other => other,
        }
    }

    /// The `token_params:` mapping: more parameters of the token request's form, each
    /// a literal or a secret reference. The form's own parameters have settings of
    /// their own (in any case, `-` for `_`); a parameter named like a credential takes
    /// only a secret reference; names and literal values hold no control character. A
    /// name that is no plain word (it may be a key pasted there) is never shown.
    fn token_params(&self, d: &mut Collector) -> List<(Text, Setting)> {
        let Some(node) = self.get("token_params") else { return List::Borrowed(&[]) };
        let path = format!("{}.token_params", self.path);
        let Some(fields) = Fields::of(node, &path, d) else { return List::Borrowed(&[]) };
        let mut params = Vec::with_capacity(fields.entries.len());
        for &(name, name_node, value_node) in &fields.entries {
            let plain = is_plain_word(name);
            let param_path = match plain {
                true => format!("{path}.{name}"),
                false => format!("{path}.<a name not shown: it may be a secret>"),
            };
            let own = name.to_ascii_lowercase().replace('-', "_");
            if let Some((param, why)) = OWN_TOKEN_PARAMS.iter().find(|(param, _)| *param == own) {
                d.error(name_node.span, format!("`{param_path}`: the token request's `{param}` {why}"));
                continue;
            }
            if name.is_empty() || holds_control(name) {
                let problem =
                    "has a parameter name that is empty or holds a control character; name it like `audience`";
                d.error(name_node.span, format!("`{path}` {problem}"));
                continue;
            }
            let example = match plain {
                true => self.scope.conventional(&own),
                false => self.scope.conventional("TOKEN_PARAM"),
            };
            let credential = is_credential_query_param(&own) || names_a_secret(&own);
            let Some(value) = token_param_value(value_node, &param_path, credential, &example, d) else { continue };
            params.push((Text::Owned(name.to_string()), value));
        }
        List::Owned(params)
    }

    fn token_url(&self, d: &mut Collector) -> Setting {
        let setting = self.setting_as_written("token_url", false, "TOKEN_URL", d);
        if let (Setting::Literal(url), Some(node)) = (&setting, self.get("token_url")) {
            let path = format!("{}.token_url", self.path);
            match check_url(url, UrlUse::TokenUrl) {
                Ok(parsed) => {
                    let fix = "keep credentials in `auth:` with `{ secret: NAME }`";
                    warn_of_user_info(&parsed, &path, node.span, fix, d);
                    warn_of_dot_segments(url, &parsed, &path, node.span, d);
                    let instead = |_: &str| {
                        "remove it from the URL; the client's credentials are `client_id` and `client_secret: { secret: NAME }`".to_string()
                    };
                    warn_of_written_credentials(url, node, &path, instead, d);
                }
                Err(problems) => match environment_variable(url) {
                    Some(name) => d.error(
                        node.span,
                        format!("`{path}` is `{url}`, {AN_UNEXPANDED_VARIABLE}{}", read_as_secret(name)),
                    ),
                    // an empty one is already reported by `setting_as_written`
                    None if url.is_empty() => {}
                    None => {
                        for problem in problems {
                            d.error(node.span, format!("`{path}` {problem}"));
                        }
                    }
                },
            }
        }
        setting
    }

    /// One of the choices of `T` (the first is the default), or a secret reference
    /// (checked at run time); on error, the default.
    fn choice<T: Choice>(&self, key: &str, d: &mut Collector) -> Configured<T> {
        let default = Configured::Literal(T::CHOICES[0].1);
        let Some(node) = self.get(key) else { return default };
        let path = format!("{}.{key}", self.path);
        if let NodeKind::Mapping(_) = node.kind {
            return self.setting_secret(node, key, d).map_or(default, Configured::Secret);
        }
        let Some(word) = text(node, &path, d) else { return default };
        if let Some(value) = T::from_word(word) {
            return Configured::Literal(value);
        }
        let names = T::CHOICES.iter().map(|(name, _)| *name);
        let message = match choice_meant(key, word, names.clone()) {
            Some((meant, why)) => format!("`{path}` is `{word}`{why}: write `{key}: {meant}`"),
            None => format!("`{path}` is `{word}`; use {}", list_alternatives(names)),
        };
        d.error(node.span, message);
        default
    }

    /// Header text or a secret reference (checked at run time), or `default` when
    /// left out (and on error).
    fn header_text(&self, key: &str, default: &'static str, d: &mut Collector) -> Setting {
        self.optional_header_text(key, d).unwrap_or(Setting::Literal(Cow::Borrowed(default)))
    }

    fn optional_header_text(&self, key: &str, d: &mut Collector) -> Option<Setting> {
        let node = self.get(key)?;
        if let NodeKind::Mapping(_) = node.kind {
            return self.setting_secret(node, key, d).map(Setting::Secret);
        }
        let setting = self.checked_header_text(node, key, d).map(|text| Setting::Literal(Cow::Owned(text)))?;
        self.warn_of_variable(key, &setting, d);
        Some(setting)
    }

    /// The `{ secret: NAME }` of a setting that is not a credential (such as
    /// `location`); its conventional name is only suggested.
    fn setting_secret(&self, node: &Node, key: &str, d: &mut Collector) -> Option<SecretRef> {
        let example = self.scope.conventional(&key.to_ascii_uppercase());
        secret_ref(node, &format!("{}.{key}", self.path), &example, d)
    }

    fn checked_header_text(&self, node: &Node, key: &str, d: &mut Collector) -> Option<String> {
        let path = format!("{}.{key}", self.path);
        let value = text(node, &path, d)?;
        // a location read from the secret store may be `query`: the runtime checks the name then
        let in_query = key == "name"
            && self.get("location").is_some_and(|location| location.as_scalar().is_none_or(|s| s.text == "query"));
        let is_name = matches!(key, "name" | "header_name") && !in_query;
        // an empty prefix sends the key or token alone
        let may_be_empty = matches!(key, "prefix" | "token_prefix");
        let problem = if value.is_empty() && !may_be_empty {
            Some("is empty; give a value, or leave the key out for its default".to_string())
        } else if holds_control(value) {
            Some("holds a control character (CR, LF, tab ...), which is not valid in an HTTP header; remove it".into())
        } else if let Some(invisible) = invisible_problem(value) {
            Some(invisible)
        } else if let Some(c) = beyond_latin1(value) {
            Some(not_latin1(c))
        } else if is_name && !is_header_name(value) {
            Some(not_a_header_name(value))
        } else if is_name && is_client_header(value) {
            let like = if key == "header_name" { "Authorization" } else { "X-API-Key" };
            Some(format!("is `{value}`, a header the HTTP client writes from the request itself; name another one, like `{like}`"))
        } else {
            None
        };
        if let Some(problem) = problem {
            d.error(node.span, format!("`{path}` {problem}"));
            return None;
        }
        Some(value.to_string())
    }
}

fn setting(node: &Node, path: &str, secret_only: bool, conventional: &str, d: &mut Collector) -> Option<Setting> {
    if let NodeKind::Mapping(_) = node.kind {
        return secret_ref(node, path, conventional, d).map(Setting::Secret);
    }
    if secret_only {
        // a literal, or a list: either way the fix is a secret reference, named as the
        // conventional name is (`_INTERNAL_..` as `INTERNAL_..`); a name of one's own
        // where that has none (`<API>_..` of an API without a name, `9_..`)
        let mended = secret_name_like(conventional);
        let reference = match mended == conventional.trim_start_matches('_') {
            true => format!("`{{ secret: {mended} }}`"),
            false => "`{ secret: NAME }` (NAME of your own: capitals, digits and `_`, from a capital)".to_string(),
        };
        let written = node.as_scalar().map(|scalar| scalar.text.as_str());
        let variable = written.and_then(|written| Some((written, environment_variable(written)?)));
        let message = if let Some((written, name)) = variable {
            // a variable's name, not a value: it may be shown
            format!("`{path}` is `{written}`, {AN_UNEXPANDED_VARIABLE}{}", read_as_secret(name))
        } else if let NodeKind::Sequence(_) = node.kind {
            // not a value written out: only the shape is wrong
            format!(
                "`{path}` must be {reference}, found a list; a secret is named in the file and its value kept in the secret store, or leave the field out to read `{conventional}`"
            )
        } else {
            format!(
                "`{path}` is a secret, and secrets never go in the definitions file; write {reference} and put the value in the secret store, or leave the field out to read `{conventional}`"
            )
        };
        d.error(node.span, message);
        return None;
    }
    if let NodeKind::Sequence(items) = &node.kind {
        // `scope: [read, write]`: RFC 6749 3.3 writes scopes in one text
        let words: Option<Vec<&str>> = items.iter().map(|item| Some(item.as_scalar()?.text.as_str())).collect();
        let fix = match words {
            Some(words) if path.ends_with(".scope") && !words.is_empty() => {
                format!("OAuth 2.0 scopes are one text, separated by spaces: write `scope: {}`", words.join(" "))
            }
            _ => format!("write one value, or leave it out to read `{conventional}`"),
        };
        d.error(node.span, format!("`{path}` must be text or a `{{ secret: NAME }}`, found a list; {fix}"));
        return None;
    }
    let value = text(node, path, d)?;
    if value.is_empty() {
        d.error(
            node.span,
            format!(
                "`{path}` is empty; give a value, a `{{ secret: NAME }}`, or leave it out to read `{conventional}`"
            ),
        );
        return None;
    }
    Some(Setting::Literal(Cow::Owned(value.to_string())))
}

/// The variable named by `value` when it is written for a shell to expand, as
/// `${NAME}` or `$NAME` with `NAME` a secret's name: the file never expands one.
fn environment_variable(value: &str) -> Option<&str> {
    let braced = value.strip_prefix("${").and_then(|rest| rest.strip_suffix('}'));
    let name = braced.or_else(|| value.strip_prefix('$'))?;
    is_secret_name(name).then_some(name)
}

/// What `${NAME}` is, before [`read_as_secret`].
const AN_UNEXPANDED_VARIABLE: &str = "an environment variable, which the file does not expand; ";

/// How to read the environment variable `name`, which the file does not expand.
fn read_as_secret(name: &str) -> String {
    format!("write `{{ secret: {name} }}`, which the default secret store reads from the environment variable `{name}`")
}

/// What a key written in place of `secret` in a secret reference says the value is.
#[derive(Clone, Copy)]
enum SecretKeyMeant {
    /// `env`, `env_var`, `from_env` ...: the value names an environment variable.
    EnvironmentVariable,
    /// `name`, `key`, `ref` ...: the value names the secret.
    Name,
}

/// The meaning of `key`, a word other tools write in place of `secret` (in any case,
/// and with any signs between its words), if it is one.
fn secret_key_meant(key: &str) -> Option<SecretKeyMeant> {
    if key.len() > SUGGESTED_UP_TO {
        return None;
    }
    match lowercase_alphanumerics(key).as_str() {
        "env" | "envvar" | "envname" | "fromenv" | "environment" | "environmentvariable" | "var" | "variable" => {
            Some(SecretKeyMeant::EnvironmentVariable)
        }
        "name" | "secretname" | "secretref" | "ref" | "key" | "keyname" | "secretkey" | "secretid" => {
            Some(SecretKeyMeant::Name)
        }
        _ => None,
    }
}

/// A `{ secret: NAME }` mapping; `example` is a good name to suggest for it.
pub(super) fn secret_ref(node: &Node, path: &str, example: &str, d: &mut Collector) -> Option<SecretRef> {
    let mut fields = Fields::of(node, path, d)?;
    // whether a key names the secret: `secret` itself, or one before that means it
    let mut named_already = fields.key_span("secret").is_some();
    // a key other than `secret` may be the secret itself (`password: { hunter2 }`)
    for &(key, key_node, value) in fields.entries.iter().filter(|(key, _, _)| *key != "secret") {
        // a near miss of `secret` in letters alone is a typo; with digits or signs, maybe the secret
        let typo = key.chars().all(|c| c.is_ascii_alphabetic()) && did_you_mean(key, ["secret"]).is_some();
        // a name is shown, a value is not (`{ key: AKIA.. }` may be the key itself)
        let named = value
            .as_scalar()
            .map(|name| name.text.as_str())
            .filter(|name| is_secret_name(name) && !may_be_a_secret_value(name));
        let meant = secret_key_meant(key);
        let message = match (meant, typo) {
            (Some(_), _) if named_already => {
                format!("unknown key `{key}` in `{path}`: a reference names one secret, under `secret`, and another key here names it already: remove this one")
            }
            (Some(SecretKeyMeant::EnvironmentVariable), _) => {
                let fix = match named {
                    Some(name) => read_as_secret(name),
                    None => "write `{ secret: NAME }`, NAME being the variable's name, which the default secret store reads".to_string(),
                };
                format!("unknown key `{key}` in `{path}`: the environment variable is named under `secret`; {fix}")
            }
            (Some(SecretKeyMeant::Name), _) => format!(
                "unknown key `{key}` in `{path}`: the secret's name goes under `secret`; write `{{ secret: {} }}`",
                named.unwrap_or("NAME")
            ),
            (None, true) => {
                format!("unknown key `{key}` in `{path}`; did you mean `secret`? write `{{ secret: NAME }}`")
            }
            (None, false) => format!("unknown key (not shown: it may be a secret) in `{path}`; write `{{ secret: NAME }}`, the secret's name in the store, not its value"),
        };
        named_already |= meant.is_some();
        d.error(key_node.span, message);
    }
    let misspelt = fields
        .entries
        .iter()
        .find(|(key, _, _)| secret_key_meant(key).is_some() || did_you_mean(key, ["secret"]).is_some())
        .map(|&(_, k, v)| (k, v));
    if let Some((key_node, value)) = misspelt {
        fields.stand_in("secret", key_node, value);
    }
    let name_node = fields.required("secret", path, "secret: MY_SECRET", d)?;
    let name = text(name_node, &format!("{path}.secret"), d)?;
    if name.trim().is_empty() {
        let like = secret_name_like(example);
        d.error(
            name_node.span,
            format!("`{path}.secret` is empty; write the secret's name in the store (like `{like}`)"),
        );
        return None;
    }
    // a name with signs a name has no reason to hold may be the secret itself
    let signs = !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if signs || (!is_secret_name(name) && may_be_a_secret_value(name)) {
        d.error(
            name_node.span,
            format!("`{path}.secret` is not a valid secret name (not shown: it may be the secret itself); write the secret's name in the store, in upper-case letters, digits and `_` (like `{}`), and put its value there", secret_name_like(example)),
        );
        return None;
    }
    if !is_secret_name(name) {
        // a name with a small letter was not shown above: only `-` and `.` are left to mend
        let mended = name.replace(['-', '.'], "_");
        let like = if is_secret_name(&mended) { mended } else { secret_name_like(example) };
        d.error(
            name_node.span,
            format!("`{path}.secret` is `{name}`, not a valid secret name; use upper-case letters, digits and `_`, starting with a letter (like `{like}`)"),
        );
        return None;
    }
    Some(SecretRef { name: Cow::Owned(name.to_string()), source: SecretSource::Explicit, required: true })
}
