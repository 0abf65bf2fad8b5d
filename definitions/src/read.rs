//! Reads a YAML node tree into the model, reporting every shape problem on the way.
//!
//! Checks of one value live here; rules that relate several values live in
//! `check.rs`. Required values that are missing make their element `None`, so a
//! model is only ever built from complete input.

use std::borrow::Cow;
use std::time::Duration;

use crate::check::{
    check_auth_needs_base_url, check_credentials_need_tls, check_name_case, check_naming_convention,
    check_unique_api_names, check_unique_operation_names,
};
use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::{
    did_you_mean, is_api_name, is_identifier, is_reserved_identifier, is_secret_name, list_choices,
    reserved_identifier_problem, secret_name_like,
};
use crate::template::Template;
use crate::urls::{check_url, UrlUse};
use crate::yaml::{Node, NodeKind, ScalarValue};

const TOP_KEYS: &[&str] = &["api_integrations"];
const API_KEYS: &[&str] = &["name", "description", "environments", "operations", "timeout", "retry"];
const ENVIRONMENT_KEYS: &[&str] = &["base_url", "auth_type", "auth", "tls"];
const OPERATION_KEYS: &[&str] = &["name", "method", "resource", "description", "idempotent", "timeout", "retry"];
const RETRY_KEYS: &[&str] = &["attempts", "base_delay", "max_delay"];
const TLS_KEYS: &[&str] = &["ca", "client_cert", "client_key"];
const AUTH_TYPES: &[&str] = &["none", "basic", "apiKey", "oauth2"];
const ENVIRONMENT_NAMES: &[&str] = &["sandbox", "pre-release", "live"];
const BASIC_FIELDS: &[&str] = &["username", "password"];
const API_KEY_FIELDS: &[&str] = &["location", "name", "prefix", "value"];
const OAUTH2_FIELDS: &[&str] =
    &["token_url", "client_id", "client_secret", "scope", "credentials", "header_name", "token_prefix"];

/// Reads a whole definitions document.
pub(crate) fn read_definitions(root: Option<&Node>, d: &mut Collector) -> Definitions {
    let Some(root) = root else {
        d.error(Span::new(1, 1), "the file is empty; it needs a top-level `api_integrations:` list of APIs");
        return Definitions::default();
    };
    let Some(mut fields) = Fields::of(root, "", d) else { return Definitions::default() };
    fields.check_keys(TOP_KEYS, "", d);
    // a null list (every entry commented out) is an empty list; only a missing key is an error
    let example = "api_integrations: [{ name: my_api, ... }]";
    let Some(list) = fields.get("api_integrations").or_else(|| fields.required("api_integrations", "", example, d))
    else {
        return Definitions::default();
    };
    let apis: Vec<Entry<Api>> = sequence(list, "api_integrations", "a list of APIs (`- name: ...`)", d)
        .iter()
        .enumerate()
        .map(|(i, node)| read_api(node, format!("api_integrations[{i}]"), d))
        .collect();
    check_unique_api_names(&names(&apis), d);
    Definitions { apis: apis.into_iter().filter_map(|api| api.value).collect() }
}

/// One entry of a list as read: its name whenever that reads cleanly (for the
/// uniqueness checks), and the whole entry only when every part of it does.
struct Entry<T> {
    path: String,
    name: Option<Spanned<Text>>,
    value: Option<T>,
}

/// The path and name of every entry whose name was read.
fn names<T>(entries: &[Entry<T>]) -> Vec<(&str, &Spanned<Text>)> {
    entries.iter().filter_map(|entry| Some((entry.path.as_str(), entry.name.as_ref()?))).collect()
}

fn read_api(node: &Node, path: String, d: &mut Collector) -> Entry<Api> {
    let Some(mut fields) = Fields::of(node, &path, d) else { return Entry { path, name: None, value: None } };
    fields.check_keys(API_KEYS, &path, d);
    let name = fields.required("name", &path, "name: my_api", d).and_then(|n| api_name(n, &format!("{path}.name"), d));
    let description = fields.optional_text("description", &path, d);
    let timeout = fields.present("timeout").and_then(|n| duration(n, &format!("{path}.timeout"), d));
    let retry = fields.present("retry").map(|n| retry(n, &format!("{path}.retry"), None, d)).unwrap_or_default();
    let environments = fields
        .required("environments", &path, "environments: { sandbox: { base_url: \"https://...\" } }", d)
        .and_then(|n| environments(n, written_name(&fields), &format!("{path}.environments"), d));
    let operations: Vec<Entry<Operation>> = match fields.present("operations") {
        Some(list) => sequence(list, &format!("{path}.operations"), "a list of operations (`- name: ...`)", d)
            .iter()
            .enumerate()
            .map(|(j, op)| read_operation(op, format!("{path}.operations[{j}]"), &retry, d))
            .collect(),
        None => Vec::new(),
    };
    let operation_names = names(&operations);
    check_unique_operation_names(&operation_names, d);
    let taken: Vec<&str> = operation_names.iter().map(|(_, name)| name.value.as_ref()).collect();
    for entry in &operations {
        match (&entry.value, &entry.name) {
            (Some(op), _) => check_naming_convention(&entry.path, op, &taken, d),
            (None, Some(name)) => check_name_case(&entry.path, name, &taken, d),
            (None, None) => {}
        }
    }
    let value = match (name.clone(), environments) {
        (Some(name), Some(environments)) => Some(Api {
            name,
            description,
            environments: Cow::Owned(environments),
            operations: operations.into_iter().filter_map(|op| op.value).collect(),
            timeout,
            retry,
        }),
        _ => None,
    };
    Entry { path, name, value }
}

