//! Lists of choices as messages show them: `a`, `b` and `c`, the first few and a count.

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
    fn choices() {
        assert_eq!(list_choices(["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(list_choices(["a"]), "`a`");
    }
}
