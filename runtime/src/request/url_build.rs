//! Building a request URL: base URL + rendered path + query (RELIABILITY 10-13).
//!
//! Every value is encoded by the URL library: path values by `percent-encoding`,
//! query values by `form_urlencoded` (in the template's query, which keeps its own
//! text, checked when the definitions were read) and `query_pairs_mut` (extra pairs).

use conv_api_definitions::{path_value_length, Piece, Template, TemplateError};
use url::Url;

use crate::display_text::shown_name;
use crate::error::{Error, ErrorKind, Result};

/// The URL of a call: `base` + the template's path with `args`, then the template's
/// query as written with `args` encoded in it, then `extra` pairs, which the URL
/// library encodes.
///
/// Only the path is parsed for each call: the base URL, parsed once, keeps its
/// scheme and host (parsing a host costs more than the rest of the URL together).
pub(crate) fn build_url(base: &Url, template: &Template, args: &[&str], extra: &[(String, String)]) -> Result<Url> {
    let base_path = base.path().trim_end_matches('/');
    let mut path = String::with_capacity(base_path.len() + template.source.value.len() + 16);
    path.push_str(base_path);
    template.render_path_into(&mut path, args).map_err(template_error)?;
    let mut url = base.clone();
    url.set_path(&path);
    check_same_shape(base, &url)?;
    let query = template.render_query(args).map_err(template_error)?;
    if !query.is_empty() {
        url.set_query(Some(&query));
    }
    if !extra.is_empty() {
        url.query_pairs_mut().extend_pairs(extra);
    }
    if url.as_str().len() > MAX_URL_BYTES {
        return Err(too_long(&url, "", &longest_value(&url, template, args, extra)));
    }
    Ok(url)
}

/// An `InvalidArgument` error when `url`, which holds the API key in its query, is
/// longer than [`MAX_URL_BYTES`].
pub(crate) fn check_length_with_api_key(url: &Url) -> Result<(), Error> {
    if url.as_str().len() <= MAX_URL_BYTES {
        return Ok(());
    }
    Err(too_long(url, " with the API key in its query", ""))
}

/// The error of a URL longer than [`MAX_URL_BYTES`]; `with` says what it holds beyond
/// the call's values (an API key), `longest` which of them makes it long.
fn too_long(url: &Url, with: &str, longest: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!(
            "the URL would be {} bytes long{with}, more than the {MAX_URL_BYTES} an HTTP request can carry{longest}; send long values in the body (`.json(..)`, `.form(..)`) instead; nothing was sent",
            url.as_str().len()
        ),
    )
}

/// ` (most of it is path variable `id`'s value)`: the value, or query parameter,
/// that takes half the URL or more, when one does; empty when none does (a call of
/// many values). A variable counts as encoded wherever it stands, in the path and in
/// the query. Never the length: a value may be a credential.
fn longest_value(url: &Url, template: &Template, args: &[&str], extra: &[(String, String)]) -> String {
    let times_in =
        |pieces: &[Piece], index: usize| pieces.iter().filter(|&piece| *piece == Piece::Variable(index)).count();
    let variable_values = (template.variables.iter().zip(args).enumerate()).map(|(index, (name, value))| {
        let in_path = times_in(&template.path, index);
        let kind = if in_path > 0 { "path variable" } else { "query variable" };
        let length = in_path * path_value_length(value) + times_in(&template.query, index) * in_query_length(value);
        (kind, name.as_ref(), length)
    });
    let query_pairs = extra
        .iter()
        .map(|(name, value)| ("query parameter", name.as_str(), in_query_length(name) + in_query_length(value) + 2));
    match variable_values.chain(query_pairs).max_by_key(|(_, _, length)| *length) {
        Some((kind @ ("path variable" | "query variable"), name, length)) if length * 2 >= url.as_str().len() => {
            format!(" (most of it is {kind} `{}`'s value)", shown_name(name))
        }
        Some((kind, name, length)) if length * 2 >= url.as_str().len() => {
            format!(" (most of it is {kind} `{}`)", shown_name(name))
        }
        _ => String::new(),
    }
}

