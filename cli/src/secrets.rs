//! `conv-api secrets FILE [--env ENV] [--check]`: the secrets each environment needs.

use std::path::Path;

use conv_api_definitions::names::similar_secret_name;
use conv_api_definitions::{one_line, Api, Definitions, Environment, EnvironmentConfig, SecretSource};
use conv_api_runtime::auth::{check_credentials, AuthError};
use conv_api_runtime::{
    check_tls, held_names_not_read, is_set, missing_secrets, needed_secrets, needed_secrets_in, secret_doubt,
    short_secret_doubt, DotenvError, DotenvSecretStore, EnvSecretStore, ErrorKind, LayeredSecretStore, NeededSecret,
    SecretStore,
};

use crate::table::layout;

/// One secret that one environment of one API reads at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needed {
    /// Where it is used: `auth.password`, `tls.ca` ...
    pub field: String,
    /// The secret's name, which is also the environment variable's.
    pub name: String,
    /// Named in the file, or the conventional name of a field left out.
    pub source: SecretSource,
    /// Whether the runtime fails without it.
    pub required: bool,
    /// Whether it is a credential, sent as it is read ([`NeededSecret::is_credential`]).
    pub credential: bool,
    /// Whether logs mask its value wherever it shows ([`NeededSecret::is_masked`]).
    pub masked: bool,
}

/// The store `--check` asks, built as the runtime builds it: [`EnvSecretStore`]
/// (environment variables named exactly as the secret; empty or blank counts as missing),
/// then the `dotenv` file when given.
pub fn store(dotenv: Option<&Path>) -> Result<LayeredSecretStore, DotenvError> {
    let store = LayeredSecretStore::new().then(EnvSecretStore);
    Ok(match dotenv {
        Some(path) if path.as_os_str() == "-" => {
            store.then(DotenvSecretStore::from_reader("<stdin>", std::io::stdin())?)
        }
        Some(path) => store.then(DotenvSecretStore::from_path(path)?),
        None => store,
    })
}

/// Every secret `config` reads, as the runtime names them: auth fields in table
/// order, then TLS material; checked against `store`, as a check finds them there.
pub fn needed(config: &EnvironmentConfig, store: Option<&dyn SecretStore>) -> Vec<Needed> {
    let needed = store.map_or_else(|| needed_secrets(config), |store| needed_secrets_in(config, store));
    needed.into_iter().map(entry).collect()
}

fn entry(secret: NeededSecret) -> Needed {
    let field = format!("{}.{}", secret.section, secret.field);
    let (credential, masked) = (secret.is_credential(), secret.is_masked());
    Needed { field, name: secret.name, source: secret.source, required: secret.required, credential, masked }
}

/// What `secrets` prints, and the required secrets found missing.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The text for standard output.
    pub text: String,
    /// Required secrets that are not set (only filled when checking), each once.
    pub missing: Vec<Missing>,
    /// Of the missing secrets, those for which the store holds a similar name (a
    /// likely typo): the missing name, then the one held.
    pub similar: Vec<(String, String)>,
    /// Where no API is wired, when that is where the check looks: nothing there can
    /// be called.
    pub unwired: Option<Unwired>,
    /// Set values every call would refuse (only filled when checking): `api` in
    /// `environment`, and the error its calls would fail with.
    pub invalid: Vec<String>,
    /// Set credentials that calls take but that look amiss (only filled when
    /// checking): quotes around a credential, a blank or invisible character at its
    /// start or end ([`secret_doubt`]), or one that logs mask shorter than 8
    /// characters ([`short_secret_doubt`]).
    pub warnings: Vec<String>,
}

/// A required secret that is not set, and what reads it.
#[derive(Debug, PartialEq, Eq)]
pub struct Missing {
    /// The secret's name in the store: `ZENDESK_CLIENT_SECRET`.
    pub name: String,
    /// Each API, environment and setting that reads it: `` `zendesk` in `live`:
    /// `auth.client_secret` ``, one or more.
    pub read_by: Vec<String>,
}

/// Where no API of a file is wired (has a base URL), so that every call fails
/// whatever secrets are set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unwired {
    /// The environment checked (`--env`).
    In(Environment),
    /// Any environment, when every one is checked: the file wires none.
    Anywhere,
}

