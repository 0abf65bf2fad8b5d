//! Resource template expansion: the input is a template, then the variable values,
//! separated by NUL bytes. Parsing and rendering never panic, and a rendered URL
//! keeps the environment's scheme, host, port and base path (RELIABILITY 12).
#![no_main]

use conv_api_definitions::{Span, Template};
use libfuzzer_sys::fuzz_target;
use url::Url;

const BASES: [&str; 3] = ["https://h.example:8443/base/v1", "http://127.0.0.1:8080/api", "https://x.example"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\0');
    let source = parts.next().unwrap_or_default();
    let values: Vec<&str> = parts.collect();
    // a template's own dot segments stay within it: one climbing out is refused here
    let Ok(template) = Template::parse(source, Span::new(1, 1)) else { return };
    let values: Vec<&str> = (0..template.variables.len()).map(|i| values.get(i).copied().unwrap_or("v")).collect();
    let (Ok(path), Ok(query)) = (template.render_path(&values), template.render_query(&values)) else { return };
    for base in BASES {
        check(&Url::parse(base).unwrap(), &path, &query);
    }
});

/// The URL the runtime builds from `base`, `path` and `query` keeps the base's shape,
/// and the query is sent as rendered (the URL library encodes `'` in it, as it must in
/// an `http` or `https` URL).
fn check(base: &Url, path: &str, query: &str) {
    let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
    let mut url = Url::parse(&joined).unwrap_or_else(|error| panic!("`{joined}` does not parse: {error}"));
    if !query.is_empty() {
        url.set_query(Some(query));
    }
    assert_eq!(url.scheme(), base.scheme());
    assert_eq!(url.host_str(), base.host_str());
    assert_eq!(url.port_or_known_default(), base.port_or_known_default());
    assert!(url.path().starts_with(base.path().trim_end_matches('/')), "{url} is not under {base}");
    assert!(url.username().is_empty() && url.password().is_none() && url.fragment().is_none(), "{url}");
    assert_eq!(url.query().unwrap_or_default(), query.replace('\'', "%27"), "{url}");
}
