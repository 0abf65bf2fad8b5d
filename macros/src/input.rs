//! Finding and reading the definitions file named by the macro's path literal.

use std::path::{Component, Path, PathBuf};

use conv_api_definitions::{FileKind, LoadError};

/// Overrides `CARGO_MANIFEST_DIR` as the base of relative paths in the crates
/// trybuild builds, which live away from their fixtures (dtolnay/trybuild#202); every
/// other crate of the build, such as a dependency with its own file, reads beside its
/// own Cargo.toml. Set to nothing, it is not set.
pub(crate) const MANIFEST_DIR_OVERRIDE: &str = "CONV_API_MANIFEST_DIR";

/// The definitions file: where it is, how messages name it, and its bytes.
pub(crate) struct DefinitionsFile {
    /// The absolute path, for `include_bytes!`.
    pub(crate) absolute: PathBuf,
    /// The name its diagnostics give it ([`shown`]).
    pub(crate) shown: String,
    /// The contents.
    pub(crate) bytes: Vec<u8>,
}

/// How messages name the file written `written`, found at `absolute`: as written when
/// that names it from where the compiler runs (a crate built alone), else its path from
/// there (a workspace's root, for a member crate), as the compiler names the source
/// files of its own errors; as written when it is elsewhere (trybuild's projects).
fn shown(written: &str, absolute: &Path) -> String {
    shown_from(written, absolute, std::env::current_dir().ok().as_deref())
}

fn shown_from(written: &str, absolute: &Path, compiler_directory: Option<&Path>) -> String {
    let Some(directory) = compiler_directory else { return written.to_string() };
    if std::path::absolute(directory.join(written)).is_ok_and(|from_there| from_there == absolute) {
        return written.to_string();
    }
    match absolute.strip_prefix(directory).ok().filter(|relative| !relative.as_os_str().is_empty()) {
        Some(relative) => relative.to_string_lossy().into_owned(),
        None => written.to_string(),
    }
}

/// How messages name the file `shown` so, found at `absolute`, beside errors in the
/// source file the compiler names `source` (found at `source_file`): absolute when
/// that is, and is the compiled crate's own (not a macro's of another crate that
/// wrote the path), as the compiler names the sources of a crate outside the
/// workspace (a path dependency elsewhere, built from its own folder), so that a
/// terminal or editor opens it from anywhere.
pub(crate) fn shown_as_source(shown: String, absolute: &Path, source: &str, source_file: Option<&Path>) -> String {
    let manifest_dir = directory(std::env::var_os("CARGO_MANIFEST_DIR"));
    shown_as_source_in(shown, absolute, source, source_file, manifest_dir.as_deref())
}

/// [`shown_as_source`] in the crate whose folder is `manifest_dir`.
fn shown_as_source_in(
    shown: String,
    absolute: &Path,
    source: &str,
    source_file: Option<&Path>,
    manifest_dir: Option<&Path>,
) -> String {
    let own_source = source_file.zip(manifest_dir).is_some_and(|(file, crate_dir)| file.starts_with(crate_dir));
    match own_source && Path::new(source).is_absolute() {
        true => absolute.display().to_string(),
        false => shown,
    }
}

/// The path of the `conv-api` crate that `conv_api::conv_api!` passes before the
/// user's tokens (`$crate ;`), and those tokens; `::conv_api` and all the tokens
/// when they do not start so.
pub(crate) fn crate_path(tokens: proc_macro2::TokenStream) -> (proc_macro2::TokenStream, proc_macro2::TokenStream) {
    use proc_macro2::TokenTree;
    let mut rest = tokens.clone().into_iter();
    match (rest.next(), rest.next()) {
        (Some(TokenTree::Ident(krate)), Some(TokenTree::Punct(semicolon)))
            if krate == "$crate" && semicolon.as_char() == ';' =>
        {
            (TokenTree::Ident(krate).into(), rest.collect())
        }
        _ => (quote::quote!(::conv_api), tokens),
    }
}

