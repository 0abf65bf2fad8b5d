//! Property tests over generated input: random bytes, text and YAML documents,
//! documents shaped like definitions and mocks files, templates and the URLs
//! they render.

use super::*;

/// The grammar writes mocks files with rules that are accepted as well as files that
/// are rejected, so the properties reach the checks of a rule's every key.
#[test]
fn the_mocks_grammar_makes_accepted_rules_and_rejected_files() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut with_rules, mut rejected) = (0, 0);
    for _ in 0..200 {
        let text = mocks_document().new_tree(&mut runner).expect("a document").current();
        match mocks::parse_str("case.yaml", &text, &MOCKED_APIS) {
            Ok(found) if found.apis.iter().flat_map(|api| &api.operations).any(|op| !op.rules.is_empty()) => {
                with_rules += 1
            }
            Ok(_) => {}
            Err(_) => rejected += 1,
        }
    }
    assert!(with_rules >= 10 && rejected >= 10, "{with_rules} accepted with rules, {rejected} rejected of 200");
}

/// What a checked model promises: unique names, auth only where wired, renderable templates.
fn assert_model_invariants(checked: &conv_api_definitions::Checked) {
    let apis = &checked.definitions.apis;
    for (i, api) in apis.iter().enumerate() {
        assert!(apis[..i].iter().all(|other| other.name.value != api.name.value), "duplicate API {}", api.name());
        for environment in api.environments.iter() {
            assert!(environment.auth == conv_api_definitions::Auth::None || environment.is_wired());
            assert!(!environment.base_url.value.ends_with('/'));
        }
        for (j, op) in api.operations.iter().enumerate() {
            assert!(api.operations[..j].iter().all(|other| other.name.value != op.name.value));
            let values: Vec<&str> = op.resource.variables.iter().map(|_| "x").collect();
            assert!(op.resource.render_path(&values).is_ok(), "{:?}", op.resource.source);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_bytes(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        check_bytes(text.as_bytes());
    }

    #[test]
    fn random_yaml_documents_never_panic(text in document()) {
        check_bytes(text.as_bytes());
    }

    #[test]
    fn documents_shaped_like_definitions_never_panic(text in definitions_document()) {
        match parse_bytes("fuzz.yaml", text.as_bytes()) {
            Ok(checked) => assert_model_invariants(&checked),
            Err(diagnostics) => assert_well_formed(&diagnostics),
        }
    }

    #[test]
    fn random_bytes_as_mocks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_mocks(&bytes, &MOCKED_APIS);
    }

    #[test]
    fn random_yaml_documents_as_mocks_never_panic(text in document()) {
        check_mocks(text.replacen("api_integrations", "api_mocks", 1).as_bytes(), &MOCKED_APIS);
    }

    #[test]
    fn documents_shaped_like_mocks_never_panic(text in mocks_document()) {
        check_mocks(text.as_bytes(), &MOCKED_APIS);
    }

    #[test]
    fn random_templates_never_panic(text in template_text(), line in 1usize..1000, column in 1usize..200) {
        match Template::parse(&text, Span::new(line, column)) {
            Ok(template) => {
                let values: Vec<&str> = template.variables.iter().map(|_| "v").collect();
                prop_assert!(template.render_path(&values).is_ok());
                prop_assert!(template.render_query(&values).is_ok());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for (span, _) in errors {
                    prop_assert_eq!(span.line as usize, line);
                    prop_assert!(span.column as usize >= column);
                }
            }
        }
    }

    #[test]
    fn rendered_urls_keep_scheme_host_port_and_base_path(
        text in valid_template(),
        base in proptest::sample::select(BASES),
        values in proptest::collection::vec(value(), 4),
    ) {
        let template = Template::parse(&text, Span::new(1, 1)).expect("the generator makes valid templates");
        let values: Vec<&str> = template.variables.iter().enumerate().map(|(i, _)| values[i % 4].as_str()).collect();
        let (Ok(path), Ok(query)) = (template.render_path(&values), template.render_query(&values)) else {
            return Ok(());
        };
        let base_url = Url::parse(base).unwrap();
        let url = request_url(base, &path, &query);
        prop_assert_eq!(url.scheme(), base_url.scheme());
        prop_assert_eq!(url.host_str(), base_url.host_str());
        prop_assert_eq!(url.port_or_known_default(), base_url.port_or_known_default());
        let base_path = base_url.path().trim_end_matches('/');
        prop_assert_eq!(url.path(), format!("{base_path}{path}"));
        let template_segments = text.split('?').next().unwrap().split('/').count();
        prop_assert_eq!(url.path_segments().unwrap().count(), base_path.matches('/').count() + template_segments - 1);
        prop_assert_eq!(url.fragment(), None);
        // the rendered query is valid as it is, and each pair decodes to its name and
        // its literal or value: no value adds, splits or changes a pair
        prop_assert_eq!(url.query().unwrap_or_default(), query.as_str());
        let written = text.split_once('?').map_or("", |(_, query)| query);
        let expected: Vec<(String, String)> = written
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let value = match value.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
                    Some(variable) => values[template.variables.iter().position(|v| v == variable).unwrap()],
                    None => value,
                };
                (name.to_string(), value.to_string())
            })
            .collect();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, expected);
    }
}
