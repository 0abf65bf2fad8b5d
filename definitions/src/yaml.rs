//! The one place that knows the YAML parser: text in, a tree of positioned nodes out.
//!
//! Everything else in the crate walks [`Node`]s, so the parser can be swapped here
//! alone. Aliases are expanded within a budget of nodes and of text, and nesting is
//! bounded, through aliases too, so hostile input (billion laughs, aliases of a
//! long scalar, deep nesting) gives an error instead of exhausting memory or the
//! stack.

use std::collections::HashSet;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as ParserSpan, Tag};

use crate::diagnostics::Diagnostic;
use crate::model::Span;

/// How deep mappings and sequences may nest.
pub const MAX_DEPTH: usize = 128;
/// How many nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 1_000_000;
/// How many bytes of scalar text a document may expand to, aliases included: an
/// alias of a long scalar is one node but a copy of all its text.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// A parsed text: its document's root, and what is wrong in it that left the tree whole.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The root node; `None` for a text with no document (empty, or only comments).
    pub root: Option<Node>,
    /// Errors to report with what the reader of the tree finds (a tag not read).
    pub problems: Vec<Diagnostic>,
}

/// A YAML value with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: NodeKind,
    /// Where it starts in the file.
    pub span: Span,
}

/// The shape of a YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar, kept as written with how it was quoted.
    Scalar(Scalar),
    /// A sequence of values.
    Sequence(Vec<Node>),
    /// A mapping, as ordered key and value pairs (duplicates kept for the reader to report).
    Mapping(Vec<(Node, Node)>),
}

/// A scalar as written in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The text, after YAML unescaping and folding.
    pub text: String,
    /// Whether it was written plain (unquoted); only plain scalars are typed.
    pub plain: bool,
    /// The `tag:yaml.org,2002:` type its tag names (`str` for `!!str`), if it has one.
    pub tag: Option<String>,
}

/// The type a scalar resolves to under the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarValue<'a> {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// Anything else.
    String(&'a str),
}

impl Scalar {
    /// The text, when the scalar is text whatever it reads like: quoted, or tagged
    /// `!!str`. Under every schema; only plain scalars are typed.
    pub(crate) fn written_as_text(&self) -> Option<&str> {
        let forced = match self.tag.as_deref() {
            Some(tag) => tag == "str",
            None => !self.plain,
        };
        forced.then_some(self.text.as_str())
    }

    /// Resolves the scalar's type like the YAML 1.2 core schema.
    pub fn value(&self) -> ScalarValue<'_> {
        if let Some(text) = self.written_as_text() {
            return ScalarValue::String(text);
        }
        let text = self.text.as_str();
        match text {
            "" | "~" | "null" | "Null" | "NULL" => ScalarValue::Null,
            "true" | "True" | "TRUE" => ScalarValue::Bool(true),
            "false" | "False" | "FALSE" => ScalarValue::Bool(false),
            _ => resolve_number(text).unwrap_or(ScalarValue::String(text)),
        }
    }

    /// Whether the scalar is a YAML 1.1 timestamp, which PyYAML (and so the ADK)
    /// turns into a date: `2024-01-31`, or `2024-1-31` with a time after it
    /// (`2024-01-31T09:30:00Z`, `2024-1-31 9:30:00.5 +01:00`).
    pub fn looks_like_date(&self) -> bool {
        self.plain && self.tag.is_none() && is_yaml11_timestamp(&self.text)
    }
}

