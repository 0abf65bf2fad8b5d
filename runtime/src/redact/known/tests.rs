use super::*;

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_string())
}

#[test]
fn every_form_is_found_and_overlapping_ones_merged() {
    let mut known = Known::default();
    for value in ["abcd", "cdef", "s3cr3t/+?", "ab", "aa"] {
        known.add(&secret(value), Lifetime::Lasting, MAX_SECRETS);
    }
    let text = "xabcdefx s3cr3t%2F%2B%3F czNjcjN0Lys/ ab aaa";
    let found = known.matches(text);
    let shown: Vec<&str> = found.iter().map(|range| &text[range.clone()]).collect();
    assert_eq!(shown, ["abcdef", "s3cr3t%2F%2B%3F", "czNjcjN0Lys/", "ab", "aaa"]);
    for text in [text, "s3cr3t", "x a b c", "abc", "a", "nothing here"] {
        assert_eq!(known.holds(text), !known.matches(text).is_empty(), "{text}");
    }
}

#[test]
fn a_one_character_value_is_masked_only_standing_alone_and_longer_ones_everywhere() {
    let mut known = Known::default();
    known.add(&secret("s"), Lifetime::Lasting, MAX_SECRETS);
    known.add(&secret("ab"), Lifetime::Lasting, MAX_SECRETS);
    let text = "error sending request: s, key=ab&x=abc \"s\" sab";
    let shown: Vec<&str> = known.matches(text).iter().map(|range| &text[range.clone()]).collect();
    assert_eq!(shown, ["s", "ab", "ab", "s", "ab"]);
}

#[test]
fn a_text_as_long_as_the_shortest_form_is_searched_and_a_shorter_one_holds_none() {
    let mut known = Known::default();
    known.add(&secret("hunter22"), Lifetime::Lasting, MAX_SECRETS);
    known.add(&secret("k3y"), Lifetime::Lasting, MAX_SECRETS);
    assert_eq!(known.matches("k3y"), [Range { start: 0, end: 3 }]);
    assert!(known.holds("k3y"));
    assert!(!known.holds("k3") && known.matches("k3").is_empty());
    assert!(!known.holds(""));
}

#[test]
fn forms_longer_than_their_head_are_checked_whole() {
    let mut known = Known::default();
    let long = "0123456789abcdef-first";
    known.add(&secret(long), Lifetime::Lasting, MAX_SECRETS);
    known.add(&secret("0123456789abcdef-second"), Lifetime::Lasting, MAX_SECRETS);
    let text = format!("a {long} b 0123456789abcdef-third c 0123456789abcdef-second");
    let shown: Vec<&str> = known.matches(&text).iter().map(|range| &text[range.clone()]).collect();
    assert_eq!(shown, [long, "0123456789abcdef-second"], "the shared head alone masks nothing");
}

#[test]
fn a_value_added_after_a_search_is_found_by_the_next() {
    let secrets = Arc::new(Secrets::default());
    secrets.add(&secret("first-value"), Lifetime::Lasting);
    assert!(secrets.snapshot().matches("second-value").is_empty());
    secrets.add(&secret("second-value"), Lifetime::Lasting);
    assert_eq!(secrets.snapshot().matches("x second-value"), [Range { start: 2, end: 14 }]);
    assert_eq!(secrets.snapshot().matches("first-value"), [Range { start: 0, end: 11 }], "the first is still known");
}

#[test]
fn values_are_found_by_the_quick_search_too() {
    let mut one = Known::default();
    one.add(&secret("sk_live_Q3x9"), Lifetime::Lasting, MAX_SECRETS);
    let searcher = one.fresh_chunks[0].searcher();
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
        known.add(&secret(value), Lifetime::Lasting, MAX_SECRETS);
    }
    let searcher = known.fresh_chunks[0].searcher();
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
    let searcher =
        Searcher { automaton: None, quick: None, values: Vec::new(), shortest: 0, starting_with: Vec::new() };
    let found: Vec<(Range<usize>, bool)> =
        searcher.find_all("no secret here", &[]).into_iter().map(|(range, value)| (range, value.is_some())).collect();
    assert_eq!(found, [(Range { start: 0, end: 14 }, false)], "the whole text, of no value");
}

