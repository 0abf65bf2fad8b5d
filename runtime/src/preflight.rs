//! The start-up check of a deployment: what would fail every call of an API in the
//! runtime's environment, found without sending anything.

use conv_api_definitions::urls::credentials_allowed;
use conv_api_definitions::{Api, Auth, Definitions};

use crate::auth::{check_credentials, display_url, AuthError};
use crate::error::{Error, ErrorKind};
use crate::runtime::Shared;
use crate::secrets::MissingSecret;
use crate::send::base_url;
use crate::tls::check_tls_at;

/// The problems of each API of `definitions` in `shared`'s environment, API by API
/// in the file's order: not configured there, credentials its calls cannot carry
/// (missing, refused, or over plain `http`), and `tls:` material missing or refused.
pub(crate) fn problems(shared: &Shared, definitions: &Definitions) -> Vec<Error> {
    let store = shared.auth.store();
    let mut problems = Vec::new();
    for api in definitions.apis.iter() {
        let config = api.environment(shared.environment);
        let url = match base_url(shared, api, config) {
            Ok(url) => url,
            Err(error) => {
                problems.push(error);
                continue;
            }
        };
        // a base URL from the builder alone: no auth, no `tls:`
        let Some(config) = config else { continue };
        let mut refused = check_credentials(config, store);
        if config.auth != Auth::None && !credentials_allowed(&url) {
            refused.push(AuthError::ClearText { url: display_url(&url) });
        }
        problems.extend(refused.into_iter().map(|error| auth_problem(shared, api, error)));
        let tls = check_tls_at(config, url.as_str(), store);
        problems.extend(tls.into_iter().map(|error| error.with_prefix(&format!("`tls` of API `{}`: ", api.name()))));
    }
    problems
}

/// `error` as a call of `api` would fail with it: `MissingSecret`, naming the API
/// and masking the store's description, or `Auth`, masking every known secret.
fn auth_problem(shared: &Shared, api: &Api, error: AuthError) -> Error {
    match error {
        AuthError::MissingSecret(missing) => {
            let missing = MissingSecret { api: Some(api.name().to_string()), ..missing };
            Error::new(ErrorKind::MissingSecret, missing.store_masked(&shared.redactor).to_string())
        }
        _ => {
            let text = shared.redactor.text(&error.to_string());
            Error::new(ErrorKind::Auth, format!("auth of API `{}`: {text}", api.name()))
        }
    }
}
