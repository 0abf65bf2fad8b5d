//! TLS secrets that hold no usable PEM, and problems of several kinds (TLS and
//! OAuth 2.0 secrets, a stored token URL) told together, each on its secret.

use super::*;

#[tokio::test]
async fn a_missing_ca_and_an_encrypted_client_key_are_told_at_once() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let secrets = MapSecretStore::new().with("MUTUAL_CERT", pki.client.pem()).with("MUTUAL_KEY", encrypted);
    let error = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err();
    // a missing secret and a value that cannot work: a configuration problem
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("environment `sandbox`: 2 problems with the environment's `tls:` settings: (1) missing secret `MUTUAL_CA` (named for `tls.ca` in the definitions file)"), "{text}");
    assert!(text.contains("(2) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    // its value is PEM: the fix is to decrypt it, not to check what it holds
    assert!(
        text.ends_with("store it decrypted (`openssl pkey -in key.pem -out plain-key.pem`); nothing was sent"),
        "{text}"
    );
    assert!(!text.contains("MIIFHDBO"), "{text}");
    // the key is checked without its certificate too
    let secrets = MapSecretStore::new().with("MUTUAL_CA", pki.ca.pem()).with("MUTUAL_KEY", encrypted);
    let text = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("(1) missing secret `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file); add it to the secret store this runtime reads, MapSecretStore holding `MUTUAL_CA` and `MUTUAL_KEY` (an empty or blank value counts as missing); its value is PEM text or the path of a PEM file"), "{text}");
    assert!(text.contains("(2) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    // a name the store holds in another case is offered
    let secrets = MapSecretStore::new().with("mutual_ca", pki.ca.pem()).with("MUTUAL_KEY", encrypted);
    let text = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("3 problems with the environment's `tls:` settings: (1) missing secret `MUTUAL_CA` (named for `tls.ca` in the definitions file; did you mean `mutual_ca`, which the store holds?); add it to the secret store this runtime reads,"), "{text}");
    assert!(
        text.contains("(2) missing secret `MUTUAL_CERT` (named for `tls.client_cert` in the definitions file); add it"),
        "{text}"
    );
    assert!(text.contains("(3) secret `MUTUAL_KEY` (`tls.client_key`) is encrypted"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_tls_secret_that_is_not_pem_is_a_config_error_that_hides_the_value() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", "hunter2-not-a-pem");
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_ca_pem_block_that_holds_no_certificate_is_blamed_on_its_secret() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, false).await;
    // valid PEM and base64, yet no certificate inside
    let not_a_certificate = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    let secrets = MapSecretStore::new().with("PRIVATE_CA", not_a_certificate);
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(
        text.contains(
            "environment `sandbox`: secret `PRIVATE_CA` (`tls.ca`) holds a PEM block that is no valid certificate ("
        ),
        "{text}"
    );
    assert!(!text.contains("client key"), "no client key is configured: {text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// An API `desk` over TLS whose OAuth 2.0 client secret is `DESK_SECRET`, with `tls`.
fn oauth_over_tls(tls: &str) -> DynamicApis {
    let yaml = format!(
        "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: https://desk.example
        auth_type: oauth2
        auth: {{ token_url: https://login.desk.example/token, client_id: bot, client_secret: {{ secret: DESK_SECRET }} }}
        tls: {tls}
    operations:
      - {{ name: ping, method: GET, resource: /ping }}
"
    );
    DynamicApis::parse("apis.yaml", &yaml).unwrap()
}

#[tokio::test]
async fn an_oauth_calls_missing_secret_names_the_client_secret_beside_the_ca() {
    let apis = oauth_over_tls("{ ca: { secret: DESK_CA } }");
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(MapSecretStore::new()).build().unwrap();
    let missing: Vec<String> = runtime.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
    assert_eq!(missing, ["DESK_SECRET", "DESK_CA"]);
    let error = runtime.dynamic_conversation(&apis).api.call("desk", "ping").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingSecret, "{error}");
    let message = error.to_string();
    assert!(message.contains("(1) `DESK_SECRET`") && message.contains("(2) `DESK_CA`"), "{message}");
}

#[tokio::test]
async fn a_stored_token_url_that_is_no_url_may_be_meant_for_tls() {
    let yaml = "api_integrations:
  - name: desk
    environments:
      sandbox:
        base_url: http://127.0.0.1:9
        auth_type: oauth2
        auth: { client_id: bot, client_secret: { secret: DESK_SECRET } }
        tls: { ca: { secret: DESK_CA } }
    operations: []
";
    let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
    // a stray space before the port: the runtime reads no plain `http` URL there
    for (token_url, missing) in [("http://127.0.0.1 :9/token", vec!["DESK_CA"]), ("http://127.0.0.1:9/token", vec![])] {
        let store = MapSecretStore::new().with("DESK_SECRET", "s").with("DESK_SANDBOX_TOKEN_URL", token_url);
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
        let names: Vec<String> = runtime.dynamic_missing_secrets(&apis).into_iter().map(|m| m.name).collect();
        assert_eq!(names, missing, "{token_url}");
    }
}

#[tokio::test]
async fn a_missing_client_secret_is_named_beside_tls_problems_of_other_kinds() {
    let pki = pki();
    let apis = oauth_over_tls(
        "{ ca: { secret: DESK_CA }, client_cert: { secret: DESK_CERT }, client_key: { secret: DESK_KEY } }",
    );
    let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let store = MapSecretStore::new().with("DESK_CERT", pki.client.pem()).with("DESK_KEY", encrypted);
    let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).build().unwrap();
    let error = runtime.dynamic_conversation(&apis).api.call("desk", "ping").await.unwrap_err();
    let message = error.to_string();
    assert!(message.contains("missing secret `DESK_CA` (named for `tls.ca` in the definitions file)"), "{message}");
    assert!(message.contains("`DESK_KEY` (`tls.client_key`) is encrypted"), "{message}");
    assert!(
        message.contains("; the secret store also lacks `DESK_SECRET` (for `auth.client_secret`): add it too"),
        "{message}"
    );
}

#[test]
fn check_tls_names_the_secrets_each_problem_is_about() {
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let mutual = apis.definitions().apis.iter().find(|api| api.name() == "mutual").unwrap();
    let sandbox = mutual.environment(Environment::Sandbox).unwrap();
    let secrets_of = |store: MapSecretStore| -> Vec<(Vec<String>, ErrorKind)> {
        let problems = conv_api_runtime::check_tls(sandbox, &store);
        problems.into_iter().map(|problem| (problem.secrets, problem.error.kind())).collect()
    };
    let names = |names: &[&str]| names.iter().map(|name| name.to_string()).collect::<Vec<_>>();
    assert_eq!(
        secrets_of(MapSecretStore::new()),
        [(names(&["MUTUAL_CA", "MUTUAL_CERT", "MUTUAL_KEY"]), ErrorKind::MissingSecret)]
    );
    let pki = pki();
    let (ca, cert) = (pki.ca.pem(), pki.client.pem());
    let valid = || MapSecretStore::new().with("MUTUAL_CA", ca.as_str()).with("MUTUAL_CERT", cert.as_str());
    let not_pem = valid().with("MUTUAL_CA", "see the wiki").with("MUTUAL_KEY", pki.client_key.serialize_pem());
    assert_eq!(secrets_of(not_pem), [(names(&["MUTUAL_CA"]), ErrorKind::Config)]);
    // a key that is not the certificate's: both are named, the CA is not
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    let mismatched = secrets_of(valid().with("MUTUAL_KEY", other_key));
    assert_eq!(mismatched, [(names(&["MUTUAL_CERT", "MUTUAL_KEY"]), ErrorKind::Config)]);
    let problem = &conv_api_runtime::check_tls(sandbox, &valid().with("MUTUAL_KEY", "x"))[0];
    assert_eq!(problem.to_string(), problem.error.to_string(), "shown as its error");
    assert!(
        conv_api_runtime::check_tls(sandbox, &valid().with("MUTUAL_KEY", pki.client_key.serialize_pem())).is_empty()
    );
}
