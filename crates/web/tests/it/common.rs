//! Shared by the router tests: build the app on the real corpus and send it requests through
//! `tower::ServiceExt::oneshot`, exactly as the server would.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use remit_law::Corpus;
use remit_web::{AppState, Options, app};
use tower::ServiceExt as _;

/// A response, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn link(&self) -> &str {
        self.headers
            .get("link")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", &self.body[..self.body.len().min(300)])
        })
    }

    pub fn csv(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_reader(self.body.as_bytes());
        let headers = reader
            .headers()
            .unwrap_or_else(|e| panic!("bad CSV header: {e}"))
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                r.unwrap_or_else(|e| panic!("bad CSV row: {e}"))
                    .iter()
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        (headers, rows)
    }
}

pub fn corpus() -> Corpus {
    Corpus::embedded().unwrap_or_else(|e| panic!("the built-in corpus does not load: {e}"))
}

/// The app over the built-in corpus, without a store.
pub fn law_state() -> AppState {
    AppState::new(corpus(), None, Options::default())
}

/// The app over the demo store (the bundled sample sheets imported by remit-registry), the
/// folder that holds it (removed when dropped), and a second connection to the same store for
/// asking the registry directly.
pub fn demo_state() -> (AppState, remit_web::demo::Folder, remit_store::Store) {
    demo_state_with(Options {
        demo: true,
        ..Options::default()
    })
}

/// [`demo_state`] with other options.
pub fn demo_state_with(
    options: Options,
) -> (AppState, remit_web::demo::Folder, remit_store::Store) {
    let folder = remit_web::demo::Folder::create()
        .unwrap_or_else(|e| panic!("cannot create the demo folder: {e}"));
    let corpus = corpus();
    let demo = remit_web::demo::build(&folder, &corpus)
        .unwrap_or_else(|e| panic!("cannot build the demo store: {e}"));
    let direct = remit_store::Store::open(&folder.path().join("remit.db"))
        .unwrap_or_else(|e| panic!("cannot open the demo store again: {e}"));
    let state = AppState::new(corpus, Some(demo.store), options).with_audits(demo.audits);
    (state, folder, direct)
}

pub async fn send(state: &AppState, method: Method, uri: &str, body: Body) -> Reply {
    send_with(state, method, uri, &[], body).await
}

/// Sends a request with these headers through the app (without the server's guard).
pub async fn send_with(
    state: &AppState,
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
        .unwrap_or_else(|e| panic!("bad request `{uri}`: {e}"));
    let response = app(state.clone())
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_else(|e| panic!("cannot read the body of `{uri}`: {e}"));
    Reply {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec())
            .unwrap_or_else(|e| panic!("`{uri}` answered with non-UTF-8: {e}")),
    }
}

/// POSTs a multipart form whose parts are separated by `boundary`.
pub async fn post_multipart(state: &AppState, uri: &str, boundary: &str, body: Vec<u8>) -> Reply {
    let content_type = format!("multipart/form-data; boundary={boundary}");
    send_with(
        state,
        Method::POST,
        uri,
        &[("content-type", &content_type)],
        Body::from(body),
    )
    .await
}

pub async fn get(state: &AppState, uri: &str) -> Reply {
    send(state, Method::GET, uri, Body::empty()).await
}

/// Asserts the error envelope: exactly `ok: false`, a non-empty `error`, `status` equal to the
/// HTTP status, and optionally a `help` string.
pub fn assert_error_envelope(uri: &str, reply: &Reply, expected: StatusCode) {
    assert_eq!(reply.status, expected, "`{uri}`: {}", reply.body);
    assert!(
        reply.content_type().starts_with("application/json"),
        "`{uri}` error is not JSON: {}",
        reply.content_type()
    );
    let json = reply.json();
    let object = json
        .as_object()
        .unwrap_or_else(|| panic!("`{uri}`: the error is not an object"));
    assert_eq!(
        object.get("ok"),
        Some(&serde_json::Value::Bool(false)),
        "`{uri}`"
    );
    assert!(
        object
            .get("error")
            .and_then(|e| e.as_str())
            .is_some_and(|e| !e.is_empty()),
        "`{uri}`: no error message"
    );
    assert_eq!(
        object.get("status").and_then(serde_json::Value::as_u64),
        Some(u64::from(expected.as_u16())),
        "`{uri}`"
    );
    for key in object.keys() {
        assert!(
            ["ok", "error", "status", "help"].contains(&key.as_str()),
            "`{uri}`: unexpected key `{key}` in the error envelope"
        );
    }
    if let Some(help) = object.get("help") {
        assert!(help.is_string(), "`{uri}`: help is not a string");
    }
    for leak in ["panicked", "src/", "rusqlite", "Error {", "/work/", "/tmp/"] {
        assert!(
            !reply.body.contains(leak),
            "`{uri}`: the error leaks `{leak}`: {}",
            reply.body
        );
    }
}

