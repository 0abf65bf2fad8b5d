//! The mapping reader every part of the file is read with: keys checked for
//! shape, duplicates and misspellings, and the text and list values.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::advice::placement::{
    belongs_under, colon_after, key_missing_its_colon, moved_to_block_below, where_it_goes, Level,
};
use crate::advice::synonyms::meaning;
use crate::advice::{elsewhere, unit_keys};
use crate::diagnostics::{shows_alone, Collector};
use crate::model::{is_secret_word, names_a_secret, Span, Text};
use crate::names::{did_you_mean, is_secret_name, list_choices};
use crate::yaml::{
    quoted, starts_slash_comment, unspaced_dash, Node, NodeKind, ScalarValue, ENTRY_KEYS, SLASH_COMMENT_FIX,
};

/// The mapping entries of one node, checked for shape and duplicate keys.
pub(crate) struct Fields<'n> {
    pub(crate) span: Span,
    pub(crate) entries: Vec<(&'n str, &'n Node, &'n Node)>,
    /// Misspelt keys and their values, under the key each seems to mean ([`Fields::check_keys`]).
    stand_ins: Vec<(String, &'n Node, &'n Node)>,
}

/// The number of keys past which a mapping's keys are hashed to find repeats.
const LARGE_MAPPING: usize = 16;

impl<'n> Fields<'n> {
    /// The node's entries, or an error if it is not a mapping with text keys.
    pub(crate) fn of(node: &'n Node, path: &str, d: &mut Collector) -> Option<Fields<'n>> {
        Fields::of_reading(node, path, |_| true, d)
    }

    /// Like [`Fields::of`], where the error of a node that is not a mapping shows
    /// how one is written: `like`, such as `headers: { content-type: text/plain }`.
    pub(crate) fn of_like(node: &'n Node, path: &str, like: &str, d: &mut Collector) -> Option<Fields<'n>> {
        Fields::of_reading_like(node, path, |_| true, Some(like), d)
    }

    /// Like [`Fields::of`], where only the keys `read` accepts are read: a repeat of
    /// another key is no error, as PyYAML takes it (the first is kept, and not read).
    pub(crate) fn of_reading(
        node: &'n Node,
        path: &str,
        read: impl Fn(&str) -> bool,
        d: &mut Collector,
    ) -> Option<Fields<'n>> {
        Fields::of_reading_like(node, path, read, None, d)
    }

    /// [`Fields::of_reading`], whose error shows `like` when it has no better hint.
    fn of_reading_like(
        node: &'n Node,
        path: &str,
        read: impl Fn(&str) -> bool,
        like: Option<&str>,
        d: &mut Collector,
    ) -> Option<Fields<'n>> {
        let NodeKind::Mapping(pairs) = &node.kind else {
            // `[ // the APIs`: a JavaScript comment read as an item
            let comment = node.as_scalar().filter(|scalar| starts_slash_comment(&scalar.text));
            // `method GET` on the line under the key, read as the key's text
            let key = node.as_scalar().and_then(|scalar| key_missing_its_colon(&scalar.text));
            let hint = match (comment, key) {
                (Some(_), _) => format!("; {SLASH_COMMENT_FIX}"),
                (None, Some(key)) => format!("; {}", colon_after(key)),
                (None, None) => like.map(|like| format!("; write it like `{like}`")).unwrap_or_default(),
            };
            d.error(
                node.span,
                format!("{} must be a mapping (`key: value` lines), found {}{hint}", element(path), node.describe()),
            );
            return None;
        };
        let mut entries: Vec<(&'n str, &'n Node, &'n Node)> = Vec::with_capacity(pairs.len());
        // where each key is in `entries`: hashed only in a large mapping, so that
        // reading one stays linear; most have a handful of keys, found faster by a scan
        let mut positions: Option<HashMap<&'n str, usize>> = (pairs.len() > LARGE_MAPPING).then(HashMap::new);
        // where an entry of the list this mapping is in seems to start again, its `- `
        // lost: the keys repeated from there on are that entry's, told once
        let mut entry_again: Option<Span> = None;
        for (key, value) in pairs {
            let Some(name) = key.as_scalar().map(|s| s.text.as_str()) else {
                d.error(
                    key.span,
                    format!("{} has a key that is {}; keys are plain names", element(path), key.describe()),
                );
                continue;
            };
            let earlier = match &positions {
                Some(positions) => positions.get(name).map(|&at| &entries[at]),
                None => entries.iter().find(|(k, _, _)| *k == name),
            };
            if let Some((_, first, _)) = earlier {
                if !read(name) || entry_again.is_some_and(|again| again < key.span) {
                    continue;
                }
                let list = path.strip_suffix(']').and_then(|path| path.rsplit_once('[')).map(|(list, _)| list);
                let starts_entry = ENTRY_KEYS.contains(&name) && first.span.column == key.span.column;
                // both at one place: an alias's copy, whose keys all take the alias's place
                let message = match (first.span == key.span, list.filter(|_| starts_entry)) {
                    (true, _) => format!(
                        "duplicate key `{name}` in {}, in the value this alias copies; keep one where its anchor (`&`) is",
                        element(path)
                    ),
                    (false, Some(list)) => {
                        entry_again = Some(key.span);
                        format!(
                            "duplicate key `{name}` in {} (first at line {}); if line {} starts another entry of `{list}`, write `- ` before `{name}:` there; else keep one",
                            element(path),
                            first.span.line,
                            key.span.line,
                        )
                    }
                    (false, None) => {
                        let first_at = first.span.said_from(key.span);
                        format!("duplicate key `{name}` in {} (first at {first_at}); keep one", element(path))
                    }
                };
                d.repeated_key(key.span, message);
                continue;
            }
            if let Some(positions) = &mut positions {
                positions.insert(name, entries.len());
            }
            entries.push((name, key, value));
        }
        Some(Fields { span: node.span, entries, stand_ins: Vec::new() })
    }

    /// Like [`Fields::of`], where the mapping may be written as a list of mappings
    /// (`- sandbox: {..}`), as a JSON array of objects carries over: an error that says
    /// to drop the `- `, and the entries, to be read for their own errors. Such a list
    /// is one with a key that `is_entry` takes; `entry` names what the keys are
    /// (`environment`).
    pub(crate) fn of_or_listed(
        node: &'n Node,
        path: &str,
        entry: &str,
        is_entry: impl Fn(&str) -> bool,
        d: &mut Collector,
    ) -> Option<Fields<'n>> {
        Fields::listed(node, path, entry, is_entry, d).or_else(|| Fields::of(node, path, d))
    }

