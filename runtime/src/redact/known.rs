//! The secret values a redactor knows, their encoded forms, and where those forms
//! appear in a text.
//!
//! Every call reads the set and almost none changes it, so readers take a snapshot
//! without a lock or a shared count (an `ArcSwap`), and a writer replaces the whole
//! set. Adding a value already known writes nothing, unless so many values were added
//! since that it could soon be forgotten.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use aho_corasick::{packed, AhoCorasick};
use arc_swap::{ArcSwap, Guard};
use foldhash::HashMap;
use secrecy::{ExposeSecret, SecretString};

use super::forms::encoded_forms;

/// How many secret values of each [`Lifetime`] are kept: past it, the value of that
/// lifetime whose stamp is oldest (added, or refreshed, longest ago) is forgotten.
pub(super) const MAX_SECRETS: usize = 1024;

/// How long a secret value is expected to be in use, which decides what may push it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lifetime {
    /// A credential, or a value the user added: forgotten only for newer lasting values.
    Lasting,
    /// An OAuth 2.0 access token, which a new one replaces: forgotten only for newer
    /// tokens, so that however many tokens come and go, no lasting value is forgotten.
    Rotating,
}

/// Adding a known value refreshes its stamp (makes it the most recent) only when more
/// than this many additions happened since: adding it again writes nothing, and a
/// value added again at least that often is never forgotten (a value is kept for at
/// least `MAX_SECRETS - REFRESH_AFTER` additions after it was last added).
const REFRESH_AFTER: u64 = MAX_SECRETS as u64 / 2;

/// The known secrets of a redactor and its clones.
#[derive(Default)]
pub(super) struct Secrets {
    current: ArcSwap<Known>,
    /// Held while a new set is made, so that two additions do not lose one another.
    writing: Mutex<()>,
}

impl Secrets {
    /// The set as it is now.
    pub(super) fn snapshot(&self) -> Guard<Arc<Known>> {
        self.current.load()
    }

    /// Adds `secret` (not empty), or makes it the most recent when it is known but
    /// old, or lasting when it was known as rotating.
    pub(super) fn add(&self, secret: &SecretString, lifetime: Lifetime) {
        if !self.current.load().needs(secret.expose_secret(), lifetime) {
            return;
        }
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        if !current.needs(secret.expose_secret(), lifetime) {
            return;
        }
        let mut next = Known::clone(&current);
        next.add(secret, lifetime);
        self.current.store(Arc::new(next));
    }
}

/// One secret value, compared and hashed by its text; clones share it.
#[derive(Clone)]
struct Value(Arc<SecretString>);

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

/// What the set keeps of one value.
#[derive(Clone)]
struct Entry {
    /// The stamp of its last addition.
    stamp: u64,
    lifetime: Lifetime,
    forms: Forms,
}

/// A set of secret values, and a searcher for their forms made when first needed
/// after a change.
#[derive(Clone, Default)]
pub(super) struct Known {
    values: HashMap<Value, Entry>,
    /// How many of the values are [`Lifetime::Rotating`].
    rotating: usize,
    /// The stamp the next addition gets.
    next_stamp: u64,
    /// The value added last and its lifetime: it needs no lookup to be found known.
    newest: Option<(SecretString, Lifetime)>,
    /// Finds every form of every value in one pass over a text.
    searcher: OnceLock<Searcher>,
}

impl Known {
    /// Grows with every change of the set: a text cleaned under one generation needs
    /// no new cleaning while it stays the same.
    pub(super) fn generation(&self) -> u64 {
        self.next_stamp
    }

    /// Whether values added at or before `generation` may need adding again to stay
    /// known: more than `REFRESH_AFTER / 2` additions came since. A value added again
    /// whenever this says so, checked at least that often, is always refreshed before
    /// it is forgotten: it is at most `REFRESH_AFTER` old when the check passes it
    /// by, and refreshed at the first check after that.
    pub(super) fn is_aging_since(&self, generation: u64) -> bool {
        self.next_stamp.saturating_sub(generation) > REFRESH_AFTER / 2
    }

