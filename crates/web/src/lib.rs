//! remit-web: the dashboard and JSON API that `remit serve` runs.
//!
//! Most people who need Remit's answers will not open a terminal. This crate publishes the law
//! corpus and everything in the store as a plain, fast web site on the user's own machine, with
//! Datasette's conventions: every page has a `.json` twin in one envelope, every table a `.csv`
//! twin, pages link their twins with `Link: <...>; rel="alternate"`, system pages live under
//! `/-/`, and every page that shows data names its source, licence and date.
//!
//! [`app`] builds the one router that both [`serve`] and the tests (through
//! `tower::ServiceExt::oneshot`) use. Pages are rendered on the server: no script, no external
//! font, stylesheet or network request, so they work with JavaScript off and offline.
//!
//! The served site cannot be turned against its user (`docs/security.md`): [`serve`] answers only
//! requests addressed to this machine and POSTs from its own pages with its token ([`guard`]),
//! closes idle connections, limits uploads and stops their work when their request ends
//! ([`scratch`]), and reads the store through a read-only connection.

#![warn(missing_docs)]

use std::future::Future as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use remit_law::Corpus;
use tower_http::timeout::TimeoutLayer;

mod cache;
pub mod components;
mod countymap;
pub mod demo;
mod geo;
pub mod guard;
pub mod html;
pub mod i18n;
mod pages;
mod parts;
pub mod response;
pub mod scratch;
mod svg;

pub use pages::audits::{AuditLabel, registry_agreements};
pub use pages::{Route, list as routes};
/// Audits files into a store as the dashboard does (remit-app's use case).
pub use remit_app::audit::audit_redacted_into_store as audit_into_store;
pub use remit_store::Store;
pub use response::{DataSource, Format, WebError};

pub use pages::upload::UPLOAD_LIMIT;

/// The largest request body accepted anywhere but the upload form.
pub const BODY_LIMIT: usize = 64 * 1024;
/// The longest a request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The longest a connection may take to send a request's headers, and the longest an open
/// connection may wait idle for its next request, before it is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest the server waits at shutdown for requests under way.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// How the app behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Accept uploads of audit exports and sharing lists (off unless asked for).
    pub allow_uploads: bool,
    /// The store was built from bundled demo data: pages say so.
    pub demo: bool,
}

/// What every handler can read. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    corpus: Corpus,
    store: Option<std::sync::Mutex<remit_store::Store>>,
    directory: Option<remit_agencies::Directory>,
    /// Reads agency names in questions: over the complete directory, else the built-in sample;
    /// made the first time a question names an agency.
    resolver: std::sync::OnceLock<remit_agencies::Resolver>,
    audits: Vec<pages::audits::AuditLabel>,
    options: Options,
    cache: cache::Cache,
    /// The secret this process's forms carry (see [`guard`]).
    token: guard::Token,
    /// The uploads in flight.
    uploads: Arc<scratch::Gate>,
}

impl AppState {
    /// State over a corpus and, optionally, an open store.
    pub fn new(corpus: Corpus, store: Option<remit_store::Store>, options: Options) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                corpus,
                store: store.map(std::sync::Mutex::new),
                directory: None,
                resolver: std::sync::OnceLock::new(),
                audits: Vec::new(),
                options,
                cache: cache::Cache::default(),
                token: guard::Token::new(),
                uploads: Arc::new(scratch::Gate::default()),
            }),
        }
    }

    /// Adds the agency directory (the FBI list), for per-state rates. Call it right after
    /// [`AppState::new`], before the state is cloned (a clone keeps the state it was made from).
    /// A directory that is only the built-in sample is ignored: rates against it would mislead.
    pub fn with_directory(self, directory: remit_agencies::Directory) -> AppState {
        match Arc::try_unwrap(self.inner) {
            Ok(inner) => AppState {
                inner: Arc::new(Inner {
                    directory: directory.is_complete().then_some(directory),
                    ..inner
                }),
            },
            Err(shared) => AppState { inner: shared },
        }
    }

    /// Names stored runs (the demo's audits), shown first under `/audits`. Like
    /// [`AppState::with_directory`], call it before the state is cloned.
    pub fn with_audits(self, audits: Vec<AuditLabel>) -> AppState {
        match Arc::try_unwrap(self.inner) {
            Ok(inner) => AppState {
                inner: Arc::new(Inner { audits, ..inner }),
            },
            Err(shared) => AppState { inner: shared },
        }
    }

    /// The stored runs the server names itself (the demo's audits).
    pub fn audits(&self) -> &[AuditLabel] {
        &self.inner.audits
    }

    /// The law corpus the server answers from.
    pub fn corpus(&self) -> &Corpus {
        &self.inner.corpus
    }

    /// How the app behaves (uploads, demo notice, ...).
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    /// Whether the server was given a store of imported records to show.
    pub fn has_store(&self) -> bool {
        self.inner.store.is_some()
    }

    /// The complete agency directory, when one was given.
    pub fn directory(&self) -> Option<&remit_agencies::Directory> {
        self.inner.directory.as_ref()
    }

    /// A resolver for agency names: over the complete directory when there is one, else over
    /// the built-in sample.
    pub fn resolver(&self) -> &remit_agencies::Resolver {
        self.inner.resolver.get_or_init(|| {
            remit_agencies::Resolver::new(
                self.inner
                    .directory
                    .clone()
                    .unwrap_or_else(remit_agencies::Directory::builtin),
            )
        })
    }

    /// Runs `read` on the store, if there is one. A poisoned lock (a panic elsewhere while
    /// reading) is recovered: reads leave nothing half-written.
    pub fn with_store<T>(&self, read: impl FnOnce(&remit_store::Store) -> T) -> Option<T> {
        self.with_store_mut(|store| read(store))
    }

    /// Like [`AppState::with_store`], for query APIs that take the store mutably (they check
    /// their schema first). Handlers only read.
    pub(crate) fn with_store_mut<T>(
        &self,
        read: impl FnOnce(&mut remit_store::Store) -> T,
    ) -> Option<T> {
        let store = self.inner.store.as_ref()?;
        let mut guard = store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(read(&mut guard))
    }

    pub(crate) fn cache(&self) -> &cache::Cache {
        &self.inner.cache
    }

    /// The secret this process's forms carry; a served POST without it is refused.
    pub fn token(&self) -> &guard::Token {
        &self.inner.token
    }

    pub(crate) fn uploads(&self) -> &Arc<scratch::Gate> {
        &self.inner.uploads
    }
}

