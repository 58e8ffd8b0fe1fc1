//! How an agency stands in the law's vocabulary: which actor a rule must bind for an agency that
//! owns data, and which Open Civic Data division's rules reach it. The audit pipeline and the
//! sharing analysis both ask the law about an owner; they take the answer from here so that the
//! same agency is always the same actor in the same place.
//!
//! The words returned are those of `corpus/vocabulary.toml` and OCD ids as remit-law reads them;
//! this crate stays independent of the law engine, so they are plain strings.

use crate::{AgencyClass, Resolution};

/// The vocabulary actor for an agency that owns data, or why there is none.
pub fn owner_actor(class: AgencyClass, kind: Option<&str>) -> Result<&'static str, String> {
    let state_level = class == AgencyClass::State;
    match class {
        AgencyClass::Federal => {
            return Err("a federal agency: state and local rules on sharing do not bind it".into());
        }
        AgencyClass::Private => {
            return Err("a private body: the rules encoded bind government agencies".into());
        }
        AgencyClass::Unknown => return Err("cannot tell what the owner is".into()),
        AgencyClass::Local | AgencyClass::State => {}
    }
    let Some(kind) = kind else {
        return Err("the owner's kind of agency is unknown".into());
    };
    Ok(match kind {
        "police_department" | "marshal" | "constable" | "transit" | "airport" | "parks"
        | "task_force" => {
            if state_level {
                "state_police"
            } else {
                "local_police"
            }
        }
        "sheriff" => "sheriff",
        "prosecutor" => "prosecutor",
        "state_police" => "state_police",
        "attorney_general" | "state_agency" => {
            if state_level {
                "state_agency"
            } else {
                "local_government"
            }
        }
        "university" | "school" => "campus_police",
        "corrections" => {
            if state_level {
                "state_agency"
            } else {
                "jail"
            }
        }
        "probation" | "fire" | "local_government" => {
            if state_level {
                "state_agency"
            } else {
                "local_government"
            }
        }
        "intelligence_center" => {
            if state_level {
                "state_agency"
            } else {
                "local_police"
            }
        }
        "tribal" => {
            return Err(
                "tribal police: a sovereign's agency, not a state or local one; not checked".into(),
            );
        }
        other => return Err(format!("no actor of the vocabulary fits a `{other}`")),
    })
}

/// The OCD division whose rules bind an owner: its city (police, marshal, city government) or
/// county (sheriff, prosecutor, county bodies) inside its state, else the state; `None` when the
/// state is unknown. A division the corpus has no rules for adds nothing: the state's and the
/// country's rules apply all the same.
pub fn division(resolution: &Resolution) -> Option<String> {
    let code = resolution.state.as_deref()?.to_ascii_lowercase();
    let kind_of_state = match code.as_str() {
        "dc" => "district",
        "pr" | "gu" | "vi" | "as" | "mp" => "territory",
        _ => "state",
    };
    let state = format!("ocd-division/country:us/{kind_of_state}:{code}");
    if resolution.class != AgencyClass::Local {
        return Some(state);
    }
    let (Some(kind), Some(place)) = (resolution.kind.as_deref(), resolution.place.as_deref())
    else {
        return Some(state);
    };
    let lower = place.trim().to_lowercase();
    let county = ["county", "parish", "borough"]
        .into_iter()
        .find_map(|word| {
            lower
                .strip_suffix(word)
                .map(|p| (word, p.trim().to_string()))
        });
    let segment = match (kind, county) {
        ("police_department" | "marshal" | "constable" | "local_government", None) => {
            format!("place:{}", ocd_id(&lower))
        }
        (
            "sheriff" | "prosecutor" | "probation" | "corrections" | "police_department"
            | "local_government",
            Some((word, name)),
        ) => format!("{word}:{}", ocd_id(&name)),
        _ => return Some(state),
    };
    Some(format!("{state}/{segment}"))
}

/// How sure the resolver must be of a name before a question about "where" is read as being
/// about that agency's division.
pub const SURE_ENOUGH: f32 = 0.8;

/// A "where" that names an agency (`El Cajon CA PD`, an ORI), read as the division whose rules
/// bind it ([`division`]): the division and the agency, when the resolver is at least
/// [`SURE_ENOUGH`] of it. Callers ask this only of text that does not read as a place.
pub fn division_of_agency(resolver: &crate::Resolver, text: &str) -> Option<(String, Resolution)> {
    let resolution = resolver.resolve(text, None);
    if resolution.confidence < SURE_ENOUGH {
        return None;
    }
    division(&resolution).map(|division| (division, resolution))
}

/// `Los Angeles` -> `los_angeles`, `St. Helena` -> `st_helena`, `Doña Ana` -> `dona_ana`: the
/// id of a division's last segment, as the gazetteer ([`crate::places`]) writes it too.
pub(crate) fn ocd_id(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = crate::places::fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocd_ids_from_place_names() {
        assert_eq!(ocd_id("los angeles"), "los_angeles");
        assert_eq!(ocd_id("st. helena"), "st_helena");
        assert_eq!(ocd_id("el cajon"), "el_cajon");
        assert_eq!(ocd_id("Doña Ana"), "dona_ana");
        assert_eq!(ocd_id("Mayagüez"), "mayaguez");
    }

    #[test]
    fn owners_stand_in_their_city_or_county() {
        let resolver = crate::Resolver::new(crate::Directory::builtin());
        let division_of = |name: &str| division(&resolver.resolve(name, None));
        assert_eq!(
            division_of("Los Angeles Police Department (CA)").as_deref(),
            Some("ocd-division/country:us/state:ca/place:los_angeles")
        );
        assert_eq!(
            division_of("Anoka County MN SO").as_deref(),
            Some("ocd-division/country:us/state:mn/county:anoka")
        );
        assert_eq!(
            division_of("Arizona Department of Public Safety").as_deref(),
            Some("ocd-division/country:us/state:az")
        );
        assert_eq!(division_of("U.S. Border Patrol [Federal]"), None);
        assert_eq!(
            owner_actor(AgencyClass::Local, Some("sheriff")),
            Ok("sheriff")
        );
        assert!(owner_actor(AgencyClass::Federal, Some("federal_agency")).is_err());
    }
}