/// PyYAML's timestamp pattern: `YYYY-MM-DD` alone, or `YYYY-M(M)-D(D)` then `T`, `t`
/// or blanks, `H(H):MM:SS`, an optional fraction, and an optional zone after optional
/// blanks: `Z`, or `+H(H)` / `-H(H)` with an optional `:MM`.
fn is_yaml11_timestamp(text: &str) -> bool {
    let mut rest = text.as_bytes();
    // each step consumes what it matched from `rest`
    let skip = |rest: &mut &[u8], max: usize, wanted: fn(&u8) -> bool| {
        let count = rest.iter().take(max).take_while(|b| wanted(b)).count();
        *rest = &rest[count..];
        count
    };
    let digits = |rest: &mut &[u8], min: usize, max: usize| skip(rest, max, u8::is_ascii_digit) >= min;
    let blanks = |rest: &mut &[u8]| skip(rest, usize::MAX, |b| matches!(b, b' ' | b'\t'));
    let eat = |rest: &mut &[u8], bytes: &[u8]| match rest.first() {
        Some(first) if bytes.contains(first) => {
            *rest = &rest[1..];
            true
        }
        _ => false,
    };
    let start = rest;
    let date = digits(&mut rest, 4, 4)
        && eat(&mut rest, b"-")
        && digits(&mut rest, 1, 2)
        && eat(&mut rest, b"-")
        && digits(&mut rest, 1, 2);
    if !date {
        return false;
    }
    if rest.is_empty() {
        return start.len() == "YYYY-MM-DD".len();
    }
    let separated = blanks(&mut rest) > 0 || eat(&mut rest, b"Tt");
    let time = separated
        && digits(&mut rest, 1, 2)
        && eat(&mut rest, b":")
        && digits(&mut rest, 2, 2)
        && eat(&mut rest, b":")
        && digits(&mut rest, 2, 2);
    if !time {
        return false;
    }
    if eat(&mut rest, b".") {
        digits(&mut rest, 0, usize::MAX);
    }
    blanks(&mut rest);
    if rest.is_empty() || (eat(&mut rest, b"Z") && rest.is_empty()) {
        return true;
    }
    let offset = eat(&mut rest, b"+-") && digits(&mut rest, 1, 2);
    offset && (rest.is_empty() || (eat(&mut rest, b":") && digits(&mut rest, 2, 2) && rest.is_empty()))
}

/// A number under the YAML 1.2 core schema; a whole number past `i64` is kept as
/// the nearest float, still a number.
fn resolve_number(text: &str) -> Option<ScalarValue<'_>> {
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        // unsigned, though `from_str_radix` takes a sign: `0x+3` is text
        if let Some(digits) = text.strip_prefix(prefix) {
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            return Some(i64::from_str_radix(digits, radix).map_or_else(|_| wide(digits, radix), ScalarValue::Integer));
        }
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            text.parse().map_or_else(|_| ScalarValue::Float(text.parse().unwrap_or(f64::NAN)), ScalarValue::Integer),
        );
    }
    match digits {
        ".inf" | ".Inf" | ".INF" => {
            let sign = if text.starts_with('-') { -1.0 } else { 1.0 };
            return Some(ScalarValue::Float(sign * f64::INFINITY));
        }
        ".nan" | ".NaN" | ".NAN" => return Some(ScalarValue::Float(f64::NAN)),
        _ => {}
    }
    let is_float = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if is_float {
        return text.parse().ok().map(ScalarValue::Float);
    }
    None
}

/// `digits` in `radix`, too many for `i64`, as the nearest float.
fn wide(digits: &str, radix: u32) -> ScalarValue<'static> {
    let digit_values = digits.chars().filter_map(|c| c.to_digit(radix));
    ScalarValue::Float(digit_values.fold(0.0, |sum, digit| sum * f64::from(radix) + f64::from(digit)))
}

impl Node {
    /// The scalar, if this node is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// Whether the node is a null scalar (also an empty value).
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(|s| s.value() == ScalarValue::Null)
    }

    /// A word for the node's shape, for messages ("a list", "a mapping", "text").
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Sequence(_) => "a list",
            NodeKind::Mapping(_) => "a mapping",
            NodeKind::Scalar(scalar) => match scalar.value() {
                ScalarValue::Null => "nothing",
                ScalarValue::Bool(_) => "a boolean",
                ScalarValue::Integer(_) | ScalarValue::Float(_) => "a number",
                ScalarValue::String(_) => "text",
            },
        }
    }
}

