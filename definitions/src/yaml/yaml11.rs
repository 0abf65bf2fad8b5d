//! Scalars typed as PyYAML's `safe_load` types them (YAML 1.1), for the values the
//! ADK reads that way: a mock's response body is the JSON an ADK test would give the
//! agent, so `available: yes` must be `true` there too.
//!
//! Differences from the YAML 1.2 core schema of [`Scalar::value`]: `yes`, `no`, `on`,
//! `off` (and their capitalised forms) are booleans; `0777` is octal and `0b101`
//! binary; `_` may group digits (`1_000`); `1:30` is sexagesimal (90); a float needs
//! a dot, and its exponent a sign (`1.5e+3`), so `1e3` is text; `0o17` is text.

use crate::yaml::{Scalar, ScalarValue};

/// The type PyYAML gives `scalar`.
pub(crate) fn value(scalar: &Scalar) -> ScalarValue<'_> {
    if let Some(text) = scalar.written_as_text() {
        return ScalarValue::String(text);
    }
    if let Some(float) = scalar.tagged_float() {
        return float;
    }
    let text = scalar.text.as_str();
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ScalarValue::Null,
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => ScalarValue::Bool(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => ScalarValue::Bool(false),
        _ => float(text).or_else(|| integer(text)).unwrap_or(ScalarValue::String(text)),
    }
}

/// The number PyYAML's `!!float` constructor makes of `text`: its `_` removed, in
/// lower case, one sign taken off; `.inf`, `.nan`, sexagesimal (`1:30.5`), or what
/// Python's `float()` reads (`1e3`, `1`, `inf`). `None` where that raises.
pub(crate) fn tagged_float(text: &str) -> Option<f64> {
    let lower = text.replace('_', "").to_ascii_lowercase();
    let (body, negative) = unsigned(&lower);
    let sign = if negative { -1.0 } else { 1.0 };
    let magnitude = match body {
        ".inf" => f64::INFINITY,
        ".nan" => f64::NAN,
        _ if body.contains(':') => body
            .split(':')
            .map(|part| part.parse::<f64>().ok())
            .try_fold(0.0, |total, part| Some(total * 60.0 + part?))?,
        // Python's `float()`: a decimal with an optional exponent, or `inf`, `infinity`, `nan`
        _ if body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
            || matches!(body, "inf" | "infinity" | "nan") =>
        {
            body.parse().ok()?
        }
        _ => return None,
    };
    Some(sign * magnitude)
}

/// `text` without its sign, and whether the sign was `-`.
fn unsigned(text: &str) -> (&str, bool) {
    match text.as_bytes().first() {
        Some(b'-') => (&text[1..], true),
        Some(b'+') => (&text[1..], false),
        _ => (text, false),
    }
}

/// Whether `text` is one or more of `allowed` and `_`.
fn grouped(text: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b'_' || allowed(b))
}

/// Whether `text` is `[0-9][0-9_]*`.
fn decimal(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit()) && grouped(text, |b| b.is_ascii_digit())
}

/// The sexagesimal parts after the first (`:30:00`), each `[0-5]?[0-9]`; `None` if
/// `rest` is not such parts.
fn sexagesimal_parts(rest: &str) -> Option<Vec<u8>> {
    rest.split(':')
        .skip(1)
        .map(|part| {
            let valid = matches!(part.len(), 1 | 2)
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part.len() == 1 || part.as_bytes()[0] <= b'5');
            valid.then(|| part.parse::<u8>().ok()).flatten()
        })
        .collect()
}

/// The sexagesimal parts of `rest` as a sum in base 60 on top of `first`.
fn sexagesimal(first: f64, rest: &str) -> Option<f64> {
    Some(sexagesimal_parts(rest)?.into_iter().fold(first, |total, part| total * 60.0 + f64::from(part)))
}

fn integer(text: &str) -> Option<ScalarValue<'_>> {
    // past i64 it stays text here; see [`wide_integer`]
    whole(text)?.and_then(|value| i64::try_from(value).ok()).map(ScalarValue::Integer)
}

