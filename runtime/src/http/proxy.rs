//! Proxies: the ones the process's environment names, read as reqwest reads them
//! (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and their lower-case forms, `NO_PROXY`,
//! none at all in a CGI process), except that loopback hosts are always reached
//! directly, as Go's `net/http` does: a local mock server, sidecar or token endpoint
//! is never sent to a corporate proxy.

use hyper_util::client::proxy::matcher::Matcher;
use reqwest::{ClientBuilder, NoProxy, Proxy};
use url::Url;

use crate::http::transport::innermost;

/// How messages name the proxy a request went through: by the `variable` that gave
/// it, as it is spelled (`https_proxy`, `ALL_PROXY`).
pub(crate) fn environment_proxy(variable: &str) -> String {
    format!("the proxy the environment variable `{variable}` names")
}

/// The advice for a 407 to an `https` request that went through the tunnel of the
/// proxy `variable` names, on its way to `server` (`the API`, `the token server`):
/// the proxy let it through, so one beyond it wants credentials, and those in the
/// variable's URL do not reach that one.
pub(crate) fn tunnelled_credentials_advice(variable: &str, server: &str) -> String {
    format!(
        "{} opened its tunnel to {server}'s host and let the request through: a proxy or gateway beyond it wants credentials, not {server} itself; ask {server}'s owners (or your network's) for them: those in the URL `{variable}` gives go to that proxy alone, not beyond it",
        environment_proxy(variable)
    )
}

/// The advice for an `https` connection through the tunnel of the proxy `variable`
/// names that closed during the TLS handshake with `server` (`the server`, `the token
/// server`), for the `cause` shown after it (` (tls handshake eof)`, or nothing): the
/// proxy opened the tunnel, so what is past it refused; `port` says where the port
/// is written (`the base URL's port`).
pub(crate) fn closed_in_tunnel_advice(variable: &str, server: &str, cause: &str, port: &str) -> String {
    format!(
        "{} opened a tunnel to the host, then the connection through it closed during the TLS handshake with {server}{cause}: the proxy may refuse the host after all (some check the TLS server name), or {server} does not take TLS on this port; check that the proxy lets the host through and {port}, or list the host in `NO_PROXY`",
        environment_proxy(variable)
    )
}

/// Hosts no proxy is used for, whatever `NO_PROXY` says: every form of a loopback
/// address, `localhost.` (fully qualified) and IPv4-mapped addresses included.
const LOOPBACK: &str = "localhost,localhost.,127.0.0.0/8,::1,::ffff:127.0.0.0/104";

/// Where the environment sends HTTP and HTTPS traffic, and what it exempts.
#[derive(Debug, Default, PartialEq)]
struct ProxySettings {
    http: Option<(&'static str, String)>,
    https: Option<(&'static str, String)>,
    exempt: String,
}

impl ProxySettings {
    /// The settings `variable` gives (a lookup of environment variables by name).
    fn read(variable: impl Fn(&str) -> Option<String>) -> ProxySettings {
        // httpoxy: a CGI request's `Proxy:` header arrives as HTTP_PROXY
        if variable("REQUEST_METHOD").is_some() {
            return ProxySettings::default();
        }
        let first = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| Some((name, variable(name)?))).filter(|(_, value)| !value.is_empty())
        };
        let all = first(["ALL_PROXY", "all_proxy"]);
        let http = first(["HTTP_PROXY", "http_proxy"]).or_else(|| all.clone());
        let https = first(["HTTPS_PROXY", "https_proxy"]).or(all);
        let listed = first(["NO_PROXY", "no_proxy"]).map(|(_, value)| value).unwrap_or_default();
        ProxySettings { http, https, exempt: format!("{listed},{LOOPBACK}") }
    }

    /// The proxies these settings name, loopback hosts exempt, the hosts they serve,
    /// and a problem for each variable that is not a proxy URL, each variable read once.
    fn proxies(&self) -> EnvironmentProxies {
        let (http, https) = (self.http_proxy(), self.https_proxy());
        let routes = self.routes(&http, &https);
        let (mut proxies, mut problems) = (Vec::new(), Vec::new());
        for read in [http, https].into_iter().flatten() {
            match read {
                Ok(proxy) => proxies.push(proxy),
                // `ALL_PROXY` serves both schemes: one problem
                Err(problem) if problems.contains(&problem) => {}
                Err(problem) => problems.push(problem),
            }
        }
        let urls = [&self.http, &self.https].into_iter().flatten().filter_map(|(_, url)| normalized(url));
        let with_user_info = urls.filter(|url| !url.username().is_empty() || url.password().is_some()).collect();
        EnvironmentProxies { proxies, routes, problems, with_user_info }
    }