#[test]
fn a_known_value_in_use_writes_nothing() {
    let secrets = Arc::new(Secrets::default());
    secrets.add(&secret("key-a"), Lifetime::Lasting);
    secrets.add(&secret("key-b"), Lifetime::Lasting);
    let before = secrets.snapshot();
    secrets.add(&secret("key-a"), Lifetime::Lasting);
    assert!(Arc::ptr_eq(&before, &secrets.snapshot()), "the set was not replaced");
    assert_eq!(secrets.snapshot().len(), 2);
}

#[test]
fn a_value_added_long_ago_is_refreshed_and_outlives_newer_ones() {
    let secrets = Arc::new(Secrets::default());
    secrets.add(&secret("in-use"), Lifetime::Lasting);
    for n in 0..REFRESH_AFTER + 1 {
        secrets.add(&secret(&format!("token-{n}")), Lifetime::Lasting);
    }
    secrets.wait_for_settling();
    let before = secrets.snapshot();
    secrets.add(&secret("in-use"), Lifetime::Lasting);
    assert!(Arc::ptr_eq(&before, &secrets.snapshot()), "made the most recent in place, not in a new set");
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

#[test]
fn room_made_for_credentials_keeps_that_many_lasting_values_more_and_no_other_kind() {
    let secrets = Arc::new(Secrets::default());
    secrets.make_room(200);
    secrets.make_room(300); // the room of every definitions set alive
    for n in 0..MAX_SECRETS + 300 {
        secrets.add(&secret(&format!("credential-{n}")), Lifetime::Lasting);
    }
    assert_eq!(secrets.snapshot().len(), MAX_SECRETS + 300);
    assert!(secrets.snapshot().holds("credential-0"), "none forgotten");
    secrets.add(&secret("one-more-credential"), Lifetime::Lasting);
    assert_eq!(secrets.snapshot().len(), MAX_SECRETS + 300);
    assert!(!secrets.snapshot().holds("credential-0"), "the oldest goes");
    for n in 0..MAX_SECRETS + 1 {
        secrets.add(&secret(&format!("token-{n}")), Lifetime::Rotating);
    }
    assert_eq!(secrets.snapshot().len(), 2 * MAX_SECRETS + 300, "tokens keep 1,024");
}

#[test]
fn adding_again_more_known_values_than_refresh_after_makes_no_new_set() {
    // every API's credential, read again at each conversation's start
    let secrets = Arc::new(Secrets::default());
    let count = REFRESH_AFTER as usize + 100;
    for n in 0..count {
        secrets.add(&secret(&format!("key-{n}")), Lifetime::Lasting);
    }
    // the settled searcher's thread makes the last new set
    secrets.wait_for_settling();
    let before = secrets.snapshot();
    for _ in 0..3 {
        for n in 0..count {
            secrets.add(&secret(&format!("key-{n}")), Lifetime::Lasting);
        }
    }
    assert!(Arc::ptr_eq(&before, &secrets.snapshot()), "known values are refreshed in place");
    assert_eq!(secrets.snapshot().len(), count);
}

#[test]
fn a_snapshot_older_than_a_refresh_reads_the_value_as_recent() {
    let secrets = Arc::new(Secrets::default());
    secrets.add(&secret("in-use"), Lifetime::Lasting);
    for n in 0..REFRESH_AFTER + 1 {
        secrets.add(&secret(&format!("value-{n}")), Lifetime::Lasting);
    }
    let older = secrets.snapshot();
    secrets.add(&secret("newer"), Lifetime::Lasting);
    secrets.add(&secret("in-use"), Lifetime::Lasting);
    // its stamp, which every copy shares, is past the older snapshot's count
    assert!(matches!(older.change("in-use", Lifetime::Lasting), Change::Nothing));
    assert!(matches!(secrets.snapshot().change("in-use", Lifetime::Lasting), Change::Nothing));
}

#[test]
fn a_settled_short_token_becoming_a_secret_is_masked_everywhere() {
    let secrets = Arc::new(Secrets::default());
    secrets.add(&secret("order"), Lifetime::Rotating);
    for n in 0..=FRESH_MAX {
        secrets.add(&secret(&format!("value-{n}")), Lifetime::Lasting);
    }
    secrets.wait_for_settling();
    assert!(secrets.snapshot().settled.is_some());
    let starts = |known: &Known| known.matches("orders order").iter().map(|range| range.start).collect::<Vec<_>>();
    assert_eq!(starts(&secrets.snapshot()), [7], "a short token, standing alone");
    secrets.add(&secret("order"), Lifetime::Lasting);
    let known = secrets.snapshot();
    assert_eq!(starts(&known), [0, 7], "a credential, everywhere");
    assert_eq!((known.len(), known.count(Lifetime::Rotating)), (FRESH_MAX + 2, 0));
}

#[test]
fn values_past_the_fresh_ones_are_settled_by_a_thread_of_their_own() {
    let secrets = Arc::new(Secrets::default());
    for n in 0..FRESH_MAX {
        secrets.add(&secret(&format!("value-{n}")), Lifetime::Lasting);
    }
    assert!(secrets.snapshot().settled.is_none(), "a few values are only fresh");
    secrets.add(&secret(&format!("value-{FRESH_MAX}")), Lifetime::Lasting);
    secrets.wait_for_settling();
    let settled = secrets.snapshot();
    assert_eq!(settled.fresh, 0);
    let searcher = settled.settled.clone().expect("a settled searcher");
    secrets.add(&secret("one-more"), Lifetime::Lasting);
    let known = secrets.snapshot();
    assert!(Arc::ptr_eq(known.settled.as_ref().unwrap(), &searcher), "later sets share it");
    assert_eq!(known.fresh, 1);
    for n in 0..=FRESH_MAX {
        assert_eq!(known.matches(&format!("x value-{n}")), [Range { start: 2, end: 9 }], "value-{n}");
    }
    assert_eq!(known.matches("one-more"), [Range { start: 0, end: 8 }]);
    assert!(known.matches("value-x").is_empty());
}

#[test]
fn a_value_forgotten_after_settling_is_no_longer_found_until_added_again() {
    let mut known = Known::default();
    for n in 0..MAX_SECRETS {
        known.add(&secret(&format!("value-{n}")), Lifetime::Lasting, MAX_SECRETS);
    }
    let from = known.to_change();
    let searcher = Arc::new(Searcher::new(from.values.iter()));
    known.settle_on(&from, searcher);
    assert!(!known.needs_settling());
    assert_eq!(known.matches("value-0"), [Range { start: 0, end: 7 }]);
    known.add(&secret("newer"), Lifetime::Lasting, MAX_SECRETS);
    assert!(known.matches("value-0").is_empty(), "the oldest was forgotten: the settled searcher's match is left out");
    assert_eq!((known.fresh, known.forgotten.len()), (1, 1));
    let mut again = known.to_change();
    again.add(&secret("value-0"), Lifetime::Lasting, MAX_SECRETS);
    assert_eq!(again.matches("value-0"), [Range { start: 0, end: 7 }], "added again, it is fresh");
    assert!(again.matches("value-1").is_empty(), "the oldest then was forgotten for it");
}

#[test]
fn values_added_by_many_threads_while_settling_are_all_found() {
    let secrets = Arc::new(Secrets::default());
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let secrets = Arc::clone(&secrets);
            thread::spawn(move || {
                for n in 0..100 {
                    let value = format!("writer-{writer}-value-{n}");
                    secrets.add(&secret(&value), Lifetime::Lasting);
                    assert!(!secrets.snapshot().matches(&value).is_empty(), "{value}, just added");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    secrets.wait_for_settling();
    let known = secrets.snapshot();
    assert!(!known.needs_settling(), "the values added while a searcher was built are settled too");
    for writer in 0..4 {
        for n in 0..100 {
            let value = format!("writer-{writer}-value-{n}");
            assert_eq!(known.matches(&value).len(), 1, "{value}");
        }
    }
}

#[test]
fn values_added_in_a_burst_are_searched_by_chunks_built_once_and_shared() {
    let mut known = Known::default();
    for n in 0..100 {
        known.add(&secret(&format!("burst-value-{n:03}")), Lifetime::Lasting, MAX_SECRETS);
    }
    assert_eq!(known.fresh_chunks.len(), 13, "eight values a chunk");
    let text = "a burst-value-000 b burst-value-057 c burst-value-099";
    assert_eq!(known.matches(text).len(), 3);
    // a change rebuilds the last chunk alone: the full ones and their searchers are shared
    let mut next = known.to_change();
    next.add(&secret("burst-value-100"), Lifetime::Lasting, MAX_SECRETS);
    for (before, after) in known.fresh_chunks.iter().zip(&next.fresh_chunks).take(12) {
        assert!(Arc::ptr_eq(before, after) && after.searcher.get().is_some());
    }
    assert!(next.fresh_chunks[12].searcher.get().is_none(), "the last chunk, with the new value");
    // a value forgotten leaves its chunk, the others stay found
    next.remove("burst-value-057");
    assert_eq!(next.matches(text).len(), 2);
    let rest = "burst-value-056 burst-value-058 burst-value-100";
    assert_eq!(
        next.matches(rest).iter().map(|range| &rest[range.clone()]).collect::<Vec<_>>(),
        ["burst-value-056", "burst-value-058", "burst-value-100"]
    );
    // settled on its state with the first 50, the chunks of the rest stay as they were
    let mut settled = Known::default();
    for n in 0..50 {
        settled.add(&secret(&format!("burst-value-{n:03}")), Lifetime::Lasting, MAX_SECRETS);
    }
    let from = settled.to_change();
    for n in 50..100 {
        settled.add(&secret(&format!("burst-value-{n:03}")), Lifetime::Lasting, MAX_SECRETS);
    }
    let searcher = Arc::new(Searcher::new(from.values.iter()));
    let chunks_before = settled.fresh_chunks.clone();
    settled.settle_on(&from, searcher);
    assert_eq!(settled.fresh, 50);
    assert_eq!(settled.fresh_chunks.iter().map(|chunk| chunk.values.len()).sum::<usize>(), 50);
    // the first 50 filled six chunks and two values of the seventh
    assert_eq!(settled.fresh_chunks[0].values.len(), 6, "the rest of the straddling chunk");
    assert!(Arc::ptr_eq(&settled.fresh_chunks[1], &chunks_before[7]), "wholly fresh chunks are kept");
    assert_eq!(settled.matches(text).len(), 3);
}

#[test]
fn values_forgotten_after_settling_need_a_new_settled_searcher_only_past_the_fresh_maximum() {
    let mut known = Known::default();
    for n in 0..2 * FRESH_MAX {
        known.add(&secret(&format!("value-{n}")), Lifetime::Lasting, MAX_SECRETS);
    }
    let from = known.to_change();
    known.settle_on(&from, Arc::new(Searcher::new(from.values.iter())));
    for n in 0..FRESH_MAX {
        known.remove(&format!("value-{n}"));
    }
    assert_eq!((known.fresh, known.forgotten.len()), (0, FRESH_MAX));
    assert!(!known.needs_settling(), "as many forgotten as there may be fresh values");
    known.remove(&format!("value-{FRESH_MAX}"));
    assert!(known.needs_settling(), "one more: a new settled searcher is built");
    assert!(known.matches("value-0").is_empty(), "a forgotten value is not found");
    assert_eq!(known.matches(&format!("x value-{}", 2 * FRESH_MAX - 1)), [Range { start: 2, end: 10 }]);
}
