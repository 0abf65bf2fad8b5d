//! Rules for URLs in definitions: base URLs, token URLs, and where credentials may go.

use std::borrow::Cow;
use std::ops::Range;

use url::{Host, Url};

use crate::diagnostics::{invisible_problem, one_line};

/// What a URL is used for, which decides its rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlUse {
    /// An environment's `base_url`: no query, no fragment.
    BaseUrl,
    /// An OAuth 2.0 `token_url`: carries credentials, so `https` unless loopback.
    TokenUrl,
}

impl UrlUse {
    /// A URL of this use, for messages to show how one is written.
    fn example(self) -> &'static str {
        match self {
            UrlUse::BaseUrl => "https://api.example.com/v1",
            UrlUse::TokenUrl => "https://auth.example.com/oauth/token",
        }
    }
}

/// Checks `text` for `use_`.
///
/// # Errors
///
/// The problems, each completing a sentence starting with the element's name: one for a
/// URL that cannot be read, or is not written as an `http(s)` URL with a host; else
/// every one it has (a fragment, a base URL's query, credentials over plain `http` to a
/// host that is not loopback: a token URL's, a base URL's user info).
///
/// ```
/// use conv_api_definitions::urls::{check_url, UrlUse};
/// assert!(check_url("https://api.example/v2/", UrlUse::BaseUrl).is_ok());
/// assert!(check_url("https://api.example/v2?x=1", UrlUse::BaseUrl).is_err());
/// assert!(check_url("http://auth.example/token", UrlUse::TokenUrl).is_err());
/// assert!(check_url("http://127.0.0.1:8080/token", UrlUse::TokenUrl).is_ok());
/// let problems = check_url("http://agent:pw@api.example/v2", UrlUse::BaseUrl).unwrap_err();
/// assert!(problems[0].contains("clear text") && problems[0].contains("***@api.example") && !problems[0].contains("pw"));
/// let problems = check_url("https://agent:pa/ss@api.example/v2", UrlUse::BaseUrl).unwrap_err();
/// assert!(!problems[0].contains("pa/ss") && !problems[0].contains("ss@"), "{problems:?}");
/// let problems = check_url("http://auth.example/token?client_secret=abc#f", UrlUse::TokenUrl).unwrap_err();
/// assert_eq!(problems.len(), 2, "the fragment and plain http: {problems:?}");
/// assert!(problems[1].contains("`http://auth.example/token?***#***`") && !problems[1].contains("abc"));
/// ```
pub fn check_url(text: &str, use_: UrlUse) -> Result<Url, Vec<String>> {
    // messages show the URL with its user info masked (it may hold a password), and
    // on one line, what would reorder or hide text escaped: not every caller's
    // message goes through a diagnostic's rendering
    check(text, use_, Some(&one_line(&shown(text))))
}

/// [`check_url`] for a URL read from a secret store, whose messages never show it,
/// nor any part of it: each says "is set to text" where `check_url`'s says "is `<the URL>`".
///
/// ```
/// use conv_api_definitions::urls::{check_secret_url, UrlUse};
/// let problems = check_secret_url("http://tokens.example/t", UrlUse::TokenUrl).unwrap_err();
/// assert!(problems[0].starts_with("is set to a plain `http` URL to a host that is not loopback: credentials never travel in clear text"));
/// assert!(!problems[0].contains("tokens.example"));
/// let problems = check_secret_url("tokens.example:oauth/token", UrlUse::TokenUrl).unwrap_err();
/// assert!(!problems[0].contains("tokens.example"), "{problems:?}");
/// ```
///
/// # Errors
///
/// The problems of [`check_url`].
pub fn check_secret_url(text: &str, use_: UrlUse) -> Result<Url, Vec<String>> {
    check(text, use_, None)
}

/// The checks of [`check_url`]; messages show the URL as `written`, or no part of it
/// without one.
fn check(text: &str, use_: UrlUse, written: Option<&str>) -> Result<Url, Vec<String>> {
    let check = UrlCheck::new(text, use_, written);
    if let Some(problem) = blank_problem(text) {
        return Err(vec![format!("{}, which {problem}", check.is)]);
    }
    let url = Url::parse(text).map_err(|error| vec![check.unread(error)])?;
    if let Some(problem) = check.host_and_port_without_scheme(&url) {
        return Err(vec![problem]);
    }
    let problems = check.problems(&url);
    if problems.is_empty() {
        Ok(url)
    } else {
        Err(problems)
    }
}

