//! Rules for names: identifiers, API and secret names, snake_case; with the Rust
//! names generated code gives them, "did you mean" suggestions, and the lists of
//! choices messages show.

mod list;
mod rust;
mod suggest;

pub use list::{list_alternatives, list_choices, list_first, LISTED_AT_MOST};
pub use rust::{method_of_every_value, module_name, qualified_calls, rust_name, ValueMethod, CRATE_NAME};
pub(crate) use suggest::SUGGESTED_UP_TO;
pub use suggest::{did_you_mean, did_you_mean_hint, hint, similar_secret_name};

use std::collections::{HashMap, HashSet};

/// What [`is_identifier`] takes, as a message says it after "use".
pub(crate) const IDENTIFIER_CHARACTERS: &str = "ASCII letters (a-z, A-Z), digits and `_`, not starting with a digit";

/// Whether `name` matches `^[A-Za-z_][A-Za-z0-9_]*$`.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `name` can never be a Rust identifier, not even a raw one.
pub fn is_reserved_identifier(name: &str) -> bool {
    matches!(name, "self" | "super" | "crate" | "Self" | "_")
}

/// Why `name`, which [`is_reserved_identifier`], cannot be used, suggesting `instead`
/// ([`instead_of_reserved`] gives one).
///
/// ```
/// use conv_api_definitions::names::reserved_identifier_problem;
/// let problem = reserved_identifier_problem("self", "self_");
/// assert!(problem.ends_with("rename it (like `self_`)"), "{problem}");
/// ```
pub fn reserved_identifier_problem(name: &str, instead: &str) -> String {
    format!("`{name}` is reserved and can never be a Rust identifier, not even a raw one; rename it (like `{instead}`)")
}

/// A name to use instead of `name`, which [`is_reserved_identifier`], suggested by
/// `names`: `self_` for `self` and `Self`, `fallback` for `_` (either with a number
/// when the scope has it).
///
/// ```
/// use conv_api_definitions::names::{instead_of_reserved, NameSuggestions};
/// let mut names = NameSuggestions::new(["api", "_"]);
/// assert_eq!(instead_of_reserved("_", "api", &mut names), "api_2");
/// assert_eq!(instead_of_reserved("Self", "api", &mut names), "self_");
/// ```
pub fn instead_of_reserved(name: &str, fallback: &str, names: &mut NameSuggestions<'_>) -> String {
    let instead = if name == "_" { fallback.to_string() } else { format!("{}_", name.to_ascii_lowercase()) };
    names.suggest(&instead, name)
}

/// The names messages suggest in one scope (a file's APIs, an API's operations, a
/// resource's variables): none the scope has as written (blanks around it or not), and
/// none suggested for another of its names, so that following every suggestion makes
/// no two names one. A resource's variables get a list for the errors of reserved
/// names and another for the snake_case warnings, which only a resource without
/// errors gets.
///
/// ```
/// use conv_api_definitions::names::NameSuggestions;
/// let mut names = NameSuggestions::new(["get_ticket", "Get-Ticket", "getTicket"]);
/// assert_eq!(names.suggest("get_ticket", "Get-Ticket"), "get_ticket_2");
/// assert_eq!(names.suggest("get_ticket", "getTicket"), "get_ticket_3");
/// assert_eq!(names.suggest("list_tickets", "ListTickets"), "list_tickets");
/// assert_eq!(names.why_not("list_tickets").as_deref(), Some("suggested for `ListTickets`"));
/// assert_eq!(names.why_not("get_ticket").as_deref(), Some("taken"));
/// ```
#[derive(Debug, Default)]
pub struct NameSuggestions<'a> {
    written: HashSet<&'a str>,
    /// Each name suggested, and the name as written it was suggested for.
    suggested: HashMap<String, String>,
    /// For a name suggested with a number (`get_ticket_2`), the next number to try, so
    /// that thousands of names of one form cost one search in all, not one each.
    next_number: HashMap<String, usize>,
}

