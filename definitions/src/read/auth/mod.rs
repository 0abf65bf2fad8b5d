//! The settings of an `auth:` block, for its auth type: literals, secret
//! references, and the conventional secret names of settings left out.

mod keys;
mod secret;

use std::borrow::Cow;

use crate::advice::variable_syntax::{own_word_hint, placeholder_in, quoted_secret_reference};
use crate::diagnostics::{invisible_problem, Collector};
use crate::headers::{beyond_latin1, holds_control, is_client_header, is_header_name, not_a_header_name, not_latin1};
use crate::model::*;
use crate::names::{is_plain_word, is_usable_api_name, list_alternatives, lowercase_alphanumerics, secret_name_like};
use crate::read::environment::{warn_of_dot_segments, warn_of_user_info};
use crate::read::fields::{text, Fields};
use crate::read::warn_of_written_credentials;
use crate::urls::{check_url, is_credential_query_param, UrlUse};
use crate::yaml::{Node, NodeKind, ScalarValue};
pub(in crate::read) use keys::type_key_value;
use keys::{check_auth_keys, check_other_types_secrets};
pub(in crate::read) use secret::secret_ref;
use secret::{environment_variable, read_as_secret, setting, AN_UNEXPANDED_VARIABLE};

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
    /// The block's own `auth_type`, or a key other formats write for it (`type:
    /// basic`), the environment writing none: an error says where it goes, and the
    /// block's settings are read for it.
    Block,
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
            location: settings.api_key_location(d),
            name: settings.header_text("name", DEFAULT_API_KEY_NAME, d),
            prefix: settings.optional_header_text("prefix", d),
            value: settings.secret(API_KEY_VALUE, d),
        }),
        AuthType::OAuth2 => Auth::OAuth2(OAuth2Auth {
            token_url: settings.token_url(d),
            client_id: settings.setting("client_id", false, "CLIENT_ID", d),
            client_secret: settings.secret(CLIENT_SECRET, d),
            scope: Some(settings.optional_setting("scope", "SCOPE", d)),
            credentials: settings.choice("credentials", d),
            header_name: settings.header_text("header_name", DEFAULT_TOKEN_HEADER, d),
            token_prefix: settings.header_text("token_prefix", DEFAULT_TOKEN_PREFIX, d),
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
        Some((_, text)) => {
            warn_of_unexpanded(text, node, path, d);
            return Some(Setting::Literal(Cow::Owned(text.to_string())));
        }
    };
    d.error(node.span, format!("`{path}` {problem}"));
    None
}

/// A warning when `text`, the literal setting at `path`, holds what another tool
/// fills in and this format sends as written: an environment variable
/// (`${ZENDESK_USER}`), another tool's placeholder (`{{username}}`, `Bearer $TOKEN`),
/// or a secret reference in quotes.
fn warn_of_unexpanded(text: &str, node: &Node, path: &str, d: &mut Collector) {
    let message = if let Some(name) = environment_variable(text) {
        format!(
            "`{path}` is `{text}`, which is sent as written: the file expands no environment variable; {}",
            read_as_secret(name)
        )
    } else if let Some(name) = quoted_secret_reference(text) {
        format!("`{path}` is a secret reference in quotes, which is text, sent as written; remove the quotes: `{{ secret: {name} }}`")
    } else if let Some(placeholder) = placeholder_in(text) {
        let shown = crate::one_line(placeholder);
        format!("`{path}` holds `{shown}`, a variable as another tool writes it, which is sent as written: the file fills in nothing; write the value, or `{{ secret: NAME }}` to read it from the secret store")
    } else {
        return;
    };
    d.foreign_variable_warning(node.span, message);
}

/// The token request's form parameters that the runtime writes itself, each with
/// where it comes from: a `token_params:` entry may not set them.
const OWN_TOKEN_PARAMS: [(&str, &str); 4] = [
    ("grant_type", "is always `client_credentials`; remove it here"),
    ("scope", "comes from the setting `scope`; set it there"),
    ("client_id", "comes from the setting `client_id`; set it there"),
    ("client_secret", "comes from the setting `client_secret`; set it there"),
];

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
        warn_of_unexpanded(text, node, &format!("{}.{key}", self.path), d);
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
    /// The `:` of what another tool fills in (`"{ secret: X }"`, `${USER:-agent}`) is
    /// left to that warning, whose fix removes it.
    fn basic_username(&self, d: &mut Collector) -> Setting {
        let username = self.setting("username", false, "USERNAME", d);
        if let (Setting::Literal(text), Some(node)) = (&username, self.get("username")) {
            let filled_in = quoted_secret_reference(text).is_some() || placeholder_in(text).is_some();
            if text.contains(':') && !filled_in {
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
            if let Some(placeholder) = placeholder_in(url).filter(|_| environment_variable(url).is_none()) {
                let shown = crate::one_line(placeholder);
                let own_word = own_word_hint(&shown);
                d.error(node.span, format!("`{path}` holds `{shown}`, a variable to fill in, which the file does not: write the URL, or `{{ secret: NAME }}` to read it from the secret store{own_word}"));
                return setting;
            }
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

    /// An API key's `location`, with a warning when it is `query` and `name` is left
    /// out: the key then goes as `?X-API-Key=..`, under the default name, a header's,
    /// which few APIs read in a query.
    fn api_key_location(&self, d: &mut Collector) -> Configured<KeyLocation> {
        let location = self.choice("location", d);
        if let (Configured::Literal(KeyLocation::Query), Some(node), None) =
            (&location, self.get("location"), self.get("name"))
        {
            d.warning(
                node.span,
                format!("`{}.location` is `query` and `name` is left out, so the key is sent as `?X-API-Key=..`, the default name of a header, which few APIs read in a query; give the query parameter's `name` (like `api_key` or `key`)", self.path),
            );
        }
        location
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
            let like = if key == "header_name" { DEFAULT_TOKEN_HEADER } else { DEFAULT_API_KEY_NAME };
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
