//! Quoted values: escapes in double quotes, quotes that end a value early or are
//! missing, and typographic quotes.

use super::*;

#[test]
fn a_json_surrogate_pair_escape_is_pointed_at_with_the_one_escape_yaml_reads() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"Caf\\u00e9 \\ud83d\\ude00\"\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("apis.yaml:3:29: error: invalid YAML: "), "{}", lines[0]);
    assert!(
        lines[0].ends_with("YAML does not read `\\ud83d\\ude00`, the two UTF-16 halves of `\u{1f600}` (as JSON escapes it): write it as one, `\\U0001F600`, or write `\u{1f600}` itself"),
        "{}",
        lines[0]
    );
    let lone = error_lines("api_integrations:\n  - name: a\n    description: \"x \\udc00\"\n");
    assert!(
        lone[0].starts_with("apis.yaml:3:21: error: ") && lone[0].contains("`\\udc00` is half of a UTF-16 pair"),
        "{}",
        lone[0]
    );
    // written as YAML writes it, it is read
    let fixed = format!("{}    environments: {{ sandbox: {{}} }}\n", yaml.replace("\\ud83d\\ude00", "\\U0001F600"));
    let checked = parse_str("apis.yaml", &fixed).unwrap();
    assert_eq!(checked.definitions.api("a").unwrap().description.as_deref(), Some("Caf\u{e9} \u{1f600}"));
}

#[test]
fn escape_errors_in_double_quotes_point_at_the_escape() {
    let head = "api_integrations:\n  - name: a\n";
    let tail = "    environments: { sandbox: {} }\n";
    for (yaml, at, says) in [
        // `\\` is a backslash: the lone low half after it is the fault
        (
            format!("{head}    description: \"x \\\\ud83d\\ude00\"\n{tail}"),
            "apis.yaml:3:28: ",
            "`\\ude00` is half of a UTF-16 pair",
        ),
        // on the second line of the value, and before a U+FEFF on its line
        (
            format!("{head}    description: \"A long text\n      goes on \\ud83d\\ude00 \u{feff}\"\n{tail}"),
            "apis.yaml:4:15: ",
            "`\\U0001F600`",
        ),
        // a Windows path: `\u` takes four hex digits
        (format!("{head}    description: \"C:\\users\\me\"\n{tail}"), "apis.yaml:3:", "write `\\\\` for a backslash"),
        // an escape YAML does not know, pointed at
        (format!("{head}    description: \"C:\\data\"\n{tail}"), "apis.yaml:3:21: ", "write `\\\\` for a backslash"),
        // too few hex digits, on the value's second line
        (
            format!("{head}    description: \"line one\n      goes on \\xZ1 here\"\n{tail}"),
            "apis.yaml:4:15: ",
            "`\\x` takes two hex digits",
        ),
        // a code past the last character, before a surrogate
        (
            format!("{head}    description: \"\\U00110000 \\uD83D\"\n{tail}"),
            "apis.yaml:3:19: ",
            "`\\U00110000` is past U+10FFFF",
        ),
        // a backslash before the closing quote escapes it (a comment after it too)
        (
            format!("{head}    description: \"C:\\temp\\\"  # scratch\n{tail}"),
            "apis.yaml:3:26: ",
            "`\\\"` is an escaped quote, not the end of the value",
        ),
        // a backslash before the closing quote escapes it
        (
            format!("{head}    description: \"C:\\temp\\\"\n{tail}"),
            "apis.yaml:3:26: ",
            "`\\\"` is an escaped quote, not the end of the value",
        ),
        // a surrogate in the long escape too
        (
            format!("{head}    description: \"x \\U0000D83D y\"\n{tail}"),
            "apis.yaml:3:21: ",
            "`\\U0000D83D` is half of a UTF-16 pair",
        ),
    ] {
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with(at) && lines[0].contains(says), "{}", lines[0]);
        assert!(!lines[0].contains("check this line's indentation"), "{}", lines[0]);
    }
}

#[test]
fn an_escaped_closing_quote_after_paired_ones_or_before_a_comment_holding_some_is_named() {
    for line in ["description: \"say \\\"hi\\\" in C:\\temp\\\"", "description: \"C:\\temp\\\"  # the \\\"tmp\\\" dir"]
    {
        let yaml = format!("api_integrations:\n  - name: a\n    {line}\n    environments: {{ sandbox: {{}} }}\n");
        let lines = error_lines(&yaml);
        assert!(lines[0].contains("is an escaped quote, not the end of the value"), "{}", lines[0]);
    }
}

#[test]
fn escaped_quotes_inside_a_value_whose_closing_quote_is_missing_are_not_blamed() {
    let yaml = "api_integrations:\n  - name: a\n    description: \"Returns the \\\"id\\\"\n    environments: { sandbox: {} }\n";
    let lines = error_lines(yaml);
    assert!(lines[0].starts_with("apis.yaml:3:18: ") && lines[0].contains("close its quote"), "{}", lines[0]);
    assert!(!lines[0].contains("escaped quote"), "{}", lines[0]);
}

#[test]
fn a_value_in_typographic_quotes_is_told_to_use_straight_ones_but_a_description_may_be_quoted() {
    let yaml = "api_integrations:\n  - name: a\n    description: “The helpdesk”\n    environments: { live: { base_url: “https://a.example” } }\n    operations:\n      - name: ‘get’\n        method: «GET»\n        resource: „/x“\n";
    let quoted = "is written in typographic quotes";
    let fix = "which YAML reads as part of the value: use straight quotes (`\"`) or none";
    assert_eq!(
        error_lines(yaml),
        [
            format!("apis.yaml:4:39: error: `api_integrations[0].environments.live.base_url` {quoted} (`“ ”`), {fix}"),
            format!("apis.yaml:6:15: error: `api_integrations[0].operations[0].name` {quoted} (`‘ ’`), {fix}"),
            format!("apis.yaml:7:17: error: `api_integrations[0].operations[0].method` {quoted} (`« »`), {fix}"),
            format!("apis.yaml:8:19: error: `api_integrations[0].operations[0].resource` {quoted} (`„ “`), {fix}"),
        ]
    );
    let straight = "api_integrations:\n  - name: a\n    description: “The helpdesk”\n    environments: { live: { base_url: \"https://a.example\" } }\n    operations:\n      - name: 'get'\n        method: GET\n        resource: \"/x\"\n";
    let checked = parse_str("apis.yaml", straight).unwrap();
    assert_eq!(checked.definitions.apis[0].description.as_deref(), Some("“The helpdesk”"));
}

/// "a quote inside a quoted value ends it: said as the quote it is": the parser
/// calls either quote double, and only a single-quoted value's message is reworded;
/// a double-quoted one's says `double-quoted`, with the `\"` fix.
#[test]
fn a_double_quoted_value_ended_early_is_said_to_be_double_quoted() {
    let file = "api_integrations:\n  - name: a\n    description: \"say \"hi\" now\"\n    environments: { live: {} }\n";
    let text = parse_str("apis.yaml", file).unwrap_err().to_string();
    assert!(
        text.starts_with("apis.yaml:3:24: error: invalid YAML: invalid trailing content after double-quoted scalar; a `\"` inside double quotes is written `\\\"`: `\"say \\\"hi\\\" now\"`"),
        "{text}"
    );
}
