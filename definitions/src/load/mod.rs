//! Entry points: a file or text in, a checked model (or every diagnostic) out.

mod canonical;
mod conversation_log;
mod shown_path;

pub use canonical::canonical_json;
pub use shown_path::shown_path;

use std::io::Read;
use std::path::Path;

use crate::diagnostics::{Collector, Diagnostic, Diagnostics};
use crate::model::{Definitions, Span};
use crate::read::read_definitions;
use crate::yaml;

/// The largest definitions file read: 16 MiB.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// A definitions file that passed every check.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The model.
    pub definitions: Definitions,
    /// Warnings (conventions not followed); they do not fail a check.
    pub warnings: Diagnostics,
}

/// Why a definitions file (or a mocks file, read alike) could not be loaded. Its
/// `Debug` is its message, what `main() -> Result<(), Box<dyn Error>>` prints: one
/// `FILE:LINE:COL` line a diagnostic.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("{}: error: cannot read the {file}: {error}", crate::one_line(path))]
    Io {
        /// The path as given.
        path: String,
        /// What the file is.
        file: FileKind,
        /// Why, as the operating system says it: part of the message, so no
        /// `source()` (an error chain would say it twice).
        error: std::io::Error,
    },
    /// The file was read, and has errors.
    #[error("{0}")]
    Invalid(Diagnostics),
}

impl std::fmt::Debug for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// What a file read by this crate holds, as its messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// API definitions (`apis.yaml`).
    Definitions,
    /// ADK test cases with `api_mocks`.
    Mocks,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::Definitions => "definitions file",
            FileKind::Mocks => "mocks file",
        })
    }
}

impl LoadError {
    /// The diagnostics, if the file was read.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match self {
            LoadError::Invalid(diagnostics) => Some(diagnostics),
            LoadError::Io { .. } => None,
        }
    }
}

/// Reads and checks the definitions file at `path`.
///
/// # Errors
///
/// [`LoadError::Io`] when the file cannot be read; [`LoadError::Invalid`], with every
/// diagnostic (warnings too), when it has an error: as [`parse_bytes`] finds them.
pub fn load(path: impl AsRef<Path>) -> Result<Checked, LoadError> {
    let path = path.as_ref();
    let shown = shown_path(path);
    let bytes =
        read_file(path).map_err(|error| LoadError::Io { path: shown.clone(), file: FileKind::Definitions, error })?;
    parse_bytes(&shown, &bytes).map_err(LoadError::Invalid)
}

/// The bytes of the definitions file at `path`: all of them, or, of a larger file,
/// one byte past [`MAX_FILE_BYTES`], enough for [`parse_bytes`] to refuse it. A huge
/// file or an endless device costs no more than that.
///
/// # Errors
///
/// The `std::io::Error` of opening or reading the file, such as
/// [`NotFound`](std::io::ErrorKind::NotFound) when there is none.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = open_file(path).map_err(|error| with_likely_name(error, path))?;
    if file.metadata().is_ok_and(|metadata| metadata.is_dir()) {
        return Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, directory_problem(path)));
    }
    read_limited(file)
}

/// Opens the file at `path` for reading, as `File::open` does, but an empty path
/// (an unset variable in a script) is an error that says so, where the system
/// would say that no such file exists, and a relative path not found names the
/// working directory it is relative to: a service (systemd, a container) may run
/// elsewhere than its files.
///
/// # Errors
///
/// [`InvalidInput`](std::io::ErrorKind::InvalidInput) for an empty path, else
/// `File::open`'s error, with advice for a file not found or not readable.
pub fn open_file(path: &Path) -> std::io::Result<std::fs::File> {
    if path.as_os_str().is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is empty; name the file"));
    }
    std::fs::File::open(path).map_err(|error| with_permission_advice(from_working_directory(error, path)))
}

/// `error`, when it denies the permission to read, with what to do about it.
fn with_permission_advice(error: std::io::Error) -> std::io::Error {
    if error.kind() != std::io::ErrorKind::PermissionDenied {
        return error;
    }
    let advice = "the user this runs as may not read it (or a folder on its path): give that user read access, or run as one who has it";
    std::io::Error::new(error.kind(), format!("{error}; {advice}"))
}

/// `error`, for a relative `path` not found, with the working directory it is
/// relative to.
fn from_working_directory(error: std::io::Error, path: &Path) -> std::io::Error {
    if error.kind() != std::io::ErrorKind::NotFound || path.is_absolute() {
        return error;
    }
    let Ok(directory) = std::env::current_dir() else { return error };
    let directory = crate::one_line(&directory.to_string_lossy()).into_owned();
    std::io::Error::new(error.kind(), format!("{error}; the path is relative to the working directory, `{directory}`"))
}

