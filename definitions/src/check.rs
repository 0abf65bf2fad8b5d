//! Rules that relate several values of a definitions file, one function each.

use std::collections::hash_map::{Entry, HashMap};
use std::collections::HashSet;

use crate::diagnostics::{unlisted, Collector, LISTED_PER_VALUE};
use crate::model::{AuthType, Environment, EnvironmentConfig, Method, Span, Spanned, Text};
use crate::names::{
    is_reserved_identifier, is_snake_case, method_of_every_value, module_name, qualified_calls, rust_name,
    to_snake_case, NameSuggestions, ValueMethod,
};
use crate::template::Template;
use crate::urls::{credentials_allowed, shown, PLAIN_HTTP_ALLOWED};

/// API names are unique in the file.
pub(crate) fn check_unique_api_names(names: &[(&str, &Spanned<Text>)], d: &mut Collector) {
    for (path, name, first) in repeats(names) {
        d.error(
            name.span,
            format!(
                "`{path}.name`: API name `{}` is already used at line {}; API names are unique, so rename one",
                name.value, first.span.line
            ),
        );
    }
}

/// Operation names are unique within their API (each becomes one method);
/// `method_at` gives the method of the operation whose name is at a place.
pub(crate) fn check_unique_operation_names(
    names: &[(&str, &Spanned<Text>)],
    method_at: impl Fn(Span) -> Option<Method>,
    d: &mut Collector,
) {
    for (path, name, first) in repeats(names) {
        let (value, line) = (&name.value, first.span.line);
        let message = match (method_at(first.span), method_at(name.span)) {
            // the ADK tells such operations apart by method
            (Some(first_method), Some(method)) if first_method != method => format!(
                "`{path}.name`: operation `{value}` is already defined at line {line}, for `{first_method}`; the ADK tells the two apart by method, but a name here becomes one function: rename this one, like `{}_{value}`",
                method.as_str().to_ascii_lowercase()
            ),
            _ => format!(
                "`{path}.name`: operation `{value}` is already defined at line {line}; operation names are unique within an API (each becomes one function), so rename one"
            ),
        };
        d.error(name.span, message);
    }
}

/// Each name used before in `names`, with its path and the name's first use.
fn repeats<'a>(
    names: &'a [(&'a str, &'a Spanned<Text>)],
) -> impl Iterator<Item = (&'a str, &'a Spanned<Text>, &'a Spanned<Text>)> {
    let mut firsts: HashMap<&str, &Spanned<Text>> = HashMap::with_capacity(names.len());
    names.iter().filter_map(move |&(path, name)| match firsts.entry(&name.value) {
        Entry::Occupied(first) => Some((path, name, *first.get())),
        Entry::Vacant(slot) => {
            slot.insert(name);
            None
        }
    })
}

/// Path-variable names are snake_case by convention (a warning); checked whenever the
/// resource reads, whatever the rest of its operation holds. Each warning is at the
/// `{` of the variable's first `{name}` when the resource is written as read from
/// `text_at`, as a resource's errors are at their character, else at the resource.
pub(crate) fn check_variable_case(path: &str, resource: &Template, text_at: Option<Span>, d: &mut Collector) {
    let span = resource.source.span;
    let at = |variable: &str| {
        let source = resource.source.value.as_ref();
        let offset = source.find(&format!("{{{variable}}}"))?;
        let text_at = text_at?;
        Some(Span::new(text_at.line as usize, text_at.column as usize + source[..offset].chars().count()))
    };
    let not_snake: Vec<&str> = resource.variables.iter().map(|v| v.as_ref()).filter(|v| !is_snake_case(v)).collect();
    if not_snake.is_empty() {
        return;
    }
    let mut names = NameSuggestions::new(resource.variables.iter().map(|v| v.as_ref()));
    for variable in not_snake.iter().take(LISTED_PER_VALUE) {
        let advice = snake_case_advice(&mut names, &to_snake_case(variable), variable);
        d.warning(
            at(variable).unwrap_or(span),
            format!("`{path}`: path variable `{variable}` is not snake_case; {advice}"),
        );
    }
    if let Some(more) = unlisted(not_snake.len(), "path variable", "path variables") {
        let first_unlisted = not_snake.get(LISTED_PER_VALUE).and_then(|variable| at(variable));
        d.warning(first_unlisted.unwrap_or(span), format!("`{path}`: and {more} not in snake_case, not listed"));
    }
}

/// Operation names are snake_case by convention: a warning when `name` is not; also
/// for an operation whose other errors keep it out of the definitions. `names` are the
/// suggestions in the scope of the API's operations.
pub(crate) fn check_name_case(path: &str, name: &Spanned<Text>, names: &mut NameSuggestions, d: &mut Collector) {
    if !is_snake_case(&name.value) {
        let advice = snake_case_advice(names, &to_snake_case(&name.value), &name.value);
        d.warning(name.span, format!("`{path}.name`: operation `{}` is not snake_case; {advice}", name.value));
    }
}

/// The longest API or operation name that draws no warning. rustdoc writes a file
/// named after each (an API's module, an operation's `args` struct) and fails past
/// about 240 characters, as file names stop at 255 bytes.
pub(crate) const LONGEST_QUIET_NAME: usize = 200;

/// A warning when `name` (at `path`, an API's or an operation's) is longer than
/// [`LONGEST_QUIET_NAME`]: the code builds, but `cargo doc` may not.
pub(crate) fn check_name_length(path: &str, name: &Spanned<Text>, d: &mut Collector) {
    let length = name.value.len();
    if length > LONGEST_QUIET_NAME {
        d.warning(
            name.span,
            format!(
                "`{path}`: the name is {length} characters long; `cargo doc` writes a file named after it and fails past about 240 (file names stop at 255 bytes), so shorten it to {LONGEST_QUIET_NAME} or fewer"
            ),
        );
    }
}

