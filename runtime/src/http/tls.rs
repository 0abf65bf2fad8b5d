//! TLS per environment: an extra trusted CA and a client certificate (mutual TLS)
//! from the secret store, each PEM text or the path of a PEM file.
//!
//! Every client is rustls with TLS 1.2 at least and full certificate checks; there
//! is no setting that turns them off. An API whose environment sets no `tls:` uses
//! the runtime's shared clients; the others get their own, built on first use and
//! kept per API and `tls:` settings (the environment is fixed for a runtime, but
//! definitions loaded at run time may give one API name other settings), one for
//! each tokio runtime. The secrets are read when a setting's first client is built,
//! the others built from the certificates parsed then: a rotated certificate takes
//! effect in a new runtime.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use conv_api_definitions::{is_utf16, read_limited, Environment, EnvironmentConfig, SecretRef, Tls, MAX_FILE_BYTES};
use foldhash::HashMap;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{all_of, Error, ErrorKind, Result};
use crate::http::clients::Clients;
use crate::redact::Redactor;
use crate::secrets::{all_missing_message, MissingSecret, SecretStore};

/// What a `tls:` secret's value may be, as messages say it.
pub(crate) const PEM_FORMS: &str = "PEM text or the path of a PEM file";

/// A problem with an environment's `tls:` secrets, as [`check_tls`] finds it; shown
/// as its error.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TlsProblem {
    /// The names of the secrets it is about, each once, in the order of the fields
    /// (`ca`, `client_cert`, `client_key`): the one a field reads (a CA that holds no
    /// certificate), both of a client key that is not its certificate's (one, when
    /// both fields read one PEM file), the missing ones; none when no secret is at
    /// fault.
    pub secrets: Vec<String>,
    /// What every call in the environment would fail with.
    pub error: Error,
}

impl TlsProblem {
    /// `error`, about the secrets of `settings`.
    fn about(settings: &[Setting<'_>], error: Error) -> TlsProblem {
        let mut secrets: Vec<String> = Vec::new();
        for (secret, _) in settings {
            let Some(name) = secret.as_ref().map(|secret| secret.name.to_string()) else { continue };
            if !secrets.contains(&name) {
                secrets.push(name);
            }
        }
        TlsProblem { secrets, error }
    }

    /// The problem, its error caused by `source` (the TLS library's own error).
    fn with_source(self, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TlsProblem {
        TlsProblem { error: self.error.with_source(source), ..self }
    }
}

impl fmt::Display for TlsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for TlsProblem {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // its text is its error's: the chain goes on with what that one wraps
        std::error::Error::source(&self.error)
    }
}

/// A `tls:` setting: the secret it reads, if any, and its field (`ca`, `client_cert`
/// or `client_key`).
type Setting<'a> = (&'a Option<SecretRef>, &'static str);

/// The PEM text of one environment's TLS settings, read from the secret store.
#[derive(Default)]
pub(crate) struct TlsMaterial {
    /// Extra trusted CA certificates (one or more, PEM).
    pub(crate) ca: Option<String>,
    /// The client certificate chain and its private key, PEM, one after the other.
    pub(crate) identity: Option<SecretString>,
}

/// The certificates of one environment's `tls:` settings, parsed: what each of its
/// clients (one per tokio runtime) is built with.
#[derive(Default)]
struct TlsParts {
    /// Trusted on top of the built-in roots.
    roots: Vec<reqwest::Certificate>,
    /// Presented to servers that ask for a client certificate.
    identity: Option<reqwest::Identity>,
}

impl TlsParts {
    /// The parts of `material` that are valid; a problem with any of them is added to
    /// `problems`.
    fn of(material: &TlsMaterial, tls: &Tls, problems: &mut Vec<TlsProblem>) -> TlsParts {
        let mut parts = TlsParts::default();
        if let Some(ca) = &material.ca {
            match reqwest::Certificate::from_pem_bundle(ca.as_bytes()) {
                Ok(certificates) if certificates.is_empty() => {
                    problems.push(invalid(&[(&tls.ca, "ca")], "has no PEM certificate"))
                }
                Ok(certificates) => parts.roots = certificates,
                Err(error) => problems.push(invalid(
                    &[(&tls.ca, "ca")],
                    &format!("has no valid PEM certificate ({})", crate::http::transport::innermost(&error)),
                )),
            }
        }
        if let Some(identity) = &material.identity {
            let pem = identity.expose_secret();
            if let Some(problem) = encrypted_key_problem(pem, tls) {
                problems.push(problem);
            } else {
                // the parser's messages name PEM sections and positions, never their content
                match reqwest::Identity::from_pem(pem.as_bytes()) {
                    Ok(identity) => parts.identity = Some(identity),
                    Err(error) => problems.push(invalid(
                        &[(&tls.client_cert, "client_cert"), (&tls.client_key, "client_key")],
                        &format!(
                            "are not a PEM certificate and its private key ({})",
                            crate::http::transport::innermost(&error)
                        ),
                    )),
                }
            }
        }
        parts
    }

