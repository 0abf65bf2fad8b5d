//! UI tests: each file under `tests/ui/` must fail to compile with the
//! diagnostics in its `.stderr` (one per class of definitions error, and the
//! misuses of a generated API), or compile cleanly for `pass/`.
//!
//! trybuild builds each case as a crate of its own under `target/` (see
//! dtolnay/trybuild#202). The cases are built as a user's own trybuild tests
//! are: on Rust 1.88 and later with nothing set, the macro finding their files
//! beside this crate's Cargo.toml, above the case's source file, as the compiler
//! tells it; on older compilers with `CONV_API_MANIFEST_DIR` set, as they need.
//! A file is looked for in the same place either way, so each `.stderr` is the
//! same on every compiler. Both kinds of case are run together: trybuild then
//! builds the dependencies once, where a run of failing cases alone would check
//! them all again; it builds each failing case on its own instead of checking them
//! in one batch, which costs less (188 s against 238 s from empty, on 2 cores).
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p conv-api-compile-tests`.

#[test]
fn ui() {
    std::env::remove_var("CONV_API_MANIFEST_DIR");
    if !compiler_tells_macros_their_file() {
        std::env::set_var("CONV_API_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    }
    // trybuild's projects take no profile from this workspace: without debug
    // information, they build as fast as the workspace's own tests do
    std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "false");
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/*.rs");
    // the cases run when `cases` is dropped, at the end of this function
}

/// Whether `rustc` is 1.88 or later, whose macros can learn the file they are called from.
fn compiler_tells_macros_their_file() -> bool {
    let Ok(output) = std::process::Command::new("rustc").arg("--version").output() else { return false };
    let version = String::from_utf8_lossy(&output.stdout);
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let minor = version.split_whitespace().nth(1).and_then(|number| number.split('.').nth(1)?.parse::<u32>().ok());
    minor.is_some_and(|minor| minor >= 88)
}
