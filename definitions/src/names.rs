//! Rules for names, and "did you mean" suggestions.

use std::collections::{HashMap, HashSet};

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

/// A method a trait gives every Rust value, taking it by value: see
/// [`method_of_every_value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueMethod {
    /// The method, by its trait: `Into::into`.
    pub method: &'static str,
    /// The trait to import for every value to have it (`tracing::Instrument`), or
    /// none for the prelude's.
    pub imported_from: Option<&'static str>,
}

/// The method `name` that a trait gives every Rust value, taking it by value: the
/// prelude's `Into::into` and `TryInto::try_into`, and `tracing`'s `instrument` and
/// `with_subscriber` (with their `in_current_span` and `with_current_subscriber`),
/// whose traits agent code imports to instrument a call. `conv.api.shop.into()`
/// calls that method, found before an operation of that name, which takes its
/// client by reference; `shop::Client::into(&conv.api.shop)` calls the operation.
pub fn method_of_every_value(name: &str) -> Option<ValueMethod> {
    let (method, imported_from) = match name {
        "into" => ("Into::into", None),
        "try_into" => ("TryInto::try_into", None),
        "instrument" => ("Instrument::instrument", Some("tracing::Instrument")),
        "in_current_span" => ("Instrument::in_current_span", Some("tracing::Instrument")),
        "with_subscriber" => ("WithSubscriber::with_subscriber", Some("tracing::instrument::WithSubscriber")),
        "with_current_subscriber" => {
            ("WithSubscriber::with_current_subscriber", Some("tracing::instrument::WithSubscriber"))
        }
        _ => return None,
    };
    Some(ValueMethod { method, imported_from })
}

/// The calls of the operation `op` of the API `api` through the API's client types,
/// which a method every value has ([`method_of_every_value`]) cannot come before:
/// positional and named, each name as Rust code writes it (`r#type`); the types are
/// in the API's `module` ([`module_name`]).
///
/// ```
/// use conv_api_definitions::names::qualified_calls;
/// assert_eq!(
///     qualified_calls("r#type", "type", "into"),
///     ["r#type::Client::into(&conv.api.r#type, ..)", "r#type::Named::into(&conv.api.r#type.named, ..)"]
/// );
/// ```
pub fn qualified_calls(module: &str, api: &str, op: &str) -> [String; 2] {
    let api = rust_name(api);
    [
        format!("{module}::Client::{op}(&conv.api.{api}, ..)"),
        format!("{module}::Named::{op}(&conv.api.{api}.named, ..)"),
    ]
}

/// The name the `conv_api!` macro is called by, and so the one API name whose
/// module would make that call ambiguous where the macro expands (rustc's E0659).
pub const CRATE_NAME: &str = "conv_api";

/// The module that generated code puts the types of the API `api` in (Rust code
/// writes it as [`rust_name`] says): the API's name, but for [`CRATE_NAME`], whose
/// module would make the documented call `conv_api::conv_api!(..)` ambiguous: it gets
/// a `_`, more while `taken` says the file has an API of that name. The API's field
/// keeps its name: `conv.api.conv_api`.
///
/// ```
/// use conv_api_definitions::names::module_name;
/// assert_eq!(module_name("zendesk", |_| false), "zendesk");
/// assert_eq!(module_name("conv_api", |_| false), "conv_api_");
/// assert_eq!(module_name("conv_api", |name| name == "conv_api_"), "conv_api__");
/// ```
pub fn module_name(api: &str, taken: impl Fn(&str) -> bool) -> std::borrow::Cow<'_, str> {
    if api != CRATE_NAME {
        return std::borrow::Cow::Borrowed(api);
    }
    let mut module = format!("{CRATE_NAME}_");
    while taken(&module) {
        module.push('_');
    }
    std::borrow::Cow::Owned(module)
}

