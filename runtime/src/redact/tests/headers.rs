//! Masked headers and query parameters, and URLs in other headers shown as a URL
//! is, with credential values masked.

use super::*;

#[test]
fn masked_headers_are_found_in_any_case_and_the_usual_response_headers_pass_their_shape_check() {
    let mut redactor = Redactor::new();
    redactor.mask_header("X-Session");
    for name in SENSITIVE_HEADERS.iter().copied().chain(["x-session"]) {
        for written in [name.to_string(), name.to_ascii_uppercase()] {
            assert!(redactor.is_sensitive_header(&written), "{written}");
        }
    }
    let usual = [
        "date",
        "server",
        "content-type",
        "content-length",
        "cache-control",
        "x-request-id",
        "vary",
        "etag",
        "x-ratelimit-limit",
        "strict-transport-security",
        "access-control-allow-origin",
        "user-agent",
    ];
    let default = Redactor::new();
    for name in usual {
        assert!(!redactor.is_sensitive_header(name), "{name}");
        let compared = default.masks.header_shapes & shape_bit(name) != 0;
        assert!(!compared || name == "x-request-id", "{name} is compared name by name");
    }
    assert!(!redactor.is_sensitive_header(""));
}

#[test]
fn a_url_in_any_other_header_is_shown_as_a_url_is() {
    let redactor = Redactor::new();
    let shown = |name: &str, value: &str| redactor.header_value(name, value);
    assert_eq!(shown("Link", "<https://u:pw@h.example/n>; rel=next"), "<https://h.example/n>; rel=next");
    assert_eq!(shown("Refresh", "5; url=//u:pw@h.example/"), "5; url=//h.example/");
    assert_eq!(shown("X-Links", "a,https://u:pw@h.example/b"), "a,https://h.example/b");
    // a URL in another's query, percent-encoded, as a redirect's target may be
    let nested = "<https://app.example/login?next=https%3A%2F%2Fagent%3Apa55%40app.example%2F>; rel=next";
    assert!(!shown("Link", nested).contains("pa55"), "{}", shown("Link", nested));
    // an `@` that is no user info: in a path, an address, a query
    for text in [
        "<https://cdn.example/npm/@fontsource/inter@5.0.0/index.css>; rel=preload",
        "<https://social.example/@alice>; rel=me",
        "<https://h.example/a>,<mailto:ops@acme.example>",
        "ops@acme.example",
        "<https://h.example/n?by=ops@acme.example>; rel=next",
    ] {
        assert_eq!(shown("Link", text), text, "no user info to remove");
    }
    // the credential of a URL's query, as a page's `Link` to the next one may carry it
    let next = "<https://h.example/items?access_token=t0k&page=2>; rel=\"next\"";
    assert_eq!(shown("Link", next), "<https://h.example/items?access_token=***&page=2>; rel=\"next\"");
    assert_eq!(shown("X-Next", "https://h.example/x?api_key=k3y"), "https://h.example/x?api_key=***");
    assert_eq!(shown("X-Next", "https://h.example/x#token=t"), "https://h.example/x#token=***");
    // relative, as a `Link` or `Refresh` may be, and several in one value
    let both = "</items?access_token=a1&page=2>; rel=\"next\", <https://h.example/items?access_token=b2#x>; rel=last";
    let shown_both =
        "</items?access_token=***&page=2>; rel=\"next\", <https://h.example/items?access_token=***#x>; rel=last";
    assert_eq!(shown("Link", both), shown_both);
    assert_eq!(shown("Refresh", "0; url=/login?token=t"), "0; url=/login?token=***");
    // punctuation that ends a sentence is no part of the value
    assert_eq!(shown("X-Note", "is https://h.example/x?token=abc, right?"), "is https://h.example/x?token=***, right?");
    assert_eq!(shown("X-Note", "see [next](/x?token=abc) now"), "see [next](/x?token=***) now");
    // a query in a fragment (a single-page app's route), in a value, or after an empty one
    for (text, masked) in [
        ("https://app.example/#/reset?token=h1", "https://app.example/#/reset?token=***"),
        ("/x?next=/y?token=n2", "/x?next=/y?token=***"),
        ("#?token=q3", "#?token=***"),
        ("??token=d4", "??token=***"),
        ("?color=#fff&token=c5", "?color=#fff&token=***"),
    ] {
        assert_eq!(shown("X-Note", text), masked);
    }
    assert_eq!(shown("Location", "https://app.example/#/reset?token=h1"), "https://app.example/#/reset?token=***");
    assert_eq!(shown("Location", "/#/reset?token=h1"), "/#/reset?token=***");
    // nothing to mask: the text as it was, byte for byte
    for text in ["<https://h.example/items?page=2>; rel=next", "https://h.example", "why? because", "a ? b #c"] {
        assert_eq!(shown("X-Next", text), text);
    }
}

