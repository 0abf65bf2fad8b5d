//! Transport failures classified (RELIABILITY 24): which ones are transient (a
//! reset, a message cut short, a connection that closed before the request was
//! sent, an HTTP/2 stream reset or connection shutdown by the server) and which
//! permanent (TLS and certificates).

/// What the source chain of a transport error shows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Cause {
    /// A TLS or certificate failure.
    Tls(TlsFailure),
    /// A reset, an abort or a message cut short: what happened.
    Transient(&'static str),
    /// The connection closed before the request was written: nothing was sent, and
    /// another attempt may find a connection that works.
    Unsent,
    /// An answer that is not HTTP the client reads (a head too large, an invalid
    /// status line or header, a broken chunked body): what is wrong with it.
    Malformed(Malformed),
    /// The HTTPS proxy the environment names did not open a tunnel to the server.
    Proxy(ProxyFailure),
    /// Nothing known.
    Other,
}

impl Cause {
    /// Whether another attempt would fail the same way: a TLS failure, an answer that
    /// is not HTTP (a URL with another server's port or scheme, most often), and a
    /// proxy's refusal that lasts (it wants credentials).
    pub(crate) fn lasts(&self) -> bool {
        matches!(self, Cause::Tls(_) | Cause::Malformed(_) | Cause::Proxy(ProxyFailure { lasting: true, .. }))
    }
}

/// What is wrong with an answer that is not HTTP the client reads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Malformed {
    /// What the HTTP library says of it, such as `Invalid chunk size line`.
    pub(crate) failure: String,
    /// What may cause it, where the library's words do not say: the limits of a
    /// head too large.
    pub(crate) likely_cause: Option<String>,
}

impl Malformed {
    fn cause(failure: String, likely_cause: Option<String>) -> Cause {
        Cause::Malformed(Malformed { failure, likely_cause })
    }
}

/// The failure, then what may cause it: `message head is too large: more than 100 headers, ...`.
impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.failure)?;
        match &self.likely_cause {
            Some(cause) => write!(f, ": {cause}"),
            None => Ok(()),
        }
    }
}

/// Why the HTTPS proxy did not open a tunnel (a `CONNECT`), and what to do about it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ProxyFailure {
    /// What the proxy did, completing "the HTTPS proxy the environment names ...".
    what: &'static str,
    /// What to do about it.
    fix: &'static str,
    /// Whether another attempt would meet the same refusal.
    pub(crate) lasting: bool,
}

impl ProxyFailure {
    /// What the proxy did, naming it by its `variable` (`https_proxy`) when known, and
    /// what to do, as one text.
    pub(crate) fn advice(&self, variable: Option<&str>) -> String {
        let proxy = match variable {
            Some(variable) => format!("the HTTPS proxy the environment variable `{variable}` names"),
            None => "the HTTPS proxy the environment names (`HTTPS_PROXY`, `ALL_PROXY` or their lower-case forms)"
                .to_string(),
        };
        format!("{proxy} {}: {}", self.what, self.fix)
    }
}

/// The failure of a tunnel through the environment's HTTPS proxy, if `error` is one:
/// hyper-util's tunnel error, known by its text alone (its type is not public).
fn proxy_failure(error: &(dyn std::error::Error + 'static)) -> Option<ProxyFailure> {
    let text = error.to_string();
    let (what, fix, lasting) = match text.strip_prefix("tunnel error: ")? {
        "proxy authorization required" => (
            "wants credentials (407)",
            "give them in its URL (`http://user:password@proxy.example:3128`), or check those it gives, or list the host in `NO_PROXY`",
            true,
        ),
        "unsuccessful" => (
            "refused to open a tunnel to the host (it answered `CONNECT` with an error, such as 403 or 502)",
            "check that it lets the host through, or list the host in `NO_PROXY`",
            false,
        ),
        "failed to create underlying connection" => (
            "cannot be reached",
            "check the variable and that the proxy is up, or list the host in `NO_PROXY`",
            false,
        ),
        "proxy response headers too long" => ("answered `CONNECT` with a head too long to read", "check the variable", true),
        _ => ("broke the connection while it opened a tunnel to the host", "try again, or check the proxy", false),
    };
    Some(ProxyFailure { what, fix, lasting })
}

/// Why a TLS handshake failed, and what to do about it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TlsFailure {
    /// rustls's reason.
    pub(crate) reason: String,
    /// What the user can do.
    pub(crate) advice: &'static str,
}

