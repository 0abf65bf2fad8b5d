//! The typed model of a definitions file, shared by the macro, the CLI and the runtime.
//!
//! The `conv_api!` macro embeds the checked model in its canonical form
//! ([`canonical_json`](crate::canonical_json)), which the runtime reads back into
//! these types once; the dynamic loader builds the same types from a file.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use crate::template::Template;

/// Text in the model: owned when read from a file, borrowed when built in code from
/// static text.
pub type Text = Cow<'static, str>;
/// A list in the model: owned when read from a file, borrowed when built in code from
/// a static list.
pub type List<T> = Cow<'static, [T]>;

/// A position in a definitions file: 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

impl Span {
    /// A span at `line` and `column` (both 1-based).
    pub const fn new(line: usize, column: usize) -> Self {
        Span { line: clamp_u32(line), column: clamp_u32(column) }
    }

    /// Where the character after `text`, the start of a file, is. Lines end as YAML
    /// ends them: at `\n`, `\r\n`, or a `\r` alone.
    ///
    /// ```
    /// use conv_api_definitions::Span;
    /// assert_eq!(Span::after("a: 1\ncafé"), Span::new(2, 5));
    /// assert_eq!(Span::after("a: 1\r\nb: 2\rc"), Span::new(3, 2));
    /// ```
    pub fn after(text: &str) -> Self {
        let breaks =
            text.match_indices(['\r', '\n']).filter(|&(at, found)| found == "\n" || !text[at + 1..].starts_with('\n'));
        let line_start = text.rfind(['\r', '\n']).map_or(0, |at| at + 1);
        Span::new(breaks.count() + 1, text[line_start..].chars().count() + 1)
    }

    /// Where this span is, said from `here`, for "(first at ...)": its line, with its
    /// column when `here` is on the same line (a one-line JSON file).
    pub(crate) fn said_from(self, here: Span) -> String {
        match self.line == here.line {
            true => format!("line {}, column {}", self.line, self.column),
            false => format!("line {}", self.line),
        }
    }
}

const BASIC_FIELDS: &[&str] = &["username", "password"];
const API_KEY_FIELDS: &[&str] = &["location", "name", "prefix", "value"];
const OAUTH2_FIELDS: &[&str] =
    &["token_url", "client_id", "client_secret", "scope", "credentials", "header_name", "token_prefix", "token_params"];
/// Each auth type that takes settings, with its settings (the keys of `auth:`).
pub(crate) const SETTINGS_BY_TYPE: [(AuthType, &[&str]); 3] =
    [(AuthType::Basic, BASIC_FIELDS), (AuthType::ApiKey, API_KEY_FIELDS), (AuthType::OAuth2, OAUTH2_FIELDS)];

/// A setting that takes only a secret reference: its key, and the field of its
/// conventional name (`<API>_<ENV>_<FIELD>`).
pub(crate) type SecretField = (&'static str, &'static str);

pub(crate) const PASSWORD: SecretField = ("password", "PASSWORD");
pub(crate) const API_KEY_VALUE: SecretField = ("value", "API_KEY");
pub(crate) const CLIENT_SECRET: SecretField = ("client_secret", "CLIENT_SECRET");
/// The secret-only settings of every auth type.
pub(crate) const SECRET_FIELDS: [SecretField; 3] = [PASSWORD, API_KEY_VALUE, CLIENT_SECRET];

/// The keys of an environment's `tls:` block.
pub(crate) const TLS_KEYS: &[&str] = &["ca", "client_cert", "client_key"];

/// The settings of every auth type.
pub(crate) fn every_setting() -> impl Iterator<Item = &'static str> + Clone {
    SETTINGS_BY_TYPE.iter().flat_map(|(_, settings)| settings.iter().copied())
}

/// Whether `text` (a line, a key, a path) names a setting that takes a secret, in any
/// case, quoted or misspelt (`password`, `"Password"`, `pasword`, `valeu`, `value`,
/// `client_secret`, `api_key`, `key`, `token`, `authorization`, `ca`, `client_cert`),
/// or an `auth:` block that holds them: text near it may be a secret written where
/// its reference goes, which messages never show.
pub(crate) fn names_a_secret(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(is_secret_word)
}