#[test]
fn url_headers_are_shown_as_urls_whatever_their_form_and_case() {
    let redactor = Redactor::new();
    let shown = |name: &str, value: &str| redactor.header_value(name, value);
    assert_eq!(shown("Location", "https://u:pw@h.example/x?token=t"), "https://h.example/x?token=***");
    assert_eq!(shown("location", "/login?api_key=k&next=1"), "/login?api_key=***&next=1");
    assert_eq!(shown("CONTENT-LOCATION", "//u:pw@h.example/x"), "//h.example/x");
    assert_eq!(shown("location", "not a url ?q=t"), "not a url ?q=t", "text stays text");
    // a relative path, as a 201 may send it, and what no URL parser reads: masked as written
    assert_eq!(shown("location", "sessions/7?access_token=t&q=1"), "sessions/7?access_token=***&q=1");
    assert_eq!(shown("location", "../s/7?x=1#token=t"), "../s/7?x=1#token=***");
    assert_eq!(shown("location", "not a url ?token=t"), "not a url ?token=***");
    // an OAuth 2.0 redirect's token is in the fragment
    assert_eq!(
        shown("Location", "https://app.example/cb#access_token=t&token_type=bearer"),
        "https://app.example/cb#access_token=***&token_type=bearer"
    );
    assert_eq!(shown("location", "/cb?state=s#id_token=i"), "/cb?state=s#id_token=***");
    assert_eq!(shown("x-next", "/login?api_key=k"), "/login?api_key=***", "a key is masked in any header");
    let url = Url::parse("https://h.example/cb?refresh_token=r&id_token=i&sig=s&X-Api-Key=k&page=2").unwrap();
    assert_eq!(redactor.url(&url), "https://h.example/cb?refresh_token=***&id_token=***&sig=s&X-Api-Key=***&page=2");
}

#[test]
fn a_resource_as_written_shows_credential_values_masked_and_variables_as_they_are() {
    let mut redactor = Redactor::new();
    redactor.mask_query_param("session");
    let cleaner = redactor.cleaner();
    for (resource, shown) in [
        ("/find?api_key=abc&q={q}&page=2", "/find?api_key=***&q={q}&page=2"),
        ("/find?token={t}&api%5Fkey=abc", "/find?token={t}&api%5Fkey=***"),
        ("/find?flag&session=s-1&=x&token=", "/find?flag&session=***&=x&token="),
        ("/tickets/{id}", "/tickets/{id}"),
    ] {
        assert_eq!(cleaner.shown_resource(resource), shown, "{resource}");
    }
}

#[test]
fn masks_standard_headers_ignoring_case() {
    let redactor = Redactor::new();
    for name in ["Authorization", "PROXY-AUTHORIZATION", "cookie", "Set-Cookie"] {
        assert_eq!(redactor.header_value(name, "x"), MASK);
    }
    assert_eq!(redactor.header_value("Accept", "x"), "x");
}

#[test]
fn configured_names_are_masked() {
    let mut redactor = Redactor::new();
    redactor.mask_header("X-Api-Key");
    redactor.mask_query_param("key");
    assert_eq!(redactor.header_value("x-api-key", "k"), MASK);
    // names of 63 bytes and more share one length bit: each is still compared whole
    let long = format!("x-{}", "a".repeat(70));
    redactor.mask_header(&long.to_ascii_uppercase());
    assert_eq!(redactor.header_value(&long, "k"), MASK);
    assert_eq!(redactor.header_value(&format!("x-{}", "b".repeat(70)), "k"), "k");
    let url = Url::parse("http://h.example/p?key=k1&q=a%20b").unwrap();
    assert_eq!(redactor.url(&url), "http://h.example/p?key=***&q=a%20b", "the rest as it was sent");
}

#[test]
fn a_secret_in_a_url_header_is_masked_as_sent_before_the_url_is_parsed() {
    let redactor = Redactor::new();
    for secret in ["a'b`c-123", "pa/ss word|1"] {
        redactor.add_secret(&SecretString::from(secret));
    }
    // parsed first, `'` in the query became `%27` and the space in the path `%20`
    assert_eq!(redactor.header_value("Location", "/x?q=a'b`c-123&page=2"), "/x?q=***&page=2");
    assert_eq!(redactor.header_value("Location", "https://h.example/x/pa/ss word|1/y"), "https://h.example/x/***/y");
}