/// The API's name as written, even when it is not a valid one, for the conventional
/// secret names that messages suggest (`Bad-Name` gives `BAD_NAME_LIVE_PASSWORD`).
fn written_name<'n>(fields: &Fields<'n>) -> Option<&'n str> {
    fields.present("name").and_then(Node::as_scalar).map(|name| name.text.as_str())
}

fn api_name(node: &Node, path: &str, d: &mut Collector) -> Option<Spanned<Text>> {
    let name = text(node, path, d)?;
    if is_reserved_identifier(name) {
        d.error(node.span, format!("`{path}`: {}", reserved_identifier_problem(name, "api")));
        return None;
    }
    if !is_api_name(name) {
        let suggestion = crate::names::to_snake_case(name);
        let hint = if is_api_name(&suggestion) && !is_reserved_identifier(&suggestion) {
            format!(" (like `{suggestion}`)")
        } else {
            String::new()
        };
        d.error(
            node.span,
            format!("`{path}` is `{name}`, not a valid API name; use lowercase letters, digits and `_`, starting with a letter or `_`{hint}"),
        );
        return None;
    }
    Some(Spanned::new(Cow::Owned(name.to_string()), node.span))
}

fn environments(node: &Node, api: Option<&str>, path: &str, d: &mut Collector) -> Option<Vec<EnvironmentConfig>> {
    let fields = Fields::of(node, path, d)?;
    if fields.entries.is_empty() {
        d.error(
            node.span,
            format!("`{path}` is empty; configure at least one of {}", list_choices(ENVIRONMENT_NAMES.iter().copied())),
        );
        return None;
    }
    let mut configs: Vec<EnvironmentConfig> = Vec::new();
    // every environment key read, with or without errors in its entry, so a repeat is always found
    let mut seen: Vec<(Environment, Span)> = Vec::new();
    for &(key, key_node, value) in &fields.entries {
        let env_path = format!("{path}.{key}");
        let environment = match environment_key(key, key_node.span, path, d) {
            Ok(environment) => environment,
            // an unknown key is still read, for its own errors: as the environment it
            // seems to mean, else as sandbox
            Err(meant) => {
                let stand_in = meant.unwrap_or(Environment::Sandbox);
                environment_config(value, key_node.span, stand_in, api.unwrap_or(""), &env_path, d);
                continue;
            }
        };
        let first = seen.iter().find(|(e, _)| *e == environment).map(|(_, span)| *span);
        if let Some(first) = first {
            d.error(
                key_node.span,
                format!("`{path}` configures `{environment}` twice (first at line {}); keep one of `pre-release` and `pre_release`", first.line),
            );
        }
        seen.push((environment, key_node.span));
        // a repeated entry is still read, for its own errors
        let config = environment_config(value, key_node.span, environment, api.unwrap_or(""), &env_path, d);
        if let (Some(config), None) = (config, first) {
            configs.push(config);
        }
    }
    Some(configs)
}

/// The environment `key` names; else an error, and the environment it seems to
/// mean, if any.
fn environment_key(key: &str, span: Span, path: &str, d: &mut Collector) -> Result<Environment, Option<Environment>> {
    if let Some(environment) = Environment::from_key(key) {
        return Ok(environment);
    }
    let meant = match key.to_ascii_lowercase().as_str() {
        "draft" => Some(Environment::Sandbox),
        "prod" | "production" => Some(Environment::Live),
        "staging" | "stage" | "preprod" | "pre-prod" => Some(Environment::PreRelease),
        _ => did_you_mean(key, ENVIRONMENT_NAMES.iter().copied()).and_then(Environment::from_key),
    };
    let hint = match meant {
        Some(Environment::Sandbox) if key.eq_ignore_ascii_case("draft") => {
            " (`draft` runs on the `sandbox` entry: write `sandbox`)".to_string()
        }
        Some(environment) => format!("; did you mean `{}`?", environment.key()),
        None => String::new(),
    };
    d.error(
        span,
        format!(
            "unknown environment `{key}` in `{path}`{hint} (the environments are {})",
            list_choices(ENVIRONMENT_NAMES.iter().copied())
        ),
    );
    Err(meant)
}

