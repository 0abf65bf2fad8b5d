//! `conv-api secrets`: the secret names a file needs, for every environment or one.

use super::*;

#[test]
fn secrets_lists_explicit_and_conventional_names() {
    let dir = TempDir::new("secrets");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "zendesk
  sandbox
    ZENDESK_SANDBOX_PASSWORD  auth.password  named in file  required
  pre-release
    ZENDESK_STAGING_KEY  auth.value  named in file  required
  live
    ZENDESK_CLIENT_SECRET  auth.client_secret  named in file  required
    ZENDESK_LIVE_SCOPE     auth.scope          conventional   optional
hours
  sandbox: no secrets
  live: not configured
";
    assert_eq!(stdout, expected);
}

#[test]
fn secrets_names_a_token_parameter_by_its_name() {
    let dir = TempDir::new("secrets-token-params");
    let yaml = "api_integrations:
  - name: booking
    environments:
      live:
        base_url: https://booking.example
        auth_type: oauth2
        auth:
          token_url: https://id.example/token
          client_id: agent-7
          client_secret: { secret: BOOKING_SECRET }
          scope: bookings
          token_params: { audience: { secret: BOOKING_AUDIENCE } }
";
    dir.file("apis.yaml", yaml);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "live"]));
    assert_eq!(code, 0, "{stderr}");
    let expected = "booking
  live
    BOOKING_SECRET    auth.client_secret          named in file  required
    BOOKING_AUDIENCE  auth.token_params.audience  named in file  required
";
    assert_eq!(stdout, expected);
}

#[test]
fn secrets_for_one_environment_accepts_draft() {
    let dir = TempDir::new("secrets-draft");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "draft"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, "zendesk\n  sandbox\n    ZENDESK_SANDBOX_PASSWORD  auth.password  named in file  required\nhours\n  sandbox: no secrets\n");
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre-release"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("ZENDESK_STAGING_KEY") && stdout.contains("hours\n  pre-release: not configured\n"));
}

#[test]
fn secrets_for_one_environment_accepts_pre_release_with_an_underscore() {
    // `pre-release` (or `pre_release`), in any case
    let dir = TempDir::new("secrets-pre-release");
    dir.file("apis.yaml", GOOD);
    let (code, dashed, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre-release"]));
    assert_eq!(code, 0);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre_release"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(stdout, dashed);
}

#[test]
fn secrets_rejects_an_unknown_environment() {
    let dir = TempDir::new("secrets-env");
    dir.file("apis.yaml", GOOD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "prod"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("unknown environment `prod` (did you mean `live`?)"), "{stderr}");
    // `--env` alone is told the names, as `--help` lists them
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("[possible values: draft, sandbox, pre-release, live]"), "{stderr}");
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "--help"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("[possible values: draft, sandbox, pre-release, live]"), "{stdout}");
    // the runtime's other spellings are taken too
    let (code, stdout, _) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--env", "pre_release"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("  pre-release"), "{stdout}");
}

#[test]
fn secrets_of_a_bad_file_fails_with_diagnostics() {
    let dir = TempDir::new("secrets-bad");
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "bad.yaml", "--check"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.lines().all(|line| line.starts_with("bad.yaml:")), "{stderr}");
}
