use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;

use super::forms::{base64_inside, encoded_forms, MIN_BASE64_INSIDE};
use super::known::{is_one_character, MAX_SECRETS};
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
fn a_secret_is_masked_as_javascript_python_and_lowercase_hex_write_it() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("p@ss!w\u{f6}rd\""));
    for written in [
        "p%40ss!w%C3%B6rd%22",   // encodeURIComponent
        "p@ss!w%C3%B6rd%22",     // encodeURI
        "p%40ss%21w%c3%b6rd%22", // lowercase hex
        "p@ss!w\u{f6}rd\\\"",    // inside a JSON string
        "p@ss!w\\u00f6rd\\\"",   // json.dumps, ASCII only
    ] {
        assert_eq!(redactor.text(&format!("echo: {written}.")), format!("echo: {MASK}."), "{written}");
    }
    // Python's `urlencode`, as `requests` sends a form: `*` encoded, `~` not, a space as `+`
    redactor.add_secret(&SecretString::from("secret value*~1234"));
    assert_eq!(redactor.text("a=secret+value%2A~1234&b=1"), format!("a={MASK}&b=1"));
    // a URL's path segment, as browsers and the `url` crate write it, and `encodeURI`
    redactor.add_secret(&SecretString::from("Ab3/Cd4 Ef5+Gh6=Ij7&Kl8%Mn9"));
    for written in ["Ab3%2FCd4%20Ef5+Gh6=Ij7&Kl8%25Mn9", "Ab3/Cd4%20Ef5+Gh6=Ij7&Kl8%25Mn9"] {
        assert_eq!(redactor.text(&format!("/v1/{written}/x")), format!("/v1/{MASK}/x"), "{written}");
    }
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

#[test]
fn a_mask_and_the_text_beside_it_do_not_make_a_secret_again() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("ab**"));
    let cleaned = redactor.text("abab** and **ab**");
    assert!(!cleaned.contains("ab**"), "{cleaned}");
}

#[test]
fn a_one_character_value_is_masked_standing_alone_and_not_through_its_encodings() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("1"));
    redactor.add_secret(&SecretString::from("A"));
    assert_eq!(redactor.text("MQTT broker at MQ host, a cat"), "MQTT broker at MQ host, a cat");
    assert_eq!(redactor.text("code 1, grade A"), "code ***, grade ***");
}

#[test]
fn secrets_are_replaced_raw_and_percent_encoded_across_clones() {
    let redactor = Redactor::new();
    let clone = redactor.clone();
    redactor.add_secret(&SecretString::from("s3cr et"));
    assert_eq!(clone.text("a s3cr et b s3cr%20et c s3cr+et"), "a *** b *** c ***");
    assert_eq!(clone.text("d czNjciBldA== e czNjciBldA"), "d *** e ***");
    assert!(!format!("{clone:?}").contains("s3cr"));
}

