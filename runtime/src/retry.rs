//! Retries (RELIABILITY 20-22): which failures are retried, how long to wait
//! (full-jitter exponential backoff, `Retry-After`), and the runtime's retry budget.
//!
//! [`Retrier::next`] decides after each attempt; the pipeline in `send/mod.rs` sleeps
//! with `tokio::time::sleep`, so a paused clock drives it in tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use conv_api_definitions::{Api, Operation, RetryPolicy, DEFAULT_RETRY};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::{Error, ErrorKind};

/// The statuses worth another attempt: 408, 429, 500, 502, 503, 504.
pub const RETRYABLE_STATUSES: &[u16] = &[408, 429, 500, 502, 503, 504];

/// Whether a response with `status` may succeed when sent again.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    RETRYABLE_STATUSES.contains(&status)
}

/// The policy of a call: the operation's fields over the API's over `default`
/// (the builder's `.retry(..)`) over [`DEFAULT_RETRY`], field by field.
pub(crate) fn policy_for(op: &Operation, api: &Api, default: Option<RetryPolicy>) -> RetryPolicy {
    op.retry_over(api, default.unwrap_or(DEFAULT_RETRY))
}

/// The backoff ceiling before retry number `retry` (1 for the first retry):
/// `min(max_delay, base_delay * 2^(retry - 1))`, without overflow.
pub(crate) fn ceiling(policy: &RetryPolicy, retry: u32) -> Duration {
    let factor = 2u32.saturating_pow(retry.saturating_sub(1));
    policy.base_delay.checked_mul(factor).map_or(policy.max_delay, |delay| delay.min(policy.max_delay))
}

/// The seconds of a `Retry-After` too long for 64 bits (`99999999999999999999999`).
const UNCOUNTED_SECONDS: u64 = u64::MAX;

/// How long `Retry-After` asks to wait, from delta-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`) compared with `now`; a date in the past is
/// zero. `None` when the header is absent or not valid (then backoff applies).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(Duration::from_secs(text.parse().unwrap_or(UNCOUNTED_SECONDS)));
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The header that lets the server recognise a repeated write: sent, with the same
/// value on every attempt of a call, by POST and PATCH operations declared
/// `idempotent: true`.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A new random UUID v4 (`8-4-4-4-12` hex digits) for [`IDEMPOTENCY_KEY`], from the
/// operating system's random source.
pub(crate) fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        bytes = fastrand::u128(..).to_le_bytes();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// The random part of full-jitter backoff; seeded in tests.
#[derive(Debug)]
pub(crate) struct Jitter(Mutex<fastrand::Rng>);

impl Jitter {
    /// A generator seeded from the process's random state.
    pub(crate) fn new() -> Jitter {
        Jitter(Mutex::new(fastrand::Rng::new()))
    }

    /// A generator that always gives the same sequence.
    #[cfg(test)]
    pub(crate) fn seeded(seed: u64) -> Jitter {
        Jitter(Mutex::new(fastrand::Rng::with_seed(seed)))
    }

    /// A duration picked uniformly from `0..=ceiling` (nanosecond steps).
    pub(crate) fn pick(&self, ceiling: Duration) -> Duration {
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        let mut rng = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        Duration::from_nanos(rng.u64(0..=nanos))
    }
}

/// How many retries a [`Runtime`](crate::Runtime) may make, so a dead service is
/// not hammered: retries may add `percent` % on top of the calls made, and at
/// least `min_per_second` retries a second are allowed however few calls there are.
///
/// It is a token bucket: each call adds `percent / 100` of a token, time adds
/// `min_per_second` tokens a second, each retry takes one token; the bucket holds
/// at most `10 * min_per_second` (at least 10) and starts full at
/// `10 * min_per_second`, so a new runtime's first failures get the attempts its
/// policy allows (a budget with no floor starts empty). When it is empty no retry
/// is made, and the attempt's log entry says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    /// Retries as a percentage of calls (20 allows one retry for five calls).
    pub percent: u32,
    /// Retries allowed each second even without calls.
    pub min_per_second: u32,
}

/// The default retry budget: 20 % of calls, and at least 5 retries a second.
pub const DEFAULT_RETRY_BUDGET: RetryBudget = RetryBudget { percent: 20, min_per_second: 5 };

/// [`DEFAULT_RETRY_BUDGET`].
impl Default for RetryBudget {
    fn default() -> Self {
        DEFAULT_RETRY_BUDGET
    }
}

