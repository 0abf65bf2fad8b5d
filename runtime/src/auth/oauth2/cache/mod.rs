//! The token cache: one slot per (environment, token URL, client id and secret, scope), single flight.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{fence, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use arc_swap::ArcSwap;
use conv_api_definitions::{Configured, Environment, OAuth2Auth, Text};
use foldhash::HashMap;
use secrecy::ExposeSecret;
use tokio::runtime::Handle;
use tokio::sync::OwnedMutexGuard;
use tokio::time::Instant;

use super::token::{self, Token, TokenClientSetup, TokenError, TokenRequest};
use super::TokenSettings;
use crate::auth::error::display_url;
use crate::auth::{AuthError, TokenIdentity};
use crate::deadline::{deadline_after, until};
use crate::error::ErrorKind;
use crate::http::clients::Clients;
use crate::http::proxy::ProxyRoutes;
use crate::redact::Redactor;
use crate::secrets::{resolve_required, resolve_setting, SecretStore};

mod slot;

use slot::{Slot, Waiting};

/// What tokens are cached by, which the token request is built from too: read
/// from the store once, so that a setting rotated meanwhile cannot cache a token
/// under settings it was not fetched with.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    environment: Environment,
    /// As written, trimmed: finding a cached token parses nothing.
    pub(super) token_url: String,
    pub(super) client_id: String,
    /// The name of the secret the client secret is read from. The store is the
    /// runtime's, so a name is one secret at a time: a file that names another one
    /// (a wrong one, or another tenant's client's) never gets this client's token,
    /// while a rotated value keeps the token it had. No secret is read for it.
    pub(super) client_secret: Text,
    /// Never empty.
    pub(super) scope: Option<String>,
    /// The `token_params`, read: a token asked for with others is another token.
    pub(super) params: Vec<(String, String)>,
}

impl TokenKey {
    /// The key of `auth`'s settings in `environment`, read from `store`; the token URL
    /// as written (trimmed), so that finding a cached token parses nothing.
    pub fn resolve(environment: Environment, auth: &OAuth2Auth, store: &dyn SecretStore) -> Result<Self, AuthError> {
        let token_url = resolve_required(&auth.token_url, "token_url", store)?;
        let client_id = resolve_required(&auth.client_id, "client_id", store)?;
        let client_secret = match &auth.client_secret {
            Configured::Secret(secret) => secret.name.clone(),
            // a literal (refused by validation, but a model can be built in code) keys itself
            Configured::Literal(text) => text.clone(),
        };
        let scope = match &auth.scope {
            Some(setting) => resolve_setting(setting, "scope", store)?,
            None => None,
        };
        let params = auth.token_params.iter().map(|(name, value)| {
            let value = super::token_param(name, value, store)?;
            Ok::<_, AuthError>((name.to_string(), value.expose_secret().to_string()))
        });
        Ok(TokenKey {
            environment,
            token_url: token_url.expose_secret().trim().to_string(),
            client_id: client_id.expose_secret().to_string(),
            client_secret,
            scope: scope.map(|scope| scope.expose_secret().to_string()).filter(|scope| !scope.is_empty()),
            params: params.collect::<Result<_, _>>()?,
        })
    }
}

/// How long, at least, a token that a newer one replaced stays known to the redactor
/// after it expired; longer when an attempt that carried a token may take longer (see
/// [`TokenCache::note_attempt`]): a call that carried it may still be answered, and
/// its answer echo it, until its attempt's timeout. Past it the token is forgotten,
/// so that a runtime refreshing tokens for days keeps a few of each slot's, not a
/// thousand.
const KNOWN_AFTER_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// The longest a token no longer served stays known after it expired, however long
/// an attempt may take (an attempt without a timeout): past it, a slot that keeps
/// such tokens may be swept, and the tokens forgotten.
const MOST_KNOWN_AFTER_EXPIRY: Duration = Duration::from_secs(24 * 60 * 60);

/// From this many slots on, adding one first drops those that serve no one (see
/// [`Slot::stays`]): a runtime whose OAuth 2.0 clients come and go (the tenants of
/// a platform) drops the slots of clients gone when new ones come. Below it, every
/// slot is kept. After a sweep that kept `k` slots, the next comes at `2k` slots
/// (and never below this), so that while every token is valid (hour-long tokens of
/// thousands of clients) each new client does not sweep them all again.
const SWEEP_FROM: usize = 1024;

