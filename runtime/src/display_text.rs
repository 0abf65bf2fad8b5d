//! The text of a value given as `impl Display` (a path variable, a header value, a
//! log field), without `to_string`'s panic when its `Display` implementation fails.

use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;

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
