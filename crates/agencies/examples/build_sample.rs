//! Rebuilds `data/builtin-sample.csv`, the directory sample that ships with Remit, by selecting
//! rows of the FBI law-enforcement employees CSV (public-domain federal data):
//!
//! - every California city and county agency and the California Highway Patrol (most of the
//!   records Remit reads come from California agencies and their sharing lists);
//! - each state's state police headquarters row (no county, or named after the state);
//! - the FBI rows of the federal agencies in `data/federal-agencies.toml` that have an ORI;
//! - the rows the documentation and tests name (`Anoka County MN SO`, `Marshall TX PD`,
//!   `Tombstone Marshals Office (AZ)`, ...).
//!
//! ```text
//! cargo run -p remit-agencies --example build_sample -- ../shared/data/agencies/fbi-lee.csv crates/agencies/data/builtin-sample.csv
//! ```

use std::process::ExitCode;

/// Rows named in docs/agencies.md, docs/methodology.md#agency-names and the tests.
const NAMED: &[&str] = &[
    "AL0500000",
    "AZ0021100",
    "FL0130000",
    "FL0219000",
    "FL0350000",
    "FL0379000",
    "FL0460000",
    "FL0500200",
    "FL0531200",
    "GA0330000",
    "GA0330200",
    "IA0640000",
    "ID0010000",
    "KS0590000",
    "MN0020000",
    "MN0020100",
    "MN0180000",
    "NV0130000",
    "NY0290000",
    "NY0510000",
    "NY0510100",
    "OH0502100",
    "OH0572700",
    "OH0762400",
    "OR0200000",
    "OR0200200",
    "PA0024000",
    "TX0450000",
    "TX1020200",
    "TX1410000",
    "TX1410100",
    "TX1810000",
    "TX1810200",
    "WA0170100",
    "WA0170700",
    "WI0710100",
    "WI0710500",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: build_sample FBI.csv OUTPUT.csv");
        return ExitCode::from(2);
    };
    match run(input, output) {
        Ok(count) => {
            eprintln!("wrote {count} rows to {output}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(input: &str, output: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(input)?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{input}: missing column `{name}`"))
    };
    let columns = remit_agencies::directory::COMPACT_HEADER
        .iter()
        .map(|name| column(name))
        .collect::<Result<Vec<usize>, String>>()?;
    let (ori, state, county, kind, name) =
        (columns[0], columns[3], columns[4], columns[5], columns[2]);
    let federal =
        remit_agencies::aliases::parse_federal(remit_agencies::aliases::FEDERAL_AGENCIES_TOML)?;
    let federal_oris: Vec<&str> = federal.iter().filter_map(|a| a.ori.as_deref()).collect();
    let mut writer = csv::Writer::from_path(output)?;
    writer.write_record(remit_agencies::directory::COMPACT_HEADER)?;
    let mut count = 0;
    for row in reader.records() {
        let row = row?;
        let get = |i: usize| row.get(i).unwrap_or("").trim();
        let state_code = get(state);
        let state_name = remit_agencies::states::by_code(state_code)
            .map(|s| s.name.to_lowercase())
            .unwrap_or_default();
        let california =
            state_code == "CA" && matches!(get(kind), "City" | "County" | "State Police");
        let headquarters = get(kind) == "State Police"
            && (matches!(get(county), "NOT SPECIFIED" | "UNMAPPED COUNTY")
                || (!state_name.is_empty() && get(name).to_lowercase().contains(&state_name)));
        let wanted = NAMED.contains(&get(ori)) || federal_oris.contains(&get(ori));
        if california || headquarters || wanted {
            writer.write_record(columns.iter().map(|&i| get(i)))?;
            count += 1;
        }
    }
    writer.flush()?;
    Ok(count)
}
