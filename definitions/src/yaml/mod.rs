//! The one place that knows the YAML parser: text in, a tree of positioned nodes out.
//!
//! Everything else in the crate walks [`Node`]s, so the parser can be swapped here
//! alone. Aliases are expanded within a budget of nodes and of text, and nesting is
//! bounded, through aliases too, so hostile input (billion laughs, aliases of a
//! long scalar, deep nesting) gives an error instead of exhausting memory or the
//! stack.
//!
//! One file per step: `syntax` turns the parser's complaints into diagnostics,
//! `line_fix` reads the line it stumbles on for the value at fault and its fix,
//! `block_scalar` moves a block scalar's position to its header, `reindented`
//! gives lines inside quoted values and brackets the indentation the parser wants
//! where PyYAML wants none,
//! `tree` builds the nodes from the parser's events (aliases, merge keys, budgets),
//! `tags` decides which tags are read, `scalar` types scalars as YAML 1.2 does and
//! `yaml11` as PyYAML does; `last_written` gives the tree as PyYAML reads a
//! repeated key, its last value.

mod blanks;
mod block_scalar;
mod indentation;
mod last_written;
mod line_fix;
mod reindented;
mod scalar;
mod syntax;
mod tags;
mod tree;
pub(crate) mod yaml11;

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as ParserSpan};

use crate::diagnostics::Diagnostic;
use crate::model::Span;

use block_scalar::block_scalar_start;
pub(crate) use indentation::{unspaced_dash, ENTRY_KEYS};
pub(crate) use last_written::read_last_written;
pub(crate) use line_fix::{quoted, starts_slash_comment, SLASH_COMMENT_FIX};
use reindented::Reindented;
pub use scalar::{Scalar, ScalarValue};
pub(crate) use syntax::is_printable;
use tree::{Budget, TreeBuilder};

/// How deep mappings and sequences may nest.
pub const MAX_DEPTH: usize = 128;
/// How many nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 1_000_000;
/// How many bytes of scalar text a document may expand to, aliases included: an
/// alias of a long scalar is one node but a copy of all its text, and an anchored
/// node counts twice (the copy kept for its aliases). Twice what the largest file
/// holds ([`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES)): room for a file whose one
/// anchor spans all of it, while aliases expand no file much past what one without
/// them could be.
pub const MAX_TEXT_BYTES: usize = 32 * 1024 * 1024;

/// A parsed text: its document's root, and what is wrong in it that left the tree whole.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The root node; `None` for a text with no document (empty, or only comments).
    pub root: Option<Node>,
    /// Errors to report with what the reader of the tree finds (a tag not read).
    pub problems: Vec<Diagnostic>,
    /// Where each scalar value (not a key) whose tag is not read starts: it is read as the text
    /// written, which is not what the tag meant (`!env RES` is no resource `RES`), so
    /// the tag's problem is all that is told of it.
    pub untyped: Vec<Span>,
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

impl Node {
    /// The scalar, if this node is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The value of the first `key` of this mapping, as written; none for another node.
    pub(crate) fn value_of(&self, key: &str) -> Option<&Node> {
        let NodeKind::Mapping(pairs) = &self.kind else { return None };
        pairs.iter().find(|(k, _)| k.as_scalar().is_some_and(|k| k.text == key)).map(|(_, value)| value)
    }

