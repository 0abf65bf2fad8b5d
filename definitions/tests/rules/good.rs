//! Good fixtures (the spec's example, every auth type, the ADK shape) and their model.

use super::*;

#[test]
fn the_spec_example_is_valid() {
    let checked = good("full.yaml");
    assert_eq!(checked.definitions.apis.len(), 2);
    let zendesk = checked.definitions.api("zendesk").unwrap();
    assert_eq!(zendesk.description.as_deref(), Some("Support tickets"));
    let get = zendesk.operation("get_ticket").unwrap();
    assert_eq!((get.method, get.description.as_deref()), (Method::Get, Some("Look up a ticket")));
    assert_eq!(get.name.span.line, 25);
    assert!(checked.warnings.items.is_empty());
}

#[test]
fn the_adk_reference_shape_is_valid_unchanged() {
    let checked = good("adk_reference.yaml");
    assert_eq!(checked.definitions.apis.len(), 3);
    assert_eq!(checked.definitions.operation_count(), 5);
    let salesforce = checked.definitions.api("salesforce").unwrap();
    assert_eq!(salesforce.operation("search_contacts").unwrap().method, Method::Get);
    let hours = checked.definitions.api("opening_hours").unwrap();
    assert_eq!(hours.wired_environments().count(), 2);
    assert_eq!(hours.environment(Environment::Live).unwrap().base_url.value, "https://hours.acme.example");
}
