//! Keys as other formats name them (OpenAPI's `path` and `summary`, `url` or `verb`
//! in Postman and hand-written configs), and the key of this format each one means:
//! a "did you mean" by meaning, where spelling finds none.

use crate::names::{lowercase_alphanumerics, SUGGESTED_UP_TO};

/// Each key of this format with the words other formats use for it, written as
/// [`lowercase_alphanumerics`] gives them. A word may mean a key at one level and another key at
/// another (`url`: `resource` in an operation, `base_url` in an environment).
const SYNONYMS: &[Synonyms] = &[
    Synonyms::of("api_integrations", &["apis", "integrations", "services"]),
    Synonyms::of("operations", &["endpoints", "paths", "ops", "actions", "requests", "calls"]),
    Synonyms::of("environments", &["envs", "env", "stages"]),
    Synonyms::of("resource", &["path", "url", "uri", "endpoint", "route", "pathtemplate", "resourcepath"]),
    Synonyms::of("method", &["verb", "httpmethod", "httpverb", "requestmethod", "type"]),
    Synonyms::of("description", &["summary", "desc", "doc", "docs", "comment", "notes", "about", "title"]),
    // an operation's `name` only, beside its `method`: an API key's `name` is a header's
    Synonyms { key: "name", beside: Some("method"), words: &["operationid", "operationname", "functionname", "id"] },
    Synonyms::of("base_url", &["url", "uri", "baseuri", "host", "endpoint", "server", "serverurl", "root", "rooturl"]),
    Synonyms::of("auth_type", &["type", "authentication", "authmethod", "authscheme", "scheme"]),
    // auth settings
    Synonyms::of("username", &["user", "login", "userid"]),
    Synonyms::of("password", &["pass", "pwd", "passwd"]),
    Synonyms::of("location", &["in", "placement", "where", "sendin", "addto"]),
    // an API key's `name` only, beside its `location`: an API's or operation's `name` is no header
    Synonyms {
        key: "name",
        beside: Some("location"),
        words: &["header", "headername", "param", "paramname", "parameter", "queryparam", "keyname", "field"],
    },
    Synonyms::of("value", &["key", "apikey", "token", "apitoken"]),
    Synonyms::of("token_url", &["tokenendpoint", "tokenuri", "authurl", "oauthurl", "accesstokenurl"]),
    Synonyms::of("scope", &["scopes"]),
    Synonyms::of("attempts", &["retries", "maxattempts", "maxretries", "count", "times", "tries"]),
    Synonyms::of("base_delay", &["backoff", "delay", "initialdelay", "interval", "wait"]),
    Synonyms::of("max_delay", &["maxbackoff", "maxwait", "maxinterval", "cap"]),
    // mock rules
    Synonyms::of("repeat", &["times", "count", "repeats", "calls"]),
    Synonyms::of("status", &["code", "httpstatus"]),
    Synonyms::of("body", &["json", "data", "payload", "content"]),
    Synonyms::of("when", &["match", "matches", "matching", "if", "where", "condition", "conditions"]),
    Synonyms::of("fail", &["error", "failure", "raise", "throw"]),
    Synonyms::of("delay", &["latency", "wait", "sleep"]),
];

/// A key of this format and other formats' words for it.
struct Synonyms {
    key: &'static str,
    /// A key the level takes too, where `key` alone does not tell the level.
    beside: Option<&'static str>,
    words: &'static [&'static str],
}

impl Synonyms {
    const fn of(key: &'static str, words: &'static [&'static str]) -> Synonyms {
        Synonyms { key, beside: None, words }
    }
}

/// The key of `allowed` that `key` names as another format names it, if any.
pub(crate) fn meaning<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    if key.len() > SUGGESTED_UP_TO {
        return None;
    }
    let written = lowercase_alphanumerics(key);
    let takes = |key: &str| allowed.iter().copied().find(|allowed| *allowed == key);
    SYNONYMS
        .iter()
        .filter(|synonyms| synonyms.words.contains(&written.as_str()))
        .filter(|synonyms| synonyms.beside.is_none_or(|beside| takes(beside).is_some()))
        .find_map(|synonyms| takes(synonyms.key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_means_the_key_its_level_takes() {
        let operation = ["name", "method", "resource", "description"];
        let environment = ["base_url", "auth_type", "auth", "tls"];
        assert_eq!(meaning("url", &operation), Some("resource"));
        assert_eq!(meaning("URL", &environment), Some("base_url"));
        assert_eq!(meaning("type", &operation), Some("method"));
        assert_eq!(meaning("type", &environment), Some("auth_type"));
        assert_eq!(meaning("HTTP-Method", &operation), Some("method"));
        assert_eq!(meaning("summary", &operation), Some("description"));
        assert_eq!(meaning("operationId", &operation), Some("name"));
        assert_eq!(meaning("id", &["location", "name", "prefix", "value"]), None);
        assert_eq!(meaning("colour", &operation), None);
        assert_eq!(meaning("host", &operation), None);
        // `header` is an API key's `name`, never an operation's
        assert_eq!(meaning("header", &["location", "name", "prefix", "value"]), Some("name"));
        assert_eq!(meaning("header", &operation), None);
        // `delay` is a mock rule's own key, and a retry block's `base_delay`
        assert_eq!(meaning("backoff", &["attempts", "base_delay", "max_delay"]), Some("base_delay"));
        assert_eq!(meaning("delay", &["attempts", "base_delay", "max_delay"]), Some("base_delay"));
    }
}
