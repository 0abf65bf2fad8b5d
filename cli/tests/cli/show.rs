//! `conv-api show`: a table per API, and a bad or missing file.

use super::*;

#[test]
fn show_prints_a_table_per_api() {
    let dir = TempDir::new("show");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["show", "apis.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "zendesk: Support tickets
  operations:
    GET  get_ticket  /tickets/{ticket_id}  (ticket_id)
    GET  search      /search?q={term}      (term)
  environments:
    sandbox      https://sandbox.zendesk.example/api/v2  basic (username `agent@acme.example`, password from secret `ZENDESK_SANDBOX_PASSWORD`)
    pre-release  https://staging.zendesk.example/api/v2  apiKey (header `X-Api-Key`, key from secret `ZENDESK_STAGING_KEY`)
    live         https://acme.zendesk.example/api/v2     oauth2 (token URL `https://acme.zendesk.example/oauth/tokens`, client id `voice-agent`, client secret from secret `ZENDESK_CLIENT_SECRET`, scope from secret `ZENDESK_LIVE_SCOPE` if set, client credentials in body)

hours
  operations:
    GET  get_hours  /stores/{store_id}/hours  (store_id)
  environments:
    sandbox      http://localhost:8080  no auth
    pre-release  not configured
    live         not configured
";
    assert_eq!(stdout, expected);
}

#[test]
fn show_a_bad_file_prints_the_diagnostics_and_fails() {
    let dir = TempDir::new("show-bad");
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["show", "bad.yaml"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
}

#[test]
fn show_and_secrets_print_the_files_warnings_and_succeed() {
    let dir = TempDir::new("show-warnings");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: {} }\n    operations:\n      - { name: getContact, method: GET, resource: / }\n";
    dir.file("w.yaml", yaml);
    for command in ["show", "secrets"] {
        let (code, stdout, stderr) = run(conv_api(&dir.0).args([command, "w.yaml"]));
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(stdout.starts_with("crm"), "{command}: {stdout}");
        assert!(
            stderr.starts_with("w.yaml:5:17: warning: ") && stderr.contains("`get_contact`"),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn show_a_missing_file_fails() {
    let dir = TempDir::new("show-missing");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["show", "nope.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("nope.yaml: error: cannot read the definitions file"), "{stderr}");
}
