//! The secret and token values in use, for the log redactor's last scan.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use secrecy::{ExposeSecret, SecretString};

/// How many values are kept; the oldest are dropped first (old tokens pile up).
const CAPACITY: usize = 256;

/// Every secret and token value the auth has used, shared with the log redactor.
///
/// Auth records each value it resolves or fetches; [`KnownSecrets::values`] gives
/// them back with their encoded forms (base64 standard and URL-safe, with and
/// without padding; percent-encoded) so a last scan can replace any of them in a
/// log entry before it is stored.
///
/// ```
/// use conv_api_auth_scratch::KnownSecrets;
/// use secrecy::ExposeSecret;
/// let known = KnownSecrets::new();
/// known.record("s3cr3t/+");
/// let forms: Vec<String> = known.values().iter().map(|v| v.expose_secret().to_string()).collect();
/// assert!(forms.contains(&"s3cr3t/+".to_string()));
/// assert!(forms.contains(&"czNjcjN0Lys=".to_string()));
/// assert!(forms.contains(&"s3cr3t%2F%2B".to_string()));
/// assert!(!format!("{known:?}").contains("s3cr3t"));
/// ```
#[derive(Default)]
pub struct KnownSecrets {
    values: Mutex<Vec<SecretString>>,
    listener: Option<Listener>,
}

/// Called once with each newly recorded value.
type Listener = Box<dyn Fn(&SecretString) + Send + Sync>;

impl KnownSecrets {
    /// An empty registry.
    pub fn new() -> Self {
        KnownSecrets::default()
    }

    /// An empty registry that also hands each new value to `listener` once, such as
    /// the runtime redactor's `add_secret` (which computes its own encoded forms); it runs
    /// under the registry's lock, so it must not call back into this registry.
    pub fn with_listener(listener: impl Fn(&SecretString) + Send + Sync + 'static) -> Self {
        KnownSecrets { values: Mutex::default(), listener: Some(Box::new(listener)) }
    }

    /// Remembers `value` (an empty one is ignored, so is one already known).
    pub fn record(&self, value: &str) {
        if value.is_empty() {
            return;
        }
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        if values.iter().any(|known| known.expose_secret() == value) {
            return;
        }
        if values.len() == CAPACITY {
            values.remove(0);
        }
        let secret = SecretString::from(value);
        if let Some(listener) = &self.listener {
            listener(&secret);
        }
        values.push(secret);
    }

    /// Every known value as recorded, oldest first (no encoded forms).
    pub fn raw_values(&self) -> Vec<SecretString> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Remembers the value of `secret`.
    pub fn record_secret(&self, secret: &SecretString) {
        self.record(secret.expose_secret());
    }

    /// Every known value in every encoded form, longest first (so a scan replaces
    /// a value before any shorter value inside it); no duplicates.
    pub fn values(&self) -> Vec<SecretString> {
        let values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        let mut forms: Vec<String> = values.iter().flat_map(|value| encoded_forms(value.expose_secret())).collect();
        forms.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        forms.dedup();
        forms.into_iter().map(SecretString::from).collect()
    }

    /// How many values are known (not counting encoded forms).
    pub fn len(&self) -> usize {
        self.values.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no value is known yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Characters a URL path or query leaves as they are (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `value` as written, in base64 (4 variants), percent-encoded (all but alphanumerics,
/// all but unreserved) and form-urlencoded.
fn encoded_forms(value: &str) -> [String; 8] {
    let bytes = value.as_bytes();
    [
        value.to_string(),
        STANDARD.encode(bytes),
        STANDARD_NO_PAD.encode(bytes),
        URL_SAFE.encode(bytes),
        URL_SAFE_NO_PAD.encode(bytes),
        utf8_percent_encode(value, NON_ALPHANUMERIC).to_string(),
        utf8_percent_encode(value, UNRESERVED).to_string(),
        url::form_urlencoded::byte_serialize(bytes).collect(),
    ]
}

impl fmt::Debug for KnownSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnownSecrets").field("len", &self.len()).finish()
    }
}