fn environment_config(
    node: &Node,
    span: Span,
    environment: Environment,
    api: &str,
    path: &str,
    d: &mut Collector,
) -> Option<EnvironmentConfig> {
    let empty = Fields::empty(node.span);
    let mut fields = if node.is_null() { empty } else { Fields::of(node, path, d)? };
    fields.check_keys(ENVIRONMENT_KEYS, path, d);
    // every part is read even when another has errors, so each error of the environment is reported
    let base_url = match fields.present("base_url") {
        Some(n) => base_url(n, &format!("{path}.base_url"), d),
        None => Some(Spanned::new(Cow::Borrowed(""), fields.key_span("base_url").unwrap_or(span))),
    };
    let auth_type = match fields.present("auth_type") {
        Some(n) => auth_type(n, &format!("{path}.auth_type"), d),
        None => Ok("none"),
    };
    let auth = environment_auth(&fields, auth_type, SecretScope { api, environment }, path, d);
    let auth_type = auth_type.ok();
    let tls = match fields.present("tls") {
        Some(n) => read_tls(n, &format!("{path}.tls"), d),
        None => Some(Tls::default()),
    };
    if let (Some(base_url), Some(auth_type)) = (&base_url, auth_type) {
        check_auth_needs_base_url(path, base_url, auth_type, d);
        check_credentials_need_tls(path, base_url, auth_type, d);
    }
    Some(EnvironmentConfig { environment, span, base_url: base_url?, auth: auth?, tls: tls? })
}

/// The `auth:` block of an environment. Its settings are checked for `auth_type`,
/// or, when that is misspelt, for the type it seems to mean (then, for its own
/// errors only); the block's shape is checked whatever the type.
fn environment_auth(
    fields: &Fields<'_>,
    auth_type: Result<&str, Option<&str>>,
    scope: SecretScope<'_>,
    path: &str,
    d: &mut Collector,
) -> Option<Auth> {
    let path = format!("{path}.auth");
    let auth_fields = fields.present("auth").map(|n| Fields::of(n, &path, d));
    if let Some(None) = auth_fields {
        return None;
    }
    match auth_type {
        Ok(auth_type) => read_auth(auth_type, auth_fields.flatten(), scope, &path, d),
        Err(Some(meant)) => {
            read_auth(meant, auth_fields.flatten(), scope, &path, d);
            None
        }
        Err(None) => None,
    }
}

fn base_url(node: &Node, path: &str, d: &mut Collector) -> Option<Spanned<Text>> {
    let url = text(node, path, d)?;
    if url.is_empty() {
        return Some(Spanned::new(Cow::Borrowed(""), node.span));
    }
    let parsed = match check_url(url, UrlUse::BaseUrl) {
        Ok(parsed) => parsed,
        Err(problem) => {
            d.error(node.span, format!("`{path}` {problem}"));
            return None;
        }
    };
    warn_of_password(&parsed, path, node.span, d);
    Some(Spanned::new(Cow::Owned(url.trim_end_matches('/').to_string()), node.span))
}

/// A password in a URL is accepted, as the ADK accepts it, but it is a secret written
/// in the file: a warning.
fn warn_of_password(url: &url::Url, path: &str, span: Span, d: &mut Collector) {
    if url.password().is_some() {
        d.warning(
            span,
            format!("`{path}` holds a password (`user:password@`), and secrets never go in the definitions file; remove it and keep credentials in `auth:` with `{{ secret: NAME }}`"),
        );
    }
}

/// The auth type `node` names; else an error, and the type it seems to mean, if any.
fn auth_type(node: &Node, path: &str, d: &mut Collector) -> Result<&'static str, Option<&'static str>> {
    let word = text(node, path, d).ok_or(None)?;
    // the ADK reads an empty `auth_type` as `none`
    if word.is_empty() {
        return Ok("none");
    }
    if let Some(found) = AUTH_TYPES.iter().find(|t| **t == word) {
        return Ok(found);
    }
    let meant = did_you_mean(word, AUTH_TYPES.iter().copied());
    let hint = meant.map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
    d.error(
        node.span,
        format!(
            "`{path}` is `{word}`, not an auth type; {hint}the auth types are {}",
            list_choices(AUTH_TYPES.iter().copied())
        ),
    );
    Err(meant)
}

/// The API and environment whose conventional secret names a field left out gets.
#[derive(Clone, Copy)]
struct SecretScope<'a> {
    api: &'a str,
    environment: Environment,
}

