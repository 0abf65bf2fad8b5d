//! The secret values a redactor knows, their encoded forms, and where those forms
//! appear in a text.
//!
//! Every call reads the set and almost none changes it, so readers take a snapshot
//! without a lock or a shared count (an `ArcSwap`), and a writer replaces the whole
//! set. Adding a value already known, or masking one found in a text, replaces nothing:
//! when so many values were added since that it could soon be forgotten, it makes the
//! value the most recent in place, in the stamp every copy of the set shares. A searcher
//! over many values is built by a thread of its own, so that searches do not wait for
//! it (see [`Known`]).

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread;

use aho_corasick::{packed, AhoCorasick};
use arc_swap::{ArcSwap, Guard};
use foldhash::HashMap;
use secrecy::{ExposeSecret, SecretString};

use super::forms::encoded_forms;

/// How many secret values of each [`Lifetime`] are kept: past it, the value of that
/// lifetime whose stamp is oldest (added, or refreshed, longest ago) is forgotten.
pub(super) const MAX_SECRETS: usize = 1024;

/// How long a secret value is expected to be in use, which decides what may push it
/// out: each lifetime keeps [`MAX_SECRETS`] values of its own, so that however many
/// values of one come and go, none of another is forgotten. A value added with a
/// longer lifetime than it is known with takes the longer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Lifetime {
    /// A value a caller set in a masked header (`Authorization: Bearer ..`), which
    /// callers may send as many of as they like: forgotten only for newer such values.
    HandSet,
    /// An OAuth 2.0 access token, which a new one replaces: forgotten only for newer
    /// tokens.
    Rotating,
    /// A credential, or a value the user added: forgotten only for newer lasting values.
    Lasting,
}

impl Lifetime {
    /// How many lifetimes there are.
    const COUNT: usize = 3;

    /// Its place in a count per lifetime.
    fn index(self) -> usize {
        self as usize
    }
}

/// Adding a known value, or masking it in a text, refreshes its stamp (makes it the
/// most recent) only when more than this many additions happened since: otherwise it
/// writes nothing, not even the stamp, which calls on every core read. A value added
/// again or masked every `n` additions keeps a stamp at most `REFRESH_AFTER + n`
/// additions old; the value forgotten is the one whose stamp is oldest, which for a
/// value in use needs `MAX_SECRETS` others stamped since.
const REFRESH_AFTER: u64 = MAX_SECRETS as u64 / 2;

/// The known secrets of a redactor and its clones.
#[derive(Default)]
pub(super) struct Secrets {
    current: ArcSwap<Known>,
    /// Room for lasting values past [`MAX_SECRETS`]: the credentials of the APIs of
    /// the definitions conversations are started over, all of which every start reads
    /// ([`Secrets::make_room`]).
    lasting_room: AtomicUsize,
    /// Held while a new set is made, so that two additions do not lose one another.
    writing: Mutex<()>,
    /// Whether a thread is building a settled searcher ([`Secrets::settle`]).
    settling: AtomicBool,
}

impl Secrets {
    /// The set as it is now.
    pub(super) fn snapshot(&self) -> Guard<Arc<Known>> {
        self.current.load()
    }

    /// Adds `secret` (not empty), or makes it the most recent when it is known but
    /// old (in place: no new set), or gives it `lifetime` when it was known with a
    /// shorter one.
    pub(super) fn add(self: &Arc<Self>, secret: &SecretString, lifetime: Lifetime) {
        if matches!(self.current.load().change(secret.expose_secret(), lifetime), Change::Nothing) {
            return;
        }
        // a refresh too is made under the lock, on the newest set: a writer forgets
        // values by their stamps under it, and a snapshot may lack the value already
        let writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        match current.change(secret.expose_secret(), lifetime) {
            Change::Nothing => return,
            Change::Refresh(stamp) => {
                stamp.store(current.next_stamp, Ordering::Relaxed);
                return;
            }
            Change::Add => {}
        }
        let mut next = current.to_change();
        next.add(secret, lifetime, self.cap(lifetime));
        self.store(next, writing);
    }

