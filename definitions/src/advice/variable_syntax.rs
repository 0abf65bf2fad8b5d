//! Variables written in another tool's syntax, found so that a message can say how
//! this format writes them: in a resource (`{id}`), `<id>` (Flask) in a path and
//! `{{id}}` (Postman), which a resource cannot hold, and `:id` (Express), `${id}`
//! (JavaScript), `$ID` (shells) and `<id>` in a query, which it can, but sends as
//! written; in a setting, the placeholders other tools fill in ([`placeholder_in`]).

use crate::names::{is_identifier, is_secret_name};
use crate::urls::starts_percent_escape;

/// A variable written in another syntax, at the start of a text.
#[derive(Debug, PartialEq)]
pub(crate) struct Foreign<'a> {
    /// The variable as written (`<int:id>`).
    pub(crate) written: &'a str,
    /// Its name (`id`).
    pub(crate) name: &'a str,
    /// Whose syntax it is.
    pub(crate) tool: &'static str,
}

impl Foreign<'_> {
    /// The variable as this format writes it: a shell's `$ACCOUNT_ID` in snake_case,
    /// as an argument is named.
    pub(crate) fn fixed(&self) -> String {
        match self.tool == SHELL {
            true => format!("{{{}}}", self.name.to_ascii_lowercase()),
            false => format!("{{{}}}", self.name),
        }
    }

    /// What a call sends for it, where a resource can hold it.
    pub(crate) fn sent(&self) -> &'static str {
        match self.written.starts_with("${") {
            true => "sends a `$` before the value",
            false => "is sent as written, not filled in",
        }
    }
}

/// How many characters of a text a variable in another syntax is looked for in:
/// names are short, and a bounded look keeps reading a long resource linear.
const LOOKED_AT: usize = 128;

/// The start of `text` a variable in another syntax is looked for in.
fn start_of(text: &str) -> &str {
    let end = text.char_indices().nth(LOOKED_AT).map_or(text.len(), |(at, _)| at);
    &text[..end]
}

/// `<name>` or `<converter:name>` at the start of `text`.
pub(crate) fn angle_brackets(text: &str) -> Option<Foreign<'_>> {
    let start = start_of(text);
    let inside = start.strip_prefix('<')?;
    let inside = &inside[..inside.find('>')?];
    let inner = &start[..inside.len() + 2];
    let name = match inside.split_once(':') {
        Some((converter, name)) if is_identifier(converter) => name,
        Some(_) => return None,
        None => inside,
    };
    is_identifier(name).then_some(Foreign { written: inner, name, tool: "Flask's" })
}

/// `{{name}}` at the start of `text`.
pub(crate) fn doubled_braces(text: &str) -> Option<Foreign<'_>> {
    let rest = start_of(text).strip_prefix("{{")?;
    let name = &rest[..rest.find("}}")?];
    let written = &text[..name.len() + 4];
    is_identifier(name.trim()).then_some(Foreign { written, name: name.trim(), tool: "Postman's" })
}

/// Another tool's template expression in doubled braces at the start of `text`, which
/// [`doubled_braces`] does not read as one name (`{{ _.order_id }}` of Insomnia,
/// `{{bundle.inputData.id}}` of Zapier): as written, and the variable its last name
/// makes in snake_case (`order_id`, `id`).
pub(crate) fn template_expression(text: &str) -> Option<(&str, String)> {
    let start = start_of(text);
    let inside = start.strip_prefix("{{")?;
    let written = &start[..inside.find("}}")? + 4];
    let inner = &written[2..written.len() - 2];
    let last = inner.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).find(|word| !word.is_empty())?;
    let name = crate::names::to_snake_case(last);
    is_identifier(&name).then_some((written, name))
}

/// The variables of `resource`, a valid one, written so that they are sent as written:
/// a path segment `:name`, `${name}` (whose `{name}` is a variable, after a `$`),
/// `$NAME` as a shell writes one, and `<name>` in the query (which is percent-encoded
/// there, as `requests` does).
pub(crate) fn sent_as_written(resource: &str) -> Vec<Foreign<'_>> {
    let (path, query) = resource.split_once('?').unwrap_or((resource, ""));
    let colons = path.split('/').filter_map(|segment| {
        let name = segment.strip_prefix(':')?;
        is_identifier(name).then_some(Foreign { written: segment, name, tool: "Express's" })
    });
    let dollars = resource.match_indices("${").filter_map(|(at, _)| {
        let written = &resource[at..at + resource[at..].find('}')? + 1];
        let name = &written[2..written.len() - 1];
        is_identifier(name).then_some(Foreign { written, name, tool: "JavaScript's" })
    });
    let shell = resource.match_indices('$').filter_map(|(at, _)| {
        let written = shell_variable(resource, at)?;
        Some(Foreign { written, name: &written[1..], tool: SHELL })
    });
    let angles = query.match_indices('<').filter_map(|(at, _)| angle_brackets(&query[at..]));
    colons.chain(dollars).chain(shell).chain(angles).collect()
}

