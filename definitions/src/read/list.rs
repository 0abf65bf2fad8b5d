//! The entries of a list (the APIs, an API's operations, an operation's mock rules),
//! with a mapping written in a list's place read as the entries it was meant to be.

use std::borrow::Cow;

use super::fields::placed_key;
use crate::advice::placement::Level;
use crate::advice::synonyms::meaning;
use crate::diagnostics::Collector;
use crate::names::{did_you_mean, is_identifier};
use crate::yaml::{unspaced_dash, Node, NodeKind, Scalar};

/// What a list holds, for [`entries`].
pub(crate) struct ListOf<'a> {
    /// The list as a message names it: ``a list of APIs (`- name: ...`)``.
    pub(crate) what: &'a str,
    /// One entry as a message names it: `API`.
    pub(crate) entry: &'a str,
    /// The keys an entry takes.
    pub(crate) keys: &'a [&'a str],
    /// Whether an entry holds its own `name`, so that a mapping keyed by names
    /// can be read as one entry per key.
    pub(crate) named: bool,
    /// The level of an entry's keys, whose misplaced keys have messages of their own.
    pub(crate) level: Level,
}

/// The entries of the list `node` holds (none for nothing). A mapping in its place is
/// an error that says how to write it as a list, and is still read, for its own
/// errors: as the list's one entry when it holds a key of an entry (its `- ` left
/// out, or written without its space, `-name: crm`), or as one entry per key, named
/// after it, when it is keyed by the entries' names (`get_ticket: {..}` for
/// `- name: get_ticket`). So is an entry named by its first key (`- get_ticket:`),
/// see [`named_by_their_keys`].
pub(crate) fn entries<'n>(node: &'n Node, path: &str, list: &ListOf, d: &mut Collector) -> Cow<'n, [Node]> {
    let pairs = match &node.kind {
        NodeKind::Sequence(items) if list.named => return named_by_their_keys(items, path, list, d),
        NodeKind::Sequence(items) => return Cow::Borrowed(items),
        _ if node.is_null() => return Cow::Borrowed(&[]),
        NodeKind::Mapping(pairs) => pairs,
        NodeKind::Scalar(_) => {
            d.error(node.span, format!("`{path}` must be {}, found {}", list.what, node.describe()));
            d.lose_call();
            return Cow::Borrowed(&[]);
        }
    };
    let key_text = |key: &'n Node| key.as_scalar().map(|key| key.text.as_str());
    let Some(first) = pairs.first().and_then(|(key, _)| key_text(key)) else {
        d.error(node.span, format!("`{path}` must be {}, found a mapping", list.what));
        d.lose_call();
        return Cow::Borrowed(&[]);
    };
    // a block mapping starts at its first key, a flow mapping at its `{`
    let block = pairs.first().is_some_and(|(key, _)| key.span == node.span);
    let (what, entry) = (list.what, list.entry);
    // `-name: crm`: the entry's `- ` without its space, read by YAML as part of the key
    let unspaced = first.strip_prefix('-').filter(|key| list.keys.contains(key));
    if let (Some(key), true) = (unspaced, block) {
        let fix = format!(
            "{}: write `- {key}:` and indent the {entry}'s other keys two more spaces, to line up with `{key}:`",
            unspaced_dash(key)
        );
        d.error(node.span, format!("`{path}` must be {what}, found one {entry} written as a mapping: {fix}"));
        return Cow::Owned(vec![with_first_key(node, key)]);
    }
    if pairs.iter().any(|(key, _)| key_text(key).is_some_and(|key| list.keys.contains(&key))) {
        let fix = match block {
            true => format!("put `- ` before `{first}:` and indent the {entry}'s other keys two more spaces, to line up with `{first}:`"),
            false => format!("put it in a list: `[{{ {first}: ... }}]`"),
        };
        d.error(
            node.span,
            format!("`{path}` must be {what}, found one {entry} written as a mapping, not as a list entry: {fix}"),
        );
        return Cow::Borrowed(std::slice::from_ref(node));
    }
    // OpenAPI's `paths:`, keyed by resources, each holding its methods
    let keyed_by_resources = pairs.iter().all(|(key, _)| key_text(key).is_some_and(|key| key.starts_with('/')));
    if list.level == Level::Operation && keyed_by_resources {
        d.error(
            node.span,
            format!("`{path}` must be {what}, found a mapping keyed by resources, as OpenAPI's `paths:` writes them; write each path and method as an operation, like `- {{ name: get_item, method: GET, resource: \"{first}\" }}`"),
        );
        d.lose_call();
        return Cow::Borrowed(&[]);
    }
    if list.named && pairs.iter().all(|(key, value)| key_text(key).is_some() && names_an_entry(value)) {
        let each = match pairs.len() {
            1 => String::new(),
            _ => format!(", and so for each {entry}"),
        };
        let fix = match block {
            true => {
                format!("write `- name: {first}` in place of `{first}:`, with the keys under it where they are{each}")
            }
            false => format!("write `[{{ name: {first}, ... }}]`, each {entry} an entry of the list"),
        };
        d.error(
            node.span,
            format!("`{path}` must be {what}, found a mapping keyed by {entry} names; an {entry} is a list entry that holds its name: {fix}"),
        );
        return Cow::Owned(pairs.iter().map(|(key, value)| named_entry(key, value)).collect());
    }
    d.error(node.span, format!("`{path}` must be {what}, found a mapping"));
    d.lose_call();
    Cow::Borrowed(&[])
}