/// One URL checked, with what its messages say of it.
struct UrlCheck<'t> {
    text: &'t str,
    use_: UrlUse,
    /// The URL as messages show it; `None` where they show no part of it.
    written: Option<&'t str>,
    /// What messages say the URL is: "is `<the URL>`", or "is set to text".
    is: String,
}

impl<'t> UrlCheck<'t> {
    fn new(text: &'t str, use_: UrlUse, written: Option<&'t str>) -> Self {
        let is = match written {
            Some(written) => format!("is `{written}`"),
            None => "is set to text".to_string(),
        };
        UrlCheck { text, use_, written, is }
    }

    /// What is said of the URL when the URL library cannot read it, refused with `error`.
    fn unread(&self, error: url::ParseError) -> String {
        let problem = match error {
            // the URL is absolute: only its port is wrong
            url::ParseError::InvalidPort => "whose port is not a number from 1 to 65535".into(),
            error => format!("not an absolute URL ({})", parse_problem(error)),
        };
        format!("{}, {problem}; {}", self.is, self.with_scheme(error))
    }

    /// How to write the URL the URL library refused with `error`: with the scheme it
    /// lacks, or like the URL of its use.
    fn with_scheme(&self, error: url::ParseError) -> String {
        // `api.example.com/v1`: a host written without its scheme
        let lacks = (error == url::ParseError::RelativeUrlWithoutBase).then(|| scheme_it_lacks(self.text)).flatten();
        match (self.written, lacks) {
            (Some(written), Some("http://")) => format!("write it `http://{written}` (`https://` for TLS)"),
            (Some(written), Some(scheme)) => format!("write it `{scheme}{written}`"),
            _ => format!("write it like `{}`", self.use_.example()),
        }
    }

    /// What is said of `url` when it is a host and port written without a scheme:
    /// `localhost:8080/v1` reads as the scheme `localhost`.
    fn host_and_port_without_scheme(&self, url: &Url) -> Option<String> {
        if is_web(url) {
            return None;
        }
        let port = url.path().split('/').next().unwrap_or_default();
        let host_and_port = url.cannot_be_a_base() && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        if !host_and_port {
            return None;
        }
        let fix = match (self.written, scheme_it_lacks(self.text)) {
            (Some(written), Some("https://")) => format!("write it `https://{written}`"),
            (Some(written), _) => format!("write it `http://{written}` (`https://` for TLS)"),
            (None, _) => "write it with `http://` before the host (`https://` for TLS)".to_string(),
        };
        Some(format!("{}, which has no scheme: {fix}", self.is))
    }

    /// Every problem of `url`, a URL that parses: each is told, so fixing one brings
    /// up no other.
    fn problems(&self, url: &Url) -> Vec<String> {
        let web = is_web(url);
        let problems = [
            self.scheme_problem(url, web),
            self.host_problem(url, web),
            self.shape_problem(web),
            self.fragment_problem(url),
            self.port_problem(url, web),
            self.query_problem(url),
            self.clear_text_problem(url, web),
        ];
        problems.into_iter().flatten().collect()
    }

    /// A scheme other than `http` and `https` (`web`).
    fn scheme_problem(&self, url: &Url, web: bool) -> Option<String> {
        let is = &self.is;
        (!web).then(|| match self.written {
            Some(_) => format!("{is}: the scheme must be `http` or `https`, not `{}`", url.scheme()),
            // the text before a `:` may be a host or an id
            None => format!("{is} whose scheme is not `http` or `https`; write it like `{}`", self.use_.example()),
        })
    }

    /// An `http` or `https` URL (`web`) without a host, or with a domain that no
    /// name server answers for: an empty label (`api..example`, a lone `.`), which
    /// the URL library reads but no connection can reach (Python `requests` refuses
    /// it too). One `.` at the end (`localhost.`) is the name written in full.
    fn host_problem(&self, url: &Url, web: bool) -> Option<String> {
        if !web {
            return None;
        }
        match url.host() {
            None => Some(format!("{}, which has no host", self.is)),
            Some(Host::Domain(domain)) if has_empty_label(domain) => Some(format!(
                "{}, whose host `{domain}` has an empty label (a lone `.`, or two in a row); write the host's name in full, like `{}`",
                self.is,
                self.use_.example()
            )),
            Some(_) => None,
        }
    }

    /// How an `http` or `https` URL (`web`) is written: the URL library reads much
    /// that is not written as a URL; these are typos.
    fn shape_problem(&self, web: bool) -> Option<String> {
        let problem = written_shape_problem(self.text, self.use_).filter(|_| web)?;
        Some(format!("{}, which {problem}", self.is))
    }

