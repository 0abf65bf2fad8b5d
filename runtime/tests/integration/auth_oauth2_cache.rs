//! The OAuth 2.0 token cache (RELIABILITY 3, 4, 5, 6, 9): refresh boundaries on the
//! tokio clock, single flight, no cached failures, compare-and-swap invalidation.

use crate::auth_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use auth_support::{
    advance, context, direct_client, header, hits, joined, oauth_environment, oauth_store, send, send_with_replay,
    token_response, url,
};
use conv_api_definitions::Environment;
use conv_api_runtime::auth::{
    AuthContext, AuthError, Authorizer, Credentials, TokenError, TokenIdentity, TokenSettings, MAX_LIFETIME,
    REFRESH_SKEW,
};
use conv_api_runtime::{DynamicApis, MapSecretStore, Runtime, Url};
use serde_json::json;
use wiremock::matchers::{header as has_header, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN_PATH: &str = "/oauth/token";

async fn bearer(auth: &Authorizer, server: &MockServer) -> Result<String, AuthError> {
    let credentials = auth.authorize(&url(&server.uri(), "/t")).await?;
    Ok(header(&credentials, "authorization").expect("a token header"))
}

/// Serves `first` once, then `second` from then on.
async fn mount_sequence(server: &MockServer, first: ResponseTemplate, second: ResponseTemplate) {
    Mock::given(path(TOKEN_PATH)).respond_with(first).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(path(TOKEN_PATH)).respond_with(second).with_priority(2).mount(server).await;
}

#[tokio::test]
async fn a_token_is_refreshed_60_seconds_before_expiry() {
    let server = MockServer::start().await;
    mount_sequence(&server, token_response("t1", 3600), token_response("t2", 3600)).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(3539)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    assert_eq!(hits(&server, TOKEN_PATH).await, 1);
    advance(Duration::from_secs(1)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test]
async fn callers_in_the_refresh_window_cause_one_refresh_and_use_the_valid_token_meanwhile() {
    let server = MockServer::start().await;
    let slow = token_response("t2", 3600).set_delay(Duration::from_millis(300));
    mount_sequence(&server, token_response("t1", 3600), slow).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(3541)).await;
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (auth, server_uri) = (Arc::clone(&auth), server.uri());
            tokio::spawn(async move {
                let credentials = auth.authorize(&url(&server_uri, "/t")).await.unwrap();
                header(&credentials, "authorization").unwrap()
            })
        })
        .collect();
    let tokens = joined(tasks).await;
    assert_eq!(hits(&server, TOKEN_PATH).await, 2, "one fetch, then one refresh for 200 callers");
    let waited = tokens.iter().filter(|token| *token == "Bearer t2").count();
    assert!(waited <= 1, "only the caller that refreshes waits for the new token: {waited}");
    assert!(tokens.iter().all(|token| token == "Bearer t1" || token == "Bearer t2"), "{tokens:?}");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2", "the refresh is kept");
}

#[tokio::test]
async fn a_short_lived_token_is_refreshed_at_half_its_lifetime() {
    let server = MockServer::start().await;
    mount_sequence(&server, token_response("t1", 100), token_response("t2", 100)).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(49)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(1)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test]
async fn expires_in_as_a_numeric_string_sets_the_lifetime() {
    let server = MockServer::start().await;
    let as_text = ResponseTemplate::new(200).set_body_json(json!({ "access_token": "t1", "expires_in": "120" }));
    mount_sequence(&server, as_text, token_response("t2", 3600)).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(59)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(1)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2", "refreshed at 60 s of a 120 s lifetime");
}

#[tokio::test]
async fn without_expires_in_the_default_lifetime_of_an_hour_applies() {
    // absent, or a text that is no number
    for no_expiry in [json!({ "access_token": "t1" }), json!({ "access_token": "t1", "expires_in": "NaN" })] {
        let server = MockServer::start().await;
        let no_expiry = ResponseTemplate::new(200).set_body_json(no_expiry);
        mount_sequence(&server, no_expiry, token_response("t2", 3600)).await;
        let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
        advance(Duration::from_secs(3539)).await;
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
        advance(Duration::from_secs(1)).await;
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    }
}

