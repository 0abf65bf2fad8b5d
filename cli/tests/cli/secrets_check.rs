//! `conv-api secrets --check`: missing secrets, values every call would refuse or
//! that look like slips, a dotenv file, and values never printed.

use super::*;

#[cfg(unix)]
#[test]
fn secrets_check_says_when_a_missing_secret_is_set_but_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new("secrets-not-utf8");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("ZENDESK_CLIENT_SECRET", std::ffi::OsStr::from_bytes(b"s3cr3t\xff"));
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 1);
    assert!(
        stderr.trim_end().ends_with("; set, but not to UTF-8 text, so set again as UTF-8: `ZENDESK_CLIENT_SECRET`"),
        "{stderr}"
    );
}

#[test]
fn secrets_check_fails_when_a_required_secret_is_missing() {
    let dir = TempDir::new("secrets-missing");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).env("ZENDESK_CLIENT_SECRET", "");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    // the verdict is on stderr, once: a terminal shows it once, and a pipeline that keeps only stderr sees it
    assert_eq!(
        stderr,
        "error: 1 required secret is missing: `ZENDESK_CLIENT_SECRET` (`zendesk` in `live`: `auth.client_secret`); set it as an environment variable where the agent runs, or in the dotenv file it reads; an empty or blank value counts as missing\n"
    );
    assert!(
        stdout.contains("ZENDESK_CLIENT_SECRET  auth.client_secret  named in file  required  MISSING\n"),
        "{stdout}"
    );
    assert!(stdout.contains("ZENDESK_LIVE_SCOPE     auth.scope          conventional   optional  not set\n"));
    assert!(!stdout.contains("required secret is missing"), "not twice: {stdout}");
    // set under a name one slip away, in the environment or the dotenv file
    dir.file("local.env", "zendesk_client_secret=s\n");
    // (`--env-file`, as other tools name it, is `--dotenv`)
    for (variable, dotenv, held) in [
        ("ZENDESK_CLIENT_SECRETS", None, "ZENDESK_CLIENT_SECRETS"),
        ("UNRELATED", Some(["--dotenv", "local.env"]), "zendesk_client_secret"),
        ("UNRELATED", Some(["--env-file", "local.env"]), "zendesk_client_secret"),
    ] {
        let mut command = conv_api(&dir.0);
        command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).args(dotenv.into_iter().flatten());
        let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env(variable, "s"));
        assert_eq!(code, 1);
        let similar = format!(
            "counts as missing; similar names are set, perhaps misspelt: `{held}` (for `ZENDESK_CLIENT_SECRET`)\n"
        );
        assert!(stderr.ends_with(&similar), "{stderr}");
    }
    // a secret the file names elsewhere (pre-release here) is no slip, however close
    dir.file("two.yaml", &GOOD.replace("ZENDESK_STAGING_KEY", "ZENDESK_CLIENT_SECRETS"));
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "two.yaml", "--env", "live", "--check"]);
    let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env("ZENDESK_CLIENT_SECRETS", "s"));
    assert_eq!(code, 1);
    assert!(!stderr.contains("similar names"), "{stderr}");
    // and does not hide a slip beside it (one that sorts after it)
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "two.yaml", "--env", "live", "--check"]).env("ZENDESK_CLIENT_SECRT", "s");
    let (code, _, stderr) = run(command.env("ZENDESK_CLIENT_SECRET", "").env("ZENDESK_CLIENT_SECRETS", "s"));
    assert_eq!(code, 1);
    assert!(stderr.ends_with("`ZENDESK_CLIENT_SECRT` (for `ZENDESK_CLIENT_SECRET`)\n"), "{stderr}");
}