    /// The proxy of plain `http` requests, if a variable names one: usable, or why not.
    fn http_proxy(&self) -> Option<Result<Proxy, String>> {
        self.proxy(&self.http, |url| Proxy::http(url))
    }

    /// The proxy of `https` requests, if a variable names one: usable, or why not.
    fn https_proxy(&self) -> Option<Result<Proxy, String>> {
        self.proxy(&self.https, |url| Proxy::https(url))
    }

    fn proxy(
        &self,
        setting: &Option<(&'static str, String)>,
        make: fn(&str) -> reqwest::Result<Proxy>,
    ) -> Option<Result<Proxy, String>> {
        let (variable, url) = setting.as_ref()?;
        let proxy = usable(url, make(url)).map_err(|reason| {
            format!(
                "the environment variable `{variable}` is not a proxy URL such as `http://proxy.example:3128` \
                 ({reason}); correct it, or unset it to connect directly"
            )
        });
        Some(proxy.map(|proxy| proxy.no_proxy(NoProxy::from_string(&self.exempt))))
    }
}

/// `proxy`, made of the `url` a variable gives, if the clients can use it; else why not.
fn usable(url: &str, proxy: reqwest::Result<Proxy>) -> Result<Proxy, String> {
    let read = normalized(url);
    if let Some(problem) = read.as_ref().and_then(|read| scheme_problem(read.scheme())) {
        return Err(problem);
    }
    // the URL library's word for a blank in a host is "invalid international domain name"
    if url.contains(char::is_whitespace) {
        return Err("it holds a space, tab or line break".to_string());
    }
    let proxy = proxy.map_err(|error| innermost(&error))?;
    // reqwest hands the URL on to hyper-util's matcher, which leaves a proxy it cannot
    // read as a URI out without a word: its requests would go directly
    let used = read.is_some_and(|url| {
        let matcher = Matcher::builder().all(String::from(url)).build();
        matcher.intercept(&hyper::Uri::from_static("http://conv-api.invalid/")).is_some()
    });
    match used {
        true => Ok(proxy),
        false => Err("the HTTP client cannot read it as an address: `$`, `{`, `}`, `\"` and the like have no \
                     place in one (is a variable or template left unexpanded?)"
            .to_string()),
    }
}

/// The hosts the environment's proxies are used for, as the clients use them: for
/// the error of a connection that a proxy kept from being made in time, which
/// reqwest's error does not tell from the server's; and the hosts a proxy variable
/// that is not a usable proxy URL would serve, whose requests are not sent. The
/// default routes nothing.
#[derive(Default)]
pub(crate) struct ProxyRoutes {
    proxied: Option<Matcher>,
    /// The variables that gave the proxies of plain `http` and of `https` requests.
    variables: (Option<&'static str>, Option<&'static str>),
    unusable: Option<Unusable>,
}

/// How a request went through the proxy the environment variable it holds names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProxyRoute {
    /// A plain `http` request, sent to the proxy whole: the proxy answers for the API.
    Forwarded(&'static str),
    /// An `https` request, sent through the proxy's tunnel (`CONNECT`): the answer
    /// comes from beyond the proxy.
    Tunnelled(&'static str),
}

/// The requests the clients would send directly, where a variable names a proxy that
/// cannot be used for them (`socks5://`, `htpp://`): the hosts it would serve, and why.
struct Unusable {
    served: Matcher,
    http: Option<String>,
    https: Option<String>,
}

impl ProxyRoutes {
    /// The variable naming the proxy a request to `url` goes through, if it goes
    /// through one.
    pub(crate) fn proxy_for(&self, url: &Url) -> Option<&'static str> {
        let matcher = self.proxied.as_ref()?;
        let through = url.as_str().parse::<hyper::Uri>().is_ok_and(|uri| matcher.intercept(&uri).is_some());
        match url.scheme() {
            "http" if through => self.variables.0,
            "https" if through => self.variables.1,
            _ => None,
        }
    }

    /// How a request to `url` goes through the proxy a variable names, if it does: a
    /// plain `http` one whole (with no tunnel, the proxy answers for the API).
    pub(crate) fn route(&self, url: &Url) -> Option<ProxyRoute> {
        let variable = self.proxy_for(url)?;
        Some(match url.scheme() {
            "http" => ProxyRoute::Forwarded(variable),
            _ => ProxyRoute::Tunnelled(variable),
        })
    }

    /// Why a request to `url` is not sent, if it is not: the variable naming the proxy
    /// it would go through is no usable proxy URL, and sent directly it would pass the
    /// proxy by.
    pub(crate) fn unusable_proxy(&self, url: &Url) -> Option<String> {
        let unusable = self.unusable.as_ref()?;
        let problem = match url.scheme() {
            "http" => unusable.http.as_deref(),
            "https" => unusable.https.as_deref(),
            _ => None,
        }?;
        let served = url.as_str().parse::<hyper::Uri>().map_or(true, |uri| unusable.served.intercept(&uri).is_some());
        served.then(|| {
            format!("{problem}, or list the host in `NO_PROXY`; nothing was sent, as the request would go through that proxy")
        })
    }
}

impl ProxySettings {
    /// The hosts these settings send through a proxy, given the `http` and `https`
    /// proxies they name: those the proxies the clients use are for (a variable that
    /// is not a proxy URL is left out, as the clients leave it), but the exempt ones;
    /// and those such a variable would serve.
    fn routes(&self, http: &Option<Result<Proxy, String>>, https: &Option<Result<Proxy, String>>) -> ProxyRoutes {
        let used = |setting: &Option<(&'static str, String)>, read: &Option<Result<Proxy, String>>| {
            let (variable, url) = setting.as_ref()?;
            read.as_ref()?.as_ref().ok().and_then(|_| normalized(url)).map(|url| (*variable, String::from(url)))
        };
        let (http_used, https_used) = (used(&self.http, http), used(&self.https, https));
        let variables =
            (http_used.as_ref().map(|(variable, _)| *variable), https_used.as_ref().map(|(variable, _)| *variable));
        let proxied = matcher(&self.exempt, http_used.map(|(_, url)| url), https_used.map(|(_, url)| url));
        let problem = |read: &Option<Result<Proxy, String>>| read.as_ref()?.as_ref().err().cloned();
        let (http, https) = (problem(http), problem(https));
        // a stand-in proxy: the matcher says which hosts a proxy would serve, whatever it is
        let stand_in = |problem: &Option<String>| problem.as_ref().map(|_| "http://unusable.invalid".to_string());
        let unusable =
            matcher(&self.exempt, stand_in(&http), stand_in(&https)).map(|served| Unusable { served, http, https });
        ProxyRoutes { proxied, variables, unusable }
    }
}

/// The matcher of the proxies `http` and `https` (URLs), `exempt` hosts excepted; none
/// without a proxy.
fn matcher(exempt: &str, http: Option<String>, https: Option<String>) -> Option<Matcher> {
    if http.is_none() && https.is_none() {
        return None;
    }
    let mut builder = Matcher::builder().no(exempt.to_string());
    if let Some(url) = http {
        builder = builder.http(url);
    }
    if let Some(url) = https {
        builder = builder.https(url);
    }
    Some(builder.build())
}

/// A proxy variable's URL as reqwest reads it, and hands it to the matcher: a URL
/// with a host as it is (`http:proxy:3128` is `http://proxy:3128/`), else, when it
/// names no scheme (`proxy:3128`, whose `proxy` the URL library takes for one), with
/// `http://` before it; percent-encoded where the URL library encodes (a password with
/// `^` or `{`) and its host in ASCII.
fn normalized(url: &str) -> Option<Url> {
    let read = match Url::parse(url) {
        Ok(read) if read.has_host() => read,
        Ok(_) | Err(url::ParseError::RelativeUrlWithoutBase) => Url::parse(&format!("http://{url}")).ok()?,
        Err(_) => return None,
    };
    read.has_host().then_some(read)
}

/// Why a proxy URL's `scheme` cannot be used, if it cannot: reqwest would read
/// `htpp://` or `ftp://` as no proxy at all (connecting directly) and `socks5://`,
/// which this build does not speak, as an HTTP proxy.
fn scheme_problem(scheme: &str) -> Option<String> {
    match scheme {
        "http" | "https" => None,
        socks if socks.starts_with("socks") => Some(format!("`{scheme}` proxies are not supported, only HTTP ones")),
        _ => Some(format!("its scheme `{scheme}` is not `http` or `https`")),
    }
}

/// The environment's proxies as they are now, read at once.
pub(crate) struct EnvironmentProxies {
    /// The usable ones, loopback hosts exempt.
    pub(crate) proxies: Vec<Proxy>,
    /// The hosts they are used for, and those a variable that is no usable proxy URL
    /// would serve, whose requests are refused.
    pub(crate) routes: ProxyRoutes,
    /// Why each variable that is no usable proxy URL cannot be used.
    pub(crate) problems: Vec<String>,
    /// The proxy URLs that carry credentials (`http://user:password@proxy:3128`),
    /// whose user info is a secret the redactor masks: a proxy may echo its
    /// `Proxy-Authorization` into an answer.
    pub(crate) with_user_info: Vec<Url>,
}

/// The environment's proxies as they are now.
pub(crate) fn environment_proxies() -> EnvironmentProxies {
    ProxySettings::read(environment_variable).proxies()
}

/// `builder` with `proxies` alone (none of its own reading of the environment).
pub(crate) fn with_proxies(builder: ClientBuilder, proxies: &[Proxy]) -> ClientBuilder {
    proxies.iter().cloned().fold(builder.no_proxy(), ClientBuilder::proxy)
}

fn environment_variable(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(variables: &[(&str, &str)]) -> ProxySettings {
        ProxySettings::read(|name| variables.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string()))
    }

