//! The ADK `api_mocks` format and our additions, checked against definitions: a
//! module per part of a mocks file, sharing the helpers below.

use conv_api_definitions::mocks::{self, MockBody, MockFailure, MockOutcome, Repeat};
use conv_api_definitions::{parse_str, Definitions};
use serde_json::json;

mod bodies;
mod conditions;
mod file;
mod layout;
mod repeat;
mod responses;

/// The APIs the MOCKS.md example mocks.
const DEFINITIONS: &str = include_str!("../fixtures/adk/booking-apis.yaml");

/// The example of MOCKS.md (PolyAI ADK's `api_mocks`), unchanged.
const ADK_TEST_CASE: &str = include_str!("../fixtures/adk/booking-test-case.yaml");

fn definitions() -> Definitions {
    parse_str("apis.yaml", DEFINITIONS).expect("definitions are valid").definitions
}

fn errors(mocks_yaml: &str) -> Vec<String> {
    let found = mocks::parse_str("case.yaml", mocks_yaml, &definitions()).expect_err("mocks are invalid");
    found.lines().collect()
}

/// The body of the first rule of `mocks_yaml`, which must be valid and answer with a response.
fn first_body(mocks_yaml: &str) -> Option<MockBody> {
    let found = mocks::parse_str("case.yaml", mocks_yaml, &definitions()).unwrap_or_else(|d| panic!("{d}"));
    let MockOutcome::Respond(response) = &found.apis[0].operations[0].rules[0].outcome else { panic!("a response") };
    response.body.clone()
}