    /// The entries of `node` when it is a list of mappings that [`Fields::of_or_listed`]
    /// reads, with its error.
    fn listed(
        node: &'n Node,
        path: &str,
        entry: &str,
        is_entry: impl Fn(&str) -> bool,
        d: &mut Collector,
    ) -> Option<Fields<'n>> {
        let NodeKind::Sequence(items) = &node.kind else { return None };
        let mut fields = Fields::empty(node.span);
        for item in items {
            let NodeKind::Mapping(pairs) = &item.kind else { return None };
            for (key, value) in pairs {
                fields.entries.push((&key.as_scalar()?.text, key, value));
            }
        }
        let (first, ..) = fields.entries.iter().find(|(key, ..)| is_entry(key))?;
        let others = if fields.entries.len() > 1 { format!(" and each other {entry}") } else { String::new() };
        d.error(
            node.span,
            format!("{} must be a mapping (`key: value` lines), found a list; the {entry}s are its keys, not list entries: remove the `- ` before `{first}:`{others}", element(path)),
        );
        Some(fields)
    }

    /// A mapping with no entries, at `span`.
    pub(crate) fn empty(span: Span) -> Fields<'n> {
        Fields { span, entries: Vec::new(), stand_ins: Vec::new() }
    }

    /// Reports keys not in `allowed`, the keys of `level`: a key of another level is told
    /// where it goes; else a "did you mean" when one is close, and such a key then
    /// stands in for the one it seems to mean, when that one is missing, so what is
    /// under it is read and its own errors are reported too (the file fails on the
    /// misspelling anyway).
    pub(crate) fn check_keys(&mut self, allowed: &[&str], level: Level, path: &str, d: &mut Collector) {
        let mut stand_ins = Vec::new();
        for &(key, key_node, value) in &self.entries {
            if allowed.contains(&key) {
                continue;
            }
            let has_name = self.key_span("name").is_some();
            if let Some((shown, fix)) = placed_key(key, value, allowed, level, has_name) {
                // an empty block written below it, which indenting could not put it under
                let fix = match self.empty_block_below(key, key_node.span) {
                    Some((block, at)) => moved_to_block_below(key, block, at.line),
                    None => fix,
                };
                d.error(key_node.span, format!("unknown key {shown} in {}; {fix}", element(path)));
                continue;
            }
            let hint = match self.misspelling(key, allowed) {
                Some(misspelling) => {
                    stand_ins.push((misspelling.meant, key_node, value));
                    misspelling.hint()
                }
                // a JSON file with JavaScript's comments: the comment is read as part of the next key
                None if starts_slash_comment(key) => SLASH_COMMENT_FIX.to_string(),
                None => format!("the keys are {}", list_choices(allowed.iter().copied())),
            };
            d.error(key_node.span, format!("unknown key {} in {}; {hint}", shown_key(key), element(path)));
        }
        for (meant, key_node, value) in stand_ins {
            self.stand_in(meant, key_node, value);
        }
    }

    /// The empty block key written after `key` (at `at`) whose mapping takes `key`
    /// (`environments:`, below an environment's name), and where it is written.
    fn empty_block_below(&self, key: &str, at: Span) -> Option<(&'n str, Span)> {
        let below = |&&(block, block_node, value): &&(&'n str, &'n Node, &'n Node)| {
            block_node.span > at && value.is_null() && belongs_under(block, key)
        };
        self.entries.iter().find(below).map(|&(block, block_node, _)| (block, block_node.span))
    }

    /// The key of `allowed` that the unknown `key` seems to misspell, if any.
    pub(super) fn misspelling<'k>(&self, key: &str, allowed: &[&'k str]) -> Option<Misspelling<'k>> {
        let (meant, synonym) = match did_you_mean(key, allowed.iter().copied()) {
            Some(meant) => (meant, false),
            None => (self.meaning(key, allowed)?, true),
        };
        let blank = Blank::around(key, meant);
        Some(Misspelling { meant, given: self.key_span(meant).is_some(), synonym, blank })
    }

    /// The key of `allowed` that `key` names as another format names it
    /// ([`meaning`]), read beside the keys given here: Postman's API key auth names
    /// the header `key`, beside the key's `value`, so `key` then means `name`.
    pub(crate) fn meaning<'k>(&self, key: &str, allowed: &[&'k str]) -> Option<&'k str> {
        let meant = meaning(key, allowed)?;
        let header_name = allowed.iter().copied().find(|allowed| *allowed == "name");
        match header_name {
            Some(name) if key == "key" && meant == "value" && self.key_span("value").is_some() => Some(name),
            _ => Some(meant),
        }
    }

    /// Reads the misspelt `key: value` as `meant`, unless `meant` is written too
    /// (or already has a stand-in).
    pub(super) fn stand_in(&mut self, meant: &str, key: &'n Node, value: &'n Node) {
        if self.key_span(meant).is_none() {
            self.stand_ins.push((meant.to_string(), key, value));
        }
    }

    /// The key and value nodes of `key`, or of a misspelling standing in for it.
    fn entry(&self, key: &str) -> Option<(&'n Node, &'n Node)> {
        let written = self.entries.iter().find(|(k, _, _)| *k == key).map(|&(_, k, v)| (k, v));
        written.or_else(|| self.stand_ins.iter().find(|(k, _, _)| k == key).map(|&(_, k, v)| (k, v)))
    }

    /// The value of `key` (or of a misspelling standing in for it), even if null.
    pub(crate) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The value of `key`, unless it is absent or null.
    pub(crate) fn present(&self, key: &str) -> Option<&'n Node> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Where `key` (or a misspelling standing in for it) is written.
    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|(key, _)| key.span)
    }

    /// The value of a required key; reports it missing (at the entry) with an example,
    /// unless a misspelt key stands in for it, or it is empty and keys meant under
    /// it are written after it, beside it (those keys' errors say to indent them).
    pub(crate) fn required(&self, key: &str, path: &str, example: &str, d: &mut Collector) -> Option<&'n Node> {
        let value = self.present(key);
        let dedented_under = || {
            let Some(at) = self.key_span(key).filter(|_| self.get(key).is_some()) else { return false };
            self.entries.iter().any(|(k, node, _)| node.span > at && belongs_under(key, k))
        };
        if value.is_some() || self.stand_ins.iter().any(|(k, _, _)| k == key) || dedented_under() {
            return value;
        }
        let span = self.key_span(key).unwrap_or(self.span);
        // the element named is the key's (`api_integrations[0].operations[2].resource`),
        // pointed at where it goes: the entry that lacks it, or the key left empty
        let message = match (path.is_empty(), self.get(key).is_some()) {
            (true, _) => format!("the file is missing `{key}`; add it, like `{example}`"),
            (false, false) => format!("`{path}.{key}` is missing; add it, like `{example}`"),
            (false, true) => format!("`{path}.{key}` is empty; give it a value, like `{example}`"),
        };
        d.error(span, message);
        None
    }

    /// An optional text value.
    pub(crate) fn optional_text(&self, key: &str, path: &str, d: &mut Collector) -> Option<Text> {
        let node = self.present(key)?;
        text(node, &format!("{path}.{key}"), d).map(|t| Cow::Owned(t.to_string()))
    }
}

