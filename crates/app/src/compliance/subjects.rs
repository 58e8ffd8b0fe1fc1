//! Who the check asks about: every state or local agency of the directory (with the actor the
//! law binds it as and the division whose rules reach it), every agency of ICE's sheets or the
//! MOA index that the directory does not carry, and the county jails that a county department,
//! not the sheriff, runs (from the corpus's facts about places). Each is joined to its registry
//! records by ORI, or by the registry's own links.

use std::collections::HashMap;

use remit_agencies::law::{division, owner_actor};
use remit_agencies::{AgencyClass, Resolution, Resolver};
use remit_law::Corpus;

use super::data::RegistryData;

/// One agency the check asks the law about.
#[derive(Clone, Debug)]
pub(crate) struct Subject {
    /// Its ORI, else `registry:<state>:<name>`.
    pub key: String,
    pub name: String,
    pub state: String,
    pub ori: Option<String>,
    /// The kind of agency (`sheriff`, `police_department`...), when known.
    pub kind: Option<String>,
    /// The vocabulary actor the law binds it as.
    pub actor: &'static str,
    /// The OCD division whose rules reach it.
    pub division: String,
    /// Where it was found: `directory`, `ice_sheet`, `moa_index` or `place_facts`.
    pub origin: &'static str,
    /// Indices into the registry data's sheet agencies and MOA agencies.
    pub sheet: Vec<usize>,
    pub moa: Vec<usize>,
}

/// The county segment of a division for a county agency of the directory.
fn county_place(state: &str, county: &str) -> String {
    let mut name = String::new();
    for (i, word) in county.split_whitespace().enumerate() {
        if i > 0 {
            name.push(' ');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(&chars.as_str().to_lowercase());
        }
    }
    let word = match state {
        "LA" => "Parish",
        "AK" => "Borough",
        _ => "County",
    };
    format!("{name} {word}")
}

/// The division and actor of a directory agency, or `None` when no actor fits.
fn directory_subject(agency: &remit_agencies::Agency) -> Option<(&'static str, String)> {
    let state = agency.state.clone()?;
    let kind = agency.kind.map(|k| k.as_str().to_string());
    let actor = owner_actor(agency.class, kind.as_deref()).ok()?;
    let county_level = matches!(
        kind.as_deref(),
        Some("sheriff" | "prosecutor" | "probation" | "corrections")
    ) || (agency.agency_type == "County"
        && kind.as_deref() == Some("police_department"));
    let place = match (&agency.county, county_level) {
        (Some(county), true) => Some(county_place(&state, county)),
        _ => Some(agency.name.clone()),
    };
    let resolution = Resolution {
        input: agency.name.clone(),
        ori: Some(agency.ori.clone()),
        name: agency.name.clone(),
        state: Some(state),
        class: agency.class,
        counterparty: None,
        confidence: 1.0,
        reasons: Vec::new(),
        kind,
        tags: Vec::new(),
        agency_id: Some(agency.ori.clone()),
        place,
    };
    Some((actor, division(&resolution)?))
}

/// A readable name for a directory agency: the FBI's bare county rows (`Anderson`) are the
/// county's sheriff.
fn directory_name(agency: &remit_agencies::Agency) -> String {
    match (agency.kind.map(|k| k.as_str()), &agency.county) {
        (Some("sheriff"), Some(county))
            if !agency.name.to_lowercase().contains("sheriff")
                && agency.agency_type == "County" =>
        {
            format!(
                "{} Sheriff's Office",
                county_place(agency.state.as_deref().unwrap_or(""), county)
            )
        }
        _ => agency.name.trim().trim_end_matches([',', ';']).to_string(),
    }
}

/// Every agency the check asks about, joined to the registry.
pub(crate) fn subjects(corpus: &Corpus, resolver: &Resolver, data: &RegistryData) -> Vec<Subject> {
    let directory = resolver.directory();
    let mut out: Vec<Subject> = Vec::new();
    let mut by_ori: HashMap<String, usize> = HashMap::new();
    for agency in directory.fbi_agencies() {
        if !agency.has_ori() || !matches!(agency.class, AgencyClass::Local | AgencyClass::State) {
            continue;
        }
        let Some((actor, division)) = directory_subject(agency) else {
            continue;
        };
        by_ori.insert(agency.ori.clone(), out.len());
        out.push(Subject {
            key: agency.ori.clone(),
            name: directory_name(agency),
            state: agency.state.clone().unwrap_or_default(),
            ori: Some(agency.ori.clone()),
            kind: agency.kind.map(|k| k.as_str().to_string()),
            actor,
            division,
            origin: "directory",
            sheet: Vec::new(),
            moa: Vec::new(),
        });
    }
    // Sheet agencies: by ORI to the directory's, else a subject of their own.
    let mut by_sheet_id: HashMap<i64, usize> = HashMap::new();
    for (index, agency) in data.agencies.iter().enumerate() {
        let found = agency.ori.as_ref().and_then(|ori| by_ori.get(ori).copied());
        let position = match found {
            Some(position) => position,
            None => {
                let Some(subject) = registry_subject(
                    resolver,
                    &agency.name,
                    &agency.state,
                    agency.agency_type.as_deref(),
                    agency.county.as_deref(),
                    "ice_sheet",
                ) else {
                    continue;
                };
                place(&mut out, &mut by_ori, subject)
            }
        };
        out[position].sheet.push(index);
        by_sheet_id.insert(agency.id, position);
    }
    // MOA agencies: through their link to a sheet agency, else by ORI, else their own.
    for (index, agency) in data.moa.iter().enumerate() {
        let found = agency
            .agency_id
            .and_then(|id| by_sheet_id.get(&id).copied())
            .or_else(|| agency.ori.as_ref().and_then(|ori| by_ori.get(ori).copied()));
        let position = match found {
            Some(position) => position,
            None => {
                let name = agency
                    .documents
                    .first()
                    .map_or(agency.agency_key.as_str(), |d| d.name.as_str());
                let Some(subject) =
                    registry_subject(resolver, name, &agency.state, None, None, "moa_index")
                else {
                    continue;
                };
                place(&mut out, &mut by_ori, subject)
            }
        };
        out[position].moa.push(index);
    }
    // County jails run by a county department: the law binds the jail, not the sheriff.
    for fact in corpus.place_facts() {
        if !fact
            .holds
            .iter()
            .any(|h| h == "jail_run_by_county_department")
        {
            continue;
        }
        let division = fact.place.to_string();
        let state = fact.place.state_code().unwrap_or("").to_ascii_uppercase();
        let exists = out
            .iter()
            .any(|s| s.actor == "jail" && s.division == division);
        if exists {
            continue;
        }
        out.push(Subject {
            key: format!("jail:{division}"),
            name: format!(
                "{} jail (run by a county corrections department)",
                county_name(&division)
            ),
            state,
            ori: None,
            kind: Some("corrections".to_string()),
            actor: "jail",
            division,
            origin: "place_facts",
            sheet: Vec::new(),
            moa: Vec::new(),
        });
    }
    out
}