    /// Keeps `count` lasting values more than [`MAX_SECRETS`]: the credentials
    /// conversations' starts read, so that adding them all at each start forgets none
    /// of them, nor any other value in use.
    pub(super) fn make_room(&self, count: usize) {
        self.lasting_room.store(count, Ordering::Relaxed);
    }

    /// How many values of `lifetime` are kept.
    fn cap(&self, lifetime: Lifetime) -> usize {
        match lifetime {
            Lifetime::Lasting => MAX_SECRETS.saturating_add(self.lasting_room.load(Ordering::Relaxed)),
            Lifetime::HandSet | Lifetime::Rotating => MAX_SECRETS,
        }
    }

    /// Forgets `token`, known as an OAuth 2.0 access token ([`Lifetime::Rotating`])
    /// and no longer in use; a value known as lasting stays.
    pub(super) fn forget_rotating(self: &Arc<Self>, token: &str) {
        if !self.current.load().is_rotating(token) {
            return;
        }
        let writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        if !current.is_rotating(token) {
            return;
        }
        let mut next = current.to_change();
        next.remove(token);
        self.store(next, writing);
    }

    /// Makes `next` the set, under the writers' lock `writing`, and has a thread build
    /// a settled searcher when it needs one.
    fn store(self: &Arc<Self>, next: Known, writing: std::sync::MutexGuard<'_, ()>) {
        let unsettled = next.needs_settling();
        self.current.store(Arc::new(next));
        drop(writing);
        if unsettled && !self.settling.swap(true, Ordering::AcqRel) {
            let secrets = Arc::clone(self);
            let spawned = thread::Builder::new().name("conv-api-redact".into()).spawn(move || secrets.settle());
            // no thread to be had: this one builds it
            if spawned.is_err() {
                self.settle();
            }
        }
    }

    /// Makes `text`, when it is a known value, the most recent if it is old: a value
    /// found in a text being masked is in use, as one added again is, so that a
    /// session token a conversation keeps sending is not forgotten for newer values.
    /// Only a read while it is recent.
    pub(super) fn refresh(self: &Arc<Self>, text: &str) {
        let known = self.current.load();
        let Some((value, entry)) = known.values.get_key_value(text) else { return };
        let (value, lifetime) = (value.clone(), entry.lifetime);
        drop(known);
        self.add(&value.0, lifetime);
    }

    /// Builds a settled searcher over the values known now and puts it in the set,
    /// again while the values added meanwhile need one; then lets the next writer
    /// that needs one start this again (also should a build panic).
    fn settle(&self) {
        let _unwinding = ClearOnPanic(&self.settling);
        loop {
            let from = self.current.load_full();
            // a thread that finished just before this one was started may have left nothing to do
            let searcher = from.needs_settling().then(|| Searcher::new(from.values.iter()));
            let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(searcher) = searcher {
                let mut next = self.current.load().to_change();
                next.settle_on(&from, Arc::new(searcher));
                self.current.store(Arc::new(next));
            }
            if !self.current.load().needs_settling() {
                // under the lock: a writer adding after this sees no thread at work
                self.settling.store(false, Ordering::Release);
                return;
            }
        }
    }

    /// Waits until no settled searcher is being built.
    #[cfg(test)]
    fn wait_for_settling(&self) {
        for _ in 0..60_000 {
            if !self.settling.load(Ordering::Acquire) {
                return;
            }
            thread::sleep(std::time::Duration::from_millis(1));
        }
        panic!("the settled searcher was not built in a minute");
    }
}

/// Clears a flag if dropped while its thread panics.
struct ClearOnPanic<'a>(&'a AtomicBool);

impl Drop for ClearOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.store(false, Ordering::Release);
        }
    }
}

/// One secret value, compared and hashed by its text; clones share it.
#[derive(Clone)]
pub(super) struct Value(Arc<SecretString>);

impl Value {
    /// The value's text.
    pub(super) fn text(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        self.0.expose_secret() == other.0.expose_secret()
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.expose_secret().hash(state);
    }
}

impl Borrow<str> for Value {
    fn borrow(&self) -> &str {
        self.0.expose_secret()
    }
}

/// The distinct forms of one value ([`encoded_forms`]), made once when it is added:
/// a new searcher takes them as they are, and the sets made later share them.
type Forms = Arc<[SecretString]>;