/// Whether `word` (letters, digits and `_`) names a secret's setting: see
/// [`names_a_secret`].
pub(crate) fn is_secret_word(word: &str) -> bool {
    const SECRET_WORDS: &[&str] =
        &["value", "ca", "apikey", "auth", "authorization", "pwd", "username", "client_id", "header_name"];
    let word = word.to_ascii_lowercase();
    // a slip of a letter or two in a secret field's name (`valeu`, `pasword`), not a
    // word it starts with (`client`, `val`)
    let misspells = |setting: &str| strsim::damerau_levenshtein(&word, setting) * 4 <= setting.len();
    ["pass", "pasw", "secret", "token", "cert"].iter().any(|part| word.contains(part))
        || word.split('_').any(|part| part == "key")
        || SECRET_WORDS.contains(&word.as_str())
        || SECRET_FIELDS.iter().any(|&(setting, _)| misspells(setting))
}

const fn clamp_u32(value: usize) -> u32 {
    if value > u32::MAX as usize {
        u32::MAX
    } else {
        value as u32
    }
}

/// A value with the position it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs `value` with `span`.
    pub const fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A whole definitions file: its APIs, in file order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Definitions {
    /// The entries of `api_integrations`.
    pub apis: List<Api>,
}

impl Definitions {
    /// The API called `name`.
    pub fn api(&self, name: &str) -> Option<&Api> {
        self.apis.iter().find(|api| api.name.value == name)
    }

    /// How many operations all APIs have together.
    pub fn operation_count(&self) -> usize {
        self.apis.iter().map(|api| api.operations.len()).sum()
    }
}

/// For functions that take definitions or what holds them (the runtime's
/// `DynamicApis`).
impl AsRef<Definitions> for Definitions {
    fn as_ref(&self) -> &Definitions {
        self
    }
}

/// One external API: `conv.api.<name>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// The API's name, `^[a-z_][a-z0-9_]*$`.
    pub name: Spanned<Text>,
    /// What the API is for.
    pub description: Option<Text>,
    /// The environments configured in the file, in file order.
    pub environments: List<EnvironmentConfig>,
    /// The operations, in file order.
    pub operations: List<Operation>,
    /// Total time of one attempt, for every operation that does not set its own.
    pub timeout: Option<Duration>,
    /// Retry settings for every operation, field by field under the operation's own.
    pub retry: RetrySettings,
}

impl Api {
    /// The API's name.
    pub fn name(&self) -> &str {
        &self.name.value
    }

    /// The operation called `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name.value == name)
    }

    /// The configuration of `environment`, if the file has one.
    pub fn environment(&self, environment: Environment) -> Option<&EnvironmentConfig> {
        self.environments.iter().find(|e| e.environment == environment)
    }

    /// The environments whose base URL is set, in file order.
    pub fn wired_environments(&self) -> impl Iterator<Item = &EnvironmentConfig> {
        self.environments.iter().filter(|e| e.is_wired())
    }

    /// Whether the API has a base URL in `environment`.
    pub fn is_wired_in(&self, environment: Environment) -> bool {
        self.environment(environment).is_some_and(EnvironmentConfig::is_wired)
    }
}

/// A deployment stage; every API has its own base URL and auth for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Environment {
    /// Draft and Sandbox (key `sandbox`; `draft` at run time).
    Sandbox,
    /// Pre-release (key `pre-release`, also `pre_release`).
    PreRelease,
    /// Live.
    Live,
}

impl Environment {
    /// All environments, in promotion order.
    pub const ALL: [Environment; 3] = [Environment::Sandbox, Environment::PreRelease, Environment::Live];

    /// The key used in definitions files: `sandbox`, `pre-release` or `live`.
    pub const fn key(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::PreRelease => "pre-release",
            Environment::Live => "live",
        }
    }

    /// The environment's part of a conventional secret name: `SANDBOX`, `PRE_RELEASE`, `LIVE`.
    pub const fn secret_part(self) -> &'static str {
        match self {
            Environment::Sandbox => "SANDBOX",
            Environment::PreRelease => "PRE_RELEASE",
            Environment::Live => "LIVE",
        }
    }

    /// The environment a definitions-file key names (`pre_release` too); not `draft`.
    pub fn from_key(key: &str) -> Option<Environment> {
        match key {
            "sandbox" => Some(Environment::Sandbox),
            "pre-release" | "pre_release" => Some(Environment::PreRelease),
            "live" => Some(Environment::Live),
            _ => None,
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An unknown environment name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown environment `{}`; the environments are `draft`, `sandbox`, `pre-release` and `live`",
    crate::diagnostics::one_line(.0)
)]
pub struct UnknownEnvironment(pub String);

