//! UI tests: each file under `tests/ui/` must fail to compile with the
//! diagnostics in its `.stderr` (one per class of definitions error, and the
//! misuses of a generated API), or compile cleanly for `pass/`.
//!
//! trybuild builds each case as a crate of its own under `target/` (see
//! dtolnay/trybuild#202), as a user's own trybuild tests are: with nothing set, the
//! macro finds their files beside this crate's Cargo.toml, above the case's source
//! file, as the compiler (1.88 or later) tells it. The `.stderr` files are rustc
//! 1.95's messages, whose layout and wording older compilers differ in (and before
//! 1.95, rustc reports each use of an `Api` a failed macro did not make): the
//! failing cases run on 1.95 or later only, the passing ones everywhere. Both kinds
//! of case are run together: trybuild then builds the dependencies once, where a
//! run of failing cases alone would check them all again; it builds each failing
//! case on its own instead of checking them in one batch, which costs less (188 s
//! against 238 s from empty, on 2 cores).
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p conv-api-compile-tests`.

/// The first compiler whose messages the `.stderr` files hold.
const STDERR_COMPILER_MINOR: u32 = 95;

#[test]
fn ui() {
    std::env::remove_var("CONV_API_MANIFEST_DIR");
    // trybuild's projects take no profile from this workspace: without debug
    // information, they build as fast as the workspace's own tests do
    std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "false");
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    match rustc_minor() {
        Some(minor) if minor >= STDERR_COMPILER_MINOR => cases.compile_fail("tests/ui/*.rs"),
        found => eprintln!(
            "the compile-fail cases are skipped: their messages are rustc 1.{STDERR_COMPILER_MINOR}'s, and this rustc is {}",
            found.map_or("of an unknown version".to_string(), |minor| format!("1.{minor}"))
        ),
    }
    // the cases run when `cases` is dropped, at the end of this function
}

/// The minor version of `rustc` (95 for 1.95.0), if it can be asked.
fn rustc_minor() -> Option<u32> {
    let output = std::process::Command::new("rustc").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&output.stdout);
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    version.split_whitespace().nth(1)?.split('.').nth(1)?.parse().ok()
}