#[test]
fn secrets_check_fails_on_a_value_every_call_would_refuse_naming_it_never_showing_it() {
    let dir = TempDir::new("secrets-invalid");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    // a key pasted with a line break before it: set, but no header can carry it
    command.args(["secrets", "apis.yaml", "--env", "pre-release", "--check"]).env("ZENDESK_STAGING_KEY", "\nk-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("ZENDESK_STAGING_KEY  auth.value  named in file  required  INVALID\n"), "{stdout}");
    assert!(!stdout.contains("every required secret is set"), "{stdout}");
    assert_eq!(
        stderr,
        "error: `zendesk` in `pre-release`: the secret `ZENDESK_STAGING_KEY` (the auth `value`) must hold text with no control character and nothing beyond Latin-1, which an HTTP header cannot carry (it holds a control character, such as CR, LF or a tab); fix its value in the secret store\n"
    );
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    // beside a missing secret, each is said on its own line
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check"])
        .env("ZENDESK_STAGING_KEY", "k\t1")
        .env("ZENDESK_CLIENT_SECRET", "");
    let (code, _, stderr) = run(command.env("ZENDESK_SANDBOX_PASSWORD", "pw-of-sandbox"));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 2 && lines[0].starts_with("error: 1 required secret is missing: `ZENDESK_CLIENT_SECRET`"),
        "{stderr}"
    );
    assert!(lines[1].starts_with("error: `zendesk` in `pre-release`: the secret `ZENDESK_STAGING_KEY`"), "{stderr}");
}

#[test]
fn secrets_check_warns_of_a_credential_in_quotes_or_ending_in_a_space_and_passes() {
    let dir = TempDir::new("secrets-doubted");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    // quotes Docker's `--env-file` keeps; a key pasted with a space after it
    command
        .args(["secrets", "apis.yaml", "--env", "pre-release", "--check"])
        .env("ZENDESK_STAGING_KEY", "\"k-s3cr3t\"");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ZENDESK_STAGING_KEY  auth.value  named in file  required  set\n"), "{stdout}");
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
    assert_eq!(
        stderr,
        "warning: `zendesk` in `pre-release`: secret `ZENDESK_STAGING_KEY` (`auth.value`): its value is in double quotes (\"…\"), which calls send as part of it; remove them unless the credential holds them (a shell or a `.env` file removes them, Docker's `--env-file` keeps them)\n"
    );
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "s3cr3t ");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("warning: `zendesk` in `sandbox`: secret `ZENDESK_SANDBOX_PASSWORD` (`auth.password`): its value ends with a space, which calls send"), "{stderr}");
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
    // a token URL's blanks are trimmed as it is read: no credential, no doubt
    let with_url_secret = GOOD
        .replace("token_url: https://acme.zendesk.example/oauth/tokens", "token_url: { secret: ZENDESK_TOKEN_URL }");
    dir.file("apis.yaml", &with_url_secret);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("ZENDESK_TOKEN_URL", " https://acme.zendesk.example/oauth/tokens ").env("ZENDESK_CLIENT_SECRET", "cs ");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("ZENDESK_TOKEN_URL  "), "{stdout}");
    let ends = "warning: `zendesk` in `live`: secret `ZENDESK_CLIENT_SECRET` (`auth.client_secret`): its value ends with a space, which calls send as part of it; remove it unless the credential holds it\n";
    // and, on a line of its own, that it is too short: each doubt at once
    let short = "warning: `zendesk` in `live`: secret `ZENDESK_CLIENT_SECRET` (`auth.client_secret`): its value has 2 characters once the quotes or blanks at its ends are taken off: ";
    assert!(stderr.starts_with(ends) && stderr[ends.len()..].starts_with(short), "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

/// A credential logs mask, shorter than 8 characters, is masked inside words too:
/// a warning says so, and the check passes.
#[test]
fn secrets_check_warns_of_a_masked_credential_too_short_to_be_real() {
    let dir = TempDir::new("secrets-short");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "test");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "warning: `zendesk` in `sandbox`: secret `ZENDESK_SANDBOX_PASSWORD` (`auth.password`): its value has 4 characters: logs and errors mask a credential wherever it shows, inside words too (a password `test` turns `latest` into `la***`), so one this short garbles them and its gaps tell it; a real credential is longer\n"
    );
    // quoted too: both, so that taking the quotes off does not meet the next warning
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "\"abc\"");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    let doubts: Vec<&str> =
        stderr.lines().map(|line| line.split("(`auth.password`): ").nth(1).unwrap_or(line)).collect();
    assert_eq!(doubts.len(), 2, "{stderr}");
    let once = "its value has 3 characters once the quotes or blanks at its ends are taken off: ";
    assert!(doubts[0].starts_with("its value is in double quotes") && doubts[1].starts_with(once), "{stderr}");
    // long enough with its quotes, short without them: said now, not after they are off
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--env", "sandbox", "--check"])
        .env("ZENDESK_SANDBOX_PASSWORD", "\"k-1-9Qz\"");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    let doubts: Vec<&str> =
        stderr.lines().map(|line| line.split("(`auth.password`): ").nth(1).unwrap_or(line)).collect();
    assert_eq!(doubts.len(), 2, "{stderr}");
    assert!(doubts[1].starts_with("its value has 7 characters once the quotes"), "{stderr}");
    assert!(!stderr.contains("k-1-9Qz"), "{stderr}");
    // nothing but quotes: that alone, no count of what is not there
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "\"\"");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("its value is nothing but a pair of double quotes") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "sandbox", "--check"]).env("ZENDESK_SANDBOX_PASSWORD", "t3st-pa55");
    let (code, _, stderr) = run(&mut command);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn secrets_check_shows_every_refused_value_at_once_not_one_per_fix() {
    let dir = TempDir::new("secrets-every-invalid");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, auth_type: apiKey, auth: { name: { secret: SHOP_KEY_HEADER } } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    let (code, stdout, stderr) = run(command.env("SHOP_KEY_HEADER", "X Shop Key").env("SHOP_LIVE_API_KEY", "k\n1"));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_KEY_HEADER    auth.name   named in file  required  INVALID\n"), "{stdout}");
    assert!(stdout.contains("SHOP_LIVE_API_KEY  auth.value  conventional   required  INVALID\n"), "{stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.len() == 2
            && lines[0].starts_with("error: `shop` in `live`: the secret `SHOP_KEY_HEADER` (the auth `name`)")
            && lines[1].starts_with("error: `shop` in `live`: the secret `SHOP_LIVE_API_KEY` (the auth `value`)"),
        "{stderr}"
    );
}

