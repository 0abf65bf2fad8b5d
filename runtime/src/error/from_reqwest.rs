//! A reqwest error as an [`Error`]: what failed (TLS, connect, timeout, transport),
//! through which proxy, and what to do.

use std::time::Duration;

use super::timeouts::timeout_message;
use super::{Error, ErrorKind};
use crate::http::call_client::{HTTP2_PING_AFTER, HTTP2_PING_TIMEOUT, MAX_REDIRECTS};
use crate::http::proxy::{closed_in_tunnel_advice, environment_proxy, ProxyRoutes};
use crate::http::transport::Cause;
use crate::retry::shown_duration;

/// Turns a reqwest error into an [`Error`], its URL removed (RELIABILITY 19);
/// `connect_timeout` and `timeout` are the limits the attempt had, for the message
/// (which names the proxy a connection went through: `routes` say which);
/// `answered`, the status of the answer whose body was being read, if any.
/// TLS failures (reported by reqwest as connect errors) become [`ErrorKind::Tls`];
/// a reset or a message cut short is a transient [`ErrorKind::Transport`] (RELIABILITY 24),
/// and one before the request was written says that nothing was sent.
pub(crate) fn from_reqwest(
    error: reqwest::Error,
    (connect_timeout, routes): (Duration, &ProxyRoutes),
    timeout: Duration,
    answered: Option<reqwest::StatusCode>,
) -> Error {
    let error_proxy_variable = error.url().and_then(|url| routes.proxy_for(url));
    let proxy = error_proxy_variable.map(environment_proxy);
    // a connection to an `https` URL is made once its TLS handshake is done
    let handshake = match error.url().is_some_and(|url| url.scheme() == "https") {
        true => " (its TLS handshake included)",
        false => "",
    };
    let plain = error.url().is_some_and(|url| url.scheme() == "http");
    let error = error.without_url();
    let cause = crate::http::transport::classify(&error);
    // a TLS handshake with an `https://` proxy itself: a plain `http` request has no
    // other, and an `https` one's fails before the tunnel
    let tls_proxy = error_proxy_variable.filter(|_| plain || crate::http::transport::proxy_connection_failed(&error));
    // an `https` request's connection that failed past the proxy's own: the proxy opened
    // the tunnel (else its failure is a tunnel error), and the handshake through it failed
    let tunnel_opened =
        error_proxy_variable.filter(|_| !plain && tls_proxy.is_none() && !matches!(cause, Cause::Proxy(_)));
    let connect_timeout = shown_duration(connect_timeout);
    let during = match answered {
        Some(status) => format!("while the body of the server's {status} answer was read"),
        None => "while sending the request or reading the response".to_string(),
    };
    let (kind, message) = match (error.is_timeout(), error.is_connect(), &cause) {
        (_, _, Cause::Tls(failure)) if tls_proxy.is_some() => {
            (ErrorKind::Tls, failure.with_proxy(tls_proxy.unwrap_or_default()))
        }
        (_, _, Cause::Tls(failure)) => {
            (ErrorKind::Tls, format!("the TLS handshake failed ({}); {}", failure.reason, failure.advice))
        }
        // an `https` connection is made once the tunnel is open and the server's TLS
        // handshake through it done: either end may be what was slow
        (true, true, _) if proxy.is_some() => {
            let (waited_on, server) = match plain {
                true => ("", ""),
                false => (" (the tunnel, and the TLS handshake with the server through it)", ", and that the server is up"),
            };
            (
                ErrorKind::Timeout,
                format!(
                    "no connection through {} within the connect timeout of {connect_timeout}{waited_on}; check that the proxy is up and lets the host through{server}, or list the host in `NO_PROXY`, or raise the timeout with `Runtime::builder().connect_timeout(..)`",
                    proxy.unwrap_or_default()
                ),
            )
        }
        (true, true, _) => (
            ErrorKind::Timeout,
            format!(
                "no connection within the connect timeout of {connect_timeout}{handshake}; check that the server is up, or raise it with `Runtime::builder().connect_timeout(..)`"
            ),
        ),
        // the attempt's timeout did not pass: raising it would not help
        (true, false, _) if crate::http::transport::fell_silent(&error) => (
            ErrorKind::Timeout,
            format!(
                "the HTTP/2 connection fell silent {during}: the server sent nothing for {} and left the client's ping unanswered for {} more, so the client closed it (the server, or a NAT or load balancer on the way, dropped it); the request may have reached the server",
                shown_duration(HTTP2_PING_AFTER),
                shown_duration(HTTP2_PING_TIMEOUT)
            ),
        ),
        (true, false, _) => (ErrorKind::Timeout, timeout_message(timeout)),
        (false, true, Cause::Proxy(failure)) => (
            ErrorKind::Connect,
            format!(
                "cannot connect through the proxy ({}); {}",
                crate::http::transport::innermost(&error),
                failure.advice(error_proxy_variable)
            ),
        ),
        (false, true, _) if tunnel_opened.is_some() => (
            ErrorKind::Connect,
            closed_in_tunnel_advice(
                tunnel_opened.unwrap_or_default(),
                "the server",
                &format!(" ({})", crate::http::transport::innermost(&error)),
                "the base URL's port",
            ),
        ),
        (false, true, _) if proxy.is_some() => (
            ErrorKind::Connect,
            format!(
                "cannot connect through {} ({}); check that the proxy is up and its address right, or list the host in `NO_PROXY`",
                proxy.unwrap_or_default(),
                crate::http::transport::innermost(&error)
            ),
        ),
        (false, true, _) => (
            ErrorKind::Connect,
            format!(
                "cannot connect to the server ({}); check the base URL, the network and that the server is up",
                crate::http::transport::innermost(&error)
            ),
        ),
        (false, false, _) if error.is_redirect() => (
            ErrorKind::Transport,
            format!("the server redirected more than {MAX_REDIRECTS} times within its origin (a redirect loop?); check the base URL and the resource"),
        ),
        (false, false, Cause::Malformed(what)) => (
            ErrorKind::Transport,
            match answered {
                Some(status) => format!("the body of the server's {status} answer is not HTTP the client can read ({what}); ask the API's owners to fix the answer"),
                None => format!("the server's answer is not HTTP the client can read ({what}); check that the base URL is the API's (scheme, host and port), or ask its owners to fix the answer"),
            },
        ),
        // no "try again": the request may have been acted on, and whether a call may be
        // sent again is the retry policy's to say (a POST's error says why it was not)
        (false, false, Cause::Transient(what)) => (
            ErrorKind::Transport,
            match answered {
                Some(_) => format!("the connection {what} {during}"),
                None => format!("the connection {what} {during}; the request may have reached the server"),
            },
        ),
        (false, false, Cause::Unsent) => (
            ErrorKind::Transport,
            "the connection closed before the request could be written, so nothing was sent; try again".to_string(),
        ),
        (false, false, _) => (
            ErrorKind::Transport,
            format!("the connection failed {during} ({})", crate::http::transport::innermost(&error)),
        ),
    };
    let transient = matches!(cause, Cause::Transient(_) | Cause::Unsent);
    let (unsent, lasting) = (cause == Cause::Unsent, cause.lasts());
    Error { transient, unsent, lasting, ..Error::new(kind, message).with_source(error) }
}