#[test]
fn a_redactor_debug_shows_its_masked_names_and_how_many_secrets_it_hides_never_them() {
    let mut redactor = Redactor::new();
    redactor.mask_header("X-Session");
    redactor.mask_query_param("sig");
    redactor.add_secret(&SecretString::from("s3cr3t-value"));
    let shown = format!("{redactor:?}");
    assert!(shown.starts_with("Redactor { headers: [\"authorization\""), "{shown}");
    assert!(shown.contains("\"x-session\"]") && shown.contains("\"sig\"]"), "{shown}");
    assert!(shown.ends_with("secrets: 1 hidden }"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn secrets_are_replaced_as_common_servers_escape_them() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("Zm9v+YmFy/cXV4=="));
    redactor.add_secret(&SecretString::from("pässwörd+1"));
    redactor.add_secret(&SecretString::from("kä/y<&1"));
    redactor.add_secret(&SecretString::from("del\u{7f}é-1"));
    let echoes = [
        r"kä\/y<&1",                  // PHP's json_encode with JSON_UNESCAPED_UNICODE
        r"del\u007f\u00e9-1",         // Python's json.dumps, DEL
        r"del\u007F\u00E9-1",         // .NET, DEL
        r"k\u00e4\/y<&1",             // PHP's json_encode, past ASCII and `/`
        r"kä/y\u003c\u00261",         // Go's encoding/json
        r"Zm9v+YmFy\/cXV4==",         // PHP's json_encode
        r"Zm9v\u002BYmFy/cXV4==",     // .NET's System.Text.Json
        "Zm9v%2BYmFy/cXV4%3D%3D",     // Python's urllib.parse.quote
        r"p\u00E4ssw\u00F6rd\u002B1", // .NET, past ASCII
        r"p\u00e4ssw\u00f6rd+1",      // Python's json.dumps
        r"del\u{7f}é-1",              // Rust's `{:?}`, as serde's decode errors quote a string
    ];
    for echo in echoes {
        assert_eq!(redactor.text(&format!("key {echo} refused")), "key *** refused", "{echo}");
    }
}

#[test]
fn a_secret_with_blanks_and_control_characters_is_masked_as_each_json_writer_escapes_it() {
    let redactor = Redactor::new();
    // past ASCII, so that no writer's form is serde_json's: each escape as the writer writes it
    redactor.add_secret(&SecretString::from("p\u{e4} ss\"w\\o\nr\rd\t\u{8}\u{c}\u{1}+<"));
    let echoes = [
        r#"p\u00e4 ss\"w\\o\nr\rd\t\b\f\u0001+<"#,               // Python's json.dumps
        r#"p\u00E4 ss\u0022w\\o\nr\rd\t\b\f\u0001\u002B\u003C"#, // .NET's System.Text.Json
        r#"pä ss\"w\\o\nr\rd\t\b\f\u0001+\u003c"#,               // Go's encoding/json
    ];
    for echo in echoes {
        assert_eq!(redactor.text(&format!("key {echo} refused")), "key *** refused", "{echo}");
    }
}

#[test]
fn a_secret_percent_encoded_with_lowercase_hex_is_masked_with_its_letters_as_they_are() {
    // .NET's `HttpUtility.UrlEncode` writes lowercase hex, and the letters of the value as they are
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("Up/Per CASE-9"));
    for echo in ["Up%2fPer%20CASE-9", "Up%2fPer+CASE-9"] {
        assert_eq!(redactor.text(&format!("key={echo}&n=1")), "key=***&n=1", "{echo}");
    }
}

#[test]
fn a_value_inside_a_longer_one_does_not_split_it() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("pw"));
    redactor.add_secret(&SecretString::from("agent:pw"));
    assert_eq!(redactor.text("x agent:pw y pw"), "x *** y ***");
}

#[test]
fn overlapping_secrets_are_masked_as_one() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("abc"));
    redactor.add_secret(&SecretString::from("bcde"));
    assert_eq!(redactor.text("xabcdey abc bcde"), "x***y *** ***");
    assert_eq!(redactor.text("näïve ab bcd"), "näïve ab bcd", "nothing to mask, nothing changed");
}