/// One token, in the thousandths the bucket counts.
const TOKEN: u64 = 1000;

/// The state of a runtime's [`RetryBudget`].
///
/// Every call deposits, so the balance is an atomic: a call takes no lock, and once
/// the bucket is full (as it stays while calls succeed) only reads it, so calls on
/// many threads do not contend for it. Time adds tokens only when a retry withdraws;
/// capping after each addition gives the same balance in either order, as every
/// addition is positive.
#[derive(Debug)]
pub(crate) struct Budget {
    settings: RetryBudget,
    /// Thousandths of a token.
    balance: AtomicU64,
    /// When time last added tokens.
    refilled: Mutex<tokio::time::Instant>,
}

/// The retries `settings`' floor allows in ten seconds: what a new bucket holds.
fn ten_seconds_of_floor(settings: RetryBudget) -> u64 {
    u64::from(settings.min_per_second) * 10
}

impl Budget {
    /// A bucket for `settings`, holding ten seconds' worth of its floor.
    pub(crate) fn new(settings: RetryBudget) -> Budget {
        let balance = AtomicU64::new(ten_seconds_of_floor(settings) * TOKEN);
        Budget { settings, balance, refilled: Mutex::new(tokio::time::Instant::now()) }
    }

    /// Counts one call (a first attempt).
    pub(crate) fn deposit(&self) {
        self.add(u64::from(self.settings.percent) * TOKEN / 100);
    }

    /// Takes one token for a retry; `false` when the budget is spent.
    pub(crate) fn withdraw(&self) -> bool {
        self.refill();
        let take = |balance: u64| balance.checked_sub(TOKEN);
        self.balance.fetch_update(Ordering::AcqRel, Ordering::Acquire, take).is_ok()
    }

    fn capacity(&self) -> u64 {
        ten_seconds_of_floor(self.settings).max(10) * TOKEN
    }

    /// Adds `amount` thousandths, up to the capacity.
    fn add(&self, amount: u64) {
        let capacity = self.capacity();
        if self.balance.load(Ordering::Acquire) >= capacity {
            return;
        }
        let added = |balance: u64| Some(balance.saturating_add(amount).min(capacity));
        // the closure never refuses, so the update cannot fail
        let _ = self.balance.fetch_update(Ordering::AcqRel, Ordering::Acquire, added);
    }

    /// Adds the tokens time gave since the last refill.
    fn refill(&self) {
        let mut refilled = self.refilled.lock().unwrap_or_else(PoisonError::into_inner);
        let millis = u64::try_from(refilled.elapsed().as_millis()).unwrap_or(u64::MAX);
        // min_per_second tokens a second is min_per_second thousandths a millisecond.
        self.add(millis.saturating_mul(u64::from(self.settings.min_per_second)));
        *refilled += Duration::from_millis(millis);
    }
}

/// The retry settings given to the builder; `None` keeps the default.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RetrySetup {
    /// `.retry(..)`: the policy under the definitions' `retry:` keys.
    pub(crate) policy: Option<RetryPolicy>,
    /// `.retry_after_cap(..)`: the longest `Retry-After` honoured, for every API.
    pub(crate) retry_after_cap: Option<Duration>,
    /// `.retry_budget(..)`.
    pub(crate) budget: Option<RetryBudget>,
}

/// The retry state a runtime shares between its calls.
#[derive(Debug)]
pub(crate) struct Retries {
    pub(crate) setup: RetrySetup,
    pub(crate) budget: Budget,
    pub(crate) jitter: Jitter,
}

impl Retries {
    /// The state for the builder's `setup`.
    pub(crate) fn new(setup: RetrySetup) -> Retries {
        let budget = Budget::new(setup.budget.unwrap_or(DEFAULT_RETRY_BUDGET));
        Retries { setup, budget, jitter: Jitter::new() }
    }

    /// The retry state of one call of `op`, counting the call in the budget.
    pub(crate) fn start(&self, op: &Operation, api: &Api) -> Retrier<'_> {
        self.budget.deposit();
        let policy = policy_for(op, api, self.setup.policy);
        let cap = self.setup.retry_after_cap.unwrap_or(policy.max_delay);
        Retrier {
            safe: op.is_retry_safe(),
            policy,
            cap,
            budget: &self.budget,
            jitter: &self.jitter,
            attempts: 0,
            replayed: false,
        }
    }
}

