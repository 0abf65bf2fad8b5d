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

/// Resolves `written` against the manifest directory and reads it. A file that is
/// not there is looked for beside the Cargo.toml of the crate whose source file
/// (`invoking_file`, where the compiler tells it) calls the macro: the same crate
/// in a plain build, but not under trybuild, which compiles a test's source file
/// as a crate of its own under `target/`.
pub(crate) fn read(written: &str, invoking_file: Option<&Path>) -> Result<DefinitionsFile, String> {
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
    read_relative(Path::new(&base), written, invoking_file)
}

/// Reads `written` from `base`, or else beside the Cargo.toml above `invoking_file`.
fn read_relative(base: &Path, written: &str, invoking_file: Option<&Path>) -> Result<DefinitionsFile, String> {
    let mut places = vec![base.join(written)];
    if let Some(root) = invoking_file.and_then(crate_root).filter(|root| !same_directory(root, base)) {
        places.push(root.join(written));
    }
    let mut not_found = None;
    for place in &places {
        match conv_api_definitions::read_file(place) {
            Ok(bytes) => return Ok(DefinitionsFile { absolute: place.clone(), bytes }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                not_found.get_or_insert(error);
            }
            Err(error) => return Err(unreadable(written, std::slice::from_ref(place), &error)),
        }
    }
    let error = not_found.unwrap_or_else(|| std::io::ErrorKind::NotFound.into());
    Err(unreadable(written, &places, &error))
}

fn unreadable(written: &str, places: &[PathBuf], error: &std::io::Error) -> String {
    let places: Vec<String> = places.iter().map(|place| format!("`{}`", place.display())).collect();
    format!(
        "cannot read `{written}` (looked at {}): {error}; the path is relative to the crate's Cargo.toml",
        places.join(" and at ")
    )
}

/// The nearest directory above `source_file` that holds a `Cargo.toml`.
fn crate_root(source_file: &Path) -> Option<PathBuf> {
    let source_file = std::path::absolute(source_file).ok()?;
    source_file.ancestors().skip(1).find(|directory| directory.join("Cargo.toml").is_file()).map(Path::to_path_buf)
}

fn same_directory(one: &Path, other: &Path) -> bool {
    match (one.canonicalize(), other.canonicalize()) {
        (Ok(one), Ok(other)) => one == other,
        _ => one == other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate at `root/app` whose source file is `root/app/tests/ui/case.rs`, and
    /// the directory trybuild would build it in, `root/target/tests/trybuild/app`.
    fn layout() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let root = tempfile::tempdir().expect("a temporary directory");
        let app = root.path().join("app");
        let built = root.path().join("target/tests/trybuild/app");
        for directory in [app.join("tests/ui"), built.clone()] {
            std::fs::create_dir_all(directory).expect("directories are created");
        }
        for manifest in [app.join("Cargo.toml"), built.join("Cargo.toml")] {
            std::fs::write(manifest, "[package]\n").expect("a Cargo.toml is written");
        }
        std::fs::write(app.join("tests/ui/apis.yaml"), "api_integrations: []\n").expect("the file is written");
        let source = app.join("tests/ui/case.rs");
        (root, app, built, source)
    }

    #[test]
    fn the_manifest_directory_comes_first() {
        let (_root, app, _built, source) = layout();
        let file = read_relative(&app, "tests/ui/apis.yaml", Some(&source)).expect("found");
        assert_eq!(file.absolute, app.join("tests/ui/apis.yaml"));
        assert_eq!(file.bytes, b"api_integrations: []\n");
    }

    #[test]
    fn a_crate_built_elsewhere_finds_the_file_beside_its_source_crate() {
        let (_root, app, built, source) = layout();
        let file = read_relative(&built, "tests/ui/apis.yaml", Some(&source)).expect("found beside the source");
        assert_eq!(file.absolute, app.join("tests/ui/apis.yaml"));
    }

    #[test]
    fn a_missing_file_names_every_place_looked_at() {
        let (_root, app, built, source) = layout();
        let message = read_relative(&built, "tests/ui/gone.yaml", Some(&source)).err().expect("not found");
        let expected = format!(
            "cannot read `tests/ui/gone.yaml` (looked at `{}` and at `{}`): ",
            built.join("tests/ui/gone.yaml").display(),
            app.join("tests/ui/gone.yaml").display()
        );
        assert!(message.starts_with(&expected), "{message}");
        assert!(message.ends_with("; the path is relative to the crate's Cargo.toml"), "{message}");
        let alone = read_relative(&app, "tests/ui/gone.yaml", Some(&source)).err().expect("not found");
        assert!(
            alone.starts_with(&format!(
                "cannot read `tests/ui/gone.yaml` (looked at `{}`): ",
                app.join("tests/ui/gone.yaml").display()
            )),
            "{alone}"
        );
    }

    #[test]
    fn without_the_invoking_file_only_the_manifest_directory_is_read() {
        let (_root, _app, built, _source) = layout();
        assert!(read_relative(&built, "tests/ui/apis.yaml", None).is_err());
    }

    #[test]
    fn the_crate_root_is_the_nearest_directory_with_a_cargo_toml() {
        let (_root, app, _built, source) = layout();
        assert_eq!(crate_root(&source), Some(app));
    }
}