/// The value of a plain scalar PyYAML reads as an integer too large for
/// [`ScalarValue::Integer`]: `Some(Some(n))` up to `i128`, `Some(None)` beyond it,
/// `None` when it is no integer (or fits i64, as [`value`] gives it then).
pub(crate) fn wide_integer(scalar: &Scalar) -> Option<Option<i128>> {
    if scalar.written_as_text().is_some() {
        return None;
    }
    let value = whole(&scalar.text)?;
    match value {
        Some(value) if i64::try_from(value).is_ok() => None,
        _ => Some(value),
    }
}

/// `text` as a PyYAML integer: `None` when it is none, `Some(None)` when it is one
/// too large for `i128`.
fn whole(text: &str) -> Option<Option<i128>> {
    let (digits, negative) = unsigned(text);
    // the digits are checked first, so a failed parse is an overflow
    let parse = |body: &str, radix: u32| {
        let body = body.replace('_', "");
        (!body.is_empty()).then(|| i128::from_str_radix(&body, radix).ok())
    };
    let magnitude = if let Some(binary) = digits.strip_prefix("0b") {
        grouped(binary, |b| matches!(b, b'0' | b'1')).then(|| parse(binary, 2)).flatten()?
    } else if let Some(hex) = digits.strip_prefix("0x") {
        grouped(hex, |b| b.is_ascii_hexdigit()).then(|| parse(hex, 16)).flatten()?
    } else if digits == "0" {
        Some(0)
    } else if let Some(octal) = digits.strip_prefix('0') {
        // `0_` is `0`: PyYAML drops the `_` first
        grouped(octal, |b| (b'0'..=b'7').contains(&b)).then(|| parse(octal, 8).unwrap_or(Some(0)))?
    } else if digits.contains(':') {
        let first = digits.split(':').next()?;
        if !decimal(first) {
            return None;
        }
        // summed exactly, as Python's integers are; past `i128` it overflows
        let parts = sexagesimal_parts(digits)?;
        parse(first, 10)?.and_then(|first| {
            parts.into_iter().try_fold(first, |total, part| total.checked_mul(60)?.checked_add(i128::from(part)))
        })
    } else if decimal(digits) {
        parse(digits, 10)?
    } else {
        return None;
    };
    Some(magnitude.map(|magnitude| if negative { -magnitude } else { magnitude }))
}