    /// Whether the node is what a document of only `---` and comments holds: a
    /// plain scalar with no text.
    pub(crate) fn is_empty_document(&self) -> bool {
        self.as_scalar().is_some_and(|scalar| scalar.plain && scalar.text.is_empty() && scalar.tag.is_none())
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

    /// The node as a message says what was found: a scalar's own text in backticks,
    /// after "the text " when it is text (a quoted `"404"` is no number), else its shape.
    pub(crate) fn found(&self) -> String {
        match self.as_scalar() {
            Some(scalar) => match scalar.value() {
                ScalarValue::String(_) => format!("the text `{}`", scalar.text),
                ScalarValue::Null => self.describe().to_string(),
                ScalarValue::Float(_) if scalar.tag.is_some() => format!("`!!float {}`, a float", scalar.text),
                _ => format!("`{}`", scalar.text),
            },
            None => self.describe().to_string(),
        }
    }
}

/// Parses a YAML text holding at most one document.
///
/// An error that leaves no tree to read (invalid YAML, a budget exceeded) is the
/// `Err`; one that leaves the tree whole is among the [`Parsed::problems`].
pub fn parse(text: &str) -> Result<Parsed, Diagnostic> {
    parse_within(text, Budget::Bounded)
}

/// [`parse`] for a text this crate wrote from a file it read within the budgets
/// (the canonical form): any number of values, nesting still bounded.
pub(crate) fn parse_trusted(text: &str) -> Result<Parsed, Diagnostic> {
    parse_within(text, Budget::Trusted)
}

/// Where a scalar's text starts when it is written as is on one line: plain, or
/// quoted with its text and closing quote right after the opening one (no escape
/// moves a character), and with no tag or anchor before it.
fn text_written_at(event: &Event<'_>, span: &ParserSpan, written: &mut CharOffsets<'_>) -> Option<Span> {
    let Event::Scalar(value, style, 0, None) = event else { return None };
    if span.start.line() != span.end.line() {
        return None;
    }
    let quote = match style {
        ScalarStyle::Plain => return Some(tree::span_of(span)),
        ScalarStyle::SingleQuoted => '\'',
        ScalarStyle::DoubleQuoted => '"',
        ScalarStyle::Literal | ScalarStyle::Folded => return None,
    };
    // a quoted scalar's span runs past the blanks after it: compare what is written
    let after_quote = written.after(span.start.index())?.strip_prefix(quote)?;
    let as_is = after_quote.strip_prefix(value.as_ref()).is_some_and(|rest| rest.starts_with(quote));
    as_is.then(|| Span::new(span.start.line(), span.start.col() + 2))
}

/// The text from a character on, for characters asked for in the order they are
/// written, as the parser's events come: each walk goes on from the last one, so
/// that reading a file of long lines stays linear (an earlier one starts over).
struct CharOffsets<'t> {
    text: &'t str,
    /// The last character asked for, and its byte offset.
    character: usize,
    byte: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets { text, character: 0, byte: 0 }
    }

    /// The text from character `index` on; `None` past its end.
    fn after(&mut self, index: usize) -> Option<&'t str> {
        if index < self.character {
            (self.character, self.byte) = (0, 0);
        }
        let rest = &self.text[self.byte..];
        let ahead = index - self.character;
        let offset = match rest.char_indices().nth(ahead) {
            Some((offset, _)) => offset,
            None if rest.chars().count() == ahead => rest.len(),
            None => return None,
        };
        (self.character, self.byte) = (index, self.byte + offset);
        Some(&self.text[self.byte..])
    }
}

/// The name of the anchor (`&name`) of a node whose text starts `from` (after its
/// tag, when that comes first), as the parser marks an anchored node; `None` where
/// the text there is not so, and no name is checked.
fn anchor_name(from: &str) -> Option<&str> {
    let after_tag = match from.strip_prefix('!') {
        Some(tagged) => tagged[tagged.find(char::is_whitespace)?..].trim_start(),
        None => from,
    };
    let name = after_tag.strip_prefix('&')?;
    let end = name.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}')).unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// What the parser reads for U+FEFF inside a document `text`: a non-character (which
/// no text meant for people holds) of the same length in UTF-8, three bytes, that
/// `text` holds neither written out nor escaped (`"\uFDD0"`, `"\U0000FDD0"`); of the
/// 32, none only in a text that holds them all.
pub(super) fn byte_order_mark_stand_in(text: &str) -> Option<char> {
    let lower = text.to_ascii_lowercase();
    ('\u{fdd0}'..='\u{fdef}').find(|&c| {
        let code = u32::from(c);
        !text.contains(c) && !lower.contains(&format!("\\u{code:x}")) && !lower.contains(&format!("\\u0000{code:x}"))
    })
}

