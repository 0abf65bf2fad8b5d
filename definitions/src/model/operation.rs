//! An API's operations: method, resource, timeouts and retries.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::{Api, Spanned, Text};
use crate::template::Template;

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
    /// held to: attempts from 1 to [`MAX_ATTEMPTS`], delays above zero, `max_delay`
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
#[error("unknown HTTP method `{}`; the methods are GET, POST, PATCH, PUT and DELETE", crate::diagnostics::one_line(.0))]
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
