//! The tree of nodes built from the parser's events, without recursion: aliases
//! expanded within the budgets, merge keys resolved, tags read.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, ScalarStyle, Span as ParserSpan, Tag};

use super::syntax::UNKNOWN_ANCHOR_FIX;
use super::tags::{is_non_specific, read_tag, TagShown, Tagged};
use super::{Node, NodeKind, Parsed, Scalar, MAX_DEPTH, MAX_NODES, MAX_TEXT_BYTES};
use crate::diagnostics::{one_line, Diagnostic};
use crate::model::Span;
use crate::model::{is_secret_word, names_a_secret};

/// Where a parser's span starts, 1-based.
pub(super) fn span_of(span: &ParserSpan) -> Span {
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

/// Whether a text's expansion is bounded: a file's is, against billion laughs; a
/// text this crate wrote from a file read within the bounds (the canonical form
/// the macro embeds) is not, as it may hold more values than that file did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Budget {
    /// At most [`MAX_NODES`] values and [`MAX_TEXT_BYTES`] of text.
    #[default]
    Bounded,
    /// Only nesting is bounded ([`MAX_DEPTH`]).
    Trusted,
}

/// How many characters of a key a problem's path shows: an implicit key is never
/// longer (YAML's limit), so only a very long explicit key (`? ...`) is cut, which the
/// reader's messages show whole.
const PATH_KEY_CHARS: usize = 1024;

/// Collects parser events into a [`Node`] tree without recursion.
#[derive(Default)]
pub(super) struct TreeBuilder {
    /// Open collections: the node being filled, its anchor, and a pending mapping key.
    open: Vec<(Node, usize, Option<Node>)>,
    /// Anchored nodes, by anchor id, with what each expands to.
    anchors: Vec<(usize, Node, Weight)>,
    /// Where each anchor name is defined, as written (`&name`).
    anchor_names: HashMap<String, Span>,
    document: Option<Node>,
    documents: usize,
    /// What the document expands to so far (its `height` unused).
    expanded: Weight,
    /// How much of `expanded` the copies aliases made add up to: past a budget, the
    /// likely reason when they are most of it.
    aliased: Weight,
    /// Whether [`MAX_NODES`] and [`MAX_TEXT_BYTES`] bound it (see [`Budget`]).
    budget: Budget,
    /// Errors that leave the tree whole.
    problems: Vec<Diagnostic>,
    /// Where each scalar value (not a key) whose tag is not read starts.
    untyped: Vec<Span>,
}

impl TreeBuilder {
    /// A builder whose expansion `budget` bounds.
    pub(super) fn new(budget: Budget) -> TreeBuilder {
        TreeBuilder { budget, ..TreeBuilder::default() }
    }