/// What an attempt ended with, as far as retrying goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A success, or a failure that another attempt would not fix.
    Final,
    /// A retryable status or transient error; `Retry-After` when the server sent one.
    Transient(Option<Duration>),
    /// A transient failure before anything was sent: another attempt is safe
    /// whatever the method.
    Unsent,
    /// A token request that failed for a reason that may pass, with the token
    /// endpoint's `Retry-After`: nothing was sent, and another attempt takes nothing
    /// from the retry budget, as the calls that wait for a token share one request.
    TokenRequest(Option<Duration>),
    /// A token request that took its whole timeout: another attempt would wait as
    /// long again, so none is made (the caller may try later: the error is retryable).
    TokenWaitedOut,
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Return what the attempt gave.
    Return,
    /// The failure is transient but the operation may not be repeated.
    NotSafe,
    /// Every attempt of the policy was made (`replayed`: and one more after a 401).
    AttemptsUsed { attempts: u32, replayed: bool },
    /// The retry budget of the runtime is spent.
    BudgetSpent,
    /// `Retry-After` asks for longer than the cap.
    RateLimited { wait: Duration, cap: Duration },
    /// Wait, then send again; `told` when the wait is the server's `Retry-After`.
    Retry { wait: Duration, told: bool },
    /// A mock rule answered with what a server's answer would be retried on: a mocked
    /// answer is the call's, as in the ADK, whose calls each take one.
    Mocked,
    /// The token request took its whole timeout (see [`Failure::TokenWaitedOut`]).
    TokenWaitedOut,
}

impl Next {
    /// What the attempt's log entry says about retrying, if anything.
    pub(crate) fn note(self, method: &str) -> Option<String> {
        match self {
            Next::Return => None,
            Next::NotSafe => Some(format!(
                "not retried: {method} may not be repeated; declare the operation `idempotent: true` if the API allows it"
            )),
            Next::AttemptsUsed { attempts, replayed } => {
                // "not retried" would read wrong after retries
                let made = match attempts {
                    1 => "not retried: the one attempt allowed was made".to_string(),
                    _ => format!("no retry left: all {attempts} attempts were made"),
                };
                let besides = if replayed { ", besides the one replayed with new credentials after a 401" } else { "" };
                Some(format!("{made}{besides}"))
            }
            Next::BudgetSpent => Some("not retried: the runtime's retry budget is spent".to_string()),
            Next::RateLimited { wait, cap } => Some(format!("not retried: the server {}", asks_past_the_cap(wait, cap))),
            Next::Retry { wait, told: true } => Some(format!("{RETRYING} {}, as `Retry-After` asks", shown_duration(wait))),
            Next::Retry { wait, told: false } => Some(format!("{RETRYING} {}", shown_duration(wait))),
            Next::Mocked => Some(
                "not retried: a mock rule answered it, and a mocked answer is the call's, as in the ADK (test retries against a server)"
                    .to_string(),
            ),
            Next::TokenWaitedOut => Some(
                "not retried: the token request took its whole timeout, which another attempt would wait as long again"
                    .to_string(),
            ),
        }
    }

    /// What to do after an attempt a mock rule answered with `failure`: return it.
    pub(crate) fn after_mock(failure: Failure) -> Next {
        match failure {
            Failure::Final => Next::Return,
            _ => Next::Mocked,
        }
    }
}

/// How the log's note on an attempt that another follows starts: `retrying in 1.2s`
/// (see [`announces_next_attempt`](crate::announces_next_attempt)).
pub(crate) const RETRYING: &str = "retrying in";

/// An answer asking to wait longer than the runtime waits (`Retry-After` past the
/// cap) on a call it would have retried: the call returns the answer, whose
/// [`raise_for_status`](crate::Response::raise_for_status) is a
/// [`RateLimited`](ErrorKind::RateLimited) error saying when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RateLimit {
    /// How long the server asked to wait.
    pub(crate) wait: Duration,
    /// The longest wait the runtime honours.
    pub(crate) cap: Duration,
    /// When the answer came: the wait runs from then.
    pub(crate) answered: SystemTime,
}

