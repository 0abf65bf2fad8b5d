//! The definitions' APIs and operations by name, indexed once per mocks file so
//! that checking mocks takes time linear in the two files' sizes.

use std::collections::HashMap;

use crate::model::{Api, Definitions, Operation};

/// Finds APIs and operations by name as [`Definitions::api`] and
/// [`Api::operation`] do (the first of a name wins), in constant time.
pub(super) struct Lookup<'d> {
    pub(super) definitions: &'d Definitions,
    apis: HashMap<&'d str, &'d Api>,
    operations: HashMap<(&'d str, &'d str), &'d Operation>,
    owners: HashMap<&'d str, (&'d Api, &'d Operation)>,
}

impl<'d> Lookup<'d> {
    pub(super) fn new(definitions: &'d Definitions) -> Self {
        let mut lookup =
            Lookup { definitions, apis: HashMap::new(), operations: HashMap::new(), owners: HashMap::new() };
        for api in definitions.apis.iter() {
            let first_of_its_name = !lookup.apis.contains_key(api.name());
            lookup.apis.entry(api.name()).or_insert(api);
            for op in api.operations.iter() {
                if first_of_its_name {
                    lookup.operations.entry((api.name(), op.name())).or_insert(op);
                }
                lookup.owners.entry(op.name()).or_insert((api, op));
            }
        }
        lookup
    }

    /// API `name`.
    pub(super) fn api(&self, name: &str) -> Option<&'d Api> {
        self.apis.get(name).copied()
    }

    /// Operation `op` of API `api`.
    pub(super) fn operation(&self, api: &Api, op: &str) -> Option<&'d Operation> {
        self.operations.get(&(api.name(), op)).copied()
    }

    /// The first API with an operation named `op`, and that operation.
    pub(super) fn owner_of(&self, op: &str) -> Option<(&'d Api, &'d Operation)> {
        self.owners.get(op).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    #[test]
    fn finds_the_first_of_a_name_as_the_definitions_do() {
        let file = "api_integrations:
  - name: crm
    environments: { sandbox: {} }
    operations:
      - { name: get, method: GET, resource: /a }
  - name: tickets
    environments: { sandbox: {} }
    operations:
      - { name: get, method: POST, resource: /b }
      - { name: list, method: GET, resource: /c }
";
        let definitions = crate::parse_str("apis.yaml", file).unwrap().definitions;
        let lookup = Lookup::new(&definitions);
        let tickets = lookup.api("tickets").unwrap();
        assert_eq!(lookup.operation(tickets, "list").unwrap().name(), "list");
        assert_eq!(lookup.operation(tickets, "get").unwrap().method, Method::Post);
        assert!(lookup.operation(tickets, "put").is_none());
        let (owner, op) = lookup.owner_of("get").unwrap();
        assert_eq!((owner.name(), op.method), ("crm", Method::Get));
        assert!(lookup.api("billing").is_none());
    }
}
