//! User info in URLs anywhere in a text: where a URL starts and ends, URLs nested
//! in others, quotes, and forms written without their slashes.

use super::*;

#[test]
fn each_url_in_a_note_loses_its_user_info_whatever_its_scheme_place_and_neighbours() {
    let redactor = Redactor::new();
    let shown = |value: &str| redactor.header_value("X-Note", value);
    // a scheme of two letters, and a URL no parser reads, shown as in a `Location` header
    assert_eq!(shown("copy s3://AKIAEXAMPLE:s3cr3t@bucket.example/key"), "copy s3://bucket.example/key");
    assert_eq!(shown("live ws://agent:pw0rd@h.example/live"), "live ws://h.example/live");
    assert_eq!(shown("see https://agent:pa/ss@api.example/next"), "see https://***@api.example/next");
    // after a sign that opens no value, as a Markdown link writes one
    assert_eq!(shown("[docs](https://u:pw@h.example/x)"), "[docs](https://h.example/x)");
    // a scheme-relative one at the very start, and the second of two far into a text
    assert_eq!(shown("//u:pw@h.example/x"), "//h.example/x");
    assert_eq!(
        shown("moved from https://old.example/ to https://u:pw@h.example/"),
        "moved from https://old.example/ to https://h.example/"
    );
    // a `//` inside a path starts no URL: the `@` after it is no user info's end
    assert_eq!(shown("GET /v1//alice@corp.example/keys"), "GET /v1//alice@corp.example/keys");
}

#[test]
fn a_url_inside_another_urls_query_loses_its_user_info_too() {
    let redactor = Redactor::new();
    let location = |value: &str| redactor.header_value("Location", value);
    assert_eq!(
        location("/login?next=https://u:pw@a.example/?r=https://v:pw2@b.example/"),
        "/login?next=https://***@a.example/?r=https://***@b.example/"
    );
    let nested = "https://h.example/login?next=https://a.example/cb?r=https://v:pw2@b.example/";
    assert_eq!(location(nested), "https://h.example/login?next=https://a.example/cb?r=https://***@b.example/");
    assert_eq!(redactor.url(&Url::parse(nested).unwrap()), location(nested));
}

#[test]
fn past_eight_urls_nested_in_one_value_the_rest_of_it_is_hidden_if_it_may_hold_user_info() {
    let redactor = Redactor::new();
    let location = |value: &str| redactor.header_value("Location", value);
    let nested = |depth: usize, last: &str| {
        let hops: String = (0..depth).map(|hop| format!("https://hop{hop}.example/cb?r=")).collect();
        format!("/login?next={hops}{last}&lang=en")
    };
    // the eighth URL is read as any other; the next, and all after it, are hidden
    let eighth = nested(7, "https://v:pw@b.example/");
    assert_eq!(location(&eighth), eighth.replace("v:pw", "***"));
    let ninth = nested(8, "https://v:pw@b.example/");
    assert_eq!(location(&ninth), nested(8, "https://***"));
    // with no `@` in them, they are shown as written
    let harmless = nested(40, "https://b.example/");
    assert_eq!(location(&harmless), harmless);
}

