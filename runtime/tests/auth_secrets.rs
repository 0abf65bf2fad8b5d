//! Secret stores, setting resolution and the secrets an environment needs.

mod auth_support;

use conv_api_definitions::{SecretRef, SecretSource, Setting};
use conv_api_runtime::auth::{resolve_required, resolve_setting};
use conv_api_runtime::{
    is_set, missing_secrets, needed_secrets, secret_doubt, DotenvError, DotenvSecretStore, DynamicApis, EnvSecretStore,
    Environment, LayeredSecretStore, MapSecretStore, SecretStore, StoreForChecks,
};
use secrecy::ExposeSecret;

fn value(store: &dyn SecretStore, name: &str) -> Option<String> {
    store.get(name).map(|v| v.expose_secret().to_string())
}

#[test]
fn env_store_reads_variables_named_exactly_as_the_secret() {
    std::env::set_var("AUTH_SCRATCH_TEST_KEY", "env-value-1");
    std::env::set_var("AUTH_SCRATCH_TEST_EMPTY", "");
    assert_eq!(value(&EnvSecretStore, "AUTH_SCRATCH_TEST_KEY").as_deref(), Some("env-value-1"));
    assert_eq!(value(&EnvSecretStore, "auth_scratch_test_key"), None);
    assert_eq!(value(&EnvSecretStore, "AUTH_SCRATCH_TEST_EMPTY"), None);
    assert_eq!(value(&EnvSecretStore, "AUTH_SCRATCH_TEST_UNSET"), None);
}

#[cfg(unix)]
#[test]
fn a_variable_set_but_not_utf8_reads_as_unset_and_its_missing_message_says_why() {
    use std::os::unix::ffi::OsStrExt;
    std::env::set_var("AUTH_SCRATCH_NOT_UTF8", std::ffi::OsStr::from_bytes(b"k\xff"));
    assert_eq!(value(&EnvSecretStore, "AUTH_SCRATCH_NOT_UTF8"), None);
    assert!(EnvSecretStore::holds_non_utf8("AUTH_SCRATCH_NOT_UTF8"));
    assert!(!EnvSecretStore::holds_non_utf8("AUTH_SCRATCH_TEST_UNSET"));
    let secret = SecretRef { name: "AUTH_SCRATCH_NOT_UTF8".into(), source: SecretSource::Explicit, required: true };
    let message = conv_api_runtime::MissingSecret::new("value", &secret).to_string();
    assert!(
        message.contains(
            "; the environment variable `AUTH_SCRATCH_NOT_UTF8` is set, but not to UTF-8 text: set it again as UTF-8)"
        ),
        "{message}"
    );
    // a store that reads no environment variable is not told of one
    let in_map = conv_api_runtime::MissingSecret::new("value", &secret).in_store(&MapSecretStore::new()).to_string();
    assert!(!in_map.contains("environment variable"), "{in_map}");
    std::env::remove_var("AUTH_SCRATCH_NOT_UTF8");
}

#[test]
fn dotenv_reads_plain_quoted_exported_and_commented_lines() {
    let text = "# a comment\n\nPLAIN=abc\n  export EXPORTED = v2 # trailing comment\nDQ=\"a \\\"b\\\"\\nc\" # c\nSQ='x \\n y'\nHASH=abc#def\nEMPTY=\nPEM=\"-----BEGIN-----\nMIIB\n-----END-----\"\nPLAIN=again\n";
    let store = DotenvSecretStore::parse(text).unwrap();
    assert_eq!(value(&store, "PLAIN").as_deref(), Some("again"));
    assert_eq!(value(&store, "EXPORTED").as_deref(), Some("v2"));
    assert_eq!(value(&store, "DQ").as_deref(), Some("a \"b\"\nc"));
    assert_eq!(value(&store, "SQ").as_deref(), Some("x \\n y"));
    assert_eq!(value(&store, "HASH").as_deref(), Some("abc#def"));
    assert_eq!(value(&store, "EMPTY"), None, "an empty value is no credential");
    assert_eq!(value(&store, "PEM").as_deref(), Some("-----BEGIN-----\nMIIB\n-----END-----"));
    assert_eq!(store.names(), ["DQ", "EXPORTED", "HASH", "PEM", "PLAIN", "SQ"]);
}

#[test]
fn dotenv_comments_after_blanks_even_right_after_the_equals_sign() {
    // a template line: the comment is no credential
    let text = "TEMPLATE=   # paste the key here\nTAB=\t# x\nHASH=#abc # note\nFIRST=a\t#b #c\nexport\tTABBED=t\n";
    let store = DotenvSecretStore::parse(text).unwrap();
    assert_eq!(value(&store, "TEMPLATE"), None);
    assert_eq!(value(&store, "TAB"), None);
    assert_eq!(value(&store, "HASH").as_deref(), Some("#abc"));
    assert_eq!(value(&store, "FIRST").as_deref(), Some("a"));
    assert_eq!(value(&store, "TABBED").as_deref(), Some("t"));
    assert_eq!(store.names(), ["FIRST", "HASH", "TABBED"]);
}

#[test]
fn dotenv_quoted_values_keep_the_spaces_that_end_their_first_line() {
    let store = DotenvSecretStore::parse("K='a  \nb'\nL=\"x \ny\"  \n").unwrap();
    assert_eq!(value(&store, "K").as_deref(), Some("a  \nb"));
    assert_eq!(value(&store, "L").as_deref(), Some("x \ny"));
}

#[test]
fn dotenv_keeps_unknown_escapes_skips_a_byte_order_mark_and_unsets_an_emptied_key() {
    let text = "\u{feff}PASS=\"ab\\dc\\\\e\\'f\\v\"\nKEY=set\nKEY=\n";
    let store = DotenvSecretStore::parse(text).unwrap();
    assert_eq!(value(&store, "PASS").as_deref(), Some("ab\\dc\\e'f\u{b}"));
    assert_eq!(value(&store, "KEY"), None, "the last line leaves it unset");
    assert_eq!(store.names(), ["PASS"]);
}