#[test]
fn a_secret_inside_a_longer_text_encoded_in_base64_is_masked() {
    let redactor = Redactor::new();
    let secret = "sk_live_51HqLyjWDarjtT1zdp7dc";
    redactor.add_secret(&SecretString::from(secret));
    for text in [format!("agent:{secret}"), format!(r#"{{"key":"{secret}","n":1}}"#), format!("ab{secret}")] {
        for encoded in [STANDARD.encode(&text), URL_SAFE_NO_PAD.encode(&text)] {
            let cleaned = redactor.text(&format!("Basic {encoded}"));
            assert!(cleaned.starts_with("Basic ") && cleaned.contains(MASK), "{text}: {cleaned}");
            // what is left of the encoding around the mask is at most the bytes
            // around the secret and the two characters that hold bits of both
            assert!(cleaned.len() - MASK.len() <= "Basic ".len() + encoded.len() - 4 * secret.len() / 3 + 2);
        }
    }
    // a short value is not looked for inside base64, where it would match by chance
    assert_eq!(base64_inside(b"abcde"), Vec::<String>::new());
    assert_eq!(base64_inside(b"abcdef"), ["YWJjZGVm"], "only where it starts a group of three bytes");
    assert_eq!(base64_inside(b"abcdef?~").len(), 5, "URL-safe too, where it differs");
}

proptest::proptest! {
    /// Whatever bytes are around a secret of seven bytes or more, a text holding it
    /// encoded in base64 keeps none of the characters made of the secret's bytes
    /// alone, eight in a row.
    #[test]
    fn no_secret_survives_inside_base64(
        before in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
        secret in "[ -~]{7,40}",
        after in proptest::collection::vec(proptest::num::u8::ANY, 0..8),
        url_safe: bool,
        padded: bool,
    ) {
        proptest::prop_assume!(!secret.contains('*') && secret.trim().len() == secret.len());
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from(secret.clone()));
        let bytes = [before.as_slice(), secret.as_bytes(), after.as_slice()].concat();
        let engine = match (url_safe, padded) {
            (false, true) => STANDARD,
            (false, false) => STANDARD_NO_PAD,
            (true, true) => URL_SAFE,
            (true, false) => URL_SAFE_NO_PAD,
        };
        let encoded = engine.encode(&bytes);
        let cleaned = redactor.text(&format!("data {encoded} end"));
        let (first, end) = ((8 * before.len()).div_ceil(6), 8 * (before.len() + secret.len()) / 6);
        for window in encoded.as_bytes()[first..end].windows(MIN_BASE64_INSIDE) {
            let window = std::str::from_utf8(window).unwrap_or_default();
            proptest::prop_assert!(!cleaned.contains(window), "{:?} left in {:?}", window, cleaned);
        }
    }

    /// Whatever the secrets (of two bytes or more) and the text around them, no
    /// form of any secret is left, and text with no secret comes back unchanged.
    #[test]
    fn no_form_of_a_secret_survives(
        secrets in proptest::collection::vec("[a-zA-Z0-9+/=%_ -]{2,12}|\\PC{2,6}", 1..4),
        pieces in proptest::collection::vec("\\PC{0,8}", 1..5),
    ) {
        // a secret with the mask's `*` could appear across a mask and the text after it
        proptest::prop_assume!(secrets.iter().all(|secret| !secret.contains('*')));
        let redactor = Redactor::new();
        secrets.iter().for_each(|secret| redactor.add_secret(&SecretString::from(secret.clone())));
        let all_forms: Vec<String> = secrets.iter().flat_map(|secret| encoded_forms(secret)).collect();
        // a one-character form (a value trimmed: ` .`) is masked only standing alone, tested below
        let forms: Vec<String> = all_forms.iter().filter(|form| !is_one_character(form)).cloned().collect();
        let text: String = pieces.iter().zip(forms.iter().cycle()).map(|(piece, form)| format!("{piece}{form}")).collect();
        let cleaned = redactor.text(&text);
        for form in &forms {
            proptest::prop_assert!(!cleaned.contains(form.as_str()), "{:?} left in {:?}", form, cleaned);
        }
        let plain: String = pieces.concat();
        if !all_forms.iter().any(|form| plain.contains(form.as_str())) {
            proptest::prop_assert_eq!(redactor.text(&plain), plain);
        }
    }

    /// A one-character secret is masked wherever it stands alone, between any
    /// characters that are not letters or digits.
    #[test]
    fn a_one_character_secret_standing_alone_never_survives(
        secret in "[a-zA-Z0-9]",
        pieces in proptest::collection::vec("[ ,;:=&/\"'(){}-]{1,3}", 1..5),
    ) {
        let redactor = Redactor::new();
        redactor.add_secret(&SecretString::from(secret.clone()));
        let text: String = pieces.iter().map(|piece| format!("{piece}{secret}")).collect::<String>() + " end";
        let cleaned = redactor.text(&text);
        let words: Vec<&str> = cleaned.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        proptest::prop_assert!(!words.contains(&secret.as_str()), "{:?} left in {:?}", secret, cleaned);
    }
}

#[test]
fn a_short_token_is_masked_standing_alone_and_a_secret_of_its_value_everywhere() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("order"));
    redactor.add_token(&SecretString::from("127"));
    redactor.add_token(&SecretString::from("eyJhbGciOi.long-token"));
    // a sandbox's token server handing out short tokens garbles no other text
    assert_eq!(redactor.text("GET http://127.0.0.1/h/orders/7"), "GET http://***.0.0.1/h/orders/7");
    assert_eq!(redactor.text("order 7 confirmed; Bearer order"), "*** 7 confirmed; Bearer ***");
    assert_eq!(redactor.text("{\"t\":\"order\"} a=order&b=1"), "{\"t\":\"***\"} a=***&b=1");
    assert_eq!(redactor.text("xeyJhbGciOi.long-tokenx"), "x***x", "a token of 8 characters or more, everywhere");
    // after an escape, encoded in a URL or a JSON string, it stands alone too
    let escaped = r#"?q=a%3Dorder&auth=Bearer%20order "line\norder \u0020order""#;
    assert_eq!(redactor.text(escaped), r#"?q=a%3D***&auth=Bearer%20*** "line\n*** \u0020***""#);
    assert_eq!(redactor.text("%3Dorders %ZZorder"), "%3Dorders %ZZorder");
    assert_eq!(redactor.text("?next=%2Fh%253Ftoken%253Dorder"), "?next=%2Fh%253Ftoken%253D***", "encoded twice");
    // the same value as a credential is masked everywhere, as soon as it is added
    redactor.add_secret(&SecretString::from("order"));
    assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7");
    redactor.forget_token(&SecretString::from("order"));
    assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7", "a secret stays when its token goes");
}