impl RateLimit {
    /// The error of an answer with `status` that asked for this wait; `answered` says
    /// the answer (`` 503 Service Unavailable: `maintenance` ``, the attempts made).
    pub(crate) fn error(&self, status: u16, answered: &str) -> Error {
        let when = try_again_at(self.answered, self.wait);
        let message = format!(
            "the server answered {answered} and {}; try again {when}, or raise the cap with `Runtime::builder().retry_after_cap(..)`",
            asks_past_the_cap(self.wait, self.cap)
        );
        Error::new(ErrorKind::RateLimited, message).with_retry_after(self.wait).with_status(status)
    }
}

/// What an answer past the cap asks, as its log entry and its error say it: `asks to
/// wait 120s (`Retry-After`), longer than the 20s the runtime waits`.
fn asks_past_the_cap(wait: Duration, cap: Duration) -> String {
    let wait = match wait.as_secs() {
        UNCOUNTED_SECONDS => "more seconds than can be counted".to_string(),
        _ => shown_duration(wait),
    };
    format!("asks to wait {wait} (`Retry-After`), longer than the {} the runtime waits", shown_duration(cap))
}

/// 9999-12-31 23:59:59 UTC, the last moment an HTTP date can show, after the epoch.
const LAST_HTTP_DATE: Duration = Duration::from_secs(253_402_300_799);

/// When to try again, `wait` after `now`: `after` an HTTP date, or `later` where no
/// HTTP date can say it (four digits of year from 1970: a clock set before 1970, a
/// wait past 9999; `fmt_http_date` panics outside them).
pub(crate) fn try_again_at(now: SystemTime, wait: Duration) -> String {
    let dates = SystemTime::UNIX_EPOCH..=SystemTime::UNIX_EPOCH + LAST_HTTP_DATE;
    match now.checked_add(wait).filter(|at| dates.contains(at)) {
        Some(at) => format!("after {}", httpdate::fmt_http_date(at)),
        None => "later".to_string(),
    }
}

/// `wait` as a message shows it, rounded down: to whole milliseconds when it is longer
/// than one (`1.2s`, `350ms`), else to whole microseconds (`359µs`, not `359.683µs`),
/// or nanoseconds below one (`1ns`, not `0s`); no wait at all (`Retry-After: 0`) is `0s`.
pub(crate) fn shown_duration(wait: Duration) -> String {
    let unit = match wait {
        _ if wait < Duration::from_micros(1) => 1,
        _ if wait < Duration::from_millis(1) => 1_000,
        _ => 1_000_000,
    };
    let nanos = wait.subsec_nanos();
    match Duration::new(wait.as_secs(), nanos - nanos % unit) {
        Duration::ZERO => "0s".to_string(),
        rounded => format!("{rounded:?}"),
    }
}

/// The retry state of one call.
pub(crate) struct Retrier<'a> {
    /// The operation may be sent more than once.
    pub(crate) safe: bool,
    pub(crate) policy: RetryPolicy,
    /// The longest `Retry-After` honoured.
    pub(crate) cap: Duration,
    pub(crate) budget: &'a Budget,
    pub(crate) jitter: &'a Jitter,
    /// Attempts made so far, counting only those the policy limits.
    pub(crate) attempts: u32,
    /// An attempt was replayed after a 401, uncounted: the log numbers it, notes say so.
    pub(crate) replayed: bool,
}

