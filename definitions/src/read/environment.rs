//! An API's environments: which one each key names, its base URL, auth type and
//! `auth:` block, and its TLS settings.

use std::borrow::Cow;

use super::auth::{
    auth_type_of_keys, check_block_of_no_type, read_auth, secret_ref, type_key_value, AuthTypeFrom, SecretScope,
};
use super::fields::{text, Fields};
use crate::advice::placement::{key_missing_its_colon, where_it_goes, Level};
use crate::advice::variable_syntax::{own_word_hint, placeholder_in};
use crate::check::{check_auth_needs_base_url, check_credentials_need_tls, AuthTypeSaid};
use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::{did_you_mean, hint, list_choices, lowercase_alphanumerics};
use crate::urls::{check_url, dot_segments_problem, UrlUse};
use crate::yaml::{Node, NodeKind};

pub(crate) const ENVIRONMENT_KEYS: &[&str] = &["base_url", "auth_type", "auth", "tls"];

/// The keys of the environments, as the file writes them.
fn environment_keys() -> impl Iterator<Item = &'static str> + Clone {
    Environment::ALL.into_iter().map(Environment::key)
}

/// The environments a list names, each once: a list of plain names (`[sandbox,
/// live]`), or of entries that hold their name (`- name: live`, as other tools list
/// them); none when the list holds anything else, or names no environment.
fn listed_environments(node: &Node) -> Option<Vec<&str>> {
    let NodeKind::Sequence(items) = &node.kind else { return None };
    let mut names: Vec<&str> = Vec::new();
    for item in items {
        let named = match item.kind {
            NodeKind::Mapping(_) => item.value_of("name"),
            _ => Some(item),
        };
        let name = named?.as_scalar()?.text.as_str();
        if Environment::from_key(name).is_some() && !names.contains(&name) {
            names.push(name);
        }
    }
    (!names.is_empty()).then_some(names)
}

pub(super) fn environments(
    node: &Node,
    api: Option<&str>,
    path: &str,
    d: &mut Collector,
) -> Option<Vec<EnvironmentConfig>> {
    let is_environment = |key: &str| Environment::from_key(key).is_some();
    if let Some(names) = listed_environments(node) {
        let each = names.iter().map(|name| format!("{name}: {{ base_url: \"https://...\" }}")).collect::<Vec<_>>();
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found a list naming environments; each environment is a key with its settings under it: write `environments: {{ {} }}`", each.join(", ")),
        );
        return None;
    }
    let fields = Fields::of_or_listed(node, path, "environment", is_environment, d)?;
    if fields.entries.is_empty() {
        d.error(
            node.span,
            format!("`{path}` is empty; configure at least one of {}", list_choices(environment_keys())),
        );
        return None;
    }
    let mut configs: Vec<EnvironmentConfig> = Vec::new();
    // every environment key read, with or without errors in its entry, so a repeat is always found
    let mut seen: Vec<(Environment, &str, Span)> = Vec::new();
    let given: Vec<Environment> = fields.entries.iter().filter_map(|(key, ..)| Environment::from_key(key)).collect();
    for &(key, key_node, value) in &fields.entries {
        let env_path = format!("{path}.{key}");
        let environment = match environment_key(key, key_node.span, path, &given, d) {
            Ok(environment) => environment,
            // an unknown key is still read, for its own errors, as the environment it
            // seems to mean (else as sandbox), unless that one is given too
            Err(stand_in) => {
                if let Some(stand_in) = stand_in {
                    environment_config(value, key_node.span, stand_in, api.unwrap_or(""), &env_path, d);
                }
                continue;
            }
        };
        let first = seen.iter().find(|(e, ..)| *e == environment).map(|&(_, first_key, span)| (first_key, span));
        if let Some((first_key, first)) = first {
            // the same key twice only in a list of environments; a mapping's repeats are said as such
            let keep = match first_key == key {
                true => "keep one".to_string(),
                false => format!("keep one of `{first_key}` and `{key}`"),
            };
            d.error(
                key_node.span,
                format!(
                    "`{path}` configures `{environment}` twice (first at {}); {keep}",
                    first.said_from(key_node.span)
                ),
            );
        }
        seen.push((environment, key, key_node.span));
        // a repeated entry is still read, for its own errors
        let config = environment_config(value, key_node.span, environment, api.unwrap_or(""), &env_path, d);
        if let (Some(config), None) = (config, first) {
            configs.push(config);
        }
    }
    Some(configs)
}