/// The entries `items`, each read as the entry it was meant to be when it is named by
/// its first key, as a mapping keyed by names would name it: `- get_ticket:` with the
/// entry's keys under it, or beside it with no value. That is an error that says to
/// write `- name: get_ticket`.
fn named_by_their_keys<'n>(items: &'n [Node], path: &str, list: &ListOf, d: &mut Collector) -> Cow<'n, [Node]> {
    let mut named = Cow::Borrowed(items);
    for (index, item) in items.iter().enumerate() {
        let Some(NamedByKey { key, name, value, beside }) = named_by_its_key(item, list) else { continue };
        let (entry, under) = (list.entry, !value.is_null());
        let keys = if under { ", and its keys under it lined up with `name:`" } else { "" };
        d.error(
            key.span,
            format!("`{path}[{index}]` is named by its key `{name}:`, but an {entry} holds its name: write `- name: {name}` in place of `- {name}:`{keys}"),
        );
        let mut entry = named_entry(key, value);
        if let NodeKind::Mapping(pairs) = &mut entry.kind {
            pairs.extend(beside.iter().cloned());
        }
        named.to_mut()[index] = entry;
    }
    named
}

/// A list entry named by its first key: `- get_ticket:`.
struct NamedByKey<'n> {
    key: &'n Node,
    /// The key's text, the entry's name.
    name: &'n str,
    /// The key's value: the entry's keys, or nothing.
    value: &'n Node,
    /// The entry's keys beside the first.
    beside: &'n [(Node, Node)],
}

/// The list entry `item` as named by its first key, when it is: a block mapping's
/// first key, an identifier that is no key of an entry, nor like one, nor a key a
/// message of its own places (`base_url`, `sandbox`, OpenAPI's `responses`), in an
/// entry without a `name`.
fn named_by_its_key<'n>(item: &'n Node, list: &ListOf) -> Option<NamedByKey<'n>> {
    let NodeKind::Mapping(pairs) = &item.kind else { return None };
    let ((key, value), beside) = pairs.split_first()?;
    let name = key.as_scalar().map(|key| key.text.as_str()).filter(|name| is_identifier(name))?;
    // a block mapping starts at its first key
    let block = key.span == item.span;
    // a key the unknown-key message places, or takes for a key of the entry
    let placed = list.keys.contains(&name)
        || did_you_mean(name, list.keys.iter().copied()).is_some()
        || meaning(name, list.keys).is_some()
        || placed_key(name, value, list.keys, list.level, false).is_some();
    let names = block && !placed && item.value_of("name").is_none() && names_an_entry(value);
    names.then_some(NamedByKey { key, name, value, beside })
}

/// Whether `value`, under a key of a mapping in a list's place, reads as an entry
/// named by the key: a mapping without a `name` of its own, or nothing.
fn names_an_entry(value: &Node) -> bool {
    match &value.kind {
        NodeKind::Mapping(_) => value.value_of("name").is_none(),
        _ => value.is_null(),
    }
}

/// The entry `key: value` stands for: `value`'s keys, after a `name` that is `key`.
fn named_entry(key: &Node, value: &Node) -> Node {
    let mut pairs = vec![(plain_key("name", key), key.clone())];
    if let NodeKind::Mapping(entries) = &value.kind {
        pairs.extend(entries.iter().cloned());
    }
    Node { kind: NodeKind::Mapping(pairs), span: key.span }
}

/// The mapping `node` with its first key read as `key`: `-name: crm` as `name: crm`.
fn with_first_key(node: &Node, key: &str) -> Node {
    let mut entry = node.clone();
    if let NodeKind::Mapping(pairs) = &mut entry.kind {
        if let Some((first, _)) = pairs.first_mut() {
            *first = plain_key(key, first);
        }
    }
    entry
}

/// A plain `key` written where `at` is.
fn plain_key(key: &str, at: &Node) -> Node {
    let key = Scalar { text: key.to_string(), plain: true, tag: None, text_at: None, folded: false };
    Node { kind: NodeKind::Scalar(key), span: at.span }
}
