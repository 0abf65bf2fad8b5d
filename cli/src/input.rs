//! What a command reads: a file, or standard input for `-`.

use std::io::Read;
use std::path::Path;

use conv_api_definitions::mocks::Mocks;
use conv_api_definitions::{
    open_file, parse_bytes, read_file, read_limited, shown_path, Checked, Definitions, FileKind, LoadError,
};

/// The most bytes a log may have: a conversation's log is kilobytes to megabytes, and
/// reading `/dev/zero` or a runaway file must end with a message, not all the memory.
pub const MAX_LOG_BYTES: u64 = 256 * 1024 * 1024;

/// The name messages give `path` (`<stdin>` for `-`), and its bytes: a log of up to
/// [`MAX_LOG_BYTES`].
pub fn read_log(path: &Path) -> (String, std::io::Result<Vec<u8>>) {
    if path == Path::new("-") {
        return (shown_name(path), read_log_from(std::io::stdin()));
    }
    let read = open_file(path).and_then(|file| {
        // a file's size is known before reading it
        let metadata = file.metadata()?;
        if metadata.is_dir() {
            let message = "it is a directory; give the path of a log file (`Log::to_jsonl`'s lines)";
            return Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, message));
        }
        if metadata.is_file() && metadata.len() > MAX_LOG_BYTES {
            return Err(log_too_large());
        }
        read_log_from(file)
    });
    (shown_path(path), read)
}

/// All of `input`, unless it holds more than [`MAX_LOG_BYTES`].
fn read_log_from(input: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    input.take(MAX_LOG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_LOG_BYTES {
        return Err(log_too_large());
    }
    Ok(bytes)
}

fn log_too_large() -> std::io::Error {
    std::io::Error::other(format!(
        "it is larger than {} MiB; review a part of it (`tail -n 100000 LOG.jsonl | conv-api review -`)",
        MAX_LOG_BYTES / (1024 * 1024)
    ))
}

/// Reads and checks the definitions file at `path`, or on standard input for `-`,
/// reading no more than a definitions file may hold (and one byte to refuse it).
pub fn load_definitions(path: &Path) -> (String, Result<Checked, LoadError>) {
    let (name, bytes) = read_yaml(path);
    let checked = match bytes {
        Ok(bytes) => parse_bytes(&name, &bytes).map_err(LoadError::Invalid),
        Err(error) => Err(LoadError::Io { path: name.clone(), file: FileKind::Definitions, error }),
    };
    (name, checked)
}

/// Reads the ADK test case (or mocks file) at `path`, or on standard input for `-`,
/// and checks its `api_mocks` against `definitions`.
pub fn load_mocks(path: &Path, definitions: &Definitions) -> (String, Result<Mocks, LoadError>) {
    let (name, bytes) = read_yaml(path);
    let mocks = match bytes {
        Ok(bytes) => conv_api_definitions::mocks::parse_bytes(&name, &bytes, definitions).map_err(LoadError::Invalid),
        Err(error) => Err(LoadError::Io { path: name.clone(), file: FileKind::Mocks, error }),
    };
    (name, mocks)
}

/// The name messages give `path` (`<stdin>` for `-`), and its bytes, no more than a
/// definitions (or mocks) file may hold, and one byte to refuse it.
fn read_yaml(path: &Path) -> (String, std::io::Result<Vec<u8>>) {
    let bytes = if path == Path::new("-") { read_limited(std::io::stdin()) } else { read_file(path) };
    (shown_name(path), bytes)
}

/// The name messages give the file at `path`: `<stdin>` for `-`, else [`shown_path`].
pub fn shown_name(path: &Path) -> String {
    match path == Path::new("-") {
        true => "<stdin>".to_string(),
        false => shown_path(path),
    }
}