/// An unknown key that looks like `meant`, or is another format's word for it
/// (`synonym`), which may be `given` as well.
pub(super) struct Misspelling<'k> {
    pub(super) meant: &'k str,
    pub(super) given: bool,
    synonym: bool,
    /// A blank YAML takes as part of the key, all that sets it apart from `meant`.
    blank: Option<Blank>,
}

impl Misspelling<'_> {
    /// A did-you-mean; when the key meant is given too, following it would repeat
    /// that key, so the hint says so instead.
    pub(super) fn hint(&self) -> String {
        let hint = match (self.given, self.synonym) {
            (true, false) => format!("it looks like `{}`, which is already given; remove one", self.meant),
            (true, true) => format!("it means `{}` here, which is already given; remove one", self.meant),
            (false, false) => format!("did you mean `{}`?", self.meant),
            (false, true) => format!("this format calls it `{}`", self.meant),
        };
        match &self.blank {
            Some(blank) => format!("{hint} {}", blank.fix()),
            None => hint,
        }
    }
}

/// A character that looks like a space, or shows as nothing, at one end of a key:
/// a no-break or ideographic space pasted before a key is no indentation to YAML,
/// which reads it as part of the key (`<U+00A0>description`), shown like a space.
struct Blank {
    character: char,
    at_start: bool,
}