#[tokio::test]
async fn after_a_failed_refresh_the_valid_token_serves_and_the_next_refresh_waits_five_seconds() {
    let server = MockServer::start().await;
    let down = ResponseTemplate::new(503).set_body_raw("down", "text/plain");
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_response("t1", 120))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH)).respond_with(down).up_to_n_times(1).with_priority(2).mount(&server).await;
    Mock::given(path(TOKEN_PATH)).respond_with(token_response("t2", 120)).with_priority(3).mount(&server).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(61)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1", "the refresh failed; the valid token serves");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2, "no request on every call while the token server is down");
    advance(Duration::from_secs(5)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2", "tried again after the pause");
    assert_eq!(hits(&server, TOKEN_PATH).await, 3);
}

#[tokio::test]
async fn a_huge_expires_in_is_capped_at_a_year_without_overflow() {
    for huge in [json!(u64::MAX), json!(1e300), json!("1e300")] {
        let server = MockServer::start().await;
        let first = ResponseTemplate::new(200).set_body_json(json!({ "access_token": "t1", "expires_in": huge }));
        mount_sequence(&server, first, token_response("t2", 3600)).await;
        let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
        advance(MAX_LIFETIME - REFRESH_SKEW - Duration::from_secs(1)).await;
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1", "{huge}");
        advance(Duration::from_secs(1)).await;
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2", "{huge}: refreshed a minute before a year");
    }
}

#[tokio::test]
async fn an_expires_in_past_the_range_of_f64_is_capped_not_an_unreadable_response() {
    // one past `u64::MAX` too, and texts that read as infinite
    for huge in ["1e400", &"9".repeat(400), "18446744073709551616", r#""1e309""#, r#""inf""#] {
        let server = MockServer::start().await;
        let body = format!(r#"{{"access_token":"t1","token_type":"Bearer","expires_in":{huge}}}"#);
        let first = ResponseTemplate::new(200).set_body_raw(body, "application/json");
        mount_sequence(&server, first, token_response("t2", 3600)).await;
        let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
        advance(MAX_LIFETIME - REFRESH_SKEW - Duration::from_secs(1)).await;
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1", "{huge}: a year, as any huge lifetime");
    }
}

#[tokio::test]
async fn a_negative_expires_in_serves_the_call_that_fetched_it_and_is_not_reused() {
    for expires_in in [json!(-5), json!("-5"), json!(0)] {
        let server = MockServer::start().await;
        let expired =
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": "t1", "expires_in": expires_in.clone() }));
        mount_sequence(&server, expired, token_response("t2", 3600)).await;
        let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1", "{expires_in}");
        assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2", "{expires_in}");
        assert_eq!(hits(&server, TOKEN_PATH).await, 2);
    }
}

/// `expires_in` counts from when the server issued the token, before its answer
/// arrived: a slow answer takes its time out of the token's life, never adds it.
#[tokio::test]
async fn a_tokens_lifetime_counts_from_its_request_not_from_its_slow_answer() {
    let server = MockServer::start().await;
    // 2 s to live, refreshed after 1 s, arriving 1.2 s after it was asked for
    let slow = token_response("t1", 2).set_delay(Duration::from_millis(1200));
    mount_sequence(&server, slow, token_response("t2", 3600).set_delay(Duration::from_millis(1200))).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1", "the calls that waited for it are served");
    // counted from its answer, it would need no refresh for another second; its
    // 0.8 s left serve this call once it has waited half of them for the refresh
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2, "past its refresh point on arrival");
}

