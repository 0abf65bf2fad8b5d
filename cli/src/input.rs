//! What a command reads: a file, or standard input for `-`.

use std::io::Read;
use std::path::Path;

use conv_api_definitions::{parse_bytes, read_file, read_limited, Checked, LoadError};

/// The name messages give `path` (`<stdin>` for `-`), and its bytes (a log, of any size).
pub fn read(path: &Path) -> (String, std::io::Result<Vec<u8>>) {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        let read = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
        return ("<stdin>".to_string(), read);
    }
    (path.display().to_string(), std::fs::read(path))
}

/// Reads and checks the definitions file at `path`, or on standard input for `-`,
/// reading no more than a definitions file may hold (and one byte to refuse it).
pub fn load_definitions(path: &Path) -> (String, Result<Checked, LoadError>) {
    let (name, bytes) = if path == Path::new("-") {
        ("<stdin>".to_string(), read_limited(std::io::stdin()))
    } else {
        (path.display().to_string(), read_file(path))
    };
    let checked = match bytes {
        Ok(bytes) => parse_bytes(&name, &bytes).map_err(LoadError::Invalid),
        Err(source) => Err(LoadError::Io { path: name.clone(), source }),
    };
    (name, checked)
}
