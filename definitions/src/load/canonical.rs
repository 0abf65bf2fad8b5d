//! The canonical form of checked definitions: a JSON document (JSON is YAML) that
//! reads back into the same model.
//!
//! The `conv_api!` macro embeds this form, not the file: it is small to compile,
//! has no comments (nothing but what the runtime needs ends up in a binary), and
//! the runtime reads it with the same parser and checks as every other file.
//! Settings left to their conventional secret names are left out here too, so they
//! resolve the same way.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::model::*;
use crate::read::duration_text;
use crate::yaml::is_printable;

/// `definitions` as a canonical JSON document.
///
/// ```
/// use conv_api_definitions::{canonical_json, parse_str};
/// let yaml = "api_integrations:\n  - name: shop # the shop\n    environments: { live: { base_url: \"https://shop.example/\" } }\n";
/// let checked = parse_str("apis.yaml", yaml).unwrap();
/// let json = canonical_json(&checked.definitions);
/// assert_eq!(json, r#"{"api_integrations":[{"name":"shop","environments":{"live":{"base_url":"https://shop.example","auth_type":"none"}},"operations":[]}]}"#);
/// assert_eq!(parse_str("embedded", &json).unwrap().definitions.apis.len(), 1);
/// ```
pub fn canonical_json(definitions: &Definitions) -> String {
    let apis: Vec<Value> = definitions.apis.iter().map(api).collect();
    escape_unprintable(json!({ "api_integrations": apis }).to_string())
}

/// `json` with the characters YAML may not hold raw, which JSON may (DEL, the C1
/// controls, U+FFFE and U+FFFF; serde_json escapes the C0 controls itself), written
/// as `\uXXXX` escapes, which both read as the same character: a file may hold them
/// escaped (`"\x7f"`), and its canonical form must read back. They can only be
/// inside strings, where an escape is allowed. NEL (U+0085) too, which YAML 1.1
/// readers such as PyYAML take for a line break.
fn escape_unprintable(json: String) -> String {
    let unprintable = |c: char| !is_printable(c) || c == '\u{85}';
    if !json.contains(unprintable) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unprintable(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

fn api(api: &Api) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(api.name()));
    insert_some(&mut object, "description", api.description.as_deref().map(Value::from));
    let environments: Map<String, Value> =
        api.environments.iter().map(|e| (e.environment.key().to_string(), environment(e))).collect();
    object.insert("environments".into(), Value::Object(environments));
    object.insert("operations".into(), Value::Array(api.operations.iter().map(operation).collect()));
    insert_some(&mut object, "timeout", api.timeout.map(duration));
    insert_some(&mut object, "retry", retry(&api.retry));
    Value::Object(object)
}

fn environment(config: &EnvironmentConfig) -> Value {
    let mut object = Map::new();
    object.insert("base_url".into(), json!(config.base_url.value));
    object.insert("auth_type".into(), json!(config.auth.type_name()));
    insert_some(&mut object, "auth", auth(&config.auth));
    insert_some(&mut object, "tls", tls(&config.tls));
    Value::Object(object)
}

fn auth(auth: &Auth) -> Option<Value> {
    let mut object = Map::new();
    match auth {
        Auth::None => return None,
        Auth::Basic(basic) => {
            insert_some(&mut object, "username", setting(&basic.username));
            insert_some(&mut object, "password", setting(&basic.password));
        }
        Auth::ApiKey(key) => {
            insert_some(&mut object, "location", choice(&key.location));
            insert_some(&mut object, "name", setting(&key.name));
            insert_some(&mut object, "prefix", key.prefix.as_ref().and_then(setting));
            insert_some(&mut object, "value", setting(&key.value));
        }
        Auth::OAuth2(oauth) => {
            insert_some(&mut object, "token_url", setting(&oauth.token_url));
            insert_some(&mut object, "client_id", setting(&oauth.client_id));
            insert_some(&mut object, "client_secret", setting(&oauth.client_secret));
            insert_some(&mut object, "scope", oauth.scope.as_ref().and_then(setting));
            insert_some(&mut object, "credentials", choice(&oauth.credentials));
            insert_some(&mut object, "header_name", setting(&oauth.header_name));
            insert_some(&mut object, "token_prefix", setting(&oauth.token_prefix));
            let params: Map<String, Value> = oauth
                .token_params
                .iter()
                .filter_map(|(name, value)| Some((name.to_string(), setting(value)?)))
                .collect();
            if !params.is_empty() {
                object.insert("token_params".into(), Value::Object(params));
            }
        }
    }
    Some(Value::Object(object))
}

/// A literal, `{ "secret": NAME }`, or nothing for a conventional name (it resolves again).
fn setting(setting: &Setting) -> Option<Value> {
    match setting {
        Setting::Literal(text) => Some(json!(text)),
        Setting::Secret(secret) => secret_ref(secret),
    }
}

/// A choice's word, or `{ "secret": NAME }`.
fn choice<T: Choice>(choice: &Configured<T>) -> Option<Value> {
    match choice {
        Configured::Literal(value) => Some(json!(value.word())),
        Configured::Secret(secret) => secret_ref(secret),
    }
}

fn secret_ref(secret: &SecretRef) -> Option<Value> {
    match secret.source {
        SecretSource::Explicit => Some(json!({ "secret": secret.name })),
        SecretSource::Conventional => None,
    }
}

fn tls(tls: &Tls) -> Option<Value> {
    let mut object = Map::new();
    insert_some(&mut object, "ca", tls.ca.as_ref().and_then(secret_ref));
    insert_some(&mut object, "client_cert", tls.client_cert.as_ref().and_then(secret_ref));
    insert_some(&mut object, "client_key", tls.client_key.as_ref().and_then(secret_ref));
    (!object.is_empty()).then_some(Value::Object(object))
}

fn operation(op: &Operation) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(op.name()));
    object.insert("method".into(), json!(op.method.as_str()));
    object.insert("resource".into(), json!(op.resource.source.value));
    insert_some(&mut object, "description", op.description.as_deref().map(Value::from));
    if op.idempotent {
        object.insert("idempotent".into(), json!(true));
    }
    insert_some(&mut object, "timeout", op.timeout.map(duration));
    insert_some(&mut object, "retry", retry(&op.retry));
    Value::Object(object)
}

fn retry(retry: &RetrySettings) -> Option<Value> {
    let mut object = Map::new();
    insert_some(&mut object, "attempts", retry.attempts.map(Value::from));
    insert_some(&mut object, "base_delay", retry.base_delay.map(duration));
    insert_some(&mut object, "max_delay", retry.max_delay.map(duration));
    (!object.is_empty()).then_some(Value::Object(object))
}

/// As it could be written, `250ms` or `2m`: the reader reads it back.
fn duration(duration: Duration) -> Value {
    json!(duration_text(duration))
}

fn insert_some(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}
