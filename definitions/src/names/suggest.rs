//! "Did you mean" suggestions: the choice closest to a word, if one is close enough.

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

/// The closest of `held` to the secret name `missing`, if it differs by a slip: the
/// same letters in another case, or one edit, and one more for every 21 characters
/// (two from 21 characters, three from 42). Stricter than
/// [`did_you_mean`]: secret names share long prefixes (`<API>_<ENV>_`), so a sibling
/// field's secret is never offered for another; nor is a name that differs where
/// names tell things apart (digits, or a short part: another tenant's, region's, version's).
///
/// ```
/// use conv_api_definitions::names::similar_secret_name;
/// let held = ["ZENDESK_LIVE_APIKEY", "ZENDESK_LIVE_CLIENT_ID"];
/// assert_eq!(similar_secret_name("ZENDESK_LIVE_API_KEY", held), Some("ZENDESK_LIVE_APIKEY"));
/// assert_eq!(similar_secret_name("ZENDESK_LIVE_CLIENT_SECRET", held), None);
/// assert_eq!(similar_secret_name("CRM_KEY", ["crm_key"]), Some("crm_key"));
/// assert_eq!(similar_secret_name("SHOP_UK_LIVE_API_KEY", ["SHOP_US_LIVE_API_KEY"]), None);
/// assert_eq!(similar_secret_name("TENANT8_KEY", ["TENANT9_KEY"]), None);
/// assert_eq!(similar_secret_name("TENANT1_CRM_API_KEY", ["TENANT11_CRM_API_KEY"]), None);
/// assert_eq!(similar_secret_name("SHOP_US_EAST_1_API_KEY", ["SHOP_US_WEST_1_API_KEY"]), None);
/// assert_eq!(similar_secret_name("CRM_CLIENT_ID", ["CRM_CLIENT_I"]), Some("CRM_CLIENT_I"));
/// ```
pub fn similar_secret_name<'a>(missing: &str, held: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if missing.len() > SUGGESTED_UP_TO {
        return None;
    }
    let most = 1 + missing.len() / 21;
    let upper = missing.to_ascii_uppercase();
    held.into_iter()
        .filter(|name| *name != missing && name.len().abs_diff(missing.len()) <= most)
        .filter(|name| !names_another(missing, name))
        .map(|name| (name, strsim::osa_distance(&upper, &name.to_ascii_uppercase())))
        .filter(|&(_, distance)| distance <= most)
        .min_by_key(|&(name, distance)| (distance, name))
        .map(|(name, _)| name)
}

/// Whether the secret names `a` and `b` differ only where names tell things apart,
/// not where a slip would: in their digits (`TENANT8`, `TENANT11`; `V1`, `V10`;
/// `DEV`, `DEV2`), in one `_`-separated part of the same one or two characters
/// (`SHOP_UK`, `SHOP_US`; `TENANT_A`, `TENANT_B`), or in one part by more than one
/// edit (`US_EAST_1`, `US_WEST_1`). Names equal but for case are one name.
fn names_another(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return false;
    }
    let without_digits = |name: &str| name.to_ascii_uppercase().replace(|c: char| c.is_ascii_digit(), "");
    if without_digits(a) == without_digits(b) {
        return true;
    }
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('_').collect(), b.split('_').collect());
    let mut differing = a.iter().zip(&b).filter(|(a, b)| !a.eq_ignore_ascii_case(b));
    let (Some((a_part, b_part)), None, true) = (differing.next(), differing.next(), a.len() == b.len()) else {
        return false;
    };
    let short_codes = a_part.len() == b_part.len() && a_part.len() <= 2;
    short_codes || strsim::osa_distance(&a_part.to_ascii_uppercase(), &b_part.to_ascii_uppercase()) > 1
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