#[test]
fn secrets_check_fails_on_a_tls_secret_every_call_would_refuse() {
    let dir = TempDir::new("secrets-tls");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, tls: { ca: { secret: SHOP_CA } } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]).env("SHOP_CA", "see the wiki for the CA");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_CA  tls.ca  named in file  required  INVALID\n"), "{stdout}");
    assert!(stderr.starts_with("error: `shop` in `live`: secret `SHOP_CA` (`tls.ca`) is not PEM text"), "{stderr}");
    assert!(!stderr.contains("wiki"), "{stderr}");
}

#[test]
fn secrets_check_shows_a_client_key_that_is_not_the_certificates_invalid() {
    let dir = TempDir::new("secrets-mtls");
    let yaml = "api_integrations:\n  - name: shop\n    environments: { live: { base_url: https://shop.example, tls: { client_cert: { secret: SHOP_CERT }, client_key: { secret: SHOP_KEY } } } }\n";
    dir.file("apis.yaml", yaml);
    let certified = rcgen::generate_simple_self_signed(vec!["agent.example".to_string()]).unwrap();
    let other_key = rcgen::KeyPair::generate().unwrap();
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", other_key.serialize_pem());
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("SHOP_CERT  tls.client_cert  named in file  required  INVALID\n"), "{stdout}");
    assert!(stdout.contains("SHOP_KEY   tls.client_key   named in file  required  INVALID\n"), "{stdout}");
    assert!(stderr.contains("holds the private key of the certificate in secret `SHOP_CERT`"), "{stderr}");
    // a CA missing beside them, or one rustls refuses (its PEM block holds no
    // certificate), hides no mismatch: one run tells both
    let with_ca = yaml.replace("tls: {", "tls: { ca: { secret: SHOP_CA },");
    dir.file("apis.yaml", &with_ca);
    let not_a_certificate = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    for (ca, state) in [(None, "MISSING"), (Some(not_a_certificate), "INVALID")] {
        let mut command = conv_api(&dir.0);
        command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
        match ca {
            Some(ca) => command.env("SHOP_CA", ca),
            None => command.env_remove("SHOP_CA"),
        };
        let (code, stdout, stderr) =
            run(command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", other_key.serialize_pem()));
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.contains(&format!("SHOP_CA    tls.ca           named in file  required  {state}\n")),
            "{stdout}"
        );
        assert!(stdout.contains("SHOP_KEY   tls.client_key   named in file  required  INVALID\n"), "{stdout}");
        assert!(stderr.contains("holds the private key of the certificate in secret `SHOP_CERT`"), "{stderr}");
    }
    dir.file("apis.yaml", yaml);
    // with its own key, it passes
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    let (code, stdout, _) =
        run(command.env("SHOP_CERT", certified.cert.pem()).env("SHOP_KEY", certified.key_pair.serialize_pem()));
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn secrets_check_fails_on_a_token_url_from_the_store_that_is_no_url_never_showing_it() {
    let dir = TempDir::new("secrets-token-url");
    let yaml = "api_integrations:\n  - name: crm\n    environments: { live: { base_url: https://crm.example, auth_type: oauth2, auth: { client_id: agent } } }\n";
    dir.file("apis.yaml", yaml);
    let mut command = conv_api(&dir.0);
    command.args(["secrets", "apis.yaml", "--env", "live", "--check"]);
    command.env("CRM_LIVE_TOKEN_URL", "tokens-s3cr3t-host/t").env("CRM_LIVE_CLIENT_SECRET", "cs");
    let (code, stdout, stderr) = run(command.env_remove("CRM_LIVE_SCOPE"));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("CRM_LIVE_TOKEN_URL      auth.token_url      conventional  required  INVALID\n"),
        "{stdout}"
    );
    assert!(stderr.contains("(from secret `CRM_LIVE_TOKEN_URL`) is set to text, not an absolute URL"), "{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"), "{stdout}{stderr}");
}

