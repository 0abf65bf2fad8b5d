//! Byte order marks: text inside a value, pointed at and named as the thing to
//! remove anywhere else, and never blamed for an error that is not theirs.

use super::*;

#[test]
fn a_byte_order_mark_inside_a_value_is_text_as_pyyaml_reads_it() {
    // text copied from web pages carries the invisible U+FEFF: PyYAML keeps it in
    // plain, block and quoted values alike
    let yaml = "api_integrations:\n  - name: a\n    description: Support\u{feff} tickets\n    environments: { sandbox: {} }\n    operations:\n      - name: get\n        method: GET\n        resource: /x\n        description: |\n          Look\u{feff} up\n      - { name: put, method: PUT, resource: \"/y\u{feff}\" }\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("apis.yaml:11:48: error: `api_integrations[0].operations[1].resource`: at character 3 of the resource, there is `\\u{feff}`, a character that shows as nothing"),
        "{}",
        lines[0]
    );
    let checked = parse_str("apis.yaml", &yaml.replace("/y\u{feff}", "/y")).unwrap();
    let api = checked.definitions.api("a").unwrap();
    assert_eq!(api.description.as_deref(), Some("Support\u{feff} tickets"));
    assert_eq!(api.operation("get").unwrap().description.as_deref(), Some("Look\u{feff} up\n"));
}

#[test]
fn a_byte_order_mark_out_of_place_is_pointed_at_and_named_as_the_thing_to_remove() {
    let remove = "remove the invisible character U+FEFF (a byte order mark) at this point";
    let head = "api_integrations:\n  - name: a\n    environments:\n";
    for yaml in [
        // between a value and its comment, where PyYAML refuses it too
        format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}   \u{feff}# note\n"),
        // beside a U+FDD0, which the parser's stand-in for it is not then
        format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}   \u{feff}# note \u{fdd0}\n"),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("apis.yaml:4:52: error: invalid YAML: "), "{}", lines[0]);
        assert!(lines[0].contains(remove) && !lines[0].contains("quote"), "{}", lines[0]);
    }
    // at the start of a line, where files joined by `cat` leave it: that line, not the
    // one the parser stumbles on
    let entry = "  - name: b\n    environments: { sandbox: { base_url: \"https://b.example\" } }\n";
    let head = format!("{head}      sandbox: {{ base_url: \"https://a.example\" }}\n");
    for yaml in [format!("{head}\u{feff}{entry}"), format!("{head}\u{feff}\n{entry}")] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("apis.yaml:5:1: error: invalid YAML: "), "{}", lines[0]);
        assert!(lines[0].contains(remove) && !lines[0].contains("key: value"), "{}", lines[0]);
    }
    // one the parser reads past, before the error that is: not blamed
    for (yaml, told) in [
        (
            "api_integrations: []\n\u{feff}x_owner: 2\ny: 3\nx_bad: a: b\n",
            "apis.yaml:4:9: error: invalid YAML: mapping values are not allowed",
        ),
        ("api_integrations: []\n\u{feff}y: 2\n\tz: 3\n", "indent with spaces, not tabs"),
    ] {
        let lines = error_lines(yaml);
        assert!(
            lines.iter().any(|line| line.contains(told)) && !lines.iter().any(|line| line.contains(remove)),
            "{lines:?}"
        );
    }
}

#[test]
fn a_byte_order_mark_in_a_tag_or_a_block_header_is_pointed_at() {
    for (yaml, at) in [
        ("api_integrations: !!seq\u{feff} []\n".to_string(), "apis.yaml:1:24: error: invalid YAML: "),
        (
            "api_integrations:\n  - name: a\n    description: |\u{feff}\n      text\n    environments: { sandbox: {} }\n".to_string(),
            "apis.yaml:3:19: error: invalid YAML: ",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with(at), "{}", lines[0]);
        assert!(lines[0].contains("remove the invisible character U+FEFF"), "{}", lines[0]);
    }
}

#[test]
fn a_byte_order_mark_after_an_alias_is_blamed_not_the_anchor() {
    let yaml = "api_integrations:\n  - name: a\n    environments: &envs { sandbox: {} }\n  - name: b\n    environments: *envs\u{feff}\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:5:24: error: invalid YAML: "), "{}", lines[0]);
    assert!(lines[0].contains("remove the invisible character U+FEFF"), "{}", lines[0]);
}

#[test]
fn the_stand_in_for_a_byte_order_mark_is_one_the_file_does_not_hold() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"marker \\uFDD0 and \u{fdd1}\"\n    environments: { sandbox: {} }\n    operations:\n      - { name: get, method: GET, resource: /x, description: Look\u{feff} \u{fdd0}up }\n";
    let checked = parse_str("apis.yaml", yaml).unwrap();
    let api = checked.definitions.api("a").unwrap();
    assert_eq!(api.description.as_deref(), Some("marker \u{fdd0} and \u{fdd1}"));
    assert_eq!(api.operation("get").unwrap().description.as_deref(), Some("Look\u{feff} \u{fdd0}up"));
}

#[test]
fn an_error_on_a_line_that_keeps_a_byte_order_mark_in_a_value_is_not_blamed_on_it() {
    let head = "api_integrations:\n  - name: a\n";
    for (yaml, at, fix) in [
        (format!("{head}    description: \"Look\u{feff}up\n"), "apis.yaml:3:18: ", "close the quote"),
        (
            format!("{head}    environments: {{ sandbox: {{}} \"x\u{feff}\" }}\n"),
            "apis.yaml:3:33: ",
            "did not find expected ','",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert!(lines[0].starts_with(at) && lines[0].contains(fix), "{}", lines[0]);
        assert!(!lines[0].contains("U+FEFF"), "{}", lines[0]);
    }
    // hex text (a hash, an id) does not keep a stand-in from being chosen
    let hex: String = (0xfdd0..=0xfdefu32).map(|code| format!("{code:x} ")).collect();
    let yaml = format!("{head}    description: Look\u{feff}up {hex}\n    environments: {{ sandbox: {{}} }}\n");
    assert!(parse_str("apis.yaml", &yaml).is_ok());
}