/// The forms of `secret`, each once.
fn forms_of_value(secret: &str) -> Forms {
    let mut forms = encoded_forms(secret);
    forms.sort_unstable();
    forms.dedup();
    forms.into_iter().map(SecretString::from).collect()
}

/// What adding a value changes ([`Known::change`]).
enum Change<'a> {
    Nothing,
    /// The stamp of a known value, to make it the most recent.
    Refresh(&'a AtomicU64),
    /// The set: a new value, or a known one of a longer lifetime.
    Add,
}

/// What the set keeps of one value.
#[derive(Clone)]
struct Entry {
    /// The stamp of its last addition or refresh, shared by the copies of the set
    /// made since it was added, so that a refresh needs no new set.
    stamp: Arc<AtomicU64>,
    /// The stamp of its first addition (since it was last forgotten).
    added: u64,
    lifetime: Lifetime,
    forms: Forms,
}

/// How many values may be added or forgotten after the settled searcher was built
/// before a new one is: the values added since are searched apart, by a searcher
/// small enough to build in well under a millisecond when first needed (for a few
/// values, one of aho-corasick's SIMD searchers, bench/README.md). Values added
/// while a settled searcher is built are searched by one such searcher for each
/// eight of them ([`FreshChunk`]).
const FRESH_MAX: usize = 8;

/// Up to [`FRESH_MAX`] fresh values, in the order they were added, and their
/// searcher, built when first needed. The sets made after it share a full chunk
/// and its searcher, so that a burst of values (thousands of OAuth 2.0 clients'
/// first token requests), added faster than settled searchers are built, builds a
/// searcher for each few values once, not one over all of them at each search
/// after a change.
struct FreshChunk {
    values: Vec<(Value, Entry)>,
    searcher: OnceLock<Searcher>,
}

impl FreshChunk {
    fn new(values: Vec<(Value, Entry)>) -> Arc<FreshChunk> {
        Arc::new(FreshChunk { values, searcher: OnceLock::new() })
    }

    fn searcher(&self) -> &Searcher {
        self.searcher.get_or_init(|| Searcher::new(self.values.iter().map(|(value, entry)| (value, entry))))
    }

    fn holds(&self, value: &str) -> bool {
        self.values.iter().any(|(held, _)| held.text() == value)
    }
}

/// A set of secret values and the searchers of their forms.
///
/// Building a searcher takes longer the more forms it holds, more than in
/// proportion (tens of milliseconds for 1,024 values), and a search that needs one
/// waits for it. So the values are searched by two kinds: the settled searcher, over
/// the values known when it was built, made by a thread of its own once more than
/// [`FRESH_MAX`] values were added or forgotten since the last (by the writer
/// only when no thread can be started), and the fresh ones, over the values added
/// since, [`FRESH_MAX`] a searcher, each made by the first search that needs it. A
/// few values are only fresh; many added while a settled searcher is built make
/// more fresh searchers meanwhile. The forms of a value forgotten stay in the
/// settled searcher (its matches left out) until the next is built.
#[derive(Default)]
pub(super) struct Known {
    values: HashMap<Value, Entry>,
    /// How many of the values have each lifetime, by [`Lifetime::index`].
    counts: [usize; Lifetime::COUNT],
    /// The stamp the next addition gets.
    next_stamp: u64,
    /// The value added last and its lifetime: it needs no lookup to be found known.
    newest: Option<(SecretString, Lifetime)>,
    /// Finds the forms of the values added before `settled_at`.
    settled: Option<Arc<Searcher>>,
    /// The forms of values forgotten since the settled searcher was built, which it
    /// still finds: their matches are left out.
    forgotten: Vec<Forms>,
    /// Values first added with this stamp or a later one are not in `settled`.
    settled_at: u64,
    /// How many of the values were first added at or after `settled_at`.
    fresh: usize,
    /// Those values and their searchers.
    fresh_chunks: Vec<Arc<FreshChunk>>,
}