impl Listing {
    /// Why the check fails, if it does, each reason an error of its own: the missing
    /// secrets and the values every call would refuse, or no API wired.
    pub fn failures(&self) -> Vec<String> {
        let mut reasons: Vec<String> = self.missing_verdict().into_iter().collect();
        reasons.extend(self.invalid.iter().cloned());
        if !reasons.is_empty() {
            return reasons;
        }
        let set_later = "in the definitions file (or given with `Runtime::builder().base_url(..)`)";
        self.unwired.map(|unwired| match unwired {
            Unwired::In(environment) => format!(
                "no API is wired in `{environment}`: every call there fails as not configured until a `base_url` is set under `environments: {environment}:` {set_later}"
            ),
            Unwired::Anywhere => format!(
                "no API is wired in any environment: every call fails as not configured until an environment under `environments:` has a `base_url` {set_later}"
            ),
        }).into_iter().collect()
    }

    fn missing_verdict(&self) -> Option<String> {
        let missing = &self.missing;
        if missing.is_empty() {
            return None;
        }
        let (count, set) = match missing.len() {
            1 => ("1 required secret is missing".to_string(), "set it as an environment variable"),
            many => (format!("{many} required secrets are missing"), "set them as environment variables"),
        };
        // standard error may be all a CI log shows: each says what reads it, as the table does
        let named: Vec<String> =
            missing.iter().map(|missing| format!("`{}` ({})", missing.name, missing.read_by.join("; "))).collect();
        let verdict = format!(
            "{count}: {}; {set} where the agent runs, or in the dotenv file it reads; an empty or blank value counts as missing",
            named.join(", ")
        );
        let not_text: Vec<&str> = missing
            .iter()
            .map(|missing| missing.name.as_str())
            .filter(|name| EnvSecretStore::holds_non_utf8(name))
            .collect();
        let verdict = match not_text.as_slice() {
            [] => verdict,
            names => format!("{verdict}; set, but not to UTF-8 text, so set again as UTF-8: {}", quoted(names)),
        };
        let similar: Vec<String> =
            self.similar.iter().map(|(missing, held)| format!("`{held}` (for `{missing}`)")).collect();
        Some(match similar.as_slice() {
            [] => verdict,
            _ => format!("{verdict}; similar names are set, perhaps misspelt: {}", similar.join(", ")),
        })
    }
}