fn float(text: &str) -> Option<ScalarValue<'_>> {
    let (body, negative) = unsigned(text);
    let sign = if negative { -1.0 } else { 1.0 };
    match body {
        ".inf" | ".Inf" | ".INF" => return Some(ScalarValue::Float(sign * f64::INFINITY)),
        ".nan" | ".NaN" | ".NAN" if body.len() == text.len() => return Some(ScalarValue::Float(f64::NAN)),
        _ => {}
    }
    let (whole, fraction) = body.split_once('.')?;
    let (fraction, exponent) = match fraction.find(['e', 'E']) {
        Some(at) => (&fraction[..at], Some(&fraction[at + 1..])),
        None => (fraction, None),
    };
    let fraction_ok = fraction.bytes().all(|b| b == b'_' || b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|exponent| {
        let (digits, _) = unsigned(exponent);
        exponent.starts_with(['+', '-']) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if !fraction_ok || !exponent_ok {
        return None;
    }
    let fraction_value: f64 = format!("0.{}", fraction.replace('_', "")).parse().ok()?;
    let magnitude = if whole.contains(':') {
        // sexagesimal: `1:30.5`, no exponent
        let first = whole.split(':').next()?;
        if exponent.is_some() || !decimal(first) {
            return None;
        }
        sexagesimal(first.replace('_', "").parse().ok()?, whole)? + fraction_value
    } else if whole.is_empty() {
        // `.5`: PyYAML takes no sign on it, and a digit first (`._5` is text)
        if negative || text.starts_with('+') || !fraction.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        format!("0.{}{}", fraction.replace('_', ""), exponent.map(|e| format!("e{e}")).unwrap_or_default())
            .parse()
            .ok()?
    } else if decimal(whole) {
        let written = format!(
            "{}.{}{}",
            whole.replace('_', ""),
            fraction.replace('_', ""),
            exponent.map(|e| format!("e{e}")).unwrap_or_default()
        );
        written.parse().ok()?
    } else {
        return None;
    };
    Some(ScalarValue::Float(sign * magnitude))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Scalar {
        Scalar { text: text.to_string(), plain: true, tag: None, text_at: None, folded: false }
    }

    fn assert_typed(text: &str, expected: ScalarValue<'_>) {
        assert_eq!(value(&plain(text)), expected, "{text}");
    }

    fn assert_text(text: &str) {
        assert_eq!(value(&plain(text)), ScalarValue::String(text), "{text}");
    }

    #[test]
    fn booleans_of_yaml_1_1() {
        for text in ["yes", "Yes", "YES", "on", "On", "ON", "true"] {
            assert_typed(text, ScalarValue::Bool(true));
        }
        for text in ["no", "NO", "off", "Off", "false"] {
            assert_typed(text, ScalarValue::Bool(false));
        }
        assert_text("y");
    }

    #[test]
    fn integers_as_pyyaml_reads_them() {
        let cases = [
            ("0777", 511),
            ("-0777", -511),
            ("0b101", 5),
            ("0x1F", 31),
            ("1_000", 1000),
            ("+42", 42),
            ("0", 0),
            ("1:30", 90),
            ("-1:30:00", -5400),
            // octal, the `_` dropped first: nothing left after the `0`
            ("0_", 0),
            ("-0__", 0),
        ];
        for (text, expected) in cases {
            assert_typed(text, ScalarValue::Integer(expected));
        }
        for text in ["0o17", "08", "1:60", "0b", "0x", "1_000_000_000_000_000_000_000"] {
            assert_text(text);
        }
    }

    #[test]
    fn wide_integers_are_exact_in_every_base() {
        let wide = |text: &str| wide_integer(&plain(text));
        assert_eq!(wide("1_000_000_000_000_000_000_000"), Some(Some(1_000_000_000_000_000_000_000)));
        // past f64's 53 bits: summed as integers, not through a float
        assert_typed("99999999999999:59:59", ScalarValue::Integer(359_999_999_999_999_999));
        assert_eq!(wide("9999999999999999999:59:59"), Some(Some(35_999_999_999_999_999_999_999)));
        assert_eq!(wide("-9999999999999999999:59:59"), Some(Some(-35_999_999_999_999_999_999_999)));
        assert_eq!(wide("170141183460469231731687303715884105727:1"), Some(None));
        assert_eq!(wide("1:30"), None);
        assert_eq!(wide("1:60"), None);
    }

    #[test]
    fn floats_need_a_dot_and_a_signed_exponent() {
        let cases =
            [("1.5", 1.5), ("1.", 1.0), (".5", 0.5), ("-2.5e+3", -2500.0), ("1_0.2_5", 10.25), ("1:30.5", 90.5)];
        for (text, expected) in cases {
            assert_typed(text, ScalarValue::Float(expected));
        }
        for text in ["1e3", "1.5e3", "-.5", "1.2.3", "abc.5", "._5", "._", "."] {
            assert_text(text);
        }
        assert_typed("-.inf", ScalarValue::Float(f64::NEG_INFINITY));
        assert!(matches!(value(&plain(".NaN")), ScalarValue::Float(f) if f.is_nan()));
    }

    #[test]
    fn quoted_and_str_tagged_scalars_stay_text() {
        let quoted = Scalar { text: "yes".into(), plain: false, tag: None, text_at: None, folded: false };
        assert_eq!(value(&quoted), ScalarValue::String("yes"));
        let tagged = Scalar { text: "0777".into(), plain: true, tag: Some("str".into()), text_at: None, folded: false };
        assert_eq!(value(&tagged), ScalarValue::String("0777"));
    }
}
