//! The body cap, exact to the byte however the body is framed, and bodies that
//! are endless, longer than their length, or say a length larger than memory.

use super::*;

#[tokio::test]
async fn bodies_over_the_cap_are_body_too_large() {
    let server = serving(ResponseTemplate::new(200).set_body_string("x".repeat(100))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge);
    assert!(error.is_body_too_large());
    assert_eq!(error.status(), Some(200));
    let told = "the body of the server's 200 OK answer is larger than the 64 bytes allowed; raise the cap with `Runtime::builder().max_body_bytes(..)` or ask the API for less";
    assert!(error.to_string().contains(told), "{error}");
}

#[tokio::test]
async fn a_retryable_status_with_a_body_over_the_cap_is_retried_as_that_status() {
    let server = MockServer::start().await;
    let error_page = ResponseTemplate::new(503).set_body_string("<html>".repeat(100));
    Mock::given(method("GET")).respond_with(error_page).up_to_n_times(1).expect(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let quick = conv_api_runtime::RetryPolicy {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        ..conv_api_runtime::DEFAULT_RETRY
    };
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).retry(quick);
    let conv: Conv<TestApi> = builder.build().unwrap().conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().status_code(), 200, "retried, as the 503 is");
    // not retried (one attempt): the error says the server may answer otherwise later
    let server = serving(ResponseTemplate::new(503).set_body_string("<html>".repeat(100))).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).retry(support::ONE_ATTEMPT);
    let error = builder.build().unwrap().conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.is_retryable()), (ErrorKind::BodyTooLarge, Some(503), true));
    let server = serving(ResponseTemplate::new(404).set_body_string("<html>".repeat(100))).await;
    let builder = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64);
    let error = builder.build().unwrap().conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status(), error.is_retryable()), (ErrorKind::BodyTooLarge, Some(404), false));
    // the status is the news, not the page that came with it
    let told = "the server answered 404 Not Found, an error, with a body larger than the 64 bytes allowed (most often an error page): the status says what went wrong";
    assert!(error.to_string().contains(told), "{error}");
}

#[tokio::test]
async fn bodies_at_the_cap_are_read() {
    let server = serving(ResponseTemplate::new(200).set_body_string("x".repeat(64))).await;
    let runtime = sandbox_builder(server.uri() + "/api/v2").max_body_bytes(64).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().text().len(), 64);
}

/// A body of a `Content-Length`, chunked in pieces of seven bytes (so the cap falls
/// inside a read), or ending where the connection does, of `len` bytes.
fn framed_answer(framing: &str, len: usize) -> String {
    let body = "x".repeat(len);
    match framing {
        "content-length" => support::http_answer(200, &[], &body),
        "chunked" => {
            let chunks: String = body
                .as_bytes()
                .chunks(7)
                .map(|piece| format!("{:x}\r\n{}\r\n", piece.len(), "x".repeat(piece.len())))
                .collect();
            format!("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n{chunks}0\r\n\r\n")
        }
        _ => format!("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{body}"),
    }
}

#[tokio::test]
async fn the_cap_is_exact_to_the_byte_however_the_body_is_framed() {
    for framing in ["content-length", "chunked", "until the connection closes"] {
        let (url, _) = support::scripted_server(vec![framed_answer(framing, 1000), framed_answer(framing, 1001)]).await;
        let runtime = sandbox_builder(url).max_body_bytes(1000).retry(ONE_ATTEMPT).build().unwrap();
        let conv: Conv<TestApi> = runtime.conversation();
        let at_the_cap = conv.api.tickets.get_ticket(1).await.unwrap_or_else(|error| panic!("{framing}: {error}"));
        assert_eq!(at_the_cap.bytes().len(), 1000, "{framing}");
        let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (ErrorKind::BodyTooLarge, Some(200)), "{framing}: {error}");
    }
}

#[tokio::test]
async fn the_default_body_cap_is_ten_mebibytes_read_to_the_byte() {
    const CAP: usize = conv_api_runtime::DEFAULT_MAX_BODY_BYTES;
    assert_eq!(CAP, 10 * 1024 * 1024);
    let at = serving(ResponseTemplate::new(200).set_body_string("x".repeat(CAP))).await;
    let conv: Conv<TestApi> = runtime(&at).conversation();
    assert_eq!(conv.api.tickets.get_ticket(1).await.unwrap().text().len(), CAP);
    let over = serving(ResponseTemplate::new(200).set_body_string("x".repeat(CAP + 1))).await;
    let conv: Conv<TestApi> = runtime(&over).conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
}

#[tokio::test]
async fn reading_an_endless_body_stops_at_the_cap() {
    let runtime = sandbox_builder(support::endless_body_server()).max_body_bytes(256 * 1024).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge, "{error}");
    assert_eq!(error.status(), Some(200));
    // neither chunked nor of a length: the body would end only with the connection
    let (url, _) = support::raw_connections(|mut stream, _, _| async move {
        use tokio::io::AsyncWriteExt;
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n").await;
        while stream.write_all(&[b'x'; 16 * 1024]).await.is_ok() {}
    })
    .await;
    let runtime = sandbox_builder(url).max_body_bytes(256 * 1024).retry(ONE_ATTEMPT).build().unwrap();
    let error = runtime.conversation::<TestApi>().api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::BodyTooLarge, Some(200)), "{error}");
}

#[tokio::test]
async fn bytes_past_the_content_length_are_not_read_into_the_body() {
    // no `connection: close`: the bytes after the body must not be taken for the next answer
    let lie = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello world HTTP/1.1 500 X\r\n\r\n".to_string();
    let (url, answered) = support::scripted_server(vec![lie]).await;
    let conv: Conv<TestApi> = sandbox_builder(url).build().unwrap().conversation();
    for _ in 0..2 {
        let response = conv.api.tickets.get_ticket(1).await.unwrap();
        assert_eq!((response.status_code(), response.text()), (200, "hello"));
    }
    assert_eq!(answered.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// `Transfer-Encoding: chunked` beside a `Content-Length`: the chunks frame the body
/// (RFC 9112 6.3), not the length.
#[tokio::test]
async fn a_chunked_answer_with_a_content_length_too_is_read_by_its_chunks() {
    let both = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n";
    let (url, _) = support::scripted_server(vec![both]).await;
    let conv: Conv<TestApi> = sandbox_builder(url).retry(ONE_ATTEMPT).build().unwrap().conversation();
    let response = conv.api.tickets.get_ticket(1).await.unwrap();
    assert_eq!((response.status_code(), response.text()), (200, "ok"));
}

#[tokio::test]
async fn a_content_length_larger_than_memory_is_not_reserved_up_front() {
    // with the cap raised out of the way, the server's claim alone must not size the buffer
    let lie = "HTTP/1.1 200 OK\r\ncontent-length: 1000000000000\r\nconnection: close\r\n\r\n{}".to_string();
    let (url, _) = support::scripted_server(vec![lie]).await;
    let runtime = sandbox_builder(url).max_body_bytes(usize::MAX).retry(support::ONE_ATTEMPT).build().unwrap();
    let conv: Conv<TestApi> = runtime.conversation();
    let error = conv.api.tickets.get_ticket(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport, "the body ended early: {error}");
    assert!(error.is_retryable(), "{error:?}");
    assert_eq!(error.status(), Some(200));
}
