//! Which values the redactor keeps knowing: tokens forgotten or added again, and
//! past the cap, the values not in use forgotten first.

use super::*;

#[test]
fn a_forgotten_token_is_masked_no_more_unless_it_is_a_secret_too_or_added_again() {
    let redactor = Redactor::new();
    for value in ["old-token", "both", "newest-token"] {
        redactor.add_token(&SecretString::from(value));
    }
    redactor.add_secret(&SecretString::from("both"));
    for value in ["old-token", "both", "newest-token"] {
        redactor.forget_token(&SecretString::from(value));
    }
    assert_eq!(redactor.text("old-token both newest-token"), "old-token *** newest-token");
    // the newest value forgotten is found known no more, then added again
    redactor.add_token(&SecretString::from("newest-token"));
    assert_eq!(redactor.text("newest-token"), "***");
    assert_eq!(redactor.masks.secrets.snapshot().len(), 2);
}

#[test]
fn a_token_forgotten_right_after_it_was_added_is_masked_again_when_a_server_hands_it_out_again() {
    // a token server may answer a new request with the token it gave before
    let redactor = Redactor::new();
    let token = SecretString::from("same-access-token-42");
    redactor.add_token(&token);
    redactor.forget_token(&token);
    assert_eq!(redactor.text("same-access-token-42"), "same-access-token-42");
    redactor.add_token(&token);
    assert_eq!(redactor.text("Bearer same-access-token-42"), "Bearer ***");
}

#[test]
fn tokens_however_many_push_out_only_older_tokens() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("agent:hunter2"));
    redactor.add_token(&SecretString::from("first-token"));
    for n in 0..3 * MAX_SECRETS {
        redactor.add_token(&SecretString::from(format!("token-{n}")));
    }
    let last = format!("token-{}", 3 * MAX_SECRETS - 1);
    let text = format!("agent:hunter2 first-token token-0 {last}");
    assert_eq!(redactor.text(&text), "*** first-token token-0 ***");
    // a token value also added as a secret is kept as a secret
    redactor.add_token(&SecretString::from("both"));
    redactor.add_secret(&SecretString::from("both"));
    for n in 0..MAX_SECRETS + 1 {
        redactor.add_token(&SecretString::from(format!("later-{n}")));
    }
    assert_eq!(redactor.text("both later-0"), "*** later-0");
    // however many tokens become lasting, each lifetime stays within the cap
    for n in 0..MAX_SECRETS + 1 {
        redactor.add_secret(&SecretString::from(format!("lasting-{n}")));
    }
    for n in 0..10 {
        redactor.add_secret(&SecretString::from(format!("later-{}", MAX_SECRETS - n)));
    }
    // the lasting values stay at the cap, and ten tokens fewer are kept as tokens
    assert_eq!(redactor.masks.secrets.snapshot().len(), MAX_SECRETS + MAX_SECRETS - 10);
}

#[test]
fn values_callers_set_in_masked_headers_however_many_push_out_no_token_or_secret() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("agent:hunter2"));
    redactor.add_token(&SecretString::from("live-access-token-0123"));
    redactor.learn_masked_header_value(b"Bearer first-hand-set");
    // each value adds itself and its credential
    for n in 0..MAX_SECRETS {
        redactor.learn_masked_header_value(format!("Bearer caller-{n}").as_bytes());
    }
    let last = format!("caller-{}", MAX_SECRETS - 1);
    let text = format!("agent:hunter2 live-access-token-0123 first-hand-set {last}");
    assert_eq!(redactor.text(&text), "*** *** first-hand-set ***");
    // a token a caller also set is kept as a token, and a hand-set value becoming a
    // token is one
    redactor.learn_masked_header_value(b"Bearer live-access-token-0123");
    redactor.learn_masked_header_value(b"Bearer soon-a-token-456");
    redactor.add_token(&SecretString::from("soon-a-token-456"));
    for n in 0..MAX_SECRETS {
        redactor.learn_masked_header_value(format!("Bearer later-{n}").as_bytes());
    }
    assert_eq!(redactor.text("live-access-token-0123 soon-a-token-456"), "*** ***");
}

#[test]
fn past_the_cap_a_value_not_added_again_is_forgotten_first() {
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("first"));
    redactor.add_secret(&SecretString::from("in-use"));
    for n in 0..MAX_SECRETS - 2 {
        redactor.add_secret(&SecretString::from(format!("token-{n}")));
    }
    redactor.add_secret(&SecretString::from("in-use"));
    redactor.add_secret(&SecretString::from("one-more"));
    assert_eq!(redactor.text("first in-use one-more token-0"), "first *** *** ***");
}

#[test]
fn a_value_masked_in_a_text_is_in_use_and_outlives_newer_ones() {
    // a session token added once, then sent (and logged) on every call of a long
    // conversation, while a thousand others start and add their own
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("sess-0000-7f3c2a9e"));
    for n in 0..3 * MAX_SECRETS {
        redactor.add_secret(&SecretString::from(format!("sess-{n:04}-other")));
        if n % 100 == 0 {
            assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***", "after {n} others");
        }
    }
    assert_eq!(redactor.text("x-session:sess-0000-7f3c2a9e"), "x-session:***");
    assert_eq!(redactor.text("sess-0001-other"), "sess-0001-other", "one neither added again nor masked goes");
}

#[test]
fn a_value_masked_again_only_after_more_than_half_the_cap_of_newer_ones_is_still_in_use() {
    // a session token sent once in a while: between two of its calls, more values start
    // than would refresh it had it been used just before, fewer than would push it out
    let redactor = Redactor::new();
    redactor.add_secret(&SecretString::from("sess-rare-7f3c2a9e"));
    for round in 0..3 {
        for n in 0..MAX_SECRETS * 3 / 4 {
            redactor.add_secret(&SecretString::from(format!("other-{round}-{n}")));
        }
        assert_eq!(redactor.text("x-session:sess-rare-7f3c2a9e"), "x-session:***", "after round {round}");
    }
}
