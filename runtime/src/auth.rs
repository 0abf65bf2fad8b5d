//! Authentication: the one step of the request pipeline that knows auth types.
//!
//! [`Authenticator::apply`] gets the API's environment configuration and adds
//! credentials to the outgoing request (headers or query pairs);
//! [`Authenticator::on_unauthorized`] decides whether a 401 answer is worth one
//! replay with refreshed credentials; [`Authenticator::redactor_for`] masks the
//! header and query names the configuration makes sensitive. Only `auth_type:
//! none` is implemented yet; the other types fail with an [`ErrorKind::Auth`]
//! error before anything is sent.

use conv_api_definitions::{Auth, EnvironmentConfig, KeyLocation};

use crate::error::{Error, ErrorKind, Result};
use crate::redact::Redactor;
use crate::send::Outgoing;

/// The API and environment a request authenticates for.
pub(crate) struct AuthTarget<'a> {
    /// The API's name.
    pub(crate) api: &'a str,
    /// The environment's configuration; `None` when only a base URL override exists.
    pub(crate) config: Option<&'a EnvironmentConfig>,
}

impl AuthTarget<'_> {
    fn auth(&self) -> &Auth {
        self.config.map_or(&Auth::None, |config| &config.auth)
    }
}

/// What to do after a 401 answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Replay {
    /// Credentials were refreshed: apply them again and send the request once more.
    Once,
    /// Return the 401 response to the caller.
    No,
}

/// Adds credentials to requests; shared by every conversation of a runtime.
#[derive(Debug, Default)]
pub(crate) struct Authenticator {}

impl Authenticator {
    /// Adds the credentials `target` needs to `outgoing`.
    pub(crate) async fn apply(&self, target: &AuthTarget<'_>, _outgoing: &mut Outgoing) -> Result<()> {
        match target.auth() {
            Auth::None => Ok(()),
            other => Err(Error::new(
                ErrorKind::Auth,
                format!(
                    "`auth_type: {}` of API `{}` is not supported by this runtime yet; nothing was sent",
                    other.type_name(),
                    target.api
                ),
            )),
        }
    }

    /// Whether a request that got a 401 answer should be sent once more; no
    /// supported auth type has credentials to refresh yet, so never.
    pub(crate) async fn on_unauthorized(&self, _target: &AuthTarget<'_>) -> Replay {
        Replay::No
    }

    /// `base` also masking the header and query names `target`'s auth uses.
    pub(crate) fn redactor_for(&self, base: &Redactor, target: &AuthTarget<'_>) -> Redactor {
        let mut redactor = base.clone();
        match target.auth() {
            Auth::ApiKey(key) if key.location == KeyLocation::Header => redactor.mask_header(&key.name),
            Auth::ApiKey(key) => redactor.mask_query_param(&key.name),
            Auth::OAuth2(oauth) => redactor.mask_header(&oauth.header_name),
            Auth::None | Auth::Basic(_) => {}
        }
        redactor
    }
}