/// `error`, of opening `path`, with the file of its directory it likely names
/// (`apis.yml` for `apis.yaml`, `api_integration.yaml`), when there is no such file.
fn with_likely_name(error: std::io::Error, path: &Path) -> std::io::Error {
    let (Some(name), std::io::ErrorKind::NotFound) = (path.file_name().and_then(|name| name.to_str()), error.kind())
    else {
        return error;
    };
    let directory = path.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(directory) else { return error };
    // a directory of any size is read once, its names past the first thousand not compared
    let names: Vec<String> = entries
        .take(1000)
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_yaml_file_name(Path::new(name)))
        .collect();
    // the closest, and of those the first by name, whatever order the directory lists
    let distance = |candidate: &&String| strsim::levenshtein(name, candidate);
    let slips = names.iter().filter(|candidate| is_slip_of(name, candidate));
    let Some(meant) = slips.min_by_key(|candidate| (distance(candidate), candidate.as_str())) else { return error };
    let meant = crate::one_line(meant);
    std::io::Error::new(error.kind(), format!("{error}; its directory has `{meant}`: did you mean that file?"))
}

/// Whether `path` ends in `.yaml` or `.yml`, in any case (`APIS.YML`, as some
/// file systems and tools write names).
fn is_yaml_file_name(path: &Path) -> bool {
    let extension = path.extension().and_then(|extension| extension.to_str()).unwrap_or_default();
    extension.eq_ignore_ascii_case("yaml") || extension.eq_ignore_ascii_case("yml")
}

/// Whether the file `candidate` is likely the one a path ending in `name` meant: its
/// name in other letter case, or with one or two characters slipped (`apis.yml`,
/// `api.yaml`); not a name of its own (`apis_test.yaml` for `apis_live.yaml`), nor
/// `name` itself (a link to no file).
fn is_slip_of(name: &str, candidate: &str) -> bool {
    if name == candidate {
        return false;
    }
    let (name, candidate) = (name.to_ascii_lowercase(), candidate.to_ascii_lowercase());
    strsim::levenshtein(&name, &candidate) <= 2
}

/// What to say of the directory `path` given for a file: the YAML files in it that
/// it may have meant (an ADK project's `config/api_integrations.yaml` first).
fn directory_problem(path: &Path) -> String {
    let in_adk_project = path.join("config").join("api_integrations.yaml");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(path)
        .map(|entries| entries.filter_map(|entry| Some(entry.ok()?.path())).collect())
        .unwrap_or_default();
    files.retain(|file| file.is_file() && is_yaml_file_name(file));
    files.sort();
    let candidates: Vec<String> = std::iter::once(in_adk_project)
        .filter(|file| file.is_file())
        .chain(files)
        .take(3)
        .map(|file| format!("`{}`", crate::one_line(&shown_path(&file))))
        .collect();
    match candidates.is_empty() {
        true => "it is a directory, with no YAML file in it; give the file's path".to_string(),
        false => format!("it is a directory; give a file's path, such as {}", candidates.join(" or ")),
    }
}

/// Like [`read_file`], from any reader (standard input).
///
/// # Errors
///
/// The `std::io::Error` of reading `input`; an interrupted read is tried again, not an
/// error.
///
/// ```
/// use conv_api_definitions::{read_limited, MAX_FILE_BYTES};
/// let bytes = read_limited(std::io::repeat(b'#')).unwrap();
/// assert_eq!(bytes.len(), MAX_FILE_BYTES + 1);
/// ```
pub fn read_limited(input: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks definitions given as bytes; `file` names them in diagnostics.
///
/// # Errors
///
/// Every diagnostic (warnings too) when one is an error: `bytes` larger than
/// [`MAX_FILE_BYTES`], UTF-16 or not UTF-8 (then that error alone), or text that
/// [`parse_str`] refuses.
pub fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Checked, Diagnostics> {
    checked(parse_bytes_with_recovery(file, bytes))
}

/// Like [`parse_with_recovery`], for bytes that may be too large or not UTF-8.
pub fn parse_bytes_with_recovery(file: &str, bytes: &[u8]) -> Recovered {
    match file_text(bytes, FileKind::Definitions) {
        Ok(text) => parse_with_recovery(file, text),
        // a log past the size limit, or cut in a character, is a log still
        Err(error) => Recovered::nothing(file, conversation_log::given_for_definitions(bytes).unwrap_or(error)),
    }
}

/// `bytes`, read by [`read_file`], as the text of a `what` (`definitions file`), or
/// the error saying that they are too many, UTF-16, or where they stop being UTF-8.
pub(crate) fn file_text(bytes: &[u8], what: FileKind) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        // not its size: a reader stops one byte past the limit
        let message = format!(
            "the file is larger than the {} MiB a {what} may have; split it into smaller files",
            MAX_FILE_BYTES / (1024 * 1024)
        );
        return Err(Diagnostic::error(Span::new(1, 1), message));
    }
    if is_utf16(bytes) {
        return Err(Diagnostic::error(Span::new(1, 1), UTF16_PROBLEM));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        // UTF-8 up to there; columns count from after the file's byte order mark,
        // as they do in valid text
        let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
        let at = Span::after(valid.strip_prefix('\u{feff}').unwrap_or(valid));
        Diagnostic::error(at, "the file is not valid UTF-8; save it as UTF-8")
    })
}