    /// A fragment.
    fn fragment_problem(&self, url: &Url) -> Option<String> {
        url.fragment().is_some().then(|| format!("{}, which has a `#` fragment; remove it", self.is))
    }

    /// An `http` or `https` URL's (`web`) port 0.
    fn port_problem(&self, url: &Url, web: bool) -> Option<String> {
        (web && url.port() == Some(0)).then(|| {
            format!("{}, whose port is 0, which no server can listen on; write the port the API answers on", self.is)
        })
    }

    /// A base URL's query.
    fn query_problem(&self, url: &Url) -> Option<String> {
        (self.use_ == UrlUse::BaseUrl && url.query().is_some()).then(|| {
            format!(
                "{}, which has a `?` query; a base URL cannot have one: put query parameters in each operation's `resource`",
                self.is
            )
        })
    }

    /// Credentials over plain `http` to a host that is not loopback: a base URL's
    /// user info, or what a token URL's request carries.
    fn clear_text_problem(&self, url: &Url, web: bool) -> Option<String> {
        let is = &self.is;
        let has_credentials = !url.username().is_empty() || url.password().is_some();
        match self.use_ {
            // clear text is a question only for the schemes a call may use
            _ if !web => None,
            UrlUse::BaseUrl if has_credentials && !credentials_allowed(url) => Some(format!(
                "{is}, which holds credentials (`user:password@`) over plain `http`, and credentials never travel in clear text; remove them and use `auth_type: basic` over `https`"
            )),
            UrlUse::TokenUrl if !credentials_allowed(url) => {
                // a URL read from the store is not shown: the message says what it is instead
                let plain = match self.written {
                    Some(_) => format!("{is}, plain `http` to a host that is not loopback"),
                    None => "is set to a plain `http` URL to a host that is not loopback".to_string(),
                };
                Some(format!("{plain}: credentials never travel in clear text, so use `https` ({PLAIN_HTTP_ALLOWED})"))
            }
            _ => None,
        }
    }
}

/// Whether `url`'s scheme is one a call may use: `http` or `https`.
fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// What replaces a masked value.
pub const MASK: &str = "***";

/// Query parameters that carry credentials (compared ignoring case): the runtime masks
/// their values in every logged URL, and a resource that writes one out is warned of.
pub const SENSITIVE_QUERY_PARAMS: &[&str] = &[
    "access_token",
    "api-key",
    "api_key",
    "apikey",
    "client_secret",
    "id_token",
    "passwd",
    "password",
    "refresh_token",
    "token",
    "x-api-key",
];

/// `text` as messages, docs and tables show it: a URL's user info (`user:password@`),
/// query and fragment (a token URL read from the secret store may carry a credential
/// in either, `#access_token=` as OAuth's implicit flow writes it) masked. A password
/// may hold `/`, `?` or `#` unencoded, so everything from the scheme to the last `@`
/// before the query or fragment is masked, even if that `@` is in the path: better too
/// much than part of a password. An `@` in the query or fragment (an e-mail address)
/// ends the user info only where the text before them reads as `user:password`: then
/// the last `@` a host follows ends it.
///
/// ```
/// use conv_api_definitions::urls::shown;
/// assert_eq!(shown("https://agent:pw@api.example/v2"), "https://***@api.example/v2");
/// assert_eq!(shown("https://auth.example/token?secret=1"), "https://auth.example/token?***");
/// assert_eq!(shown("https://auth.example/token?a=1#access_token=2"), "https://auth.example/token?***#***");
/// assert_eq!(shown("https://app.example/cb#access_token=2&next=/home?tab=1"), "https://app.example/cb#***");
/// assert_eq!(shown("https://api.example/v2?email=ops@corp.example&key=1"), "https://api.example/v2?***");
/// assert_eq!(shown("https://agent:s3cr#et@api.example/v2?key=1"), "https://***@api.example/v2?***");
/// assert_eq!(shown("https://api.example/v2"), "https://api.example/v2");
/// assert_eq!(shown("https://api.example/v2/?"), "https://api.example/v2/?");
/// assert_eq!(shown("https://api.example/v2?#"), "https://api.example/v2?#");
/// ```
pub fn shown(text: &str) -> Cow<'_, str> {
    // the scheme's `://`, not one of a URL in the query (`//host/x?next=https://..`)
    let scheme_end = text.find("://").filter(|&at| !text[..at].contains(['/', '?', '#', '@']));
    let start = scheme_end.map_or(0, |at| at + 3);
    let rest = &text[start..];
    // where a query or fragment would start, were no `?` or `#` part of a password
    let cut = rest.find(['?', '#']).unwrap_or(rest.len());
    let before = &rest[..cut];
    let user_info_end = match before.rfind('@') {
        // an e-mail address as the user name, then a password holding `?` or `#`
        Some(at) if reads_as_user_info(&before[at + 1..]) => user_info_end_after(rest, cut).or(Some(at)),
        Some(at) => Some(at),
        None if reads_as_user_info(before) => user_info_end_after(rest, cut),
        None => None,
    };
    let tail = user_info_end.map_or(rest, |at| &rest[at + 1..]);
    let fragment = tail.find('#');
    let query = tail[..fragment.unwrap_or(tail.len())].find('?');
    if user_info_end.is_none() && query.is_none() && fragment.is_none() {
        return Cow::Borrowed(text);
    }
    let mut shown = text[..start].to_string();
    if user_info_end.is_some() {
        shown.push_str(MASK);
        shown.push('@');
    }
    shown.push_str(&tail[..query.or(fragment).unwrap_or(tail.len())]);
    // an empty query or fragment is shown as it is: a mask would say it holds something
    if let Some(at) = query {
        shown.push('?');
        if at + 1 < fragment.unwrap_or(tail.len()) {
            shown.push_str(MASK);
        }
    }
    if let Some(at) = fragment {
        shown.push('#');
        if at + 1 < tail.len() {
            shown.push_str(MASK);
        }
    }
    Cow::Owned(shown)
}

