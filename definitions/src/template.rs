//! Resource templates: `/tickets/{ticket_id}?include={what}&limit=10`.
//!
//! Parsing checks a template once; rendering percent-encodes argument values into
//! the path and the query, so no value can change the shape of the URL. The
//! template's own text is sent as written (only characters a URL cannot hold are
//! percent-encoded), so a signed or pre-encoded query string reaches the server intact.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::advice::variable_syntax::{angle_brackets, doubled_braces, template_expression};
use crate::diagnostics::{invisible_character, is_layout_or_invisible, shows_alone, unlisted, LISTED_PER_VALUE};
use crate::model::{List, Span, Spanned, Text};
use crate::names::{
    identifier_like, instead_of_reserved, is_identifier, is_reserved_identifier, list_choices,
    reserved_identifier_problem, NameSuggestions, IDENTIFIER_CHARACTERS,
};
use crate::urls::{
    is_credential_query_param, is_dot_segment, masked_query, masked_query_values, starts_percent_escape,
};

/// An RFC 6570 form-style query expansion in `source` (`{?q,limit}`, `{&page}`, as
/// OpenAPI tools and GitHub's API write a URL template): its byte offset, as written,
/// and the query this format writes for it (`?q={q}&limit={limit}`).
fn form_expansion(source: &str) -> Option<(usize, &str, String)> {
    let at = source.find("{?").or_else(|| source.find("{&"))?;
    let written = &source[at..at + source[at..].find('}')? + 1];
    let names: Vec<&str> = written[2..written.len() - 1].split(',').map(str::trim).collect();
    if !names.iter().all(|name| is_identifier(name)) {
        return None;
    }
    let pairs: Vec<String> = names.iter().map(|name| format!("{name}={{{name}}}")).collect();
    // the first parameter opens the query, whichever the operator
    let lead = if source[..at].contains('?') { '&' } else { '?' };
    Some((at, written, format!("{lead}{}", pairs.join("&"))))
}

/// `path` (a resource's path part, from its leading `/`) with its dot segments
/// resolved as URL resolution resolves them (`.` and `..`, also written `%2e`;
/// RFC 3986 5.2.4), when it has any: calls go to that path. `Err` holds the byte
/// offset of a `..` that would climb above the path's start: `/v1/../v2/{id}` goes
/// to `/v2/{id}`, `/a/./b/%2E%2e` to `/a/`, and `/a/../../x` climbs at byte 6.
pub(crate) fn resolve_dot_segments(path: &str) -> Result<Option<String>, usize> {
    let Some(rest) = path.strip_prefix('/') else { return Ok(None) };
    if !rest.split('/').any(is_dot_segment) {
        return Ok(None);
    }
    let mut kept: Vec<&str> = Vec::new();
    let (mut at, count) = (1, rest.split('/').count());
    for (index, segment) in rest.split('/').enumerate() {
        let last = index + 1 == count;
        if is_dot_segment(segment) {
            let parent = segment != "." && !segment.eq_ignore_ascii_case("%2e");
            if parent && kept.pop().is_none() {
                return Err(at);
            }
            // a dot segment at the end leaves the path ending with `/`
            if last {
                kept.push("");
            }
        } else {
            kept.push(segment);
        }
        at += segment.len() + 1;
    }
    Ok(Some(format!("/{}", kept.join("/"))))
}

/// Everything but RFC 3986 unreserved characters is encoded in path values.
const PATH_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// How many bytes `value` takes in a URL's path, encoded as a path variable's value is.
///
/// ```
/// assert_eq!(conv_api_definitions::path_value_length("a/b"), 5); // `a%2Fb`
/// ```
pub fn path_value_length(value: &str) -> usize {
    utf8_percent_encode(value, PATH_VALUE).map(str::len).sum()
}

/// The end of a resource's error about a space.
pub(crate) const SPACE_PROBLEM: &str = "spaces are not allowed in a resource; write `%20`";

