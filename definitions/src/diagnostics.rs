//! Diagnostics: what is wrong in a definitions file, where, and how to fix it.

use std::borrow::Cow;
use std::fmt;

use crate::model::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file works, but does not follow a convention.
    Warning,
}

/// A warning that `conv_api!` reports too, as a compiler warning (the only kinds of
/// warning it reports): one about what every build or every request of the file gets wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MacroWarning {
    /// A credential written in the file, which goes wherever the file goes (a
    /// repository, the binary `conv_api!` builds).
    WrittenCredential,
    /// A resource's variable written as another tool writes it (`:id`, `${id}`,
    /// `$ID`), which every request sends other than meant: as written (the generated
    /// method then takes no argument for it), or with a `$` before the value; a call
    /// written for `:id` would be told by rustc only to drop its argument. Also
    /// another tool's placeholder in an auth setting (`{{username}}`), sent as written.
    ForeignVariable,
}

/// One problem in a definitions file, at a line and column; made by
/// [`Diagnostic::error`], [`Diagnostic::warning`], [`Diagnostic::credential_warning`]
/// and [`Diagnostic::foreign_variable_warning`].
///
/// ```
/// # extern crate conv_api_definitions as conv_api;
/// use conv_api::{parse_str, MacroWarning};
/// let yaml = "api_integrations:
///   - name: desk
///     environments: { sandbox: { base_url: https://desk.example } }
///     operations: [{ name: get_ticket, method: GET, resource: /tickets/:id }]
/// ";
/// let warning = &parse_str("apis.yaml", yaml).unwrap().warnings.items[0];
/// assert_eq!(warning.macro_warning, Some(MacroWarning::ForeignVariable));
/// assert!(!warning.is_error() && warning.message.contains("`{id}`"), "{}", warning.message);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the offending key or value starts (1-based).
    pub span: Span,
    /// What is wrong and how to fix it, naming the element.
    pub message: String,
    /// For a warning the macro reports too, what it is about.
    pub macro_warning: Option<MacroWarning>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, span, message: message.into(), macro_warning: None }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(span, message) }
    }

    /// A warning at `span` about a credential written in the file (see
    /// [`MacroWarning::WrittenCredential`]).
    pub fn credential_warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { macro_warning: Some(MacroWarning::WrittenCredential), ..Diagnostic::warning(span, message) }
    }

    /// A warning at `span` about a variable written as another tool writes it (see
    /// [`MacroWarning::ForeignVariable`]).
    pub fn foreign_variable_warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { macro_warning: Some(MacroWarning::ForeignVariable), ..Diagnostic::warning(span, message) }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form `FILE:LINE:COLUMN: error: MESSAGE` (`warning:` for a warning).
    ///
    /// ```
    /// use conv_api_definitions::{Diagnostic, Span};
    /// let d = Diagnostic::error(Span::new(3, 7), "`metod` is not a key here");
    /// assert_eq!(d.render("apis.yaml"), "apis.yaml:3:7: error: `metod` is not a key here");
    /// // the file's own text is quoted, escaped: nothing reaches a terminal raw
    /// let d = Diagnostic::error(Span::new(4, 5), "unknown key `bad\u{1b}[31mkey`");
    /// assert_eq!(d.render("apis\n.yaml"), "apis\\n.yaml:4:5: error: unknown key `bad\\u{1b}[31mkey`");
    /// ```
    pub fn render(&self, file: &str) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (file, message) = (one_line(file), one_line(&self.message));
        format!("{file}:{}:{}: {level}: {message}", self.span.line, self.span.column)
    }
}