/// The macro's one argument, the path literal, with an optional trailing comma (as
/// `include_str!` takes); otherwise an error at the tokens that says what the macro takes.
pub(crate) fn path_literal(tokens: proc_macro2::TokenStream) -> syn::Result<syn::LitStr> {
    let one_literal = |input: syn::parse::ParseStream<'_>| {
        let literal: syn::LitStr = input.parse()?;
        if !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
        }
        Ok(literal)
    };
    let literal = syn::parse::Parser::parse2(one_literal, tokens).map_err(|error| {
        let message = format!(
            "{error}: `conv_api!` takes the path of one definitions file, relative to the crate's Cargo.toml, such as `conv_api!(\"config/api_integrations.yaml\")`"
        );
        syn::Error::new(error.span(), message)
    })?;
    if !literal.suffix().is_empty() {
        let message = format!("the path literal has the suffix `{}`; remove it", literal.suffix());
        return Err(syn::Error::new(literal.span(), message));
    }
    Ok(literal)
}

/// Resolves `written` against the manifest directory (or [`MANIFEST_DIR_OVERRIDE`])
/// and reads it; under trybuild, see [`read_relative`].
pub(crate) fn read(written: &str, invoking_file: Option<&Path>) -> Result<DefinitionsFile, String> {
    let manifest_dir = directory(std::env::var_os("CARGO_MANIFEST_DIR"));
    let override_dir = directory(std::env::var_os(MANIFEST_DIR_OVERRIDE));
    read_from(written, override_dir.as_deref(), manifest_dir.as_deref(), invoking_file)
}

/// Whether the crate being built reads [`MANIFEST_DIR_OVERRIDE`]: a crate trybuild
/// builds, or one built without cargo.
pub(crate) fn reads_override() -> bool {
    reads_override_in(directory(std::env::var_os("CARGO_MANIFEST_DIR")).as_deref())
}

fn reads_override_in(manifest_dir: Option<&Path>) -> bool {
    manifest_dir.is_none_or(is_trybuild_project)
}

/// The directory an environment variable's `value` names; set to nothing (as CI files
/// and shells clear one), it names none.
fn directory(value: Option<std::ffi::OsString>) -> Option<PathBuf> {
    value.filter(|value| !value.is_empty()).map(PathBuf::from)
}

/// [`read`], given the override's and `CARGO_MANIFEST_DIR`'s values.
fn read_from(
    written: &str,
    override_dir: Option<&Path>,
    manifest_dir: Option<&Path>,
    invoking_file: Option<&Path>,
) -> Result<DefinitionsFile, String> {
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
    if let Some(base) = override_dir.filter(|_| reads_override_in(manifest_dir)) {
        let relative_to = format!("`{MANIFEST_DIR_OVERRIDE}` (`{}`), which is set", base.display());
        return read_at(written, &base.join(written), &relative_to);
    }
    let base = manifest_dir.ok_or("`CARGO_MANIFEST_DIR` is not set; build with cargo")?;
    read_relative(base, written, invoking_file)
}

/// Reads `written` from `base`. trybuild builds a test's source file as a crate of
/// its own, in `target/tests/trybuild/<crate>`: there, a file not found is read
/// beside the Cargo.toml above `invoking_file` (where the compiler tells it, from
/// Rust 1.88), the user's own crate, and only that place is named if it is missing.
fn read_relative(base: &Path, written: &str, invoking_file: Option<&Path>) -> Result<DefinitionsFile, String> {
    let beside_manifest = read_at(written, &base.join(written), CRATE_MANIFEST);
    if beside_manifest.is_ok() {
        return beside_manifest;
    }
    if !is_trybuild_project(base) {
        return beside_manifest
            .map_err(|message| message + &with_slashes(base, written) + &found_elsewhere(base, written));
    }
    match invoking_file.and_then(crate_root) {
        Some(root) => read_at(written, &root.join(written), CRATE_MANIFEST),
        None => beside_manifest.map_err(|message| {
            format!(
                "{message}; under trybuild before Rust 1.88, set `{MANIFEST_DIR_OVERRIDE}` to your crate's directory"
            )
        }),
    }
}