/// A parsed resource template.
///
/// `Debug` masks the values written for credential query parameters
/// (`?api_key=***`), as `conv-api show` does.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    /// The template as written.
    pub source: Spanned<Text>,
    /// The path, as literal text (valid path characters) and variables.
    pub path: List<Piece>,
    /// The query part after `?`: its text as sent (`&`, `=` and `%XX` escapes kept)
    /// and variables; empty without a query.
    pub query: List<Piece>,
    /// The variables, in order of first appearance: the operation's arguments.
    pub variables: List<Text>,
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // destructured, so that a field added later must be shown here too
        let Template { source, path, query, variables } = self;
        let mut written_query = String::new();
        for piece in query.iter() {
            match piece {
                Piece::Literal(text) => written_query.push_str(text),
                Piece::Variable(index) => {
                    written_query.extend(["{", variables.get(*index).map_or("", |name| name.as_ref()), "}"])
                }
            }
        }
        f.debug_struct("Template")
            .field(
                "source",
                &Spanned { value: masked_query_values(&source.value, is_credential_query_param), span: source.span },
            )
            .field("path", path)
            .field("query", &masked_query(&written_query, is_credential_query_param))
            .field("variables", variables)
            .finish()
    }
}

/// A piece of a template: literal text or an argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text written in the template, valid in a URL as it is (`%XX` kept).
    Literal(Text),
    /// The argument at this index of [`Template::variables`].
    Variable(usize),
}

/// Why argument values cannot fill a template.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Not one value per variable.
    #[error("expected {expected} path variable value(s), got {got}")]
    ArgumentCount {
        /// How many variables the template has.
        expected: usize,
        /// How many values were given.
        got: usize,
    },
    /// An empty value for a path variable.
    #[error("path variable `{variable}` is empty; give it a value")]
    Empty {
        /// The variable's name.
        variable: String,
    },
    /// `.` or `..` (also percent-encoded), which as a segment would move to another
    /// path: refused wherever the variable stands in the path.
    #[error("path variable `{variable}` is `{value}`: `.` and `..` (also percent-encoded) are refused as path values wherever they stand: alone in a segment, or beside another `.`, they make a dot segment, which URL resolution reads as a change of the path; give another value")]
    DotSegment {
        /// The variable's name.
        variable: String,
        /// The offending value.
        value: String,
    },
}

/// The value of variable `index` among `values`; too few values for a piece past the
/// variables (the model's fields edited in code).
fn value_at<'v>(values: &[&'v str], index: usize) -> Result<&'v str, TemplateError> {
    values.get(index).copied().ok_or(TemplateError::ArgumentCount { expected: index + 1, got: values.len() })
}

impl Template {
    /// Parses `source`, the value written at `start`.
    ///
    /// # Errors
    ///
    /// Every problem of `source` as a resource, each at `start`, the value's own
    /// position; its message names the character of the resource it is about (`at
    /// character 7 of the resource, ...`). Past ten, one more error counts the rest: a
    /// resource of thousands of bad characters is not thousands of lines.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// let template = Template::parse("/tickets/{id}?full=1", Span::new(1, 1)).unwrap();
    /// assert_eq!(template.variables.as_ref(), ["id"]);
    /// assert_eq!(template.render_path(&["a b"]).unwrap(), "/tickets/a%20b");
    /// ```
    pub fn parse(source: &str, start: Span) -> Result<Template, Vec<(Span, String)>> {
        Parser::new(source, start, None).parse()
    }

    /// [`parse`](Template::parse) for a value whose text is written as is on one line
    /// from `text_at` (such as `start` itself for an unquoted YAML value, or the
    /// column after a quote): an error about a character is at it.
    ///
    /// # Errors
    ///
    /// Those of [`parse`](Template::parse), each at the character it names.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// // resource: "/a b"
    /// let errors = Template::parse_written_at("/a b", Span::new(3, 11), Span::new(3, 12)).unwrap_err();
    /// assert_eq!(errors[0].0, Span::new(3, 14));
    /// ```
    pub fn parse_written_at(source: &str, start: Span, text_at: Span) -> Result<Template, Vec<(Span, String)>> {
        Parser::new(source, start, Some(text_at)).parse()
    }

