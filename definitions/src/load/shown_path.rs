//! How messages name a file.

use std::path::Path;

/// The name messages give `path`: on Unix, its bytes that are not UTF-8 escaped
/// (`a\xff.yaml`), so that two files whose names differ only there are told apart,
/// and a name can be typed back; elsewhere, as `Path::display` shows it. An empty
/// path is shown `""`, so that a message does not start with its colon.
///
/// ```
/// use conv_api_definitions::shown_path;
/// assert_eq!(shown_path("config/réservations.yaml".as_ref()), "config/réservations.yaml");
/// assert_eq!(shown_path("".as_ref()), "\"\"");
/// # #[cfg(unix)] {
/// use std::os::unix::ffi::OsStrExt;
/// let name = std::ffi::OsStr::from_bytes(b"dir/a\xff.yaml");
/// assert_eq!(shown_path(name.as_ref()), r"dir/a\xff.yaml");
/// # }
/// ```
pub fn shown_path(path: &Path) -> String {
    if path.as_os_str().is_empty() {
        return "\"\"".to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut shown = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            shown.push_str(chunk.valid());
            for byte in chunk.invalid() {
                shown.push_str(&format!("\\x{byte:02x}"));
            }
        }
        shown
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}