impl TlsFailure {
    /// The failure of a handshake with the proxy the environment `variable` names, the
    /// proxy itself (its URL says `https://`), and what to do.
    pub(crate) fn with_proxy(&self, variable: &str) -> String {
        let advice = self.proxy_advice(variable);
        format!(
            "the TLS handshake with the proxy the environment variable `{variable}` names failed ({}); {advice}",
            self.reason
        )
    }

    /// What to do about this failure of a handshake with the proxy `variable` names.
    pub(crate) fn proxy_advice(&self, variable: &str) -> String {
        match self.advice {
            NOT_TLS => format!("the proxy did not answer in TLS: its URL's `https://` has the client speak TLS to the proxy itself, which most proxies do not take; write `http://` in `{variable}` (`https` requests still go through the proxy encrypted)"),
            CHECK_CERTIFICATES => format!("its URL's `https://` has the client check the proxy's own certificate: check that certificate (the client trusts the built-in roots and the environment's `tls.ca`), or write `http://` in `{variable}` if the proxy takes plain connections"),
            _ => format!("its URL's `https://` has the client speak TLS to the proxy itself: check the proxy's TLS settings, or write `http://` in `{variable}` if the proxy takes plain connections"),
        }
    }
}

/// Whether `error` is hyper-util's for a connection to the proxy itself that could not
/// be made (refused, or a TLS handshake with an `https://` proxy that failed), before
/// any tunnel: known by its text alone (its type is not public).
pub(crate) fn proxy_connection_failed(error: &(dyn std::error::Error + 'static)) -> bool {
    chain(error).any(|cause| cause.to_string() == "tunnel error: failed to create underlying connection")
}

/// The advice for a certificate the client does not accept or one the server wants.
const CHECK_CERTIFICATES: &str = "check the server's certificate and the environment's `tls:` settings (`ca`, `client_cert`, `client_key`); certificate checks cannot be turned off";

/// The advice for a server that speaks no TLS the client does.
const UPGRADE_SERVER: &str = "the server offers no TLS version or cipher suite this client accepts (TLS 1.2 or 1.3 with current cipher suites), and older ones cannot be turned on; the server's TLS needs upgrading";

/// The advice for a server that wants stronger TLS than the client offers (TLS's
/// `insufficient_security` alert): the server is stricter, not outdated.
const STRICTER_SERVER: &str = "the server wants stronger TLS than this client offers: a cipher suite or key exchange it requires is not among those this client supports (TLS 1.2 or 1.3 with current cipher suites); ask the API's owner which ones it requires";

/// The advice for a server that refused the handshake without saying why.
const REFUSED: &str = "the server refused the handshake: it may want a client certificate (the environment's `tls.client_cert` and `tls.client_key`), or offer no TLS version or cipher suite this client accepts (TLS 1.2 or 1.3 with current cipher suites)";

/// The advice for an answer that is no TLS record: a plain-HTTP port, most often.
const NOT_TLS: &str = "the server did not answer in TLS: it may speak plain HTTP on this port; check the base URL's scheme and port (`http://` is for servers without TLS, and credentials go over it only to loopback)";

/// What to do about a TLS failure, by what rustls says of it.
fn tls_advice(tls: &rustls::Error) -> &'static str {
    use rustls::{AlertDescription as Alert, Error, PeerIncompatible as Peer};
    match tls {
        Error::PeerIncompatible(
            Peer::ServerDoesNotSupportTls12Or13
            | Peer::ServerTlsVersionIsDisabledByOurConfig
            | Peer::NoCipherSuitesInCommon
            | Peer::NoKxGroupsInCommon
            | Peer::NoSignatureSchemesInCommon,
        )
        | Error::AlertReceived(Alert::ProtocolVersion) => UPGRADE_SERVER,
        Error::AlertReceived(Alert::InsufficientSecurity) => STRICTER_SERVER,
        Error::AlertReceived(Alert::HandshakeFailure) => REFUSED,
        Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType) => NOT_TLS,
        _ => CHECK_CERTIFICATES,
    }
}

