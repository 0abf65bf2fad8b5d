//! One key's slot in the token cache: its token, the tokens it replaced, and the
//! single flight that fetches the next.

use std::sync::atomic::{fence, AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use arc_swap::{ArcSwap, ArcSwapOption};
use secrecy::ExposeSecret;
use tokio::runtime::{Handle, Id, RuntimeFlavor};
use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;

use super::super::token::{Token, TokenError};
use crate::auth::TokenIdentity;
use crate::deadline::LONGEST_WAIT;

/// Whether a failure at `failed_at` is less than [`REFRESH_PAUSE`] before `now`.
fn within_pause(failed_at: Option<Instant>, now: Instant) -> bool {
    failed_at.is_some_and(|failed_at| now.saturating_duration_since(failed_at) < REFRESH_PAUSE)
}

/// The lock of a slot's fetch: held by the fetch under way (a task of its own, which
/// goes on when the callers waiting for it stop), and briefly by a caller that
/// checks whether to start one; holds the error of the last fetch, if it failed, for
/// the callers that waited for that fetch.
pub(super) type FlightLock = tokio::sync::Mutex<Option<TokenError>>;

/// One key's token and the lock that lets a single caller fetch it. A call that finds
/// a fresh token ([`TokenCache::with_fresh`](super::TokenCache::with_fresh)) reads it without a lock or a shared
/// count; a fetch replaces it.
#[derive(Default)]
pub(super) struct Slot {
    pub(super) current: ArcSwapOption<Token>,
    /// The tokens a newer one replaced or a 401 dropped, known to the redactor for
    /// [`KNOWN_AFTER_EXPIRY`](super::KNOWN_AFTER_EXPIRY) (or the longest attempt) after they expire; the
    /// [`MAX_SUPERSEDED`] newest.
    superseded: Mutex<Vec<Arc<Token>>>,
    /// Replaced when the fetch holding it has stalled ([`Slot::watch`]).
    pub(super) flight: ArcSwap<FlightLock>,
    /// The fetch under way.
    fetching: Mutex<Option<Fetching>>,
    /// Fetches finished so far, stored or failed: tells a caller that waited for the
    /// flight whether a fetch finished meanwhile.
    fetches: AtomicU64,
    /// When the last fetch failed, if it did: a refresh ahead of expiry waits
    /// [`REFRESH_PAUSE`] after a failure, rather than a request on every call.
    failed_at: Mutex<Option<Instant>>,
    /// Until when the token endpoint asked, in the last fetch's answer, not to be
    /// asked again (`Retry-After`), and that answer: no request goes out before.
    asked_to_wait: Mutex<Option<(Instant, TokenError)>>,
    /// Set by a sweep taking the slot out of the cache ([`Slot::stays`]): a call
    /// that finds it set does not use the slot.
    pub(super) retired: AtomicBool,
}

/// A slot's fetch under way.
struct Fetching {
    /// The lock it holds.
    lock: Weak<FlightLock>,
    started: Instant,
    /// The tokio runtime its task runs on.
    runtime: Option<Id>,
    /// Whether that is a runtime of a thread's own (current-thread), which runs tasks
    /// only while its thread drives it.
    on_a_thread: bool,
    /// How many calls on that runtime wait for it (the one that started it among
    /// them): while one does, the runtime is driven, and runs the fetch too.
    waiters: Arc<AtomicUsize>,
}

impl Fetching {
    /// Whether a caller on the tokio runtime `caller` would wait for nothing: the fetch
    /// is a task of another runtime of a thread's own, which no call of that runtime
    /// waits for any more, so nothing may run it.
    fn left_idle_for(&self, caller: Option<Id>) -> bool {
        self.elsewhere_on_a_thread_runtime(caller) && self.waiters.load(Ordering::Acquire) == 0
    }

    /// Whether the fetch runs on a runtime of a thread's own other than `caller`.
    fn elsewhere_on_a_thread_runtime(&self, caller: Option<Id>) -> bool {
        self.on_a_thread && self.runtime != caller
    }

    /// Whether `caller` is the fetch's runtime: waiting there, a call drives it.
    fn runs_on(&self, caller: Option<Id>) -> bool {
        caller.is_some() && self.runtime == caller
    }
}

/// How often a caller waiting for a fetch on another runtime of a thread's own looks
/// whether a call there still waits for it.
const IDLE_CHECK: Duration = Duration::from_millis(20);

/// How a caller waits for a fetch under way.
pub(super) struct Watch {
    /// When the fetch counts as stalled, and the caller gives it up.
    pub(super) stalled_at: Option<Instant>,
    /// When the caller looks at the fetch again.
    pub(super) look_again: Option<Instant>,
    /// Counts the caller among the fetch's waiters while it waits, when it is on the
    /// fetch's runtime.
    _waiting: Option<Waiting>,
}

/// One call waiting for a fetch, among its [`Fetching::waiters`] while held.
pub(super) struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    pub(super) fn new(waiters: &Arc<AtomicUsize>) -> Waiting {
        waiters.fetch_add(1, Ordering::AcqRel);
        Waiting(Arc::clone(waiters))
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How long past its own timeout a fetch still holding its lock is waited for before
/// it counts as stalled: a fetch that runs ends by its timeout, so this is only the
/// time a busy runtime may take to wake it.
const STALL_GRACE: Duration = Duration::from_secs(1);

/// How long after a failed token request a refresh ahead of expiry is not tried
/// again, the still-valid token serving meanwhile.
pub(super) const REFRESH_PAUSE: Duration = Duration::from_secs(5);

/// How many tokens a slot keeps known for calls that carried them, as many as the
/// redactor keeps: past it (401s in a row, tokens of a minute), the oldest is left
/// to the redactor, which forgets it for newer tokens.
pub(super) const MAX_SUPERSEDED: usize = crate::redact::MAX_TOKENS;

impl Slot {
    pub(super) fn current(&self) -> Option<Arc<Token>> {
        self.current.load_full()
    }

    /// Whether `token` is the one cached (no 401 dropped it, no fetch replaced it).
    pub(super) fn holds(&self, token: &Arc<Token>) -> bool {
        self.current.load().as_ref().is_some_and(|current| Arc::ptr_eq(current, token))
    }

    pub(super) fn fresh(&self, now: Instant) -> Option<Arc<Token>> {
        self.current().filter(|token| token.is_fresh(now))
    }

    /// Keeps the outcome of a fetch: the token, or for the callers waiting on
    /// `flight` (the fetching caller's guard) the error. Returns the tokens that
    /// expired `known_for` or more ago, for the redactor to forget.
    pub(super) fn finish(
        &self,
        flight: &mut Option<TokenError>,
        outcome: &Result<Arc<Token>, TokenError>,
        known_for: Duration,
    ) -> Vec<Arc<Token>> {
        let now = Instant::now();
        let (failed_at, gone) = match outcome {
            Ok(token) => {
                *flight = None;
                let replaced = self.current.swap(Some(Arc::clone(token)));
                (None, self.supersede(replaced, now, known_for))
            }
            Err(error) => {
                *flight = Some(error.clone());
                (Some(now), Vec::new())
            }
        };
        // a wait past the timer's reach (`Retry-After: 99999999999999999999`) lasts as
        // long as the longest it reaches: a longer wait holds no less than a shorter one
        let asked = outcome
            .as_ref()
            .err()
            .and_then(|error| Some((now + error.retry_after()?.min(LONGEST_WAIT), error.clone())));
        *self.asked_to_wait.lock().unwrap_or_else(PoisonError::into_inner) = asked;
        *self.failed_at.lock().unwrap_or_else(PoisonError::into_inner) = failed_at;
        self.fetches.fetch_add(1, Ordering::AcqRel);
        gone
    }

    /// Keeps `replaced`, a token no longer served, among the superseded, and takes out
    /// those that expired `known_for` or more before `now`.
    pub(super) fn supersede(&self, replaced: Option<Arc<Token>>, now: Instant, known_for: Duration) -> Vec<Arc<Token>> {
        let mut superseded = self.superseded.lock().unwrap_or_else(PoisonError::into_inner);
        superseded.extend(replaced);
        let mut gone = Vec::new();
        superseded.retain(|token| {
            let keep = token.expires_at.checked_add(known_for).is_none_or(|until| now < until);
            if !keep {
                gone.push(Arc::clone(token));
            }
            keep
        });
        // the oldest past the cap stay known to the redactor, which keeps the newest
        let over = superseded.len().saturating_sub(MAX_SUPERSEDED);
        superseded.drain(..over);
        gone
    }

    pub(super) fn superseded_is_empty(&self) -> bool {
        self.superseded.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    }

    /// Whether the slot serves `value`, or keeps it known for calls that carried it.
    pub(super) fn knows(&self, value: &str) -> bool {
        let same = |token: &Arc<Token>| token.access_token.expose_secret() == value;
        self.current.load().as_ref().is_some_and(same)
            || self.superseded.lock().unwrap_or_else(PoisonError::into_inner).iter().any(same)
    }

    /// Notes that the fetch holding `flight` starts now, as a task of the current tokio
    /// runtime, which `waiters` calls there wait for.
    pub(super) fn start_fetch(&self, flight: &OwnedMutexGuard<Option<TokenError>>, waiters: Arc<AtomicUsize>) {
        let runtime = Handle::try_current().ok();
        let on_a_thread =
            runtime.as_ref().is_some_and(|handle| handle.runtime_flavor() == RuntimeFlavor::CurrentThread);
        let runtime = runtime.map(|handle| handle.id());
        let lock = Arc::downgrade(OwnedMutexGuard::mutex(flight));
        let fetching = Fetching { lock, started: Instant::now(), runtime, on_a_thread, waiters };
        *self.fetching.lock().unwrap_or_else(PoisonError::into_inner) = Some(fetching);
    }

    /// Notes that the fetch holding `flight` ended, unless a fetch under another lock
    /// started since.
    pub(super) fn end_fetch(&self, flight: &OwnedMutexGuard<Option<TokenError>>) {
        let mut fetching = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        if fetching.as_ref().is_some_and(|fetch| fetch.lock.as_ptr() == Arc::as_ptr(OwnedMutexGuard::mutex(flight))) {
            *fetching = None;
        }
    }

    /// How a caller on the tokio runtime `caller` watches the fetch holding `lock`;
    /// `None` while no fetch holds it. The fetch counts as stalled at once when it is
    /// left idle ([`Fetching::left_idle_for`]); else [`STALL_GRACE`] past its own
    /// `timeout`, by when a fetch that runs has ended. One that has not is a task that
    /// is not running: the tokio runtime it was spawned on is not driven (a runtime of
    /// a thread's own, between its `block_on` calls), and would keep every caller of
    /// the slot waiting until it is. A fetch on another runtime of a thread's own is
    /// looked at every [`IDLE_CHECK`], as the call there may stop waiting for it.
    pub(super) fn watch(&self, lock: &Arc<FlightLock>, timeout: Duration, caller: Option<Id>) -> Option<Watch> {
        let fetching = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        let fetch = fetching.as_ref().filter(|fetch| fetch.lock.as_ptr() == Arc::as_ptr(lock))?;
        let now = Instant::now();
        if fetch.left_idle_for(caller) {
            return Some(Watch { stalled_at: Some(now), look_again: Some(now), _waiting: None });
        }
        let stalled_at = (timeout <= LONGEST_WAIT).then(|| fetch.started + timeout + STALL_GRACE);
        let elsewhere = fetch.elsewhere_on_a_thread_runtime(caller);
        let idle_check = elsewhere.then(|| now + IDLE_CHECK);
        let waiting = fetch.runs_on(caller).then(|| Waiting::new(&fetch.waiters));
        Some(Watch { stalled_at, look_again: stalled_at.into_iter().chain(idle_check).min(), _waiting: waiting })
    }

    /// Puts a new lock in place of `stalled`, the lock of a stalled fetch, unless a
    /// caller did so already; the stalled fetch, if it ever ends, still stores its token.
    pub(super) fn abandon(&self, stalled: &Arc<FlightLock>, api: Option<&str>) {
        let previous = self.flight.compare_and_swap(stalled, Arc::default());
        if Arc::ptr_eq(&*previous, stalled) {
            tracing::warn!(
                target: "conv_api",
                api,
                "an oauth2 token request is not running, as the tokio runtime it was started on is not driven (the request ran past its timeout, or no call there waits for it any more); another one starts"
            );
        }
    }

    /// Whether a fetch failed less than [`REFRESH_PAUSE`] before `now`, or the token
    /// endpoint asked not to be asked again until after `now`.
    pub(super) fn failed_lately(&self, now: Instant) -> bool {
        within_pause(*self.failed_at.lock().unwrap_or_else(PoisonError::into_inner), now)
            || self.asked_to_wait(now).is_some()
    }

    /// The last fetch's error, with the time left of the wait it asked for, while
    /// `now` is within it.
    pub(super) fn asked_to_wait(&self, now: Instant) -> Option<TokenError> {
        let asked = self.asked_to_wait.lock().unwrap_or_else(PoisonError::into_inner);
        let (until, error) = asked.as_ref().filter(|(until, _)| now < *until)?;
        match error.retry_after() {
            // the whole wait, as the answer said it: what is left of it is no less
            Some(wait) if wait > LONGEST_WAIT => Some(error.clone()),
            _ => Some(error.waiting(*until - now)),
        }
    }

    /// Notes a refresh that could not be made at `now`, unless one failed lately:
    /// whether it was noted (in one step, so that concurrent callers note it once).
    pub(super) fn note_failure(&self, now: Instant) -> bool {
        let mut failed_at = self.failed_at.lock().unwrap_or_else(PoisonError::into_inner);
        if within_pause(*failed_at, now) {
            return false;
        }
        *failed_at = Some(now);
        true
    }

    pub(super) fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Acquire)
    }

    /// Whether a sweep keeps the slot: it holds a token usable at `now`, a call or a
    /// fetch holds it (as may an older map of the cache: more than the one swept keeps
    /// it), or its last fetch failed lately (the token endpoint's `Retry-After` is
    /// kept until it is over). A slot that does none of these loses nothing when
    /// dropped: the next call of its client fetches a token, as it would anyway. One dropped is marked
    /// [`retired`](Slot::retired) first, and kept after all if a call took it
    /// meanwhile: the call's [`TokenCache::slot`](super::TokenCache::slot) and this each write, fence, then
    /// read what the other wrote, so at least one sees the other's write. Either the
    /// sweep sees the call's reference and keeps the slot, or the call sees the mark
    /// and waits for the map without it; no two calls of one client use two slots.
    pub(super) fn stays(self: &Arc<Self>, now: Instant, known_for: Duration, gone: &mut Vec<Arc<Token>>) -> bool {
        // a token it no longer serves, which another slot may serve too, stays known
        // while a call may carry it: the slot keeps it until then; those past it go to
        // `gone`, for the redactor to forget
        gone.extend(self.supersede(None, now, known_for));
        let keeps_known = !self.superseded_is_empty();
        if Arc::strong_count(self) > 1
            || keeps_known
            || self.current.load().as_ref().is_some_and(|token| token.is_usable(now))
            || self.failed_lately(now)
        {
            return true;
        }
        self.retired.store(true, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if Arc::strong_count(self) > 1 {
            self.retired.store(false, Ordering::SeqCst);
            return true;
        }
        false
    }

    /// Drops the token if it is still `identity` (compare-and-swap); whether it did
    /// (not when another 401 dropped it, or a fetch replaced it, first).
    pub(super) fn invalidate(&self, identity: TokenIdentity) -> bool {
        let current = self.current.load();
        if !current.as_ref().is_some_and(|token| token.identity == identity) {
            return false;
        }
        let previous = self.current.compare_and_swap(&*current, None);
        let dropped = match (previous.as_ref(), current.as_ref()) {
            (Some(previous), Some(current)) => Arc::ptr_eq(previous, current),
            _ => false,
        };
        if dropped {
            // known until it has long expired, as a replaced one is; nothing is forgotten
            // here (no redactor), so none expired is taken out
            self.supersede(previous.as_ref().map(Arc::clone), Instant::now(), Duration::MAX);
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::super::KNOWN_AFTER_EXPIRY;
    use super::*;

    #[test]
    fn a_slot_keeps_the_tokens_it_no_longer_serves_in_their_window_as_many_as_the_redactor_keeps() {
        let now = Instant::now();
        let slot = Arc::new(Slot::default());
        // expired, but replaced just now: a call may carry it, so the sweep keeps the slot
        let spent = Arc::new(Token::new(SecretString::from("spent"), now, Duration::ZERO));
        slot.finish(&mut None, &Ok(Arc::clone(&spent)), KNOWN_AFTER_EXPIRY);
        slot.finish(
            &mut None,
            &Ok(Arc::new(Token::new(SecretString::from("next"), now, Duration::ZERO))),
            KNOWN_AFTER_EXPIRY,
        );
        assert!(slot.stays(now, KNOWN_AFTER_EXPIRY, &mut Vec::new()), "it keeps `spent` known");
        let mut gone = Vec::new();
        assert!(!slot.stays(now + KNOWN_AFTER_EXPIRY, KNOWN_AFTER_EXPIRY, &mut gone), "past the window");
        // for the next fetch to have the redactor forget
        assert!(gone.len() == 1 && Arc::ptr_eq(&gone[0], &spent));
        // 401s in a row: the newest tokens are kept known, as many as the redactor keeps
        let slot = Slot::default();
        for n in 0..MAX_SUPERSEDED + 5 {
            let token = Arc::new(Token::new(SecretString::from(format!("t-{n}")), now, Duration::from_secs(86_400)));
            slot.finish(&mut None, &Ok(Arc::clone(&token)), KNOWN_AFTER_EXPIRY);
            assert!(slot.invalidate(token.identity));
        }
        let kept = slot.superseded.lock().unwrap().len();
        assert_eq!(kept, MAX_SUPERSEDED);
        assert!(slot.knows(&format!("t-{}", MAX_SUPERSEDED + 4)) && !slot.knows("t-0"));
    }

    #[test]
    fn a_sweep_keeps_a_slot_while_its_token_endpoint_asks_to_wait() {
        let now = Instant::now();
        let slot = Arc::new(Slot::default());
        let busy = TokenError::Interrupted { url: "https://auth.example/token".to_string() };
        let asked = TokenError::AskedToWait { answer: Box::new(busy), wait: Duration::from_secs(3600) };
        slot.finish(&mut None, &Err(asked), KNOWN_AFTER_EXPIRY);
        let later = now + Duration::from_secs(60);
        assert!(slot.stays(later, KNOWN_AFTER_EXPIRY, &mut Vec::new()), "dropped, the next call would ask at once");
        let until = slot.asked_to_wait.lock().unwrap().as_ref().unwrap().0;
        assert!(slot.asked_to_wait(until).is_none(), "asked again once the wait is over");
        let past = now + Duration::from_secs(3601);
        assert!(!slot.stays(past, KNOWN_AFTER_EXPIRY, &mut Vec::new()), "past the wait it serves no one");
    }

    #[test]
    fn a_refresh_is_tried_again_from_five_seconds_after_a_failure_on() {
        let (slot, failed) = (Slot::default(), Instant::now());
        assert!(slot.note_failure(failed));
        let almost = failed + Duration::from_millis(4_999);
        assert!(slot.failed_lately(almost) && !slot.note_failure(almost), "noted once, within the pause");
        let after = failed + REFRESH_PAUSE;
        assert!(!slot.failed_lately(after), "tried again 5 s later");
        assert!(slot.note_failure(after));
    }

    /// A call waiting on another runtime does not drive the fetch's runtime: once no
    /// call there waits, the fetch is given up at once, however many wait elsewhere.
    #[test]
    fn a_fetch_no_call_of_its_runtime_waits_for_is_given_up_while_callers_elsewhere_wait() {
        let on_a_thread = || tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (slot, lock, waiters) = (Slot::default(), Arc::new(FlightLock::default()), Arc::new(AtomicUsize::new(0)));
        let fetch_runtime = on_a_thread();
        let starter = Waiting::new(&waiters);
        let fetch = {
            let _on_it = fetch_runtime.enter();
            let flight = Arc::clone(&lock).try_lock_owned().unwrap();
            slot.start_fetch(&flight, Arc::clone(&waiters));
            flight
        };
        let (first, second, timeout) = (on_a_thread(), on_a_thread(), Duration::from_secs(8));
        let before = Instant::now();
        let first_waits = slot.watch(&lock, timeout, Some(first.handle().id())).unwrap();
        assert!(
            first_waits.look_again.unwrap() > before,
            "looked at again a little later, not at once again and again"
        );
        assert!(first_waits.stalled_at.unwrap() > Instant::now(), "the call that started it waits for it there");
        drop(starter);
        let second_waits = slot.watch(&lock, timeout, Some(second.handle().id())).unwrap();
        assert!(second_waits.stalled_at.unwrap() <= Instant::now(), "given up at once");
        drop(first_waits);
        // once it ended, no caller finds it to watch: the lock, free, is theirs at once
        slot.end_fetch(&fetch);
        assert!(slot.watch(&lock, timeout, Some(second.handle().id())).is_none());
    }

    /// A call made while the token endpoint's `Retry-After` holds is told what is left
    /// of the wait; one past the timer's reach, the whole wait as the answer said it.
    #[test]
    fn a_call_during_the_endpoints_wait_is_told_what_is_left_of_it() {
        let told = |wait: Duration, after: Duration| {
            let slot = Slot::default();
            let busy = Box::new(TokenError::Interrupted { url: "https://auth.example/token".to_string() });
            slot.finish(&mut None, &Err(TokenError::AskedToWait { answer: busy, wait }), KNOWN_AFTER_EXPIRY);
            let until = slot.asked_to_wait.lock().unwrap().as_ref().unwrap().0;
            // `after` past the answer: `until` less what is left of the wait the slot holds
            let error = slot.asked_to_wait(until - (wait.min(LONGEST_WAIT) - after)).unwrap();
            error.retry_after().unwrap()
        };
        let minute = Duration::from_secs(60);
        assert_eq!(told(Duration::from_secs(3600), minute), Duration::from_secs(3540));
        assert_eq!(told(LONGEST_WAIT, minute), LONGEST_WAIT - minute);
        let beyond = LONGEST_WAIT + Duration::from_secs(86_400);
        assert_eq!(told(beyond, minute), beyond, "the whole wait, not the century the slot holds");
    }
}