impl Blank {
    /// `key` without the blanks it starts or ends with.
    fn trimmed(key: &str) -> &str {
        key.trim_matches(Blank::is_blank)
    }

    /// Whether `c` looks like a space, or shows as nothing, and is not ASCII.
    fn is_blank(c: char) -> bool {
        !c.is_ascii() && (c.is_whitespace() || !shows_alone(c))
    }

    /// The blank that `key` starts or ends with, when without it the key is `meant`.
    fn around(key: &str, meant: &str) -> Option<Blank> {
        let trimmed = Blank::trimmed(key);
        if !trimmed.eq_ignore_ascii_case(meant) {
            return None;
        }
        let first = key.chars().next().filter(|&c| Blank::is_blank(c));
        let last = key.chars().next_back().filter(|&c| Blank::is_blank(c));
        match (first, last) {
            (Some(character), _) => Some(Blank { character, at_start: true }),
            (None, Some(character)) => Some(Blank { character, at_start: false }),
            (None, None) => None,
        }
    }

    fn fix(&self) -> String {
        let (end, fix) = match self.at_start {
            true => ("starts", "replace it with plain spaces"),
            false => ("ends", "remove it"),
        };
        let not_a_space = if self.character.is_whitespace() { ", not as a space" } else { "" };
        format!(
            "the key {end} with U+{:04X}, which YAML reads as part of the key{not_a_space}: {fix}",
            self.character as u32
        )
    }
}

