//! The served dashboard cannot be turned against its user (issue 18, part 4): requests for other
//! hosts (DNS rebinding) and cross-site or token-less POSTs are refused, uploads are limited in
//! number and bytes and let go when their request ends, idle connections are closed, every
//! response carries the security headers, and stores that cannot be trusted are refused.

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Method, Request, StatusCode};
use remit_web::guard::Guard;
use remit_web::{AppState, Options};
use tower::ServiceExt as _;

use crate::common::{
    Reply, assert_error_envelope, assert_ok_envelope, corpus, get, law_state, send_with,
};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/demo/alpr/network-audit-sample.csv"
);
const BOUNDARY: &str = "remit-security-boundary-51c2";
const BOUND: &str = "127.0.0.1:8001";

fn uploads_on() -> AppState {
    AppState::new(
        corpus(),
        None,
        Options {
            allow_uploads: true,
            ..Options::default()
        },
    )
}

fn guard(allowed: &[&str]) -> Guard {
    let bound: SocketAddr = BOUND.parse().unwrap_or_else(|e| panic!("bad address: {e}"));
    let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
    Guard::new(bound, &allowed)
}

/// A multipart upload of the sample audit, with `token` first when given.
fn upload_form(token: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    let mut text = |name: &str, value: &str| {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    if let Some(token) = token {
        text("token", token);
    }
    text("owner", "Sample City CA PD");
    let content = std::fs::read(SAMPLE).unwrap_or_else(|e| panic!("{e}"));
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audit.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends a request through the served app (behind `guard`).
async fn served(
    state: &AppState,
    guard: Guard,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Body,
) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body)
        .unwrap_or_else(|e| panic!("bad request: {e}"));
    let response = remit_web::served_app(state.clone(), guard)
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 26)
        .await
        .unwrap_or_else(|e| panic!("cannot read the reply: {e}"));
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("not UTF-8: {e}")),
    }
}

fn multipart() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let state = law_state();
    for uri in [
        "/",
        "/rules.json",
        "/rules.csv",
        "/no/such/page",
        "/no/such/page.json",
    ] {
        let reply = get(&state, uri).await;
        let header = |name: &str| {
            reply
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        let policy = header("content-security-policy");
        assert!(policy.contains("default-src 'none'"), "`{uri}`: {policy}");
        assert!(policy.contains("script-src 'none'"), "`{uri}`: {policy}");
        assert!(
            policy.contains("style-src 'self';") && !policy.contains("unsafe-inline"),
            "`{uri}`: {policy}"
        );
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "`{uri}`: {policy}"
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "`{uri}`");
        assert_eq!(header("referrer-policy"), "no-referrer", "`{uri}`");
        assert_eq!(header("x-frame-options"), "DENY", "`{uri}`");
    }
    // The pages need no script, so the policy that forbids it costs nothing.
    assert!(!get(&state, "/").await.body.contains("<script"));
}

/// Issue 18: any `Host` was answered, so a DNS-rebinding page could read the store.
#[tokio::test]
async fn issue_18_requests_for_other_hosts_are_refused() {
    let state = law_state();
    for host in [
        "attacker.example:8001",
        "attacker.example",
        "127.0.0.1.nip.io:8001",
        "localhost:9999",
    ] {
        let reply = served(
            &state,
            guard(&[]),
            Method::GET,
            "/rules.json",
            &[("host", host)],
            Body::empty(),
        )
        .await;
        assert_error_envelope(
            &format!("Host: {host}"),
            &reply,
            StatusCode::MISDIRECTED_REQUEST,
        );
        assert!(reply.body.contains("--allow-host"), "{}", reply.body);
    }
    for host in ["127.0.0.1:8001", "localhost:8001", "[::1]:8001"] {
        let reply = served(
            &state,
            guard(&[]),
            Method::GET,
            "/rules.json",
            &[("host", host)],
            Body::empty(),
        )
        .await;
        assert_ok_envelope(&format!("Host: {host}"), &reply);
    }
    // A reverse proxy's name, when allowed.
    let reply = served(
        &state,
        guard(&["remit.example.org"]),
        Method::GET,
        "/rules.json",
        &[("host", "remit.example.org")],
        Body::empty(),
    )
    .await;
    assert_ok_envelope("Host: remit.example.org (allowed)", &reply);
    let reply = served(
        &state,
        guard(&[]),
        Method::GET,
        "/rules.json",
        &[],
        Body::empty(),
    )
    .await;
    assert_error_envelope("no Host", &reply, StatusCode::BAD_REQUEST);
}

