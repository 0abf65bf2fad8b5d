//! The runtime's integration tests, in one binary: it builds in half the time the
//! same tests took as one binary each (26 s against 55 s on 2 cores), and its tests
//! share nothing but the process. The tests that set environment variables, which
//! the runtime reads (secrets, proxies, `CONV_ENV`), keep binaries of their own,
//! as do `mocks.rs`, which reads the definitions crate's fixtures and so stays out
//! of the published package, and `lone_subscriber.rs`, whose tracing subscriber
//! must be the process's only one.

#[path = "../auth_support/mod.rs"]
mod auth_support;
#[path = "../support/mod.rs"]
mod support;

mod auth_basic_api_key;
mod auth_echo;
mod auth_no_leaks;
mod auth_oauth2_cache;
mod auth_oauth2_request;
mod auth_properties;
mod auth_runtime;
mod concurrency;
mod dynamic;
mod embedded;
mod http2;
mod log;
mod requests;
mod resilience;
mod responses;
mod tls;
mod tracing_events;
