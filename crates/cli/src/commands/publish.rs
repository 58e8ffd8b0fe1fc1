//! `remit publish`: the dashboard written out as static files (see `crate::publish`), over the
//! store, or over the bundled samples with `--demo`, for a newsroom, a council or anyone to put
//! on a web host without running Remit there.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Global;

use crate::publish::{self, Options};

/// The arguments of `remit publish`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  remit publish --demo --out site                  # the bundled samples, to try it
  remit --db remit.db publish --out site --base-url https://example.org/remit/
  remit publish --out site --place TX --place CA   # guides and questions for two states only

Open site/index.html in a browser, or copy the folder to any static host (GitHub Pages,
Netlify, S3, a plain web server). Publishing again into the same folder rewrites only the
files that changed and removes the ones no longer made. See docs/publish.md.")]
pub struct Args {
    /// The folder to write the site into (created if missing; must be empty or an earlier copy)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The address the site will be served from, for the sitemap's and feeds' absolute addresses
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Publish a temporary store built from the bundled samples (as `remit serve --demo`)
    #[arg(long)]
    demo: bool,
    /// Publish guides and common questions for this place only (a state code or name, or a
    /// division id; the places within it are included); repeatable. Default: every place
    #[arg(long, value_name = "PLACE")]
    place: Vec<String>,
    /// The most files the site may hold; links to anything beyond lead to a page that says so
    #[arg(long, value_name = "N", default_value_t = publish::DEFAULT_MAX_FILES)]
    max_files: usize,
    /// The most filtered or sorted views of one list the site holds (the plain list's pages are
    /// not counted)
    #[arg(long, value_name = "N", default_value_t = publish::DEFAULT_MAX_VIEWS)]
    max_views: usize,
    /// Use the corpus in this folder instead of the built-in one
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
}

/// Runs `remit publish`; the exit code says whether it succeeded.
pub fn run(args: Args, global: &Global) -> anyhow::Result<ExitCode> {
    let (state, demo_folder) = super::serve::dashboard_state(
        args.corpus.as_deref(),
        args.demo,
        false,
        global,
        "publishes",
    )?;
    if !state.has_store() && !global.quiet {
        eprintln!(
            "remit: no store, so only the law pages have data (import records first, or use `--demo`)"
        );
    }
    let publish_options = Options {
        out: args.out.clone(),
        base_url: args.base_url.clone(),
        places: args.place.clone(),
        max_files: args.max_files,
        max_views: args.max_views,
    };
    let quiet = global.quiet;
    let report = publish::publish(state, &publish_options, |read| {
        if !quiet {
            eprintln!("remit: {read} addresses read");
        }
    })?;
    drop(demo_folder);
    println!(
        "remit: published {} pages ({} files) into `{}`: {} written, {} unchanged, {} removed",
        report.pages,
        report.files,
        args.out.display(),
        report.counts.written,
        report.counts.unchanged,
        report.counts.removed
    );
    for (title, tally) in [
        ("linked but left out", &report.left_out),
        ("linked but needing a live server", &report.live),
    ] {
        if tally.total() == 0 {
            continue;
        }
        println!("{} addresses {title}:", tally.total());
        for (reason, (count, examples)) in &tally.reasons {
            println!("  {count} {reason}, e.g. {}", examples.join(", "));
        }
    }
    println!(
        "open `{}` in a browser, or copy the folder to a web host",
        args.out.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}