impl<'a> NameSuggestions<'a> {
    /// Suggestions in a scope whose names, valid or not, are `written`; a name with
    /// blanks around it takes the name without them too.
    pub fn new(written: impl IntoIterator<Item = &'a str>) -> Self {
        let written = written.into_iter().flat_map(|name| [name, name.trim()]).collect();
        NameSuggestions { written, ..Self::default() }
    }

    /// `name` when it is free, else the first of `name_2`, `name_3`, ... that is
    /// (`self_2` for `self_`), suggested for the name written `for_name`; either is
    /// taken from now on.
    pub fn suggest(&mut self, name: &str, for_name: &str) -> String {
        let suggestion = if self.why_not(name).is_none() {
            name.to_string()
        } else {
            // `self__2` would be no snake_case
            let separator = if name.ends_with('_') { "" } else { "_" };
            let first = self.next_number.get(name).copied().unwrap_or(2);
            let (number, numbered) = (first..)
                .map(|n| (n, format!("{name}{separator}{n}")))
                .find(|(_, numbered)| self.why_not(numbered).is_none())
                .unwrap_or_default();
            self.next_number.insert(name.to_string(), number + 1);
            numbered
        };
        self.suggested.insert(suggestion.clone(), for_name.to_string());
        suggestion
    }

    /// Why `name` is not free, as a message says it: `taken` when the scope has it,
    /// ``suggested for `getTicket` `` when [`suggest`](Self::suggest) gave it for that
    /// name; none when it is free.
    pub fn why_not(&self, name: &str) -> Option<String> {
        if self.written.contains(name) {
            Some("taken".to_string())
        } else {
            self.suggested.get(name).map(|for_name| format!("suggested for `{for_name}`"))
        }
    }
}

/// Whether `name` is a Rust keyword, so generated code writes it as `r#name`.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// Whether the reader takes `name` as an API name: it matches the API-name rule
/// ([`is_api_name`]) and is no reserved identifier (`_`).
pub fn is_usable_api_name(name: &str) -> bool {
    is_api_name(name) && !is_reserved_identifier(name)
}

/// Whether `name` matches the API-name rule `^[a-z_][a-z0-9_]*$`.
pub fn is_api_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name` is a word a parameter is named with (`audience`, `api-version`,
/// `oauth2_version`): at most 40 bytes, parts joined by `_`, `-` or `.`, each letters
/// then maybe digits; anything else (`sk_live_51Hq..`) may be a key pasted where a name
/// goes, never shown.
///
/// ```
/// use conv_api_definitions::names::is_plain_word;
/// assert!(is_plain_word("audience") && is_plain_word("api-version") && is_plain_word("oauth2_version"));
/// assert!(!is_plain_word("sk_live_51HqLyjWDarjtT1zdp7dc"));
/// ```
pub fn is_plain_word(name: &str) -> bool {
    let is_word = |part: &str| {
        let digits = part.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        digits.len() < part.len() && digits.bytes().all(|byte| byte.is_ascii_digit())
    };
    name.len() <= 40
        && name.split(['_', '-', '.']).filter(|part| !part.is_empty()).all(is_word)
        && name.contains(|c: char| c.is_ascii_alphabetic())
}

/// Whether `name` is snake_case as rustc's `non_snake_case` lint reads it: an API
/// name's characters, and no `__` between its words (leading and trailing `_` are
/// free: `_private`).
///
/// ```
/// use conv_api_definitions::names::is_snake_case;
/// assert!(is_snake_case("get_ticket") && is_snake_case("_private"));
/// assert!(!is_snake_case("getTicket") && !is_snake_case("get__ticket"));
/// ```
pub fn is_snake_case(name: &str) -> bool {
    is_api_name(name) && !name.trim_matches('_').contains("__")
}