/// The environment `key` names; else an error, and the environment to read its
/// entry as, for its own errors: the one it seems to mean, else sandbox; none when
/// the one it means is `given` too (only that is said: a copy to remove).
fn environment_key(
    key: &str,
    span: Span,
    path: &str,
    given: &[Environment],
    d: &mut Collector,
) -> Result<Environment, Option<Environment>> {
    if let Some(environment) = Environment::from_key(key) {
        return Ok(environment);
    }
    // `base_url:` right under `environments:`: its value is no environment to read
    if let Some(goes) = where_it_goes(Level::Environments, key) {
        d.error(span, format!("unknown environment `{key}` in `{path}`; {goes}"));
        return Err(None);
    }
    let meant = Environment::meant_by(key);
    let also_given = meant.is_some_and(|meant| given.contains(&meant));
    let draft = key.eq_ignore_ascii_case("draft");
    let hint = match meant {
        Some(_) if draft && also_given => {
            "; `draft` runs on the `sandbox` entry, which is given too: remove `draft`, or merge it into `sandbox`"
                .to_string()
        }
        Some(_) if draft => "; `draft` runs on the `sandbox` entry: write `sandbox`".to_string(),
        Some(environment) if also_given => {
            format!(
                "; it looks like `{}`, which is given too: remove `{key}`, or merge it into `{}` (nothing under `{key}` is checked until then)",
                environment.key(),
                environment.key()
            )
        }
        Some(environment) => format!("; did you mean `{}`?", environment.key()),
        None => String::new(),
    };
    d.error(
        span,
        format!(
            "unknown environment `{key}` in `{path}`{hint} (the environments are {})",
            list_choices(environment_keys())
        ),
    );
    Err(if also_given { None } else { Some(meant.unwrap_or(Environment::Sandbox)) })
}

fn environment_config(
    node: &Node,
    span: Span,
    environment: Environment,
    api: &str,
    path: &str,
    d: &mut Collector,
) -> Option<EnvironmentConfig> {
    // `sandbox: https://..`: the base URL alone, for the environment
    let url = node.as_scalar().filter(|scalar| scalar.text.contains("://"));
    if let Some(url) = url.filter(|url| key_missing_its_colon(&url.text).is_none()) {
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found text; the URL goes under `base_url:`, like `{}: {{ base_url: {} }}`", environment.key(), url.text.trim()),
        );
        base_url(node, &format!("{path}.base_url"), d);
        return None;
    }
    let empty = Fields::empty(node.span);
    let mut fields = if node.is_null() { empty } else { Fields::of(node, path, d)? };
    fields.check_keys(ENVIRONMENT_KEYS, Level::Environment, path, d);
    // every part is read even when another has errors, so each error of the environment is reported
    let base_url = match fields.present("base_url") {
        Some(n) => base_url(n, &format!("{path}.base_url"), d),
        None => Some(Spanned::new(Cow::Borrowed(""), fields.key_span("base_url").unwrap_or(span))),
    };
    let auth_path = format!("{path}.auth");
    // `Some(None)`: an `auth:` that is no mapping (its error said)
    let auth_fields = fields.present("auth").map(|n| Fields::of(n, &auth_path, d));
    // an `auth_type` (or `type: basic`) written inside `auth:` (an error said there)
    // says what the block is meant for, when the environment gives none: its settings
    // are read for it, not also told they belong to another type
    let inside_auth = auth_fields.as_ref().and_then(|auth| type_key_value(auth.as_ref()?));
    let (auth_type, from) = match (fields.present("auth_type"), inside_auth) {
        (Some(n), _) => (auth_type(n, &format!("{path}.auth_type"), d), AuthTypeFrom::File),
        (None, Some(n)) => (auth_type(n, &format!("{auth_path}.auth_type"), d), AuthTypeFrom::Block),
        (None, None) => (Ok(AuthType::None), AuthTypeFrom::File),
    };
    // an auth type that is no type is checked as the one it seems to mean, or its
    // block's keys name, so fixing it brings up no error of the base URL that was
    // there all along
    let written = auth_type;
    let scope = SecretScope { api, environment };
    let (auth, auth_type) = environment_auth(auth_fields, (auth_type, from), scope, &auth_path, d);
    let said = auth_type_said(written, auth_type, &fields);
    let auth_type = auth_type.map(|read| AuthTypeSaid { read, said: &said });
    let tls = match fields.present("tls") {
        Some(n) => read_tls(n, &format!("{path}.tls"), d),
        None => Some(Tls::default()),
    };
    if let Some(auth_type) = auth_type {
        check_base_url_for_auth(base_url.as_ref(), auth_type, &fields, path, d);
    }
    let config = EnvironmentConfig { environment, span, base_url: base_url?, auth: auth?, tls: tls? };
    // a token URL from the store may be `https`: only settings no request can use are told
    if config.tls.is_set() && !config.may_use_tls(&config.base_url.value, None) {
        let at = fields.present("tls").map_or(span, |node| node.span);
        d.warning(at, format!("`{path}.tls` is unused: every request of this environment is plain `http`; remove it, or use `https` where the server takes it"));
    }
    Some(config)
}