    /// Adds the node or the step of the document that `event`, starting `at`, is;
    /// `text_at` is where a scalar's text starts when it is written as is, and
    /// `folded` whether its line breaks were read as spaces.
    pub(super) fn push(
        &mut self,
        event: Event<'_>,
        at: Span,
        text_at: Option<Span>,
        folded: bool,
    ) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::error(
                        at,
                        "the file holds more than one YAML document; keep one (remove the `---` or `...` line that ends the first)",
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let is_key = self.next_is_key();
                let untagged = tag.as_deref().is_none_or(is_non_specific);
                let tag = self.type_named(tag.as_deref(), Tagged::Scalar(&text, is_key), at).map(str::to_owned);
                if style == ScalarStyle::Plain {
                    if let Some(problem) = unreadable_by_pyyaml(&text, is_key, untagged) {
                        self.problem(at, problem);
                    }
                }
                let scalar =
                    Scalar { text: text.into_owned(), plain: style == ScalarStyle::Plain, tag, text_at, folded };
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

    /// Whether the node the next event adds is a mapping's key: the mapping it goes
    /// in has no key pending.
    fn next_is_key(&self) -> bool {
        matches!(self.open.last(), Some((Node { kind: NodeKind::Mapping(_), .. }, _, None)))
    }

    /// The type a node's `tag` names, if it has a tag that is read; another is a problem.
    fn type_named<'t>(&mut self, tag: Option<&'t Tag>, node: Tagged<'_>, at: Span) -> Option<&'t str> {
        let tag = tag?;
        // under a secret's setting or an `auth:` block, the tag may be a secret (a mock
        // body's `token` is test data, shown); the path is made only for a tagged scalar
        let shown = match node {
            Tagged::Scalar(..) => {
                let path = self.path_here();
                match path.starts_with("api_mocks") || !names_a_secret(&path) {
                    true => TagShown::Written,
                    // the setting's own name says whether a secret goes there
                    false => match path.rsplit('.').next().is_some_and(is_secret_word) {
                        true => TagShown::HiddenSecret,
                        false => TagShown::Hidden,
                    },
                }
            }
            _ => TagShown::Written,
        };
        read_tag(tag, node, shown).unwrap_or_else(|message| {
            self.problem(at, message);
            // a value's: a mapping may start where its first key does
            if let Tagged::Scalar(_, false) = node {
                self.untyped.push(at);
            }
            None
        })
    }

    /// Notes that the value the next event adds, at `at`, defines the anchor `name`:
    /// one defined before is a problem, as PyYAML (and so the ADK) refuses a document
    /// that defines an anchor again, where saphyr lets the new one replace it.
    pub(super) fn anchor_defined(&mut self, name: &str, at: Span) {
        // PyYAML reads an anchor's name as ASCII letters, digits, `-` and `_` only
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')) {
            let message = format!(
                "the anchor `&{}` holds a character PyYAML (and so the ADK) refuses in an anchor's name; name it with letters, digits, `-` and `_` only, and its aliases (`*name`) too",
                one_line(name)
            );
            self.problem(at, message);
        }
        let Some(first) = self.anchor_names.get(name).copied() else {
            self.anchor_names.insert(name.to_string(), at);
            return;
        };
        let message = format!(
            "the anchor `&{}` is defined again (first at line {}, column {}), which PyYAML (and so the ADK) refuses; give this one another name, and its aliases (`*name`) too",
            one_line(name),
            first.line,
            first.column
        );
        self.problem(at, message);
    }

    /// A problem that leaves the tree whole, about the value the next event adds,
    /// named by its path as the reader names elements.
    pub(super) fn problem(&mut self, at: Span, message: String) {
        let message = match self.path_here() {
            path if path.is_empty() => message,
            path => format!("`{path}`: {message}"),
        };
        self.problems.push(Diagnostic::error(at, message));
    }

    /// The path of the value the next event adds (`api_integrations[0].operations`),
    /// or of the mapping whose key it is.
    fn path_here(&self) -> String {
        let mut path = String::new();
        for (node, _, pending_key) in &self.open {
            match &node.kind {
                NodeKind::Sequence(items) => path.push_str(&format!("[{}]", items.len())),
                NodeKind::Mapping(_) => {
                    if let Some(key) = pending_key.as_ref().and_then(Node::as_scalar) {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        // a long key is cut: every problem under it names it
                        match key.text.char_indices().nth(PATH_KEY_CHARS) {
                            Some((cut, _)) => path.extend([&key.text[..cut], "…"]),
                            None => path.push_str(&key.text),
                        }
                    }
                }
                NodeKind::Scalar(_) => {}
            }
        }
        path
    }