/// The slots of a cache, by their keys (shared: copying the map copies no key).
type Slots = HashMap<Arc<TokenKey>, Arc<Slot>>;

/// OAuth 2.0 tokens shared by every conversation of a runtime.
///
/// - cached per (environment, token URL, client id, the secret the client secret is
///   read from, scope, `token_params`);
/// - refreshed ahead of expiry ([`REFRESH_SKEW`](super::REFRESH_SKEW), at most half the
///   lifetime): the first caller past that point refreshes it, waiting for the new
///   token at most half its attempt's time and half the old one's remaining life
///   (then the refresh goes on in the background, and the old one serves it), while
///   others keep using the still-valid token; a refresh that failed is tried again
///   5 s later; a token past its expiry is never served, but to the callers whose
///   fetch brought it (a token with `expires_in: 0` serves those calls only);
/// - single flight: callers without a usable token wait for one fetch, and take its
///   token; a fetch is a task of its own, spawned on the tokio runtime of the call
///   that starts it, which goes on when its callers stop waiting (a call waits until
///   its attempt's timeout), so that its token serves the calls that follow; one
///   still under way a second past its own timeout has stalled (that runtime is not
///   driven) and is given up: the next caller starts another;
/// - a failed fetch is not cached: the callers that waited for it get its error,
///   the next caller without a usable token tries again;
/// - [`TokenCache::invalidate`] drops a token only if it is still the one named, so
///   that many 401s of one token cause one refresh (a call's second 401 is its
///   caller's, not replayed: an API that refuses every token costs one token request
///   a call).
pub struct TokenCache {
    /// Read by every call, replaced when a key is first used.
    slots: Arc<ArcSwap<Slots>>,
    /// Held while a slot is added: from how many slots on the next addition sweeps.
    adding: Mutex<usize>,
    /// The token endpoints' client of each tokio runtime, for settings without `tls:`.
    clients: Clients,
    /// The hosts the clients' proxies serve, for the error of a request that timed out.
    routes: Arc<ProxyRoutes>,
    /// The clients' connect timeout, for the error of a connection never made.
    connect_timeout: Duration,
    settings: TokenSettings,
    /// The longest timeout of an attempt that carried a token, in milliseconds.
    longest_attempt: AtomicU64,
    /// Tokens a sweep found past their window, for the next fetch to have the
    /// redactor forget (a sweep has no redactor).
    unforgotten: Arc<Mutex<Vec<Arc<Token>>>>,
}

impl TokenCache {
    /// A cache whose token requests follow `settings`.
    ///
    /// # Errors
    ///
    /// [`AuthError::Client`] when the HTTP client for token requests cannot be built.
    pub fn new(settings: TokenSettings) -> Result<Self, AuthError> {
        TokenCache::with_setup(settings, TokenClientSetup::from_environment())
    }

    /// A cache whose token requests follow `settings`, from clients of `setup`.
    pub(crate) fn with_setup(settings: TokenSettings, setup: TokenClientSetup) -> Result<Self, AuthError> {
        let (routes, connect_timeout) = (Arc::clone(&setup.routes), setup.connect_timeout);
        let build = move || {
            setup.builder().build().map_err(|e| crate::Error::new(ErrorKind::Auth, e.without_url().to_string()))
        };
        let clients = Clients::new(build).map_err(|error| AuthError::Client(error.to_string()))?;
        let (longest_attempt, unforgotten) = (AtomicU64::new(0), Arc::default());
        let (slots, adding) = (Arc::default(), Mutex::new(SWEEP_FROM));
        Ok(TokenCache { slots, adding, clients, routes, connect_timeout, settings, longest_attempt, unforgotten })
    }

    /// The settings token requests follow.
    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// `use_token` of the cached token of `key`, if that token needs no refresh yet.
    pub(crate) fn with_fresh<T>(&self, key: &TokenKey, use_token: impl FnOnce(&Token) -> T) -> Option<T> {
        let slots = self.slots.load();
        let current = slots.get(key)?.current.load();
        let token = current.as_deref().filter(|token| token.is_fresh(Instant::now()))?;
        Some(use_token(token))
    }