/// How an unknown `key` (with `value`) of a mapping at `level`, whose keys are
/// `allowed`, is told where a message of its own places it: a known key glued to its
/// value, a key of another level, an entry's `- ` without its space, an ADK id
/// (`has_name`: beside a `name`), a key with a unit in its name, or another format's
/// key. The key as shown, and the fix; none for a key left to "did you mean".
pub(crate) fn placed_key(
    key: &str,
    value: &Node,
    allowed: &[&str],
    level: Level,
    has_name: bool,
) -> Option<(String, String)> {
    if let Some(glued) = glued_key(key, value, |name| allowed.contains(&name)) {
        return Some(glued);
    }
    if let Some(goes) = where_it_goes(level, key) {
        return Some((format!("`{key}`"), goes));
    }
    // the same with a blank YAML reads as part of the key (`method<U+00A0>`), unless
    // the key is this level's, which a did-you-mean tells
    let unblanked = Blank::trimmed(key);
    let goes = || where_it_goes(level, unblanked).filter(|_| !allowed.contains(&unblanked));
    if let Some((goes, blank)) = goes().zip(Blank::around(key, unblanked)) {
        return Some((format!("`{key}`"), format!("{goes}; {}", blank.fix())));
    }
    // `-name: put` after an entry's keys: the `- ` of the next entry, without its space
    if let Some(meant) = key.strip_prefix('-').filter(|meant| ENTRY_KEYS.contains(meant)) {
        return Some((
            format!("`{key}`"),
            format!("{}: write `- {meant}:` to start an entry of its own", unspaced_dash(meant)),
        ));
    }
    if let Some(fix) = elsewhere::adk_id(level, key, has_name) {
        return Some((format!("`{key}`"), format!("`{key}` {fix}")));
    }
    let rewritten = unit_keys::rewritten(level, key, value);
    let fix = rewritten.or_else(|| elsewhere::instead(level, key).map(str::to_string))?;
    Some((shown_key(key), fix))
}

/// An unknown `key` that is a known one (`is_known`) glued to its value, as YAML
/// reads `base_url:"https://.."` or `description:Note: cached` (with `value` after
/// its second colon): the key as it may be shown, and how to fix it. A secret's value
/// is not written out.
pub(crate) fn glued_key(key: &str, value: &Node, is_known: impl Fn(&str) -> bool) -> Option<(String, String)> {
    let (name, start) = key.split_once(':').filter(|(name, _)| is_known(name))?;
    let rest = value.as_scalar().filter(|_| !value.is_null()).map(|rest| rest.text.as_str());
    if glued_secret(name, start, rest) {
        return Some((format!("`{name}:...`"), format!("YAML reads it as one key; put a space after `{name}:`")));
    }
    let fix = match rest {
        // `retry:{ attempts: 2 }`: a mapping or list, which the space alone makes one
        _ if start.starts_with(['{', '[']) => {
            let rest = rest.map_or(String::new(), |rest| format!(": {rest}"));
            format!("put a space after the colon: `{name}: {start}{rest}`")
        }
        // `method:: GET`, `"method:": GET`: a colon too many (the value quoted as it was)
        Some(rest) if start.is_empty() => {
            let written = match value.as_scalar().is_some_and(|scalar| scalar.plain) {
                true => rest.to_string(),
                false => quoted(rest),
            };
            format!("write one colon: `{name}: {written}`")
        }
        // `description:Note: cached`: what follows the second colon is the value's too
        Some(rest) => {
            format!(
                "put a space after the first colon and quote the value: `{name}: {}`",
                quoted(&format!("{start}: {rest}"))
            )
        }
        None if !value.is_null() => "put a space after the first colon and quote the value".to_string(),
        None => format!("put a space after the colon: `{name}: {start}`"),
    };
    Some((format!("`{key}`"), format!("YAML reads `{key}` as one key; {fix}")))
}

/// Whether the text glued to the known key `name` (`start`, then the value `rest`)
/// may hold a secret: the value of a secret's setting, or a mapping (`tls:{
/// client_key: ..`) holding a secret's key or a value of one. A reference `{ secret:
/// NAME }` with a valid name holds none.
fn glued_secret(name: &str, start: &str, rest: Option<&str>) -> bool {
    let inside = start.strip_prefix(['{', '[']).map(str::trim);
    let named = |rest: &str| is_secret_name(rest.trim_end_matches([' ', '}']));
    let reference = inside == Some("secret") && rest.is_some_and(named);
    let in_mapping = inside.is_some_and(|inside| names_a_secret(inside) || rest.is_some_and(names_a_secret));
    !reference && (names_a_secret(name) || in_mapping)
}