/// The most headers hyper reads in an HTTP/1.1 answer (its `DEFAULT_MAX_HEADERS`,
/// which reqwest does not let a client change).
const MAX_HEADERS: usize = 100;

/// The largest HTTP/1.1 answer head hyper reads (its `DEFAULT_MAX_BUFFER_SIZE`), and
/// the header list an HTTP/2 answer may bring (hyper's own default is 16 KiB).
pub(crate) const MAX_HEAD_BYTES: usize = 8192 + 4096 * 100;

/// What the first error of `error`'s chain that says anything shows; a TLS failure
/// anywhere in it first (hyper cancels a request waiting for a connection with the
/// connection's own error inside).
pub(crate) fn classify(error: &(dyn std::error::Error + 'static)) -> Cause {
    let mut causes = chain(error).map(classify_one).filter(|cause| *cause != Cause::Other);
    let first = causes.next().unwrap_or(Cause::Other);
    match first {
        Cause::Tls(_) => first,
        _ => causes.find(|cause| matches!(cause, Cause::Tls(_))).unwrap_or(first),
    }
}

/// `error` and its sources, looking inside `io::Error`s too (their `source()` skips
/// the error they wrap).
pub(crate) fn chain<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error), |current| {
        let inner = current.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
        inner.map(|inner| inner as &(dyn std::error::Error + 'static)).or_else(|| current.source())
    })
}

/// The texts of `error` and its sources, joined by `: ` (a text its wrapper repeats
/// is said once): what `Debug` shows of a source, rather than the library's own
/// dump of its types.
pub(crate) fn chain_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut texts: Vec<String> = Vec::new();
    for text in chain(error).map(ToString::to_string) {
        if !texts.last().is_some_and(|last| last.ends_with(&text)) {
            texts.push(text);
        }
    }
    texts.join(": ")
}

fn classify_one(error: &(dyn std::error::Error + 'static)) -> Cause {
    use std::io::ErrorKind as Io;
    if let Some(proxy) = proxy_failure(error) {
        return Cause::Proxy(proxy);
    }
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Cause::Tls(TlsFailure { reason: tls.to_string(), advice: tls_advice(tls) });
    }
    if let Some(http2) = error.downcast_ref::<h2::Error>() {
        return classify_http2(http2);
    }
    if let Some(hyper) = error.downcast_ref::<hyper::Error>() {
        // hyper cancels only a request it never started to write
        if hyper.is_canceled() {
            return Cause::Unsent;
        }
        if hyper.is_incomplete_message() {
            return Cause::Transient("closed before the message was complete");
        }
        if hyper.is_parse() {
            // hyper tells a head too large apart only with its `server` feature
            let what = hyper.to_string();
            if what.contains("too large") {
                // and hyper's too large `Content-Length`: past 2^64 - 3, such as -1 written unsigned
                let limits = format!(
                    "more than {MAX_HEADERS} headers, a status line and headers over {} KiB, or a `Content-Length` of {} or more",
                    MAX_HEAD_BYTES / 1024,
                    u64::MAX - 1
                );
                return Malformed::cause(what, Some(limits));
            }
            return Malformed::cause(what, None);
        }
    }
    match error.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
        // hyper's decoder on a body that breaks HTTP (`Invalid chunk size line`); a TLS
        // failure inside one is found deeper in the chain, and wins (see `classify`)
        Some(Io::InvalidData | Io::InvalidInput) => Malformed::cause(error.to_string(), None),
        Some(Io::ConnectionReset) => Cause::Transient("was reset"),
        Some(Io::ConnectionAborted | Io::BrokenPipe) => Cause::Transient("was closed"),
        Some(Io::UnexpectedEof) => Cause::Transient("closed before the message was complete"),
        _ => Cause::Other,
    }
}