    #[test]
    fn proxy_urls_with_credentials_are_told_for_masking() {
        let read = settings(&[("HTTP_PROXY", "http://agent:pa%24s@proxy:3128"), ("HTTPS_PROXY", "http://proxy:3129")]);
        let told: Vec<String> = read.proxies().with_user_info.iter().map(ToString::to_string).collect();
        assert_eq!(told, ["http://agent:pa%24s@proxy:3128/"]);
        // without a scheme, as reqwest reads it
        let read = settings(&[("ALL_PROXY", "key@proxy:3128")]);
        let told: Vec<String> = read.proxies().with_user_info.iter().map(|url| url.username().to_string()).collect();
        assert_eq!(told, ["key", "key"], "one for each scheme ALL_PROXY serves");
    }

    #[test]
    fn no_variables_no_proxies() {
        assert_eq!(settings(&[]), ProxySettings { exempt: format!(",{LOOPBACK}"), ..ProxySettings::default() });
    }

    #[test]
    fn routes_go_through_a_proxy_but_for_exempt_and_loopback_hosts() {
        let url = |text: &str| Url::parse(text).unwrap();
        let routes =
            settings(&[("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "internal.example")]).proxies().routes;
        assert_eq!(routes.proxy_for(&url("https://api.example/v1")), Some("HTTPS_PROXY"));
        assert_eq!(routes.proxy_for(&url("http://api.example/v1")), None, "no HTTP proxy");
        assert_eq!(routes.proxy_for(&url("https://billing.internal.example/")), None);
        assert_eq!(routes.proxy_for(&url("https://127.0.0.1:8443/")), None);
        assert_eq!(settings(&[]).proxies().routes.proxy_for(&url("https://api.example/v1")), None);
        // named as it is spelled, and as the scheme picks it
        let routes =
            settings(&[("https_proxy", "http://proxy:3128"), ("all_proxy", "http://other:3128")]).proxies().routes;
        assert_eq!(routes.proxy_for(&url("https://api.example/")), Some("https_proxy"));
        assert_eq!(routes.proxy_for(&url("http://api.example/")), Some("all_proxy"));
        // as reqwest reads the variable: a password the URL library encodes, no scheme
        for proxy in ["http://agent:s3cr^t{1}@proxy:3128", "proxy:3128"] {
            let routes = settings(&[("HTTPS_PROXY", proxy)]).proxies().routes;
            assert_eq!(routes.proxy_for(&url("https://api.example/")), Some("HTTPS_PROXY"), "{proxy}");
        }
        // a variable the clients leave out routes nothing: the request goes directly
        for unused in ["socks5://127.0.0.1:1080", "ftp://proxy:21", "http://proxy .example:3128"] {
            let unused = settings(&[("ALL_PROXY", unused)]);
            assert!(unused.proxies().proxies.is_empty(), "{unused:?}");
            assert_eq!(unused.proxies().routes.proxy_for(&url("https://api.example/")), None, "{unused:?}");
        }
    }

    #[test]
    fn a_variable_that_cannot_be_used_holds_up_the_requests_it_would_serve() {
        let url = |text: &str| Url::parse(text).unwrap();
        let routes =
            settings(&[("HTTPS_PROXY", "htpp://proxy:3128"), ("NO_PROXY", "internal.example")]).proxies().routes;
        let refused = routes.unusable_proxy(&url("https://api.example/v1")).expect("served by the HTTPS proxy");
        assert!(refused.starts_with("the environment variable `HTTPS_PROXY` is not a proxy URL"), "{refused}");
        assert!(refused.ends_with("; nothing was sent, as the request would go through that proxy"), "{refused}");
        let direct = ["http://api.example/v1", "https://billing.internal.example/", "https://127.0.0.1:8443/"];
        for direct in direct {
            assert_eq!(routes.unusable_proxy(&url(direct)), None, "{direct}");
        }
        // one variable for both schemes, beside a usable one for plain HTTP
        let routes =
            settings(&[("ALL_PROXY", "socks5://127.0.0.1:1080"), ("HTTP_PROXY", "http://proxy:3128")]).proxies().routes;
        assert!(routes.unusable_proxy(&url("https://api.example/")).is_some_and(|why| why.contains("`ALL_PROXY`")));
        assert_eq!(routes.unusable_proxy(&url("http://api.example/")), None);
        assert_eq!(routes.proxy_for(&url("http://api.example/")), Some("HTTP_PROXY"));
        assert_eq!(routes.proxy_for(&url("https://api.example/")), None);
        assert_eq!(settings(&[]).proxies().routes.unusable_proxy(&url("https://api.example/")), None);
    }

    /// Whether a reqwest client with `proxy` alone sends a request through the proxy
    /// listening on `listener`. The request is for a loopback address, no name to look
    /// up, where nothing listens: sent directly, it fails at once, and never leaves
    /// the machine.
    async fn reqwest_uses(listener: &tokio::net::TcpListener, proxy: Proxy) -> bool {
        let client = reqwest::Client::builder().no_proxy().proxy(proxy).build().unwrap();
        let sent = tokio::select! {
            accepted = listener.accept() => return accepted.is_ok(),
            sent = client.get("http://127.0.0.2:9/").send() => sent,
        };
        // a direct attempt has failed; a connection the proxy got meanwhile still counts
        let late = tokio::time::timeout(std::time::Duration::from_millis(50), listener.accept()).await;
        assert!(sent.is_err(), "nothing listens on 127.0.0.2:9: {sent:?}");
        late.is_ok_and(|accepted| accepted.is_ok())
    }

    #[tokio::test]
    async fn a_variable_is_used_exactly_when_reqwest_would_send_through_it() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let values = [
            "http://127.0.0.1:{port}",
            "127.0.0.1:{port}",
            "http:127.0.0.1:{port}",
            "HTTP://user:p%40ss^{{1}}@127.0.0.1:{port}/",
            "ftp:user@127.0.0.1:{port}",
            "ftp://127.0.0.1:{port}",
            "http://${{PROXY_HOST}}:{port}",
        ];
        for value in values {
            let value = value.replace("{port}", &port.to_string()).replace("{{", "{").replace("}}", "}");
            let EnvironmentProxies { proxies, problems, .. } = settings(&[("HTTP_PROXY", &value)]).proxies();
            let reqwest = match Proxy::http(value.as_str()) {
                Ok(proxy) => reqwest_uses(&listener, proxy).await,
                Err(_) => false,
            };
            assert_eq!(proxies.len() == 1, reqwest, "{value}: {problems:?}");
            assert_eq!(problems.len() == 1, !reqwest, "{value}: {problems:?}");
        }
    }

    #[test]
    fn upper_case_first_and_all_proxy_fills_in() {
        let read = settings(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
            ("all_proxy", "http://all:1"),
            ("no_proxy", "internal.example"),
        ]);
        assert_eq!(read.http, Some(("all_proxy", "http://all:1".to_string())));
        assert_eq!(read.https, Some(("HTTPS_PROXY", "http://upper:1".to_string())));
        assert_eq!(read.exempt, format!("internal.example,{LOOPBACK}"));
    }

    #[test]
    fn every_form_of_a_loopback_host_is_exempt() {
        // the matcher reqwest's proxies use, with this module's list
        let matcher = hyper_util::client::proxy::matcher::Matcher::builder()
            .all("http://proxy.example:3128")
            .no(settings(&[("NO_PROXY", "internal.example")]).exempt)
            .build();
        let proxied = |url: &str| matcher.intercept(&url.parse().unwrap()).is_some();
        let loopback =
            ["localhost", "localhost.", "api.localhost", "127.0.0.1", "127.8.9.10", "[::1]", "[::ffff:127.0.0.1]"];
        for host in loopback {
            assert!(!proxied(&format!("http://{host}:8080/v1")), "{host} goes direct");
        }
        for host in ["api.example", "10.0.0.1", "[::2]", "localhost.example"] {
            assert!(proxied(&format!("https://{host}/v1")), "{host} goes through the proxy");
        }
        assert!(!proxied("https://svc.internal.example/v1"), "NO_PROXY is kept");
    }

    #[test]
    fn empty_values_are_unset_and_cgi_ignores_every_variable() {
        assert_eq!(settings(&[("HTTP_PROXY", "")]).http, None);
        // as reqwest's own reading (hyper-util's): an empty upper-case variable hides
        // its lower-case spelling, as a set one does
        assert_eq!(settings(&[("HTTPS_PROXY", ""), ("https_proxy", "http://p:1")]).https, None);
        let all = settings(&[("HTTPS_PROXY", ""), ("all_proxy", "http://p:1")]);
        assert_eq!(all.https, Some(("all_proxy", "http://p:1".to_string())), "`ALL_PROXY` fills in, as there");
        assert_eq!(settings(&[("HTTP_PROXY", "http://p:1"), ("REQUEST_METHOD", "GET")]), ProxySettings::default());
    }

    #[test]
    fn a_variable_that_is_not_a_url_is_reported_by_name() {
        let problems = settings(&[("HTTPS_PROXY", "http://user:pw@[::1")]).proxies().problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("the environment variable `HTTPS_PROXY` is not a proxy URL"), "{problems:?}");
        assert!(problems[0].contains("(invalid IPv6 address)") && !problems[0].contains("pw"), "{problems:?}");
        let problems = settings(&[("HTTP_PROXY", "proxy.example:3128")]).proxies().problems;
        assert!(problems.is_empty(), "a proxy without a scheme is taken as http: {problems:?}");
        let problems = settings(&[("ALL_PROXY", "http://[::1")]).proxies().problems;
        assert_eq!(problems.len(), 1, "one problem for both schemes: {problems:?}");
        let problems = settings(&[("HTTPS_PROXY", "http://user:pw@proxy host:80")]).proxies().problems;
        assert!(
            problems[0].contains("(it holds a space, tab or line break)") && !problems[0].contains("pw"),
            "{problems:?}"
        );
        // reqwest takes these, then connects directly (`htpp`, `ftp`, an unexpanded
        // variable, which hyper-util's matcher leaves out) or fails every call (`socks5`)
        for (url, reason) in [
            ("http://${PROXY_HOST}:3128", "(the HTTP client cannot read it as an address"),
            ("http://{{proxy_host}}:3128", "(the HTTP client cannot read it as an address"),
            ("http://user:pw@proxy\"corp.example:3128", "(the HTTP client cannot read it as an address"),
            ("htpp://proxy.example:3128", "(its scheme `htpp` is not `http` or `https`)"),
            ("ftp://proxy.example", "(its scheme `ftp` is not `http` or `https`)"),
            ("socks5://user:pw@127.0.0.1:1080", "(`socks5` proxies are not supported, only HTTP ones)"),
        ] {
            let EnvironmentProxies { proxies, problems, .. } = settings(&[("HTTP_PROXY", url)]).proxies();
            assert!(proxies.is_empty() && problems.len() == 1, "{url}: {problems:?}");
            assert!(problems[0].contains(reason) && !problems[0].contains("pw"), "{problems:?}");
        }
        // as reqwest reads them: a scheme without `//` is a scheme (`ftp:` then no proxy)
        let EnvironmentProxies { proxies, problems, .. } =
            settings(&[("HTTP_PROXY", "ftp:user@proxy.example:21")]).proxies();
        assert!(proxies.is_empty() && problems[0].contains("(its scheme `ftp` is not"), "{problems:?}");
        for used in ["HTTPS://proxy.example:3128", "http:proxy.example:3128", "user:pw@proxy.example:3128"] {
            let EnvironmentProxies { proxies, problems, .. } = settings(&[("HTTPS_PROXY", used)]).proxies();
            assert_eq!((proxies.len(), problems.len()), (1, 0), "{used}: {problems:?}");
        }
    }
}
