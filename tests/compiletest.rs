//! UI tests: each file under `tests/ui/` must fail to compile with the
//! diagnostics in its `.stderr` (one per class of definitions error, and the
//! misuses of a generated API), or compile cleanly for `pass/`.
//!
//! trybuild builds each case as a crate of its own under `target/` (see
//! dtolnay/trybuild#202). The passing cases are built as a user's own trybuild
//! tests would be, with nothing set: the macro finds their files beside this
//! crate's Cargo.toml, above the case's source file. The failing ones resolve
//! paths against `CONV_API_MANIFEST_DIR`, so that their `.stderr` names one place.
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test compiletest`.

#[test]
fn ui() {
    trybuild::TestCases::new().pass("tests/ui/pass/*.rs");
    std::env::set_var("CONV_API_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