/// How many bytes `text` takes in a URL's query, form-encoded (a space as `+`).
fn in_query_length(text: &str) -> usize {
    url::form_urlencoded::byte_serialize(text.as_bytes()).map(str::len).sum()
}

/// The longest URL the HTTP client sends (`http::Uri`'s limit).
const MAX_URL_BYTES: usize = u16::MAX as usize - 1;

/// The URL keeps the base URL's scheme, host, port and path (RELIABILITY 12).
fn check_same_shape(base: &Url, url: &Url) -> Result<()> {
    // compared part by part: `Url::origin` copies the scheme and host
    let same_origin = base.scheme() == url.scheme()
        && base.host() == url.host()
        && base.port_or_known_default() == url.port_or_known_default();
    let base_path = base.path().trim_end_matches('/');
    if same_origin && url.path().starts_with(base_path) && url.fragment().is_none() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidArgument,
        format!(
            "the path variables would move the request away from the base URL `{}`; nothing was sent",
            conv_api_definitions::urls::shown(base.as_str())
        ),
    ))
}

fn template_error(error: TemplateError) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("{error}; nothing was sent"))
}

#[cfg(test)]
mod tests {
    use conv_api_definitions::Span;

    use super::*;

    fn build(base: &str, resource: &str, args: &[&str], extra: &[(&str, &str)]) -> Result<String> {
        let template = Template::parse(resource, Span::new(1, 1)).unwrap();
        let extra: Vec<(String, String)> = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        build_url(&Url::parse(base).unwrap(), &template, args, &extra).map(String::from)
    }

    #[test]
    fn joins_base_path_and_encodes_values() {
        let url = build("https://h.example/api/v2/", "/tickets/{id}", &["Hello World!"], &[]).unwrap();
        assert_eq!(url, "https://h.example/api/v2/tickets/Hello%20World%21");
        let url = build("https://h.example/api", "/t/{id}", &["a/b?c#d%e"], &[]).unwrap();
        assert_eq!(url, "https://h.example/api/t/a%2Fb%3Fc%23d%25e");
    }

    #[test]
    fn query_pairs_follow_the_template_query() {
        let url = build("http://127.0.0.1:9/x", "/s?q={term}&limit=10", &["a&b=c"], &[("page", "2 3")]).unwrap();
        assert_eq!(url, "http://127.0.0.1:9/x/s?q=a%26b%3Dc&limit=10&page=2+3");
        let url = build("http://127.0.0.1:9/x", "/kv?{key}={value}", &["a b&c=", "1"], &[]).unwrap();
        assert_eq!(url, "http://127.0.0.1:9/x/kv?a+b%26c%3D=1", "a variable naming a parameter is encoded as a name");
    }

    #[test]
    fn the_template_query_is_sent_as_written() {
        let url = build("https://h.example/v1", "/s?name=caf%E9&flag&f[a]=b|c&q={q}", &["x y"], &[("page", "2")]);
        assert_eq!(url.unwrap(), "https://h.example/v1/s?name=caf%E9&flag&f[a]=b%7Cc&q=x+y&page=2");
    }

    /// The definitions refuse such templates; the runtime still checks the URL's shape
    /// for templates built another way.
    #[test]
    fn a_template_with_its_own_dot_segment_is_refused() {
        use conv_api_definitions::{Piece, Spanned};
        use std::borrow::Cow;
        for literal in ["/..", "/a/../../x/", "/%2e%2E/"] {
            let template = Template {
                source: Spanned::new(Cow::Borrowed(literal), Span::default()),
                path: Cow::Owned(vec![Piece::Literal(Cow::Borrowed(literal))]),
                query: Cow::Borrowed(&[]),
                variables: Cow::Borrowed(&[]),
            };
            let error = build_url(&Url::parse("https://u:s3cret@h.example/api/v2").unwrap(), &template, &[], &[]);
            let error = error.unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{literal}");
            assert!(error.to_string().contains("`https://***@h.example/api/v2`"), "{error}");
        }
    }

