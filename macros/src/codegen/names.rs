//! Rust names for definitions names.

use std::collections::HashSet;

use conv_api_definitions::names::{is_keyword, module_name};
use conv_api_definitions::{Api, Definitions};
use proc_macro2::Span;
use syn::Ident;

/// The identifier for a checked name, raw (`r#type`) if it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The module of each API ([`module_name`]: `conv_api` gets a `_`).
pub(crate) fn module_names(definitions: &Definitions) -> Vec<Ident> {
    let taken = |name: &str| definitions.apis.iter().any(|api| api.name() == name);
    definitions.apis.iter().map(|api| ident(&module_name(api.name(), taken))).collect()
}

/// The `args` struct name of each operation: `get_ticket` -> `GetTicket`.
///
/// Names that would collide within the API (`get_ticket` and `getTicket`), also
/// only in case (`getticket`: `Getticket` and `GetTicket` would be one rustdoc page
/// on the case-insensitive file systems of macOS and Windows), get the operation's
/// position as a suffix (`Getticket2`), or the next free number after it, so every
/// struct name is unique.
pub(crate) fn args_struct_names(api: &Api) -> Vec<Ident> {
    let mut taken_lowercase = HashSet::with_capacity(api.operations.len());
    let mut names = Vec::with_capacity(api.operations.len());
    for (index, op) in api.operations.iter().enumerate() {
        let camel = upper_camel_case(op.name());
        let mut name = camel.clone();
        let stem = if camel.is_empty() { "Operation" } else { &camel };
        let mut suffix = index + 1;
        while name.is_empty() || name == "Self" || taken_lowercase.contains(&name.to_ascii_lowercase()) {
            name = format!("{stem}{suffix}");
            suffix += 1;
        }
        taken_lowercase.insert(name.to_ascii_lowercase());
        names.push(Ident::new(&name, Span::call_site()));
    }
    names
}

/// Names a function parameter cannot take: the prelude's enum variants, which a
/// parameter pattern would name instead of binding.
const PRELUDE_VARIANTS: [&str; 4] = ["None", "Some", "Ok", "Err"];

/// The parameter of each path variable in a positional method: the variable's
/// identifier, except for [`PRELUDE_VARIANTS`], which get a `_` (more while the
/// operation has a variable of that name: `None_`, `None__`).
pub(crate) fn parameter_names(variables: &[impl AsRef<str>]) -> Vec<Ident> {
    let names: Vec<&str> = variables.iter().map(AsRef::as_ref).collect();
    names
        .iter()
        .map(|&name| {
            if !PRELUDE_VARIANTS.contains(&name) {
                return ident(name);
            }
            let mut parameter = format!("{name}_");
            while names.contains(&parameter.as_str()) {
                parameter.push('_');
            }
            Ident::new(&parameter, Span::call_site())
        })
        .collect()
}

/// `get_ticket` -> `GetTicket`, `getContact` -> `GetContact`, `GET_TICKET` ->
/// `GetTicket`, `_x` -> `X`, `_2fa` -> `N2fa`: each `_`-separated part capitalized,
/// the rest of a part kept as written unless the part is all capitals.
fn upper_camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for part in name.split('_') {
        let mut chars = part.chars();
        let Some(first) = chars.next() else { continue };
        out.push(first.to_ascii_uppercase());
        let rest = chars.as_str();
        if part.chars().any(|c| c.is_ascii_lowercase()) {
            out.push_str(rest);
        } else {
            out.push_str(&rest.to_ascii_lowercase());
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case() {
        assert_eq!(upper_camel_case("get_ticket"), "GetTicket");
        assert_eq!(upper_camel_case("getContact"), "GetContact");
        assert_eq!(upper_camel_case("_x"), "X");
        assert_eq!(upper_camel_case("v2_3"), "V23");
        assert_eq!(upper_camel_case("__"), "");
        assert_eq!(upper_camel_case("GET_TICKET"), "GetTicket");
        assert_eq!(upper_camel_case("get_HTTP2_status"), "GetHttp2Status");
        assert_eq!(upper_camel_case("getURL"), "GetURL");
        assert_eq!(upper_camel_case("_2fa"), "N2fa");
    }

    #[test]
    fn prelude_variants_are_no_parameter_names() {
        let names = parameter_names(&["None", "None_", "Ok", "id", "type"]);
        let shown: Vec<String> = names.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["None__", "None_", "Ok_", "id", "r#type"]);
    }

    #[test]
    fn struct_names_differing_only_in_case_are_told_apart() {
        let yaml = "api_integrations:\n  - name: desk\n    environments: { live: {} }\n    operations:\n      \
                    - { name: get_ticket, method: GET, resource: /a }\n      \
                    - { name: getTicket, method: GET, resource: /b }\n      \
                    - { name: getticket, method: GET, resource: /c }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("warnings, not errors");
        let names: Vec<String> =
            args_struct_names(&checked.definitions.apis[0]).iter().map(ToString::to_string).collect();
        // `Getticket` and `GetTicket` would be one rustdoc page on macOS and Windows
        assert_eq!(names, ["GetTicket", "GetTicket2", "Getticket3"]);
    }

    #[test]
    fn keywords_are_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("get").to_string(), "get");
    }
}