    /// How many values the set holds.
    pub(super) fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether adding `secret` as `lifetime` changes the set: it is new, old enough
    /// to refresh, or known as rotating and now added as lasting.
    fn needs(&self, secret: &str, lifetime: Lifetime) -> bool {
        let known_as = |stamp: u64, known: Lifetime| {
            (known == Lifetime::Rotating && lifetime == Lifetime::Lasting) || self.next_stamp - stamp > REFRESH_AFTER
        };
        match &self.newest {
            Some((newest, known)) if newest.expose_secret() == secret => known_as(self.next_stamp - 1, *known),
            _ => self.values.get(secret).is_none_or(|entry| known_as(entry.stamp, entry.lifetime)),
        }
    }

    /// Adds `secret` with the newest stamp (lasting if it was known as lasting); past
    /// [`MAX_SECRETS`] values of its lifetime, forgets the oldest of them.
    fn add(&mut self, secret: &SecretString, lifetime: Lifetime) {
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        let previous = self.values.get(secret.expose_secret()).map(|entry| (entry.lifetime, entry.forms.clone()));
        let (previous, forms) = match previous {
            Some((known, forms)) => (Some(known), forms),
            None => (None, forms_of_value(secret.expose_secret())),
        };
        let lifetime = if previous == Some(Lifetime::Lasting) { Lifetime::Lasting } else { lifetime };
        self.newest = Some((secret.clone(), lifetime));
        self.values.insert(Value(Arc::new(secret.clone())), Entry { stamp, lifetime, forms });
        match (previous, lifetime) {
            (Some(Lifetime::Rotating), Lifetime::Lasting) => self.rotating -= 1,
            (None, Lifetime::Rotating) => self.rotating += 1,
            _ => {}
        }
        // a value known as it was: the set holds the same values
        if previous == Some(lifetime) {
            return;
        }
        let count = match lifetime {
            Lifetime::Rotating => self.rotating,
            Lifetime::Lasting => self.values.len() - self.rotating,
        };
        // a new value, or a token now lasting, may take its lifetime past the cap
        if count > MAX_SECRETS {
            let oldest = self
                .values
                .iter()
                .filter(|(_, entry)| entry.lifetime == lifetime)
                .min_by_key(|(_, entry)| entry.stamp)
                .map(|(value, _)| value.clone());
            if let Some(oldest) = oldest {
                self.values.remove(&oldest);
                if lifetime == Lifetime::Rotating {
                    self.rotating -= 1;
                }
            }
        }
        // the values changed: the next search makes a new searcher
        self.searcher = OnceLock::new();
    }