/// Whether `error` is hyper's for an HTTP/2 connection closed because the server
/// left a ping unanswered (see [`runtime_client`](crate::http::call_client::runtime_client)):
/// known by its text alone, as its type is not public.
pub(crate) fn fell_silent(error: &(dyn std::error::Error + 'static)) -> bool {
    chain(error).any(|cause| cause.to_string() == "keep-alive timed out")
}

/// What went wrong at the bottom of `error`'s source chain (looking inside
/// `io::Error`s too), such as `Connection refused (os error 111)` or a DNS failure:
/// the part of a transport error that says what to fix. Without sources, `error`'s own text.
pub(crate) fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    chain(error).last().unwrap_or(error).to_string()
}

/// An HTTP/2 `RST_STREAM` or `GOAWAY` from the server is transient, unless its
/// reason says that the two ends disagree on the protocol, which another attempt
/// would repeat. (reqwest already resends, once, the streams the server refused
/// unprocessed: `REFUSED_STREAM`, and `GOAWAY` with `NO_ERROR`.) One the client
/// sends itself answers frames that break HTTP/2: the answer is malformed.
fn classify_http2(error: &h2::Error) -> Cause {
    use h2::Reason;
    const LASTING: [Reason; 6] = [
        Reason::PROTOCOL_ERROR,
        Reason::FLOW_CONTROL_ERROR,
        Reason::FRAME_SIZE_ERROR,
        Reason::COMPRESSION_ERROR,
        Reason::INADEQUATE_SECURITY,
        Reason::HTTP_1_1_REQUIRED,
    ];
    // the reasons h2 resets a stream or the connection with for frames that break
    // HTTP/2 (not ENHANCE_YOUR_CALM, its own limit on resets, which another
    // connection may not meet), FLOW_CONTROL_ERROR aside: its cause is said apart
    const BROKEN: [Reason; 3] = [Reason::PROTOCOL_ERROR, Reason::FRAME_SIZE_ERROR, Reason::COMPRESSION_ERROR];
    match error.reason() {
        Some(Reason::FLOW_CONTROL_ERROR) if error.is_library() => {
            let likely_cause = "it breaks HTTP/2's flow control: the server sent more data than the client's window allowed, or widened a window past 2^31-1 bytes";
            Malformed::cause(error.to_string(), Some(likely_cause.to_string()))
        }
        Some(reason) if error.is_library() && BROKEN.contains(&reason) => {
            let likely_cause = format!(
                "it breaks HTTP/2, with a head over {} KiB, a body longer or shorter than its `Content-Length`, or a header HTTP/2 forbids",
                MAX_HEAD_BYTES / 1024
            );
            Malformed::cause(error.to_string(), Some(likely_cause))
        }
        _ if !error.is_remote() => Cause::Other,
        Some(reason) if LASTING.contains(&reason) => Cause::Other,
        _ if error.is_reset() => Cause::Transient("was reset by the server (HTTP/2 RST_STREAM)"),
        _ => Cause::Transient("was shut down by the server (HTTP/2 GOAWAY)"),
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;

    /// An error whose source is `inner`, like hyper's and reqwest's wrappers.
    #[derive(Debug)]
    struct Wrapper(io::Error);

    impl std::fmt::Display for Wrapper {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("request failed")
        }
    }

    impl std::error::Error for Wrapper {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn resets_and_cut_messages_are_transient() {
        for kind in [io::ErrorKind::ConnectionReset, io::ErrorKind::BrokenPipe, io::ErrorKind::UnexpectedEof] {
            let cause = classify(&Wrapper(io::Error::from(kind)));
            assert!(matches!(cause, Cause::Transient(_)), "{kind:?}: {cause:?}");
        }
    }

    #[test]
    fn a_request_the_connection_closed_before_writing_is_unsent() {
        let tokio = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let error = tokio.block_on(async {
            let (client, _server) = tokio::io::duplex(64);
            let io = hyper_util::rt::TokioIo::new(client);
            let (mut sender, connection) = hyper::client::conn::http1::handshake::<_, String>(io).await.unwrap();
            // the connection's task ends before it takes the request
            drop(connection);
            sender.send_request(http::Request::new(String::new())).await.unwrap_err()
        });
        assert!(error.is_canceled(), "{error}");
        assert_eq!(classify(&Wrapper(io::Error::other(error))), Cause::Unsent);
    }

    /// An error saying `what`, caused by `source`.
    #[derive(Debug)]
    struct Caused(&'static str, Box<dyn std::error::Error + Send + Sync>);

    impl std::fmt::Display for Caused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Caused {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(self.1.as_ref())
        }
    }

    #[test]
    fn a_tls_failure_deeper_in_the_chain_wins_over_what_wraps_it() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::Expired);
        let reset = io::Error::new(io::ErrorKind::ConnectionReset, Caused("handshake", Box::new(tls)));
        let cause = classify(&Wrapper(reset));
        assert!(matches!(&cause, Cause::Tls(failure) if failure.reason.contains("Expired")), "{cause:?}");
    }

    #[test]
    fn a_body_that_breaks_http_is_malformed() {
        let chunk = io::Error::new(io::ErrorKind::InvalidInput, "Invalid chunk size line: missing size digit");
        let failure = "Invalid chunk size line: missing size digit".to_string();
        assert_eq!(classify(&Wrapper(chunk)), Cause::Malformed(Malformed { failure, likely_cause: None }));
    }

    #[test]
    fn a_rustls_error_inside_an_io_error_is_tls() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let cause = classify(&Wrapper(io::Error::new(io::ErrorKind::InvalidData, tls)));
        assert!(matches!(&cause, Cause::Tls(failure) if failure.reason.contains("UnknownIssuer")), "{cause:?}");
        assert!(matches!(&cause, Cause::Tls(failure) if failure.advice == CHECK_CERTIFICATES), "{cause:?}");
        let old = rustls::Error::PeerIncompatible(rustls::PeerIncompatible::ServerDoesNotSupportTls12Or13);
        let cause = classify(&Wrapper(io::Error::new(io::ErrorKind::InvalidData, old)));
        assert!(matches!(&cause, Cause::Tls(failure) if failure.advice == UPGRADE_SERVER), "{cause:?}");
    }

    #[test]
    fn tls_advice_follows_what_failed() {
        use rustls::{AlertDescription as Alert, Error, PeerIncompatible as Peer};
        let cases = [
            (Error::PeerIncompatible(Peer::NoCipherSuitesInCommon), UPGRADE_SERVER),
            (Error::AlertReceived(Alert::ProtocolVersion), UPGRADE_SERVER),
            (Error::AlertReceived(Alert::InsufficientSecurity), STRICTER_SERVER),
            (Error::AlertReceived(Alert::HandshakeFailure), REFUSED),
            (Error::PeerIncompatible(Peer::IncorrectCertificateTypeExtension), CHECK_CERTIFICATES),
            (Error::AlertReceived(Alert::BadCertificate), CHECK_CERTIFICATES),
            (Error::InvalidCertificate(rustls::CertificateError::Expired), CHECK_CERTIFICATES),
            (Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType), NOT_TLS),
        ];
        for (error, advice) in cases {
            assert_eq!(tls_advice(&error), advice, "{error:?}");
        }
    }

    #[test]
    fn the_innermost_cause_is_the_deepest_source_inside_io_errors_too() {
        let refused = io::Error::new(io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        assert_eq!(innermost(&Wrapper(refused)), "Connection refused (os error 111)");
        let nested = io::Error::other(Wrapper(io::Error::other("failed to lookup address")));
        assert_eq!(innermost(&Wrapper(nested)), "failed to lookup address");
        assert_eq!(innermost(&io::Error::other("alone")), "alone");
    }

    #[test]
    fn other_failures_are_unknown() {
        assert_eq!(classify(&Wrapper(io::Error::other("something"))), Cause::Other);
        assert_eq!(classify(&io::Error::from(io::ErrorKind::PermissionDenied)), Cause::Other);
    }
}
