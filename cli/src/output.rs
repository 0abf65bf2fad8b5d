//! Standard output and error for the commands: a closed pipe (`| head`) only ends
//! the output early, but output that could not be written anywhere else (a full
//! disk) is said on standard error and fails the command. (A standard output closed
//! before the tool starts is `/dev/null` to it: Rust's runtime opens that in its place.)

use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use conv_api_definitions::one_line;

/// Set once some standard output was lost for another reason than a closed pipe.
static LOST: AtomicBool = AtomicBool::new(false);

/// `count` and its noun, `one` or `many` as the count takes: `1 API`, `3 APIs`.
pub fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Writes `text` to standard output.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    match written {
        Err(error) if error.kind() != ErrorKind::BrokenPipe && !LOST.swap(true, Ordering::Relaxed) => {
            err(&format!("error: cannot write the output: {error}; what was written is incomplete"));
        }
        _ => {}
    }
}

/// Writes the line `text` to standard error, escaped as [`one_line`] escapes it (it
/// may quote a file name or the file's text). Where standard error cannot be
/// written, there is no one left to tell.
pub fn err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", one_line(text));
}

/// Whether some standard output was lost (see [`out`]): the command has failed.
pub fn lost() -> bool {
    LOST.load(Ordering::Relaxed)
}