/// Where the user info of `rest` ends when its password holds a `?` or `#`, the first
/// of which is at `cut`: at the last `@` after it that a host follows, not at one of
/// an e-mail address in the query (`&` or `=` after it); at the last `@` of all when
/// none does. Each `@` is looked past up to the next, so this is linear.
fn user_info_end_after(rest: &str, cut: usize) -> Option<usize> {
    let ats: Vec<usize> = rest[cut..].match_indices('@').map(|(at, _)| cut + at).collect();
    ats.iter().rev().find(|&&at| reads_as_host(&rest[at + 1..])).or(ats.last()).copied()
}

/// Whether `after`, a URL's text after an `@`, starts with a host (and port) that a
/// path, query, fragment or the end follows.
fn reads_as_host(after: &str) -> bool {
    let is_host_byte = |byte: u8| {
        byte.is_ascii_alphanumeric()
            || !byte.is_ascii()
            || matches!(byte, b'.' | b'-' | b'_' | b'~' | b'%' | b':' | b'[' | b']')
    };
    let end = after.bytes().position(|byte| !is_host_byte(byte)).unwrap_or(after.len());
    end > 0 && after[end..].chars().next().is_none_or(|next| matches!(next, '/' | '?' | '#'))
}

/// The scheme to write before `text`, a URL without one that starts with a domain
/// name or an IP address (`api.example.com:8443/v1`: `https://`) or a loopback host
/// (`localhost/v1`, `127.0.0.1:8080`: `http://`), and holds no query, fragment or
/// user info to mask, nor a brace, `%` or `\` that would make the URL so written
/// wrong in turn.
fn scheme_it_lacks(text: &str) -> Option<&'static str> {
    let host = text.split(['/', ':']).next().unwrap_or_default();
    if text.contains(['?', '#', '@', '{', '}', '%', '\\']) || !reads_as_host(text) {
        return None;
    }
    let top = host.rsplit('.').next().unwrap_or_default();
    let domain = host.contains('.')
        && host.split('.').all(|label| !label.is_empty())
        && top.starts_with(|c: char| c.is_ascii_alphabetic());
    let ip = host.parse::<std::net::Ipv4Addr>().ok();
    if host.eq_ignore_ascii_case("localhost") || ip.is_some_and(|ip| ip.is_loopback()) {
        Some("http://")
    } else if domain || ip.is_some() {
        Some("https://")
    } else {
        None
    }
}

/// Whether `before`, a URL's text after its scheme up to a `?` or `#`, starts with
/// `user:password` rather than a host (and port: `api.example:8443/v2`, `[::1]:80`):
/// where a password holding `/`, `?` or `#` may hide where the host starts.
///
/// ```
/// use conv_api_definitions::urls::reads_as_user_info;
/// assert!(reads_as_user_info("agent:pa"));
/// assert!(!reads_as_user_info("api.example:8443/v2") && !reads_as_user_info("[::1]:80"));
/// ```
pub fn reads_as_user_info(before: &str) -> bool {
    let authority = before.split('/').next().unwrap_or_default();
    let after_host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']').map_or("", |(_, after)| after),
        None => authority,
    };
    after_host.split_once(':').is_some_and(|(_, port)| !port.bytes().all(|byte| byte.is_ascii_digit()))
}

