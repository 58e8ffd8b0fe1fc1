//! The server's boundary: which requests a served dashboard answers at all.
//!
//! `remit serve` listens on the user's own machine, and the user's browser visits other sites
//! at the same time. Two attacks follow from that, and this layer stops both:
//!
//! - DNS rebinding: a page on `attacker.example` re-points its name at 127.0.0.1 and reads the
//!   dashboard (and so the store) with the user's browser. The browser still sends
//!   `Host: attacker.example`, so every request whose `Host` is not this server's own name
//!   (localhost, a loopback address, the address it is bound to, or a name given with
//!   `--allow-host` for a reverse proxy) is refused. An IP address in `Host` is never a rebinding:
//!   that needs a name.
//! - Cross-site requests: a page elsewhere posts a form to the dashboard. A request that changes
//!   or starts anything (every method but GET, HEAD and OPTIONS) must come from a page of this
//!   site (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to the `Host`), and carry the
//!   per-process token that only this site's forms hold ([`Token`]): a browser too old to send
//!   either header is still stopped by the token, which another site cannot read.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::response::WebError;

/// The form field (and header) that carries the token.
pub const TOKEN_FIELD: &str = "token";
/// The header a program may send the token in instead of the form field.
pub const TOKEN_HEADER: &str = "x-remit-token";

/// A secret made once per process, put in this site's forms and required on every POST.
#[derive(Clone)]
pub struct Token(Arc<str>);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// 128 random bits from the system (`/dev/urandom`), else from the hasher keys the standard
    /// library draws from the system for each process.
    pub fn new() -> Token {
        let mut bytes = [0u8; 16];
        let from_system = std::fs::File::open("/dev/urandom")
            .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut bytes));
        if from_system.is_err() {
            use std::hash::{BuildHasher, Hasher};
            for (index, chunk) in bytes.chunks_mut(8).enumerate() {
                let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
                hasher.write_usize(index);
                hasher.write_u128(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_nanos()),
                );
                chunk.copy_from_slice(&hasher.finish().to_le_bytes());
            }
        }
        Token(
            bytes
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>()
                .into(),
        )
    }

    /// The token as 32 lowercase hexadecimal digits, as forms and the token header carry it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is this token, compared in constant time.
    pub fn matches(&self, given: &str) -> bool {
        let expected = self.0.as_bytes();
        let given = given.trim().as_bytes();
        expected.len() == given.len()
            && expected
                .iter()
                .zip(given)
                .fold(0u8, |difference, (a, b)| difference | (a ^ b))
                == 0
    }
}

impl Default for Token {
    fn default() -> Token {
        Token::new()
    }
}

/// Whom a served dashboard answers.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The address the server is bound to.
    bound: SocketAddr,
    /// Further names, lowercase (`--allow-host`), for a reverse proxy in front.
    allowed: Vec<String>,
    /// The served state's token, set when the guard is put in front of an app.
    token: Option<Token>,
}

/// A request that came through the guard and must show the token in its form (it did not
/// send it in the [`TOKEN_HEADER`]). Handlers that take a POST check it.
#[derive(Debug, Clone, Copy)]
pub struct TokenRequired;

impl Guard {
    /// The guard of a server bound to `bound`, also answering the names in `allowed`.
    pub fn new(bound: SocketAddr, allowed: &[String]) -> Guard {
        Guard {
            bound,
            allowed: allowed
                .iter()
                .map(|name| name.trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|name| !name.is_empty())
                .collect(),
            token: None,
        }
    }

    /// The guard in front of an app whose forms carry `token`.
    pub(crate) fn with_token(self, token: Token) -> Guard {
        Guard {
            token: Some(token),
            ..self
        }
    }

    /// Whether a request with this `Host` header value is addressed to this server.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if self.allowed.contains(&name) {
            return true;
        }
        // A loopback name or an address must name this server's port (80 when none is given).
        if port.unwrap_or(80) != self.bound.port() {
            return false;
        }
        if name == "localhost" {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => {
                ip.is_loopback()
                    || ip == self.bound.ip()
                    // Bound to every address: any address of this machine; an address is
                    // never a rebinding.
                    || self.bound.ip().is_unspecified()
            }
            Err(_) => false,
        }
    }
}