impl FromStr for Environment {
    type Err = UnknownEnvironment;

    /// Parses `draft` and `sandbox` (both [`Environment::Sandbox`]), `pre-release`
    /// (or `pre_release`) and `live`, ignoring case and surrounding space.
    ///
    /// ```
    /// # extern crate conv_api_definitions as conv_api;
    /// use conv_api::Environment;
    /// assert_eq!("draft".parse(), Ok(Environment::Sandbox));
    /// assert_eq!("Pre-Release".parse(), Ok(Environment::PreRelease));
    /// assert!("prod".parse::<Environment>().is_err());
    /// // the name is shown escaped: it may come from anywhere (`CONV_ENV`)
    /// let error = "\u{1b}[31mlive".parse::<Environment>().unwrap_err();
    /// assert!(error.to_string().starts_with("unknown environment `\\u{1b}[31mlive`"), "{error}");
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let key = text.trim().to_ascii_lowercase();
        if key == "draft" {
            return Ok(Environment::Sandbox);
        }
        Environment::from_key(&key).ok_or_else(|| UnknownEnvironment(text.to_string()))
    }
}

/// How one API is reached in one environment. Its `Debug` shows the base URL
/// without user info (a credential written in the file).
#[derive(Clone, PartialEq)]
pub struct EnvironmentConfig {
    /// Which environment.
    pub environment: Environment,
    /// Where the environment's key is in the file.
    pub span: Span,
    /// The base URL without a trailing `/`; empty when not wired up yet.
    pub base_url: Spanned<Text>,
    /// How requests authenticate, with every setting resolved.
    pub auth: Auth,
    /// Extra trust roots and client certificate.
    pub tls: Tls,
}

impl fmt::Debug for EnvironmentConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // destructured, so that a field added later must be shown here too
        let EnvironmentConfig { environment, span, base_url, auth, tls } = self;
        f.debug_struct("EnvironmentConfig")
            .field("environment", environment)
            .field("span", span)
            .field("base_url", &crate::urls::shown(&base_url.value))
            .field("auth", auth)
            .field("tls", tls)
            .finish()
    }
}

impl EnvironmentConfig {
    /// Whether the environment has a base URL.
    pub fn is_wired(&self) -> bool {
        !self.base_url.value.is_empty()
    }

    /// Whether a request of this environment may go over TLS, and so read its `tls:`
    /// secrets, when its calls go to `base_url` (its own, or one given in its place): a
    /// call to a URL that is not plain `http`, or an OAuth 2.0 token request to a
    /// `token_url` that is not plain `http`: the one written in the file, else
    /// `stored_token_url`, the value of the secret it names, when it was read (one not
    /// read may be `https`).
    ///
    /// ```
    /// let yaml = "api_integrations:
    ///   - name: desk
    ///     environments: { sandbox: { base_url: https://desk.example, tls: { ca: { secret: DESK_CA } } } }
    ///     operations: []
    /// ";
    /// let definitions = conv_api_definitions::parse_str("apis.yaml", yaml).unwrap().definitions;
    /// let sandbox = definitions.apis[0].environment(conv_api_definitions::Environment::Sandbox).unwrap();
    /// assert!(sandbox.may_use_tls(&sandbox.base_url.value, None));
    /// assert!(!sandbox.may_use_tls("http://127.0.0.1:8080", None), "a local server in its place");
    /// ```
    pub fn may_use_tls(&self, base_url: &str, stored_token_url: Option<&str>) -> bool {
        !crate::urls::is_plain_http(base_url) || self.token_request_may_use_tls(stored_token_url)
    }

    /// Whether an OAuth 2.0 token request of this environment may go over TLS: its
    /// `token_url` (the one written in the file, else `stored_token_url`, as in
    /// [`may_use_tls`](Self::may_use_tls)) is not plain `http`. No other auth asks for one.
    pub fn token_request_may_use_tls(&self, stored_token_url: Option<&str>) -> bool {
        match &self.auth {
            Auth::OAuth2(oauth) => {
                !oauth.token_url.literal_str().or(stored_token_url).is_some_and(crate::urls::is_plain_http)
            }
            _ => false,
        }
    }
}