/// Whether `domain` has an empty label once one `.` that ends it (a name written in
/// full) is left out: `.`, `api..example`, `.api.example`.
fn has_empty_label(domain: &str) -> bool {
    domain.strip_suffix('.').unwrap_or(domain).split('.').any(str::is_empty)
}

/// Why the URL library could not read a URL, in words of what is written.
fn parse_problem(error: url::ParseError) -> Cow<'static, str> {
    use url::ParseError as E;
    match error {
        E::RelativeUrlWithoutBase => "no scheme such as `https://`".into(),
        E::EmptyHost => "no host".into(),
        E::InvalidIpv4Address | E::InvalidIpv6Address => "the host's IP address is not valid".into(),
        E::IdnaError | E::InvalidDomainCharacter => "the host holds characters no domain name has".into(),
        other => other.to_string().into(),
    }
}

/// Blanks, control characters and characters that show as nothing, which the URL
/// library would drop or encode.
fn blank_problem(text: &str) -> Option<Cow<'static, str>> {
    if text.chars().any(char::is_whitespace) {
        Some("holds a space, tab or line break; remove it (or write a space in a path as `%20`)".into())
    } else if text.chars().any(char::is_control) {
        Some("holds a control character (such as an escape); remove it".into())
    } else {
        invisible_problem(text).map(Cow::Owned)
    }
}

/// What is wrong with how an `http` or `https` URL is written, though it parses.
fn written_shape_problem(text: &str, use_: UrlUse) -> Option<Cow<'static, str>> {
    let lower = text.get(..9).unwrap_or(text).to_ascii_lowercase();
    let like = || use_.example();
    let Some(rest) = ["http://", "https://"].iter().find_map(|scheme| lower.strip_prefix(scheme)) else {
        return Some(format!("does not start with `http://` or `https://`; write it like `{}`", like()).into());
    };
    if rest.starts_with('/') {
        return Some(format!("has more than two `/` before its host; write it like `{}`", like()).into());
    }
    if text.contains('\\') {
        return Some("holds `\\`; URLs separate their parts with `/`".into());
    }
    if text.contains(['{', '}']) {
        // the scheme and `://` are ASCII: as many bytes of `text` as of `lower`
        let after_scheme = &text[lower.len() - rest.len()..];
        let host = after_scheme.split(['/', '?', '#']).next().unwrap_or_default();
        return Some(brace_problem(host.contains(['{', '}']), use_).into());
    }
    let bad_escape = text.bytes().enumerate().any(|(at, byte)| byte == b'%' && !starts_percent_escape(text, at));
    if bad_escape {
        return Some("holds a `%` that does not start a `%XX` escape; write a literal `%` as `%25`".into());
    }
    None
}

/// What is said of `written`, a URL that parsed as `parsed`, when its path holds a
/// `.` or `..` segment as written (also as `%2e`), which the URL library resolves
/// away: where its requests go (user info masked). The definitions' warning and the
/// runtime's `base_url(..)` error both say it.
///
/// ```
/// use conv_api_definitions::urls::dot_segments_problem;
/// let written = "https://api.example/v1/../admin";
/// let problem = dot_segments_problem(written, &url::Url::parse(written).unwrap()).unwrap();
/// assert!(problem.ends_with("requests go to `https://api.example/admin`; write that"), "{problem}");
/// let plain = "https://api.example/v1.2/.well-known/...x";
/// assert_eq!(dot_segments_problem(plain, &url::Url::parse(plain).unwrap()), None);
/// ```
pub fn dot_segments_problem(written: &str, parsed: &Url) -> Option<String> {
    has_dot_segments(written).then(|| {
        format!(
            "has a `.` or `..` segment in its path (also written `%2e`), which URL resolution removes, as Python `requests` does: requests go to `{}`; write that",
            shown(parsed.as_str())
        )
    })
}

/// Whether the path of `text`, a URL that parses, holds a `.` or `..` segment as
/// written (also as `%2e`).
fn has_dot_segments(text: &str) -> bool {
    written_path(text).split('/').any(is_dot_segment)
}

/// The path of `text`, a URL written with a scheme that parses, as written: from the
/// first `/` after the scheme's (the user info of a URL that parses holds none) up to
/// the query or fragment.
fn written_path(text: &str) -> &str {
    let after_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    let before_query = after_scheme.split(['?', '#']).next().unwrap_or_default();
    before_query.find('/').map_or("", |start| &before_query[start..])
}

