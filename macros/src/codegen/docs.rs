//! Doc comments of the generated items: what a call does, shown on hover.

use conv_api_definitions::{urls, Api, Definitions, Operation};

/// The doc of `Api`: one line per API.
pub(crate) fn api_set_doc(definitions: &Definitions) -> String {
    let mut doc =
        String::from("The APIs of the definitions file, one field per API: `conv.api.<api>.<operation>(..)`.\n");
    for api in definitions.apis.iter() {
        let count = api.operations.len();
        let noun = if count == 1 { "operation" } else { "operations" };
        doc.push_str(&format!("\n- `{}`: {count} {noun}", api.name()));
        if let Some(description) = &api.description {
            doc.push_str(&format!(" — {}", collapse_whitespace(description)));
        }
    }
    doc
}

/// The doc of an API's field and client: description and wired `environments`
/// (its [`environments_line`]).
pub(crate) fn api_doc(api: &Api, environments: &str) -> String {
    let mut doc = match &api.description {
        Some(description) => format!("{}\n\n", description_doc(description)),
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
        doc.push_str(&format!("{}\n\n", description_doc(description)));
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
        .map(|e| format!("{} (`{}`, auth `{}`)", e.environment, urls::shown(&e.base_url.value), e.auth.type_name()))
        .collect();
    if wired.is_empty() {
        "Environments wired: none yet.".to_string()
    } else {
        format!("Environments wired: {}.", wired.join(", "))
    }
}

/// A description as doc text. rustdoc reads it as Markdown and would compile a code
/// block in it as a doctest of the calling crate: fenced blocks are marked `text`
/// (and closed, so that they do not swallow the lines after them), and other lines
/// lose their leading blanks, since an indented line starts a code block too.
fn description_doc(description: &str) -> String {
    let mut lines = Vec::new();
    // the opening fence of the block being read: its character and length
    let mut open: Option<(char, usize)> = None;
    for line in description.lines() {
        let trimmed = line.trim_start();
        let fence = fence_of(trimmed);
        match (open, fence) {
            (None, Some((mark, length))) => {
                open = Some((mark, length));
                lines.push(format!("{}text", mark.to_string().repeat(length)));
            }
            (Some((mark, length)), Some((closing, run)))
                if closing == mark && run >= length && trimmed.trim_end().len() == run =>
            {
                open = None;
                lines.push(trimmed.to_string());
            }
            (Some(_), _) => lines.push(line.to_string()),
            (None, None) => lines.push(trimmed.to_string()),
        }
    }
    if let Some((mark, length)) = open {
        lines.push(mark.to_string().repeat(length));
    }
    lines.join("\n")
}

/// The fence a line starts with, if any: three or more backticks or tildes (a run
/// of backticks followed by another backtick on the line is inline code instead).
fn fence_of(line: &str) -> Option<(char, usize)> {
    let mark = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = line.chars().take_while(|&c| c == mark).count();
    let inline = mark == '`' && line[run..].contains('`');
    (run >= 3 && !inline).then_some((mark, run))
}

/// `text` with every run of whitespace, line breaks included, as one space.
fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_of_a_description_become_text_that_rustdoc_does_not_test() {
        let description = "Finds tickets.\n\n```\nlet x: u8 = 300;\n```\n\nExample:\n\n    GET /tickets?q=open\n\n\
                           ````rust\n  fn main() {}\n```\n````\n~~~json\n{\"a\": 1}\n~~~";
        let doc = description_doc(description);
        let expected = "Finds tickets.\n\n```text\nlet x: u8 = 300;\n```\n\nExample:\n\nGET /tickets?q=open\n\n\
                        ````text\n  fn main() {}\n```\n````\n~~~text\n{\"a\": 1}\n~~~";
        assert_eq!(doc, expected);
    }

    #[test]
    fn an_unclosed_fence_is_closed_so_the_lines_after_it_stay_prose() {
        assert_eq!(description_doc("Usage:\n```\ncall it"), "Usage:\n```text\ncall it\n```");
        assert_eq!(description_doc("A `code` span and ``two``"), "A `code` span and ``two``");
        assert_eq!(description_doc("```x``` is inline code\nprose"), "```x``` is inline code\nprose");
    }

    #[test]
    fn a_password_in_a_base_url_stays_out_of_the_docs() {
        let yaml = "api_integrations:\n  - name: legacy\n    environments:\n      \
                    live: { base_url: \"https://agent:hunter2@legacy.example/v1\" }\n    operations: []\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let line = environments_line(&checked.definitions.apis[0]);
        assert_eq!(line, "Environments wired: live (`https://***@legacy.example/v1`, auth `none`).");
    }
}
