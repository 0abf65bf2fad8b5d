//! How messages name a file.

use std::path::Path;

/// The name messages give `path`: on Unix, its bytes that are not UTF-8 escaped
/// (`a\xff.yaml`), so that two files whose names differ only there are told apart,
/// and a name can be typed back; elsewhere, as `Path::display` shows it.
///
/// ```
/// use conv_api_definitions::shown_path;
/// assert_eq!(shown_path("config/réservations.yaml".as_ref()), "config/réservations.yaml");
/// # #[cfg(unix)] {
/// use std::os::unix::ffi::OsStrExt;
/// let name = std::ffi::OsStr::from_bytes(b"dir/a\xff.yaml");
/// assert_eq!(shown_path(name.as_ref()), r"dir/a\xff.yaml");
/// # }
/// ```
pub fn shown_path(path: &Path) -> String {
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