/// `names`, each in backticks, separated by commas.
fn quoted(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

/// Lists the secrets of every API, for `only` one environment or all; with a
/// `store` (checking), also whether each is set there, and the required ones a
/// call would fail on ([`missing_secrets`], as the runtime).
pub fn render(definitions: &Definitions, only: Option<Environment>, store: Option<&dyn SecretStore>) -> Listing {
    let mut listing = Listing::default();
    for api in definitions.apis.iter() {
        listing.text.push_str(&format!("{}\n", api.name()));
        for environment in environments(api, only) {
            render_environment(api, environment, store, &mut listing);
        }
    }
    if definitions.apis.is_empty() {
        listing.text.push_str("no APIs (`api_integrations` is empty)\n");
    }
    if let Some(store) = store {
        listing.similar = similar_names(&listing.missing, definitions, store);
        listing.unwired = unwired(definitions, only);
        let verdict = verdict(&listing);
        listing.text.push_str(&verdict);
    }
    listing
}

/// Of the `missing` secrets, each with the name `store` holds that is a slip of it
/// ([`similar_secret_name`]); a name an environment of `definitions` reads is another
/// secret, not a slip of one, so it is never offered.
fn similar_names(missing: &[Missing], definitions: &Definitions, store: &dyn SecretStore) -> Vec<(String, String)> {
    if missing.is_empty() {
        return Vec::new();
    }
    let held = held_names_not_read(store, definitions);
    let similar = |name: &str| similar_secret_name(name, held.iter().map(String::as_str));
    missing
        .iter()
        .filter_map(|Missing { name, .. }| Some((name.clone(), one_line(similar(name)?).into_owned())))
        .collect()
}

/// Where the check looks (`only`, else every environment) and no API of
/// `definitions` is wired (has a base URL): every call there fails, whatever secrets
/// are set.
fn unwired(definitions: &Definitions, only: Option<Environment>) -> Option<Unwired> {
    // a file without APIs has no call to fail
    if definitions.apis.is_empty() {
        return None;
    }
    let wired = |environment| definitions.apis.iter().any(|api| api.is_wired_in(environment));
    match only {
        Some(environment) => (!wired(environment)).then_some(Unwired::In(environment)),
        None => (!Environment::ALL.into_iter().any(wired)).then_some(Unwired::Anywhere),
    }
}

/// The environments to list for `api`: the one asked for, or those in the file.
fn environments(api: &Api, only: Option<Environment>) -> Vec<Environment> {
    match only {
        Some(environment) => vec![environment],
        None => Environment::ALL.into_iter().filter(|&e| api.environment(e).is_some()).collect(),
    }
}

fn render_environment(api: &Api, environment: Environment, store: Option<&dyn SecretStore>, listing: &mut Listing) {
    // an environment without a base URL takes no call: its secrets are never read
    let Some(config) = api.environment(environment).filter(|config| config.is_wired()) else {
        listing.text.push_str(&format!("  {environment}: not configured\n"));
        return;
    };
    let secrets = needed(config, store);
    if secrets.is_empty() {
        listing.text.push_str(&format!("  {environment}: no secrets\n"));
        return;
    }
    listing.text.push_str(&format!("  {environment}\n"));
    let mut refused: Vec<String> = Vec::new();
    if let Some(store) = store {
        let place = format!("`{}` in `{environment}`", api.name());
        for missing in missing_secrets(config, store) {
            let settings = std::iter::once(format!("{}.{}", missing.section, missing.field))
                .chain(missing.also_for().iter().cloned())
                .map(|setting| format!("`{setting}`"));
            let reader = format!("{place}: {}", settings.collect::<Vec<_>>().join(", "));
            match listing.missing.iter_mut().find(|listed| listed.name == missing.name) {
                Some(listed) => listed.read_by.push(reader),
                None => listing.missing.push(Missing { name: missing.name, read_by: vec![reader] }),
            }
        }
        refused = refused_values(config, store, |problem| listing.invalid.push(format!("{place}: {problem}")));
        let credentials = secrets.iter().filter(|secret| secret.credential && !refused.contains(&secret.name));
        for secret in credentials {
            // each doubt at once: quotes taken off a short value would leave it as short
            let short = secret.masked.then(|| short_secret_doubt(store, &secret.name)).flatten();
            for doubt in secret_doubt(store, &secret.name).into_iter().chain(short) {
                listing.warnings.push(format!("{place}: secret `{}` (`{}`): {doubt}", secret.name, secret.field));
            }
        }
    }
    let rows: Vec<Vec<String>> = secrets.iter().map(|secret| row(secret, store, &refused)).collect();
    for line in layout(&rows, "    ") {
        listing.text.push_str(&line);
        listing.text.push('\n');
    }
}

/// The names of the secrets of `config` whose values in `store` every call would
/// refuse, found as a call finds them (its credentials, then its `tls:` client);
/// each problem is told to `problem`. Missing secrets are not problems here.
fn refused_values(config: &EnvironmentConfig, store: &dyn SecretStore, mut problem: impl FnMut(String)) -> Vec<String> {
    let mut refused = Vec::new();
    for error in check_credentials(config, store) {
        refused.extend(match &error {
            AuthError::MissingSecret(_) => continue,
            AuthError::InvalidSetting { secret, .. } => Some(secret.clone()),
            AuthError::InvalidTokenUrl { .. } => config.auth.token_url_secret().map(|secret| secret.name.to_string()),
            _ => None,
        });
        problem(error.to_string());
    }
    for tls in check_tls(config, store).into_iter().filter(|tls| tls.error.kind() != ErrorKind::MissingSecret) {
        refused.extend(tls.secrets);
        problem(tls.error.to_string());
    }
    refused
}

/// Name, field, where the name comes from, required or optional, and (checking) the
/// status: `INVALID` for a secret whose value calls would refuse.
fn row(secret: &Needed, store: Option<&dyn SecretStore>, refused: &[String]) -> Vec<String> {
    let source = match secret.source {
        SecretSource::Explicit => "named in file",
        SecretSource::Conventional => "conventional",
    };
    let required = if secret.required { "required" } else { "optional" };
    let mut cells = vec![secret.name.clone(), secret.field.clone(), source.to_string(), required.to_string()];
    if let Some(store) = store {
        let status = match (is_set(store, &secret.name), secret.required) {
            (true, _) if refused.contains(&secret.name) => "INVALID",
            (true, _) => "set",
            (false, true) => "MISSING",
            (false, false) => "not set",
        };
        cells.push(status.to_string());
    }
    cells
}

/// The last line of a check on standard output, when it passes; why a check fails
/// is said once, on standard error ([`Listing::failures`]).
fn verdict(listing: &Listing) -> String {
    if listing.failures().is_empty() {
        "every required secret is set\n".to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use conv_api_definitions::parse_str;
    use conv_api_runtime::{DynamicApis, ErrorKind, MapSecretStore, Runtime};

    fn missing_names(listing: &Listing) -> Vec<&str> {
        listing.missing.iter().map(|missing| missing.name.as_str()).collect()
    }

    const YAML: &str = "api_integrations:
  - name: zendesk
    environments:
      sandbox: { base_url: \"https://s.example\", auth_type: basic, auth: { username: bot } }
      pre-release: { base_url: \"https://p.example\" }
      live:
        base_url: https://l.example
        auth_type: oauth2
        auth: { client_secret: { secret: ZENDESK_SECRET } }
        tls: { ca: { secret: ZENDESK_CA } }
";

    fn definitions() -> Definitions {
        parse_str("apis.yaml", YAML).unwrap().definitions
    }

    /// A short secret token parameter is warned of whatever its name: one whose name
    /// is no plain word (a key pasted where the name goes) is named `auth.token_params`,
    /// and logs mask it as they mask the others.
    #[test]
    fn a_short_token_parameter_is_warned_of_also_when_its_name_is_no_plain_word() {
        let yaml = "api_integrations:
  - name: crm
    environments:
      live:
        base_url: https://crm.example
        auth_type: oauth2
        auth:
          token_url: https://crm.example/token
          token_params: { audience: { secret: CRM_AUDIENCE }, sk_live_51HqLyjWDarj: { secret: CRM_ODD } }
";
        let definitions = parse_str("apis.yaml", yaml).unwrap().definitions;
        let store = MapSecretStore::new()
            .with("CRM_LIVE_CLIENT_ID", "crm-client-id")
            .with("CRM_LIVE_CLIENT_SECRET", "a-long-client-secret")
            .with("CRM_AUDIENCE", "aud")
            .with("CRM_ODD", "odd");
        let listing = render(&definitions, Some(Environment::Live), Some(&store));
        assert!(listing.missing.is_empty() && listing.invalid.is_empty(), "{listing:?}");
        let warned: Vec<&str> =
            listing.warnings.iter().map(|warning| warning.split(": its value").next().unwrap()).collect();
        assert_eq!(
            warned,
            [
                "`crm` in `live`: secret `CRM_AUDIENCE` (`auth.token_params.audience`)",
                "`crm` in `live`: secret `CRM_ODD` (`auth.token_params`)"
            ],
            "{:?}",
            listing.warnings
        );
    }

    #[test]
    fn lists_explicit_and_conventional_names() {
        let listing = render(&definitions(), None, None);
        let expected = "zendesk
  sandbox
    ZENDESK_SANDBOX_PASSWORD  auth.password  conventional  required
  pre-release: no secrets
  live
    ZENDESK_LIVE_TOKEN_URL  auth.token_url      conventional   required
    ZENDESK_LIVE_CLIENT_ID  auth.client_id      conventional   required
    ZENDESK_SECRET          auth.client_secret  named in file  required
    ZENDESK_LIVE_SCOPE      auth.scope          conventional   optional
    ZENDESK_CA              tls.ca              named in file  required
";
        assert_eq!(listing.text, expected);
        assert!(listing.missing.is_empty());
    }

    #[test]
    fn one_environment_only() {
        let listing = render(&definitions(), Some(Environment::Sandbox), None);
        assert_eq!(
            listing.text,
            "zendesk\n  sandbox\n    ZENDESK_SANDBOX_PASSWORD  auth.password  conventional  required\n"
        );
    }

    #[test]
    fn checking_reports_missing_required_secrets_only() {
        let set = MapSecretStore::new().with("ZENDESK_SECRET", "s").with("ZENDESK_LIVE_TOKEN_URL", "https://t.example");
        let listing = render(&definitions(), Some(Environment::Live), Some(&set));
        assert_eq!(missing_names(&listing), ["ZENDESK_LIVE_CLIENT_ID", "ZENDESK_CA"]);
        assert!(listing.text.contains("ZENDESK_SECRET          auth.client_secret  named in file  required  set\n"));
        assert!(listing
            .text
            .contains("ZENDESK_LIVE_SCOPE      auth.scope          conventional   optional  not set\n"));
        let failure = "2 required secrets are missing: `ZENDESK_LIVE_CLIENT_ID` (`zendesk` in `live`: `auth.client_id`), `ZENDESK_CA` (`zendesk` in `live`: `tls.ca`); set them as environment variables where the agent runs, or in the dotenv file it reads; an empty or blank value counts as missing";
        assert_eq!(listing.failures(), [failure]);
        assert!(!listing.text.contains("required secrets are missing"), "said once, on stderr: {}", listing.text);
    }

    #[test]
    fn a_tls_secret_is_required_only_where_a_request_may_go_over_tls() {
        let yaml = |base: &str| {
            format!("api_integrations:\n  - name: desk\n    environments: {{ sandbox: {{ base_url: \"{base}\", tls: {{ ca: {{ secret: DESK_CA }} }} }} }}\n")
        };
        let store = MapSecretStore::new();
        let local = parse_str("apis.yaml", &yaml("http://127.0.0.1:8080")).unwrap().definitions;
        let listing = render(&local, Some(Environment::Sandbox), Some(&store));
        assert!(listing.text.contains("DESK_CA  tls.ca  named in file  optional  not set\n"), "{}", listing.text);
        assert!(listing.failures().is_empty(), "no call reads it: {:?}", listing.failures());
        let placeholder = MapSecretStore::new().with("DESK_CA", "to be filled in");
        let listing = render(&local, Some(Environment::Sandbox), Some(&placeholder));
        assert!(listing.text.contains("DESK_CA  tls.ca  named in file  optional  set\n"), "{}", listing.text);
        assert!(listing.failures().is_empty(), "no call reads it: {:?}", listing.failures());
        let remote = parse_str("apis.yaml", &yaml("https://desk.example")).unwrap().definitions;
        assert_eq!(missing_names(&render(&remote, Some(Environment::Sandbox), Some(&store))), ["DESK_CA"]);
    }

    #[test]
    fn an_environment_missing_from_the_file_is_not_configured() {
        let yaml = "api_integrations:\n  - name: a\n    environments: { sandbox: {} }\n";
        let definitions = parse_str("apis.yaml", yaml).unwrap().definitions;
        let listing = render(&definitions, Some(Environment::Live), Some(&MapSecretStore::new()));
        let failure = "no API is wired in `live`: every call there fails as not configured until a `base_url` is set under `environments: live:` in the definitions file (or given with `Runtime::builder().base_url(..)`)";
        assert_eq!(listing.text, "a\n  live: not configured\n", "no all-set line on a failing check");
        assert_eq!(listing.failures(), [failure], "a check of an environment nothing wires fails");
        let listing = render(&definitions, Some(Environment::Sandbox), Some(&MapSecretStore::new()));
        let failure = listing.failures().concat();
        assert!(failure.starts_with("no API is wired in `sandbox`"), "no base URL yet: {failure}");
        let wired = "api_integrations:\n  - name: a\n    environments: { sandbox: { base_url: https://a.example } }\n";
        let definitions = parse_str("apis.yaml", wired).unwrap().definitions;
        let listing = render(&definitions, Some(Environment::Sandbox), Some(&MapSecretStore::new()));
        assert!(!listing.text.contains("wired") && listing.failures().is_empty(), "{}", listing.text);
        // an environment without a base URL needs no secret; a file without APIs makes no call
        let unwired = "api_integrations:\n  - name: a\n    environments: { sandbox: { base_url: \"\", tls: { ca: { secret: A_CA } } } }\n";
        let definitions = parse_str("apis.yaml", unwired).unwrap().definitions;
        let listing = render(&definitions, Some(Environment::Sandbox), Some(&MapSecretStore::new()));
        assert!(listing.missing.is_empty() && listing.text.contains("sandbox: not configured"), "{}", listing.text);
        let none = parse_str("apis.yaml", "api_integrations: []\n").unwrap().definitions;
        assert!(render(&none, Some(Environment::Live), Some(&MapSecretStore::new())).unwired.is_none());
        assert!(render(&none, None, Some(&MapSecretStore::new())).unwired.is_none());
        // every environment checked: a file that wires none fails, one that wires one passes
        let listing = render(&definitions, None, Some(&MapSecretStore::new()));
        assert_eq!(listing.unwired, Some(Unwired::Anywhere));
        assert!(
            listing.failures().concat().starts_with("no API is wired in any environment"),
            "{:?}",
            listing.failures()
        );
        let wired = parse_str("apis.yaml", wired).unwrap().definitions;
        assert!(render(&wired, None, Some(&MapSecretStore::new())).failures().is_empty());
        // a blank value is missing, in its row as in the verdict
        let yaml = "api_integrations:\n  - name: z\n    environments: { live: { base_url: https://z.example, auth_type: apiKey } }\n";
        let definitions = parse_str("apis.yaml", yaml).unwrap().definitions;
        let listing =
            render(&definitions, Some(Environment::Live), Some(&MapSecretStore::new().with("Z_LIVE_API_KEY", " ")));
        assert!(
            listing.text.contains("required  MISSING") && missing_names(&listing) == ["Z_LIVE_API_KEY"],
            "{}",
            listing.text
        );
    }

    const CALLED: &str = "api_integrations:
  - name: desk
    environments:
      sandbox: { base_url: \"http://127.0.0.1:9/api\", auth_type: basic, auth: { username: bot } }
    operations:
      - { name: get_ticket, method: GET, resource: \"/tickets/{id}\" }
";

    /// What a call through the runtime fails on with `store`: `Ok` when it got past auth.
    async fn call_with(store: MapSecretStore) -> Result<(), conv_api_runtime::Error> {
        let apis = DynamicApis::parse("apis.yaml", CALLED)?;
        // one attempt: past auth, the call meets a closed port, and waiting to retry it tells nothing
        let once = conv_api_runtime::RetryPolicy { attempts: 1, ..conv_api_runtime::DEFAULT_RETRY };
        let runtime = Runtime::builder().environment(Environment::Sandbox).secrets(store).retry(once).build()?;
        let conv = runtime.dynamic_conversation(&apis);
        match conv.api.call("desk", "get_ticket").arg("id", 1).await {
            Err(error) if matches!(error.kind(), ErrorKind::MissingSecret | ErrorKind::Auth) => Err(error),
            _ => Ok(()),
        }
    }

    #[tokio::test]
    async fn what_check_reports_missing_is_what_a_call_fails_on() {
        let definitions = parse_str("apis.yaml", CALLED).unwrap().definitions;
        let empty = MapSecretStore::new();
        let listing = render(&definitions, Some(Environment::Sandbox), Some(&empty));
        assert_eq!(missing_names(&listing), ["DESK_SANDBOX_PASSWORD"]);
        let error = call_with(empty).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingSecret);
        assert!(error.to_string().contains("`DESK_SANDBOX_PASSWORD`"), "{error}");

        let full = MapSecretStore::new().with("DESK_SANDBOX_PASSWORD", "pw");
        assert!(render(&definitions, Some(Environment::Sandbox), Some(&full)).missing.is_empty());
        assert!(call_with(full).await.is_ok(), "a store --check accepts passes auth");
    }
}