/// `text` on one line as written, safe to print to a terminal or a CI log: control
/// characters (line breaks, tabs, terminal escapes), line and paragraph separators
/// and the marks that reorder text (right-to-left overrides) escaped as Rust
/// escapes them. Messages quote the file's own text, so they go through this.
///
/// The zero-width joiner and non-joiner and the variation selectors, which emoji and
/// some scripts need, are shown as they are where they do that job (a selector right
/// after a character beyond ASCII or a keycap's digit, a joiner between two
/// characters beyond ASCII) and escaped elsewhere, where they could only hide text: a
/// run of selectors, a selector or joiner next to ASCII letters or a space, at the
/// start or at the end.
///
/// ```
/// use conv_api_definitions::one_line;
/// assert_eq!(one_line("bad\u{1b}[31mkey\n"), "bad\\u{1b}[31mkey\\n");
/// assert_eq!(one_line("paid \u{202E}01$"), "paid \\u{202e}01$");
/// assert_eq!(one_line("\u{61C}x"), "\\u{61c}x");
/// assert_eq!(one_line("a\u{200B}b\u{FEFF}"), "a\\u{200b}b\\u{feff}");
/// assert_eq!(one_line("a\u{3164}b\u{34F}"), "a\\u{3164}b\\u{34f}");
/// assert_eq!(one_line("👍🏽 ✌\u{FE0F} 👩\u{200D}💻"), "👍🏽 ✌\u{FE0F} 👩\u{200D}💻");
/// assert_eq!(one_line("葛\u{E0100}\u{E0101}"), "葛\u{E0100}\\u{e0101}");
/// assert_eq!(one_line("`ok\u{E0100}`"), "`ok\\u{e0100}`");
/// assert_eq!(one_line("ok \u{200D}"), "ok \\u{200d}");
/// assert_eq!(one_line("café ✓"), "café ✓");
/// ```
pub fn one_line(text: &str) -> Cow<'_, str> {
    let needs_a_look = |c: char| escaped_anywhere(c) || is_joiner(c) || is_variation_selector(c);
    if !text.chars().any(needs_a_look) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    // the character before, when it was shown as it is
    let mut before: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let raw = if escaped_anywhere(c) {
            false
        } else if is_variation_selector(c) {
            before.is_some_and(|before| selects_a_form_of(c, before))
        } else if is_joiner(c) {
            before.zip(chars.peek().copied()).is_some_and(|(before, next)| joins(before, next))
        } else {
            true
        };
        if raw {
            shown.push(c);
            before = Some(c);
        } else {
            shown.extend(c.escape_default());
            before = None;
        }
    }
    Cow::Owned(shown)
}

/// Whether `c` shows when quoted on its own: not a joiner, a variation selector or a
/// character [`one_line`] escapes.
pub(crate) fn shows_alone(c: char) -> bool {
    !escaped_anywhere(c) && !is_joiner(c) && !is_variation_selector(c)
}

/// What [`one_line`] escapes wherever it stands.
fn escaped_anywhere(c: char) -> bool {
    c.is_control() || is_layout_or_invisible(c)
}

/// The zero-width non-joiner and joiner.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// The variation selectors, the ideographic ones (U+E0100-E01EF) and Mongolian's.
fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{180B}'..='\u{180D}' | '\u{180F}')
}

/// Whether the variation selector `selector` selects a form of `before`, the
/// character it follows: one beyond ASCII that shows (an emoji, an ideograph, a
/// Mongolian letter), or a digit, `#` or `*` taking its text or emoji form (a keycap).
fn selects_a_form_of(selector: char, before: char) -> bool {
    let keycap = matches!(selector, '\u{FE0E}' | '\u{FE0F}') && matches!(before, '0'..='9' | '#' | '*');
    keycap || (!before.is_ascii() && !before.is_whitespace() && shows_alone(before))
}

/// Whether a zero-width joiner or non-joiner between `before` and `next` joins them:
/// both beyond ASCII and shown (emoji, Persian, Hindi); `before` may be a selected
/// form (`❤️` in 👩‍❤️‍👨). Next to ASCII, a blank or another joiner, it only hides.
fn joins(before: char, next: char) -> bool {
    let beyond_ascii = |c: char| !c.is_ascii() && !c.is_whitespace() && !is_joiner(c) && !escaped_anywhere(c);
    beyond_ascii(before) && beyond_ascii(next) && !is_variation_selector(next)
}

/// Unicode's line and paragraph separators, bidirectional formatting marks (the
/// Arabic letter mark among them), and the characters that show as nothing and can
/// hide or disguise text: Unicode's default-ignorable ones (the soft hyphen, the
/// combining grapheme joiner, the Hangul fillers, the Mongolian vowel separator, the
/// zero-width space, the word joiner and invisible operators, the byte order mark,
/// musical and shorthand format controls, tag characters) and the interlinear
/// annotation marks. The zero-width joiner and non-joiner and the variation
/// selectors are not among them: scripts and emoji need them, and [`one_line`]
/// looks at what stands around them.
pub(crate) fn is_layout_or_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180E}' | '\u{200B}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E00FF}' | '\u{E01F0}'..='\u{E0FFF}'
    )
}

/// The problem of `text` (a URL, a header or query name) when it holds one of
/// [`is_layout_or_invisible`]'s characters or a variation selector: `holds
/// `\u{200b}`, a character that shows as nothing ..`. A zero-width joiner or
/// non-joiner between two characters beyond ASCII is not: a domain name in Persian
/// or Hindi needs them (`url` reads the name with them as another); next to ASCII or
/// at an end it is.
pub(crate) fn invisible_problem(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let joined = |i: usize| i > 0 && chars.get(i + 1).is_some_and(|&next| joins(chars[i - 1], next));
    let invisible = chars.iter().enumerate().find_map(|(i, &c)| {
        let slip = is_layout_or_invisible(c) || is_variation_selector(c) || (is_joiner(c) && !joined(i));
        slip.then_some(c)
    })?;
    Some(format!("holds {}", invisible_character(invisible)))
}