#[test]
fn secrets_check_reads_a_dotenv_file_after_the_environment() {
    let dir = TempDir::new("secrets-dotenv");
    dir.file("apis.yaml", GOOD);
    dir.file(".env", "ZENDESK_STAGING_KEY=from-file-s3cr3t\nZENDESK_CLIENT_SECRET=from-file-s3cr3t\n");
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check", "--dotenv", ".env"])
        .env("ZENDESK_SANDBOX_PASSWORD", "from-env-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--check", "--dotenv", "no.env"]));
    assert_eq!(code, 1);
    assert!(stderr.contains("no.env"), "{stderr}");
    // every bad line of the file, as diagnostics
    dir.file("bad.env", "A=1\nbad line\n=s3cr3t\n");
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "apis.yaml", "--check", "--dotenv", "bad.env"]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("bad.env:2: error: expected `KEY=value`"), "{stderr}");
    assert!(lines[1].starts_with("bad.env:3: error: ") && !stderr.contains("s3cr3t"), "{stderr}");
    // with a bad definitions file too, both files' errors at once
    dir.file("bad.yaml", BAD);
    let (code, stdout, stderr) = run(conv_api(&dir.0).args(["secrets", "bad.yaml", "--check", "--dotenv", "bad.env"]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with("bad.env:2: error: ") && stderr.contains("\nbad.yaml:1:1: error: "), "{stderr}");
    // `-` reads the dotenv text from standard input, once
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check", "--dotenv", "-"])
        .env("ZENDESK_SANDBOX_PASSWORD", "from-env-s3cr3t");
    let text = "ZENDESK_STAGING_KEY=from-stdin\nZENDESK_CLIENT_SECRET=from-stdin\n";
    let output = run_with_input(&mut command, text.as_bytes());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
    let (code, _, stderr) = run(conv_api(&dir.0).args(["secrets", "-", "--check", "--dotenv", "-"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("can be read only once"), "{stderr}");
}

#[test]
fn secrets_check_passes_when_every_required_secret_is_set_and_never_prints_values() {
    let dir = TempDir::new("secrets-set");
    dir.file("apis.yaml", GOOD);
    let mut command = conv_api(&dir.0);
    command
        .args(["secrets", "apis.yaml", "--check"])
        .env("ZENDESK_SANDBOX_PASSWORD", "value-one-s3cr3t")
        .env("ZENDESK_STAGING_KEY", "value-two-s3cr3t")
        .env("ZENDESK_CLIENT_SECRET", "value-three-s3cr3t");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert_eq!(stdout.matches("  set\n").count(), 3, "{stdout}");
    assert!(stdout.ends_with("every required secret is set\n"), "{stdout}");
}
