//! How the HTTP clients of calls are set up: rustls with TLS 1.2 at least, the
//! connect timeout, the environment's proxies, the `User-Agent`, `localhost` on this
//! machine, no `Referer`, and redirects followed only within the origin of the first
//! request.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::http::proxy::with_proxies;

/// How many same-origin redirects are followed; other-origin redirects never are.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// The client of `builder`, or why it cannot be built.
pub(crate) fn build_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|error| {
        // reqwest's own text is "builder error": what failed is at the bottom of its chain
        let why = crate::http::transport::innermost(&error);
        Error::new(ErrorKind::Config, format!("cannot set up the HTTP client: {why}")).with_source(error.without_url())
    })
}

/// The settings of every client of the runtime's calls: [those of every
/// client](runtime_client), and same-origin redirects with no `Referer` (which would
/// copy an API key in the query into a header).
pub(crate) fn client_builder(
    connect_timeout: Duration,
    proxies: &[reqwest::Proxy],
    user_agent: &HeaderValue,
) -> reqwest::ClientBuilder {
    runtime_client(connect_timeout, proxies, user_agent).redirect(same_origin_redirects()).referer(false)
}

/// How long an HTTP/2 connection with a request waiting on it may send nothing before
/// the client pings it.
pub(crate) const HTTP2_PING_AFTER: Duration = Duration::from_secs(3);

/// How long the client waits for the answer to that ping before it gives the
/// connection up: [`HTTP2_PING_AFTER`] and this together stay well within the default
/// attempt timeout (10 s), so the retry of an attempt that met a dead connection
/// opens a new one.
pub(crate) const HTTP2_PING_TIMEOUT: Duration = Duration::from_secs(3);

/// The settings of every client of the runtime, its calls' and its token requests':
/// rustls with TLS 1.2 at least (certificate checks always on), the connect timeout,
/// `proxies` (the environment's, loopback hosts exempt), `user_agent`, an HTTP/2
/// answer head as large as an HTTP/1.1 one, HTTP/2 pings while a request waits, and
/// `localhost` [on this machine](localhost_here).
///
/// The pings find an HTTP/2 connection the server (or a NAT or load balancer on the
/// way) dropped without closing it: every request shares one connection, so a timed
/// out request, unlike an HTTP/1.1 one, leaves it in the pool, and every later
/// attempt would be sent on it and time out too. A connection whose ping goes
/// unanswered is closed; pings go out only while a request waits (none on an idle
/// connection), once [`HTTP2_PING_AFTER`] passed without a frame from the server.
pub(crate) fn runtime_client(
    connect_timeout: Duration,
    proxies: &[reqwest::Proxy],
    user_agent: &HeaderValue,
) -> reqwest::ClientBuilder {
    localhost_here(with_proxies(reqwest::Client::builder(), proxies))
        .user_agent(user_agent.clone())
        .use_rustls_tls()
        .min_tls_version(reqwest::tls::Version::TLS_1_2)
        .connect_timeout(connect_timeout)
        .http2_max_header_list_size(crate::http::transport::MAX_HEAD_BYTES as u32)
        .http2_keep_alive_interval(HTTP2_PING_AFTER)
        .http2_keep_alive_timeout(HTTP2_PING_TIMEOUT)
}

/// Has `builder`'s client reach `localhost` and `localhost.` at this machine's
/// loopback addresses (`127.0.0.1`, then `[::1]`) without asking DNS: credentials go
/// to them over plain `http` (DEFINITIONS.md), and a resolver that does not know
/// the fully qualified name asks DNS servers, which could answer with any host.
pub(crate) fn localhost_here(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    // port 0: the URL's port, or its scheme's
    let loopback = [SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), SocketAddr::from((Ipv6Addr::LOCALHOST, 0))];
    builder.resolve_to_addrs("localhost", &loopback).resolve_to_addrs("localhost.", &loopback)
}

/// Follows redirects only within the origin of the first request, so credentials
/// never reach another origin (RELIABILITY 15).
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(Url::origin);
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if first.is_some_and(|origin| origin == attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_that_cannot_be_built_says_why() {
        // reqwest's own text is only "builder error"
        let builder = reqwest::Client::builder().use_preconfigured_tls(0_u8);
        let error = build_client(builder).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config);
        assert!(error.to_string().starts_with("cannot set up the HTTP client: Unknown TLS backend"), "{error}");
    }
}
