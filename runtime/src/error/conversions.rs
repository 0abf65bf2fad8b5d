//! Errors of other crates and modules, turned into an [`Error`] with `?`.

use super::{Error, ErrorKind};

/// An environment name that does not parse, as in `"prod".parse::<Environment>()?`
/// in a function returning [`Result`](crate::Result): a [`Config`](ErrorKind::Config) error.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{Environment, ErrorKind};
/// fn environment(name: &str) -> conv_api::Result<Environment> {
///     Ok(name.parse::<Environment>()?)
/// }
/// assert_eq!(environment("prod").unwrap_err().kind(), ErrorKind::Config);
/// ```
impl From<conv_api_definitions::UnknownEnvironment> for Error {
    fn from(error: conv_api_definitions::UnknownEnvironment) -> Error {
        Error::new(ErrorKind::Config, error.to_string())
    }
}

/// A dotenv file that could not be read or parsed, as in
/// `DotenvSecretStore::from_path(".env")?` in a function returning [`Result`](crate::Result): a
/// [`Config`](ErrorKind::Config) error, its message the
/// [`summary`](crate::DotenvError::summary) of the [`DotenvError`](crate::DotenvError)
/// (which shows no value); for a file that could not be read, [`Error::get_ref`]
/// gives the `std::io::Error`.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{DotenvSecretStore, ErrorKind};
/// fn store() -> conv_api::Result<DotenvSecretStore> {
///     Ok(DotenvSecretStore::from_path("/nonexistent/.env")?)
/// }
/// let error = store().unwrap_err();
/// assert_eq!(error.kind(), ErrorKind::Config);
/// assert!(error.to_string().starts_with("cannot read the secrets file `/nonexistent/.env`: "));
/// let io = error.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>());
/// assert!(io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound), "a missing file may be optional");
/// ```
impl From<crate::DotenvError> for Error {
    fn from(error: crate::DotenvError) -> Error {
        let config_error = Error::new(ErrorKind::Config, error.summary());
        match error {
            crate::DotenvError::Read { error, .. } => config_error.wrapping(error),
            _ => config_error,
        }
    }
}

/// A definitions or mocks file that cannot be read or has errors: [`ErrorKind::Definitions`],
/// whose message names the file and says what is wrong (one `FILE:LINE:COL` line
/// per problem). A file that cannot be read wraps the operating system's error
/// ([`Error::get_ref`]), so that code can tell a file not deployed yet from one it may
/// not read:
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// let error = conv_api::DynamicApis::load("no/such/apis.yaml").unwrap_err();
/// let io = error.get_ref().and_then(|inner| inner.downcast_ref::<std::io::Error>());
/// assert_eq!(io.map(|io| io.kind()), Some(std::io::ErrorKind::NotFound));
/// assert!(std::error::Error::source(&error).is_none(), "the OS's text is in the message once");
/// ```
impl From<conv_api_definitions::LoadError> for Error {
    fn from(error: conv_api_definitions::LoadError) -> Error {
        let definitions_error = Error::new(ErrorKind::Definitions, error.to_string());
        match error {
            conv_api_definitions::LoadError::Io { error, .. } => definitions_error.wrapping(error),
            // the diagnostics are the message
            _ => definitions_error,
        }
    }
}