/// Parses a YAML text holding at most one document.
///
/// An error that leaves no tree to read (invalid YAML, a budget exceeded) is the
/// `Err`; one that leaves the tree whole is among the [`Parsed::problems`].
pub fn parse(text: &str) -> Result<Parsed, Diagnostic> {
    if let Some(diagnostic) = non_printable(text) {
        return Err(diagnostic);
    }
    let mut builder = TreeBuilder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| scan_error(&error, text))?;
        builder.push(event, span)?;
    }
    Ok(Parsed { root: builder.document, problems: builder.problems })
}

/// The `tag:yaml.org,2002:` type a tag names (`!!str` and `!<tag:yaml.org,2002:str>`
/// name `str`), `None` for the non-specific `!`, which PyYAML reads as no tag; or, for
/// another tag, the tag to show in a message.
fn named_type(tag: &Tag) -> Result<Option<&str>, String> {
    let core = if tag.is_yaml_core_schema() {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        tag.suffix.strip_prefix("tag:yaml.org,2002:")
    } else {
        None
    };
    match core {
        Some(name) => Ok(Some(name)),
        None if tag.handle.is_empty() && tag.suffix == "!" => Ok(None),
        None if tag.handle.is_empty() => Err(format!("!<{}>", tag.suffix)),
        None if tag.handle == "!" => Err(format!("!{}", tag.suffix)),
        // a handle a `%TAG` directive declared, shown as what it stands for
        None => Err(format!("!<{}{}>", tag.handle, tag.suffix)),
    }
}

/// The kind of node a tag is on, with a scalar's text.
#[derive(Clone, Copy)]
enum Tagged<'a> {
    Scalar(&'a str),
    Sequence,
    Mapping,
}

/// Whether the type `name` is the one the node has without its tag, under either
/// typing the crate reads scalars with (YAML 1.2's, and PyYAML's for mock bodies):
/// a tag is read only where it changes nothing but quoting (`!!str 42`, `!!int '5'`),
/// so no value is read otherwise than PyYAML constructs it (`!!binary`, `!!set`...).
fn type_fits(name: &str, node: Tagged<'_>) -> bool {
    match (name, node) {
        ("str", Tagged::Scalar(_)) | ("seq", Tagged::Sequence) | ("map", Tagged::Mapping) => true,
        (_, Tagged::Scalar(text)) => {
            let untagged = Scalar { text: text.to_owned(), plain: true, tag: None };
            [untagged.value(), crate::yaml11::value(&untagged)].iter().any(|value| {
                matches!(
                    (name, value),
                    ("null", ScalarValue::Null)
                        | ("bool", ScalarValue::Bool(_))
                        | ("int", ScalarValue::Integer(_))
                        | ("float", ScalarValue::Float(_) | ScalarValue::Integer(_))
                )
            })
        }
        _ => false,
    }
}

/// The first character YAML does not allow written as it is (control characters
/// but tab and line breaks, DEL, C1 controls but NEL, and the two non-characters
/// U+FFFE and U+FFFF), which PyYAML, and so the ADK, refuses; escaped in a
/// double-quoted text (`"\x07"`) they are fine.
fn non_printable(text: &str) -> Option<Diagnostic> {
    let (offset, c) = text.char_indices().find(|&(_, c)| !is_printable(c))?;
    let code = u32::from(c);
    let utf16 = if c == '\0' { "; a file saved as UTF-16 shows as NUL bytes: save it as UTF-8" } else { "" };
    let message = format!("invalid YAML: the character U+{code:04X} may not be written in a YAML file; remove it, or write it escaped in a double-quoted text (`\"\\u{code:04X}\"`){utf16}");
    Some(Diagnostic::error(Span::after(&text[..offset]), message))
}

