//! The errors of an attempt that ran out of time, and where to raise its timeout.

use std::time::Duration;

use super::{Error, ErrorKind};
use crate::retry::shown_duration;

/// The error of an attempt without a complete answer within `timeout`.
pub(crate) fn timed_out(timeout: Duration) -> Error {
    Error::new(ErrorKind::Timeout, timeout_message(timeout))
}

/// The error of an attempt whose `timeout` ended before a status arrived: when it is
/// no longer than the `connect_timeout` (equal, the two timers race: the attempt's
/// starts first), the connection itself may be what never came, or the server was slow:
/// which, the runtime cannot tell.
pub(crate) fn timed_out_unanswered(timeout: Duration, connect_timeout: Duration) -> Error {
    if timeout > connect_timeout {
        return timed_out(timeout);
    }
    let than = if timeout == connect_timeout { "as long as" } else { "shorter than" };
    let (timeout, connect_timeout) = (shown_duration(timeout), shown_duration(connect_timeout));
    Error::new(
        ErrorKind::Timeout,
        format!(
            "no answer within {timeout}: the server took longer, or the connection was not even made ({timeout} is {than} the connect timeout of {connect_timeout}); if the server is up and reachable, {RAISE_THE_TIMEOUT}"
        ),
    )
}

/// The error of an attempt whose `timeout` ran out `spent` after it started, before
/// anything was sent, which the server is not to be blamed for: while its credentials
/// were made ready, mostly by the secret store `store` (as it describes itself)
/// blocking (`oauth`: the attempt may have waited for an OAuth 2.0 token too); or,
/// with no store read (`None`: no auth and no `tls:` secrets), by a timeout too short
/// or a busy tokio runtime. Repeating it is safe for any method.
pub(crate) fn timed_out_before_sending(timeout: Duration, spent: Duration, store: Option<&str>, oauth: bool) -> Error {
    let (timeout, spent) = (shown_duration(timeout), shown_duration(spent));
    let message = match store {
        Some(store) => {
            let token = if oauth { ", or an OAuth 2.0 token waited for" } else { "" };
            format!(
                "the attempt's timeout of {timeout} was over after {spent}, before anything was sent, while its credentials were made ready (read from the secret store: {store}{token}); a `SecretStore` should answer from memory (fetch and refresh values in a task of its own), or {RAISE_THE_TIMEOUT}"
            )
        }
        None => format!(
            "the attempt's timeout of {timeout} was over after {spent}, before anything was sent: it is too short for the request to be made ready, or the tokio runtime was too busy to run the call in time; {RAISE_THE_TIMEOUT}"
        ),
    };
    let mut error = Error::new(ErrorKind::Timeout, message).with_transient(true);
    error.unsent = true;
    error
}

pub(super) fn timeout_message(timeout: Duration) -> String {
    format!("no complete answer within {}; {RAISE_THE_TIMEOUT}", shown_duration(timeout))
}

/// Where an attempt's timeout is set, as the advice of a timeout error.
const RAISE_THE_TIMEOUT: &str = "raise the timeout with `.timeout(..)` on the call, the API's or operation's `timeout:` key, or `Runtime::builder().timeout(..)`";
