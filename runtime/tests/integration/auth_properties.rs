//! Properties: dotenv values round-trip, any dotenv file is read or told by line
//! without its values, client credentials decode back, encoded forms cover values.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_runtime::{DotenvError, DotenvSecretStore, Redactor, SecretStore};
use proptest::prelude::*;
use secrecy::{ExposeSecret, SecretString};

/// `value` written as a double-quoted dotenv value.
fn quoted(value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r");
    format!("\"{escaped}\"")
}

/// A line of a dotenv file, well formed or not: a key, an `=` or none, then a value of
/// the characters dotenv gives a meaning to, and `¤`, which no key here has.
fn dotenv_line() -> impl Strategy<Value = String> {
    let separator = proptest::sample::select(vec!["=", " = ", "", "==", "=\t"]);
    ("(export )?[A-Za-z0-9_. -]{0,8}", separator, "[¤a$\\{}:'\"\\\\# \t\n\r=-]{0,16}")
        .prop_map(|(key, separator, value)| format!("{key}{separator}{value}"))
}

proptest! {
    #[test]
    fn any_file_is_read_or_told_by_line_without_its_values(lines in proptest::collection::vec(dotenv_line(), 0..8)) {
        let text = lines.join("\n");
        match DotenvSecretStore::parse(&text) {
            Ok(store) => {
                for name in store.names() {
                    prop_assert!(!name.is_empty() && !name.contains('¤'), "{name:?}");
                }
            }
            Err(error) => {
                let (shown, debug) = (error.to_string(), format!("{error:?}"));
                prop_assert!(!shown.contains('¤') && !debug.contains('¤'), "{shown}");
                let DotenvError::Parse { problems, .. } = error else { panic!("text is parsed: {shown}") };
                let line_count = text.replace("\r\n", "\n").split(['\n', '\r']).count();
                prop_assert!(!problems.is_empty());
                for (line, message) in problems {
                    prop_assert!((1..=line_count).contains(&line) && !message.is_empty(), "line {line} of {line_count}");
                }
            }
        }
    }

    #[test]
    fn any_double_quoted_value_reads_back(value in "\\PC*", name in "[A-Z_][A-Z0-9_]{0,20}") {
        // double quotes expand `${NAME}` (`${}` to nothing), as python-dotenv does
        prop_assume!(!value.contains("${"));
        let text = format!("# header\nexport {name}={}  # note\n", quoted(&value));
        let store = DotenvSecretStore::parse(&text).unwrap();
        match store.get(&name) {
            Some(read) => prop_assert_eq!(read.expose_secret(), value.as_str()),
            None => prop_assert!(value.is_empty(), "only an empty value leaves the name unset"),
        }
    }

    #[test]
    fn parse_errors_never_show_a_value(value in "[a-z0-9]{12,30}", line in 0usize..4) {
        let bad = [
            format!("{value} without equals"),
            format!("K=\"{value}\" {value}"),
            format!("K='{value}"),
            format!("my key={value}"),
        ];
        let text = format!("OK=1\n{}\n", bad[line]);
        let error = DotenvSecretStore::parse(&text).unwrap_err();
        prop_assert!(!error.to_string().contains(&value), "{}", error);
        let debug = format!("{:?}", error);
        prop_assert!(!debug.contains(&value));
    }

    #[test]
    fn every_value_in_use_is_masked_in_its_forms(value in "\\PC{1,40}") {
        prop_assume!(!value.contains('*'));
        // a one-character value is no secret: only it, standing alone, is masked
        prop_assume!(value.trim().chars().nth(1).is_some());
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from(value.clone()));
        let form_encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
        for form in [value.clone(), STANDARD.encode(&value), form_encoded] {
            let shown = redactor.text(&form);
            prop_assert!(!shown.contains(&form), "{shown}");
        }
    }
}
