//! A secret masked in the forms it is written in: raw, percent-encoded, escaped
//! by servers and JSON writers, in base64, in upper case, and without the
//! whitespace around it.

use super::*;

#[test]
fn a_secret_is_masked_as_javascript_python_and_lowercase_hex_write_it() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("p@ss!w\u{f6}rd\""));
    for written in [
        "p%40ss!w%C3%B6rd%22",   // encodeURIComponent
        "p@ss!w%C3%B6rd%22",     // encodeURI
        "p%40ss%21w%c3%b6rd%22", // lowercase hex
        "p@ss!w\u{f6}rd\\\"",    // inside a JSON string
        "p@ss!w\\u00f6rd\\\"",   // json.dumps, ASCII only
    ] {
        assert_eq!(redactor.text(&format!("echo: {written}.")), format!("echo: {MASK}."), "{written}");
    }
    // Python's `urlencode`, as `requests` sends a form: `*` encoded, `~` not, a space as `+`
    redactor.add_secret(&SecretString::from("secret value*~1234"));
    assert_eq!(redactor.text("a=secret+value%2A~1234&b=1"), format!("a={MASK}&b=1"));
    // a URL's path segment, as browsers and the `url` crate write it, and `encodeURI`
    redactor.add_secret(&SecretString::from("Ab3/Cd4 Ef5+Gh6=Ij7&Kl8%Mn9"));
    for written in ["Ab3%2FCd4%20Ef5+Gh6=Ij7&Kl8%25Mn9", "Ab3/Cd4%20Ef5+Gh6=Ij7&Kl8%25Mn9"] {
        assert_eq!(redactor.text(&format!("/v1/{written}/x")), format!("/v1/{MASK}/x"), "{written}");
    }
}

#[test]
fn secrets_are_replaced_raw_and_percent_encoded_across_clones() {
    let redactor = Redactor::new();
    let clone = redactor.clone();
    redactor.add_secret(&SecretString::from("s3cr et"));
    assert_eq!(clone.text("a s3cr et b s3cr%20et c s3cr+et"), "a *** b *** c ***");
    assert_eq!(clone.text("d czNjciBldA== e czNjciBldA"), "d *** e ***");
    assert!(!format!("{clone:?}").contains("s3cr"));
}

#[test]
fn secrets_are_replaced_as_common_servers_escape_them() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("Zm9v+YmFy/cXV4=="));
    redactor.add_secret(&SecretString::from("pässwörd+1"));
    redactor.add_secret(&SecretString::from("kä/y<&1"));
    redactor.add_secret(&SecretString::from("del\u{7f}é-1"));
    let echoes = [
        r"kä\/y<&1",                  // PHP's json_encode with JSON_UNESCAPED_UNICODE
        r"del\u007f\u00e9-1",         // Python's json.dumps, DEL
        r"del\u007F\u00E9-1",         // .NET, DEL
        r"k\u00e4\/y<&1",             // PHP's json_encode, past ASCII and `/`
        r"kä/y\u003c\u00261",         // Go's encoding/json
        r"Zm9v+YmFy\/cXV4==",         // PHP's json_encode
        r"Zm9v\u002BYmFy/cXV4==",     // .NET's System.Text.Json
        "Zm9v%2BYmFy/cXV4%3D%3D",     // Python's urllib.parse.quote
        r"p\u00E4ssw\u00F6rd\u002B1", // .NET, past ASCII
        r"p\u00e4ssw\u00f6rd+1",      // Python's json.dumps
        r"del\u{7f}é-1",              // Rust's `{:?}`, as serde's decode errors quote a string
    ];
    for echo in echoes {
        assert_eq!(redactor.text(&format!("key {echo} refused")), "key *** refused", "{echo}");
    }
}