    /// The cached token of `key` while it may still be sent, for a call whose token
    /// request cannot be made now (`refusal`: a setting of it is missing or refused):
    /// as after a failed refresh, no refresh is tried for the next 5 s, and a warning
    /// says why.
    pub(crate) fn usable_despite(
        &self,
        key: &TokenKey,
        refusal: &AuthError,
        known: &Redactor,
        api: Option<&str>,
    ) -> Option<Arc<Token>> {
        let slots = self.slots.load();
        let slot = slots.get(key)?;
        let now = Instant::now();
        let token = slot.current().filter(|token| token.is_usable(now))?;
        if slot.note_failure(now) {
            let error = known.text(&refusal.to_string());
            tracing::warn!(
                target: "conv_api",
                api,
                %error,
                "oauth2 token refresh cannot be requested; using the current token until it expires"
            );
        }
        Some(token)
    }

    /// A token for `request`: cached, or fetched by one request at a time, in a task
    /// of its own. A caller without a usable token waits for the request until
    /// `deadline` (its attempt's end), if any, then gives up with
    /// [`TokenError::NotYet`]; the request goes on, and its token serves the calls
    /// that follow.
    pub(crate) async fn token(
        &self,
        key: TokenKey,
        request: &TokenRequest,
        known: &Redactor,
        deadline: Option<Instant>,
    ) -> Result<Arc<Token>, TokenError> {
        let slot = self.slot(key);
        let asked = Instant::now();
        if let Some(token) = slot.fresh(asked) {
            return Ok(token);
        }
        if let Some(token) = slot.current().filter(|token| token.is_usable(Instant::now())) {
            // the first caller past the refresh point refreshes it, unless a refresh is
            // under way or failed a moment ago
            if let Ok(flight) = slot.flight.load_full().try_lock_owned() {
                if !slot.failed_lately(Instant::now()) {
                    if let Some(answer) = self.refresh_ahead(&slot, flight, &token, request, known, deadline).await {
                        return answer;
                    }
                }
            }
            // unless a 401 dropped it since, or it expired while the refresh was awaited
            if slot.holds(&token) && token.is_usable(Instant::now()) {
                return Ok(token);
            }
            // then wait for the fetch, as callers without a token do
        }
        let fetches_before = slot.fetches();
        // the wait counts from the call's asking, a refresh it awaited first included
        let not_yet = || TokenError::NotYet { url: display_url(&request.token_url), after: asked.elapsed() };
        let caller = Handle::try_current().ok().map(|handle| handle.id());
        let flight = loop {
            let lock = slot.flight.load_full();
            let watch = slot.watch(&lock, self.settings.timeout, caller);
            let stalled_at = watch.as_ref().and_then(|watch| watch.stalled_at);
            // a fetch may start under the lock after this look: looked at again then
            let look_again =
                watch.as_ref().and_then(|watch| watch.look_again).or_else(|| deadline_after(self.settings.timeout));
            let wait_until = match (deadline, look_again) {
                (Some(deadline), Some(look_again)) => Some(deadline.min(look_again)),
                (deadline, look_again) => deadline.or(look_again),
            };
            match until(wait_until, Arc::clone(&lock).lock_owned()).await {
                Some(flight) => break flight,
                None if deadline.is_some_and(|deadline| Instant::now() >= deadline) => return Err(not_yet()),
                None if stalled_at.is_some_and(|stalled_at| Instant::now() >= stalled_at) => {
                    slot.abandon(&lock, request.api.as_deref())
                }
                None => {}
            }
        };
        if let Some(token) = slot.fresh(Instant::now()) {
            return Ok(token);
        }
        // the outcome of a fetch that finished while this caller waited answers it
        // too: its token, even one that expires on arrival (`expires_in: 0`), or its
        // error; concurrent callers, one request. A later caller tries again.
        if slot.fetches() != fetches_before {
            if let Some(error) = flight.as_ref() {
                return Err(error.clone());
            }
            if let Some(token) = slot.current() {
                return Ok(token);
            }
        }
        // the token endpoint asked not to be asked yet: the call waits, or fails, as it says
        if let Some(error) = slot.asked_to_wait(Instant::now()) {
            return Err(error);
        }
        until(deadline, self.fetch(&slot, flight, request, known)).await.unwrap_or_else(|| Err(not_yet()))
    }

