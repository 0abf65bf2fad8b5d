//! The definitions parser on arbitrary bytes: it never panics, and a rejected file
//! has at least one error, each with a 1-based position and a message.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(diagnostics) = conv_api_definitions::parse_bytes("fuzz.yaml", data) {
        assert!(diagnostics.has_errors(), "rejected without an error");
        for diagnostic in &diagnostics.items {
            assert!(diagnostic.span.line >= 1 && diagnostic.span.column >= 1, "{diagnostic:?}");
            assert!(!diagnostic.message.is_empty());
        }
    }
});