#[test]
fn a_token_of_eight_characters_is_masked_everywhere_and_one_of_seven_only_standing_alone() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("t0k3n-ab"));
    redactor.add_token(&SecretString::from("t0k3n-c"));
    assert_eq!(redactor.text("/h/xt0k3n-abx/7 t0k3n-ab"), "/h/x***x/7 ***", "eight characters, everywhere");
    assert_eq!(redactor.text("/h/xt0k3n-cx/7 t0k3n-c"), "/h/xt0k3n-cx/7 ***", "seven, standing alone");
    // a value a caller set is counted as a token is
    redactor.learn_hand_set("h4nd-set");
    assert_eq!(redactor.text("xh4nd-setx"), "x***x");
}

#[test]
fn a_short_token_after_what_only_looks_like_an_escape_is_not_masked() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("order"));
    // `%25` or `\u` with no hex digits after it is no escape: the value follows a letter
    let text = r"%25ZZorder %25Zorder \uZZZZorder \u00Zorder";
    assert_eq!(redactor.text(text), text);
    assert_eq!(redactor.text(r"%253Dorder \u003Dorder"), r"%253D*** \u003D***", "real escapes");
}

#[test]
fn a_forgotten_token_is_masked_no_more_unless_it_is_a_secret_too_or_added_again() {
    let redactor = Redactor::new();
    for value in ["old-token", "both", "newest-token"] {
        redactor.add_token(&SecretString::from(value));
    }
    redactor.add_secret(&SecretString::from("both"));
    for value in ["old-token", "both", "newest-token"] {
        redactor.forget_token(&SecretString::from(value));
    }
    assert_eq!(redactor.text("old-token both newest-token"), "old-token *** newest-token");
    // the newest value forgotten is found known no more, then added again
    redactor.add_token(&SecretString::from("newest-token"));
    assert_eq!(redactor.text("newest-token"), "***");
    assert_eq!(redactor.masks.secrets.snapshot().len(), 2);
}

#[test]
fn a_token_forgotten_right_after_it_was_added_is_masked_again_when_a_server_hands_it_out_again() {
    // a token server may answer a new request with the token it gave before
    let redactor = Redactor::new();
    let token = SecretString::from("same-access-token-42");
    redactor.add_token(&token);
    redactor.forget_token(&token);
    assert_eq!(redactor.text("same-access-token-42"), "same-access-token-42");
    redactor.add_token(&token);
    assert_eq!(redactor.text("Bearer same-access-token-42"), "Bearer ***");
}

#[test]
fn tokens_however_many_push_out_only_older_tokens() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("agent:hunter2"));
    redactor.add_token(&SecretString::from("first-token"));
    for n in 0..3 * MAX_SECRETS {
        redactor.add_token(&SecretString::from(format!("token-{n}")));
    }
    let last = format!("token-{}", 3 * MAX_SECRETS - 1);
    let text = format!("agent:hunter2 first-token token-0 {last}");
    assert_eq!(redactor.text(&text), "*** first-token token-0 ***");
    // a token value also added as a secret is kept as a secret
    redactor.add_token(&SecretString::from("both"));
    redactor.add_secret(&SecretString::from("both"));
    for n in 0..MAX_SECRETS + 1 {
        redactor.add_token(&SecretString::from(format!("later-{n}")));
    }
    assert_eq!(redactor.text("both later-0"), "*** later-0");
    // however many tokens become lasting, each lifetime stays within the cap
    for n in 0..MAX_SECRETS + 1 {
        redactor.add_secret(&SecretString::from(format!("lasting-{n}")));
    }
    for n in 0..10 {
        redactor.add_secret(&SecretString::from(format!("later-{}", MAX_SECRETS - n)));
    }
    // the lasting values stay at the cap, and ten tokens fewer are kept as tokens
    assert_eq!(redactor.masks.secrets.snapshot().len(), MAX_SECRETS + MAX_SECRETS - 10);
}

