//! Doc comments of the generated items: what a call does, shown on hover.

use conv_api_definitions::names::{method_of_every_value, qualified_calls, rust_name, ValueMethod};
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
            doc.push_str(&format!(" — {}", escape_inline_html(&collapse_whitespace(description))));
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

/// `text` as a Markdown code span, shown whole whatever it holds: fenced by more
/// backticks than any run of them in it, and padded with a blank where it starts or
/// ends with one (a resource's query may hold `` ` `` and `<`).
pub(crate) fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// An operation's resource as docs show it: a credential written in its query
/// (`?api_key=abc123`, which the definitions warn of) masked.
pub(crate) fn shown_resource(op: &Operation) -> std::borrow::Cow<'_, str> {
    urls::masked_query_values(&op.resource.source.value, urls::is_credential_query_param)
}

/// The doc of an operation of the API `api`, whose types are in `module` (as Rust
/// code writes it): description, method and resource, arguments, how to call it
/// when its name is a method every value has, and the wired `environments` of its
/// API (its [`environments_line`]).
pub(crate) fn operation_doc(module: &str, api: &str, op: &Operation, environments: &str) -> String {
    let mut doc = String::new();
    if let Some(description) = &op.description {
        doc.push_str(&format!("{}\n\n", description_doc(description)));
    }
    doc.push_str(&code_span(&format!("{} {}", op.method, shown_resource(op))));
    if !op.resource.variables.is_empty() {
        let variables: Vec<String> = op.resource.variables.iter().map(|v| format!("`{v}`")).collect();
        doc.push_str(&format!(" — path variables: {}", variables.join(", ")));
    }
    doc.push_str("\n\n");
    if let Some(ValueMethod { method, imported_from }) = method_of_every_value(op.name()) {
        let name = op.name();
        let [positional, named] = qualified_calls(module, api, name);
        let api = rust_name(api);
        let where_ = imported_from.map(|import| format!(" where `{import}` is imported")).unwrap_or_default();
        doc.push_str(&format!(
            "Call it as `{positional}`, or `{named}`: `conv.api.{api}.{name}(..)` finds `{method}` first{where_}.\n\n"
        ));
    } else if let Some(keyword) = rust_name(op.name()).strip_prefix("r#") {
        // rustdoc shows the method's name without its `r#`
        let api = rust_name(api);
        doc.push_str(&format!(
            "Call it as `conv.api.{api}.r#{keyword}(..)` (or `conv.api.{api}.named.r#{keyword}(..)`): `{keyword}` is a Rust keyword.\n\n"
        ));
    }
    doc.push_str(environments);
    doc
}