impl Known {
    /// A copy to change: it shares the values, their forms, the settled searcher and
    /// the fresh ones.
    fn to_change(&self) -> Known {
        Known {
            values: self.values.clone(),
            counts: self.counts,
            next_stamp: self.next_stamp,
            newest: self.newest.clone(),
            settled: self.settled.clone(),
            forgotten: self.forgotten.clone(),
            settled_at: self.settled_at,
            fresh: self.fresh,
            fresh_chunks: self.fresh_chunks.clone(),
        }
    }

    /// Grows with every change of the set: a text cleaned under one generation needs
    /// no new cleaning while it stays the same.
    pub(super) fn generation(&self) -> u64 {
        self.next_stamp
    }

    /// How many values the set holds.
    pub(super) fn len(&self) -> usize {
        self.values.len()
    }

    /// How many values the set holds with `lifetime`.
    fn count(&self, lifetime: Lifetime) -> usize {
        self.counts[lifetime.index()]
    }

    /// What adding `secret` as `lifetime` changes: nothing for a recent value; the
    /// stamp of a known value old enough to be forgotten soon; the set for a new value,
    /// or one known with a shorter lifetime.
    fn change(&self, secret: &str, lifetime: Lifetime) -> Change<'_> {
        let upgraded = |known: Lifetime| known < lifetime;
        // the value added last is the most recent already
        if let Some((newest, known)) = &self.newest {
            if newest.expose_secret() == secret {
                return if upgraded(*known) { Change::Add } else { Change::Nothing };
            }
        }
        let Some(entry) = self.values.get(secret) else { return Change::Add };
        if upgraded(entry.lifetime) {
            return Change::Add;
        }
        // a newer set, made since this snapshot, may have stamped it later than this one's count
        match self.next_stamp.saturating_sub(entry.stamp.load(Ordering::Relaxed)) > REFRESH_AFTER {
            true => Change::Refresh(&entry.stamp),
            false => Change::Nothing,
        }
    }

    /// Adds `secret` with the newest stamp (and the longer of `lifetime` and the one
    /// it is known with); past `cap` values of its lifetime, forgets the oldest of them.
    fn add(&mut self, secret: &SecretString, lifetime: Lifetime, cap: usize) {
        // a value of a longer lifetime is a new value of it: counted there, and a short
        // token now lasting is searched everywhere, where it was masked only standing alone
        if self.values.get(secret.expose_secret()).is_some_and(|entry| entry.lifetime < lifetime) {
            self.remove(secret.expose_secret());
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        let previous = self.values.get(secret.expose_secret());
        let (added, forms) = match previous {
            Some(entry) => (entry.added, entry.forms.clone()),
            None => (stamp, forms_of_value(secret.expose_secret())),
        };
        let previous = previous.map(|entry| entry.lifetime);
        let lifetime = previous.map_or(lifetime, |known| known.max(lifetime));
        self.newest = Some((secret.clone(), lifetime));
        let entry = Entry { stamp: Arc::new(AtomicU64::new(stamp)), added, lifetime, forms };
        let value = Value(Arc::new(secret.clone()));
        // a value known as it was: the set holds the same values
        if previous.is_some() {
            self.values.insert(value, entry);
            return;
        }
        self.add_fresh(value.clone(), entry.clone());
        self.values.insert(value, entry);
        self.counts[lifetime.index()] += 1;
        // a new value may take its lifetime past the cap
        if self.count(lifetime) > cap {
            let oldest = self
                .values
                .iter()
                .filter(|(_, entry)| entry.lifetime == lifetime)
                .min_by_key(|(_, entry)| entry.stamp.load(Ordering::Relaxed))
                .map(|(value, _)| value.clone());
            if let Some(oldest) = oldest {
                self.remove(oldest.0.expose_secret());
            }
        }
    }

    /// Whether `value` is known as [`Lifetime::Rotating`].
    fn is_rotating(&self, value: &str) -> bool {
        self.values.get(value).is_some_and(|entry| entry.lifetime == Lifetime::Rotating)
    }

    /// Puts `value`, added just now, in the last fresh chunk, or a new one when that is full.
    fn add_fresh(&mut self, value: Value, entry: Entry) {
        self.fresh += 1;
        let mut values = match self.fresh_chunks.last() {
            Some(last) if last.values.len() < FRESH_MAX => {
                let values = last.values.clone();
                self.fresh_chunks.pop();
                values
            }
            _ => Vec::with_capacity(1),
        };
        values.push((value, entry));
        self.fresh_chunks.push(FreshChunk::new(values));
    }

    /// Forgets `value`, if known.
    fn remove(&mut self, value: &str) {
        let Some(entry) = self.values.remove(value) else { return };
        self.counts[entry.lifetime.index()] -= 1;
        if entry.added >= self.settled_at {
            self.fresh -= 1;
            if let Some(at) = self.fresh_chunks.iter().position(|chunk| chunk.holds(value)) {
                let kept: Vec<(Value, Entry)> =
                    self.fresh_chunks[at].values.iter().filter(|(held, _)| held.text() != value).cloned().collect();
                match kept.is_empty() {
                    true => drop(self.fresh_chunks.remove(at)),
                    false => self.fresh_chunks[at] = FreshChunk::new(kept),
                }
            }
        } else {
            self.forgotten.push(entry.forms);
        }
        if self.newest.as_ref().is_some_and(|(newest, _)| newest.expose_secret() == value) {
            self.newest = None;
        }
    }

    /// Whether so many values were added or forgotten since the settled searcher was
    /// built that a new one should be.
    fn needs_settling(&self) -> bool {
        self.fresh + self.forgotten.len() > FRESH_MAX
    }

    /// Takes `searcher`, built over the values of `from`, an earlier state of this
    /// set, as the settled searcher: the values added since are fresh, and those of
    /// `from` forgotten since (or forgotten and added again) are left out of its matches.
    fn settle_on(&mut self, from: &Known, searcher: Arc<Searcher>) {
        self.settled = Some(searcher);
        self.settled_at = from.next_stamp;
        self.fresh = self.values.values().filter(|entry| entry.added >= self.settled_at).count();
        // the chunks of values added since stay as they are, searchers and all
        let settled_at = self.settled_at;
        let mut chunks = Vec::with_capacity(self.fresh_chunks.len());
        for chunk in self.fresh_chunks.drain(..) {
            let fresh = chunk.values.iter().filter(|(_, entry)| entry.added >= settled_at).count();
            if fresh == chunk.values.len() {
                chunks.push(chunk);
            } else if fresh > 0 {
                let values = chunk.values.iter().filter(|(_, entry)| entry.added >= settled_at).cloned().collect();
                chunks.push(FreshChunk::new(values));
            }
        }
        self.fresh_chunks = chunks;
        let kept =
            |value: &Value, forms: &Forms| self.values.get(value).is_some_and(|now| Arc::ptr_eq(&now.forms, forms));
        self.forgotten = from
            .values
            .iter()
            .filter(|(value, entry)| !kept(value, &entry.forms))
            .map(|(_, entry)| entry.forms.clone())
            .collect();
    }

    /// The byte ranges of `text` that hold a form, overlapping ones merged, in order.
    #[cfg(test)]
    pub(super) fn matches(&self, text: &str) -> Vec<Range<usize>> {
        self.find(text).ranges
    }

    /// Whether `text` holds a form, as [`find`](Known::find) would say, without
    /// merging or collecting what it finds: most texts hold none, which one plain
    /// search per searcher tells (it allocates nothing).
    pub(super) fn holds(&self, text: &str) -> bool {
        let settled = self.settled.as_ref().is_some_and(|settled| !settled.find_all(text, &self.forgotten).is_empty());
        settled || self.fresh_chunks.iter().any(|chunk| !chunk.searcher().find_all(text, &[]).is_empty())
    }

    /// Where `text` holds forms, and whose values they are.
    pub(super) fn find(&self, text: &str) -> Found<'_> {
        let mut found =
            self.settled.as_ref().map(|settled| settled.find_all(text, &self.forgotten)).unwrap_or_default();
        for chunk in &self.fresh_chunks {
            found.extend(chunk.searcher().find_all(text, &[]));
        }
        found.sort_unstable_by_key(|(range, _)| (range.start, range.end));
        let mut ranges: Vec<Range<usize>> = Vec::with_capacity(found.len());
        let mut values: Vec<&Value> = Vec::new();
        for (range, value) in found {
            match ranges.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => ranges.push(range),
            }
            if let Some(value) = value.filter(|value| !values.iter().any(|seen| Arc::ptr_eq(&seen.0, &value.0))) {
                values.push(value);
            }
        }
        Found { ranges, values }
    }
}