    /// `base` (the runtime's settings: rustls, TLS 1.2 at least, timeouts, redirects)
    /// trusting the roots and presenting the identity.
    fn on(&self, base: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        let builder = self.ca_on(base);
        match &self.identity {
            Some(identity) => builder.identity(identity.clone()),
            None => builder,
        }
    }

    /// `base` trusting the roots, presenting no identity.
    fn ca_on(&self, base: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        self.roots.iter().fold(base, |builder, root| builder.add_root_certificate(root.clone()))
    }

    /// The client of `base` with these parts; when it cannot be built, the error tells
    /// a CA certificate that rustls refuses from a client key that is not the
    /// certificate's.
    fn client(
        &self,
        base: impl Fn() -> reqwest::ClientBuilder,
        tls: &Tls,
    ) -> std::result::Result<reqwest::Client, TlsProblem> {
        let ca_alone = || (!self.roots.is_empty()).then(|| self.ca_on(base()));
        build(self.on(base()), ca_alone, tls)
    }
}

/// The client of `builder`; `ca_alone`, the base with only the CA certificates, is
/// built when it fails, to tell a CA certificate that rustls refuses (its PEM block
/// holds no certificate) from a client certificate that rustls cannot read, and both
/// from a client certificate and key that do not go together.
fn build(
    builder: reqwest::ClientBuilder,
    ca_alone: impl FnOnce() -> Option<reqwest::ClientBuilder>,
    tls: &Tls,
) -> std::result::Result<reqwest::Client, TlsProblem> {
    builder.build().map_err(|error| {
        let error = error.without_url();
        let reason = crate::http::transport::innermost(&error);
        if ca_alone().is_some_and(|builder| builder.build().is_err()) {
            let problem = format!("holds a PEM block that is no valid certificate ({reason})");
            return invalid(&[(&tls.ca, "ca")], &problem).with_source(error);
        }
        if let Some(refused) = refused_certificate(&error) {
            let problem = match refused {
                rustls::CertificateError::BadEncoding => "holds a PEM block that is no valid certificate (BadEncoding)".into(),
                other => format!("holds a certificate rustls does not take ({other:?}): a client certificate is X.509 v3, without a critical extension rustls does not know; reissue it"),
            };
            return invalid(&[(&tls.client_cert, "client_cert")], &problem).with_source(error);
        }
        let advice = match tls.client_cert.is_some() || tls.client_key.is_some() {
            true => format!(
                "check that {} holds the private key of the certificate in {}",
                named(&tls.client_key, "client_key"),
                named(&tls.client_cert, "client_cert")
            ),
            false => "check the certificates".to_string(),
        };
        let message = format!("cannot set up the HTTP client with the `tls:` settings ({reason}); {advice}");
        let identity = [(&tls.client_cert, "client_cert"), (&tls.client_key, "client_key")];
        TlsProblem::about(&identity, Error::new(ErrorKind::Config, message).with_source(error))
    })
}

/// What rustls found wrong with a certificate it refused, when that is why a client
/// could not be built: the client's own certificate, as the CA's passed alone
/// before (rustls says "invalid peer certificate" of it, as of a server's).
fn refused_certificate(error: &(dyn std::error::Error + 'static)) -> Option<rustls::CertificateError> {
    crate::http::transport::chain(error).find_map(|error| match error.downcast_ref::<rustls::Error>() {
        Some(rustls::Error::InvalidCertificate(problem)) => Some(problem.clone()),
        _ => None,
    })
}

/// The problem with a client key (or the PEM text holding it) that is encrypted.
fn encrypted_key_problem(pem: &str, tls: &Tls) -> Option<TlsProblem> {
    let encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
    // the value is PEM, as it should be: only its encryption is to mend
    let problem = "is encrypted, and no passphrase can be given; store it decrypted (`openssl pkey -in key.pem -out plain-key.pem`)";
    let key = (&tls.client_key, "client_key");
    let message = format!("{} {problem}", named(key.0, key.1));
    encrypted.then(|| TlsProblem::about(&[key], Error::new(ErrorKind::Config, message)))
}

/// A `tls:` setting as messages name it: its secret and the field, ``secret `API_CA` (`tls.ca`)``.
fn named(secret: &Option<SecretRef>, field: &str) -> String {
    match secret {
        Some(secret) => format!("secret `{}` (`tls.{field}`)", secret.name),
        None => format!("`tls.{field}`"),
    }
}

/// The `problem` with the values of `settings`, named one after the other.
fn invalid(settings: &[Setting<'_>], problem: &str) -> TlsProblem {
    let named: Vec<String> = settings.iter().map(|(secret, field)| named(secret, field)).collect();
    let message =
        format!("{} {problem}; check the secret's value (PEM text, or the path of a PEM file)", named.join(" and "));
    TlsProblem::about(settings, Error::new(ErrorKind::Config, message))
}

/// `Ok` when there are no `problems`; else the one error saying all of them.
fn every_problem(problems: Vec<TlsProblem>) -> Result<()> {
    let errors = problems.into_iter().map(|problem| problem.error).collect();
    all_of(errors, "with the environment's `tls:` settings").map_or(Ok(()), Err)
}

/// `value` as PEM text: itself when it holds `-----BEGIN` (also after the "Bag
/// Attributes" lines `openssl pkcs12` writes, or on one line with its line breaks
/// written `\n`, as an environment variable often holds it), else the content of the
/// file it names. Messages never show the value.
pub(crate) fn pem_text(value: &str) -> std::result::Result<String, String> {
    let trimmed = value.trim();
    if trimmed.contains("-----BEGIN") {
        if !trimmed.contains('\n') && trimmed.contains("\\n") {
            return Ok(without_byte_order_marks(trimmed.replace("\\n", "\n")));
        }
        return Ok(without_byte_order_marks(trimmed.to_string()));
    }
    let text = read_pem_file(Path::new(trimmed))?;
    if !text.contains("-----BEGIN") {
        return Err("names a file that has no PEM block (`-----BEGIN ...`); set it to the PEM text, or to the path of a PEM file".to_string());
    }
    Ok(without_byte_order_marks(text))
}

/// The text of the PEM file at `path` (from the process's current directory when
/// relative): a regular file of at most [`MAX_FILE_BYTES`] of UTF-8 text, so that a
/// secret naming `/dev/zero` or a named pipe fails the call instead of taking all the
/// memory or waiting forever. Else what to say of the secret.
fn read_pem_file(path: &Path) -> std::result::Result<String, String> {
    let unreadable = |error: std::io::Error| {
        format!("is not PEM text (which starts with `-----BEGIN`), and no PEM file can be read at that path ({error}); set it to the PEM text, or to the path of a PEM file this process can read")
    };
    let unfit = |what: &str| format!("names {what}; set it to the PEM text, or to the path of a PEM file");
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(unfit("a directory, not a PEM file"));
    }
    if !metadata.is_file() {
        return Err(unfit("a device or a pipe, not a PEM file"));
    }
    let bytes = std::fs::File::open(path).and_then(read_limited).map_err(unreadable)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(unfit(&format!("a file larger than the {} MiB a PEM file may have", MAX_FILE_BYTES >> 20)));
    }
    if is_utf16(&bytes) {
        return Err("names a file of UTF-16 text, as PowerShell's `>` and some Windows editors write it; save it as UTF-8 (PEM text is ASCII)".to_string());
    }
    String::from_utf8(bytes).map_err(|_| {
        unfit("a file that is not text (PEM text is ASCII: a DER certificate converts with `openssl x509 -inform der`)")
    })
}

/// `pem` without the UTF-8 byte order marks that Windows tools write at the start of
/// a file (and `cat` of such files between blocks), which hide a block's
/// `-----BEGIN` line from the PEM parser; PEM text is ASCII, so none belongs in it.
fn without_byte_order_marks(pem: String) -> String {
    if pem.contains('\u{feff}') {
        pem.replace('\u{feff}', "")
    } else {
        pem
    }
}

/// Reads the `tls:` secrets of `environment` from `store` and checks them as the
/// first call's client is built from them (PEM text or the path of a PEM file, the
/// certificates and the key parsed, the key the certificate's), without sending
/// anything: every problem a call would fail with, each a [`TlsProblem`] (its error
/// and the secrets at fault), so none where no request may go over TLS
/// ([`may_use_tls`](crate::may_use_tls): every request plain `http`).
/// `conv-api secrets --check` runs it, and marks those secrets `INVALID`.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{check_tls, DynamicApis, Environment, ErrorKind, MapSecretStore};
/// let yaml = "api_integrations:
///   - name: shop
///     environments: { live: { base_url: https://shop.example, tls: { ca: { secret: SHOP_CA } } } }
/// ";
/// let apis = DynamicApis::parse("apis.yaml", yaml).unwrap();
/// let live = apis.definitions().apis[0].environment(Environment::Live).unwrap();
/// let problems = check_tls(live, &MapSecretStore::new().with("SHOP_CA", "see the wiki"));
/// assert_eq!(problems.len(), 1);
/// assert!(problems[0].to_string().starts_with("secret `SHOP_CA` (`tls.ca`) is not PEM text"));
/// assert_eq!(problems[0].secrets, ["SHOP_CA"]);
/// assert_eq!(check_tls(live, &MapSecretStore::new())[0].error.kind(), ErrorKind::MissingSecret);
/// ```
#[must_use]
pub fn check_tls(environment: &EnvironmentConfig, store: &dyn SecretStore) -> Vec<TlsProblem> {
    let (missing, others) = tls_problems_at(environment, &environment.base_url.value, store);
    with_missing(&missing, others)
}

/// The problems [`check_tls`] tells of `environment` when its calls go to
/// `base_url`: the secrets missing, each on its own, and the others.
pub(crate) fn tls_problems_at(
    environment: &EnvironmentConfig,
    base_url: &str,
    store: &dyn SecretStore,
) -> (Vec<MissingSecret>, Vec<TlsProblem>) {
    let tls = &environment.tls;
    if !tls.is_set() || !crate::secrets::may_use_tls(environment, base_url, store) {
        return (Vec::new(), Vec::new());
    }
    let (material, missing, mut problems) = TlsClients::material(store, &str::to_string, tls);
    let parts = TlsParts::of(&material, tls, &mut problems);
    // rustls checks that the key is the certificate's when a client is built: of the
    // parts that are valid, so a CA's problem hides no other
    let base = || reqwest::Client::builder().use_rustls_tls();
    if let Err(problem) = parts.client(base, tls) {
        // a CA that rustls refuses is told first: the certificate and key are then
        // built alone too (a key that is not the certificate's says the same twice)
        let alone = TlsParts { roots: Vec::new(), identity: parts.identity.clone() };
        let mismatch = (!parts.roots.is_empty() && alone.identity.is_some()).then(|| alone.client(base, tls).err());
        let mismatch = mismatch.flatten().filter(|mismatch| mismatch.error.to_string() != problem.error.to_string());
        problems.push(problem);
        problems.extend(mismatch);
    }
    (missing, problems)
}

/// How many `tls:` settings a runtime keeps clients of (tens of kilobytes each): past
/// it, the clients of the settings read longest ago go, as the tenants of a platform
/// come and go; a call that needs them again builds them again.
const MAX_TLS_SETTINGS: usize = 1024;

/// One API's clients by their settings (one per tokio runtime), each with the order
/// it was built in.
type ApiClients = Vec<(Tls, Arc<Clients>, u64)>;

/// The clients of APIs whose environment has `tls:` settings, built on first use.
pub(crate) struct TlsClients {
    store: Arc<dyn SecretStore>,
    /// Masks the store's description in messages, should it hold a known secret.
    redactor: Redactor,
    base: Arc<dyn Fn() -> reqwest::ClientBuilder + Send + Sync>,
    /// Each API's clients by their settings. Read on every attempt, so without a
    /// lock; replaced when the first client of a setting is built.
    built: ArcSwap<HashMap<String, ApiClients>>,
    /// Held while a client is built, so that concurrent first calls read the
    /// secrets once.
    building: Mutex<()>,
}

impl std::fmt::Debug for TlsClients {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let built = self.built.load();
        f.debug_struct("TlsClients").field("apis", &built.keys().collect::<Vec<_>>()).finish_non_exhaustive()
    }
}

