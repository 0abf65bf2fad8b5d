//! Secrets: where they are read from, how settings resolve, and which ones an
//! environment needs.
//!
//! A [`SecretStore`] hands out values by name. The default, [`EnvSecretStore`], reads
//! environment variables named exactly as the secret; [`DotenvSecretStore`] reads a
//! dotenv-style file for local development; [`MapSecretStore`] holds values given in
//! code (tests) and is the model for plugging your own (a vault implements the trait).
//! Values are [`SecretString`](secrecy::SecretString)s: no `Debug`, `Display` or error shows them.

mod dotenv;
mod doubt;
mod missing;
mod needed;
mod slips;
mod store;

pub use dotenv::{DotenvError, DotenvSecretStore, MAX_DOTENV_BYTES, MAX_DOTENV_PROBLEMS};
pub use doubt::{secret_doubt, short_secret_doubt};
pub use missing::MissingSecret;
pub(crate) use missing::{all_missing_message, each_once};
pub use needed::{may_use_tls, missing_secrets, needed_secrets, needed_secrets_in, secret_names_read, NeededSecret};
pub(crate) use needed::{missing_secrets_at, token_request_may_use_tls};
pub(crate) use slips::ListedOnce;
pub(crate) use slips::StoreInUse;
pub use slips::{held_names_not_read, StoreForChecks};
use store::ENV_STORE;
pub(crate) use store::{holding, is_blank, setting_value, usable_value};
pub use store::{
    is_set, resolve_required, resolve_setting, EnvSecretStore, LayeredSecretStore, MapSecretStore, SecretStore,
};