/// The line "Environments wired: sandbox (`https://..`, auth `none`), ..", the same
/// in the doc of every item of an API.
pub(crate) fn environments_line(api: &Api) -> String {
    let wired: Vec<String> = api
        .wired_environments()
        .map(|e| {
            let base_url = code_span(&urls::shown(&e.base_url.value));
            let user_info = match urls::has_user_info(&e.base_url.value) {
                true => format!(" and {}", urls::USER_INFO_AS_BASIC),
                false => String::new(),
            };
            format!("{} ({base_url}, auth `{}`{user_info})", e.environment, e.auth.type_name())
        })
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
/// lose their leading blanks, after their block quote and list markers too, since
/// an indented line starts a code block. A fenced block in a block quote or a list
/// item is moved out of it, its lines stripped of their markers and indentation:
/// every fence is then at the start of its line, where Markdown reads it as this
/// function does. In the other lines, HTML is escaped ([`escape_inline_html`]): a
/// description is plain text, whose `<email>` a browser would hide, and an HTML
/// block could hide a code block from this reading; so is a footnote definition
/// (`[^1]:`), whose text may be an indented code block.
fn description_doc(description: &str) -> String {
    let mut lines = Vec::new();
    // the block being read: its opening fence's character and length, and whether
    // it was opened in a block quote or list item
    let mut open: Option<(char, usize, bool)> = None;
    // Markdown ends a line at a `\r` alone too
    for line in description.lines().flat_map(|line| line.split('\r')) {
        let Some((mark, length, contained)) = open else {
            let (markers, content) = container_markers(line);
            match fence_of(content) {
                Some((mark, length)) => {
                    open = Some((mark, length, !markers.is_empty()));
                    lines.push(format!("{}text", mark.to_string().repeat(length)));
                }
                None if content.starts_with("[^") => lines.push(format!("{markers}\\{}", escape_inline_html(content))),
                None => lines.push(format!("{markers}{}", escape_inline_html(content))),
            }
            continue;
        };
        let content = if contained { line.trim_start_matches(|c: char| c == '>' || c.is_whitespace()) } else { line };
        let trimmed = content.trim();
        match fence_of(trimmed) {
            Some((closing, run)) if closing == mark && run >= length && trimmed.len() == run => {
                open = None;
                lines.push(trimmed.to_string());
            }
            _ => lines.push(content.to_string()),
        }
    }
    if let Some((mark, length, _)) = open {
        lines.push(mark.to_string().repeat(length));
    }
    lines.join("\n")
}

/// `text` with each `<` that Markdown would read as HTML (before a letter, `/`, `!`
/// or `?`: `<email>`, `</b>`, `<!--`) escaped as `\<`, so that it shows as written.
/// Code spans and autolinks (`<https://..>`, `<me@x.example>`) stay as they are.
fn escape_inline_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['<', '`']) {
        escaped.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('`') {
            // a code span runs to the next run of as many backticks; without one,
            // the backticks are text
            let run = rest.bytes().take_while(|&byte| byte == b'`').count();
            let end = backtick_run(&rest[run..], run).map_or(run, |closing| run + closing + run);
            escaped.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let html = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        // `\<` as the author wrote it is escaped already
        let escaped_already = escaped.bytes().rev().take_while(|&byte| byte == b'\\').count() % 2 == 1;
        if html && !escaped_already && !is_autolink(rest) {
            escaped.push('\\');
        }
        escaped.push('<');
        rest = &rest[1..];
    }
    escaped.push_str(rest);
    escaped
}

/// Where in `text` a run of exactly `length` backticks starts.
fn backtick_run(text: &str, length: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find('`').map(|at| from + at) {
        let run = text[at..].bytes().take_while(|&byte| byte == b'`').count();
        if run == length {
            return Some(at);
        }
        from = at + run;
    }
    None
}

/// Whether `text` starts with an autolink: `<scheme:..>` or `<me@x.example>`, no blank inside.
fn is_autolink(text: &str) -> bool {
    text.strip_prefix('<').and_then(|rest| rest.split_once('>')).is_some_and(|(inside, _)| {
        let scheme = inside.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() >= 2
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        });
        !inside.contains(char::is_whitespace) && (scheme || inside.contains('@'))
    })
}

/// The block quote and list markers a line starts with (`>`, `-`, `*`, `+`, `1.`,
/// `1)`), each followed by one space, and the rest of the line without leading blanks.
fn container_markers(line: &str) -> (String, &str) {
    let mut markers = String::new();
    let mut rest = line.trim_start();
    loop {
        let after = match rest.strip_prefix('>') {
            Some(after) => {
                markers.push_str("> ");
                after
            }
            None => match list_marker(rest) {
                Some(marker) => {
                    markers.push_str(marker);
                    markers.push(' ');
                    &rest[marker.len()..]
                }
                None => return (markers, rest),
            },
        };
        rest = after.trim_start();
    }
}