/// `host[:port]` or `[v6][:port]`, lowercased, without a trailing dot; `None` when malformed.
fn split_host(host: &str) -> Option<(String, Option<u16>)> {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (inside, port)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok()?),
        None => None,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
        return None;
    }
    Some((name, port))
}

fn refused(message: &str, help: &str) -> WebError {
    WebError::new(StatusCode::FORBIDDEN, message).with_help(help)
}

/// Whether a request that changes something comes from a page of this site, by the headers
/// browsers set and pages cannot: `Sec-Fetch-Site`, else `Origin`. A request with neither is
/// not from a current browser (a program, or a browser too old to send them): the token decides.
fn same_origin(headers: &HeaderMap, host: &str) -> Result<(), WebError> {
    let help = "post from this site's own pages";
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        if !matches!(site, "same-origin" | "none") {
            return Err(refused(
                "this request came from another site, and only this site's pages may send it",
                help,
            ));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        if !authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host)) {
            return Err(refused(
                "this request came from another site, and only this site's pages may send it",
                help,
            ));
        }
    }
    Ok(())
}

/// The middleware: `Host` on every request; origin and token on every request that is not a
/// read.
pub async fn check(State(guard): State<Arc<Guard>>, mut request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.as_str().to_string()));
    let Some(host) = host else {
        return WebError::bad_request("the request names no host")
            .with_help("send a `Host` header, as every HTTP/1.1 client does")
            .into_response();
    };
    if !guard.host_allowed(&host) {
        return WebError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!("this server does not answer for `{host}`"),
        )
        .with_help("open the address `remit serve` printed; behind a reverse proxy, start it with `--allow-host NAME`")
        .into_response();
    }
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        if let Err(error) = same_origin(request.headers(), &host) {
            return error.into_response();
        }
        let token = guard.token.as_ref();
        match request.headers().get(TOKEN_HEADER) {
            Some(given) => {
                let given = given.to_str().unwrap_or("");
                if !token.is_some_and(|token| token.matches(given)) {
                    return refused(
                        "the form's token is not this server's",
                        "reload the form and send it again",
                    )
                    .into_response();
                }
            }
            None => {
                request.extensions_mut().insert(TokenRequired);
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(bound: &str, allowed: &[&str]) -> Guard {
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        Guard::new(
            bound
                .parse()
                .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 1))),
            &allowed,
        )
    }

    #[test]
    fn hosts_are_split_and_lowercased() {
        assert_eq!(
            split_host("LocalHost:8001"),
            Some(("localhost".into(), Some(8001)))
        );
        assert_eq!(split_host("[::1]:8001"), Some(("::1".into(), Some(8001))));
        assert_eq!(split_host("[::1]"), Some(("::1".into(), None)));
        assert_eq!(
            split_host("example.org."),
            Some(("example.org".into(), None))
        );
        assert_eq!(split_host("a:b"), None);
        assert_eq!(split_host("[::1]x"), None);
        assert_eq!(split_host(""), None);
        assert_eq!(split_host("user@host"), None);
    }

    #[test]
    fn loopback_names_on_this_port_and_allowed_names_pass() {
        let loopback = guard("127.0.0.1:8001", &["Remit.Example.org"]);
        for host in [
            "localhost:8001",
            "127.0.0.1:8001",
            "[::1]:8001",
            "127.1.2.3:8001",
            "remit.example.org",
            "remit.example.org:443",
        ] {
            assert!(loopback.host_allowed(host), "{host}");
        }
        for host in [
            "attacker.example:8001",
            "localhost:8002",
            "localhost",
            "192.168.1.5:8001",
            "localhost.attacker.example:8001",
            "127.0.0.1.nip.io:8001",
        ] {
            assert!(!loopback.host_allowed(host), "{host}");
        }
        let everywhere = guard("0.0.0.0:8001", &[]);
        assert!(everywhere.host_allowed("192.168.1.5:8001"));
        assert!(!everywhere.host_allowed("my-laptop.local:8001"));
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let token = Token::new();
        assert_eq!(token.as_str().len(), 32);
        assert_ne!(token.as_str(), Token::new().as_str());
        assert!(token.matches(token.as_str()));
        assert!(!token.matches(&token.as_str()[..31]));
        assert!(!token.matches(""));
    }
}