#[test]
fn values_callers_set_in_masked_headers_however_many_push_out_no_token_or_secret() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("agent:hunter2"));
    redactor.add_token(&SecretString::from("live-access-token-0123"));
    redactor.learn_masked_header_value(b"Bearer first-hand-set");
    // each value adds itself and its credential
    for n in 0..MAX_SECRETS {
        redactor.learn_masked_header_value(format!("Bearer caller-{n}").as_bytes());
    }
    let last = format!("caller-{}", MAX_SECRETS - 1);
    let text = format!("agent:hunter2 live-access-token-0123 first-hand-set {last}");
    assert_eq!(redactor.text(&text), "*** *** first-hand-set ***");
    // a token a caller also set is kept as a token, and a hand-set value becoming a
    // token is one
    redactor.learn_masked_header_value(b"Bearer live-access-token-0123");
    redactor.learn_masked_header_value(b"Bearer soon-a-token-456");
    redactor.add_token(&SecretString::from("soon-a-token-456"));
    for n in 0..MAX_SECRETS {
        redactor.learn_masked_header_value(format!("Bearer later-{n}").as_bytes());
    }
    assert_eq!(redactor.text("live-access-token-0123 soon-a-token-456"), "*** ***");
}

#[test]
fn a_secret_in_upper_case_is_masked_as_python_writes_it() {
    let redactor = Redactor::new();
    for secret in ["kEy-Zx9/Qw", "straße-key-98765", "clé-secrète-12345"] {
        redactor.add_secret(&SecretString::from(secret));
    }
    let echoed = "KEY-ZX9/QW STRASSE-KEY-98765 CLÉ-SECRÈTE-12345 key-zx9/qw";
    assert_eq!(redactor.text(echoed), "*** *** *** ***");
}

#[test]
fn past_the_cap_a_value_not_added_again_is_forgotten_first() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("first"));
    redactor.add_secret(&SecretString::from("in-use"));
    for n in 0..MAX_SECRETS - 2 {
        redactor.add_secret(&SecretString::from(format!("token-{n}")));
    }
    redactor.add_secret(&SecretString::from("in-use"));
    redactor.add_secret(&SecretString::from("one-more"));
    assert_eq!(redactor.text("first in-use one-more token-0"), "first *** *** ***");
}

#[test]
fn a_value_masked_in_a_text_is_in_use_and_outlives_newer_ones() {
    // a session token added once, then sent (and logged) on every call of a long
    // conversation, while a thousand others start and add their own
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("sess-0000-7f3c2a9e"));
    for n in 0..3 * MAX_SECRETS {
        redactor.add_secret(&SecretString::from(format!("sess-{n:04}-other")));
        if n % 100 == 0 {
            assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***", "after {n} others");
        }
    }
    assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***");
    assert_eq!(redactor.text("sess-0001-other"), "sess-0001-other", "one neither added again nor masked goes");
}

#[test]
fn a_value_masked_again_only_after_more_than_half_the_cap_of_newer_ones_is_still_in_use() {
    // a session token sent once in a while: between two of its calls, more values start
    // than would refresh it had it been used just before, fewer than would push it out
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("sess-rare-7f3c2a9e"));
    for round in 0..3 {
        for n in 0..MAX_SECRETS * 3 / 4 {
            redactor.add_secret(&SecretString::from(format!("other-{round}-{n}")));
        }
        assert_eq!(redactor.text("x-session:sess-rare-7f3c2a9e"), "x-session:***", "after round {round}");
    }
}

#[test]
fn a_secret_is_masked_also_without_the_whitespace_around_it() {
    // HTTP takes the whitespace around a header value off: a server echoes the key trimmed
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("  k3y-with-spaces "));
    assert_eq!(redactor.text("unknown key `k3y-with-spaces`"), "unknown key `***`");
    assert_eq!(redactor.text("x-seen: Bearer k3y-with-spaces"), "x-seen: Bearer ***");
}

#[test]
fn a_secret_with_whitespace_around_it_is_masked_trimmed_in_its_own_case_and_encoded() {
    // a server echoes the key it was sent, trimmed, as it is or encoded
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from(" Tr1m-Me/Key "));
    for echo in ["Tr1m-Me/Key", "Tr1m-Me%2FKey", STANDARD.encode("Tr1m-Me/Key").as_str()] {
        assert_eq!(redactor.text(&format!("unknown key `{echo}`")), "unknown key `***`", "{echo}");
    }
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
fn a_short_value_beside_a_letter_of_any_script_is_not_masked_inside_the_word() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("a"));
    redactor.add_token(&SecretString::from("ana"));
    assert_eq!(redactor.text("mañana años über-a"), "mañana años über-***");
    assert_eq!(redactor.text("ana, ñana, 日ana, ana日, anaé"), "***, ñana, 日ana, ana日, anaé");
    assert_eq!(redactor.text("«ana» a."), "«***» ***.");
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
