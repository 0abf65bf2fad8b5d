//! `json()` into a type no body decodes into: the error says how to name one.

fn decoded(response: conv_api::Response) -> conv_api::Result<std::time::Instant> {
    response.json()
}

fn main() {
    let _ = decoded;
}