/// Whether YAML allows `c` written as it is (its `c-printable` set).
pub(crate) fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn scan_error(error: &ScanError, text: &str) -> Diagnostic {
    let marker = error.marker();
    let info = error.info();
    let line = text.lines().nth(marker.line().saturating_sub(1)).unwrap_or_default();
    let at_end = text.lines().count() < marker.line();
    let fix = match flow_value_with_more(line) {
        // `resource: {id}/x`: a `{` or `[` starts a mapping or list, which ends too early
        Some((key, value)) if !at_end => format!("a value starting with `{{` or `[` is a mapping or list in YAML; quote it: `{key}: {}`", quoted(value)),
        // the parser's words for an open bracket or quote say so already
        _ if at_end && !info.contains("flow") && !info.contains("quoted") => "the file ends inside something still open: close the `[`, `{` or quote opened before, or give the last key its value".to_string(),
        _ => syntax_fix(info).to_string(),
    };
    Diagnostic::error(Span::new(marker.line(), marker.col() + 1), format!("invalid YAML: {info}; {fix}"))
}

/// The key and value of `line` when the value starts with `{` or `[` and text follows
/// the bracket that closes it: `resource: {id}/x`.
fn flow_value_with_more(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(": ")?;
    let value = value.split_once(" #").map_or(value, |(value, _comment)| value).trim();
    let close = match value.chars().next()? {
        '{' => '}',
        '[' => ']',
        _ => return None,
    };
    let after = &value[value.find(close)? + 1..];
    let key = key.trim().trim_start_matches("- ");
    let more = !after.trim().is_empty() && !after.trim_start().starts_with('#');
    more.then_some((key, value))
}

/// `value` quoted for YAML: in `"..."`, or in `'...'` (only `'` doubled) when it
/// holds a `"` or `\`, which double quotes would need escaped.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// How to fix an alias whose anchor is not defined before it.
const UNKNOWN_ANCHOR_FIX: &str = "define the anchor (`&name`) before the alias (`*name`), or write the value out";

/// How to fix the parser's complaint `info`, for the common ones.
fn syntax_fix(info: &str) -> &'static str {
    if info.contains("recursion limit") {
        "the YAML nests too deep here; flatten it"
    } else if info.contains("unprintable") {
        "remove the control character here; a file saved as UTF-16 shows as NUL bytes: save it as UTF-8"
    } else if info.contains("unknown anchor") {
        UNKNOWN_ANCHOR_FIX
    } else if info.contains("tab") {
        "indent with spaces, not tabs"
    } else if info.contains("flow") {
        "close the `[` or `{` opened before this point, with `,` between its items"
    } else if info.contains("mapping values are not allowed") {
        "quote a value that holds `: ` (`description: \"note: this\"`), or check this line's indentation"
    } else if info.contains("did not find expected") || info.contains("block") || info.contains("indent") {
        "check this line's indentation against the lines above: YAML nests by indentation"
    } else if info.contains("unclosed") || info.contains("end of stream") || info.contains("while scanning a quoted") {
        "close the quote or bracket opened before this point"
    } else {
        "check the YAML syntax around this point (quote values with `:`, `#`, `{` or `[` in them)"
    }
}

fn span_of(span: &ParserSpan) -> Span {
    Span::new(span.start.line(), span.start.col() + 1)
}

/// What a node costs once expanded: its nodes, the bytes of its scalars' text, and
/// how deep its collections nest (0 for a scalar).
#[derive(Clone, Copy, Default)]
struct Weight {
    nodes: usize,
    bytes: usize,
    height: usize,
}

/// Collects parser events into a [`Node`] tree without recursion.
#[derive(Default)]
struct TreeBuilder {
    /// Open collections: the node being filled, its anchor, and a pending mapping key.
    open: Vec<(Node, usize, Option<Node>)>,
    /// Anchored nodes, by anchor id, with what each expands to.
    anchors: Vec<(usize, Node, Weight)>,
    document: Option<Node>,
    documents: usize,
    /// What the document expands to so far (its `height` unused).
    expanded: Weight,
    /// Errors that leave the tree whole.
    problems: Vec<Diagnostic>,
}