impl Retrier<'_> {
    /// The last attempt, a 401, is replayed with a new token: not counted, as the
    /// policy does not limit replays, but said in the note when attempts run out.
    pub(crate) fn replaying(&mut self) {
        self.replayed = true;
    }

    /// Decides what follows an attempt that ended with `failure`.
    pub(crate) fn next(&mut self, failure: Failure) -> Next {
        self.attempts += 1;
        let (told, sent, budgeted) = match failure {
            Failure::Final => return Next::Return,
            Failure::TokenWaitedOut => return Next::TokenWaitedOut,
            Failure::Transient(told) => (told, true, true),
            Failure::Unsent => (None, false, true),
            Failure::TokenRequest(told) => (told, false, false),
        };
        if sent && !self.safe {
            return Next::NotSafe;
        }
        if self.attempts >= self.policy.attempts {
            return Next::AttemptsUsed { attempts: self.attempts, replayed: self.replayed };
        }
        if let Some(wait) = told.filter(|wait| *wait > self.cap) {
            return Next::RateLimited { wait, cap: self.cap };
        }
        if budgeted && !self.budget.withdraw() {
            return Next::BudgetSpent;
        }
        match told {
            Some(wait) => Next::Retry { wait, told: true },
            None => Next::Retry { wait: self.jitter.pick(ceiling(&self.policy, self.attempts)), told: false },
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;
    use crate::announces_next_attempt;

    #[test]
    fn only_the_notes_of_another_attempt_announce_one() {
        let wait = Duration::from_millis(1200);
        let announce = |next: Next| next.note("POST").is_some_and(|note| announces_next_attempt(&note));
        assert!(announce(Next::Retry { wait, told: true }) && announce(Next::Retry { wait, told: false }));
        assert!(announces_next_attempt(crate::send::REPLAY_NOTE));
        // as earlier versions wrote it, in logs that review reads
        assert!(announces_next_attempt("replaying once with new credentials after a 401"));
        for next in [
            Next::NotSafe,
            Next::AttemptsUsed { attempts: 1, replayed: false },
            Next::AttemptsUsed { attempts: 3, replayed: true },
            Next::BudgetSpent,
            Next::RateLimited { wait, cap: Duration::from_secs(1) },
            Next::Mocked,
        ] {
            assert!(!announce(next), "{:?}", next.note("POST"));
        }
    }

    #[test]
    fn try_again_at_shows_a_date_only_where_http_dates_reach() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(try_again_at(epoch, Duration::from_secs(60)), "after Thu, 01 Jan 1970 00:01:00 GMT");
        let before_1970 = epoch - Duration::from_secs(86_400);
        assert_eq!(try_again_at(before_1970, Duration::from_secs(60)), "later");
        assert_eq!(try_again_at(epoch, LAST_HTTP_DATE + Duration::from_secs(1)), "later");
        assert_eq!(try_again_at(epoch, Duration::MAX), "later");
    }

    const POLICY: RetryPolicy =
        RetryPolicy { attempts: 5, base_delay: Duration::from_millis(100), max_delay: Duration::from_millis(700) };

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn waits_are_shown_in_whole_milliseconds_or_under_one_in_whole_microseconds_or_nanoseconds() {
        let shown = |nanos: u64| shown_duration(Duration::from_nanos(nanos));
        assert_eq!(shown(1_234_567_890), "1.234s");
        assert_eq!(shown(350_900_000), "350ms");
        assert_eq!(shown(359_683), "359µs");
        // a timeout of a nanosecond is not shown as none
        assert_eq!(shown(999), "999ns");
        // `Retry-After: 0` is no wait, not `0ns`
        assert_eq!(shown(0), "0s");
        // the longest wait a `Retry-After` can ask for, in seconds (its milliseconds overflow a u64)
        assert_eq!(shown_duration(Duration::from_secs(u64::MAX)), format!("{:?}", Duration::from_secs(u64::MAX)));
    }

    fn retrier<'a>(budget: &'a Budget, jitter: &'a Jitter, safe: bool) -> Retrier<'a> {
        Retrier { safe, policy: POLICY, cap: Duration::from_secs(5), budget, jitter, attempts: 0, replayed: false }
    }

    #[test]
    fn idempotency_keys_are_uuid_v4_and_differ() {
        let (first, second) = (idempotency_key(), idempotency_key());
        assert_ne!(first, second);
        // the version and variant bits are set on random bytes: every key has them
        for key in std::iter::once(first).chain((0..63).map(|_| idempotency_key())) {
            let groups: Vec<usize> = key.split('-').map(str::len).collect();
            assert_eq!(groups, [8, 4, 4, 4, 12], "{key}");
            assert_eq!(&key[14..15], "4", "{key}");
            assert!("89ab".contains(&key[19..20]), "{key}");
        }
    }

    #[test]
    fn ceilings_double_up_to_the_cap_without_overflow() {
        let ceilings: Vec<u64> = (1..=6).map(|retry| ceiling(&POLICY, retry).as_millis() as u64).collect();
        assert_eq!(ceilings, [100, 200, 400, 700, 700, 700]);
        assert_eq!(ceiling(&POLICY, u32::MAX), POLICY.max_delay);
        assert_eq!(ceiling(&DEFAULT_RETRY, 1), Duration::from_secs(1));
    }

    #[test]
    fn jitter_stays_within_the_ceiling_and_spreads() {
        let jitter = Jitter::seeded(7);
        let picks: Vec<Duration> = (0..200).map(|_| jitter.pick(Duration::from_millis(400))).collect();
        assert!(picks.iter().all(|pick| *pick <= Duration::from_millis(400)));
        assert!(picks.iter().any(|pick| *pick < Duration::from_millis(100)));
        assert!(picks.iter().any(|pick| *pick > Duration::from_millis(300)));
        assert_eq!(jitter.pick(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_400);
        assert_eq!(retry_after(&headers("120"), now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(&headers(" 0 "), now), Some(Duration::ZERO));
        let date = headers("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(1_445_412_480 - 1_445_412_400)));
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"), now + Duration::from_secs(999)),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("99999999999999999999999"), now), Some(Duration::from_secs(u64::MAX)));
        let endless = asks_past_the_cap(Duration::from_secs(u64::MAX), Duration::from_secs(20));
        assert_eq!(
            endless,
            "asks to wait more seconds than can be counted (`Retry-After`), longer than the 20s the runtime waits"
        );
        for invalid in ["", "-1", "1.5", "soon", "Wed, 99 Oct 2015"] {
            assert_eq!(retry_after(&headers(invalid), now), None, "{invalid:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn only_safe_operations_with_transient_failures_are_retried() {
        let (budget, jitter) = (Budget::new(DEFAULT_RETRY_BUDGET), Jitter::seeded(1));
        assert_eq!(retrier(&budget, &jitter, true).next(Failure::Final), Next::Return);
        assert_eq!(retrier(&budget, &jitter, false).next(Failure::Transient(None)), Next::NotSafe);
        let next = retrier(&budget, &jitter, true).next(Failure::Transient(None));
        assert!(matches!(next, Next::Retry { wait, told: false } if wait <= POLICY.base_delay), "{next:?}");
        let next = retrier(&budget, &jitter, false).next(Failure::Unsent);
        assert!(matches!(next, Next::Retry { .. }), "nothing was sent: any method may try again: {next:?}");
    }

    /// The calls waiting for one token share its request: a retry after it failed
    /// takes nothing from the budget, which 500 such calls spent at once.
    #[test]
    fn a_retry_after_a_failed_token_request_takes_nothing_from_the_budget() {
        let (spent, jitter) = (Budget::new(RetryBudget { percent: 0, min_per_second: 0 }), Jitter::seeded(1));
        assert_eq!(retrier(&spent, &jitter, true).next(Failure::Unsent), Next::BudgetSpent);
        let next = retrier(&spent, &jitter, false).next(Failure::TokenRequest(None));
        assert!(matches!(next, Next::Retry { told: false, .. }), "{next:?}");
        let one = Duration::from_secs(1);
        assert_eq!(
            retrier(&spent, &jitter, false).next(Failure::TokenRequest(Some(one))),
            Next::Retry { wait: one, told: true }
        );
    }

    #[test]
    fn attempts_stop_at_the_policy() {
        let (budget, jitter) = (Budget::new(RetryBudget { percent: 0, min_per_second: 100 }), Jitter::seeded(1));
        let mut retrier = retrier(&budget, &jitter, true);
        let kinds: Vec<Next> = (0..5).map(|_| retrier.next(Failure::Transient(Some(Duration::ZERO)))).collect();
        let retry = Next::Retry { wait: Duration::ZERO, told: true };
        assert_eq!(kinds, [retry, retry, retry, retry, Next::AttemptsUsed { attempts: 5, replayed: false }]);
    }

    #[test]
    fn the_note_on_used_attempts_counts_them_in_words_that_fit() {
        let note = |attempts, replayed| Next::AttemptsUsed { attempts, replayed }.note("GET").unwrap();
        assert_eq!(note(3, false), "no retry left: all 3 attempts were made");
        assert_eq!(note(1, false), "not retried: the one attempt allowed was made");
        assert_eq!(
            note(1, true),
            "not retried: the one attempt allowed was made, besides the one replayed with new credentials after a 401"
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let (budget, jitter) = (Budget::new(DEFAULT_RETRY_BUDGET), Jitter::seeded(1));
        let three = Duration::from_secs(3);
        let next = retrier(&budget, &jitter, true).next(Failure::Transient(Some(three)));
        assert_eq!(next, Next::Retry { wait: three, told: true });
        let next = retrier(&budget, &jitter, true).next(Failure::Transient(Some(Duration::from_secs(6))));
        assert_eq!(next, Next::RateLimited { wait: Duration::from_secs(6), cap: Duration::from_secs(5) });
        assert!(next.note("GET").unwrap().contains("`Retry-After`"));
    }

    #[test]
    fn concurrent_calls_each_count_in_the_budget_up_to_its_capacity() {
        // a hundredth of a token a call; no floor, so ten tokens of capacity
        let budget = Budget::new(RetryBudget { percent: 1, min_per_second: 0 });
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| (0..125).for_each(|_| budget.deposit()));
            }
        });
        assert_eq!((0..11).filter(|_| budget.withdraw()).count(), 10, "1,000 calls give ten tokens");
        (0..2_000).for_each(|_| budget.deposit());
        assert_eq!((0..30).filter(|_| budget.withdraw()).count(), 10, "deposits stop at the capacity");
    }

    #[tokio::test(start_paused = true)]
    async fn the_budget_allows_a_share_of_calls_plus_a_floor_per_second() {
        let budget = Budget::new(RetryBudget { percent: 50, min_per_second: 0 });
        assert!(!budget.withdraw(), "an unused bucket with no floor is empty");
        budget.deposit();
        assert!(!budget.withdraw(), "half a token is not enough");
        budget.deposit();
        assert!(budget.withdraw());
        assert!(!budget.withdraw());
        let floor = Budget::new(RetryBudget { percent: 0, min_per_second: 2 });
        assert_eq!((0..30).filter(|_| floor.withdraw()).count(), 20, "a new bucket holds ten seconds' worth");
        tokio::time::advance(Duration::from_millis(500)).await;
        assert!(floor.withdraw() && !floor.withdraw(), "half a second gives one token back");
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert_eq!((0..30).filter(|_| floor.withdraw()).count(), 20, "the bucket holds ten seconds' worth");
    }

    proptest::proptest! {
        /// Any header text: no panic, and a wait only from digits or a valid date.
        #[test]
        fn any_retry_after_text_is_safe(text in "\\PC{0,40}", digits in "[0-9]{1,30}") {
            let now = SystemTime::now();
            if let Ok(value) = HeaderValue::from_str(&text) {
                let wait = retry_after(&headers_with(value), now);
                // HTTP trims blanks and tabs around a value; other text (a no-break
                // space, any non-ASCII byte) is no part of a number or a date
                let trimmed = text.trim_matches([' ', '\t']);
                let date_like = text.is_ascii() && httpdate::parse_http_date(trimmed).is_ok();
                let number = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
                proptest::prop_assert_eq!(wait.is_some(), date_like || number, "{:?}", text);
            }
            let wait = retry_after(&headers(&digits), now).unwrap();
            proptest::prop_assert_eq!(wait.as_secs(), digits.parse::<u64>().unwrap_or(u64::MAX));
        }

        /// Whatever the policy and retry number, the ceiling is at most `max_delay`,
        /// never below `base_delay` (unless `max_delay` is), and the jitter stays under it.
        #[test]
        fn backoff_stays_within_the_policy(
            base in 1u64..100_000, extra in 0u64..10_000_000, retry in 1u32..100, seed in proptest::prelude::any::<u64>()
        ) {
            let policy = RetryPolicy { attempts: 10, base_delay: Duration::from_millis(base), max_delay: Duration::from_millis(base + extra) };
            let ceiling = ceiling(&policy, retry);
            proptest::prop_assert!(ceiling <= policy.max_delay && ceiling >= policy.base_delay);
            proptest::prop_assert!(Jitter::seeded(seed).pick(ceiling) <= ceiling);
        }
    }

    fn headers_with(value: HeaderValue) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value);
        headers
    }

    #[test]
    fn the_builder_default_sits_under_the_definitions() {
        let definitions = conv_api_definitions::parse_str(
            "t.yaml",
            r#"
api_integrations:
  - name: a
    retry: { base_delay: 50ms }
    environments: { sandbox: { base_url: "http://127.0.0.1:1" } }
    operations:
      - { name: op, method: GET, resource: /x, retry: { attempts: 2 } }
"#,
        )
        .unwrap()
        .definitions;
        let api = definitions.api("a").unwrap();
        let op = api.operation("op").unwrap();
        let default =
            RetryPolicy { attempts: 9, base_delay: Duration::from_secs(9), max_delay: Duration::from_secs(9) };
        let policy = policy_for(op, api, Some(default));
        assert_eq!(
            (policy.attempts, policy.base_delay, policy.max_delay),
            (2, Duration::from_millis(50), default.max_delay)
        );
        assert_eq!(policy_for(op, api, None), op.effective_retry(api));
    }
}
