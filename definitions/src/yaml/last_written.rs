//! A tree as PyYAML reads it when a mapping repeats a key: the last value of the key.
//!
//! Readers keep the first value and report the repeat, so that one run reports what
//! is wrong under the last value too (PyYAML's, and so the ADK's), the file is read
//! again in this form.

use std::collections::HashMap;

use super::{Node, NodeKind};
use crate::diagnostics::Collector;

/// Reads `root` again with `read` as PyYAML reads it, each repeated key with its last
/// value, when a mapping in it repeats one: the first reading reported the repeat and
/// read the first value, and this one adds what is wrong under the last.
pub(crate) fn read_last_written(root: Option<&Node>, d: &mut Collector, read: impl FnOnce(&Node, &mut Collector)) {
    if let Some(last) = root.and_then(Node::as_last_written) {
        d.again(|d| read(&last, d));
    }
}

impl Node {
    /// This node with each repeated mapping key (by its text) written once, with its
    /// last value, where its last copy is; `None` when no mapping in it repeats a key.
    fn as_last_written(&self) -> Option<Node> {
        let kind = match &self.kind {
            NodeKind::Scalar(_) => return None,
            NodeKind::Sequence(items) => NodeKind::Sequence(changed(items, Node::as_last_written)?),
            NodeKind::Mapping(pairs) => {
                let mut last: HashMap<&str, usize> = HashMap::with_capacity(pairs.len());
                for (at, (key, _)) in pairs.iter().enumerate() {
                    if let Some(key) = key.as_scalar() {
                        last.insert(key.text.as_str(), at);
                    }
                }
                let is_last = |at: usize, key: &Node| key.as_scalar().is_none_or(|key| last[key.text.as_str()] == at);
                let repeats = pairs.iter().enumerate().any(|(at, (key, _))| !is_last(at, key));
                let values: Vec<Option<Node>> = pairs.iter().map(|(_, value)| value.as_last_written()).collect();
                if !repeats && values.iter().all(Option::is_none) {
                    return None;
                }
                let kept = pairs.iter().zip(values).enumerate().filter(|(at, ((key, _), _))| is_last(*at, key));
                NodeKind::Mapping(
                    kept.map(|(_, ((key, value), new))| (key.clone(), new.unwrap_or_else(|| value.clone()))).collect(),
                )
            }
        };
        Some(Node { kind, span: self.span })
    }
}

/// `items` with each replaced by what `change` makes of it, when it changes one.
fn changed(items: &[Node], change: impl Fn(&Node) -> Option<Node>) -> Option<Vec<Node>> {
    let new: Vec<Option<Node>> = items.iter().map(change).collect();
    if new.iter().all(Option::is_none) {
        return None;
    }
    Some(items.iter().zip(new).map(|(item, new)| new.unwrap_or_else(|| item.clone())).collect())
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse;

    #[test]
    fn the_last_value_of_a_repeated_key_takes_its_place() {
        let parsed = parse("a: first\nb: [{ c: one, c: two }]\na: last\n").unwrap();
        let last = parsed.root.as_ref().unwrap().as_last_written().expect("a key repeats");
        let expected = parse("b: [{ c: two }]\na: last\n").unwrap().root.unwrap();
        // the texts and structure, not the places (the digits of the spans)
        let texts = |node: &crate::yaml::Node| format!("{:?}", node.kind).replace(char::is_numeric, "");
        assert_eq!(texts(&last), texts(&expected));
        assert!(parse("a: first\nb: [{ c: one }]\n").unwrap().root.unwrap().as_last_written().is_none());
    }
}
