//! The retry budget: a dead service is not hammered, by one runtime or by
//! concurrent calls, while a new runtime retries as its policy says.

use super::*;

#[tokio::test]
async fn the_retry_budget_stops_hammering_a_dead_service() {
    // half a token a call, none from time: calls 2 and 4 may retry once each
    let server = answering(503, 6).await;
    let budget = RetryBudget { percent: 50, min_per_second: 0 };
    let runtime = builder_at(&server.uri()).retry_budget(budget).build().unwrap();
    let conv = runtime.dynamic_conversation(&apis());
    for _ in 0..4 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    server.verify().await;
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert_eq!(spent, 4, "{:?}", retry_notes(&conv));
    assert_eq!(DEFAULT_RETRY_BUDGET, RetryBudget { percent: 20, min_per_second: 5 });
}

/// A test that fails six calls in a row on one new runtime sees every attempt
/// of each (12 retries): the bucket starts full, not at one second's floor.
#[tokio::test]
async fn a_new_runtime_retries_a_run_of_failing_calls_as_its_policy_says() {
    let server = answering(503, 18).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    for _ in 0..6 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    server.verify().await;
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert_eq!(spent, 0, "{:?}", retry_notes(&conv));
}

/// A dead service is not hammered by the default budget: 100 calls failing in a row
/// ask for 200 retries; a new runtime's 50, the 20 its calls add and the floor's 5 a
/// second for the second or so they take allow about 75.
#[tokio::test]
async fn the_default_budget_stops_retrying_a_long_run_of_failing_calls() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503).set_body_string("failed");
    Mock::given(wiremock::matchers::any()).respond_with(failing).mount(&server).await;
    let conv = runtime_at(&server.uri()).dynamic_conversation(&apis());
    for _ in 0..100 {
        assert_eq!(call(&conv, "get_item").await.unwrap().status_code(), 503);
    }
    let retries = server.received_requests().await.unwrap().len() - 100;
    assert!((50..200).contains(&retries), "{retries} retries");
    let spent = retry_notes(&conv).iter().flatten().filter(|note| note.contains("retry budget is spent")).count();
    assert!(spent > 0, "{:?}", retry_notes(&conv));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_to_a_dead_service_retry_at_most_the_budgets_share() {
    // 20 % of 50 calls is 10 retries; no tokens from time
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(50..=60).mount(&server).await;
    let budget = RetryBudget { percent: 20, min_per_second: 0 };
    let runtime = builder_at(&server.uri()).retry_budget(budget).build().unwrap();
    let apis = apis();
    let calls: Vec<_> = (0..50)
        .map(|_| {
            let conv = runtime.dynamic_conversation(&apis);
            tokio::spawn(async move { call(&conv, "get_item").await.map(|response| response.status_code()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 503);
    }
    server.verify().await;
}
