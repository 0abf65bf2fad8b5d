//! Resilience keys (`timeout`, `retry`, `idempotent`...) with hostile values: never
//! a panic, and an accepted file's policies within their bounds.

use super::*;

/// Duration-like text: numbers of any size and sign, fractions, units right and wrong.
fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => "[1-9][0-9]{0,3}(ms|s|m)",
        4 => "-?[0-9]{0,22}(\\.[0-9]{1,3})?(ms|s|m|h|us|S|MS)?",
        1 => "\\PC{0,8}",
        1 => proptest::sample::select(&["1ms", "0ms", "0.0001ms", "18446744073709551616s", "1e3s", "~", "\"\""][..])
            .prop_map(str::to_string),
    ]
}

/// A one-API file whose `timeout`, `retry`, `idempotent` and `tls` values are `values`.
fn resilience_document(values: &[String; 8], with_key: bool) -> String {
    let [timeout, attempts, base, max, op_timeout, op_attempts, op_max, idempotent] = values;
    let key = if with_key { "\n          client_key: { secret: K }" } else { "" };
    format!(
        "api_integrations:
  - name: svc
    timeout: {timeout}
    retry: {{ attempts: {attempts}, base_delay: {base}, max_delay: {max} }}
    environments:
      sandbox:
        base_url: https://svc.example
        tls:
          client_cert: {{ secret: C }}{key}
    operations:
      - name: op
        method: POST
        resource: /x
        idempotent: {idempotent}
        timeout: {op_timeout}
        retry: {{ attempts: {op_attempts}, max_delay: {op_max} }}
"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the resilience values, parsing never panics; an accepted file has
    /// attempts 1 to 10, positive durations, `max_delay` at least `base_delay`, and
    /// a client certificate only with its key.
    #[test]
    fn resilience_keys_never_panic_and_keep_their_bounds(
        durations in proptest::collection::vec(duration_text(), 5),
        attempts in proptest::collection::vec(prop_oneof![6 => "[1-9]|10", 1 => "-?[0-9]{1,21}", 1 => "\\PC{0,4}"], 2),
        idempotent in prop_oneof![3 => Just("true".to_string()), 3 => Just("false".to_string()), 1 => "\\PC{0,5}"],
        with_key in any::<bool>(),
    ) {
        let values = [
            durations[0].clone(), attempts[0].clone(), durations[1].clone(), durations[2].clone(),
            durations[3].clone(), attempts[1].clone(), durations[4].clone(), idempotent,
        ];
        let text = resilience_document(&values, with_key);
        match parse_str("resilience.yaml", &text) {
            Ok(checked) => {
                prop_assert!(with_key, "a client certificate without its key was accepted");
                let api = checked.definitions.api("svc").unwrap();
                let op = api.operation("op").unwrap();
                let policy = op.effective_retry(api);
                prop_assert!((1..=10).contains(&policy.attempts), "{:?}", policy);
                prop_assert!(!policy.base_delay.is_zero() && policy.max_delay >= policy.base_delay, "{:?}", policy);
                prop_assert!(!op.effective_timeout(api).is_zero());
                prop_assert!(op.is_retry_safe() == op.idempotent);
            }
            Err(diagnostics) => assert_well_formed(&diagnostics),
        }
    }
}

#[test]
fn the_resilience_template_with_good_values_is_accepted() {
    let good = ["8s", "3", "200ms", "5s", "15s", "2", "1m", "true"].map(str::to_string);
    let checked = parse_str("resilience.yaml", &resilience_document(&good, true)).unwrap();
    let api = checked.definitions.api("svc").unwrap();
    let op = api.operation("op").unwrap();
    assert_eq!(op.effective_retry(api).attempts, 2);
    assert!(op.is_retry_safe());
    let diagnostics = parse_str("resilience.yaml", &resilience_document(&good, false)).unwrap_err();
    assert!(diagnostics.to_string().contains("client_key"), "{diagnostics}");
}
