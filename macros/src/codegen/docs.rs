//! Doc comments of the generated items: what a call does, shown on hover.

use conv_api_definitions::{Api, Definitions, Operation};

/// The doc of `Api`: one line per API.
pub(crate) fn api_set_doc(definitions: &Definitions) -> String {
    let mut doc =
        String::from("The APIs of the definitions file, one field per API: `conv.api.<api>.<operation>(..)`.\n");
    for api in definitions.apis.iter() {
        let count = api.operations.len();
        let noun = if count == 1 { "operation" } else { "operations" };
        doc.push_str(&format!("\n- `{}`: {count} {noun}", api.name()));
        if let Some(description) = &api.description {
            doc.push_str(&format!(" — {}", one_line(description)));
        }
    }
    doc
}

/// The doc of an API's field and client: description and wired `environments`
/// (its [`environments_line`]).
pub(crate) fn api_doc(api: &Api, environments: &str) -> String {
    let mut doc = match &api.description {
        Some(description) => format!("{description}\n\n"),
        None => format!("The `{}` API.\n\n", api.name()),
    };
    doc.push_str(environments);
    doc
}

/// The doc of an operation: description, method and resource, arguments, and the
/// wired `environments` of its API (its [`environments_line`]).
pub(crate) fn operation_doc(op: &Operation, environments: &str) -> String {
    let mut doc = String::new();
    if let Some(description) = &op.description {
        doc.push_str(&format!("{description}\n\n"));
    }
    doc.push_str(&format!("`{} {}`", op.method, op.resource.source.value));
    if !op.resource.variables.is_empty() {
        let variables: Vec<String> = op.resource.variables.iter().map(|v| format!("`{v}`")).collect();
        doc.push_str(&format!(" — path variables: {}", variables.join(", ")));
    }
    doc.push_str("\n\n");
    doc.push_str(environments);
    doc
}

/// The line "Environments wired: sandbox (`https://..`, auth `none`), ..", the same
/// in the doc of every item of an API.
pub(crate) fn environments_line(api: &Api) -> String {
    let wired: Vec<String> = api
        .wired_environments()
        .map(|e| format!("{} (`{}`, auth `{}`)", e.environment, e.base_url.value, e.auth.type_name()))
        .collect();
    if wired.is_empty() {
        "Environments wired: none yet.".to_string()
    } else {
        format!("Environments wired: {}.", wired.join(", "))
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