/// Issue 18: a cross-site multipart POST was accepted with no origin check.
#[tokio::test]
async fn issue_18_cross_site_and_token_less_posts_are_refused() {
    let state = uploads_on();
    let token = state.token().as_str().to_string();
    let host = ("host", BOUND);
    let content_type = multipart();
    let form = ("content-type", content_type.as_str());
    let refused = [
        (
            "another site's Origin",
            vec![host, form, ("origin", "http://attacker.example")],
            Some(token.as_str()),
        ),
        (
            "an opaque Origin",
            vec![host, form, ("origin", "null")],
            Some(token.as_str()),
        ),
        (
            "a cross-site fetch",
            vec![host, form, ("sec-fetch-site", "cross-site")],
            Some(token.as_str()),
        ),
        (
            "a same-site fetch (another port or subdomain)",
            vec![host, form, ("sec-fetch-site", "same-site")],
            Some(token.as_str()),
        ),
        (
            "no token",
            vec![host, form, ("origin", "http://127.0.0.1:8001")],
            None,
        ),
        (
            "a wrong token",
            vec![host, form],
            Some("0123456789abcdef0123456789abcdef"),
        ),
        (
            "a wrong token header",
            vec![host, form, ("x-remit-token", "nope")],
            Some(token.as_str()),
        ),
    ];
    for (what, headers, token) in refused {
        let reply = served(
            &state,
            guard(&[]),
            Method::POST,
            "/-/upload.json",
            &headers,
            Body::from(upload_form(token)),
        )
        .await;
        assert_error_envelope(what, &reply, StatusCode::FORBIDDEN);
    }
    // The form carries the token, before the file.
    let page = served(
        &state,
        guard(&[]),
        Method::GET,
        "/-/upload",
        &[host],
        Body::empty(),
    )
    .await;
    let field = format!("name=\"token\" value=\"{token}\"");
    let at = page
        .body
        .find(&field)
        .unwrap_or_else(|| panic!("no token in the form"));
    assert!(at < page.body.find("name=\"file\"").unwrap_or(0));
    // This site's own form, from a browser and from a program.
    for (what, headers, with_token) in [
        (
            "same-origin fetch",
            vec![
                host,
                form,
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:8001"),
            ],
            true,
        ),
        ("a program with the form's token", vec![host, form], true),
        (
            "a program with the token header",
            vec![host, form, ("x-remit-token", token.as_str())],
            false,
        ),
    ] {
        let reply = served(
            &state,
            guard(&[]),
            Method::POST,
            "/-/upload.json",
            &headers,
            Body::from(upload_form(with_token.then_some(token.as_str()))),
        )
        .await;
        let data = assert_ok_envelope(what, &reply);
        assert!(data.get("summary").is_some() || data.is_object(), "{what}");
    }
}

/// A body that sends its first bytes and then nothing, like a client stalled mid-upload.
struct Stalled(Option<Bytes>);

impl http_body::Body for Stalled {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _context: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        match self.0.take() {
            Some(bytes) => Poll::Ready(Some(Ok(http_body::Frame::data(bytes)))),
            None => Poll::Pending,
        }
    }
}

fn stalled_upload(state: &AppState) -> tokio::task::JoinHandle<StatusCode> {
    let state = state.clone();
    tokio::spawn(async move {
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audit.csv\"\r\n\r\nOrgName,"
        );
        let request = Request::builder()
            .method(Method::POST)
            .uri("/-/upload.json")
            .header("content-type", multipart())
            .header("content-length", "1000")
            .body(Body::new(Stalled(Some(Bytes::from(head)))))
            .unwrap_or_else(|e| panic!("{e}"));
        let response = remit_web::app(state)
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        response.status()
    })
}