    #[test]
    fn a_url_longer_than_a_request_can_carry_is_an_invalid_argument() {
        let fits = "a".repeat(65_534 - "https://x.example/v1/t/".len());
        assert_eq!(build("https://x.example/v1", "/t/{id}", &[&fits], &[]).unwrap().len(), 65_534);
        let error = build("https://x.example/v1", "/t/{id}", &[&(fits + "a")], &[]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(
            error.to_string().contains("the URL would be 65535 bytes long, more than the 65534 an HTTP request can carry (most of it is path variable `id`'s value); send long values in the body"),
            "{error}"
        );
        let long = "b".repeat(70_000);
        let error = build("https://x.example/v1", "/t/{a}/{b}", &["x", "y"], &[("q", &long), ("r", "s")]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("(most of it is query parameter `q`)"), "{error}");
    }

    /// What a value takes in the URL, encoded, decides; a parameter's name counts, a
    /// length is never told, and no value is named where none makes the URL long.
    #[test]
    fn a_url_too_long_names_the_value_that_makes_it_long_if_one_does() {
        let too_long = |args: &[&str], extra: &[(String, String)]| {
            build(
                "https://x.example/v1",
                "/t/{a}",
                args,
                &extra.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>(),
            )
            .unwrap_err()
            .to_string()
        };
        // a variable of the path only counts there only: 30,000 bytes of 66,000 are less than the parameter's 36,000
        let message = too_long(&[&"a".repeat(30_000)], &[("p".into(), "b".repeat(36_000))]);
        assert!(message.contains("(most of it is query parameter `p`)"), "{message}");
        // 22,000 `/` take 66,000 bytes encoded, more than 30,000 letters
        let message = too_long(&[&"/".repeat(22_000)], &[("q".into(), "b".repeat(30_000))]);
        assert!(message.contains("(most of it is path variable `a`'s value)"), "{message}");
        // a space in a query is one byte, `+`
        let message = too_long(&[&"a".repeat(40_000)], &[("q".into(), " ".repeat(26_000))]);
        assert!(message.contains("(most of it is path variable `a`'s value)"), "{message}");
        let message = too_long(&["x"], &[("n".repeat(70_000), String::new())]);
        assert!(message.contains(&format!("(most of it is query parameter `{}", "n".repeat(90))), "{message}");
        assert!(!message.contains("bytes)"), "{message}");
        // a variable of the query only is form-encoded there, and named as one
        let message = build("https://x.example", "/t/{a}?q={q}", &[&"a".repeat(20_000), &" ".repeat(50_000)], &[])
            .unwrap_err()
            .to_string();
        assert!(message.contains("(most of it is query variable `q`'s value)"), "{message}");
        // and counted in the query only: 30,000 bytes of 66,000 are less than the parameter's 36,000
        let message = build("https://x.example", "/t?q={q}", &[&"a".repeat(30_000)], &[("p", &"b".repeat(36_000))])
            .unwrap_err()
            .to_string();
        assert!(message.contains("(most of it is query parameter `p`)"), "{message}");
        // one in both, counted in both: 2 x 24,000 bytes of 68,000
        let args = [&"a".repeat(24_000), &"b".repeat(20_000)];
        let message =
            build("https://x.example", "/t/{a}/{b}?a={a}", &args.map(String::as_str), &[]).unwrap_err().to_string();
        assert!(message.contains("(most of it is path variable `a`'s value)"), "{message}");
        // the longest value, 30,000 bytes of 70,000, is no more named than a parameter would be
        let args = [&"a".repeat(30_000), &"b".repeat(20_000)];
        let message =
            build("https://x.example", "/t/{a}/{b}", &args.map(String::as_str), &[("q", &"c".repeat(20_000))])
                .unwrap_err()
                .to_string();
        assert!(!message.contains("most of it"), "{message}");
        let mut many: Vec<(String, String)> = (0..12_000).map(|i| (format!("p{i}"), "1".to_string())).collect();
        many.push(("api_key".into(), "sk-live-0123456789abcdef".into()));
        let message = too_long(&["x"], &many);
        assert!(message.contains("an HTTP request can carry; send long values"), "{message}");
        assert!(!message.contains("api_key") && !message.contains("24"), "{message}");
    }

    /// Half the URL is the line: `?q=` and the value, counted whole, from exactly half on.
    #[test]
    fn a_parameter_is_named_from_half_the_url_on() {
        let too_long = |path: usize, value: usize| {
            let url = build("https://x.example/v1", "/t/{a}", &[&"a".repeat(path)], &[("q", &"b".repeat(value))]);
            let message = url.unwrap_err().to_string();
            let length = format!("would be {} bytes long", 26 + path + value);
            assert!(message.contains(&length), "{message}");
            message
        };
        // `https://x.example/v1/t/` and the path value, then `?q=` and the value: 26 + 32,760 + 32,780
        let message = too_long(32_760, 32_780);
        assert!(message.contains("(most of it is query parameter `q`)"), "3 + 32,780 of 65,566 bytes: {message}");
        let message = too_long(32_761, 32_779);
        assert!(!message.contains("most of it"), "3 + 32,779 of 65,566 bytes: {message}");
    }

    #[test]
    fn dot_segments_and_empty_values_are_rejected() {
        for value in [".", "..", "%2e%2E", ""] {
            let error = build("https://h.example", "/t/{id}", &[value], &[]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{value}");
            assert!(error.to_string().contains("`id`"), "{error}");
        }
    }

    proptest::proptest! {
        /// RELIABILITY 12: whatever the values, the URL keeps the base's scheme, host,
        /// port and path, and each value stays one segment that decodes back to itself.
        #[test]
        fn values_never_change_the_url_shape(first in "\\PC*", second in "[./?#%@:\\\\ a-z]{0,6}") {
            let template = Template::parse("/t/{a}/x/{b}", Span::new(1, 1)).unwrap();
            let base = Url::parse("https://h.example:8443/base/v1").unwrap();
            let values = [first.as_str(), second.as_str()];
            match build_url(&base, &template, &values, &[]) {
                Ok(url) => {
                    proptest::prop_assert_eq!(url.origin(), base.origin());
                    proptest::prop_assert_eq!(url.query(), None);
                    let segments: Vec<&str> = url.path_segments().unwrap().collect();
                    proptest::prop_assert_eq!(segments.len(), 6);
                    proptest::prop_assert_eq!(&segments[..3], ["base", "v1", "t"]);
                    for (segment, value) in [(segments[3], values[0]), (segments[5], values[1])] {
                        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8().unwrap();
                        proptest::prop_assert_eq!(decoded, value);
                    }
                }
                Err(error) => {
                    let dot = |v: &str| v.is_empty() || matches!(v.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..");
                    proptest::prop_assert!(dot(values[0]) || dot(values[1]), "{}", error);
                }
            }
        }

        /// RELIABILITY 12 over many bases and templates: whatever the base URL
        /// (scheme, host, port, base path), template, values and extra query pairs,
        /// the URL keeps the base's scheme, host, port and path prefix, has no user
        /// info or fragment, and every extra pair decodes back to itself.
        #[test]
        fn any_base_and_template_keep_the_url_shape(
            base in base_url(),
            resource in proptest::sample::select(TEMPLATES),
            values in proptest::collection::vec(value(), 2),
            extra in proptest::collection::vec(("\\PC{0,6}", "\\PC{0,6}"), 0..3),
        ) {
            let template = Template::parse(resource, Span::new(1, 1)).unwrap();
            let values: Vec<&str> = values.iter().take(template.variables.len()).map(String::as_str).collect();
            match build_url(&base, &template, &values, &extra) {
                Ok(url) => {
                    proptest::prop_assert_eq!(url.scheme(), base.scheme());
                    proptest::prop_assert_eq!(url.host_str(), base.host_str());
                    proptest::prop_assert_eq!(url.port_or_known_default(), base.port_or_known_default());
                    proptest::prop_assert!(url.path().starts_with(base.path().trim_end_matches('/')), "{} under {}", url, base);
                    proptest::prop_assert!(url.username().is_empty() && url.password().is_none() && url.fragment().is_none());
                    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                    proptest::prop_assert!(pairs.ends_with(&extra), "{:?} ends with {:?}", pairs, extra);
                }
                Err(error) => {
                    proptest::prop_assert_eq!(error.kind(), ErrorKind::InvalidArgument);
                    let dot = |v: &&str| v.is_empty() || matches!(v.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..");
                    proptest::prop_assert!(values.iter().any(dot), "{}", error);
                }
            }
        }
    }

    proptest::proptest! {
        /// Setting only the path on the parsed base gives the URL that parsing the
        /// whole text would.
        #[test]
        fn the_url_is_the_one_parsing_the_whole_text_gives(
            base in base_url(),
            resource in proptest::sample::select(TEMPLATES),
            values in proptest::collection::vec(value(), 2),
        ) {
            let template = Template::parse(resource, Span::new(1, 1)).unwrap();
            let values: Vec<&str> = values.iter().take(template.variables.len()).map(String::as_str).collect();
            if let Ok(url) = build_url(&base, &template, &values, &[]) {
                let mut text = base.as_str().trim_end_matches('/').to_string();
                template.render_path_into(&mut text, &values).unwrap();
                let query = template.render_query(&values).unwrap();
                if !query.is_empty() {
                    text.push('?');
                    text.push_str(&query);
                }
                let whole = Url::parse(&text).unwrap();
                proptest::prop_assert_eq!(url.as_str(), whole.as_str());
            }
        }
    }

    /// Templates of every shape, dot segments of their own (resolved within the
    /// resource) among them.
    const TEMPLATES: &[&str] = &[
        "/t/{a}",
        "/{a}/{b}",
        "/x/{a}-{b}.json",
        "/s?q={a}&n={b}",
        "/{a}?b={b}&fixed=1",
        "/",
        "/items",
        "/{a}/../{b}",
        "/v1/./%2E%2e/v2/.{a}/{b}.",
    ];

    /// Base URLs of either scheme, with or without a port and a base path.
    fn base_url() -> impl proptest::strategy::Strategy<Value = Url> {
        use proptest::strategy::Strategy;
        let host = "[a-z][a-z0-9-]{0,8}(\\.[a-z]{2,4})?|127\\.0\\.0\\.1";
        let segments = proptest::collection::vec("[A-Za-z0-9_~-]{1,6}|%7E[a-z]{1,3}", 0..3);
        (proptest::bool::ANY, host, proptest::option::of(1u16..), segments).prop_filter_map(
            "a valid base URL",
            |(https, host, port, segments)| {
                let scheme = if https { "https" } else { "http" };
                let port = port.map(|port| format!(":{port}")).unwrap_or_default();
                Url::parse(&format!("{scheme}://{host}{port}/{}", segments.join("/"))).ok()
            },
        )
    }

    /// Any text, and the values most likely to change a URL's shape.
    fn value() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        const TRICKY: &[&str] =
            &[".", "..", "%2e%2E", "", "/", "../..", "?x=1", "#f", "a/../../b", "%", "@evil.example", "\\", "//h"];
        proptest::prop_oneof![
            3 => "\\PC{0,10}",
            2 => proptest::sample::select(TRICKY).prop_map(str::to_string),
        ]
    }
}