/// The list marker `text` starts with, followed by a blank: a bullet, or a number of
/// up to nine digits and `.` or `)`.
fn list_marker(text: &str) -> Option<&str> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let length = match text.as_bytes().first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits) && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) => digits + 1,
        _ => return None,
    };
    text[length..].starts_with([' ', '\t']).then(|| &text[..length])
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
    fn code_blocks_in_block_quotes_and_list_items_become_text_too() {
        let description = "Example:\n> ```\n> GET /tickets/1\n> ```\n>     indented\n\n- ```\n  code\n  ```\n\
                           2) ~~~~\n   more\n   ~~~~\n* *emphasis*, -1 and 3.5 stay prose\n>>- ```rust\n> fn main() {}";
        let expected = "Example:\n```text\nGET /tickets/1\n```\n> indented\n\n```text\ncode\n```\n\
                        ~~~~text\nmore\n~~~~\n* *emphasis*, -1 and 3.5 stay prose\n```text\nfn main() {}\n```";
        assert_eq!(description_doc(description), expected);
    }

    #[test]
    fn html_blocks_and_lone_carriage_returns_hide_no_code_block() {
        // an HTML block runs to the next blank line: it would swallow the `text` fence
        let html = "<details>\n```\n\nlet x: u8 = 300;\n```\n  <!-- note -->";
        assert_eq!(description_doc(html), "\\<details>\n```text\n\nlet x: u8 = 300;\n```\n\\<!-- note -->");
        // `\r` alone ends a line for Markdown: the indented line would start code
        assert_eq!(description_doc("Finds it.\r\r    let x: u8 = 300;\r\n"), "Finds it.\n\nlet x: u8 = 300;");
        // a footnote's text may be an indented code block; an autolink is a link
        assert_eq!(description_doc("[^1]:    let x: u8 = 300;"), "\\[^1]:    let x: u8 = 300;");
        let links = "<https://developer.example/api>\n<ops@example.com>\n<br>";
        assert_eq!(description_doc(links), "<https://developer.example/api>\n<ops@example.com>\n\\<br>");
    }

    #[test]
    fn html_inside_a_line_is_shown_as_written_outside_code_spans() {
        let description =
            "Find a contact by <email> or <phone>, returns List<Contact>; a < b, `<T>` and <https://x.example/a>";
        assert_eq!(
            description_doc(description),
            "Find a contact by \\<email> or \\<phone>, returns List\\<Contact>; a < b, `<T>` and <https://x.example/a>"
        );
        assert_eq!(
            escape_inline_html("``a ` <b>`` <c> ` <d>"),
            "``a ` <b>`` \\<c> ` \\<d>",
            "an unclosed backtick is text"
        );
        assert_eq!(
            escape_inline_html("use \\<email> or \\\\<b>"),
            "use \\<email> or \\\\\\<b>",
            "escaped by the author"
        );
        assert_eq!(description_doc("[^1]: <b>bold</b>"), "\\[^1]: \\<b>bold\\</b>");
        let yaml = "api_integrations:\n  - name: crm\n    description: Contacts, as List<Contact>\n    environments: { live: {} }\n    operations: []\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("valid");
        assert!(api_set_doc(&checked.definitions).ends_with("`crm`: 0 operations — Contacts, as List\\<Contact>"));
    }

    #[test]
    fn an_unclosed_fence_is_closed_so_the_lines_after_it_stay_prose() {
        assert_eq!(description_doc("Usage:\n```\ncall it"), "Usage:\n```text\ncall it\n```");
        assert_eq!(description_doc("A `code` span and ``two``"), "A `code` span and ``two``");
        assert_eq!(description_doc("```x``` is inline code\nprose"), "```x``` is inline code\nprose");
    }

    #[test]
    fn an_operation_named_as_a_keyword_says_how_to_call_it() {
        let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://s.example } }\n    operations:\n      - { name: type, method: GET, resource: /a }\n      - { name: typed, method: GET, resource: /b }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("valid");
        let [keyword, plain] =
            [0, 1].map(|i| operation_doc("shop", "shop", &checked.definitions.apis[0].operations[i], ""));
        let told =
            "Call it as `conv.api.shop.r#type(..)` (or `conv.api.shop.named.r#type(..)`): `type` is a Rust keyword.";
        assert!(keyword.contains(told), "{keyword}");
        assert!(!plain.contains("Call it as"), "{plain}");
    }

    #[test]
    fn an_operation_named_into_says_how_to_call_it() {
        let yaml = "api_integrations:\n  - name: shop\n    environments: { live: {} }\n    operations:\n      \
                    - { name: into, method: GET, resource: /a }\n      - { name: intro, method: GET, resource: /b }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let shop = &checked.definitions.apis[0];
        let doc = |i: usize| operation_doc("shop", "shop", &shop.operations[i], "Environments wired: live.");
        assert_eq!(
            doc(0),
            "`GET /a`\n\nCall it as `shop::Client::into(&conv.api.shop, ..)`, or `shop::Named::into(&conv.api.shop.named, ..)`: `conv.api.shop.into(..)` finds `Into::into` first.\n\nEnvironments wired: live."
        );
        assert_eq!(doc(1), "`GET /b`\n\nEnvironments wired: live.");
        let yaml = yaml.replace("name: into", "name: instrument");
        let checked = conv_api_definitions::parse_str("apis.yaml", &yaml).expect("a warning, not an error");
        let doc =
            operation_doc("shop", "shop", &checked.definitions.apis[0].operations[0], "Environments wired: live.");
        assert!(doc.contains(": `conv.api.shop.instrument(..)` finds `Instrument::instrument` first where `tracing::Instrument` is imported."), "{doc}");
        let yaml = "api_integrations:\n  - name: type\n    environments: { live: {} }\n    operations:\n      \
                    - { name: into, method: GET, resource: /a }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let doc = operation_doc("r#type", "type", &checked.definitions.apis[0].operations[0], "");
        assert!(doc.contains("Call it as `r#type::Client::into(&conv.api.r#type, ..)`, or `r#type::Named::into(&conv.api.r#type.named, ..)`"), "{doc}");
        let yaml = "api_integrations:\n  - name: conv_api\n    environments: { live: {} }\n    operations:\n      \
                    - { name: into, method: GET, resource: /a }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let doc = operation_doc("conv_api_", "conv_api", &checked.definitions.apis[0].operations[0], "");
        assert!(doc.contains("Call it as `conv_api_::Client::into(&conv.api.conv_api, ..)`, or `conv_api_::Named::into(&conv.api.conv_api.named, ..)`"), "{doc}");
    }

    #[test]
    fn a_password_in_a_base_url_stays_out_of_the_docs_which_say_it_goes_as_basic_auth() {
        let yaml = "api_integrations:\n  - name: legacy\n    environments:\n      \
                    live: { base_url: \"https://agent:hunter2@legacy.example/v1\" }\n    operations: []\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let line = environments_line(&checked.definitions.apis[0]);
        let says = "Environments wired: live (`https://***@legacy.example/v1`, auth `none` and the base URL's \
                    user info as Basic auth where no `Authorization` header is set).";
        assert_eq!(line, says);
    }

    #[test]
    fn a_code_span_shows_backticks_and_html_whole() {
        assert_eq!(code_span("GET /a"), "`GET /a`");
        assert_eq!(code_span("GET /a?x=`<b>`"), "`` GET /a?x=`<b>` ``");
        assert_eq!(code_span("a``b"), "```a``b```");
        let yaml = "api_integrations:\n  - name: shop\n    environments: { live: {} }\n    operations:\n      \
                    - { name: find, method: GET, resource: \"/items/{id}?q={term}&x=`<b>`\" }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning at most");
        let doc = operation_doc("shop", "shop", &checked.definitions.apis[0].operations[0], "");
        assert!(doc.starts_with("`` GET /items/{id}?q={term}&x=`<b>` ``"), "{doc}");
    }

    #[test]
    fn a_credential_written_in_a_resource_stays_out_of_the_docs() {
        let yaml = "api_integrations:\n  - name: shop\n    environments: { live: {} }\n    operations:\n      \
                    - { name: find, method: GET, resource: \"/search?Api_Key=abc123&q={q}&page=2\" }\n";
        let checked = conv_api_definitions::parse_str("apis.yaml", yaml).expect("a warning, not an error");
        let doc = operation_doc("shop", "shop", &checked.definitions.apis[0].operations[0], "");
        assert!(doc.contains("`GET /search?Api_Key=***&q={q}&page=2`") && !doc.contains("abc123"), "{doc}");
    }
}