/// How messages say what the environment's auth type is: `` `auth_type` is `basic` ``,
/// or for a `written` type that is none, the one it was `read` as.
fn auth_type_said(written: Result<AuthType, Option<AuthType>>, read: Option<AuthType>, fields: &Fields) -> String {
    match (written, read) {
        (Ok(auth_type), _) => format!("`auth_type` is `{auth_type}`"),
        (Err(_), Some(read)) => {
            let written = fields.present("auth_type").map_or_else(String::new, |node| match node.as_scalar() {
                Some(word) => format!("`{}`", word.text),
                None => node.describe().to_string(),
            });
            format!("`auth_type` is {written}, read as `{read}`")
        }
        (Err(_), None) => String::new(),
    }
}

/// The base URL an auth type needs: one written (`base_url`, when it is valid), and
/// `https` unless its host is loopback.
fn check_base_url_for_auth(
    base_url: Option<&Spanned<Text>>,
    auth_type: AuthTypeSaid<'_>,
    fields: &Fields,
    path: &str,
    d: &mut Collector,
) {
    match base_url {
        Some(base_url) => {
            check_auth_needs_base_url(path, base_url, fields.get("base_url").is_some(), auth_type, d);
            check_credentials_need_tls(path, &base_url.value, base_url.span, auth_type, d);
        }
        // a base URL with a query or a fragment may be clear text too: one run says both
        None => {
            let written = fields.present("base_url").and_then(|node| Some((node.as_scalar()?, node.span)));
            if let Some((written, span)) = written {
                check_credentials_need_tls(path, &written.text, span, auth_type, d);
            }
        }
    }
}

/// The `auth:` block of an environment (`auth_fields`, at `path`; `Some(None)` for
/// one that is no mapping), and the type it is checked for. Its settings are checked
/// for `auth_type`, read `from` the environment or the block, or, when that is
/// misspelt, for the type it seems to mean, or else the type its keys are settings
/// of (then, for its own errors only).
fn environment_auth(
    auth_fields: Option<Option<Fields<'_>>>,
    (auth_type, from): (Result<AuthType, Option<AuthType>>, AuthTypeFrom),
    scope: SecretScope<'_>,
    path: &str,
    d: &mut Collector,
) -> (Option<Auth>, Option<AuthType>) {
    if let Some(None) = auth_fields {
        return (None, auth_type.map_or_else(|meant| meant, Some));
    }
    match auth_type {
        Ok(auth_type) => (read_auth(auth_type, from, auth_fields.flatten(), scope, path, d), Some(auth_type)),
        Err(Some(meant)) => {
            read_auth(meant, from, auth_fields.flatten(), scope, path, d);
            (None, Some(meant))
        }
        Err(None) => {
            let Some(mut fields) = auth_fields.flatten() else { return (None, None) };
            let meant = auth_type_of_keys(&fields);
            match meant {
                Some(meant) => {
                    read_auth(meant, AuthTypeFrom::Keys, Some(fields), scope, path, d);
                }
                None => check_block_of_no_type(&mut fields, scope, path, d),
            }
            (None, meant)
        }
    }
}

/// How to set a base URL the file does not write out: a secret reference
/// (`{ secret: NAME }`) or an environment variable (`${BASE_URL}`).
const BASE_URL_AT_RUN_TIME: &str =
    "the file reads no environment variables and no secret store for it; write the URL, or give it at run time with the runtime's `.base_url(api, url)`";

fn base_url(node: &Node, path: &str, d: &mut Collector) -> Option<Spanned<Text>> {
    if node.value_of("secret").is_some() {
        d.error(
            node.span,
            format!("`{path}` is a secret reference, but a base URL is no secret: {BASE_URL_AT_RUN_TIME}"),
        );
        return None;
    }
    let url = text(node, path, d)?;
    if url.starts_with('$') || url.starts_with("{{") {
        d.error(node.span, format!("`{path}` is `{url}`, a variable to fill in: {BASE_URL_AT_RUN_TIME}"));
        return None;
    }
    if let Some(placeholder) = placeholder_in(url) {
        let shown = crate::one_line(placeholder);
        let own_word = own_word_hint(&shown);
        d.error(
            node.span,
            format!("`{path}` holds `{shown}`, a variable to fill in: {BASE_URL_AT_RUN_TIME}{own_word}"),
        );
        return None;
    }
    if url.is_empty() {
        return Some(Spanned::new(Cow::Borrowed(""), node.span));
    }
    let parsed = match check_url(url, UrlUse::BaseUrl) {
        Ok(parsed) => parsed,
        Err(problems) => {
            for problem in problems {
                d.error(node.span, format!("`{path}` {problem}"));
            }
            return None;
        }
    };
    let fix = "give the environment `auth_type: basic` (or `apiKey`, for a key) with the credentials in `auth:` as `{ secret: NAME }`";
    warn_of_user_info(&parsed, path, node.span, fix, d);
    warn_of_dot_segments(url, &parsed, path, node.span, d);
    Some(Spanned::new(Cow::Owned(url.trim_end_matches('/').to_string()), node.span))
}

