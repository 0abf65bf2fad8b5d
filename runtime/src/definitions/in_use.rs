//! The definitions sets a runtime's conversations were started over (or its
//! start-up checks were given), while each lives: how many credentials the redactor keeps room for, and which secret names
//! they read (never offered as a slip of a missing one).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use conv_api_definitions::Definitions;

use crate::conversation::DefinitionsRef;
use crate::secrets::secret_names_read;

/// The definitions sets a runtime serves (see the module doc), each with the
/// credentials it may teach the redactor (see
/// [`Redactor::make_room_for_credentials`](crate::Redactor)) and the secret names
/// it reads.
#[derive(Debug, Default)]
pub(crate) struct DefinitionsInUse {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    sets: Vec<InUse>,
    /// How many sets alive read each secret name.
    names_read: HashMap<String, usize>,
}

#[derive(Debug)]
struct InUse {
    set: Set,
    credentials: usize,
    names: Vec<String>,
}

/// One definitions set: embedded ones live as long as the program, those loaded at
/// run time until their last conversation and `DynamicApis` are dropped.
#[derive(Debug)]
enum Set {
    Static(&'static Definitions),
    Shared(Weak<Definitions>),
}

impl Set {
    fn is(&self, definitions: &DefinitionsRef) -> bool {
        match (self, definitions) {
            (Set::Static(set), DefinitionsRef::Static(other)) => std::ptr::eq(*set, *other),
            (Set::Shared(set), DefinitionsRef::Shared(other)) => std::ptr::eq(set.as_ptr(), Arc::as_ptr(other)),
            _ => false,
        }
    }

    fn lives(&self) -> bool {
        match self {
            Set::Static(_) => true,
            Set::Shared(set) => set.strong_count() > 0,
        }
    }
}

impl Inner {
    /// Forgets the sets dropped since, and the names only they read.
    fn forget_dropped(&mut self) {
        let Inner { sets, names_read } = self;
        sets.retain(|in_use| {
            let lives = in_use.set.lives();
            if !lives {
                for name in &in_use.names {
                    if let Some(count) = names_read.get_mut(name) {
                        *count -= 1;
                        if *count == 0 {
                            names_read.remove(name);
                        }
                    }
                }
            }
            lives
        });
    }
}

impl DefinitionsInUse {
    /// Notes that `definitions` are in use (a conversation starts over them, or a
    /// start-up check reads them), which teach up to
    /// `credentials` credentials, and gives how many all the sets alive teach: each
    /// set is counted once, however many conversations start over it, and a set
    /// dropped is no longer counted.
    pub(crate) fn note(&self, definitions: &DefinitionsRef, credentials: usize) -> usize {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.forget_dropped();
        if !inner.sets.iter().any(|in_use| in_use.set.is(definitions)) {
            let set = match definitions {
                DefinitionsRef::Static(definitions) => Set::Static(definitions),
                DefinitionsRef::Shared(definitions) => Set::Shared(Arc::downgrade(definitions)),
            };
            let names: Vec<String> = secret_names_read(definitions).into_iter().collect();
            for name in &names {
                *inner.names_read.entry(name.clone()).or_default() += 1;
            }
            inner.sets.push(InUse { set, credentials, names });
        }
        inner.sets.iter().map(|in_use| in_use.credentials).sum()
    }

    /// `names` without those a set alive reads ([`secret_names_read`]).
    pub(crate) fn leave_out_read(&self, names: &mut Vec<String>) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.forget_dropped();
        names.retain(|name| !inner.names_read.contains_key(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(yaml: &str) -> DefinitionsRef {
        DefinitionsRef::Shared(Arc::new(conv_api_definitions::parse_str("a.yaml", yaml).unwrap().definitions))
    }

    #[test]
    fn each_set_alive_counts_once() {
        let in_use = DefinitionsInUse::default();
        let (first, second) = (loaded("api_integrations: []"), loaded("api_integrations: []"));
        assert_eq!(in_use.note(&first, 800), 800);
        assert_eq!(in_use.note(&first, 800), 800, "a set counts once");
        assert_eq!(in_use.note(&second, 700), 1500, "two sets, both alive");
        drop(first);
        assert_eq!(in_use.note(&second, 700), 700, "a dropped set no longer counts");
        static EMBEDDED: std::sync::OnceLock<Definitions> = std::sync::OnceLock::new();
        let embedded = EMBEDDED
            .get_or_init(|| conv_api_definitions::parse_str("b.yaml", "api_integrations: []").unwrap().definitions);
        assert_eq!(in_use.note(&DefinitionsRef::Static(embedded), 10), 710);
        assert_eq!(in_use.note(&DefinitionsRef::Static(embedded), 10), 710);
    }

    #[test]
    fn the_names_read_are_those_of_the_sets_alive() {
        let in_use = DefinitionsInUse::default();
        let api = |name: &str| {
            format!("api_integrations:\n  - name: {name}\n    environments: {{ live: {{ base_url: \"https://a.example\", auth_type: apiKey }} }}\n")
        };
        let (crm, shop) = (loaded(&api("crm")), loaded(&api("shop")));
        in_use.note(&crm, 1);
        in_use.note(&shop, 1);
        let held = || ["CRM_LIVE_API_KEY", "SHOP_LIVE_API_KEY", "ERP_LIVE_API_KEY"].map(String::from).to_vec();
        let mut names = held();
        in_use.leave_out_read(&mut names);
        assert_eq!(names, ["ERP_LIVE_API_KEY"]);
        drop(shop);
        let mut names = held();
        in_use.leave_out_read(&mut names);
        assert_eq!(names, ["SHOP_LIVE_API_KEY", "ERP_LIVE_API_KEY"]);
        // a set noted again counts once: its names are read by it alone
        in_use.note(&crm, 1);
        drop(crm);
        let mut names = held();
        in_use.leave_out_read(&mut names);
        assert_eq!(names, held());
    }
}
