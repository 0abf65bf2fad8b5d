//! How the HTTP clients of calls are set up: rustls with TLS 1.2 at least, the
//! connect timeout, the environment's proxies, the `User-Agent`, and redirects
//! followed only within the origin of the first request.

use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::proxy::with_proxies;

/// How many same-origin redirects are followed; other-origin redirects never are.
pub(crate) const MAX_REDIRECTS: usize = 10;

/// The client of `builder`, or why it cannot be built.
pub(crate) fn build_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|error| {
        Error::new(ErrorKind::Config, "cannot set up the HTTP client").with_source(error.without_url())
    })
}

/// The settings of every client of the runtime's calls: rustls with TLS 1.2 at least
/// (certificate checks always on), the connect timeout, same-origin redirects,
/// `proxies` (the environment's, loopback hosts exempt), `user_agent`.
pub(crate) fn client_builder(
    connect_timeout: Duration,
    proxies: &[reqwest::Proxy],
    user_agent: &HeaderValue,
) -> reqwest::ClientBuilder {
    with_proxies(reqwest::Client::builder(), proxies)
        .user_agent(user_agent.clone())
        .use_rustls_tls()
        .min_tls_version(reqwest::tls::Version::TLS_1_2)
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects())
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
