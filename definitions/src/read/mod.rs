//! Reads a YAML node tree into the model, reporting every shape problem on the way:
//! the file, its APIs and their operations here; environments (base URL, auth type,
//! TLS) in `environment`, auth settings and secret references in `auth`, timeouts
//! and retries in `retry`, the mapping reader every part uses in `fields`, and the
//! list reader in `list`.
//!
//! Checks of one value live here, and so do those of a few values read together
//! (a retry block's delays, an environment's auth type and settings); rules that
//! relate values across the file (names unique, auth needing a base URL) live in
//! `check.rs`. Required values that are missing make their element `None`, so a
//! model is only ever built from complete input.

mod auth;
mod environment;
mod fields;
mod list;
mod retry;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use crate::advice::placement::Level;
use crate::advice::variable_syntax::{own_word_hint, rewritten, sent_as_written, SHELL};
use crate::check::{
    check_callable_name, check_name_case, check_name_length, check_resources_repeat_base_path, check_unique_api_names,
    check_unique_operation_names, check_variable_case,
};
use crate::diagnostics::Collector;
use crate::model::*;
use crate::names::{
    api_name_like, did_you_mean_hint, identifier_like, instead_of_reserved, is_api_name, is_identifier,
    is_reserved_identifier, is_secret_name, is_usable_api_name, list_alternatives, list_choices,
    reserved_identifier_problem, NameSuggestions, IDENTIFIER_CHARACTERS,
};
use crate::template::{resolve_dot_segments, Template, SPACE_PROBLEM};
use crate::urls::{is_credential_query_param, written_query_values};
use crate::yaml::{starts_slash_comment, Node, NodeKind, ScalarValue};

pub use auth::conventional_secret_name;
use environment::environments;
pub(crate) use environment::ENVIRONMENT_KEYS;
pub(crate) use fields::{boolean, text, Fields};
pub(crate) use list::{entries, ListOf};
pub(crate) use retry::duration_text;
pub use retry::parse_duration;
pub(crate) use retry::RETRY_KEYS;
use retry::{duration, retry};

pub(crate) const TOP_KEYS: &[&str] = &["api_integrations"];
pub(crate) const API_KEYS: &[&str] = &["name", "description", "environments", "operations", "timeout", "retry"];
pub(crate) const OPERATION_KEYS: &[&str] =
    &["name", "method", "resource", "description", "idempotent", "timeout", "retry"];

pub(crate) fn read_definitions(root: Option<&Node>, d: &mut Collector) -> Definitions {
    read_apis(root, d).unwrap_or_else(|| {
        d.lose_call();
        Definitions::default()
    })
}

/// The APIs of the file `root`; `None`, with an error, when it holds no list of them.
fn read_apis(root: Option<&Node>, d: &mut Collector) -> Option<Definitions> {
    let Some(root) = root.filter(|root| !root.is_empty_document()) else {
        d.error(
            Span::new(1, 1),
            "the file is empty, or holds only comments; it needs a top-level `api_integrations:` list of APIs",
        );
        return None;
    };
    if let NodeKind::Sequence(_) = root.kind {
        // the APIs without the key that holds them
        d.error(root.span, "the file must be a mapping, found a list; the list of APIs goes under a top-level `api_integrations:` key: write that line first and indent the list under it");
        return None;
    }
    let example = "api_integrations: [{ name: my_api, ... }]";
    if root.as_scalar().is_some_and(|scalar| !starts_slash_comment(&scalar.text)) {
        let found = root.describe();
        d.error(root.span, format!("the file must be a mapping (`key: value` lines), found {found}; a definitions file starts with a top-level `api_integrations:` key holding the list of APIs, like `{example}`"));
        return None;
    }
    let mut fields = Fields::of(root, "", d)?;
    // a test case given for its definitions: one error says which file is which
    if let (None, Some(mocks)) = (fields.get("api_integrations"), fields.key_span("api_mocks")) {
        d.error(mocks, "this is a test case file (its `api_mocks:` holds mocks), not a definitions file, which holds `api_integrations:`; a test case is checked beside the definitions it mocks, with `conv-api check DEFINITIONS --mocks TEST_CASE`");
        return None;
    }
    fields.check_keys(TOP_KEYS, Level::File, "", d);
    // a null list (every entry commented out) is an empty list; only a missing key is an error
    let list = fields.get("api_integrations").or_else(|| fields.required("api_integrations", "", example, d))?;
    let apis_list =
        ListOf { what: "a list of APIs (`- name: ...`)", entry: "API", keys: API_KEYS, named: true, level: Level::Api };
    let nodes = &*entries(list, "api_integrations", &apis_list, d);
    let written_names: HashSet<&str> = nodes.iter().filter_map(written_name).collect();
    let mut api_names = NameSuggestions::new(written_names.iter().copied());
    let apis: Vec<Entry<Api>> = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| read_api(node, format!("api_integrations[{i}]"), &written_names, &mut api_names, d))
        .collect();
    check_unique_api_names(&names(&apis), d);
    check_unique_api_names(&pairs(&unread_names(&apis, nodes)), d);
    let read: Vec<Api> = apis.into_iter().filter_map(|api| api.value).collect();
    let count = read.len();
    let apis = first_of_each_name(read, |api| &api.name.value, d);
    if apis.len() < count {
        d.lose_call();
    }
    Some(Definitions { apis: apis.into() })
}

