//! Timeouts, retry policies and TLS settings.

use super::*;

#[test]
fn durations_need_a_unit_and_must_be_positive() {
    let form = "`ms`, `s` or `m`";
    expect(
        "durations.yaml",
        &[
            (3, 14, &["`api_integrations[0].timeout` is `5h`", "`h` is not a unit", form]),
            (5, 19, &["`api_integrations[0].retry.base_delay` is `0s`", "more than zero"]),
            (6, 18, &["`api_integrations[0].retry.max_delay` is `-1s`", "negative"]),
            (
                13,
                18,
                &[
                    "`api_integrations[0].operations[0].timeout` is `15`",
                    "needs a unit",
                    "write `15s` for seconds or `15ms` for milliseconds",
                ],
            ),
        ],
    );
    // a unit written apart, or none for zero
    for (written, problem) in [
        ("10 s", "remove the space before the unit: write `10s`"),
        ("2.5 ms", "remove the space before the unit: write `2.5ms`"),
        ("0", "a duration needs a unit; write a number and a unit, `ms`, `s` or `m`"),
        // so many seconds would be hours
        (
            "30000",
            "a duration needs a unit; a number this large is likely milliseconds: write `30000ms`, that is `30s`",
        ),
        ("1500", "a duration needs a unit; a number this large is likely milliseconds: write `1500ms`"),
    ] {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        let errors = parse_str("apis.yaml", &yaml).unwrap_err().to_string();
        assert!(errors.contains(&format!("`api_integrations[0].timeout` is `{written}`: {problem}")), "{errors}");
    }
}

#[test]
fn a_duration_below_a_microsecond_is_refused_as_such() {
    let yaml = "api_integrations:\n  - name: a\n    timeout: 0.0001ms\n    environments: { live: {} }\n";
    let lines: Vec<String> = parse_str("apis.yaml", yaml).unwrap_err().lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(
        "apis.yaml:3:14: error: `api_integrations[0].timeout` is `0.0001ms`: a duration is counted in whole microseconds, and this one rounds to none: it must be at least `0.001ms` (`0.0005ms` rounds up to it)"
    ), "{lines:?}");
    let rounded_up = "api_integrations:\n  - name: a\n    timeout: 0.0005ms\n    environments: { live: {} }\n";
    assert_eq!(parse_str("apis.yaml", rounded_up).unwrap().definitions.apis[0].timeout, Some(Duration::from_micros(1)));
    let fractional = "api_integrations:\n  - name: a\n    timeout: 1.5s\n    environments: { live: {} }\n";
    assert_eq!(
        parse_str("apis.yaml", fractional).unwrap().definitions.apis[0].timeout,
        Some(Duration::from_millis(1500))
    );
}

/// Numbers written as YAML or Rust may write them are told as such, not as units.
#[test]
fn a_duration_number_in_another_notation_is_told_to_be_plain_digits() {
    for written in ["1e3ms", "1_000ms", "0x10s", "1.5e-3s", "1E2s"] {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        let errors = parse_str("apis.yaml", &yaml).unwrap_err().to_string();
        let expected = format!("`api_integrations[0].timeout` is `{written}`: write the number in plain decimal digits, with a `.` for a fraction (no exponent, `_` or `0x`); write a number and a unit");
        assert!(errors.contains(&expected), "{errors}");
        assert!(!errors.contains("is not a unit"), "{errors}");
    }
}

#[test]
fn a_duration_with_blanks_around_it_is_refused_as_other_values_are() {
    for written in ["\" 8s\"", "\"8s \"", "\"\\t8s\""] {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        let errors = parse_str("apis.yaml", &yaml).unwrap_err().to_string();
        assert!(errors.starts_with("apis.yaml:3:14: error: `api_integrations[0].timeout` is `"), "{errors}");
        assert!(errors.contains("remove the space, tab or line break around it"), "{errors}");
    }
}