    /// Refreshes `token`, valid but due for refresh, as the caller holding `flight`,
    /// which waits for the new token at most half the time to its `deadline` (the
    /// rest is for its request) and half the time to the token's expiry (the rest is
    /// for the call to use the token in). `None` when the refresh failed (a warning
    /// says so) or goes on in the background: the valid token serves.
    async fn refresh_ahead(
        &self,
        slot: &Arc<Slot>,
        flight: OwnedMutexGuard<Option<TokenError>>,
        token: &Arc<Token>,
        request: &TokenRequest,
        known: &Redactor,
        deadline: Option<Instant>,
    ) -> Option<Result<Arc<Token>, TokenError>> {
        if let Some(fresh) = slot.fresh(Instant::now()) {
            return Some(Ok(fresh));
        }
        let now = Instant::now();
        // half of what is left of the token's life stays for the call to use it in
        let half_the_life = now + token.expires_at.saturating_duration_since(now) / 2;
        let half_the_time = deadline.map(|deadline| now + deadline.saturating_duration_since(now) / 2);
        let patience = Some(half_the_time.map_or(half_the_life, |half| half.min(half_the_life)));
        match until(patience, self.fetch(slot, flight, request, known)).await? {
            Ok(fresh) => Some(Ok(fresh)),
            // a 401 dropped the token meanwhile: the server refused it, the refresh's error is the answer
            Err(error) if !(token.is_usable(Instant::now()) && slot.holds(token)) => Some(Err(error)),
            Err(error) => {
                let error = known.text(&error.to_string());
                tracing::warn!(
                    target: "conv_api",
                    api = request.api.as_deref(),
                    %error,
                    "oauth2 token refresh failed; using the current token until it expires"
                );
                None
            }
        }
    }