/// The call that starts a refresh in the token's last seconds waits for it half the
/// time left, then uses the still-valid token, as the calls beside it do.
#[tokio::test]
async fn the_call_that_starts_a_late_refresh_is_served_by_the_valid_token_when_the_token_server_hangs() {
    let server = MockServer::start().await;
    let hanging = token_response("t2", 3600).set_delay(Duration::from_secs(30));
    mount_sequence(&server, token_response("t1", 3600), hanging).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    // one second left: past that, the refresh would have to answer first
    advance(Duration::from_secs(3599)).await;
    let started = std::time::Instant::now();
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(1), "waited {waited:?}, half the second left");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2, "the refresh was asked for");
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_valid_token_but_an_expired_token_is_never_served() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503).set_body_raw("down", "text/plain");
    mount_sequence(&server, token_response("t1", 120), failing).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    advance(Duration::from_secs(61)).await;
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
    advance(Duration::from_secs(60)).await;
    let error = bearer(&auth, &server).await.unwrap_err();
    assert!(matches!(error, AuthError::Token(TokenError::NotJson { .. })), "{error}");
    assert_eq!(hits(&server, TOKEN_PATH).await, 3);
}

#[tokio::test]
async fn a_failed_fetch_is_not_cached() {
    let server = MockServer::start().await;
    let rejected = ResponseTemplate::new(400).set_body_json(json!({ "error": "temporarily_unavailable" }));
    mount_sequence(&server, rejected, token_response("t2", 3600)).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    let error = bearer(&auth, &server).await.unwrap_err().to_string();
    assert!(error.contains("temporarily_unavailable") && error.contains("400"), "{error}");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

/// The token identities `callers` concurrent authorizations of `target` got.
async fn concurrent_identities(auth: &Arc<Authorizer>, target: &url::Url, callers: usize) -> Vec<TokenIdentity> {
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let (auth, target) = (Arc::clone(auth), target.clone());
            tokio::spawn(async move { auth.authorize(&target).await.map(|c| c.token_identity()) })
        })
        .collect();
    let mut identities = Vec::new();
    for task in tasks {
        identities.push(task.await.unwrap().unwrap().unwrap());
    }
    // Awaiting hundreds of finished tasks spends the test task's tokio budget, and the
    // mock server's drop (a blocking wait on a tokio lock) would then spin forever;
    // yielding once gives the task a fresh budget.
    tokio::task::yield_now().await;
    identities
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_concurrent_callers_cause_one_token_request() {
    let server = MockServer::start().await;
    let slow = token_response("shared", 3600).set_delay(Duration::from_millis(300));
    Mock::given(path(TOKEN_PATH)).respond_with(slow).expect(1).mount(&server).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    let identities = concurrent_identities(&auth, &url(&server.uri(), "/t"), 500).await;
    assert!(identities.iter().all(|identity| *identity == identities[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_one_failed_fetch_and_a_later_caller_tries_again() {
    let server = MockServer::start().await;
    let refused = ResponseTemplate::new(503)
        .set_body_json(json!({ "error": "temporarily_unavailable" }))
        .set_delay(Duration::from_millis(300));
    mount_sequence(&server, refused, token_response("t2", 3600)).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    let target = url(&server.uri(), "/t");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (auth, target) = (Arc::clone(&auth), target.clone());
            tokio::spawn(async move { auth.authorize(&target).await.map(|_| ()) })
        })
        .collect();
    for result in joined(tasks).await {
        let error = result.expect_err("the one fetch failed");
        assert!(error.to_string().contains("temporarily_unavailable"), "{error}");
    }
    tokio::task::yield_now().await;
    assert_eq!(hits(&server, TOKEN_PATH).await, 1, "the waiting callers took the failed fetch's error");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_one_fetch_even_of_a_token_that_expires_on_arrival() {
    let server = MockServer::start().await;
    let slow = token_response("zero", 0).set_delay(Duration::from_millis(300));
    Mock::given(path(TOKEN_PATH)).respond_with(slow).expect(2).mount(&server).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    let target = url(&server.uri(), "/t");
    let identities = concurrent_identities(&auth, &target, 100).await;
    assert!(identities.iter().all(|identity| *identity == identities[0]), "one token request for them all");
    let later = auth.authorize(&target).await.unwrap().token_identity().unwrap();
    assert_ne!(later, identities[0], "a token of zero lifetime is not reused by a later call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_401s_cause_one_refresh_and_one_replay_each() {
    let server = MockServer::start().await;
    mount_sequence(&server, token_response("t1", 3600), token_response("t2", 3600)).await;
    let stale = ResponseTemplate::new(401);
    Mock::given(path("/t"))
        .and(has_header("authorization", "Bearer t1"))
        .respond_with(stale)
        .expect(50)
        .mount(&server)
        .await;
    let fresh = ResponseTemplate::new(200);
    Mock::given(path("/t"))
        .and(has_header("authorization", "Bearer t2"))
        .respond_with(fresh)
        .expect(50)
        .mount(&server)
        .await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t1");
    let credentials: Vec<_> = futures_credentials(&auth, &server, 50).await;
    let client = direct_client();
    let target = url(&server.uri(), "/t");
    let tasks: Vec<_> = credentials
        .into_iter()
        .map(|first| {
            let (auth, client, target) = (Arc::clone(&auth), client.clone(), target.clone());
            tokio::spawn(async move { replay_after_401(&auth, &client, &target, first).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

/// `count` credentials, all carrying the current token, taken before any request is sent.
async fn futures_credentials(
    auth: &Authorizer,
    server: &MockServer,
    count: usize,
) -> Vec<conv_api_runtime::auth::Credentials> {
    let mut all = Vec::new();
    for _ in 0..count {
        all.push(auth.authorize(&url(&server.uri(), "/t")).await.unwrap());
    }
    all
}

/// The pipeline's 401 handling, starting from credentials already taken.
async fn replay_after_401(
    auth: &Authorizer,
    client: &reqwest::Client,
    target: &url::Url,
    first: conv_api_runtime::auth::Credentials,
) -> u16 {
    let status = send(&first, client, target).await;
    if status != 401 {
        return status;
    }
    auth.invalidate(first.token_identity().expect("an oauth2 token"));
    let again = auth.authorize(target).await.unwrap();
    send(&again, client, target).await
}

#[tokio::test]
async fn a_second_401_is_returned_to_the_caller() {
    let server = MockServer::start().await;
    mount_sequence(&server, token_response("t1", 3600), token_response("t2", 3600)).await;
    Mock::given(path("/t")).respond_with(ResponseTemplate::new(401)).expect(2).mount(&server).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    let status = send_with_replay(&auth, &direct_client(), &url(&server.uri(), "/t")).await;
    assert_eq!(status, 401);
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test]
async fn invalidation_is_a_compare_and_swap_on_the_token_identity() {
    let server = MockServer::start().await;
    mount_sequence(&server, token_response("t1", 3600), token_response("t2", 3600)).await;
    let auth = auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store());
    let old = auth.authorize(&url(&server.uri(), "/t")).await.unwrap().token_identity().unwrap();
    assert!(auth.invalidate(old));
    assert!(!auth.invalidate(old));
    let new = auth.authorize(&url(&server.uri(), "/t")).await.unwrap().token_identity().unwrap();
    assert_ne!(old, new);
    assert!(!auth.invalidate(old), "a late 401 with the old token must not drop the new one");
    assert_eq!(bearer(&auth, &server).await.unwrap(), "Bearer t2");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

#[tokio::test]
async fn tokens_are_cached_per_environment_token_url_client_id_client_secret_and_scope() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH)).respond_with(token_response("t", 3600)).expect(5).mount(&server).await;
    Mock::given(path("/other/token")).respond_with(token_response("o", 3600)).expect(1).mount(&server).await;
    let shared = context(oauth_store().with("ZENDESK_SANDBOX_SCOPE", "unused").with("CS2", "the-client-secret"));
    let base = oauth_environment(&server.uri(), "");
    let mut live = base.clone();
    live.environment = Environment::Live;
    let other_url = auth_support::environment(
        &server.uri(),
        "oauth2",
        &format!(
            "{{ token_url: \"{}/other/token\", client_id: my-client, client_secret: {{ secret: CS }} }}",
            server.uri()
        ),
    );
    let environments = [
        base.clone(),
        base.clone(),
        live,
        oauth_environment(&server.uri(), ", scope: read"),
        oauth_environment(&server.uri(), ", scope: read"),
        auth_support::environment(
            &server.uri(),
            "oauth2",
            &format!(
                "{{ token_url: \"{}{TOKEN_PATH}\", client_id: other, client_secret: {{ secret: CS }} }}",
                server.uri()
            ),
        ),
        other_url,
        // another secret, even of the same value: the key names it, reading nothing
        auth_support::environment(
            &server.uri(),
            "oauth2",
            &format!(
                "{{ token_url: \"{}{TOKEN_PATH}\", client_id: my-client, client_secret: {{ secret: CS2 }} }}",
                server.uri()
            ),
        ),
    ];
    for environment in &environments {
        let auth = Authorizer::new(environment, shared.clone()).unwrap();
        auth.authorize(&url(&server.uri(), "/t")).await.unwrap();
    }
}

#[tokio::test]
async fn a_refresh_that_fails_after_a_401_dropped_the_token_gives_its_error_not_that_token() {
    let server = MockServer::start().await;
    // slow enough for the 401 to come while the refresh is under way, on a loaded machine too
    let failing = ResponseTemplate::new(503).set_body_raw("down", "text/plain").set_delay(Duration::from_secs(1));
    mount_sequence(&server, token_response("t1", 120), failing).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    let target = url(&server.uri(), "/t");
    let first = auth.authorize(&target).await.unwrap();
    advance(Duration::from_secs(61)).await;
    let outcome = refresh_while_a_401_drops(&server, &auth, &target, &first).await;
    assert!(matches!(outcome, Err(AuthError::Token(TokenError::NotJson { .. }))), "{outcome:?}");
    assert_eq!(hits(&server, TOKEN_PATH).await, 2, "the refresh's error is the answer: no token request after it");
}

/// The `Authorization` header of a call that refreshes `first`'s token, which a 401
/// drops once the refresh has reached the token endpoint.
async fn refresh_while_a_401_drops(
    server: &MockServer,
    auth: &Arc<Authorizer>,
    target: &Url,
    first: &Credentials,
) -> Result<Option<String>, AuthError> {
    let refreshing = tokio::spawn({
        let (auth, target) = (Arc::clone(auth), target.clone());
        async move { auth.authorize(&target).await.map(|credentials| header(&credentials, "authorization")) }
    });
    let began = std::time::Instant::now();
    while hits(server, TOKEN_PATH).await < 2 {
        assert!(began.elapsed() < Duration::from_secs(60), "the refresh never reached the token endpoint");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(auth.invalidate(first.token_identity().expect("an oauth2 token")), "the 401's token was cached");
    refreshing.await.unwrap()
}

/// A program's own request, authenticated by an `Authorizer` over the runtime's
/// redactor, may take longer than the 15 minutes a replaced token stays known after it
/// expired: said with `note_request_timeout`, its token stays masked until it is over.
#[tokio::test]
async fn a_replaced_token_stays_masked_while_a_programs_own_long_request_may_carry_it() {
    async fn advance(by: Duration) {
        tokio::time::pause();
        tokio::time::advance(by).await;
        tokio::time::resume();
    }

    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(NumberedTokens::default()).mount(&server).await;
    let runtime = Runtime::builder().environment(Environment::Live).build().unwrap();
    let authorizer = own_authorizer(&server, &runtime);
    authorizer.note_request_timeout(Duration::from_secs(3600));
    let target = Url::parse(&format!("{}/export", server.uri())).unwrap();
    // an export of an hour at most starts with own-token-1, which expires 70 s later
    authorizer.authorize(&target).await.unwrap();
    advance(Duration::from_secs(530)).await;
    authorizer.authorize(&target).await.unwrap();
    // 16 minutes past its expiry, another request's refresh replaces it
    advance(Duration::from_secs(70 + 16 * 60)).await;
    authorizer.authorize(&target).await.unwrap();
    // the export, 18 minutes in, is answered with its token echoed
    assert_eq!(runtime.redactor().text("401: token own-token-1 is expired"), "401: token *** is expired");
}

/// The call that refreshes a token in its last seconds stops waiting for the refresh
/// after half the time left; a 401 that dropped the token meanwhile means the server
/// refuses it: the call waits for the new token rather than send the dropped one.
#[tokio::test]
async fn a_refresh_that_outlasts_its_wait_after_a_401_dropped_the_token_serves_the_new_token_not_that_one() {
    let server = MockServer::start().await;
    let slow = token_response("t2", 3600).set_delay(Duration::from_secs(4));
    mount_sequence(&server, token_response("t1", 120), slow).await;
    let auth = Arc::new(auth_support::authorizer(&oauth_environment(&server.uri(), ""), oauth_store()));
    let target = url(&server.uri(), "/t");
    let first = auth.authorize(&target).await.unwrap();
    // four seconds left: the refreshing call waits two for the refresh
    advance(Duration::from_secs(116)).await;
    let outcome = refresh_while_a_401_drops(&server, &auth, &target, &first).await.unwrap();
    assert_eq!(outcome.as_deref(), Some("Bearer t2"));
    assert_eq!(hits(&server, TOKEN_PATH).await, 2);
}

/// A replaced token stays known to the redactor 15 minutes after it expired, no longer:
/// a fetch past that has it forgotten, so that a runtime refreshing tokens for days
/// does not mask every token it ever had.
#[tokio::test]
async fn a_replaced_token_is_forgotten_by_the_runtimes_redactor_once_it_expired_15_minutes_ago() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token")).respond_with(NumberedTokens::default()).expect(2).mount(&server).await;
    let runtime = Runtime::builder().environment(Environment::Live).build().unwrap();
    let authorizer = own_authorizer(&server, &runtime);
    let target = Url::parse(&format!("{}/export", server.uri())).unwrap();
    authorizer.authorize(&target).await.unwrap();
    assert_eq!(runtime.redactor().text("own-token-1"), "***");
    // 16 minutes past own-token-1's expiry, the fetch of own-token-2 has it forgotten
    advance(Duration::from_secs(600 + 16 * 60)).await;
    let credentials = authorizer.authorize(&target).await.unwrap();
    assert_eq!(header(&credentials, "authorization").as_deref(), Some("Bearer own-token-2"));
    assert_eq!(runtime.redactor().text("own-token-1 own-token-2"), "own-token-1 ***");
}

/// Tokens `own-token-1`, `own-token-2`... for 600 s each, one a request.
#[derive(Default)]
struct NumberedTokens(AtomicUsize);

impl Respond for NumberedTokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        ResponseTemplate::new(200).set_body_json(json!({ "access_token": format!("own-token-{n}"), "expires_in": 600 }))
    }
}

/// An `Authorizer` of a program's own requests to API `crm` in Live, whose token
/// endpoint is `server`'s `/oauth/token`, over the redactor of `runtime`.
fn own_authorizer(server: &MockServer, runtime: &Runtime) -> Authorizer {
    let yaml = format!(
        "api_integrations:\n  - name: crm\n    environments:\n      live:\n        base_url: \"{u}\"\n        auth_type: oauth2\n        auth: {{ token_url: \"{u}/oauth/token\", client_id: me, client_secret: {{ secret: CS }} }}\n",
        u = server.uri()
    );
    let apis = DynamicApis::parse("apis.yaml", &yaml).unwrap();
    let environment = apis.definitions().api("crm").unwrap().environment(Environment::Live).unwrap();
    let store = MapSecretStore::new().with("CS", "s3cret");
    let context =
        AuthContext::with_redactor(Arc::new(store), TokenSettings::default(), runtime.redactor().clone()).unwrap();
    Authorizer::new(environment, context).unwrap()
}
