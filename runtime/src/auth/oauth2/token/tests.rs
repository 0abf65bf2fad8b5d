use reqwest::StatusCode;

use super::answer::Parsed;
use super::*;

fn token(access_token: &str) -> Token {
    let parsed = Parsed { access_token: SecretString::from(access_token), expires_in: None, unusual_type: None };
    parsed.into_token(Instant::now(), Duration::from_secs(60))
}

#[test]
fn the_header_value_follows_the_prefix_of_each_use() {
    let token = token("tok-1");
    let cached = |token: &Token| token.header.get().map(|(prefix, value)| (prefix.clone(), value.clone()));
    assert_eq!(token.header_value("Bearer").unwrap(), "Bearer tok-1");
    assert_eq!(cached(&token), Some(("Bearer".to_string(), HeaderValue::from_static("Bearer tok-1"))));
    assert_eq!(token.header_value("Bearer").unwrap(), "Bearer tok-1");
    assert_eq!(token.header_value("Token").unwrap(), "Token tok-1", "a prefix changed in the store");
    assert_eq!(token.header_value("").unwrap(), "tok-1");
    assert_eq!(cached(&token).map(|(prefix, _)| prefix), Some("Bearer".to_string()), "the first prefix stays");
}

#[test]
fn a_token_with_a_control_character_is_refused_before_it_is_cached() {
    let url = "https://auth.example/token";
    let bodies = [r"s3cr3t\n", r"s3\u0000cr3t", r"s3\tcr3t", r"s3\u0085cr3t", r"s3\u007fcr3t"];
    for body in bodies.map(|token| format!(r#"{{"access_token":"{token}"}}"#)) {
        let error =
            parse(StatusCode::OK, ("application/json".into(), None, false), body.as_bytes(), url, &Redactor::new())
                .err();
        assert!(matches!(error, Some(TokenError::InvalidAccessToken { .. })), "{body}: {error:?}");
        let message = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(message.contains("holds a control character") && !message.contains("s3"), "{message}");
    }
    let body = br#"{"access_token":"a.b-c_~+/="}"#;
    assert!(parse(StatusCode::OK, ("application/json".into(), None, false), body, url, &Redactor::new()).is_ok());
}

#[test]
fn blanks_around_a_token_are_no_part_of_it() {
    let body = "{\"access_token\":\" \\tabc \"}";
    let parsed =
        parse(StatusCode::OK, ("application/json".into(), None, false), body.as_bytes(), "u", &Redactor::new());
    let token = parsed.unwrap().into_token(Instant::now(), Duration::from_secs(60));
    assert_eq!(token.header_value("Bearer").unwrap(), "Bearer abc");
    let form = parse(StatusCode::OK, ("text/plain".into(), None, true), b"access_token=+abc+", "u", &Redactor::new());
    let token = form.unwrap().into_token(Instant::now(), Duration::from_secs(60));
    assert_eq!(token.header_value("Bearer").unwrap(), "Bearer abc");
}

#[test]
fn answers_of_no_token_endpoint_and_errors_of_other_shapes_say_what_came() {
    let message = |status: u16, body: &str| {
        let status = StatusCode::from_u16(status).unwrap();
        let parsed = parse(status, ("application/json".into(), None, false), body.as_bytes(), "u", &Redactor::new());
        parsed.err().map(|error| error.to_string()).unwrap_or_default()
    };
    // a wrong path: a gateway's 404
    let not_found = message(404, r#"{"message":"no Route matched with those values"}"#);
    assert!(
        not_found.contains(
            "(no Route matched with those values); no token endpoint answers at `token_url`: check `token_url`"
        ),
        "{not_found}"
    );
    // an error object of a gateway's own shape, shown as it is
    let object = message(400, r#"{"error":{"code":40001,"message":"client secret expired"}}"#);
    assert!(object.contains(r#"with error `{"code":40001,"message":"client secret expired"}`"#), "{object}");
    // a token of the wrong type is no missing token
    let number = message(200, r#"{"access_token":123456}"#);
    assert!(
        number.contains("with an `access_token` that is not a JSON string") && !number.contains("123456"),
        "{number}"
    );
    assert!(message(200, r#"{"token":"abc"}"#).contains("without an `access_token`"));
    // a null one is none given, as `"error": null` is no error
    let null = message(200, r#"{"access_token":null}"#);
    assert!(null.contains("200 OK without an `access_token`"), "{null}");
}

#[test]
fn a_secret_the_endpoint_echoes_is_masked_before_its_text_is_cut() {
    let known = Redactor::new();
    known.add_secret(&SecretString::from("Qm9xY2hhcmxpZS1zZWNyZXQtNDI"));
    // the secret straddles the 300th character, where the description is cut
    let description = format!("{} client_secret 'Qm9xY2hhcmxpZS1zZWNyZXQtNDI' invalid", "x".repeat(280));
    let body = serde_json::json!({ "error": "invalid_client", "error_description": description }).to_string();
    let error = parse(StatusCode::UNAUTHORIZED, ("application/json".into(), None, false), body.as_bytes(), "u", &known);
    let message = error.err().map(|error| error.to_string()).unwrap_or_default();
    assert!(message.contains("invalid_client") && !message.contains("Qm9x"), "{message}");
}

#[test]
fn a_token_is_fresh_until_sixty_seconds_before_expiry_and_never_served_from_expiry() {
    // "refreshed ahead of expiry (a skew of 60 s, at most half the token's lifetime)";
    // "an expired token is never served"
    let now = Instant::now();
    let token = Token::new(SecretString::from("tok-1"), now, Duration::from_secs(3600));
    let (refresh, expiry) = (now + Duration::from_secs(3540), now + Duration::from_secs(3600));
    assert!(token.is_fresh(refresh - Duration::from_nanos(1)), "fresh just before 60 s ahead of expiry");
    assert!(!token.is_fresh(refresh) && token.is_usable(refresh), "due for refresh, still usable");
    assert!(token.is_usable(expiry - Duration::from_nanos(1)));
    assert!(!token.is_usable(expiry), "not served at the instant it expires");
    let spent = Token::new(SecretString::from("tok-2"), now, Duration::ZERO);
    assert!(!spent.is_usable(now) && !spent.is_fresh(now), "a 0 s token is never served");
}

#[test]
fn a_token_that_cannot_be_a_header_value_is_an_error() {
    let error = token("tok\n1").header_value("Bearer").unwrap_err();
    assert!(matches!(error, AuthError::InvalidHeaderValue { field: "access_token" }), "{error:?}");
}

#[test]
fn a_407_that_is_no_token_response_says_a_proxy_or_gateway_wants_credentials() {
    let status = StatusCode::PROXY_AUTHENTICATION_REQUIRED;
    let parsed = parse(status, ("text/html".into(), None, false), b"<html>denied</html>", "u", &Redactor::new());
    let message = parsed.err().map(|error| error.to_string()).unwrap_or_default();
    assert!(
        message.ends_with("a proxy or gateway before the token server wants credentials, not the token server itself: ask the token server's owners for them; if your network lets requests out only through a proxy, set `HTTPS_PROXY` to its URL with them: `http://user:password@proxy.example:3128`"),
        "{message}"
    );
}