/// Whose syntax `$NAME` is, as [`Foreign::tool`] says.
pub(crate) const SHELL: &str = "a shell's";

/// `$NAME` at byte `at` of `text`, as a shell writes a variable: `NAME` a secret's
/// kind of name (`$ACCOUNT_ID`, `$TOKEN`) of two characters or more, not inside a
/// word. Names in small letters are left alone: OData's `$filter` and `$metadata`
/// are an API's own words.
fn shell_variable(text: &str, at: usize) -> Option<&str> {
    let after_word = text[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let rest = text.get(at + 1..)?;
    let end = rest.find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')).unwrap_or(rest.len());
    let name = &rest[..end];
    // `$AB` followed by a small letter is part of a word (`$ABc`), not a name
    let word_goes_on = rest[end..].starts_with(|c: char| c.is_ascii_lowercase());
    let named = name.len() >= 2 && is_secret_name(name) && !after_word && !word_goes_on;
    named.then(|| &text[at..at + 1 + end])
}

/// The first placeholder another tool fills in that `text` holds, as written, which
/// this format sends as it is: `{{name}}` (Postman, Insomnia, Jinja, Helm's `{{
/// .Values.x }}`), `${{ name }}` (GitHub Actions), `${NAME}` and `${NAME:-default}`
/// (shells, Compose), `$NAME` (shells) and `%NAME%` (Windows). Looked for in the
/// first [`LOOKED_AT`] characters of each.
pub(crate) fn placeholder_in(text: &str) -> Option<&str> {
    text.char_indices().find_map(|(at, c)| {
        let rest = start_of(&text[at..]);
        match c {
            '{' if rest.starts_with("{{") => rest.find("}}").filter(|&end| end > 2).map(|end| &rest[..end + 2]),
            '$' if rest.starts_with("${{") => rest.find("}}").map(|end| &rest[..end + 2]),
            '$' if rest.starts_with("${") => rest.find('}').filter(|&end| end > 2).map(|end| &rest[..=end]),
            '$' => shell_variable(text, at),
            // `%E5%B9%B4` is percent-encoded text: a `%` that starts an escape opens no name
            '%' if !starts_percent_escape(rest, 0) => {
                let end = rest[1..].find('%')? + 1;
                let name = &rest[1..end];
                (name.len() >= 2 && is_secret_name(name)).then(|| &rest[..=end])
            }
            _ => None,
        }
    })
}

/// For a shell's `$NAME` among what is told a variable, how to write it where it is
/// the API's own word (AWS Lambda's `$LATEST`): its `$` as `%24`, which sends the
/// same; else nothing.
pub(crate) fn own_word_hint(written: &str) -> String {
    match written.starts_with('$') && !written.starts_with("${") {
        true => format!(
            "; where `{written}` is the API's own word, write its `$` as `%24` (`%24{}`), which sends the same",
            &written[1..]
        ),
        false => String::new(),
    }
}

/// The secret's name of `text` when it is a secret reference written in quotes, as
/// text (`"{ secret: CRM_CLIENT_ID }"`): sent as written, not read from the store.
pub(crate) fn quoted_secret_reference(text: &str) -> Option<&str> {
    let inside = text.trim().strip_prefix('{')?.strip_suffix('}')?;
    let (key, name) = inside.split_once(':')?;
    let name = name.trim().trim_matches(|c| c == '"' || c == '\'');
    (key.trim().trim_matches(|c| c == '"' || c == '\'') == "secret" && is_secret_name(name)).then_some(name)
}

/// `resource`, a valid one, with each variable [`sent_as_written`] finds written as
/// this format writes it; in one pass, as a resource may hold many.
pub(crate) fn rewritten(resource: &str) -> String {
    let (path, query) = resource.split_once('?').map_or((resource, None), |(path, query)| (path, Some(query)));
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':').filter(|name| is_identifier(name)) {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_string(),
        })
        .collect();
    let mut fixed = segments.join("/");
    if let Some(query) = query {
        fixed.push('?');
        let mut rest = query;
        while let Some(at) = rest.find('<') {
            fixed.push_str(&rest[..at]);
            match angle_brackets(&rest[at..]) {
                Some(foreign) => {
                    fixed.push_str(&foreign.fixed());
                    rest = &rest[at + foreign.written.len()..];
                }
                None => {
                    fixed.push('<');
                    rest = &rest[at + 1..];
                }
            }
        }
        fixed.push_str(rest);
    }
    // every `{` of a valid resource opens a variable: a `$` before one goes
    let fixed = fixed.replace("${", "{");
    let mut shell_written = String::with_capacity(fixed.len());
    let mut copied = 0;
    for (at, _) in fixed.match_indices('$') {
        if let Some(written) = shell_variable(&fixed, at) {
            shell_written.push_str(&fixed[copied..at]);
            shell_written.push_str(&format!("{{{}}}", written[1..].to_ascii_lowercase()));
            copied = at + written.len();
        }
    }
    shell_written.push_str(&fixed[copied..]);
    shell_written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angle_brackets_and_doubled_braces_are_read_with_their_name() {
        assert_eq!(angle_brackets("<id>/x").map(|f| (f.written, f.name)), Some(("<id>", "id")));
        assert_eq!(angle_brackets("<int:id>").map(|f| (f.written, f.name)), Some(("<int:id>", "id")));
        assert_eq!(angle_brackets("<a b>"), None);
        assert_eq!(angle_brackets("<id"), None);
        assert_eq!(doubled_braces("{{id}}/x").map(|f| (f.written, f.name)), Some(("{{id}}", "id")));
        assert_eq!(doubled_braces("{{ id }}").map(|f| f.name), Some("id"));
        assert_eq!(doubled_braces("{{a}b}}"), None);
        // looked for near the start only
        let far = format!("<{}>", "a".repeat(LOOKED_AT));
        assert_eq!(angle_brackets(&far), None);
    }

    #[test]
    fn colon_segments_and_dollar_braces_are_found_and_rewritten() {
        let resource = "/users/:user_id/orders/${order}?q={term}&since=<int:day>";
        let found = sent_as_written(resource);
        let names: Vec<&str> = found.iter().map(|f| f.name).collect();
        assert_eq!(names, ["user_id", "order", "day"]);
        assert_eq!(rewritten(resource), "/users/{user_id}/orders/{order}?q={term}&since={day}");
        // a colon inside a segment (Google's custom methods) and in the query are text
        assert!(sent_as_written("/v1/{name}:publish?at=:now&t=10:30").is_empty());
        assert!(sent_as_written("/a/:/b/$x/${}").is_empty());
    }

    #[test]
    fn template_expressions_of_other_tools_give_their_last_name() {
        assert_eq!(template_expression("{{ _.order_id }}/x"), Some(("{{ _.order_id }}", "order_id".to_string())));
        assert_eq!(template_expression("{{bundle.inputData.id}}"), Some(("{{bundle.inputData.id}}", "id".to_string())));
        assert_eq!(template_expression("{{ vars.ACCOUNT }}"), Some(("{{ vars.ACCOUNT }}", "account".to_string())));
        assert_eq!(template_expression("{{ . }}"), None);
        assert_eq!(template_expression("{{ open"), None);
    }

    #[test]
    fn shell_variables_are_found_and_rewritten_and_odata_words_are_not() {
        let resource = "/accounts/$ACCOUNT_ID/invoices?status=$STATUS";
        let names: Vec<&str> = sent_as_written(resource).iter().map(|f| f.name).collect();
        assert_eq!(names, ["ACCOUNT_ID", "STATUS"]);
        assert_eq!(rewritten(resource), "/accounts/{account_id}/invoices?status={status}");
        for text in ["/odata/$metadata", "/People?$filter=x&$top=2", "/a$BC", "/$A", "/$ABc"] {
            assert!(sent_as_written(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn placeholders_of_other_tools_are_found_anywhere_in_a_setting() {
        let cases = [
            ("{{username}}", "{{username}}"),
            ("Bearer {{ token }}", "{{ token }}"),
            ("${{ secrets.CRM_USER }}", "${{ secrets.CRM_USER }}"),
            ("https://${{ env.HOST }}/v1", "${{ env.HOST }}"),
            ("${CLIENT_ID:-voice-agent}", "${CLIENT_ID:-voice-agent}"),
            ("Bearer $TOKEN", "$TOKEN"),
            ("%CRM_USER%", "%CRM_USER%"),
            ("{{ .Values.clientId }}", "{{ .Values.clientId }}"),
        ];
        for (text, found) in cases {
            assert_eq!(placeholder_in(text), Some(found), "{text}");
        }
        for text in [
            "agent-7",
            "read write",
            "price$",
            "a$b",
            "{}",
            "{{}}",
            "100%",
            "%2F%3A",
            "$ab",
            "{ secret: X }",
            "%E5%B9%B42024%E5%B9%B4",
        ] {
            assert_eq!(placeholder_in(text), None, "{text}");
        }
    }

    #[test]
    fn a_secret_reference_in_quotes_is_known_by_its_name() {
        assert_eq!(quoted_secret_reference("{ secret: CRM_CLIENT_ID }"), Some("CRM_CLIENT_ID"));
        assert_eq!(quoted_secret_reference("{\"secret\": \"CRM_SCOPE\"}"), Some("CRM_SCOPE"));
        assert_eq!(quoted_secret_reference("{ name: X }"), None);
        assert_eq!(quoted_secret_reference("{ secret: lower }"), None);
    }
}