    /// The byte ranges of `text` that hold a form, overlapping ones merged, in order.
    pub(super) fn matches(&self, text: &str) -> Vec<Range<usize>> {
        if self.values.is_empty() {
            return Vec::new();
        }
        let searcher = self.searcher.get_or_init(|| Searcher::new(self.values.values().map(|entry| &entry.forms)));
        let mut found = searcher.find_all(text);
        found.sort_unstable_by_key(|range| (range.start, range.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
        for range in found {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        merged
    }
}

/// How many leading bytes of each form the automaton looks for: enough that text
/// holding no secret rarely matches, few enough that 1,024 values of any length make
/// an automaton built in milliseconds.
const HEAD: usize = 16;

/// Forms shorter than this (a single byte) are masked only where they stand alone,
/// not inside a word: a one-character secret is no secret, and masking that letter
/// in every text would make messages unreadable (`reque***t`) and tell what the
/// value is. Every longer form is masked wherever it appears.
pub(super) const SHORT_FORM: usize = 2;

/// Whether `range` of `text` has no letter or digit right before or after it.
fn stands_alone(text: &[u8], range: Range<usize>) -> bool {
    let before = range.start.checked_sub(1).map(|at| text[at]);
    let after = text.get(range.end).copied();
    !before.is_some_and(|byte| byte.is_ascii_alphanumeric()) && !after.is_some_and(|byte| byte.is_ascii_alphanumeric())
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
    /// The forms of each value searched.
    values: Vec<Forms>,
    /// For the automaton's pattern of each index, the forms starting with that head:
    /// their value's index in `values` and their own in its forms.
    starting_with: Vec<Vec<(u32, u32)>>,
}

impl Searcher {
    fn new<'a>(values: impl Iterator<Item = &'a Forms>) -> Searcher {
        let values: Vec<Forms> = values.cloned().collect();
        let mut heads: Vec<&[u8]> = Vec::new();
        let mut starting_with: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut head_index: HashMap<&[u8], usize> = HashMap::default();
        for (value, forms) in (0u32..).zip(&values) {
            for (index, form) in (0u32..).zip(forms.iter()) {
                let form = form.expose_secret().as_bytes();
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
        Searcher { automaton, quick, values, starting_with }
    }

    /// Every occurrence of every form, overlapping ones included, in no set order.
    fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        let Some(automaton) = &self.automaton else { return Vec::from([Range { start: 0, end: text.len() }]) };
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
            let form = self.values[value as usize][index as usize].expose_secret().as_bytes();
            let end = at + form.len();
            let found = bytes[at..].starts_with(form);
            (found && (form.len() >= SHORT_FORM || stands_alone(bytes, at..end))).then_some(at..end)
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
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_string())
    }

    #[test]
    fn every_form_is_found_and_overlapping_ones_merged() {
        let mut known = Known::default();
        for value in ["abcd", "cdef", "s3cr3t/+?", "ab", "aa"] {
            known.add(&secret(value), Lifetime::Lasting);
        }
        let text = "xabcdefx s3cr3t%2F%2B%3F czNjcjN0Lys/ ab aaa";
        let found = known.matches(text);
        let shown: Vec<&str> = found.iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(shown, ["abcdef", "s3cr3t%2F%2B%3F", "czNjcjN0Lys/", "ab", "aaa"]);
    }

    #[test]
    fn a_one_character_value_is_masked_only_standing_alone_and_longer_ones_everywhere() {
        let mut known = Known::default();
        known.add(&secret("s"), Lifetime::Lasting);
        known.add(&secret("ab"), Lifetime::Lasting);
        let text = "error sending request: s, key=ab&x=abc \"s\" sab";
        let shown: Vec<&str> = known.matches(text).iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(shown, ["s", "ab", "ab", "s", "ab"]);
    }

    #[test]
    fn forms_longer_than_their_head_are_checked_whole() {
        let mut known = Known::default();
        let long = "0123456789abcdef-first";
        known.add(&secret(long), Lifetime::Lasting);
        known.add(&secret("0123456789abcdef-second"), Lifetime::Lasting);
        let text = format!("a {long} b 0123456789abcdef-third c 0123456789abcdef-second");
        let shown: Vec<&str> = known.matches(&text).iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(shown, [long, "0123456789abcdef-second"], "the shared head alone masks nothing");
    }

    #[test]
    fn a_value_added_after_a_search_is_found_by_the_next() {
        let secrets = Secrets::default();
        secrets.add(&secret("first-value"), Lifetime::Lasting);
        assert!(secrets.snapshot().matches("second-value").is_empty());
        secrets.add(&secret("second-value"), Lifetime::Lasting);
        assert_eq!(secrets.snapshot().matches("x second-value"), [Range { start: 2, end: 14 }]);
        assert_eq!(
            secrets.snapshot().matches("first-value"),
            [Range { start: 0, end: 11 }],
            "the first is still known"
        );
    }

    #[test]
    fn values_are_found_by_the_quick_search_too() {
        let mut one = Known::default();
        one.add(&secret("sk_live_Q3x9"), Lifetime::Lasting);
        let searcher = one.searcher.get_or_init(|| Searcher::new(one.values.values().map(|entry| &entry.forms)));
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(searcher.quick.is_some(), "one value's forms");
        }
        // texts shorter than Teddy reads are searched by its Rabin-Karp
        for short in ["sk_live_Q3x9", "x=sk_live_q3x9", "c2tfbGl2ZV9RM3g5"] {
            assert_eq!(one.matches(short).len(), 1, "{short}");
        }
        assert!(one.matches("sk_live_Q3x").is_empty());
        let text = "set-cookie:session=sk_live_q3x9\nx-seen:c2tfbGl2ZV9RM3g5 sk%5Flive%5FQ3x9";
        let shown: Vec<&str> = one.matches(text).iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(shown, ["sk_live_q3x9", "c2tfbGl2ZV9RM3g5", "sk%5Flive%5FQ3x9"]);
        assert!(one.matches("server:nginx\nset-cookie:sk_live_Q3x8; secure\n").is_empty());

        let mut known = Known::default();
        for value in ["Alpha-1", "bravo-2", "Charlie3", "delta_4", "echo 5"] {
            known.add(&secret(value), Lifetime::Lasting);
        }
        let searcher = known.searcher.get_or_init(|| Searcher::new(known.values.values().map(|entry| &entry.forms)));
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(searcher.quick.is_some(), "five values' forms");
        }
        let text = "x-seen: Charlie3, ZGVsdGFfNA==, echo%205; none of Alpha-2";
        let shown: Vec<&str> = known.matches(text).iter().map(|range| &text[range.clone()]).collect();
        assert_eq!(shown, ["Charlie3", "ZGVsdGFfNA==", "echo%205"]);
        assert!(known.matches("content-type:application/json\nx-request-id:7f3c2a9e\n").is_empty());
    }

