//! The token cache: one slot per (environment, token URL, client id, scope), single flight.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use conv_api_definitions::{Environment, OAuth2Auth};
use reqwest::Client;
use secrecy::ExposeSecret;
use tokio::time::Instant;

use super::token::{self, Token, TokenError, TokenRequest};
use super::TokenSettings;
use crate::auth::{AuthError, TokenIdentity};
use crate::redact::Redactor;
use crate::secrets::{resolve_required, resolve_setting, SecretStore};

/// What tokens are cached by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    environment: Environment,
    token_url: String,
    client_id: String,
    scope: Option<String>,
}

impl TokenKey {
    /// The key of `auth`'s settings in `environment`, read from `store`; the token URL
    /// as written (trimmed), so that finding a cached token parses nothing.
    pub fn resolve(environment: Environment, auth: &OAuth2Auth, store: &dyn SecretStore) -> Result<Self, AuthError> {
        let token_url = resolve_required(&auth.token_url, "token_url", store)?;
        let client_id = resolve_required(&auth.client_id, "client_id", store)?;
        let scope = match &auth.scope {
            Some(setting) => resolve_setting(setting, "scope", store)?,
            None => None,
        };
        Ok(TokenKey {
            environment,
            token_url: token_url.expose_secret().trim().to_string(),
            client_id: client_id.expose_secret().to_string(),
            scope: scope.map(|scope| scope.expose_secret().to_string()).filter(|scope| !scope.is_empty()),
        })
    }
}

/// One key's token and the lock that lets a single caller fetch it.
#[derive(Default)]
struct Slot {
    current: Mutex<Option<Arc<Token>>>,
    flight: tokio::sync::Mutex<()>,
    /// Tokens stored so far: tells a caller that waited for the flight whether a
    /// fetch finished meanwhile.
    fetches: AtomicU64,
}

impl Slot {
    fn current(&self) -> Option<Arc<Token>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn fresh(&self, now: Instant) -> Option<Arc<Token>> {
        self.current().filter(|token| token.is_fresh(now))
    }

    fn store(&self, token: Arc<Token>) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(token);
        self.fetches.fetch_add(1, Ordering::AcqRel);
    }

    fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Acquire)
    }

    /// Drops the token if it is still `identity`; whether it did.
    fn invalidate(&self, identity: TokenIdentity) -> bool {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let matches = current.as_ref().is_some_and(|token| token.identity == identity);
        if matches {
            *current = None;
        }
        matches
    }
}

/// OAuth 2.0 tokens shared by every conversation of a runtime.
///
/// - cached per (environment, token URL, client id, scope);
/// - refreshed ahead of expiry ([`REFRESH_SKEW`](super::REFRESH_SKEW), at most half the
///   lifetime): the first caller past that point fetches while others keep using the
///   still-valid token; a token past its expiry is never served, but to the callers
///   whose fetch brought it (a token with `expires_in: 0` serves those calls only);
/// - single flight: callers without a usable token wait for one fetch, and take its token;
/// - a failed fetch is not cached: the next caller tries again;
/// - [`TokenCache::invalidate`] drops a token only if it is still the one named.
pub struct TokenCache {
    slots: Mutex<HashMap<TokenKey, Arc<Slot>>>,
    client: Client,
    settings: TokenSettings,
}

impl TokenCache {
    /// A cache whose token requests follow `settings`.
    pub fn new(settings: TokenSettings) -> Result<Self, AuthError> {
        let client = token::client().map_err(|e| AuthError::Client(e.without_url().to_string()))?;
        Ok(TokenCache { slots: Mutex::default(), client, settings })
    }

    /// The settings token requests follow.
    pub fn settings(&self) -> &TokenSettings {
        &self.settings
    }

    /// The cached token of `key` if it needs no refresh yet.
    pub(crate) fn fresh(&self, key: &TokenKey) -> Option<Arc<Token>> {
        let slot = self.slots.lock().unwrap_or_else(PoisonError::into_inner).get(key).cloned()?;
        slot.fresh(Instant::now())
    }

    /// A token for `request`: cached, or fetched by one caller at a time.
    pub(crate) async fn token(
        &self,
        key: TokenKey,
        request: &TokenRequest,
        known: &Redactor,
    ) -> Result<Arc<Token>, TokenError> {
        let slot = self.slot(key);
        if let Some(token) = slot.fresh(Instant::now()) {
            return Ok(token);
        }
        if let Some(token) = slot.current().filter(|token| token.is_usable(Instant::now())) {
            return self.refresh_ahead(&slot, token, request, known).await;
        }
        let fetches_before = slot.fetches();
        let _flight = slot.flight.lock().await;
        if let Some(token) = slot.fresh(Instant::now()) {
            return Ok(token);
        }
        // the token a fetch stored while this caller waited answers it too, even one
        // that expires on arrival (`expires_in: 0`): concurrent callers, one request
        if slot.fetches() != fetches_before {
            if let Some(token) = slot.current() {
                return Ok(token);
            }
        }
        self.fetch_into(&slot, request, known).await
    }

    /// The token is due for refresh but still valid: one caller refreshes, the others
    /// (and that caller, should the refresh fail) use the valid token.
    async fn refresh_ahead(
        &self,
        slot: &Slot,
        token: Arc<Token>,
        request: &TokenRequest,
        known: &Redactor,
    ) -> Result<Arc<Token>, TokenError> {
        let Ok(_flight) = slot.flight.try_lock() else {
            return Ok(token);
        };
        if let Some(fresh) = slot.fresh(Instant::now()) {
            return Ok(fresh);
        }
        match self.fetch_into(slot, request, known).await {
            Ok(fresh) => Ok(fresh),
            Err(error) if token.is_usable(Instant::now()) => {
                tracing::warn!(%error, "oauth2 token refresh failed; using the current token until it expires");
                Ok(token)
            }
            Err(error) => Err(error),
        }
    }

    async fn fetch_into(
        &self,
        slot: &Slot,
        request: &TokenRequest,
        known: &Redactor,
    ) -> Result<Arc<Token>, TokenError> {
        let client = request.client.as_ref().unwrap_or(&self.client);
        let token = Arc::new(token::fetch(client, request, &self.settings, known).await?);
        slot.store(Arc::clone(&token));
        Ok(token)
    }

    /// Drops the token `identity` if it is still cached (compare-and-swap): after many
    /// concurrent 401s with the same token, only the first drops it and one refresh follows.
    /// Returns whether a token was dropped.
    pub fn invalidate(&self, identity: TokenIdentity) -> bool {
        let slots: Vec<Arc<Slot>> =
            self.slots.lock().unwrap_or_else(PoisonError::into_inner).values().cloned().collect();
        slots.iter().any(|slot| slot.invalidate(identity))
    }

    fn slot(&self, key: TokenKey) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slots.entry(key).or_default())
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner).len();
        f.debug_struct("TokenCache").field("slots", &slots).field("settings", &self.settings).finish()
    }
}