/// `name` as Rust code writes it: `r#type` for a keyword, else as it is.
pub fn rust_name(name: &str) -> std::borrow::Cow<'_, str> {
    if is_keyword(name) {
        std::borrow::Cow::Owned(format!("r#{name}"))
    } else {
        std::borrow::Cow::Borrowed(name)
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
    let snake = to_snake_case(name.trim());
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

/// The ASCII letters and digits of `word`, lower-cased, as a word is compared when its
/// case and separators do not matter: `HTTP-Method` as `httpmethod`, `API key` as `apikey`.
pub(crate) fn lowercase_alphanumerics(word: &str) -> String {
    word.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// A valid API name for `name`, which is none, to suggest: its snake_case form, each
/// run of other characters one `_` (`Zen-desk` -> `zen_desk`, `ftp://x.example` ->
/// `ftp_x_example`), when that is one.
///
/// ```
/// use conv_api_definitions::names::api_name_like;
/// assert_eq!(api_name_like("Zen-desk").as_deref(), Some("zen_desk"));
/// assert_eq!(api_name_like("block\ntext\n").as_deref(), Some("block_text"));
/// assert_eq!(api_name_like("ftp://x.example").as_deref(), Some("ftp_x_example"));
/// assert_eq!(api_name_like(" Zen desk").as_deref(), Some("zen_desk"));
/// assert_eq!(api_name_like("Self-").as_deref(), Some("self_"));
/// assert_eq!(api_name_like("_"), None);
/// ```
pub fn api_name_like(name: &str) -> Option<String> {
    let mut suggestion = String::with_capacity(name.len());
    // past the leading `_`, which stay: tracked, not searched for (thousands of `_`)
    let mut past_leading = false;
    // blanks around the name are no part of it (` Zen desk` is `zen_desk`, not `_zen_desk`)
    for c in to_snake_case(name.trim()).chars() {
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
    let named = past_leading && is_usable_api_name(suggestion);
    named.then(|| suggestion.to_string())
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

/// `did you mean `x`? ` when `x`, one of `choices`, is close to `word`
/// ([`did_you_mean`]); else nothing: the start of a message's advice.
///
/// ```
/// use conv_api_definitions::names::did_you_mean_hint;
/// assert_eq!(did_you_mean_hint("metod", ["method", "name"]), "did you mean `method`? ");
/// assert_eq!(did_you_mean_hint("colour", ["method", "name"]), "");
/// ```
pub fn did_you_mean_hint<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> String {
    hint(did_you_mean(word, choices))
}

/// `did you mean `x`? ` for a `meant` of `x`, else nothing: [`did_you_mean_hint`]
/// for a caller that also uses what was meant.
///
/// ```
/// use conv_api_definitions::names::hint;
/// assert_eq!(hint(Some("method")), "did you mean `method`? ");
/// assert_eq!(hint(None), "");
/// ```
pub fn hint(meant: Option<&str>) -> String {
    meant.map(|meant| format!("did you mean `{meant}`? ")).unwrap_or_default()
}

/// The closest of `choices` to `word`, if one is close enough to be a likely typo;
/// none for a word longer than 128 bytes.
///
/// ```
/// use conv_api_definitions::names::did_you_mean;
/// assert_eq!(did_you_mean("metod", ["method", "name"]), Some("method"));
/// assert_eq!(did_you_mean("colour", ["method", "name"]), None);
/// assert_eq!(did_you_mean("retries", ["retry", "timeout"]), Some("retry"));
/// ```
pub fn did_you_mean<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > SUGGESTED_UP_TO {
        return None;
    }
    let lowered = word.to_ascii_lowercase();
    choices
        .into_iter()
        .filter(|choice| may_be_close(word, choice))
        .map(|choice| {
            let plain = choice.to_ascii_lowercase();
            // optimal string alignment: a swap of two neighbours is one edit, as in
            // Damerau-Levenshtein, at half its cost (no map of the letters seen)
            let distance = strsim::osa_distance(&lowered, &plain);
            let similarity = strsim::jaro_winkler(&lowered, &plain);
            (choice, distance, similarity)
        })
        .filter(|&(choice, distance, similarity)| {
            distance <= (choice.len() / 3).max(1)
                || similarity >= 0.88
                || word.eq_ignore_ascii_case(choice)
                || singular(&lowered).is_some_and(|one| one == choice.to_ascii_lowercase())
        })
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)))
        .map(|(choice, _, _)| choice)
}

/// Words longer than this many bytes get no suggestion: no key or name is that long
/// (operation names of contact centres reach 70 or 80), and comparing two words
/// costs the product of their lengths (27 us for two of 128 bytes), which a file of
/// long names, or of aliases of one, would multiply.
pub(crate) const SUGGESTED_UP_TO: usize = 128;

/// Whether `word` and `choice` have lengths [`did_you_mean`]'s tests could accept: an
/// edit distance of at least their difference, or a Jaro-Winkler similarity of 0.88,
/// which needs the shorter to be at least 0.4 of the longer. Keeps the comparisons
/// of a short word with a long choice from costing the choice's length.
fn may_be_close(word: &str, choice: &str) -> bool {
    let (shorter, longer) = (word.len().min(choice.len()), word.len().max(choice.len()));
    longer - shorter <= (choice.len() / 3).max(1) + 2 || shorter * 5 >= longer * 2
}

/// `word` in the singular, for a key written as a plural (`retries` for `retry`):
/// `None` when it does not end like a plural.
fn singular(word: &str) -> Option<String> {
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    word.strip_suffix('s').map(str::to_string)
}