/// Asserts the success envelope and returns `data`.
pub fn assert_ok_envelope(uri: &str, reply: &Reply) -> serde_json::Value {
    assert_eq!(reply.status, StatusCode::OK, "`{uri}`: {}", reply.body);
    assert!(
        reply.content_type().starts_with("application/json"),
        "`{uri}`: {}",
        reply.content_type()
    );
    let json = reply.json();
    let object = json
        .as_object()
        .unwrap_or_else(|| panic!("`{uri}`: not an object"));
    assert_eq!(
        object.get("ok"),
        Some(&serde_json::Value::Bool(true)),
        "`{uri}`"
    );
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["data", "ok", "sources"], "`{uri}`: envelope keys");
    for source in object["sources"]
        .as_array()
        .unwrap_or_else(|| panic!("`{uri}`: sources is not a list"))
    {
        for key in ["name", "licence", "date"] {
            assert!(
                source[key].as_str().is_some_and(|s| !s.is_empty()),
                "`{uri}`: a source has no `{key}`"
            );
        }
    }
    object["data"].clone()
}

/// Collects findings as `findings.csv` writes them (redacted).
struct Collect(Vec<[String; 23]>);

impl remit_audit::Sink for Collect {
    fn name(&self) -> &str {
        "oracle"
    }

    fn event(
        &mut self,
        event: &remit_audit::Event<'_>,
        tables: &remit_audit::process::Tables,
    ) -> Result<(), remit_audit::AuditError> {
        self.0.push(remit_audit::sinks::files::finding_fields(
            event, tables, true,
        ));
        Ok(())
    }

    fn finish(
        &mut self,
        _summary: &remit_audit::Summary,
        _tables: &remit_audit::process::Tables,
    ) -> Result<(), remit_audit::AuditError> {
        Ok(())
    }
}

/// What remit-audit's pipeline says of `file` for `owner`, run here directly as `remit audit
/// --no-store` would (built-in classifier and directory, the 287(g) `agreements` given,
/// redacted), with files named as the pages name them: the summary and every finding.
pub fn audit_oracle(
    file: &str,
    owner: &str,
    agreements: Option<&remit_app::RegistryAgreements>,
) -> (remit_audit::Summary, Vec<[String; 23]>) {
    let classifier = remit_audit::Classifier::builtin()
        .unwrap_or_else(|e| panic!("the built-in classifier does not load: {e}"));
    let corpus = corpus();
    let resolver = remit_agencies::Resolver::new(remit_agencies::Directory::builtin());
    let auditor = remit_audit::Auditor {
        classifier: &classifier,
        corpus: &corpus,
        resolver: &resolver,
        agreements: agreements.map(|a| a as &dyn remit_audit::process::AgreementLookup),
        progress: None,
    };
    let options = remit_audit::AuditOptions {
        owner: Some(owner.to_string()),
        redact: true,
        ..remit_audit::AuditOptions::default()
    };
    let mut collect = Collect(Vec::new());
    let mut run = auditor
        .run(&[file.into()], &options, &mut [&mut collect])
        .unwrap_or_else(|e| panic!("`{file}` does not audit: {e}"));
    let name = |path: &str| {
        std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    for file in &mut run.summary.files {
        file.path = name(&file.path);
    }
    for finding in &mut collect.0 {
        finding[0] = name(&finding[0]);
    }
    (run.summary, collect.0)
}

/// The counts of facet `name` in an audit report's JSON, and their sum.
pub fn facet<'a>(
    data: &'a serde_json::Value,
    name: &str,
) -> (&'a serde_json::Map<String, serde_json::Value>, u64) {
    let counts = data["facets"][name]
        .as_object()
        .unwrap_or_else(|| panic!("no `{name}` facet"));
    let sum = counts.values().filter_map(serde_json::Value::as_u64).sum();
    (counts, sum)
}

/// `../shared/data`, or `None` with a visible notice (a failure when
/// `REMIT_REQUIRE_SHARED_DATA` is set).
pub fn shared_data() -> Option<std::path::PathBuf> {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if path.is_dir() {
        return Some(path.to_path_buf());
    }
    assert!(
        std::env::var_os("REMIT_REQUIRE_SHARED_DATA").is_none(),
        "../shared/data not found and REMIT_REQUIRE_SHARED_DATA is set"
    );
    eprintln!("skipping: ../shared/data not found");
    None
}