#[test]
fn a_url_written_without_its_slashes_loses_its_user_info_as_browsers_read_it() {
    let redactor = Redactor::new();
    let link = |value: &str| redactor.header_value("Link", value);
    assert_eq!(link(r#"<https:/u:pw@h.example/x>; rel="next""#), r#"<https://h.example/x>; rel="next""#);
    assert_eq!(link("see HTTPS:u:pw@h.example/x then"), "see https://h.example/x then");
    assert_eq!(link(r"wss:\\u:pw@h.example/live"), "wss://h.example/live");
    assert_eq!(link("1.ftp:/u:pw@h.example/f"), "1.ftp://h.example/f");
    assert_eq!(redactor.header_value("Location", "\0https:/u:pw@h.example/x"), "https://h.example/x");
    // read as a URL, with no user info to mask
    assert_eq!(link("https:/h.example/x?a=b@c"), "https://h.example/x?a=b@c");
    // no special scheme: as written
    for kept in ["mailto:ops@corp.example", "urn:x@y", "at 12:30 by ops@corp.example", "xhttps:u:pw@h"] {
        assert_eq!(link(kept), kept);
    }
}

#[test]
fn a_quote_in_a_urls_user_info_is_read_as_part_of_it() {
    let redactor = Redactor::new();
    let note = |value: &str| redactor.header_value("X-Note", value);
    assert_eq!(note("see https://u:p'ss@h.example/x now"), "see https://h.example/x now");
    assert_eq!(note(r#"<https://o'brien:pw@h.example/x>; rel="next""#), r#"<https://h.example/x>; rel="next""#);
    assert_eq!(note("see https:u:p\"ss@h.example/x now"), "see https://h.example/x now");
    assert_eq!(note("see https://ops@corp.example:p'ss@h.example/x now"), "see https://h.example/x now");
    // a quote that ends a URL stays one
    for kept in ["'https://h.example/x' or 'ops@corp.example'", "'https://h.example' by ops@corp.example"] {
        assert_eq!(note(kept), kept);
    }
    // an `@` further than any user info from the quote: the URL ends at the quote
    let far = format!("'https://h.example'{}@corp.example", "x".repeat(USER_INFO_PAST_A_QUOTE));
    assert_eq!(note(&far), far);
}

#[test]
fn a_url_right_after_a_number_dots_or_dashes_loses_its_user_info() {
    let redactor = Redactor::new();
    for (before, note) in [("see ...", "see ..."), ("1.", "1."), ("--", "--"), ("+", "+"), ("(", "(")] {
        let shown = redactor.header_value("X-Note", &format!("{before}https://u:pw@h.example/x"));
        assert_eq!(shown, format!("{note}https://h.example/x"), "{before}");
    }
}

#[test]
fn the_user_info_of_each_url_in_a_query_is_masked_once_from_where_its_value_starts() {
    let redactor = Redactor::new();
    let shown = |location: &str| redactor.header_value("Location", location);
    // a URL in each of two values, and one at the start of a query
    assert_eq!(
        shown("/cb?a=https://u:pw@x.example/&b=https://v:pw2@y.example/"),
        "/cb?a=https://***@x.example/&b=https://***@y.example/"
    );
    assert_eq!(shown("/cb?//agent:pw0rd@h.example/"), "/cb?//***@h.example/");
    // a `://` inside a value's user info is masked with it
    assert_eq!(shown("/cb?next=https://x://agent:pw0rd@h.example/"), "/cb?next=https://***@h.example/");
    // a `//` inside a value starts no URL
    assert_eq!(shown("/cb?path=/v1//alice@corp.example/keys"), "/cb?path=/v1//alice@corp.example/keys");
}

#[test]
fn a_url_with_a_user_name_alone_or_a_password_alone_shows_neither() {
    let redactor = Redactor::new();
    for (url, shown) in [
        ("https://ghp_T0kenAsUser@git.example/o/r.git", "https://git.example/o/r.git"),
        ("https://:pa55word@h.example/x?page=2", "https://h.example/x?page=2"),
    ] {
        assert_eq!(redactor.url(&Url::parse(url).unwrap()), shown, "{url}");
    }
}

#[test]
fn url_without_query_keeps_no_question_mark() {
    let url = Url::parse("https://u:p@h.example/a/b").unwrap();
    assert_eq!(Redactor::new().url(&url), "https://h.example/a/b");
}

#[test]
fn a_url_inside_another_urls_path_loses_its_user_info_too() {
    let redactor = Redactor::new();
    for (value, shown) in [
        ("/fetch/https://u:pw0rdxx@b.example/", "/fetch/https://***@b.example/"),
        (
            "https://proxy.example/fetch/https://u:pw0rdxx@b.example/x?q=1",
            "https://proxy.example/fetch/https://***@b.example/x?q=1",
        ),
        // the path's own `@` is no user info
        ("/users/ops@corp.example/keys", "/users/ops@corp.example/keys"),
        ("https://h.example/v1//alice@corp.example/keys", "https://h.example/v1//alice@corp.example/keys"),
    ] {
        assert_eq!(redactor.header_value("Location", value), shown, "{value}");
    }
    let url = Url::parse("https://proxy.example/fetch/https://u:pw0rdxx@b.example/").unwrap();
    assert_eq!(redactor.url(&url), "https://proxy.example/fetch/https://***@b.example/");
    // URLs joined by a comma: the second is in the first one's path
    let joined = redactor.header_value("X-Note", "see https://u:pw0rdxx@b.example/,https://v:pw1rdxx@c.example/ now");
    assert_eq!(joined, "see https://b.example/,https://***@c.example/ now");
}

#[test]
fn a_url_written_without_its_slashes_in_a_query_or_fragment_value_loses_its_user_info() {
    // browsers and the URL library read `https:u:pw@h` and `https:/u:pw@h` as
    // `https://u:pw@h`, in a query value as in a note
    let redactor = Redactor::new();
    assert_eq!(Url::parse("https:u:pw0rdxx@h.example/").unwrap().password(), Some("pw0rdxx"));
    for location in [
        "/cb?next=https:u:pw0rdxx@h.example/",
        "/cb?next=https:/u:pw0rdxx@h.example/",
        "https://h.example/cb?next=HTTPS:u:pw0rdxx@b.example/",
        "https://h.example/cb?next=ws:u:pw0rdxx@b.example/",
        "https://h.example/cb#https:u:pw0rdxx@b.example/",
        "/cb?next=https://a.example/cb?r=https:/u:pw0rdxx@b.example/",
    ] {
        let shown = redactor.header_value("Location", location);
        assert!(!shown.contains("pw0rdxx"), "{location} shows {shown}");
    }
    let url = Url::parse("https://h.example/cb?next=https:/u:pw0rdxx@b.example/").unwrap();
    assert!(!redactor.url(&url).contains("pw0rdxx"), "{}", redactor.url(&url));
    // a note: the second URL, in the first one's query
    let note = redactor.header_value("X-Note", "see https:/b.example/?x=1&next=https:/v:pw1rdxx@c.example/");
    assert!(!note.contains("pw1rdxx"), "{note}");
}

#[test]
fn a_percent_encoded_url_written_without_its_slashes_in_a_query_value_loses_its_user_info() {
    // as the runtime writes a query value (`.query(&[("next", "https:u:pw@..")])`)
    let redactor = Redactor::new();
    for location in [
        "/cb?next=https%3Au%3Apw0rdxx%40h.example%2F",
        "/cb?next=https%3A%2Fu%3Apw0rdxx%40h.example%2F",
        "/cb?a=1&next=https%253Au%253Apw0rdxx%2540h.example%252F",
        "https://h.example/cb?next=https:%2F%2Fu:pw0rdxx@b.example%2F",
    ] {
        for name in ["Location", "X-Note"] {
            let shown = redactor.header_value(name, location);
            assert!(!shown.contains("pw0rdxx"), "{name}: {location} shows {shown}");
        }
    }
}

#[test]
fn a_url_ends_at_a_blank_of_any_script_and_at_a_quote_after_its_path() {
    let redactor = Redactor::new();
    let note = |value: &str| redactor.header_value("X-Note", value);
    // a no-break or an em space ends a URL as a space does: the address after it is no user info
    for kept in ["see https://h.example\u{a0}ops@corp.example now", "see https://h.example\u{2003}ops@corp.example"] {
        assert_eq!(note(kept), kept);
    }
    // a quote after the path is no part of user info: the next URL is read on its own
    assert_eq!(note("'https://h.example/x'&'https://u:pw@b.example/'"), "'https://h.example/x'&'https://b.example/'");
}

#[test]
fn a_quoted_url_with_user_info_and_no_path_ends_at_its_closing_quote() {
    let redactor = Redactor::new();
    let note = |value: &str| redactor.header_value("X-Note", value);
    assert_eq!(note("curl 'https://u:pw@h.example' now"), "curl 'https://h.example/' now");
    assert_eq!(note("curl \"https://u:pw@h.example\" now"), "curl \"https://h.example/\" now");
}

#[test]
fn a_quote_early_in_a_long_password_hides_all_of_it() {
    // the `@` after the quote is further from it than the URL is from the start of the text
    let redactor = Redactor::new();
    let shown = redactor.header_value("X-Note", "see https://u:p'ssw0rd-l0ng-enough@h.example/x now");
    assert_eq!(shown, "see https://h.example/x now");
}

#[test]
fn a_url_in_the_path_of_one_on_a_short_host_name_loses_its_user_info() {
    // a host of two letters: the path, and the URL in it, start a few bytes after the scheme
    let redactor = Redactor::new();
    let url = Url::parse("https://db/ws://u:pw0rdxx@b.example/").unwrap();
    assert_eq!(redactor.url(&url), "https://db/ws://***@b.example/");
    assert_eq!(redactor.header_value("Location", url.as_str()), "https://db/ws://***@b.example/");
}

#[test]
fn a_colon_after_no_special_scheme_in_a_query_value_starts_no_user_info() {
    let redactor = Redactor::new();
    for kept in ["/cb?contact=mailto:ops@corp.example", "/cb?id=urn:ops@corp.example", "/cb?q=xhttps:ops@corp.example"]
    {
        assert_eq!(redactor.header_value("Location", kept), kept);
    }
}

#[test]
fn a_quote_in_the_user_info_of_a_url_written_with_one_slash_is_read_as_part_of_it() {
    let redactor = Redactor::new();
    let note = |value: &str| redactor.header_value("X-Note", value);
    assert_eq!(note("see https:/u:p'ss@h.example now"), "see https://h.example/ now");
    assert_eq!(note("see https:\\u:p'ss@h.example now"), "see https://h.example/ now");
}
