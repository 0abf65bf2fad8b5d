//! The Rust names generated code gives the definitions' names.

use super::is_keyword;

/// A method a trait gives every Rust value, taking it by value: see
/// [`method_of_every_value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueMethod {
    /// The method, by its trait: `Into::into`.
    pub method: &'static str,
    /// The trait to import for every value to have it (`tracing::Instrument`), or
    /// none for the prelude's.
    pub imported_from: Option<&'static str>,
}

/// The method `name` that a trait gives every Rust value, taking it by value: the
/// prelude's `Into::into` and `TryInto::try_into`, and `tracing`'s `instrument` and
/// `with_subscriber` (with their `in_current_span` and `with_current_subscriber`),
/// whose traits agent code imports to instrument a call. `conv.api.shop.into()`
/// calls that method, found before an operation of that name, which takes its
/// client by reference; `shop::Client::into(&conv.api.shop)` calls the operation.
pub fn method_of_every_value(name: &str) -> Option<ValueMethod> {
    let (method, imported_from) = match name {
        "into" => ("Into::into", None),
        "try_into" => ("TryInto::try_into", None),
        "instrument" => ("Instrument::instrument", Some("tracing::Instrument")),
        "in_current_span" => ("Instrument::in_current_span", Some("tracing::Instrument")),
        "with_subscriber" => ("WithSubscriber::with_subscriber", Some("tracing::instrument::WithSubscriber")),
        "with_current_subscriber" => {
            ("WithSubscriber::with_current_subscriber", Some("tracing::instrument::WithSubscriber"))
        }
        _ => return None,
    };
    Some(ValueMethod { method, imported_from })
}

/// The calls of the operation `op` of the API `api` through the API's client types,
/// which a method every value has ([`method_of_every_value`]) cannot come before:
/// positional and named, each name as Rust code writes it (`r#type`); the types are
/// in the API's `module` ([`module_name`]).
///
/// ```
/// use conv_api_definitions::names::qualified_calls;
/// assert_eq!(
///     qualified_calls("r#type", "type", "into"),
///     ["r#type::Client::into(&conv.api.r#type, ..)", "r#type::Named::into(&conv.api.r#type.named, ..)"]
/// );
/// ```
pub fn qualified_calls(module: &str, api: &str, op: &str) -> [String; 2] {
    let api = rust_name(api);
    [
        format!("{module}::Client::{op}(&conv.api.{api}, ..)"),
        format!("{module}::Named::{op}(&conv.api.{api}.named, ..)"),
    ]
}

/// The name the `conv_api!` macro is called by, and so the one API name whose
/// module would make that call ambiguous where the macro expands (rustc's E0659).
pub const CRATE_NAME: &str = "conv_api";

/// The module that generated code puts the types of the API `api` in (Rust code
/// writes it as [`rust_name`] says): the API's name, but for [`CRATE_NAME`], whose
/// module would make the documented call `conv_api::conv_api!(..)` ambiguous: it gets
/// a `_`, more while `taken` says the file has an API of that name. The API's field
/// keeps its name: `conv.api.conv_api`.
///
/// ```
/// use conv_api_definitions::names::module_name;
/// assert_eq!(module_name("zendesk", |_| false), "zendesk");
/// assert_eq!(module_name("conv_api", |_| false), "conv_api_");
/// assert_eq!(module_name("conv_api", |name| name == "conv_api_"), "conv_api__");
/// ```
pub fn module_name(api: &str, taken: impl Fn(&str) -> bool) -> std::borrow::Cow<'_, str> {
    if api != CRATE_NAME {
        return std::borrow::Cow::Borrowed(api);
    }
    let mut module = format!("{CRATE_NAME}_");
    while taken(&module) {
        module.push('_');
    }
    std::borrow::Cow::Owned(module)
}

/// `name` as Rust code writes it: `r#type` for a keyword, else as it is.
pub fn rust_name(name: &str) -> std::borrow::Cow<'_, str> {
    if is_keyword(name) {
        std::borrow::Cow::Owned(format!("r#{name}"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}