/// What [`Known::find`] found in a text.
pub(super) struct Found<'k> {
    /// The byte ranges that hold a form, overlapping ones merged, in order.
    pub(super) ranges: Vec<Range<usize>>,
    /// The values of those forms, each once.
    pub(super) values: Vec<&'k Value>,
}

/// How many leading bytes of each form the automaton looks for: enough that text
/// holding no secret rarely matches, few enough that 1,024 values of any length make
/// an automaton built in milliseconds.
const HEAD: usize = 16;

/// Whether `form` is one character, masked only where it stands alone, not inside a
/// word: a one-character secret is no secret, and masking that letter in every text
/// would make messages unreadable (`reque***t`) and tell what the value is. Every
/// longer form is masked wherever it appears, but a [short token's](SHORT_TOKEN).
pub(super) fn is_one_character(form: &str) -> bool {
    form.chars().nth(1).is_none()
}

/// OAuth 2.0 access tokens of fewer characters than this are masked only where they
/// stand alone, as one-character values are: a real token is longer, and a token
/// server that hands out `test`, `dummy` or `order` (a sandbox's) would otherwise
/// garble every text of every API for the token's lifetime (`/h/***s/7` for
/// `/h/orders/7`, `http://***.0.0.1` for a token `127`) and tell the token by it. A
/// credential of two characters or more is masked everywhere, however short: its
/// owner chose it.
const SHORT_TOKEN: usize = 8;