/// How many choices a message lists; past them it says how many more there are (a
/// file may hold thousands of APIs or operations, and one message must stay short).
pub const LISTED_AT_MOST: usize = 20;

/// `a`, `b` and `c`, each in backticks, for messages listing the valid choices; the
/// first [`LISTED_AT_MOST`] and how many more (`... and 4980 more`).
pub fn list_choices<'a>(choices: impl IntoIterator<Item = &'a str>) -> String {
    list_first(choices, LISTED_AT_MOST)
}

/// [`list_choices`] listing the first `at_most`, then how many more there are.
///
/// ```
/// use conv_api_definitions::names::list_first;
/// assert_eq!(list_first(["a", "b", "c"], 2), "`a`, `b` and 1 more");
/// ```
pub fn list_first<'a>(choices: impl IntoIterator<Item = &'a str>, at_most: usize) -> String {
    listed(choices, at_most, "and", "and")
}

/// `a`, `b` or `c`, each in backticks, for messages asking for one of them; the
/// first [`LISTED_AT_MOST`] and how many more (`... or one of 4980 more`).
pub fn list_alternatives<'a>(choices: impl IntoIterator<Item = &'a str>) -> String {
    listed(choices, LISTED_AT_MOST, "or", "or one of")
}

fn listed<'a>(
    choices: impl IntoIterator<Item = &'a str>,
    at_most: usize,
    conjunction: &str,
    before_more: &str,
) -> String {
    let mut choices = choices.into_iter();
    let quoted: Vec<String> = choices.by_ref().take(at_most).map(|c| format!("`{c}`")).collect();
    let more = choices.count();
    match quoted.as_slice() {
        [] => String::new(),
        [one] if more == 0 => one.clone(),
        _ if more > 0 => format!("{} {before_more} {more} more", quoted.join(", ")),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_show_their_first_choices_and_count_the_rest() {
        let names: Vec<String> = (0..LISTED_AT_MOST + 3).map(|i| format!("op_{i}")).collect();
        let names = || names.iter().map(String::as_str);
        let shown = list_choices(names());
        assert!(shown.starts_with("`op_0`, `op_1`, ") && shown.ends_with(", `op_19` and 3 more"), "{shown}");
        assert!(list_alternatives(names()).ends_with(", `op_19` or one of 3 more"));
        assert_eq!(list_choices(names().take(LISTED_AT_MOST)).matches('`').count(), 2 * LISTED_AT_MOST);
        assert!(list_choices(names().take(LISTED_AT_MOST)).ends_with("`op_18` and `op_19`"));
        assert_eq!(list_alternatives(["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(list_choices(["a"]), "`a`");
        assert_eq!(list_choices([]), "");
    }

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
    fn suggestions() {
        assert_eq!(did_you_mean("api_integration", ["api_integrations"]), Some("api_integrations"));
        assert_eq!(did_you_mean("apikey", ["none", "basic", "apiKey", "oauth2"]), Some("apiKey"));
        assert_eq!(did_you_mean("oauth", ["none", "basic", "apiKey", "oauth2"]), Some("oauth2"));
        assert_eq!(did_you_mean("sandbx", ["sandbox", "pre-release", "live"]), Some("sandbox"));
        assert_eq!(did_you_mean("prerelease", ["sandbox", "pre-release", "live"]), Some("pre-release"));
        assert_eq!(did_you_mean("zzz", ["sandbox", "pre-release", "live"]), None);
    }

    #[test]
    fn words_past_128_bytes_get_no_suggestion() {
        let (long, longer) = ("a".repeat(128), "a".repeat(129));
        assert_eq!(did_you_mean(&format!("{}b", "a".repeat(127)), [long.as_str()]), Some(long.as_str()));
        assert_eq!(did_you_mean(&format!("{longer}b"), [longer.as_str()]), None, "the word is too long");
        let name = "x".repeat(140);
        assert_eq!(did_you_mean(&"x".repeat(128), [name.as_str()]), Some(name.as_str()), "a long choice is fine");
        // a contact centre's operation name, one letter left out
        let operation = "get_customer_account_balance_and_recent_transactions_by_phone_number";
        let slip = operation.replace("balance", "balnce");
        assert_eq!(did_you_mean(&slip, [operation, "list_open_invoices_of_the_customer_account_00"]), Some(operation));
        let huge = "a".repeat(60_000);
        assert_eq!(did_you_mean("a", [huge.as_str()]), None, "lengths far apart are never close");
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

    #[test]
    fn choices() {
        assert_eq!(list_choices(["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(list_choices(["a"]), "`a`");
    }
}