/// Where a registry agency's subject goes: the directory agency the resolver found for it, else
/// a new subject (found again by its ORI or key when another record names it).
fn place(
    out: &mut Vec<Subject>,
    by_ori: &mut HashMap<String, usize>,
    mut subject: Subject,
) -> usize {
    let key = subject.ori.clone().unwrap_or_else(|| subject.key.clone());
    // The resolver may read a county's corrections department as the county's primary agency
    // (its sheriff): the same ORI with another actor is another agency.
    if let Some(&position) = by_ori.get(&key)
        && out[position].actor == subject.actor
    {
        return position;
    }
    let key = if by_ori.contains_key(&key) {
        subject.ori = None;
        subject.key.clone()
    } else {
        key
    };
    if let Some(&position) = by_ori.get(&key) {
        return position;
    }
    by_ori.insert(key, out.len());
    out.push(subject);
    out.len() - 1
}

/// `Miami Dade County` from `.../state:fl/county:miami_dade`.
fn county_name(division: &str) -> String {
    let last = division.rsplit('/').next().unwrap_or(division);
    let (kind, id) = last.split_once(':').unwrap_or(("county", last));
    let words: Vec<String> = id
        .split('_')
        .chain(std::iter::once(kind))
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect();
    words.join(" ")
}

/// A subject for a registry agency the directory does not carry, read through the resolver.
fn registry_subject(
    resolver: &Resolver,
    name: &str,
    state: &str,
    agency_type: Option<&str>,
    county: Option<&str>,
    origin: &'static str,
) -> Option<Subject> {
    let mut resolution = resolver.resolve(name, Some(state));
    if resolution.state.as_deref() != Some(state) {
        return None;
    }
    // ICE's TYPE column says whether the agency is a state agency.
    if agency_type == Some("state_agency") && resolution.class == AgencyClass::Local {
        resolution.class = AgencyClass::State;
    }
    // A county agency stands in its county: the sheet's COUNTY column, else the name's words
    // up to `County` or `Parish` (the resolver reads `Orange County Corrections Department` as
    // a place of its own).
    let county_level = matches!(
        resolution.kind.as_deref(),
        Some("sheriff" | "corrections" | "prosecutor" | "probation")
    ) || agency_type == Some("county");
    if resolution.class == AgencyClass::Local && county_level {
        let from_name = ["County", "Parish"].iter().find_map(|word| {
            name.find(&format!(" {word}"))
                .map(|at| name[..at + word.len() + 1].to_string())
        });
        let county = county
            .map(|c| {
                if c.ends_with("County") || c.ends_with("Parish") || c.ends_with("Borough") {
                    c.to_string()
                } else {
                    county_place(state, c)
                }
            })
            .or(from_name);
        if let Some(county) = county {
            resolution.place = Some(county);
            if resolution.kind.as_deref() == Some("police_department") || resolution.kind.is_none()
            {
                resolution.kind = Some("corrections".to_string())
                    .filter(|_| {
                        let lower = name.to_lowercase();
                        lower.contains("correction")
                            || lower.contains("jail")
                            || lower.contains("detention")
                    })
                    .or(resolution.kind);
            }
        }
    }
    let actor = owner_actor(resolution.class, resolution.kind.as_deref()).ok()?;
    let division = division(&resolution)?;
    Some(Subject {
        key: format!(
            "registry:{state}:{}",
            remit_registry::agency_key(name, Some(state))
        ),
        name: name.trim().trim_end_matches([',', ';']).to_string(),
        state: state.to_string(),
        ori: resolution.ori.clone(),
        kind: resolution.kind.clone(),
        actor,
        division,
        origin,
        sheet: Vec::new(),
        moa: Vec::new(),
    })
}