/// DEFINITIONS.md sets no upper bound, so a long duration is valid; past an hour it
/// is more likely a slip of the number or unit, which a warning says.
#[test]
fn any_positive_duration_is_accepted_however_long_and_past_an_hour_warned_of() {
    let timeout = |written: &str| {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        parse_str("apis.yaml", &yaml).unwrap_or_else(|d| panic!("`{written}` rejected:\n{d}")).definitions.apis[0]
            .timeout
    };
    assert_eq!(timeout("1500m"), Some(Duration::from_secs(25 * 3600)));
    assert_eq!(timeout("99999999999999999999999999s"), Some(Duration::from_micros(u64::MAX)));
    let warnings = |retry: &str| {
        warning_lines(&format!("api_integrations:\n  - name: a\n    timeout: 60m\n    retry: {retry}\n    environments: {{ live: {{}} }}\n"))
    };
    assert!(warnings("{ max_delay: 3600s }").is_empty());
    assert_eq!(
        warnings("{ max_delay: 600000s }"),
        ["apis.yaml:4:25: warning: `api_integrations[0].retry.max_delay` is `600000s`, longer than an hour, which no conversation waits for a call: check its number and unit (`ms`, `s` or `m`)"]
    );
}

#[test]
fn delays_below_a_millisecond_are_shown_as_written() {
    let yaml = "api_integrations:\n  - name: a\n    retry: { base_delay: 0.5ms, max_delay: 0.25ms }\n    environments: { live: {} }\n";
    let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(errors.contains("(0.25ms) is less than `base_delay` (0.5ms)"), "{errors}");
}

#[test]
fn delays_too_long_to_count_are_quoted_as_written_and_shown_exactly_where_inherited() {
    let yaml = "api_integrations:\n  - name: a\n    retry: { base_delay: 18446744073709551616ms, max_delay: 5s }\n    environments: { live: {} }\n";
    let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(errors.contains("(5s) is less than `base_delay` (18446744073709551616ms)"), "{errors}");
    // an operation's cap below the API's base, stored as `u64::MAX` microseconds
    let yaml = "api_integrations:\n  - name: a\n    retry: { base_delay: 18446744073709551616ms }\n    environments: { live: {} }\n    operations: [{ name: b, method: GET, resource: /b, retry: { max_delay: 5s } }]\n";
    let errors = parse_str("apis.yaml", yaml).unwrap_err().to_string();
    assert!(errors.contains("(5s) is less than the API's `base_delay` (18446744073709551.615ms)"), "{errors}");
}

#[test]
fn attempts_are_one_to_ten() {
    expect(
        "attempts.yaml",
        &[
            (3, 24, &["`api_integrations[0].retry.attempts`", "from 1 to 10", "found `0`"]),
            (10, 28, &["`api_integrations[0].operations[0].retry.attempts`", "from 1 to 10", "found `11`"]),
        ],
    );
}