/// Whether the forms of `value`, known for `lifetime`, are masked only where they
/// stand alone: a [short token](SHORT_TOKEN), or as short a value a caller set.
fn alone_only(value: &Value, lifetime: Lifetime) -> bool {
    lifetime != Lifetime::Lasting && value.text().chars().nth(SHORT_TOKEN - 1).is_none()
}

/// Whether `range` of `text` has no letter or digit (of any script) right before or
/// after it, but one that ends an escape (`%3D`, `\n`, `\u0020`): a value encoded in
/// a URL or a JSON string stands alone after the escaped `=` or space.
fn stands_alone(text: &[u8], range: Range<usize>) -> bool {
    let before = &text[..range.start];
    let starts = last_char(before).is_none_or(|c| !c.is_alphanumeric()) || ends_an_escape(before);
    starts && !first_char(&text[range.end..]).is_some_and(char::is_alphanumeric)
}

/// The character `bytes`, UTF-8 text, ends with (`ñ` in `mañ`).
fn last_char(bytes: &[u8]) -> Option<char> {
    let tail = &bytes[bytes.len().saturating_sub(4)..];
    let start = tail.iter().rposition(|byte| !is_continuation(*byte))?;
    std::str::from_utf8(&tail[start..]).ok()?.chars().next()
}

/// The character `bytes`, UTF-8 text, starts with.
fn first_char(bytes: &[u8]) -> Option<char> {
    let head = &bytes[..bytes.len().min(4)];
    let end = head.iter().skip(1).position(|byte| !is_continuation(*byte)).map_or(head.len(), |at| at + 1);
    std::str::from_utf8(&head[..end]).ok()?.chars().next()
}

/// Whether `byte` continues a character of UTF-8 text, not starts one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// Whether `text` ends with a percent escape (`%3D`, `%253D` encoded twice), a JSON
/// one (`\u0020`) or a backslash escape (`\n`).
fn ends_an_escape(text: &[u8]) -> bool {
    let hex = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_hexdigit);
    match text {
        [.., b'\\', b'u', a, b, c, d] if hex(&[*a, *b, *c, *d]) => true,
        [.., b'%', b'2', b'5', a, b] if hex(&[*a, *b]) => true,
        [.., b'%', a, b] if hex(&[*a, *b]) => true,
        [.., b'\\', _] => true,
        _ => false,
    }
}

