//! How an environment authenticates: the auth types, their settings, and the
//! secrets they read.

use std::borrow::Cow;
use std::fmt;

use super::{List, Text};

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

/// Whether the auth setting `setting` only ever takes a secret reference: Basic
/// auth's `password`, an API key's `value` and OAuth 2.0's `client_secret`. Their
/// values are credentials that logs and errors mask wherever they show.
///
/// ```
/// use conv_api_definitions::is_always_secret;
/// assert!(is_always_secret("password") && is_always_secret("value") && is_always_secret("client_secret"));
/// assert!(!is_always_secret("username") && !is_always_secret("token_url"));
/// ```
pub fn is_always_secret(setting: &str) -> bool {
    SECRET_FIELDS.iter().any(|&(secret_only, _)| secret_only == setting)
}

/// The auth types that have `setting`, as messages name them (`` `basic` ``, two
/// joined by "or"); none when no type has it.
pub(crate) fn auth_types_having(setting: &str) -> Option<String> {
    let owners: Vec<String> = SETTINGS_BY_TYPE
        .into_iter()
        .filter(|(_, settings)| settings.contains(&setting))
        .map(|(auth_type, _)| format!("`{auth_type}`"))
        .collect();
    (!owners.is_empty()).then(|| owners.join(" or "))
}

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

    /// The secret OAuth 2.0's `token_url` is read from, when the file names one (or
    /// leaves it to its conventional name); none for a written URL or another auth.
    pub fn token_url_secret(&self) -> Option<&SecretRef> {
        match self {
            Auth::OAuth2(oauth) => oauth.token_url.secret(),
            _ => None,
        }
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

/// The header (or query parameter) an API key goes in when `name` is left out.
pub const DEFAULT_API_KEY_NAME: &str = "X-API-Key";

/// The header an OAuth 2.0 token goes in when `header_name` is left out.
pub const DEFAULT_TOKEN_HEADER: &str = "Authorization";

/// What goes before an OAuth 2.0 token, with a space, when `token_prefix` is left out.
pub const DEFAULT_TOKEN_PREFIX: &str = "Bearer";

/// Settings of `auth_type: apiKey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyAuth {
    /// Header or query string (default header).
    pub location: Configured<KeyLocation>,
    /// The header or query parameter name (default [`DEFAULT_API_KEY_NAME`]).
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
    /// The header that carries the token (default [`DEFAULT_TOKEN_HEADER`]).
    pub header_name: Setting,
    /// Put before the token with a space (default [`DEFAULT_TOKEN_PREFIX`]).
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

    /// Whether `field` is a token parameter's, as
    /// [`token_param_field`](OAuth2Auth::token_param_field) names one.
    ///
    /// ```
    /// use conv_api_definitions::OAuth2Auth;
    /// assert!(OAuth2Auth::is_token_param_field("token_params.audience") && OAuth2Auth::is_token_param_field("token_params"));
    /// assert!(!OAuth2Auth::is_token_param_field("token_url"));
    /// ```
    pub fn is_token_param_field(field: &str) -> bool {
        field.strip_prefix("token_params").is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
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
