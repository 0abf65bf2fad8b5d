//! What a non-2xx answer means and what to do about it, for the error
//! [`raise_for_status`](crate::Response::raise_for_status) makes of it.

use std::time::{Duration, SystemTime};

use conv_api_definitions::Environment;

use crate::http::proxy::{tunnelled_credentials_advice, ProxyRoute};

use crate::retry::{shown_duration, try_again_at};

/// What the advice on a call's answer depends on besides the answer.
#[derive(Clone, Copy)]
pub(crate) struct Advising {
    /// The environment the call was made in.
    pub(crate) environment: Environment,
    /// The environment's definitions give the API no auth (`auth_type: none`).
    pub(crate) without_auth: bool,
    /// For a 407, how the request went through the proxy a variable names: whole, for
    /// a plain `http` request (the proxy, not the API, answers what it refuses), or
    /// through its tunnel, for an `https` one (the proxy let it through); `None` for
    /// requests sent directly, for mocked answers, and for other statuses, whose
    /// advice no proxy changes.
    pub(crate) proxy: Option<ProxyRoute>,
}

/// The advice for an answer with `status`, to follow its status and body in a message
/// (`the API has nothing at this URL: ..`); `wait`: what its `Retry-After` asks, from
/// `now`. Empty for a status that says nothing more than its number.
pub(crate) fn status_advice(status: u16, wait: Option<Duration>, now: SystemTime, advising: Advising) -> String {
    let Advising { environment, without_auth, proxy } = advising;
    let later = match wait {
        Some(wait) => {
            format!("try again {} (`Retry-After` asks to wait {})", try_again_at(now, wait), shown_duration(wait))
        }
        None => "try again later".to_string(),
    };
    let advice = match status {
        304 => "nothing changed since the copy the request's `If-None-Match` or `If-Modified-Since` names: check `status_code()` for 304 before `raise_for_status()`",
        300..=399 => "a redirect the client did not follow (no usable `Location`): check the base URL and the resource",
        400 => "the API refused the request as sent: check the arguments, query and body of this call",
        401 if without_auth => {
            return format!("the API wants credentials, and its definitions give environment `{environment}` none (`auth_type: none`): set the `auth_type` the API takes (and its secrets), or check the credential header this call sets, if it sets one")
        }
        // `conv-api secrets` names them, whatever store the runtime reads them from
        401 => {
            return format!("the API did not accept the credentials: check its auth settings and the values of its secrets for environment `{environment}` (`conv-api secrets <definitions file> --env {environment}` names them)")
        }
        403 if without_auth => {
            return format!("the API refuses this call, and its definitions give environment `{environment}` no credentials (`auth_type: none`): if the API wants some, set the `auth_type` it takes (and its secrets)")
        }
        403 => {
            return format!("the credentials lack a permission this call needs, or are those of another environment than `{environment}`")
        }
        404 => "the API has nothing at this URL: check the path variables, the operation's resource and the base URL",
        405 => "the API does not take this method at this URL: check the operation's `method` and `resource`",
        407 => return proxy_credentials_advice(proxy),
        408 => return format!("the server stopped waiting for the request: {later}"),
        409 => "the request conflicts with the state of what it changes (it may exist already, or have changed)",
        413 => "the request is larger than the API takes: send less",
        415 => {
            "the API does not take the body's content type: check `.json(..)`, `.form(..)` or a `Content-Type` header"
        }
        422 => "the API could not use what the request sent: check the fields of its body and query",
        429 => return format!("the API limits how often this client calls it: {later}"),
        500 | 502 | 503 | 504 => {
            return format!("the API, or a gateway before it, is failing or unavailable: {later}, or tell its owners")
        }
        _ if wait.is_some() => return later,
        600..=999 => "a status HTTP does not define (its statuses end at 599): the API's own documentation says what it means",
        _ => "",
    };
    advice.to_string()
}

