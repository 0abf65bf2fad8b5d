//! The start-up check of a deployment: what would fail every call of an API in the
//! runtime's environment, found without sending anything.

use conv_api_definitions::urls::credentials_allowed;
use conv_api_definitions::{Api, Auth, Definitions};

use crate::auth::{check_credentials, clear_text, display_url, readable_token_url, AuthError, TokenError};
use crate::embedded::did_not_read_back;
use crate::error::{Error, ErrorKind};
use crate::runtime::Shared;
use crate::secrets::MissingSecret;
use crate::send::{base_url, not_read_back, with_override_hint};
use crate::tls::check_tls_at;

/// The problems of each API of `definitions` in `shared`'s environment, API by API
/// in the file's order: not configured there, a proxy variable that cannot serve its
/// calls, credentials its calls cannot carry (missing, refused, or over plain
/// `http`), and `tls:` material missing or refused. Mocks are not consulted: the check
/// is of the deployment. Embedded definitions that did not read back are one problem.
pub(crate) fn problems(shared: &Shared, definitions: &Definitions) -> Vec<Error> {
    if did_not_read_back(definitions) {
        return vec![not_read_back()];
    }
    let store = shared.auth.store();
    let mut problems = Vec::new();
    for api in definitions.apis.iter() {
        let config = api.environment(shared.environment);
        let url = match base_url(shared, api, config) {
            Ok(url) => url,
            Err(error) => {
                problems.push(with_override_hint(error, shared, definitions, api));
                continue;
            }
        };
        if let Some(problem) = shared.proxy_routes.unusable_proxy(&url) {
            problems.push(Error::new(ErrorKind::Config, format!("calls of API `{}`: {problem}", api.name())));
        }
        // a base URL from the builder alone: no auth, no `tls:`
        let Some(config) = config else { continue };
        let mut refused = check_credentials(config, store);
        if config.auth != Auth::None && !credentials_allowed(&url) {
            refused.push(clear_text(&url));
        }
        // the token request, which goes its own way
        if let Auth::OAuth2(oauth) = &config.auth {
            if let Some(token_url) = readable_token_url(oauth, store) {
                if let Some(problem) = shared.proxy_routes.unusable_proxy(&token_url) {
                    refused.push(AuthError::Token(TokenError::Proxy { url: display_url(&token_url), problem }));
                }
            }
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
