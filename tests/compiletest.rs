//! UI tests: each file under `tests/ui/` must fail to compile with the
//! diagnostics in its `.stderr` (one per class of definitions error, and the
//! misuses of a generated API), or compile cleanly for `pass/`.
//!
//! The macro resolves paths against `CONV_API_MANIFEST_DIR` here, because
//! trybuild builds the cases away from this crate (dtolnay/trybuild#202).
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test compiletest`.

#[test]
fn ui() {
    std::env::set_var("CONV_API_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