/// How many folders above the crate's a file not found beside its Cargo.toml is
/// looked for (a workspace member's file written as if from the workspace's root).
const FOLDERS_ABOVE: usize = 3;

/// `` ; there is one at `../apis.yaml` ``, as the macro takes the path, when `written`
/// names a file from a folder above `base` (the nearest, of [`FOLDERS_ABOVE`], and no
/// farther than the farthest with a Cargo.toml: the project's, not the home
/// folder's), from a folder of `base` (`config/`, where the ADK keeps it), or from
/// `base` once its leading `../` are gone (a path written from `src/`); else nothing.
/// A path from above that leads back into `base` (a workspace member's file written
/// from the workspace's root) is written from `base`.
fn found_elsewhere(base: &Path, written: &str) -> String {
    let above: Vec<&Path> = base.ancestors().skip(1).take(FOLDERS_ABOVE).collect();
    let project = above.iter().rposition(|folder| folder.join("Cargo.toml").is_file()).map_or(0, |at| at + 1);
    let found_above = above[..project].iter().zip(1..).find(|(folder, _)| folder.join(written).is_file());
    let path = match found_above {
        Some((folder, up)) => match folder.join(written).strip_prefix(base) {
            Ok(inside) => inside.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/"),
            Err(_) => format!("{}{written}", "../".repeat(up)),
        },
        None => match found_below(base, written).or_else(|| found_without_parents(base, written)) {
            Some(path) => path,
            None => return String::new(),
        },
    };
    format!("; there is one at `{path}`")
}

/// `config/apis.yaml` for `apis.yaml` when a folder of `base` has that file: the
/// first such folder by name, hidden ones and `target` aside. Only for a path of
/// plain names: `config/../apis.yaml` would name a file of `base` itself.
fn found_below(base: &Path, written: &str) -> Option<String> {
    if !Path::new(written).components().all(|part| matches!(part, Component::Normal(_))) {
        return None;
    }
    let entries = std::fs::read_dir(base).ok()?;
    // a crate's folder holds a few dozen entries; a bound keeps a huge one cheap
    let mut folders: Vec<String> = entries
        .take(1000)
        .filter_map(|entry| entry.ok().filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir())))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.') && name != "target")
        .collect();
    folders.sort();
    folders.into_iter().map(|folder| format!("{folder}/{written}")).find(|path| base.join(path).is_file())
}

/// `apis.yaml` for `../apis.yaml` when `base` has it: a path written from the
/// source file's folder (`src/`), as an `include_str!` path is, not from the crate's.
fn found_without_parents(base: &Path, written: &str) -> Option<String> {
    let rest = Path::new(written).components().skip_while(|part| matches!(part, Component::ParentDir));
    let rest: PathBuf = rest.collect();
    let shown = rest.iter().map(|part| part.to_string_lossy()).collect::<Vec<_>>().join("/");
    (rest.as_path() != Path::new(written) && base.join(&rest).is_file()).then_some(shown)
}

/// `` ; write it with `/`: `config/apis.yaml` ``, when `written` is a path written with
/// `\` (as Windows shows one) that names a file once its `\` are `/`; else nothing.
/// `/` separates folders on every platform, `\` on Windows only.
fn with_slashes(base: &Path, written: &str) -> String {
    let slashed = written.replace('\\', "/");
    match slashed != written && base.join(&slashed).is_file() {
        true => format!("; write it with `/`: `{slashed}`"),
        false => String::new(),
    }
}