impl TreeBuilder {
    fn push(&mut self, event: Event<'_>, span: ParserSpan) -> Result<(), Diagnostic> {
        let at = span_of(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::error(
                        at,
                        "the file holds more than one YAML document; keep one (remove the `---` separators)",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = self.type_named(tag.as_deref(), Tagged::Scalar(&text), at).map(str::to_owned);
                let scalar = Scalar { text: text.into_owned(), plain: style == ScalarStyle::Plain, tag };
                let weight = Weight { nodes: 1, bytes: scalar.text.len(), height: 0 };
                let node = Node { kind: NodeKind::Scalar(scalar), span: at };
                self.count(weight, at)?;
                if anchor != 0 {
                    self.count(weight, at)?;
                }
                self.remember(anchor, &node, weight);
                self.add(node)?;
            }
            Event::SequenceStart(anchor, tag) => {
                self.type_named(tag.as_deref(), Tagged::Sequence, at);
                self.open(NodeKind::Sequence(Vec::new()), anchor, at)?;
            }
            Event::MappingStart(anchor, tag) => {
                self.type_named(tag.as_deref(), Tagged::Mapping, at);
                self.open(NodeKind::Mapping(Vec::new()), anchor, at)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
            Event::Alias(anchor) => self.alias(anchor, at)?,
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// The type a node's `tag` names, if it has a tag that is read; another is a problem.
    fn type_named<'t>(&mut self, tag: Option<&'t Tag>, node: Tagged<'_>, at: Span) -> Option<&'t str> {
        let shown = match named_type(tag?) {
            Ok(None) => return None,
            Ok(Some(name)) if type_fits(name, node) => return Some(name),
            Ok(Some(name)) => format!("!!{name}"),
            Err(shown) => shown,
        };
        let message = format!(
            "the YAML tag `{shown}` is not supported; remove it and write the value itself (only `!!str`, and a tag \
             naming the type the value has anyway, such as `!!int 5`, are read)"
        );
        self.problems.push(Diagnostic::error(at, message));
        None
    }

    fn open(&mut self, kind: NodeKind, anchor: usize, at: Span) -> Result<(), Diagnostic> {
        if self.open.len() >= MAX_DEPTH {
            return Err(Diagnostic::error(at, format!("the YAML nests deeper than {MAX_DEPTH} levels; flatten it")));
        }
        self.count(Weight { nodes: 1, bytes: 0, height: 0 }, at)?;
        self.open.push((Node { kind, span: at }, anchor, None));
        Ok(())
    }

    fn close(&mut self) -> Result<(), Diagnostic> {
        let Some((mut node, anchor, _)) = self.open.pop() else {
            return Ok(());
        };
        if let NodeKind::Mapping(entries) = &mut node.kind {
            merge_keys(entries)?;
        }
        if anchor != 0 {
            let weight = weight(&node);
            // the copy kept for aliases costs as much again: nested anchors each keep one
            self.count(weight, node.span)?;
            self.remember(anchor, &node, weight);
        }
        self.add(node)
    }

    /// Adds a copy of the anchored node, once the budgets and the depth allow it.
    fn alias(&mut self, anchor: usize, at: Span) -> Result<(), Diagnostic> {
        let Some(index) = self.anchors.iter().rposition(|(id, _, _)| *id == anchor) else {
            return Err(Diagnostic::error(
                at,
                format!("this alias names no anchor defined before it; {UNKNOWN_ANCHOR_FIX}"),
            ));
        };
        let weight = self.anchors[index].2;
        if self.open.len() + weight.height > MAX_DEPTH {
            return Err(Diagnostic::error(
                at,
                format!("through this alias, the YAML nests deeper than {MAX_DEPTH} levels; flatten it"),
            ));
        }
        self.count(weight, at)?;
        let mut node = self.anchors[index].1.clone();
        // what is wrong in the copy is reported at the alias that made it
        place_at(&mut node, at);
        self.add(node)
    }

    fn count(&mut self, weight: Weight, at: Span) -> Result<(), Diagnostic> {
        self.expanded.nodes = self.expanded.nodes.saturating_add(weight.nodes);
        self.expanded.bytes = self.expanded.bytes.saturating_add(weight.bytes);
        if self.expanded.nodes > MAX_NODES {
            return Err(Diagnostic::error(
                at,
                format!("the YAML expands to more than {MAX_NODES} values (through aliases?); simplify it"),
            ));
        }
        if self.expanded.bytes > MAX_TEXT_BYTES {
            return Err(Diagnostic::error(
                at,
                format!(
                    "the YAML expands to more than {} MiB of text (through aliases?); simplify it",
                    MAX_TEXT_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node, weight: Weight) {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone(), weight));
        }
    }

    fn add(&mut self, node: Node) -> Result<(), Diagnostic> {
        let Some((parent, _, pending_key)) = self.open.last_mut() else {
            self.document = Some(node);
            return Ok(());
        };
        match &mut parent.kind {
            NodeKind::Sequence(items) => items.push(node),
            NodeKind::Mapping(entries) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => *pending_key = Some(node),
            },
            NodeKind::Scalar(_) => {}
        }
        Ok(())
    }
}

/// Gives `node` and everything in it the position `at` (nesting is bounded by `MAX_DEPTH`).
fn place_at(node: &mut Node, at: Span) {
    node.span = at;
    match &mut node.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Sequence(items) => items.iter_mut().for_each(|item| place_at(item, at)),
        NodeKind::Mapping(entries) => entries.iter_mut().for_each(|(key, value)| {
            place_at(key, at);
            place_at(value, at);
        }),
    }
}

/// Resolves YAML merge keys (`<<: *defaults`), which PyYAML, and so the ADK, reads:
/// each merged mapping's entries join `entries` in place of the `<<` entry, unless
/// the mapping sets the key itself or an earlier merged mapping did.
fn merge_keys(entries: &mut Vec<(Node, Node)>) -> Result<(), Diagnostic> {
    let is_merge = |key: &Node| key.as_scalar().is_some_and(|key| key.plain && key.text == "<<");
    if !entries.iter().any(|(key, _)| is_merge(key)) {
        return Ok(());
    }
    // the keys set so far: the mapping's own, then each merged one (hashed: a mapping
    // may hold many keys, and merging must stay linear in them)
    let mut taken: HashSet<String> =
        entries.iter().filter(|(key, _)| !is_merge(key)).filter_map(|(key, _)| key_text(key)).collect();
    let mut resolved = Vec::with_capacity(entries.len());
    for (key, value) in std::mem::take(entries) {
        if !is_merge(&key) {
            resolved.push((key, value));
            continue;
        }
        for source in merge_sources(value)? {
            for (key, value) in source {
                if key_text(&key).is_some_and(|text| taken.insert(text)) {
                    resolved.push((key, value));
                }
            }
        }
    }
    *entries = resolved;
    Ok(())
}

/// The mappings a `<<` value merges, in order of precedence.
fn merge_sources(value: Node) -> Result<Vec<Vec<(Node, Node)>>, Diagnostic> {
    let not_a_mapping = |node: &Node| {
        Diagnostic::error(
            node.span,
            format!(
                "a merge key `<<` takes a mapping or a list of mappings (`<<: *defaults`), not {}",
                node.describe()
            ),
        )
    };
    match value.kind {
        NodeKind::Mapping(entries) => Ok(vec![entries]),
        NodeKind::Sequence(items) => items
            .into_iter()
            .map(|item| match item.kind {
                NodeKind::Mapping(entries) => Ok(entries),
                _ => Err(not_a_mapping(&item)),
            })
            .collect(),
        NodeKind::Scalar(_) => Err(not_a_mapping(&value)),
    }
}

/// A mapping key's text; keys that are collections never match another key.
fn key_text(key: &Node) -> Option<String> {
    key.as_scalar().map(|key| key.text.clone())
}

/// What `node` expands to, walked without recursion.
fn weight(node: &Node) -> Weight {
    let mut weight = Weight::default();
    // each node with the number of collections it is inside
    let mut stack = vec![(node, 0)];
    while let Some((node, depth)) = stack.pop() {
        weight.nodes = weight.nodes.saturating_add(1);
        match &node.kind {
            NodeKind::Scalar(scalar) => weight.bytes = weight.bytes.saturating_add(scalar.text.len()),
            NodeKind::Sequence(items) => {
                weight.height = weight.height.max(depth + 1);
                stack.extend(items.iter().map(|item| (item, depth + 1)));
            }
            NodeKind::Mapping(entries) => {
                weight.height = weight.height.max(depth + 1);
                for (key, value) in entries {
                    stack.push((key, depth + 1));
                    stack.push((value, depth + 1));
                }
            }
        }
    }
    weight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str) -> Node {
        parse(text).unwrap().root.unwrap()
    }

    #[test]
    fn resolves_core_schema_scalars() {
        let value = |text: &str| format!("{:?}", scalar(text).as_scalar().unwrap().value());
        assert_eq!(value("~"), "Null");
        assert_eq!(value("true"), "Bool(true)");
        assert_eq!(value("42"), "Integer(42)");
        assert_eq!(value("0x1f"), "Integer(31)");
        assert_eq!(value("1.5"), "Float(1.5)");
        assert_eq!(value("'42'"), "String(\"42\")");
        assert_eq!(value("!!str 42"), "String(\"42\")");
        assert_eq!(value("yes"), "String(\"yes\")");
    }

    #[test]
    fn only_tags_that_change_nothing_but_quoting_are_read() {
        let problems = |text: &str| -> Vec<String> {
            parse(text).unwrap().problems.iter().map(|problem| problem.message.clone()).collect()
        };
        let read = [
            "!!str 1",
            "!!int '1'",
            "!!int 0x1f",
            "!!float 1.5",
            "!!float 2",
            "!!bool true",
            "!!bool yes",
            "!!null ~",
            "!!map {a: 1}",
            "!!seq [1]",
            "! 1",
            "!<tag:yaml.org,2002:str> 1",
        ];
        for fine in read {
            assert_eq!(problems(fine), Vec::<String>::new(), "{fine}");
        }
        let refused = [
            ("!env FOO", "`!env`"),
            ("!custom [1]", "`!custom`"),
            ("!!python/name:os.system a", "`!!python/name:os.system`"),
            ("!<tag:example.com,2000:a> 1", "`!<tag:example.com,2000:a>`"),
            ("%TAG !e! tag:example.com,2000:\n---\n!e!foo {a: 1}", "`!<tag:example.com,2000:foo>`"),
            ("!!binary aGk=", "`!!binary`"),
            ("!!timestamp 2024-01-31", "`!!timestamp`"),
            ("!!set {a: ~}", "`!!set`"),
            ("!!int abc", "`!!int`"),
            ("!!str [1]", "`!!str`"),
            ("!!map [1]", "`!!map`"),
        ];
        for (text, shown) in refused {
            let found = problems(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(found[0].starts_with(&format!("the YAML tag {shown} is not supported")), "{text}: {found:?}");
        }
        // the tree is still read: the tag is dropped, the value kept; `!` is no tag
        assert_eq!(scalar("!env FOO").as_scalar().unwrap().value(), ScalarValue::String("FOO"));
        assert_eq!(scalar("! 1").as_scalar().unwrap().value(), ScalarValue::Integer(1));
    }

    #[test]
    fn keeps_positions_one_based() {
        let node = parse("a:\n  b: [1, 2]\n").unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        assert_eq!(entries[0].0.span, Span::new(1, 1));
        let NodeKind::Mapping(inner) = &entries[0].1.kind else { panic!("not a mapping") };
        assert_eq!(inner[0].0.span, Span::new(2, 3));
        assert_eq!(inner[0].1.span, Span::new(2, 6));
    }

    #[test]
    fn expands_aliases() {
        let node = parse("a: &x [1, 2]\nb: *x\n").unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        let texts = |node: &Node| match &node.kind {
            NodeKind::Sequence(items) => items.iter().map(|item| item.as_scalar().unwrap().text.clone()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(texts(&entries[1].1), ["1", "2"]);
        assert_eq!(texts(&entries[0].1), texts(&entries[1].1));
        // the copy, and all in it, is where the alias is
        let NodeKind::Sequence(copied) = &entries[1].1.kind else { panic!("not a list") };
        assert!(copied.iter().chain([&entries[1].1]).all(|node| node.span == Span::new(2, 4)));
    }

    fn keys_and_values(node: &Node) -> Vec<(String, String)> {
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        let text = |node: &Node| node.as_scalar().map_or_else(|| node.describe().to_string(), |s| s.text.clone());
        entries.iter().map(|(key, value)| (text(key), text(value))).collect()
    }

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
    }

    #[test]
    fn merge_keys_merge_where_the_mapping_is_silent() {
        let node = parse("base: &base {a: 1, b: 2}\nuse: {x: 0, <<: *base, b: 3}\n").unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        assert_eq!(keys_and_values(&entries[1].1), pairs(&[("x", "0"), ("a", "1"), ("b", "3")]));
    }

    #[test]
    fn earlier_merged_mappings_win() {
        let text = "one: &one {a: 1}\ntwo: &two {a: 2, b: 2}\nuse:\n  <<: [*one, *two]\n";
        let node = parse(text).unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        assert_eq!(keys_and_values(&entries[2].1), pairs(&[("a", "1"), ("b", "2")]));
    }

    #[test]
    fn a_quoted_merge_key_is_an_ordinary_key() {
        let node = parse("'<<': {a: 1}\n").unwrap().root.unwrap();
        assert_eq!(keys_and_values(&node), pairs(&[("<<", "a mapping")]));
    }

    #[test]
    fn a_merge_key_needs_mappings() {
        let error = parse("a: {<<: 1}\n").unwrap_err();
        assert!(error.message.contains("takes a mapping or a list of mappings"), "{}", error.message);
        assert_eq!(error.span, Span::new(1, 9));
        let error = parse("a: {<<: [{b: 1}, c]}\n").unwrap_err();
        assert!(error.message.contains("not text"), "{}", error.message);
    }

    #[test]
    fn stops_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = level - 1;
            text.push_str(&format!(
                "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("expands to more than"), "{}", error.message);
    }

    #[test]
    fn stops_deep_nesting() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).is_err());
    }

    #[test]
    fn rejects_two_documents() {
        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(error.message.contains("more than one YAML document"));
    }

    #[test]
    fn empty_text_has_no_document() {
        assert_eq!(parse("").unwrap().root, None);
        assert_eq!(parse("# only a comment\n").unwrap().root, None);
    }

    #[test]
    fn recognises_dates() {
        assert!(scalar("2024-01-31").as_scalar().unwrap().looks_like_date());
        assert!(!scalar("'2024-01-31'").as_scalar().unwrap().looks_like_date());
        assert!(!scalar("R-1042").as_scalar().unwrap().looks_like_date());
        let date = |text: &str| is_yaml11_timestamp(text);
        for yes in [
            "2024-01-31",
            "2024-1-31T9:30:00",
            "2024-01-31t09:30:00.25Z",
            "2024-1-3 09:30:00 +01:00",
            "2001-12-14 21:59:43.10 -5",
        ] {
            assert!(date(yes), "{yes}");
        }
        for no in [
            "0207-555-1234",
            "2023-12-A7",
            "2024-1-31",
            "2024-01-31x",
            "2024-01-31T9:30",
            "2024-01-31 09:30:00 +1:5",
            "12024-01-31",
        ] {
            assert!(!date(no), "{no}");
        }
    }
}
