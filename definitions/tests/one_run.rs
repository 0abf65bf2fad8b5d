//! Errors one run tells together, however one might hide another. Each test checks
//! a file with two independent errors, shows that fixing the first leaves the
//! second (so it was there all along), and that the first run already tells it.

use conv_api_definitions::{mocks, parse_str, Definitions};

/// Every diagnostic line of a definitions file ("" when it checks clean).
fn check(yaml: &str) -> String {
    match parse_str("apis.yaml", yaml) {
        Ok(checked) => checked.warnings.to_string(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

const APIS: &str = "api_integrations:
  - name: helpdesk
    environments:
      sandbox:
        base_url: https://sandbox.helpdesk.example/api
    operations:
      - name: get_ticket
        method: GET
        resource: /tickets/{ticket_id}
";

fn definitions() -> Definitions {
    parse_str("apis.yaml", APIS).unwrap().definitions
}

/// Every diagnostic line of a mocks file checked against `APIS`.
fn check_mocks(yaml: &str) -> String {
    match mocks::parse_str("case.yaml", yaml, &definitions()) {
        Ok(_) => String::new(),
        Err(diagnostics) => diagnostics.to_string(),
    }
}

/// Checks the errors of `file` with `check`: mending its first error (`fixed` is the
/// file mended) leaves each of `others`, so they were there all along, and the first
/// run tells them beside `first`. Returns the first run's lines.
fn told_in_one_run(check: fn(&str) -> String, file: &str, fixed: &str, first: &str, others: &[&str]) -> String {
    let after_fix = check(fixed);
    let first_run = check(file);
    assert!(first_run.contains(first), "{first_run}");
    for other in others {
        assert!(after_fix.contains(other), "{after_fix}");
        assert!(first_run.contains(other), "`{other}` waits for a second run:\n{first_run}");
    }
    first_run
}

// an auth_type that is no type, whose block's keys name one

#[test]
fn an_unknown_auth_type_read_by_its_keys_still_has_the_base_url_checked_for_clear_text() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      live:
        base_url: http://api.crm.example/v1
        auth_type: bearer
        auth:
          token_url: https://auth.crm.example/oauth/token
          client_id: agent
";
    let clear_text = "credentials never travel in clear text";
    let fixed = yaml.replace("bearer", "oauth2");
    let first_run = told_in_one_run(check, yaml, &fixed, "is `bearer`, not an auth type", &[clear_text]);
    // the type is said as written, and what it was read as
    assert!(
        first_run.contains("but `auth_type` is `bearer`, read as `oauth2`: credentials never travel"),
        "{first_run}"
    );
}

#[test]
fn an_unknown_auth_type_read_by_its_keys_still_has_an_empty_base_url_told() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      live:
        base_url: \"\"
        auth_type: header
        auth:
          location: header
          name: X-Crm-Key
";
    let empty = "`api_integrations[0].environments.live.base_url` is empty";
    let fixed = yaml.replace("auth_type: header", "auth_type: apiKey");
    told_in_one_run(check, yaml, &fixed, "is `header`, not an auth type", &[empty]);
}

// every problem of a URL

#[test]
fn a_token_url_with_braces_is_also_told_it_is_clear_text() {
    let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: https://api.booking.example/v1
        auth_type: oauth2
        auth:
          token_url: \"http://auth.booking.example/oauth/{tenant}/token\"
";
    let clear_text = "credentials never travel in clear text";
    told_in_one_run(check, yaml, &yaml.replace("/{tenant}", ""), "holds `{` or `}`", &[clear_text]);
}

#[test]
fn a_base_url_with_braces_is_also_told_of_its_query_and_fragment() {
    let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: \"https://api.booking.example/{version}?lang=en#top\"
";
    let others = ["has a `?` query", "has a `#` fragment"];
    told_in_one_run(check, yaml, &yaml.replace("/{version}", ""), "holds `{` or `}`", &others);
}

#[test]
fn a_base_url_with_another_scheme_is_also_told_of_its_query() {
    let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: \"ftp://api.booking.example/v1?lang=en\"
";
    let fixed = yaml.replace("ftp://", "https://");
    told_in_one_run(check, yaml, &fixed, "the scheme must be `http` or `https`", &["has a `?` query"]);
}

// what is under each copy of a repeated key

#[test]
fn a_repeated_environment_key_still_has_its_value_checked() {
    // PyYAML, and so the ADK, reads the last `sandbox`: the one with the password
    let yaml = "api_integrations:
  - name: helpdesk
    environments:
      sandbox:
        base_url: https://sandbox.helpdesk.example/api
      sandbox:
        base_url: https://sandbox.helpdesk.example/api
        auth_type: basic
        auth:
          username: agent
          password: hunter2
";
    let secret = "`api_integrations[0].environments.sandbox.auth.password` is a secret";
    // keeping the `sandbox` the ADK reads
    let fixed = yaml.replacen("      sandbox:\n        base_url: https://sandbox.helpdesk.example/api\n", "", 1);
    told_in_one_run(check, yaml, &fixed, "duplicate key `sandbox`", &[secret]);
}

#[test]
fn a_repeated_operations_key_still_has_its_operations_checked() {
    let yaml = "api_integrations:
  - name: helpdesk
    environments:
      sandbox:
        base_url: https://sandbox.helpdesk.example/api
    operations:
      - name: get_ticket
        method: GET
        resource: /tickets/{ticket_id}
    operations:
      - name: add_comment
        method: PSOT
        resource: /tickets/{ticket_id}/comments
";
    let method = "is `PSOT`, not a supported method";
    let fixed = yaml.replace(
        "        resource: /tickets/{ticket_id}\n    operations:\n",
        "        resource: /tickets/{ticket_id}\n",
    );
    told_in_one_run(check, yaml, &fixed, "duplicate key `operations`", &[method]);
}

#[test]
fn a_repeated_api_in_a_mocks_file_still_has_its_rules_checked() {
    let yaml = "api_mocks:
  helpdesk:
    get_ticket:
      - respond: { status: 200 }
  helpdesk:
    get_ticket:
      - respond: { status: 700 }
";
    let status = "must be an HTTP status from 100 to 599";
    let fixed = yaml.replacen("  helpdesk:\n    get_ticket:\n      - respond: { status: 200 }\n", "", 1);
    told_in_one_run(check_mocks, yaml, &fixed, "duplicate key `helpdesk`", &[status]);
}

// mock bodies and headers

#[test]
fn a_mock_header_whose_value_is_no_text_still_has_its_name_checked() {
    let yaml = "api_mocks:
  helpdesk:
    get_ticket:
      - respond:
          status: 200
          headers:
            X Trace Id: [abc]
";
    let name = "has `X Trace Id`, which is not a valid HTTP header name";
    told_in_one_run(check_mocks, yaml, &yaml.replace("[abc]", "abc"), "must be text, found a list", &[name]);
}

#[test]
fn a_mock_body_key_that_is_a_date_still_has_its_value_checked() {
    let yaml = "api_mocks:
  helpdesk:
    get_ticket:
      - respond:
          status: 200
          body:
            2024-01-31: 2024-02-01
";
    let value = "is the unquoted date `2024-02-01`";
    let fixed = yaml.replace("2024-01-31:", "\"2024-01-31\":");
    told_in_one_run(check_mocks, yaml, &fixed, "has the unquoted date `2024-01-31` as a key", &[value]);
}