/// `values` without those whose name an earlier one has: a repeated name is an error
/// (told by the uniqueness checks), and the model read despite errors keeps the first
/// readable entry of each name, so that the macro's best-effort `Api` has one field or
/// method a name. A file without errors repeats no name: it is not searched.
fn first_of_each_name<T>(values: Vec<T>, name: impl Fn(&T) -> &Text, d: &Collector) -> Vec<T> {
    if d.error_count() == 0 {
        return values;
    }
    let mut names = HashSet::new();
    values.into_iter().filter(|value| names.insert(name(value).clone())).collect()
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

/// `apis` are the names of the file's APIs as written, and `api_names` the names
/// suggested in their scope.
fn read_api(
    node: &Node,
    path: String,
    apis: &HashSet<&str>,
    api_names: &mut NameSuggestions,
    d: &mut Collector,
) -> Entry<Api> {
    let Some(mut fields) = Fields::of(node, &path, d) else { return Entry { path, name: None, value: None } };
    fields.check_keys(API_KEYS, Level::Api, &path, d);
    let (name, suggested) = match fields.required("name", &path, "name: my_api", d) {
        Some(node) => match api_name(node, &format!("{path}.name"), api_names, d) {
            Ok(name) => (Some(name), None),
            Err(suggested) => (None, suggested),
        },
        None => (None, None),
    };
    // secrets left out are named after the API's name, or the one its error suggests
    let secrets_api = name.as_ref().map(|name| name.value.as_ref()).or(suggested.as_deref());
    if let Some(name) = &name {
        check_name_length(&format!("{path}.name"), name, d);
    }
    let description = fields.optional_text("description", &path, d);
    let timeout = fields.present("timeout").and_then(|n| duration(n, &format!("{path}.timeout"), d));
    let retry = fields.present("retry").map(|n| retry(n, &format!("{path}.retry"), None, d)).unwrap_or_default();
    let environments = fields
        .required("environments", &path, "environments: { sandbox: { base_url: \"https://...\" } }", d)
        .and_then(|n| environments(n, secrets_api, &format!("{path}.environments"), d));
    let operations_list = ListOf {
        what: "a list of operations (`- name: ...`)",
        entry: "operation",
        keys: OPERATION_KEYS,
        named: true,
        level: Level::Operation,
    };
    let nodes = match fields.present("operations") {
        Some(list) => entries(list, &format!("{path}.operations"), &operations_list, d),
        None => Cow::Borrowed(&[][..]),
    };
    let nodes = &*nodes;
    let mut operation_names = NameSuggestions::new(nodes.iter().filter_map(written_name));
    let read = |(j, op)| read_operation(op, format!("{path}.operations[{j}]"), &retry, &mut operation_names, d);
    let operations: Vec<Entry<Operation>> = nodes.iter().enumerate().map(read).collect();
    // by where each name is written, so that any number of repeats is told in linear
    // time; gathered only when a name repeats, as a valid file needs none
    let methods: OnceCell<HashMap<Span, Method>> = OnceCell::new();
    let method_at = |span: Span| {
        let methods = methods.get_or_init(|| {
            nodes.iter().filter_map(|node| Some((node.value_of("name")?.span, written_method(node)?))).collect()
        });
        methods.get(&span).copied()
    };
    check_unique_operation_names(&pairs(&unread_names(&operations, nodes)), method_at, d);
    check_unique_operation_names(&names(&operations), method_at, d);
    if let Some(environments) = &environments {
        let resources = operations.iter().filter_map(|op| Some((op.path.as_str(), &op.value.as_ref()?.resource)));
        check_resources_repeat_base_path(environments, resources, d);
    }
    let api_name = name.as_ref().map_or("<api>", |name| name.value.as_ref());
    for entry in &operations {
        if let Some(name) = &entry.name {
            check_name_length(&format!("{}.name", entry.path), name, d);
            check_callable_name(&entry.path, api_name, apis, name, d);
        }
    }
    // environments with an error, which is told, change no call: the recovered model
    // keeps the API, without them, for the macro's best effort
    let environments = environments.or((d.error_count() > 0).then(Vec::new));
    if operations.iter().any(|op| op.value.is_none()) {
        d.lose_call();
    }
    // an operation dropped as a repeat leaves the method of its name
    let operations = operations.into_iter().filter_map(|op| op.value).collect();
    let operations = first_of_each_name(operations, |op| &op.name.value, d);
    let value = match (name.clone(), environments) {
        (Some(name), Some(environments)) => Some(Api {
            name,
            description,
            environments: Cow::Owned(environments),
            operations: operations.into(),
            timeout,
            retry,
        }),
        _ => None,
    };
    Entry { path, name, value }
}

/// The `name` of an API's (or an operation's) mapping as written, even when it is not
/// a valid one: for the module names that warnings show, and the names a suggestion
/// must not take.
fn written_name(api: &Node) -> Option<&str> {
    api.value_of("name").and_then(Node::as_scalar).map(|name| name.text.as_str())
}

/// The method an operation's mapping names, if it names one.
fn written_method(operation: &Node) -> Option<Method> {
    Method::parse(&operation.value_of("method")?.as_scalar()?.text)
}

/// The names, as written, of the `entries` (read from `nodes`) whose name is not
/// valid, an error of its own, with their paths: the same name written twice is told
/// at once, not only once both are mended. An empty or blank name is told as such only.
fn unread_names<T>(entries: &[Entry<T>], nodes: &[Node]) -> Vec<(String, Spanned<Text>)> {
    let unread = entries.iter().zip(nodes).filter(|(entry, _)| entry.name.is_none());
    unread
        .filter_map(|(entry, node)| {
            let name = node.value_of("name")?;
            let text = &name.as_scalar()?.text;
            let named = !text.trim().is_empty();
            named.then(|| (entry.path.clone(), Spanned::new(Cow::Owned(text.clone()), name.span)))
        })
        .collect()
}

/// `names` as the uniqueness checks take them.
fn pairs(names: &[(String, Spanned<Text>)]) -> Vec<(&str, &Spanned<Text>)> {
    names.iter().map(|(path, name)| (path.as_str(), name)).collect()
}

/// The API's name, or, when it is no valid one (an error told), the valid name its
/// message suggests, if any; `names` are the suggestions in the scope of the file's APIs.
fn api_name(
    node: &Node,
    path: &str,
    names: &mut NameSuggestions,
    d: &mut Collector,
) -> Result<Spanned<Text>, Option<String>> {
    let name = text(node, path, d).ok_or(None)?;
    if let Some(problem) = blank_name_problem(name, "my_api") {
        d.error(node.span, format!("`{path}` {problem}"));
        // the name it is told to be, when that is a valid one
        let trimmed = name.trim();
        return Err(is_usable_api_name(trimmed).then(|| trimmed.to_string()));
    }
    if is_reserved_identifier(name) {
        let instead = instead_of_reserved(name, "api", names);
        d.error(node.span, format!("`{path}`: {}", reserved_identifier_problem(name, &instead)));
        return Err(Some(instead));
    }
    if !is_api_name(name) {
        let suggestion = api_name_like(name).map(|like| names.suggest(&like, name));
        let hint = match &suggestion {
            Some(suggestion) => format!(" (like `{suggestion}`)"),
            None if !name.is_ascii() => {
                " (the name is `conv.api.<name>` in Rust code: write it in Latin letters, like `reservations`)"
                    .to_string()
            }
            None => String::new(),
        };
        d.error(
            node.span,
            format!("`{path}` is `{name}`, not a valid API name; use lowercase ASCII letters (a-z), digits and `_`, starting with a letter or `_`{hint}"),
        );
        return Err(suggestion);
    }
    Ok(Spanned::new(Cow::Owned(name.to_string()), node.span))
}

/// `operations` are the names suggested in the scope of the API's operations.
fn read_operation(
    node: &Node,
    path: String,
    api_retry: &RetrySettings,
    operations: &mut NameSuggestions,
    d: &mut Collector,
) -> Entry<Operation> {
    let text = node.as_scalar().filter(|scalar| matches!(scalar.value(), ScalarValue::String(_)));
    if let Some(example) = text.and_then(|scalar| operation_written_as_text(&scalar.text)) {
        d.error(
            node.span,
            format!("`{path}` must be a mapping (`key: value` lines), found text; an operation has a name, a method and a resource: write `- {example}`"),
        );
        return Entry { path, name: None, value: None };
    }
    let Some(mut fields) = Fields::of(node, &path, d) else { return Entry { path, name: None, value: None } };
    fields.check_keys(OPERATION_KEYS, Level::Operation, &path, d);
    let name = fields
        .required("name", &path, "name: get_ticket", d)
        .and_then(|n| operation_name(n, &format!("{path}.name"), operations, d));
    // its suggestion made before those of the operations below, as messages are read
    if let Some(name) = &name {
        check_name_case(&path, name, operations, d);
    }
    let method =
        fields.required("method", &path, "method: GET", d).and_then(|n| method(n, &format!("{path}.method"), d));
    let resource_path = format!("{path}.resource");
    let resource_node = fields.required("resource", &path, "resource: \"/tickets/{ticket_id}\"", d);
    let resource = resource_node.and_then(|n| resource(n, &resource_path, d));
    if let (Some(resource), Some(node)) = (&resource, resource_node) {
        check_variable_case(&resource_path, resource, node.as_scalar().and_then(|scalar| scalar.text_at), d);
    }
    let description = fields.optional_text("description", &path, d);
    let idempotent = match fields.present("idempotent") {
        Some(n) => boolean(n, &format!("{path}.idempotent"), d),
        None => Some(false),
    };
    let timeout = fields.present("timeout").and_then(|n| duration(n, &format!("{path}.timeout"), d));
    let retry =
        fields.present("retry").map(|n| retry(n, &format!("{path}.retry"), Some(api_retry), d)).unwrap_or_default();
    // a wrong method or `idempotent`, whose error is told, changes no call: the
    // recovered model keeps the operation, with stand-ins, for the macro's best effort
    let told = d.error_count() > 0;
    let method = method.or(told.then_some(Method::Get));
    let idempotent = idempotent.or(told.then_some(false));
    let value = match (name.clone(), method, resource, idempotent) {
        (Some(name), Some(method), Some(resource), Some(idempotent)) => {
            Some(Operation { name, method, resource, description, idempotent, timeout, retry })
        }
        _ => None,
    };
    Entry { path, name, value }
}

/// The problem of a name that is empty or has blanks around it, whose fix is not
/// another name; `like` is a name of the kind. An empty one is told as a missing
/// `name:` left empty is ([`Fields::required`]).
fn blank_name_problem(name: &str, like: &str) -> Option<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Some(format!("is empty; give it a value, like `name: {like}`"))
    } else if trimmed.len() != name.len() && !trimmed.contains(char::is_whitespace) {
        // a blank inside too is told with the name's other problems, whose fix mends both
        Some(format!(
            "is `{name}`, with a blank (space, tab, line break) before or after the name; remove it: `{trimmed}`"
        ))
    } else {
        None
    }
}

