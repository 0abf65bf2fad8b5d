//! Which names a store holds that a missing secret's name may be a slip of: not
//! those the definitions read, each of which is another secret.

use std::sync::{Arc, OnceLock};

use conv_api_definitions::Definitions;
use secrecy::SecretString;

use super::{secret_names_read, SecretStore};
use crate::definitions::in_use::DefinitionsInUse;

/// The names `store` holds that no environment of `definitions` reads: those a
/// missing secret of `definitions` may be a slip of.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://crm.example\", auth_type: apiKey } }\n  - name: crma\n    environments: { live: { base_url: \"https://crma.example\", auth_type: apiKey } }\n";
/// let apis = conv_api::DynamicApis::parse("apis.yaml", yaml).unwrap();
/// let store = conv_api::MapSecretStore::new().with("CRMA_LIVE_API_KEY", "k-1").with("CRM_LIVE_APIKEY", "k-2");
/// // `crma`'s key is another secret, not a slip of `CRM_LIVE_API_KEY`
/// assert_eq!(conv_api::held_names_not_read(&store, apis.definitions()), ["CRM_LIVE_APIKEY"]);
/// ```
pub fn held_names_not_read(store: &dyn SecretStore, definitions: &Definitions) -> Vec<String> {
    let read = secret_names_read(definitions);
    store.secret_names().into_iter().filter(|name| !read.contains(name)).collect()
}

/// A secret store as the checks of one environment ([`missing_secrets`],
/// [`check_credentials`], [`check_tls`]) read it for a set of definitions: its
/// [`secret_names`](SecretStore::secret_names) are [`held_names_not_read`] (listed
/// once, however many secrets are missing), so that a missing secret is never
/// offered another API's secret as a slip of its name: the runtime and `conv-api
/// secrets --check` never offer one either.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{missing_secrets, DynamicApis, Environment, MapSecretStore, StoreForChecks};
/// let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: \"https://crm.example\", auth_type: apiKey } }\n  - name: crma\n    environments: { live: { base_url: \"https://crma.example\", auth_type: apiKey } }\n";
/// let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
/// let store = MapSecretStore::new().with("CRMA_LIVE_API_KEY", "k-1");
/// let crm_live = apis.definitions().apis[0].environment(Environment::Live).unwrap();
/// // alone, the store offers `crma`'s key as a slip of `crm`'s
/// assert_eq!(missing_secrets(crm_live, &store)[0].similar.as_deref(), Some("CRMA_LIVE_API_KEY"));
/// let checked = StoreForChecks::new(&store, apis.definitions());
/// assert_eq!(missing_secrets(crm_live, &checked)[0].similar, None);
/// ```
///
/// [`missing_secrets`]: crate::missing_secrets
/// [`check_credentials`]: crate::auth::check_credentials
/// [`check_tls`]: crate::check_tls
pub struct StoreForChecks<'a> {
    store: &'a dyn SecretStore,
    definitions: &'a Definitions,
    names: OnceLock<Vec<String>>,
}

impl<'a> StoreForChecks<'a> {
    /// `store`, offering as slips only the names `definitions` do not read.
    pub fn new(store: &'a dyn SecretStore, definitions: &'a Definitions) -> StoreForChecks<'a> {
        StoreForChecks { store, definitions, names: OnceLock::new() }
    }
}

/// The store as it describes itself (names, never values).
impl std::fmt::Debug for StoreForChecks<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreForChecks").field("store", &self.store.describe()).finish_non_exhaustive()
    }
}

impl SecretStore for StoreForChecks<'_> {
    fn get(&self, name: &str) -> Option<SecretString> {
        self.store.get(name)
    }

    fn describe(&self) -> String {
        self.store.describe()
    }

    fn secret_names(&self) -> Vec<String> {
        self.names.get_or_init(|| held_names_not_read(self.store, self.definitions)).clone()
    }
}

/// `store` listing its names once, however often a check asks for them (for each
/// missing secret of each API a start-up check goes through).
pub(crate) struct ListedOnce<'a> {
    store: &'a dyn SecretStore,
    names: OnceLock<Vec<String>>,
}

impl<'a> ListedOnce<'a> {
    pub(crate) fn new(store: &'a dyn SecretStore) -> ListedOnce<'a> {
        ListedOnce { store, names: OnceLock::new() }
    }
}

impl SecretStore for ListedOnce<'_> {
    fn get(&self, name: &str) -> Option<SecretString> {
        self.store.get(name)
    }

    fn describe(&self) -> String {
        self.store.describe()
    }

    fn secret_names(&self) -> Vec<String> {
        self.names.get_or_init(|| self.store.secret_names()).clone()
    }
}

/// The runtime's view of the store its builder was given: its names leave out those
/// read by the definitions it serves (see `DefinitionsInUse`), so that a call's missing
/// secret, like the start-up checks', is never offered another API's secret as a
/// slip of its name.
pub(crate) struct StoreInUse {
    store: Arc<dyn SecretStore>,
    definitions: Arc<DefinitionsInUse>,
}

impl StoreInUse {
    pub(crate) fn new(store: Arc<dyn SecretStore>, definitions: Arc<DefinitionsInUse>) -> StoreInUse {
        StoreInUse { store, definitions }
    }
}

impl SecretStore for StoreInUse {
    fn get(&self, name: &str) -> Option<SecretString> {
        self.store.get(name)
    }

    fn describe(&self) -> String {
        self.store.describe()
    }

    fn secret_names(&self) -> Vec<String> {
        let mut names = self.store.secret_names();
        if !names.is_empty() {
            self.definitions.leave_out_read(&mut names);
        }
        names
    }
}