    /// The path with every variable percent-encoded (all but unreserved characters).
    ///
    /// # Errors
    ///
    /// [`TemplateError::ArgumentCount`] unless `values` has one value per variable,
    /// those of the query too; [`TemplateError::Empty`] or
    /// [`TemplateError::DotSegment`] for a path variable's value that is empty, or `.`
    /// or `..` (also percent-encoded).
    pub fn render_path(&self, values: &[&str]) -> Result<String, TemplateError> {
        let mut path = String::with_capacity(self.source.value.len() + 16);
        self.render_path_into(&mut path, values)?;
        Ok(path)
    }

    /// [`render_path`](Template::render_path), appended to `out` (such as a base URL).
    ///
    /// # Errors
    ///
    /// Those of [`render_path`](Template::render_path); after an empty or dot-segment
    /// value, `out` keeps the path written before it.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// let template = Template::parse("/tickets/{id}", Span::new(1, 1)).unwrap();
    /// let mut url = String::from("https://api.example/v2");
    /// template.render_path_into(&mut url, &["7"]).unwrap();
    /// assert_eq!(url, "https://api.example/v2/tickets/7");
    /// ```
    pub fn render_path_into(&self, out: &mut String, values: &[&str]) -> Result<(), TemplateError> {
        self.check_count(values)?;
        for piece in self.path.iter() {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Variable(index) => {
                    let value = value_at(values, *index)?;
                    self.check_path_value(*index, value)?;
                    out.extend(utf8_percent_encode(value, PATH_VALUE));
                }
            }
        }
        Ok(())
    }

    /// The query (without `?`), with every variable form-encoded as a query value
    /// (space as `+`): empty when the template has none.
    ///
    /// # Errors
    ///
    /// [`TemplateError::ArgumentCount`] unless `values` has one value per variable,
    /// those of the path too; any value is taken, empty or not.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// let template = Template::parse("/search?q={term}&fields=id,name&sig=a%2Fb", Span::new(1, 1)).unwrap();
    /// assert_eq!(template.render_query(&["a&b c"]).unwrap(), "q=a%26b+c&fields=id,name&sig=a%2Fb");
    /// ```
    pub fn render_query(&self, values: &[&str]) -> Result<String, TemplateError> {
        self.check_count(values)?;
        let mut query = String::new();
        for piece in self.query.iter() {
            match piece {
                Piece::Literal(text) => query.push_str(text),
                Piece::Variable(index) => {
                    query.extend(form_urlencoded::byte_serialize(value_at(values, *index)?.as_bytes()))
                }
            }
        }
        Ok(query)
    }

    /// The problem of `value` as the value of variable `index` where it stands in the
    /// path: empty, or `.` or `..`; none for a variable only in the query, which takes
    /// any value, or an index past the variables. [`render_path`](Template::render_path)
    /// stops at the first; a caller telling all of a call's problems at once asks here.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// let template = Template::parse("/a/{x}?q={z}", Span::new(1, 1)).unwrap();
    /// assert!(template.path_value_problem(0, "..").unwrap().to_string().starts_with("path variable `x` is `..`"));
    /// assert!(template.path_value_problem(1, "").is_none());
    /// ```
    pub fn path_value_problem(&self, index: usize, value: &str) -> Option<TemplateError> {
        self.check_path_value(index, value).err().filter(|_| self.in_path(index))
    }

    /// Whether variable `index` appears in the path (not only the query).
    pub fn in_path(&self, index: usize) -> bool {
        self.path.contains(&Piece::Variable(index))
    }

    /// Its variables for a message about one it lacks: `` the path variables are
    /// `a` and `b` ``, or `the operation has no path variables`.
    ///
    /// ```
    /// use conv_api_definitions::{Span, Template};
    /// let template = Template::parse("/a/{x}?q={z}", Span::new(1, 1)).unwrap();
    /// assert_eq!(template.variables_listed(), "the path variables are `x` and `z`");
    /// let template = Template::parse("/a", Span::new(1, 1)).unwrap();
    /// assert_eq!(template.variables_listed(), "the operation has no path variables");
    /// ```
    pub fn variables_listed(&self) -> String {
        if self.variables.is_empty() {
            return "the operation has no path variables".to_string();
        }
        format!("the path variables are {}", list_choices(self.variables.iter().map(|name| name.as_ref())))
    }

    fn check_count(&self, values: &[&str]) -> Result<(), TemplateError> {
        if values.len() == self.variables.len() {
            return Ok(());
        }
        Err(TemplateError::ArgumentCount { expected: self.variables.len(), got: values.len() })
    }

    fn check_path_value(&self, index: usize, value: &str) -> Result<(), TemplateError> {
        // most values are neither empty nor a dot segment, which starts with `.` or `%`
        if !value.is_empty() && !value.starts_with(['.', '%']) {
            return Ok(());
        }
        let variable = || self.variables.get(index).map_or_else(String::new, ToString::to_string);
        if value.is_empty() {
            return Err(TemplateError::Empty { variable: variable() });
        }
        if is_dot_segment(value) {
            return Err(TemplateError::DotSegment { variable: variable(), value: value.to_string() });
        }
        Ok(())
    }
}