/// The auth of one environment, every field resolved to a literal or a secret name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No authentication.
    None,
    /// HTTP Basic.
    Basic(BasicAuth),
    /// An API key in a header or the query string.
    ApiKey(ApiKeyAuth),
    /// OAuth 2.0 client credentials.
    OAuth2(OAuth2Auth),
}

/// An environment's `auth_type`: which [`Auth`] it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthType {
    /// `none`: no authentication.
    None,
    /// `basic`: HTTP Basic.
    Basic,
    /// `apiKey`: an API key in a header or the query string.
    ApiKey,
    /// `oauth2`: OAuth 2.0 client credentials.
    OAuth2,
}

/// The words as the ADK writes them, `none` (the default) first.
///
/// ```
/// use conv_api_definitions::{AuthType, Choice};
/// assert_eq!(AuthType::from_word("apiKey"), Some(AuthType::ApiKey));
/// assert_eq!(AuthType::OAuth2.word(), "oauth2");
/// ```
impl Choice for AuthType {
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("none", AuthType::None),
        ("basic", AuthType::Basic),
        ("apiKey", AuthType::ApiKey),
        ("oauth2", AuthType::OAuth2),
    ];
}

/// The word the file writes: `apiKey`.
impl fmt::Display for AuthType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

impl Auth {
    /// Its `auth_type`.
    pub const fn auth_type(&self) -> AuthType {
        match self {
            Auth::None => AuthType::None,
            Auth::Basic(_) => AuthType::Basic,
            Auth::ApiKey(_) => AuthType::ApiKey,
            Auth::OAuth2(_) => AuthType::OAuth2,
        }
    }

    /// The `auth_type` word: `none`, `basic`, `apiKey` or `oauth2`.
    pub fn type_name(&self) -> &'static str {
        self.auth_type().word()
    }

    /// Every secret the auth reads, with the field it is for, in table order; a token
    /// parameter's field is named as [`OAuth2Auth::token_param_field`] names it.
    pub fn secrets(&self) -> Vec<(Cow<'static, str>, &SecretRef)> {
        let secrets: Vec<(Cow<'static, str>, Option<&SecretRef>)> = match self {
            Auth::None => Vec::new(),
            Auth::Basic(basic) => {
                vec![("username".into(), basic.username.secret()), ("password".into(), basic.password.secret())]
            }
            Auth::ApiKey(key) => vec![
                ("location".into(), key.location.secret()),
                ("name".into(), key.name.secret()),
                ("prefix".into(), key.prefix.as_ref().and_then(Setting::secret)),
                ("value".into(), key.value.secret()),
            ],
            Auth::OAuth2(oauth) => vec![
                ("token_url".into(), oauth.token_url.secret()),
                ("client_id".into(), oauth.client_id.secret()),
                ("client_secret".into(), oauth.client_secret.secret()),
                ("scope".into(), oauth.scope.as_ref().and_then(Setting::secret)),
                ("credentials".into(), oauth.credentials.secret()),
                ("header_name".into(), oauth.header_name.secret()),
                ("token_prefix".into(), oauth.token_prefix.secret()),
            ]
            .into_iter()
            .chain(oauth.token_params.iter().map(|(name, value)| (OAuth2Auth::token_param_field(name), value.secret())))
            .collect(),
        };
        secrets.into_iter().filter_map(|(field, secret)| Some((field, secret?))).collect()
    }
}

/// Settings of `auth_type: basic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicAuth {
    /// The user name.
    pub username: Setting,
    /// The password (always a secret).
    pub password: Setting,
}

/// Settings of `auth_type: apiKey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyAuth {
    /// Header or query string (default header).
    pub location: Configured<KeyLocation>,
    /// The header or query parameter name (default `X-API-Key`).
    pub name: Setting,
    /// Put before the key with a space, such as `Bearer`.
    pub prefix: Option<Setting>,
    /// The key (always a secret).
    pub value: Setting,
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// In a request header.
    Header,
    /// In the query string.
    Query,
}

