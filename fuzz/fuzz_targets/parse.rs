//! The definitions parser on arbitrary bytes: it never panics; a rejected file has at
//! least one error, and every diagnostic (an error, or a warning of an accepted file)
//! has a 1-based position and a message. What is read despite errors (the macro's
//! best effort) names each API once, and each operation once in its API.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let diagnostics = match conv_api_definitions::parse_bytes("fuzz.yaml", data) {
        Ok(checked) => {
            assert!(!checked.warnings.has_errors(), "an accepted file has an error");
            checked.warnings
        }
        Err(diagnostics) => {
            assert!(diagnostics.has_errors(), "rejected without an error");
            diagnostics
        }
    };
    for diagnostic in &diagnostics.items {
        assert!(diagnostic.span.line >= 1 && diagnostic.span.column >= 1, "{diagnostic:?}");
        assert!(!diagnostic.message.is_empty());
    }
    let recovered = conv_api_definitions::parse_bytes_with_recovery("fuzz.yaml", data);
    let apis = &recovered.definitions.apis;
    assert!(unique(apis.iter().map(|api| api.name.value.as_ref())), "an API name twice");
    for api in apis.iter() {
        assert!(unique(api.operations.iter().map(|op| op.name())), "an operation name twice in `{}`", api.name.value);
    }
});

fn unique<'a>(mut names: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::HashSet::new();
    names.all(|name| seen.insert(name))
}