/// Whether `segment` (of a URL's path) is `.` or `..` once `%2e` (either case) is
/// decoded: a segment URL resolution removes, with the one before it for `..`.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let (mut rest, mut dots) = (segment.as_bytes(), 0);
    while !rest.is_empty() && dots < 3 {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return false,
        };
        dots += 1;
    }
    rest.is_empty() && (dots == 1 || dots == 2)
}

/// What is said of a URL that holds `{` or `}`, as a template's variable: in its host
/// when `in_host` (a tenant's or account's subdomain), else in its path.
fn brace_problem(in_host: bool, use_: UrlUse) -> &'static str {
    match (use_, in_host) {
        (UrlUse::BaseUrl, true) => {
            "holds `{` or `}` in its host, which cannot be a variable; each environment has its own \
             `base_url`: write this environment's host in full, like `https://acme.zendesk.com/api/v2`"
        }
        (UrlUse::BaseUrl, false) => {
            "holds `{` or `}`, which a base URL cannot take; variables belong in an operation's `resource`"
        }
        (UrlUse::TokenUrl, _) => {
            "holds `{` or `}`, which a token URL cannot take, as it has no variables; write the value \
             meant (such as a tenant's id) in its place"
        }
    }
}

/// Whether the `%` at byte `at` of `text` starts a `%XX` escape: two hex digits follow.
pub(crate) fn starts_percent_escape(text: &str, at: usize) -> bool {
    text.as_bytes().get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
}

/// The query parameters of `resource` (a resource template, or a URL) given a value
/// written out: each name decoded as a URL's query pairs decode it, with the byte
/// range of its value in `resource`. A value with a `{variable}` in it, or empty, is
/// not written out. What the definitions warn of and the log masks, for parameters
/// named like credentials.
///
/// ```
/// use conv_api_definitions::urls::written_query_values;
/// let resource = "/search?api%5Fkey=abc&q={q}&page=2";
/// let found: Vec<_> = written_query_values(resource).map(|(name, at)| (name, &resource[at])).collect();
/// assert_eq!(found, [("api_key".into(), "abc"), ("page".into(), "2")]);
/// ```
pub fn written_query_values(resource: &str) -> impl Iterator<Item = (Cow<'_, str>, Range<usize>)> {
    let query_start = resource.find('?').map_or(resource.len(), |at| at + 1);
    let query = &resource[query_start..];
    query_values(query).filter_map(move |(name, value)| {
        let written = !query[value.clone()].contains('{');
        written.then(|| (name, query_start + value.start..query_start + value.end))
    })
}

/// The parameters of `query` (a URL's query, without `?`) given a value, each name
/// decoded as a URL's query pairs decode it, with the byte range of its value.
fn query_values(query: &str) -> impl Iterator<Item = (Cow<'_, str>, Range<usize>)> {
    query.split('&').filter_map(move |pair| {
        let (name, value) = pair.split_once('=')?;
        if value.is_empty() {
            return None;
        }
        let decoded = url::form_urlencoded::parse(name.as_bytes()).next().map_or(Cow::Borrowed(name), |(name, _)| name);
        // `pair` is a slice of `query`: its value's place there
        let start = (pair.as_ptr() as usize - query.as_ptr() as usize) + name.len() + 1;
        Some((decoded, start..start + value.len()))
    })
}

/// Whether `name` is one of the [`SENSITIVE_QUERY_PARAMS`], compared ignoring case.
pub fn is_credential_query_param(name: &str) -> bool {
    SENSITIVE_QUERY_PARAMS.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// `resource` (a resource template, or a URL) with the values written out for the
/// query parameters `sensitive` names masked (`{variables}` stay: they hold nothing
/// yet), as a table, doc or log may show it.
///
/// ```
/// use conv_api_definitions::urls::{is_credential_query_param, masked_query_values};
/// let shown = masked_query_values("/search?API_KEY=abc&q={q}&page=2", is_credential_query_param);
/// assert_eq!(shown, "/search?API_KEY=***&q={q}&page=2");
/// ```
pub fn masked_query_values(resource: &str, sensitive: impl Fn(&str) -> bool) -> Cow<'_, str> {
    masked(resource, written_query_values(resource), sensitive)
}