/// How many times a text is given spaces for the parser to read it as PyYAML does
/// (see [`Reindented`]), at most: once for each quoted value or bracket at fault,
/// each time parsed again from its start.
const MAX_REINDENTS: usize = 64;
/// How many bytes the parses of a text given spaces read in all, at most: a large
/// file is given them fewer times.
const MAX_REPARSED_BYTES: usize = 64 * 1024 * 1024;

fn parse_within(text: &str, budget: Budget) -> Result<Parsed, Diagnostic> {
    // a byte order mark starts the text and is in no column, as PyYAML counts them;
    // PyYAML reads a second one as text, which the parser would skip
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with('\u{feff}') {
        let message =
            "the file starts with two byte order marks (U+FEFF); remove the second, which a YAML reader takes for text";
        return Err(Diagnostic::error(Span::new(1, 1), message));
    }
    if let Some(diagnostic) = syntax::non_printable(text) {
        return Err(diagnostic);
    }
    let mut reindented = Reindented::default();
    let mut reindents = 0;
    loop {
        let current = match reindents {
            0 => Cow::Borrowed(text),
            _ => Cow::Owned(reindented.apply(text)),
        };
        let failure = match parse_text(&current, budget) {
            Ok(mut parsed) => {
                reindented.restore(&mut parsed);
                return Ok(parsed);
            }
            Err(Failure::Scan(error)) => {
                let told = reindented.restored(syntax::scan_error(&error, &current));
                let within_limits = reindents < MAX_REINDENTS && (reindents + 1) * text.len() <= MAX_REPARSED_BYTES;
                match reindented.lacking(&error, &current) {
                    Some(lacking) if within_limits => {
                        reindented.add(lacking, told);
                        reindents += 1;
                        continue;
                    }
                    Some(_) => Diagnostic { message: format!("{}{PAST_THE_LIMIT}", told.message), ..told },
                    None => told,
                }
            }
            Err(Failure::Told(diagnostic)) => reindented.restored(diagnostic),
        };
        // a problem on the last line of a quoted value given spaces may be that of a
        // quote left open, taken as far as the next one
        return Err(reindented.quote_left_open_at(failure.span).unwrap_or(failure));
    }
}

/// Said of a quoted value or bracket past those read as PyYAML reads them.
const PAST_THE_LIMIT: &str = " (PyYAML reads it so, but a file has only its first 64 such values read so here, each costing a second reading of the file)";

/// Why PyYAML refuses a `?` in a value written without quotes inside `{ }` or `[ ]`,
/// which YAML 1.2 reads as text.
const QUESTION_MARK_IN_FLOW: &str = "invalid YAML: a value without quotes inside `{ }` or `[ ]` holds a `?`, where PyYAML (and so the ADK) ends it and then refuses the file; quote the value";

/// Whether a mapping or list whose text starts `from` (at its anchor or tag, when
/// it has them) is written in flow style: `{ }` or `[ ]`.
fn opens_flow(from: &str) -> bool {
    let mut rest = from;
    // an anchor (`&name`) and a tag (`!!map`), in either order, then the node
    while rest.starts_with(['&', '!']) {
        let Some(blank) = rest.find(char::is_whitespace) else { return false };
        rest = rest[blank..].trim_start();
    }
    rest.starts_with(['{', '['])
}

/// Why a text was not read: the parser's complaint, or a problem told already.
enum Failure {
    Scan(ScanError),
    Told(Diagnostic),
}

/// Parses `text`, whose characters YAML allows, into a tree.
fn parse_text(text: &str, budget: Budget) -> Result<Parsed, Failure> {
    // PyYAML reads a byte order mark inside a document as text, where the parser
    // refuses it: the parser reads a stand-in of the same length (so every position
    // holds), which each scalar gives back
    let stand_in = text.contains('\u{feff}').then(|| byte_order_mark_stand_in(text)).flatten();
    let stand_in_text = stand_in.map(|stand_in| text.replace('\u{feff}', stand_in.encode_utf8(&mut [0; 4])));
    let parsed = stand_in_text.as_deref().unwrap_or(text);
    let mut reader = EventReader::new(text, budget);
    for event in Parser::new_from_str(parsed) {
        let (event, span) = event.map_err(Failure::Scan)?;
        reader.read(byte_order_marks_given_back(event, stand_in), &span)?;
    }
    Ok(reader.finish())
}