#[test]
fn dotenv_errors_give_the_line_and_never_the_value() {
    let cases = [
        ("A=1\nnot a pair hunter2\n", 2, "no `=`"),
        // text in capitals that is no name: the last line of a PEM key pasted unquoted
        ("A=1\n-----END PRIVATE KEY-----\n", 2, "no `=`"),
        ("A=1\nTODO FILL IN\n", 2, "no `=`"),
        ("A=1\n\n\"QUOTED\"=hunter2\n", 3, "is not a name"),
        // a space where the `=` belongs: the value's base64 padding makes a late `=`
        ("A=1\nAPI_KEY hunter2hunter2=\n", 2, "is not a name"),
        ("A=\"hunter2\" hunter2\n", 1, "after the closing"),
        // an escaped character that is no quote closes nothing
        ("A=\"hunter2\\thunter2\" hunter2\n", 1, "after the closing"),
        ("A=1\nB='hunter2\nmore\n", 2, "never closed"),
        // text after a quote that closes a value of several lines: the line that opened it
        ("A=1\nB='first\nsecond' hunter2\n", 2, "on this line ends on line 3, with text after its closing '"),
    ];
    for (text, line, expected) in cases {
        let error = DotenvSecretStore::parse(text).unwrap_err();
        let message = error.to_string();
        let DotenvError::Parse { problems, .. } = &error else { panic!("not a parse error: {message}") };
        assert_eq!(problems.len(), 1, "{message}");
        assert_eq!(problems[0].0, line, "{message}");
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains("hunter2"), "{message}");
        assert!(!format!("{error:?}").contains("hunter2"));
    }
}

#[test]
fn dotenv_reads_what_python_dotenv_reads() {
    let value = |text: &str, name: &str| {
        let store = DotenvSecretStore::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
        store.get(name).map(|value| value.expose_secret().to_string())
    };
    // in single quotes, `\\` and `\'` are its two escapes; other backslashes stay
    assert_eq!(value("PW='a\\\\b'\n", "PW").as_deref(), Some("a\\b"));
    assert_eq!(value("PW='it\\'s'\n", "PW").as_deref(), Some("it's"));
    assert_eq!(value("PW='a\\b ${X}'\n", "PW").as_deref(), Some("a\\b ${X}"));
    // a quote after a backslash closes a value when no quote does and nothing but a
    // comment follows it; the lines after it are read again
    let text = "DIR='C:\\tools\\'  # tools\nNEXT=1\n";
    assert_eq!((value(text, "DIR").as_deref(), value(text, "NEXT").as_deref()), (Some("C:\\tools\\"), Some("1")));
    assert_eq!(value("DIR=\"C:\\dir\\\"\n", "DIR").as_deref(), Some("C:\\dir\\"));
    // but a value over lines goes on to its closing quote
    let json = "JSON=\"{\n  \\\"type\\\": \\\"service_account\\\"\n}\"\n";
    assert_eq!(value(json, "JSON").as_deref(), Some("{\n  \"type\": \"service_account\"\n}"));
    assert_eq!(value("MSG='it is \\'\nquoted'\n", "MSG").as_deref(), Some("it is '\nquoted"));
    assert_eq!(value("DIR='C:\\tools\\' # it's\n", "DIR").as_deref(), Some("C:\\tools\\"));
    assert_eq!(value("DIR='C:\\tools\\' # see 'notes'\n", "DIR").as_deref(), Some("C:\\tools\\"));
    // any blank after it, as after a closing quote
    assert_eq!(value("DIR='C:\\tools\\'\u{a0}\u{c}\nNEXT=1\n", "DIR").as_deref(), Some("C:\\tools\\"));
    // a quote after a backslash with text after it closes nothing: the line is an error
    for text in ["KEY='don\\''s'\n", "KEY=\"abc\\\"\"x\"\n"] {
        assert!(DotenvSecretStore::parse(text).is_err(), "{text:?}");
    }
    // a name alone with a comment holding `=`
    assert_eq!(value("DEBUG # set DEBUG=1 to enable\nKEY=1\n", "KEY").as_deref(), Some("1"));
    // long values of the shapes that made reading slow read in linear time (checked by
    // their size, not a clock: 2 MB each, which took minutes)
    let unclosed = format!("KEY='{}\n", "ab\\'\n".repeat(400_000));
    assert_eq!(value(&unclosed, "KEY").map(|value| value.len()), Some(1_599_999));
    for reference in ["${a:x", "${", "${a"] {
        let references = format!("KEY={}\n", reference.repeat(400_000));
        assert_eq!(value(&references, "KEY").map(|value| value.len()), Some(reference.len() * 400_000));
    }
    // a backslash escapes the character after it, so `\\` before a quote is a
    // backslash, and the quote closes the value, as python-dotenv reads it since 1.2.3
    // (before, a later quote ending a line closed it, joining the lines between)
    let text = "DIR='C:\\\\'\n# the admins'\nNEXT=1\n";
    assert_eq!((value(text, "DIR").as_deref(), value(text, "NEXT").as_deref()), (Some("C:\\"), Some("1")));
    assert_eq!(value("KEY=\"a\\\\\" #c\"\n", "KEY").as_deref(), Some("a\\"));
    assert_eq!(value("KEY='C:\\\\'\nNEXT=1\n", "KEY").as_deref(), Some("C:\\"));
    let text = "A=\"x\\\\\"\nB=\"y\"\n";
    assert_eq!((value(text, "A").as_deref(), value(text, "B").as_deref()), (Some("x\\"), Some("y")));
    assert_eq!(value("KEY='a\\\\\\'b'\n", "KEY").as_deref(), Some("a\\'b"));
    // a comment starts at a `#` after any blank, a no-break space too, as in Python
    for blank in ["\u{a0}", "\u{3000}", "\u{1c}", " \u{a0}"] {
        assert_eq!(value(&format!("KEY=a{blank}#c\n"), "KEY").as_deref(), Some("a"), "{blank:?}");
        assert_eq!(value(&format!("KEY={blank}#c\nB=1\n"), "KEY"), None, "{blank:?}");
        assert_eq!(value(&format!("KEY='x'{blank}#c\n"), "KEY").as_deref(), Some("x"), "{blank:?}");
        assert_eq!(value(&format!("export{blank}KEY=1\n"), "KEY").as_deref(), Some("1"), "{blank:?}");
    }
    // a key alone is as one set empty; keys of other tools' files are read (`spring.profiles.active`)
    let text = "KEY=k-0\nexport DEBUG\nVERBOSE\t# on\nspring.profiles.active=dev\nmy-flag=1\nKEY=k-1\nDEBUG\n";
    assert_eq!(value(text, "KEY").as_deref(), Some("k-1"));
    assert_eq!(value(&format!("{text}KEY\n"), "KEY"), None);
    assert_eq!(value(&format!("{text}URL=https://${{DEBUG:-example.com}}\n"), "URL").as_deref(), Some("https://"));
    // the lines of a value wrapped unquoted are errors, not keys: never shown
    for (tail, says) in [
        ("U0NCS2N3+/q9Xw==", ":2: error: the text before the first `=` is not a name"),
        ("U0NCS2N3q9Xw==", ":2: error: this line looks like part of a value wrapped over lines"),
        // one `=` of padding reads as a key set empty, as python-dotenv reads it, but
        // after a line of base64 in groups of four it is the value's end
        ("ZWZnaGlqa2xtbm9wcXJq9Xw=", ":2: error: this line looks like part of a value wrapped over lines"),
        ("U0NCS2N3aGVsbG8gq9Xw", ":2: error: expected `KEY=value`; this line has no `=`"),
    ] {
        let error =
            DotenvSecretStore::parse(&format!("SA_KEY={}\n{tail}\n", "U0NCS2N3aGVsbG8gd29y".repeat(4).split_at(64).0))
                .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(shown.contains(says) && !shown.contains("q9Xw"), "{shown}");
    }
    // a key set empty after a value that is no base64 line, or one in capitals, or one
    // whose length no last line padded with one `=` has, stays a key
    let hex = "0123456789abcdef".repeat(4);
    let wrapped = "U0NCS2N3aGVsbG8gd29y".repeat(4)[..64].to_string();
    for text in [
        "SA_KEY=short\nOtherKey1=\nB=1\n".to_string(),
        format!("SA_KEY={wrapped}\nEMPTY_KEY=\nB=1\n"),
        format!("SA_KEY={wrapped}\nclientId=\nB=1\n"),
        format!("SA_KEY={hex}\nclientIdAbc=\nB=1\n"),
        format!("SA_KEY={wrapped}\n\n# optional\nzendeskSub=\nB=1\n"),
    ] {
        let text = text.as_str();
        assert_eq!(value(text, "B").as_deref(), Some("1"), "{text}");
    }
    // a name set empty above is empty, not unset, for `${NAME:-default}`
    assert_eq!(value("DOTENV_TEST_EMPTY=\nB=${DOTENV_TEST_EMPTY:-d}\n", "B"), None);
    assert_eq!(value("DOTENV_TEST_EMPTY=\nB=${DOTENV_TEST_UNSET:-d}\n", "B").as_deref(), Some("d"));
    // a `\r` alone ends a line, as in old Mac files
    assert_eq!(value("A=1\rB=\"two\rlines\"\r", "B").as_deref(), Some("two\nlines"));
    assert_eq!(value("A=1\rB=2\r", "A").as_deref(), Some("1"));
}

