//! Keys as other formats name them (OpenAPI's `path` and `summary`, `url` or `verb`
//! in Postman and hand-written configs), and the key of this format each one means:
//! a "did you mean" by meaning, where spelling finds none.

/// Each key of this format with the words other formats use for it, written as
/// [`letters`] gives them. A word may mean a key at one level and another key at
/// another (`url`: `resource` in an operation, `base_url` in an environment).
const SYNONYMS: &[(&str, &[&str])] = &[
    ("api_integrations", &["apis", "integrations", "services"]),
    ("operations", &["endpoints", "paths", "ops", "actions", "requests", "calls"]),
    ("environments", &["envs", "env", "stages"]),
    ("resource", &["path", "url", "uri", "endpoint", "route", "pathtemplate", "resourcepath"]),
    ("method", &["verb", "httpmethod", "httpverb", "requestmethod", "type"]),
    ("description", &["summary", "desc", "doc", "docs", "comment", "notes", "about"]),
    ("base_url", &["url", "uri", "baseuri", "host", "endpoint", "server", "serverurl", "root", "rooturl"]),
    ("auth_type", &["type", "authentication", "authmethod", "authscheme", "scheme"]),
    ("token_url", &["tokenendpoint", "tokenuri", "authurl", "oauthurl"]),
    ("scope", &["scopes"]),
    ("attempts", &["retries", "maxattempts", "maxretries", "count", "times", "tries"]),
    // mock rules
    ("repeat", &["times", "count", "repeats", "calls"]),
    ("status", &["code", "httpstatus"]),
    ("body", &["json", "data", "payload", "content"]),
];

/// The key of `allowed` that `key` names as another format names it, if any.
pub(crate) fn meaning<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    let written = letters(key);
    SYNONYMS
        .iter()
        .filter(|(_, words)| words.contains(&written.as_str()))
        .find_map(|(meant, _)| allowed.iter().copied().find(|allowed| allowed == meant))
}

/// `key` in lower case without `_`, `-` or blanks: `HTTP-Method` as `httpmethod`.
fn letters(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
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
        assert_eq!(meaning("colour", &operation), None);
        assert_eq!(meaning("host", &operation), None);
    }
}
