//! `remit serve`: the dashboard and JSON API on this machine, for people who will not open a
//! terminal. Serves the law corpus and everything in the store, read-only, on 127.0.0.1 unless
//! `--host` says otherwise, answering only requests addressed to this machine (and to the names
//! given with `--allow-host`). `--demo` builds a temporary store from bundled samples first, so
//! every page has something to show on a fresh machine. See `docs/security.md`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Global;
use crate::output::{UserError, load_corpus};

/// The arguments of `remit serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit serve --demo                      # every page populated from bundled samples
  remit serve --db remit.db               # what you imported
  remit serve --host 0.0.0.0 --port 8080  # reachable from other machines: mind who can see it
  remit serve --allow-host remit.example.org  # behind a reverse proxy that sends this Host")]
pub struct Args {
    /// The address to listen on; anything but 127.0.0.1 exposes the site to other machines
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8001)]
    port: u16,
    /// Serve a temporary store built from bundled example and generated data
    #[arg(long)]
    demo: bool,
    /// Accept uploads of audit exports and sharing lists through the web form
    #[arg(long)]
    allow_uploads: bool,
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Also answer requests addressed to this host name (a reverse proxy's); repeatable. Requests
    /// for other names are refused, so that no web page can reach the site through DNS rebinding
    #[arg(long, value_name = "NAME")]
    allow_host: Vec<String>,
}

/// Runs `remit serve` until it is stopped.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let (state, demo_folder) = dashboard_state(
        args.corpus.as_deref(),
        args.demo,
        args.allow_uploads,
        global,
        "serves",
    )?;
    let removed = remit_web::scratch::remove_leftovers();
    if removed > 0 && !global.quiet {
        eprintln!(
            "remit: removed {removed} temporary folders left by a server that did not stop cleanly"
        );
    }
    let listen = remit_web::Listen {
        allowed_hosts: args.allow_host.clone(),
        ..remit_web::Listen::new(args.host.clone(), args.port)
    };
    let quiet = global.quiet;
    let result = remit_web::serve(state, &listen, |address| {
        println!("remit: serving on http://{address}/ (Ctrl-C to stop)");
        if !quiet && !address.ip().is_loopback() {
            eprintln!(
                "warning: listening on `{}`: other machines on the network can read this site",
                address.ip()
            );
        }
    });
    drop(demo_folder);
    result.map_err(|error| {
        let help = match &error {
            remit_web::ServeError::Bind { .. } => Some(
                "another program may use the port: pass `--port` with another number, or `--port 0` for any free one",
            ),
            _ => None,
        };
        with_help("the server could not start", &error, help)
    })?;
    Ok(ExitCode::SUCCESS)
}

/// What the dashboard shows, for `remit serve` and `remit publish` (`verb` says which, in the
/// error on `--demo` with `--db`): the corpus, the store (the demo's, built in a temporary folder
/// returned beside it, or `--db`'s, else the default one, opened read-only), and the store's
/// complete agency directory for the 287(g) rates.
pub(crate) fn dashboard_state(
    corpus: Option<&std::path::Path>,
    demo: bool,
    allow_uploads: bool,
    global: &Global,
    verb: &str,
) -> anyhow::Result<(remit_web::AppState, Option<remit_web::demo::Folder>)> {
    let corpus = load_corpus(corpus, remit_law::Scenarios::Load)?;
    let options = remit_web::Options {
        allow_uploads,
        demo,
    };
    // The demo store lives in a temporary folder removed when the caller drops it.
    let mut demo_folder = None;
    let mut demo_audits = Vec::new();
    let store = if demo {
        if global.db.is_some() {
            return Err(UserError::with_help(
                "`--demo` and `--db` cannot be used together",
                format!("`--demo` {verb} a temporary store of its own; drop one of them"),
            )
            .into());
        }
        let folder = remit_web::demo::Folder::create()?;
        let built = remit_web::demo::build(&folder, &corpus)?;
        if !global.quiet {
            eprintln!("remit: demo store built in `{}`", folder.path().display());
        }
        demo_folder = Some(folder);
        demo_audits = built.audits;
        Some(built.store)
    } else {
        open_store(global)?
    };
    // The demo's sample agreements are not measured against the real directory; a served store
    // is, with its own directory when it has one.
    let directory = if demo {
        None
    } else {
        match complete_directory(store.as_ref()) {
            Ok(directory) => directory,
            Err(error) => {
                eprintln!(
                    "warning: the imported agency directory cannot be read, so 287(g) rates are not shown: {error}"
                );
                None
            }
        }
    };
    let mut state = remit_web::AppState::new(corpus, store, options).with_audits(demo_audits);
    if let Some(directory) = directory {
        state = state.with_directory(directory);
    }
    Ok((state, demo_folder))
}

