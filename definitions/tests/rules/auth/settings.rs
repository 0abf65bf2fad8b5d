//! The settings each auth type resolves to: conventional secret names when left
//! out, explicit ones kept, empty values read as none.

use super::*;

fn conventional(name: &str) -> Setting {
    Setting::Secret(SecretRef { name: name.to_string().into(), source: SecretSource::Conventional, required: true })
}

#[test]
fn auth_left_out_resolves_to_conventional_secret_names() {
    let checked = good("adk_reference.yaml");
    let salesforce = checked.definitions.api("salesforce").unwrap();
    let Auth::OAuth2(live) = &salesforce.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(live.client_secret, conventional("SALESFORCE_LIVE_CLIENT_SECRET"));
    assert_eq!(live.client_id, conventional("SALESFORCE_LIVE_CLIENT_ID"));
    assert_eq!(live.token_url, conventional("SALESFORCE_LIVE_TOKEN_URL"));
    let Some(Setting::Secret(scope)) = &live.scope else { panic!("scope is not a secret") };
    assert_eq!((scope.name.as_ref(), scope.required), ("SALESFORCE_LIVE_SCOPE", false));
    assert_eq!(live.credentials, Configured::Literal(CredentialsLocation::Header));
    assert_eq!(
        (live.header_name.literal_str(), live.token_prefix.literal_str()),
        (Some("Authorization"), Some("Bearer"))
    );

    let zendesk = checked.definitions.api("zendesk").unwrap();
    let Auth::ApiKey(key) = &zendesk.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(key.value, conventional("ZENDESK_PRE_RELEASE_API_KEY"));
    assert_eq!(
        (key.location.literal(), key.name.literal_str(), &key.prefix),
        (Some(&KeyLocation::Header), Some("X-API-Key"), &None)
    );
    let Auth::Basic(basic) = &zendesk.environment(Environment::Sandbox).unwrap().auth else { panic!("not basic") };
    assert_eq!(basic.username, conventional("ZENDESK_SANDBOX_USERNAME"));
    assert_eq!(basic.password, conventional("ZENDESK_SANDBOX_PASSWORD"));
}

#[test]
fn explicit_settings_are_kept() {
    let checked = good("full.yaml");
    let zendesk = checked.definitions.api("zendesk").unwrap();
    let Auth::Basic(basic) = &zendesk.environment(Environment::Sandbox).unwrap().auth else { panic!("not basic") };
    assert_eq!(basic.username, Setting::Literal("agent@acme.example".into()));
    assert_eq!(basic.password, explicit("ZENDESK_SANDBOX_PASSWORD"));
    let Auth::ApiKey(key) = &zendesk.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!((key.name.literal_str(), &key.value), (Some("X-Api-Key"), &explicit("ZENDESK_STAGING_KEY")));
    let Auth::OAuth2(oauth) = &zendesk.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(oauth.token_url, Setting::Literal("https://acme.zendesk.example/oauth/tokens".into()));
    assert_eq!(oauth.scope, Some(Setting::Literal("tickets:read tickets:write".into())));
    assert_eq!(oauth.credentials, Configured::Literal(CredentialsLocation::Body));
    let secrets: Vec<String> =
        zendesk.environment(Environment::Live).unwrap().auth.secrets().iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(secrets, ["client_secret"]);
}

#[test]
fn empty_prefixes_and_scope_mean_none() {
    let yaml = "api_integrations:
  - name: crm
    environments:
      sandbox:
        base_url: https://sandbox.crm.example
        auth_type: apiKey
        auth: { name: X-Key, prefix: \"\" }
      live:
        base_url: https://crm.example
        auth_type: oauth2
        auth: { header_name: X-Access-Token, token_prefix: \"\", scope: \"\" }
    operations: []
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("a bare key or token is allowed:\n{d}"));
    let crm = checked.definitions.api("crm").unwrap();
    let Auth::ApiKey(key) = &crm.environment(Environment::Sandbox).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(key.prefix.as_ref().and_then(Setting::literal_str), Some(""));
    let Auth::OAuth2(oauth) = &crm.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(
        (oauth.token_prefix.literal_str(), oauth.scope.as_ref().and_then(Setting::literal_str)),
        (Some(""), Some(""))
    );
}

#[test]
fn every_auth_type_with_its_settings() {
    let checked = good("every_auth.yaml");
    let crm = checked.definitions.api("crm").unwrap();
    let Auth::ApiKey(key) = &crm.environment(Environment::PreRelease).unwrap().auth else { panic!("not apiKey") };
    assert_eq!((key.location.literal(), key.name.literal_str()), (Some(&KeyLocation::Query), Some("api_key")));
    assert_eq!(key.value, conventional("CRM_PRE_RELEASE_API_KEY"));
    let Auth::OAuth2(oauth) = &crm.environment(Environment::Live).unwrap().auth else { panic!("not oauth2") };
    assert_eq!(oauth.client_id, explicit("CRM_CLIENT"));
    assert_eq!(
        (oauth.header_name.literal_str(), oauth.token_prefix.literal_str()),
        (Some("X-Access-Token"), Some("Token"))
    );
    assert_eq!(oauth.client_secret, conventional("CRM_LIVE_CLIENT_SECRET"));
    let payments = checked.definitions.api("payments").unwrap();
    assert_eq!(payments.environment(Environment::Sandbox).unwrap().auth, Auth::None);
    let Auth::ApiKey(key) = &payments.environment(Environment::Live).unwrap().auth else { panic!("not apiKey") };
    assert_eq!(
        (key.name.literal_str(), key.prefix.as_ref().and_then(Setting::literal_str)),
        (Some("Authorization"), Some("Bearer"))
    );
}

#[test]
fn settings_that_are_not_credentials_may_name_secrets_too() {
    let checked = good("every_auth.yaml");
    let tickets = checked.definitions.api("tickets").unwrap();
    let secret_fields = |environment| -> Vec<(String, String)> {
        let auth = &tickets.environment(environment).unwrap().auth;
        auth.secrets().into_iter().map(|(field, secret)| (field.into_owned(), secret.name.to_string())).collect()
    };
    let named = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(field, name)| (field.to_string(), name.to_string())).collect()
    };
    assert_eq!(
        secret_fields(Environment::PreRelease),
        named(&[
            ("location", "TICKETS_KEY_LOCATION"),
            ("name", "TICKETS_KEY_NAME"),
            ("prefix", "TICKETS_KEY_PREFIX"),
            ("value", "TICKETS_PRE_RELEASE_API_KEY"),
        ])
    );
    let live = secret_fields(Environment::Live);
    assert_eq!(
        live[4..],
        named(&[
            ("credentials", "TICKETS_CREDENTIALS"),
            ("header_name", "TICKETS_HEADER"),
            ("token_prefix", "TICKETS_TOKEN_PREFIX"),
        ])
    );
    // a secret reference to a setting is checked like any other
    let bad = "api_integrations:
  - name: tickets
    environments:
      live:
        base_url: https://tickets.example
        auth_type: apiKey
        auth: { location: { secret: lower }, prefix: { secret: \"\" } }
";
    let errors = parse_str("apis.yaml", bad).expect_err("bad secret names");
    assert!(
        errors.to_string().contains("auth.location.secret` is not a valid secret name, which is upper-case"),
        "{errors}"
    );
    assert!(errors.to_string().contains("(like `TICKETS_LIVE_PREFIX`)"), "{errors}");
}