/// An unknown `key` as a message may show it: in backticks, but only up to the end
/// of its first word that names a secret's setting when more follows
/// (`Password:hunter2`, `value hunter2`), which may be its value.
pub(crate) fn shown_key(key: &str) -> String {
    let mut word_start = 0;
    for (at, c) in key.char_indices() {
        if c.is_ascii_alphanumeric() || c == '_' {
            continue;
        }
        if word_start < at && is_secret_word(&key[word_start..at]) {
            return format!("`{}{c}...`", &key[..at]);
        }
        word_start = at + c.len_utf8();
    }
    format!("`{key}`")
}

/// How messages name the element at `path`; the empty path is the whole file.
fn element(path: &str) -> String {
    if path.is_empty() {
        "the file".to_string()
    } else {
        format!("`{path}`")
    }
}

/// A scalar's text; an error for a list or mapping.
pub(crate) fn text<'n>(node: &'n Node, path: &str, d: &mut Collector) -> Option<&'n str> {
    match node.as_scalar() {
        // a description is prose, which may be quoted so
        Some(scalar) if scalar.plain && is_in_typographic_quotes(&scalar.text) && !path.ends_with(".description") => {
            let (open, close) = (scalar.text.chars().next(), scalar.text.chars().next_back());
            let quotes = format!("`{} {}`", open.unwrap_or_default(), close.unwrap_or_default());
            d.error(
                node.span,
                format!("`{path}` is written in typographic quotes ({quotes}), which YAML reads as part of the value: use straight quotes (`\"`) or none"),
            );
            None
        }
        Some(scalar) => Some(scalar.text.as_str()),
        None => {
            d.error(
                node.span,
                format!(
                    "`{path}` must be text, found {}; write one string, quoted if it starts with `[`, `{{` or `-`",
                    node.describe()
                ),
            );
            None
        }
    }
}

/// Whether `text` is wrapped in the quotes word processors and chat apps type
/// (`“GET”`, `‘/x’`, `«a»`), which YAML takes as text.
fn is_in_typographic_quotes(text: &str) -> bool {
    const QUOTES: [char; 7] = ['“', '”', '„', '‘', '’', '«', '»'];
    let mut chars = text.chars();
    let (first, last) = (chars.next(), chars.next_back());
    first.is_some_and(|c| QUOTES.contains(&c)) && last.is_some_and(|c| QUOTES.contains(&c))
}

/// A boolean; an error for anything but `true` or `false`.
pub(crate) fn boolean(node: &Node, path: &str, d: &mut Collector) -> Option<bool> {
    if let Some(ScalarValue::Bool(value)) = node.as_scalar().map(|s| s.value()) {
        return Some(value);
    }
    // YAML 1.1's booleans (PyYAML reads all but `y` and `n` so), which YAML 1.2 reads
    // as text, and any boolean in quotes
    let meant = node.as_scalar().and_then(|s| match s.text.to_ascii_lowercase().as_str() {
        "yes" | "on" | "y" | "true" => Some((s, "true")),
        "no" | "off" | "n" | "false" => Some((s, "false")),
        _ => None,
    });
    let message = match meant {
        Some((scalar, meant)) if scalar.tag.as_deref() == Some("str") => format!(
            "`{path}` must be `true` or `false`, found `{}` tagged `!!str`, which makes it text; write `{meant}` without the tag",
            scalar.text
        ),
        Some((scalar, meant)) if scalar.plain => format!(
            "`{path}` must be `true` or `false`, found `{}`, which YAML 1.2 reads as text; write `{meant}`",
            scalar.text
        ),
        Some((scalar, meant)) if scalar.tag.is_none() => format!(
            "`{path}` must be `true` or `false`, found `{}` in quotes, which is text; write `{meant}` without the quotes",
            scalar.text
        ),
        _ => format!("`{path}` must be `true` or `false`, found {}", node.describe()),
    };
    d.error(node.span, message);
    None
}

pub(super) fn scalar_text(node: &Node) -> String {
    match node.as_scalar() {
        Some(scalar) => scalar.text.clone(),
        None => node.describe().to_string(),
    }
}