/// Today's date in UTC from the system clock: the default date of a question. The law engine
/// reads no clock; the web layer supplies the date from remit-app's clock, as the CLI does.
pub use remit_app::today;

/// The application: every route, the request limits, and the error renderer. This is the app
/// without its network boundary, for tests through `oneshot`; [`serve`] puts a [`guard::Guard`]
/// in front of it ([`served_app`]).
pub fn app(state: AppState) -> Router {
    build(state, None)
}

/// The application as [`serve`] runs it: [`app`] behind `guard`, which refuses requests for
/// other hosts and cross-site or token-less POSTs.
pub fn served_app(state: AppState, guard: guard::Guard) -> Router {
    build(state, Some(guard))
}

fn build(state: AppState, guard: Option<guard::Guard>) -> Router {
    let token = state.token().clone();
    let router = pages::routes(&state)
        .route(html::STYLESHEET_PATH, axum::routing::get(html::stylesheet))
        .with_state(state)
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    let router = match guard {
        Some(guard) => router.layer(middleware::from_fn_with_state(
            Arc::new(guard.with_token(token)),
            guard::check,
        )),
        None => router,
    };
    let router = router.layer(middleware::from_fn(response::finish));
    // The language is read from the address before routing (`/es/rules` is routed as `/rules`),
    // so its middleware wraps a router whose only route is the whole app: it runs before the
    // app's own routing.
    Router::new()
        .fallback_service(router)
        .layer(middleware::from_fn(i18n::language))
}

/// Why the store to serve could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// No database file exists at the path given.
    #[error("no database at `{}`", .0.display())]
    Missing(std::path::PathBuf),
    /// The database could not be opened read-only, or was written by a newer Remit.
    #[error(transparent)]
    Store(#[from] remit_store::StoreError),
}

impl OpenError {
    /// Advice for the user, printed as a separate `help:` line.
    pub fn help(&self) -> Option<String> {
        match self {
            OpenError::Missing(_) => Some(
                "import data first (e.g. `remit registry import FILES`), or run `remit serve --demo`"
                    .to_string(),
            ),
            OpenError::Store(error) => error.help(),
        }
    }
}

/// The components whose tables a served store may hold.
fn served_schemas() -> [&'static remit_store::Schema; 3] {
    [
        &remit_audit::sinks::store::SCHEMA,
        &remit_registry::SCHEMA,
        &remit_sharing::SCHEMA,
    ]
}

/// The store at `path`, which must exist; without a path, the default store if there is one.
/// Serving never creates a database, nor a component's tables, and reads through a read-only
/// connection (so a read-only file or folder serves as well). A store from a newer Remit is
/// refused, as every command refuses it, rather than shown as empty; a damaged one is refused
/// with the way out (`remit store check`, `remit store recover`). The tables an earlier version
/// of Remit made are brought up to date, as the command that writes them would, so that what
/// they hold is shown rather than hidden behind an old schema: only then is the store opened
/// for writing, and it is reopened read-only after.
pub fn open_existing_store(
    path: Option<&std::path::Path>,
) -> Result<Option<remit_store::Store>, OpenError> {
    let path = match path {
        Some(path) if path.is_file() => path.to_path_buf(),
        Some(path) => return Err(OpenError::Missing(path.to_path_buf())),
        None => match remit_store::default_path() {
            Ok(path) if path.is_file() => path,
            _ => return Ok(None),
        },
    };
    let store = remit_store::Store::open_read_only(&path)?;
    // A long-running server reads the store for days: check its pages once, even when it was
    // closed cleanly.
    store.refuse_if_damaged()?;
    let mut outdated = false;
    for schema in served_schemas() {
        match store.schema_version(schema.component)? {
            Some(found) if found > schema.latest() => {
                return Err(OpenError::Store(remit_store::StoreError::SchemaTooNew {
                    component: schema.component.to_string(),
                    found,
                    known: schema.latest(),
                }));
            }
            Some(found) if found < schema.latest() => outdated = true,
            _ => {}
        }
    }
    if !outdated {
        return Ok(Some(store));
    }
    drop(store);
    let mut writer = remit_store::Store::open(&path)?;
    for schema in served_schemas() {
        if writer
            .schema_version(schema.component)?
            .is_some_and(|version| version < schema.latest())
        {
            writer.migrate(schema)?;
        }
    }
    drop(writer);
    Ok(Some(remit_store::Store::open_read_only(&path)?))
}