/// The scalar `event` with the byte order marks the parser read as `stand_in` given back.
fn byte_order_marks_given_back(event: Event<'_>, stand_in: Option<char>) -> Event<'_> {
    match (event, stand_in) {
        (Event::Scalar(value, style, anchor, tag), Some(stand_in)) if value.contains(stand_in) => {
            Event::Scalar(value.replace(stand_in, "\u{feff}").into(), style, anchor, tag)
        }
        (event, _) => event,
    }
}

/// Reads the parser's events of a text into a tree: the builder, and what is kept of
/// the text from one event to the next.
struct EventReader<'t> {
    text: &'t str,
    builder: TreeBuilder,
    /// The text's lines, read only when a block scalar needs them.
    lines: Option<Vec<&'t str>>,
    /// Where quoted scalars start, for their text and where their quotes are.
    written: CharOffsets<'t>,
    /// Where nodes with an anchor or a tag start: on, as events come.
    properties: CharOffsets<'t>,
    /// Where the event before ends.
    after: Span,
    /// What each scalar's text spans.
    scalars: Vec<blanks::ScalarText>,
    /// Whether each mapping or list the node is in is written in flow style (`{ }`, `[ ]`).
    in_flow: Vec<bool>,
    /// Where mappings and lists start, for their style.
    collections: CharOffsets<'t>,
    /// Whether the text ends without a line break.
    ends_without_break: bool,
}

impl<'t> EventReader<'t> {
    fn new(text: &'t str, budget: Budget) -> Self {
        EventReader {
            text,
            builder: TreeBuilder::new(budget),
            lines: None,
            written: CharOffsets::new(text),
            properties: CharOffsets::new(text),
            after: Span::new(1, 1),
            scalars: Vec::new(),
            in_flow: Vec::new(),
            collections: CharOffsets::new(text),
            ends_without_break: !text.ends_with(['\n', '\r']),
        }
    }

    /// Reads the parser's `event`, which `span` spans, into the tree.
    fn read(&mut self, event: Event<'_>, span: &ParserSpan) -> Result<(), Failure> {
        self.follow_flow(&event, span);
        let at = self.node_start(&event, span);
        // a document without `---` starts at its first node, whose span the parser gives it
        if !matches!(event, Event::DocumentStart(false)) {
            self.after = Span::new(span.end.line(), span.end.col() + 1);
        }
        self.read_properties(&event, span, at);
        if let Event::Scalar(_, style, ..) = event {
            self.scalars.extend(scalar_text(style, span, &mut self.written));
        }
        let text_at = text_written_at(&event, span, &mut self.written);
        self.question_mark_in_flow(&event, at);
        let event = self.without_last_break(event, span);
        let folded = folded(&event, span);
        self.builder.push(event, at, text_at, folded).map_err(Failure::Told)
    }