    /// Fetches a token into `slot`, whose `flight` is handed over to the fetch: a task
    /// of its own, so that callers that stop waiting for it do not stop it. A failure
    /// that no caller is waiting for any more is said in a warning.
    fn fetch(
        &self,
        slot: &Arc<Slot>,
        mut flight: OwnedMutexGuard<Option<TokenError>>,
        request: &TokenRequest,
        known: &Redactor,
    ) -> impl Future<Output = Result<Arc<Token>, TokenError>> + Send + 'static {
        let url = display_url(&request.token_url);
        // the client of this tokio runtime, which the fetch's task runs on
        let client = match &request.client {
            Some(client) => Ok(client.clone()),
            None => self
                .clients
                .current()
                .map(Cow::into_owned)
                .map_err(|error| TokenError::Client { url: url.clone(), reason: error.to_string() }),
        };
        let client = client.and_then(|client| match self.routes.unusable_proxy(&request.token_url) {
            Some(problem) => Err(TokenError::Proxy { url: url.clone(), problem }),
            None => Ok(client),
        });
        let route =
            token::Route { proxy: self.routes.proxy_for(&request.token_url), connect_timeout: self.connect_timeout };
        let (slot, request, settings, known) =
            (Arc::clone(slot), request.clone(), self.settings.clone(), known.clone());
        let (slots, known_for) = (Arc::clone(&self.slots), self.known_after_expiry());
        let unforgotten = Arc::clone(&self.unforgotten);
        // the calls on this runtime that wait for the fetch, the caller's future first:
        // none left, nobody there waits for the outcome
        let waiters = Arc::new(AtomicUsize::new(0));
        let waiting = Waiting::new(&waiters);
        slot.start_fetch(&flight, Arc::clone(&waiters));
        let fetching = tokio::spawn(async move {
            let outcome = match client {
                Ok(client) => token::fetch(&client, &request, &settings, &known, route).await.map(Arc::new),
                Err(error) => Err(error),
            };
            let mut gone = slot.finish(&mut flight, &outcome, known_for);
            slot.end_fetch(&flight);
            gone.append(&mut unforgotten.lock().unwrap_or_else(PoisonError::into_inner));
            forget_unknown(&slots, gone, &known);
            if let (Err(error), 0) = (&outcome, waiters.load(Ordering::Acquire)) {
                let error = known.text(&error.to_string());
                tracing::warn!(
                    target: "conv_api",
                    api = request.api.as_deref(),
                    %error,
                    "oauth2 token request failed after the calls waiting for it on its tokio runtime stopped waiting"
                );
            }
            outcome
        });
        async move {
            let _waiting = waiting;
            match fetching.await {
                Ok(outcome) => outcome,
                // a bug in the request's code reaches the caller, as it would without the task
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(_) => Err(TokenError::Interrupted { url }),
            }
        }
    }

    /// Drops the token `identity` if it is still cached (compare-and-swap): after many
    /// concurrent 401s with the same token, only the first drops it and one refresh
    /// follows. Returns whether a token was dropped.
    pub fn invalidate(&self, identity: TokenIdentity) -> bool {
        self.slots.load().values().any(|slot| slot.invalidate(identity))
    }

    /// Notes that an attempt with this `timeout` carries a token: a token no longer
    /// served stays known to the redactor until every attempt that may carry it is
    /// over, [`KNOWN_AFTER_EXPIRY`] at least after it expired. A read while no
    /// attempt takes longer than those before.
    pub(crate) fn note_attempt(&self, timeout: Duration) {
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        if millis > self.longest_attempt.load(Ordering::Relaxed) {
            self.longest_attempt.fetch_max(millis, Ordering::Relaxed);
        }
    }

    /// How long after it expired a token no longer served stays known: the longest
    /// attempt, from [`KNOWN_AFTER_EXPIRY`] to [`MOST_KNOWN_AFTER_EXPIRY`].
    fn known_after_expiry(&self) -> Duration {
        let longest = Duration::from_millis(self.longest_attempt.load(Ordering::Relaxed));
        longest.clamp(KNOWN_AFTER_EXPIRY, MOST_KNOWN_AFTER_EXPIRY)
    }

    /// The slot of `key`, added when it has none; from [`SWEEP_FROM`] slots on, the
    /// addition drops the slots that serve no one.
    fn slot(&self, key: TokenKey) -> Arc<Slot> {
        loop {
            let found = self.slots.load().get(&key).map(Arc::clone);
            let slot = found.unwrap_or_else(|| self.add_slot(&key));
            fence(Ordering::SeqCst);
            if !slot.retired.load(Ordering::SeqCst) {
                return slot;
            }
            // a sweep is deciding whether to drop it, for microseconds: then the map
            // holds it, kept, or no slot for the key
            drop(slot);
            thread::yield_now();
        }
    }

    /// Adds a slot for `key` (or finds the one another call just added), first
    /// dropping, from [`SWEEP_FROM`] slots on (or twice as many as the last sweep
    /// kept), those that serve no one. One call at a time, so that a sweep's
    /// decisions stand.
    fn add_slot(&self, key: &TokenKey) -> Arc<Slot> {
        let mut sweep_from = self.adding.lock().unwrap_or_else(PoisonError::into_inner);
        let slots = self.slots.load_full();
        if let Some(slot) = slots.get(key) {
            return Arc::clone(slot);
        }
        let mut slots = if slots.len() >= *sweep_from {
            let (now, known_for, mut gone) = (Instant::now(), self.known_after_expiry(), Vec::new());
            let staying = slots.iter().filter(|(_, slot)| slot.stays(now, known_for, &mut gone));
            let staying: Slots = staying.map(|(key, slot)| (Arc::clone(key), Arc::clone(slot))).collect();
            self.unforgotten.lock().unwrap_or_else(PoisonError::into_inner).append(&mut gone);
            *sweep_from = SWEEP_FROM.max(2 * (staying.len() + 1));
            staying
        } else {
            HashMap::clone(&slots)
        };
        let slot = Arc::new(Slot::default());
        slots.insert(Arc::new(key.clone()), Arc::clone(&slot));
        self.slots.store(Arc::new(slots));
        slot
    }
}