/// Where and how to listen.
#[derive(Debug, Clone)]
pub struct Listen {
    /// The address to listen on, e.g. `127.0.0.1`.
    pub host: String,
    /// The TCP port to listen on.
    pub port: u16,
    /// Names besides this machine's own that requests may be addressed to (`--allow-host`):
    /// a reverse proxy's.
    pub allowed_hosts: Vec<String>,
    /// How long a connection may take to send a request's headers, or wait idle between
    /// requests ([`HEADER_TIMEOUT`] by default).
    pub header_timeout: Duration,
}

impl Listen {
    /// Listening on `host:port` with the default limits.
    pub fn new(host: impl Into<String>, port: u16) -> Listen {
        Listen {
            host: host.into(),
            port,
            allowed_hosts: Vec::new(),
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The runtime that runs the server could not start.
    #[error("cannot start the server's runtime")]
    Runtime(#[source] std::io::Error),
    /// The address could not be listened on (in use, or not this machine's).
    #[error("cannot listen on `{address}`")]
    Bind {
        /// The address as `host:port`.
        address: String,
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },
    /// The server stopped with an input or output error.
    #[error("the server stopped with an error")]
    Serve(#[source] std::io::Error),
}

/// How many connections may wait to be accepted: a browser opens several at once, a load test
/// hundreds, and a short queue makes the kernel drop their first packets (a one-second retry).
const BACKLOG: u32 = 1024;

/// A listener on `address` (`host:port`; the first address the host resolves to).
async fn bind(address: &str) -> std::io::Result<tokio::net::TcpListener> {
    let resolved = tokio::net::lookup_host(address)
        .await?
        .next()
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the host resolves to no address",
            )
        })?;
    let socket = if resolved.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(resolved)?;
    socket.listen(BACKLOG)
}

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM where there are signals (a
/// service manager, a test harness), so that the caller's cleanup (the demo's temporary folder)
/// runs either way.
async fn stopped() {
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        let mut interrupt = std::pin::pin!(tokio::signal::ctrl_c());
        let mut terminate = std::pin::pin!(terminate);
        std::future::poll_fn(|context| {
            if interrupt.as_mut().poll(context).is_ready()
                || terminate.as_mut().poll(context).is_ready()
            {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves `state` until Ctrl-C or SIGTERM. `ready` is called with the bound address once the server
/// accepts connections (port 0 picks a free port).
pub fn serve(
    state: AppState,
    listen: &Listen,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    serve_until(state, listen, ready, stopped())
}

/// [`serve`] until `stop` resolves (a test's own signal). Each connection is served by hyper
/// with a header-read timeout that also closes connections left idle between requests; at
/// `stop`, requests under way get `SHUTDOWN_GRACE` (five seconds) to finish.
pub fn serve_until(
    state: AppState,
    listen: &Listen,
    ready: impl FnOnce(SocketAddr),
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        let address = format!("{}:{}", listen.host, listen.port);
        let listener = bind(&address).await.map_err(|source| ServeError::Bind {
            address: address.clone(),
            source,
        })?;
        let local = listener.local_addr().map_err(ServeError::Serve)?;
        let app = served_app(state, guard::Guard::new(local, &listen.allowed_hosts));
        ready(local);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut stop = std::pin::pin!(stop);
        loop {
            let accepted = {
                let mut accept = std::pin::pin!(listener.accept());
                std::future::poll_fn(|context| {
                    if stop.as_mut().poll(context).is_ready() {
                        return std::task::Poll::Ready(None);
                    }
                    accept.as_mut().poll(context).map(Some)
                })
                .await
            };
            let stream = match accepted {
                None => break,
                Some(Ok((stream, _))) => stream,
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // moment rather than spin, and go on.
                Some(Err(_)) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let service = hyper_util::service::TowerToHyperService::new(app.clone());
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(listen.header_timeout);
            let connection = graceful
                .watch(builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service));
            tokio::spawn(async move {
                // A connection's failure (a reset, a timeout) is the client's, not the server's.
                let _ = connection.await;
            });
        }
        drop(listener);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
        Ok(())
    })
}