/// `names` are the suggestions in the scope of the API's operations.
fn operation_name(node: &Node, path: &str, names: &mut NameSuggestions, d: &mut Collector) -> Option<Spanned<Text>> {
    let name = text(node, path, d)?;
    if let Some(problem) = blank_name_problem(name, "get_ticket") {
        d.error(node.span, format!("`{path}` {problem}"));
        return None;
    }
    if is_reserved_identifier(name) {
        let instead = instead_of_reserved(name, "call", names);
        d.error(node.span, format!("`{path}`: {}", reserved_identifier_problem(name, &instead)));
        return None;
    }
    if !is_identifier(name) {
        let like = match suggest_identifier(name) {
            Some(suggestion) => format!("like `{}`", names.suggest(&suggestion, name)),
            // `予約` has no Latin letters to keep
            None => "written in Latin letters, like `book_table`".to_string(),
        };
        d.error(
            node.span,
            format!(
                "`{path}` is `{name}`, which is not an identifier; use {IDENTIFIER_CHARACTERS}, as the name is a Rust method's ({like})"
            ),
        );
        return None;
    }
    Some(Spanned::new(Cow::Owned(name.to_string()), node.span))
}

/// An operation name like `name`, when it has a letter or digit of ASCII to keep.
fn suggest_identifier(name: &str) -> Option<String> {
    let like = identifier_like(name)?;
    Some(match is_reserved_identifier(&like) {
        true => format!("{like}_op"),
        false => like,
    })
}

