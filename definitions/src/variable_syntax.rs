//! Path variables written in another tool's syntax, found so that a message can say
//! how this format writes them (`{id}`): `<id>` (Flask) in a path and `{{id}}`
//! (Postman), which a resource cannot hold, and `:id` (Express), `${id}` (JavaScript)
//! and `<id>` in a query, which it can, but sends as written.

use crate::names::is_identifier;

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
    /// The variable as this format writes it.
    pub(crate) fn fixed(&self) -> String {
        format!("{{{}}}", self.name)
    }

    /// What a call sends for it, where a resource can hold it.
    pub(crate) fn sent(&self) -> &'static str {
        match self.written.starts_with('$') {
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

/// The variables of `resource`, a valid one, written so that they are sent as written:
/// a path segment `:name`, `${name}` (whose `{name}` is a variable, after a `$`), and
/// `<name>` in the query (which is percent-encoded there, as `requests` does).
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
    let angles = query.match_indices('<').filter_map(|(at, _)| angle_brackets(&query[at..]));
    colons.chain(dollars).chain(angles).collect()
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
    fixed.replace("${", "{")
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
}