/// Has `known` forget the `gone` tokens that no slot of `slots` knows: another may
/// hold one too, as a token endpoint may answer two clients' settings with one token.
fn forget_unknown(slots: &ArcSwap<Slots>, gone: Vec<Arc<Token>>, known: &Redactor) {
    for token in gone {
        if !slots.load().values().any(|slot| slot.knows(token.access_token.expose_secret())) {
            known.forget_token(&token.access_token);
        }
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.slots.load().len();
        f.debug_struct("TokenCache").field("slots", &slots).field("settings", &self.settings).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use reqwest::Client;
    use secrecy::SecretString;

    use super::*;

    fn key(client_id: &str) -> TokenKey {
        TokenKey {
            environment: Environment::Live,
            token_url: "https://auth.example/token".to_string(),
            client_id: client_id.to_string(),
            client_secret: "CLIENT_SECRET".into(),
            scope: None,
            params: Vec::new(),
        }
    }

    fn keep_token(slot: &Slot, lifetime: Duration) {
        let token = Token::new(SecretString::from("token"), Instant::now(), lifetime);
        slot.finish(&mut None, &Ok(Arc::new(token)), KNOWN_AFTER_EXPIRY);
    }

    fn client_ids(cache: &TokenCache) -> BTreeSet<String> {
        cache.slots.load().keys().map(|key| key.client_id.clone()).collect()
    }

    #[test]
    fn a_replaced_token_is_forgotten_once_it_expired_long_enough_ago_unless_a_slot_knows_it() {
        let (now, known) = (Instant::now(), Redactor::new());
        let token = |value: &str, expired_for: Duration| {
            known.add_token(&SecretString::from(value));
            let lifetime = Duration::from_secs(60);
            let issued = now.checked_sub(lifetime + expired_for).unwrap_or(now);
            Arc::new(Token::new(SecretString::from(value), issued, lifetime))
        };
        let slot = Slot::default();
        let long_ago = KNOWN_AFTER_EXPIRY + Duration::from_secs(1);
        assert!(
            slot.finish(&mut None, &Ok(token("first", long_ago)), KNOWN_AFTER_EXPIRY).is_empty(),
            "it replaced none"
        );
        let gone = slot.finish(&mut None, &Ok(token("second", Duration::ZERO)), KNOWN_AFTER_EXPIRY);
        assert_eq!(gone.iter().map(|token| token.access_token.expose_secret()).collect::<Vec<_>>(), ["first"]);
        assert!(
            slot.finish(&mut None, &Ok(token("third", Duration::ZERO)), KNOWN_AFTER_EXPIRY).is_empty(),
            "expired only just"
        );
        assert!(slot.knows("second") && slot.knows("third") && !slot.knows("first"));

        // forgotten by the redactor, unless another slot holds the same token
        let slots: ArcSwap<Slots> = ArcSwap::default();
        let other = Arc::new(Slot::default());
        other.current.store(Some(token("shared", Duration::ZERO)));
        slots.store(Arc::new(HashMap::from_iter([(Arc::new(key("other")), other)])));
        let shared = token("shared", long_ago);
        forget_unknown(&slots, [gone, vec![shared]].concat(), &known);
        assert_eq!(known.text("first second third shared"), "first *** *** ***");
    }

    #[test]
    fn a_replaced_token_stays_known_while_the_longest_attempt_may_carry_it() {
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        cache.note_attempt(Duration::from_secs(10));
        assert_eq!(cache.known_after_expiry(), KNOWN_AFTER_EXPIRY);
        cache.note_attempt(Duration::from_secs(30 * 60));
        cache.note_attempt(Duration::from_secs(20));
        assert_eq!(cache.known_after_expiry(), Duration::from_secs(30 * 60));
        let now = Instant::now();
        let expired_20_minutes_ago = |value: &str| {
            let lifetime = Duration::from_secs(60);
            let issued = now.checked_sub(lifetime + Duration::from_secs(20 * 60)).unwrap_or(now);
            Arc::new(Token::new(SecretString::from(value), issued, lifetime))
        };
        let slot = Slot::default();
        slot.finish(&mut None, &Ok(expired_20_minutes_ago("old")), cache.known_after_expiry());
        let gone = slot.finish(&mut None, &Ok(expired_20_minutes_ago("new")), cache.known_after_expiry());
        assert!(gone.is_empty() && slot.knows("old"), "a 30-minute attempt may still carry it");
        // an attempt without a timeout: known for a day after it expired, no longer
        cache.note_attempt(Duration::MAX);
        assert_eq!(cache.known_after_expiry(), MOST_KNOWN_AFTER_EXPIRY);
        let gone = slot.supersede(None, now + MOST_KNOWN_AFTER_EXPIRY, cache.known_after_expiry());
        assert_eq!(gone.len(), 1, "known no longer than a day after it expired");
    }

    /// The windows themselves: a call that carried a replaced token may be answered,
    /// and its answer echo the token, for a quarter of an hour after the token expired
    /// (longer when an attempt may take longer), a day at most.
    #[test]
    fn a_replaced_token_stays_known_a_quarter_of_an_hour_after_it_expired_and_a_day_at_most() {
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        let replaced_in_a_slot = || {
            let token =
                |value: &str| Arc::new(Token::new(SecretString::from(value), Instant::now(), Duration::from_secs(60)));
            let (slot, replaced) = (Slot::default(), token("replaced"));
            slot.finish(&mut None, &Ok(Arc::clone(&replaced)), cache.known_after_expiry());
            slot.finish(&mut None, &Ok(token("newer")), cache.known_after_expiry());
            (slot, replaced.expires_at)
        };
        let minutes = |minutes: u64| Duration::from_secs(minutes * 60);
        let (slot, expired) = replaced_in_a_slot();
        assert!(slot.supersede(None, expired + minutes(14), cache.known_after_expiry()).is_empty());
        assert!(slot.knows("replaced"), "known 14 minutes after it expired");
        assert_eq!(slot.supersede(None, expired + minutes(16), cache.known_after_expiry()).len(), 1);
        assert!(!slot.knows("replaced"), "forgotten 16 minutes after it expired");

        // an attempt without a timeout may carry it for as long as it likes: a day
        cache.note_attempt(Duration::MAX);
        let (slot, expired) = replaced_in_a_slot();
        assert!(slot.supersede(None, expired + minutes(23 * 60), cache.known_after_expiry()).is_empty());
        assert!(slot.knows("replaced"), "known 23 hours after it expired");
        assert_eq!(slot.supersede(None, expired + minutes(25 * 60), cache.known_after_expiry()).len(), 1);
        assert!(!slot.knows("replaced"), "forgotten 25 hours after it expired");
    }

    #[test]
    fn a_cache_tells_the_settings_its_token_requests_follow() {
        let settings = TokenSettings {
            timeout: Duration::from_secs(3),
            default_lifetime: Duration::from_secs(600),
            max_body: 4096,
        };
        let context = crate::auth::AuthContext::new(Arc::new(crate::secrets::EnvSecretStore), settings).unwrap();
        let told = context.tokens.settings();
        assert_eq!(
            (told.timeout, told.default_lifetime, told.max_body),
            (Duration::from_secs(3), Duration::from_secs(600), 4096)
        );
    }

    #[test]
    fn a_cache_shows_how_many_keys_it_holds_and_its_settings_never_a_token() {
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        let token = Token::new(SecretString::from("s3cret-token-value"), Instant::now(), Duration::from_secs(3600));
        cache.slot(key("agent")).finish(&mut None, &Ok(Arc::new(token)), KNOWN_AFTER_EXPIRY);
        let shown = format!("{cache:?}");
        assert!(shown.starts_with("TokenCache { slots: 1, settings: TokenSettings { timeout: 8s"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn past_the_sweep_size_a_new_slot_drops_those_that_serve_no_one() {
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        let in_use = cache.slot(key("in-use"));
        keep_token(&cache.slot(key("valid")), Duration::from_secs(3600));
        for n in 0..SWEEP_FROM - 2 {
            keep_token(&cache.slot(key(&format!("expired-{n}"))), Duration::ZERO);
        }
        assert_eq!(cache.slots.load().len(), SWEEP_FROM, "up to the sweep size, every slot is kept");
        let _newest = cache.slot(key("newest"));
        assert_eq!(client_ids(&cache), BTreeSet::from(["in-use", "valid", "newest"].map(String::from)));
        assert!(Arc::ptr_eq(&cache.slot(key("in-use")), &in_use), "a slot a call holds stays the one its key finds");
        assert!(cache.with_fresh(&key("valid"), |token| token.identity).is_some(), "a valid token stays cached");
    }

    #[test]
    fn after_a_sweep_that_keeps_every_slot_the_next_waits_for_twice_as_many() {
        // hour-long tokens of many clients: a sweep per new client would go over them all
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        for n in 0..SWEEP_FROM {
            keep_token(&cache.slot(key(&format!("valid-{n}"))), Duration::from_secs(3600));
        }
        let _kept = cache.slot(key("after-the-first-sweep"));
        assert_eq!(cache.slots.load().len(), SWEEP_FROM + 1, "every token valid: none dropped");
        assert_eq!(*cache.adding.lock().unwrap(), 2 * (SWEEP_FROM + 1));
        for n in SWEEP_FROM + 1..2 * (SWEEP_FROM + 1) {
            keep_token(&cache.slot(key(&format!("expired-{n}"))), Duration::ZERO);
        }
        assert_eq!(cache.slots.load().len(), 2 * (SWEEP_FROM + 1), "no sweep before twice as many");
        let _newest = cache.slot(key("newest"));
        assert_eq!(cache.slots.load().len(), SWEEP_FROM + 2, "the expired ones go at the next sweep");
    }

    #[test]
    fn a_sweep_retires_a_slot_no_one_holds_and_keeps_one_a_call_took() {
        let cache = TokenCache::new(TokenSettings::default()).unwrap();
        let slot = cache.slot(key("idle"));
        keep_token(&slot, Duration::ZERO);
        let taken = Arc::clone(&slot);
        assert!(slot.stays(Instant::now(), KNOWN_AFTER_EXPIRY, &mut Vec::new()), "a call holds it");
        assert!(!slot.retired.load(Ordering::SeqCst));
        drop(taken);
        let slots = cache.slots.load_full();
        drop(slot);
        let slot = slots.get(&key("idle")).unwrap();
        assert!(!slot.stays(Instant::now(), KNOWN_AFTER_EXPIRY, &mut Vec::new()), "no usable token, no one holding it");
        assert!(slot.retired.load(Ordering::SeqCst), "marked, so that a call finding it now does not use it");
    }

    #[test]
    fn a_token_client_that_cannot_be_built_on_a_tokio_runtime_fails_that_fetch_and_is_not_cached() {
        let cannot_build = || Err(crate::Error::new(ErrorKind::Auth, "no TLS backend here"));
        let cache = TokenCache {
            slots: Arc::default(),
            adding: Mutex::new(SWEEP_FROM),
            clients: Clients::with_first(Client::new(), cannot_build),
            routes: Arc::default(),
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
            settings: TokenSettings::default(),
            longest_attempt: AtomicU64::new(0),
            unforgotten: Arc::default(),
        };
        let request = TokenRequest {
            token_url: url::Url::parse("http://127.0.0.1:9/token").unwrap(),
            client_id: "agent".to_string(),
            client_secret: SecretString::from("s3cret"),
            scope: None,
            params: Vec::new(),
            secret_params: Vec::new(),
            credentials: conv_api_definitions::CredentialsLocation::Header,
            client: None,
            api: None,
        };
        let fetch = || {
            let tokio_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            tokio_runtime.block_on(cache.token(key("agent"), &request, &Redactor::new(), None))
        };
        // the first tokio runtime takes the client built first; its request finds no server
        assert!(matches!(fetch(), Err(TokenError::Transport { .. })));
        for _ in 0..2 {
            let Err(error) = fetch() else { panic!("a token without a client") };
            assert!(matches!(error, TokenError::Client { .. }), "{error:?}");
            assert_eq!(
                error.to_string(),
                "cannot build the HTTP client for the oauth2 token request to `http://127.0.0.1:9/token` on this tokio runtime: no TLS backend here"
            );
            assert!(!error.is_transient());
        }
    }

    #[test]
    fn a_call_finding_a_retired_slot_waits_for_the_map_without_it() {
        let cache = Arc::new(TokenCache::new(TokenSettings::default()).unwrap());
        let retired = cache.slot(key("client"));
        // a sweep that marked it and has not yet stored its map
        retired.retired.store(true, Ordering::SeqCst);
        let sweeping = cache.adding.lock().unwrap();
        let caller = {
            let cache = Arc::clone(&cache);
            thread::spawn(move || cache.slot(key("client")))
        };
        thread::sleep(Duration::from_millis(20));
        assert!(!caller.is_finished(), "the call waits while the slot is marked and in the map");
        cache.slots.store(Arc::default());
        drop(sweeping);
        let taken = caller.join().unwrap();
        assert!(!Arc::ptr_eq(&taken, &retired), "it takes a new slot");
        assert!(Arc::ptr_eq(cache.slots.load().get(&key("client")).unwrap(), &taken), "the one in the cache");
    }
}