/// The whole FBI directory the served store resolves with (its own, else the data folder's file
/// of an earlier import), for the 287(g) rates; `None` with only the built-in sample.
fn complete_directory(
    store: Option<&remit_web::Store>,
) -> Result<Option<remit_agencies::Directory>, remit_agencies::DirectoryError> {
    let choice = remit_app::directory::Choice::for_store(store)?;
    if !choice.is_complete() {
        return Ok(None);
    }
    choice.load(store).map(Some)
}

/// The store named by `--db` (which must exist), else the default one if it exists, read-only.
/// Serving never creates a database. The registry's derived tables (agencies, agreements) are
/// rebuilt first when they are stale (an import was interrupted before its refresh, or another
/// directory built them), as every registry command does, so that the pages never show an older
/// state than the sheets. The store's directory is the one it resolves with.
fn open_store(global: &Global) -> anyhow::Result<Option<remit_web::Store>> {
    let cannot_open = |error: remit_web::OpenError| {
        let help = error.help();
        with_help("cannot open the store", &error, help.as_deref())
    };
    let Some(mut store) =
        remit_web::open_existing_store(global.db.as_deref()).map_err(cannot_open)?
    else {
        return Ok(None);
    };
    let choice = remit_app::directory::Choice::for_store(Some(&store))
        .map_err(crate::output::directory_error)?;
    let source = choice.key();
    if !registry_stale(&mut store, &source)? {
        return Ok(Some(store));
    }
    let Some(path) = store.path().map(std::path::Path::to_path_buf) else {
        return Ok(Some(store));
    };
    drop(store);
    let mut writer = remit_web::Store::open(&path)
        .map_err(|error| cannot_open(remit_web::OpenError::Store(error)))?;
    if writer.is_read_only() {
        if !global.quiet {
            eprintln!(
                "warning: the 287(g) agencies and agreements in `{}` predate its latest sheets, and the store is read-only, so they are shown as they are",
                path.display()
            );
        }
    } else {
        let registry = refresh_registry(&mut writer, &choice, source)?;
        if !global.quiet {
            eprintln!(
                "remit: rebuilt the 287(g) agencies and agreements ({} agreements) from the imported sheets",
                registry.agreements
            );
        }
    }
    drop(writer);
    remit_web::open_existing_store(Some(&path)).map_err(cannot_open)
}

/// Whether the store holds registry tables whose derived part is stale for `source`.
fn registry_stale(store: &mut remit_web::Store, source: &str) -> anyhow::Result<bool> {
    let schema = &remit_registry::SCHEMA;
    if store.schema_version(schema.component).ok().flatten() != Some(schema.latest()) {
        return Ok(false);
    }
    let registry = remit_registry::Registry::open(store).map_err(registry_error)?;
    registry.is_stale_for(source).map_err(registry_error)
}

fn refresh_registry(
    store: &mut remit_web::Store,
    choice: &remit_app::directory::Choice,
    source: String,
) -> anyhow::Result<remit_registry::RefreshReport> {
    let directory = choice
        .load(Some(store))
        .map_err(crate::output::directory_error)?;
    let mut linker = remit_registry::DirectoryLinker::with_source(directory, source);
    let mut registry = remit_registry::Registry::open(store).map_err(registry_error)?;
    registry.refresh(&mut linker).map_err(registry_error)
}

fn registry_error(error: remit_registry::RegistryError) -> anyhow::Error {
    let help = error.help();
    anyhow::Error::new(UserError::with_causes(&error, help))
}

/// An error for the user: `context`, then each cause, with advice on its own line when there is.
fn with_help(
    context: &str,
    error: &(dyn std::error::Error + 'static),
    help: Option<&str>,
) -> anyhow::Error {
    let mut message = context.to_string();
    let mut cause = Some(error);
    while let Some(current) = cause {
        message.push_str(": ");
        message.push_str(&current.to_string());
        cause = current.source();
    }
    match help {
        Some(help) => UserError::with_help(message, help).into(),
        None => UserError::new(message).into(),
    }
}