/// Issue 18: uploads had no concurrency limit; a stalled or abandoned upload holds its place only
/// while its request lasts.
#[tokio::test]
async fn issue_18_uploads_are_limited_and_released_when_their_request_ends() {
    let state = uploads_on();
    let first = stalled_upload(&state);
    let second = stalled_upload(&state);
    // Let both start and stall.
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    let content_type = multipart();
    let third = send_with(
        &state,
        Method::POST,
        "/-/upload.json",
        &[("content-type", content_type.as_str())],
        Body::from(upload_form(None)),
    )
    .await;
    assert_error_envelope("a third upload", &third, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        third
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    // The clients go away: their places are free again.
    first.abort();
    second.abort();
    let _ = first.await;
    let _ = second.await;
    let again = send_with(
        &state,
        Method::POST,
        "/-/upload.json",
        &[("content-type", content_type.as_str())],
        Body::from(upload_form(None)),
    )
    .await;
    assert_ok_envelope("an upload after the others ended", &again);
}

/// A GET over a raw connection; the status code, or 0 when the server closed the connection.
fn raw_get(address: SocketAddr, host: &str) -> u16 {
    let mut stream =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("cannot connect: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap_or_else(|e| panic!("{e}"));
    write!(
        stream,
        "GET /-/health.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Whether the server closes `stream` within `limit` (reads end), having been sent `sent`.
fn closed_within(address: SocketAddr, sent: &[u8], limit: Duration) -> bool {
    let mut stream =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("cannot connect: {e}"));
    stream
        .set_read_timeout(Some(limit))
        .unwrap_or_else(|e| panic!("{e}"));
    stream.write_all(sent).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return started.elapsed() < limit,
            // A 408 answer to a half-sent head, then the close.
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Issue 18: idle connections were never closed. The real server, on a free port.
#[test]
fn issue_18_the_server_checks_hosts_and_closes_idle_connections() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let listen = remit_web::Listen {
            header_timeout: Duration::from_millis(300),
            ..remit_web::Listen::new("127.0.0.1", 0)
        };
        let _ = remit_web::serve_until(
            law_state(),
            &listen,
            |address| {
                let _ = sender.send(address);
            },
            std::future::pending(),
        );
    });
    let address = receiver
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("the server did not start: {e}"));
    assert_eq!(raw_get(address, &address.to_string()), 200);
    assert_eq!(
        raw_get(address, &format!("localhost:{}", address.port())),
        200
    );
    assert_eq!(
        raw_get(address, &format!("attacker.example:{}", address.port())),
        421
    );
    // Nothing sent, or a head never finished: closed after the header timeout.
    assert!(closed_within(address, b"", Duration::from_secs(5)));
    assert!(closed_within(
        address,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        Duration::from_secs(5)
    ));
    // An open connection left idle after its request is closed too.
    let started = Instant::now();
    let request = format!("GET /-/health.json HTTP/1.1\r\nHost: {address}\r\n\r\n");
    assert!(closed_within(
        address,
        request.as_bytes(),
        Duration::from_secs(5)
    ));
    assert!(started.elapsed() >= Duration::from_millis(250));
}

/// Issue 18: a store from a newer Remit was served as empty pages; a damaged one as healthy.
#[test]
fn issue_18_serving_refuses_newer_and_damaged_stores_and_reads_only() {
    let dir = std::env::temp_dir().join(format!("remit-web-security-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let demo = remit_web::demo::Folder::create().unwrap_or_else(|e| panic!("{e}"));
    drop(remit_web::demo::build(&demo, &corpus()).unwrap_or_else(|e| panic!("{e}")));
    let built = demo.path().join("remit.db");

    // Served read-only.
    let served = remit_web::open_existing_store(Some(&built))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no store"));
    assert!(served.is_read_only());
    drop(served);

    // A newer registry schema: refused with the message every command gives.
    let newer = dir.join("newer.db");
    std::fs::copy(&built, &newer).unwrap_or_else(|e| panic!("{e}"));
    let store = remit_web::Store::open(&newer).unwrap_or_else(|e| panic!("{e}"));
    store
        .connection()
        .execute(
            "INSERT INTO schema_migrations (component, version, name) VALUES ('registry', 999, 'future')",
            [],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    let error = remit_web::open_existing_store(Some(&newer))
        .err()
        .unwrap_or_else(|| panic!("a newer store was served"));
    let mut cli = remit_web::Store::open(&newer).unwrap_or_else(|e| panic!("{e}"));
    let cli_error = cli
        .migrate(&remit_registry::SCHEMA)
        .err()
        .unwrap_or_else(|| panic!("a newer store was migrated"));
    assert_eq!(error.to_string(), cli_error.to_string());
    assert!(
        error
            .help()
            .is_some_and(|help| help.contains("upgrade remit"))
    );

    // Damaged pages in a store that was closed cleanly.
    let damaged = dir.join("damaged.db");
    std::fs::copy(&built, &damaged).unwrap_or_else(|e| panic!("{e}"));
    let length = std::fs::metadata(&damaged).map_or(0, |m| m.len());
    assert!(length > 8 * 16_384, "the demo store is too small: {length}");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&damaged)
        .unwrap_or_else(|e| panic!("{e}"));
    std::io::Seek::seek(
        &mut file,
        std::io::SeekFrom::Start(length / 2 / 16_384 * 16_384),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    file.write_all(&[0x5A; 16_384])
        .unwrap_or_else(|e| panic!("{e}"));
    drop(file);
    let error = remit_web::open_existing_store(Some(&damaged))
        .err()
        .unwrap_or_else(|| panic!("a damaged store was served"));
    assert!(error.to_string().contains("damaged"), "{error}");
    assert!(
        error
            .help()
            .is_some_and(|help| help.contains("remit store recover")),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