/// `query` (a URL's query, without `?`) with the values of the parameters `sensitive`
/// names masked, and every other byte as it was: a secret elsewhere in it keeps the
/// form it was sent in, which the log's last scan knows.
///
/// ```
/// use conv_api_definitions::urls::{is_credential_query_param, masked_query};
/// let shown = masked_query("token=abc&echo=a+b%2Fc==&x", is_credential_query_param);
/// assert_eq!(shown, "token=***&echo=a+b%2Fc==&x");
/// ```
pub fn masked_query(query: &str, sensitive: impl Fn(&str) -> bool) -> Cow<'_, str> {
    masked(query, query_values(query), sensitive)
}

/// `text` with the `values` (name and byte range) whose name is `sensitive` masked.
fn masked<'t, 'n>(
    text: &'t str,
    values: impl Iterator<Item = (Cow<'n, str>, Range<usize>)>,
    sensitive: impl Fn(&str) -> bool,
) -> Cow<'t, str> {
    let mut shown = String::new();
    let mut shown_up_to = 0;
    for (name, value) in values {
        if sensitive(&name) {
            shown.push_str(&text[shown_up_to..value.start]);
            shown.push_str(MASK);
            shown_up_to = value.end;
        }
    }
    if shown_up_to == 0 {
        return Cow::Borrowed(text);
    }
    shown.push_str(&text[shown_up_to..]);
    Cow::Owned(shown)
}

/// Where [`credentials_allowed`] lets credentials go over plain `http`, as messages say it.
pub const PLAIN_HTTP_ALLOWED: &str =
    "plain `http` is allowed only to a loopback host: `localhost`, `127.0.0.0/8` or `[::1]`";

/// How generated docs and `conv-api show` say what a base URL with user info sends.
pub const USER_INFO_AS_BASIC: &str = "the base URL's user info as Basic auth where no `Authorization` header is set";

/// Whether `text` is a URL with user info a request sends as Basic auth, where it
/// sets no `Authorization` header itself (see [`user_info`]).
///
/// ```
/// use conv_api_definitions::urls::has_user_info;
/// assert!(has_user_info("https://agent:pw@desk.example/v1"));
/// assert!(!has_user_info("https://desk.example/v1?who=a@b"));
/// assert!(!has_user_info("https://%FF:pw@desk.example/v1"), "no UTF-8: not sent");
/// ```
pub fn has_user_info(text: &str) -> bool {
    Url::parse(text).is_ok_and(|url| user_info(&url).is_some())
}

/// The user name and password of `url`'s user info, percent-decoded, as a request
/// sends them as Basic auth (as reqwest's request builder does); `None` when it has
/// none, or user info that does not decode to UTF-8, which no request sends.
pub fn user_info(url: &Url) -> Option<(String, String)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |text: &str| percent_encoding::percent_decode_str(text).decode_utf8().ok().map(Cow::into_owned);
    let password = match url.password() {
        Some(password) => decode(password)?,
        None => String::new(),
    };
    Some((decode(url.username())?, password))
}

/// Whether `text` (blanks around it aside) is a plain `http` URL, which takes no TLS;
/// one that is not a URL may be meant for `https`.
///
/// ```
/// use conv_api_definitions::urls::is_plain_http;
/// assert!(is_plain_http(" HTTP://127.0.0.1:8080/token"));
/// assert!(!is_plain_http("https://login.example/token"));
/// assert!(!is_plain_http("http://127.0.0.1 :8080/token"), "no URL");
/// ```
pub fn is_plain_http(text: &str) -> bool {
    Url::parse(text.trim()).is_ok_and(|url| url.scheme() == "http")
}

/// Whether credentials may be sent to `url`: `https`, or any scheme to a loopback host.
pub fn credentials_allowed(url: &Url) -> bool {
    url.scheme() == "https" || is_loopback(url)
}