    /// The document's tree, and the problems that left it whole.
    pub(super) fn finish(self) -> Parsed {
        Parsed { root: self.document, problems: self.problems, untyped: self.untyped }
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
            for (at, message) in merge_keys(entries) {
                self.problem(at, message);
            }
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
            let message = match self.open.iter().any(|(_, open, _)| *open == anchor) {
                true => "this alias is inside the value its anchor names, which would hold itself; anchor a value that ends before the alias, or write the value out".to_string(),
                false => format!("this alias names no anchor defined before it; {UNKNOWN_ANCHOR_FIX}"),
            };
            return Err(Diagnostic::error(at, message));
        };
        let weight = self.anchors[index].2;
        if self.open.len() + weight.height > MAX_DEPTH {
            return Err(Diagnostic::error(
                at,
                format!("through this alias, the YAML nests deeper than {MAX_DEPTH} levels; flatten it"),
            ));
        }
        self.aliased.nodes = self.aliased.nodes.saturating_add(weight.nodes);
        self.aliased.bytes = self.aliased.bytes.saturating_add(weight.bytes);
        self.count(weight, at)?;
        let mut node = self.anchors[index].1.clone();
        // PyYAML reads the copy of a merge key as one, which it refuses as a value
        if is_merge_key(&node) && !self.next_is_key() {
            let message = "invalid YAML: this alias copies a merge key (`<<`), which PyYAML (and so the ADK) cannot read as a value; write the value out, in double quotes";
            self.problem(at, message.to_string());
        }
        // what is wrong in the copy is reported at the alias that made it
        place_at(&mut node, at);
        self.add(node)
    }

    fn count(&mut self, weight: Weight, at: Span) -> Result<(), Diagnostic> {
        self.expanded.nodes = self.expanded.nodes.saturating_add(weight.nodes);
        self.expanded.bytes = self.expanded.bytes.saturating_add(weight.bytes);
        if self.budget == Budget::Trusted {
            return Ok(());
        }
        let (too_much, through_aliases) = if self.expanded.nodes > MAX_NODES {
            (format!("{} values (keys, items and texts)", thousands(MAX_NODES)), self.aliased.nodes > MAX_NODES / 2)
        } else if self.expanded.bytes > MAX_TEXT_BYTES {
            (format!("{} MiB of text", MAX_TEXT_BYTES >> 20), self.aliased.bytes > MAX_TEXT_BYTES / 2)
        } else {
            return Ok(());
        };
        let message = if through_aliases {
            format!("the YAML expands to more than {too_much} through its aliases (`*name`), each a copy of what its anchor names; write fewer of them, or anchor smaller parts")
        } else {
            format!("the YAML has more than {too_much}, the most one file may have; split its APIs over several files")
        };
        Err(Diagnostic::error(at, message))
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
        NodeKind::Scalar(scalar) => scalar.text_at = None,
        NodeKind::Sequence(items) => items.iter_mut().for_each(|item| place_at(item, at)),
        NodeKind::Mapping(entries) => entries.iter_mut().for_each(|(key, value)| {
            place_at(key, at);
            place_at(value, at);
        }),
    }
}

/// Whether `node`, as a mapping's key, is a merge key: the tag decides, as PyYAML
/// reads them (`!!str <<` is the text `<<`, and a key tagged `!!merge` merges
/// however it is written).
fn is_merge_key(node: &Node) -> bool {
    node.as_scalar().is_some_and(|key| match key.tag.as_deref() {
        Some(tag) => tag == "merge",
        None => key.plain && key.text == "<<",
    })
}

/// Resolves YAML merge keys (`<<: *defaults`), which PyYAML, and so the ADK, reads:
/// each merged mapping's entries join `entries` in place of the `<<` entry, unless
/// the mapping sets the key itself or a merge of higher precedence does: as PyYAML
/// ranks them, a later `<<` entry over an earlier one, and within one the mappings
/// of its list in their order; a key a merged mapping repeats has its last value.
/// What a `<<` names that is no mapping is left out, and returned as a problem.
fn merge_keys(entries: &mut Vec<(Node, Node)>) -> Vec<(Span, String)> {
    let mut problems = Vec::new();
    if !entries.iter().any(|(key, _)| is_merge_key(key)) {
        return problems;
    }
    // the keys set so far: the mapping's own, then each merged one (hashed: a mapping
    // may hold many keys, and merging must stay linear in them)
    let mut taken: HashSet<String> =
        entries.iter().filter(|(key, _)| !is_merge_key(key)).filter_map(|(key, _)| key_text(key)).collect();
    // each `<<` entry's merged entries, found from the last `<<` to the first
    let mut merged: Vec<Vec<(Node, Node)>> = Vec::new();
    let mut merges = Vec::new();
    let mut own = Vec::with_capacity(entries.len());
    for (key, value) in std::mem::take(entries) {
        if is_merge_key(&key) {
            merges.push(value);
            own.push(None);
        } else {
            own.push(Some((key, value)));
        }
    }
    for value in merges.into_iter().rev() {
        let mut joined = Vec::new();
        for source in merge_sources(value, &mut problems) {
            let mut at: HashMap<String, usize> = HashMap::new();
            for (key, value) in source {
                let Some(text) = key_text(&key) else { continue };
                match at.get(&text) {
                    Some(&index) => joined[index] = (key, value),
                    None if !taken.contains(&text) => {
                        at.insert(text, joined.len());
                        joined.push((key, value));
                    }
                    None => {}
                }
            }
            taken.extend(at.into_keys());
        }
        merged.push(joined);
    }
    for entry in own {
        match entry {
            Some(pair) => entries.push(pair),
            None => entries.extend(merged.pop().unwrap_or_default()),
        }
    }
    problems
}