impl Choice for KeyLocation {
    const CHOICES: &'static [(&'static str, Self)] = &[("header", KeyLocation::Header), ("query", KeyLocation::Query)];
}

/// Settings of `auth_type: oauth2` (client credentials grant). Its `Debug` shows a
/// written token URL without user info.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuth2Auth {
    /// Where tokens are requested.
    pub token_url: Setting,
    /// The client id.
    pub client_id: Setting,
    /// The client secret (always a secret).
    pub client_secret: Setting,
    /// The requested scope. Read from a file it is always `Some`: the literal written
    /// (`""` asks for none), or, left out, the optional secret `<API>_<ENV>_SCOPE`
    /// (unset: none is asked for); `None`, in a model built in code, asks for none.
    pub scope: Option<Setting>,
    /// How the client authenticates to the token endpoint (default header).
    pub credentials: Configured<CredentialsLocation>,
    /// The header that carries the token (default `Authorization`).
    pub header_name: Setting,
    /// Put before the token with a space (default `Bearer`).
    pub token_prefix: Setting,
    /// More parameters of the token request's form, each a literal or a secret
    /// reference, in the file's order: `audience` for Auth0, `resource` for Microsoft
    /// Entra ID v1 (`token_params:`; none by default).
    pub token_params: List<(Text, Setting)>,
}

impl OAuth2Auth {
    /// The field a token parameter's value is for, as messages and `conv-api secrets`
    /// name it: `token_params.audience`, or `token_params` alone for a name that may
    /// be a key pasted where a name goes ([`crate::names::is_plain_word`]).
    ///
    /// ```
    /// use conv_api_definitions::OAuth2Auth;
    /// assert_eq!(OAuth2Auth::token_param_field("audience"), "token_params.audience");
    /// assert_eq!(OAuth2Auth::token_param_field("sk_live_51HqLyjWDarjtT1zdp7dc"), "token_params");
    /// ```
    pub fn token_param_field(name: &str) -> Cow<'static, str> {
        match crate::names::is_plain_word(name) {
            true => Cow::Owned(format!("token_params.{name}")),
            false => Cow::Borrowed("token_params"),
        }
    }
}

impl fmt::Debug for OAuth2Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // destructured, so that a field added later must be shown here too
        let OAuth2Auth {
            token_url,
            client_id,
            client_secret,
            scope,
            credentials,
            header_name,
            token_prefix,
            token_params,
        } = self;
        let token_url = match token_url {
            Configured::Literal(url) => Configured::Literal(crate::urls::shown(url)),
            Configured::Secret(secret) => Configured::Secret(secret.clone()),
        };
        f.debug_struct("OAuth2Auth")
            .field("token_url", &token_url)
            .field("client_id", client_id)
            .field("client_secret", client_secret)
            .field("scope", scope)
            .field("credentials", credentials)
            .field("header_name", header_name)
            .field("token_prefix", token_prefix)
            .field("token_params", token_params)
            .finish()
    }
}

/// Where OAuth 2.0 client credentials go in the token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialsLocation {
    /// HTTP Basic with form-urlencoded id and secret (RFC 6749 2.3.1).
    Header,
    /// `client_id` and `client_secret` form fields.
    Body,
}

impl Choice for CredentialsLocation {
    const CHOICES: &'static [(&'static str, Self)] =
        &[("header", CredentialsLocation::Header), ("body", CredentialsLocation::Body)];
}

/// A setting that takes one of a few words, such as `location: header`.
pub trait Choice: Copy + PartialEq + 'static {
    /// Each word with its value; the first is the default.
    const CHOICES: &'static [(&'static str, Self)];

    /// The value `word` names, if any.
    fn from_word(word: &str) -> Option<Self> {
        Self::CHOICES.iter().find(|(name, _)| *name == word).map(|(_, value)| *value)
    }

    /// The word for this value, as the file writes it.
    fn word(self) -> &'static str {
        Self::CHOICES.iter().find(|(_, value)| *value == self).map_or("", |(name, _)| name)
    }
}

/// An auth setting: written in the file, or read from the secret store.
///
/// Most settings are text ([`Setting`]); `location` and `credentials` are a [`Choice`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Configured<T> {
    /// A literal from the definitions file (never for secret fields).
    Literal(T),
    /// A value read from the secret store at run time.
    Secret(SecretRef),
}