impl TlsClients {
    /// Clients reading TLS secrets from `store`, built from `base` (the runtime's
    /// settings); `redactor` masks what messages show of the store.
    pub(crate) fn new(
        store: Arc<dyn SecretStore>,
        redactor: Redactor,
        base: impl Fn() -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> TlsClients {
        TlsClients { store, redactor, base: Arc::new(base), built: ArcSwap::default(), building: Mutex::default() }
    }

    /// The client for API `api` in `environment`: `shared` when its configuration
    /// has no `tls:` settings, else the one of those settings (built once; a failed
    /// build is not kept).
    pub(crate) fn client<'a>(
        &self,
        shared: Cow<'a, reqwest::Client>,
        api: &str,
        environment: Environment,
        config: Option<&EnvironmentConfig>,
    ) -> Result<Cow<'a, reqwest::Client>> {
        Ok(self.configured_client(api, environment, config)?.map_or(shared, Cow::Owned))
    }

    /// The client of the `tls:` settings of API `api` in `environment`; `None` when
    /// its configuration has none.
    pub(crate) fn configured_client(
        &self,
        api: &str,
        environment: Environment,
        config: Option<&EnvironmentConfig>,
    ) -> Result<Option<reqwest::Client>> {
        let Some(tls) = config.map(|config| &config.tls).filter(|tls| tls.is_set()) else {
            return Ok(None);
        };
        let kept = |built: &HashMap<String, ApiClients>| {
            let clients = built.get(api)?;
            clients.iter().find(|(settings, ..)| settings == tls).map(|(_, clients, _)| Arc::clone(clients))
        };
        let current = |clients: Arc<Clients>| clients.current().map(|client| Some(client.into_owned()));
        if let Some(clients) = kept(&self.built.load()) {
            return current(clients);
        }
        let _building = self.building.lock().unwrap_or_else(PoisonError::into_inner);
        // built by the call that held the lock before this one
        if let Some(clients) = kept(&self.built.load()) {
            return current(clients);
        }
        // what was read is checked too, so that every problem is told at once
        let shown = |text: &str| self.redactor.text(text);
        let (material, missing, others) = Self::material(self.store.as_ref(), &shown, tls);
        let mut problems = with_missing(&missing, others);
        let parts = TlsParts::of(&material, tls, &mut problems);
        let first = every_problem(problems)
            .and_then(|()| parts.client(|| (self.base)(), tls).map_err(|problem| problem.error))
            .map_err(|error| call_error(environment, error))?;
        let (base, settings) = (Arc::clone(&self.base), tls.clone());
        let for_another_tokio_runtime =
            move || parts.client(|| base(), &settings).map_err(|problem| call_error(environment, problem.error));
        let clients = Arc::new(Clients::with_first(first, for_another_tokio_runtime));
        let mut built = HashMap::clone(&self.built.load());
        let order = built.values().flatten().map(|(.., order)| order + 1).max().unwrap_or(0);
        if built.values().map(Vec::len).sum::<usize>() >= MAX_TLS_SETTINGS {
            forget_oldest(&mut built);
        }
        built.entry(api.to_string()).or_default().push((tls.clone(), Arc::clone(&clients), order));
        self.built.store(Arc::new(built));
        current(clients)
    }

    /// The PEM text of `tls` that the secret store has, the secrets it does not have
    /// (for the first field that names each; the store's description and names as
    /// `shown` gives them), and the other problems: each secret that holds no PEM, or
    /// an encrypted key (the client certificate and key make an identity only
    /// together). A secret several fields name (one PEM file with the certificate and
    /// its key) is read, and told of, once.
    fn material(
        store: &dyn SecretStore,
        shown: &dyn Fn(&str) -> String,
        tls: &Tls,
    ) -> (TlsMaterial, Vec<MissingSecret>, Vec<TlsProblem>) {
        let fields = [(&tls.ca, "ca"), (&tls.client_cert, "client_cert"), (&tls.client_key, "client_key")];
        let mut secrets: Vec<(&SecretRef, Vec<&'static str>, Read)> = Vec::new();
        for (secret, field) in fields {
            let Some(secret) = secret else { continue };
            match secrets.iter_mut().find(|(read, ..)| read.name == secret.name) {
                Some((_, fields, _)) => fields.push(field),
                None => {
                    let read = match crate::secrets::usable_value(store, &secret.name) {
                        None => Read::Missing,
                        Some(value) => pem_text(value.expose_secret()).map_or_else(Read::Unreadable, Read::Pem),
                    };
                    secrets.push((secret, vec![field], read));
                }
            }
        }
        let unread = secrets.iter().filter(|(.., read)| matches!(read, Read::Missing));
        let unread: Vec<(&SecretRef, &[&'static str])> =
            unread.map(|(secret, fields, _)| (*secret, &fields[..])).collect();
        let missing = MissingSecret::of_tls(&unread, store, shown);
        let mut problems: Vec<TlsProblem> = secrets
            .iter()
            .filter_map(|(secret, fields, read)| match read {
                Read::Unreadable(problem) => Some(TlsProblem {
                    secrets: vec![secret.name.to_string()],
                    error: Error::new(
                        ErrorKind::Config,
                        format!("secret `{}` ({}) {problem}", secret.name, tls_fields(fields)),
                    ),
                }),
                _ => None,
            })
            .collect();
        let pem = |field: &str| {
            secrets.iter().find(|(_, fields, _)| fields.contains(&field)).and_then(|(.., read)| match read {
                Read::Pem(pem) => Some(pem.clone()),
                _ => None,
            })
        };
        let (ca, cert, key) = (pem("ca"), pem("client_cert"), pem("client_key"));
        let identity = match (cert, key) {
            // each checked for its own block first, so that the error names the secret at fault
            (Some(cert), Some(key)) => {
                let missing = [
                    (!cert.contains("CERTIFICATE-----")).then(|| {
                        invalid(&[(&tls.client_cert, "client_cert")], "holds no PEM certificate (`-----BEGIN CERTIFICATE-----`)")
                    }),
                    (!key.contains("PRIVATE KEY-----")).then(|| {
                        invalid(&[(&tls.client_key, "client_key")], "holds no PEM private key (`-----BEGIN PRIVATE KEY-----`, or `RSA PRIVATE KEY`, `EC PRIVATE KEY`)")
                    }),
                ];
                let found = missing.iter().all(Option::is_none);
                problems.extend(missing.into_iter().flatten());
                found.then(|| identity_pem(&cert, &key))
            }
            // a key without its certificate is still checked, so that one run says both
            (None, Some(key)) => {
                problems.extend(encrypted_key_problem(&key, tls));
                None
            }
            _ => None,
        };
        (TlsMaterial { ca, identity }, missing, problems)
    }
}

/// The client certificate chain and its key as one PEM text, the key's own
/// certificate first: rustls presents the first certificate as the client's, and one
/// PEM file holding the CA, the certificate and the key (named by all three fields)
/// may list them in any order. A certificate written twice (both fields naming that
/// file) is given once. Text that cannot be read that way is given as it is, for the
/// client to say what is wrong with it.
fn identity_pem(cert: &str, key: &str) -> SecretString {
    let as_written = || SecretString::from(format!("{cert}\n{key}\n"));
    let Ok(certificates) = CertificateDer::pem_slice_iter(cert.as_bytes()).collect::<Result<Vec<_>, _>>() else {
        return as_written();
    };
    let Ok((label, key)) = PrivateKeyDer::from_pem_slice(key.as_bytes()).map(|key| (key_label(&key), key)) else {
        return as_written();
    };
    let Ok(signing_key) = rustls::crypto::ring::sign::any_supported_type(&key) else {
        return as_written();
    };
    let is_own = |certificate: &CertificateDer<'static>| {
        CertifiedKey::new(vec![certificate.clone()], signing_key.clone()).keys_match().is_ok()
    };
    let Some(own) = certificates.iter().position(is_own) else {
        return as_written();
    };
    let mut chain = vec![&certificates[own]];
    for certificate in &certificates {
        if !chain.contains(&certificate) {
            chain.push(certificate);
        }
    }
    let mut pem: String = chain.iter().map(|certificate| pem_block("CERTIFICATE", certificate)).collect();
    pem.push_str(&pem_block(label, key.secret_der()));
    SecretString::from(pem)
}

/// The PEM label of `key`'s encoding.
fn key_label(key: &PrivateKeyDer<'_>) -> &'static str {
    match key {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

/// `der` as a PEM block with `label`, in lines of 64 characters.
fn pem_block(label: &str, der: &[u8]) -> String {
    let base64 = STANDARD.encode(der);
    let mut block = format!("-----BEGIN {label}-----\n");
    // base64 is ASCII: every 64 bytes are 64 characters
    for line in base64.as_bytes().chunks(64) {
        block.push_str(std::str::from_utf8(line).unwrap_or_default());
        block.push('\n');
    }
    block.push_str(&format!("-----END {label}-----\n"));
    block
}

/// A TLS secret as read from the store.
enum Read {
    Pem(String),
    Missing,
    /// Why its value is no PEM text.
    Unreadable(String),
}

/// `fields` as messages name them: `` `tls.client_cert`, `tls.client_key` ``.
fn tls_fields(fields: &[&str]) -> String {
    fields.iter().map(|field| format!("`tls.{field}`")).collect::<Vec<_>>().join(", ")
}

/// The TLS secrets `missing`, then the `others` problems: the missing ones told at
/// once as a call's missing auth secrets are, or each on its own beside others (a
/// list is not nested in a list).
fn with_missing(missing: &[MissingSecret], others: Vec<TlsProblem>) -> Vec<TlsProblem> {
    let as_problem = |secrets: &[MissingSecret], message: String| TlsProblem {
        secrets: secrets.iter().map(|secret| secret.name.clone()).collect(),
        error: Error::new(ErrorKind::MissingSecret, message),
    };
    let missing: Vec<TlsProblem> = match (missing, others.is_empty()) {
        ([], _) => Vec::new(),
        (_, true) => vec![as_problem(missing, all_missing_message(&missing.iter().collect::<Vec<_>>()))],
        (_, false) => {
            missing.iter().map(|secret| as_problem(std::slice::from_ref(secret), secret.to_string())).collect()
        }
    };
    missing.into_iter().chain(others).collect()
}

/// Drops the clients of the settings read longest ago (calls under way keep theirs until they end).
fn forget_oldest(built: &mut HashMap<String, ApiClients>) {
    let oldest = built.iter().flat_map(|(api, clients)| clients.iter().map(move |(.., order)| (*order, api))).min();
    let Some((oldest, api)) = oldest.map(|(order, api)| (order, api.clone())) else { return };
    if let Some(clients) = built.get_mut(&api) {
        clients.retain(|(.., order)| *order != oldest);
        if clients.is_empty() {
            built.remove(&api);
        }
    }
}

/// `error` of the `tls:` settings of `environment` as a call's: where (the call's
/// context names the API), and that nothing was sent, as an auth error says.
fn call_error(environment: Environment, error: Error) -> Error {
    error.with_prefix(&format!("environment `{environment}`: ")).with_note("; nothing was sent")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn client_for(material: &TlsMaterial) -> Result<reqwest::Client> {
        let mut problems = Vec::new();
        let tls = Tls::default();
        let parts = TlsParts::of(material, &tls, &mut problems);
        every_problem(problems).and_then(|()| {
            parts.client(|| reqwest::Client::builder().use_rustls_tls(), &tls).map_err(|problem| problem.error)
        })
    }

    #[test]
    fn the_client_built_longest_ago_is_forgotten_first() {
        let settings = |name: &str| Tls {
            ca: Some(SecretRef {
                name: name.to_string().into(),
                source: conv_api_definitions::SecretSource::Explicit,
                required: true,
            }),
            ..Tls::default()
        };
        let client = Arc::new(Clients::with_first(reqwest::Client::new(), || Ok(reqwest::Client::new())));
        let mut built: HashMap<String, ApiClients> = HashMap::default();
        built.insert("a".into(), vec![(settings("A1"), client.clone(), 1), (settings("A2"), client.clone(), 3)]);
        built.insert("b".into(), vec![(settings("B1"), client.clone(), 0)]);
        forget_oldest(&mut built);
        assert!(!built.contains_key("b"), "the oldest, and its API with it");
        forget_oldest(&mut built);
        let kept: Vec<u64> = built["a"].iter().map(|(.., order)| *order).collect();
        assert_eq!(kept, [3]);
    }

    #[test]
    fn pem_text_is_kept_and_paths_are_read() {
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_text(&format!("  {pem}")).unwrap(), pem.trim());
        let dir = std::env::temp_dir().join(format!("conv-api-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ca.pem");
        std::fs::write(&file, pem).unwrap();
        assert_eq!(pem_text(file.to_str().unwrap()).unwrap(), pem);
        std::fs::write(&file, "not pem").unwrap();
        assert!(pem_text(file.to_str().unwrap()).unwrap_err().contains("no PEM block"));
        let missing = pem_text("/nonexistent/secret-looking-value").unwrap_err();
        assert!(!missing.contains("secret-looking-value"), "messages never show the value: {missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    #[cfg(unix)]
    fn a_path_to_no_regular_file_is_refused_without_reading_it() {
        // read, `/dev/zero` would take all the memory; opened, a named pipe would wait
        // for a writer forever
        let device = pem_text("/dev/zero").unwrap_err();
        assert!(device.starts_with("names a device or a pipe, not a PEM file; "), "{device}");
        let dir = std::env::temp_dir().join(format!("conv-api-tls-fifo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("ca.pem");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            let pipe = pem_text(fifo.to_str().unwrap()).unwrap_err();
            assert!(pipe.starts_with("names a device or a pipe, not a PEM file; "), "{pipe}");
        }
        let directory = pem_text(dir.to_str().unwrap()).unwrap_err();
        assert!(directory.starts_with("names a directory, not a PEM file; "), "{directory}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_pem_file_past_the_size_limit_is_refused() {
        let dir = std::env::temp_dir().join(format!("conv-api-tls-large-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ca.pem");
        // sparse: its size, not its bytes, costs the disk nothing
        std::fs::File::create(&file).unwrap().set_len(MAX_FILE_BYTES as u64 + 1).unwrap();
        let large = pem_text(file.to_str().unwrap()).unwrap_err();
        assert!(large.starts_with("names a file larger than the 16 MiB a PEM file may have; "), "{large}");
        std::fs::File::create(&file).unwrap().write_all(b"\xff-----BEGIN").unwrap();
        let binary = pem_text(file.to_str().unwrap()).unwrap_err();
        assert!(binary.starts_with("names a file that is not text (PEM text is ASCII: "), "{binary}");
        std::fs::write(&file, b"\xff\xfe-\0-\0").unwrap();
        let utf16 = pem_text(file.to_str().unwrap()).unwrap_err();
        assert!(utf16.starts_with("names a file of UTF-16 text, as PowerShell's `>`"), "{utf16}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_material_is_a_config_error() {
        let material = TlsMaterial {
            ca: Some("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----".into()),
            identity: None,
        };
        let error = client_for(&material).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        assert!(error.to_string().contains("has no valid PEM certificate (invalid certificate encoding)"), "{error}");
        let material = TlsMaterial {
            ca: None,
            identity: Some(SecretString::from("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")),
        };
        let error = client_for(&material).unwrap_err();
        assert!(error.to_string().contains("`tls.client_cert`"), "{error}");
        assert!(!error.to_string().contains("AAAA"));
        assert!(error.to_string().contains("(unexpected error: private key or certificate not found)"), "{error}");
    }

    #[test]
    fn a_bad_ca_and_a_bad_client_key_are_reported_together() {
        let material = TlsMaterial {
            ca: Some("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----".into()),
            identity: Some(SecretString::from(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----",
            )),
        };
        let error = client_for(&material).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        let message = error.to_string();
        assert!(message.contains("`tls.ca` has no valid PEM certificate"), "{message}");
        assert!(message.contains("`tls.client_key` is encrypted"), "{message}");
    }

    #[test]
    fn an_encrypted_client_key_is_named_as_such() {
        for key in [
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIE\n-----END RSA PRIVATE KEY-----",
        ] {
            let identity = format!("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n{key}");
            let material = TlsMaterial { ca: None, identity: Some(SecretString::from(identity)) };
            let error = client_for(&material).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Config, "{error}");
            assert!(error.to_string().contains("`tls.client_key` is encrypted"), "{error}");
            assert!(error.to_string().contains("openssl pkey"), "{error}");
        }
    }
}