/// Whether the URL's host is `localhost` (also written fully qualified, `localhost.`),
/// in `127.0.0.0/8` (also as an IPv4-mapped IPv6 address, `[::ffff:127.0.0.1]`), or `[::1]`.
///
/// ```
/// use conv_api_definitions::urls::is_loopback;
/// let loopback = |url: &str| is_loopback(&url::Url::parse(url).unwrap());
/// assert!(loopback("http://localhost.:8080") && loopback("http://127.0.0.5") && loopback("http://[::1]"));
/// assert!(loopback("http://[::ffff:127.0.0.1]:8080"));
/// assert!(!loopback("http://localhost.example") && !loopback("http://[::ffff:10.0.0.1]"));
/// ```
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.strip_suffix('.').unwrap_or(domain).eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn shown_masks_user_info_query_and_fragment_whatever_characters_they_hold() {
        let cases = [
            ("https://api.example/v2?email=ops@corp.example&api_key=K1", "https://api.example/v2?***"),
            ("https://x.example/cb#state=x@y&access_token=T1", "https://x.example/cb#***"),
            ("https://x.example/cb#access_token=T2&next=/home?tab=1", "https://x.example/cb#***"),
            ("/p/1?email=a@b&token=T3", "/p/1?***"),
            ("https://agent:s3cr#et@api.example/v2", "https://***@api.example/v2"),
            ("https://agent:pa/ss?x@api.example/v2?e=a@b&token=T4", "https://***@api.example/v2?***"),
            ("https://agent:pw@api.example/v2?e=a@b", "https://***@api.example/v2?***"),
            ("https://api.example:8443/v2?e=a@b&token=T5", "https://api.example:8443/v2?***"),
            ("https://[::1]:8080/v2#e=a@b", "https://[::1]:8080/v2#***"),
            ("https://api.example/a:b/c?e=a@b", "https://api.example/a:b/c?***"),
            ("https://user:p@ss@api.example/v2", "https://***@api.example/v2"),
            ("https://agent:p?s@cret99@api.example/v2", "https://***@api.example/v2"),
            ("https://agent:pa/s#s@x@api.example/v2?key=1", "https://***@api.example/v2?***"),
            ("https://agent:p?s@c?r@api.example/v2?e=a@b&token=T6", "https://***@api.example/v2?***"),
            // an e-mail address that ends the text reads as a host: too much masked, no password shown
            ("https://agent:p?w@api.example/v2?e=ops@corp.example", "https://***@corp.example"),
            // an e-mail address as the user name
            ("https://agent@acme.example:hunter2?x@api.example/v2", "https://***@api.example/v2"),
            ("https://agent@acme.example:hun#ter2@api.example/v2?k=1", "https://***@api.example/v2?***"),
            ("https://agent@acme.example:pw@api.example:8443/v2?e=a@b", "https://***@api.example:8443/v2?***"),
            // a URL in the query is no scheme of the text's own
            ("//agent:pa/ss@api.example/next?token=t&next=https://app.example/", "***@api.example/next?***"),
        ];
        for (text, expected) in cases {
            assert_eq!(shown(text), expected, "{text}");
        }
    }

    /// The user info ends at the `@` before the host even where the text around it
    /// could start a password: an API key as the user name with an empty password
    /// (`key:@`), or a host in brackets; an e-mail address in the query is no host.
    #[test]
    fn shown_ends_user_info_at_its_own_at_sign_beside_an_email_address_in_the_query() {
        let cases = [
            ("https://sk_test_1:@api.example/v1?email=ops@corp.example", "https://***@api.example/v1?***"),
            ("https://agent:pw@[::1]:8080/v2?e=ops@corp.example", "https://***@[::1]:8080/v2?***"),
        ];
        for (text, expected) in cases {
            assert_eq!(shown(text), expected, "{text}");
        }
    }

    /// An `@` that no host follows (one that ends a query or fragment, or that a `/`
    /// follows) does not end the user info of a password holding `?` or `#`: the
    /// host before it is shown, not masked with the rest.
    #[test]
    fn shown_ends_user_info_before_a_host_not_at_a_later_at_sign_no_host_follows() {
        let cases = [
            ("https://agent:p?w@api.example/v2?next=a@", "https://***@api.example/v2?***"),
            ("https://agent:p#w@api.example/v2#to=ops@", "https://***@api.example/v2#***"),
            ("https://agent:p?w@api.example/v2?x=a@/b", "https://***@api.example/v2?***"),
        ];
        for (text, expected) in cases {
            assert_eq!(shown(text), expected, "{text}");
        }
    }

    /// What a request sends as Basic auth: a user name alone (an API key written
    /// `https://KEY@host`) with an empty password, and each part percent-decoded.
    #[test]
    fn user_info_is_the_decoded_user_name_and_password_a_user_name_alone_included() {
        let user_info = |text: &str| super::user_info(&url::Url::parse(text).unwrap());
        assert_eq!(user_info("https://key_1@desk.example/v1"), Some(("key_1".into(), String::new())));
        assert_eq!(user_info("https://agent:p%40ss@desk.example/v1"), Some(("agent".into(), "p@ss".into())));
        assert_eq!(user_info("https://desk.example/v1?who=a@b"), None);
    }

    #[test]
    fn shown_is_linear_in_the_at_signs_after_a_password_cut() {
        for text in
            [format!("https://agent:p?{}", "@".repeat(200_000)), format!("https://agent:p?{}", "x@".repeat(100_000))]
        {
            assert!(shown(&text) == "https://***@", "{}...", &shown(&text)[..40]);
        }
    }
}