/// Whether `name` is a valid secret name: `^[A-Z][A-Z0-9_]*$`.
pub fn is_secret_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name`, which is no valid secret name, may be a secret's value written
/// where its name goes, and so must not be shown: any with a small letter (a
/// password has the shape of a name in small letters: `hunter_2`, `Password-1`), and
/// upper-case ones of digits alone (a PIN), a quarter or more digits (a UUID, a
/// licence key: `7H3K-9QXZ-22LM`), a word where letters and digits take turns
/// (`9XK2M4Q7`), or a long run of letters and digits (a key). Shown are the names of
/// an environment variable's style that break the rule otherwise (`2KEY`,
/// `ZENDESK-KEY`).
pub(crate) fn may_be_a_secret_value(name: &str) -> bool {
    let count = |class: fn(&char) -> bool| name.chars().filter(class).count();
    let (alphanumeric, digits) = (count(char::is_ascii_alphanumeric), count(char::is_ascii_digit));
    let digits_alone = digits > 0 && digits == alphanumeric;
    let many_digits = digits >= 2 && digits * 4 >= alphanumeric;
    let keylike_word = name.split(['_', '-', '.']).any(|word| {
        let letters_and_digits =
            word.contains(|c: char| c.is_ascii_alphabetic()) && word.contains(|c: char| c.is_ascii_digit());
        let turns = word.as_bytes().windows(2).filter(|pair| pair[0].is_ascii_digit() != pair[1].is_ascii_digit());
        word.len() >= 24 || (word.len() >= 16 && letters_and_digits) || turns.count() >= 3
    });
    count(char::is_ascii_lowercase) > 0 || digits_alone || many_digits || keylike_word
}

/// An identifier like `name`, when it has a letter or digit of ASCII to keep: its
/// snake_case form, each run of other characters one `_` and a run at the end none
/// (`get_ticket()` -> `get_ticket`, `ticket-id` -> `ticket_id`), `_` before a digit
/// first. It may be a reserved word, which the caller knows how to avoid.
pub(crate) fn identifier_like(name: &str) -> Option<String> {
    let snake = to_snake_case(without_raw_prefix(name.trim()));
    let mut cleaned = String::with_capacity(snake.len());
    let mut in_run = false;
    for c in snake.chars() {
        match c.is_ascii_alphanumeric() || c == '_' {
            true => cleaned.push(c),
            false if !in_run => cleaned.push('_'),
            false => {}
        }
        in_run = !(c.is_ascii_alphanumeric() || c == '_');
    }
    if in_run {
        cleaned.pop();
    }
    if !cleaned.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(match cleaned.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{cleaned}"),
        _ => cleaned,
    })
}

/// `name` without Rust's raw-identifier prefix (`r#async` -> `async`): the file
/// writes a keyword as it is, and generated code makes it raw, so the name meant is
/// the keyword, not `r_async`.
fn without_raw_prefix(name: &str) -> &str {
    name.strip_prefix("r#").filter(|rest| !rest.is_empty()).unwrap_or(name)
}

/// The ASCII letters and digits of `word`, lower-cased, as a word is compared when its
/// case and separators do not matter: `HTTP-Method` as `httpmethod`, `API key` as `apikey`.
pub(crate) fn lowercase_alphanumerics(word: &str) -> String {
    word.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A valid API name for `name`, which is none, to suggest: its snake_case form, each
/// run of other characters one `_` (`Zen-desk` -> `zen_desk`, `ftp://x.example` ->
/// `ftp_x_example`), a leading digit after a `_`, when that is one.
///
/// ```
/// use conv_api_definitions::names::api_name_like;
/// assert_eq!(api_name_like("Zen-desk").as_deref(), Some("zen_desk"));
/// assert_eq!(api_name_like("block\ntext\n").as_deref(), Some("block_text"));
/// assert_eq!(api_name_like("ftp://x.example").as_deref(), Some("ftp_x_example"));
/// assert_eq!(api_name_like(" Zen desk").as_deref(), Some("zen_desk"));
/// assert_eq!(api_name_like("Self-").as_deref(), Some("self_"));
/// assert_eq!(api_name_like("411 lookup").as_deref(), Some("_411_lookup"));
/// assert_eq!(api_name_like("_"), None);
/// ```
pub fn api_name_like(name: &str) -> Option<String> {
    let mut suggestion = String::with_capacity(name.len());
    // past the leading `_`, which stay: tracked, not searched for (thousands of `_`)
    let mut past_leading = false;
    // blanks around the name are no part of it (` Zen desk` is `zen_desk`, not `_zen_desk`)
    for c in to_snake_case(without_raw_prefix(name.trim())).chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' };
        // a run of other characters is one `_`
        if c != '_' || !past_leading || !suggestion.ends_with('_') {
            suggestion.push(c);
        }
        past_leading |= c != '_';
    }
    // a trailing `_` goes, unless it keeps the name from being reserved (`Self-` is `self_`)
    let trimmed = suggestion.trim_end_matches('_');
    let suggestion = if is_reserved_identifier(trimmed) { suggestion.as_str() } else { trimmed };
    // a leading digit gets a `_` before it, as an operation's name does (`411` -> `_411`)
    let suggestion = match suggestion.starts_with(|c: char| c.is_ascii_digit()) {
        true => format!("_{suggestion}"),
        false => suggestion.to_string(),
    };
    let named = past_leading && is_usable_api_name(&suggestion);
    named.then_some(suggestion)
}