#[test]
fn dotenv_blames_a_quote_left_open_on_its_own_line_not_the_good_line_it_swallows() {
    let text = "ZENDESK_LIVE_USERNAME=agent\nZENDESK_LIVE_PASSWORD=\"s3cr3t\nZENDESK_LIVE_API_KEY=\"k-123\"\n";
    let error = DotenvSecretStore::parse(text).unwrap_err();
    let says = "<secrets>:2: error: the value opened with \" on this line ends on line 3, with text after its closing \"; close the quote on this line, or end a value of several lines with its quote";
    assert_eq!(error.to_string(), says);
}

#[test]
fn dotenv_keeps_the_first_twenty_bad_lines_and_counts_the_others() {
    // a file that is no dotenv file: one bad line each
    let text = "x y\n".repeat(100_000);
    let error = DotenvSecretStore::parse(&text).unwrap_err();
    let DotenvError::Parse { problems, more, .. } = &error else { panic!("not a parse error: {error}") };
    assert_eq!((problems.len(), *more), (20, 99_980));
    let shown = error.to_string();
    assert_eq!(shown.lines().count(), 21, "{shown}");
    assert_eq!(shown.lines().last(), Some("<secrets>: error: and 99980 more bad lines; is it the right file?"));
    let summary = error.summary();
    assert!(summary.ends_with("this line has no `=` (and 99999 more bad lines)"), "{summary}");
    // twenty-one: all twenty shown, and one more
    let error = DotenvSecretStore::parse(&"x y\n".repeat(21)).unwrap_err();
    assert!(error.to_string().ends_with("\n<secrets>: error: and 1 more bad line; is it the right file?"), "{error}");
    assert!(!DotenvSecretStore::parse(&"x y\n".repeat(20)).unwrap_err().to_string().contains("more bad"));
}

