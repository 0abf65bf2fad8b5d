//! UI tests: each file under `tests/ui/` must fail to compile with the
//! diagnostics in its `.stderr` (one per class of definitions error, and the
//! misuses of a generated API), or compile cleanly for `pass/`.
//!
//! trybuild builds each case as a crate of its own under `target/` (see
//! dtolnay/trybuild#202). The passing cases are built as a user's own trybuild
//! tests are, with nothing set: the macro finds their files beside this crate's
//! Cargo.toml, above the case's source file, as Rust 1.88 and later tell it. The
//! failing ones resolve paths against `CONV_API_MANIFEST_DIR`, as older compilers
//! need, so that their `.stderr` is the same on every compiler.
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test compiletest`.

#[test]
fn ui() {
    std::env::remove_var("CONV_API_MANIFEST_DIR");
    if !compiler_tells_macros_their_file() {
        std::env::set_var("CONV_API_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    }
    // a `TestCases` runs its cases when dropped: here, at the end of the statement
    trybuild::TestCases::new().pass("tests/ui/pass/*.rs");
    std::env::set_var("CONV_API_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}

/// Whether `rustc` is 1.88 or later, whose macros can learn the file they are called from.
fn compiler_tells_macros_their_file() -> bool {
    let Ok(output) = std::process::Command::new("rustc").arg("--version").output() else { return false };
    let version = String::from_utf8_lossy(&output.stdout);
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let minor = version.split_whitespace().nth(1).and_then(|number| number.split('.').nth(1)?.parse::<u32>().ok());
    minor.is_some_and(|minor| minor >= 88)
}
