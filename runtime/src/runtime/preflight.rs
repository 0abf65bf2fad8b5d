//! The start-up check of a deployment: what would fail every call of an API in the
//! runtime's environment, found without sending anything.

use conv_api_definitions::urls::credentials_allowed;
use conv_api_definitions::{Api, Auth, Definitions};

use crate::auth::{check_credentials, clear_text, display_url, readable_token_url, AuthError, TokenError};
use crate::definitions::embedded::did_not_read_back;
use crate::error::{Error, ErrorKind};
use crate::http::tls::tls_problems_at;
use crate::runtime::{auth_settings, Shared};
use crate::secrets::{each_once, ListedOnce, MissingSecret, SecretStore};
use crate::send::{base_url, not_read_back, with_override_hint};

/// The problems of each API of `definitions` in `shared`'s environment, API by API
/// in the file's order: not configured there, a proxy variable that cannot serve its
/// calls, credentials its calls cannot carry (missing, refused, or over plain
/// `http`), and `tls:` material missing or refused. Mocks are not consulted: the check
/// is of the deployment. Each names its API ([`Error::api`]), as its message starts
/// with. Embedded definitions that did not read back are one problem, of no API.
pub(crate) fn problems(shared: &Shared, definitions: &Definitions) -> Vec<Error> {
    if did_not_read_back(definitions) {
        return vec![not_read_back()];
    }
    // listed once, however many secrets are missing
    let store = ListedOnce::new(shared.auth.store());
    let of_each_api = definitions.apis.iter().map(|api| {
        let problems = problems_of(shared, &store, definitions, api);
        problems.into_iter().map(|problem| problem.with_api(api.name()))
    });
    of_each_api.flatten().collect()
}

/// The problems of `api`, one of `definitions`, in `shared`'s environment, its
/// secrets read from `store`.
fn problems_of(shared: &Shared, store: &dyn SecretStore, definitions: &Definitions, api: &Api) -> Vec<Error> {
    let config = api.environment(shared.environment);
    let url = match base_url(shared, api, config) {
        Ok(url) => url,
        Err(error) => return vec![with_override_hint(error, shared, definitions, api)],
    };
    let mut problems = Vec::new();
    if let Some(problem) = shared.proxy_routes.unusable_proxy(&url) {
        problems.push(Error::new(ErrorKind::Config, problem));
    }
    // a base URL from the builder alone: no auth, no `tls:`
    let Some(config) = config else { return problems };
    let config = auth_settings(&shared.base_urls, api.name(), config);
    let config = config.as_ref();
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
    // a `tls:` secret missing is told as an auth one is, each with the environment,
    // and a secret both name once
    let (missing_tls, tls) = tls_problems_at(config, url.as_str(), store);
    // refused settings as a call's `Auth` error tells them, every known secret masked
    let (mut missing, mut refusals) = (Vec::new(), Vec::new());
    for error in refused {
        match error {
            AuthError::MissingSecret(secret) => missing.push(secret),
            other => refusals
                .push(Error::new(ErrorKind::Auth, format!("auth: {}", shared.redactor.text(&other.to_string())))),
        }
    }
    problems.extend(each_once(missing.into_iter().chain(missing_tls)).into_iter().map(|m| missing_problem(shared, m)));
    problems.extend(refusals);
    problems.extend(tls.into_iter().map(|problem| problem.error.with_prefix("`tls`: ")));
    problems
}

/// `missing` as a call would fail with it, the store's description masked, naming
/// the environment.
fn missing_problem(shared: &Shared, missing: MissingSecret) -> Error {
    let missing = MissingSecret { environment: Some(shared.environment), ..missing.store_masked(&shared.redactor) };
    Error::new(ErrorKind::MissingSecret, missing.to_string())
}
