//! `remit demo ...`: synthetic inputs for the demo, the tests and the benchmarks. `gen-audit`
//! writes a Flock network audit modelled on the real logs, with a few immigration searches by
//! out-of-state and federal agencies planted in it; the same seed always gives the same file.

use std::io::{BufWriter, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::Global;
use crate::output::UserError;

/// The arguments of `remit demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Write a synthetic Flock network audit (a California agency's network searched by others)
    #[command(after_help = "Example:
  remit demo gen-audit --rows 1000000 --seed 7 --out network-audit.csv
  remit demo gen-audit --rows 1000000 --out-of-state 60% --out findings-heavy.csv
  remit audit network-audit.csv --owner \"El Cajon CA PD\" --out audit-out")]
    GenAudit(GenAuditArgs),
}

#[derive(Debug, clap::Args)]
struct GenAuditArgs {
    /// How many searches to write
    #[arg(long, value_name = "N")]
    rows: u64,
    /// The seed: the same seed gives the same file
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Where to write the CSV (`-` for standard output)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The share of searches made by agencies outside the state (other states' and federal), in
    /// percent: `14` (the default, as in real network audits) or `60%` for a findings-heavy file
    #[arg(long = "out-of-state", value_name = "SHARE", default_value = "14", value_parser = parse_share)]
    out_of_state: u32,
}

/// A percentage from 0 to 100 (`60`, `60%`, `12.5`) as thousandths.
fn parse_share(text: &str) -> Result<u32, String> {
    let number = text.trim().trim_end_matches('%').trim();
    let percent: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a percentage (write it as 14, 60% or 12.5)"))?;
    if !(0.0..=100.0).contains(&percent) {
        return Err(format!("`{text}` is not between 0 and 100 percent"));
    }
    Ok((percent * 10.0).round() as u32)
}

/// Runs `remit demo`; the exit code says whether it succeeded.
pub fn run(args: Args, _global: &Global) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::GenAudit(gen_args) => gen_audit(&gen_args),
    }
}

fn gen_audit(args: &GenAuditArgs) -> anyhow::Result<ExitCode> {
    let write_error = |e: std::io::Error| {
        anyhow::Error::new(UserError::new(format!(
            "cannot write `{}`: {e}",
            args.out.display()
        )))
    };
    if args.out.as_os_str() == "-" {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
        remit_audit::demo::generate_with_share(args.rows, args.seed, args.out_of_state, &mut out)
            .map_err(write_error)?;
        out.flush().map_err(write_error)?;
        return Ok(ExitCode::SUCCESS);
    }
    let file = std::fs::File::create(&args.out).map_err(write_error)?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    remit_audit::demo::generate_with_share(args.rows, args.seed, args.out_of_state, &mut out)
        .map_err(write_error)?;
    out.flush().map_err(write_error)?;
    eprintln!(
        "wrote {} searches to `{}` ({} planted immigration searches)",
        args.rows,
        args.out.display(),
        remit_audit::demo::planted_count(args.rows)
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::parse_share;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(parse_share("14"), Ok(140));
        assert_eq!(parse_share("60%"), Ok(600));
        assert_eq!(parse_share(" 12.5 % "), Ok(125));
        assert_eq!(parse_share("0"), Ok(0));
        assert_eq!(parse_share("100%"), Ok(1000));
        assert!(parse_share("101").is_err());
        assert!(parse_share("-1").is_err());
        assert!(parse_share("most").is_err());
    }
}