/// What a message says of `c`, one of [`is_layout_or_invisible`]'s characters written
/// in a URL or resource, where it can only be a slip: what it is and how to fix it.
pub(crate) fn invisible_character(c: char) -> String {
    format!(
        "`{}`, a character that shows as nothing (or reorders the text around it); remove it: editors do not show it, and text copied from web pages or documents often carries it",
        c.escape_default()
    )
}

/// Every diagnostic of one file, errors and warnings, in file order.
///
/// Its `Display` is one rendered line per diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Diagnostics {
    /// The file name used in rendered lines, as the user wrote it.
    pub file: String,
    /// The diagnostics, sorted by position.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Wraps diagnostics for `file`, sorting them by position.
    pub fn new(file: impl Into<String>, mut items: Vec<Diagnostic>) -> Self {
        items.sort_by_key(|d| (d.span, d.severity));
        Diagnostics { file: file.into(), items }
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| !d.is_error())
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// Each diagnostic as its `FILE:LINE:COLUMN: level: MESSAGE` line.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.items.iter().map(|d| d.render(&self.file))
    }

    fn render(&self) -> String {
        self.lines().collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// How many problems of one kind one value lists (bad characters of a resource, its
/// path variables not in snake_case); one more line counts the rest, so that a value
/// of thousands of them, or many aliases of it, is not thousands of lines.
pub(crate) const LISTED_PER_VALUE: usize = 10;

/// "1 more `one`" or "N more `many`": what the line after [`LISTED_PER_VALUE`]
/// problems counts, `None` for none past them.
pub(crate) fn unlisted(count: usize, one: &str, many: &str) -> Option<String> {
    match count.saturating_sub(LISTED_PER_VALUE) {
        0 => None,
        1 => Some(format!("1 more {one}")),
        n => Some(format!("{n} more {many}")),
    }
}

/// Gathers diagnostics while a file is read, so all of them are reported at once.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    items: Vec<Diagnostic>,
    /// Where a repeated key is reported: a second reading, of the last copies,
    /// reports what is wrong there in its own right.
    repeats: Vec<Span>,
    /// How many of `items` are errors, kept as they come: readers ask after each
    /// part of a file whether it added any.
    errors: usize,
    /// Where values start of which nothing more is told: scalars whose tag is not read.
    quiet: std::collections::HashSet<Span>,
    /// An API or operation of the file is not in the model read ([`Collector::lose_call`]).
    pub(crate) lost_calls: bool,
}

impl From<Vec<Diagnostic>> for Collector {
    fn from(items: Vec<Diagnostic>) -> Self {
        let errors = items.iter().filter(|d| d.is_error()).count();
        Collector { items, errors, repeats: Vec::new(), quiet: Default::default(), lost_calls: false }
    }
}

impl Collector {
    /// A collector of the parser's `problems`, which tells nothing more of the values
    /// starting at `quiet`: scalars whose tag is not read ([`Parsed::untyped`](crate::yaml::Parsed::untyped)).
    pub(crate) fn of_parse(problems: Vec<Diagnostic>, quiet: Vec<Span>) -> Self {
        Collector { quiet: quiet.into_iter().collect(), ..Collector::from(problems) }
    }

