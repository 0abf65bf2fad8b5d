//! A secret store read from a dotenv-style file, for local development; its
//! format is on [`DotenvSecretStore`].

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use conv_api_definitions::{is_utf16, one_line, read_limited, shown_path, MAX_FILE_BYTES, UTF16_PROBLEM};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use secrecy::{ExposeSecret, SecretString};

use super::SecretStore;

/// Secrets read from a dotenv-style file, for local development.
///
/// Format, one `KEY=value` a line, as python-dotenv reads it:
/// - lines end at `\n`, `\r\n` or a `\r` alone; blank lines and lines starting with
///   `#` are skipped; `export KEY=value` is accepted;
/// - `KEY` is letters, digits, `_`, `.` and `-` (`spring.profiles.active`); each is
///   served, and the runtime asks only for secrets' names (capitals, digits and
///   `_`); a name alone in capitals (`DEBUG`, `export DEBUG`) is as one set empty;
///   space around `=` is ignored; other text without `=`, and a value of `=` signs alone,
///   are errors: lines of a value wrapped unquoted over lines (base64);
/// - an unquoted value ends at the line's end or at a `#` after a blank (a space, a
///   tab, or another Unicode blank, like a no-break space): a comment, also right
///   after `=` (`KEY=  # fill in` is empty); it is trimmed;
/// - `'single quoted'` values are taken as written but for `\\` and `\'` (a
///   backslash, a quote), and may span lines (PEM files);
/// - `"double quoted"` values may span lines and understand `\n`, `\r`, `\t`, `\"`,
///   `\'`, `\\`, `\a`, `\b`, `\f` and `\v`, as python-dotenv does; any other
///   backslash stays (`"ab\dc"` is `ab\dc`);
/// - a quoted value ends at its first quote that no backslash escapes, a backslash
///   escaping the character after it (`'C:\\'` is `C:\`), as python-dotenv reads it
///   since 1.2.3; where none ends it, or the one that does has text after it, the
///   latest escaped quote with only blanks or a comment after it does
///   (`'C:\tools\'` is `C:\tools\`, as python-dotenv read it before 1.2.3; later
///   ones refuse the line);
/// - in unquoted and double-quoted values, `${NAME}` and `${NAME:-default}` expand, as
///   python-dotenv expands them: to the environment variable `NAME`, else the value
///   this file gave `NAME` above, else the default, else nothing; single quotes keep
///   `${` as written, as a shell and docker compose read them (python-dotenv expands
///   there too), so that a password with a `$` is safe in them;
/// - an empty value (`KEY=`) leaves the name unset, as an empty environment
///   variable does: a template line sends no empty credential (`${KEY:-default}` on
///   a line below reads it as empty, not unset, as python-dotenv does);
/// - a key given twice keeps the last value; a UTF-8 byte order mark is skipped.
///
/// Errors give the file and line, never a value, nor text that may hold one.
///
/// ```
/// # extern crate conv_api_runtime as conv_api;
/// use conv_api::{DotenvSecretStore, ExposeSecret, SecretStore};
/// let store = DotenvSecretStore::parse("# local\nexport ZENDESK_LIVE_API_KEY=\"k 1\"\n").unwrap();
/// assert_eq!(store.get("ZENDESK_LIVE_API_KEY").unwrap().expose_secret(), "k 1");
/// ```
#[derive(Clone)]
pub struct DotenvSecretStore {
    source: Option<PathBuf>,
    values: HashMap<String, SecretString>,
}

/// A dotenv file that could not be read or parsed; it never shows a value. Its
/// `Debug` is its message, what `main() -> Result<(), Box<dyn Error>>` prints.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum DotenvError {
    /// The file could not be read.
    #[error("cannot read the secrets file `{}`: {error}", shown_file(Some(.path.as_path())))]
    #[non_exhaustive]
    Read {
        /// The file.
        path: PathBuf,
        /// Why, as the operating system says it: part of the message, so no
        /// `source()` (an error chain would say it twice).
        error: std::io::Error,
    },
    /// Lines that are not `KEY=value` (the first [`MAX_DOTENV_PROBLEMS`], in file
    /// order, and how many more), or a file that is not UTF-8; shown one line each,
    /// `FILE:LINE: error: MESSAGE`.
    #[error("{}", render_problems(.path.as_deref(), .problems, *.more))]
    #[non_exhaustive]
    Parse {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// Each bad line (from 1) and what is wrong with it, saying how to fix it.
        problems: Vec<(usize, String)>,
        /// How many bad lines there are past those in `problems`: a file that is no
        /// dotenv file at all has one a line.
        more: usize,
    },
}

