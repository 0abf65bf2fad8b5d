//! Mutual TLS: the client certificate and key from their secrets or one PEM file,
//! and each wrong or unreadable one blamed on its own secret.

use super::*;

#[tokio::test]
async fn a_client_certificate_or_key_in_the_wrong_secret_is_blamed_on_that_secret() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let cert_as_key = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_KEY", pki.client.pem());
    let error = ping(&runtime("mutual", &url, cert_as_key), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    assert!(text.contains("secret `MUTUAL_KEY` (`tls.client_key`) holds no PEM private key"), "{text}");
    assert!(!text.contains("MUTUAL_CERT"), "the certificate's secret is right: {text}");
    let key_as_cert = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_CERT", pki.client_key.serialize_pem());
    let text = ping(&runtime("mutual", &url, key_as_cert), "mutual").await.unwrap_err().to_string();
    assert!(text.contains("secret `MUTUAL_CERT` (`tls.client_cert`) holds no PEM certificate"), "{text}");
    assert!(!text.contains("MUTUAL_KEY"), "{text}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// The secrets of the API `mutual`: the test CA, the client certificate, and `key`
/// as its private key.
fn mutual_secrets(pki: &Pki, key: &rcgen::KeyPair) -> MapSecretStore {
    MapSecretStore::new()
        .with("MUTUAL_CA", pki.ca.pem())
        .with("MUTUAL_CERT", pki.client.pem())
        .with("MUTUAL_KEY", key.serialize_pem())
}

#[tokio::test]
async fn mutual_tls_works_with_the_client_certificate() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = mutual_secrets(&pki, &pki.client_key);
    assert_eq!(ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap().text(), "ok");
}

#[tokio::test]
async fn one_pem_file_with_the_ca_the_certificate_and_its_key_serves_all_three_in_any_order() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let (ca, cert, key) = (pki.ca.pem(), pki.client.pem(), pki.client_key.serialize_pem());
    for (index, order) in [[&cert, &key, &ca], [&ca, &cert, &key], [&key, &ca, &cert]].into_iter().enumerate() {
        let bundle = order.map(String::as_str).join("\n");
        let secrets = MapSecretStore::new().with("BUNDLE_PEM", bundle.as_str());
        let response = ping(&runtime("bundled", &url, secrets.clone()), "bundled").await;
        let text = response.map(|response| response.text().to_string()).unwrap_or_else(|error| error.to_string());
        assert_eq!(text, "ok", "order {index}");
        let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
        let bundled = apis.definitions().apis.iter().find(|api| api.name() == "bundled").unwrap();
        let problems = conv_api_runtime::check_tls(bundled.environment(Environment::Sandbox).unwrap(), &secrets);
        assert!(problems.is_empty(), "order {index}: {problems:?}");
    }
}

#[tokio::test]
async fn a_server_requiring_a_client_certificate_refuses_a_client_without_one() {
    let pki = pki();
    let (url, _) = https_server(&pki, true).await;
    let secrets = MapSecretStore::new().with("PRIVATE_CA", pki.ca.pem());
    let error = ping(&runtime("private", &url, secrets), "private").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Tls, "{error}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_client_key_that_is_not_the_certificates_is_a_config_error_with_its_reason() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    let secrets = mutual_secrets(&pki, &pki.server_key);
    let error = ping(&runtime("mutual", &url, secrets), "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    // the reason is rustls's, such as `keys may not be consistent: KeyMismatch`
    assert!(
        text.contains("environment `sandbox`: cannot set up the HTTP client with the `tls:` settings (keys"),
        "{text}"
    );
    // both secrets named, as `conv-api secrets --check` marks their rows by them
    let names = "check that secret `MUTUAL_KEY` (`tls.client_key`) holds the private key of the certificate in secret `MUTUAL_CERT` (`tls.client_cert`)";
    assert!(text.ends_with(&format!("{names}; nothing was sent")), "{text}");
    assert!(std::error::Error::source(&error).is_some(), "the client builder's error is kept: {error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_client_certificate_rustls_cannot_read_is_named_not_the_key() {
    let pki = pki();
    let (url, accepted) = https_server(&pki, true).await;
    // a PEM block whose content is no certificate: `nope` in base64
    let garbage = "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n";
    let secrets = mutual_secrets(&pki, &pki.client_key).with("MUTUAL_CERT", garbage);
    let runtime = runtime("mutual", &url, secrets);
    let error = ping(&runtime, "mutual").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config, "{error}");
    let text = error.to_string();
    let says = "secret `MUTUAL_CERT` (`tls.client_cert`) holds a PEM block that is no valid certificate (BadEncoding)";
    assert!(text.contains(&format!("environment `sandbox`: {says}")), "{text}");
    assert!(!text.contains("MUTUAL_KEY") && !text.contains("peer"), "the key is the certificate's: {text}");
    // preflight, and so `conv-api secrets --check`, says the same
    let apis = DynamicApis::parse("tls.yaml", YAML).unwrap();
    let problems = runtime.dynamic_preflight(&apis);
    assert!(problems.iter().any(|problem| problem.to_string().contains(says)), "{problems:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

/// One PEM file named by both `client_cert` and `client_key`: a problem of the
/// pair names that secret once.
#[test]
fn check_tls_names_a_secret_both_identity_fields_read_once() {
    let yaml = r#"
api_integrations:
  - name: bundled
    environments:
      sandbox:
        base_url: "https://bundled.example"
        tls: { client_cert: { secret: BUNDLE }, client_key: { secret: BUNDLE } }
    operations:
      - { name: ping, method: GET, resource: /ping }
"#;
    let apis = DynamicApis::parse("tls.yaml", yaml).unwrap();
    let sandbox = apis.definitions().apis[0].environment(Environment::Sandbox).unwrap();
    let pki = pki();
    let secrets_of = |bundle: String| -> Vec<Vec<String>> {
        let problems = conv_api_runtime::check_tls(sandbox, &MapSecretStore::new().with("BUNDLE", bundle));
        problems.into_iter().map(|problem| problem.secrets).collect()
    };
    let once = vec![vec!["BUNDLE".to_string()]];
    // a key that is not the certificate's
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    assert_eq!(secrets_of(format!("{}\n{other_key}", pki.client.pem())), once);
    // a certificate block that is no certificate, beside the key
    let broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    assert_eq!(secrets_of(format!("{broken}\n{}", pki.client_key.serialize_pem())), once);
    let fine = format!("{}\n{}", pki.client.pem(), pki.client_key.serialize_pem());
    assert!(secrets_of(fine).is_empty());
}
