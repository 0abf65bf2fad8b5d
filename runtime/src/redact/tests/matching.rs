//! Where a value is masked: not out of a mask and its neighbours, not inside a
//! longer value or word, overlapping ones as one, short ones standing alone; and
//! the redactor's `Debug`, which never shows them.

use super::*;

#[test]
fn a_mask_and_the_text_beside_it_do_not_make_a_secret_again() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("ab**"));
    let cleaned = redactor.text("abab** and **ab**");
    assert!(!cleaned.contains("ab**"), "{cleaned}");
}

#[test]
fn a_one_character_value_is_masked_standing_alone_and_not_through_its_encodings() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("1"));
    redactor.add_secret(&SecretString::from("A"));
    assert_eq!(redactor.text("MQTT broker at MQ host, a cat"), "MQTT broker at MQ host, a cat");
    assert_eq!(redactor.text("code 1, grade A"), "code ***, grade ***");
}

#[test]
fn a_redactor_debug_shows_its_masked_names_and_how_many_secrets_it_hides_never_them() {
    let mut redactor = Redactor::new();
    redactor.mask_header("X-Session");
    redactor.mask_query_param("sig");
    redactor.add_secret(&SecretString::from("s3cr3t-value"));
    let shown = format!("{redactor:?}");
    assert!(shown.starts_with("Redactor { headers: [\"authorization\""), "{shown}");
    assert!(shown.contains("\"x-session\"]") && shown.contains("\"sig\"]"), "{shown}");
    assert!(shown.ends_with("secrets: 1 hidden }"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn a_value_inside_a_longer_one_does_not_split_it() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("pw"));
    redactor.add_secret(&SecretString::from("agent:pw"));
    assert_eq!(redactor.text("x agent:pw y pw"), "x *** y ***");
}

#[test]
fn overlapping_secrets_are_masked_as_one() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("abc"));
    redactor.add_secret(&SecretString::from("bcde"));
    assert_eq!(redactor.text("xabcdey abc bcde"), "x***y *** ***");
    assert_eq!(redactor.text("näïve ab bcd"), "näïve ab bcd", "nothing to mask, nothing changed");
}

#[test]
fn a_short_token_is_masked_standing_alone_and_a_secret_of_its_value_everywhere() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("order"));
    redactor.add_token(&SecretString::from("127"));
    redactor.add_token(&SecretString::from("eyJhbGciOi.long-token"));
    // a sandbox's token server handing out short tokens garbles no other text
    assert_eq!(redactor.text("GET http://127.0.0.1/h/orders/7"), "GET http://***.0.0.1/h/orders/7");
    assert_eq!(redactor.text("order 7 confirmed; Bearer order"), "*** 7 confirmed; Bearer ***");
    assert_eq!(redactor.text("{\"t\":\"order\"} a=order&b=1"), "{\"t\":\"***\"} a=***&b=1");
    assert_eq!(redactor.text("xeyJhbGciOi.long-tokenx"), "x***x", "a token of 8 characters or more, everywhere");
    // after an escape, encoded in a URL or a JSON string, it stands alone too
    let escaped = r#"?q=a%3Dorder&auth=Bearer%20order "line\norder \u0020order""#;
    assert_eq!(redactor.text(escaped), r#"?q=a%3D***&auth=Bearer%20*** "line\n*** \u0020***""#);
    assert_eq!(redactor.text("%3Dorders %ZZorder"), "%3Dorders %ZZorder");
    assert_eq!(redactor.text("?next=%2Fh%253Ftoken%253Dorder"), "?next=%2Fh%253Ftoken%253D***", "encoded twice");
    // the same value as a credential is masked everywhere, as soon as it is added
    redactor.add_secret(&SecretString::from("order"));
    assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7");
    redactor.forget_token(&SecretString::from("order"));
    assert_eq!(redactor.text("/h/orders/7"), "/h/***s/7", "a secret stays when its token goes");
}

#[test]
fn a_token_of_eight_characters_is_masked_everywhere_and_one_of_seven_only_standing_alone() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("t0k3n-ab"));
    redactor.add_token(&SecretString::from("t0k3n-c"));
    assert_eq!(redactor.text("/h/xt0k3n-abx/7 t0k3n-ab"), "/h/x***x/7 ***", "eight characters, everywhere");
    assert_eq!(redactor.text("/h/xt0k3n-cx/7 t0k3n-c"), "/h/xt0k3n-cx/7 ***", "seven, standing alone");
    // a value a caller set is counted as a token is
    redactor.learn_hand_set("h4nd-set");
    assert_eq!(redactor.text("xh4nd-setx"), "x***x");
}

#[test]
fn a_short_token_after_what_only_looks_like_an_escape_is_not_masked() {
    let redactor = Redactor::new();
    redactor.add_token(&SecretString::from("order"));
    // `%25` or `\u` with no hex digits after it is no escape: the value follows a letter
    let text = r"%25ZZorder %25Zorder \uZZZZorder \u00Zorder";
    assert_eq!(redactor.text(text), text);
    assert_eq!(redactor.text(r"%253Dorder \u003Dorder"), r"%253D*** \u003D***", "real escapes");
}

#[test]
fn a_short_value_beside_a_letter_of_any_script_is_not_masked_inside_the_word() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("a"));
    redactor.add_token(&SecretString::from("ana"));
    assert_eq!(redactor.text("mañana años über-a"), "mañana años über-***");
    assert_eq!(redactor.text("ana, ñana, 日ana, ana日, anaé"), "***, ñana, 日ana, ana日, anaé");
    assert_eq!(redactor.text("«ana» a."), "«***» ***.");
}