fn method(node: &Node, path: &str, d: &mut Collector) -> Option<Method> {
    let names = Method::ALL.map(Method::as_str);
    if let NodeKind::Sequence(_) = node.kind {
        // `method: [GET, POST]`, as some API description formats list them
        d.error(
            node.span,
            format!(
                "`{path}` must be one method, found a list; an operation has one method (one of {}): write one operation for each",
                list_alternatives(names)
            ),
        );
        return None;
    }
    let word = text(node, path, d)?;
    if let Some(method) = Method::parse(word) {
        return Some(method);
    }
    if let Some((method, resource)) = method_and_resource(word) {
        d.error(
            node.span,
            format!("`{path}` is `{word}`, a method and a resource in one; write `method: {method}` and `resource: {resource}`"),
        );
        return None;
    }
    if word.trim().is_empty() {
        d.error(node.span, format!("`{path}` is empty; use one of {}", list_alternatives(names)));
        return None;
    }
    let hint = did_you_mean_hint(&word.to_ascii_uppercase(), names);
    d.error(
        node.span,
        format!("`{path}` is `{word}`, not a supported method; {hint}use one of {}", list_alternatives(names)),
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
    if let Some((method, resource)) = method_and_resource(source) {
        d.error(
            node.span,
            format!(
                "`{path}` starts with the method `{method}`, which goes in `method:`; write `resource: {resource}`"
            ),
        );
        return None;
    }
    // each message names the character; an error is at it where the value is written
    // as read, else at the value
    let parsed = match node.as_scalar().and_then(|scalar| scalar.text_at) {
        Some(text_at) => Template::parse_written_at(source, node.span, text_at),
        None => Template::parse(source, node.span),
    };
    match parsed {
        Ok(template) => {
            let instead = |name: &str| {
                format!("use `auth_type: apiKey` with `location: query` and `name: {name}`, and the value from the secret store")
            };
            warn_of_written_credentials(source, node, path, instead, d);
            let written_path = source.split('?').next().unwrap_or_default();
            if let Ok(Some(resolved)) = resolve_dot_segments(written_path) {
                d.warning(node.span, format!("`{path}` has a `.` or `..` segment (also written `%2e`), which URL resolution removes, as Python `requests` does: calls go to `{resolved}` under the base URL; write that"));
            }
            warn_of_other_variable_syntax(source, node, path, d);
            Some(template)
        }
        Err(errors) => {
            let folded = node.as_scalar().is_some_and(|scalar| scalar.folded);
            for (span, message) in errors {
                // a resource wrapped onto a second line: YAML reads the line break as a space
                let unwrap = match folded && message.ends_with(SPACE_PROBLEM) {
                    true => " (the resource is written over more than one line, and YAML reads each line break in it as a space: if this is one, write the resource on one line)",
                    false => "",
                };
                d.error(span, format!("`{path}`: {message}{unwrap}"));
            }
            None
        }
    }
}

/// The operation to write for an operation written as its name (`get_ticket`) or
/// its endpoint (`GET /tickets/{id}`) alone, in flow style.
fn operation_written_as_text(text: &str) -> Option<String> {
    if let Some((method, resource)) = method_and_resource(text) {
        return Some(format!("{{ name: ..., method: {method}, resource: \"{resource}\" }}"));
    }
    let name = text.trim();
    is_identifier(name).then(|| format!("{{ name: {name}, method: GET, resource: \"/...\" }}"))
}

/// A method and a resource written as one text (`GET /tickets/{id}`), as API
/// documentation writes an endpoint.
fn method_and_resource(text: &str) -> Option<(Method, &str)> {
    let (method, resource) = text.trim().split_once(char::is_whitespace)?;
    let resource = resource.trim_start();
    let method = Method::parse(method).filter(|_| resource.starts_with('/'))?;
    Some((method, resource))
}

/// A warning for variables of `source`, a valid resource, written in another tool's
/// syntax (`/tickets/:id`), which are sent as written, not filled in.
fn warn_of_other_variable_syntax(source: &str, node: &Node, path: &str, d: &mut Collector) {
    let mut found = sent_as_written(source);
    let mut seen = HashSet::new();
    found.retain(|foreign| seen.insert(foreign.written));
    let Some(first) = found.first() else { return };
    let them = match found.len() {
        1 => format!("`{}` ({} way), which {}", first.written, first.tool, first.sent()),
        _ => format!("{}, variables as other tools write them", list_choices(found.iter().map(|f| f.written))),
    };
    let fixed = first.fixed();
    // the whole resource rewritten, where it is short enough to read in a message
    let resource = rewritten(source);
    let write = match resource.chars().count() <= SHOWN_RESOURCE_CHARS {
        true => format!("; write `{resource}`"),
        false => String::new(),
    };
    // `?appid=$OPENWEATHER_KEY`: a call's argument would be the wrong fix
    let credential = found.iter().find(|foreign| names_a_credential(foreign.name)).map_or(String::new(), |foreign| {
        format!(", but `{}` names a credential, which is no call's argument: leave it out of the resource and give the API `auth_type: apiKey` (`auth: {{ location: query, name: <the parameter> }}` for one sent in the query)", foreign.written)
    });
    // `$LATEST` may be the API's own word (AWS Lambda's version)
    let own_word = found
        .iter()
        .find(|foreign| foreign.tool == SHELL)
        .map_or(String::new(), |foreign| own_word_hint(foreign.written));
    d.foreign_variable_warning(
        node.span,
        format!("`{path}` has {them}: a variable is written `{fixed}`{write}{credential}{own_word}"),
    );
}

/// Whether a variable's name written as an environment variable's (`OPENWEATHER_KEY`)
/// names a credential: its last word is `KEY`, `TOKEN`, `SECRET` or `PASSWORD`, as
/// in no argument's name, written in small letters (`pageToken`, `issue_key`); a
/// `KEY` or `TOKEN` after one of the [`DATA_WORDS`] is the data's (`NEXT_TOKEN`,
/// `OBJECT_KEY`).
fn names_a_credential(name: &str) -> bool {
    let mut words = name.rsplit('_');
    let last = words.next().unwrap_or_default();
    let before = words.next().unwrap_or_default();
    let of_data = ["KEY", "APIKEY", "TOKEN"].contains(&last) && DATA_WORDS.contains(&before);
    is_secret_name(name) && ["KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD"].contains(&last) && !of_data
}

/// Words before `KEY` or `TOKEN` in a name of a value the data holds, which a call
/// takes as an argument: a page's token (`NEXT_TOKEN`), a record's key (`OBJECT_KEY`).
const DATA_WORDS: &[&str] = &[
    "NEXT",
    "PAGE",
    "CONTINUATION",
    "CURSOR",
    "SYNC",
    "DELTA",
    "RESUME",
    "PAGINATION",
    "PARTITION",
    "SORT",
    "ROW",
    "RANGE",
    "ISSUE",
    "PROJECT",
    "IDEMPOTENCY",
    "CACHE",
    "OBJECT",
    "ENTITY",
    "RECORD",
    "ITEM",
    "FILE",
    "BLOB",
    "FOREIGN",
];

/// The longest resource a message shows rewritten.
const SHOWN_RESOURCE_CHARS: usize = 200;

/// A warning for each query parameter of `source` named like a credential with a
/// value written out (`?api_key=abc123`): secrets are named in the file, never
/// written. `instead` says what to do for the parameter it is given the name of.
pub(super) fn warn_of_written_credentials(
    source: &str,
    node: &Node,
    path: &str,
    instead: impl Fn(&str) -> String,
    d: &mut Collector,
) {
    for (name, _) in written_query_values(source) {
        if is_credential_query_param(&name) {
            d.credential_warning(
                node.span,
                format!("`{path}` writes a value for the query parameter `{name}`, a credential; secrets are named in the file, never written: {}", instead(&name)),
            );
        }
    }
}