#[test]
fn a_count_with_a_fraction_and_a_negative_zero_are_told_as_written() {
    let yaml = "api_integrations:
  - name: a
    retry: { attempts: 3.0, base_delay: -0s }
    timeout: -0.5s
    environments: { live: { base_url: \"https://a.example\" } }
";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines[0].ends_with("found `3.0`; write `3`"), "{lines:#?}");
    assert!(lines[1].contains("is `-0s`: a duration must be more than zero"), "{lines:#?}");
    assert!(lines[2].contains("is `-0.5s`: negative durations are not allowed"), "{lines:#?}");
}

#[test]
fn retry_written_as_a_number_or_a_boolean_says_how_to_write_it() {
    let file = |retry: &str| {
        format!("api_integrations:\n  - name: a\n    retry: {retry}\n    environments: {{ live: {{ base_url: https://a.example }} }}\n")
    };
    let must = "apis.yaml:3:12: error: `api_integrations[0].retry` must be a mapping (`key: value` lines)";
    for (retry, fix, fixed) in [
        ("3", "write `retry: { attempts: 3 }`: attempts in all, the first included (3 is the first and 2 retries)", "{ attempts: 3 }"),
        ("2", "(2 is the first and 1 retry)", "{ attempts: 2 }"),
        ("1", "write `retry: { attempts: 1 }`: attempts in all, the first included (1 never retries)", "{ attempts: 1 }"),
        ("false", "to never retry, write `retry: { attempts: 1 }`", "{ attempts: 1 }"),
        ("0", "to never retry, write `retry: { attempts: 1 }`", "{ attempts: 1 }"),
        ("true", "calls are retried where it is safe by default (3 attempts): remove it, or write `retry: { attempts: 5 }` for more", "{ attempts: 5 }"),
    ] {
        let lines = error_lines(&file(retry));
        assert!(lines.len() == 1 && lines[0].starts_with(&format!("{must}, found `{retry}`; ")), "{retry}: {lines:?}");
        assert!(lines[0].ends_with(fix), "{retry}: {lines:?}");
        assert!(parse_str("apis.yaml", &file(fixed)).is_ok(), "{fixed}");
    }
    // a count no attempts can be, or text: only the shape is told
    for (retry, found) in [("11", "a number"), ("fast", "text")] {
        assert_eq!(error_lines(&file(retry)), [format!("{must}, found {found}")]);
    }
}

#[test]
fn max_delay_is_at_least_base_delay() {
    expect(
        "max_below_base.yaml",
        &[
            (5, 18, &["`api_integrations[0].retry.max_delay` (500ms)", "less than `base_delay` (2s)", "at least"]),
            // an operation's block that sets no delay does not repeat the API's error
            (
                10,
                78,
                &[
                    "`api_integrations[0].operations[1].retry.max_delay` (1s)",
                    "less than the API's `base_delay` (2s)",
                    "or set `base_delay` here too",
                ],
            ),
            (
                11,
                83,
                &[
                    "`api_integrations[0].operations[2].retry.base_delay` (1s)",
                    "more than the API's `max_delay` (500ms)",
                ],
            ),
        ],
    );
}

#[test]
fn delays_are_compared_once_each_is_a_duration() {
    let yaml = "api_integrations:
  - name: a
    retry: { base_delay: 5s }
    environments: { live: { base_url: \"https://a.example\" } }
    operations:
      - { name: op, method: GET, resource: /x, retry: { base_delay: 250 ms, max_delay: 1s } }
      - { name: other, method: GET, resource: /y, retry: { base_delay: 1s, max_delay: soon } }
";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].contains("retry.base_delay` is `250 ms`: remove the space"), "{lines:#?}");
    assert!(lines[1].contains("retry.max_delay` is `soon`"), "{lines:#?}");
}

#[test]
fn a_default_delay_yields_to_a_written_one() {
    let yaml = |retry: &str| {
        format!(
            "api_integrations:
  - name: a
    retry: {retry}
    environments: {{ live: {{ base_url: \"https://a.example\" }} }}
    operations: [{{ name: op, method: GET, resource: /x }}]
"
        )
    };
    let policy = |retry: &str| {
        let checked = parse_str("apis.yaml", &yaml(retry)).unwrap_or_else(|d| panic!("rejected:\n{d}"));
        let api = checked.definitions.api("a").unwrap();
        let policy = api.operation("op").unwrap().effective_retry(api);
        (policy.base_delay, policy.max_delay)
    };
    let ms = Duration::from_millis;
    assert_eq!(policy("{ max_delay: 100ms }"), (ms(100), ms(100)));
    assert_eq!(policy("{ base_delay: 30s }"), (ms(30_000), ms(30_000)));
    assert_eq!(policy("{ base_delay: 200ms }"), (ms(200), ms(20_000)));
    assert_eq!(policy("{ attempts: 2 }"), (ms(1_000), ms(20_000)));
}

#[test]
fn idempotent_is_a_boolean() {
    expect(
        "idempotent_not_boolean.yaml",
        &[(
            9,
            21,
            &[
                "`api_integrations[0].operations[0].idempotent`",
                "`true` or `false`",
                "found `yes` in quotes, which is text; write `true` without the quotes",
            ],
        )],
    );
    // YAML 1.1's booleans, which PyYAML reads: the value meant is named
    for (written, meant) in [("yes", "true"), ("Off", "false")] {
        let yaml = format!("api_integrations:\n  - name: a\n    operations:\n      - {{ name: b, method: POST, resource: /b, idempotent: {written} }}\n");
        let lines = error_lines(&yaml);
        let says = format!("found `{written}`, which YAML 1.2 reads as text; write `{meant}`");
        assert!(has_line(&lines, &["apis.yaml:4:", &says]), "{lines:#?}");
    }
    // a boolean in quotes is text, YAML 1.1's too: the fix is to drop them
    for (written, shown, meant) in
        [("\"true\"", "true", "true"), ("'false'", "false", "false"), ("'No'", "No", "false")]
    {
        let yaml = format!("api_integrations:\n  - name: a\n    operations:\n      - {{ name: b, method: POST, resource: /b, idempotent: {written} }}\n");
        let lines = error_lines(&yaml);
        let says = format!("found `{shown}` in quotes, which is text; write `{meant}` without the quotes");
        assert!(has_line(&lines, &["apis.yaml:4:", &says]), "{lines:#?}");
    }
}

#[test]
fn tls_takes_secrets_and_cert_with_key() {
    expect(
        "tls_rules.yaml",
        &[
            (7, 15, &["`api_integrations[0].environments.sandbox.tls.ca`", "only a secret reference"]),
            (11, 11, &["`api_integrations[0].environments.live.tls.client_cert` needs `client_key`", "go together"]),
            // one wrong field hides no other error of the block
            (14, 20, &["`api_integrations[0].environments.pre-release.tls.ca`", "only a secret reference"]),
            (14, 30, &["`api_integrations[0].environments.pre-release.tls.client_key` needs `client_cert`"]),
        ],
    );
}

/// `tls:` where every request is plain `http` (a local server, say) is told; where a
/// token URL may be `https`, as one from the store may, it is not.
#[test]
fn tls_settings_no_request_can_use_are_a_warning() {
    let file = |environment: &str| {
        format!("api_integrations:\n  - name: a\n    environments:\n      sandbox:\n{environment}        tls: {{ ca: {{ secret: A_CA }} }}\n")
    };
    let plain = file("        base_url: http://127.0.0.1:8080\n");
    assert_eq!(
        warning_lines(&plain),
        ["apis.yaml:6:14: warning: `api_integrations[0].environments.sandbox.tls` is unused: every request of this environment is plain `http`; remove it, or use `https` where the server takes it"]
    );
    for used in [
        "        base_url: https://a.example\n",
        "        base_url: http://127.0.0.1:8080\n        auth_type: oauth2\n        auth: { token_url: https://auth.example/token }\n",
        "        base_url: http://127.0.0.1:8080\n        auth_type: oauth2\n",
    ] {
        assert!(warning_lines(&file(used)).is_empty(), "{used}: {:?}", warning_lines(&file(used)));
    }
}

#[test]
fn no_key_turns_certificate_checks_off() {
    let tls = "`api_integrations[0].environments.sandbox.tls`";
    let live_tls = "`api_integrations[0].environments.live.tls`";
    let keys = "the keys are `ca`, `client_cert` and `client_key`";
    expect(
        "tls_checks_cannot_be_turned_off.yaml",
        &[
            (6, 16, &["unknown key `insecure`", tls, keys]),
            (10, 11, &["unknown key `verify`", live_tls, keys]),
            (11, 11, &["unknown key `danger_accept_invalid_certs`", live_tls, keys]),
        ],
    );
}

#[test]
fn resilience_keys_are_read() {
    let checked = good("full.yaml");
    let bookings = checked.definitions.api("bookings").unwrap();
    let create = bookings.operation("create_booking").unwrap();
    assert!(create.idempotent && create.is_retry_safe());
    assert_eq!(create.effective_timeout(bookings), Duration::from_secs(15));
    let policy = create.effective_retry(bookings);
    assert_eq!(
        (policy.attempts, policy.base_delay, policy.max_delay),
        (2, Duration::from_millis(200), Duration::from_secs(5))
    );
    let tls = &bookings.environment(Environment::Live).unwrap().tls;
    assert_eq!(tls.ca.as_ref().unwrap().name, "BOOKINGS_CA_PEM");
    assert_eq!(tls.client_key.as_ref().unwrap().name, "BOOKINGS_KEY_PEM");
}

/// DEFINITIONS.md: "`max_delay` is at least `base_delay`." Equal delays are allowed,
/// at the API and across levels.
#[test]
fn max_delay_equal_to_base_delay_is_allowed() {
    let yaml = "api_integrations:
  - name: a
    retry: { base_delay: 1s, max_delay: 1s }
    environments: { live: { base_url: \"https://a.example\" } }
    operations:
      - { name: op, method: GET, resource: /x, retry: { max_delay: 1000ms } }
";
    let checked = parse_str("apis.yaml", yaml).unwrap_or_else(|d| panic!("rejected:\n{d}"));
    let api = checked.definitions.api("a").unwrap();
    assert_eq!(
        (api.retry.base_delay, api.retry.max_delay),
        (Some(Duration::from_secs(1)), Some(Duration::from_secs(1)))
    );
}

/// `attempts: 3.0` is told to write `3`; a fraction or a count out of range is told
/// the range only, never "write `2.5`" or "write `11`".
#[test]
fn only_a_whole_float_in_range_is_told_to_be_written_as_an_integer() {
    for (written, expected) in [
        ("2.5", "`api_integrations[0].retry.attempts` must be a whole number from 1 to 10 (attempts in all, 1 = never retry), found `2.5`"),
        ("11.0", "`api_integrations[0].retry.attempts` must be a whole number from 1 to 10 (attempts in all, 1 = never retry), found `11.0`"),
    ] {
        let yaml = format!("api_integrations:\n  - name: a\n    retry: {{ attempts: {written} }}\n    environments: {{ live: {{}} }}\n");
        let lines = error_lines(&yaml);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].ends_with(expected), "{lines:?}");
    }
}

/// A number and a unit written apart is told to close the space, except zero,
/// whose fix would be `0s`, itself an error: it is told that a duration is more than
/// zero, as `0s` is.
#[test]
fn zero_with_a_spaced_unit_is_told_it_must_be_more_than_zero() {
    let yaml = "api_integrations:\n  - name: a\n    timeout: 0 s\n    environments: { live: {} }\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("`0 s`: a duration must be more than zero; write a number and a unit"), "{lines:?}");
    assert!(!lines[0].contains("write `0s`") && !lines[0].contains("is not a unit"), "{lines:?}");
}

/// A duration as OpenAPI and Java configs write one (`PT30S`, ISO 8601) is told the
/// one to write.
#[test]
fn an_iso_8601_duration_is_told_the_duration_to_write() {
    for (written, told) in [("PT30S", "30s"), ("PT1M30S", "90s"), ("pt0.5s", "500ms"), ("PT1H", "60m"), ("PT1M", "1m")]
    {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        assert_eq!(
            error_lines(&yaml),
            [format!("apis.yaml:3:14: error: `api_integrations[0].timeout` is `{written}`: this is an ISO 8601 duration, which this format does not read; write `{told}`")]
        );
    }
    for written in ["PT", "PTS", "PT5X", "P1D", "PT30S1H", "PT0.1S0.2S", "PT0.0000001S"] {
        let yaml =
            format!("api_integrations:\n  - name: a\n    timeout: {written}\n    environments: {{ live: {{}} }}\n");
        assert!(!error_lines(&yaml).iter().any(|line| line.contains("ISO 8601")), "{written}");
    }
}

/// A backoff strategy as other tools choose one (`backoff: exponential`) is told the
/// backoff is always exponential with full jitter, not that `backoff` means a
/// `base_delay` already given.
#[test]
fn a_backoff_strategy_is_told_it_is_always_exponential() {
    let yaml = "api_integrations:\n  - name: a\n    retry: { attempts: 3, base_delay: 1s, backoff: exponential, strategy: Full-Jitter }\n    environments: { live: {} }\n";
    let lines = error_lines(yaml);
    assert_eq!(lines.len(), 2, "{lines:?}");
    for key in ["backoff", "strategy"] {
        let told = format!("`api_integrations[0].retry.{key}` chooses a backoff strategy, but retries here always back off exponentially with full jitter, from `base_delay` up to `max_delay`: remove `{key}`");
        assert!(has_line(&lines, &[&told]), "{lines:?}");
    }
    // a delay under another tool's name is still told the key it means
    let lines =
        error_lines("api_integrations:\n  - name: a\n    retry: { backoff: 2s }\n    environments: { live: {} }\n");
    assert!(has_line(&lines, &["unknown key `backoff`", "`base_delay`"]), "{lines:?}");
}
