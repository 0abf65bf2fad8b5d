//! Finding and reading the definitions file named by the macro's path literal.

use std::path::{Path, PathBuf};

/// Overrides `CARGO_MANIFEST_DIR` as the base of relative paths: for UI tests,
/// where the compiled crate lives away from its fixtures (dtolnay/trybuild#202).
pub(crate) const MANIFEST_DIR_OVERRIDE: &str = "CONV_API_MANIFEST_DIR";

/// The definitions file: where it is, and its bytes.
pub(crate) struct DefinitionsFile {
    /// The absolute path, for `include_bytes!`.
    pub(crate) absolute: PathBuf,
    /// The contents.
    pub(crate) bytes: Vec<u8>,
}

/// Resolves `written` against the manifest directory and reads it.
pub(crate) fn read(written: &str) -> Result<DefinitionsFile, String> {
    if written.is_empty() {
        return Err(
            "the path is empty; name the definitions file, like `conv_api!(\"config/api_integrations.yaml\")`".into()
        );
    }
    if Path::new(written).is_absolute() {
        return Err(format!(
            "`{written}` is an absolute path; write it relative to the crate's Cargo.toml, like `config/api_integrations.yaml`"
        ));
    }
    let base = std::env::var_os(MANIFEST_DIR_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .ok_or("`CARGO_MANIFEST_DIR` is not set; build with cargo")?;
    let absolute = PathBuf::from(base).join(written);
    match conv_api_definitions::read_file(&absolute) {
        Ok(bytes) => Ok(DefinitionsFile { absolute, bytes }),
        Err(error) => Err(format!(
            "cannot read `{written}` (looked at `{}`): {error}; the path is relative to the crate's Cargo.toml",
            absolute.display()
        )),
    }
}