struct Parser<'a> {
    source: &'a str,
    start: Span,
    errors: Vec<(Span, String)>,
    /// Errors past [`LISTED_PER_VALUE`].
    not_listed: usize,
    /// Where the first of them is.
    first_unlisted: Option<Span>,
    variables: Vec<String>,
    /// Each variable's index in `variables`.
    indices: HashMap<&'a str, usize>,
    /// The names suggested for reserved ones, none a `{name}` written; set up once,
    /// when a suggestion first needs it.
    suggestions: Option<NameSuggestions<'a>>,
    /// The name suggested for each reserved name, the same each time it is written.
    suggested_for_reserved: HashMap<&'a str, String>,
    /// Where `source` is written as is, so that an error can be at its character.
    text_at: Option<Span>,
}

/// `source`, a resource without its leading `/`, written with one (and without the
/// blanks around it), when that is a valid resource.
fn with_slash(source: &str) -> Option<String> {
    let fixed = format!("/{}", source.trim().trim_start_matches('/'));
    Template::parse(&fixed, Span::new(1, 1)).is_ok().then_some(fixed)
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, start: Span, text_at: Option<Span>) -> Self {
        Parser {
            source,
            start,
            errors: Vec::new(),
            not_listed: 0,
            first_unlisted: None,
            variables: Vec::new(),
            indices: HashMap::new(),
            suggestions: None,
            suggested_for_reserved: HashMap::new(),
            text_at,
        }
    }

    fn parse(mut self) -> Result<Template, Vec<(Span, String)>> {
        if !self.source.starts_with('/') {
            let message = match whole_url(self.source) {
                Some(WholeUrl::Parts { base, path, credentials: false }) => format!(
                    "is a whole URL, but a resource is the path after the base URL; put `{base}` in the environment's `base_url` and write `{path}`"
                ),
                Some(WholeUrl::Parts { base, path, credentials: true }) => format!(
                    "is a whole URL with credentials in it, but a resource is the path after the base URL; put `{base}` in the environment's `base_url`, the credentials in its `auth` (never in a URL), and write `{path}`"
                ),
                Some(WholeUrl::Unclear) => "is a whole URL with credentials in it, but a resource is the path after the base URL; put its scheme and host in the environment's `base_url`, the credentials in its `auth` (never in a URL), and write the path after the host".to_string(),
                Some(WholeUrl::NoHost) => "is a URL without a host, but a resource is the path after the base URL: write the path, starting with `/`".to_string(),
                // `/` would be the fix, but seldom what was meant
                None if self.source.trim().is_empty() => {
                    "is empty; write the path after the base URL, starting with `/` (like `/tickets/{ticket_id}`, or `/` for the base URL itself)".to_string()
                }
                None => match with_slash(self.source) {
                    Some(fixed) => format!("must start with `/`; write `{fixed}`"),
                    // the resource written again with its `/` would still be wrong: no whole fix to show
                    None => "must start with `/`; add one before it".to_string(),
                },
            };
            self.errors.push((self.start, message));
        }
        if let Some((at, written, fixed)) = form_expansion(self.source) {
            let message = format!("`{written}` is an RFC 6570 form-style query expansion, which this format does not read; write `{fixed}`");
            self.error(at, message);
            // the resource before it is checked as usual, so that its errors show too
            self.source = &self.source[..at];
        }
        let (path_text, query_text) = match self.source.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (self.source, None),
        };
        self.check_dot_segments(path_text);
        let path = self.pieces(path_text, 0, Part::Path);
        let query = query_text.map(|q| self.query(q, path_text.len() + 1)).unwrap_or_default();
        if let Some(more) = unlisted(self.errors.len() + self.not_listed, "problem", "problems") {
            let message = format!("and {more} in the resource, not listed; fix the ones above, then check again");
            // checks run in their own order, not the characters': the line goes at the
            // last place of those it counts or follows, where sorting by place leaves it
            let last = self.errors.iter().map(|(at, _)| *at).chain(self.first_unlisted).max();
            self.errors.push((last.unwrap_or(self.start), message));
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        Ok(Template {
            source: Spanned::new(Cow::Owned(self.source.to_string()), self.start),
            path: Cow::Owned(path),
            query: Cow::Owned(query),
            variables: self.variables.into_iter().map(Cow::Owned).collect(),
        })
    }

    /// A `..` segment that would climb out of the resource, into the base URL's path,
    /// which a call never leaves (dot segments within it are resolved, with a warning).
    fn check_dot_segments(&mut self, path: &str) {
        if let Err(at) = resolve_dot_segments(path) {
            let segment = path[at..].split('/').next().unwrap_or_default();
            self.error(
                at,
                format!("`{segment}` climbs above the resource's first segment, into the base URL's path, which a call never leaves; remove it, and change the path in `base_url` if that is what it meant"),
            );
        }
    }

    /// The query part, which starts at byte `offset` of the source.
    fn query(&mut self, query: &'a str, offset: usize) -> Vec<Piece> {
        let mut at = offset;
        for pair in query.split('&') {
            if pair.starts_with('=') {
                self.error(at, "a query parameter needs a name before `=`");
            }
            at += pair.len() + 1;
        }
        self.pieces(query, offset, Part::Query)
    }

    /// Splits `text` (at byte `offset` of the source) into literals and variables.
    fn pieces(&mut self, text: &'a str, offset: usize, part: Part) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        let balanced = balanced_braces(text);
        while let Some((i, c)) = chars.next() {
            match c {
                '{' => {
                    let rest = &text[i + 1..];
                    let Some(end) = rest.find(['}', '{']).filter(|&end| rest.as_bytes()[end] == b'}') else {
                        match balanced.get(&i).copied() {
                            Some(len) => {
                                let message = match doubled_braces(&text[i..]) {
                                    Some(foreign) => format!("`{}` has two pairs of braces ({} way); a variable is written with one: `{}`", foreign.written, foreign.tool, foreign.fixed()),
                                    None => match template_expression(&text[i..]) {
                                        Some((written, name)) => format!("`{written}` is another tool's template, which this format does not fill in; a variable is one name in one pair of braces: `{{{name}}}`"),
                                        None => "nested braces: a variable is one name in one pair of braces, like `{ticket_id}`".to_string(),
                                    },
                                };
                                self.error(offset + i, message);
                                while chars.next_if(|&(at, _)| at < i + len).is_some() {}
                            }
                            None => self.error(offset + i, "unbalanced `{`: close the variable with `}` (variables do not nest)"),
                        }
                        continue;
                    };
                    let name = &rest[..end];
                    self.flush(&mut literal, &mut pieces);
                    if let Some(index) = self.variable(name, offset + i) {
                        pieces.push(Piece::Variable(index));
                    }
                    for _ in 0..name.chars().count() + 1 {
                        chars.next();
                    }
                }
                '}' => self.error(offset + i, "unbalanced `}`: a variable is written `{name}`"),
                '%' => {
                    if !starts_percent_escape(text, i) {
                        self.error(
                            offset + i,
                            "`%` must start a `%XX` escape with two hex digits; write `%25` for a literal `%`",
                        );
                    }
                    literal.push(c);
                }
                '#' => self.error(offset + i, "`#` is not allowed in a resource (fragments are never sent to a server); remove it and what follows, or write it `%23` if the API wants the character itself"),
                ' ' => self.error(offset + i, SPACE_PROBLEM),
                '\n' | '\r' => self.error(
                    offset + i,
                    "a resource is one line; remove the line break (a `|` or `>` block adds one at its end: write the resource on the key's line)",
                ),
                c if c.is_control() || c.is_whitespace() => self.error(
                    offset + i,
                    format!("`{}` is not allowed in a resource; remove it, or write it percent-encoded ({})", c.escape_default(), percent_encoded(c)),
                ),
                c if is_layout_or_invisible(c) => {
                    self.error(offset + i, format!("there is {}", invisible_character(c)));
                }
                c if part.allows(c) => literal.push(c),
                // what a browser or Python `requests` would send for it
                c if matches!(part, Part::Query) => literal.push_str(&percent_encoded(c)),
                c => match angle_brackets(&text[i..]) {
                    Some(foreign) => {
                        let message = format!("`{}` is no variable here ({} way); a path variable is written `{}`", foreign.written, foreign.tool, foreign.fixed());
                        self.error(offset + i, message);
                        let end = i + foreign.written.len();
                        while chars.next_if(|&(at, _)| at < end).is_some() {}
                    }
                    None => self.error(
                        offset + i,
                        format!("{} is not allowed in a resource path; percent-encode it as `{}`", quoted(c), percent_encoded(c)),
                    ),
                },
            }
        }
        self.flush(&mut literal, &mut pieces);
        pieces
    }

    fn flush(&mut self, literal: &mut String, pieces: &mut Vec<Piece>) {
        if !literal.is_empty() {
            pieces.push(Piece::Literal(Cow::Owned(std::mem::take(literal))));
        }
    }

    fn variable(&mut self, name: &'a str, offset: usize) -> Option<usize> {
        if name.is_empty() {
            self.error(offset, "empty variable `{}`: name it, like `{ticket_id}`");
            return None;
        }
        if is_reserved_identifier(name) {
            // another variable's name is no way out: `{value}` may be written too
            let source = self.source;
            let suggestions = self.suggestions.get_or_insert_with(|| NameSuggestions::new(written_variables(source)));
            let instead = self
                .suggested_for_reserved
                .entry(name)
                .or_insert_with(|| instead_of_reserved(name, "value", suggestions));
            let problem = reserved_identifier_problem(name, instead);
            self.error(offset, format!("variable {problem}"));
            return None;
        }
        if !is_identifier(name) {
            // `{ticket-id}`, `{ id }`: the identifier meant; not `_0` for Python's `{0}`
            let meant = identifier_like(name)
                .filter(|like| !is_reserved_identifier(like) && !name.trim().chars().all(|c| c.is_ascii_digit()));
            let like = meant.map_or_else(|| " (like `ticket_id`)".to_string(), |like| format!(": write `{{{like}}}`"));
            self.error(
                offset,
                format!("variable `{name}` is not a valid identifier; use {IDENTIFIER_CHARACTERS}{like}"),
            );
            return None;
        }
        if let Some(&index) = self.indices.get(name) {
            return Some(index);
        }
        self.indices.insert(name, self.variables.len());
        self.variables.push(name.to_string());
        Some(self.variables.len() - 1)
    }

    /// An error about the character at byte `offset`, naming the character: at it
    /// where the value is written as is, else at the value. Past the errors listed,
    /// the first one's place is kept for the line that counts them.
    fn error(&mut self, offset: usize, message: impl AsRef<str>) {
        if self.errors.len() >= LISTED_PER_VALUE {
            if self.not_listed == 0 {
                self.first_unlisted = Some(self.position(offset).1);
            }
            self.not_listed += 1;
            return;
        }
        let (character, at) = self.position(offset);
        self.errors.push((at, format!("at character {character} of the resource, {}", message.as_ref())));
    }

    /// The character at byte `offset`, counted from 1, and where it is written.
    fn position(&self, offset: usize) -> (usize, Span) {
        let character = self.source[..offset.min(self.source.len())].chars().count() + 1;
        let at = match self.text_at {
            Some(text_at) => Span::new(text_at.line as usize, text_at.column as usize + character - 1),
            None => self.start,
        };
        (character, at)
    }
}

