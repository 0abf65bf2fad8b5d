//! Redirects never carry credentials to another origin (RELIABILITY 15).
//!
//! reqwest drops only the standard sensitive headers on a cross-host redirect; an API-key
//! header, a custom token header or an API key in the query would travel on. So API
//! clients follow redirects only within the origin of the request and stop at the first
//! one that leaves it: the caller gets that 3xx response, and nothing is sent elsewhere.

use reqwest::redirect::{Attempt, Policy};

/// Redirects followed at most, by default (reqwest's default too).
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

/// A redirect chain longer than the limit.
#[derive(Debug, thiserror::Error)]
#[error("more than {0} redirects; the API is redirecting in a loop or too far")]
pub struct TooManyRedirects(pub usize);

/// The redirect policy for API clients: follow up to `max` redirects within the same
/// origin (scheme, host and port), stop at a redirect to any other origin.
pub fn same_origin_redirects(max: usize) -> Policy {
    Policy::custom(move |attempt| decide(attempt, max))
}

fn decide(attempt: Attempt<'_>, max: usize) -> reqwest::redirect::Action {
    if attempt.previous().len() > max {
        return attempt.error(TooManyRedirects(max));
    }
    let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
    if same_origin {
        attempt.follow()
    } else {
        attempt.stop()
    }
}