/// A valid secret name close to `name`, for suggestions: upper-cased, other
/// characters as `_`, starting at its first letter (`_internal_live_api_key` ->
/// `INTERNAL_LIVE_API_KEY`); `SECRET` when it has no letter.
pub fn secret_name_like(name: &str) -> String {
    let upper: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    match upper.find(|c: char| c.is_ascii_uppercase()) {
        Some(start) => upper[start..].to_string(),
        None => "SECRET".to_string(),
    }
}

/// `name` in snake_case, for suggestions: `getContact` -> `get_contact`, a Latin
/// letter with a mark of the European languages and Turkish written without it
/// (`réserver` -> `reserver`, `țara` -> `tara`).
pub fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        match ascii_folded(c) {
            Some(plain) => folded.push_str(plain),
            None => folded.push(c),
        }
    }
    // past the name's leading `_`, which stay as written (tracked, not searched for: a
    // name may be thousands of `_`)
    let mut past_leading = false;
    for c in folded.chars() {
        if c.is_ascii_uppercase() {
            past_leading = true;
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else {
            let c = if c == '-' || c == ' ' { '_' } else { c };
            // `get__ticket` -> `get_ticket`; a leading `_` stays, as it means something
            let repeated = c == '_' && out.ends_with('_') && past_leading;
            if !repeated {
                out.push(c);
            }
            past_leading |= c != '_';
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

/// The ASCII letters a Latin letter with a mark is written with where names must be
/// ASCII (`é` as `e`, `ß` as `ss`); none for other characters.
///
/// ```
/// use conv_api_definitions::names::to_snake_case;
/// assert_eq!(to_snake_case("réserverUneTable"), "reserver_une_table");
/// assert_eq!(to_snake_case("Straße"), "strasse");
/// assert_eq!(to_snake_case("pobierzPłatność"), "pobierz_platnosc");
/// assert_eq!(to_snake_case("plătește_factura"), "plateste_factura");
/// assert_eq!(to_snake_case("ĳsbaan"), "ijsbaan");
/// ```
fn ascii_folded(c: char) -> Option<&'static str> {
    // Latin-1, Latin Extended-A and Romanian's comma letters: the letters of Western,
    // Central and Northern European languages, Romanian and Turkish
    const FOLDS: [(&str, &str); 38] = [
        ("àáâãäåāăą", "a"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("çćĉċč", "c"),
        ("ÇĆĈĊČ", "C"),
        ("ďđð", "d"),
        ("ĎĐÐ", "D"),
        ("èéêëēĕėęě", "e"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ĝğġģ", "g"),
        ("ĜĞĠĢ", "G"),
        ("ĥħ", "h"),
        ("ĤĦ", "H"),
        ("ìíîïĩīĭįı", "i"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ĵ", "j"),
        ("Ĵ", "J"),
        ("ķ", "k"),
        ("Ķ", "K"),
        ("ĺļľŀł", "l"),
        ("ĹĻĽĿŁ", "L"),
        ("ñńņňŉ", "n"),
        ("ÑŃŅŇ", "N"),
        ("òóôõöøōŏő", "o"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("ŕŗř", "r"),
        ("ŔŖŘ", "R"),
        ("śŝşšș", "s"),
        ("ŚŜŞŠȘ", "S"),
        ("ţťŧț", "t"),
        ("ŢŤŦȚ", "T"),
        ("ùúûüũūŭůűų", "u"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ŵ", "w"),
        ("Ŵ", "W"),
        ("ýÿŷ", "y"),
        ("ÝŸŶ", "Y"),
        ("źżž", "z"),
        ("ŹŻŽ", "Z"),
    ];
    // every letter below is in Latin-1, Latin Extended-A or Romanian's four: a name's
    // other characters, mostly ASCII, are not looked for in the table
    if !matches!(c, '\u{c0}'..='\u{17f}' | '\u{218}'..='\u{21b}') {
        return None;
    }
    match c {
        'ß' => Some("ss"),
        'æ' => Some("ae"),
        'Æ' => Some("Ae"),
        'œ' => Some("oe"),
        'Œ' => Some("Oe"),
        'þ' => Some("th"),
        'Þ' => Some("Th"),
        'ŋ' => Some("ng"),
        'Ŋ' => Some("Ng"),
        'ĳ' => Some("ij"),
        'Ĳ' => Some("IJ"),
        'ĸ' => Some("k"),
        'ſ' => Some("s"),
        _ => FOLDS.iter().find(|(marked, _)| marked.contains(c)).map(|&(_, plain)| plain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_as_words_may_be_shown_and_keys_may_not() {
        for name in ["2KEY", "KEY2", "ZENDESK-KEY", "API.KEY", "_ZENDESK_KEY", "OAUTH2-CLIENT-SECRET", "S3.KEY"] {
            assert!(!may_be_a_secret_value(name), "{name} reads as a name");
        }
        let keys = [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "9F86D081-884C-7D65-9A2F-EAA0C55AD015",
            "12345678901",
            "AKIA-IOSFODNN7EXAMPLE2",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZAB",
            // a password has the shape of a name in small letters
            "Password-1",
            "Welcome_2024",
            "hunter_2",
            "zendesk-key",
            // a PIN, a licence key, a short key in capitals
            "4821",
            "7H3K-9QXZ-22LM",
            "9XK2M4Q7",
        ];
        for key in keys {
            assert!(may_be_a_secret_value(key), "{key} may be a key");
        }
    }

    #[test]
    fn secret_names_suggested_are_valid() {
        assert_eq!(secret_name_like("_INTERNAL_LIVE_PASSWORD"), "INTERNAL_LIVE_PASSWORD");
        assert_eq!(secret_name_like("Bad-Name_SANDBOX_API_KEY"), "BAD_NAME_SANDBOX_API_KEY");
        assert_eq!(secret_name_like("_SANDBOX_PASSWORD"), "SANDBOX_PASSWORD");
        assert_eq!(secret_name_like("9-é"), "SECRET");
        for name in ["_x", "1ab", "a b.c", "ÜBER_KEY", ""] {
            assert!(is_secret_name(&secret_name_like(name)), "{name}");
        }
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("getContact"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("get-contact"));
        assert!(!is_identifier(""));
        assert!(is_reserved_identifier("self"));
        assert!(!is_reserved_identifier("type"));
        assert!(is_keyword("type"));
    }

    #[test]
    fn snake_case() {
        assert_eq!(to_snake_case("getContact"), "get_contact");
        assert_eq!(to_snake_case("GetHTTPThing"), "get_httpthing");
        assert!(is_snake_case("get_contact"));
        assert!(!is_snake_case("getContact"));
        assert!(!is_snake_case("get__ticket") && is_snake_case("__private") && is_snake_case("ticket_"));
        assert_eq!(to_snake_case("get__ticket"), "get_ticket");
        assert_eq!(to_snake_case("__private__id"), "__private_id");
        assert!(is_api_name("get__ticket"), "the API-name rule is the ADK's, `__` too");
    }
}