/// A warning when the operation `name` of the API `api` is named like a method
/// every Rust value has ([`method_of_every_value`]), which the obvious call finds
/// first; `apis` are the names of the file's APIs, for the module of `api`'s types.
pub(crate) fn check_callable_name(
    path: &str,
    api: &str,
    apis: &HashSet<&str>,
    name: &Spanned<Text>,
    d: &mut Collector,
) {
    if let Some(ValueMethod { method, imported_from }) = method_of_every_value(&name.value) {
        let (span, name) = (name.span, &name.value);
        let module = module_name(api, |taken| apis.contains(taken));
        let [positional, named] = qualified_calls(&rust_name(&module), api, name);
        let api = rust_name(api);
        let (where_, has) = match imported_from {
            Some(import) => (format!(" where `{import}` is imported"), "which it gives every value"),
            None => (String::new(), "which every value has"),
        };
        d.warning(
            span,
            format!(
                "`{path}.name`: in Rust{where_}, `conv.api.{api}.{name}(..)` calls `{method}`, {has}, not this operation; call it as `{positional}` (named: `{named}`), or rename it"
            ),
        );
    }
}

/// "consider `snake`" for the name `written`, or, when `snake` is taken, suggested
/// already or reserved (`self`), a name of the scope of `names` that is none of these.
fn snake_case_advice(names: &mut NameSuggestions, snake: &str, written: &str) -> String {
    if is_reserved_identifier(snake) {
        // `SELF` would be `self`, which can never be a name
        let advice = snake_case_advice(names, &format!("{snake}_"), written);
        return format!("`{snake}` is reserved, so {advice}");
    }
    match names.why_not(snake) {
        None => format!("consider `{}`", names.suggest(snake, written)),
        Some(why) => format!("`{snake}` is {why}, so consider `{}`", names.suggest(snake, written)),
    }
}

/// An environment's auth type as read, and how messages say it: "`auth_type` is
/// `basic`", or, for a word that is no type, what it was read as.
#[derive(Clone, Copy)]
pub(crate) struct AuthTypeSaid<'s> {
    pub(crate) read: AuthType,
    pub(crate) said: &'s str,
}

/// `base_url` may not be empty when `auth_type` is not `none`; `written` says
/// whether the file has the key (else it is empty by default).
pub(crate) fn check_auth_needs_base_url(
    path: &str,
    base_url: &Spanned<Text>,
    written: bool,
    auth_type: AuthTypeSaid<'_>,
    d: &mut Collector,
) {
    if auth_type.read == AuthType::None || !base_url.value.is_empty() {
        return;
    }
    let problem = if written { format!("`{path}.base_url` is empty") } else { format!("`{path}` has no `base_url`") };
    d.error(
        base_url.span,
        format!(
            "{problem}, but {}; set the base URL, or use `auth_type: none` until the environment is wired up",
            auth_type.said
        ),
    );
}

/// Credentials never travel in clear text: auth needs `https` unless the host is
/// loopback. `base_url` is the text written at `span`, which may have other problems
/// (a query, a fragment), said on their own; user info over `http` is one of them.
pub(crate) fn check_credentials_need_tls(
    path: &str,
    base_url: &str,
    span: Span,
    auth_type: AuthTypeSaid<'_>,
    d: &mut Collector,
) {
    if auth_type.read == AuthType::None || base_url.is_empty() {
        return;
    }
    let Ok(url) = url::Url::parse(base_url) else { return };
    let has_user_info = !url.username().is_empty() || url.password().is_some();
    if url.scheme() == "http" && !credentials_allowed(&url) && !has_user_info {
        d.error(
            span,
            format!(
                "`{path}.base_url` is `{}`, but {}: credentials never travel in clear text, so use `https` ({PLAIN_HTTP_ALLOWED})",
                shown(base_url),
                auth_type.said
            ),
        );
    }
}

/// A resource that starts with the path its base URL ends with, as API documentation
/// writes whole paths (`/api/v2/users/{id}` under `https://x.example/api/v2`), is
/// called at both (`/api/v2/api/v2/users/{id}`): a warning at each such resource,
/// naming the first environment that repeats it. Not an error, as a server may
/// repeat a path.
pub(crate) fn check_resources_repeat_base_path<'o>(
    environments: &[EnvironmentConfig],
    resources: impl Iterator<Item = (&'o str, &'o Template)>,
    d: &mut Collector,
) {
    // as written: a checked base URL has no query or fragment, and no `/` before its path
    let base_paths: Vec<(Environment, &str)> = environments
        .iter()
        .filter_map(|config| {
            let (_, after_scheme) = config.base_url.value.split_once("://")?;
            let path = after_scheme.find('/').map(|at| after_scheme[at..].trim_end_matches('/'))?;
            (!path.is_empty()).then_some((config.environment, path))
        })
        .collect();
    if base_paths.is_empty() {
        return;
    }
    for (path, resource) in resources {
        let written = resource.source.value.as_ref();
        let repeated = base_paths.iter().find_map(|(environment, base_path)| {
            let rest = written.strip_prefix(base_path)?;
            matches!(rest.chars().next(), None | Some('/' | '?')).then_some((environment, base_path, rest))
        });
        let Some((environment, base_path, rest)) = repeated else { continue };
        let instead = match rest.starts_with('/') {
            true => rest.to_string(),
            false => format!("/{rest}"),
        };
        d.warning(
            resource.source.span,
            format!(
                "`{path}.resource` repeats `{base_path}`, the path of the `{}` base URL, which calls start with: they go to `{base_path}{written}`; write `{instead}`, unless the server does repeat the path",
                environment.key()
            ),
        );
    }
}