    /// Keeps `in_flow` up to date with the mapping or list `event` starts or ends.
    fn follow_flow(&mut self, event: &Event<'_>, span: &ParserSpan) {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                self.in_flow.push(opens_flow(self.collections.after(span.start.index()).unwrap_or_default()));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.in_flow.pop();
            }
            _ => {}
        }
    }

    /// Where what `event` reads (a node, or a step of the document) starts, which
    /// `span` marks: a block scalar's at its header.
    fn node_start(&mut self, event: &Event<'_>, span: &ParserSpan) -> Span {
        let at = tree::span_of(span);
        // one with an anchor or a tag is marked where they start, as PyYAML marks it
        if let Event::Scalar(_, ScalarStyle::Literal | ScalarStyle::Folded, 0, None) = event {
            return block_scalar_start(self.lines.get_or_insert_with(|| syntax::yaml_lines(self.text)), self.after, at);
        }
        at
    }

    /// Tells the builder of the anchor the node `event` is defines, and of a tag
    /// run on into its text, both at `at`, where the node starts.
    fn read_properties(&mut self, event: &Event<'_>, span: &ParserSpan, at: Span) {
        let (anchor, tag) = match event {
            Event::Scalar(_, _, anchor, tag) | Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                (*anchor, tag)
            }
            _ => return,
        };
        if anchor == 0 && tag.is_none() {
            return;
        }
        let written = self.properties.after(span.start.index()).unwrap_or_default();
        if let Some(name) = (anchor != 0).then(|| anchor_name(written)).flatten() {
            self.builder.anchor_defined(name, at);
        }
        if let Some(problem) = tag.as_ref().and_then(|_| tags::tag_run_on(written)) {
            self.builder.problem(at, problem);
        }
    }

    /// Tells the builder of a `?` in a value without quotes inside `{ }` or `[ ]`,
    /// the scalar `event` starting `at`.
    fn question_mark_in_flow(&mut self, event: &Event<'_>, at: Span) {
        if let Event::Scalar(value, ScalarStyle::Plain, ..) = event {
            if self.in_flow.last() == Some(&true) && value.contains('?') {
                self.builder.problem(at, QUESTION_MARK_IN_FLOW.to_string());
            }
        }
    }

    /// `event`, a block scalar's, without the line break its value ends with when
    /// only blanks follow it in a text that ends without one: a file that ends without
    /// a line break ends its last block value without one.
    fn without_last_break<'e>(&mut self, event: Event<'e>, span: &ParserSpan) -> Event<'e> {
        match event {
            Event::Scalar(value, style @ (ScalarStyle::Literal | ScalarStyle::Folded), anchor, tag)
                if self.ends_without_break
                    && value.ends_with('\n')
                    && self.written.after(span.end.index()).is_some_and(|rest| rest.trim().is_empty()) =>
            {
                let mut value = value.into_owned();
                value.pop();
                Event::Scalar(value.into(), style, anchor, tag)
            }
            event => event,
        }
    }

    /// The tree read, with the blanks in it no value reads told.
    fn finish(self) -> Parsed {
        let mut parsed = self.builder.finish();
        parsed.problems.extend(blanks::unread_blanks(self.text, &self.scalars));
        parsed
    }
}

/// Whether the scalar `event`, which `span` spans, is one whose line breaks are read
/// as spaces: a plain or quoted one on more than one line.
fn folded(event: &Event<'_>, span: &ParserSpan) -> bool {
    // a `>` block's lines are folded too, but its line break at the end is told on its own
    matches!(event, Event::Scalar(_, ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..))
        && span.start.line() != span.end.line()
}

/// The characters the text of a scalar written in `style` spans, `span` by the
/// parser: a quoted one's from its opening quote to its closing one (the parser's
/// span runs past the blanks after it, and a comment's), a block one's from its
/// first line of content, where the parser marks it.
fn scalar_text(style: ScalarStyle, span: &ParserSpan, written: &mut CharOffsets<'_>) -> Option<blanks::ScalarText> {
    let (start, end) = (span.start.index(), span.end.index());
    let quote = match style {
        ScalarStyle::Plain | ScalarStyle::Literal | ScalarStyle::Folded => {
            return Some(blanks::ScalarText { start, end, style })
        }
        ScalarStyle::SingleQuoted => '\'',
        ScalarStyle::DoubleQuoted => '"',
    };
    let mut characters = written.after(start)?.chars().take(end.saturating_sub(start)).enumerate().peekable();
    let (opening, _) = characters.find(|(_, character)| *character == quote)?;
    let mut closing = end.saturating_sub(start + 1);
    while let Some((offset, character)) = characters.next() {
        match character {
            // an escape in double quotes, `''` in single ones: no closing quote
            '\\' if quote == '"' => {
                characters.next();
            }
            '\'' if quote == '\'' && characters.next_if(|(_, next)| *next == '\'').is_some() => {}
            _ if character == quote => {
                closing = offset;
                break;
            }
            _ => {}
        }
    }
    Some(blanks::ScalarText { start: start + opening, end: start + closing + 1, style })
}