#[derive(Clone, Copy)]
enum Part {
    Path,
    Query,
}

impl Part {
    /// What stays as written: RFC 3986 `pchar` and `/`; in the query also `?`, and
    /// `[` and `]` as in `filter[status]=open`, which servers read either way
    /// (`%` and braces are handled apart).
    fn allows(self, c: char) -> bool {
        let pchar = c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c);
        match self {
            Part::Path => pchar,
            Part::Query => pchar || matches!(c, '?' | '[' | ']'),
        }
    }
}

/// A resource written as a whole URL (`https://host/path`).
enum WholeUrl {
    /// The base URL to write in `base_url` (`https://host`, without the user info a
    /// message must not show) and the resource (`/path`, its credential query values
    /// masked).
    Parts { base: String, path: String, credentials: bool },
    /// User info whose password holds a `/`: where the host starts cannot be told.
    Unclear,
    /// A scheme and no host (`https://`, `https:///path`).
    NoHost,
}

fn whole_url(source: &str) -> Option<WholeUrl> {
    use crate::urls::reads_as_user_info;
    let rest = source.strip_prefix("https://").or_else(|| source.strip_prefix("http://"))?;
    let scheme = &source[..source.len() - rest.len()];
    let slash = rest.find('/').unwrap_or(rest.len());
    // a `?` or `#` before the first `/` starts the query or fragment, unless an `@`
    // follows: then user info may hold it (`agent:p?ss@host`, `ops#desk@host`), and
    // the host is after the last `@`, whatever a query might hold
    let query = rest[..slash].find(['?', '#']).filter(|_| !rest[..slash].contains('@'));
    let authority = &rest[..query.unwrap_or(slash)];
    let user_info_end = authority.rfind('@').map_or(0, |at| at + 1);
    // and the host ends at one after the user info
    let host_end = authority[user_info_end..].find(['?', '#']).map_or(authority.len(), |at| user_info_end + at);
    let host = &authority[user_info_end..host_end];
    // a resource has no fragment: the suggested one is cut before it
    let after_host = &rest[host_end..];
    let after_host = after_host.split_once('#').map_or(after_host, |(before, _)| before);
    let path = match after_host {
        "" => "/".to_string(),
        path if path.starts_with('/') => path.to_string(),
        // `https://host?q=1`: the query follows the host
        query => format!("/{query}"),
    };
    // `user:pa/ss@host` (the first `/` is the password's), also with an e-mail address as the user
    if reads_as_user_info(host) && path.contains('@') {
        return Some(WholeUrl::Unclear);
    }
    if host.is_empty() {
        // credentials and no host: where they go is told still
        return Some(if user_info_end > 0 { WholeUrl::Unclear } else { WholeUrl::NoHost });
    }
    let path = crate::urls::masked_query_values(&path, crate::urls::is_credential_query_param).into_owned();
    Some(WholeUrl::Parts { base: format!("{scheme}{host}"), path, credentials: user_info_end > 0 })
}

