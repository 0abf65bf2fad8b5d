//! How many credentials the redactor keeps room for: those of every definitions set
//! conversations were started over, while the set lives.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use conv_api_definitions::Definitions;

use crate::conversation::DefinitionsRef;

/// The credentials each definitions set a runtime's conversations started over may
/// teach the redactor (see [`Redactor::make_room_for_credentials`](crate::Redactor)).
#[derive(Debug, Default)]
pub(crate) struct CredentialRoom {
    sets: Mutex<Vec<(Set, usize)>>,
}

/// One definitions set: embedded ones live as long as the program, those loaded at
/// run time until their last conversation and `DynamicApis` are dropped.
#[derive(Debug)]
enum Set {
    /// The address of definitions `conv_api!` embedded.
    Static(usize),
    Shared(Weak<Definitions>),
}

impl Set {
    fn is(&self, definitions: &DefinitionsRef) -> bool {
        match (self, definitions) {
            (Set::Static(address), DefinitionsRef::Static(other)) => *address == std::ptr::from_ref(*other) as usize,
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

impl CredentialRoom {
    /// Notes that `definitions` teach up to `count` credentials, and gives how many
    /// all the sets alive teach: each set is counted once, however many
    /// conversations start over it, and a set dropped is no longer counted.
    pub(crate) fn with(&self, definitions: &DefinitionsRef, count: usize) -> usize {
        let mut sets = self.sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain(|(set, _)| set.lives());
        if !sets.iter().any(|(set, _)| set.is(definitions)) {
            let set = match definitions {
                DefinitionsRef::Static(definitions) => Set::Static(std::ptr::from_ref(*definitions) as usize),
                DefinitionsRef::Shared(definitions) => Set::Shared(Arc::downgrade(definitions)),
            };
            sets.push((set, count));
        }
        sets.iter().map(|(_, count)| count).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded() -> DefinitionsRef {
        DefinitionsRef::Shared(Arc::new(
            conv_api_definitions::parse_str("a.yaml", "api_integrations: []").unwrap().definitions,
        ))
    }

    #[test]
    fn each_set_alive_counts_once() {
        let room = CredentialRoom::default();
        let (first, second) = (loaded(), loaded());
        assert_eq!(room.with(&first, 800), 800);
        assert_eq!(room.with(&first, 800), 800, "a set counts once");
        assert_eq!(room.with(&second, 700), 1500, "two sets, both alive");
        drop(first);
        assert_eq!(room.with(&second, 700), 700, "a dropped set no longer counts");
        static EMBEDDED: std::sync::OnceLock<Definitions> = std::sync::OnceLock::new();
        let embedded = EMBEDDED
            .get_or_init(|| conv_api_definitions::parse_str("b.yaml", "api_integrations: []").unwrap().definitions);
        assert_eq!(room.with(&DefinitionsRef::Static(embedded), 10), 710);
        assert_eq!(room.with(&DefinitionsRef::Static(embedded), 10), 710);
    }
}
