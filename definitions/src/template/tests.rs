use super::*;

fn parse(source: &str) -> Template {
    Template::parse(source, Span::new(1, 1)).unwrap()
}

fn errors(source: &str) -> Vec<String> {
    Template::parse(source, Span::new(1, 1)).unwrap_err().into_iter().map(|(_, m)| m).collect()
}

#[test]
fn variables_in_order_of_first_appearance() {
    let t = parse("/a/{x}/b/{y}/{x}?q={z}&r={y}");
    assert_eq!(t.variables.as_ref(), ["x", "y", "z"]);
    assert_eq!(t.render_path(&["1", "2", "3"]).unwrap(), "/a/1/b/2/1");
    assert_eq!(t.render_query(&["1", "2", "3"]).unwrap(), "q=3&r=2");
}

#[test]
fn debug_masks_a_credential_written_in_the_query() {
    let shown = format!("{:?}", parse("/forecast?api_key=wk-5e3c1a9b&city={city}&units=metric"));
    assert!(!shown.contains("wk-5e3c1a9b"), "{shown}");
    assert!(shown.contains(r#"source: Spanned { value: "/forecast?api_key=***&city={city}&units=metric""#), "{shown}");
    assert!(shown.contains(r#"query: "api_key=***&city={city}&units=metric""#), "{shown}");
}

#[test]
fn partial_segments() {
    let t = parse("/files/{name}.json");
    assert_eq!(t.render_path(&["report"]).unwrap(), "/files/report.json");
}

#[test]
fn encodes_everything_but_unreserved() {
    let t = parse("/x/{v}");
    assert_eq!(t.render_path(&["Hello World!"]).unwrap(), "/x/Hello%20World%21");
    assert_eq!(t.render_path(&["a/b?c#d%e@f:g\\h"]).unwrap(), "/x/a%2Fb%3Fc%23d%25e%40f%3Ag%5Ch");
    assert_eq!(t.render_path(&["é-._~"]).unwrap(), "/x/%C3%A9-._~");
}

#[test]
fn a_template_whose_pieces_were_edited_past_its_variables_is_an_error_not_a_panic() {
    let mut template = Template::parse("/a/{x}?q={x}", Span::new(1, 1)).unwrap();
    template.path.to_mut().push(Piece::Variable(1));
    template.query.to_mut().push(Piece::Variable(1));
    let too_few = TemplateError::ArgumentCount { expected: 2, got: 1 };
    assert_eq!(template.render_path(&["7"]), Err(too_few.clone()));
    assert_eq!(template.render_query(&["7"]), Err(too_few));
}

#[test]
fn rejects_dot_segments_and_empty_values() {
    let t = parse("/x/{v}");
    for value in [".", "..", "%2e", "%2E%2e", ".%2E"] {
        assert!(matches!(t.render_path(&[value]), Err(TemplateError::DotSegment { .. })), "{value}");
    }
    for value in ["...", ".%2e.", "%2", "%2f", "%2%2ee", ".a", "é.", "%2e%2e%2e"] {
        assert!(t.render_path(&[value]).is_ok(), "{value}");
    }
    assert!(matches!(t.render_path(&[""]), Err(TemplateError::Empty { .. })));
    assert!(matches!(t.render_path(&[]), Err(TemplateError::ArgumentCount { expected: 1, got: 0 })));
    // inside a segment too, and the message says it is the value that is refused
    let error = parse("/v{x}/y").render_path(&[".."]).unwrap_err();
    assert_eq!(error.to_string(), "path variable `x` is `..`: `.` and `..` (also percent-encoded) are refused as path values wherever they stand: alone in a segment, or beside another `.`, they make a dot segment, which URL resolution reads as a change of the path; give another value");
}

#[test]
fn static_query_text_is_sent_as_written() {
    // a signature or a Latin-1 escape survives: nothing is decoded and re-encoded
    let t = parse("/s?q=a%20b+c&flag&sig=x%2Fy~&name=caf%E9&fields=a,b:c");
    assert_eq!(t.render_query(&[]).unwrap(), "q=a%20b+c&flag&sig=x%2Fy~&name=caf%E9&fields=a,b:c");
    assert_eq!(parse("/s").render_query(&[]).unwrap(), "");
}

#[test]
fn query_characters_a_url_cannot_hold_are_encoded_as_requests_would() {
    let t = parse("/items?filter[status]={s}&ids[]=1&pipe=a|b&q=\"x\"&city=Z\u{fc}rich");
    assert_eq!(
        t.render_query(&["open now"]).unwrap(),
        "filter[status]=open+now&ids[]=1&pipe=a%7Cb&q=%22x%22&city=Z%C3%BCrich"
    );
    assert!(errors("/items?q=a b")[0].contains("spaces are not allowed"));
    assert!(errors("/items?q=a%zz")[0].contains("%XX"));
    assert!(errors("/items?=1")[0].contains("needs a name before `=`"));
    assert!(errors("/items?a=1&=2")[0].starts_with("at character 12 of the resource"), "{:?}", errors("/items?a=1&=2"));
}

#[test]
fn nested_braces_are_one_error_and_what_follows_is_read() {
    let found = errors("/tickets/{{id}x}/x}");
    assert_eq!(found.len(), 2, "{found:?}");
    let nested = "at character 10 of the resource, nested braces: a variable is one name in one pair of braces, like `{ticket_id}`";
    assert_eq!(found[0], nested);
    assert!(found[1].starts_with("at character 19 of the resource, unbalanced `}`"), "{found:?}");
    assert!(errors("/a/{b{c}")[0].contains("unbalanced `{`"), "never balanced: {:?}", errors("/a/{b{c}"));
}

#[test]
fn reports_every_problem() {
    let found = errors("tickets/{}/{a{b}}/x y#z{c");
    assert!(found.iter().any(|m| m.contains("must start with `/`")));
    assert!(found.iter().any(|m| m.contains("empty variable")));
    assert!(found.iter().any(|m| m.contains("nested braces")));
    assert!(found.iter().any(|m| m.contains("unbalanced `{`")));
    assert!(found.iter().any(|m| m.contains("spaces")));
    assert!(found.iter().any(|m| m.contains("`#`")));
}

#[test]
fn errors_are_at_the_value_and_name_the_character() {
    let errs = Template::parse("/caf\u{e9} b", Span::new(4, 15)).unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!(errs[0].0, Span::new(4, 15));
    assert!(errs[0].1.starts_with("at character 5 of the resource, `\u{e9}` is not allowed"), "{}", errs[0].1);
    assert_eq!(errs[1].0, Span::new(4, 15));
    assert!(errs[1].1.starts_with("at character 6 of the resource, spaces are not allowed"), "{}", errs[1].1);
    let whole = Template::parse("a", Span::new(2, 3)).unwrap_err();
    assert_eq!(whole, [(Span::new(2, 3), "must start with `/`; write `/a`".to_string())]);
    // no fix is shown that would still be wrong
    let unclosed = Template::parse("tickets/{id", Span::new(2, 3)).unwrap_err();
    assert_eq!(unclosed[0].1, "must start with `/`; add one before it");
    assert!(unclosed[1].1.contains("unbalanced `{`"), "{unclosed:?}");
    // a blank the fix takes away as well is not a reason to hold the fix back
    let padded = Template::parse(" /tickets", Span::new(2, 3)).unwrap_err();
    assert_eq!(padded[0].1, "must start with `/`; write `/tickets`");
    assert!(padded[1].1.contains("spaces are not allowed"), "{padded:?}");
}

#[test]
fn a_value_written_as_is_has_its_errors_at_their_characters() {
    // `resource: "/a/{b"` with the quote at column 11: the text starts at 12
    let errs = Template::parse_written_at("/caf\u{e9}/{b", Span::new(4, 11), Span::new(4, 12)).unwrap_err();
    assert_eq!(errs.iter().map(|(at, _)| *at).collect::<Vec<_>>(), [Span::new(4, 16), Span::new(4, 18)], "{errs:?}");
    // a problem of the whole value is at the value
    let whole = Template::parse_written_at("a{", Span::new(2, 3), Span::new(2, 4)).unwrap_err();
    assert_eq!(whole[0].0, Span::new(2, 3));
    assert_eq!(whole[1].0, Span::new(2, 5));
}

#[test]
fn a_resource_lists_ten_errors_and_counts_the_rest() {
    let found = errors(&format!("/{}", "%".repeat(100)));
    assert_eq!(found.len(), 11, "{found:?}");
    assert!(found[9].starts_with("at character 11 of the resource, `%` must start"), "{}", found[9]);
    assert!(found[10].starts_with("and 90 more problems in the resource, not listed;"), "{}", found[10]);
    let eleven = errors(&format!("/{}", "%".repeat(11)));
    assert!(eleven[10].starts_with("and 1 more problem in the resource"), "{}", eleven[10]);
}

#[test]
fn dot_segments_are_kept_but_one_climbing_out_of_the_resource() {
    for source in ["/a/./b", "/a/%2e%2E/b", "/a/../{x}", "/v1/./../v2/."] {
        assert!(Template::parse(source, Span::new(1, 1)).is_ok(), "{source}");
    }
    for (source, character) in [("/..", 2), ("/a/../../x", 7), ("/%2e%2E/{x}", 2), ("/{x}/../../y?q=1", 9)] {
        let found = errors(source);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with(&format!("at character {character} of the resource, `")), "{found:?}");
        assert!(found[0].contains("climbs above the resource's first segment, into the base URL's path"), "{found:?}");
    }
    assert_eq!(Template::parse("/a/..b/.c/{x}.", Span::new(1, 1)).map(|t| t.variables.len()), Ok(1));
}

/// A value is encoded but for `.` (and other unreserved characters): only a value
/// of `.` or `..` could make a dot segment with the text beside it, and such a
/// value is refused wherever it stands.
#[test]
fn no_value_makes_a_dot_segment_with_the_text_beside_it() {
    let template = Template::parse("/a/.{x}/%2E{y}/b", Span::new(1, 1)).unwrap();
    assert_eq!(template.render_path(&["v", "w"]).unwrap(), "/a/.v/%2Ew/b");
    assert_eq!(template.render_path(&["a.", "%x."]).unwrap(), "/a/.a./%2E%25x./b");
    for values in [[".", "w"], ["v", "%2E"]] {
        assert!(matches!(template.render_path(&values), Err(TemplateError::DotSegment { .. })), "{values:?}");
    }
}

#[test]
fn dot_segments_resolve_as_url_resolution_does() {
    let resolved = |path: &str| resolve_dot_segments(path).unwrap().unwrap();
    assert_eq!(resolved("/v1/../v2/{id}"), "/v2/{id}");
    assert_eq!(resolved("/a/./b/%2E%2e"), "/a/");
    assert_eq!(resolve_dot_segments("/tickets/{id}"), Ok(None));
    assert_eq!(resolve_dot_segments("/a/../../x"), Err(6));
    assert_eq!(resolved("/a/b/.."), "/a/");
    assert_eq!(resolved("/a/."), "/a/");
    assert_eq!(resolved("/a/./b"), "/a/b");
    assert_eq!(resolved("/a/.%2E/b"), "/b");
    assert_eq!(resolved("/a/%2e/b"), "/a/b");
    assert_eq!(resolved("/a/.."), "/");
    assert_eq!(resolve_dot_segments("/a/...b/c"), Ok(None));
    assert_eq!(resolve_dot_segments("/.."), Err(1));
}

#[test]
fn rejects_bad_escapes_and_names() {
    assert!(errors("/a%zz")[0].contains("%XX"));
    assert!(errors("/a/{1x}")[0].contains("not a valid identifier"));
    assert!(errors("/a/{self}")[0].contains("variable `self` is reserved"), "{:?}", errors("/a/{self}"));
    assert!(errors("/a/{_}")[0].contains("(like `value`)"));
    assert!(errors("/a\tb")[0].contains("`\\t` is not allowed in a resource; remove it"), "{:?}", errors("/a\tb"));
    assert!(errors("/a\n")[0].contains("a resource is one line"));
    assert!(
        errors("/caf\u{e9}")[0].contains("`\u{e9}` is not allowed in a resource path; percent-encode it as `%C3%A9`")
    );
    assert!(errors("/a/<1>")[0].contains("percent-encode"));
    let zwj = errors("/a\u{200d}b");
    assert!(
        zwj[0].contains("`\\u{200d}` is not allowed in a resource path; percent-encode it as `%E2%80%8D`"),
        "{zwj:?}"
    );
    assert!(errors("/a/`b")[0].contains("a backtick is not allowed in a resource path"), "{:?}", errors("/a/`b"));
}

#[test]
fn a_whole_url_as_resource_says_where_its_parts_go() {
    let found = errors("https://api.example/v2/tickets/{id}");
    assert_eq!(
            found[0],
            "is a whole URL, but a resource is the path after the base URL; put `https://api.example` in the environment's `base_url` and write `/v2/tickets/{id}`"
        );
    assert!(errors("http://api.example")[0].contains("and write `/`"));
}

#[test]
fn a_whole_url_with_credentials_as_resource_never_shows_them() {
    for (resource, shown) in [
        ("https://agent:hunter7@shop.example/orders/{id}", Some(("https://shop.example", "/orders/{id}"))),
        ("https://agent:p?s#w@shop.example/orders", Some(("https://shop.example", "/orders"))),
        ("https://agent:pa/ss@shop.example/orders", None),
        ("https://agent@acme.example:hunt/er2@shop.example/orders", None),
    ] {
        let found = errors(resource);
        assert!(!found[0].contains("agent") && !found[0].contains("ss") && !found[0].contains("hunt"), "{}", found[0]);
        match shown {
                Some((base, path)) => assert_eq!(found[0], format!("is a whole URL with credentials in it, but a resource is the path after the base URL; put `{base}` in the environment's `base_url`, the credentials in its `auth` (never in a URL), and write `{path}`")),
                None => assert!(found[0].contains("put its scheme and host in the environment's `base_url`"), "{}", found[0]),
            }
    }
    assert!(errors("https://api.example:8443/v2")[0].contains("put `https://api.example:8443` in"));
}

#[test]
fn a_whole_url_with_a_query_and_no_path_is_split_where_the_query_starts() {
    // a base URL takes no query: the query goes with the resource, its key masked
    let found = errors("https://api.example?api_key=sk-live-123&page=2");
    assert!(
        found[0]
            .ends_with("put `https://api.example` in the environment's `base_url` and write `/?api_key=***&page=2`"),
        "{}",
        found[0]
    );
    let found = errors("https://api.example:8443#top");
    assert!(
        found[0].ends_with("put `https://api.example:8443` in the environment's `base_url` and write `/`"),
        "{}",
        found[0]
    );
    // an `@` after the `?` or `#` may end user info that holds it (a user name with
    // `?`, a PIN with `#`): the host is after it, and the credentials are not shown
    for (resource, shown) in [
        ("https://ops?desk:Pw7qXz3kLm9rTb@api.example.com/tickets", Some(("https://api.example.com", "/tickets"))),
        ("https://agent:4471#9023@api.example.com/tickets", Some(("https://api.example.com", "/tickets"))),
        ("https://agent:Pw7qXz3kLm9rTb@/tickets", None),
    ] {
        let found = errors(resource);
        assert!(!found[0].contains("Pw7q") && !found[0].contains("9023"), "{}", found[0]);
        let told = match shown {
                Some((base, path)) => format!("put `{base}` in the environment's `base_url`, the credentials in its `auth` (never in a URL), and write `{path}`"),
                None => "the credentials in its `auth` (never in a URL)".to_string(),
            };
        assert!(found[0].contains(&told), "{}", found[0]);
    }
}

#[test]
fn a_url_without_a_host_is_told_to_be_a_path() {
    for resource in ["https://", "http:///tickets"] {
        let found = errors(resource);
        assert!(
            found[0].starts_with("is a URL without a host, but a resource is the path after the base URL"),
            "{}",
            found[0]
        );
    }
}

#[test]
fn variables_may_name_query_parameters_as_the_adk_allows() {
    let template = Template::parse("/kv?{key}={value}&fixed=1", Span::new(1, 1)).unwrap();
    assert_eq!(template.variables.len(), 2);
    assert!(!template.in_path(0) && !template.in_path(1));
    assert_eq!(template.render_query(&["a=b", "a&b"]).unwrap(), "a%3Db=a%26b&fixed=1");
}