#[test]
fn a_url_header_no_parser_reads_shows_no_user_info() {
    let redactor = Redactor::new();
    for (location, shown) in [
        ("https://agent:pa/ss@api.example/next", "https://***@api.example/next"),
        ("https://agent:p?ss@api.example/next?page=2", "https://***@api.example/next?***"),
        ("https://agent:p#ss@api.example/next", "https://***@api.example/next"),
        ("//agent:pa/ss@api.example/next", "***@api.example/next"),
        // no user info: the query's sensitive values alone are masked, as written
        ("sessions/7?token=t&page=2", "sessions/7?token=***&page=2"),
        // a relative one has no authority: an `@` in it is no user info's end
        ("users/a@b.example?page=2", "users/a@b.example?page=2"),
        ("confirm?email=ops@corp.example&token=t", "confirm?email=ops@corp.example&token=***"),
        // a URL in its query is no scheme of its own
        (
            "confirm?email=ops@corp.example&next=https://app.example/x&token=t",
            "confirm?email=ops@corp.example&next=https://app.example/x&token=***",
        ),
        // the user info of a URL in the query, of a relative or an absolute one
        ("login?next=https://agent:pw0rd@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
        (
            "https://h.example/login?next=https://agent:pw0rd@api.example/",
            "https://h.example/login?next=https://***@api.example/",
        ),
        // percent-encoded, as a query value the runtime builds; a password with a `/`; a scheme-relative URL
        (
            "/login?next=https%3A%2F%2Fagent%3Apw0rd%40api.example%2F&page=2",
            "/login?next=https%3A%2F%2F***%40api.example%2F&page=2",
        ),
        ("login?next=https://agent:pa/ss@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
        ("login?next=//agent:pw0rd@api.example/&page=2", "login?next=//***@api.example/&page=2"),
        // a password may hold `+`: an e-mail address after a URL in the same value masks too much
        ("login?next=https://agent:pw+rd@api.example/&page=2", "login?next=https://***@api.example/&page=2"),
        ("search?q=see+https://app.example+or+mail+ops@corp.example", "search?q=see+https://***@corp.example"),
        // twice encoded, a redirect in a redirect; a backslash form
        (
            "cb?next=https%253A%252F%252Fagent%253Apw0rd%2540api.example%252F",
            "cb?next=https%253A%252F%252F***%2540api.example%252F",
        ),
        ("cb?next=\\\\agent:pw0rd@api.example/", "cb?next=\\\\***@api.example/"),
        // a password holding `?`
        ("cb?next=https://agent:p?ss@api.example/x&page=2", "cb?next=https://***@api.example/x&page=2"),
        // the URL's own query is no user info
        (
            "/authorize?redirect_uri=https://app.example/cb?login_hint=ops@corp.example&state=1",
            "/authorize?redirect_uri=https://app.example/cb?login_hint=ops@corp.example&state=1",
        ),
        // read as the URL library reads them: without control characters and spaces around
        ("\u{1}https://agent:pa/ss@api.example/next", "\u{1}https://***@api.example/next"),
        (" //agent:pw0rd@api.example/next", "//api.example/next"),
    ] {
        assert_eq!(redactor.header_value("Location", location), shown, "{location}");
    }
    // an authority after a slash and a backslash, as browsers read them
    for location in ["/\\agent:pa/ss@api.example/next", "\\/agent:pa/ss@api.example/next"] {
        let shown = redactor.header_value("Location", location);
        assert!(!shown.contains("agent") && !shown.contains("ss@"), "{location}: {shown}");
    }
    // a scheme without `//`, which browsers read as one with it
    for location in ["https:user:p/ss@host.example/x", "http:/user:p/ss@host.example/x"] {
        let shown = redactor.header_value("Location", location);
        assert!(!shown.contains("user") && !shown.contains("ss@"), "{location}: {shown}");
    }
}

#[test]
fn a_credential_parameter_whose_name_holds_a_known_secret_still_has_its_value_masked() {
    let redactor = Redactor::new();
    for secret in ["ok", "pass"] {
        redactor.add_secret(&SecretString::from(secret));
    }
    // the secret masked first, the name no longer reads as `token` or `password`
    let note = redactor.text_and_urls("see https://x.example/p?token=abcdef&x=1 or /login?password=zzz");
    assert_eq!(note, "see https://x.example/p?t***en=***&x=1 or /login?***word=***");
    assert_eq!(redactor.header_value("Location", "/cb?token=abcdef&x=1"), "/cb?t***en=***&x=1");
    assert_eq!(redactor.header_value("Link", "<https://h.example/n?token=abcdef>"), "<https://h.example/n?t***en=***>");
    let url = Url::parse("https://h.example/cb?token=abcdef&x=1").unwrap();
    assert_eq!(redactor.url(&url), "https://h.example/cb?t***en=***&x=1");
}

#[test]
fn a_masked_query_parameter_leaves_the_others_as_they_were_sent() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("Zm9v+YmFy/cXV4=="));
    let url = Url::parse("https://h.example/cb?token=t&echo=Zm9v+YmFy/cXV4==&q=a%20b+c").unwrap();
    // written again, `/` would be `%2F` and `=` `%3D`: a form of the secret no scan knows
    assert_eq!(redactor.url(&url), "https://h.example/cb?token=***&echo=***&q=a%20b+c");
}