/// The advice for a 407 (Proxy Authentication Required), which a proxy sends, not
/// the API: the one `proxy` names when the request went through it whole; one beyond
/// it when an `https` request went through its tunnel (the proxy let it through, and
/// its credentials do not go beyond it); else one no variable names.
fn proxy_credentials_advice(proxy: Option<ProxyRoute>) -> String {
    const IN_ITS_URL: &str = "`http://user:password@proxy.example:3128`";
    match proxy {
        Some(ProxyRoute::Tunnelled(variable)) => tunnelled_credentials_advice(variable, "the API"),
        Some(ProxyRoute::Forwarded(variable)) => format!(
            "the proxy the environment variable `{variable}` names answered, not the API: it wants credentials; give them in its URL ({IN_ITS_URL}), or check those it gives, or list the host in `NO_PROXY`"
        ),
        None => format!(
            "a proxy before the API wants credentials, not the API itself: if a gateway before the API wants them, ask the API's owners for them; if your network lets requests out only through a proxy, set `HTTPS_PROXY` (`HTTP_PROXY` for `http` URLs) to its URL with them: {IN_ITS_URL}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advising(environment: Environment, without_auth: bool) -> Advising {
        Advising { environment, without_auth, proxy: None }
    }

    #[test]
    fn a_wait_asked_for_says_when_to_try_again_in_place_of_later() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(
            status_advice(429, None, epoch, advising(Environment::Sandbox, false)),
            "the API limits how often this client calls it: try again later"
        );
        assert_eq!(
            status_advice(503, Some(Duration::from_secs(60)), epoch, advising(Environment::Sandbox, false)),
            "the API, or a gateway before it, is failing or unavailable: try again after Thu, 01 Jan 1970 00:01:00 GMT (`Retry-After` asks to wait 60s), or tell its owners"
        );
        // a status with no advice of its own still says when to try again
        assert_eq!(
            status_advice(418, Some(Duration::from_millis(1500)), epoch, advising(Environment::Sandbox, false)),
            "try again after Thu, 01 Jan 1970 00:00:01 GMT (`Retry-After` asks to wait 1.5s)"
        );
        assert_eq!(status_advice(418, None, epoch, advising(Environment::Sandbox, false)), "");
    }

    #[test]
    fn a_status_beyond_599_says_http_does_not_define_it() {
        let epoch = SystemTime::UNIX_EPOCH;
        for status in [600, 999] {
            assert_eq!(
                status_advice(status, None, epoch, advising(Environment::Sandbox, false)),
                "a status HTTP does not define (its statuses end at 599): the API's own documentation says what it means"
            );
        }
        assert_eq!(status_advice(599, None, epoch, advising(Environment::Sandbox, false)), "");
    }

    #[test]
    fn a_407_names_the_proxy_by_how_the_request_went_through_it() {
        let epoch = SystemTime::UNIX_EPOCH;
        let through = |proxy| {
            status_advice(407, None, epoch, Advising { environment: Environment::Sandbox, without_auth: false, proxy })
        };
        assert!(through(Some(ProxyRoute::Forwarded("http_proxy")))
            .starts_with("the proxy the environment variable `http_proxy` names answered, not the API: it wants credentials; give them in its URL"));
        // the tunnel's proxy let the request through: not the one to give credentials to
        let tunnelled = through(Some(ProxyRoute::Tunnelled("HTTPS_PROXY")));
        assert!(tunnelled.starts_with("the proxy the environment variable `HTTPS_PROXY` names opened its tunnel to the API's host and let the request through: a proxy or gateway beyond it wants credentials"), "{tunnelled}");
        assert!(!tunnelled.contains("set `HTTPS_PROXY`"), "{tunnelled}");
        assert!(through(None).starts_with("a proxy before the API wants credentials, not the API itself: "));
    }

    #[test]
    fn a_401_or_403_of_an_api_without_auth_says_to_give_it_some() {
        let epoch = SystemTime::UNIX_EPOCH;
        assert!(status_advice(401, None, epoch, advising(Environment::Sandbox, false))
            .starts_with("the API did not accept the credentials: "));
        let advice = status_advice(401, None, epoch, advising(Environment::Sandbox, true));
        assert!(advice.starts_with("the API wants credentials, and its definitions give environment `sandbox` none"));
        assert!(status_advice(403, None, epoch, advising(Environment::Sandbox, true))
            .contains("(`auth_type: none`): if the API wants some"));
        assert_eq!(
            status_advice(404, None, epoch, advising(Environment::Sandbox, true)),
            status_advice(404, None, epoch, advising(Environment::Sandbox, false))
        );
        // the environment the call was made in, and how to list its secrets
        assert_eq!(
            status_advice(401, None, epoch, advising(Environment::Live, false)),
            "the API did not accept the credentials: check its auth settings and the values of its secrets for environment `live` (`conv-api secrets <definitions file> --env live` names them)"
        );
        assert_eq!(
            status_advice(403, None, epoch, advising(Environment::PreRelease, false)),
            "the credentials lack a permission this call needs, or are those of another environment than `pre-release`"
        );
    }
}
