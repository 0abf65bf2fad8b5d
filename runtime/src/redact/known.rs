//! The secret values a redactor knows, their encoded forms, and where those forms
//! appear in a text.
//!
//! Every call reads the set and almost none changes it, so readers take a snapshot
//! without a lock or a shared count (an `ArcSwap`), and a writer replaces the whole
//! set. Adding a value already known writes nothing, unless so many values were added
//! since that it could soon be forgotten.

use foldhash::HashMap;
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::{ArcSwap, Guard};
use secrecy::{ExposeSecret, SecretString};

use super::encoded_forms;

/// How many secret values are kept: past it, the value whose stamp is oldest (added,
/// or refreshed, longest ago) is forgotten.
pub(super) const MAX_SECRETS: usize = 1024;

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

    /// Adds `secret` (not empty), or makes it the most recent when it is known but old.
    pub(super) fn add(&self, secret: &SecretString) {
        if !self.current.load().needs(secret.expose_secret()) {
            return;
        }
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.load_full();
        if !current.needs(secret.expose_secret()) {
            return;
        }
        let mut next = Known::clone(&current);
        next.add(secret);
        self.current.store(Arc::new(next));
    }
}

/// One secret value, compared and hashed by its text.
#[derive(Clone)]
struct Value(SecretString);

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

/// A set of secret values and their forms, indexed by first byte so that one pass over
/// a text finds every form in it.
#[derive(Clone, Default)]
pub(super) struct Known {
    /// Each value with the stamp of its last addition.
    values: HashMap<Value, u64>,
    /// The stamp the next addition gets.
    next_stamp: u64,
    /// The value added last, which needs no lookup to be found known.
    newest: Option<SecretString>,
    /// Each distinct form with how many values have it, sorted by first byte.
    forms: Vec<(SecretString, usize)>,
    /// `forms[starts[b]..starts[b + 1]]` are the forms whose first byte is `b`.
    starts: Vec<usize>,
    /// Whether some form starts with the byte: most bytes of a text need no more.
    starts_a_form: Vec<bool>,
}

impl Known {
    /// How many values the set holds.
    pub(super) fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether adding `secret` changes the set: it is new, or old enough to refresh.
    fn needs(&self, secret: &str) -> bool {
        if self.newest.as_ref().is_some_and(|newest| newest.expose_secret() == secret) {
            return false;
        }
        self.values.get(secret).is_none_or(|stamp| self.next_stamp - stamp > REFRESH_AFTER)
    }

    /// Adds `secret` with the newest stamp; past [`MAX_SECRETS`], forgets the oldest value.
    fn add(&mut self, secret: &SecretString) {
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.newest = Some(secret.clone());
        let is_new = self.values.insert(Value(secret.clone()), stamp).is_none();
        if !is_new {
            return;
        }
        encoded_forms(secret.expose_secret()).into_iter().for_each(|form| self.insert_form(form));
        if self.values.len() > MAX_SECRETS {
            let oldest = self.values.iter().min_by_key(|(_, stamp)| **stamp).map(|(value, _)| value.clone());
            if let Some(oldest) = oldest {
                self.values.remove(&oldest);
                encoded_forms(oldest.0.expose_secret()).iter().for_each(|form| self.remove_form(form));
            }
        }
        self.index();
    }

    fn insert_form(&mut self, form: String) {
        match self.forms.iter_mut().find(|(known, _)| known.expose_secret() == form) {
            Some((_, count)) => *count += 1,
            None => self.forms.push((SecretString::from(form), 1)),
        }
    }

    /// Forgets `form` for one value (another value may have the same form).
    fn remove_form(&mut self, form: &str) {
        if let Some(at) = self.forms.iter().position(|(known, _)| known.expose_secret() == form) {
            self.forms[at].1 -= 1;
            if self.forms[at].1 == 0 {
                self.forms.remove(at);
            }
        }
    }

    /// Sorts the forms by first byte and records where each byte's forms start.
    fn index(&mut self) {
        let first = |form: &SecretString| form.expose_secret().as_bytes()[0];
        self.forms.sort_by_key(|(form, _)| first(form));
        self.starts =
            (0..=256).map(|byte| self.forms.partition_point(|(form, _)| usize::from(first(form)) < byte)).collect();
        self.starts_a_form = self.starts.windows(2).map(|range| range[0] < range[1]).collect();
    }

    /// The byte ranges of `text` that hold a form, overlapping ones merged, in order.
    pub(super) fn matches(&self, text: &str) -> Vec<Range<usize>> {
        let mut found: Vec<Range<usize>> = Vec::new();
        if self.forms.is_empty() {
            return found;
        }
        let bytes = text.as_bytes();
        for (at, &byte) in bytes.iter().enumerate() {
            if !self.starts_a_form[usize::from(byte)] {
                continue;
            }
            let candidates = &self.forms[self.starts[usize::from(byte)]..self.starts[usize::from(byte) + 1]];
            for (form, _) in candidates {
                let form = form.expose_secret().as_bytes();
                if !bytes[at..].starts_with(form) {
                    continue;
                }
                let end = at + form.len();
                match found.last_mut() {
                    Some(last) if at <= last.end => last.end = last.end.max(end),
                    _ => found.push(at..end),
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text.to_string())
    }

    #[test]
    fn a_known_value_in_use_writes_nothing() {
        let secrets = Secrets::default();
        secrets.add(&secret("key-a"));
        secrets.add(&secret("key-b"));
        let before = secrets.snapshot();
        secrets.add(&secret("key-a"));
        assert!(Arc::ptr_eq(&before, &secrets.snapshot()), "the set was not replaced");
        assert_eq!(secrets.snapshot().len(), 2);
    }

    #[test]
    fn a_value_added_long_ago_is_refreshed_and_outlives_newer_ones() {
        let secrets = Secrets::default();
        secrets.add(&secret("in-use"));
        for n in 0..REFRESH_AFTER + 1 {
            secrets.add(&secret(&format!("token-{n}")));
        }
        let before = secrets.snapshot();
        secrets.add(&secret("in-use"));
        assert!(!Arc::ptr_eq(&before, &secrets.snapshot()), "an old value is made the most recent");
        for n in 0..MAX_SECRETS {
            secrets.add(&secret(&format!("later-{n}")));
            if n % (REFRESH_AFTER as usize) == 0 {
                secrets.add(&secret("in-use"));
            }
        }
        let known = secrets.snapshot();
        assert_eq!(known.len(), MAX_SECRETS);
        assert!(!known.matches("in-use").is_empty(), "a value in use is never forgotten");
        assert!(known.matches("token-0").is_empty(), "values not used since are");
    }
}