/// `error` of a directory read at `place`, with the files it suggests (`place/x.yaml`)
/// written as the macro takes them: from `written`, the directory as written, not
/// from where it was found, an absolute path the macro refuses.
fn relative_suggestions(error: std::io::Error, place: &Path, written: &str) -> std::io::Error {
    if error.kind() != std::io::ErrorKind::IsADirectory {
        return error;
    }
    let separators = ['/', '\\'];
    let found = format!("`{}", place.display().to_string().trim_end_matches(separators));
    let written = format!("`{}", written.trim_end_matches(separators));
    let suggested = error.to_string().replace(&found, &written);
    // the message holds only paths: on Windows written with `/`, as a Rust string
    // literal takes them (`\a` would be an escape)
    let suggested = if std::path::MAIN_SEPARATOR == '\\' { suggested.replace('\\', "/") } else { suggested };
    std::io::Error::new(error.kind(), suggested)
}

/// What a written path is read relative to, unless `CONV_API_MANIFEST_DIR` is set.
const CRATE_MANIFEST: &str = "the crate's Cargo.toml";

/// Reads `written` at `place`, which is `written` relative to `relative_to` (as a
/// message says it). A file that cannot be read gets the line `conv-api check` and
/// the run-time loader print for it, then where the macro looked.
fn read_at(written: &str, place: &Path, relative_to: &str) -> Result<DefinitionsFile, String> {
    // absolute for `include_bytes!`, which reads a relative path beside the source
    // file (a relative `CONV_API_MANIFEST_DIR` is read from rustc's directory)
    let absolute = std::path::absolute(place).unwrap_or(place.to_path_buf());
    let shown = shown(written, &absolute);
    match conv_api_definitions::read_file(place) {
        Ok(bytes) => Ok(DefinitionsFile { shown, absolute, bytes }),
        Err(error) => {
            let error = relative_suggestions(error, place, written);
            let line = LoadError::Io { path: shown, file: FileKind::Definitions, error }.to_string();
            // after a question ("did you mean that file?"), a sentence of its own
            let looked = if line.ends_with('?') { " Looked" } else { "; looked" };
            Err(format!("{line}{looked} at `{}`: the path is relative to {relative_to}", place.display()))
        }
    }
}

/// Whether `directory` is a project trybuild made: `<target>/tests/trybuild/<crate>`.
fn is_trybuild_project(directory: &Path) -> bool {
    let mut above = directory.components().rev().skip(1).map(|part| part.as_os_str());
    above.next() == Some("trybuild".as_ref()) && above.next() == Some("tests".as_ref())
}