/// The mappings a `<<` value merges, in order of precedence; each value that is no
/// mapping is a problem.
fn merge_sources(value: Node, problems: &mut Vec<(Span, String)>) -> Vec<Vec<(Node, Node)>> {
    let mut not_a_mapping = |node: &Node| {
        let message = format!(
            "a merge key `<<` takes a mapping or a list of mappings (`<<: *defaults`), not {}",
            node.describe()
        );
        problems.push((node.span, message));
    };
    match value.kind {
        NodeKind::Mapping(entries) => vec![entries],
        NodeKind::Sequence(items) => items
            .into_iter()
            .filter_map(|item| match item.kind {
                NodeKind::Mapping(entries) => Some(entries),
                _ => {
                    not_a_mapping(&item);
                    None
                }
            })
            .collect(),
        NodeKind::Scalar(_) => {
            not_a_mapping(&value);
            Vec::new()
        }
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

/// `n` with its thousands separated by commas, as the README writes them: `1,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut shown = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            shown.push(',');
        }
        shown.push(digit);
    }
    shown
}

/// Why PyYAML, and so the ADK, refuses the plain scalar `text` (a key when `is_key`,
/// written without a tag when `untagged`) that saphyr reads: `|` or `>` starting one
/// inside `{ }` or `[ ]` (its scanner refuses them, whatever the tag; in a block they
/// start block text), and as an untagged value `=` (the `value` type, which no loader
/// builds; a key of that type is read as text) or `<<` (the merge type, read only as
/// a key).
fn unreadable_by_pyyaml(text: &str, is_key: bool, untagged: bool) -> Option<String> {
    let fix = "write it in double quotes";
    if let Some(first @ ('|' | '>')) = text.chars().next() {
        return Some(format!(
            "invalid YAML: a key or value inside `{{ }}` or `[ ]` may not start with `{first}`, which YAML reserves for block text; {fix}"
        ));
    }
    if is_key || !untagged {
        return None;
    }
    match text {
        "=" => Some(format!("invalid YAML: a plain `=` is YAML's `value` type, which PyYAML (and so the ADK) cannot read as a value; {fix}")),
        "<<" => Some(format!("invalid YAML: a plain `<<` is a merge key, which PyYAML (and so the ADK) cannot read as a value; {fix}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Span;
    use crate::yaml::{parse, Node, NodeKind};

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
    fn merge_keys_rank_as_pyyaml_ranks_them() {
        // a later `<<` entry over an earlier one; a key a merged mapping repeats, its last value
        let text = "one: &one {a: 1, c: 1}\ntwo: &two {a: 2, b: 2, b: 3}\nuse: {<<: *one, x: 0, <<: *two}\n";
        let node = parse(text).unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &node.kind else { panic!("not a mapping") };
        assert_eq!(keys_and_values(&entries[2].1), pairs(&[("c", "1"), ("x", "0"), ("a", "2"), ("b", "3")]));
    }

    #[test]
    fn a_quoted_merge_key_is_an_ordinary_key() {
        let node = parse("'<<': {a: 1}\n").unwrap().root.unwrap();
        assert_eq!(keys_and_values(&node), pairs(&[("<<", "a mapping")]));
    }

    #[test]
    fn a_merge_key_needs_mappings_and_what_it_names_otherwise_is_left_out() {
        let parsed = parse("a: {<<: 1}\n").unwrap();
        let [problem] = &parsed.problems[..] else { panic!("{:?}", parsed.problems) };
        assert!(
            problem.message.starts_with("`a`: a merge key `<<` takes a mapping or a list of mappings"),
            "{}",
            problem.message
        );
        assert_eq!(problem.span, Span::new(1, 9));
        let parsed = parse("x: [{a: {<<: [{b: 1}, c]}}]\n").unwrap();
        let [problem] = &parsed.problems[..] else { panic!("{:?}", parsed.problems) };
        assert!(
            problem.message.starts_with("`x[0].a`: a merge key") && problem.message.ends_with("not text"),
            "{}",
            problem.message
        );
        // the mapping of the list is merged all the same
        let root = parsed.root.unwrap();
        let NodeKind::Mapping(entries) = &root.kind else { panic!("a mapping") };
        let NodeKind::Sequence(items) = &entries[0].1.kind else { panic!("a list") };
        let NodeKind::Mapping(entries) = &items[0].kind else { panic!("a mapping") };
        let NodeKind::Mapping(merged) = &entries[0].1.kind else { panic!("a mapping") };
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].0.as_scalar().map(|key| key.text.as_str()), Some("b"));
    }

    /// The keys of the mapping `b` of `text`, `a: ...` then `b: {...}`, in order.
    fn keys_of_b(text: &str) -> Vec<String> {
        let root = parse(text).unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &root.kind else { panic!("a mapping") };
        let NodeKind::Mapping(b) = &entries[1].1.kind else { panic!("a mapping") };
        b.iter().filter_map(|(key, _)| key.as_scalar().map(|key| key.text.clone())).collect()
    }

    #[test]
    fn a_merge_key_tagged_str_is_the_text_as_pyyaml_reads_it() {
        // PyYAML: {'a': {'x': 1}, 'b': {'<<': {'x': 1}, 'y': 2}}
        assert_eq!(keys_of_b("a: &a {x: 1}\nb: {!!str <<: *a, y: 2}\n"), ["<<", "y"]);
    }

    #[test]
    fn a_merge_key_tagged_merge_is_a_merge_key_as_pyyaml_reads_it() {
        // PyYAML: {'a': {'x': 1}, 'b': {'x': 1, 'y': 2}}
        assert_eq!(keys_of_b("a: &a {x: 1}\nb: {!!merge <<: *a, y: 2}\n"), ["x", "y"]);
    }

    #[test]
    fn the_merge_tag_merges_on_a_key_written_any_way_and_is_refused_elsewhere() {
        // PyYAML: b: {x: 1}; `!!merge` on a value: "could not determine a constructor"
        assert_eq!(keys_of_b("a: &a {x: 1}\nb: {!!merge '<<': *a}\n"), ["x"]);
        let problems = parse("body: !!merge <<\n").unwrap().problems;
        assert!(problems.len() == 1 && problems[0].message.contains("the YAML tag `!!merge` is not supported"));
    }

    #[test]
    fn a_long_key_is_cut_in_the_path_of_every_problem_under_it() {
        let key = "k".repeat(10_000);
        let text = format!("? {key}\n:\n{}", "- !x a\n".repeat(100));
        let problems = parse(&text).unwrap().problems;
        assert_eq!(problems.len(), 100);
        let shown = format!("`{}…[0]`: the YAML tag `!x`", "k".repeat(super::PATH_KEY_CHARS));
        assert!(problems[0].message.starts_with(&shown), "{}", &problems[0].message[..200]);
        assert!(problems.iter().all(|problem| problem.message.len() < 2_000));
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
    fn trusted_text_is_bounded_in_nesting_only() {
        // a thousand aliases of a thousand values: just past the values a file may hold
        let items = vec!["x"; 1_000].join(", ");
        let aliases = vec!["*a"; 1_001].join(", ");
        let text = format!("a: &a [{items}]\nb: [{aliases}]\n");
        let error = parse(&text).unwrap_err();
        assert!(error.message.contains("expands to more than 1,000,000 values"), "{}", error.message);
        let root = crate::yaml::parse_trusted(&text).unwrap().root.unwrap();
        let NodeKind::Mapping(entries) = &root.kind else { panic!("not a mapping") };
        let NodeKind::Sequence(copies) = &entries[1].1.kind else { panic!("not a list") };
        assert_eq!(copies.len(), 1_001);
        let deep = "[".repeat(100_000);
        assert!(crate::yaml::parse_trusted(&deep).is_err());
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
}
