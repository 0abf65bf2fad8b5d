//! Which YAML tags are read: those that change nothing but quoting. Any other is
//! an error, so that no value is read otherwise than PyYAML constructs it.

use saphyr_parser::Tag;

use super::scalar::{Scalar, ScalarValue};

/// Whether `tag` is the non-specific `!`, which leaves a plain scalar's type to be
/// resolved as if untagged (`! 1` is a number, in PyYAML too).
pub(super) fn is_non_specific(tag: &Tag) -> bool {
    tag.handle.is_empty() && tag.suffix == "!"
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
        None if is_non_specific(tag) => Ok(None),
        None if tag.handle.is_empty() => Err(format!("!<{}>", tag.suffix)),
        None if tag.handle == "!" => Err(format!("!{}", tag.suffix)),
        // a handle a `%TAG` directive declared, shown as what it stands for
        None => Err(format!("!<{}{}>", tag.handle, tag.suffix)),
    }
}

/// Why PyYAML, and so the ADK, cannot read the tag of a node whose text starts
/// `from` (at its anchor, when that comes first) as the parser reads it: PyYAML
/// reads a tag up to a space or a line break, so `[!!str]` holds the tag `!!str]`,
/// and `{a: !!str}` or a tab after a tag is an error. `None` where the tag ends as
/// PyYAML needs, or the text there is not a tag.
pub(super) fn tag_run_on(from: &str) -> Option<String> {
    let from = match from.strip_prefix('&') {
        Some(anchored) => anchored[anchored.find(char::is_whitespace)?..].trim_start(),
        None => from,
    };
    let tagged = from.strip_prefix('!')?;
    let after = match tagged.strip_prefix('<') {
        Some(verbatim) => &verbatim[verbatim.find('>')? + 1..],
        None => tagged.trim_start_matches(|c: char| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}')),
    };
    let next = after.chars().next()?;
    if matches!(next, ' ' | '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
        return None;
    }
    let found = match next {
        '\t' => "a tab".to_string(),
        other => format!("`{other}`"),
    };
    Some(format!(
        "invalid YAML: a tag (the `!` part of a value) must be followed by a space or a line break, not {found}, for PyYAML (and so the ADK) to read it; put a space after the tag"
    ))
}

/// The kind of node a tag is on, with a scalar's text and whether it is a mapping's
/// key (where the merge tag is read too).
#[derive(Clone, Copy)]
pub(super) enum Tagged<'a> {
    Scalar(&'a str, bool),
    Sequence,
    Mapping,
}

/// Whether the type `name` is the one the node has without its tag, under either
/// typing the crate reads scalars with (YAML 1.2's, and PyYAML's for mock bodies):
/// a tag is read only where it changes nothing but quoting (`!!str 42`, `!!int '5'`),
/// or, for `!!float`, where PyYAML's constructor reads a float (`!!float 1` is
/// `1.0`), so no value is read otherwise than PyYAML constructs it (`!!binary`,
/// `!!set`...).
fn type_fits(name: &str, node: Tagged<'_>) -> bool {
    match (name, node) {
        ("str", Tagged::Scalar(..)) | ("seq", Tagged::Sequence) | ("map", Tagged::Mapping) => true,
        // what PyYAML's constructor reads as a float, which may be typed otherwise untagged
        // (`!!float 1e3`, text in YAML 1.1; `!!float 1`, an integer): read as that float
        ("float", Tagged::Scalar(text, _)) => super::yaml11::tagged_float(text).is_some(),
        // a merge key's own tag, on a mapping's key (PyYAML refuses it elsewhere)
        ("merge", Tagged::Scalar(_, is_key)) => is_key,
        (_, Tagged::Scalar(text, _)) => {
            let untagged = Scalar { text: text.to_owned(), plain: true, tag: None, text_at: None, folded: false };
            [untagged.value(), super::yaml11::value(&untagged)].iter().any(|value| {
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

/// How a message shows a tag that is not read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TagShown {
    /// As written.
    Written,
    /// Not at all, near a secret: a secret written where its reference goes may start
    /// with `!` (`password: !Qaz2wsx`), which YAML reads as a tag.
    Hidden,
    /// Not at all, on a secret's setting, with where the secret goes.
    HiddenSecret,
}

/// The type `tag` names, read on `node`: `None` for the non-specific `!`, which
/// PyYAML reads as no tag; for a tag that is not read, the message saying so, the
/// tag `shown` as that says.
pub(super) fn read_tag<'t>(tag: &'t Tag, node: Tagged<'_>, shown: TagShown) -> Result<Option<&'t str>, String> {
    let written = match named_type(tag) {
        Ok(None) => return Ok(None),
        Ok(Some(name)) if type_fits(name, node) => return Ok(Some(name)),
        Ok(Some(name)) => format!("!!{name}"),
        Err(written) => written,
    };
    let hidden = "the value starts with `!`, which YAML reads as a tag (not shown: it may be a secret)";
    match shown {
        TagShown::Written => {}
        // a password starting with `!`: told where the value goes, not to write it here
        TagShown::HiddenSecret => {
            return Err(format!("{hidden}; a secret never goes in the definitions file: write `{{ secret: NAME }}` and put the value in the secret store"));
        }
        TagShown::Hidden => return Err(format!("{hidden}; write text starting with `!` in quotes (`'!...'`)")),
    }
    Err(format!(
        "the YAML tag `{written}` is not supported; remove it and write the value itself (only `!!str`, `!!float` \
         on a number, and a tag naming the type the value has anyway, such as `!!int 5`, are read)"
    ))
}

#[cfg(test)]
mod tests {
    use crate::yaml::{parse, Node, ScalarValue};

    fn scalar(text: &str) -> Node {
        parse(text).unwrap().root.unwrap()
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
}
