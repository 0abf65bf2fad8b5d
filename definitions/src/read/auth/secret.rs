//! Reading a setting that may be a secret: a literal, or a `{ secret: NAME }`
//! reference, whose other spellings (`{ env: NAME }`, `${NAME}`) are told how to
//! write it.

use std::borrow::Cow;

use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::{
    did_you_mean, is_secret_name, lowercase_alphanumerics, may_be_a_secret_value, secret_name_like, SUGGESTED_UP_TO,
};
use crate::read::fields::{text, Fields};
use crate::yaml::{Node, NodeKind};

/// The value of the auth setting at `path`: a secret reference, or a literal unless
/// `secret_only`; `conventional` is the secret name read when it is left out.
pub(super) fn setting(
    node: &Node,
    path: &str,
    secret_only: bool,
    conventional: &str,
    d: &mut Collector,
) -> Option<Setting> {
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
            // `value: Bearer $TOKEN`, as curl sends it: the scheme would be lost with the value
            let scheme = written.and_then(scheme_before_key).filter(|_| path.ends_with(".value"));
            let prefix = scheme.map_or(String::new(), |scheme| {
                format!("; the `{scheme}` before the key goes in `prefix: {scheme}`, the key alone in the store")
            });
            format!(
                "`{path}` is a secret, and secrets never go in the definitions file; write {reference} and put the value in the secret store, or leave the field out to read `{conventional}`{prefix}"
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

/// The authorization scheme `value` starts with, followed by a space and more
/// (`Bearer sk_..`, `Token abc`): a word of the usual schemes, shown as written, as
/// it is no secret.
fn scheme_before_key(value: &str) -> Option<&str> {
    const SCHEMES: [&str; 8] = ["bearer", "token", "basic", "apikey", "api-key", "key", "jwt", "ssws"];
    let (word, rest) = value.trim_start().split_once(' ')?;
    (!rest.trim().is_empty() && SCHEMES.iter().any(|scheme| scheme.eq_ignore_ascii_case(word))).then_some(word)
}

/// The variable named by `value` when it is written for a shell to expand, as
/// `${NAME}` or `$NAME` with `NAME` a secret's name: the file never expands one.
pub(super) fn environment_variable(value: &str) -> Option<&str> {
    let braced = value.strip_prefix("${").and_then(|rest| rest.strip_suffix('}'));
    let name = braced.or_else(|| value.strip_prefix('$'))?;
    is_secret_name(name).then_some(name)
}

/// What `${NAME}` is, before [`read_as_secret`].
pub(super) const AN_UNEXPANDED_VARIABLE: &str = "an environment variable, which the file does not expand; ";

/// How to read the environment variable `name`, which the file does not expand.
pub(super) fn read_as_secret(name: &str) -> String {
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
pub(in crate::read) fn secret_ref(node: &Node, path: &str, example: &str, d: &mut Collector) -> Option<SecretRef> {
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
            format!("`{path}.secret` is not a valid secret name, which is upper-case letters, digits and `_`, starting with a letter (like `{}`): write the name the store has the secret under, and put its value there (what is written is not shown: it may be the secret itself)", secret_name_like(example)),
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