/// The nearest directory above `source_file` that holds a `Cargo.toml`.
fn crate_root(source_file: &Path) -> Option<PathBuf> {
    let source_file = std::path::absolute(source_file).ok()?;
    source_file.ancestors().skip(1).find(|directory| directory.join("Cargo.toml").is_file()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_but_one_path_literal_is_told_what_the_macro_takes() {
        let takes = "`conv_api!` takes the path of one definitions file, relative to the crate's Cargo.toml";
        for (tokens, found) in [
            (quote::quote!(), "unexpected end of input, expected string literal: "),
            (quote::quote!("a.yaml", "b.yaml"), "unexpected token: "),
            (quote::quote!(apis), "expected string literal: "),
            (quote::quote!("a.yaml",,), "unexpected token: "),
            (quote::quote!(, "a.yaml"), "expected string literal: "),
        ] {
            let Err(error) = path_literal(tokens) else { panic!("{found}: accepted") };
            let message = error.to_string();
            assert!(message.starts_with(found) && message.contains(takes), "{message}");
        }
        for tokens in [quote::quote!("apis.yaml"), quote::quote!("apis.yaml",)] {
            assert_eq!(path_literal(tokens).map(|literal| literal.value()).ok().as_deref(), Some("apis.yaml"));
        }
    }

    #[test]
    fn a_suffix_on_the_path_literal_is_refused() {
        let tokens: proc_macro2::TokenStream = "\"apis.yaml\"suffix".parse().expect("tokens");
        let Err(error) = path_literal(tokens) else { panic!("a suffixed literal was accepted") };
        assert_eq!(error.to_string(), "the path literal has the suffix `suffix`; remove it");
    }

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
    fn a_directory_suggests_its_files_as_the_macro_takes_them() {
        let (_root, app, _built, source) = layout();
        std::fs::create_dir_all(app.join("config")).expect("a directory");
        std::fs::write(app.join("config/apis.yaml"), "api_integrations: []\n").expect("the file is written");
        let Err(message) = read_relative(&app, "config/", Some(&source)) else { panic!("a directory is no file") };
        assert!(message.contains("give a file's path, such as `config/apis.yaml`;"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_is_named_absolute_beside_a_source_the_compiler_names_so() {
        let absolute = Path::new("/deps/extlib/cfg/apis.yaml");
        let shown = |source: &str, crate_dir: &str| {
            let source_file = Path::new(source);
            shown_as_source_in("cfg/apis.yaml".into(), absolute, source, Some(source_file), Some(Path::new(crate_dir)))
        };
        assert_eq!(shown("/deps/extlib/src/lib.rs", "/deps/extlib"), "/deps/extlib/cfg/apis.yaml");
        assert_eq!(shown("src/lib.rs", "/deps/extlib"), "cfg/apis.yaml");
        // the path written by a macro of a crate outside the workspace, used by a member
        assert_eq!(shown("/deps/extlib/src/lib.rs", "/ws/member"), "cfg/apis.yaml");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_written_with_backslashes_is_told_to_take_slashes() {
        let (_root, app, _, _) = layout();
        std::fs::create_dir_all(app.join("config")).unwrap();
        std::fs::write(app.join("config/apis.yaml"), "api_integrations: []\n").unwrap();
        let Err(message) = read_relative(&app, "config\\apis.yaml", None) else { panic!("no such file on Unix") };
        assert!(
            message.ends_with("the path is relative to the crate's Cargo.toml; write it with `/`: `config/apis.yaml`"),
            "{message}"
        );
    }

    #[test]
    fn a_file_not_found_names_one_of_that_path_in_a_folder_above_or_of_the_crate() {
        let (_root, app, _, _) = layout();
        let member = app.join("crates/agent");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(app.join("apis.yaml"), "api_integrations: []\n").unwrap();
        let Err(message) = read_relative(&member, "apis.yaml", None) else { panic!("not beside the manifest") };
        assert!(
            message.ends_with("the path is relative to the crate's Cargo.toml; there is one at `../../apis.yaml`"),
            "{message}"
        );
        // a member's file written from the workspace's root is named from the member
        std::fs::create_dir_all(member.join("config")).unwrap();
        std::fs::write(member.join("config/api_integrations.yaml"), "api_integrations: []\n").unwrap();
        let Err(message) = read_relative(&member, "crates/agent/config/api_integrations.yaml", None) else {
            panic!("the path from the root")
        };
        assert!(message.ends_with("there is one at `config/api_integrations.yaml`"), "{message}");
        // and one in a folder of the crate (the ADK's `config/`) is found there
        let Err(message) = read_relative(&member, "api_integrations.yaml", None) else { panic!("in config/") };
        assert!(message.ends_with("there is one at `config/api_integrations.yaml`"), "{message}");
        // a path written from `src/`, as `include_str!` takes one: not `config/../apis.yaml`
        std::fs::write(member.join("agent.yaml"), "api_integrations: []\n").unwrap();
        let Err(message) = read_relative(&member, "../agent.yaml", None) else { panic!("from src/") };
        assert!(message.ends_with("there is one at `agent.yaml`"), "{message}");
        let Err(message) = read_relative(&member, "other.yaml", None) else { panic!("nowhere") };
        assert!(message.ends_with("the path is relative to the crate's Cargo.toml"), "{message}");
        // not past the project's folder (the farthest above with a Cargo.toml)
        std::fs::remove_file(app.join("Cargo.toml")).unwrap();
        let Err(message) = read_relative(&member, "apis.yaml", None) else { panic!("not beside the manifest") };
        assert!(message.ends_with("the path is relative to the crate's Cargo.toml"), "{message}");
    }

    #[test]
    fn a_file_is_named_from_where_the_compiler_runs_when_it_is_there() {
        let member = Path::new("/ws/crates/agent/config/apis.yaml");
        assert_eq!(shown_from("config/apis.yaml", member, Some(Path::new("/ws"))), "crates/agent/config/apis.yaml");
        assert_eq!(shown_from("config/apis.yaml", member, Some(Path::new("/ws/crates/agent"))), "config/apis.yaml");
        // written as it names the file from there: as written, as `conv-api check` names it
        let crate_alone = Path::new("/app/config/apis.yaml");
        assert_eq!(shown_from("./config/apis.yaml", crate_alone, Some(Path::new("/app"))), "./config/apis.yaml");
        // elsewhere (trybuild's projects under `target/`), or unknown: as written
        assert_eq!(shown_from("config/apis.yaml", member, Some(Path::new("/elsewhere"))), "config/apis.yaml");
        assert_eq!(shown_from("config/apis.yaml", member, None), "config/apis.yaml");
    }

    #[test]
    fn the_manifest_directory_comes_first() {
        let (_root, app, built, source) = layout();
        for base in [&app, &built] {
            std::fs::write(base.join("apis.yaml"), "api_integrations: []\n").expect("the file is written");
        }
        for base in [&app, &built] {
            let file = read_relative(base, "apis.yaml", Some(&source)).expect("found");
            assert_eq!(file.absolute, base.join("apis.yaml"));
        }
        let file = read_relative(&app, "tests/ui/apis.yaml", Some(&source)).expect("found");
        assert_eq!(file.bytes, b"api_integrations: []\n");
    }

    #[test]
    fn under_trybuild_the_file_is_read_beside_the_source_crate() {
        let (_root, app, built, source) = layout();
        let file = read_relative(&built, "tests/ui/apis.yaml", Some(&source)).expect("found beside the source");
        assert_eq!(file.absolute, app.join("tests/ui/apis.yaml"));
        let message = read_relative(&built, "tests/ui/gone.yaml", Some(&source)).err().expect("not found");
        // the line `conv-api check tests/ui/gone.yaml` prints, then where the macro looked
        assert!(message.starts_with("tests/ui/gone.yaml: error: cannot read the definitions file: "), "{message}");
        let looked_at = format!(
            "; looked at `{}`: the path is relative to the crate's Cargo.toml",
            app.join("tests/ui/gone.yaml").display()
        );
        assert!(message.ends_with(&looked_at), "only the source crate's place: {message}");
    }

    #[test]
    fn under_trybuild_without_the_invoking_file_the_message_names_the_override() {
        let (_root, _app, built, _source) = layout();
        let message = read_relative(&built, "tests/ui/apis.yaml", None).err().expect("not found");
        assert!(
            message
                .ends_with("; under trybuild before Rust 1.88, set `CONV_API_MANIFEST_DIR` to your crate's directory"),
            "{message}"
        );
    }

    #[test]
    fn where_the_macro_looked_follows_a_suggested_file_as_a_sentence_of_its_own() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(directory.path().join("apis.yml"), "api_integrations: []\n").expect("the file is written");
        let message = read_relative(directory.path(), "apis.yaml", None).err().expect("not found");
        let looked_at =
            format!("did you mean that file? Looked at `{}`: ", directory.path().join("apis.yaml").display());
        assert!(message.contains(&looked_at), "{message}");
    }

    #[test]
    fn a_relative_override_gives_an_absolute_path_to_track() {
        // relative to the directory the compiler (here, the test) runs in
        let relative = PathBuf::from(format!("override-scratch-{}", std::process::id()));
        std::fs::create_dir_all(&relative).expect("a directory is created");
        std::fs::write(relative.join("apis.yaml"), "api_integrations: []\n").expect("the file is written");
        let file = read_from("apis.yaml", Some(&relative), None, None);
        std::fs::remove_dir_all(&relative).expect("the directory is removed");
        let file = file.expect("found through the relative override");
        assert!(file.absolute.is_absolute(), "{}", file.absolute.display());
        assert!(file.absolute.ends_with(relative.join("apis.yaml")), "{}", file.absolute.display());
    }

    #[test]
    fn the_override_is_the_one_place_read_when_set() {
        let (root, app, built, source) = layout();
        std::fs::write(built.join("apis.yaml"), "api_integrations: []\n").expect("the file is written");
        let file = read_from("tests/ui/apis.yaml", Some(&app), Some(&built), None).expect("found through the override");
        assert_eq!(file.absolute, app.join("tests/ui/apis.yaml"));
        // never second-guessed: not the manifest directory's file, nor the invoking file's crate
        let other = root.path().join("other");
        let message = read_from("apis.yaml", Some(&other), Some(&built), Some(&source)).err().expect("not found");
        assert!(message.contains(&format!("; looked at `{}`: ", other.join("apis.yaml").display())), "{message}");
        let relative_to =
            format!(": the path is relative to `CONV_API_MANIFEST_DIR` (`{}`), which is set", other.display());
        assert!(message.ends_with(&relative_to), "not to the crate's Cargo.toml: {message}");
        let message = read_from("tests/ui/apis.yaml", None, None, None).err().expect("no manifest directory");
        assert!(message.contains("`CARGO_MANIFEST_DIR` is not set"), "{message}");
    }

    #[test]
    fn only_a_crate_trybuild_builds_or_one_built_without_cargo_reads_the_override() {
        assert!(reads_override_in(Some(Path::new("/w/app/target/tests/trybuild/app"))));
        assert!(reads_override_in(None));
        assert!(!reads_override_in(Some(Path::new("/w/app"))));
    }

    #[test]
    fn a_variable_set_to_nothing_names_no_directory() {
        assert_eq!(directory(Some("".into())), None);
        assert_eq!(directory(None), None);
        assert_eq!(directory(Some("/w/app".into())), Some(PathBuf::from("/w/app")));
    }

    #[test]
    fn the_override_is_not_read_by_a_crate_trybuild_does_not_build() {
        let (root, app, _built, source) = layout();
        // a dependency with a file of its own, built beside the trybuild case
        let dependency = root.path().join("dependency");
        std::fs::create_dir_all(&dependency).expect("a directory");
        std::fs::write(dependency.join("apis.yaml"), "api_integrations: []\n").expect("the file is written");
        let file = read_from("apis.yaml", Some(&app), Some(&dependency), Some(&source)).expect("its own file");
        assert_eq!(file.absolute, dependency.join("apis.yaml"));
    }

    #[test]
    fn outside_trybuild_only_the_manifest_directory_is_read() {
        let (root, app, _built, source) = layout();
        let other = root.path().join("other");
        std::fs::create_dir_all(&other).expect("a directory");
        let message = read_relative(&other, "tests/ui/apis.yaml", Some(&source)).err().expect("not found");
        assert!(
            message.contains(&format!("; looked at `{}`: ", other.join("tests/ui/apis.yaml").display())),
            "{message}"
        );
        assert!(!message.contains(&app.display().to_string()), "{message}");
    }

    #[test]
    fn a_trybuild_project_is_recognised_by_its_place() {
        assert!(is_trybuild_project(Path::new("/w/app/target/tests/trybuild/app")));
        assert!(!is_trybuild_project(Path::new("/w/app")));
        assert!(!is_trybuild_project(Path::new("/w/tests/app")));
    }

    #[test]
    fn the_crate_root_is_the_nearest_directory_with_a_cargo_toml() {
        let (_root, app, _built, source) = layout();
        assert_eq!(crate_root(&source), Some(app));
    }
}