/// The names written in braces in `source`, `{name}`, whatever they are.
fn written_variables(source: &str) -> HashSet<&str> {
    source.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name).collect()
}

/// For each `{` of `text` whose braces balance with others nested inside (`{{id}}`),
/// the length in bytes from it to where they do, by its byte offset: found in one
/// pass, so that a resource of many `{` that never close takes time in proportion to
/// its length, not to its square. A plain `{id}` is left out: only a `{` followed by
/// another before its `}` is looked up.
fn balanced_braces(text: &str) -> HashMap<usize, usize> {
    // each `{` still open, and whether another opened inside it
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut lengths = HashMap::new();
    for (at, c) in text.char_indices() {
        match c {
            '{' => {
                if let Some((_, nests)) = open.last_mut() {
                    *nests = true;
                }
                open.push((at, false));
            }
            '}' => {
                if let Some((start, true)) = open.pop() {
                    lengths.insert(start, at + 1 - start);
                }
            }
            _ => {}
        }
    }
    lengths
}

/// `c` in backticks for a message (escaped when it shows as nothing alone); a
/// backtick itself is named.
fn quoted(c: char) -> String {
    if c == '`' {
        "a backtick".to_string()
    } else if !shows_alone(c) {
        format!("`{}`", c.escape_default())
    } else {
        format!("`{c}`")
    }
}

/// `c` percent-encoded as UTF-8: `é` is `%C3%A9`.
fn percent_encoded(c: char) -> String {
    let mut buffer = [0; 4];
    c.encode_utf8(&mut buffer).bytes().map(|byte| format!("%{byte:02X}")).collect()
}

#[cfg(test)]
mod tests;
