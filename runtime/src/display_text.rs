//! The text of a value given as `impl Display` (a path variable, a header value, a
//! log field), without `to_string`'s panic when its `Display` implementation fails;
//! and a name the caller gave, as a message shows it.

use std::borrow::Cow;
use std::fmt;

use conv_api_definitions::one_line;

/// Why a value given as `impl Display` has no text, and how to fix it.
pub(crate) const DISPLAY_FAILED: &str = "its `Display` implementation returned an error, so it has no text to send; make its `fmt` fail only when the formatter does";

/// `value` as text; `Err` with the text written before it failed when its `Display`
/// implementation returns an error.
pub(crate) fn text_of(value: &dyn fmt::Display) -> Result<String, String> {
    let mut text = String::new();
    match fmt::write(&mut text, format_args!("{value}")) {
        Ok(()) => Ok(text),
        Err(fmt::Error) => Err(text),
    }
}

/// How many characters of a short text from outside a message shows.
const SHOWN_NAME_CHARS: usize = 100;

/// A short text from outside as a message shows it: a name the caller gave (an API,
/// operation, path variable or header name; in an agent, text a model or a caller may
/// have steered) or a server's (a content type). On one line, control and invisible
/// characters escaped, cut after its first 100 characters.
pub(crate) fn shown_name(name: &str) -> Cow<'_, str> {
    // cut before it is escaped, so that the cut splits no escape
    match cut_name(name) {
        Cow::Borrowed(name) => one_line(name),
        Cow::Owned(cut) => Cow::Owned(one_line(&cut).into_owned()),
    }
}

/// `name` cut as [`shown_name`] cuts it, not escaped: for a record that is escaped
/// where it is shown.
pub(crate) fn cut_name(name: &str) -> Cow<'_, str> {
    cut_name_to(name, SHOWN_NAME_CHARS)
}

/// `name` cut after its first `chars` characters, `...` marking the cut.
pub(crate) fn cut_name_to(name: &str, chars: usize) -> Cow<'_, str> {
    match name.char_indices().nth(chars) {
        None => Cow::Borrowed(name),
        Some((end, _)) => Cow::Owned(format!("{}...", &name[..end])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_shown_on_one_line_and_cut() {
        assert_eq!(shown_name("get_ticket"), "get_ticket");
        assert_eq!(shown_name("x\nERROR paid \u{1b}[31m"), "x\\nERROR paid \\u{1b}[31m");
        assert_eq!(shown_name(&"a".repeat(100)), "a".repeat(100));
        assert_eq!(shown_name(&"a".repeat(65_536)), format!("{}...", "a".repeat(100)));
        let control_at_the_cut = format!("{}\u{1b}b", "a".repeat(99));
        assert_eq!(shown_name(&control_at_the_cut), format!("{}\\u{{1b}}...", "a".repeat(99)), "no escape split");
    }

    struct FailsAfter(&'static str);

    impl fmt::Display for FailsAfter {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)?;
            Err(fmt::Error)
        }
    }

    #[test]
    fn a_failing_display_gives_what_it_wrote_as_an_error() {
        assert_eq!(text_of(&42), Ok("42".to_string()));
        assert_eq!(text_of(&FailsAfter("part")), Err("part".to_string()));
    }
}
