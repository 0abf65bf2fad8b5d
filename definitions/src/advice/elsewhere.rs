//! Keys other formats have that a definitions file has no place for, and where
//! what they say goes instead: a request's headers, body and query parameters are
//! given on the call, its path variables need no declaration, an OpenAPI
//! document's keys belong to another format, and a mock rule's condition needs no
//! method or URL.

use crate::advice::placement::Level;
use crate::names::{lowercase_alphanumerics, SUGGESTED_UP_TO};

const HEADERS: &str = "the file sets no headers: send one on the call, with `.header(name, value)`; a header that carries a credential is an `apiKey` auth, like `auth: { name: X-Api-Key, value: { secret: NAME } }`";
const CONTENT_TYPE: &str = "a request's `Content-Type` comes with its body on the call: `.json(..)` sends `application/json`, `.form(..)` a form, and `.body(..)` with `.header(\"Content-Type\", ..)` any other";
const BODY: &str = "the file holds no request body: give it on the call, with `.json(..)`, `.form(..)` or `.body(..)`";
const QUERY: &str = "a fixed query parameter goes in the resource after `?` (`resource: /tickets?limit=10`), one from an argument as a `{name}` there (`?q={term}`), and any other on the call, with `.query(..)`";
const PARAMETERS: &str = "each `{name}` in the resource is an argument of the call and needs no declaration; query parameters go in the resource after `?` (`?q={term}`), or on the call, with `.query(..)`";
const RESPONSE: &str =
    "the file does not describe responses: read one on the call's response, with `.json::<T>()` or `.text()`";
const OPENAPI: &str = "this format is not OpenAPI: list each API under `api_integrations:`, with each environment's `base_url` (from `servers:`), and each path and method of `paths:` as an operation, like `- { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }`";
const URL: &str = "an API's URL is set per environment, as its `base_url` (like `environments: { sandbox: { base_url: \"https://...\" } }`), and each operation's path as its `resource`";
const CALL_METHOD: &str =
    "a rule answers the calls of the operation it is listed under, which has one method: remove it";
const CALL_URL: &str = "a rule answers the calls of the operation it is listed under; to answer some of them, match their path variables, like `path: { ticket_id: \"42\" }`";
const VERSION: &str = "the file has no version key (later versions of the format only add optional keys): remove it";

/// Each word, as [`lowercase_alphanumerics`] gives it, with what to do instead.
const OF_A_REQUEST: &[(&[&str], &str)] = &[
    (
        &["headers", "header", "defaultheaders", "requestheaders", "httpheaders", "customheaders", "extraheaders"],
        HEADERS,
    ),
    (&["contenttype", "consumes", "mediatype", "mimetype"], CONTENT_TYPE),
    (&["accept", "produces"], HEADERS),
    (&["body", "json", "payload", "data", "requestbody", "jsonbody", "form", "formdata", "bodytemplate"], BODY),
    (&["query", "queryparams", "queryparameters", "querystring", "searchparams"], QUERY),
    (
        &[
            "params",
            "parameters",
            "pathparams",
            "pathparameters",
            "variables",
            "pathvariables",
            "args",
            "arguments",
            "inputs",
        ],
        PARAMETERS,
    ),
    (&["response", "responses", "schema", "responseschema", "returns", "output", "responsetype"], RESPONSE),
];

/// An API's own words, besides a request's.
const OF_AN_API: &[(&[&str], &str)] =
    &[(&["url", "uri", "baseuri", "host", "server", "serverurl", "endpoint", "rooturl"], URL)];

/// A mock rule's `when:`, which matches calls of one operation.
const OF_A_CONDITION: &[(&[&str], &str)] =
    &[(&["method", "verb", "httpmethod"], CALL_METHOD), (&["url", "uri", "resource", "endpoint", "route"], CALL_URL)];

const OF_A_DOCUMENT: &[(&[&str], &str)] =
    &[(&["openapi", "swagger"], OPENAPI), (&["version", "formatversion", "schemaversion"], VERSION)];

/// What to do with `key`, which no mapping of a definitions or mocks file takes, written at
/// `level`: the end of its error. None for a key of no other format.
pub(crate) fn instead(level: Level, key: &str) -> Option<&'static str> {
    if key.len() > SUGGESTED_UP_TO {
        return None;
    }
    let tables: &[&[(&[&str], &str)]] = match level {
        Level::File => &[OF_A_DOCUMENT],
        Level::Api => &[OF_AN_API, OF_A_REQUEST],
        Level::Environment | Level::Operation => &[OF_A_REQUEST],
        Level::MockCondition => &[OF_A_CONDITION],
        _ => return None,
    };
    let word = lowercase_alphanumerics(key);
    let mut entries = tables.iter().flat_map(|table| table.iter());
    entries.find(|(words, _)| words.contains(&word.as_str())).map(|&(_, instead)| instead)
}

const ADK_ID: &str =
    "is the ADK's id of the API or operation in Agent Studio, which a definitions file does not use: remove it";

/// What to do with an ADK resource's id in Agent Studio, which an ADK file read from
/// the projection may carry: `resource_id`, or `id` beside the `name` it would
/// otherwise mean, of an API or operation.
pub(crate) fn adk_id(level: Level, key: &str, has_name: bool) -> Option<&'static str> {
    let is_id = key == "resource_id" || (key == "id" && has_name);
    (is_id && matches!(level, Level::Api | Level::Operation)).then_some(ADK_ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adk_id_is_told_only_where_the_adk_has_one() {
        assert_eq!(adk_id(Level::Operation, "resource_id", false), Some(ADK_ID));
        assert_eq!(adk_id(Level::Api, "id", true), Some(ADK_ID));
        // with no `name`, `id` is read as the name it likely means
        assert_eq!(adk_id(Level::Operation, "id", false), None);
        assert_eq!(adk_id(Level::Environment, "resource_id", true), None);
    }
}
