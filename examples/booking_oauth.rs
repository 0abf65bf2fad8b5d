//! A booking flow with OAuth 2.0 client credentials against a local token server:
//! one token serves every call, fetched once and refreshed before it expires.
//!
//! ```text
//! cargo run --example booking_oauth
//! ```

mod integrations {
    conv_api::conv_api!("examples/apis/bookings.yaml");
}

use conv_api::{Conv, Environment, FunctionResult, Level, MapSecretStore, Runtime};
use integrations::{bookings, Api};
use serde_json::{json, Value};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A free slot, as the booking API lists them; a slot without an id cannot be booked,
/// and `.json()` says so rather than booking nothing.
#[derive(serde::Deserialize)]
struct Slot {
    id: String,
    time: String,
}

/// Finds a table and books the first free slot.
async fn book_table(conv: &Conv<Api>, venue: u32, date: &str, party: u32) -> conv_api::Result<FunctionResult> {
    let args = bookings::args::FindSlots { venue_id: venue, date, party };
    let slots: Vec<Slot> = conv.api.bookings.named.find_slots(args).await?.raise_for_status()?.json()?;
    let Some(Slot { id, time }) = slots.first() else {
        return Ok(FunctionResult::utterance(format!("Sorry, nothing is free on {date} for {party}.")));
    };
    let request = json!({ "slot": id, "party": party });
    let booking: Value = conv.api.bookings.book_slot(venue).json(&request).await?.raise_for_status()?.json()?;
    let Some(confirmation) = booking["confirmation"].as_str() else {
        conv.log.warning("booked, but the answer had no confirmation code");
        return Ok(FunctionResult::utterance(format!(
            "You're booked for {party} at {time} on {date}. Your confirmation will come by text."
        )));
    };
    conv.log.entry(Level::Info, "table booked").field("confirmation", confirmation).record();
    Ok(FunctionResult::utterance(format!(
        "You're booked for {party} at {time} on {date}. Your confirmation is {confirmation}."
    )))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let demo = demo_bookings().await;
    let secrets = MapSecretStore::new()
        .with("BOOKINGS_CLIENT_SECRET", "s3cr3t-demo")
        .with("BOOKINGS_SANDBOX_TOKEN_URL", format!("{}/oauth/token", demo.uri()));
    // the demo is a sandbox, whatever CONV_ENV says (`promotion` shows CONV_ENV at work)
    let runtime = Runtime::builder()
        .environment(Environment::Sandbox)
        .secrets(secrets)
        .base_url("bookings", format!("{}/v2", demo.uri()))
        .build()?;

    for (date, party) in [("2026-12-24", 2), ("2026-12-31", 8)] {
        let conv: Conv<Api> = runtime.conversation();
        println!("agent: {}", serde_json::to_string(&book_table(&conv, 7, date, party).await?)?);
    }
    let token_requests = demo.received_requests().await.unwrap_or_default();
    let fetched = token_requests.iter().filter(|r| r.url.path() == "/oauth/token").count();
    println!(
        "\ntoken requests for both conversations: {fetched} (cached per environment, token URL, client and scope)"
    );
    Ok(())
}

/// A local token endpoint and booking API; the API accepts only the issued token.
async fn demo_bookings() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "demo-token-1", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    let bearer = || header("authorization", "Bearer demo-token-1");
    Mock::given(method("GET"))
        .and(path("/v2/venues/7/slots"))
        .and(wiremock::matchers::query_param("date", "2026-12-24"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{ "id": "S-1", "time": "20:00" }])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/venues/7/slots"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/venues/7/bookings"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "confirmation": "R-1042" })))
        .mount(&server)
        .await;
    server
}