impl SecretScope<'_> {
    /// `<API>_<ENV>_<FIELD>`, upper-cased, `-` as `_`.
    fn conventional(self, field: &str) -> String {
        conventional_secret_name(self.api, self.environment, field)
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

fn read_auth(
    auth_type: &str,
    mut fields: Option<Fields<'_>>,
    scope: SecretScope<'_>,
    path: &str,
    d: &mut Collector,
) -> Option<Auth> {
    let own: &[&str] = match auth_type {
        "basic" => BASIC_FIELDS,
        "apiKey" => API_KEY_FIELDS,
        "oauth2" => OAUTH2_FIELDS,
        _ => &[],
    };
    if let Some(fields) = &mut fields {
        check_auth_keys(fields, auth_type, own, path, d);
    }
    let settings = AuthFields { fields: fields.as_ref(), scope, path };
    let errors_before = d.error_count();
    let auth = match auth_type {
        "basic" => Auth::Basic(BasicAuth {
            username: settings.basic_username(d),
            password: settings.setting("password", true, "PASSWORD", d),
        }),
        "apiKey" => Auth::ApiKey(ApiKeyAuth {
            location: settings.choice("location", d),
            name: settings.header_text("name", "X-API-Key", d),
            prefix: settings.optional_header_text("prefix", d),
            value: settings.setting("value", true, "API_KEY", d),
        }),
        "oauth2" => Auth::OAuth2(OAuth2Auth {
            token_url: settings.token_url(d),
            client_id: settings.setting("client_id", false, "CLIENT_ID", d),
            client_secret: settings.setting("client_secret", true, "CLIENT_SECRET", d),
            scope: Some(settings.optional_setting("scope", "SCOPE", d)),
            credentials: settings.choice("credentials", d),
            header_name: settings.header_text("header_name", "Authorization", d),
            token_prefix: settings.header_text("token_prefix", "Bearer", d),
        }),
        _ => Auth::None,
    };
    (d.error_count() == errors_before).then_some(auth)
}

/// Reports settings of other auth types and unknown ones; a misspelt setting of
/// this type stands in for it, as in [`Fields::check_keys`].
fn check_auth_keys(fields: &mut Fields<'_>, auth_type: &str, own: &[&str], path: &str, d: &mut Collector) {
    let mut stand_ins = Vec::new();
    for &(key, key_node, value) in &fields.entries {
        if own.contains(&key) {
            continue;
        }
        let owner = [("basic", BASIC_FIELDS), ("apiKey", API_KEY_FIELDS), ("oauth2", OAUTH2_FIELDS)]
            .into_iter()
            .filter(|(_, keys)| keys.contains(&key))
            .map(|(t, _)| format!("`{t}`"))
            .collect::<Vec<_>>();
        if !owner.is_empty() {
            d.error(
                key_node.span,
                format!("`{path}.{key}` belongs to auth type {}, but `auth_type` is `{auth_type}`; remove it or change `auth_type`", owner.join(" or ")),
            );
        } else {
            let all = BASIC_FIELDS.iter().chain(API_KEY_FIELDS).chain(OAUTH2_FIELDS).copied();
            let hint = match fields.misspelling(key, own) {
                Some(misspelling) => {
                    stand_ins.push((misspelling.meant, key_node, value));
                    let end = if misspelling.given { ". " } else { " " };
                    misspelling.hint() + end
                }
                None => did_you_mean(key, all)
                    .map(|other| format!("did you mean `{other}` (a setting of another auth type)? "))
                    .unwrap_or_default(),
            };
            let valid = if own.is_empty() {
                format!("auth type `{auth_type}` takes no settings")
            } else {
                format!("the `{auth_type}` settings are {}", list_choices(own.iter().copied()))
            };
            d.error(key_node.span, format!("unknown key `{key}` in `{path}`; {hint}{valid}"));
        }
    }
    for (meant, key_node, value) in stand_ins {
        fields.stand_in(meant, key_node, value);
    }
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

    /// A literal or secret reference; left out, the conventional secret name.
    fn setting(&self, key: &str, secret_only: bool, field: &str, d: &mut Collector) -> Setting {
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

    fn token_url(&self, d: &mut Collector) -> Setting {
        let setting = self.setting("token_url", false, "TOKEN_URL", d);
        // an empty one is already reported by `setting`
        if let (Setting::Literal(url), Some(node)) = (&setting, self.get("token_url")) {
            let path = format!("{}.token_url", self.path);
            match check_url(url, UrlUse::TokenUrl) {
                Ok(parsed) => warn_of_password(&parsed, &path, node.span, d),
                Err(problem) if !url.is_empty() => d.error(node.span, format!("`{path}` {problem}")),
                Err(_) => {}
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
        d.error(node.span, format!("`{path}` is `{word}`; use {}", list_choices(names).replace(" and ", " or ")));
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
        self.checked_header_text(node, key, d).map(|text| Setting::Literal(Cow::Owned(text)))
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
            Some("is empty; give a value, or leave the key out for its default")
        } else if value.chars().any(|c| c.is_control()) {
            Some("holds a control character (CR, LF, tab ...), which is not valid in an HTTP header")
        } else if is_name && !value.bytes().all(is_header_name_byte) {
            Some("is not a valid HTTP header name; use letters, digits and `-`")
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

/// RFC 9110 `tchar`.
pub(crate) fn is_header_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn setting(node: &Node, path: &str, secret_only: bool, conventional: &str, d: &mut Collector) -> Option<Setting> {
    if let NodeKind::Mapping(_) = node.kind {
        return secret_ref(node, path, conventional, d).map(Setting::Secret);
    }
    if secret_only {
        // a literal, or a list: either way the fix is a secret reference
        d.error(
            node.span,
            format!(
                "`{path}` is a secret, and secrets never go in the definitions file; write `{{ secret: {} }}` and put the value in the secret store, or leave the field out to read `{conventional}`",
                secret_name_like(conventional)
            ),
        );
        return None;
    }
    if let NodeKind::Sequence(_) = node.kind {
        d.error(
            node.span,
            format!("`{path}` must be text or a `{{ secret: NAME }}`, found a list; write one value, or leave it out to read `{conventional}`"),
        );
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

/// A `{ secret: NAME }` mapping; `example` is a good name to suggest for it.
fn secret_ref(node: &Node, path: &str, example: &str, d: &mut Collector) -> Option<SecretRef> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(&["secret"], path, d);
    let name_node = fields.required("secret", path, "secret: MY_SECRET", d)?;
    let name = text(name_node, &format!("{path}.secret"), d)?;
    if !is_secret_name(name) {
        let upper = name.to_ascii_uppercase().replace(['-', ' ', '.'], "_");
        let like = if is_secret_name(&upper) { upper } else { secret_name_like(example) };
        d.error(
            name_node.span,
            format!("`{path}.secret` is `{name}`, not a valid secret name; use upper-case letters, digits and `_`, starting with a letter (like `{like}`)"),
        );
        return None;
    }
    Some(SecretRef { name: Cow::Owned(name.to_string()), source: SecretSource::Explicit, required: true })
}

fn read_tls(node: &Node, path: &str, d: &mut Collector) -> Option<Tls> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(TLS_KEYS, path, d);
    let secret = |key: &str, d: &mut Collector| -> Result<Option<SecretRef>, ()> {
        let Some(node) = fields.present(key) else { return Ok(None) };
        let key_path = format!("{path}.{key}");
        if node.as_scalar().is_some() {
            d.error(node.span, format!("`{key_path}` takes only a secret reference, `{{ secret: NAME }}`, holding PEM text or a path to a PEM file"));
            return Err(());
        }
        let example = format!("{}_PEM", key.to_ascii_uppercase());
        secret_ref(node, &key_path, &example, d).map(Some).ok_or(())
    };
    let (ca, cert, key) = (secret("ca", d), secret("client_cert", d), secret("client_key", d));
    let (has_cert, has_key) = (fields.present("client_cert").is_some(), fields.present("client_key").is_some());
    if has_cert != has_key {
        let (given, missing) = if has_cert { ("client_cert", "client_key") } else { ("client_key", "client_cert") };
        d.error(
            fields.key_span(given).unwrap_or(node.span),
            format!("`{path}.{given}` needs `{missing}` too: a client certificate and its key go together"),
        );
        return None;
    }
    Some(Tls { ca: ca.ok()?, client_cert: cert.ok()?, client_key: key.ok()? })
}

fn read_operation(node: &Node, path: String, api_retry: &RetrySettings, d: &mut Collector) -> Entry<Operation> {
    let Some(mut fields) = Fields::of(node, &path, d) else { return Entry { path, name: None, value: None } };
    fields.check_keys(OPERATION_KEYS, &path, d);
    let name = fields
        .required("name", &path, "name: get_ticket", d)
        .and_then(|n| operation_name(n, &format!("{path}.name"), d));
    let method =
        fields.required("method", &path, "method: GET", d).and_then(|n| method(n, &format!("{path}.method"), d));
    let resource = fields
        .required("resource", &path, "resource: /tickets/{ticket_id}", d)
        .and_then(|n| resource(n, &format!("{path}.resource"), d));
    let description = fields.optional_text("description", &path, d);
    let idempotent = match fields.present("idempotent") {
        Some(n) => boolean(n, &format!("{path}.idempotent"), d),
        None => Some(false),
    };
    let timeout = fields.present("timeout").and_then(|n| duration(n, &format!("{path}.timeout"), d));
    let retry =
        fields.present("retry").map(|n| retry(n, &format!("{path}.retry"), Some(api_retry), d)).unwrap_or_default();
    let value = match (name.clone(), method, resource, idempotent) {
        (Some(name), Some(method), Some(resource), Some(idempotent)) => {
            Some(Operation { name, method, resource, description, idempotent, timeout, retry })
        }
        _ => None,
    };
    Entry { path, name, value }
}

fn operation_name(node: &Node, path: &str, d: &mut Collector) -> Option<Spanned<Text>> {
    let name = text(node, path, d)?;
    if is_reserved_identifier(name) {
        d.error(node.span, format!("`{path}`: {}", reserved_identifier_problem(name, "call")));
        return None;
    }
    if !is_identifier(name) {
        d.error(
            node.span,
            format!(
                "`{path}` is `{name}`, which is not an identifier; use letters, digits and `_`, not starting with a digit (like `{}`)",
                suggest_identifier(name)
            ),
        );
        return None;
    }
    Some(Spanned::new(Cow::Owned(name.to_string()), node.span))
}

fn suggest_identifier(name: &str) -> String {
    let snake = crate::names::to_snake_case(name);
    let cleaned: String = snake.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    match cleaned.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{cleaned}"),
        _ if is_reserved_identifier(&cleaned) || cleaned.is_empty() => format!("{cleaned}_op"),
        _ => cleaned,
    }
}

fn method(node: &Node, path: &str, d: &mut Collector) -> Option<Method> {
    let word = text(node, path, d)?;
    if let Some(method) = Method::parse(word) {
        return Some(method);
    }
    let names = Method::ALL.map(Method::as_str);
    let hint =
        did_you_mean(&word.to_ascii_uppercase(), names).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
    d.error(
        node.span,
        format!(
            "`{path}` is `{word}`, not a supported method; {hint}use one of {}",
            list_choices(names).replace(" and ", " or ")
        ),
    );
    None
}

fn resource(node: &Node, path: &str, d: &mut Collector) -> Option<Template> {
    if let NodeKind::Mapping(_) = node.kind {
        // `resource: {id}` unquoted: YAML reads the braces as a mapping
        d.error(
            node.span,
            format!("`{path}` must be text starting with `/`, found a mapping (YAML reads unquoted `{{...}}` as one); write it like `resource: \"/tickets/{{ticket_id}}\"`"),
        );
        return None;
    }
    let source = text(node, path, d)?;
    // errors are at the value, as for any value; each message names the character
    match Template::parse(source, node.span) {
        Ok(template) => Some(template),
        Err(errors) => {
            for (span, message) in errors {
                d.error(span, format!("`{path}`: {message}"));
            }
            None
        }
    }
}

fn boolean(node: &Node, path: &str, d: &mut Collector) -> Option<bool> {
    if let Some(ScalarValue::Bool(value)) = node.as_scalar().map(|s| s.value()) {
        return Some(value);
    }
    d.error(node.span, format!("`{path}` must be `true` or `false`, found {}", node.describe()));
    None
}

fn retry(node: &Node, path: &str, outer: Option<&RetrySettings>, d: &mut Collector) -> RetrySettings {
    let Some(mut fields) = Fields::of(node, path, d) else { return RetrySettings::default() };
    fields.check_keys(RETRY_KEYS, path, d);
    let attempts = fields.present("attempts").and_then(|n| attempts(n, &format!("{path}.attempts"), d));
    let base_delay = fields.present("base_delay").and_then(|n| duration(n, &format!("{path}.base_delay"), d));
    let max_delay = fields.present("max_delay").and_then(|n| duration(n, &format!("{path}.max_delay"), d));
    let outer = outer.copied().unwrap_or_default();
    // a block that sets neither delay leaves a wrong pair to the level that wrote it
    let sets_a_delay = base_delay.is_some() || max_delay.is_some();
    let pair = (base_delay.or(outer.base_delay), max_delay.or(outer.max_delay));
    if let (true, (Some(base), Some(max))) = (sets_a_delay, pair) {
        if max < base {
            let (max, base) = (show_duration(max), show_duration(base));
            // at the value that is out of order
            let (span, message) = match fields.present("max_delay").map(|value| value.span) {
                Some(span) => (
                    span,
                    format!("`{path}.max_delay` ({max}) is less than `base_delay` ({base}); make `max_delay` at least `base_delay`"),
                ),
                // only `base_delay` is written here: the cap comes from the API's `retry`
                None => (
                    fields.present("base_delay").map_or(node.span, |value| value.span),
                    format!("`{path}.base_delay` ({base}) is more than the API's `max_delay` ({max}); make `base_delay` at most `max_delay`, or set `max_delay` here too"),
                ),
            };
            d.error(span, message);
        }
    }
    RetrySettings { attempts, base_delay, max_delay }
}

fn attempts(node: &Node, path: &str, d: &mut Collector) -> Option<u32> {
    match node.as_scalar().map(|s| s.value()) {
        Some(ScalarValue::Integer(n)) if (1..=i64::from(MAX_ATTEMPTS)).contains(&n) => Some(n as u32),
        _ => {
            d.error(
                node.span,
                format!(
                    "`{path}` must be a whole number from 1 to {MAX_ATTEMPTS} (attempts in all, 1 = never retry), found {}`{}`",
                    if node.describe() == "text" { "the text " } else { "" },
                    scalar_text(node)
                ),
            );
            None
        }
    }
}

/// A duration written as a number and a unit: `250ms`, `8s`, `1m`, `1.5s`.
fn duration(node: &Node, path: &str, d: &mut Collector) -> Option<Duration> {
    let written = scalar_text(node);
    match parse_duration(&written) {
        Ok(duration) => Some(duration),
        Err(problem) => {
            d.error(node.span, format!("`{path}` is `{written}`: {problem}"));
            None
        }
    }
}

/// Parses `250ms`, `8s`, `1m` or `1.5s`; zero and negative durations are errors.
///
/// ```
/// use conv_api_definitions::parse_duration;
/// use std::time::Duration;
/// assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
/// assert!(parse_duration("0s").is_err());
/// assert!(parse_duration("0.0001ms").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    const FORM: &str = "write a number and a unit, `ms`, `s` or `m` (like `250ms`, `8s`, `1m`)";
    let text = text.trim();
    if text.starts_with('-') {
        return Err("negative durations are not allowed; ".to_string() + FORM);
    }
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let Ok(value) = number.parse::<f64>() else { return Err(FORM.to_string()) };
    let millis = match unit {
        "ms" => value,
        "s" => value * 1_000.0,
        "m" => value * 60_000.0,
        "" => return Err(format!("a duration needs a unit; {FORM}")),
        _ => return Err(format!("`{unit}` is not a unit; {FORM}")),
    };
    // Rounded to whole microseconds first, so `0.0001ms` is zero too; a duration
    // longer than `u64::MAX` microseconds (584,000 years) is that long.
    let micros = (millis * 1_000.0).round();
    if micros < 1.0 {
        let problem = if value > 0.0 {
            "a duration must be at least a microsecond (`0.001ms`); "
        } else {
            "a duration must be more than zero; "
        };
        return Err(problem.to_string() + FORM);
    }
    Ok(Duration::from_micros(micros as u64))
}

/// `duration` as it could be written: `2m`, `5s`, `250ms`, or `0.5ms` below a millisecond.
fn show_duration(duration: Duration) -> String {
    let micros = duration.as_micros();
    if micros % 60_000_000 == 0 {
        format!("{}m", micros / 60_000_000)
    } else if micros % 1_000_000 == 0 {
        format!("{}s", micros / 1_000_000)
    } else if micros % 1_000 == 0 {
        format!("{}ms", micros / 1_000)
    } else {
        format!("{}ms", micros as f64 / 1_000.0)
    }
}

/// The mapping entries of one node, checked for shape and duplicate keys.
pub(crate) struct Fields<'n> {
    pub(crate) span: Span,
    pub(crate) entries: Vec<(&'n str, &'n Node, &'n Node)>,
    /// Misspelt keys and their values, under the key each seems to mean ([`Fields::check_keys`]).
    stand_ins: Vec<(String, &'n Node, &'n Node)>,
}

impl<'n> Fields<'n> {
    /// The node's entries, or an error if it is not a mapping with text keys.
    pub(crate) fn of(node: &'n Node, path: &str, d: &mut Collector) -> Option<Fields<'n>> {
        let NodeKind::Mapping(pairs) = &node.kind else {
            d.error(
                node.span,
                format!("{} must be a mapping (`key: value` lines), found {}", element(path), node.describe()),
            );
            return None;
        };
        let mut entries: Vec<(&'n str, &'n Node, &'n Node)> = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let Some(name) = key.as_scalar().map(|s| s.text.as_str()) else {
                d.error(
                    key.span,
                    format!("{} has a key that is {}; keys are plain names", element(path), key.describe()),
                );
                continue;
            };
            if let Some((_, first, _)) = entries.iter().find(|(k, _, _)| *k == name) {
                d.error(
                    key.span,
                    format!(
                        "duplicate key `{name}` in {} (first at line {}); keep one",
                        element(path),
                        first.span.line
                    ),
                );
                continue;
            }
            entries.push((name, key, value));
        }
        Some(Fields { span: node.span, entries, stand_ins: Vec::new() })
    }

    /// A mapping with no entries, at `span`.
    pub(crate) fn empty(span: Span) -> Fields<'n> {
        Fields { span, entries: Vec::new(), stand_ins: Vec::new() }
    }

    /// Reports keys not in `allowed`, with a "did you mean" when one is close. Such a
    /// key then stands in for the one it seems to mean, when that one is missing, so
    /// what is under it is read and its own errors are reported too (the file fails
    /// on the misspelling anyway).
    pub(crate) fn check_keys(&mut self, allowed: &[&str], path: &str, d: &mut Collector) {
        let mut stand_ins = Vec::new();
        for &(key, key_node, value) in &self.entries {
            if allowed.contains(&key) {
                continue;
            }
            let hint = match self.misspelling(key, allowed) {
                Some(misspelling) => {
                    stand_ins.push((misspelling.meant, key_node, value));
                    misspelling.hint()
                }
                None => format!("the keys are {}", list_choices(allowed.iter().copied())),
            };
            d.error(key_node.span, format!("unknown key `{key}` in {}; {hint}", element(path)));
        }
        for (meant, key_node, value) in stand_ins {
            self.stand_in(meant, key_node, value);
        }
    }

    /// The key of `allowed` that the unknown `key` seems to misspell, if any.
    fn misspelling<'k>(&self, key: &str, allowed: &[&'k str]) -> Option<Misspelling<'k>> {
        let meant = did_you_mean(key, allowed.iter().copied())?;
        Some(Misspelling { meant, given: self.key_span(meant).is_some() })
    }

    /// Reads the misspelt `key: value` as `meant`, unless `meant` is written too
    /// (or already has a stand-in).
    fn stand_in(&mut self, meant: &str, key: &'n Node, value: &'n Node) {
        if self.key_span(meant).is_none() {
            self.stand_ins.push((meant.to_string(), key, value));
        }
    }

    /// The key and value nodes of `key`, or of a misspelling standing in for it.
    fn entry(&self, key: &str) -> Option<(&'n Node, &'n Node)> {
        let written = self.entries.iter().find(|(k, _, _)| *k == key).map(|&(_, k, v)| (k, v));
        written.or_else(|| self.stand_ins.iter().find(|(k, _, _)| k == key).map(|&(_, k, v)| (k, v)))
    }

    /// The value of `key` (or of a misspelling standing in for it), even if null.
    pub(crate) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The value of `key`, unless it is absent or null.
    pub(crate) fn present(&self, key: &str) -> Option<&'n Node> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Where `key` (or a misspelling standing in for it) is written.
    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|(key, _)| key.span)
    }

    /// The value of a required key; reports it missing (at the entry) with an example,
    /// unless a misspelt key stands in for it (that key's error says so).
    pub(crate) fn required(&self, key: &str, path: &str, example: &str, d: &mut Collector) -> Option<&'n Node> {
        let value = self.present(key);
        if value.is_some() || self.stand_ins.iter().any(|(k, _, _)| k == key) {
            return value;
        }
        let span = self.key_span(key).unwrap_or(self.span);
        let what = if self.get(key).is_some() { "has an empty" } else { "is missing" };
        d.error(span, format!("{} {what} `{key}`; add it, like `{example}`", element(path)));
        None
    }

    /// An optional text value.
    pub(crate) fn optional_text(&self, key: &str, path: &str, d: &mut Collector) -> Option<Text> {
        let node = self.present(key)?;
        text(node, &format!("{path}.{key}"), d).map(|t| Cow::Owned(t.to_string()))
    }
}