impl<T> Configured<T> {
    /// The literal, if it is one.
    pub fn literal(&self) -> Option<&T> {
        match self {
            Configured::Literal(value) => Some(value),
            Configured::Secret(_) => None,
        }
    }

    /// The secret it reads, if it is not a literal.
    pub fn secret(&self) -> Option<&SecretRef> {
        match self {
            Configured::Literal(_) => None,
            Configured::Secret(secret) => Some(secret),
        }
    }
}

impl Setting {
    /// The literal text, if it is one: `Some("X-API-Key")` for `name: X-API-Key`.
    pub fn literal_str(&self) -> Option<&str> {
        self.literal().map(|text| text.as_ref())
    }
}

/// A text setting: a literal or a secret reference.
pub type Setting = Configured<Text>;

/// A secret the runtime reads from the secret store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretRef {
    /// The secret's name, `^[A-Z][A-Z0-9_]*$`.
    pub name: Text,
    /// Named in the file (`{ secret: NAME }`), or the conventional name of a field left out.
    pub source: SecretSource,
    /// Whether the runtime fails without it (only an unset `scope` is optional).
    pub required: bool,
}

/// Where a secret's name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretSource {
    /// Written as `{ secret: NAME }`.
    Explicit,
    /// The field was left out: `<API>_<ENV>_<FIELD>`.
    Conventional,
}

/// Extra TLS material for one environment, all from the secret store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tls {
    /// An extra trusted CA (PEM, or a path to a PEM file).
    pub ca: Option<SecretRef>,
    /// A client certificate for mutual TLS (goes with `client_key`).
    pub client_cert: Option<SecretRef>,
    /// The client certificate's private key.
    pub client_key: Option<SecretRef>,
}

/// One HTTP endpoint of an API: `conv.api.<api>.<name>(..)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The operation's name, used verbatim as a Rust identifier.
    pub name: Spanned<Text>,
    /// The HTTP method.
    pub method: Method,
    /// The resource template, relative to the base URL.
    pub resource: Template,
    /// What the operation does.
    pub description: Option<Text>,
    /// Declared idempotent, so a POST or PATCH may be retried too (redundant on
    /// GET, PUT and DELETE).
    pub idempotent: bool,
    /// Total time of one attempt, over the API's.
    pub timeout: Option<Duration>,
    /// Retry settings, field by field over the API's.
    pub retry: RetrySettings,
}

impl Operation {
    /// The operation's name.
    pub fn name(&self) -> &str {
        &self.name.value
    }

    /// Whether a failed attempt may be sent again: GET, PUT, DELETE, or declared idempotent.
    pub fn is_retry_safe(&self) -> bool {
        self.idempotent || self.method.is_idempotent()
    }

    /// Whether its attempts carry an `Idempotency-Key`: a POST or PATCH declared
    /// idempotent (on GET, PUT and DELETE the declaration changes nothing).
    pub fn sends_idempotency_key(&self) -> bool {
        self.idempotent && !self.method.is_idempotent()
    }

    /// The total time of one attempt: the operation's, else the API's, else the default.
    pub fn effective_timeout(&self, api: &Api) -> Duration {
        self.timeout_over(api, DEFAULT_TIMEOUT)
    }

    /// The total time of one attempt: the operation's, else the API's, else `fallback`.
    pub fn timeout_over(&self, api: &Api, fallback: Duration) -> Duration {
        self.timeout.or(api.timeout).unwrap_or(fallback)
    }

    /// The retry policy: the operation's fields over the API's over [`DEFAULT_RETRY`].
    pub fn effective_retry(&self, api: &Api) -> RetryPolicy {
        self.retry_over(api, DEFAULT_RETRY)
    }

    /// The retry policy: the operation's fields over the API's over `fallback`, field
    /// by field. A delay from `fallback` yields to a written one, so a written value
    /// always holds: `max_delay: 100ms` alone lowers the base delay to 100ms, and
    /// `base_delay: 30s` alone raises the cap to 30s.
    pub fn retry_over(&self, api: &Api, fallback: RetryPolicy) -> RetryPolicy {
        let attempts = self.retry.attempts.or(api.retry.attempts).unwrap_or(fallback.attempts).max(1);
        let written_base = self.retry.base_delay.or(api.retry.base_delay);
        let written_max = self.retry.max_delay.or(api.retry.max_delay);
        let base_delay = written_base.unwrap_or(match written_max {
            Some(max) => fallback.base_delay.min(max),
            None => fallback.base_delay,
        });
        let max_delay = written_max.unwrap_or(fallback.max_delay).max(base_delay);
        RetryPolicy { attempts, base_delay, max_delay }
    }
}

