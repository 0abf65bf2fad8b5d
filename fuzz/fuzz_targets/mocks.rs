//! The mocks parser on arbitrary bytes, against the definitions of MOCKS.md's
//! example: it never panics, and a rejected file has at least one error, each with a
//! 1-based position and a message; an accepted one has warnings only.
#![no_main]

use std::sync::LazyLock;

use conv_api_definitions::{mocks, Definitions};
use libfuzzer_sys::fuzz_target;

static DEFINITIONS: LazyLock<Definitions> = LazyLock::new(|| {
    let text = include_str!("../../definitions/tests/fixtures/adk/booking-apis.yaml");
    conv_api_definitions::parse_str("apis.yaml", text).expect("the fixture is valid").definitions
});

fuzz_target!(|data: &[u8]| {
    let (items, rejected) = match mocks::parse_bytes("case.yaml", data, &DEFINITIONS) {
        Err(diagnostics) => {
            assert!(diagnostics.has_errors(), "rejected without an error");
            (diagnostics.items, true)
        }
        Ok(mocks) => (mocks.warnings, false),
    };
    for diagnostic in &items {
        assert!(diagnostic.span.line >= 1 && diagnostic.span.column >= 1, "{diagnostic:?}");
        assert!(!diagnostic.message.is_empty());
        assert!(rejected || !diagnostic.is_error(), "accepted with an error: {diagnostic:?}");
    }
});
