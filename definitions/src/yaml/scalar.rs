//! A scalar as written, and its type under the YAML 1.2 core schema.

use crate::model::Span;

/// A scalar as written in the file.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Scalar {
    /// The text, after YAML unescaping and folding.
    pub text: String,
    /// Whether it was written plain (unquoted); only plain scalars are typed.
    pub plain: bool,
    /// The `tag:yaml.org,2002:` type its tag names (`str` for `!!str`), if it has one.
    pub tag: Option<String>,
    /// Where `text` starts when it is written as is on one line (plain, or quoted
    /// where no escape moves a character; without a tag or an anchor; not an alias's
    /// copy), so that a character of it is that many columns on.
    pub text_at: Option<Span>,
    /// Whether it is written plain or quoted over more than one line, whose line
    /// breaks YAML reads as spaces, so that a space in `text` may be none the file
    /// shows.
    pub folded: bool,
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

    /// A scalar tagged `!!float`, as PyYAML constructs it (`!!float 1` is `1.0`):
    /// a tag is read only where it names a type the text can have.
    pub(crate) fn tagged_float(&self) -> Option<ScalarValue<'_>> {
        let float = (self.tag.as_deref() == Some("float")).then(|| super::yaml11::tagged_float(&self.text))?;
        Some(float.map_or(ScalarValue::String(&self.text), ScalarValue::Float))
    }

    /// Resolves the scalar's type like the YAML 1.2 core schema.
    pub fn value(&self) -> ScalarValue<'_> {
        if let Some(text) = self.written_as_text() {
            return ScalarValue::String(text);
        }
        if let Some(float) = self.tagged_float() {
            return float;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Node};

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
