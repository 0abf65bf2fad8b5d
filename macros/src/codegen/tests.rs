//! Expansion snapshots: the generated code for a realistic file, pretty-printed.
//!
//! The snapshot's content file (`snapshots/*.snap.rs`) is plain Rust that the root
//! crate's `tests/expanded.rs` compiles and calls, so the golden output is known to
//! build. Review changes with `cargo insta review` (from `cargo install cargo-insta`),
//! or accept them with `INSTA_UPDATE=always cargo test -p conv-api-macros`.

use super::{generate, Tracked};

fn expand_fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    let checked = conv_api_definitions::parse_str(name, &text).expect("fixture is valid");
    let include = format!("../../../tests/fixtures/{name}");
    let tracked = Some(Tracked { path: &include, override_variable: false });
    let tokens = generate(&checked.definitions, name, tracked, &quote::quote!(::conv_api));
    let file = syn::parse2::<syn::File>(tokens).expect("generated code parses as a Rust file");
    prettyplease::unparse(&file)
}

#[test]
fn realistic_expansion() {
    insta::assert_binary_snapshot!("realistic.rs", expand_fixture("realistic.yaml").into_bytes());
}

#[test]
fn generated_code_refers_only_to_absolute_paths_and_its_own_modules() {
    let code = expand_fixture("realistic.yaml");
    let own_modules = ["self::", "zendesk::", "bookings::"];
    let attribute_or_doc =
        |line: &str| line.trim_start().starts_with("#[allow(") || line.trim_start().starts_with("///");
    for line in code.lines().filter(|l| l.contains("::") && !attribute_or_doc(l)) {
        let relative = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .filter(|word| word.contains("::") && !word.starts_with("::"))
            .find(|word| !own_modules.iter().any(|module| word.starts_with(module)));
        assert_eq!(relative, None, "relative path in generated line: {line}");
    }
}

#[test]
fn only_the_canonical_form_is_embedded() {
    let code = expand_fixture("realistic.yaml");
    assert!(code.contains(r#"\"client_secret\":{\"secret\":\"ZENDESK_CLIENT_SECRET\"}"#), "secret names are embedded");
    assert!(!code.contains("A realistic definitions file"), "comments of the file are not embedded");
}

#[test]
fn keywords_become_raw_identifiers() {
    let code = expand_fixture("realistic.yaml");
    assert!(code.contains("pub fn r#type(") && code.contains("r#match: impl PathValue"), "{code}");
}

#[test]
fn clippy_is_told_to_allow_many_arguments_only_where_an_operation_has_them() {
    let expand = |variables: usize| {
        let resource: String = (0..variables).map(|i| format!("/{{v{i}}}")).collect();
        let text = format!(
            "api_integrations:\n  - name: wide\n    environments: {{ sandbox: {{ base_url: https://w.example }} }}\n    operations: [{{ name: get, method: GET, resource: \"{resource}\" }}]\n"
        );
        let checked = conv_api_definitions::parse_str("wide.yaml", &text).expect("valid");
        generate(&checked.definitions, "wide.yaml", None, &quote::quote!(::conv_api)).to_string()
    };
    // with `&self`, six variables are seven arguments: clippy's default allows them
    assert!(!expand(6).contains("too_many_arguments"));
    assert_eq!(expand(7).matches("too_many_arguments").count(), 1, "on the positional methods only");
    assert!(!expand_fixture("realistic.yaml").contains("too_many_arguments"));
}

#[test]
fn clippy_is_told_to_allow_underscored_public_fields_only_on_them() {
    let text = "api_integrations:\n  - name: _private\n    environments: { sandbox: { base_url: https://p.example } }\n    operations:\n      - { name: get, method: GET, resource: \"/{_id}/{id}\" }\n      - { name: _get, method: GET, resource: \"/{id}\" }\n";
    let checked = conv_api_definitions::parse_str("underscored.yaml", text).expect("valid");
    let tokens = generate(&checked.definitions, "underscored.yaml", None, &quote::quote!(::conv_api));
    let code = prettyplease::unparse(&syn::parse2::<syn::File>(tokens).expect("generated code parses"));
    let lines: Vec<&str> = code.lines().map(str::trim).collect();
    // the field each `allow` is on: the first `pub` line after it
    let allowed: Vec<&str> = (0..lines.len())
        .filter(|&i| lines[i].contains("pub_underscore_fields"))
        .filter_map(|i| lines[i..].iter().find(|line| line.starts_with("pub ")).copied())
        .collect();
    // the API's field of `Api` and the `_id` field of `args::Get`; not `id`, nor the method `_get`
    assert_eq!(allowed, ["pub _private: _private::Client,", "pub _id: T0,"], "{code}");
}