/// The forms of a set of values and an Aho-Corasick automaton over their first
/// [`HEAD`] bytes: a quick search tells whether a text holds any, then each head the
/// automaton finds is checked against the whole forms that start with it.
#[derive(Clone)]
struct Searcher {
    /// `None` if the automaton could not be built, which 1,024 secrets' heads of 16
    /// bytes (about 20 forms each) cannot cause; every text is then masked whole
    /// rather than risk showing a secret.
    automaton: Option<AhoCorasick>,
    /// Tells faster whether a text holds any head: aho-corasick's Teddy (SIMD), for
    /// one value as for more, where the automaton's own prefilter would stop at every
    /// place a head's first byte is (bench/README.md); texts shorter than Teddy reads
    /// go to its Rabin-Karp. `None` wherever Teddy does not build: past 64 heads (a
    /// few to about a dozen values, as their forms differ), for many one-byte heads, or on
    /// a CPU without SSSE3 or NEON; the automaton then says it.
    quick: Option<packed::Searcher>,
    /// Each value searched, with its forms and whether they are masked only where they
    /// [stand alone](alone_only).
    values: Vec<(Value, Forms, bool)>,
    /// The length in bytes of the shortest form: no shorter text holds one (a
    /// credential header's masked line, most often).
    shortest: usize,
    /// For the automaton's pattern of each index, the forms starting with that head:
    /// their value's index in `values` and their own in its forms.
    starting_with: Vec<Vec<(u32, u32)>>,
}

impl Searcher {
    fn new<'a>(values: impl Iterator<Item = (&'a Value, &'a Entry)>) -> Searcher {
        let values: Vec<(Value, Forms, bool)> = values
            .map(|(value, entry)| (value.clone(), entry.forms.clone(), alone_only(value, entry.lifetime)))
            .collect();
        let mut heads: Vec<&[u8]> = Vec::new();
        let mut starting_with: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut head_index: HashMap<&[u8], usize> = HashMap::default();
        let mut shortest = usize::MAX;
        for (value, (_, forms, _)) in (0u32..).zip(&values) {
            for (index, form) in (0u32..).zip(forms.iter()) {
                let form = form.expose_secret().as_bytes();
                shortest = shortest.min(form.len());
                let head = &form[..form.len().min(HEAD)];
                let pattern = *head_index.entry(head).or_insert_with(|| {
                    heads.push(head);
                    starting_with.push(Vec::new());
                    heads.len() - 1
                });
                starting_with[pattern].push((value, index));
            }
        }
        let quick = packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder().extend(&heads).build();
        let automaton = AhoCorasick::new(&heads).ok();
        Searcher { automaton, quick, values, shortest, starting_with }
    }

    /// Every occurrence of every form but those of the values whose forms are
    /// `left_out`, overlapping ones included, in no set order, each with its value
    /// (none for the whole text, masked when there is no automaton).
    fn find_all(&self, text: &str, left_out: &[Forms]) -> Vec<(Range<usize>, Option<&Value>)> {
        let Some(automaton) = &self.automaton else { return Vec::from([(Range { start: 0, end: text.len() }, None)]) };
        if text.len() < self.shortest {
            return Vec::new();
        }
        // most texts hold no form: one plain search says so fastest
        let holds_any = match &self.quick {
            Some(quick) => quick.find(text).is_some(),
            None => automaton.find(text).is_some(),
        };
        if !holds_any {
            return Vec::new();
        }
        let bytes = text.as_bytes();
        let whole = |at: usize, &(value, index): &(u32, u32)| {
            let (value, forms, alone_only) = &self.values[value as usize];
            if left_out.iter().any(|left_out| Arc::ptr_eq(left_out, forms)) {
                return None;
            }
            let form = forms[index as usize].expose_secret();
            let end = at + form.len();
            let found = bytes[at..].starts_with(form.as_bytes());
            let anywhere = !alone_only && !is_one_character(form);
            (found && (anywhere || stands_alone(bytes, at..end))).then_some((at..end, Some(value)))
        };
        automaton
            .find_overlapping_iter(text)
            .flat_map(|head| {
                let candidates = self.starting_with.get(head.pattern().as_usize()).map_or(&[][..], Vec::as_slice);
                candidates.iter().filter_map(move |form| whole(head.start(), form))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