    #[test]
    fn without_an_automaton_every_text_is_masked_whole() {
        let searcher = Searcher { automaton: None, quick: None, values: Vec::new(), starting_with: Vec::new() };
        assert_eq!(searcher.find_all("no secret here"), [Range { start: 0, end: 14 }]);
    }

    #[test]
    fn a_known_value_in_use_writes_nothing() {
        let secrets = Secrets::default();
        secrets.add(&secret("key-a"), Lifetime::Lasting);
        secrets.add(&secret("key-b"), Lifetime::Lasting);
        let before = secrets.snapshot();
        secrets.add(&secret("key-a"), Lifetime::Lasting);
        assert!(Arc::ptr_eq(&before, &secrets.snapshot()), "the set was not replaced");
        assert_eq!(secrets.snapshot().len(), 2);
    }

    #[test]
    fn a_value_added_long_ago_is_refreshed_and_outlives_newer_ones() {
        let secrets = Secrets::default();
        secrets.add(&secret("in-use"), Lifetime::Lasting);
        for n in 0..REFRESH_AFTER + 1 {
            secrets.add(&secret(&format!("token-{n}")), Lifetime::Lasting);
        }
        let before = secrets.snapshot();
        secrets.add(&secret("in-use"), Lifetime::Lasting);
        assert!(!Arc::ptr_eq(&before, &secrets.snapshot()), "an old value is made the most recent");
        for n in 0..MAX_SECRETS {
            secrets.add(&secret(&format!("later-{n}")), Lifetime::Lasting);
            if n % (REFRESH_AFTER as usize) == 0 {
                secrets.add(&secret("in-use"), Lifetime::Lasting);
            }
        }
        let known = secrets.snapshot();
        assert_eq!(known.len(), MAX_SECRETS);
        assert!(!known.matches("in-use").is_empty(), "a value in use is never forgotten");
        assert!(known.matches("token-0").is_empty(), "values not used since are");
    }
}