/// Whether `bytes` are UTF-16 text: they start with its byte order mark, as
/// PowerShell's `>` writes a file. Such a file is no UTF-8 from its first byte.
///
/// ```
/// assert!(conv_api_definitions::is_utf16(b"\xFF\xFEK\0=\0"));
/// assert!(!conv_api_definitions::is_utf16(b"\xEF\xBB\xBFK=v"));
/// ```
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// What is said of a file that [`is_utf16`].
pub const UTF16_PROBLEM: &str =
    "the file is UTF-16 text (as PowerShell's `>` and some Windows editors write it); save it as UTF-8";

/// Checks definitions given as text; `file` names them in diagnostics.
///
/// # Errors
///
/// Every diagnostic (warnings too) when one is an error: YAML that cannot be read (then
/// that error alone), or a rule of the format broken.
pub fn parse_str(file: &str, text: &str) -> Result<Checked, Diagnostics> {
    checked(parse_with_recovery(file, text))
}

fn checked(Recovered { definitions, diagnostics, .. }: Recovered) -> Result<Checked, Diagnostics> {
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Checked { definitions, warnings: diagnostics })
}

/// What [`parse_with_recovery`] reads of a file, errors or not.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Recovered {
    /// Every API and operation whose call could be read, the first readable entry of
    /// each name: complete only without errors.
    pub definitions: Definitions,
    /// Every diagnostic, errors and warnings.
    pub diagnostics: Diagnostics,
    /// Whether an API or operation of the file is not in `definitions` (an error in
    /// its name or resource, say): code calling it would find no method.
    pub lost_calls: bool,
}

/// Checks definitions given as text, and also returns what could be read despite errors.
///
/// The model holds every API and operation whose call could be read (its name, and
/// an operation's resource), the first readable entry of each name, so a caller (the
/// macro) can still produce a best-effort result next to the diagnostics: an API
/// whose environments have errors is there without them, and an operation whose
/// method or `idempotent` is wrong has `GET` and `false` in their place. Only a model
/// from an error-free result is complete.
pub fn parse_with_recovery(file: &str, text: &str) -> Recovered {
    if let Some(log) = conversation_log::given_for_definitions(text.as_bytes()) {
        return Recovered::nothing(file, log);
    }
    read_text(file, text, yaml::parse)
}

/// Reads back the canonical form ([`canonical_json`](crate::canonical_json)) the
/// macro embedded, written from a file it checked: without the budgets of values
/// and text a file is held to, as the canonical form may hold more values than the
/// file (every default written out: `base_url`, `auth_type`, `operations: []`, OAuth
/// 2.0's `credentials`, `header_name` and `token_prefix`); or the canonical form of a
/// model in memory, read again to be checked (`DynamicApis::from_definitions`), whose
/// size was paid already. Not for any other text.
#[doc(hidden)]
pub fn parse_embedded(file: &str, canonical: &str) -> (Definitions, Diagnostics) {
    let Recovered { definitions, diagnostics, .. } = read_text(file, canonical, yaml::parse_trusted);
    (definitions, diagnostics)
}

fn read_text(file: &str, text: &str, parse: fn(&str) -> Result<yaml::Parsed, Diagnostic>) -> Recovered {
    let parsed = match parse(text) {
        Ok(parsed) => parsed,
        Err(diagnostic) => return Recovered::nothing(file, diagnostic),
    };
    let mut collector = Collector::of_parse(parsed.problems, parsed.untyped);
    let definitions = read_definitions(parsed.root.as_ref(), &mut collector);
    yaml::read_last_written(parsed.root.as_ref(), &mut collector, |last, d| {
        read_definitions(Some(last), d);
    });
    let lost_calls = collector.lost_calls;
    Recovered { definitions, diagnostics: Diagnostics::new(file, collector.into_items()), lost_calls }
}

impl Recovered {
    /// Nothing read, for `error`.
    fn nothing(file: &str, error: Diagnostic) -> Recovered {
        Recovered {
            definitions: Definitions::default(),
            diagnostics: Diagnostics::new(file, vec![error]),
            lost_calls: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_slip_is_a_letter_or_two() {
        assert!(is_slip_of("apis.yaml", "apis.yml") && is_slip_of("apis.yaml", "APIS.yaml"));
        assert!(is_slip_of("api_integration.yaml", "api_integrations.yaml"));
        // a file of its own, and a link to no file, are no slips
        assert!(!is_slip_of("apis_live.yaml", "apis_test.yaml"));
        assert!(!is_slip_of("apis.yaml", "apis.yaml"));
    }

    #[test]
    fn a_file_that_may_not_be_read_gets_the_systems_reason_and_what_to_do() {
        let denied = with_permission_advice(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(denied.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(denied.to_string().ends_with("; the user this runs as may not read it (or a folder on its path): give that user read access, or run as one who has it"), "{denied}");
        let other = with_permission_advice(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(!other.to_string().contains("read access"), "{other}");
    }
}