/// The default total time of one attempt.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default retry policy: 3 attempts, 1 s base delay, 20 s cap.
pub const DEFAULT_RETRY: RetryPolicy =
    RetryPolicy { attempts: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(20) };

/// Retry settings as written: each field may be left to the level above.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetrySettings {
    /// Attempts in all, the first included (1 to 10).
    pub attempts: Option<u32>,
    /// The first backoff ceiling.
    pub base_delay: Option<Duration>,
    /// The largest backoff ceiling.
    pub max_delay: Option<Duration>,
}

/// A complete retry policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The first backoff ceiling.
    pub base_delay: Duration,
    /// The largest backoff ceiling.
    pub max_delay: Duration,
}

/// [`DEFAULT_RETRY`].
impl Default for RetryPolicy {
    fn default() -> Self {
        DEFAULT_RETRY
    }
}

/// The most attempts a retry policy may make (the first included); the least is 1.
pub const MAX_ATTEMPTS: u32 = 10;

impl RetryPolicy {
    /// What is wrong with the policy, by the rules a definitions file's `retry:` is
    /// held to: attempts from 1 to [`MAX_ATTEMPTS`](crate::MAX_ATTEMPTS), delays above zero, `max_delay`
    /// at least `base_delay`; every problem, each on its own; none for a valid policy.
    ///
    /// ```
    /// # extern crate conv_api_definitions as conv_api;
    /// use conv_api::RetryPolicy;
    /// use std::time::Duration;
    /// let policy = RetryPolicy { attempts: 3, base_delay: Duration::from_secs(1), max_delay: Duration::from_secs(20) };
    /// assert!(policy.problems().is_empty());
    /// assert!(RetryPolicy { attempts: 0, ..policy }.problems()[0].contains("from 1 to 10"));
    /// let both = RetryPolicy { attempts: 11, max_delay: Duration::from_millis(10), ..policy }.problems();
    /// assert!(both[0].starts_with("`attempts` must be") && both[1].starts_with("`max_delay` (10ms) is less"), "{both:?}");
    /// ```
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=MAX_ATTEMPTS).contains(&self.attempts) {
            problems
                .push(format!("`attempts` must be from 1 to {MAX_ATTEMPTS} (1 = never retry), not {}", self.attempts));
        }
        if self.base_delay.is_zero() {
            problems.push("`base_delay` must be more than zero".to_string());
        } else if self.max_delay < self.base_delay {
            problems.push(format!(
                "`max_delay` ({:?}) is less than `base_delay` ({:?}); make it at least `base_delay`",
                self.max_delay, self.base_delay
            ));
        }
        problems
    }
}

/// An HTTP method an operation may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// All methods, as listed in messages.
    pub const ALL: [Method; 5] = [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete];

    /// The upper-case name, `GET`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether the method is idempotent by definition (GET, PUT, DELETE).
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }

    /// The method named `text`, in any case.
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(text))
    }
}

/// A method name no operation may use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown HTTP method `{}`; the methods are GET, POST, PUT, PATCH and DELETE", crate::diagnostics::one_line(.0))]
pub struct UnknownMethod(pub String);

impl FromStr for Method {
    type Err = UnknownMethod;

    /// The method named `text`, in any case, as [`Method::parse`] reads it.
    ///
    /// ```
    /// # extern crate conv_api_definitions as conv_api;
    /// use conv_api::Method;
    /// assert_eq!("post".parse(), Ok(Method::Post));
    /// assert!("TRACE".parse::<Method>().unwrap_err().to_string().starts_with("unknown HTTP method `TRACE`"));
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Method::parse(text).ok_or_else(|| UnknownMethod(text.to_string()))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Method::Get == "GET"`: the upper-case name, as HTTP writes it.
impl PartialEq<str> for Method {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Method {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