/// A `.` or `..` segment in the path of the URL `written` is accepted, as the ADK
/// accepts it, but the URL library removes it: a warning that says where requests
/// go (`parsed`, with any user info masked).
pub(super) fn warn_of_dot_segments(written: &str, parsed: &url::Url, path: &str, span: Span, d: &mut Collector) {
    if let Some(problem) = dot_segments_problem(written, parsed) {
        d.warning(span, format!("`{path}` {problem}"));
    }
}

/// User info in a URL is accepted, as the ADK accepts it, but it is a credential
/// written in the file (a username alone is often an API key): a warning, ending
/// with `fix`, where the credentials go instead.
pub(super) fn warn_of_user_info(url: &url::Url, path: &str, span: Span, fix: &str, d: &mut Collector) {
    let what = match (url.username().is_empty(), url.password().is_some()) {
        (_, true) => "a password (`user:password@`),",
        (false, false) => "a username (`user@`), often an API key,",
        (true, false) => return,
    };
    d.credential_warning(
        span,
        format!("`{path}` holds {what} and secrets never go in the definitions file; remove it, and {fix}"),
    );
}

/// The auth type `node` names; else an error, and the type it seems to mean, if any
/// (none for a bearer token, which may be an API key or OAuth 2.0's: the `auth:`
/// block's keys tell).
fn auth_type(node: &Node, path: &str, d: &mut Collector) -> Result<AuthType, Option<AuthType>> {
    let word = text(node, path, d).ok_or(None)?;
    // the ADK reads an empty `auth_type` as `none`
    if word.is_empty() {
        return Ok(AuthType::None);
    }
    if let Some(found) = AuthType::from_word(word) {
        return Ok(found);
    }
    if is_bearer_token(word) {
        d.error(node.span, format!("`{path}` is `{word}`, not an auth type; {BEARER_FIX}"));
        return Err(None);
    }
    let words = || AuthType::CHOICES.iter().map(|&(word, _)| word);
    // types of newer ADK versions, which format v1 does not have
    if word == "oauth2_client_credentials" {
        d.error(node.span, format!("`{path}` is `{word}`, an ADK name of OAuth 2.0 client credentials, which this format writes `oauth2`; write `auth_type: oauth2`"));
        return Err(Some(AuthType::OAuth2));
    }
    if word == "jwt_client_assertion" {
        d.error(node.span, format!("`{path}` is `{word}`, the ADK's OAuth 2.0 with a signed JWT client assertion (RFC 7523), which conv-api cannot send; the auth types are {}, and `oauth2` gets a token with a client id and secret", list_choices(words())));
        return Err(None);
    }
    let meant = studio_label(word).or_else(|| did_you_mean(word, words()));
    d.error(
        node.span,
        format!("`{path}` is `{word}`, not an auth type; {}the auth types are {}", hint(meant), list_choices(words())),
    );
    Err(meant.and_then(AuthType::from_word))
}

/// The auth type word for `word` written as the APIs tab of Agent Studio labels the
/// types (`No auth`, `API key`, `OAuth 2.0`) or near it (`noAuth`, `api_key`): in
/// any case, with any blanks, `_`, `-` or `.`.
///
/// `noAuth` is closer to `oauth2` than to `none` by its letters alone.
fn studio_label(word: &str) -> Option<&'static str> {
    match lowercase_alphanumerics(word).as_str() {
        "noauth" | "noauthentication" | "no" => Some("none"),
        "basicauth" | "httpbasic" => Some("basic"),
        "apikey" => Some("apiKey"),
        "oauth" | "oauth20" => Some("oauth2"),
        _ => None,
    }
}

/// How a bearer token is configured, for `auth_type: bearer` and its kin.
pub(super) const BEARER_FIX: &str = "a fixed bearer token is `auth_type: apiKey` with `auth: { name: Authorization, prefix: Bearer }` (the token from the secret store), and one fetched with a client id and secret is `oauth2`";

/// Whether `word` names a bearer token (`bearer`, `Bearer Token`, `jwt`), which is an
/// API key sent in `Authorization` after `Bearer`.
pub(super) fn is_bearer_token(word: &str) -> bool {
    matches!(
        lowercase_alphanumerics(word).as_str(),
        "bearer" | "bearertoken" | "token" | "accesstoken" | "jwt" | "statictoken"
    )
}

fn read_tls(node: &Node, path: &str, d: &mut Collector) -> Option<Tls> {
    let mut fields = Fields::of(node, path, d)?;
    fields.check_keys(TLS_KEYS, Level::Tls, path, d);
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