    /// An error; at a quiet place it is counted (readers judge a part by whether it
    /// added an error) but not told.
    pub(crate) fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors += 1;
        self.tell(Diagnostic::error(span, message));
    }

    /// Keeps `diagnostic`, unless it is at a quiet place.
    fn tell(&mut self, diagnostic: Diagnostic) {
        if !self.quiet.contains(&diagnostic.span) {
            self.items.push(diagnostic);
        }
    }

    /// An error of a key written again in its mapping, at the repeat.
    pub(crate) fn repeated_key(&mut self, span: Span, message: impl Into<String>) {
        self.repeats.push(span);
        self.error(span, message);
    }

    pub(crate) fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.tell(Diagnostic::warning(span, message));
    }

    pub(crate) fn credential_warning(&mut self, span: Span, message: impl Into<String>) {
        self.tell(Diagnostic::credential_warning(span, message));
    }

    pub(crate) fn foreign_variable_warning(&mut self, span: Span, message: impl Into<String>) {
        self.tell(Diagnostic::foreign_variable_warning(span, message));
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// Notes that an API or operation of the file, whose error is told, is not in the
    /// model read: code calling it would find no method.
    pub(crate) fn lose_call(&mut self) {
        self.lost_calls = true;
    }

    /// Runs `read` again on a fresh collector, keeping what it reports where nothing
    /// of the same severity is reported already: a second reading of a file adds only
    /// what the first could not see, not the same problem in other words.
    pub(crate) fn again(&mut self, read: impl FnOnce(&mut Collector)) {
        let mut second = Collector { quiet: self.quiet.clone(), ..Collector::from(Vec::new()) };
        read(&mut second);
        // a repeated key's place holds its repeat's error in the first reading, and
        // what is wrong there in the second
        let repeats: std::collections::HashSet<Span> = self.repeats.iter().copied().collect();
        let known: std::collections::HashSet<(Severity, Span)> =
            self.items.iter().filter(|d| !repeats.contains(&d.span)).map(|d| (d.severity, d.span)).collect();
        let new: Vec<Diagnostic> =
            second.items.into_iter().filter(|d| !known.contains(&(d.severity, d.span))).collect();
        self.errors += new.iter().filter(|d| d.is_error()).count();
        self.items.extend(new);
    }

    pub(crate) fn into_items(self) -> Vec<Diagnostic> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joiners_and_selectors_show_where_they_join_or_select_and_are_escaped_where_they_hide() {
        // emoji: a family, a kiss with a selected heart, a keycap, a flag; an ideographic variant
        for shown in [
            "👨\u{200D}👩\u{200D}👧",
            "👩\u{200D}❤\u{FE0F}\u{200D}💋\u{200D}👨",
            "1\u{FE0F}\u{20E3}",
            "#\u{FE0F}\u{20E3}",
            "🇫🇷",
            "葛\u{E0100}",
        ] {
            assert_eq!(one_line(shown), shown);
        }
        // Persian and Hindi words that need their non-joiner and joiner
        for shown in
            ["\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}", "\u{0915}\u{094D}\u{200D}\u{0937}"]
        {
            assert_eq!(one_line(shown), shown);
        }
        // 25 selectors would carry hidden text: after ASCII all are escaped, after an
        // emoji all but the first
        let hiding: String = "all good".chars().chain('\u{E0100}'..='\u{E0118}').collect();
        let shown = one_line(&hiding);
        assert!(shown.starts_with("all good\\u{e0100}\\u{e0101}"), "{shown}");
        assert_eq!(shown.matches("\\u{").count(), 25, "{shown}");
        let hiding: String = "all good 👍".chars().chain('\u{E0100}'..='\u{E0118}').collect();
        let shown = one_line(&hiding);
        assert!(shown.starts_with("all good 👍\u{E0100}\\u{e0101}"), "{shown}");
        assert_eq!(shown.matches("\\u{").count(), 24, "{shown}");
        for (hidden, escaped) in [
            ("\u{FE0F}ok", "\\u{fe0f}ok"),
            ("ok \u{FE0F}", "ok \\u{fe0f}"),
            ("ok\u{200D}", "ok\\u{200d}"),
            ("\u{200C}ok", "\\u{200c}ok"),
            ("a\u{200D}\u{200D}b", "a\\u{200d}\\u{200d}b"),
            ("a\u{200D} b", "a\\u{200d} b"),
            ("a\u{200B}\u{FE0F}", "a\\u{200b}\\u{fe0f}"),
            ("\u{1820}\u{180B}\u{180C}", "\u{1820}\u{180B}\\u{180c}"),
            // in a message, a value's edge is next to its backtick
            ("`zendesk\u{200D}`", "`zendesk\\u{200d}`"),
            ("`\u{FE0F}x`", "`\\u{fe0f}x`"),
            ("a\u{FE0F}", "a\\u{fe0f}"),
            ("é\u{200D}\u{200D}é", "é\\u{200d}\\u{200d}é"),
            ("é\u{200D}`", "é\\u{200d}`"),
        ] {
            assert_eq!(one_line(hidden), escaped, "{hidden:?}");
        }
    }

    #[test]
    fn a_url_may_hold_a_joiner_between_letters_beyond_ascii_only() {
        assert_eq!(invisible_problem("https://\u{0645}\u{06CC}\u{200C}\u{062E}.example"), None);
        for slip in [
            "https://\u{0645}\u{200C}\u{200C}\u{062E}.example",
            "https://a\u{200D}b.example",
            "https://a.example/\u{200C}",
            "https://a.example/✌\u{FE0F}",
            "https://葛\u{E0100}.example",
        ] {
            assert!(invisible_problem(slip).is_some_and(|problem| problem.starts_with("holds `\\u{")), "{slip:?}");
        }
    }

    #[test]
    fn a_collector_counts_its_errors_as_they_come() {
        let mut d =
            Collector::from(vec![Diagnostic::error(Span::new(1, 1), "a"), Diagnostic::warning(Span::new(2, 1), "b")]);
        assert_eq!(d.error_count(), 1);
        d.warning(Span::new(3, 1), "c");
        d.credential_warning(Span::new(4, 1), "d");
        d.error(Span::new(5, 1), "e");
        assert_eq!(d.error_count(), 2);
        assert_eq!(d.into_items().len(), 5);
    }
}