#[test]
fn a_secret_with_blanks_and_control_characters_is_masked_as_each_json_writer_escapes_it() {
    let redactor = Redactor::new();
    // past ASCII, so that no writer's form is serde_json's: each escape as the writer writes it
    redactor.add_secret(&SecretString::from("p\u{e4} ss\"w\\o\nr\rd\t\u{8}\u{c}\u{1}+<"));
    let echoes = [
        r#"p\u00e4 ss\"w\\o\nr\rd\t\b\f\u0001+<"#,               // Python's json.dumps
        r#"p\u00E4 ss\u0022w\\o\nr\rd\t\b\f\u0001\u002B\u003C"#, // .NET's System.Text.Json
        r#"pä ss\"w\\o\nr\rd\t\b\f\u0001+\u003c"#,               // Go's encoding/json
    ];
    for echo in echoes {
        assert_eq!(redactor.text(&format!("key {echo} refused")), "key *** refused", "{echo}");
    }
}

#[test]
fn a_secret_percent_encoded_with_lowercase_hex_is_masked_with_its_letters_as_they_are() {
    // .NET's `HttpUtility.UrlEncode` writes lowercase hex, and the letters of the value as they are
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("Up/Per CASE-9"));
    for echo in ["Up%2fPer%20CASE-9", "Up%2fPer+CASE-9"] {
        assert_eq!(redactor.text(&format!("key={echo}&n=1")), "key=***&n=1", "{echo}");
    }
}

#[test]
fn a_secret_inside_a_longer_text_encoded_in_base64_is_masked() {
    let redactor = Redactor::new();
    let secret = "sk_live_51HqLyjWDarjtT1zdp7dc";
    redactor.add_secret(&SecretString::from(secret));
    for text in [format!("agent:{secret}"), format!(r#"{{"key":"{secret}","n":1}}"#), format!("ab{secret}")] {
        for encoded in [STANDARD.encode(&text), URL_SAFE_NO_PAD.encode(&text)] {
            let cleaned = redactor.text(&format!("Basic {encoded}"));
            assert!(cleaned.starts_with("Basic ") && cleaned.contains(MASK), "{text}: {cleaned}");
            // what is left of the encoding around the mask is at most the bytes
            // around the secret and the two characters that hold bits of both
            assert!(cleaned.len() - MASK.len() <= "Basic ".len() + encoded.len() - 4 * secret.len() / 3 + 2);
        }
    }
    // a short value is not looked for inside base64, where it would match by chance
    assert_eq!(base64_inside(b"abcde"), Vec::<String>::new());
    assert_eq!(base64_inside(b"abcdef"), ["YWJjZGVm"], "only where it starts a group of three bytes");
    assert_eq!(base64_inside(b"abcdef?~").len(), 5, "URL-safe too, where it differs");
}

proptest::proptest! {
    /// Whatever bytes are around a secret of seven bytes or more, a text holding it
    /// encoded in base64 keeps none of the characters made of the secret's bytes
    /// alone, eight in a row.
    #[test]
    fn no_secret_survives_inside_base64(
        before in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
        secret in "[ -~]{7,40}",
        after in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
        url_safe: bool,
        padded: bool,
    ) {
        proptest::prop_assume!(!secret.contains('*') && secret.trim().len() == secret.len());
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from(secret.clone()));
        let bytes = [before.as_slice(), secret.as_bytes(), after.as_slice()].concat();
        let engine = match (url_safe, padded) {
            (false, true) => STANDARD,
            (false, false) => STANDARD_NO_PAD,
            (true, true) => URL_SAFE,
            (true, false) => URL_SAFE_NO_PAD,
        };
        let encoded = engine.encode(&bytes);
        let cleaned = redactor.text(&format!("data {encoded} end"));
        let (first, end) = ((8 * before.len()).div_ceil(6), 8 * (before.len() + secret.len()) / 6);
        for window in encoded.as_bytes()[first..end].windows(MIN_BASE64_INSIDE) {
            let window = std::str::from_utf8(window).unwrap_or_default();
            proptest::prop_assert!(!cleaned.contains(window), "{:?} left in {:?}", window, cleaned);
        }
    }

    /// Whatever the secrets (of two bytes or more) and the text around them, no
    /// form of any secret is left, and text with no secret comes back unchanged.
    #[test]
    fn no_form_of_a_secret_survives(
        secrets in proptest::collection::vec("[a-zA-Z0-9+/=%_ -]{2,12}|\\PC{2,6}", 1..4),
        pieces in proptest::collection::vec("\\PC{0,8}", 1..5),
    ) {
        // a secret with the mask's `*` could appear across a mask and the text after it
        proptest::prop_assume!(secrets.iter().all(|secret| !secret.contains('*')));
        let redactor = Redactor::new();
        secrets.iter().for_each(|secret| redactor.add_secret(&SecretString::from(secret.clone())));
        let all_forms: Vec<String> = secrets.iter().flat_map(|secret| encoded_forms(secret)).collect();
        // a one-character form (a value trimmed: ` .`) is masked only standing alone, tested below
        let forms: Vec<String> = all_forms.iter().filter(|form| !is_one_character(form)).cloned().collect();
        let text: String = pieces.iter().zip(forms.iter().cycle()).map(|(piece, form)| format!("{piece}{form}")).collect();
        let cleaned = redactor.text(&text);
        for form in &forms {
            proptest::prop_assert!(!cleaned.contains(form.as_str()), "{:?} left in {:?}", form, cleaned);
        }
        let plain: String = pieces.concat();
        if !all_forms.iter().any(|form| plain.contains(form.as_str())) {
            proptest::prop_assert_eq!(redactor.text(&plain), plain);
        }
    }

    /// A one-character secret is masked wherever it stands alone, between any
    /// characters that are not letters or digits.
    #[test]
    fn a_one_character_secret_standing_alone_never_survives(
        secret in "[a-zA-Z0-9]",
        pieces in proptest::collection::vec("[ ,;:=&/\"'(){}-]{1,3}", 1..5),
    ) {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from(secret.clone()));
        let text: String = pieces.iter().map(|piece| format!("{piece}{secret}")).collect::<String>() + " end";
        let cleaned = redactor.text(&text);
        let words: Vec<&str> = cleaned.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        proptest::prop_assert!(!words.contains(&secret.as_str()), "{:?} left in {:?}", secret, cleaned);
    }
}