#[test]
fn dotenv_expands_references_as_python_dotenv_does() {
    std::env::set_var("DOTENV_EXPAND_TEST_VAULT", "from-env");
    let text = r#"
BASE=k-1
PLAIN=${BASE}-x
QUOTED="${BASE} and ${DOTENV_EXPAND_TEST_VAULT}"
LITERAL='${BASE}'
DEFAULTED=${DOTENV_EXPAND_TEST_UNSET:-fallback}
SET_WINS=${BASE:-fallback}
UNSET=a${DOTENV_EXPAND_TEST_UNSET}b
NOT_REFERENCES=$BASE ${BASE:x} $ ${open
LATER=${AFTER}
AFTER=set-after
ONLY_UNSET=${DOTENV_EXPAND_TEST_UNSET}
"#;
    let store = DotenvSecretStore::parse(text).unwrap();
    let expected = [
        ("PLAIN", Some("k-1-x")),
        ("QUOTED", Some("k-1 and from-env")),
        ("LITERAL", Some("${BASE}")),
        ("DEFAULTED", Some("fallback")),
        ("SET_WINS", Some("k-1")),
        ("UNSET", Some("ab")),
        ("NOT_REFERENCES", Some("$BASE ${BASE:x} $ ${open")),
        // only what the file set above, as python-dotenv reads it
        ("LATER", None),
        ("ONLY_UNSET", None),
    ];
    for (name, value_expected) in expected {
        assert_eq!(value(&store, name).as_deref(), value_expected, "{name}");
    }
    // references doubling a value line by line stop at the file's bound, naming the line
    let doubling: String = (1..=25).map(|n| format!("V{n}=${{V{}}}${{V{}}}\n", n - 1, n - 1)).collect();
    let error = DotenvSecretStore::parse(&format!("V0=0123456789abcdef\n{doubling}")).unwrap_err().to_string();
    let says = "<secrets>:21: error: the values, their `${..}` references expanded, add up to more than the 16 MiB a secrets file may have";
    assert_eq!(error, says);
    // and so do references repeating one long value on many lines
    let up_to_a_mebibyte = &doubling[..doubling.find("V17=").unwrap()];
    let repeated: String = (0..64).map(|n| format!("B{n}=${{V16}}\n")).collect();
    let error = DotenvSecretStore::parse(&format!("V0=0123456789abcdef\n{up_to_a_mebibyte}{repeated}")).unwrap_err();
    let DotenvError::Parse { problems, more, .. } = &error else { panic!("not a parse error: {error}") };
    assert_eq!((problems[0].0, problems.len() + more), (32, 50), "from the line past 16 MiB on: {error}");
    // and references repeating one long value on one line, refused before the value is whole
    let line = "${V16}".repeat(100_000);
    let error = DotenvSecretStore::parse(&format!("V0=0123456789abcdef\n{up_to_a_mebibyte}B={line}\n")).unwrap_err();
    assert!(
        error.to_string().starts_with("<secrets>:18: error: the values, their `${..}` references expanded"),
        "{error}"
    );
    // the environment wins over the file, as python-dotenv's default (`override=False`)
    let store = DotenvSecretStore::parse(
        "DOTENV_EXPAND_TEST_VAULT=file
KEY=${DOTENV_EXPAND_TEST_VAULT}
",
    )
    .unwrap();
    assert_eq!(value(&store, "KEY").as_deref(), Some("from-env"));
}

#[test]
fn dotenv_from_path_names_the_file_and_hides_values() {
    let dir = std::env::temp_dir().join(format!("conv-api-auth-scratch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(".env");
    std::fs::write(&path, "ZENDESK_LIVE_API_KEY=hunter2\n").unwrap();
    let store = DotenvSecretStore::from_path(&path).unwrap();
    assert_eq!(value(&store, "ZENDESK_LIVE_API_KEY").as_deref(), Some("hunter2"));
    let debug = format!("{store:?}");
    assert!(debug.contains("ZENDESK_LIVE_API_KEY") && !debug.contains("hunter2"), "{debug}");
    // every bad line, one line each in the diagnostics' shape
    std::fs::write(&path, "ok=1\n=hunter2\nno pair\nB=\"open\n").unwrap();
    let message = DotenvSecretStore::from_path(&path).unwrap_err().to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 3, "{message}");
    for (line, number) in lines.iter().zip([2, 3, 4]) {
        assert!(line.starts_with(&format!("{}:{number}: error: ", path.display())), "{message}");
    }
    assert!(!message.contains("hunter2"), "{message}");
    std::fs::write(&path, b"ok=1\nKEY=caf\xe9\n").unwrap();
    let message = DotenvSecretStore::from_path(&path).unwrap_err().to_string();
    assert_eq!(message, format!("{}:2: error: the file is not valid UTF-8; save it as UTF-8", path.display()));
    // as PowerShell's `echo KEY=value > .env` writes it
    std::fs::write(&path, b"\xFF\xFEK\0=\0v\0\r\0\n\0").unwrap();
    let message = DotenvSecretStore::from_path(&path).unwrap_err().to_string();
    assert_eq!(
        message,
        format!("{}:1: error: the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8", path.display())
    );
    let directory = DotenvSecretStore::from_path(&dir).unwrap_err().to_string();
    assert!(directory.ends_with("`: it is a directory; give a dotenv file's path"), "{directory}");
    // the builder's own advice is not said again
    let built = conv_api_runtime::Runtime::builder().dotenv(&dir).build().unwrap_err().to_string();
    assert!(built.ends_with("`: it is a directory; give a dotenv file's path"), "{built}");
    #[cfg(unix)] // a line break in a file name, which other systems refuse
    {
        let odd = dir.join("a\nb.env");
        std::fs::write(&odd, "no pair\n").unwrap();
        let message = DotenvSecretStore::from_path(&odd).unwrap_err().to_string();
        assert_eq!(message.lines().count(), 1, "one line a bad line: {message}");
        assert!(message.contains("a\\nb.env:1: error: expected `KEY=value`"), "{message}");
    }
    let missing = DotenvSecretStore::from_path(dir.join("absent.env")).unwrap_err();
    let message = missing.to_string();
    assert!(message.contains("cannot read the secrets file") && message.contains("absent.env"), "{message}");
    assert!(std::error::Error::source(&missing).is_none(), "the reason is in the message: a chain would say it twice");
    // an empty path (an unset variable) is told as one, not as a file that is missing
    let empty = DotenvSecretStore::from_path("").unwrap_err().to_string();
    assert_eq!(empty, "cannot read the secrets file `\"\"`: the path is empty; name the file");
    // a relative one names the working directory it was read from
    let relative = DotenvSecretStore::from_path("no-such-conv-api.env").unwrap_err().to_string();
    let directory = std::env::current_dir().unwrap();
    let says = format!("; the path is relative to the working directory, `{}`", directory.display());
    assert!(relative.ends_with(&says), "{relative}");
    // what `main` prints is the message
    let error = DotenvSecretStore::from_path("").unwrap_err();
    assert_eq!(format!("{error:?}"), error.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_dotenv_input_past_its_size_limit_is_an_error_not_all_the_memory() {
    use std::io::Read;
    let endless = std::io::repeat(b'#');
    let message = DotenvSecretStore::from_reader("/dev/zero", endless).unwrap_err().to_string();
    assert_eq!(
        message,
        "cannot read the secrets file `/dev/zero`: it is larger than the 16 MiB a secrets file may have; is it the right file?"
    );
    let at_the_limit = std::io::repeat(b'#').take(conv_api_runtime::MAX_DOTENV_BYTES);
    assert!(DotenvSecretStore::from_reader("comments.env", at_the_limit).is_ok(), "a comment is no entry");
}

#[test]
fn layered_store_asks_layers_in_order() {
    let first = MapSecretStore::new().with("A", "from-first");
    let second = MapSecretStore::new().with("A", "from-second").with("B", "only-second");
    let store = LayeredSecretStore::new().then(first).then(second);
    assert_eq!(value(&store, "A").as_deref(), Some("from-first"));
    assert_eq!(value(&store, "B").as_deref(), Some("only-second"));
    assert_eq!(value(&store, "C"), None);
    assert!(!format!("{store:?}").contains("from-"));
    // an empty value is unset, so it hides no later layer (as the default store, then dotenv)
    let later = MapSecretStore::new().with("A", "from-second");
    let emptied = LayeredSecretStore::new().then(MapSecretStore::new().with("A", "")).then(later);
    assert_eq!(value(&emptied, "A").as_deref(), Some("from-second"));
}

fn secret(name: &str, source: SecretSource, required: bool) -> Setting {
    Setting::Secret(SecretRef { name: name.to_string().into(), source, required })
}

#[test]
fn resolving_a_setting_reads_the_literal_or_the_store() {
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_SCOPE", "read");
    let literal = Setting::Literal("my-client".into());
    assert_eq!(resolve_required(&literal, "client_id", &store).unwrap().expose_secret(), "my-client");
    let scope = secret("ZENDESK_SANDBOX_SCOPE", SecretSource::Conventional, false);
    assert_eq!(resolve_setting(&scope, "scope", &store).unwrap().unwrap().expose_secret(), "read");
    let unset_optional = secret("ZENDESK_LIVE_SCOPE", SecretSource::Conventional, false);
    assert!(resolve_setting(&unset_optional, "scope", &store).unwrap().is_none());
}

#[test]
fn a_missing_secret_names_it_and_says_how_to_set_it() {
    let conventional = secret("ZENDESK_SANDBOX_CLIENT_SECRET", SecretSource::Conventional, true);
    let error = resolve_setting(&conventional, "client_secret", &EnvSecretStore).unwrap_err();
    assert_eq!(error.name, "ZENDESK_SANDBOX_CLIENT_SECRET");
    assert!(error.conventional);
    assert_eq!(
        error.to_string(),
        "missing secret `ZENDESK_SANDBOX_CLIENT_SECRET` (the conventional name for `auth.client_secret`, which the definitions file leaves out); add it to the secret store: the default store reads the environment variable `ZENDESK_SANDBOX_CLIENT_SECRET` (an empty or blank value counts as missing)"
    );
    // a store of another kind: no environment variable to set, but the store, by its description
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_CLIENT_ID", "agent");
    let error = resolve_setting(&conventional, "client_secret", &store).unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing secret `ZENDESK_SANDBOX_CLIENT_SECRET` (the conventional name for `auth.client_secret`, which the definitions file leaves out); add it to the secret store this runtime reads, MapSecretStore holding `ZENDESK_SANDBOX_CLIENT_ID` (an empty or blank value counts as missing)"
    );
    let layered = LayeredSecretStore::new().then(EnvSecretStore).then(store);
    let error = resolve_setting(&conventional, "client_secret", &layered).unwrap_err();
    assert!(
        error.to_string().contains("this runtime reads, LayeredSecretStore [EnvSecretStore, then MapSecretStore"),
        "{error}"
    );
    // a layer that reads the environment: the variable to set too
    let reads_env = ", whose EnvSecretStore reads the environment variable `ZENDESK_SANDBOX_CLIENT_SECRET` (an empty or blank value counts as missing)";
    assert!(error.to_string().ends_with(reads_env), "{error}");
    let explicit = secret("MY_KEY", SecretSource::Explicit, true);
    let error = resolve_required(&explicit, "value", &layered).unwrap_err();
    assert!(!error.conventional);
    assert!(error.to_string().contains("(named for `auth.value` in the definitions file)"), "{error}");
}

#[test]
fn a_long_store_description_is_cut_after_a_whole_name() {
    let store = (0..30).fold(MapSecretStore::new(), |store, n| store.with(format!("OTHER_SERVICE_{n:02}_KEY"), "v"));
    let missing = secret("ZENDESK_SANDBOX_CLIENT_SECRET", SecretSource::Conventional, true);
    let message = resolve_setting(&missing, "client_secret", &store).unwrap_err().to_string();
    let shown = message.split("this runtime reads, ").nth(1).unwrap_or_default();
    assert!(shown.starts_with("MapSecretStore holding `OTHER_SERVICE_00_KEY`, "), "{message}");
    assert!(
        shown.contains(", `OTHER_SERVICE_04_KEY` and 25 more (an empty or blank value counts as missing)"),
        "{message}"
    );
    // a blank value is missing, not held; a dotenv store names its file
    let store = MapSecretStore::new().with("A_KEY", "k").with("B_KEY", " ");
    assert_eq!(store.describe(), "MapSecretStore holding `A_KEY`");
    let dotenv = DotenvSecretStore::parse("A_KEY=k\nB_KEY=\nC_KEY=c\n").unwrap();
    assert_eq!(dotenv.describe(), "DotenvSecretStore given as text holding `A_KEY` and `C_KEY`");
    assert!(shown.len() < 300, "{message}");
}

/// A shared store lists five names in its description: the near miss of a missing
/// secret is named whatever its place, from every kind of store.
#[test]
fn a_missing_secret_names_a_similar_one_the_store_holds() {
    let missing = secret("TENANT8_CRM_API_KEY", SecretSource::Explicit, true);
    let similar = |store: &dyn SecretStore| resolve_required(&missing, "value", store).unwrap_err().similar;
    let store = (0..30).fold(MapSecretStore::new(), |store, n| store.with(format!("TENANT{n:02}_ERP_KEY"), "v"));
    let store = store.with("TENANT8_CRM_APIKEY", "k");
    let message = resolve_required(&missing, "value", &store).unwrap_err().to_string();
    let named = "missing secret `TENANT8_CRM_API_KEY` (named for `auth.value` in the definitions file; did you mean `TENANT8_CRM_APIKEY`, which the store holds?); add it to the secret store this runtime reads, MapSecretStore holding `TENANT00_ERP_KEY`,";
    assert!(message.starts_with(named), "{message}");
    // another case; one edit; a blank value is missing too, so not offered
    let dotenv = DotenvSecretStore::parse("tenant8_crm_api_key=k\n").unwrap();
    assert_eq!(similar(&dotenv).as_deref(), Some("tenant8_crm_api_key"));
    assert_eq!(similar(&MapSecretStore::new().with("TENANT8_CRM_API_KY", "k")).as_deref(), Some("TENANT8_CRM_API_KY"));
    assert_eq!(similar(&MapSecretStore::new().with("TENANT8_CRM_APIKEY", " ")), None);
    // another tenant's, or another region's, is no slip
    assert_eq!(similar(&MapSecretStore::new().with("TENANT9_CRM_API_KEY", "k")), None);
    let regions = secret("SHOP_UK_LIVE_API_KEY", SecretSource::Explicit, true);
    let held = MapSecretStore::new().with("SHOP_US_LIVE_API_KEY", "k");
    assert_eq!(resolve_required(&regions, "value", &held).unwrap_err().similar, None);
    // the same API's other secrets, or another environment's, are no slips
    let siblings = ["TENANT8_CRM_USERNAME", "TENANT8_CRM_API_KEY_OLD", "TENANT8_CRM_LIVE_API_KEY", "CRM_API_KEY"];
    let store = siblings.iter().fold(MapSecretStore::new(), |store, name| store.with(*name, "v"));
    assert_eq!(similar(&store), None);
    // the environment, alone or as a layer, and a store that cannot list its names
    std::env::set_var("AUTH_SCRATCH_SIMILAR_APIKEY", "k");
    let missing = secret("AUTH_SCRATCH_SIMILAR_API_KEY", SecretSource::Conventional, true);
    let similar = |store: &dyn SecretStore| resolve_required(&missing, "value", store).unwrap_err().similar;
    assert_eq!(similar(&EnvSecretStore).as_deref(), Some("AUTH_SCRATCH_SIMILAR_APIKEY"));
    let layered = LayeredSecretStore::new().then(MapSecretStore::new()).then(EnvSecretStore);
    assert_eq!(similar(&layered).as_deref(), Some("AUTH_SCRATCH_SIMILAR_APIKEY"));
    struct Vault;
    impl SecretStore for Vault {
        fn get(&self, _: &str) -> Option<secrecy::SecretString> {
            None
        }
    }
    assert_eq!(similar(&Vault), None);
}

#[test]
fn an_empty_value_from_any_store_is_missing_so_no_empty_credential_is_sent() {
    let store = MapSecretStore::new().with("MY_KEY", "").with("ZENDESK_SANDBOX_SCOPE", "").with("BLANK", " \n");
    let explicit = secret("MY_KEY", SecretSource::Explicit, true);
    assert_eq!(resolve_required(&explicit, "value", &store).unwrap_err().name, "MY_KEY");
    let blank = secret("BLANK", SecretSource::Explicit, true);
    assert_eq!(resolve_required(&blank, "value", &store).unwrap_err().name, "BLANK", "blank is empty too");
    let scope = secret("ZENDESK_SANDBOX_SCOPE", SecretSource::Conventional, false);
    assert!(resolve_setting(&scope, "scope", &store).unwrap().is_none(), "an optional one is unset");
}

#[test]
fn a_secret_files_last_line_break_is_not_part_of_the_value() {
    // a secret made from a file (a Kubernetes secret, `docker secret`) keeps its last line break
    let store = MapSecretStore::new().with("LF", "pa55\n").with("CRLF", "pa55\r\n").with("SPACED", " pa 55 ");
    let read = |name: &str| {
        let setting = secret(name, SecretSource::Explicit, true);
        resolve_required(&setting, "password", &store).unwrap().expose_secret().to_string()
    };
    assert_eq!(read("LF"), "pa55");
    assert_eq!(read("CRLF"), "pa55");
    assert_eq!(read("SPACED"), " pa 55 ", "only line breaks at the end are taken off");
}

#[test]
fn a_byte_order_mark_a_secret_starts_with_is_not_part_of_the_value() {
    // a file saved as "UTF-8 with BOM" (Notepad's default until 2019) starts with U+FEFF
    let store = MapSecretStore::new().with("BOM", "\u{feff}pa55\r\n").with("ONLY_BOM", "\u{feff}\n");
    let setting = secret("BOM", SecretSource::Explicit, true);
    assert_eq!(resolve_required(&setting, "password", &store).unwrap().expose_secret(), "pa55");
    assert!(!is_set(&store, "ONLY_BOM"), "nothing but a byte order mark is blank");
    let layered = LayeredSecretStore::new().then(store).then(MapSecretStore::new().with("ONLY_BOM", "next"));
    assert!(is_set(&layered, "ONLY_BOM"), "a blank layer passes the name on");
}

#[test]
fn a_secret_wrapped_in_quotes_or_blanks_is_sent_as_it_is_and_doubted() {
    let store = MapSecretStore::new()
        .with("DOUBLE", "\"k-1\"\n")
        .with("SINGLE", "'k-1'")
        .with("TICKS", "`k-1`")
        .with("CURLY", "\u{201c}k-1\u{201d}")
        .with("ONLY_QUOTES", "\"\"")
        .with("LEAD", " k-1")
        .with("TRAIL", "k-1\t")
        .with("BOTH", " k-1 ")
        .with("MIXED", "\nk-1 ")
        .with("NBSP", "k-1\u{a0}")
        .with("ZERO_WIDTH", "\u{200b}k-1")
        .with("JOINER", "k-1\u{2060}")
        .with("FINE", "k-1\n")
        .with("INNER", "k \"1\" 2")
        .with("ONE_QUOTE", "\"")
        .with("HALF_CURLY", "\u{201c}k-1\"");
    let setting = secret("DOUBLE", SecretSource::Explicit, true);
    assert_eq!(resolve_required(&setting, "api_key", &store).unwrap().expose_secret(), "\"k-1\"", "sent as it is");
    let doubt = |name: &str| secret_doubt(&store, name).unwrap_or_else(|| panic!("{name} is not doubted"));
    let starts = |name: &str, says: &str| assert!(doubt(name).starts_with(says), "{name}: {}", doubt(name));
    starts("DOUBLE", "its value is in double quotes (\"…\"), which calls send as part of it; remove them unless the credential holds them (a shell or a `.env` file removes them, Docker's `--env-file` keeps them)");
    starts("SINGLE", "its value is in single quotes ('…'), which");
    starts("TICKS", "its value is in backticks (`…`), which");
    starts("CURLY", "its value is in typographic double quotes (\u{201c}…\u{201d}), which calls send as part of it; remove them unless the credential holds them (a document or a chat may have put them in");
    starts("ONLY_QUOTES", "its value is nothing but a pair of double quotes (\"\"), which calls send as the credential; set the credential itself");
    starts(
        "LEAD",
        "its value starts with a space, which calls send as part of it; remove it unless the credential holds it",
    );
    starts("TRAIL", "its value ends with a tab, which");
    starts("BOTH", "its value starts and ends with a space, which calls send as part of it; remove them unless");
    starts("MIXED", "its value starts with a line break and ends with a space, which");
    starts("NBSP", "its value ends with a no-break space (U+00A0), which");
    starts("ZERO_WIDTH", "its value starts with a zero-width space (U+200B), which");
    starts("JOINER", "its value ends with an invisible character (U+2060), which");
    for fine in ["FINE", "INNER", "ONE_QUOTE", "HALF_CURLY", "UNSET"] {
        assert_eq!(secret_doubt(&store, fine), None, "{fine}");
    }
    for name in ["DOUBLE", "CURLY", "BOTH", "NBSP"] {
        assert!(!doubt(name).contains("k-1"), "the value is never shown: {}", doubt(name));
    }
}

#[test]
fn a_secret_starting_or_ending_with_any_other_blank_character_is_doubted_by_its_code_point() {
    let store = MapSecretStore::new().with("IDEOGRAPHIC", "k-1\u{3000}").with("EM", "\u{2003}k-1");
    assert_eq!(
        secret_doubt(&store, "IDEOGRAPHIC").as_deref(),
        Some("its value ends with a blank character (U+3000), which calls send as part of it; remove it unless the credential holds it")
    );
    let doubt = secret_doubt(&store, "EM").unwrap_or_default();
    assert!(doubt.starts_with("its value starts with a blank character (U+2003), which"), "{doubt}");
}

#[test]
fn a_store_for_checks_reads_and_describes_its_store_and_offers_the_names_no_api_reads() {
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://crm.example\", auth_type: apiKey } }\n  - name: crma\n    environments: { live: { base_url: \"https://crma.example\", auth_type: apiKey } }\n";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    let store = MapSecretStore::new().with("CRMA_LIVE_API_KEY", "k-1").with("CRM_LIVE_APIKEY", "k-2");
    let checked = StoreForChecks::new(&store, apis.definitions());
    assert_eq!(value(&checked, "CRMA_LIVE_API_KEY").as_deref(), Some("k-1"), "values as the store has them");
    assert_eq!(checked.describe(), store.describe(), "named as the store is");
    assert_eq!(checked.secret_names(), ["CRM_LIVE_APIKEY"], "`crma`'s key is no slip of `crm`'s");
    let crm_live = apis.definitions().apis[0].environment(Environment::Live).unwrap();
    assert_eq!(missing_secrets(crm_live, &checked)[0].similar.as_deref(), Some("CRM_LIVE_APIKEY"));
    let debug = format!("{checked:?}");
    assert!(debug.contains(&store.describe()) && !debug.contains("k-1") && !debug.contains("k-2"), "{debug}");
}

#[test]
fn needed_secrets_list_auth_then_tls_with_their_names() {
    let env = auth_support::environment(
        "https://api.example",
        "oauth2",
        "{ client_id: my-client, client_secret: { secret: MY_SECRET }, token_params: { audience: { secret: MY_AUDIENCE } } }",
    );
    let needed: Vec<(String, String, bool)> =
        needed_secrets(&env).into_iter().map(|s| (s.name, s.field.into_owned(), s.required)).collect();
    let row = |name: &str, field: &str, required| (name.to_string(), field.to_string(), required);
    assert_eq!(
        needed,
        [
            row("ZENDESK_SANDBOX_TOKEN_URL", "token_url", true),
            row("MY_SECRET", "client_secret", true),
            row("ZENDESK_SANDBOX_SCOPE", "scope", false),
            row("MY_AUDIENCE", "token_params.audience", true),
        ]
    );
    let store = MapSecretStore::new().with("MY_SECRET", "s").with("MY_AUDIENSE", "a");
    let missing = missing_secrets(&env, &store);
    let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["ZENDESK_SANDBOX_TOKEN_URL", "MY_AUDIENCE"]);
    let told = missing[1].to_string();
    assert!(told.contains("`MY_AUDIENCE` (named for `auth.token_params.audience` in the definitions file; did you mean `MY_AUDIENSE`, which the store holds?)"), "{told}");
    assert_eq!(missing[0].similar, None, "{}", missing[0]);
}

#[test]
fn needed_secrets_of_a_basic_environment_are_the_conventional_names() {
    let env = auth_support::environment("https://api.example", "basic", "");
    let names: Vec<String> = needed_secrets(&env).into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["ZENDESK_SANDBOX_USERNAME", "ZENDESK_SANDBOX_PASSWORD"]);
    let none = auth_support::environment("https://api.example", "none", "");
    assert!(needed_secrets(&none).is_empty());
}

/// A runtime given no store reads secrets from environment variables named exactly as
/// the secret: the conventional name of an API key left out of the file, here.
#[tokio::test]
async fn without_a_store_a_call_sends_the_secret_of_the_variable_named_as_it() {
    use wiremock::matchers::header;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(header("x-api-key", "env-key-42"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    std::env::set_var("ENVSTORE_E2E_SANDBOX_API_KEY", "env-key-42");
    let yaml = format!(
        "api_integrations:\n  - name: envstore_e2e\n    environments: {{ sandbox: {{ base_url: \"{}\", auth_type: apiKey }} }}\n    operations: [{{ name: ping, method: GET, resource: /ping }}]\n",
        server.uri()
    );
    let apis = conv_api_runtime::DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let runtime =
        conv_api_runtime::Runtime::builder().environment(conv_api_runtime::Environment::Sandbox).build().unwrap();
    let response = runtime.dynamic_conversation(&apis).api.call("envstore_e2e", "ping").await.unwrap();
    assert_eq!(response.status_code(), 200);
}

/// Every value a call reads from the store is checked as the call checks it, sending
/// nothing: the check of `conv-api secrets --check`.
#[test]
fn check_credentials_finds_what_every_call_would_refuse_without_sending_anything() {
    use conv_api_runtime::auth::{check_credentials, AuthError};
    let refused_secret =
        |env: &conv_api_definitions::EnvironmentConfig, store: &MapSecretStore| match check_credentials(env, store)
            .as_slice()
        {
            [AuthError::InvalidSetting { secret, .. }] => Some(secret.clone()),
            other => panic!("expected one invalid setting: {other:?}"),
        };
    let basic = auth_support::environment("https://api.example", "basic", "");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "a:b").with("ZENDESK_SANDBOX_PASSWORD", "pw");
    assert_eq!(refused_secret(&basic, &store).as_deref(), Some("ZENDESK_SANDBOX_USERNAME"));
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "ab").with("ZENDESK_SANDBOX_PASSWORD", "p\nw");
    assert!(check_credentials(&basic, &store).is_empty(), "a password goes base64-encoded: any text is sent");
    let key = auth_support::environment("https://api.example", "apiKey", "{ location: { secret: KEY_WHERE } }");
    let store = MapSecretStore::new().with("KEY_WHERE", "cookie").with("ZENDESK_SANDBOX_API_KEY", "k");
    assert_eq!(refused_secret(&key, &store).as_deref(), Some("KEY_WHERE"));
    let store = MapSecretStore::new().with("KEY_WHERE", "query").with("ZENDESK_SANDBOX_API_KEY", "k\n1");
    assert!(check_credentials(&key, &store).is_empty(), "a key in the query is percent-encoded");
    // OAuth 2.0: the token request's settings and the token's header, no token requested
    let oauth = auth_support::environment(
        "https://api.example",
        "oauth2",
        "{ token_url: { secret: TOKEN_URL }, credentials: { secret: HOW }, client_id: agent }",
    );
    let good = || MapSecretStore::new().with("TOKEN_URL", "https://127.0.0.1:9/token").with("HOW", "body");
    assert!(check_credentials(&oauth, &good().with("ZENDESK_SANDBOX_CLIENT_SECRET", "s")).is_empty());
    let store = good().with("ZENDESK_SANDBOX_CLIENT_SECRET", "s").with("HOW", "both");
    assert_eq!(refused_secret(&oauth, &store).as_deref(), Some("HOW"));
    let store = good().with("ZENDESK_SANDBOX_CLIENT_SECRET", "s").with("TOKEN_URL", "http://tokens.example/t");
    let problems = check_credentials(&oauth, &store);
    assert!(
        matches!(problems.as_slice(), [error @ AuthError::InvalidTokenUrl { .. }] if error.to_string().contains("TOKEN_URL")),
        "{problems:?}"
    );
    let problems = check_credentials(&oauth, &good());
    assert!(
        matches!(problems.as_slice(), [AuthError::MissingSecret(missing)] if missing.name == "ZENDESK_SANDBOX_CLIENT_SECRET"),
        "{problems:?}"
    );
}

/// Each setting is checked on its own: every value a call would refuse is reported
/// at once, not one per fix.
#[test]
fn check_credentials_reports_every_refused_setting_not_the_first_only() {
    use conv_api_runtime::auth::{check_credentials, AuthError};
    let refused = |env: &conv_api_definitions::EnvironmentConfig, store: &MapSecretStore| -> Vec<String> {
        check_credentials(env, store)
            .iter()
            .map(|error| match error {
                AuthError::InvalidSetting { secret, .. } => secret.clone(),
                AuthError::InvalidTokenUrl { .. } => "token_url".to_string(),
                AuthError::MissingSecret(missing) => format!("missing {}", missing.name),
                other => panic!("unexpected problem: {other}"),
            })
            .collect()
    };
    // an API key: a `name` no header takes, a key no header carries and a prefix with a
    // tab, all in one check (a call stops at the first)
    let key = auth_support::environment(
        "https://api.example",
        "apiKey",
        "{ name: { secret: KEY_HEADER }, prefix: { secret: KEY_PREFIX } }",
    );
    let store = MapSecretStore::new()
        .with("KEY_HEADER", "X Key")
        .with("ZENDESK_SANDBOX_API_KEY", "k\r\n1")
        .with("KEY_PREFIX", "Token\tx");
    assert_eq!(refused(&key, &store), ["KEY_HEADER", "ZENDESK_SANDBOX_API_KEY", "KEY_PREFIX"]);
    // in the query, neither the name nor the key goes in a header
    let key = auth_support::environment(
        "https://api.example",
        "apiKey",
        "{ location: { secret: KEY_WHERE }, name: { secret: KEY_HEADER } }",
    );
    let store = MapSecretStore::new()
        .with("KEY_WHERE", "query")
        .with("KEY_HEADER", "api key")
        .with("ZENDESK_SANDBOX_API_KEY", "k\n1");
    assert!(refused(&key, &store).is_empty());
    // a `location` that names no place: the key's place is unknown, only the location is refused
    let store = store.with("KEY_WHERE", "cookie");
    assert_eq!(refused(&key, &store), ["KEY_WHERE"]);
    // Basic: a username with `:` and a missing password
    let basic = auth_support::environment("https://api.example", "basic", "");
    let store = MapSecretStore::new().with("ZENDESK_SANDBOX_USERNAME", "a:b");
    assert_eq!(refused(&basic, &store), ["ZENDESK_SANDBOX_USERNAME", "missing ZENDESK_SANDBOX_PASSWORD"]);
    // OAuth 2.0: the header name, the token URL, the credentials' place and the token prefix
    let oauth = auth_support::environment(
        "https://api.example",
        "oauth2",
        "{ token_url: { secret: TOKEN_URL }, credentials: { secret: HOW }, header_name: { secret: TOKEN_HEADER }, token_prefix: { secret: TOKEN_PREFIX }, client_id: agent }",
    );
    let store = MapSecretStore::new()
        .with("TOKEN_URL", "http://tokens.example/t")
        .with("HOW", "both")
        .with("TOKEN_HEADER", "Content-Length")
        .with("TOKEN_PREFIX", "Bearer\u{7}");
    assert_eq!(
        refused(&oauth, &store),
        ["TOKEN_HEADER", "token_url", "missing ZENDESK_SANDBOX_CLIENT_SECRET", "HOW", "TOKEN_PREFIX"]
    );
    let store = store.with("ZENDESK_SANDBOX_CLIENT_SECRET", "s");
    assert_eq!(refused(&oauth, &store), ["TOKEN_HEADER", "token_url", "HOW", "TOKEN_PREFIX"]);
}