/// An unknown key that looks like `meant`, which may be `given` as well.
struct Misspelling<'k> {
    meant: &'k str,
    given: bool,
}

impl Misspelling<'_> {
    /// A did-you-mean; when the key meant is given too, following it would repeat
    /// that key, so the hint says so instead.
    fn hint(&self) -> String {
        if self.given {
            format!("it looks like `{}`, which is already given; remove one", self.meant)
        } else {
            format!("did you mean `{}`?", self.meant)
        }
    }
}

/// How messages name the element at `path`; the empty path is the whole file.
fn element(path: &str) -> String {
    if path.is_empty() {
        "the file".to_string()
    } else {
        format!("`{path}`")
    }
}

/// A scalar's text; an error for a list or mapping.
pub(crate) fn text<'n>(node: &'n Node, path: &str, d: &mut Collector) -> Option<&'n str> {
    match node.as_scalar() {
        Some(scalar) => Some(scalar.text.as_str()),
        None => {
            d.error(node.span, format!("`{path}` must be text, found {}", node.describe()));
            None
        }
    }
}

/// A sequence's items; null is an empty list, anything else an error.
pub(crate) fn sequence<'n>(node: &'n Node, path: &str, what: &str, d: &mut Collector) -> &'n [Node] {
    match &node.kind {
        NodeKind::Sequence(items) => items,
        _ if node.is_null() => &[],
        _ => {
            d.error(node.span, format!("`{path}` must be {what}, found {}", node.describe()));
            &[]
        }
    }
}

fn scalar_text(node: &Node) -> String {
    match node.as_scalar() {
        Some(scalar) => scalar.text.clone(),
        None => node.describe().to_string(),
    }
}