impl fmt::Debug for DotenvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The most bad lines a [`DotenvError`] keeps and shows; it counts the others.
pub const MAX_DOTENV_PROBLEMS: usize = 20;

fn render_problems(path: Option<&Path>, problems: &[(usize, String)], more: usize) -> String {
    let file = shown_file(path);
    let mut lines: Vec<String> =
        problems.iter().map(|(line, message)| format!("{file}:{line}: error: {message}")).collect();
    if more > 0 {
        lines.push(format!("{file}: error: and {more} more bad line{}; is it the right file?", plural(more)));
    }
    lines.join("\n")
}

fn shown_file(path: Option<&Path>) -> String {
    // the name on one line: a message is one line a bad line
    path.map_or("<secrets>".into(), |path| one_line(&shown_path(path)).into_owned())
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// The largest dotenv file read (16 MiB, as a definitions file, read alike): `/dev/zero`
/// given by mistake is an error, not all of the memory.
pub const MAX_DOTENV_BYTES: u64 = MAX_FILE_BYTES as u64;

impl DotenvSecretStore {
    /// Reads the file at `path`, of up to [`MAX_DOTENV_BYTES`].
    ///
    /// # Errors
    ///
    /// [`DotenvError::Read`] when the file cannot be opened or read, or is larger than
    /// that; [`DotenvError::Parse`] with the lines that are not `KEY=value`, or the
    /// line where it stops being UTF-8.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, DotenvError> {
        let path = path.as_ref().to_path_buf();
        let file =
            conv_api_definitions::open_file(&path).map_err(|error| DotenvError::Read { path: path.clone(), error })?;
        if file.metadata().is_ok_and(|metadata| metadata.is_dir()) {
            let error =
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a directory; give a dotenv file's path");
            return Err(DotenvError::Read { path, error });
        }
        Self::from_reader(path, file)
    }

    /// Reads dotenv text from `input` (standard input), which messages call `name`,
    /// of up to [`MAX_DOTENV_BYTES`].
    ///
    /// # Errors
    ///
    /// [`DotenvError::Read`] when `input` cannot be read, or holds more than that;
    /// [`DotenvError::Parse`] with the lines that are not `KEY=value`, or the line
    /// where it stops being UTF-8.
    pub fn from_reader(name: impl Into<PathBuf>, input: impl Read) -> Result<Self, DotenvError> {
        let name = name.into();
        let read = |error| DotenvError::Read { path: name.clone(), error };
        // one byte past the limit at most, as a definitions file is read
        let bytes = read_limited(input).map_err(read)?;
        if bytes.len() > MAX_FILE_BYTES {
            let message = format!(
                "it is larger than the {} MiB a secrets file may have; is it the right file?",
                MAX_FILE_BYTES >> 20
            );
            return Err(read(std::io::Error::new(std::io::ErrorKind::InvalidData, message)));
        }
        Self::from_bytes(name, &bytes)
    }

    /// The store of a file's `bytes`, which must be UTF-8; `path` names it in errors.
    fn from_bytes(path: PathBuf, bytes: &[u8]) -> Result<Self, DotenvError> {
        if is_utf16(bytes) {
            return Err(DotenvError::Parse {
                path: Some(path),
                problems: vec![(1, UTF16_PROBLEM.to_string())],
                more: 0,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|error| {
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            // lines as the parser below numbers them
            let line = with_newlines(valid).matches('\n').count() + 1;
            let problem = (line, "the file is not valid UTF-8; save it as UTF-8".to_string());
            DotenvError::Parse { path: Some(path.clone()), problems: vec![problem], more: 0 }
        })?;
        let values = parse_entries(text).map_err(|(problems, more)| DotenvError::Parse {
            path: Some(path.clone()),
            problems,
            more,
        })?;
        Ok(DotenvSecretStore { source: Some(path), values })
    }

    /// Parses dotenv text given in code.
    ///
    /// # Errors
    ///
    /// [`DotenvError::Parse`] with the bad lines (the first [`MAX_DOTENV_PROBLEMS`],
    /// and how many more): no `=`, a name that is not one, a quote never closed, or
    /// text after a closing quote.
    pub fn parse(text: &str) -> Result<Self, DotenvError> {
        let values =
            parse_entries(text).map_err(|(problems, more)| DotenvError::Parse { path: None, problems, more })?;
        Ok(DotenvSecretStore { source: None, values })
    }

    /// The names the file sets, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.values.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

impl SecretStore for DotenvSecretStore {
    fn get(&self, name: &str) -> Option<SecretString> {
        self.values.get(name).cloned()
    }

    /// ``DotenvSecretStore of `.env.local` holding `A` and `B` ``.
    fn describe(&self) -> String {
        let source = self
            .source
            .as_deref()
            .map_or_else(|| "given as text".to_string(), |path| format!("of `{}`", shown_path(path)));
        format!("DotenvSecretStore {source} {}", super::holding(&self.names()))
    }

    fn secret_names(&self) -> Vec<String> {
        let held = self.values.iter().filter(|(_, value)| !super::is_blank(value));
        held.map(|(name, _)| name.clone()).collect()
    }
}

impl fmt::Debug for DotenvSecretStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.source.as_deref().map_or_else(|| "<text>".to_string(), shown_path);
        f.debug_struct("DotenvSecretStore").field("source", &source).field("names", &self.names()).finish()
    }
}

impl DotenvError {
    /// The error on one line: the first bad line, and how many more there are.
    ///
    /// ```
    /// # extern crate conv_api_runtime as conv_api;
    /// use conv_api::DotenvSecretStore;
    /// let error = DotenvSecretStore::parse("no pair\n=1\nA=\"open\n").unwrap_err();
    /// assert_eq!(error.summary(), "<secrets>:1: error: expected `KEY=value`; this line has no `=` (and 2 more bad lines)");
    /// ```
    pub fn summary(&self) -> String {
        let DotenvError::Parse { path, problems, more } = self else { return self.to_string() };
        let Some((line, message)) = problems.first() else { return self.to_string() };
        let first = format!("{}:{line}: error: {message}", shown_file(path.as_deref()));
        match problems.len() - 1 + more {
            0 => first,
            others => format!("{first} (and {others} more bad line{})", plural(others)),
        }
    }
}

/// A parse failure: the 1-based line and the message.
type LineError = (usize, String);

/// The values, or the first [`MAX_DOTENV_PROBLEMS`] bad lines and how many more.
fn parse_entries(text: &str) -> Result<HashMap<String, SecretString>, (Vec<LineError>, usize)> {
    let mut values: HashMap<String, SecretString> = HashMap::new();
    // set empty: no value to ask for, but `${NAME:-default}` below takes the empty one
    let mut empty: HashSet<String> = HashSet::new();
    let (mut problems, mut more) = (Vec::new(), 0);
    // what the values add up to: references may repeat one value on every line
    let mut total = 0usize;
    let mut problem = |problem| {
        if problems.len() < MAX_DOTENV_PROBLEMS {
            problems.push(problem);
        } else {
            more += 1;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = with_newlines(text);
    let mut lines = text.lines().enumerate().map(|(index, line)| (index + 1, line));
    // the last value read may be the first line of one wrapped over lines (base64)
    let mut after_base64 = false;
    while let Some((number, line)) = lines.next() {
        // trimmed at the start only: a quoted value keeps its spaces up to the line's end
        let line = line.trim_start_matches(is_blank);
        if line.is_empty() || line.starts_with('#') {
            // a value wrapped over lines has none between its lines
            after_base64 = false;
            continue;
        }
        let (key, rest) = match split_key(line) {
            Ok(entry) => entry,
            Err(message) => {
                problem((number, message));
                after_base64 = false;
                continue;
            }
        };
        // `KEY` alone names no value: as an empty one, python-dotenv's `None`
        let Some(rest) = rest else {
            values.remove(key);
            empty.insert(key.to_string());
            after_base64 = false;
            continue;
        };
        // `ZWZnaGlq..=`: the last line of a base64 value wrapped over lines, whose `=`
        // padding reads as a key without a value
        if after_base64 && rest.trim_matches(is_blank).is_empty() && ends_wrapped_base64(key) {
            problem((number, WRAPPED.to_string()));
            continue;
        }
        after_base64 = starts_wrapped_base64(rest);
        // references doubling a value, or repeating a long one, would take all of the
        // memory: the values may add up to what the file may hold
        let budget = MAX_FILE_BYTES - total;
        let value = parse_value(rest, number, &mut lines).and_then(|(value, expands)| {
            let value = if expands { expand(&value, (&values, &empty), budget) } else { Some(value) };
            let too_much =
                "the values, their `${..}` references expanded, add up to more than the 16 MiB a secrets file may have";
            value.filter(|value| value.len() <= budget).ok_or_else(|| (number, too_much.to_string()))
        });
        if let Ok(value) = &value {
            total += value.len();
        }
        match value {
            Ok(value) if value.is_empty() => {
                values.remove(key);
                empty.insert(key.to_string());
            }
            Ok(value) => {
                empty.remove(key);
                values.insert(key.to_string(), SecretString::from(value));
            }
            Err(error) => problem(error),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err((problems, more))
    }
}

/// `text` with its line breaks as `\n`: `\r\n` and a `\r` alone (old Mac files) end a
/// line too, as Python's text files (python-dotenv's) read them.
fn with_newlines(text: &str) -> Cow<'_, str> {
    match text.contains('\r') {
        true => Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")),
        false => Cow::Borrowed(text),
    }
}

/// The key and the text after its `=`, untrimmed; no text for a key alone (`KEY`,
/// `export KEY`, a comment after it), which python-dotenv reads as a name without a
/// value.
fn split_key(line: &str) -> Result<(&str, Option<&str>), String> {
    let exported = line.strip_prefix("export").filter(|rest| rest.starts_with(is_blank));
    let line = exported.map_or(line, |rest| rest.trim_start_matches(is_blank));
    // a comment before any `=`: the line is a name alone (`DEBUG # set DEBUG=1 to enable`)
    let comment = comment_at(line);
    let pair = line.split_once('=').filter(|(key, _)| comment.is_none_or(|at| key.len() < at));
    let Some((key, rest)) = pair else {
        let alone = line.split_once('#').map_or(line, |(key, _)| key).trim_end_matches(is_blank);
        // a name in capitals: the next line of a value wrapped unquoted (base64) is an error
        return match is_key(alone) && !alone.contains(|c: char| c.is_ascii_lowercase()) {
            true => Ok((alone, None)),
            false => Err("expected `KEY=value`; this line has no `=`".to_string()),
        };
    };
    let key = key.trim_matches(is_blank);
    if !is_file_key(key) {
        // not shown: a line missing its `=` may have its value before a later `=`
        return Err(
            "the text before the first `=` is not a name; a name is letters, digits, `_`, `.` and `-`".to_string()
        );
    }
    Ok((key, Some(rest)))
}

/// Whether `key` is a key of a line `KEY=value`: a name ([`is_key`]), or one that
/// tools of other languages write, which python-dotenv reads too and no secret is
/// asked for by (`spring.profiles.active`, `my-flag`). Not base64's `+` and `/`, so
/// that the next line of a value wrapped unquoted is an error, not a key.
fn is_file_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn is_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The value and whether its `${NAME}` references expand (not in single quotes).
fn parse_value<'a>(
    rest: &'a str,
    number: usize,
    lines: &mut (impl Iterator<Item = (usize, &'a str)> + Clone),
) -> Result<(String, bool), LineError> {
    let value = rest.trim_start_matches(is_blank);
    match value.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            parse_quoted(&value[1..], quote, number, lines).map(|value| (value, quote == '"'))
        }
        // `KEY==`: the end of a base64 value wrapped over lines, its key part of the value
        _ if is_padding(value.trim_end_matches(is_blank)) => Err((number, WRAPPED.to_string())),
        _ => Ok((unquoted(rest), true)),
    }
}

/// Whether `value` is `=` signs alone, base64's padding: the end of a value wrapped
/// over lines, its key part of the value (`KEY==`).
fn is_padding(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c == '=')
}

/// Whether `rest`, the text after a line's `=`, may be the first line of a base64
/// value wrapped over lines: base64 characters alone, as wide as tools wrap it (64 or
/// 76 characters), and not hex digits alone (a hex key is one line).
fn starts_wrapped_base64(rest: &str) -> bool {
    let value = rest.trim_matches(is_blank);
    matches!(value.len(), 64 | 76)
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/'))
        && !value.chars().all(|c| c.is_ascii_hexdigit())
}

/// Whether `key`, of a line `KEY=` right after one that [`starts_wrapped_base64`], is
/// the rest of that value: the length a last line padded with one `=` has (three
/// characters past whole groups of four), base64 in both cases of letters.
fn ends_wrapped_base64(key: &str) -> bool {
    key.len() % 4 == 3
        && key.chars().all(|c| c.is_ascii_alphanumeric())
        && key.contains(|c: char| c.is_ascii_lowercase())
        && key.contains(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// What a line of a value wrapped unquoted over lines is told (it is not shown).
const WRAPPED: &str =
    "this line looks like part of a value wrapped over lines (base64?); put the whole value on one line, or in quotes";

/// `value` with each `${NAME}` and `${NAME:-default}` replaced, as python-dotenv does:
/// by the environment variable `NAME` (when set to UTF-8), else by the value the file
/// gave `NAME` above, else by the default, else by nothing. Other `$` text stays.
/// `None` as soon as it would be longer than `budget` bytes.
fn expand(
    value: &str,
    (earlier, empty): (&HashMap<String, SecretString>, &HashSet<String>),
    budget: usize,
) -> Option<String> {
    let mut out = String::with_capacity(value.len().min(budget));
    let push = |text: &str, out: &mut String| {
        let fits = out.len() + text.len() <= budget;
        fits.then(|| out.push_str(text))
    };
    let mut rest = value;
    // the next `}` or `:` in `value`, found once for every `${` before it
    let mut next_stop = 0;
    while let Some(at) = rest.find("${") {
        push(&rest[..at], &mut out)?;
        let reference = &rest[at + 2..];
        // as python-dotenv's pattern reads one: the name runs to a `}` or a `:`, which
        // must start `:-default}`
        let from = value.len() - reference.len();
        if next_stop < from {
            let Some(stop) = value[from..].find(['}', ':']) else {
                // none after it: no reference can close
                push(&rest[at..], &mut out)?;
                return Some(out);
            };
            next_stop = from + stop;
        }
        let name_end = next_stop - from;
        let (name, after) = reference.split_at(name_end);
        let (default, end) = if after.starts_with('}') {
            (None, name_end + 1)
        } else if let Some(default) = after.strip_prefix(":-") {
            // no `}` in the rest of the value: no reference can close after this one
            let Some(close) = default.find('}') else {
                push(&rest[at..], &mut out)?;
                return Some(out);
            };
            (Some(&default[..close]), name_end + 2 + close + 1)
        } else {
            // `${NAME:x}`, or no `}`: no reference, kept as written
            push("${", &mut out)?;
            rest = reference;
            continue;
        };
        // no variable has a name that is not one (nor may one be asked for)
        let from_environment = || is_key(name).then(|| std::env::var(name).ok()).flatten().map(Cow::Owned);
        let from_file = || match earlier.get(name) {
            Some(value) => Some(Cow::Borrowed(value.expose_secret())),
            None => empty.contains(name).then_some(Cow::Borrowed("")),
        };
        let found = from_environment().or_else(from_file).unwrap_or(Cow::Borrowed(default.unwrap_or_default()));
        push(&found, &mut out)?;
        rest = &reference[end..];
    }
    push(rest, &mut out)?;
    Some(out)
}

/// `rest` up to its comment (`rest` starts right after the `=`, so `KEY= # note` is
/// empty), trimmed.
fn unquoted(rest: &str) -> String {
    rest[..comment_at(rest).unwrap_or(rest.len())].trim_matches(is_blank).to_string()
}

/// The byte index of the `#` that starts a comment in `text`: the first after a blank
/// (one that starts `text` is text: `KEY=#abc`).
fn comment_at(text: &str) -> Option<usize> {
    let mut after_blank = false;
    for (at, c) in text.char_indices() {
        if c == '#' && after_blank {
            return Some(at);
        }
        after_blank = is_blank(c);
    }
    None
}

/// Whether `c` is a blank as python-dotenv's patterns read one (Python's `\s`): Unicode
/// blanks (a space, a tab, a no-break space, an ideographic space) and the four ASCII
/// separators Python counts with them.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The value opened by `quote` at the start of `text`, on line `start`, and going on
/// over `lines` until the first unescaped `quote`. When that quote has text after it,
/// or there is none, the latest escaped quote that ends a line closes it instead
/// (`'C:\tools\'`, as python-dotenv read it before 1.2.3; later ones refuse the line),
/// the lines after it read again.
fn parse_quoted<'a>(
    mut text: &'a str,
    quote: char,
    start: usize,
    lines: &mut (impl Iterator<Item = (usize, &'a str)> + Clone),
) -> Result<String, LineError> {
    let (mut value, mut number) = (String::new(), start);
    // the latest escaped quote that may end the value: the value's length before its
    // line, that line's part before it, and the lines after it
    let mut fallback = None;
    let ended_at = |value: &mut String, (length, part, rest): (usize, String, _), lines: &mut _| {
        value.truncate(length);
        value.push_str(&part);
        *lines = rest;
    };
    loop {
        let closing = first_unescaped(text, quote);
        if let Some(at) = escaped_quote_ending(text, quote).filter(|&at| closing.is_none_or(|end| at < end)) {
            fallback = Some((value.len(), unescape(&text[..at], quote), lines.clone()));
        }
        if let Some(end) = closing {
            value.push_str(&unescape(&text[..end], quote));
            return match (check_after_quote(&text[end + 1..], (start, number), quote), fallback) {
                (Err(_), Some(fallback)) => {
                    ended_at(&mut value, fallback, lines);
                    Ok(value)
                }
                (checked, _) => checked.map(|()| value),
            };
        }
        value.push_str(&unescape(text, quote));
        value.push('\n');
        (number, text) = match lines.next() {
            Some(next) => next,
            None => {
                let Some(fallback) = fallback else {
                    return Err((start, format!("the value opened with {quote} on this line is never closed")));
                };
                ended_at(&mut value, fallback, lines);
                return Ok(value);
            }
        };
    }
}

/// The byte index of an escaped `quote` in `text`, a line, with only blanks (any
/// Unicode blank, as after a closing quote) or a comment after it to the line's end,
/// which may close a value as python-dotenv before 1.2.3 did (`'C:\tools\'`).
fn escaped_quote_ending(text: &str, quote: char) -> Option<usize> {
    // read from the end: whether what follows is blanks, then the line's end or a `#`
    let mut ends_line = true;
    for (at, c) in text.char_indices().rev() {
        if c == quote && ends_line && is_escaped(text, at) {
            return Some(at);
        }
        ends_line = c == '#' || (ends_line && is_blank(c));
    }
    None
}

/// Whether the character at byte `at` of `text` is escaped: an odd number of
/// backslashes before it, each pair one backslash.
fn is_escaped(text: &str, at: usize) -> bool {
    let backslashes = text[..at].bytes().rev().take_while(|&byte| byte == b'\\').count();
    backslashes % 2 == 1
}

/// The byte index of the first `quote` in `text` that no backslash escapes, a
/// backslash escaping the character after it (`'C:\\'` closes at its last quote),
/// as python-dotenv reads a value since 1.2.3.
fn first_unescaped(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in text.char_indices() {
        if c == quote && !escaped {
            return Some(index);
        }
        escaped = c == '\\' && !escaped;
    }
    None
}

fn unescape(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let next = chars.next();
        // python-dotenv's two escapes in single quotes; any other backslash stays
        if quote == '\'' {
            match next {
                Some(escaped @ ('\\' | '\'')) => out.push(escaped),
                Some(other) => out.extend(['\\', other]),
                None => out.push('\\'),
            }
            continue;
        }
        match next {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(quoted @ ('"' | '\'' | '\\')) => out.push(quoted),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Checks what follows the closing quote of a value opened on line `opened` and closed
/// on line `closed`: text there, after a value of several lines, most likely means a
/// quote left open on the line that opened it, which the error names.
fn check_after_quote(after: &str, (opened, closed): (usize, usize), quote: char) -> Result<(), LineError> {
    let after = after.trim_matches(is_blank);
    if after.is_empty() || after.starts_with('#') {
        return Ok(());
    }
    if opened != closed {
        return Err((opened, format!("the value opened with {quote} on this line ends on line {closed}, with text after its closing {quote}; close the quote on this line, or end a value of several lines with its quote")));
    }
    Err((
        closed,
        format!("unexpected text after the closing {quote}; put a comment after ` #` or quote the whole value"),
    ))
}