#[test]
fn a_secret_in_upper_case_is_masked_as_python_writes_it() {
    let redactor = Redactor::new();
    for secret in ["kEy-Zx9/Qw", "straße-key-98765", "clé-secrète-12345"] {
        redactor.add_secret(&SecretString::from(secret));
    }
    let echoed = "KEY-ZX9/QW STRASSE-KEY-98765 CLÉ-SECRÈTE-12345 key-zx9/qw";
    assert_eq!(redactor.text(echoed), "*** *** *** ***");
}

#[test]
fn a_secret_is_masked_also_without_the_whitespace_around_it() {
    // HTTP takes the whitespace around a header value off: a server echoes the key trimmed
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("  k3y-with-spaces "));
    assert_eq!(redactor.text("unknown key `k3y-with-spaces`"), "unknown key `***`");
    assert_eq!(redactor.text("x-seen: Bearer k3y-with-spaces"), "x-seen: Bearer ***");
}

#[test]
fn a_secret_with_whitespace_around_it_is_masked_trimmed_in_its_own_case_and_encoded() {
    // a server echoes the key it was sent, trimmed, as it is or encoded
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from(" Tr1m-Me/Key "));
    for echo in ["Tr1m-Me/Key", "Tr1m-Me%2FKey", STANDARD.encode("Tr1m-Me/Key").as_str()] {
        assert_eq!(redactor.text(&format!("unknown key `{echo}`")), "unknown key `***`", "{echo}");
    }
}
